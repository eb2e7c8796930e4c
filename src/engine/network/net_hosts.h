/* Private to the network room: /etc/hosts of the containers on bridge networks (net_hosts.c). */
#ifndef BERTH_ENGINE_NET_HOSTS_H
#define BERTH_ENGINE_NET_HOSTS_H

#include "engine/network/network.h"

/* Rewrites the hosts files of every container attached to network `changed` (and of `extra`,
 * which just left it; may be NULL). The store lock is held. */
void net_hosts_refresh(const char *root, const struct network *changed, const char *extra);

#endif
