#include "engine/network/net_addr.h"

#include "util/err.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int net_ip_parse(const char *s, uint32_t *out)
{
        unsigned v[4];
        int n = 0;
        char tail;
        if (!s || sscanf(s, "%3u.%3u.%3u.%3u%n%c", &v[0], &v[1], &v[2], &v[3], &n, &tail) != 4 ||
            s[n] != '\0')
                return -EINVAL;
        for (const char *p = s; *p; p++)
                if (!isdigit((unsigned char)*p) && *p != '.')
                        return -EINVAL;
        for (int i = 0; i < 4; i++)
                if (v[i] > 255)
                        return -EINVAL;
        *out = v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3];
        return 0;
}

void net_ip_format(uint32_t ip, char out[16])
{
        snprintf(out, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

uint32_t net_cidr_mask(int prefix)
{
        return prefix <= 0 ? 0 : prefix >= 32 ? 0xffffffffu : ~((1u << (32 - prefix)) - 1);
}

int net_cidr_parse(const char *s, struct net_cidr *out)
{
        const char *slash = s ? strchr(s, '/') : NULL;
        char ip[16];
        if (!slash || (size_t)(slash - s) >= sizeof(ip) || !slash[1] || strlen(slash + 1) > 2)
                return -EINVAL;
        memcpy(ip, s, (size_t)(slash - s));
        ip[slash - s] = '\0';
        for (const char *p = slash + 1; *p; p++)
                if (!isdigit((unsigned char)*p))
                        return -EINVAL;
        int prefix = atoi(slash + 1);
        uint32_t a;
        if (prefix > 32 || net_ip_parse(ip, &a) < 0)
                return -EINVAL;
        if (a & ~net_cidr_mask(prefix))
                return -EINVAL;
        out->addr = a;
        out->prefix = prefix;
        return 0;
}

void net_cidr_format(const struct net_cidr *c, char out[20])
{
        char ip[16];
        net_ip_format(c->addr, ip);
        snprintf(out, 20, "%s/%d", ip, c->prefix);
}

bool net_cidr_contains(const struct net_cidr *c, uint32_t ip)
{
        return (ip & net_cidr_mask(c->prefix)) == c->addr;
}

bool net_cidr_overlap(const struct net_cidr *a, const struct net_cidr *b)
{
        int p = a->prefix < b->prefix ? a->prefix : b->prefix;
        return (a->addr & net_cidr_mask(p)) == (b->addr & net_cidr_mask(p));
}

uint32_t net_cidr_broadcast(const struct net_cidr *c)
{
        return c->addr | ~net_cidr_mask(c->prefix);
}

static int cmp_u32(const void *a, const void *b)
{
        uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
        return x < y ? -1 : x > y;
}

int net_ipam_pick(const struct net_cidr *c, uint32_t gateway, const uint32_t *used, size_t n,
                  uint32_t *out)
{
        if (c->prefix > 30)
                return -ENOSPC;
        uint32_t *s = malloc((n + 1) * sizeof(*s));
        if (!s)
                return -ENOMEM;
        if (n)
                memcpy(s, used, n * sizeof(*s)); /* used may be NULL when n is 0 */
        s[n++] = gateway;
        qsort(s, n, sizeof(*s), cmp_u32);
        uint32_t last = net_cidr_broadcast(c);
        size_t i = 0;
        int r = -ENOSPC;
        for (uint32_t ip = c->addr + 1; ip < last; ip++) {
                while (i < n && s[i] < ip)
                        i++;
                if (i < n && s[i] == ip)
                        continue;
                *out = ip;
                r = 0;
                break;
        }
        free(s);
        return r;
}

static int parse_port(const char *s, size_t len, uint16_t *out)
{
        if (len == 0 || len > 5)
                return -EINVAL;
        unsigned v = 0;
        for (size_t i = 0; i < len; i++) {
                if (!isdigit((unsigned char)s[i]))
                        return -EINVAL;
                v = v * 10 + (unsigned)(s[i] - '0');
        }
        if (v == 0 || v > 65535)
                return -EINVAL;
        *out = (uint16_t)v;
        return 0;
}

int net_exposed_parse(const char *s, uint16_t *port, bool *udp)
{
        const char *slash = strchr(s, '/');
        size_t len = slash ? (size_t)(slash - s) : strlen(s);
        *udp = false;
        if (slash) {
                if (!strcmp(slash + 1, "udp"))
                        *udp = true;
                else if (strcmp(slash + 1, "tcp"))
                        return -EINVAL;
        }
        return parse_port(s, len, port);
}

int net_port_parse(const char *s, struct net_port *out, struct berr *e)
{
        memset(out, 0, sizeof(*out));
        char buf[64];
        if (strlen(s) >= sizeof(buf))
                return berr_set(e, EINVAL, "-p: invalid port spec \"%.64s...\"", s);
        snprintf(buf, sizeof(buf), "%s", s);
        char *proto = strchr(buf, '/');
        if (proto) {
                *proto++ = '\0';
                if (!strcmp(proto, "udp"))
                        out->udp = true;
                else if (strcmp(proto, "tcp"))
                        return berr_set(e, EINVAL,
                                        "-p %s: unknown protocol \"%s\": use tcp or udp", s, proto);
        }
        char *parts[3];
        int n = 0;
        for (char *p = buf, *c; n < 3; p = c + 1) {
                parts[n++] = p;
                if (!(c = strchr(p, ':')))
                        break;
                *c = '\0';
                if (n == 3)
                        return berr_set(e, EINVAL, "-p %s: too many ':' (use [HOSTIP:]HOSTPORT:PORT)",
                                        s);
        }
        const char *ip = n == 3 ? parts[0] : NULL;
        const char *hp = n >= 2 ? parts[n - 2] : NULL;
        const char *cp = parts[n - 1];
        if (parse_port(cp, strlen(cp), &out->port) < 0)
                return berr_set(e, EINVAL, "-p %s: invalid container port \"%s\"", s, cp);
        if (hp && hp[0] && parse_port(hp, strlen(hp), &out->host_port) < 0)
                return berr_set(e, EINVAL, "-p %s: invalid host port \"%s\"", s, hp);
        if (ip && ip[0] && net_ip_parse(ip, &out->host_ip) < 0)
                return berr_set(e, EINVAL, "-p %s: invalid host IP \"%s\" (IPv4 only)", s, ip);
        return 0;
}

bool net_name_valid(const char *name)
{
        size_t n = strlen(name);
        if (n == 0 || n > 64 || !isalnum((unsigned char)name[0]))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!isalnum((unsigned char)name[i]) && !strchr("_.-", name[i]))
                        return false;
        return true;
}
