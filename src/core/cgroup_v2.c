/* cgroup v2: one directory, the unified files. The v1 knobs v2 lacks become warnings. */
#include "core/cgroup_impl.h"

#include "core/spec.h"
#include "util/err.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int cgv2_enable_controllers(const char *dir, struct berr *e)
{
        char avail[512];
        if (cg_read(dir, "cgroup.controllers", avail, sizeof(avail)) < 0)
                return berr_sys(e, errno, "reading %s/cgroup.controllers", dir);
        static const char *const wanted[] = {"cpu", "cpuset", "io", "memory", "pids"};
        for (size_t k = 0; k < sizeof(wanted) / sizeof(wanted[0]); k++) {
                char word[32];
                snprintf(word, sizeof(word), " %s ", wanted[k]);
                char padded[520];
                snprintf(padded, sizeof(padded), " %s ", avail);
                padded[strcspn(padded, "\n")] = ' ';
                if (!strstr(padded, word))
                        continue;
                char op[32];
                snprintf(op, sizeof(op), "+%s", wanted[k]);
                /* One controller per write: a refused one must not take the others down. */
                cg_write(dir, "cgroup.subtree_control", op, e);
        }
        return 0;
}

static int put(const char *d, const char *file, const char *v, struct berr *e)
{
        int r = cg_write(d, file, v, e);
        if (r == -ENOENT)
                return berr_set(e, ENOENT,
                                "%s/%s is missing: the controller is not enabled for berth's "
                                "cgroup (on a cgroup v2 host whose own cgroup holds processes, "
                                "give --cgroup-parent a delegated cgroup)",
                                d, file);
        return r;
}

static void fmt_max(char *buf, size_t len, int64_t v)
{
        if (v < 0)
                snprintf(buf, len, "max");
        else
                snprintf(buf, len, "%" PRId64, v);
}

static int memory(struct cgroup *cg, const char *d, const struct spec_resources *r, struct berr *e)
{
        char buf[64];
        int ret;
        if (r->mem_limit != RES_UNSET) {
                fmt_max(buf, sizeof(buf), r->mem_limit);
                if ((ret = put(d, "memory.max", buf, e)) < 0)
                        return ret;
        }
        if (r->mem_swap != RES_UNSET) {
                /* OCI's swap is memory+swap (as v1's memsw); v2's swap.max is the swap alone. */
                if (r->mem_swap < 0 || r->mem_limit == RES_UNSET || r->mem_limit < 0)
                        snprintf(buf, sizeof(buf), "max");
                else
                        snprintf(buf, sizeof(buf), "%" PRId64,
                                 r->mem_swap > r->mem_limit ? r->mem_swap - r->mem_limit : 0);
                ret = cg_write(d, "memory.swap.max", buf, e);
                if (ret == -ENOENT)
                        cg_warn(cg, "this kernel has no swap accounting (memory.swap.max): "
                                    "--memory-swap is ignored");
                else if (ret < 0)
                        return ret;
        }
        if (r->mem_reservation != RES_UNSET) {
                fmt_max(buf, sizeof(buf), r->mem_reservation);
                if ((ret = put(d, "memory.low", buf, e)) < 0)
                        return ret;
        }
        if (r->mem_swappiness != RES_UNSET)
                cg_warn(cg, "cgroup v2 has no per-cgroup swappiness: --memory-swappiness is "
                            "ignored");
        if (r->disable_oom_killer)
                cg_warn(cg, "cgroup v2 cannot disable the OOM killer: --oom-kill-disable is "
                            "ignored");
        if (r->mem_kernel != RES_UNSET || r->mem_kernel_tcp != RES_UNSET)
                cg_warn(cg, "cgroup v2 has no kernel memory limits: "
                            "linux.resources.memory.kernel and kernelTCP are ignored");
        return 0;
}

static int cpu(const char *d, const struct spec_resources *r, bool update, struct berr *e)
{
        char buf[64];
        int ret;
        if (r->cpu_shares != RES_UNSET) {
                snprintf(buf, sizeof(buf), "%" PRIu64,
                         cgroup_shares_to_weight((uint64_t)r->cpu_shares));
                if ((ret = put(d, "cpu.weight", buf, e)) < 0)
                        return ret;
        }
        if (r->cpu_quota != RES_UNSET || r->cpu_period != RES_UNSET) {
                int64_t period = r->cpu_period != RES_UNSET ? r->cpu_period : 100000;
                char quota[32] = "max";
                if (r->cpu_quota != RES_UNSET && r->cpu_quota > 0)
                        snprintf(quota, sizeof(quota), "%" PRId64, r->cpu_quota);
                else if (r->cpu_quota == RES_UNSET && update &&
                         cg_read(d, "cpu.max", buf, sizeof(buf)) > 0)
                        sscanf(buf, "%31s", quota); /* keep the quota, change the period */
                snprintf(buf, sizeof(buf), "%s %" PRId64, quota, period);
                if ((ret = put(d, "cpu.max", buf, e)) < 0)
                        return ret;
        }
        if (r->cpus && (ret = put(d, "cpuset.cpus", r->cpus, e)) < 0)
                return ret;
        if (r->mems && (ret = put(d, "cpuset.mems", r->mems, e)) < 0)
                return ret;
        return 0;
}

static int io(const char *d, const struct spec_resources *r, struct berr *e)
{
        static const char *const keys[THR__COUNT] = {"rbps", "wbps", "riops", "wiops"};
        char buf[128];
        int ret;
        if (r->blkio_weight != RES_UNSET && r->blkio_weight > 0) {
                snprintf(buf, sizeof(buf), "default %" PRIu64,
                         cgroup_blkio_to_io_weight((uint64_t)r->blkio_weight));
                if ((ret = put(d, "io.weight", buf, e)) < 0)
                        return ret;
        }
        for (int k = 0; k < THR__COUNT; k++)
                for (size_t i = 0; i < r->n_throttle[k]; i++) {
                        const struct spec_throttle *t = &r->throttle[k][i];
                        snprintf(buf, sizeof(buf), "%" PRId64 ":%" PRId64 " %s=%" PRIu64,
                                 t->major, t->minor, keys[k], t->rate);
                        if ((ret = put(d, "io.max", buf, e)) < 0)
                                return ret;
                }
        return 0;
}

int cgv2_apply(struct cgroup *cg, size_t i, const struct spec_resources *r, bool update,
               struct berr *e)
{
        const char *d = cg->dirs[i];
        int ret;
        if ((ret = memory(cg, d, r, e)) < 0 || (ret = cpu(d, r, update, e)) < 0 ||
            (ret = io(d, r, e)) < 0)
                return ret;
        if (r->pids_limit != RES_UNSET) {
                char buf[32];
                fmt_max(buf, sizeof(buf), r->pids_limit > 0 ? r->pids_limit : -1);
                if ((ret = put(d, "pids.max", buf, e)) < 0)
                        return ret;
        }
        if (!update && (ret = cgv2_devices(d, r, e)) < 0)
                return ret;
        return 0;
}
