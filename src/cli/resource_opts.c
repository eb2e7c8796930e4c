/* docker's resource flags, with docker's checks and wording (daemon_unix.go
 * verifyPlatformContainerResources, go-units RAMInBytes and ParseUlimit). Every message names
 * the flag and the value the user typed. */
#include "cli/resource_opts.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define MIN_MEMORY (6LL << 20) /* docker's linuxMinMemory */
#define CPU_PERIOD_DEFAULT 100000
#define SIZE_HINT "use a number with an optional unit b, k, m or g"

const struct option resource_long_opts[] = {
    RESOURCE_LONG_OPTS,
    {NULL, 0, NULL, 0},
};

void resource_opts_init(struct resource_opts *ro, struct spec_resources *res,
                        struct spec_rlimit **rlimits, size_t *n_rlimits, const char **cgroup_parent)
{
        memset(ro, 0, sizeof(*ro));
        ro->res = res;
        ro->rlimits = rlimits;
        ro->n_rlimits = n_rlimits;
        ro->cgroup_parent = cgroup_parent;
        ro->nano_cpus = RES_UNSET;
}

bool resource_opt_known(int id)
{
        return id == ROPT_MEMORY || id == ROPT_CPU_SHARES ||
               (id >= ROPT_MEMORY_RESERVATION && id < ROPT__END);
}

/* Reads a one-line sysfs list into list (newline stripped) and bitmap. 1 if the file is
 * missing, 0 if read, <0 on a bad file. */
static int read_online(const char *sysfs, const char *rel, char *list, size_t len, uint64_t *bitmap,
                       struct berr *e)
{
        _cleanup_free_ char *path = path_join(sysfs, rel), *text = NULL;
        struct berr inner;
        if (!path)
                return berr_set(e, ENOMEM, "out of memory");
        if (read_file(path, &text, NULL, &inner) < 0)
                return 1;
        text[strcspn(text, "\n")] = '\0';
        snprintf(list, len, "%s", text);
        if (cpuset_list_parse(text, bitmap, NULL) < 0)
                return berr_set(e, EINVAL, "%s: cannot parse \"%s\"", path, text);
        return 0;
}

int resource_host_read(struct resource_host *h, const char *sysfs, struct berr *e)
{
        memset(h, 0, sizeof(*h));
        h->ncpus = sysconf(_SC_NPROCESSORS_ONLN);
        if (h->ncpus < 1)
                h->ncpus = 1;
        int r = read_online(sysfs, "devices/system/cpu/online", h->cpus_list, sizeof(h->cpus_list),
                            h->cpus, e);
        if (r < 0)
                return r;
        if (r > 0) {
                for (long i = 0; i < h->ncpus && i < CPUSET_MAX_BITS; i++)
                        h->cpus[i / 64] |= 1ULL << (i % 64);
                if (h->ncpus == 1)
                        snprintf(h->cpus_list, sizeof(h->cpus_list), "0");
                else
                        snprintf(h->cpus_list, sizeof(h->cpus_list), "0-%ld", h->ncpus - 1);
        }
        r = read_online(sysfs, "devices/system/node/online", h->mems_list, sizeof(h->mems_list),
                        h->mems, e);
        if (r < 0)
                return r;
        if (r > 0) {
                h->mems[0] = 1;
                snprintf(h->mems_list, sizeof(h->mems_list), "0");
        }
        return 0;
}

static int host(struct resource_opts *ro, const struct resource_host **out, struct berr *e)
{
        if (!ro->host) {
                if (!ro->host_loaded) {
                        int r = resource_host_read(&ro->host_buf, "/sys", e);
                        if (r < 0)
                                return r;
                        ro->host_loaded = true;
                }
                *out = &ro->host_buf;
        } else {
                *out = ro->host;
        }
        return 0;
}

static int size_arg(const char *flag, const char *arg, int64_t *out, struct berr *e)
{
        if (parse_size(arg, out) < 0)
                return berr_set(e, EINVAL, "%s: invalid size \"%s\": " SIZE_HINT, flag, arg);
        return 0;
}

static int int_arg(const char *flag, const char *arg, int64_t *out, struct berr *e)
{
        if (parse_int64(arg, out) < 0)
                return berr_set(e, EINVAL, "%s: invalid value \"%s\": must be an integer", flag,
                                arg);
        return 0;
}

static int memory_arg(const char *flag, const char *what, const char *arg, int64_t *out,
                      struct berr *e)
{
        int64_t v;
        int r = size_arg(flag, arg, &v, e);
        if (r < 0)
                return r;
        if (v > 0 && v < MIN_MEMORY)
                return berr_set(e, EINVAL, "%s: invalid value \"%s\": Minimum %s allowed is 6MB",
                                flag, arg, what);
        *out = v > 0 ? v : RES_UNSET; /* docker: 0 = not set */
        return 0;
}

static int cpuset_arg(struct resource_opts *ro, const char *flag, const char *arg, bool mems,
                      struct berr *e)
{
        uint64_t want[CPUSET_WORDS];
        const struct resource_host *h;
        int r = cpuset_list_parse(arg, want, NULL);
        if (r == -EINVAL)
                return berr_set(e, EINVAL,
                                "%s: invalid list \"%s\": use numbers and ranges such as 0-3,5",
                                flag, arg);
        int hr = host(ro, &h, e);
        if (hr < 0)
                return hr;
        /* -ERANGE: a number beyond any kernel's CPUs, so not available either. */
        if (r < 0 || cpuset_first_missing(want, mems ? h->mems : h->cpus) >= 0)
                return berr_set(e, EINVAL,
                                "%s: requested %s are not available - requested %s, "
                                "available: %s",
                                flag, mems ? "memory nodes" : "CPUs", arg,
                                mems ? h->mems_list : h->cpus_list);
        char **field = mems ? &ro->res->mems : &ro->res->cpus;
        char *copy = strdup(arg);
        if (!copy)
                return berr_set(e, ENOMEM, "out of memory");
        free(*field);
        *field = copy;
        return 0;
}

/* "1.0000000001": a decimal docker would call too precise, not garbage. */
static bool looks_decimal(const char *s)
{
        const char *dot = strchr(s, '.');
        return dot && !strchr(dot + 1, '.') && strspn(s, "0123456789.") == strlen(s) &&
               strpbrk(s, "0123456789");
}

static int cpus_arg(struct resource_opts *ro, const char *arg, struct berr *e)
{
        int64_t nano = 0;
        const struct resource_host *h;
        int r = parse_cpus_decimal(arg, &nano);
        if (r == -EINVAL && looks_decimal(arg))
                return berr_set(e, EINVAL,
                                "--cpus: invalid value \"%s\": too precise, use at "
                                "most 9 decimals",
                                arg);
        if (r == -EINVAL)
                return berr_set(e, EINVAL,
                                "--cpus: invalid value \"%s\": use a decimal number "
                                "of CPUs such as 1.5",
                                arg);
        if (r == 0 && nano == 0) { /* docker: 0 = not set */
                ro->nano_cpus = RES_UNSET;
                return 0;
        }
        int hr = host(ro, &h, e);
        if (hr < 0)
                return hr;
        if (r < 0 /* -ERANGE */ || nano < 10000000 || nano > (int64_t)h->ncpus * 1000000000LL)
                return berr_set(e, EINVAL,
                                "--cpus: invalid value \"%s\": range of CPUs is from "
                                "0.01 to %ld.00, as there are only %ld CPUs available",
                                arg, h->ncpus, h->ncpus);
        ro->nano_cpus = nano;
        return 0;
}

/* PATH:RATE for --device-{read,write}-{bps,iops}. */
static int throttle_arg(struct resource_opts *ro, enum spec_throttle_kind kind, const char *flag,
                        const char *arg, struct berr *e)
{
        bool bps = kind == THR_READ_BPS || kind == THR_WRITE_BPS;
        const char *colon = strrchr(arg, ':');
        if (!colon || colon == arg || !colon[1])
                return berr_set(e, EINVAL, "%s: invalid value \"%s\": use PATH:%s such as %s", flag,
                                arg, bps ? "RATE" : "N", bps ? "/dev/sda:1mb" : "/dev/sda:1000");
        _cleanup_free_ char *path = strndup(arg, (size_t)(colon - arg));
        if (!path)
                return berr_set(e, ENOMEM, "out of memory");
        const char *rs = colon + 1;
        int64_t rate;
        int pr = bps ? parse_size(rs, &rate) : parse_int64(rs, &rate);
        if (pr < 0 || rate <= 0)
                return berr_set(e, EINVAL, "%s: invalid rate \"%s\" for %s: use a positive %s",
                                flag, rs, path,
                                bps ? "number with an optional unit kb, mb or gb" : "integer");
        struct stat st;
        if (stat(path, &st) < 0) {
                if (errno == ENOENT || errno == ENOTDIR)
                        return berr_set(e, EINVAL, "%s: %s: no such device", flag, path);
                return berr_sys(e, errno, "%s: %s", flag, path);
        }
        if (!S_ISBLK(st.st_mode))
                return berr_set(e, EINVAL, "%s: %s is not a block device", flag, path);
        struct spec_resources *res = ro->res;
        struct spec_throttle *t =
            realloc(res->throttle[kind], (res->n_throttle[kind] + 1) * sizeof(*t));
        if (!t)
                return berr_set(e, ENOMEM, "out of memory");
        res->throttle[kind] = t;
        t[res->n_throttle[kind]++] = (struct spec_throttle){
            .major = major(st.st_rdev), .minor = minor(st.st_rdev), .rate = (uint64_t)rate};
        return 0;
}

static int rlimit_value(const char *s, uint64_t *out)
{
        int64_t v;
        if (!strcasecmp(s, "unlimited") || !strcmp(s, "-1")) {
                *out = RLIM_INFINITY;
                return 0;
        }
        if (parse_int64(s, &v) < 0 || v < 0)
                return -EINVAL;
        *out = (uint64_t)v;
        return 0;
}

int ulimit_parse(const char *arg, struct spec_rlimit *out, struct berr *e)
{
        const char *eq = strchr(arg, '=');
        if (!eq || eq == arg || !eq[1])
                return berr_set(e, EINVAL,
                                "--ulimit: invalid value \"%s\": use NAME=SOFT[:HARD] "
                                "such as nofile=1024:2048",
                                arg);
        char name[32], soft[32], hard[32];
        size_t nlen = (size_t)(eq - arg);
        const char *vals = eq + 1, *colon = strchr(vals, ':');
        size_t slen = colon ? (size_t)(colon - vals) : strlen(vals);
        if (nlen >= sizeof(name) || slen >= sizeof(soft) ||
            (colon && strlen(colon + 1) >= sizeof(hard)))
                return berr_set(e, EINVAL, "--ulimit: invalid value \"%s\": too long", arg);
        memcpy(name, arg, nlen);
        name[nlen] = '\0';
        memcpy(soft, vals, slen);
        soft[slen] = '\0';
        snprintf(hard, sizeof(hard), "%s", colon ? colon + 1 : soft);
        int res = spec_rlimit_from_name(name);
        if (res < 0)
                return berr_set(e, EINVAL,
                                "--ulimit: invalid value \"%s\": unknown limit \"%s\" "
                                "(use nofile, nproc, core, memlock, stack, ...)",
                                arg, name);
        uint64_t s, h;
        if (rlimit_value(soft, &s) < 0 || rlimit_value(hard, &h) < 0)
                return berr_set(e, EINVAL,
                                "--ulimit: invalid value \"%s\": limits must be "
                                "integers >= 0, -1 or \"unlimited\"",
                                arg);
        if (s > h)
                return berr_set(e, EINVAL,
                                "--ulimit: invalid value \"%s\": soft limit must be "
                                "less than or equal to hard limit",
                                arg);
        *out = (struct spec_rlimit){.resource = res, .soft = s, .hard = h};
        return 0;
}

static int ulimit_arg(struct resource_opts *ro, const char *arg, struct berr *e)
{
        struct spec_rlimit rl;
        int r = ulimit_parse(arg, &rl, e);
        if (r < 0)
                return r;
        for (size_t i = 0; i < *ro->n_rlimits; i++)
                if ((*ro->rlimits)[i].resource == rl.resource) { /* the last one wins */
                        (*ro->rlimits)[i] = rl;
                        return 0;
                }
        struct spec_rlimit *n = realloc(*ro->rlimits, (*ro->n_rlimits + 1) * sizeof(*n));
        if (!n)
                return berr_set(e, ENOMEM, "out of memory");
        *ro->rlimits = n;
        n[(*ro->n_rlimits)++] = rl;
        return 0;
}

static int cgroup_parent_arg(struct resource_opts *ro, const char *arg, struct berr *e)
{
        if (!ro->cgroup_parent)
                return berr_set(e, EINVAL, "--cgroup-parent: cannot be changed here");
        if (!arg[0])
                return berr_set(e, EINVAL, "--cgroup-parent: the path is empty");
        /* It becomes part of a path under the cgroup mount: no climbing out of it. */
        for (const char *p = arg; *p;) {
                size_t n = strcspn(p, "/");
                if (n == 2 && p[0] == '.' && p[1] == '.')
                        return berr_set(e, EINVAL,
                                        "--cgroup-parent: invalid path \"%s\": \"..\" "
                                        "is not allowed",
                                        arg);
                p += n;
                p += strspn(p, "/");
        }
        *ro->cgroup_parent = arg;
        return 0;
}

int resource_opt(struct resource_opts *ro, int id, const char *arg, struct berr *e)
{
        struct spec_resources *res = ro->res;
        int64_t v;
        int r;
        switch (id) {
        case ROPT_MEMORY:
                return memory_arg("-m", "memory limit", arg, &res->mem_limit, e);
        case ROPT_MEMORY_RESERVATION:
                return memory_arg("--memory-reservation", "memory reservation", arg,
                                  &res->mem_reservation, e);
        case ROPT_MEMORY_SWAP:
                if (!strcmp(arg, "-1")) {
                        res->mem_swap = -1;
                        return 0;
                }
                if ((r = size_arg("--memory-swap", arg, &v, e)) < 0)
                        return r;
                res->mem_swap = v > 0 ? v : RES_UNSET; /* docker: 0 = not set */
                return 0;
        case ROPT_MEMORY_SWAPPINESS:
                if ((r = int_arg("--memory-swappiness", arg, &v, e)) < 0)
                        return r;
                if (v == -1) { /* docker's default: the host's */
                        res->mem_swappiness = RES_UNSET;
                        return 0;
                }
                if (v < 0 || v > 100)
                        return berr_set(e, EINVAL,
                                        "--memory-swappiness: invalid value \"%s\": "
                                        "valid memory swappiness range is 0-100",
                                        arg);
                res->mem_swappiness = v;
                return 0;
        case ROPT_OOM_KILL_DISABLE:
                res->disable_oom_killer = true;
                return 0;
        case ROPT_CPUS:
                return cpus_arg(ro, arg, e);
        case ROPT_CPU_PERIOD:
                if ((r = int_arg("--cpu-period", arg, &v, e)) < 0)
                        return r;
                if (v != 0 && (v < 1000 || v > 1000000))
                        return berr_set(e, EINVAL,
                                        "--cpu-period: invalid value \"%s\": CPU cfs "
                                        "period can not be less than 1ms (i.e. 1000) "
                                        "or larger than 1s (i.e. 1000000)",
                                        arg);
                res->cpu_period = v ? v : RES_UNSET;
                return 0;
        case ROPT_CPU_QUOTA:
                if ((r = int_arg("--cpu-quota", arg, &v, e)) < 0)
                        return r;
                if (v < -1 || (v > 0 && v < 1000))
                        return berr_set(e, EINVAL,
                                        "--cpu-quota: invalid value \"%s\": CPU cfs "
                                        "quota can not be less than 1ms (i.e. 1000); "
                                        "-1 means unlimited",
                                        arg);
                res->cpu_quota = v ? v : RES_UNSET;
                return 0;
        case ROPT_CPU_SHARES:
                if ((r = int_arg("--cpu-shares", arg, &v, e)) < 0)
                        return r;
                if (v < 0)
                        return berr_set(e, EINVAL,
                                        "--cpu-shares: invalid value \"%s\": must be "
                                        "a positive integer",
                                        arg);
                /* docker: 0 = not set; the kernel's range is 2..262144, docker clamps. */
                res->cpu_shares = v == 0 ? RES_UNSET : v < 2 ? 2 : v > 262144 ? 262144 : v;
                return 0;
        case ROPT_CPUSET_CPUS:
                return cpuset_arg(ro, "--cpuset-cpus", arg, false, e);
        case ROPT_CPUSET_MEMS:
                return cpuset_arg(ro, "--cpuset-mems", arg, true, e);
        case ROPT_PIDS_LIMIT:
                if ((r = int_arg("--pids-limit", arg, &v, e)) < 0)
                        return r;
                res->pids_limit = v; /* <= 0: unlimited (the cgroup driver writes "max") */
                return 0;
        case ROPT_BLKIO_WEIGHT:
                if ((r = int_arg("--blkio-weight", arg, &v, e)) < 0)
                        return r;
                if (v != 0 && (v < 10 || v > 1000))
                        return berr_set(e, EINVAL,
                                        "--blkio-weight: invalid value \"%s\": range "
                                        "of blkio weight is from 10 to 1000",
                                        arg);
                res->blkio_weight = v ? v : RES_UNSET;
                return 0;
        case ROPT_DEVICE_READ_BPS:
                return throttle_arg(ro, THR_READ_BPS, "--device-read-bps", arg, e);
        case ROPT_DEVICE_WRITE_BPS:
                return throttle_arg(ro, THR_WRITE_BPS, "--device-write-bps", arg, e);
        case ROPT_DEVICE_READ_IOPS:
                return throttle_arg(ro, THR_READ_IOPS, "--device-read-iops", arg, e);
        case ROPT_DEVICE_WRITE_IOPS:
                return throttle_arg(ro, THR_WRITE_IOPS, "--device-write-iops", arg, e);
        case ROPT_ULIMIT:
                return ulimit_arg(ro, arg, e);
        case ROPT_CGROUP_PARENT:
                return cgroup_parent_arg(ro, arg, e);
        }
        return berr_set(e, EINVAL, "unknown resource flag");
}

int resource_opts_finish(struct resource_opts *ro, struct berr *e)
{
        struct spec_resources *res = ro->res;
        char a[32], b[32];
        if (ro->nano_cpus != RES_UNSET) {
                if (res->cpu_period != RES_UNSET || res->cpu_quota != RES_UNSET)
                        return berr_set(e, EINVAL,
                                        "Conflicting options: --cpus and "
                                        "--cpu-period/--cpu-quota cannot both be set");
                res->cpu_period = CPU_PERIOD_DEFAULT;
                res->cpu_quota = (ro->nano_cpus * CPU_PERIOD_DEFAULT + 500000000) / 1000000000;
        }
        bool mem = res->mem_limit != RES_UNSET;
        if (res->mem_swap > 0 && !mem && !ro->update)
                return berr_set(e, EINVAL,
                                "--memory-swap %s: you should always set the memory "
                                "limit (-m) when using --memory-swap",
                                format_size(res->mem_swap, a, sizeof(a)));
        if (mem && res->mem_swap > 0 && res->mem_swap < res->mem_limit)
                return berr_set(e, EINVAL,
                                "--memory-swap %s: Minimum memoryswap limit should be "
                                "larger than memory limit (-m %s)",
                                format_size(res->mem_swap, a, sizeof(a)),
                                format_size(res->mem_limit, b, sizeof(b)));
        if (mem && res->mem_reservation != RES_UNSET && res->mem_reservation > res->mem_limit)
                return berr_set(e, EINVAL,
                                "--memory-reservation %s: Minimum memory limit (-m %s) "
                                "can not be less than memory reservation limit",
                                format_size(res->mem_reservation, a, sizeof(a)),
                                format_size(res->mem_limit, b, sizeof(b)));
        /* docker: memory without swap gets as much swap again (OCI's swap = memory + swap). */
        if (mem && res->mem_swap == RES_UNSET && !ro->update)
                res->mem_swap = res->mem_limit <= INT64_MAX / 2 ? 2 * res->mem_limit : -1;
        return 0;
}
