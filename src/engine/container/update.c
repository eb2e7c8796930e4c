/* berth update: spec_resources_merge into config.json, cgroup_update on the running cgroup. */
#include "engine/container/update.h"

#include "core/cgroup.h"
#include "engine/container/containers.h"
#include "engine/container/lookup.h"
#include "engine/container/owner.h"
#include "engine/container/record.h"
#include "engine/container/spec_store.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/strv.h"
#include "util/units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* docker's checks of the merged limits (daemon/update.go, verifyPlatformContainerResources). */
static int check_merged(const struct spec_resources *old, const struct spec_resources *m,
                        const struct spec_resources *res, struct berr *e)
{
        char a[32], b[32];
        if (res->mem_limit != RES_UNSET && res->mem_swap == RES_UNSET && m->mem_limit > 0 &&
            old->mem_swap > 0 && m->mem_limit > old->mem_swap)
                return berr_set(e, EINVAL,
                                "-m %s: Memory limit should be smaller than already set "
                                "memoryswap limit (%s), update the memoryswap at the same time",
                                format_size(m->mem_limit, a, sizeof(a)),
                                format_size(old->mem_swap, b, sizeof(b)));
        if (m->mem_limit > 0 && m->mem_swap > 0 && m->mem_swap < m->mem_limit)
                return berr_set(e, EINVAL,
                                "--memory-swap %s: Minimum memoryswap limit should be larger "
                                "than memory limit (-m %s)",
                                format_size(m->mem_swap, a, sizeof(a)),
                                format_size(m->mem_limit, b, sizeof(b)));
        if (m->mem_limit > 0 && m->mem_reservation > m->mem_limit)
                return berr_set(e, EINVAL,
                                "--memory-reservation %s: Minimum memory limit (-m %s) can not "
                                "be less than memory reservation limit",
                                format_size(m->mem_reservation, a, sizeof(a)),
                                format_size(m->mem_limit, b, sizeof(b)));
        if (res->mem_swap > 0 && m->mem_limit <= 0)
                return berr_set(e, EINVAL,
                                "--memory-swap %s: you should always set the memory limit (-m) "
                                "when using --memory-swap",
                                format_size(res->mem_swap, a, sizeof(a)));
        return 0;
}

static bool has_controller(const struct cgroup *cg, const char *name)
{
        for (size_t i = 0; i < cg->n; i++)
                if (cgroup_list_has(cg->controllers[i], name))
                        return true;
        return false;
}

/* The running container's cgroup. *gone when it exited meanwhile (nothing to change then). */
static int update_cgroup(const char *cgtext, const struct spec_resources *res, bool *gone,
                         char ***warnings, struct berr *e)
{
        struct cgroup cg;
        int r = cgroup_deserialize(cgtext, &cg, e);
        if (r < 0)
                return r;
        if ((res->cpus || res->mems) && cg.mode != CGROUP_UNIFIED && !has_controller(&cg, "cpuset"))
                strv_push(&cg.warnings, "the container was started without a cpuset cgroup: "
                                        "--cpuset-cpus/--cpuset-mems apply from its next start");
        r = cgroup_update(&cg, res, e);
        if (r < 0 && access(cg.dirs[0], F_OK) < 0) {
                *gone = true; /* it exited: config.json alone decides its next start */
                r = 0;
        }
        if (warnings && cg.warnings) {
                strv_extend(warnings, cg.warnings);
        }
        cgroup_release(&cg);
        return r;
}

/* Loads config.json, merges, changes the cgroup if running, saves. */
static int update_container(const char *cdir, const struct record *rec, const char *ref,
                            const struct spec_resources *res, char ***warnings, struct berr *e)
{
        struct spec *spec = NULL;
        int r = spec_store_load(cdir, &spec, e);
        if (r < 0)
                return r;
        struct spec_resources merged;
        spec_resources_init(&merged);
        if (spec_resources_copy(&merged, &spec->resources) < 0 ||
            spec_resources_merge(&merged, res) < 0)
                r = berr_set(e, ENOMEM, "out of memory");
        if (r == 0)
                r = check_merged(&spec->resources, &merged, res, e);
        bool gone = false;
        if (r == 0 && rec->status == REC_RUNNING && rec->cgroup[0] &&
            (r = update_cgroup(rec->cgroup, res, &gone, warnings, e)) < 0)
                berr_wrap(e, "updating container %s", ref);
        if (r == 0) {
                spec_resources_clear(&spec->resources);
                spec->resources = merged;
                spec_resources_init(&merged);
                r = spec_store_save(cdir, spec, e);
        }
        spec_resources_clear(&merged);
        spec_free(spec);
        return r;
}

int engine_update(const char *root, const char *ref, const struct spec_resources *res,
                  char ***warnings, struct berr *e)
{
        char id[65];
        struct record rec = {0};
        bool removed = false;
        int r = container_find(root, ref, id, e);
        if (r < 0)
                return r;
        if ((r = container_reconcile(root, id, &rec, &removed, e)) == 0) {
                _cleanup_free_ char *cdir = container_dir(root, id);
                if (removed)
                        r = berr_set(e, ENOENT, "no such container: %s", ref);
                else if (!cdir)
                        r = berr_set(e, ENOMEM, "out of memory");
                else
                        r = update_container(cdir, &rec, ref, res, warnings, e);
        }
        record_clear(&rec);
        return r;
}
