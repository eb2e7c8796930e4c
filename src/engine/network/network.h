/* Networks: `berth network ...`, and a container's attachments (veth, address, ports, names).
 *
 * State (docs/network.md): <root>/networks/<name>.json per network — its subnet, gateway,
 * bridge and its endpoints (the IPAM: one address per attached container) — under the flock
 * <root>/networks/lock. A network's bridge and its nftables table exist only while a container
 * is attached: the first attachment creates them, the last detachment removes them. */
#ifndef BERTH_ENGINE_NETWORK_H
#define BERTH_ENGINE_NETWORK_H

#include "engine/network/net_addr.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct berr;
struct run_options;
struct spec;

#define NET_DEFAULT "bridge"

struct net_endpoint {
        char cid[65];
        char name[256];
        char **aliases;
        uint32_t ip;
        uint8_t mac[6];  /* eth0's: net_mac_from_ip(ip) unless --mac-address gave one */
        char veth[16];   /* host end */
        char ifname[16]; /* inside: eth0, eth1, ... */
        struct net_port *ports;
        size_t n_ports;
};

struct network {
        char name[128];
        char id[65];
        struct net_cidr subnet;
        uint32_t gateway;
        bool internal, auto_subnet;
        char bridge[16];
        char created[40];
        struct net_endpoint *eps;
        size_t n_eps;
};

void network_free(struct network *n);

int network_create(const char *root, const char *name, const char *subnet, const char *gateway,
                   bool internal, char id_out[65], struct berr *e);
/* Every network of root, the default one included (made on first use). */
int network_list(const char *root, struct network **out, size_t *n, struct berr *e);
/* By name or id prefix. ENOENT: "no such network". */
int network_get(const char *root, const char *ref, struct network *out, struct berr *e);
/* Refuses a network with containers attached (EBUSY) and the default one. */
int network_remove(const char *root, const char *ref, struct berr *e);
/* Removes every user network without containers; *removed gets their names. */
int network_prune(const char *root, char ***removed, struct berr *e);
/* docker-like JSON of one network (heap string). */
char *network_inspect_json(const struct network *n);

/* ---- containers */

/* At create: the container's network settings from the flags (validated: the network exists,
 * container:NAME names a container), saved as <cdir>/net.json. image_id for -P. */
int net_config_save(const char *root, const char *cdir, const struct run_options *o,
                    const char *image_id, struct berr *e);
/* Before core_create: --network host drops the network namespace; container:NAME joins that
 * container's. */
int net_prepare_spec(const char *root, const char *cdir, struct spec *s, struct berr *e);

/* What the container's owner holds while it runs: the host ports reserved by bound sockets. */
struct net_state {
        int *fds;
        size_t n_fds;
};
/* While the init waits at the sync point: veth into pid's network namespace, address, route,
 * ports, /etc/hosts. On failure nothing is left. */
int net_attach(const char *root, const char *cdir, const char *id, const char *name, pid_t pid,
               struct net_state *st, struct berr *e);
/* Releases every attachment of container id (every network), closes st (may be NULL). Tears a
 * network's bridge and rules down when its last container leaves. Safe to call twice. For a
 * container whose processes are gone: its veth goes away with its network namespace. */
void net_release(const char *root, const char *id, struct net_state *st);
/* True if another container was created with --network container:ID (its release then deletes
 * the veth itself: the joiner holds the namespace). */
bool net_shared(const char *root, const char *id);

/* network connect / disconnect of a running container. */
int net_connect(const char *root, const char *network, const char *container, char **aliases,
                struct berr *e);
int net_disconnect(const char *root, const char *network, const char *container,
                   struct berr *e);
/* After `rename`: the container's endpoints take the new name, and every /etc/hosts of the
 * networks it is on follows (the old name resolves no more). A stopped container has none. */
int net_rename(const char *root, const char *id, const char *name, struct berr *e);
/* `inspect`: the container's NetworkSettings (*settings, new; pid > 0 while it runs) in docker's
 * shape, and NetworkMode, PortBindings, PublishAllPorts set into host_config. */
int net_inspect_container(const char *root, const char *cdir, const char *cid, pid_t pid,
                json_t **settings, json_t *host_config);
/* The ports container id publishes now (every network; none while it is stopped), with the
 * host ports the kernel picked. *out is heap (NULL when *n is 0). */
int net_container_ports(const char *root, const char *id, struct net_port **out, size_t *n,
                        struct berr *e);
/* `port CONTAINER`: "80/tcp -> 0.0.0.0:32768" lines (heap strv). */
int net_port_lines(const char *root, const char *container, char ***out, struct berr *e);

#endif
