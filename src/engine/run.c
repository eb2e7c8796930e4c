/* `berth run` in the foreground: image -> container directory -> spec -> core -> monitor ->
 * record -> cleanup. Every failure before the command runs removes what was made. */
#include "engine/run.h"

#include "core/container.h"
#include "core/spec.h"
#include "engine/containers.h"
#include "engine/context.h"
#include "engine/image.h"
#include "engine/monitor.h"
#include "engine/record.h"
#include "engine/resolv.h"
#include "engine/runspec.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void run_options_free(struct run_options *o)
{
        strv_free(o->env);
        strv_free(o->entrypoint);
        strv_free(o->cmd);
        o->env = o->entrypoint = o->cmd = NULL;
        spec_resources_clear(&o->res);
        free(o->rlimits);
        o->rlimits = NULL;
        o->n_rlimits = 0;
}

/* The container's directory: upper/ and work/ for the overlay, merged/ as its mount point. */
static int make_dirs(const char *cdir, struct berr *e)
{
        static const char *const subs[] = {"upper", "work", "merged"};
        if (mkdir(cdir, 0700) < 0) {
                int r = errno == ENOENT ? mkdir_p(cdir, 0700, e) : berr_sys(e, errno, "%s", cdir);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < 3; i++) {
                _cleanup_free_ char *p = path_join(cdir, subs[i]);
                if (!p)
                        return berr_set(e, ENOMEM, "out of memory");
                if (mkdir(p, 0755) < 0)
                        return berr_sys(e, errno, "creating %s", p);
        }
        return 0;
}

static int write_etc(const char *cdir, const char *hostname, struct berr *e)
{
        _cleanup_free_ char *host = NULL, *filtered = NULL;
        _cleanup_free_ char *upper = path_join(cdir, "upper");
        struct berr ignore;
        if (read_file("/etc/resolv.conf", &host, NULL, &ignore) < 0)
                host = strdup("");
        if (!upper || !host || !(filtered = resolv_filter(host)))
                return berr_set(e, ENOMEM, "out of memory");
        return runspec_write_etc(upper, hostname, filtered, e);
}

struct run_state {
        const struct berth_ctx *ctx;
        const struct run_options *o;
        struct image img;
        struct record rec;
        char *cdir;
        bool name_reserved, dir_made;
        char **warnings;
};

static int prepare(struct run_state *st, struct spec **spec, struct berr *e)
{
        const struct run_options *o = st->o;
        int r = image_resolve(st->ctx->root, st->ctx->datadir, o->image, &st->img, e);
        if (r < 0)
                return r;
        if ((r = container_new_id(st->rec.id, e)) < 0)
                return r;
        if (o->name)
                snprintf(st->rec.name, sizeof(st->rec.name), "%s", o->name);
        else
                container_default_name(st->rec.id, st->rec.name, sizeof(st->rec.name));
        if ((r = container_name_reserve(st->ctx->root, st->rec.name, st->rec.id, e)) < 0)
                return r;
        st->name_reserved = true;
        if (!(st->cdir = container_dir(st->ctx->root, st->rec.id)))
                return berr_set(e, ENOMEM, "out of memory");
        if ((r = make_dirs(st->cdir, e)) < 0)
                return r;
        st->dir_made = true;
        char hostname[64];
        snprintf(hostname, sizeof(hostname), "%s", o->hostname ? o->hostname : st->rec.id);
        if (!o->hostname)
                hostname[12] = '\0'; /* docker: the short id */
        if ((r = write_etc(st->cdir, hostname, e)) < 0 ||
            (r = runspec_build(&st->img, o, st->cdir, hostname, spec, e)) < 0)
                return r;
        /* --cgroup-parent P: the container's cgroup is P/<id>, as docker names it. */
        if (o->cgroup_parent &&
            asprintf(&(*spec)->cgroups_path, "%s/%s", o->cgroup_parent, st->rec.id) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        snprintf(st->rec.image, sizeof(st->rec.image), "%s", st->img.ref ? st->img.ref : o->image);
        snprintf(st->rec.image_id, sizeof(st->rec.image_id), "%s", st->img.id);
        st->rec.command = (*spec)->process.args;
        st->rec.auto_remove = o->rm;
        rfc3339_now(st->rec.created);
        return 0;
}

static void undo(struct run_state *st)
{
        struct berr ignore;
        if (st->dir_made)
                rm_rf(st->cdir, &ignore);
        if (st->name_reserved)
                container_name_release(st->ctx->root, st->rec.name);
}

static int run_container(struct run_state *st, const struct spec *spec, int *status,
                         struct berr *e)
{
        struct monitor mon;
        _cleanup_free_ char *cgtext = NULL;
        int r = monitor_open(&mon, e);
        if (r < 0)
                return r;
        struct core_create_opts co = {
                .id = st->rec.id,
                .stdin_fd = st->o->interactive ? STDIN_FILENO : -1,
                .stdout_fd = STDOUT_FILENO,
                .stderr_fd = STDERR_FILENO,
                .die_with_parent = true,
        };
        struct core_container c;
        if ((r = core_create(spec, &co, &c, e)) < 0)
                goto out;
        st->rec.status = REC_RUNNING;
        st->rec.pid = c.pid;
        st->rec.pid_start = proc_start_time(c.pid);
        rfc3339_now(st->rec.started_at);
        cgtext = cgroup_serialize(&c.cg);
        snprintf(st->rec.cgroup, sizeof(st->rec.cgroup), "%s", cgtext ? cgtext : "");
        st->warnings = strv_dup(c.cg.warnings);
        if ((r = record_write(st->cdir, &st->rec, e)) < 0) {
                core_abort(&c);
                goto out;
        }
        int console = c.console_master;
        c.console_master = -1;
        if (console >= 0)
                monitor_copy_winsize(console);
        if ((r = core_start(&c, e)) < 0) {
                if (console >= 0)
                        close(console);
                goto out;
        }
        r = monitor_run(&mon, c.pid, console, st->o->interactive, status, e);
        if (console >= 0)
                close(console);
        struct berr cleanup_err;
        if (core_cleanup(&c, &st->rec.oom_killed, &cleanup_err) < 0 && r == 0)
                r = berr_set(e, cleanup_err.code, "%s", cleanup_err.msg);
out:
        monitor_close(&mon);
        return r;
}

int engine_run(const struct berth_ctx *ctx, const struct run_options *o, int *status,
               char ***warnings, struct berr *e)
{
        struct run_state st = {.ctx = ctx, .o = o};
        struct spec *spec = NULL;
        int r = prepare(&st, &spec, e);
        if (r == 0)
                r = run_container(&st, spec, status, e);
        if (r < 0) {
                undo(&st);
        } else if (o->rm) {
                struct berr ignore;
                container_remove_files(ctx->root, st.rec.id, st.rec.name, &ignore);
        } else {
                st.rec.status = REC_EXITED;
                st.rec.exit_code = *status;
                st.rec.pid = 0;
                rfc3339_now(st.rec.finished_at);
                struct berr ignore;
                record_write(st.cdir, &st.rec, &ignore);
        }
        st.rec.command = NULL; /* owned by the spec */
        spec_free(spec);
        image_release(&st.img);
        free(st.cdir);
        if (warnings)
                *warnings = st.warnings;
        else
                strv_free(st.warnings);
        return r;
}
