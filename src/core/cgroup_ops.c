/* What is done to a located cgroup: limits applied through the v1 or v2 back end, parents
 * prepared, freeze, kill, OOM and statistics. Above the back ends and cgroup_io.c; cgroup.c (locate,
 * create, destroy) calls it. */
#include "core/cgroup_impl.h"

#include "core/spec.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/strv.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cg_apply(struct cgroup *cg, size_t i, const struct spec_resources *res, bool update,
             struct berr *e)
{
        return cg->mode == CGROUP_UNIFIED ? cgv2_apply(cg, i, res, update, e)
                                          : cgv1_apply(cg, i, res, update, e);
}

int cg_parent_prepare(struct cgroup *cg, size_t i, const char *parent, struct berr *e)
{
        if (cg->mode == CGROUP_UNIFIED)
                return cgv2_enable_controllers(parent, e);
        if (!cgroup_list_has(cg->controllers[i], "cpuset"))
                return 0;
        /* A v1 cpuset with empty cpus/mems takes no tasks: inherit the level above's. */
        char above[PATH_MAX], buf[256];
        snprintf(above, sizeof(above), "%s", parent);
        *strrchr(above, '/') = '\0';
        static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
        for (int k = 0; k < 2; k++) {
                if (cg_read(above, files[k], buf, sizeof(buf)) < 0)
                        return berr_sys(e, errno, "reading %s/%s", above, files[k]);
                int r = cg_write(parent, files[k], buf, e);
                if (r < 0)
                        return r == -ENOENT ? berr_sys(e, ENOENT, "%s/%s", parent, files[k]) : r;
        }
        return 0;
}

/* SIGKILL to every process of one cgroup directory of the walk. The walk covers the cgroups a
 * container made below its own (--privileged): a process moved there is still the container's. */
static int kill_procs_in(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
        pid_t *pids;
        size_t n;
        struct berr ignore;
        if (type != FTW_D || cg_read_pids(path, &pids, &n, &ignore) < 0)
                return 0;
        for (size_t i = 0; i < n; i++)
                kill(pids[i], SIGKILL);
        free(pids);
        return 0;
}

void cg_kill_all(const struct cgroup *cg)
{
        struct berr ignore;
        if (cg->mode == CGROUP_UNIFIED && cg->n && cg_write(cg->dirs[0], "cgroup.kill", "1", &ignore) == 0)
                return;
        /* v1 (or a v2 kernel before 5.14): freeze so nothing forks while we kill, then thaw
         * so the kill is delivered. */
        cgroup_freeze(cg, true, &ignore);
        if (cg->n)
                nftw(cg->dirs[0], kill_procs_in, 16, FTW_PHYS | FTW_MOUNT);
        cgroup_freeze(cg, false, &ignore);
}

int cgroup_freeze(const struct cgroup *cg, bool frozen, struct berr *e)
{
        for (size_t i = 0; i < cg->n; i++) {
                if (cg->mode == CGROUP_UNIFIED)
                        return cg_write(cg->dirs[i], "cgroup.freeze", frozen ? "1" : "0", e);
                if (cgroup_list_has(cg->controllers[i], "freezer")) {
                        int r = cg_write(cg->dirs[i], "freezer.state", frozen ? "FROZEN" : "THAWED", e);
                        if (r < 0)
                                return r == -ENOENT ? berr_set(e, ENOENT, "the container's freezer cgroup is gone") : r;
                        /* Freezing is asynchronous on v1: wait until it says FROZEN. */
                        char st[32];
                        for (int k = 0; frozen && k < 1000; k++) {
                                if (cg_read(cg->dirs[i], "freezer.state", st, sizeof(st)) < 0 ||
                                    !strncmp(st, "FROZEN", 6))
                                        break;
                                usleep(1000);
                        }
                        return 0;
                }
        }
        return berr_set(e, EOPNOTSUPP, "no freezer cgroup is available on this host");
}

bool cgroup_frozen(const struct cgroup *cg)
{
        char buf[32];
        uint64_t frozen = 0;
        for (size_t i = 0; i < cg->n; i++) {
                if (cg->mode == CGROUP_UNIFIED)
                        /* cgroup.freeze is what was asked of this cgroup; cgroup.events "frozen"
                         * what is in force (an ancestor's freeze too). */
                        return (cg_read(cg->dirs[i], "cgroup.freeze", buf, sizeof(buf)) > 0 &&
                                buf[0] == '1') ||
                               (cg_read_key(cg->dirs[i], "cgroup.events", "frozen", &frozen) &&
                                frozen);
                if (cgroup_list_has(cg->controllers[i], "freezer"))
                        /* FREEZING is a freeze under way (or stuck): frozen for our purpose. */
                        return cg_read(cg->dirs[i], "freezer.state", buf, sizeof(buf)) > 0 &&
                               (!strncmp(buf, "FROZEN", 6) || !strncmp(buf, "FREEZING", 8));
        }
        return false;
}

bool cgroup_oom_killed(const struct cgroup *cg)
{
        uint64_t n = 0;
        for (size_t i = 0; i < cg->n; i++) {
                if (cg->mode == CGROUP_UNIFIED)
                        return cg_read_key(cg->dirs[i], "memory.events", "oom_kill", &n) && n > 0;
                if (cgroup_list_has(cg->controllers[i], "memory"))
                        return cg_read_key(cg->dirs[i], "memory.oom_control", "oom_kill", &n) && n > 0;
        }
        return false;
}

static uint64_t read_u64(const char *dir, const char *file)
{
        char buf[64];
        if (cg_read(dir, file, buf, sizeof(buf)) < 0)
                return 0;
        if (!strncmp(buf, "max", 3))
                return UINT64_MAX;
        return strtoull(buf, NULL, 10);
}

/* blkio.throttle.io_service_bytes / io.stat: sum reads and writes over devices. */
static void blk_sum(const char *dir, bool v2, uint64_t *rd, uint64_t *wr)
{
        char buf[8192];
        if (cg_read(dir, v2 ? "io.stat" : "blkio.throttle.io_service_bytes", buf, sizeof(buf)) < 0)
                return;
        for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) {
                uint64_t v;
                char op[16];
                if (v2) {
                        char *p;
                        if ((p = strstr(l, "rbytes=")))
                                *rd += strtoull(p + 7, NULL, 10);
                        if ((p = strstr(l, "wbytes=")))
                                *wr += strtoull(p + 7, NULL, 10);
                } else if (sscanf(l, "%*s %15s %" SCNu64, op, &v) == 2) {
                        if (!strcmp(op, "Read"))
                                *rd += v;
                        else if (!strcmp(op, "Write"))
                                *wr += v;
                }
        }
}

int cgroup_stats(const struct cgroup *cg, struct cgroup_stats *st, struct berr *e)
{
        memset(st, 0, sizeof(*st));
        for (size_t i = 0; i < cg->n; i++) {
                const char *d = cg->dirs[i], *c = cg->controllers[i];
                if (cg->mode == CGROUP_UNIFIED) {
                        uint64_t us = 0;
                        cg_read_key(d, "cpu.stat", "usage_usec", &us);
                        st->cpu_usage_ns = us * 1000;
                        st->mem_usage = read_u64(d, "memory.current");
                        st->mem_limit = read_u64(d, "memory.max");
                        st->pids = read_u64(d, "pids.current");
                        blk_sum(d, true, &st->blk_read, &st->blk_write);
                        continue;
                }
                if (cgroup_list_has(c, "cpuacct"))
                        st->cpu_usage_ns = read_u64(d, "cpuacct.usage");
                if (cgroup_list_has(c, "memory")) {
                        st->mem_usage = read_u64(d, "memory.usage_in_bytes");
                        st->mem_limit = read_u64(d, "memory.limit_in_bytes");
                }
                if (cgroup_list_has(c, "pids"))
                        st->pids = read_u64(d, "pids.current");
                if (cgroup_list_has(c, "blkio"))
                        blk_sum(d, false, &st->blk_read, &st->blk_write);
        }
        (void)e;
        return 0;
}
