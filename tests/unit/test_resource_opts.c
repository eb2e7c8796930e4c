/* Unit tests of src/cli/resource_opts.c through run_opts_parse (docker's resource flags on
 * `berth run`) and directly with a fake host (2 CPUs, node 0) for the host-dependent checks. */
#include "test.h"

#include "cli/resource_opts.h"
#include "cli/run_opts.h"
#include "engine/container/run.h"
#include "util/err.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define MiB (1LL << 20)

/* Parses a NULL-terminated argv; returns run_opts_parse's result. */
static int parse_v(const char *const *args, struct run_options *o, struct berr *e)
{
        int argc = 0;
        char *argv[64];
        while (args[argc] && argc < 63) {
                argv[argc] = (char *)args[argc];
                argc++;
        }
        argv[argc] = NULL;
        memset(e, 0, sizeof(*e));
        return run_opts_parse(argc, argv, NULL, o, e);
}
#define PARSE(o, e, ...) parse_v((const char *const[]){"run", __VA_ARGS__, NULL}, (o), (e))

/* Expects the flags to fail with a message containing want. */
static void expect_error(int line, const char *const *args, const char *want)
{
        struct run_options o;
        struct berr e;
        int r = parse_v(args, &o, &e);
        if (r != -EINVAL)
                test_fail(__FILE__, line, "expected -EINVAL, got %d (%s)", r, e.msg);
        else if (!strstr(e.msg, want))
                test_fail(__FILE__, line, "message \"%s\" lacks \"%s\"", e.msg, want);
        run_options_free(&o);
}
#define EXPECT_ERROR(want, ...)                                                                    \
        expect_error(__LINE__, (const char *const[]){"run", __VA_ARGS__, NULL}, (want))

static void fake_host(struct resource_host *h)
{
        memset(h, 0, sizeof(*h));
        h->ncpus = 2;
        h->cpus[0] = 3;
        h->mems[0] = 1;
        strcpy(h->cpus_list, "0-1");
        strcpy(h->mems_list, "0");
}

/* resource_opt + finish on fresh resources with the fake host; returns the first error. */
struct direct {
        struct spec_resources res;
        struct spec_rlimit *rl;
        size_t n_rl;
        const char *parent;
        struct resource_host host;
        struct resource_opts ro;
        struct berr e;
};

static void direct_init(struct direct *d)
{
        memset(d, 0, sizeof(*d));
        spec_resources_init(&d->res);
        fake_host(&d->host);
        resource_opts_init(&d->ro, &d->res, &d->rl, &d->n_rl, &d->parent);
        d->ro.host = &d->host;
}

static void direct_free(struct direct *d)
{
        spec_resources_clear(&d->res);
        free(d->rl);
}

TEST(resource_defaults_are_unset)
{
        struct run_options o;
        struct berr e;
        CHECK_INT_EQ(PARSE(&o, &e, "busybox"), 0);
        CHECK_INT_EQ(o.res.mem_limit, RES_UNSET);
        CHECK_INT_EQ(o.res.mem_swap, RES_UNSET);
        CHECK_INT_EQ(o.res.cpu_quota, RES_UNSET);
        CHECK_INT_EQ(o.res.pids_limit, RES_UNSET);
        CHECK(o.res.cpus == NULL);
        CHECK_INT_EQ(o.n_rlimits, 0);
        CHECK(o.cgroup_parent == NULL);
        CHECK(!o.res.disable_oom_killer);
        run_options_free(&o);
}

TEST(resource_memory_and_swap)
{
        struct run_options o;
        struct berr e;
        CHECK_INT_EQ(PARSE(&o, &e, "-m", "32m", "--memory-swap", "32m", "busybox"), 0);
        CHECK_INT_EQ(o.res.mem_limit, 32 * MiB);
        CHECK_INT_EQ(o.res.mem_swap, 32 * MiB);
        CHECK_STR_EQ(o.image, "busybox");
        run_options_free(&o);

        CHECK_INT_EQ(PARSE(&o, &e, "--memory=1.5g", "--memory-swap=-1", "busybox", "true"), 0);
        CHECK_INT_EQ(o.res.mem_limit, 1536 * MiB);
        CHECK_INT_EQ(o.res.mem_swap, -1);
        CHECK_STR_EQ(o.cmd[0], "true");
        run_options_free(&o);

        CHECK_INT_EQ(PARSE(&o, &e, "-m64MiB", "--memory-reservation", "16m", "--memory-swappiness",
                           "60", "--oom-kill-disable", "busybox"),
                     0);
        CHECK_INT_EQ(o.res.mem_limit, 64 * MiB);
        CHECK_INT_EQ(o.res.mem_reservation, 16 * MiB);
        CHECK_INT_EQ(o.res.mem_swappiness, 60);
        CHECK(o.res.disable_oom_killer);
        run_options_free(&o);
}

TEST(resource_memory_default_swap_is_twice)
{
        struct run_options o;
        struct berr e;
        CHECK_INT_EQ(PARSE(&o, &e, "-m", "32m", "busybox"), 0);
        CHECK_INT_EQ(o.res.mem_limit, 32 * MiB);
        CHECK_INT_EQ(o.res.mem_swap, 64 * MiB);
        run_options_free(&o);
        /* docker: --memory-swap 0 means "not given" */
        CHECK_INT_EQ(PARSE(&o, &e, "-m", "32m", "--memory-swap", "0", "busybox"), 0);
        CHECK_INT_EQ(o.res.mem_swap, 64 * MiB);
        run_options_free(&o);
        /* -m 0 is no limit, so no swap default either */
        CHECK_INT_EQ(PARSE(&o, &e, "-m", "0", "busybox"), 0);
        CHECK_INT_EQ(o.res.mem_limit, RES_UNSET);
        CHECK_INT_EQ(o.res.mem_swap, RES_UNSET);
        run_options_free(&o);
}

TEST(resource_memory_errors)
{
        EXPECT_ERROR("-m: invalid size \"12XB\": use a number with an optional unit b, k, m or g",
                     "-m", "12XB", "busybox");
        EXPECT_ERROR("-m: invalid size \"-5m\"", "-m", "-5m", "busybox");
        EXPECT_ERROR("-m: invalid size \"\"", "-m", "", "busybox");
        EXPECT_ERROR("-m: invalid size \"m\"", "--memory", "m", "busybox");
        EXPECT_ERROR("-m: invalid value \"4m\": Minimum memory limit allowed is 6MB", "-m", "4m",
                     "busybox");
        EXPECT_ERROR("--memory-reservation: invalid value \"1m\": Minimum memory reservation "
                     "allowed is 6MB",
                     "--memory-reservation", "1m", "busybox");
        EXPECT_ERROR("--memory-swap: invalid size \"lots\"", "--memory-swap", "lots", "busybox");
        EXPECT_ERROR("--memory-swap 64m: you should always set the memory limit (-m)",
                     "--memory-swap", "64m", "busybox");
        EXPECT_ERROR("--memory-swap 16m: Minimum memoryswap limit should be larger than memory "
                     "limit (-m 32m)",
                     "-m", "32m", "--memory-swap", "16m", "busybox");
        EXPECT_ERROR("--memory-reservation 64m: Minimum memory limit (-m 32m) can not be less "
                     "than memory reservation limit",
                     "-m", "32m", "--memory-reservation", "64m", "busybox");
        EXPECT_ERROR("--memory-swappiness: invalid value \"101\": valid memory swappiness range "
                     "is 0-100",
                     "--memory-swappiness", "101", "busybox");
        EXPECT_ERROR("--memory-swappiness: invalid value \"x\": must be an integer",
                     "--memory-swappiness", "x", "busybox");
        EXPECT_ERROR("run: flag -m needs a value", "-m");
}

TEST(resource_swap_alone_allowed_for_update)
{
        struct direct d;
        direct_init(&d);
        d.ro.update = true;
        CHECK_INT_EQ(resource_opt(&d.ro, ROPT_MEMORY_SWAP, "64m", &d.e), 0);
        CHECK_INT_EQ(resource_opts_finish(&d.ro, &d.e), 0);
        CHECK_INT_EQ(d.res.mem_swap, 64 * MiB);
        CHECK_INT_EQ(d.res.mem_limit, RES_UNSET);
        direct_free(&d);
}

TEST(resource_cpus_sets_quota_and_period)
{
        struct run_options o;
        struct berr e;
        CHECK_INT_EQ(PARSE(&o, &e, "--cpus", "0.2", "busybox"), 0);
        CHECK_INT_EQ(o.res.cpu_quota, 20000);
        CHECK_INT_EQ(o.res.cpu_period, 100000);
        run_options_free(&o);
        CHECK_INT_EQ(
            PARSE(&o, &e, "--cpu-period", "50000", "--cpu-quota", "25000", "-c", "512", "busybox"),
            0);
        CHECK_INT_EQ(o.res.cpu_period, 50000);
        CHECK_INT_EQ(o.res.cpu_quota, 25000);
        CHECK_INT_EQ(o.res.cpu_shares, 512);
        run_options_free(&o);
        CHECK_INT_EQ(PARSE(&o, &e, "--cpu-quota", "-1", "--cpu-shares=1", "busybox"), 0);
        CHECK_INT_EQ(o.res.cpu_quota, -1);
        CHECK_INT_EQ(o.res.cpu_shares, 2); /* docker clamps to the kernel's minimum */
        run_options_free(&o);
}

TEST(resource_cpus_rounding_and_range)
{
        struct direct d;
        direct_init(&d);
        CHECK_INT_EQ(resource_opt(&d.ro, ROPT_CPUS, "1.333333333", &d.e), 0);
        CHECK_INT_EQ(resource_opts_finish(&d.ro, &d.e), 0);
        CHECK_INT_EQ(d.res.cpu_quota, 133333);
        CHECK_INT_EQ(d.res.cpu_period, 100000);
        direct_free(&d);

        direct_init(&d);
        CHECK_INT_EQ(resource_opt(&d.ro, ROPT_CPUS, "2", &d.e), 0);
        CHECK_INT_EQ(resource_opt(&d.ro, ROPT_CPUS, "2.5", &d.e), -EINVAL);
        CHECK_STR_EQ(d.e.msg, "--cpus: invalid value \"2.5\": range of CPUs is from 0.01 to 2.00, "
                              "as there are only 2 CPUs available");
        CHECK_INT_EQ(resource_opt(&d.ro, ROPT_CPUS, "0.001", &d.e), -EINVAL);
        CHECK(strstr(d.e.msg, "range of CPUs is from 0.01") != NULL);
        CHECK_INT_EQ(resource_opt(&d.ro, ROPT_CPUS, "99999999999", &d.e), -EINVAL);
        CHECK(strstr(d.e.msg, "range of CPUs") != NULL);
        CHECK_INT_EQ(resource_opt(&d.ro, ROPT_CPUS, "0.0000000001", &d.e), -EINVAL);
        CHECK(strstr(d.e.msg, "too precise") != NULL);
        CHECK_INT_EQ(resource_opt(&d.ro, ROPT_CPUS, "two", &d.e), -EINVAL);
        CHECK_STR_EQ(d.e.msg, "--cpus: invalid value \"two\": use a decimal number of CPUs such "
                              "as 1.5");
        direct_free(&d);
}

TEST(resource_cpu_errors)
{
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        char too_many[32], want[128];
        snprintf(too_many, sizeof(too_many), "%ld.5", n);
        snprintf(want, sizeof(want), "as there are only %ld CPUs available", n);
        EXPECT_ERROR(want, "--cpus", too_many, "busybox");
        EXPECT_ERROR("Conflicting options: --cpus and --cpu-period/--cpu-quota cannot both be set",
                     "--cpus", "0.5", "--cpu-period", "50000", "busybox");
        EXPECT_ERROR("Conflicting options: --cpus and --cpu-period/--cpu-quota", "--cpu-quota",
                     "50000", "--cpus", "0.5", "busybox");
        EXPECT_ERROR("--cpu-period: invalid value \"999\": CPU cfs period can not be less than "
                     "1ms (i.e. 1000) or larger than 1s (i.e. 1000000)",
                     "--cpu-period", "999", "busybox");
        EXPECT_ERROR("--cpu-period: invalid value \"1000001\"", "--cpu-period", "1000001",
                     "busybox");
        EXPECT_ERROR("--cpu-quota: invalid value \"999\": CPU cfs quota can not be less than 1ms",
                     "--cpu-quota", "999", "busybox");
        EXPECT_ERROR("--cpu-quota: invalid value \"-2\"", "--cpu-quota", "-2", "busybox");
        EXPECT_ERROR("--cpu-shares: invalid value \"-5\": must be a positive integer", "-c", "-5",
                     "busybox");
        EXPECT_ERROR("--cpu-shares: invalid value \"1k\": must be an integer", "--cpu-shares", "1k",
                     "busybox");
}

TEST(resource_cpuset)
{
        struct direct d;
        direct_init(&d);
        CHECK_INT_EQ(resource_opt(&d.ro, ROPT_CPUSET_CPUS, "0-1", &d.e), 0);
        CHECK_STR_EQ(d.res.cpus, "0-1");
        CHECK_INT_EQ(resource_opt(&d.ro, ROPT_CPUSET_CPUS, "1", &d.e), 0); /* replaces */
        CHECK_STR_EQ(d.res.cpus, "1");
        CHECK_INT_EQ(resource_opt(&d.ro, ROPT_CPUSET_MEMS, "0", &d.e), 0);
        CHECK_STR_EQ(d.res.mems, "0");
        CHECK_INT_EQ(resource_opt(&d.ro, ROPT_CPUSET_CPUS, "99", &d.e), -EINVAL);
        CHECK_STR_EQ(d.e.msg, "--cpuset-cpus: requested CPUs are not available - requested 99, "
                              "available: 0-1");
        CHECK_INT_EQ(resource_opt(&d.ro, ROPT_CPUSET_CPUS, "0-99999", &d.e), -EINVAL);
        CHECK(strstr(d.e.msg, "requested 0-99999, available: 0-1") != NULL);
        CHECK_INT_EQ(resource_opt(&d.ro, ROPT_CPUSET_MEMS, "1", &d.e), -EINVAL);
        CHECK_STR_EQ(d.e.msg, "--cpuset-mems: requested memory nodes are not available - "
                              "requested 1, available: 0");
        static const char *const bad[] = {"1-0", "a", "", ",", "0,,1"};
        for (size_t i = 0; i < 5; i++) {
                char want[64];
                snprintf(want, sizeof(want), "--cpuset-cpus: invalid list \"%s\"", bad[i]);
                CHECK_INT_EQ(resource_opt(&d.ro, ROPT_CPUSET_CPUS, bad[i], &d.e), -EINVAL);
                if (!CHECK(strstr(d.e.msg, want) != NULL))
                        test_fail(__FILE__, __LINE__, "got \"%s\"", d.e.msg);
        }
        CHECK_STR_EQ(d.res.cpus, "1"); /* errors leave the last good value */
        direct_free(&d);

        EXPECT_ERROR("--cpuset-cpus: requested CPUs are not available - requested 8000",
                     "--cpuset-cpus", "8000", "busybox");
        EXPECT_ERROR("--cpuset-mems: invalid list \"0-\"", "--cpuset-mems", "0-", "busybox");
        struct run_options o;
        struct berr e;
        CHECK_INT_EQ(PARSE(&o, &e, "--cpuset-cpus", "0", "--cpuset-mems", "0", "busybox"), 0);
        CHECK_STR_EQ(o.res.cpus, "0");
        CHECK_STR_EQ(o.res.mems, "0");
        run_options_free(&o);
}

static char *tmpdir_new(void)
{
        char tmpl[] = "/tmp/berth-unit.XXXXXX";
        char *d = mkdtemp(tmpl);
        return d ? strdup(d) : NULL;
}

static void write_str(const char *dir, const char *rel, const char *text)
{
        char p[512];
        snprintf(p, sizeof(p), "%s/%s", dir, rel);
        FILE *f = fopen(p, "w");
        if (!f) {
                test_fail(__FILE__, __LINE__, "cannot write %s", p);
                return;
        }
        fputs(text, f);
        fclose(f);
}

static void rm_tree(const char *d)
{
        char cmd[600];
        snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", d);
        if (system(cmd) != 0)
                test_fail(__FILE__, __LINE__, "cannot remove %s", d);
}

TEST(resource_host_read_sysfs)
{
        char *d = tmpdir_new(), p[512];
        struct resource_host h;
        struct berr e = {0};
        if (!CHECK(d != NULL))
                return;
        /* nothing there: CPUs 0..ncpus-1 and node 0 */
        CHECK_INT_EQ(resource_host_read(&h, d, &e), 0);
        CHECK(h.ncpus >= 1);
        CHECK(h.cpus[0] & 1);
        CHECK_STR_EQ(h.mems_list, "0");
        CHECK_INT_EQ(h.mems[0], 1);

        snprintf(p, sizeof(p), "%s/devices/system/cpu", d);
        char cmd[600];
        snprintf(cmd, sizeof(cmd), "mkdir -p '%s' '%s/devices/system/node'", p, d);
        CHECK_INT_EQ(system(cmd), 0);
        write_str(d, "devices/system/cpu/online", "0-3,8\n");
        write_str(d, "devices/system/node/online", "0-1\n");
        CHECK_INT_EQ(resource_host_read(&h, d, &e), 0);
        CHECK_STR_EQ(h.cpus_list, "0-3,8");
        CHECK_INT_EQ(h.cpus[0], 0x10f);
        CHECK_STR_EQ(h.mems_list, "0-1");
        CHECK_INT_EQ(h.mems[0], 3);

        write_str(d, "devices/system/cpu/online", "garbage\n");
        CHECK_INT_EQ(resource_host_read(&h, d, &e), -EINVAL);
        CHECK(strstr(e.msg, "cannot parse \"garbage\"") != NULL);
        rm_tree(d);
        free(d);
}

TEST(resource_pids_and_blkio)
{
        struct run_options o;
        struct berr e;
        CHECK_INT_EQ(PARSE(&o, &e, "--pids-limit", "100", "--blkio-weight", "300", "busybox"), 0);
        CHECK_INT_EQ(o.res.pids_limit, 100);
        CHECK_INT_EQ(o.res.blkio_weight, 300);
        run_options_free(&o);
        CHECK_INT_EQ(PARSE(&o, &e, "--pids-limit", "-1", "--blkio-weight", "0", "busybox"), 0);
        CHECK_INT_EQ(o.res.pids_limit, -1);
        CHECK_INT_EQ(o.res.blkio_weight, RES_UNSET);
        run_options_free(&o);
        CHECK_INT_EQ(PARSE(&o, &e, "--pids-limit", "0", "busybox"), 0);
        CHECK_INT_EQ(o.res.pids_limit, 0);
        run_options_free(&o);
        EXPECT_ERROR("--pids-limit: invalid value \"lots\": must be an integer", "--pids-limit",
                     "lots", "busybox");
        EXPECT_ERROR("--blkio-weight: invalid value \"5\": range of blkio weight is from 10 to "
                     "1000",
                     "--blkio-weight", "5", "busybox");
        EXPECT_ERROR("--blkio-weight: invalid value \"1001\"", "--blkio-weight", "1001", "busybox");
}

/* A block device node to point the throttle flags at: made with mknod in a temporary directory
 * when we may (root), else an existing loop device; NULL when neither is possible. */
static char *block_device(char **dir)
{
        *dir = tmpdir_new();
        if (*dir) {
                char p[512];
                snprintf(p, sizeof(p), "%s/blk", *dir);
                if (mknod(p, S_IFBLK | 0600, makedev(7, 3)) == 0)
                        return strdup(p);
        }
        struct stat st;
        if (stat("/dev/loop3", &st) == 0 && S_ISBLK(st.st_mode))
                return strdup("/dev/loop3");
        return NULL;
}

TEST(resource_device_throttles)
{
        char *dir = NULL, *dev = block_device(&dir);
        if (!dev) {
                printf("  (skipped: no block device node available)\n");
                if (dir)
                        rm_tree(dir);
                free(dir);
                return;
        }
        char rbps[600], wbps[600], riops[600], wiops[600], wbps2[600];
        snprintf(rbps, sizeof(rbps), "%s:1mb", dev);
        snprintf(wbps, sizeof(wbps), "%s:512k", dev);
        snprintf(wbps2, sizeof(wbps2), "%s:1024", dev);
        snprintf(riops, sizeof(riops), "%s:1000", dev);
        snprintf(wiops, sizeof(wiops), "%s:20", dev);
        struct run_options o;
        struct berr e;
        CHECK_INT_EQ(PARSE(&o, &e, "--device-read-bps", rbps, "--device-write-bps", wbps,
                           "--device-write-bps", wbps2, "--device-read-iops", riops,
                           "--device-write-iops", wiops, "busybox"),
                     0);
        if (CHECK_INT_EQ(o.res.n_throttle[THR_READ_BPS], 1)) {
                CHECK_INT_EQ(o.res.throttle[THR_READ_BPS][0].major, 7);
                CHECK_INT_EQ(o.res.throttle[THR_READ_BPS][0].minor, 3);
                CHECK_INT_EQ(o.res.throttle[THR_READ_BPS][0].rate, MiB);
        }
        if (CHECK_INT_EQ(o.res.n_throttle[THR_WRITE_BPS], 2)) {
                CHECK_INT_EQ(o.res.throttle[THR_WRITE_BPS][0].rate, 512 * 1024);
                CHECK_INT_EQ(o.res.throttle[THR_WRITE_BPS][1].rate, 1024);
        }
        if (CHECK_INT_EQ(o.res.n_throttle[THR_READ_IOPS], 1))
                CHECK_INT_EQ(o.res.throttle[THR_READ_IOPS][0].rate, 1000);
        if (CHECK_INT_EQ(o.res.n_throttle[THR_WRITE_IOPS], 1))
                CHECK_INT_EQ(o.res.throttle[THR_WRITE_IOPS][0].rate, 20);
        run_options_free(&o);

        char bad[600], want[700];
        snprintf(bad, sizeof(bad), "%s:fast", dev);
        snprintf(want, sizeof(want), "--device-read-bps: invalid rate \"fast\" for %s", dev);
        EXPECT_ERROR(want, "--device-read-bps", bad, "busybox");
        snprintf(bad, sizeof(bad), "%s:1.5", dev);
        snprintf(want, sizeof(want),
                 "--device-write-iops: invalid rate \"1.5\" for %s: use a "
                 "positive integer",
                 dev);
        EXPECT_ERROR(want, "--device-write-iops", bad, "busybox");
        snprintf(bad, sizeof(bad), "%s:0", dev);
        EXPECT_ERROR("--device-read-iops: invalid rate \"0\"", "--device-read-iops", bad,
                     "busybox");
        EXPECT_ERROR("--device-write-bps: invalid rate \"0\"", "--device-write-bps", bad,
                     "busybox");
        if (dir)
                rm_tree(dir);
        free(dir);
        free(dev);
}

TEST(resource_device_errors)
{
        EXPECT_ERROR("--device-read-bps: /dev/nope: no such device", "--device-read-bps",
                     "/dev/nope:1mb", "busybox");
        EXPECT_ERROR("--device-write-bps: /dev/null is not a block device", "--device-write-bps",
                     "/dev/null:1mb", "busybox");
        EXPECT_ERROR("--device-read-iops: invalid value \"/dev/sda\": use PATH:N",
                     "--device-read-iops", "/dev/sda", "busybox");
        EXPECT_ERROR("--device-write-iops: invalid value \":5\"", "--device-write-iops", ":5",
                     "busybox");
        EXPECT_ERROR("--device-read-bps: invalid value \"/dev/sda:\": use PATH:RATE",
                     "--device-read-bps", "/dev/sda:", "busybox");
}

TEST(resource_ulimit_parse)
{
        struct spec_rlimit rl;
        struct berr e = {0};
        CHECK_INT_EQ(ulimit_parse("nofile=1024:2048", &rl, &e), 0);
        CHECK_INT_EQ(rl.resource, RLIMIT_NOFILE);
        CHECK_INT_EQ(rl.soft, 1024);
        CHECK_INT_EQ(rl.hard, 2048);
        CHECK_INT_EQ(ulimit_parse("nproc=50", &rl, &e), 0);
        CHECK_INT_EQ(rl.resource, RLIMIT_NPROC);
        CHECK_INT_EQ(rl.soft, 50);
        CHECK_INT_EQ(rl.hard, 50);
        CHECK_INT_EQ(ulimit_parse("memlock=-1:-1", &rl, &e), 0);
        CHECK(rl.soft == RLIM_INFINITY && rl.hard == RLIM_INFINITY);
        CHECK_INT_EQ(ulimit_parse("core=0:unlimited", &rl, &e), 0);
        CHECK(rl.soft == 0 && rl.hard == RLIM_INFINITY);
        CHECK_INT_EQ(ulimit_parse("RLIMIT_STACK=8192", &rl, &e), 0);
        CHECK_INT_EQ(rl.resource, RLIMIT_STACK);

        CHECK_INT_EQ(ulimit_parse("nofile=10:5", &rl, &e), -EINVAL);
        CHECK_STR_EQ(e.msg, "--ulimit: invalid value \"nofile=10:5\": soft limit must be less "
                            "than or equal to hard limit");
        CHECK_INT_EQ(ulimit_parse("nofile=unlimited:5", &rl, &e), -EINVAL);
        CHECK(strstr(e.msg, "soft limit must be less") != NULL);
        CHECK_INT_EQ(ulimit_parse("bogus=1", &rl, &e), -EINVAL);
        CHECK(strstr(e.msg, "unknown limit \"bogus\"") != NULL);
        static const char *const bad[] = {"nofile",     "nofile=",   "=5",           "nofile=a",
                                          "nofile=1:b", "nofile=-2", "nofile=1:2:3", "nofile=1:"};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                char want[64];
                snprintf(want, sizeof(want), "--ulimit: invalid value \"%s\"", bad[i]);
                CHECK_INT_EQ(ulimit_parse(bad[i], &rl, &e), -EINVAL);
                if (!CHECK(strstr(e.msg, want) != NULL))
                        test_fail(__FILE__, __LINE__, "got \"%s\"", e.msg);
        }
}

TEST(resource_ulimit_repeat_replaces)
{
        struct run_options o;
        struct berr e;
        CHECK_INT_EQ(PARSE(&o, &e, "--ulimit", "nofile=100:200", "--ulimit", "nproc=10", "--ulimit",
                           "nofile=300", "busybox"),
                     0);
        if (CHECK_INT_EQ(o.n_rlimits, 2)) {
                CHECK_INT_EQ(o.rlimits[0].resource, RLIMIT_NOFILE);
                CHECK_INT_EQ(o.rlimits[0].soft, 300);
                CHECK_INT_EQ(o.rlimits[0].hard, 300);
                CHECK_INT_EQ(o.rlimits[1].resource, RLIMIT_NPROC);
        }
        run_options_free(&o);
        EXPECT_ERROR("--ulimit: invalid value \"nofile=2:1\"", "--ulimit", "nofile=2:1", "busybox");
}

TEST(resource_cgroup_parent)
{
        struct run_options o;
        struct berr e;
        CHECK_INT_EQ(PARSE(&o, &e, "--cgroup-parent", "/mygroup/sub", "busybox"), 0);
        CHECK_STR_EQ(o.cgroup_parent, "/mygroup/sub");
        run_options_free(&o);
        EXPECT_ERROR("--cgroup-parent: invalid path \"../escape\"", "--cgroup-parent", "../escape",
                     "busybox");
        EXPECT_ERROR("--cgroup-parent: the path is empty", "--cgroup-parent", "", "busybox");

        struct direct d;
        direct_init(&d);
        d.ro.cgroup_parent = NULL; /* `update` */
        CHECK_INT_EQ(resource_opt(&d.ro, ROPT_CGROUP_PARENT, "x", &d.e), -EINVAL);
        direct_free(&d);
}

TEST(resource_flags_mix_with_run_flags)
{
        struct run_options o;
        struct berr e;
        CHECK_INT_EQ(PARSE(&o, &e, "--rm", "-m", "32m", "-it", "-c", "100", "--name", "x",
                           "busybox", "sh", "-m", "5"),
                     0);
        CHECK(o.rm && o.interactive && o.tty);
        CHECK_INT_EQ(o.res.mem_limit, 32 * MiB);
        CHECK_INT_EQ(o.res.cpu_shares, 100);
        CHECK_STR_EQ(o.name, "x");
        /* flags after IMAGE belong to the command */
        CHECK_STR_EQ(o.cmd[1], "-m");
        run_options_free(&o);
}

TEST(resource_long_opts_table_matches)
{
        size_t n = 0;
        while (resource_long_opts[n].name) {
                CHECK(resource_opt_known(resource_long_opts[n].val));
                n++;
        }
        /* every id from 2000 on plus -m and -c */
        CHECK_INT_EQ(n, ROPT__END - ROPT_MEMORY_RESERVATION + 2);
        CHECK(!resource_opt_known('i'));
        CHECK(!resource_opt_known(ROPT__END));
}
