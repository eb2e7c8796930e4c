/* Unit tests of spec_resources_merge (src/core/spec_resources.c): what `berth update` saves. */
#include "test.h"

#include "core/spec.h"

#include <stdlib.h>
#include <string.h>

static struct spec_throttle *throttles(size_t n, const struct spec_throttle *t)
{
        struct spec_throttle *p = malloc(n * sizeof(*p));
        memcpy(p, t, n * sizeof(*p));
        return p;
}

TEST(spec_resources_merge_only_given_fields_change)
{
        struct spec_resources dst, src;
        spec_resources_init(&dst);
        spec_resources_init(&src);
        dst.mem_limit = 32 << 20;
        dst.mem_swap = 64 << 20;
        dst.cpu_shares = 512;
        dst.pids_limit = 10;
        dst.cpus = strdup("0");
        dst.disable_oom_killer = true;
        src.mem_limit = 64 << 20;
        src.cpu_quota = 50000;
        src.cpu_period = 100000;
        src.pids_limit = 20;
        CHECK_INT_EQ(spec_resources_merge(&dst, &src), 0);
        CHECK_INT_EQ(dst.mem_limit, 64 << 20);
        CHECK_INT_EQ(dst.mem_swap, 64 << 20);
        CHECK_INT_EQ(dst.mem_reservation, RES_UNSET);
        CHECK_INT_EQ(dst.mem_swappiness, RES_UNSET);
        CHECK_INT_EQ(dst.cpu_shares, 512);
        CHECK_INT_EQ(dst.cpu_quota, 50000);
        CHECK_INT_EQ(dst.cpu_period, 100000);
        CHECK_INT_EQ(dst.pids_limit, 20);
        CHECK_INT_EQ(dst.blkio_weight, RES_UNSET);
        CHECK(dst.disable_oom_killer);
        CHECK_STR_EQ(dst.cpus, "0");
        CHECK(dst.mems == NULL);
        spec_resources_clear(&dst);
        spec_resources_clear(&src);
}

TEST(spec_resources_merge_strings_and_unlimited_values)
{
        struct spec_resources dst, src;
        spec_resources_init(&dst);
        spec_resources_init(&src);
        dst.cpus = strdup("0");
        dst.cpu_quota = 20000;
        src.cpus = strdup("0-1");
        src.mems = strdup("0");
        src.cpu_quota = -1; /* unlimited is a value, not "unset" */
        src.mem_swap = -1;
        src.pids_limit = 0; /* 0: unlimited */
        CHECK_INT_EQ(spec_resources_merge(&dst, &src), 0);
        CHECK_STR_EQ(dst.cpus, "0-1");
        CHECK_STR_EQ(dst.mems, "0");
        CHECK(dst.cpus != src.cpus); /* a copy */
        CHECK_INT_EQ(dst.cpu_quota, -1);
        CHECK_INT_EQ(dst.mem_swap, -1);
        CHECK_INT_EQ(dst.pids_limit, 0);
        spec_resources_clear(&dst);
        spec_resources_clear(&src);
}

TEST(spec_resources_merge_throttle_by_device)
{
        struct spec_resources dst, src;
        spec_resources_init(&dst);
        spec_resources_init(&src);
        const struct spec_throttle d[] = {{8, 0, 1000}, {8, 16, 2000}};
        const struct spec_throttle s[] = {{8, 16, 3000}, {253, 0, 4000}};
        dst.throttle[THR_READ_BPS] = throttles(2, d);
        dst.n_throttle[THR_READ_BPS] = 2;
        dst.throttle[THR_WRITE_IOPS] = throttles(1, d);
        dst.n_throttle[THR_WRITE_IOPS] = 1;
        src.throttle[THR_READ_BPS] = throttles(2, s);
        src.n_throttle[THR_READ_BPS] = 2;
        CHECK_INT_EQ(spec_resources_merge(&dst, &src), 0);
        if (CHECK_INT_EQ(dst.n_throttle[THR_READ_BPS], 3)) {
                CHECK_INT_EQ(dst.throttle[THR_READ_BPS][0].rate, 1000);
                CHECK_INT_EQ(dst.throttle[THR_READ_BPS][1].minor, 16);
                CHECK_INT_EQ(dst.throttle[THR_READ_BPS][1].rate, 3000);
                CHECK_INT_EQ(dst.throttle[THR_READ_BPS][2].major, 253);
                CHECK_INT_EQ(dst.throttle[THR_READ_BPS][2].rate, 4000);
        }
        CHECK_INT_EQ(dst.n_throttle[THR_WRITE_IOPS], 1);
        CHECK_INT_EQ(dst.n_throttle[THR_WRITE_BPS], 0);
        spec_resources_clear(&dst);
        spec_resources_clear(&src);
}

TEST(spec_resources_merge_empty_src_changes_nothing)
{
        struct spec_resources dst, src;
        spec_resources_init(&dst);
        spec_resources_init(&src);
        dst.mem_limit = 1 << 30;
        dst.mems = strdup("0");
        CHECK_INT_EQ(spec_resources_merge(&dst, &src), 0);
        CHECK_INT_EQ(dst.mem_limit, 1 << 30);
        CHECK_STR_EQ(dst.mems, "0");
        CHECK(!dst.disable_oom_killer);
        CHECK_INT_EQ(dst.cpu_shares, RES_UNSET);
        spec_resources_clear(&dst);
        spec_resources_clear(&src);
}
