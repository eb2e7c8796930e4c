/* A container's network settings: saved at create (<cdir>/net.json), applied at each start. */
#include "engine/network/network.h"

#include "core/spec.h"
#include "engine/container/ns_share.h"
#include "engine/container/run.h"
#include "engine/network/network_store.h"
#include "engine/run_options.h"
#include "engine/store/containers.h"
#include "engine/store/lookup.h"
#include "engine/store/record.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/proc.h"
#include "util/strv.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int net_attach_one(const char *root, const char *network, const char *cid, const char *cname,
                   pid_t pid, char *const *aliases, const struct net_port *ports, size_t n_ports,
                   const uint8_t *mac, struct net_state *st, struct berr *e);
int net_detach_one(const char *root, const char *network, const char *id, struct berr *e);

/* The image's ExposedPorts keys ("80/tcp"), from its config blob. */
static void exposed_ports(const char *root, const char *image_id, json_t *out)
{
        if (!image_id || strncmp(image_id, "sha256:", 7))
                return;
        _cleanup_free_ char *p = NULL, *text = NULL;
        struct berr ignore;
        if (asprintf(&p, "%s/images/blobs/sha256/%s", root, image_id + 7) < 0 ||
            read_file(p, &text, NULL, &ignore) < 0)
                return;
        json_t *o = json_loads(text, 0, NULL);
        json_t *ports = json_object_get(json_object_get(o, "config"), "ExposedPorts");
        const char *k;
        json_t *v;
        json_object_foreach (ports, k, v)
                json_array_append_new(out, json_string(k));
        json_decref(o);
}

/* --network container:REF's target: its id and init pid; docker's words when it is not running. */
static int running_container(const char *root, const char *ref, char id[65], pid_t *pid,
                             struct berr *e)
{
        int r = container_running_pid(root, ref, id, pid, e);
        if (r == -EINVAL)
                return berr_set(e, EINVAL, "cannot join network of a non running container: %s",
                                ref);
        if (r == -ENOENT)
                return berr_set(e, ENOENT, "--network container:%s: no such container: %s", ref,
                                ref);
        return r;
}

/* <target cdir>/net-shared: another container joined the target's network namespace, so the
 * target's release deletes its veth itself (net_release): the joiner keeps the namespace, and
 * with it the pair and the address IPAM frees, alive. */
static int mark_shared(const char *root, const char *id, struct berr *e)
{
        _cleanup_free_ char *cdir = container_dir(root, id);
        _cleanup_free_ char *p = cdir ? path_join(cdir, "net-shared") : NULL;
        if (!p)
                return berr_set(e, ENOMEM, "out of memory");
        return write_file_atomic(p, "", 0, 0600, e);
}

int net_config_save(const char *root, const char *cdir, const struct run_options *o,
                    const char *image_id, struct berr *e)
{
        const char *mode = o->net.mode ? o->net.mode : NET_DEFAULT;
        const char *kind = mode;
        char target[80];
        int r;
        if (!strcmp(mode, "none") || !strcmp(mode, "host")) {
                if (o->net.publish || o->net.publish_all || o->net.aliases || o->net.mac)
                        return berr_set(e, EINVAL,
                                        "--network %s: -p, -P, --network-alias and --mac-address "
                                        "need a bridge network",
                                        mode);
        } else if (!strncmp(mode, "container:", 10)) {
                char id[65];
                pid_t pid;
                if (o->net.publish || o->net.publish_all || o->net.aliases || o->net.mac)
                        return berr_set(e, EINVAL,
                                        "--network %s: -p, -P, --network-alias and --mac-address "
                                        "need a bridge network",
                                        mode);
                if ((r = running_container(root, mode + 10, id, &pid, e)) < 0)
                        return r;
                kind = "container";
                if ((r = mark_shared(root, id, e)) < 0)
                        return r;
                /* Recorded by id, as docker does: a rename of the target does not lose it. */
                snprintf(target, sizeof(target), "container:%s", id);
                mode = target;
        } else {
                struct network n;
                if ((r = network_get(root, mode, &n, e)) < 0)
                        return r;
                network_free(&n);
                kind = "bridge";
        }
        json_t *ports = json_array(), *aliases = json_array(), *exposed = json_array();
        for (size_t i = 0; o->net.publish && o->net.publish[i]; i++)
                json_array_append_new(ports, json_string(o->net.publish[i]));
        for (size_t i = 0; o->net.aliases && o->net.aliases[i]; i++)
                json_array_append_new(aliases, json_string(o->net.aliases[i]));
        if (o->net.publish_all)
                exposed_ports(root, image_id, exposed);

        json_t *j = json_pack("{s:s,s:s,s:o,s:o,s:o}", "kind", kind, "network", mode, "publish",
                              ports, "aliases", aliases, "exposed", exposed);
        if (j && o->net.publish_all)
                json_object_set_new(j, "publish_all", json_true());
        if (j && o->net.mac)
                json_object_set_new(j, "mac", json_string(o->net.mac));
        _cleanup_free_ char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
        json_decref(j);
        _cleanup_free_ char *p = path_join(cdir, "net.json");
        if (!text || !p)
                return berr_set(e, ENOMEM, "out of memory");
        return write_file_atomic(p, text, strlen(text), 0600, e);
}

static json_t *config_load(const char *cdir)
{
        _cleanup_free_ char *p = path_join(cdir, "net.json"), *text = NULL;
        struct berr ignore;
        if (!p || read_file(p, &text, NULL, &ignore) < 0)
                return NULL;
        return json_loads(text, 0, NULL);
}

int net_prepare_spec(const char *root, const char *cdir, struct spec *s, struct berr *e)
{
        json_t *c = config_load(cdir);
        const char *kind = json_string_value(json_object_get(c, "kind"));
        const char *mode = json_string_value(json_object_get(c, "network"));
        int r = 0;
        if (kind && !strcmp(kind, "host")) {
                s->namespaces[NS_NETWORK].enabled = false;
        } else if (kind && !strcmp(kind, "container") && mode) {
                char id[65];
                pid_t pid;
                if ((r = running_container(root, mode + 10, id, &pid, e)) == 0) {
                        free(s->namespaces[NS_NETWORK].path);
                        if (asprintf(&s->namespaces[NS_NETWORK].path, "/proc/%d/ns/net", (int)pid) < 0)
                                r = berr_set(e, ENOMEM, "out of memory");
                        s->namespaces[NS_NETWORK].enabled = true;
                }
        }
        json_decref(c);
        return r;
}

int net_attach(const char *root, const char *cdir, const char *id, const char *name, pid_t pid,
               struct net_state *st, struct berr *e)
{
        memset(st, 0, sizeof(*st));
        json_t *c = config_load(cdir);
        const char *kind = json_string_value(json_object_get(c, "kind"));
        if (!c || !kind || strcmp(kind, "bridge")) {
                json_decref(c);
                return 0;
        }
        const char *network = json_string_value(json_object_get(c, "network"));
        size_t np = json_array_size(json_object_get(c, "publish")) +
                    json_array_size(json_object_get(c, "exposed"));
        struct net_port *ports = calloc(np + 1, sizeof(*ports));
        char **aliases = calloc(1, sizeof(char *));
        size_t n = 0, i;
        json_t *it;
        int r = ports && aliases ? 0 : berr_set(e, ENOMEM, "out of memory");
        json_array_foreach (json_object_get(c, "publish"), i, it)
                if (r == 0)
                        r = net_port_parse(json_string_value(it), &ports[n++], e);
        json_array_foreach (json_object_get(c, "exposed"), i, it) {
                uint16_t port;
                bool udp;
                if (r == 0 && net_exposed_parse(json_string_value(it), &port, &udp) == 0)
                        ports[n++] = (struct net_port){.port = port, .udp = udp};
        }
        json_array_foreach (json_object_get(c, "aliases"), i, it)
                strv_push(&aliases, json_string_value(it));
        uint8_t mac[6];
        bool own_mac = net_mac_parse(json_string_value(json_object_get(c, "mac")), mac) == 0;
        if (r == 0)
                r = net_attach_one(root, network ? network : NET_DEFAULT, id, name, pid, aliases,
                                   ports, n, own_mac ? mac : NULL, st, e);
        free(ports);
        strv_free(aliases);
        json_decref(c);
        return r;
}

int net_connect(const char *root, const char *network, const char *container, char **aliases,
                struct berr *e)
{
        char id[65];
        pid_t pid;
        struct network n;
        int r = network_get(root, network, &n, e);
        if (r < 0)
                return r;
        char name[128];
        snprintf(name, sizeof(name), "%s", n.name);
        network_free(&n);
        if ((r = running_container(root, container, id, &pid, e)) < 0)
                return r;
        _cleanup_free_ char *cdir = container_dir(root, id);
        struct record rec;
        if (!cdir || (r = record_read(cdir, &rec, e)) < 0)
                return r < 0 ? r : berr_set(e, ENOMEM, "out of memory");
        json_t *c = config_load(cdir);
        const char *kind = json_string_value(json_object_get(c, "kind"));
        if (kind && strcmp(kind, "bridge") && strcmp(kind, "none"))
                r = berr_set(e, EINVAL, "container %s uses --network %s: it cannot join networks",
                             container, kind);
        json_decref(c);
        struct net_state st = {0};
        if (r == 0)
                r = net_attach_one(root, name, id, rec.name, pid, aliases, NULL, 0, NULL, &st, e);
        record_clear(&rec);
        return r;
}

int net_disconnect(const char *root, const char *network, const char *container, struct berr *e)
{
        char id[65];
        struct network n;
        int r = network_get(root, network, &n, e);
        if (r < 0)
                return r;
        char name[128];
        snprintf(name, sizeof(name), "%s", n.name);
        network_free(&n);
        if ((r = container_find(root, container, id, e)) < 0)
                return r;
        return net_detach_one(root, name, id, e);
}

int net_container_ports(const char *root, const char *id, struct net_port **out, size_t *n,
                        struct berr *e)
{
        char **names = NULL;
        int r = netstore_names(root, &names, e);
        if (r < 0)
                return r;
        struct net_port *v = NULL;
        size_t k = 0;
        for (size_t i = 0; r == 0 && names[i]; i++) {
                struct network net;
                struct berr ignore;
                if (netstore_load(root, names[i], &net, &ignore) < 0)
                        continue;
                for (size_t j = 0; r == 0 && j < net.n_eps; j++) {
                        const struct net_endpoint *ep = &net.eps[j];
                        if (strcmp(ep->cid, id) || !ep->n_ports)
                                continue;
                        struct net_port *w = realloc(v, (k + ep->n_ports) * sizeof(*w));
                        if (!w) {
                                r = berr_set(e, ENOMEM, "out of memory");
                                break;
                        }
                        v = w;
                        memcpy(v + k, ep->ports, ep->n_ports * sizeof(*w));
                        k += ep->n_ports;
                }
                network_free(&net);
        }
        strv_free(names);
        if (r < 0) {
                free(v);
                return r;
        }
        *out = v;
        *n = k;
        return 0;
}

int net_port_lines(const char *root, const char *container, char ***out, struct berr *e)
{
        char id[65];
        int r = container_find(root, container, id, e);
        if (r < 0)
                return r;
        struct net_port *ports = NULL;
        size_t n = 0;
        if ((r = net_container_ports(root, id, &ports, &n, e)) < 0)
                return r;
        char **lines = calloc(1, sizeof(char *));
        for (size_t p = 0; lines && p < n; p++) {
                const struct net_port *pp = &ports[p];
                char hip[16], *line = NULL;
                net_ip_format(pp->host_ip, hip);
                if (asprintf(&line, "%u/%s -> %s:%u", pp->port, pp->udp ? "udp" : "tcp", hip,
                             pp->host_port) >= 0) {
                        strv_push(&lines, line);
                        free(line);
                }
        }
        free(ports);
        if (!lines)
                return berr_set(e, ENOMEM, "out of memory");
        *out = lines;
        return 0;
}
