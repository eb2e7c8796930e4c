#include "engine/network/net_nl.h"

#include "util/cleanup.h"
#include "util/err.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int nl_open(struct mnl_socket **out, struct berr *e)
{
        struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
        if (!nl)
                return berr_sys(e, errno, "opening a netlink socket");
        if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
                int err = errno;
                mnl_socket_close(nl);
                return berr_sys(e, err, "binding a netlink socket");
        }
        *out = nl;
        return 0;
}

int nl_open_netns(pid_t pid, const char *ifname, unsigned *ifindex, struct mnl_socket **out,
                  struct berr *e)
{
        char p[64];
        snprintf(p, sizeof(p), "/proc/%d/ns/net", (int)pid);
        _cleanup_close_ int target = open(p, O_RDONLY | O_CLOEXEC);
        _cleanup_close_ int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        if (target < 0 || self < 0)
                return berr_sys(e, errno, "opening the network namespace of %d", (int)pid);
        if (setns(target, CLONE_NEWNET) < 0)
                return berr_sys(e, errno, "entering the network namespace of %d", (int)pid);
        int r = nl_open(out, e);
        if (ifindex)
                *ifindex = ifname ? if_nametoindex(ifname) : 0;
        if (setns(self, CLONE_NEWNET) < 0)
                abort(); /* cannot go home: continuing would configure the wrong namespace */
        return r;
}

void nl_close(struct mnl_socket *nl)
{
        if (nl)
                mnl_socket_close(nl);
}

unsigned nl_ifindex(const char *name)
{
        return if_nametoindex(name);
}

unsigned nl_mtu(const char *name)
{
        struct ifreq ifr = {0};
        snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
        _cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || ioctl(fd, SIOCGIFMTU, &ifr) < 0)
                return 0;
        return (unsigned)ifr.ifr_mtu;
}

/* Sends one request and waits for its ack; returns 0 or -errno from the kernel. */
static int talk(struct mnl_socket *nl, struct nlmsghdr *nlh)
{
        char buf[MNL_SOCKET_BUFFER_SIZE];
        unsigned seq = nlh->nlmsg_seq = (unsigned)time(NULL) ^ (unsigned)rand();
        nlh->nlmsg_flags |= NLM_F_ACK;
        unsigned portid = mnl_socket_get_portid(nl);
        if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
                return -errno;
        for (;;) {
                ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
                if (n < 0)
                        return -errno;
                int r = mnl_cb_run(buf, (size_t)n, seq, portid, NULL, NULL);
                if (r < 0 && errno == EPROTO)
                        continue; /* a reply to an earlier request of this socket: not ours */
                if (r < 0)
                        return -errno;
                if (r == MNL_CB_STOP)
                        return 0;
        }
}

static struct nlmsghdr *link_msg(char *buf, int type, int flags, struct ifinfomsg **ifm)
{
        struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
        nlh->nlmsg_type = (uint16_t)type;
        nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
        *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(**ifm));
        (*ifm)->ifi_family = AF_UNSPEC;
        return nlh;
}

int nl_bridge_add(struct mnl_socket *nl, const char *name, const char *alias, struct berr *e)
{
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct ifinfomsg *ifm;
        struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifm);
        mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
        struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
        mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
        mnl_attr_nest_end(nlh, info);
        int r = talk(nl, nlh);
        if (r < 0)
                return berr_sys(e, -r, "creating the bridge %s", name);
        if (!alias)
                return 0;
        /* The kernel applies IFLA_IFALIAS only when changing a link, not when creating one. */
        nlh = link_msg(buf, RTM_NEWLINK, 0, &ifm);
        mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
        mnl_attr_put_strz(nlh, IFLA_IFALIAS, alias);
        if ((r = talk(nl, nlh)) < 0) {
                struct berr ignore;
                nl_link_del(nl, name, &ignore);
                return berr_sys(e, -r, "naming the bridge %s", name);
        }
        return 0;
}

int nl_link_up(struct mnl_socket *nl, unsigned ifindex, struct berr *e)
{
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct ifinfomsg *ifm;
        struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, 0, &ifm);
        ifm->ifi_index = (int)ifindex;
        ifm->ifi_flags = IFF_UP;
        ifm->ifi_change = IFF_UP;
        int r = talk(nl, nlh);
        return r < 0 ? berr_sys(e, -r, "bringing up link %u", ifindex) : 0;
}

int nl_link_del(struct mnl_socket *nl, const char *name, struct berr *e)
{
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct ifinfomsg *ifm;
        struct nlmsghdr *nlh = link_msg(buf, RTM_DELLINK, 0, &ifm);
        mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
        int r = talk(nl, nlh);
        if (r == -ENODEV || r == -ENOENT)
                return 0;
        return r < 0 ? berr_sys(e, -r, "deleting link %s", name) : 0;
}

int nl_addr_add(struct mnl_socket *nl, unsigned ifindex, uint32_t ip, int prefix, struct berr *e)
{
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
        nlh->nlmsg_type = RTM_NEWADDR;
        nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
        struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
        ifa->ifa_family = AF_INET;
        ifa->ifa_prefixlen = (unsigned char)prefix;
        ifa->ifa_scope = RT_SCOPE_UNIVERSE;
        ifa->ifa_index = ifindex;
        uint32_t a = htonl(ip);
        mnl_attr_put_u32(nlh, IFA_LOCAL, a);
        mnl_attr_put_u32(nlh, IFA_ADDRESS, a);
        if (prefix < 31) {
                uint32_t b = htonl(ip | ~(prefix ? ~((1u << (32 - prefix)) - 1) : 0u));
                mnl_attr_put_u32(nlh, IFA_BROADCAST, b);
        }
        int r = talk(nl, nlh);
        return r < 0 ? berr_sys(e, -r, "adding an address to link %u", ifindex) : 0;
}

int nl_veth_add(struct mnl_socket *nl, const char *host_name, unsigned master, unsigned mtu,
                const char *peer_name, pid_t pid, struct berr *e)
{
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct ifinfomsg *ifm;
        struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifm);
        ifm->ifi_flags = IFF_UP;
        ifm->ifi_change = IFF_UP;
        mnl_attr_put_strz(nlh, IFLA_IFNAME, host_name);
        mnl_attr_put_u32(nlh, IFLA_MASTER, master);
        if (mtu)
                mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
        struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
        mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
        struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
        struct nlattr *peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
        struct ifinfomsg *pifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifm));
        pifm->ifi_family = AF_UNSPEC;
        mnl_attr_put_strz(nlh, IFLA_IFNAME, peer_name);
        mnl_attr_put_u32(nlh, IFLA_NET_NS_PID, (uint32_t)pid);
        if (mtu)
                mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
        mnl_attr_nest_end(nlh, peer);
        mnl_attr_nest_end(nlh, data);
        mnl_attr_nest_end(nlh, info);
        int r = talk(nl, nlh);
        return r < 0 ? berr_sys(e, -r, "creating the veth pair %s", host_name) : 0;
}

int nl_route_default(struct mnl_socket *nl, uint32_t gateway, unsigned ifindex, struct berr *e)
{
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
        nlh->nlmsg_type = RTM_NEWROUTE;
        nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
        struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
        rtm->rtm_family = AF_INET;
        rtm->rtm_table = RT_TABLE_MAIN;
        rtm->rtm_protocol = RTPROT_BOOT;
        rtm->rtm_scope = RT_SCOPE_UNIVERSE;
        rtm->rtm_type = RTN_UNICAST;
        mnl_attr_put_u32(nlh, RTA_GATEWAY, htonl(gateway));
        mnl_attr_put_u32(nlh, RTA_OIF, ifindex);
        int r = talk(nl, nlh);
        return r < 0 ? berr_sys(e, -r, "adding the default route") : 0;
}

/* Reads what is left of the dump seq until its DONE (or error), so the socket is clean again. */
static int drain(struct mnl_socket *nl, unsigned seq)
{
        char buf[MNL_SOCKET_BUFFER_SIZE];
        for (;;) {
                ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
                if (n < 0)
                        return -errno;
                int len = (int)n;
                for (struct nlmsghdr *h = (struct nlmsghdr *)buf; mnl_nlmsg_ok(h, len);
                     h = mnl_nlmsg_next(h, &len))
                        if (h->nlmsg_seq == seq &&
                            (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR))
                                return 0;
        }
}

/* A dump: calls cb for every message until DONE. The kernel flags a dump interrupted when the
 * table changed meanwhile (other containers' veths and bridges come and go): then what was
 * collected is dropped (reset), the rest of the dump drained, and the dump asked again. */
static int dump(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
                void (*reset)(void *))
{
        char buf[MNL_SOCKET_BUFFER_SIZE];
        unsigned portid = mnl_socket_get_portid(nl);
        for (int attempt = 0; attempt < 10; attempt++) {
                unsigned seq = nlh->nlmsg_seq = (unsigned)time(NULL) ^ (unsigned)rand();
                if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
                        return -errno;
                int r;
                for (;;) {
                        ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
                        if (n < 0)
                                return -errno;
                        r = mnl_cb_run(buf, (size_t)n, seq, portid, cb, data);
                        if (r < 0 && errno == EPROTO)
                                continue; /* an earlier request's reply: not ours */
                        if (r < 0 && errno == EINTR) {
                                reset(data);
                                if ((r = drain(nl, seq)) < 0)
                                        return r;
                                break; /* ask again */
                        }
                        if (r < 0)
                                return -errno;
                        if (r == MNL_CB_STOP)
                                return 0;
                }
        }
        return -EAGAIN;
}

struct route_acc {
        struct nl_route *v;
        size_t n;
};

static void route_reset(void *data)
{
        struct route_acc *acc = data;
        free(acc->v);
        acc->v = NULL;
        acc->n = 0;
}

static int route_attr(const struct nlattr *a, void *data)
{
        const struct nlattr **tb = data;
        if (mnl_attr_type_valid(a, RTA_MAX) > 0)
                tb[mnl_attr_get_type(a)] = a;
        return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
        struct route_acc *acc = data;
        struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
        const struct nlattr *tb[RTA_MAX + 1] = {0};
        if (rtm->rtm_family != AF_INET || rtm->rtm_dst_len == 0)
                return MNL_CB_OK;
        mnl_attr_parse(nlh, sizeof(*rtm), route_attr, tb);
        if (!tb[RTA_DST])
                return MNL_CB_OK;
        struct nl_route *v = realloc(acc->v, (acc->n + 1) * sizeof(*v));
        if (!v)
                return MNL_CB_ERROR;
        acc->v = v;
        v[acc->n].dst = ntohl(mnl_attr_get_u32(tb[RTA_DST]));
        v[acc->n].prefix = rtm->rtm_dst_len;
        acc->n++;
        return MNL_CB_OK;
}

int nl_routes(struct mnl_socket *nl, struct nl_route **out, size_t *n, struct berr *e)
{
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
        nlh->nlmsg_type = RTM_GETROUTE;
        nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
        struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
        rtm->rtm_family = AF_INET;
        struct route_acc acc = {0};
        int r = dump(nl, nlh, route_cb, &acc, route_reset);
        if (r < 0) {
                free(acc.v);
                return berr_sys(e, -r, "listing the host's routes");
        }
        *out = acc.v;
        *n = acc.n;
        return 0;
}

struct link_acc {
        const char *prefix;
        struct nl_link *v;
        size_t n;
};

static void link_reset(void *data)
{
        struct link_acc *acc = data;
        free(acc->v);
        acc->v = NULL;
        acc->n = 0;
}

static int link_attr(const struct nlattr *a, void *data)
{
        const struct nlattr **tb = data;
        if (mnl_attr_type_valid(a, IFLA_MAX) > 0)
                tb[mnl_attr_get_type(a)] = a;
        return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
        struct link_acc *acc = data;
        const struct nlattr *tb[IFLA_MAX + 1] = {0};
        mnl_attr_parse(nlh, sizeof(struct ifinfomsg), link_attr, tb);
        if (!tb[IFLA_IFNAME] || !tb[IFLA_IFALIAS])
                return MNL_CB_OK;
        const char *alias = mnl_attr_get_str(tb[IFLA_IFALIAS]);
        if (strncmp(alias, acc->prefix, strlen(acc->prefix)))
                return MNL_CB_OK;
        struct nl_link *v = realloc(acc->v, (acc->n + 1) * sizeof(*v));
        if (!v)
                return MNL_CB_ERROR;
        acc->v = v;
        snprintf(v[acc->n].name, sizeof(v[acc->n].name), "%s", mnl_attr_get_str(tb[IFLA_IFNAME]));
        snprintf(v[acc->n].alias, sizeof(v[acc->n].alias), "%s", alias);
        acc->n++;
        return MNL_CB_OK;
}

int nl_links_with_alias(struct mnl_socket *nl, const char *prefix, struct nl_link **out, size_t *n,
                        struct berr *e)
{
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct ifinfomsg *ifm;
        struct nlmsghdr *nlh = link_msg(buf, RTM_GETLINK, NLM_F_DUMP, &ifm);
        struct link_acc acc = {.prefix = prefix};
        int r = dump(nl, nlh, link_cb, &acc, link_reset);
        if (r < 0) {
                free(acc.v);
                return berr_sys(e, -r, "listing the host's links");
        }
        *out = acc.v;
        *n = acc.n;
        return 0;
}
