/* berth-runtime exec: a new process in a running container (runc's flags). The process comes
 * from --process (an OCI process object, parsed by the config.json parser) or from the
 * arguments over the container's own process (<root>/<id>/config.json); seccomp is always the
 * container's. --cap adds to bounding, effective and permitted, never to inheritable
 * (CVE-2022-29162: an inheritable capability would survive into a setuid-less exec). */
#include "cli/cli_getopt.h"
#include "cli/runtime/rt.h"

#include "core/cgroup.h"
#include "core/container.h"
#include "core/spec.h"
#include "core/state.h"
#include "engine/container/monitor.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct exec_args {
        const char *id, *process, *console_socket, *pid_file, *cwd, *user;
        char **env, **caps, **args; /* strv (args: borrowed argv) */
        bool tty, detach, no_new_privs;
        int preserve_fds;
};

static int parse(int argc, char **argv, struct exec_args *a, struct berr *e)
{
        static const struct option opts[] = {
                {"process", required_argument, NULL, 'p'},
                {"tty", no_argument, NULL, 't'},
                {"console-socket", required_argument, NULL, 'c'},
                {"detach", no_argument, NULL, 'd'},
                {"pid-file", required_argument, NULL, 'P'},
                {"cwd", required_argument, NULL, 'w'},
                {"env", required_argument, NULL, 'e'},
                {"user", required_argument, NULL, 'u'},
                {"cap", required_argument, NULL, 'C'},
                {"preserve-fds", required_argument, NULL, 'f'},
                {"no-new-privs", no_argument, NULL, 'n'},
                {"additional-gids", required_argument, NULL, 'g'},
                {"process-label", required_argument, NULL, 'l'},
                {"apparmor", required_argument, NULL, 'a'},
                {"ignore-paused", no_argument, NULL, 'i'},
                {NULL, 0, NULL, 0}};
        int c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+:p:tdw:e:u:c:g:", opts)) != -1) {
                switch (c) {
                case 'p': a->process = optarg; break;
                case 't': a->tty = true; break;
                case 'c': a->console_socket = optarg; break;
                case 'd': a->detach = true; break;
                case 'P': a->pid_file = optarg; break;
                case 'w': a->cwd = optarg; break;
                case 'u': a->user = optarg; break;
                case 'n': a->no_new_privs = true; break;
                case 'e':
                        if (!strchr(optarg, '='))
                                return berr_set(e, EINVAL, "exec: --env \"%s\" is not KEY=VALUE", optarg);
                        if (strv_push(&a->env, optarg) < 0)
                                return berr_set(e, ENOMEM, "out of memory");
                        break;
                case 'C':
                        if (spec_cap_from_name(optarg) < 0)
                                return berr_set(e, EINVAL, "exec: --cap: unknown capability \"%s\"", optarg);
                        if (strv_push(&a->caps, optarg) < 0)
                                return berr_set(e, ENOMEM, "out of memory");
                        break;
                case 'f': {
                        char *end;
                        long n = strtol(optarg, &end, 10);
                        if (*end || n < 0 || n > 1000)
                                return berr_set(e, EINVAL, "exec: --preserve-fds: \"%s\" is not a count", optarg);
                        a->preserve_fds = (int)n;
                        break;
                }
                case 'g': case 'l': case 'a':
                        return berr_set(e, EOPNOTSUPP, "exec: %s is not supported by berth-runtime",
                                        argv[optind - 1]);
                case 'i': break;
                case ':': return berr_set(e, EINVAL, "exec: flag %s needs a value", argv[optind - 1]);
                default: return berr_set(e, EINVAL, "exec: unknown flag %s", argv[optind - 1]);
                }
        }
        if (optind >= argc)
                return berr_set(e, EINVAL, "exec: requires a container id");
        a->id = argv[optind];
        a->args = argv + optind + 1;
        if (!a->process && !a->args[0])
                return berr_set(e, EINVAL, "exec: a command (ARGS...) or --process is required");
        if (a->process && a->args[0])
                return berr_set(e, EINVAL, "exec: give either --process or a command, not both");
        return 0;
}

/* An OCI process object through the config.json parser: every check config.json gets. */
static int process_from_file(const char *path, struct spec *s, struct berr *e)
{
        json_error_t jerr;
        json_t *p = !strcmp(path, "-") ? json_loadf(stdin, 0, &jerr) : json_load_file(path, 0, &jerr);
        if (!p)
                return berr_set(e, EINVAL, "--process %s: not valid JSON (line %d): %s", path,
                                jerr.line, jerr.text);
        json_t *doc = json_pack("{s:s,s:o,s:{s:s}}", "ociVersion", "1.0.0", "process", p, "root",
                                "path", "/");
        _cleanup_free_ char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
        json_decref(doc);
        if (!text)
                return berr_set(e, ENOMEM, "out of memory");
        struct spec *ps;
        int r = spec_from_json(text, strlen(text), &ps, e);
        if (r < 0)
                return berr_wrap(e, "--process %s", path);
        struct spec_process tmp = s->process;
        s->process = ps->process;
        ps->process = tmp; /* the container's old process is freed with ps */
        spec_free(ps);
        return 0;
}

static int parse_user(const char *u, struct spec_process *p, struct berr *e)
{
        unsigned uid, gid = 0;
        char rest;
        int n = sscanf(u, "%u:%u%c", &uid, &gid, &rest);
        if (!(n == 2 || (n == 1 && !strchr(u, ':'))) || strspn(u, "0123456789:") != strlen(u))
                return berr_set(e, EINVAL, "exec: --user \"%s\" is not UID[:GID]", u);
        p->user.uid = uid;
        p->user.gid = n == 2 ? gid : 0;
        free(p->user.name);
        p->user.name = NULL;
        return 0;
}

static int build_process(const struct exec_args *a, struct spec *s, struct berr *e)
{
        struct spec_process *p = &s->process;
        int r;
        if (a->process) {
                if ((r = process_from_file(a->process, s, e)) < 0)
                        return r;
        } else {
                strv_free(p->args);
                if (!(p->args = strv_dup(a->args)))
                        return berr_set(e, ENOMEM, "out of memory");
                p->terminal = false;
        }
        if (a->tty)
                p->terminal = true;
        for (size_t i = 0; a->env && a->env[i]; i++)
                if (env_set(&p->env, a->env[i]) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
        if (a->cwd) {
                if (a->cwd[0] != '/')
                        return berr_set(e, EINVAL, "exec: --cwd \"%s\" is not an absolute path", a->cwd);
                free(p->cwd);
                if (!(p->cwd = strdup(a->cwd)))
                        return berr_set(e, ENOMEM, "out of memory");
        }
        if (a->user && (r = parse_user(a->user, p, e)) < 0)
                return r;
        if (a->no_new_privs)
                p->no_new_privileges = true;
        for (size_t i = 0; a->caps && a->caps[i]; i++) {
                uint64_t bit = 1ULL << spec_cap_from_name(a->caps[i]);
                p->caps.set = true;
                p->caps.bounding |= bit;
                p->caps.effective |= bit;
                p->caps.permitted |= bit;
                /* never inheritable (CVE-2022-29162); ambient only where inheritable already
                 * allows it, as runc */
                if (p->caps.inheritable & bit)
                        p->caps.ambient |= bit;
        }
        if (p->terminal && a->detach && !a->console_socket)
                return berr_set(e, EINVAL, "exec: --tty with --detach needs --console-socket");
        return 0;
}

int rt_exec(const struct rt_globals *g, int argc, char **argv)
{
        struct exec_args a = {0};
        struct berr e = {0};
        struct rt_state st = {0};
        struct spec *s = NULL;
        struct cgroup cg = {0};
        char dir[PATH_MAX], cache[PATH_MAX];
        struct monitor mon;
        bool mon_open = false;
        int r, status = 0;
        if ((r = parse(argc, argv, &a, &e)) < 0 ||
            (r = rt_load_state(g, a.id, dir, sizeof(dir), &st, &e)) < 0)
                goto out;
        const char *state = state_status(dir, &st);
        if (!strcmp(state, "stopped")) {
                r = berr_set(&e, EINVAL, "container %s is not running", a.id);
                goto out;
        }
        if (!strcmp(state, "paused")) {
                r = berr_set(&e, EINVAL, "container %s is paused: resume it first", a.id);
                goto out;
        }
        if ((r = rt_load_bundle(dir, NULL, &s, &e)) < 0 || (r = build_process(&a, s, &e)) < 0)
                goto out;
        if (st.cgroup[0] && (r = cgroup_deserialize(st.cgroup, &cg, &e)) < 0)
                goto out;
        if (!a.detach) {
                if ((r = monitor_open(&mon, &e)) < 0)
                        goto out;
                mon_open = true;
        }
        rt_cache_dir(g, cache, sizeof(cache));
        struct core_create_opts co = {.stdin_fd = 0, .stdout_fd = 1, .stderr_fd = 2,
                                      .die_with_parent = !a.detach,
                                      .preserve_fds = a.preserve_fds, .cache_dir = cache};
        struct core_container c;
        if ((r = core_exec(st.pid, &cg, &s->process, s->seccomp, &co, &c, &e)) < 0)
                goto out;
        int console = c.console_master;
        c.console_master = -1;
        if (console >= 0 && a.console_socket) {
                r = rt_send_console(a.console_socket, console, &e);
                close(console);
                console = -1;
                if (r < 0) {
                        core_abort(&c);
                        goto out;
                }
        }
        if (console >= 0)
                monitor_copy_winsize(console);
        if ((r = core_start(&c, &e)) == 0 && a.pid_file)
                r = rt_write_pid_file(a.pid_file, c.pid, &e);
        if (r == 0 && !a.detach)
                r = monitor_run(&mon, c.pid, console, true, &status, &e);
        if (console >= 0)
                close(console);
out:
        if (mon_open)
                monitor_close(&mon);
        cgroup_release(&cg);
        spec_free(s);
        state_clear(&st);
        strv_free(a.env);
        strv_free(a.caps);
        return r < 0 ? rt_fail(g, &e) : status;
}
