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
#include <sys/prctl.h>
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

static pid_t spawn(unsigned long flags, const struct cgroup *cg, bool *entered, struct berr *e)
{
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

/* The child is berth's binary, standing in the container's pid namespace, until its execve: it
 * must be non-dumpable from its first instruction, or a container process could open its
 * /proc/PID/exe (the host's berth) and write through it once it is gone (CVE-2019-5736). A
 * child that made itself so when it first ran left that moment open. The flag belongs to the mm,
 * which the child's copy inherits (no caller passes CLONE_VM); the execve of the user's program
 * sets it again by the usual rules. We take ours back at once: nothing in the container sees us,
 * and a dumpable berth keeps its core dumps. SUID_DUMP_ROOT (2) cannot be set back: a berth whose
 * credentials changed under fs.suid_dumpable=2 stays non-dumpable, the safe side. */
pid_t core_clone(unsigned long flags, const struct cgroup *cg, bool *entered, struct berr *e)
{
        *entered = false;
        int was = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
        if (was != 0 && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
                return berr_sys(e, errno, "making the new process non-dumpable");
        pid_t pid = spawn(flags, cg, entered, e);
        if (pid != 0 && was == 1)
                prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
        return pid;
}
