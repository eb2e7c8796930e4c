/* Netlink (rtnetlink through libmnl): links, addresses, routes, veth pairs. No shell-outs.
 * Every call takes the socket, so the same code configures the host and, through a socket
 * opened inside it, a container's network namespace. */
#ifndef BERTH_ENGINE_NET_NL_H
#define BERTH_ENGINE_NET_NL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct berr;
struct mnl_socket;

/* A socket in the caller's network namespace. */
int nl_open(struct mnl_socket **out, struct berr *e);
/* A socket bound to the network namespace of pid (the socket stays there after we leave), and
 * the index of link ifname there (0 if none; ifname may be NULL). */
int nl_open_netns(pid_t pid, const char *ifname, unsigned *ifindex, struct mnl_socket **out,
                  struct berr *e);
void nl_close(struct mnl_socket *nl);

/* Index of a link by name, 0 if there is none. */
unsigned nl_ifindex(const char *name);
int nl_bridge_add(struct mnl_socket *nl, const char *name, const char *alias, struct berr *e);
int nl_link_up(struct mnl_socket *nl, unsigned ifindex, struct berr *e);
/* Deletes a link by name; a missing link is not an error. */
int nl_link_del(struct mnl_socket *nl, const char *name, struct berr *e);
int nl_addr_add(struct mnl_socket *nl, unsigned ifindex, uint32_t ip, int prefix, struct berr *e);
/* A veth pair: host_name enslaved to master and up, its peer created directly in pid's network
 * namespace as peer_name (eth0), both with mtu. */
int nl_veth_add(struct mnl_socket *nl, const char *host_name, unsigned master, unsigned mtu,
                const char *peer_name, pid_t pid, struct berr *e);
int nl_route_default(struct mnl_socket *nl, uint32_t gateway, unsigned ifindex, struct berr *e);
unsigned nl_mtu(const char *name);

/* IPv4 routes of every table: dst and prefix (default routes skipped). */
struct nl_route {
        uint32_t dst;
        int prefix;
};
int nl_routes(struct mnl_socket *nl, struct nl_route **out, size_t *n, struct berr *e);
/* Links with an alias starting with prefix: names and aliases. */
struct nl_link {
        char name[16];
        char alias[256];
};
int nl_links_with_alias(struct mnl_socket *nl, const char *prefix, struct nl_link **out, size_t *n,
                        struct berr *e);

#endif
