/* cgroup v1: each hierarchy gets the files of the controllers it carries. */
#include "core/cgroup_impl.h"

#include "core/spec.h"
#include "util/err.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int put(const char *dir, const char *file, int64_t v, struct berr *e)
{
        char buf[32];
        snprintf(buf, sizeof(buf), "%" PRId64, v);
        int r = cg_write(dir, file, buf, e);
        return r == -ENOENT ? berr_set(e, ENOENT, "this kernel has no %s/%s", dir, file) : r;
}

static int memory(struct cgroup *cg, const char *d, const struct spec_resources *r, bool update,
                  struct berr *e)
{
        int ret;
        bool swap = r->mem_swap != RES_UNSET;
        char buf[32];
        if (swap && cg_read(d, "memory.memsw.limit_in_bytes", buf, sizeof(buf)) < 0) {
                cg_warn(cg, "this kernel has no swap accounting (memory.memsw): --memory-swap "
                            "is ignored");
                swap = false;
        }
        /* memsw must stay >= limit: when raising the limit above the current memsw, write memsw
         * first. For a fresh cgroup memsw is unlimited, so limit goes first. */
        bool swap_first = false;
        if (update && swap && r->mem_limit != RES_UNSET) {
                int64_t cur = 0;
                sscanf(buf, "%" SCNd64, &cur);
                swap_first = r->mem_limit == -1 || (cur >= 0 && r->mem_limit > cur);
        }
        if (swap_first && (ret = put(d, "memory.memsw.limit_in_bytes", r->mem_swap, e)) < 0)
                return ret;
        if (r->mem_limit != RES_UNSET && (ret = put(d, "memory.limit_in_bytes", r->mem_limit, e)) < 0)
                return ret;
        if (swap && !swap_first && (ret = put(d, "memory.memsw.limit_in_bytes", r->mem_swap, e)) < 0)
                return ret;
        if (r->mem_reservation != RES_UNSET &&
            (ret = put(d, "memory.soft_limit_in_bytes", r->mem_reservation, e)) < 0)
                return ret;
        if (r->mem_swappiness != RES_UNSET &&
            (ret = put(d, "memory.swappiness", r->mem_swappiness, e)) < 0)
                return ret;
        if (r->disable_oom_killer && (ret = put(d, "memory.oom_control", 1, e)) < 0)
                return ret;
        /* kernel: Linux 5.16 and later refuse memory.kmem.limit_in_bytes (the spec deprecates
         * it): a warning, not a failure, as runc and crun. */
        if (r->mem_kernel != RES_UNSET && put(d, "memory.kmem.limit_in_bytes", r->mem_kernel, e) < 0)
                cg_warn(cg, "this kernel does not limit kernel memory: "
                            "linux.resources.memory.kernel is ignored");
        if (r->mem_kernel_tcp != RES_UNSET &&
            (ret = put(d, "memory.kmem.tcp.limit_in_bytes", r->mem_kernel_tcp, e)) < 0)
                return ret;
        return 0;
}

static int cpu(const char *d, const struct spec_resources *r, struct berr *e)
{
        int ret;
        if (r->cpu_shares != RES_UNSET && (ret = put(d, "cpu.shares", r->cpu_shares, e)) < 0)
                return ret;
        if (r->cpu_period != RES_UNSET && (ret = put(d, "cpu.cfs_period_us", r->cpu_period, e)) < 0)
                return ret;
        if (r->cpu_quota != RES_UNSET && (ret = put(d, "cpu.cfs_quota_us", r->cpu_quota, e)) < 0)
                return ret;
        return 0;
}

static int cpuset(const char *d, const struct spec_resources *r, bool update, struct berr *e)
{
        char buf[256], parent[4096];
        static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
        const char *want[] = {r->cpus, r->mems};
        snprintf(parent, sizeof(parent), "%s", d);
        *strrchr(parent, '/') = '\0';
        for (int k = 0; k < 2; k++) {
                const char *v = want[k];
                if (!v && update)
                        continue;
                if (!v) { /* an empty v1 cpuset takes no tasks */
                        if (cg_read(parent, files[k], buf, sizeof(buf)) < 0)
                                return berr_sys(e, errno, "reading %s/%s", parent, files[k]);
                        v = buf;
                }
                int ret = cg_write(d, files[k], v, e);
                if (ret < 0)
                        return ret;
        }
        return 0;
}

static int blkio(struct cgroup *cg, const char *d, const struct spec_resources *r, struct berr *e)
{
        static const char *const files[THR__COUNT] = {
                "blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
                "blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device"};
        int ret;
        if (r->blkio_weight != RES_UNSET && r->blkio_weight > 0) {
                char buf[32];
                snprintf(buf, sizeof(buf), "%" PRId64, r->blkio_weight);
                ret = cg_write(d, "blkio.weight", buf, e);
                if (ret == -ENOENT)
                        ret = cg_write(d, "blkio.bfq.weight", buf, e);
                if (ret == -ENOENT)
                        cg_warn(cg, "this kernel does not support block I/O weight (no "
                                    "blkio.weight or blkio.bfq.weight): --blkio-weight is ignored");
                else if (ret < 0)
                        return ret;
        }
        for (int k = 0; k < THR__COUNT; k++)
                for (size_t i = 0; i < r->n_throttle[k]; i++) {
                        char buf[96];
                        const struct spec_throttle *t = &r->throttle[k][i];
                        snprintf(buf, sizeof(buf), "%" PRId64 ":%" PRId64 " %" PRIu64, t->major,
                                 t->minor, t->rate);
                        if ((ret = cg_write(d, files[k], buf, e)) < 0)
                                return ret == -ENOENT ? berr_set(e, ENOENT, "this kernel has no %s", files[k]) : ret;
                }
        return 0;
}

/* The device allow list, in order: "a" deny first, then what is allowed. */
static int devices(const char *d, const struct spec_resources *r, struct berr *e)
{
        for (size_t i = 0; i < r->n_devices; i++) {
                const struct spec_device_rule *x = &r->devices[i];
                char v[64], maj[24] = "*", min[24] = "*";
                if (x->major >= 0)
                        snprintf(maj, sizeof(maj), "%" PRId64, x->major);
                if (x->minor >= 0)
                        snprintf(min, sizeof(min), "%" PRId64, x->minor);
                if (x->type == 'a')
                        snprintf(v, sizeof(v), "a");
                else
                        snprintf(v, sizeof(v), "%c %s:%s %s", x->type, maj, min, x->access);
                int ret = cg_write(d, x->allow ? "devices.allow" : "devices.deny", v, e);
                if (ret < 0)
                        return ret == -ENOENT ? berr_set(e, ENOENT, "%s has no devices.allow", d) : ret;
        }
        return 0;
}

int cgv1_apply(struct cgroup *cg, size_t i, const struct spec_resources *r, bool update,
               struct berr *e)
{
        const char *d = cg->dirs[i], *c = cg->controllers[i];
        int ret = 0;
        if (cgroup_list_has(c, "memory"))
                ret = memory(cg, d, r, update, e);
        if (ret == 0 && cgroup_list_has(c, "cpu"))
                ret = cpu(d, r, e);
        if (ret == 0 && cgroup_list_has(c, "cpuset"))
                ret = cpuset(d, r, update, e);
        if (ret == 0 && cgroup_list_has(c, "pids") && r->pids_limit != RES_UNSET)
                ret = r->pids_limit > 0 ? put(d, "pids.max", r->pids_limit, e)
                                        : cg_write(d, "pids.max", "max", e);
        if (ret == 0 && cgroup_list_has(c, "blkio"))
                ret = blkio(cg, d, r, e);
        if (ret == 0 && cgroup_list_has(c, "devices") && !update)
                ret = devices(d, r, e);
        return ret;
}
