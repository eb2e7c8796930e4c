/* Private to network*.c / net_*.c: the JSON files of <root>/networks and their lock. */
#ifndef BERTH_ENGINE_NETWORK_STORE_H
#define BERTH_ENGINE_NETWORK_STORE_H

#include "engine/network/network.h"

struct mnl_socket;

/* flock on <root>/networks/lock (creating the directory); returns the fd. */
int netstore_lock(const char *root, struct berr *e);
/* Loads <root>/networks/<name>.json; the default network is made (not saved) when missing. */
int netstore_load(const char *root, const char *name, struct network *out, struct berr *e);
int netstore_save(const char *root, const struct network *n, struct berr *e);
/* Names of the networks on disk (the default one included even if not saved yet). */
int netstore_names(const char *root, char ***out, struct berr *e);
/* The default network's bridge: berth0 for /var/lib/berth, else bb + 6 hex of sha256(root). */
void netstore_default_bridge(const char *root, char out[16]);
/* First byte of sha256(s): where a root's automatic subnets start. */
unsigned netstore_hash_byte(const char *s);
/* A /24 in 172.30.0.0/16 that overlaps neither a host route nor another network of root
 * (except self). */
int netstore_pick_subnet(const char *root, const char *self, unsigned start,
                         struct mnl_socket *nl, struct net_cidr *out, struct berr *e);

#endif
