/* berth-runtime's side of the OCI hooks: which state each kind sees, startContainer through
 * core_exec into the created container, warnings for the ones whose failure is not fatal. */
#include "cli/runtime/rt.h"

#include "core/cgroup.h"
#include "core/container.h"
#include "core/hooks.h"
#include "core/spec.h"
#include "core/state.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool rt_hooks_any(const struct spec *s, enum spec_hook_kind k)
{
        return s && s->n_hooks[k] > 0;
}

int rt_hooks_before_pivot(void *arg, pid_t pid, struct berr *e)
{
        struct rt_hook_ctx *hc = arg;
        _cleanup_free_ char *state = hooks_state_json(hc->id, "created", pid, hc->bundle,
                                                      hc->spec->annotations_json);
        if (!state)
                return berr_set(e, ENOMEM, "out of memory");
        int r = hooks_run(hc->spec, SPEC_HOOK_PRESTART, state, e);
        if (r == 0)
                r = hooks_run(hc->spec, SPEC_HOOK_CREATE_RUNTIME, state, e);
        if (r < 0)
                hc->failed = true;
        return r;
}

int rt_hooks_run(const struct spec *s, enum spec_hook_kind k, const struct rt_state *st,
                 const char *status, struct berr *e)
{
        if (!rt_hooks_any(s, k))
                return 0;
        _cleanup_free_ char *state = hooks_state_json(st->id, status,
                                                      strcmp(status, "stopped") ? st->pid : 0,
                                                      st->bundle, st->annotations_json);
        if (!state)
                return berr_set(e, ENOMEM, "out of memory");
        return hooks_run(s, k, state, e);
}

void rt_warn(const struct rt_globals *g, const struct berr *e)
{
        fprintf(stderr, "berth-runtime: warning: %s\n", e->msg);
        rt_log(g, "warning", e->msg);
}

void rt_hooks_poststop(const struct rt_globals *g, const struct spec *s,
                       const struct rt_state *st)
{
        struct berr e = {0};
        if (rt_hooks_any(s, SPEC_HOOK_POSTSTOP) &&
            rt_hooks_run(s, SPEC_HOOK_POSTSTOP, st, "stopped", &e) < 0)
                rt_warn(g, &e);
}

struct spec *rt_hooks_load(const char *dir)
{
        _cleanup_free_ char *path = path_join(dir, "config.json");
        struct spec *s = NULL;
        struct berr ignore;
        if (!path || access(path, F_OK) < 0 || rt_load_bundle(dir, NULL, &s, &ignore) < 0)
                return NULL;
        for (int k = 0; k < SPEC_HOOK__COUNT; k++)
                if (s->n_hooks[k])
                        return s;
        spec_free(s);
        return NULL;
}

/* One startContainer hook: the container's process settings (user, capabilities, rlimits,
 * no_new_privs), the hook's argv and env, in every namespace and the cgroup of the init. */
static int start_hook(const struct spec *s, const struct spec_hook *h, const struct rt_state *st,
                      const struct cgroup *cg, const char *state, struct berr *e)
{
        int in[2], out[2];
        if (pipe2(in, O_CLOEXEC) < 0)
                return berr_sys(e, errno, "startContainer hook %s: creating a pipe", h->path);
        if (pipe2(out, O_CLOEXEC) < 0) {
                close(in[0]);
                close(in[1]);
                return berr_sys(e, errno, "startContainer hook %s: creating a pipe", h->path);
        }
        fcntl(in[1], F_SETFL, O_NONBLOCK);
        if (write(in[1], state, strlen(state)) < 0) {
                /* the hook sees a short stdin; nothing else to do */
        }
        close(in[1]);
        size_t n = 0;
        while (h->args && h->args[n])
                n++;
        char **argv = calloc(n + 2, sizeof(char *));
        char *no_env[] = {NULL};
        char root[] = "/";
        if (!argv) {
                close(in[0]);
                close(out[0]);
                close(out[1]);
                return berr_set(e, ENOMEM, "out of memory");
        }
        /* core_exec runs args[0] (looked up in the container): the hook's path stands there. */
        argv[0] = h->path;
        for (size_t i = 1; i < n; i++)
                argv[i] = h->args[i];
        struct spec_process p = s->process;
        p.terminal = false;
        p.args = argv;
        p.env = h->env ? h->env : no_env;
        p.cwd = root;
        p.apparmor_profile = p.selinux_label = NULL;
        p.has_oom_score_adj = false;
        struct core_create_opts co = {.stdin_fd = in[0], .stdout_fd = out[1], .stderr_fd = out[1],
                                      .die_with_parent = true};
        struct core_container c;
        int r = core_exec(st->pid, cg, &p, NULL, &co, &c, e);
        close(in[0]);
        close(out[1]);
        if (r == 0)
                r = core_start(&c, e);
        free(argv);
        if (r < 0) {
                close(out[0]);
                return berr_wrap(e, "startContainer hook %s", h->path);
        }
        return hook_wait(c.pid, out[0], h, SPEC_HOOK_START_CONTAINER, e);
}

int rt_hooks_start_container(const struct spec *s, const struct rt_state *st, struct berr *e)
{
        if (!rt_hooks_any(s, SPEC_HOOK_START_CONTAINER))
                return 0;
        struct cgroup cg = {0};
        int r = st->cgroup[0] ? cgroup_deserialize(st->cgroup, &cg, e) : 0;
        if (r < 0)
                return r;
        char *state = hooks_state_json(st->id, "created", st->pid, st->bundle,
                                       st->annotations_json);
        if (!state)
                r = berr_set(e, ENOMEM, "out of memory");
        for (size_t i = 0; r == 0 && i < s->n_hooks[SPEC_HOOK_START_CONTAINER]; i++)
                r = start_hook(s, &s->hooks[SPEC_HOOK_START_CONTAINER][i], st, &cg, state, e);
        free(state);
        cgroup_release(&cg);
        return r;
}

/* Stops a container whose start failed in a hook (the spec: stop it; delete does the rest). */
static void stop_container(const struct rt_state *st)
{
        if (st->cgroup[0]) {
                struct cgroup cg;
                struct berr ignore;
                pid_t *pids;
                size_t n;
                if (cgroup_deserialize(st->cgroup, &cg, &ignore) == 0 &&
                    cgroup_pids(&cg, &pids, &n, &ignore) == 0) {
                        for (size_t i = 0; i < n; i++)
                                kill(pids[i], SIGKILL);
                        free(pids);
                }
                cgroup_release(&cg);
        }
        kill(st->pid, SIGKILL);
}

int rt_start_with_hooks(const char *dir, const struct rt_state *st, const char *fifo,
                        struct berr *e)
{
        struct spec *s = rt_hooks_load(dir);
        int r = rt_hooks_start_container(s, st, e);
        if (r < 0)
                stop_container(st);
        else if ((r = core_start_fifo(fifo, st->pid, st->pid_start, e)) == 0 &&
                 (r = rt_hooks_run(s, SPEC_HOOK_POSTSTART, st, "running", e)) < 0)
                stop_container(st);
        spec_free(s);
        return r;
}
