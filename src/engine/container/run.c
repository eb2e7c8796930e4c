/* `berth run` and `berth start`: create (or load) a container, then run it in the foreground
 * or hand it to a detached monitor. The work is in create.c and launch.c. */
#include "engine/container/run.h"

#include "core/spec.h"
#include "engine/container/launch.h"
#include "engine/container/lookup.h"
#include "engine/container/owner.h"
#include "engine/context.h"
#include "util/err.h"
#include "util/strv.h"

#include <stdlib.h>
#include <string.h>

void run_options_free(struct run_options *o)
{
        strv_free(o->env);
        strv_free(o->entrypoint);
        strv_free(o->cmd);
        o->env = o->entrypoint = o->cmd = NULL;
        spec_resources_clear(&o->res);
        free(o->rlimits);
        o->rlimits = NULL;
        strv_free(o->sec.cap_add);
        strv_free(o->sec.cap_drop);
        strv_free(o->sec.devices);
        o->sec.cap_add = o->sec.cap_drop = o->sec.devices = NULL;
        o->n_rlimits = 0;
        run_mounts_free(o->mounts, o->n_mounts);
        o->mounts = NULL;
        o->n_mounts = 0;
        strv_free(o->net.aliases);
        strv_free(o->net.publish);
        o->net.aliases = o->net.publish = NULL;
}

static void hand_out(struct launch *l, char ***warnings)
{
        if (warnings) {
                *warnings = l->warnings;
                l->warnings = NULL;
        }
}

int engine_run(const struct berth_ctx *ctx, const struct run_options *o, int *status,
               char ***warnings, char id_out[65], struct berr *e)
{
        struct launch l;
        int r = launch_create(ctx, o, &l, e);
        if (r < 0)
                return r;
        memcpy(id_out, l.rec.id, 65);
        *status = 0;
        r = o->detach ? launch_detached(&l, e) : launch_foreground(&l, o->interactive, status, e);
        if (r < 0)
                launch_undo(&l); /* nothing of a container that never ran stays behind */
        hand_out(&l, warnings);
        launch_release(&l);
        /* Off the start path: a killed berth's leftovers (reconcile also collects what killed
         * creates and rms left, container_list; a detached run only collects). */
        if (!o->detach)
                containers_reconcile_all(ctx->root);
        else
                containers_collect(ctx->root);
        return r;
}

int engine_start(const struct berth_ctx *ctx, const char *ref, bool attach, bool interactive,
                 int *status, char ***warnings, struct berr *e)
{
        char id[65];
        struct record rec;
        bool removed;
        int r = container_find(ctx->root, ref, id, e);
        if (r < 0)
                return r;
        if ((r = container_reconcile(ctx->root, id, &rec, &removed, e)) < 0)
                return r;
        record_clear(&rec);
        if (removed)
                return berr_set(e, ENOENT, "no such container: %s", ref);
        struct launch l;
        r = launch_load(ctx, id, &l, e);
        *status = 0;
        if (r == -EALREADY) {
                launch_release(&l);
                return 0; /* docker: starting a running container is not an error */
        }
        if (r == 0)
                r = attach ? launch_foreground(&l, interactive, status, e) : launch_detached(&l, e);
        hand_out(&l, warnings);
        launch_release(&l);
        return r;
}

int engine_monitor_exit(const struct berth_ctx *ctx, const char *id, int lock_fd, int status,
                        struct berr *e)
{
        return launch_exited(ctx, id, lock_fd, status, e);
}
