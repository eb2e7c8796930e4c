/* Unit tests of src/util/humanize.c: docker's byte sizes, percentages and tables. */
#include "test.h"

#include "util/humanize.h"

#include <stdint.h>
#include <string.h>

TEST(format_bytes_binary_like_go_units)
{
        static const struct {
                uint64_t in;
                const char *want;
        } cases[] = {
            {0, "0B"},
            {1, "1B"},
            {1023, "1023B"},
            {1024, "1KiB"},
            {1536, "1.5KiB"},
            {1572864, "1.5MiB"},
            {32ULL << 20, "32MiB"},
            {64ULL << 20, "64MiB"},
            {(32ULL << 20) + 12345, "32.01MiB"},
            {8226492416ULL, "7.662GiB"},
            {1048575, "1024KiB"}, /* 1023.999 KiB rounds to 4 digits, as Go prints it */
            {9223372036854771712ULL, "8EiB"},
            {UINT64_MAX, "16EiB"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char buf[32];
                CHECK_STR_EQ(format_bytes_binary(cases[i].in, buf, sizeof(buf)), cases[i].want);
        }
}

TEST(format_bytes_decimal_like_go_units)
{
        static const struct {
                uint64_t in;
                int prec;
                const char *want;
        } cases[] = {
            {0, 3, "0B"},
            {999, 3, "999B"},
            {1000, 3, "1kB"},
            {1234, 3, "1.23kB"},
            {4096, 3, "4.1kB"},
            {4096, 4, "4.096kB"},
            {12345678, 3, "12.3MB"},
            {1500000000, 3, "1.5GB"},
            {999999, 3, "1e+03kB"}, /* Go's %.3g of 999.999 is "1e+03" too */
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char buf[32];
                CHECK_STR_EQ(format_bytes_decimal(cases[i].in, cases[i].prec, buf, sizeof(buf)),
                             cases[i].want);
        }
}

TEST(format_percent_two_decimals)
{
        char buf[32];
        CHECK_STR_EQ(format_percent(0, buf, sizeof(buf)), "0.00%");
        CHECK_STR_EQ(format_percent(19.996, buf, sizeof(buf)), "20.00%");
        CHECK_STR_EQ(format_percent(150.5, buf, sizeof(buf)), "150.50%");
}

TEST(format_table_pads_like_tabwriter)
{
        const char *cells[] = {"CONTAINER ID",
                               "NAME",
                               "PIDS", /* */
                               "0123456789ab",
                               "a_very_long_name",
                               "1"};
        char buf[256];
        size_t n = format_table(cells, 2, 3, 10, 3, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "CONTAINER ID   NAME               PIDS\n"
                          "0123456789ab   a_very_long_name   1\n");
        CHECK_INT_EQ(n, strlen(buf));
}

TEST(format_table_min_width_and_truncation)
{
        const char *cells[] = {"A", "B", "x", "y"};
        char buf[256];
        format_table(cells, 2, 2, 10, 3, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "A         B\nx         y\n");
        char small[8];
        size_t n = format_table(cells, 2, 2, 10, 3, small, sizeof(small));
        CHECK_INT_EQ(n, 24);
        CHECK_INT_EQ(strlen(small), 7);
        CHECK_INT_EQ(format_table(cells, 0, 2, 10, 3, buf, sizeof(buf)), 0);
        CHECK_STR_EQ(buf, "");
}
