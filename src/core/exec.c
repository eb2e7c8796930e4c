/* Joining a running container (exec): the new process enters every namespace of the init at
 * once through its pidfd (setns with a pidfd, Linux 5.8), and its cgroup, before anything of the
 * user's runs. The pid namespace applies to children only, so the parent enters it around the
 * clone, as core_create does for a pid namespace named by path. */
#include "core/container.h"

#include "core/clone.h"
#include "core/process.h"
#include "core/process_tune.h"
#include "core/seccomp.h"
#include "core/spec.h"
#include "core/sync.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/strv.h"

#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Which of the target's namespaces differ from ours: joining one's own user namespace is an
 * error, and joining the others that are shared is pointless. */
static int differing_namespaces(pid_t target)
{
        static const struct {
                const char *name;
                int flag;
        } ns[] = {{"mnt", CLONE_NEWNS},  {"uts", CLONE_NEWUTS},       {"ipc", CLONE_NEWIPC},
                  {"net", CLONE_NEWNET}, {"cgroup", CLONE_NEWCGROUP}, {"user", CLONE_NEWUSER},
                  {"time", CLONE_NEWTIME}};
        int flags = 0;
        for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
                char a[64], b[64];
                struct stat sa, sb;
                snprintf(a, sizeof(a), "/proc/%d/ns/%s", (int)target, ns[i].name);
                snprintf(b, sizeof(b), "/proc/self/ns/%s", ns[i].name);
                if (stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_ino != sb.st_ino)
                        flags |= ns[i].flag;
        }
        return flags;
}

/* What the exec'd process is: given, or made by a loader in the child. */
struct exec_what {
        const struct spec_process *p;
        const struct seccomp_prog *sc;
        const struct spec_seccomp *seccomp_spec; /* its listenerPath, when given */
        core_exec_load_fn load;
        void *arg;
};

static _Noreturn void exec_child(struct exec_what w, const struct core_create_opts *o, int pidfd,
                                 int nsflags, int sync)
{
        struct berr e = {0};
        struct sync_msg m;
        char exe[PATH_MAX];
        struct process_io io = {o->stdin_fd, o->stdout_fd, o->stderr_fd, o->preserve_fds, sync};
        /* Born non-dumpable (core_clone): no container process opens our /proc/PID/exe, the
         * host's berth, before execve replaces it. */
        if (o->die_with_parent)
                prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (sync_recv(sync, &m, NULL) < 0 || m.type != SYNC_GO)
                _exit(125);
        struct seccomp_prog prog = {0};
        if (w.load) {
                const struct spec_seccomp *seccomp = NULL;
                if (w.load(w.arg, &w.p, &seccomp, &e) < 0 ||
                    (seccomp && secfilter_compile(seccomp, o->cache_dir, &prog, &e) < 0))
                        process_die(sync, &e);
                w.sc = seccomp ? &prog : NULL;
        }
        const struct spec_process *p = w.p;
        const struct seccomp_prog *sc = w.sc;
        /* All at once: mount, uts, ipc, net, cgroup (and user). Joining the mount namespace
         * also moves root and cwd to the container's root. */
        if (nsflags && setns(pidfd, nsflags) < 0) {
                berr_sys(&e, errno, "joining the container's namespaces");
                process_die(sync, &e);
        }
        close(pidfd);
        char **env = strv_dup(p->env);
        if (!env) {
                berr_set(&e, ENOMEM, "out of memory");
                process_die(sync, &e);
        }
        if (process_prepare(p, &io, sync, &env, exe, sizeof(exe), &e) < 0 ||
            process_finish(p, &io, sc, &env, exe, sizeof(exe), &e) < 0)
                process_die(sync, &e);
        process_exec(p, sync, -1, env, exe);
}

static int exec_spawn(pid_t target, const struct cgroup *cg, struct exec_what w,
                      const struct core_create_opts *o, struct core_container *c, struct berr *e);

int core_exec(pid_t target, const struct cgroup *cg, const struct spec_process *p,
              const struct spec_seccomp *seccomp, const struct core_create_opts *o,
              struct core_container *c, struct berr *e)
{
        struct seccomp_prog prog = {0};
        int r = seccomp ? secfilter_compile(seccomp, o->cache_dir, &prog, e) : 0;
        if (r < 0)
                return r;
        struct exec_what w = {.p = p, .sc = seccomp ? &prog : NULL, .seccomp_spec = seccomp};
        r = exec_spawn(target, cg, w, o, c, e);
        secfilter_free(&prog);
        return r;
}

int core_exec_load(pid_t target, const struct cgroup *cg, core_exec_load_fn load, void *arg,
                   const struct core_create_opts *o, struct core_container *c, struct berr *e)
{
        struct exec_what w = {.load = load, .arg = arg};
        return exec_spawn(target, cg, w, o, c, e);
}

static int exec_spawn(pid_t target, const struct cgroup *cg, struct exec_what w,
                      const struct core_create_opts *o, struct core_container *c, struct berr *e)
{
        memset(c, 0, sizeof(*c));
        c->pid = -1;
        c->sync_fd = c->console_master = -1;
        _cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, target, 0);
        _cleanup_close_ int ours = open("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
        if (pidfd < 0)
                return berr_sys(e, errno, "the container's process %d is gone", (int)target);
        if (ours < 0)
                return berr_sys(e, errno, "opening /proc/self/ns/pid_for_children");
        int nsflags = differing_namespaces(target);
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
                return berr_sys(e, errno, "creating the sync socket");
        if (setns(pidfd, CLONE_NEWPID) < 0) {
                int r = berr_sys(e, errno, "entering the container's pid namespace");
                close(sv[0]);
                close(sv[1]);
                return r;
        }
        bool in_cg = false;
        /* execCPUAffinity.initial is ours, the runtime's, until the child leaves for the
         * container's cgroup: it inherits it */
        int ra = w.p ? process_affinity_initial(w.p, e) : 0;
        pid_t pid = ra < 0 ? ra : core_clone(0, cg && cg->n ? cg : NULL, &in_cg, e);
        if (pid == 0) {
                close(sv[0]);
                exec_child(w, o, pidfd, nsflags, sv[1]);
        }
        setns(ours, CLONE_NEWPID); /* back: our later children are ours again */
        close(sv[1]);
        if (pid < 0) {
                close(sv[0]);
                return berr_wrap(e, "creating the exec process");
        }
        c->pid = pid;
        c->sync_fd = sv[0];
        if (w.seccomp_spec && w.seccomp_spec->listener_path)
                c->listener = (struct seccomp_listener){w.seccomp_spec->listener_path,
                                                        w.seccomp_spec->listener_metadata, NULL,
                                                        o->id, o->bundle_dir, NULL};
        /* The child (loads its process and filter,) joins the namespaces and sets up its
         * credentials, capabilities and filter while we move it into the container's cgroup: on
         * a v1 host a write per hierarchy, the first waiting for an RCU grace period (on v2 it
         * was born there: core_clone). It runs nothing of the user's before START. When both
         * fail, the child's own error says more (it died first). */
        struct berr cg_err = {0};
        int r = core_handshake_go(c, e);
        int rcg = r == 0 && cg && cg->n && !in_cg ? cgroup_enter(cg, pid, &cg_err) : 0;
        if (r == 0)
                r = core_handshake_ready(c, e);
        if (r == 0 && rcg < 0) {
                *e = cg_err;
                r = rcg;
        }
        if (r == 0 && w.p)
                r = process_affinity_final(w.p, pid, e);
        if (r == 0)
                return 0;
        core_abort(c); /* cg is not c->cg: the container's cgroup stays */
        return r;
}
