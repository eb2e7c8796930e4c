/* The container's init between clone() and execve(): everything that must happen inside the new
 * namespaces. Runs in a fork-like child of the caller, so it reads the spec from the copied
 * memory; every failure is sent to the parent as a message and ends the child. */
#include "core/init.h"

#include "core/container.h"
#include "core/hooks.h"
#include "core/namespace.h"
#include "core/process.h"
#include "core/sysctl.h"
#include "core/rootfs.h"
#include "core/spec.h"
#include "core/sync.h"
#include "util/err.h"
#include "util/strv.h"

#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int setup(const struct spec *s, const struct core_create_opts *o, const char *rootfs,
                 const struct seccomp_prog *seccomp, int sync, char ***env, char *exe,
                 size_t exelen, struct berr *e)
{
        int r;
        struct process_io io = {o->stdin_fd, o->stdout_fd, o->stderr_fd, o->preserve_fds, sync};
        if ((r = ns_join_paths(s, e)) < 0)
                return r;
        /* In a user namespace our credentials are still the host's (root, which the maps do
         * not name): become the namespace's root, so files we create belong to a mapped id. */
        if (s->namespaces[NS_USER].enabled) {
                if (setgroups(0, NULL) < 0 || setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
                        return berr_sys(e, errno, "becoming root in the user namespace (does "
                                                  "linux.uidMappings map container id 0?)");
        }
        if (s->namespaces[NS_TIME].enabled && !s->namespaces[NS_TIME].path &&
            (r = ns_new_time(s, e)) < 0)
                return r;
        if (s->namespaces[NS_CGROUP].enabled && !s->namespaces[NS_CGROUP].path &&
            unshare(CLONE_NEWCGROUP) < 0)
                return berr_sys(e, errno, "creating the cgroup namespace");
        if (s->namespaces[NS_UTS].enabled && s->hostname &&
            sethostname(s->hostname, strlen(s->hostname)) < 0)
                return berr_sys(e, errno, "hostname: setting \"%s\"", s->hostname);
        if (s->domainname && setdomainname(s->domainname, strlen(s->domainname)) < 0)
                return berr_sys(e, errno, "domainname: setting \"%s\"", s->domainname);
        /* before any filter: profiles allow only a few personalities */
        if (s->has_personality && personality(s->personality) < 0)
                return berr_sys(e, errno, "linux.personality: setting %#lx", s->personality);
        if (s->namespaces[NS_NETWORK].enabled && !s->namespaces[NS_NETWORK].path &&
            (r = ns_loopback_up(e)) < 0)
                return r;
        umask(022);
        if ((r = rootfs_prepare(s, rootfs, e)) < 0 ||
            (r = hooks_before_pivot(s, o, sync, e)) < 0 || (r = rootfs_enter(s, rootfs, e)) < 0 ||
            (r = rootfs_set_propagation(s, e)) < 0 ||
            (r = process_prepare(&s->process, &io, sync, env, exe, exelen, e)) < 0 ||
            (r = sysctl_apply(s, e)) < 0 || (r = rootfs_finish(s, e)) < 0)
                return r;
        return process_finish(&s->process, &io, seccomp, env, exe, exelen, e);
}

_Noreturn void init_run(const struct spec *s, const struct core_create_opts *o, const char *rootfs,
                        const struct seccomp_prog *seccomp, int sync)
{
        struct berr e = {0};
        struct sync_msg m;
        char exe[PATH_MAX];
        /* born non-dumpable (core_clone): until execve, no /proc/PID/exe for the container */
        if (o->die_with_parent)
                prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (sync_recv(sync, &m, NULL) < 0 || m.type != SYNC_GO)
                _exit(125);
        char **env = strv_dup(s->process.env);
        if (!env) {
                berr_set(&e, ENOMEM, "out of memory");
                process_die(sync, &e);
        }
        /* The FIFO lives on the host: hold it before pivot_root hides the host's tree. */
        int fifo = -1;
        if (o->start_fifo && (fifo = open(o->start_fifo, O_PATH | O_CLOEXEC)) < 0) {
                berr_sys(&e, errno, "opening %s", o->start_fifo);
                process_die(sync, &e);
        }
        if (setup(s, o, rootfs, seccomp, sync, &env, exe, sizeof(exe), &e) < 0)
                process_die(sync, &e);
        process_exec(&s->process, sync, fifo, env, exe);
}
