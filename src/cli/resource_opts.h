/* docker's resource flags (-m, --cpus, --ulimit, ...) -> struct spec_resources and rlimits.
 * Shared by `berth run` and (later) `berth update`: the parser works on a struct
 * resource_opts that points at the fields to fill, never on a whole command's options.
 *
 *     struct resource_opts ro;
 *     resource_opts_init(&ro, &o->res, &o->rlimits, &o->n_rlimits, &o->cgroup_parent);
 *     ... for every flag c with resource_opt_known(c): resource_opt(&ro, c, optarg, e) ...
 *     resource_opts_finish(&ro, e);   cross-flag checks and docker's defaults
 */
#ifndef BERTH_CLI_RESOURCE_OPTS_H
#define BERTH_CLI_RESOURCE_OPTS_H

#include "core/spec.h"
#include "util/units.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

struct berr;

/* getopt_long ids: -m and -c are their own short letters; the rest are >= 2000. */
enum resource_opt_id {
        ROPT_MEMORY = 'm',
        ROPT_CPU_SHARES = 'c',
        ROPT_MEMORY_RESERVATION = 2000,
        ROPT_MEMORY_SWAP,
        ROPT_MEMORY_SWAPPINESS,
        ROPT_OOM_KILL_DISABLE,
        ROPT_CPUS,
        ROPT_CPU_PERIOD,
        ROPT_CPU_QUOTA,
        ROPT_CPUSET_CPUS,
        ROPT_CPUSET_MEMS,
        ROPT_PIDS_LIMIT,
        ROPT_BLKIO_WEIGHT,
        ROPT_DEVICE_READ_BPS,
        ROPT_DEVICE_WRITE_BPS,
        ROPT_DEVICE_READ_IOPS,
        ROPT_DEVICE_WRITE_IOPS,
        ROPT_ULIMIT,
        ROPT_CGROUP_PARENT,
        ROPT__END,
};

/* The short letters, for a getopt optstring. */
#define RESOURCE_SHORT_OPTS "m:c:"

/* Entries to splice into a command's static getopt_long table (before its {NULL} end). */
// clang-format off
#define RESOURCE_LONG_OPTS                                                                         \
        {"memory", required_argument, NULL, ROPT_MEMORY},                                          \
        {"memory-reservation", required_argument, NULL, ROPT_MEMORY_RESERVATION},                  \
        {"memory-swap", required_argument, NULL, ROPT_MEMORY_SWAP},                                \
        {"memory-swappiness", required_argument, NULL, ROPT_MEMORY_SWAPPINESS},                    \
        {"oom-kill-disable", no_argument, NULL, ROPT_OOM_KILL_DISABLE},                            \
        {"cpus", required_argument, NULL, ROPT_CPUS},                                              \
        {"cpu-period", required_argument, NULL, ROPT_CPU_PERIOD},                                  \
        {"cpu-quota", required_argument, NULL, ROPT_CPU_QUOTA},                                    \
        {"cpu-shares", required_argument, NULL, ROPT_CPU_SHARES},                                  \
        {"cpuset-cpus", required_argument, NULL, ROPT_CPUSET_CPUS},                                \
        {"cpuset-mems", required_argument, NULL, ROPT_CPUSET_MEMS},                                \
        {"pids-limit", required_argument, NULL, ROPT_PIDS_LIMIT},                                  \
        {"blkio-weight", required_argument, NULL, ROPT_BLKIO_WEIGHT},                              \
        {"device-read-bps", required_argument, NULL, ROPT_DEVICE_READ_BPS},                        \
        {"device-write-bps", required_argument, NULL, ROPT_DEVICE_WRITE_BPS},                      \
        {"device-read-iops", required_argument, NULL, ROPT_DEVICE_READ_IOPS},                      \
        {"device-write-iops", required_argument, NULL, ROPT_DEVICE_WRITE_IOPS},                    \
        {"ulimit", required_argument, NULL, ROPT_ULIMIT},                                          \
        {"cgroup-parent", required_argument, NULL, ROPT_CGROUP_PARENT}
// clang-format on

/* The same entries as a {NULL}-terminated table, for callers that merge at run time. */
extern const struct option resource_long_opts[];

/* What the flags are checked against: online CPUs and memory nodes. */
struct resource_host {
        long ncpus;                          /* sysconf(_SC_NPROCESSORS_ONLN) */
        uint64_t cpus[CPUSET_WORDS];         /* online CPUs */
        uint64_t mems[CPUSET_WORDS];         /* online memory nodes */
        char cpus_list[256], mems_list[256]; /* the lists as the kernel prints them */
};

/* Reads <sysfs>/devices/system/cpu/online and <sysfs>/devices/system/node/online (sysfs is
 * normally "/sys"). A missing cpu file means CPUs 0..ncpus-1; a missing node file means node 0
 * only (kernels without NUMA). */
int resource_host_read(struct resource_host *h, const char *sysfs, struct berr *e);

struct resource_opts {
        struct spec_resources *res;   /* filled in place; spec_resources_init'ed by the caller */
        struct spec_rlimit **rlimits; /* --ulimit list (realloc'ed; caller frees) */
        size_t *n_rlimits;
        const char **cgroup_parent;       /* NULL: --cgroup-parent is refused (`update`) */
        const struct resource_host *host; /* NULL: read /sys when first needed */
        bool update; /* `berth update`: no run defaults (swap = 2 x memory), swap without -m ok */

        /* private */
        int64_t nano_cpus; /* --cpus, RES_UNSET when not given */
        struct resource_host host_buf;
        bool host_loaded;
};

void resource_opts_init(struct resource_opts *ro, struct spec_resources *res,
                        struct spec_rlimit **rlimits, size_t *n_rlimits,
                        const char **cgroup_parent);
/* Whether id is one of enum resource_opt_id. */
bool resource_opt_known(int id);
/* One flag: parses and checks arg on its own (ranges, units, devices, host CPUs) and stores it.
 * Errors name the flag and the value; errno EINVAL (ENOMEM if out of memory). */
int resource_opt(struct resource_opts *ro, int id, const char *arg, struct berr *e);
/* After the last flag: checks across flags (--memory-swap vs -m, --cpus vs --cpu-period, ...)
 * and applies docker's defaults (swap = 2 x memory; --cpus -> period 100000 and quota). */
int resource_opts_finish(struct resource_opts *ro, struct berr *e);

/* "NAME=SOFT[:HARD]" (docker's --ulimit) -> *out. SOFT and HARD are integers, or "unlimited"
 * or -1 for RLIM_INFINITY; HARD defaults to SOFT. Pure. */
int ulimit_parse(const char *arg, struct spec_rlimit *out, struct berr *e);

#endif
