/* The caller's side of create/start: clone, the sync protocol, and cleanup on failure. */
#include "core/container.h"

#include "core/clone.h"
#include "core/init.h"
#include "core/namespace.h"
#include "core/seccomp.h"
#include "core/spec.h"
#include "core/sync.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/proc.h"

#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

static int rootfs_path(const struct spec *s, const char *bundle, char *out, struct berr *e)
{
        _cleanup_free_ char *joined = NULL;
        const char *p = s->root_path;
        if (p[0] != '/') {
                if (!(joined = path_join(bundle ? bundle : ".", p)))
                        return berr_set(e, ENOMEM, "out of memory");
                p = joined;
        }
        if (!realpath(p, out))
                return berr_sys(e, errno, "root.path: %s", p);
        return 0;
}

/* Forks the init (inside cg where core_clone can: *in_cg); a pid namespace named by path is
 * entered around the clone, because setns on a pid namespace only affects the caller's future
 * children. */
static pid_t clone_init(const struct spec *s, const struct cgroup *cg, bool *in_cg, struct berr *e)
{
        _cleanup_close_ int target = -1, ours = -1;
        const char *pidns = s->namespaces[NS_PID].enabled ? s->namespaces[NS_PID].path : NULL;
        if (pidns) {
                target = open(pidns, O_RDONLY | O_CLOEXEC);
                ours = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
                if (target < 0 || ours < 0)
                        return berr_sys(e, errno, "linux.namespaces: opening pid namespace %s",
                                        pidns);
                if (setns(target, CLONE_NEWPID) < 0)
                        return berr_sys(e, errno, "linux.namespaces: joining pid namespace %s",
                                        pidns);
        }
        pid_t pid = core_clone((unsigned long)ns_clone_flags(s), cg, in_cg, e);
        if (pid != 0 && pidns)
                setns(ours, CLONE_NEWPID);
        if (pid < 0)
                return berr_wrap(e, "creating the container's namespaces");
        return pid;
}

static void reap(pid_t pid)
{
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
}

static int recv_error(const struct sync_msg *m, struct berr *e)
{
        int r = berr_set(e, m->err ? m->err : EIO, "%s", m->msg);
        if (e)
                e->kind = (enum berr_kind)m->kind;
        return r;
}

int core_handshake_go(struct core_container *c, struct berr *e)
{
        int r = sync_send(c->sync_fd, SYNC_GO);
        return r < 0 ? berr_sys(e, r, "starting the container's setup") : 0;
}

int core_handshake(struct core_container *c, struct berr *e)
{
        int r = core_handshake_go(c, e);
        return r < 0 ? r : core_handshake_ready(c, e);
}

int core_handshake_ready(struct core_container *c, struct berr *e)
{
        int r;
        for (;;) {
                struct sync_msg m;
                int fd;
                if ((r = sync_recv(c->sync_fd, &m, &fd)) < 0)
                        return berr_sys(e, r, "the container's process died during setup");
                if (m.type == SYNC_CONSOLE) {
                        c->console_master = fd;
                } else if (m.type == SYNC_SECCOMP && fd >= 0 && c->listener.path) {
                        r = seccomp_notify_send(&c->listener, c->pid, fd, e);
                        close(fd);
                        if (r < 0)
                                return r;
                } else if (m.type == SYNC_READY) {
                        return 0;
                } else if (m.type == SYNC_HOOKS && c->before_pivot) {
                        if ((r = c->before_pivot(c->before_pivot_arg, c->pid, e)) < 0)
                                return r;
                        if ((r = sync_send(c->sync_fd, SYNC_GO)) < 0)
                                return berr_sys(e, r, "resuming the container's setup");
                } else {
                        if (fd >= 0)
                                close(fd);
                        return m.type == SYNC_ERROR
                                   ? recv_error(&m, e)
                                   : berr_set(e, EPROTO, "unexpected message from the init");
                }
        }
}

int core_create(const struct spec *s, const struct core_create_opts *o, struct core_container *c,
                struct berr *e)
{
        char rootfs[PATH_MAX];
        int sv[2], r;
        memset(c, 0, sizeof(*c));
        c->pid = -1;
        c->sync_fd = c->console_master = -1;
        if ((r = spec_extra_check(s, e)) < 0)
                return r;
        if ((r = rootfs_path(s, o->bundle_dir, rootfs, e)) < 0)
                return r;
        /* Compiled here, before the clone: the init only loads it, and the cache is ours. */
        if (s->seccomp && (r = secfilter_compile(s->seccomp, o->cache_dir, &c->seccomp, e)) < 0)
                return r;
        /* The cgroup and its limits exist before the init does: no moment runs unlimited. */
        if (!o->no_cgroup) {
                bool cpuset = s->resources.cpus || s->resources.mems;
                r = o->cgroup_planned ? cgroup_deserialize(o->cgroup_planned, &c->cg, e)
                                      : cgroup_locate(s->cgroups_path, o->id, cpuset, &c->cg, e);
                if (r < 0 || (r = cgroup_create(&c->cg, &s->resources, e)) < 0) {
                        cgroup_release(&c->cg);
                        secfilter_free(&c->seccomp);
                        return r;
                }
        }
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
                r = berr_sys(e, errno, "creating the sync socket");
                core_abort(c);
                return r;
        }
        bool in_cg = false;
        pid_t pid = clone_init(s, c->cg.n ? &c->cg : NULL, &in_cg, e);
        if (pid == 0) {
                close(sv[0]);
                init_run(s, o, rootfs, s->seccomp ? &c->seccomp : NULL, sv[1]);
        }
        close(sv[1]);
        if (pid < 0) {
                close(sv[0]);
                core_abort(c);
                return pid;
        }
        c->pid = pid;
        c->sync_fd = sv[0];
        if (s->seccomp && s->seccomp->listener_path)
                c->listener = (struct seccomp_listener){s->seccomp->listener_path,
                                                        s->seccomp->listener_metadata,
                                                        s->oci_version, o->id, o->bundle_dir,
                                                        s->annotations_json};
        c->before_pivot = o->before_pivot;
        c->before_pivot_arg = o->before_pivot_arg;
        if (c->cg.n && !in_cg && (r = cgroup_enter(&c->cg, pid, e)) < 0)
                goto fail;
        if (s->namespaces[NS_USER].enabled && !s->namespaces[NS_USER].path &&
            (r = ns_write_id_maps(pid, s, e)) < 0)
                goto fail;
        if ((r = core_handshake(c, e)) == 0) {
                secfilter_free(&c->seccomp); /* the init has its copy */
                return 0;
        }
fail:
        core_abort(c);
        return r;
}

int core_start(struct core_container *c, struct berr *e)
{
        int r = sync_send(c->sync_fd, SYNC_START);
        if (r < 0) {
                core_abort(c);
                return berr_sys(e, r, "starting the container");
        }
        struct sync_msg m;
        r = sync_recv(c->sync_fd, &m, NULL);
        close(c->sync_fd);
        c->sync_fd = -1;
        if (r == -EPIPE)
                return 0; /* the close-on-exec end closed: execve succeeded */
        if (r == 0 && m.type == SYNC_ERROR)
                r = recv_error(&m, e);
        else
                r = berr_sys(e, r < 0 ? r : EPROTO, "starting the container");
        reap(c->pid);
        c->pid = -1;
        struct berr ignore;
        cgroup_destroy(&c->cg, &ignore);
        cgroup_release(&c->cg);
        return r;
}

int core_cleanup(struct core_container *c, bool *oom_killed, struct berr *e)
{
        if (oom_killed)
                *oom_killed = c->cg.n && cgroup_oom_killed(&c->cg);
        int r = c->cg.n ? cgroup_destroy(&c->cg, e) : 0;
        cgroup_release(&c->cg);
        return r;
}

void core_abort(struct core_container *c)
{
        if (c->pid > 0)
                reap(c->pid);
        c->pid = -1;
        if (c->sync_fd >= 0)
                close(c->sync_fd);
        if (c->console_master >= 0)
                close(c->console_master);
        c->sync_fd = c->console_master = -1;
        if (c->cg.n) {
                struct berr ignore;
                cgroup_destroy(&c->cg, &ignore);
        }
        cgroup_release(&c->cg);
        secfilter_free(&c->seccomp);
}

void core_detach(struct core_container *c)
{
        if (c->sync_fd >= 0)
                close(c->sync_fd);
        if (c->console_master >= 0)
                close(c->console_master);
        c->sync_fd = c->console_master = -1;
        cgroup_release(&c->cg); /* the directories stay: delete removes them */
        secfilter_free(&c->seccomp);
}

int core_start_fifo(const char *fifo, pid_t pid, uint64_t pid_start, struct berr *e)
{
        int fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
                return berr_sys(e, errno, "the container was already started (%s)", fifo);
        int r = -ETIMEDOUT;
        for (int i = 0; i < 600; i++) { /* up to a minute, checking the init is alive */
                struct pollfd p = {.fd = fd, .events = POLLIN};
                if (poll(&p, 1, 100) > 0 && (p.revents & POLLIN)) {
                        char b;
                        r = read(fd, &b, 1) == 1 ? 0 : -EPIPE;
                        break;
                }
                if (proc_start_time(pid) != pid_start) {
                        r = -ESRCH;
                        break;
                }
        }
        close(fd);
        if (r == 0)
                unlink(fifo);
        else
                r = berr_set(e, -r, "the container's process exited before it could be started");
        return r;
}
