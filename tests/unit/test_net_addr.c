/* Unit tests of src/engine/net_addr.c: IPv4 and CIDR parsing, overlap, IPAM picks, -p specs. */
#include "test.h"

#include "engine/network/net_addr.h"
#include "util/err.h"

#include <errno.h>
#include <string.h>

TEST(net_ip_parse_good_and_bad)
{
        uint32_t ip;
        char s[16];
        CHECK_INT_EQ(net_ip_parse("10.1.2.3", &ip), 0);
        net_ip_format(ip, s);
        CHECK_STR_EQ(s, "10.1.2.3");
        static const char *const bad[] = {"", "10.1.2", "10.1.2.3.4", "256.1.1.1", "1.2.3.4 ",
                                          "a.b.c.d", "1.2.3.-4", "1..2.3"};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                CHECK_INT_EQ(net_ip_parse(bad[i], &ip), -EINVAL);
}

TEST(net_cidr_parse_rejects_host_bits_and_bad_prefixes)
{
        struct net_cidr c;
        char s[20];
        CHECK_INT_EQ(net_cidr_parse("10.88.0.0/16", &c), 0);
        CHECK_INT_EQ(c.prefix, 16);
        net_cidr_format(&c, s);
        CHECK_STR_EQ(s, "10.88.0.0/16");
        CHECK_INT_EQ(net_cidr_parse("10.88.0.1/16", &c), -EINVAL);
        CHECK_INT_EQ(net_cidr_parse("10.88.0.0/33", &c), -EINVAL);
        CHECK_INT_EQ(net_cidr_parse("10.88.0.0/", &c), -EINVAL);
        CHECK_INT_EQ(net_cidr_parse("10.88.0.0", &c), -EINVAL);
        CHECK_INT_EQ(net_cidr_parse("10.88.0.0/1x", &c), -EINVAL);
}

TEST(net_cidr_overlap_both_ways)
{
        struct net_cidr a, b, c;
        net_cidr_parse("10.0.0.0/8", &a);
        net_cidr_parse("10.5.0.0/16", &b);
        net_cidr_parse("11.0.0.0/8", &c);
        CHECK(net_cidr_overlap(&a, &b));
        CHECK(net_cidr_overlap(&b, &a));
        CHECK(!net_cidr_overlap(&a, &c));
}

TEST(net_ipam_skips_network_gateway_broadcast_and_used)
{
        struct net_cidr c;
        uint32_t ip, gw;
        net_cidr_parse("10.9.0.0/30", &c);
        net_ip_parse("10.9.0.1", &gw);
        CHECK_INT_EQ(net_ipam_pick(&c, gw, NULL, 0, &ip), 0);
        CHECK_INT_EQ(ip, gw + 1);
        uint32_t used[] = {gw + 1};
        CHECK_INT_EQ(net_ipam_pick(&c, gw, used, 1, &ip), -ENOSPC); /* .3 is the broadcast */
        net_cidr_parse("10.9.0.0/16", &c);
        net_ip_parse("10.9.255.254", &gw);
        CHECK_INT_EQ(net_ipam_pick(&c, gw, NULL, 0, &ip), 0);
        CHECK_INT_EQ(ip, c.addr + 1);
        uint32_t used2[] = {c.addr + 2, c.addr + 1, c.addr + 4};
        CHECK_INT_EQ(net_ipam_pick(&c, gw, used2, 3, &ip), 0);
        CHECK_INT_EQ(ip, c.addr + 3);
        net_cidr_parse("10.9.0.0/31", &c);
        CHECK_INT_EQ(net_ipam_pick(&c, c.addr, NULL, 0, &ip), -ENOSPC);
}

TEST(net_port_parse_forms)
{
        struct net_port p;
        struct berr e;
        CHECK_INT_EQ(net_port_parse("8080:80", &p, &e), 0);
        CHECK_INT_EQ(p.host_port, 8080);
        CHECK_INT_EQ(p.port, 80);
        CHECK(!p.udp);
        CHECK_INT_EQ(net_port_parse("80", &p, &e), 0);
        CHECK_INT_EQ(p.host_port, 0);
        CHECK_INT_EQ(net_port_parse("127.0.0.1:5353:53/udp", &p, &e), 0);
        CHECK(p.udp);
        CHECK_INT_EQ(p.host_ip, 0x7f000001u);
        CHECK_INT_EQ(net_port_parse("127.0.0.1::53", &p, &e), 0);
        CHECK_INT_EQ(p.host_port, 0);
        static const char *const bad[] = {"", "0", "70000:80", "80:", "a:80", "1.2.3:80:80",
                                          "80/sctp", "1:2:3:4", "80:80/"};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                if (!CHECK_INT_EQ(net_port_parse(bad[i], &p, &e), -EINVAL))
                        test_fail(__FILE__, __LINE__, "input \"%s\"", bad[i]);
}

TEST(net_exposed_parse_forms)
{
        uint16_t port;
        bool udp;
        CHECK_INT_EQ(net_exposed_parse("80/tcp", &port, &udp), 0);
        CHECK_INT_EQ(port, 80);
        CHECK_INT_EQ(net_exposed_parse("53/udp", &port, &udp), 0);
        CHECK(udp);
        CHECK_INT_EQ(net_exposed_parse("53/xyz", &port, &udp), -EINVAL);
}
