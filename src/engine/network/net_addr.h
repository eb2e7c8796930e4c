/* IPv4 subnets, IPAM picks and -p port specs: pure functions, unit-tested. Addresses are host
 * byte order uint32_t. */
#ifndef BERTH_ENGINE_NET_ADDR_H
#define BERTH_ENGINE_NET_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct berr;

struct net_cidr {
        uint32_t addr; /* the network address (host bits cleared) */
        int prefix;    /* 0..32 */
};

/* "a.b.c.d" -> addr. -EINVAL if it is not a dotted quad. */
int net_ip_parse(const char *s, uint32_t *out);
void net_ip_format(uint32_t ip, char out[16]);
/* "a.b.c.d/N"; host bits must be clear (docker refuses 10.0.0.1/24 as a subnet too). */
int net_cidr_parse(const char *s, struct net_cidr *out);
void net_cidr_format(const struct net_cidr *c, char out[20]);
uint32_t net_cidr_mask(int prefix);
bool net_cidr_contains(const struct net_cidr *c, uint32_t ip);
bool net_cidr_overlap(const struct net_cidr *a, const struct net_cidr *b);
/* The first address past the network and the broadcast address. */
uint32_t net_cidr_broadcast(const struct net_cidr *c);

/* IPAM: the lowest address of c that is neither the network, the broadcast, the gateway nor in
 * used[0..n). -ENOSPC when none is left (a /31 or /32 has none). */
int net_ipam_pick(const struct net_cidr *c, uint32_t gateway, const uint32_t *used, size_t n,
                  uint32_t *out);

/* One -p value: [HOSTIP:][HOSTPORT:]CPORT[/tcp|udp]; HOSTPORT empty or absent = a free port
 * (host_port 0). */
struct net_port {
        uint32_t host_ip; /* 0 = every address */
        uint16_t host_port, port;
        bool udp;
};
int net_port_parse(const char *s, struct net_port *out, struct berr *e);
/* "80/tcp" (an image's ExposedPorts key) -> port, udp. */
int net_exposed_parse(const char *s, uint16_t *port, bool *udp);

/* Names of network interfaces derived from hashes: "bb" + 6 hex, "vb" + 12 hex. */
bool net_name_valid(const char *name);

#endif
