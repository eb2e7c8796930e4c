/* `berth network create | ls | inspect | rm | prune`: the network files. The bridge and rules
 * of a network come and go with its containers (net_attach.c). */
#include "engine/network/network.h"

#include "engine/container/containers.h"
#include "engine/container/record.h"
#include "engine/network/net_nl.h"
#include "engine/network/network_store.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool reserved(const char *name)
{
        return !strcmp(name, NET_DEFAULT) || !strcmp(name, "host") || !strcmp(name, "none") ||
               !strncmp(name, "container:", 10);
}

/* The subnet must overlap no other network of this root and no route of the host. */
static int check_overlap(const char *root, const struct net_cidr *c, struct berr *e)
{
        char **names = NULL;
        char sub[20], other_sub[20];
        net_cidr_format(c, sub);
        int r = netstore_names(root, &names, e);
        for (size_t i = 0; r == 0 && names[i]; i++) {
                struct network o;
                struct berr ignore;
                if (netstore_load(root, names[i], &o, &ignore) < 0)
                        continue;
                /* An automatic subnet of a network that is down is not held. */
                if ((!o.auto_subnet || o.n_eps) && net_cidr_overlap(c, &o.subnet)) {
                        net_cidr_format(&o.subnet, other_sub);
                        r = berr_set(e, EEXIST, "subnet %s overlaps network %s (%s)", sub,
                                     o.name, other_sub);
                }
                network_free(&o);
        }
        strv_free(names);
        if (r < 0)
                return r;
        struct mnl_socket *nl;
        struct nl_route *routes = NULL;
        size_t n = 0;
        if ((r = nl_open(&nl, e)) < 0)
                return r;
        r = nl_routes(nl, &routes, &n, e);
        nl_close(nl);
        for (size_t i = 0; r == 0 && i < n; i++) {
                struct net_cidr rc = {routes[i].dst, routes[i].prefix};
                if (net_cidr_overlap(c, &rc)) {
                        net_cidr_format(&rc, other_sub);
                        r = berr_set(e, EEXIST, "subnet %s overlaps the host's route to %s", sub,
                                     other_sub);
                }
        }
        free(routes);
        return r;
}

/* A network file a killed create (or connect, or attach) was writing: collected by the next
 * create and by prune, under the store lock. */
static void collect_dead_writes(const char *root)
{
        _cleanup_free_ char *dir = path_join(root, "networks");
        if (dir)
                atomic_tmp_collect(dir);
}

int network_create(const char *root, const char *name, const char *subnet, const char *gateway,
                   bool internal, char id_out[65], struct berr *e)
{
        if (!net_name_valid(name))
                return berr_set(e, EINVAL,
                                "invalid network name \"%s\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are "
                                "allowed (at most 64)",
                                name);
        if (reserved(name))
                return berr_set(e, EEXIST, "network %s is predefined: choose another name", name);
        struct network n = {0};
        snprintf(n.name, sizeof(n.name), "%s", name);
        n.internal = internal;
        int r;
        if (subnet) {
                if (net_cidr_parse(subnet, &n.subnet) < 0)
                        return berr_set(e, EINVAL,
                                        "--subnet: invalid subnet \"%s\": use A.B.C.D/N with the "
                                        "host bits zero",
                                        subnet);
                if (n.subnet.prefix > 30 || n.subnet.prefix < 8)
                        return berr_set(e, EINVAL,
                                        "--subnet %s: the prefix must be between /8 and /30", subnet);
        } else if (gateway) {
                return berr_set(e, EINVAL, "--gateway needs --subnet");
        }
        if (gateway) {
                if (net_ip_parse(gateway, &n.gateway) < 0)
                        return berr_set(e, EINVAL, "--gateway: invalid address \"%s\"", gateway);
                if (!net_cidr_contains(&n.subnet, n.gateway) || n.gateway == n.subnet.addr ||
                    n.gateway == net_cidr_broadcast(&n.subnet))
                        return berr_set(e, EINVAL,
                                        "--gateway %s is not a host address of subnet %s", gateway,
                                        subnet);
        }
        if ((r = container_new_id(n.id, e)) < 0)
                return r;
        snprintf(n.bridge, sizeof(n.bridge), "bn%.10s", n.id);
        rfc3339_now(n.created);
        _cleanup_close_ int lock = netstore_lock(root, e);
        if (lock < 0)
                return lock;
        collect_dead_writes(root);
        struct network old;
        struct berr ignore;
        if (netstore_load(root, name, &old, &ignore) == 0) {
                network_free(&old);
                return berr_set(e, EEXIST, "network with name %s already exists", name);
        }
        if (subnet) {
                if ((r = check_overlap(root, &n.subnet, e)) < 0)
                        return r;
                if (!gateway)
                        n.gateway = n.subnet.addr + 1;
        } else {
                /* Placeholder until the bridge comes up: then a free /24 is picked. */
                n.auto_subnet = true;
                n.subnet = (struct net_cidr){0xac1e0000u, 24};
                n.gateway = n.subnet.addr + 1;
        }
        if ((r = netstore_save(root, &n, e)) < 0)
                return r;
        memcpy(id_out, n.id, 65);
        return 0;
}

int network_get(const char *root, const char *ref, struct network *out, struct berr *e)
{
        struct berr inner;
        if (net_name_valid(ref) && netstore_load(root, ref, out, &inner) == 0)
                return 0;
        /* An id prefix. */
        char **names = NULL;
        int r = netstore_names(root, &names, e);
        int found = 0;
        for (size_t i = 0; r == 0 && names[i]; i++) {
                struct network n;
                if (netstore_load(root, names[i], &n, &inner) < 0)
                        continue;
                if (strlen(ref) >= 3 && !strncmp(n.id, ref, strlen(ref))) {
                        if (found++)
                                network_free(out);
                        *out = n;
                } else {
                        network_free(&n);
                }
        }
        strv_free(names);
        if (r < 0)
                return r;
        if (found == 1)
                return 0;
        if (found > 1) {
                network_free(out);
                return berr_set(e, EINVAL, "network id prefix %s is ambiguous", ref);
        }
        return berr_set(e, ENOENT, "no such network: %s", ref);
}

int network_list(const char *root, struct network **out, size_t *n, struct berr *e)
{
        char **names = NULL;
        int r = netstore_names(root, &names, e);
        if (r < 0)
                return r;
        struct network *v = calloc(strv_len(names) + 1, sizeof(*v));
        size_t k = 0;
        for (size_t i = 0; v && names[i]; i++) {
                struct berr ignore;
                if (netstore_load(root, names[i], &v[k], &ignore) == 0)
                        k++;
        }
        strv_free(names);
        if (!v)
                return berr_set(e, ENOMEM, "out of memory");
        *out = v;
        *n = k;
        return 0;
}

/* Attachments whose container is gone count for nothing (net_gc cleans them on next use). */
static size_t live_endpoints(const char *root, const struct network *n)
{
        size_t live = 0;
        for (size_t i = 0; i < n->n_eps; i++) {
                _cleanup_free_ char *cdir = container_dir(root, n->eps[i].cid);
                if (cdir && access(cdir, F_OK) == 0)
                        live++;
        }
        return live;
}

static int remove_one(const char *root, const char *name, bool quiet, struct berr *e)
{
        struct network n;
        int r = netstore_load(root, name, &n, e);
        if (r < 0)
                return r;
        size_t live = live_endpoints(root, &n);
        network_free(&n);
        if (live)
                return quiet ? -EBUSY
                             : berr_set(e, EBUSY,
                                        "network %s is in use by %zu container%s: stop or "
                                        "disconnect them first",
                                        name, live, live == 1 ? "" : "s");
        /* Leftover attachments of dead containers: release them (bridge, rules, sysctls). */
        struct network again;
        if (netstore_load(root, name, &again, e) == 0) {
                for (size_t i = 0; i < again.n_eps; i++)
                        net_release(root, again.eps[i].cid, NULL);
                network_free(&again);
        }
        _cleanup_free_ char *p = NULL;
        if (asprintf(&p, "%s/networks/%s.json", root, name) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_close_ int lock = netstore_lock(root, e);
        if (lock < 0)
                return lock;
        struct network last;
        if ((r = netstore_load(root, name, &last, e)) < 0)
                return r;
        size_t n_eps = last.n_eps;
        network_free(&last);
        if (n_eps)
                return quiet ? -EBUSY
                             : berr_set(e, EBUSY, "network %s is in use: a container just joined it",
                                        name);
        if (unlink(p) < 0 && errno != ENOENT)
                return berr_sys(e, errno, "removing %s", p);
        return 0;
}

int network_remove(const char *root, const char *ref, struct berr *e)
{
        if (!strcmp(ref, NET_DEFAULT) || !strcmp(ref, "host") || !strcmp(ref, "none"))
                return berr_set(e, EPERM, "%s is a pre-defined network and cannot be removed", ref);
        struct network n;
        int r = network_get(root, ref, &n, e);
        if (r < 0)
                return r;
        char name[128];
        snprintf(name, sizeof(name), "%s", n.name);
        network_free(&n);
        if (!strcmp(name, NET_DEFAULT))
                return berr_set(e, EPERM, "%s is a pre-defined network and cannot be removed", ref);
        return remove_one(root, name, false, e);
}

int network_prune(const char *root, char ***removed, struct berr *e)
{
        char **names = NULL;
        int r = netstore_names(root, &names, e);
        if (r < 0)
                return r;
        {
                struct berr ignore;
                _cleanup_close_ int lock = netstore_lock(root, &ignore);
                if (lock >= 0)
                        collect_dead_writes(root);
        }
        *removed = calloc(1, sizeof(char *));
        for (size_t i = 0; names[i]; i++) {
                struct berr ignore;
                if (!strcmp(names[i], NET_DEFAULT))
                        continue;
                if (remove_one(root, names[i], true, &ignore) == 0)
                        strv_push(removed, names[i]);
        }
        strv_free(names);
        return 0;
}

char *network_inspect_json(const struct network *n)
{
        char sub[20], gw[16];
        net_cidr_format(&n->subnet, sub);
        net_ip_format(n->gateway, gw);
        json_t *cs = json_object();
        for (size_t i = 0; i < n->n_eps; i++) {
                char ip[24];
                net_ip_format(n->eps[i].ip, ip);
                snprintf(ip + strlen(ip), sizeof(ip) - strlen(ip), "/%d", n->subnet.prefix);
                json_t *al = json_array();
                for (size_t k = 0; n->eps[i].aliases && n->eps[i].aliases[k]; k++)
                        json_array_append_new(al, json_string(n->eps[i].aliases[k]));
                json_object_set_new(cs, n->eps[i].cid,
                                    json_pack("{s:s,s:s,s:s,s:o}", "Name", n->eps[i].name,
                                              "IPv4Address", ip, "HostInterface", n->eps[i].veth,
                                              "Aliases", al));
        }
        json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:{s:s,s:[{s:s,s:s}]},s:b,s:o,s:{s:s}}",
                              "Name", n->name, "Id", n->id, "Created", n->created, "Scope", "local",
                              "Driver", "bridge", "IPAM", "Driver", "default", "Config", "Subnet",
                              sub, "Gateway", gw, "Internal", n->internal, "Containers", cs,
                              "Options", "com.docker.network.bridge.name", n->bridge);
        json_t *arr = json_array();
        json_array_append_new(arr, o);
        char *s = json_dumps(arr, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
        json_decref(arr);
        return s;
}
