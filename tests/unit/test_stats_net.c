/* Unit tests of stats_parse_net_dev (src/engine/container/stats.c): NET I/O of `berth stats`. */
#include "test.h"

#include "engine/container/stats.h"

#include <errno.h>
#include <stdint.h>

static const char NET_DEV[] =
        "Inter-|   Receive                                                |  Transmit\n"
        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs "
        "drop fifo colls carrier compressed\n"
        "    lo:    1000      10    0    0    0     0          0         0     1000      10    0 "
        "   0    0     0       0          0\n"
        "  eth0:   52318     120    0    0    0     0          0         0     8866      90    0 "
        "   0    0     0       0          0\n"
        "  eth1:      12       1    0    0    0     0          0         0       34       1    0 "
        "   0    0     0       0          0\n";

TEST(stats_net_dev_sums_every_interface_but_lo)
{
        uint64_t rx = 1, tx = 1;
        CHECK_INT_EQ(stats_parse_net_dev(NET_DEV, &rx, &tx), 0);
        CHECK_INT_EQ(rx, 52318 + 12);
        CHECK_INT_EQ(tx, 8866 + 34);
}

TEST(stats_net_dev_only_lo_is_zero_and_bad_text_is_refused)
{
        uint64_t rx, tx;
        const char only_lo[] = "Inter-| Receive | Transmit\n face |bytes|bytes\n"
                               "    lo: 5 1 0 0 0 0 0 0 5 1 0 0 0 0 0 0\n";
        CHECK_INT_EQ(stats_parse_net_dev(only_lo, &rx, &tx), 0);
        CHECK_INT_EQ(rx, 0);
        CHECK_INT_EQ(tx, 0);
        CHECK_INT_EQ(stats_parse_net_dev("", &rx, &tx), -EINVAL);
        CHECK_INT_EQ(stats_parse_net_dev("Inter-|\n face |\n eth0: 1 2 3\n", &rx, &tx), -EINVAL);
        CHECK_INT_EQ(stats_parse_net_dev("no header at all\n", &rx, &tx), -EINVAL);
}
