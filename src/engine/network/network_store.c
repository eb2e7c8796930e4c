#include "engine/network/network_store.h"

#include "engine/container/containers.h"
#include "engine/container/record.h"
#include "engine/network/net_nl.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/flock_wait.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/strv.h"

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

void network_free(struct network *n)
{
        for (size_t i = 0; i < n->n_eps; i++) {
                strv_free(n->eps[i].aliases);
                free(n->eps[i].ports);
        }
        free(n->eps);
        n->eps = NULL;
        n->n_eps = 0;
}

int netstore_lock(const char *root, struct berr *e)
{
        _cleanup_free_ char *dir = path_join(root, "networks");
        _cleanup_free_ char *p = dir ? path_join(dir, "lock") : NULL;
        if (!p)
                return berr_set(e, ENOMEM, "out of memory");
        if (mkdir(dir, 0700) < 0 && errno != EEXIST && mkdir_p(dir, 0700, e) < 0)
                return e->code;
        int fd = flock_open(p, e);
        if (fd < 0)
                return fd;
        int r = flock_wait(fd, p, -1, e); /* long-held, but not forever by a stopped berth */
        if (r < 0) {
                close(fd);
                return r;
        }
        return fd;
}

unsigned netstore_hash_byte(const char *s)
{
        char d[SHA256_DIGEST_STR_LEN];
        if (sha256_buf(s, strlen(s), d) < 0)
                return 0;
        return (unsigned)strtoul((char[]){d[7], d[8], 0}, NULL, 16);
}

void netstore_default_bridge(const char *root, char out[16])
{
        char d[SHA256_DIGEST_STR_LEN];
        if (!strcmp(root, "/var/lib/berth") || sha256_buf(root, strlen(root), d) < 0) {
                snprintf(out, 16, "berth0");
                return;
        }
        snprintf(out, 16, "bb%.6s", d + 7);
}

static void default_network(const char *root, struct network *n)
{
        memset(n, 0, sizeof(*n));
        snprintf(n->name, sizeof(n->name), NET_DEFAULT);
        char d[SHA256_DIGEST_STR_LEN], key[4200];
        snprintf(key, sizeof(key), "%s\n%s", root, NET_DEFAULT);
        if (sha256_buf(key, strlen(key), d) == 0)
                snprintf(n->id, sizeof(n->id), "%s", d + 7);
        n->auto_subnet = true;
        netstore_default_bridge(root, n->bridge);
        /* A placeholder: the real subnet is picked when the bridge comes up. */
        n->subnet.addr = 0xac1e0000u | netstore_hash_byte(root) << 8; /* 172.30.X.0/24 */
        n->subnet.prefix = 24;
        n->gateway = n->subnet.addr + 1;
        rfc3339_now(n->created);
}

static char *net_path(const char *root, const char *name)
{
        char *p = NULL;
        return asprintf(&p, "%s/networks/%s.json", root, name) < 0 ? NULL : p;
}

static int parse_ip_field(json_t *o, const char *key, uint32_t *out)
{
        return net_ip_parse(json_string_value(json_object_get(o, key)), out);
}

static int parse_endpoint(const char *cid, json_t *o, struct net_endpoint *ep)
{
        memset(ep, 0, sizeof(*ep));
        snprintf(ep->cid, sizeof(ep->cid), "%s", cid);
        const char *s;
        if ((s = json_string_value(json_object_get(o, "name"))))
                snprintf(ep->name, sizeof(ep->name), "%s", s);
        if ((s = json_string_value(json_object_get(o, "veth"))))
                snprintf(ep->veth, sizeof(ep->veth), "%s", s);
        if ((s = json_string_value(json_object_get(o, "ifname"))))
                snprintf(ep->ifname, sizeof(ep->ifname), "%s", s);
        if (parse_ip_field(o, "ip", &ep->ip) < 0)
                return -EINVAL;
        ep->aliases = calloc(1, sizeof(char *));
        size_t i;
        json_t *it;
        json_array_foreach (json_object_get(o, "aliases"), i, it)
                if (json_is_string(it))
                        strv_push(&ep->aliases, json_string_value(it));
        json_t *ports = json_object_get(o, "ports");
        size_t np = json_array_size(ports);
        if (np && !(ep->ports = calloc(np, sizeof(*ep->ports))))
                return -ENOMEM;
        json_array_foreach (ports, i, it) {
                struct net_port *p = &ep->ports[ep->n_ports++];
                const char *hip = json_string_value(json_object_get(it, "host_ip"));
                if (hip && hip[0])
                        net_ip_parse(hip, &p->host_ip);
                p->host_port = (uint16_t)json_integer_value(json_object_get(it, "host_port"));
                p->port = (uint16_t)json_integer_value(json_object_get(it, "port"));
                p->udp = json_is_true(json_object_get(it, "udp"));
        }
        return 0;
}

int netstore_load(const char *root, const char *name, struct network *out, struct berr *e)
{
        _cleanup_free_ char *p = net_path(root, name), *text = NULL;
        if (!p)
                return berr_set(e, ENOMEM, "out of memory");
        struct berr inner;
        if (read_file(p, &text, NULL, &inner) < 0) {
                if (inner.code == -ENOENT && !strcmp(name, NET_DEFAULT)) {
                        default_network(root, out);
                        return 0;
                }
                if (inner.code == -ENOENT)
                        return berr_set(e, ENOENT, "no such network: %s", name);
                *e = inner;
                return inner.code;
        }
        json_error_t jerr;
        json_t *o = json_loads(text, 0, &jerr);
        memset(out, 0, sizeof(*out));
        const char *s;
        int r = -EINVAL;
        if (!o)
                goto bad;
        snprintf(out->name, sizeof(out->name), "%s", name);
        if ((s = json_string_value(json_object_get(o, "id"))))
                snprintf(out->id, sizeof(out->id), "%s", s);
        if ((s = json_string_value(json_object_get(o, "bridge"))))
                snprintf(out->bridge, sizeof(out->bridge), "%s", s);
        if ((s = json_string_value(json_object_get(o, "created"))))
                snprintf(out->created, sizeof(out->created), "%s", s);
        out->internal = json_is_true(json_object_get(o, "internal"));
        out->auto_subnet = json_is_true(json_object_get(o, "auto_subnet"));
        if (net_cidr_parse(json_string_value(json_object_get(o, "subnet")), &out->subnet) < 0 ||
            parse_ip_field(o, "gateway", &out->gateway) < 0 || !out->bridge[0])
                goto bad;
        json_t *eps = json_object_get(o, "endpoints");
        size_t n = json_object_size(eps);
        if (n && !(out->eps = calloc(n, sizeof(*out->eps))))
                goto bad;
        const char *cid;
        json_t *it;
        json_object_foreach (eps, cid, it) {
                if (parse_endpoint(cid, it, &out->eps[out->n_eps]) < 0)
                        goto bad;
                out->n_eps++;
        }
        json_decref(o);
        return 0;
bad:
        json_decref(o);
        network_free(out);
        return berr_set(e, r, "%s: not a valid network file", p);
}

static json_t *endpoint_json(const struct net_endpoint *ep)
{
        char ip[16];
        net_ip_format(ep->ip, ip);
        json_t *al = json_array(), *ports = json_array();
        for (size_t i = 0; ep->aliases && ep->aliases[i]; i++)
                json_array_append_new(al, json_string(ep->aliases[i]));
        for (size_t i = 0; i < ep->n_ports; i++) {
                char hip[16] = "";
                if (ep->ports[i].host_ip)
                        net_ip_format(ep->ports[i].host_ip, hip);
                json_array_append_new(ports, json_pack("{s:s,s:i,s:i,s:b}", "host_ip", hip,
                                                       "host_port", ep->ports[i].host_port, "port",
                                                       ep->ports[i].port, "udp", ep->ports[i].udp));
        }
        return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "name", ep->name, "ip", ip, "veth", ep->veth,
                         "ifname", ep->ifname, "aliases", al, "ports", ports);
}

int netstore_save(const char *root, const struct network *n, struct berr *e)
{
        char sub[20], gw[16];
        net_cidr_format(&n->subnet, sub);
        net_ip_format(n->gateway, gw);
        json_t *eps = json_object();
        for (size_t i = 0; i < n->n_eps; i++)
                json_object_set_new(eps, n->eps[i].cid, endpoint_json(&n->eps[i]));
        json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:o}", "name", n->name, "id", n->id,
                              "driver", "bridge", "bridge", n->bridge, "subnet", sub, "gateway", gw,
                              "internal", n->internal, "auto_subnet", n->auto_subnet, "endpoints",
                              eps);
        if (o)
                json_object_set_new(o, "created", json_string(n->created));
        _cleanup_free_ char *text = o ? json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
        json_decref(o);
        _cleanup_free_ char *p = net_path(root, n->name);
        if (!text || !p)
                return berr_set(e, ENOMEM, "out of memory");
        return write_file_atomic(p, text, strlen(text), 0600, e);
}

int netstore_names(const char *root, char ***out, struct berr *e)
{
        _cleanup_free_ char *dir = path_join(root, "networks");
        char **names = calloc(1, sizeof(char *));
        if (!dir || !names || strv_push(&names, NET_DEFAULT) < 0) {
                strv_free(names);
                return berr_set(e, ENOMEM, "out of memory");
        }
        _cleanup_closedir_ DIR *d = opendir(dir);
        struct dirent *de;
        while (d && (de = readdir(d))) {
                size_t len = strlen(de->d_name);
                if (len <= 5 || strcmp(de->d_name + len - 5, ".json"))
                        continue;
                de->d_name[len - 5] = '\0';
                if (strcmp(de->d_name, NET_DEFAULT))
                        strv_push(&names, de->d_name);
        }
        *out = names;
        return 0;
}

int netstore_pick_subnet(const char *root, const char *self, unsigned start,
                         struct mnl_socket *nl, struct net_cidr *out, struct berr *e)
{
        struct nl_route *routes = NULL;
        size_t nr = 0;
        int r = nl_routes(nl, &routes, &nr, e);
        if (r < 0)
                return r;
        char **names = NULL;
        struct berr ignore;
        netstore_names(root, &names, &ignore);
        struct net_cidr *taken = calloc(strv_len(names) + 1, sizeof(*taken));
        size_t nt = 0;
        for (size_t i = 0; taken && names && names[i]; i++) {
                struct network other;
                if (!strcmp(names[i], self) || netstore_load(root, names[i], &other, &ignore) < 0)
                        continue;
                if (!other.auto_subnet || other.n_eps)
                        taken[nt++] = other.subnet;
                network_free(&other);
        }
        strv_free(names);
        r = berr_set(e, ENOSPC, "no free /24 left in 172.30.0.0/16 for network %s", self);
        for (unsigned i = 0; taken && i < 256; i++) {
                struct net_cidr c = {0xac1e0000u | ((start + i) & 255) << 8, 24};
                bool clash = false;
                for (size_t k = 0; k < nr && !clash; k++)
                        clash = net_cidr_overlap(&c, &(struct net_cidr){routes[k].dst, routes[k].prefix});
                for (size_t k = 0; k < nt && !clash; k++)
                        clash = net_cidr_overlap(&c, &taken[k]);
                if (!clash) {
                        *out = c;
                        r = 0;
                        break;
                }
        }
        free(taken);
        free(routes);
        return r;
}
