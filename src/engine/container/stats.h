/* `berth stats`: a container's resource usage read from its cgroup, and the numbers docker
 * derives from two readings (CPU %, MEM %). No printing. */
#ifndef BERTH_ENGINE_STATS_H
#define BERTH_ENGINE_STATS_H

#include "core/cgroup.h"

#include <stdbool.h>
#include <stdint.h>

struct berr;

struct stats_sample {
        char id[65];
        char name[256];
        bool running;            /* false: every number below is 0 */
        struct cgroup_stats cg;  /* cg.mem_limit is clamped to the host's memory, as docker */
        uint64_t system_ns;      /* the host's CPU time (/proc/stat) when cg was read */
        uint64_t net_rx, net_tx; /* not measured yet: 0 */
};

/* The containers to show: each ref resolved (an unknown one is -ENOENT "no such container"),
 * or, with no refs, every running container (reconciled first). *ids is a heap strv. */
int stats_targets(const char *root, char *const *refs, char ***ids, struct berr *e);

/* Reads one container (reconciling its record first). -ENOENT when it no longer exists. */
int stats_sample(const char *root, const char *id, struct stats_sample *s, struct berr *e);

/* docker's CPU %: (container CPU delta / host CPU delta) x online CPUs x 100; 0 when either
 * delta is not positive (first sample, counter reset). Pure. */
double stats_cpu_percent(const struct stats_sample *prev, const struct stats_sample *cur,
                         long online_cpus);
/* usage / limit x 100; 0 without a limit. Pure. */
double stats_mem_percent(const struct stats_sample *s);

/* The "cpu " line of /proc/stat text -> the host's CPU time in ns (user + nice + system + idle +
 * iowait + irq + softirq, as docker sums them), given the clock ticks per second. Pure.
 * -EINVAL if there is no such line. */
int stats_parse_proc_stat(const char *text, long clk_tck, uint64_t *ns);
/* MemTotal of /proc/meminfo text in bytes. Pure. -EINVAL if missing. */
int stats_parse_meminfo(const char *text, uint64_t *bytes);

#endif
