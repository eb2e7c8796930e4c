/* Why clone3 at all: moving a process between cgroups (a write to cgroup.procs) takes the
 * kernel's cgroup_threadgroup_rwsem for writing, which waits for an RCU grace period unless the
 * hierarchy is mounted with favordynmods (0.5-2 ms measured on v1 here; the v2 code takes the
 * same lock). A child created inside its cgroup takes the read side only, and saves the write's
 * open, write and close too. v1 has no such flag, so hybrid and legacy hosts keep the write.
 * A child born in its cgroup is also held to the cgroup's limits (pids.max) from its birth,
 * where a migration is not. */
#include "core/clone.h"

#include "core/cgroup.h"
#include "util/err.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

static pid_t clone_into(unsigned long flags, int cgroup_fd)
{
        struct clone_args a;
        memset(&a, 0, sizeof(a));
        a.flags = (uint64_t)flags | CLONE_INTO_CGROUP;
        a.exit_signal = SIGCHLD;
        a.cgroup = (uint64_t)cgroup_fd;
        /* no stack: the child continues on a copy of ours, as after fork() */
        return (pid_t)syscall(SYS_clone3, &a, sizeof(a));
}

/* What a kernel or filter without clone3 or CLONE_INTO_CGROUP answers (clone3 came in 5.3, the
 * flag in 5.7; docker's and berth's default profiles answer ENOSYS). */
static int unsupported(int err)
{
        return err == ENOSYS || err == E2BIG || err == EINVAL || err == EPERM;
}

pid_t core_clone(unsigned long flags, const struct cgroup *cg, bool *entered, struct berr *e)
{
        *entered = false;
        if (cg && cg->mode == CGROUP_UNIFIED && cg->n == 1) {
                int fd = open(cg->dirs[0], O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (fd < 0)
                        return berr_sys(e, errno, "opening the cgroup %s", cg->dirs[0]);
                pid_t pid = clone_into(flags, fd);
                int err = errno;
                close(fd); /* in the child too: its copy */
                if (pid >= 0) {
                        *entered = true;
                        return pid;
                }
                if (!unsupported(err))
                        return berr_sys(e, err, "creating a process in the cgroup %s", cg->dirs[0]);
        }
        pid_t pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);
        return pid < 0 ? berr_sys(e, errno, "clone") : pid; /* the callers say what for */
}
