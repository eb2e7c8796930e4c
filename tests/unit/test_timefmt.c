/* Unit tests of src/util/timefmt.c: RFC 3339 and Go durations, docker's --since, go-units
 * HumanDuration and HumanSize. */
#include "test.h"

#include "util/timefmt.h"
#include "util/humanize.h"

#include <errno.h>
#include <stdint.h>

#define S 1000000000LL

TEST(rfc3339_parse_forms)
{
        struct timespec t;
        CHECK_INT_EQ(rfc3339_parse("1970-01-01T00:00:00Z", &t), 0);
        CHECK_INT_EQ(t.tv_sec, 0);
        CHECK_INT_EQ(rfc3339_parse("2026-11-23T06:42:00.123456789Z", &t), 0);
        CHECK_INT_EQ(t.tv_sec, 1795416120);
        CHECK_INT_EQ(t.tv_nsec, 123456789);
        CHECK_INT_EQ(rfc3339_parse("2026-11-23T06:42:00.5Z", &t), 0);
        CHECK_INT_EQ(t.tv_nsec, 500000000);
        CHECK_INT_EQ(rfc3339_parse("2026-11-23T07:42:00+01:00", &t), 0);
        CHECK_INT_EQ(t.tv_sec, 1795416120);
        CHECK_INT_EQ(rfc3339_parse("2026-11-23T05:42:00-01:00", &t), 0);
        CHECK_INT_EQ(t.tv_sec, 1795416120);
        CHECK_INT_EQ(rfc3339_parse("2026-11-23", &t), 0);
        CHECK_INT_EQ(t.tv_sec, 1795392000);
        CHECK_INT_EQ(rfc3339_parse("2026-11-23T06:42", &t), 0);
        CHECK_INT_EQ(t.tv_sec, 1795416120);
        CHECK_INT_EQ(rfc3339_parse("2026-11-23T06:42:00.1234567891Z", &t), 0);
        CHECK_INT_EQ(t.tv_nsec, 123456789);
}

TEST(rfc3339_parse_bad)
{
        struct timespec t;
        const char *bad[] = {"", "2026", "2026-13-01", "2026-11-32", "2026-11-23T25:00:00Z",
                             "2026-11-23T06:42:00.Z", "2026-11-23T06:42:00Zx",
                             "2026-11-23T06:42:00+0100", "26-11-23", "2026-11-23 06:42:00",
                             "2026-11-23T06:4"};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                if (!CHECK(rfc3339_parse(bad[i], &t) == -EINVAL))
                        test_fail(__FILE__, __LINE__, "accepted \"%s\"", bad[i]);
}

TEST(duration_parse_go)
{
        int64_t ns;
        CHECK_INT_EQ(duration_parse("10s", &ns), 0);
        CHECK_INT_EQ(ns, 10 * S);
        CHECK_INT_EQ(duration_parse("5m", &ns), 0);
        CHECK_INT_EQ(ns, 300 * S);
        CHECK_INT_EQ(duration_parse("1h30m", &ns), 0);
        CHECK_INT_EQ(ns, 5400 * S);
        CHECK_INT_EQ(duration_parse("1.5h", &ns), 0);
        CHECK_INT_EQ(ns, 5400 * S);
        CHECK_INT_EQ(duration_parse("300ms", &ns), 0);
        CHECK_INT_EQ(ns, 300000000);
        CHECK_INT_EQ(duration_parse("2us", &ns), 0);
        CHECK_INT_EQ(ns, 2000);
        CHECK_INT_EQ(duration_parse("1.s", &ns), 0); /* Go accepts it too */
        CHECK_INT_EQ(ns, S);
        CHECK_INT_EQ(duration_parse("0", &ns), 0);
        CHECK_INT_EQ(ns, 0);
        CHECK_INT_EQ(duration_parse("-1m", &ns), 0);
        CHECK_INT_EQ(ns, -60 * S);
        const char *bad[] = {"", "10", "s", "1x", ".s", "1h 2m", "--1s", "1e3s"};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                if (!CHECK(duration_parse(bad[i], &ns) == -EINVAL))
                        test_fail(__FILE__, __LINE__, "accepted \"%s\"", bad[i]);
}

TEST(since_parse_forms)
{
        struct timespec now = {1000000, 500}, t;
        CHECK_INT_EQ(since_parse("10s", &now, &t), 0);
        CHECK_INT_EQ(t.tv_sec, 999990);
        CHECK_INT_EQ(t.tv_nsec, 500);
        CHECK_INT_EQ(since_parse("1700000000", &now, &t), 0);
        CHECK_INT_EQ(t.tv_sec, 1700000000);
        CHECK_INT_EQ(t.tv_nsec, 0);
        CHECK_INT_EQ(since_parse("1700000000.25", &now, &t), 0);
        CHECK_INT_EQ(t.tv_nsec, 250000000);
        CHECK_INT_EQ(since_parse("2026-11-23T06:42:00Z", &now, &t), 0);
        CHECK_INT_EQ(t.tv_sec, 1795416120);
        CHECK_INT_EQ(since_parse("yesterday", &now, &t), -EINVAL);
        CHECK_INT_EQ(since_parse("12a", &now, &t), -EINVAL);
}

TEST(human_duration_like_go_units)
{
        static const struct {
                int64_t ns;
                const char *want;
        } cases[] = {
                {0, "Less than a second"},
                {999999999, "Less than a second"},
                {1 * S, "1 second"},
                {5 * S, "5 seconds"},
                {59 * S, "59 seconds"},
                {60 * S, "About a minute"},
                {119 * S, "About a minute"},
                {120 * S, "2 minutes"},
                {59 * 60 * S, "59 minutes"},
                {60 * 60 * S, "About an hour"},
                {89 * 60 * S, "About an hour"},
                {90 * 60 * S, "2 hours"},
                {47 * 3600 * S, "47 hours"},
                {48 * 3600 * S, "2 days"},
                {14 * 24 * 3600 * S, "2 weeks"},
                {60 * 24 * 3600 * S, "2 months"},
                {730 * 24 * 3600 * S, "2 years"},
        };
        char buf[64];
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                human_duration(cases[i].ns, buf, sizeof(buf));
                CHECK_STR_EQ(buf, cases[i].want);
        }
}

TEST(decimal_size_like_go_units)
{
        char buf[32];
        format_bytes_decimal(0, 4, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "0B");
        format_bytes_decimal(999, 4, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "999B");
        format_bytes_decimal(1000, 4, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "1kB");
        format_bytes_decimal(4279, 4, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "4.279kB");
        format_bytes_decimal(12345678, 4, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "12.35MB");
}
