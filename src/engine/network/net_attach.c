/* Attaching containers to bridge networks and releasing them, on every path.
 *
 * Locks: <root>/networks/lock (this store's IPAM and endpoints), then the host lock (bridges,
 * subnets of automatic networks, ip_forward, across stores), always in that order. The host lock
 * is the abstract unix socket name @berth/net.lock (util/name_lock.h), not a file: the kernel
 * releases it when its holder exits, however it exits, and leaves nothing on the host. It is per
 * network namespace, as everything it guards is. /run/berth exists only while it holds
 * ip_forward's saved value, that is while a berth bridge needs forwarding.
 *
 * An endpoint is valid while its container's owner holds the owner lock (owner.h), so an
 * endpoint of a container whose berth was killed is found and released by the next berth that
 * touches the network (gc), besides container_reconcile calling net_release. */
#include "engine/network/network.h"

#include "engine/network/net_hosts.h"
#include "engine/network/net_nft.h"
#include "engine/network/net_nl.h"
#include "engine/network/network_store.h"
#include "engine/store/containers.h"
#include "engine/store/record.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/name_lock.h"
#include "util/sha256.h"
#include "util/strv.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define RUN_DIR "/run/berth"
#define SAVED_FORWARD RUN_DIR "/ip_forward"
#define FORWARD "/proc/sys/net/ipv4/ip_forward"
#define ALIAS "berth:"
#define HOST_LOCK "berth/net.lock"

/* The host lock: an fd to close to release it, or a negative errno with e set. */
static int host_lock(struct berr *e)
{
        return name_lock(HOST_LOCK, e);
}

static int write_str(const char *path, const char *v, struct berr *e)
{
        return write_file(path, v, strlen(v), 0644, e);
}

static bool owner_alive(const char *root, const char *cid)
{
        _cleanup_free_ char *cdir = container_dir(root, cid);
        _cleanup_free_ char *p = cdir ? path_join(cdir, "lock") : NULL;
        if (!p)
                return true;
        _cleanup_close_ int fd = open(p, O_RDWR | O_CLOEXEC);
        if (fd < 0)
                return false;
        if (flock(fd, LOCK_EX | LOCK_NB) < 0)
                return errno == EWOULDBLOCK;
        return false; /* closing fd drops our lock again */
}

/* ---- nftables */

static void table_name(const struct network *n, char out[32])
{
        snprintf(out, 32, "berth_%s", n->bridge);
}

static int table_up(const struct network *n, struct berr *e)
{
        char t[32], sub[20];
        table_name(n, t);
        net_cidr_format(&n->subnet, sub);
        const char *b = n->bridge;
        _cleanup_free_ char *s = NULL;
        int len;
        if (n->internal)
                len = asprintf(&s,
                               "add table ip %s\ndelete table ip %s\n"
                               "table ip %s {\n"
                               " chain forward { type filter hook forward priority filter; policy accept;\n"
                               "  iifname \"%s\" oifname != \"%s\" drop\n"
                               "  oifname \"%s\" iifname != \"%s\" drop\n }\n}\n",
                               t, t, t, b, b, b, b);
        else
                len = asprintf(
                        &s,
                        "add table ip %s\ndelete table ip %s\n"
                        "table ip %s {\n"
                        " map ports_tcp { type inet_service : ipv4_addr . inet_service; }\n"
                        " map ports_udp { type inet_service : ipv4_addr . inet_service; }\n"
                        " map hports_tcp { type ipv4_addr . inet_service : ipv4_addr . inet_service; }\n"
                        " map hports_udp { type ipv4_addr . inet_service : ipv4_addr . inet_service; }\n"
                        " chain prerouting { type nat hook prerouting priority dstnat; policy accept;\n"
                        "  fib daddr type local dnat ip to ip daddr . tcp dport map @hports_tcp\n"
                        "  fib daddr type local dnat ip to tcp dport map @ports_tcp\n"
                        "  fib daddr type local dnat ip to ip daddr . udp dport map @hports_udp\n"
                        "  fib daddr type local dnat ip to udp dport map @ports_udp\n }\n"
                        " chain output { type nat hook output priority -100; policy accept;\n"
                        "  fib daddr type local dnat ip to ip daddr . tcp dport map @hports_tcp\n"
                        "  fib daddr type local dnat ip to tcp dport map @ports_tcp\n"
                        "  fib daddr type local dnat ip to ip daddr . udp dport map @hports_udp\n"
                        "  fib daddr type local dnat ip to udp dport map @ports_udp\n }\n"
                        " chain postrouting { type nat hook postrouting priority srcnat; policy accept;\n"
                        "  oifname \"%s\" ip saddr 127.0.0.0/8 masquerade\n"
                        "  oifname \"%s\" ct status dnat ip saddr %s masquerade\n"
                        "  ip saddr %s oifname != \"%s\" masquerade\n }\n"
                        " chain forward { type filter hook forward priority filter; policy accept;\n"
                        "  iifname \"%s\" oifname != \"%s\" oifname { \"berth*\", \"bb*\", \"bn*\" } drop\n"
                        "  oifname \"%s\" iifname != \"%s\" iifname { \"berth*\", \"bb*\", \"bn*\" } drop\n"
                        " }\n}\n",
                        t, t, t, b, b, sub, sub, b, b, b, b, b);
        if (len < 0)
                return berr_set(e, ENOMEM, "out of memory");
        return nft_run(s, e);
}

static void table_down(const char *bridge)
{
        char s[128];
        struct berr ignore;
        snprintf(s, sizeof(s), "add table ip berth_%s\ndelete table ip berth_%s\n", bridge, bridge);
        nft_run(s, &ignore);
}

/* Adds (add) or deletes the DNAT map elements of ep's ports. */
static int ports_rules(const struct network *n, const struct net_endpoint *ep, bool add,
                       struct berr *e)
{
        if (!ep->n_ports || n->internal)
                return 0;
        char t[32], cip[16];
        table_name(n, t);
        net_ip_format(ep->ip, cip);
        char *s = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&s, &len);
        if (!f)
                return berr_set(e, ENOMEM, "out of memory");
        for (size_t i = 0; i < ep->n_ports; i++) {
                const struct net_port *p = &ep->ports[i];
                const char *proto = p->udp ? "udp" : "tcp";
                char hip[16];
                net_ip_format(p->host_ip, hip);
                if (p->host_ip)
                        fprintf(f, "%s element ip %s hports_%s { %s . %u", add ? "add" : "delete", t,
                                proto, hip, p->host_port);
                else
                        fprintf(f, "%s element ip %s ports_%s { %u", add ? "add" : "delete", t,
                                proto, p->host_port);
                if (add)
                        fprintf(f, " : %s . %u", cip, p->port);
                fputs(" }\n", f);
        }
        fclose(f);
        int r = nft_run(s, e);
        free(s);
        return r;
}

/* ---- bridges */

/* Bridges of stores that no longer exist (their root was removed while a container of theirs was
 * attached and its berth killed): deleted with their tables. Host lock held. */
static void gc_orphans(struct mnl_socket *nl)
{
        struct nl_link *links = NULL;
        size_t n = 0;
        struct berr ignore;
        if (nl_links_with_alias(nl, ALIAS, &links, &n, &ignore) < 0)
                return;
        for (size_t i = 0; i < n; i++) {
                const char *root = strchr(links[i].alias + strlen(ALIAS), ':');
                if (!root)
                        continue;
                _cleanup_free_ char *dir = path_join(root + 1, "networks");
                if (dir && access(dir, F_OK) < 0 && errno == ENOENT) {
                        nl_link_del(nl, links[i].name, &ignore);
                        table_down(links[i].name);
                }
        }
        free(links);
}

/* ip_forward goes back to what it was once no berth bridge of any store is left. Host lock. */
static void forward_restore(struct mnl_socket *nl)
{
        struct nl_link *links = NULL;
        size_t n = 0;
        struct berr ignore;
        if (nl_links_with_alias(nl, ALIAS, &links, &n, &ignore) < 0)
                return;
        free(links);
        if (n)
                return;
        _cleanup_free_ char *saved = NULL;
        if (read_file(SAVED_FORWARD, &saved, NULL, &ignore) == 0) {
                saved[strcspn(saved, "\n")] = '\0';
                if (!strcmp(saved, "0") || !strcmp(saved, "1"))
                        write_str(FORWARD, saved, &ignore);
                unlink(SAVED_FORWARD);
        }
        rmdir(RUN_DIR); /* no bridge left, nothing left in /run (fails while not empty) */
}

static int forward_on(struct berr *e)
{
        _cleanup_free_ char *cur = NULL;
        struct berr ignore;
        if (access(SAVED_FORWARD, F_OK) < 0) {
                if (read_file(FORWARD, &cur, NULL, e) < 0)
                        return e->code;
                if (mkdir(RUN_DIR, 0700) < 0 && errno != EEXIST)
                        return berr_sys(e, errno, "creating " RUN_DIR);
                int r = write_file_atomic(SAVED_FORWARD, cur, strlen(cur), 0600, e);
                if (r < 0)
                        return r;
                if (cur[0] == '1')
                        return 0;
        }
        (void)ignore;
        return write_str(FORWARD, "1", e);
}

/* The default network of the default store keeps its bridge between containers, as docker
 * keeps docker0: creating a bridge and its table, and deleting it (the kernel's RCU wait for a
 * netdev), would add ~100 ms to every run that is alone on it. What a container adds — its
 * veth, address, port rules — still goes with it. Other stores (tests' temporary ones) tear
 * their bridges down with the last container, leaving nothing. */
static bool bridge_kept(const char *root, const struct network *n)
{
        return !strcmp(n->name, NET_DEFAULT) && !strcmp(root, "/var/lib/berth");
}

static void bridge_down(struct network *n, struct mnl_socket *nl)
{
        struct berr ignore;
        _cleanup_close_ int hl = host_lock(&ignore);
        table_down(n->bridge);
        nl_link_del(nl, n->bridge, &ignore);
        gc_orphans(nl);
        forward_restore(nl);
}

static int bridge_up(const char *root, struct network *n, struct mnl_socket *nl, struct berr *e)
{
        _cleanup_close_ int hl = host_lock(e);
        if (hl < 0)
                return hl;
        struct berr ignore;
        gc_orphans(nl);
        /* A bridge without endpoints is a leftover of a killed berth: start afresh. */
        table_down(n->bridge);
        nl_link_del(nl, n->bridge, &ignore);
        int r;
        if (n->auto_subnet) {
                unsigned start = netstore_hash_byte(root);
                if (strcmp(n->name, NET_DEFAULT)) {
                        char key[4200];
                        snprintf(key, sizeof(key), "%s\n%s", root, n->name);
                        start = netstore_hash_byte(key);
                }
                if ((r = netstore_pick_subnet(root, n->name, start, nl, &n->subnet, e)) < 0)
                        return r;
                n->gateway = n->subnet.addr + 1;
        }
        char alias[4300];
        snprintf(alias, sizeof(alias), ALIAS "%s:%s", n->name, root);
        if ((r = nl_bridge_add(nl, n->bridge, alias, e)) < 0)
                return r;
        unsigned idx = nl_ifindex(n->bridge);
        char p[128];
        snprintf(p, sizeof(p), "/proc/sys/net/ipv4/conf/%s/route_localnet", n->bridge);
        if (!idx)
                r = berr_set(e, ENODEV, "bridge %s vanished", n->bridge);
        else if ((r = nl_addr_add(nl, idx, n->gateway, n->subnet.prefix, e)) == 0 &&
                 (r = nl_link_up(nl, idx, e)) == 0 && (n->internal || (r = write_str(p, "1", e)) == 0))
                r = table_up(n, e);
        if (r == 0 && !n->internal)
                r = forward_on(e);
        if (r < 0) {
                table_down(n->bridge);
                nl_link_del(nl, n->bridge, &ignore);
                forward_restore(nl);
        }
        return r;
}

/* ---- endpoints */

static void endpoint_drop(struct network *n, size_t i)
{
        strv_free(n->eps[i].aliases);
        free(n->eps[i].ports);
        memmove(&n->eps[i], &n->eps[i + 1], (n->n_eps - i - 1) * sizeof(*n->eps));
        n->n_eps--;
}

/* Releases what endpoint i holds on the host and forgets it. The veth is deleted only for a
 * container that goes on living (disconnect, a failed set-up): when the container is gone, its
 * network namespace takes the veth pair with it, in the kernel's own (batched, asynchronous)
 * clean-up, which spares the caller the netdev unregister's RCU wait (~25 ms here). */
static void endpoint_release(struct network *n, size_t i, struct mnl_socket *nl, bool del_veth)
{
        struct berr ignore;
        if (del_veth)
                nl_link_del(nl, n->eps[i].veth, &ignore);
        if (nl_ifindex(n->bridge))
                ports_rules(n, &n->eps[i], false, &ignore);
        endpoint_drop(n, i);
}

/* Drops the endpoints of containers whose owner is gone. Returns how many. */
static size_t gc_network(const char *root, struct network *n, struct mnl_socket *nl)
{
        size_t dropped = 0;
        for (size_t i = 0; i < n->n_eps;) {
                if (owner_alive(root, n->eps[i].cid)) {
                        i++;
                        continue;
                }
                endpoint_release(n, i, nl, false);
                dropped++;
        }
        return dropped;
}


static void veth_name(const char *cid, const struct network *n, char out[16])
{
        char key[200], d[80];
        snprintf(key, sizeof(key), "%s:%s", cid, n->id);
        if (sha256_buf(key, strlen(key), d) < 0)
                snprintf(d, sizeof(d), "sha256:%s", cid);
        snprintf(out, 16, "vb%.12s", d + 7);
}

/* Reserves each host port with a bound socket that the caller keeps: no other program (or
 * container) can take it while the container runs, and port 0 asks the kernel for a free one. */
static int reserve_ports(struct net_port *ports, size_t n, struct net_state *st, struct berr *e)
{
        for (size_t i = 0; i < n; i++) {
                struct net_port *p = &ports[i];
                int fd = socket(AF_INET, (p->udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
                if (fd < 0)
                        return berr_sys(e, errno, "creating a socket");
                struct sockaddr_in sa = {.sin_family = AF_INET,
                                         .sin_port = htons(p->host_port),
                                         .sin_addr.s_addr = htonl(p->host_ip)};
                if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
                        int err = errno;
                        close(fd);
                        char hip[16];
                        net_ip_format(p->host_ip, hip);
                        if (err == EADDRINUSE)
                                return berr_set(e, EADDRINUSE,
                                                "cannot publish %s:%u/%s: the host port is already in use",
                                                hip, p->host_port, p->udp ? "udp" : "tcp");
                        return berr_sys(e, err, "cannot publish %s:%u/%s", hip, p->host_port,
                                        p->udp ? "udp" : "tcp");
                }
                socklen_t sl = sizeof(sa);
                getsockname(fd, (struct sockaddr *)&sa, &sl);
                p->host_port = ntohs(sa.sin_port);
                int *v = realloc(st->fds, (st->n_fds + 1) * sizeof(int));
                if (!v) {
                        close(fd);
                        return berr_set(e, ENOMEM, "out of memory");
                }
                st->fds = v;
                st->fds[st->n_fds++] = fd;
        }
        return 0;
}

static void state_close(struct net_state *st)
{
        if (!st)
                return;
        for (size_t i = 0; i < st->n_fds; i++)
                close(st->fds[i]);
        free(st->fds);
        st->fds = NULL;
        st->n_fds = 0;
}

/* The lowest ethN that container cid does not use on any network. */
static void pick_ifname(const char *root, const char *cid, char out[16])
{
        char **names = NULL;
        struct berr ignore;
        bool used[16] = {0};
        netstore_names(root, &names, &ignore);
        for (size_t i = 0; names && names[i]; i++) {
                struct network n;
                if (netstore_load(root, names[i], &n, &ignore) < 0)
                        continue;
                for (size_t k = 0; k < n.n_eps; k++) {
                        int x;
                        if (!strcmp(n.eps[k].cid, cid) && sscanf(n.eps[k].ifname, "eth%d", &x) == 1 &&
                            x >= 0 && x < 16)
                                used[x] = true;
                }
                network_free(&n);
        }
        strv_free(names);
        int x = 0;
        while (x < 15 && used[x])
                x++;
        snprintf(out, 16, "eth%d", x);
}

/* The veth pair of ep. Its name is the container's and the network's, so a link of that name is
 * this container's previous one, whose network namespace the kernel has not finished tearing
 * down (a restart comes that fast): it is deleted and the pair made again. That also takes the
 * old port off the bridge, with the forwarding entry that sent eth0's MAC to it. */
static int veth_add(struct mnl_socket *nl, const struct network *n, const struct net_endpoint *ep,
                    pid_t pid, struct berr *e)
{
        unsigned br = nl_ifindex(n->bridge), mtu = nl_mtu(n->bridge);
        int r = nl_veth_add(nl, ep->veth, br, mtu, ep->ifname, ep->mac, pid, e);
        if (r != -EEXIST || !nl_ifindex(ep->veth))
                return r;
        if ((r = nl_link_del(nl, ep->veth, e)) < 0)
                return r;
        return nl_veth_add(nl, ep->veth, br, mtu, ep->ifname, ep->mac, pid, e);
}

/* The container's name as its record says now, under the store lock: a `rename` writes the
 * record before it takes this lock to rename endpoints, so either this attach reads the new
 * name or that rename comes after it and renames this endpoint too. */
static void current_name(const char *root, const char *cid, const char *given, char out[256])
{
        _cleanup_free_ char *cdir = container_dir(root, cid);
        struct record rec;
        struct berr ignore;
        snprintf(out, 256, "%s", given);
        if (cdir && record_read(cdir, &rec, &ignore) == 0) {
                if (rec.name[0])
                        snprintf(out, 256, "%s", rec.name);
                record_clear(&rec);
        }
}

/* Inside the container's namespace: address, up, and (on eth0) the default route. */
static int configure_inside(pid_t pid, const struct network *n, const struct net_endpoint *ep,
                            struct berr *e)
{
        struct mnl_socket *in;
        unsigned idx = 0;
        int r = nl_open_netns(pid, ep->ifname, &idx, &in, e);
        if (r < 0)
                return r;
        if (!idx)
                r = berr_set(e, ENODEV, "%s did not appear in the container", ep->ifname);
        else if ((r = nl_addr_add(in, idx, ep->ip, n->subnet.prefix, e)) == 0 &&
                 (r = nl_link_up(in, idx, e)) == 0 && !strcmp(ep->ifname, "eth0"))
                r = nl_route_default(in, n->gateway, idx, e);
        nl_close(in);
        return r;
}

int net_attach_one(const char *root, const char *network, const char *cid, const char *cname,
                   pid_t pid, char *const *aliases, const struct net_port *ports, size_t n_ports,
                   const uint8_t *mac, struct net_state *st, struct berr *e);

int net_attach_one(const char *root, const char *network, const char *cid, const char *cname,
                   pid_t pid, char *const *aliases, const struct net_port *ports, size_t n_ports,
                   const uint8_t *mac, struct net_state *st, struct berr *e)
{
        _cleanup_close_ int lock = netstore_lock(root, e);
        if (lock < 0)
                return lock;
        struct network n;
        int r = netstore_load(root, network, &n, e);
        if (r < 0)
                return r;
        struct mnl_socket *nl = NULL;
        if ((r = nl_open(&nl, e)) < 0)
                goto out;
        for (size_t i = 0; i < n.n_eps; i++)
                if (!strcmp(n.eps[i].cid, cid)) {
                        r = berr_set(e, EEXIST, "container %.12s is already attached to network %s",
                                     cid, n.name);
                        goto out;
                }
        size_t before = n.n_eps;
        /* Endpoints of dead owners are dropped by their container's reconcile (owner.c); a
         * look at every endpoint's owner here would make each run cost O(running containers)
         * (issue 25). Only a published port needs it now: a dead endpoint's rule could take
         * the port the kernel gives us. An address pool run dry is the other case (below). */
        if (n_ports)
                gc_network(root, &n, nl);
        bool reuse = n.n_eps == 0 && bridge_kept(root, &n) && nl_ifindex(n.bridge);
        if (!reuse && (n.n_eps == 0 || !nl_ifindex(n.bridge))) {
                if (n.n_eps) /* the bridge vanished under live containers: they lost it anyway */
                        while (n.n_eps)
                                endpoint_release(&n, 0, nl, false);
                if ((r = bridge_up(root, &n, nl, e)) < 0) {
                        if (before)
                                netstore_save(root, &n, e);
                        goto out;
                }
        }
        struct net_endpoint ep = {0};
        snprintf(ep.cid, sizeof(ep.cid), "%s", cid);
        current_name(root, cid, cname, ep.name);
        veth_name(cid, &n, ep.veth);
        pick_ifname(root, cid, ep.ifname);
        uint32_t *used = calloc(n.n_eps + 1, sizeof(*used));
        for (size_t i = 0; used && i < n.n_eps; i++)
                used[i] = n.eps[i].ip;
        r = used ? net_ipam_pick(&n.subnet, n.gateway, used, n.n_eps, &ep.ip) : -ENOMEM;
        if (r == -ENOSPC && gc_network(root, &n, nl) > 0) {
                for (size_t i = 0; i < n.n_eps; i++)
                        used[i] = n.eps[i].ip;
                r = net_ipam_pick(&n.subnet, n.gateway, used, n.n_eps, &ep.ip);
        }
        free(used);
        if (r < 0) {
                char sub[20];
                net_cidr_format(&n.subnet, sub);
                r = r == -ENOSPC ? berr_set(e, ENOSPC, "network %s (%s) has no free address left",
                                            n.name, sub)
                                 : berr_set(e, ENOMEM, "out of memory");
                goto undo_bridge;
        }
        if (mac)
                memcpy(ep.mac, mac, sizeof(ep.mac));
        else
                net_mac_from_ip(ep.ip, ep.mac);
        ep.aliases = strv_dup(aliases ? aliases : (char *const[]){NULL});
        if (n_ports && !n.internal) {
                ep.ports = calloc(n_ports, sizeof(*ep.ports));
                if (!ep.ports) {
                        r = berr_set(e, ENOMEM, "out of memory");
                        goto undo_ep;
                }
                memcpy(ep.ports, ports, n_ports * sizeof(*ports));
                ep.n_ports = n_ports;
                if ((r = reserve_ports(ep.ports, n_ports, st, e)) < 0)
                        goto undo_ep;
        }
        struct net_endpoint *v = realloc(n.eps, (n.n_eps + 1) * sizeof(*v));
        if (!v) {
                r = berr_set(e, ENOMEM, "out of memory");
                goto undo_ep;
        }
        n.eps = v;
        n.eps[n.n_eps++] = ep;
        /* Recorded before anything exists for it on the host: a crash from here on is found. */
        if ((r = netstore_save(root, &n, e)) < 0)
                goto undo_saved;
        if ((r = veth_add(nl, &n, &ep, pid, e)) < 0 || (r = configure_inside(pid, &n, &ep, e)) < 0 ||
            (r = ports_rules(&n, &ep, true, e)) < 0)
                goto undo_saved;
        net_hosts_refresh(root, &n, NULL);
        goto out;
undo_saved:
        endpoint_release(&n, n.n_eps - 1, nl, true);
        netstore_save(root, &n, &(struct berr){0});
        state_close(st);
        goto undo_bridge;
undo_ep:
        strv_free(ep.aliases);
        free(ep.ports);
        state_close(st);
undo_bridge:
        if (n.n_eps == 0) {
                bridge_down(&n, nl);
                netstore_save(root, &n, &(struct berr){0});
        }
out:
        nl_close(nl);
        network_free(&n);
        return r;
}

void net_release(const char *root, const char *id, struct net_state *st)
{
        state_close(st);
        struct berr ignore;
        _cleanup_close_ int lock = netstore_lock(root, &ignore);
        if (lock < 0)
                return;
        char **names = NULL;
        if (netstore_names(root, &names, &ignore) < 0)
                return;
        struct mnl_socket *nl = NULL;
        if (nl_open(&nl, &ignore) < 0) {
                strv_free(names);
                return;
        }
        for (size_t k = 0; names[k]; k++) {
                struct network n;
                if (netstore_load(root, names[k], &n, &ignore) < 0)
                        continue;
                bool changed = false;
                for (size_t i = 0; i < n.n_eps; i++)
                        if (!strcmp(n.eps[i].cid, id)) {
                                endpoint_release(&n, i, nl, net_shared(root, id));
                                changed = true;
                                break;
                        }
                /* (The other endpoints' owners are not looked at: see net_attach_one.) */
                /* No endpoint left, under the lock attach holds from bridge_up to its save: a
                 * bridge still up then is ours to take down, also when this container never got
                 * its endpoint saved (berth killed between the two). */
                if (n.n_eps == 0 && !bridge_kept(root, &n) && (changed || nl_ifindex(n.bridge))) {
                        bridge_down(&n, nl);
                        changed = true;
                }
                if (changed) {
                        netstore_save(root, &n, &ignore);
                        net_hosts_refresh(root, &n, id);
                }
                network_free(&n);
        }
        strv_free(names);
        nl_close(nl);
}

int net_detach_one(const char *root, const char *network, const char *id, struct berr *e);

int net_detach_one(const char *root, const char *network, const char *id, struct berr *e)
{
        _cleanup_close_ int lock = netstore_lock(root, e);
        if (lock < 0)
                return lock;
        struct network n;
        int r = netstore_load(root, network, &n, e);
        if (r < 0)
                return r;
        struct mnl_socket *nl = NULL;
        if ((r = nl_open(&nl, e)) < 0) {
                network_free(&n);
                return r;
        }
        r = berr_set(e, ENOENT, "container %.12s is not connected to network %s", id, n.name);
        for (size_t i = 0; i < n.n_eps; i++)
                if (!strcmp(n.eps[i].cid, id)) {
                        endpoint_release(&n, i, nl, true);
                        if (n.n_eps == 0 && !bridge_kept(root, &n))
                                bridge_down(&n, nl);
                        r = netstore_save(root, &n, e);
                        net_hosts_refresh(root, &n, id);
                        break;
                }
        nl_close(nl);
        network_free(&n);
        return r;
}

/* net-shared is written by net_config.c's mark_shared when a container joins this one's network. */
bool net_shared(const char *root, const char *id)
{
        _cleanup_free_ char *cdir = container_dir(root, id);
        _cleanup_free_ char *p = cdir ? path_join(cdir, "net-shared") : NULL;
        return p && access(p, F_OK) == 0;
}
