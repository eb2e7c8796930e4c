/* Running a created container: in the foreground (berth run), or handed to a detached monitor
 * process (run -d, start). Either way one process owns the container until it exits: it holds
 * the owner lock, is the init's parent, records the exit and cleans up. */
#include "engine/container/launch.h"

#include "core/cgroup.h"
#include "core/container.h"
#include "core/spec.h"
#include "engine/container/containers.h"
#include "engine/container/monitor.h"
#include "engine/container/monitor_detached.h"
#include "engine/container/record_lock.h"
#include "engine/container/sync_notify.h"
#include "engine/context.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The record says running, with the pid's start time and where its cgroup is. */
static int mark_running(struct launch *l, const struct core_container *c, struct berr *e)
{
        l->rec.status = REC_RUNNING;
        l->rec.pid = c->pid;
        l->rec.pid_start = proc_start_time(c->pid);
        rfc3339_now(l->rec.started_at);
        _cleanup_free_ char *cg = cgroup_serialize(&c->cg);
        snprintf(l->rec.cgroup, sizeof(l->rec.cgroup), "%s", cg ? cg : "");
        strv_free(l->warnings);
        l->warnings = strv_dup(c->cg.warnings);
        return record_write(l->cdir, &l->rec, e);
}

void launch_finish(struct launch *l, struct core_container *c, int status)
{
        struct berr ignore;
        core_cleanup(c, &l->rec.oom_killed, &ignore);
        /* After the cgroup's last process is gone: the namespace (and the veth) goes with it. */
        net_release(l->ctx->root, l->rec.id, &l->net);
        /* Under the record lock, with the name as it is now: `rename` may have changed it. */
        int rlock = record_lock(l->cdir, &ignore);
        struct record cur;
        if (record_read(l->cdir, &cur, &ignore) == 0)
                memcpy(l->rec.name, cur.name, sizeof(l->rec.name));
        record_clear(&cur);
        if (l->rec.auto_remove) {
                container_remove_files(l->ctx->root, l->rec.id, l->rec.name, &ignore);
                if (rlock >= 0)
                        close(rlock);
                return;
        }
        l->rec.status = REC_EXITED;
        l->rec.exit_code = status;
        l->rec.pid = 0;
        l->rec.paused = false;
        rfc3339_now(l->rec.finished_at);
        record_write(l->cdir, &l->rec, &ignore);
        if (rlock >= 0)
                close(rlock);
}

/* core_create + mark_running + core_start; on failure the container is gone (not the dir). */
static int start_init(struct launch *l, const struct core_create_opts *co,
                      struct core_container *c, int *console, struct berr *e)
{
        int r = net_prepare_spec(l->ctx->root, l->cdir, l->spec, e);
        if (r < 0 || (r = core_create(l->spec, co, c, e)) < 0)
                return r;
        /* The init waits at the sync point: its network is set up from here, so the command
         * starts with eth0, its address and route ready. */
        if ((r = net_attach(l->ctx->root, l->cdir, l->rec.id, l->rec.name, c->pid, &l->net, e)) < 0) {
                core_abort(c);
                return r;
        }
        if ((r = mark_running(l, c, e)) < 0) {
                core_abort(c);
                net_release(l->ctx->root, l->rec.id, &l->net);
                return r;
        }
        *console = c->console_master;
        c->console_master = -1;
        if (*console >= 0)
                monitor_copy_winsize(*console);
        if ((r = core_start(c, e)) < 0 && *console >= 0) {
                close(*console);
                *console = -1;
        }
        if (r < 0)
                net_release(l->ctx->root, l->rec.id, &l->net);
        return r;
}

int launch_foreground(struct launch *l, bool interactive, int *status, struct berr *e)
{
        struct monitor mon;
        int r = monitor_open(&mon, e);
        if (r < 0)
                return r;
        char cache[4096];
        snprintf(cache, sizeof(cache), "%s/cache", l->ctx->root);
        struct core_create_opts co = {
                .id = l->rec.id,
                .cgroup_planned = l->cgroup_planned ? l->rec.cgroup : NULL,
                .cache_dir = cache,
                .stdin_fd = interactive ? STDIN_FILENO : -1,
                .stdout_fd = STDOUT_FILENO,
                .stderr_fd = STDERR_FILENO,
                .die_with_parent = true,
        };
        struct core_container c;
        int console = -1;
        if ((r = start_init(l, &co, &c, &console, e)) == 0) {
                r = monitor_run(&mon, c.pid, console, interactive, status, e);
                if (console >= 0)
                        close(console);
                launch_finish(l, &c, r == 0 ? *status : 125);
        }
        monitor_close(&mon);
        return r;
}

/* Closes what the CLI inherited from its caller and did not open itself (all of berth's own
 * fds are close-on-exec): a pipe the caller reads to EOF, a socket, a terminal. */
static void close_inherited(void)
{
        DIR *d = opendir("/proc/self/fd");
        if (!d)
                return;
        struct dirent *de;
        while ((de = readdir(d))) {
                int fd = atoi(de->d_name), flags;
                if (fd > 2 && fd != dirfd(d) && (flags = fcntl(fd, F_GETFD)) >= 0 &&
                    !(flags & FD_CLOEXEC))
                        close(fd);
        }
        closedir(d);
}

/* The monitor's side: it was forked twice and is in its own session. */
static _Noreturn void monitor_main(struct launch *l, int notify)
{
        struct berr e = {0};
        /* Hold no fd of the CLI: a caller reading our stdout, as in $(berth run -d ...), must
         * see EOF as soon as the CLI exits. */
        close_inherited();
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        for (int fd = 0; fd < 3; fd++)
                dup2(null, fd);
        if (null > 2)
                close(null);
        /* Orphans of the container are ours to reap, not init's. */
        prctl(PR_SET_CHILD_SUBREAPER, 1);
        struct monitor_io io;
        struct core_container c;
        int console = -1;
        int r = monitor_detached_open(&io, l->cdir, &e);
        char cache[4096];
        snprintf(cache, sizeof(cache), "%s/cache", l->ctx->root);
        struct core_create_opts co = {
                .id = l->rec.id,
                .cgroup_planned = l->cgroup_planned ? l->rec.cgroup : NULL,
                .cache_dir = cache,
                .stdin_fd = -1,
                .stdout_fd = io.out[1],
                .stderr_fd = io.err[1],
                .die_with_parent = true, /* a killed monitor takes its container along */
        };
        if (r == 0)
                r = start_init(l, &co, &c, &console, &e);
        notify_send(notify, r, &e, l->warnings);
        close(notify);
        if (r < 0) {
                monitor_detached_close(&io);
                _exit(1);
        }
        /* From here on the monitor only copies output and waits: berth-monitor does that in a
         * fraction of this process's memory, and runs `berth _monitor-exit` at the end. */
        char lock[16];
        snprintf(lock, sizeof(lock), "%d", l->lock);
        char *const finish[] = {"berth", "--root", (char *)l->ctx->root, "_monitor-exit",
                                l->rec.id, lock, NULL};
        /* It keeps the owner lock and the sockets that hold the container's host ports. (Left
         * inheritable if the exec fails: this process execs nothing else.) */
        fcntl(l->lock, F_SETFD, 0);
        for (size_t i = 0; i < l->net.n_fds; i++)
                fcntl(l->net.fds[i], F_SETFD, 0);
        monitor_detached_exec(&io, c.pid, console, finish, &e);
        /* No berth-monitor: the same loop, here. */
        int status = monitor_detached_run(&io, c.pid, console);
        launch_finish(l, &c, status);
        monitor_detached_close(&io);
        _exit(0);
}

int launch_exited(const struct berth_ctx *ctx, const char *id, int lock, int status,
                  struct berr *e)
{
        struct launch l = {.ctx = ctx, .lock = -1, .dir_lock = -1};
        struct stat held, ours;
        int r;
        if (!(l.cdir = container_dir(ctx->root, id)))
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_free_ char *path = path_join(l.cdir, "lock");
        /* Only the owner may record the exit: lock must be this container's lock file, and
         * locking it again must succeed (it does for the open file that holds it). */
        if (!path || fstat(lock, &held) < 0 || stat(path, &ours) < 0 ||
            held.st_dev != ours.st_dev || held.st_ino != ours.st_ino ||
            flock(lock, LOCK_EX | LOCK_NB) < 0) {
                r = berr_set(e, EPERM, "fd %d is not the owner lock of container %s", lock, id);
                free(l.cdir);
                return r;
        }
        l.lock = lock;
        if ((r = record_read(l.cdir, &l.rec, e)) == 0) {
                struct core_container c = {.pid = -1, .sync_fd = -1, .console_master = -1};
                struct berr ignore;
                if (l.rec.cgroup[0])
                        cgroup_deserialize(l.rec.cgroup, &c.cg, &ignore);
                launch_finish(&l, &c, status);
        }
        launch_release(&l);
        return r;
}

int launch_detached(struct launch *l, struct berr *e)
{
        int p[2];
        l->rec.detached = true; /* the monitor's record writes carry it */
        if (pipe2(p, O_CLOEXEC) < 0)
                return berr_sys(e, errno, "creating a pipe");
        /* Double fork: the monitor is no child of the CLI (which returns at once) and, not
         * being a session leader, can never acquire a controlling terminal. */
        pid_t pid = fork();
        if (pid < 0) {
                close(p[0]);
                close(p[1]);
                return berr_sys(e, errno, "forking the monitor");
        }
        if (pid == 0) {
                close(p[0]);
                setsid();
                pid_t m = fork();
                if (m != 0)
                        _exit(m < 0 ? 1 : 0);
                monitor_main(l, p[1]);
        }
        close(p[1]);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
        int r = notify_recv(p[0], e, &l->warnings);
        close(p[0]);
        return r;
}
