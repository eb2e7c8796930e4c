/* Unit tests of src/util/units.c: parse_size (go-units RAMInBytes), format_size, parse_int64,
 * parse_cpus_decimal and cpuset lists. */
#include "test.h"

#include "util/units.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

static const struct {
        const char *in;
        int64_t want;
} good_sizes[] = {
    {"0", 0},
    {"1024", 1024},
    {"7b", 7},
    {"7B", 7},
    {"32k", 32LL << 10},
    {"32K", 32LL << 10},
    {"32kb", 32LL << 10},
    {"32KiB", 32LL << 10},
    {"32m", 32LL << 20},
    {"32M", 32LL << 20},
    {"32mb", 32LL << 20},
    {"32MB", 32LL << 20},
    {"32MiB", 32LL << 20},
    {"32mib", 32LL << 20},
    {"2g", 2LL << 30},
    {"2GB", 2LL << 30},
    {"3t", 3LL << 40},
    {"4p", 4LL << 50},
    {"1.5g", 3LL << 29},
    {"0.5k", 512},
    {".5m", 512LL << 10},
    {"1.", 1},
    {"1.7", 1}, /* bytes: the fraction is truncated */
    {"32 m", 32LL << 20},
    {"8191p", 8191LL << 50},
};

static const char *const bad_sizes[] = {
    "",    "12XB", "-5m",   "m",   "+5m", " 5m",   "5  m", "5m ",  "5mm", "5mbb",  "5bb",
    "5bi", "5kI",  "5kibb", "5ki", "1e3", "1.2.3", ".",    "0x10", "5 ",  "5mib ", "k5",
};

TEST(parse_size_good)
{
        for (size_t i = 0; i < sizeof(good_sizes) / sizeof(good_sizes[0]); i++) {
                int64_t v = -42;
                if (!CHECK_INT_EQ(parse_size(good_sizes[i].in, &v), 0) ||
                    !CHECK_INT_EQ(v, good_sizes[i].want))
                        test_fail(__FILE__, __LINE__, "input \"%s\"", good_sizes[i].in);
        }
}

TEST(parse_size_bad)
{
        for (size_t i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++) {
                int64_t v = -42;
                if (!CHECK_INT_EQ(parse_size(bad_sizes[i], &v), -EINVAL))
                        test_fail(__FILE__, __LINE__, "input \"%s\"", bad_sizes[i]);
                CHECK_INT_EQ(v, -42); /* untouched on error */
        }
        CHECK_INT_EQ(parse_size(NULL, &(int64_t){0}), -EINVAL);
}

TEST(parse_size_range)
{
        int64_t v;
        CHECK_INT_EQ(parse_size("8192p", &v), -ERANGE);
        CHECK_INT_EQ(parse_size("9223372036854775807", &v), 0);
        CHECK_INT_EQ(v, INT64_MAX);
        CHECK_INT_EQ(parse_size("9223372036854775808", &v), -ERANGE);
        CHECK_INT_EQ(parse_size("99999999999999999999999", &v), -ERANGE);
        CHECK_INT_EQ(parse_size("8191.99999p", &v), 0);
        CHECK(v > (8191LL << 50) && v < INT64_MAX);
}

TEST(format_size_exact)
{
        char b[32];
        CHECK_STR_EQ(format_size(64LL << 20, b, sizeof(b)), "64m");
        CHECK_STR_EQ(format_size(1LL << 30, b, sizeof(b)), "1g");
        CHECK_STR_EQ(format_size(1536LL << 10, b, sizeof(b)), "1536k");
        CHECK_STR_EQ(format_size(100, b, sizeof(b)), "100b");
        CHECK_STR_EQ(format_size(0, b, sizeof(b)), "0b");
        /* what it prints parses back to the same number */
        int64_t v;
        CHECK_INT_EQ(parse_size(format_size(3LL << 29, b, sizeof(b)), &v), 0);
        CHECK_INT_EQ(v, 3LL << 29);
}

TEST(parse_int64_strict)
{
        int64_t v;
        CHECK_INT_EQ(parse_int64("42", &v), 0);
        CHECK_INT_EQ(v, 42);
        CHECK_INT_EQ(parse_int64("-1", &v), 0);
        CHECK_INT_EQ(v, -1);
        CHECK_INT_EQ(parse_int64("", &v), -EINVAL);
        CHECK_INT_EQ(parse_int64(" 1", &v), -EINVAL);
        CHECK_INT_EQ(parse_int64("1 ", &v), -EINVAL);
        CHECK_INT_EQ(parse_int64("1k", &v), -EINVAL);
        CHECK_INT_EQ(parse_int64("1.0", &v), -EINVAL);
        CHECK_INT_EQ(parse_int64("99999999999999999999", &v), -ERANGE);
}

TEST(parse_cpus_decimal_values)
{
        int64_t n;
        CHECK_INT_EQ(parse_cpus_decimal("0.2", &n), 0);
        CHECK_INT_EQ(n, 200000000);
        CHECK_INT_EQ(parse_cpus_decimal("2", &n), 0);
        CHECK_INT_EQ(n, 2000000000);
        CHECK_INT_EQ(parse_cpus_decimal("1.5", &n), 0);
        CHECK_INT_EQ(n, 1500000000);
        CHECK_INT_EQ(parse_cpus_decimal(".5", &n), 0);
        CHECK_INT_EQ(n, 500000000);
        CHECK_INT_EQ(parse_cpus_decimal("0.000000001", &n), 0);
        CHECK_INT_EQ(n, 1);
        CHECK_INT_EQ(parse_cpus_decimal("1.5000000000000", &n), 0); /* zeros are not precision */
        CHECK_INT_EQ(n, 1500000000);
        CHECK_INT_EQ(parse_cpus_decimal("0", &n), 0);
        CHECK_INT_EQ(n, 0);
}

TEST(parse_cpus_decimal_bad)
{
        int64_t n;
        CHECK_INT_EQ(parse_cpus_decimal("0.0000000001", &n), -EINVAL); /* too precise */
        CHECK_INT_EQ(parse_cpus_decimal("", &n), -EINVAL);
        CHECK_INT_EQ(parse_cpus_decimal(".", &n), -EINVAL);
        CHECK_INT_EQ(parse_cpus_decimal("-1", &n), -EINVAL);
        CHECK_INT_EQ(parse_cpus_decimal("1,5", &n), -EINVAL);
        CHECK_INT_EQ(parse_cpus_decimal("abc", &n), -EINVAL);
        CHECK_INT_EQ(parse_cpus_decimal("1.5.", &n), -EINVAL);
        CHECK_INT_EQ(parse_cpus_decimal("1e9", &n), -EINVAL);
        CHECK_INT_EQ(parse_cpus_decimal("99999999999", &n), -ERANGE);
}

TEST(cpuset_list_good)
{
        uint64_t bm[CPUSET_WORDS];
        int max = -5;
        CHECK_INT_EQ(cpuset_list_parse("0-1,3", bm, &max), 0);
        CHECK_INT_EQ(max, 3);
        CHECK_INT_EQ(bm[0], 0xb);
        CHECK_INT_EQ(cpuset_list_parse("7", NULL, &max), 0);
        CHECK_INT_EQ(max, 7);
        CHECK_INT_EQ(cpuset_list_parse("5,0", bm, &max), 0); /* any order; max is the largest */
        CHECK_INT_EQ(max, 5);
        CHECK_INT_EQ(bm[0], 0x21);
        CHECK_INT_EQ(cpuset_list_parse("2-2", bm, &max), 0);
        CHECK_INT_EQ(bm[0], 0x4);
        CHECK_INT_EQ(cpuset_list_parse("63-65", bm, &max), 0);
        CHECK_INT_EQ(max, 65);
        CHECK(bm[0] == 1ULL << 63 && bm[1] == 3);
        CHECK_INT_EQ(cpuset_list_parse("8191", bm, NULL), 0);
        CHECK(bm[CPUSET_WORDS - 1] == 1ULL << 63);
}

TEST(cpuset_list_bad)
{
        static const char *const bad[] = {"",   ",",  "0,,1",  "1-0", "a",  "0-",  "-1",
                                          "0,", ",0", "0-1-2", " 0",  "0 ", "1;2", "0x1"};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                if (!CHECK_INT_EQ(cpuset_list_parse(bad[i], NULL, NULL), -EINVAL))
                        test_fail(__FILE__, __LINE__, "input \"%s\"", bad[i]);
        CHECK_INT_EQ(cpuset_list_parse("8192", NULL, NULL), -ERANGE);
        CHECK_INT_EQ(cpuset_list_parse("0-99999999999999999999", NULL, NULL), -ERANGE);
}

TEST(cpuset_first_missing_finds_it)
{
        uint64_t want[CPUSET_WORDS], have[CPUSET_WORDS];
        CHECK_INT_EQ(cpuset_list_parse("0-1", have, NULL), 0);
        CHECK_INT_EQ(cpuset_list_parse("1", want, NULL), 0);
        CHECK_INT_EQ(cpuset_first_missing(want, have), -1);
        CHECK_INT_EQ(cpuset_list_parse("0-1,99", want, NULL), 0);
        CHECK_INT_EQ(cpuset_first_missing(want, have), 99);
}
