/* Container resource usage for `berth stats`, from the container's cgroup (cgroup_stats) and the
 * host's /proc/stat, docker's way. */
#include "engine/container/stats.h"

#include "engine/container/containers.h"
#include "engine/container/lookup.h"
#include "engine/container/owner.h"
#include "engine/container/record.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int stats_parse_proc_stat(const char *text, long clk_tck, uint64_t *ns)
{
        for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
                if (strncmp(l, "cpu ", 4))
                        continue;
                uint64_t v[7] = {0}, sum = 0;
                int n = sscanf(l + 4,
                               "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
                               " %" SCNu64 " %" SCNu64,
                               &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]);
                if (n < 4 || clk_tck <= 0)
                        return -EINVAL;
                for (int i = 0; i < n; i++)
                        sum += v[i];
                *ns = sum * (1000000000ULL / (uint64_t)clk_tck);
                return 0;
        }
        return -EINVAL;
}

int stats_parse_meminfo(const char *text, uint64_t *bytes)
{
        const char *p = strstr(text, "MemTotal:");
        uint64_t kb;
        if (!p || (p != text && p[-1] != '\n') || sscanf(p + 9, "%" SCNu64, &kb) != 1)
                return -EINVAL;
        *bytes = kb * 1024;
        return 0;
}

static uint64_t host_cpu_ns(void)
{
        _cleanup_free_ char *text = NULL;
        struct berr ignore;
        uint64_t ns = 0;
        if (read_file("/proc/stat", &text, NULL, &ignore) == 0)
                stats_parse_proc_stat(text, sysconf(_SC_CLK_TCK), &ns);
        return ns;
}

static uint64_t host_memory(void)
{
        _cleanup_free_ char *text = NULL;
        struct berr ignore;
        uint64_t b = 0;
        if (read_file("/proc/meminfo", &text, NULL, &ignore) == 0)
                stats_parse_meminfo(text, &b);
        return b;
}

int stats_sample(const char *root, const char *id, struct stats_sample *s, struct berr *e)
{
        struct record rec = {0};
        bool removed = false;
        memset(s, 0, sizeof(*s));
        int r = container_reconcile(root, id, &rec, &removed, e);
        if (r < 0 || removed) {
                record_clear(&rec);
                return r < 0 ? r : berr_set(e, ENOENT, "no such container: %s", id);
        }
        snprintf(s->id, sizeof(s->id), "%s", rec.id);
        snprintf(s->name, sizeof(s->name), "%s", rec.name);
        struct cgroup cg;
        struct berr ignore;
        if (rec.status == REC_RUNNING && rec.cgroup[0] &&
            cgroup_deserialize(rec.cgroup, &cg, &ignore) == 0) {
                /* It may exit meanwhile: its cgroup is then gone and it shows as stopped. */
                if (cgroup_stats(&cg, &s->cg, &ignore) == 0 && access(cg.dirs[0], F_OK) == 0) {
                        s->system_ns = host_cpu_ns();
                        s->running = true;
                        uint64_t mem = host_memory();
                        if (mem && (s->cg.mem_limit == 0 || s->cg.mem_limit > mem))
                                s->cg.mem_limit = mem; /* unlimited: the host's (docker) */
                } else {
                        memset(&s->cg, 0, sizeof(s->cg));
                }
                cgroup_release(&cg);
        }
        record_clear(&rec);
        return 0;
}

int stats_targets(const char *root, char *const *refs, char ***ids, struct berr *e)
{
        *ids = NULL;
        if (refs && refs[0]) {
                for (size_t i = 0; refs[i]; i++) {
                        char id[65];
                        int r = container_find(root, refs[i], id, e);
                        if (r < 0 || (r = strv_push(ids, id)) < 0) {
                                strv_free(*ids);
                                *ids = NULL;
                                return r == -ENOMEM ? berr_set(e, ENOMEM, "out of memory") : r;
                        }
                }
                return 0;
        }
        char **all = NULL;
        int r = container_list(root, &all, e);
        for (size_t i = 0; r == 0 && all[i]; i++) {
                struct record rec = {0};
                bool removed = false;
                struct berr ignore;
                if (container_reconcile(root, all[i], &rec, &removed, &ignore) == 0 && !removed &&
                    rec.status == REC_RUNNING && strv_push(ids, all[i]) < 0)
                        r = berr_set(e, ENOMEM, "out of memory");
                record_clear(&rec);
        }
        strv_free(all);
        if (r == 0 && !*ids && !(*ids = calloc(1, sizeof(char *))))
                r = berr_set(e, ENOMEM, "out of memory");
        if (r < 0) {
                strv_free(*ids);
                *ids = NULL;
        }
        return r;
}

double stats_cpu_percent(const struct stats_sample *prev, const struct stats_sample *cur,
                         long online_cpus)
{
        if (!prev->running || !cur->running || cur->cg.cpu_usage_ns <= prev->cg.cpu_usage_ns ||
            cur->system_ns <= prev->system_ns || online_cpus < 1)
                return 0.0;
        double cpu = (double)(cur->cg.cpu_usage_ns - prev->cg.cpu_usage_ns);
        double sys = (double)(cur->system_ns - prev->system_ns);
        return cpu / sys * (double)online_cpus * 100.0;
}

double stats_mem_percent(const struct stats_sample *s)
{
        if (!s->running || s->cg.mem_limit == 0)
                return 0.0;
        return (double)s->cg.mem_usage / (double)s->cg.mem_limit * 100.0;
}
