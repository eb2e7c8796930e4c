/* berth-runtime create, start, state, kill, delete, run: the OCI lifecycle. create leaves the
 * init waiting on <state>/exec.fifo (its parent, the caller, reaps it later); start releases it
 * from any process; delete removes the cgroup and the state. */
#include "cli/cli_getopt.h"
#include "cli/runtime/rt.h"

#include "core/cgroup.h"
#include "core/container.h"
#include "core/rootfs.h"
#include "core/spec.h"
#include "core/state.h"
#include "engine/container/monitor.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/proc.h"
#include "util/signals.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct create_args {
        const char *id, *bundle, *config, *pid_file, *console_socket;
        int preserve_fds;
        bool detach;
};

static int parse_create(int argc, char **argv, bool is_run, struct create_args *a,
                        struct berr *e)
{
        static const struct option opts[] = {
                {"bundle", required_argument, NULL, 'b'},
                {"config", required_argument, NULL, 'C'}, /* crun's: another name than config.json */
                {"pid-file", required_argument, NULL, 'p'},
                {"console-socket", required_argument, NULL, 'c'},
                {"preserve-fds", required_argument, NULL, 'F'},
                {"detach", no_argument, NULL, 'd'},
                {"no-pivot", no_argument, NULL, 'N'},      /* berth always uses pivot_root */
                {"no-new-keyring", no_argument, NULL, 'K'}, /* berth makes no keyring */
                {"keep", no_argument, NULL, 'k'},
                {"no-subreaper", no_argument, NULL, 'S'},
                {NULL, 0, NULL, 0}};
        int c;
        memset(a, 0, sizeof(*a));
        a->bundle = ".";
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+:b:dkf:", opts)) != -1) {
                switch (c) {
                case 'b': a->bundle = optarg; break;
                case 'C': a->config = optarg; break;
                case 'p': a->pid_file = optarg; break;
                case 'c': a->console_socket = optarg; break;
                case 'f': a->config = optarg; break;
                case 'F': {
                        char *end;
                        long n = strtol(optarg, &end, 10);
                        if (*end || n < 0 || n > 1000)
                                return berr_set(e, EINVAL, "--preserve-fds: \"%s\" is not a count", optarg);
                        a->preserve_fds = (int)n;
                        break;
                }
                case 'd':
                        if (!is_run)
                                return berr_set(e, EINVAL, "create: unknown flag --detach");
                        a->detach = true;
                        break;
                case 'N': case 'K': case 'k': case 'S': break;
                case ':': return berr_set(e, EINVAL, "%s: flag %s needs a value", argv[0], argv[optind - 1]);
                default: return berr_set(e, EINVAL, "%s: unknown flag %s", argv[0], argv[optind - 1]);
                }
        }
        if (optind != argc - 1)
                return berr_set(e, EINVAL, "%s: requires exactly one container id", argv[0]);
        a->id = argv[optind];
        return 0;
}

/* Everything create does; with fifo false the caller starts the init itself (run). */
/* The host id that container id 0 maps to (itself without a user namespace). */
static uint32_t host_id_of_root(const struct spec_id_mapping *m, size_t n, uint32_t self)
{
        for (size_t i = 0; i < n; i++)
                if (m[i].container_id == 0 && m[i].size > 0)
                        return m[i].host_id;
        return self;
}

/* exec.fifo: the init opens it for writing as the container's user, after its setuid (in a
 * user namespace, as a host id the mapping gives), so it may be written by others, as runc's
 * (0622); it is reached only through the init's O_PATH fd, the state dir being 0700. Its owner
 * is the container's root, who may then open it whatever the mode. */
static int make_start_fifo(const struct spec *spec, const char *path, struct berr *e)
{
        if (mkfifo(path, 0600) < 0)
                return berr_sys(e, errno, "creating %s", path);
        uid_t uid = getuid();
        gid_t gid = getgid();
        if (spec->namespaces[NS_USER].enabled) {
                uid = host_id_of_root(spec->uid_mappings, spec->n_uid_mappings, uid);
                gid = host_id_of_root(spec->gid_mappings, spec->n_gid_mappings, gid);
        }
        if (chmod(path, 0622) < 0 || chown(path, uid, gid) < 0)
                return berr_sys(e, errno, "preparing %s", path);
        return 0;
}

static int do_create(const struct rt_globals *g, const struct create_args *a, bool fifo,
                     bool die_with_parent, char *dir, size_t dirlen, struct core_container *c,
                     struct rt_state *st, struct berr *e)
{
        char bundle[PATH_MAX], cache[PATH_MAX], fifo_path[PATH_MAX + 16];
        struct spec *spec = NULL;
        _cleanup_free_ char *cg = NULL, *cfg = NULL, *cfg_path = NULL;
        int r;
        if ((r = rt_state_dir(g, a->id, dir, (unsigned)dirlen, e)) < 0)
                return r;
        if (!realpath(a->bundle, bundle))
                return berr_sys(e, errno, "--bundle %s", a->bundle);
        if ((r = rt_load_bundle(bundle, a->config, &spec, e)) < 0)
                return r;
        if (spec->process.terminal && !a->console_socket && fifo) {
                spec_free(spec);
                return berr_set(e, EINVAL, "process.terminal is true: --console-socket is required");
        }
        if ((r = mkdir_p(g->root, 0700, e)) < 0) {
                spec_free(spec);
                return r;
        }
        if (mkdir(dir, 0700) < 0) {
                r = errno == EEXIST ? berr_set(e, EEXIST, "container with id \"%s\" already exists", a->id)
                                    : berr_sys(e, errno, "creating %s", dir);
                spec_free(spec);
                return r;
        }
        snprintf(fifo_path, sizeof(fifo_path), "%s/exec.fifo", dir);
        if (fifo && (r = make_start_fifo(spec, fifo_path, e)) < 0)
                goto fail;
        rt_cache_dir(g, cache, sizeof(cache));
        struct core_create_opts co = {.id = a->id, .bundle_dir = bundle, .stdin_fd = 0,
                                      .stdout_fd = 1, .stderr_fd = 2,
                                      .die_with_parent = die_with_parent,
                                      .preserve_fds = a->preserve_fds, .cache_dir = cache,
                                      .start_fifo = fifo ? fifo_path : NULL};
        struct rt_hook_ctx hc = {.spec = spec, .id = a->id, .bundle = bundle};
        if (rt_hooks_any(spec, SPEC_HOOK_PRESTART) || rt_hooks_any(spec, SPEC_HOOK_CREATE_RUNTIME)) {
                co.before_pivot = rt_hooks_before_pivot;
                co.before_pivot_arg = &hc;
        }
        if ((r = core_create(spec, &co, c, e)) < 0) {
                if (hc.failed || strstr(e->msg, "createContainer hook ")) { /* lifecycle step 12 */
                        struct rt_state gone = {.pid = 0};
                        snprintf(gone.id, sizeof(gone.id), "%s", a->id);
                        snprintf(gone.bundle, sizeof(gone.bundle), "%s", bundle);
                        rt_hooks_poststop(g, spec, &gone);
                }
                goto fail;
        }
        memset(st, 0, sizeof(*st));
        snprintf(st->id, sizeof(st->id), "%s", a->id);
        snprintf(st->bundle, sizeof(st->bundle), "%s", bundle);
        snprintf(st->rootfs, sizeof(st->rootfs), "%s%s%s", spec->root_path[0] == '/' ? "" : bundle,
                 spec->root_path[0] == '/' ? "" : "/", spec->root_path);
        st->pid = c->pid;
        st->pid_start = proc_start_time(c->pid);
        st->owner = getuid();
        st->mounts_shared = !spec->namespaces[NS_MOUNT].enabled;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        size_t n = strftime(st->created, sizeof(st->created), "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(st->created + n, sizeof(st->created) - n, ".%09ldZ", ts.tv_nsec);
        cg = cgroup_serialize(&c->cg);
        snprintf(st->cgroup, sizeof(st->cgroup), "%s", cg ? cg : "");
        if (spec->annotations_json)
                st->annotations_json = strdup(spec->annotations_json);
        cfg_path = path_join(dir, "config.json");
        if ((r = spec_to_json(spec, &cfg, e)) < 0 ||
            (r = write_file_atomic(cfg_path, cfg, strlen(cfg), 0600, e)) < 0 ||
            (r = state_save(dir, st, e)) < 0)
                goto fail_started;
        if (c->console_master >= 0 && a->console_socket &&
            (r = rt_send_console(a->console_socket, c->console_master, e)) < 0)
                goto fail_started;
        if (a->pid_file && (r = rt_write_pid_file(a->pid_file, c->pid, e)) < 0)
                goto fail_started;
        spec_free(spec);
        return 0;
fail_started:
        core_abort(c);
        state_clear(st);
fail:
        if (spec && !spec->namespaces[NS_MOUNT].enabled && spec->root_path) {
                /* what the init mounted below the root before it failed */
                char root[PATH_MAX];
                snprintf(root, sizeof(root), "%s%s%s", spec->root_path[0] == '/' ? "" : bundle,
                         spec->root_path[0] == '/' ? "" : "/", spec->root_path);
                struct berr ignore;
                rootfs_release_shared(root, &ignore);
        }
        spec_free(spec);
        {
                struct berr ignore;
                rm_rf(dir, &ignore);
        }
        return r;
}

int rt_create(const struct rt_globals *g, int argc, char **argv)
{
        struct create_args a;
        struct berr e = {0};
        char dir[PATH_MAX];
        struct core_container c;
        struct rt_state st;
        if (parse_create(argc, argv, false, &a, &e) < 0 ||
            do_create(g, &a, true, false, dir, sizeof(dir), &c, &st, &e) < 0)
                return rt_fail(g, &e);
        core_detach(&c); /* the init waits on exec.fifo; the caller is its reaper */
        state_clear(&st);
        return 0;
}

static int load(const struct rt_globals *g, const char *id, char *dir, size_t len,
                struct rt_state *st, struct berr *e)
{
        int r = rt_state_dir(g, id, dir, (unsigned)len, e);
        if (r < 0)
                return r;
        if (access(dir, F_OK) < 0)
                return berr_set(e, ENOENT, "container \"%s\" does not exist", id);
        return state_load(dir, st, e);
}

static int one_id(int argc, char **argv, struct berr *e)
{
        optind = 0;
        if (argc != 2)
                return berr_set(e, EINVAL, "%s: requires exactly one container id", argv[0]);
        return 0;
}

int rt_start(const struct rt_globals *g, int argc, char **argv)
{
        struct berr e = {0};
        struct rt_state st;
        char dir[PATH_MAX], fifo[PATH_MAX + 16];
        if (one_id(argc, argv, &e) < 0 || load(g, argv[1], dir, sizeof(dir), &st, &e) < 0)
                return rt_fail(g, &e);
        const char *status = state_status(dir, &st);
        int r = 0;
        if (strcmp(status, "created")) {
                r = berr_set(&e, EINVAL, "cannot start container \"%s\": it is %s, not created",
                             argv[1], status);
        } else {
                snprintf(fifo, sizeof(fifo), "%s/exec.fifo", dir);
                r = rt_start_with_hooks(dir, &st, fifo, &e);
        }
        state_clear(&st);
        return r < 0 ? rt_fail(g, &e) : 0;
}

int rt_state(const struct rt_globals *g, int argc, char **argv)
{
        struct berr e = {0};
        struct rt_state st;
        char dir[PATH_MAX];
        if (one_id(argc, argv, &e) < 0 || load(g, argv[1], dir, sizeof(dir), &st, &e) < 0)
                return rt_fail(g, &e);
        char *json = state_to_oci_json(dir, &st, 1);
        state_clear(&st);
        if (!json) {
                berr_set(&e, ENOMEM, "out of memory");
                return rt_fail(g, &e);
        }
        puts(json);
        free(json);
        return 0;
}

static int signal_init(const struct rt_state *st, int sig, bool all, struct berr *e)
{
        if (all && st->cgroup[0]) {
                struct cgroup cg;
                pid_t *pids;
                size_t n;
                int r = cgroup_deserialize(st->cgroup, &cg, e);
                if (r == 0 && (r = cgroup_pids(&cg, &pids, &n, e)) == 0) {
                        for (size_t i = 0; i < n; i++)
                                kill(pids[i], sig);
                        free(pids);
                }
                cgroup_release(&cg);
                return r;
        }
        /* Through a pidfd checked against the start time: never a reused pid. */
        int pidfd = (int)syscall(SYS_pidfd_open, st->pid, 0);
        if (pidfd < 0 || proc_start_time(st->pid) != st->pid_start) {
                if (pidfd >= 0)
                        close(pidfd);
                return berr_set(e, ESRCH, "container \"%s\" is not running", st->id);
        }
        int r = (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
        int err = errno;
        close(pidfd);
        return r < 0 ? berr_sys(e, err, "signalling container \"%s\"", st->id) : 0;
}

int rt_kill(const struct rt_globals *g, int argc, char **argv)
{
        struct berr e = {0};
        bool all = false;
        int i = 1;
        for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
                if (!strcmp(argv[i], "--all") || !strcmp(argv[i], "-a"))
                        all = true;
                else {
                        berr_set(&e, EINVAL, "kill: unknown flag %s", argv[i]);
                        return rt_fail(g, &e);
                }
        }
        if (argc - i < 1 || argc - i > 2) {
                berr_set(&e, EINVAL, "kill: usage: kill [--all] ID [SIGNAL]");
                return rt_fail(g, &e);
        }
        int sig = SIGTERM;
        if (argc - i == 2 && signal_parse(argv[i + 1], &sig) < 0) {
                berr_set(&e, EINVAL, "kill: unknown signal \"%s\"", argv[i + 1]);
                return rt_fail(g, &e);
        }
        struct rt_state st;
        char dir[PATH_MAX];
        if (load(g, argv[i], dir, sizeof(dir), &st, &e) < 0)
                return rt_fail(g, &e);
        int r = !strcmp(state_status(dir, &st), "stopped")
                        ? berr_set(&e, ESRCH, "container \"%s\" is not running", argv[i])
                        : signal_init(&st, sig, all, &e);
        state_clear(&st);
        return r < 0 ? rt_fail(g, &e) : 0;
}

/* Waits up to ~5 s for the init to be gone (it is someone else's child: poll its start time). */
static void wait_gone(const struct rt_state *st)
{
        for (int i = 0; i < 500 && proc_start_time(st->pid) == st->pid_start; i++)
                usleep(10000);
}

static int remove_container(const char *dir, const struct rt_state *st, struct berr *e)
{
        int r = 0;
        if (st->mounts_shared && st->rootfs[0] && (r = rootfs_release_shared(st->rootfs, e)) < 0)
                return r;
        if (st->cgroup[0]) {
                struct cgroup cg;
                if ((r = cgroup_deserialize(st->cgroup, &cg, e)) == 0)
                        r = cgroup_destroy(&cg, e);
                cgroup_release(&cg);
        }
        struct berr ignore;
        rm_rf(dir, &ignore);
        return r;
}

int rt_delete(const struct rt_globals *g, int argc, char **argv)
{
        struct berr e = {0};
        bool force = false;
        int i = 1;
        for (; i < argc && argv[i][0] == '-'; i++) {
                if (!strcmp(argv[i], "--force") || !strcmp(argv[i], "-f"))
                        force = true;
                else {
                        berr_set(&e, EINVAL, "delete: unknown flag %s", argv[i]);
                        return rt_fail(g, &e);
                }
        }
        if (argc - i != 1) {
                berr_set(&e, EINVAL, "delete: requires exactly one container id");
                return rt_fail(g, &e);
        }
        struct rt_state st;
        char dir[PATH_MAX];
        if (load(g, argv[i], dir, sizeof(dir), &st, &e) < 0) {
                /* --force on a container that is already gone is not an error (runc). */
                if (force && e.code == -ENOENT)
                        return 0;
                return rt_fail(g, &e);
        }
        const char *status = state_status(dir, &st);
        int r = 0;
        if (!strcmp(status, "running") || !strcmp(status, "paused")) {
                if (!force)
                        r = berr_set(&e, EBUSY, "cannot delete container \"%s\": it is %s (use --force)",
                                     argv[i], status);
        }
        if (r == 0) {
                if (strcmp(status, "stopped")) {
                        /* created, or forced: nothing of it may outlive delete */
                        signal_init(&st, SIGKILL, true, &e);
                        signal_init(&st, SIGKILL, false, &e);
                        wait_gone(&st);
                }
                struct spec *hooks = rt_hooks_load(dir);
                r = remove_container(dir, &st, &e);
                rt_hooks_poststop(g, hooks, &st);
                spec_free(hooks);
        }
        state_clear(&st);
        return r < 0 ? rt_fail(g, &e) : 0;
}

int rt_run(const struct rt_globals *g, int argc, char **argv)
{
        struct create_args a;
        struct berr e = {0};
        char dir[PATH_MAX];
        struct core_container c;
        struct rt_state st;
        struct monitor mon;
        int status = 0, r;
        if (parse_create(argc, argv, true, &a, &e) < 0)
                return rt_fail(g, &e);
        if (a.detach) {
                if (do_create(g, &a, true, false, dir, sizeof(dir), &c, &st, &e) < 0)
                        return rt_fail(g, &e);
                char fifo[PATH_MAX + 16];
                snprintf(fifo, sizeof(fifo), "%s/exec.fifo", dir);
                core_detach(&c);
                r = rt_start_with_hooks(dir, &st, fifo, &e);
                state_clear(&st);
                return r < 0 ? rt_fail(g, &e) : 0;
        }
        /* Foreground: we are the init's parent; the caller's terminal is its terminal. */
        if ((r = monitor_open(&mon, &e)) < 0)
                return rt_fail(g, &e);
        if ((r = do_create(g, &a, false, true, dir, sizeof(dir), &c, &st, &e)) == 0) {
                int console = c.console_master;
                c.console_master = -1;
                if (console >= 0)
                        monitor_copy_winsize(console);
                struct spec *hooks = rt_hooks_load(dir);
                if ((r = rt_hooks_start_container(hooks, &st, &e)) < 0)
                        core_abort(&c);
                else if ((r = core_start(&c, &e)) == 0) {
                        int hr = rt_hooks_run(hooks, SPEC_HOOK_POSTSTART, &st, "running", &e);
                        if (hr < 0)
                                kill(c.pid, SIGKILL);
                        r = monitor_run(&mon, c.pid, console, true, &status, &e);
                        r = hr < 0 ? hr : r;
                }
                if (console >= 0)
                        close(console);
                struct berr ignore;
                if (c.pid > 0)
                        core_cleanup(&c, NULL, &ignore);
                if (st.mounts_shared && st.rootfs[0])
                        rootfs_release_shared(st.rootfs, &ignore);
                rm_rf(dir, &ignore);
                rt_hooks_poststop(g, hooks, &st);
                spec_free(hooks);
                state_clear(&st);
        }
        monitor_close(&mon);
        return r < 0 ? rt_fail(g, &e) : status;
}
