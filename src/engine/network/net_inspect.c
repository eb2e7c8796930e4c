/* What `inspect` shows of a container's network, in docker's field names and shapes: its
 * NetworkSettings (from the endpoints it holds while it runs, and the network it was created
 * on), and the network part of its HostConfig (from <cdir>/net.json: what the user asked). */
#include "engine/network/network.h"

#include "engine/network/network_store.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/strv.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* docker's EndpointID is 64 hex digits; ours is derived from the container and the network, so
 * it names one attachment and is the same every time it is read. */
static void endpoint_id(const char *cid, const struct network *n, char out[65])
{
        char key[200], d[SHA256_DIGEST_STR_LEN];
        snprintf(key, sizeof(key), "endpoint:%s:%s", cid, n->id);
        if (sha256_buf(key, strlen(key), d) < 0)
                d[7] = '\0';
        snprintf(out, 65, "%s", d + 7);
}

static json_t *strv_or_null(char *const *v)
{
        if (!v || !v[0])
                return json_null();
        json_t *a = json_array();
        for (size_t i = 0; v[i]; i++)
                json_array_append_new(a, json_string(v[i]));
        return a;
}

/* One entry of NetworkSettings.Networks. n and ep may be NULL (a stopped container: docker keeps
 * the network with empty addresses). */
static json_t *network_entry(const struct network *n, const struct net_endpoint *ep,
                             char *const *aliases)
{
        char ip[16] = "", gw[16] = "", mac[18] = "", eid[65] = "";
        int prefix = 0;
        if (ep) {
                net_ip_format(ep->ip, ip);
                net_ip_format(n->gateway, gw);
                net_mac_format(ep->mac, mac);
                endpoint_id(ep->cid, n, eid);
                prefix = n->subnet.prefix;
                aliases = ep->aliases;
        }
        json_t *dns = json_null();
        if (ep) {
                dns = json_array();
                json_array_append_new(dns, json_string(ep->name));
                for (size_t i = 0; aliases && aliases[i]; i++)
                        json_array_append_new(dns, json_string(aliases[i]));
        }
        return json_pack("{s:n,s:n,s:o,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:i,s:n,s:o}", "IPAMConfig",
                         "Links", "Aliases", strv_or_null(aliases), "MacAddress", mac, "NetworkID",
                         n ? n->id : "", "EndpointID", eid, "Gateway", gw, "IPAddress", ip,
                         "IPPrefixLen", prefix, "IPv6Gateway", "", "GlobalIPv6Address", "",
                         "GlobalIPv6PrefixLen", 0, "DriverOpts", "DNSNames", dns);
}

static void port_key(const struct net_port *p, char out[16])
{
        snprintf(out, 16, "%u/%s", p->port, p->udp ? "udp" : "tcp");
}

/* {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}: as bound (given = false) or as
 * asked (given: an address or port left to berth is ""). */
static void ports_add(json_t *map, const struct net_port *p, bool given)
{
        char key[16], hip[16] = "", hport[8] = "";
        port_key(p, key);
        if (!given || p->host_ip)
                net_ip_format(p->host_ip, hip);
        if (!given || p->host_port)
                snprintf(hport, sizeof(hport), "%u", p->host_port);
        json_t *list = json_object_get(map, key);
        if (!json_is_array(list)) {
                list = json_array();
                json_object_set_new(map, key, list);
        }
        json_array_append_new(list, json_pack("{s:s,s:s}", "HostIp", hip, "HostPort", hport));
}

static json_t *config_load(const char *cdir)
{
        _cleanup_free_ char *p = path_join(cdir, "net.json"), *text = NULL;
        struct berr ignore;
        if (!p || read_file(p, &text, NULL, &ignore) < 0)
                return NULL;
        return json_loads(text, 0, NULL);
}

/* The endpoints of cid on every network of root: the settings' Networks, Ports, and the first
 * one (eth0) for the top-level fields, which docker fills for the default network only. */
static void from_endpoints(const char *root, const char *cid, json_t *nets, json_t *ports,
                           json_t *top)
{
        char **names = NULL;
        struct berr ignore;
        if (netstore_names(root, &names, &ignore) < 0)
                return;
        for (size_t k = 0; names[k]; k++) {
                struct network n;
                if (netstore_load(root, names[k], &n, &ignore) < 0)
                        continue;
                for (size_t i = 0; i < n.n_eps; i++) {
                        const struct net_endpoint *ep = &n.eps[i];
                        if (strcmp(ep->cid, cid))
                                continue;
                        json_t *entry = network_entry(&n, ep, NULL);
                        if (!strcmp(n.name, NET_DEFAULT))
                                json_object_update_existing(top, entry);
                        json_object_set_new(nets, n.name, entry);
                        for (size_t p = 0; p < ep->n_ports; p++)
                                ports_add(ports, &ep->ports[p], false);
                }
                network_free(&n);
        }
        strv_free(names);
}

int net_inspect_container(const char *root, const char *cdir, const char *cid, pid_t pid,
                json_t **settings, json_t *host_config)
{
        json_t *c = config_load(cdir);
        const char *mode = json_string_value(json_object_get(c, "network"));
        const char *kind = json_string_value(json_object_get(c, "kind"));
        if (!mode)
                mode = NET_DEFAULT;
        json_t *nets = json_object(), *ports = json_object(), *bindings = json_object();
        json_t *top = json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:i,s:s}", "EndpointID", "", "Gateway",
                                "", "IPAddress", "", "IPPrefixLen", 0, "MacAddress", "",
                                "GlobalIPv6Address", "", "GlobalIPv6PrefixLen", 0, "IPv6Gateway",
                                "");
        bool bridge = !kind || !strcmp(kind, "bridge");
        if (pid > 0 && bridge)
                from_endpoints(root, cid, nets, ports, top);
        if (!json_object_size(nets) && (!kind || strcmp(kind, "container"))) {
                /* Not attached now (stopped, or host/none): the network it was made with. */
                struct network n;
                struct berr ignore;
                bool known = bridge && network_get(root, mode, &n, &ignore) == 0;
                char **aliases = NULL;
                size_t i;
                json_t *it;
                json_array_foreach (json_object_get(c, "aliases"), i, it)
                        strv_push(&aliases, json_string_value(it));
                json_object_set_new(nets, known ? n.name : mode,
                                    network_entry(known ? &n : NULL, NULL, aliases));
                strv_free(aliases);
                if (known)
                        network_free(&n);
        }
        size_t i;
        json_t *it;
        json_array_foreach (json_object_get(c, "publish"), i, it) {
                struct net_port p;
                struct berr ignore;
                if (net_port_parse(json_string_value(it), &p, &ignore) == 0)
                        ports_add(bindings, &p, true);
        }
        char sandbox[64] = "";
        if (pid > 0 && (!kind || strcmp(kind, "host")))
                snprintf(sandbox, sizeof(sandbox), "/proc/%d/ns/net", (int)pid);
        *settings = json_pack("{s:s,s:s,s:b,s:s,s:i,s:o,s:s,s:n,s:n}", "Bridge", "", "SandboxID",
                              "", "HairpinMode", 0, "LinkLocalIPv6Address", "",
                              "LinkLocalIPv6PrefixLen", 0, "Ports", ports, "SandboxKey", sandbox,
                              "SecondaryIPAddresses", "SecondaryIPv6Addresses");
        json_object_update(*settings, top);
        json_object_set_new(*settings, "Networks", nets);
        json_decref(top);
        json_object_set_new(host_config, "NetworkMode", json_string(mode));
        json_object_set_new(host_config, "PortBindings", bindings);
        json_object_set_new(host_config, "PublishAllPorts",
                            json_boolean(json_array_size(json_object_get(c, "exposed")) ||
                                         json_is_true(json_object_get(c, "publish_all"))));
        json_decref(c);
        return *settings ? 0 : -ENOMEM;
}
