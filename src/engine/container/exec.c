#include "engine/container/exec.h"

#include "core/cgroup.h"
#include "core/container.h"
#include "core/spec.h"
#include "engine/container/containers.h"
#include "engine/container/lookup.h"
#include "engine/container/monitor.h"
#include "engine/container/owner.h"
#include "engine/container/record.h"
#include "engine/container/spec_store.h"
#include "engine/context.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/strv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The container's process, overridden by the exec flags. */
static int build_process(struct spec *s, const struct exec_options *o, struct berr *e)
{
        struct spec_process *p = &s->process;
        strv_free(p->args);
        if (!(p->args = strv_dup(o->cmd)))
                return berr_set(e, ENOMEM, "out of memory");
        for (size_t i = 0; o->env && o->env[i]; i++)
                if (env_set(&p->env, o->env[i]) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
        p->terminal = o->tty;
        if (o->workdir) {
                free(p->cwd);
                if (!(p->cwd = strdup(o->workdir)))
                        return berr_set(e, ENOMEM, "out of memory");
        }
        if (o->user) {
                free(p->user.name);
                p->user.uid = p->user.gid = 0;
                if (!(p->user.name = strdup(o->user)))
                        return berr_set(e, ENOMEM, "out of memory");
        }
        return 0;
}

/* In the exec'd child (core_exec_load): the container's config.json and the exec flags. The
 * spec is never freed: the child execs or dies with it. */
struct child_load {
        const char *cdir;
        const struct exec_options *o;
};

static int load_in_child(void *arg, const struct spec_process **p,
                         const struct spec_seccomp **seccomp, struct berr *e)
{
        const struct child_load *l = arg;
        struct spec *s = NULL;
        int r = spec_store_load(l->cdir, &s, e);
        if (r < 0 || (r = build_process(s, l->o, e)) < 0)
                return r;
        *p = &s->process;
        *seccomp = s->seccomp;
        return 0;
}

static int run(const char *root, pid_t init, const struct cgroup *cg, const char *cdir,
               const struct exec_options *o, int *status, struct berr *e)
{
        char cache[4096];
        snprintf(cache, sizeof(cache), "%s/cache", root);
        struct monitor mon;
        int r = 0;
        if (!o->detach && (r = monitor_open(&mon, e)) < 0)
                return r;
        struct core_create_opts co = {
                .stdin_fd = o->interactive && !o->detach ? STDIN_FILENO : -1,
                .stdout_fd = o->detach ? -1 : STDOUT_FILENO,
                .stderr_fd = o->detach ? -1 : STDERR_FILENO,
                .die_with_parent = !o->detach,
                .cache_dir = cache,
        };
        struct core_container c;
        /* The same capabilities, seccomp filter and no_new_privs as the container's process,
         * read by the child while we move it into the cgroup. */
        struct child_load load = {cdir, o};
        if ((r = core_exec_load(init, cg, load_in_child, &load, &co, &c, e)) == 0) {
                int console = c.console_master;
                c.console_master = -1;
                if (console >= 0)
                        monitor_copy_winsize(console);
                if ((r = core_start(&c, e)) == 0 && !o->detach)
                        r = monitor_run(&mon, c.pid, console, o->interactive, status, e);
                if (console >= 0)
                        close(console);
        }
        if (!o->detach)
                monitor_close(&mon);
        return r;
}

int engine_exec(const struct berth_ctx *ctx, const char *ref, const struct exec_options *o,
                int *status, struct berr *e)
{
        char id[65];
        struct record rec;
        bool removed;
        struct cgroup cg = {0};
        _cleanup_free_ char *cdir = NULL;
        int r = container_find(ctx->root, ref, id, e);
        if (r < 0)
                return r;
        if ((r = container_reconcile(ctx->root, id, &rec, &removed, e)) < 0)
                goto out;
        if (removed || rec.status != REC_RUNNING || !rec.pid ||
            proc_start_time(rec.pid) != rec.pid_start) {
                r = berr_set(e, EINVAL, "container %s is not running", ref);
                goto out;
        }
        if (rec.paused) {
                r = berr_set(e, EINVAL, "container %s is paused: unpause it first", ref);
                goto out;
        }
        if (!(cdir = container_dir(ctx->root, id))) {
                r = berr_set(e, ENOMEM, "out of memory");
                goto out;
        }
        if (rec.cgroup[0] && (r = cgroup_deserialize(rec.cgroup, &cg, e)) < 0)
                goto out;
        r = run(ctx->root, rec.pid, &cg, cdir, o, status, e);
out:
        cgroup_release(&cg);
        record_clear(&rec);
        return r;
}
