/* Making a container: everything `run` and `create` do before the init exists. */
#include "engine/container/launch.h"

#include "core/cgroup.h"
#include "core/spec.h"
#include "engine/container/ns_share.h"
#include "engine/store/container_volumes.h"
#include "engine/store/containers.h"
#include "engine/container/hostconfig.h"
#include "engine/container/owner.h"
#include "engine/container/run.h"
#include "engine/container/runspec.h"
#include "engine/container/spec_store.h"
#include "engine/context.h"
#include "engine/image/image.h"
#include "engine/network/network.h"
#include "engine/network/resolv.h"
#include "engine/registry/registry.h"
#include "engine/security/userns.h"
#include "engine/store/container_volumes.h"
#include "engine/store/containers.h"
#include "engine/volume/volume.h"
#include "engine/volume/volume_mount.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"
#include "util/workdir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The container's directory, owned from the start: its own lock (held until the record is
 * written: a killed create leaves a directory the next container_list collects) and the owner
 * lock. A collector may have taken the directory in the moment between mkdir and the lock (it
 * had no owner then): -EAGAIN, the caller tries another id. */
static int make_dir(struct launch *l, struct berr *e)
{
        if (mkdir(l->cdir, 0700) < 0) {
                int r = errno == ENOENT ? mkdir_p(l->cdir, 0700, e) : berr_sys(e, errno, "%s", l->cdir);
                if (r < 0)
                        return r;
        }
        l->dir_lock = workdir_lock(l->cdir, true, e);
        if (l->dir_lock == -ENOENT)
                return -EAGAIN;
        if (l->dir_lock < 0)
                return l->dir_lock;
        if ((l->lock = owner_lock(l->cdir, OWNER_WAIT_FOREVER, e)) < 0)
                return l->lock;
        return 0;
}

/* upper/ and work/ for the overlay, merged/ as its mount point. */
static int make_subdirs(const char *cdir, struct berr *e)
{
        static const char *const subs[] = {"upper", "work", "merged"};
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

/* Where the container's cgroup is going to be, in the first record: core_create makes it before
 * the init exists, and the record that says running comes only after the init is set up, so an
 * owner killed in between leaves a cgroup that only this tells reconcile (or run's undo) about.
 * Located once: core_create is handed the same (cgroup_planned). */
static void record_planned_cgroup(struct launch *l)
{
        struct cgroup cg;
        struct berr ignore;
        bool cpuset = l->spec->resources.cpus || l->spec->resources.mems; /* as core_create */
        if (cgroup_locate(l->spec->cgroups_path, l->rec.id, cpuset, &cg, &ignore) < 0)
                return;
        _cleanup_free_ char *text = cgroup_serialize(&cg);
        cgroup_release(&cg);
        if (!text || strlen(text) >= sizeof(l->rec.cgroup))
                return; /* then core_create locates it, and only the running record says */
        snprintf(l->rec.cgroup, sizeof(l->rec.cgroup), "%s", text);
        l->cgroup_planned = true; /* core_create uses it instead of locating it again */
}

static int build(struct launch *l, const struct run_options *o, struct image *img,
                 struct berr *e)
{
        char hostname[64];
        snprintf(hostname, sizeof(hostname), "%s", o->hostname ? o->hostname : l->rec.id);
        if (!o->hostname)
                hostname[12] = '\0'; /* docker: the short id */
        int r;
        struct userns_map um = {0};
        if (o->sec.userns && (r = userns_parse_flag(o->sec.userns, &um, e)) < 0)
                return r;
        if (um.enabled) {
                /* The overlay stacks the shifted copies of the layers (userns.c). */
                char **shifted = NULL;
                if ((r = userns_layers(l->ctx->root, img->layer_dirs, &um, &shifted, e)) < 0) {
                        strv_free(shifted);
                        return r;
                }
                strv_free(img->layer_dirs);
                img->layer_dirs = shifted;
        }
        if ((r = write_etc(l->cdir, hostname, e)) < 0 ||
            (r = runspec_build(img, o, l->cdir, hostname, &l->spec, e)) < 0 ||
            (um.enabled && (r = userns_apply(l->spec, &um, l->cdir, e)) < 0) ||
            (r = volume_mounts_setup(l->ctx->root, img, o->mounts, o->n_mounts, l->cdir, l->spec,
                                     e)) < 0 ||
            (r = net_config_save(l->ctx->root, l->cdir, o, img->id, e)) < 0 ||
            (r = ns_share_save(l->ctx->root, l->cdir, o, l->spec, e)) < 0 ||
            (r = hostconfig_save(l->cdir, o, e)) < 0)
                return r;
        /* --cgroup-parent P: the container's cgroup is P/<id>, as docker names it. */
        if (o->cgroup_parent &&
            asprintf(&l->spec->cgroups_path, "%s/%s", o->cgroup_parent, l->rec.id) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        snprintf(l->rec.image, sizeof(l->rec.image), "%s", img->ref ? img->ref : o->image);
        snprintf(l->rec.image_id, sizeof(l->rec.image_id), "%s", img->id);
        snprintf(l->rec.stop_signal, sizeof(l->rec.stop_signal), "%s",
                 img->stop_signal ? img->stop_signal : "");
        if (!(l->rec.command = strv_dup(l->spec->process.args)))
                return berr_set(e, ENOMEM, "out of memory");
        l->rec.auto_remove = o->rm;
        record_planned_cgroup(l);
        l->rec.status = REC_CREATED;
        rfc3339_now(l->rec.created);
        if ((r = spec_store_save(l->cdir, l->spec, e)) < 0)
                return r;
        return record_write(l->cdir, &l->rec, e);
}

int launch_create(const struct berth_ctx *ctx, const struct run_options *o, struct launch *l,
                  struct berr *e)
{
        struct image img = {0};
        memset(l, 0, sizeof(*l));
        l->ctx = ctx;
        l->lock = l->dir_lock = -1;
        int r = image_resolve_or_pull(ctx, o->image, o->pull, &img, e);
        if (r < 0)
                return r;
        r = -EAGAIN;
        for (int tries = 0; r == -EAGAIN && tries < 8; tries++) {
                if ((r = container_new_id(l->rec.id, e)) < 0)
                        goto out;
                free(l->cdir);
                if (!(l->cdir = container_dir(ctx->root, l->rec.id))) {
                        r = berr_set(e, ENOMEM, "out of memory");
                        goto out;
                }
                r = make_dir(l, e);
        }
        if (r == -EAGAIN)
                r = berr_set(e, EAGAIN, "creating a container directory in %s/containers: "
                             "removed by others 8 times", ctx->root);
        if (r < 0)
                goto out;
        /* The name after the directory: a killed create leaves both to one collector. */
        if (o->name)
                snprintf(l->rec.name, sizeof(l->rec.name), "%s", o->name);
        else
                container_default_name(l->rec.id, l->rec.name, sizeof(l->rec.name));
        if ((r = container_name_reserve(ctx->root, l->rec.name, l->rec.id, e)) < 0) {
                l->rec.name[0] = '\0'; /* not ours to release */
                goto out;
        }
        if ((r = make_subdirs(l->cdir, e)) < 0)
                goto out;
        r = build(l, o, &img, e);
out:
        image_release(&img);
        if (r < 0) {
                launch_undo(l);
                launch_release(l); /* the caller gets nothing to release on failure */
                return r;
        }
        close(l->dir_lock); /* recorded: from here on the owner lock says who owns it */
        l->dir_lock = -1;
        return r;
}

int launch_load(const struct berth_ctx *ctx, const char *id, struct launch *l, struct berr *e)
{
        memset(l, 0, sizeof(*l));
        l->ctx = ctx;
        l->lock = l->dir_lock = -1;
        if (!(l->cdir = container_dir(ctx->root, id)))
                return berr_set(e, ENOMEM, "out of memory");
        int r = owner_lock(l->cdir, OWNER_NOWAIT, e);
        if (r == -EWOULDBLOCK) {
                /* Held: by the container's owner (running), or for a moment by stop, wait or a
                 * reconcile of an exited one. Only the record tells which. */
                struct record rec;
                struct berr ignore;
                bool running = record_read(l->cdir, &rec, &ignore) == 0 && rec.status != REC_EXITED;
                record_clear(&rec);
                if (running)
                        return berr_set(e, EALREADY, "container %.12s is already running", id);
                r = owner_lock(l->cdir, OWNER_WAIT_FOREVER, e);
        }
        if (r < 0)
                return r;
        l->lock = r;
        if ((r = record_read(l->cdir, &l->rec, e)) < 0 ||
            (r = spec_store_load(l->cdir, &l->spec, e)) < 0)
                return r;
        /* A fresh run of the same container: same writable layer, new process. */
        l->rec.status = REC_CREATED;
        l->rec.exit_code = 0;
        l->rec.oom_killed = l->rec.paused = false;
        l->rec.pid = 0;
        l->rec.finished_at[0] = '\0';
        return 0;
}

void launch_undo(struct launch *l)
{
        struct berr ignore;
        char **anon = NULL;
        if (!l->cdir)
                return;
        container_volumes_read(l->cdir, NULL, &anon, &ignore);
        /* A monitor killed while it started the container may have made its cgroup (recorded
         * before it exists: record_planned_cgroup) and attached its network. */
        struct cgroup cg;
        if (l->rec.cgroup[0] && cgroup_deserialize(l->rec.cgroup, &cg, &ignore) == 0) {
                cgroup_destroy(&cg, &ignore); /* missing directories are fine */
                cgroup_release(&cg);
        }
        net_release(l->ctx->root, l->rec.id, NULL);
        /* Under the directory's lock if create still holds it; the name only if it is ours. */
        container_trash(l->ctx->root, l->rec.id, l->rec.name[0] ? l->rec.name : "", l->dir_lock,
                        &ignore);
        container_volumes_remove(l->ctx->root, anon); /* the ones this container made */
        strv_free(anon);
}

void launch_release(struct launch *l)
{
        if (l->lock >= 0)
                close(l->lock);
        if (l->dir_lock >= 0)
                close(l->dir_lock);
        l->lock = l->dir_lock = -1;
        spec_free(l->spec);
        l->spec = NULL;
        record_clear(&l->rec);
        free(l->cdir);
        l->cdir = NULL;
        strv_free(l->warnings);
        l->warnings = NULL;
}
