/* Forking with namespace flags, straight into the container's cgroup where the kernel can. */
#ifndef BERTH_CORE_CLONE_H
#define BERTH_CORE_CLONE_H
#include <stdbool.h>
#include <sys/types.h>

struct berr;
struct cgroup;

/* Like fork(), with the clone flags given (namespaces; SIGCHLD is added). On a cgroup v2 host
 * (cg unified, one directory) the child is created inside cg with clone3's CLONE_INTO_CGROUP
 * (Linux 5.7) and *entered is set: the caller then skips cgroup_enter. Where the kernel or a
 * seccomp filter lacks clone3 or the flag (ENOSYS, E2BIG, EINVAL, EPERM), or on v1, it is a
 * plain clone and *entered is false. The cgroup's own refusals (pids.max reached, a cgroup that
 * takes no processes) are errors naming it, as the cgroup.procs write's would be. Returns the
 * child's pid in the parent, 0 in the child, or a negative errno with e set. cg may be NULL.
 * The child is born non-dumpable (until its execve); the caller's own flag is as it was. */
pid_t core_clone(unsigned long flags, const struct cgroup *cg, bool *entered, struct berr *e);

#endif
