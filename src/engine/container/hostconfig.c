/* docker's HostConfig for `inspect`. What the user asked at create and the spec cannot say back
 * (-v as given, --privileged, --cap-add/--cap-drop, --security-opt, --tmpfs, --device) is kept
 * in <cdir>/hostconfig.json, already in docker's names; the resources come from the stored spec,
 * which `update` rewrites, so they are the ones in force. */
#include "engine/container/hostconfig.h"

#include "core/spec.h"
#include "engine/store/record.h"
#include "engine/container/run.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *strv_or_null(char *const *v)
{
        if (!v || !v[0])
                return json_null();
        json_t *a = json_array();
        for (size_t i = 0; v[i]; i++)
                json_array_append_new(a, json_string(v[i]));
        return a;
}

/* -v and --mount binds and volumes as docker's Binds ("SRC:DST[:ro]"); tmpfs as its Tmpfs map. */
static void mounts_json(const struct run_options *o, json_t *binds, json_t *tmpfs)
{
        for (size_t i = 0; i < o->n_mounts; i++) {
                const struct run_mount *m = &o->mounts[i];
                if (m->type == RUN_MOUNT_TMPFS) {
                        char opts[512] = "";
                        size_t len = 0;
                        for (size_t k = 0; m->options && m->options[k] && len < sizeof(opts); k++)
                                len += (size_t)snprintf(opts + len, sizeof(opts) - len, "%s%s",
                                                        k ? "," : "", m->options[k]);
                        json_object_set_new(tmpfs, m->target, json_string(opts));
                        continue;
                }
                if (!m->source) /* an anonymous volume: docker lists it only under Mounts */
                        continue;
                char *b = NULL;
                if (asprintf(&b, "%s:%s%s", m->source, m->target, m->readonly ? ":ro" : "") >= 0)
                        json_array_append_new(binds, json_string(b));
                free(b);
        }
}

static json_t *devices_json(char *const *devices)
{
        json_t *a = json_array();
        for (size_t i = 0; devices && devices[i]; i++) {
                char host[4096], ctr[4096] = "", perms[8] = "rwm";
                snprintf(host, sizeof(host), "%s", devices[i]);
                char *c = strchr(host, ':');
                if (c) {
                        *c++ = '\0';
                        char *p = strchr(c, ':');
                        if (p) {
                                *p++ = '\0';
                                snprintf(perms, sizeof(perms), "%s", p);
                        }
                        snprintf(ctr, sizeof(ctr), "%s", c);
                }
                json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "PathOnHost", host,
                                                   "PathInContainer", ctr[0] ? ctr : host,
                                                   "CgroupPermissions", perms));
        }
        return a;
}

int hostconfig_save(const char *cdir, const struct run_options *o, struct berr *e)
{
        const struct run_security *s = &o->sec;
        json_t *binds = json_array(), *tmpfs = json_object(), *sec = json_array();
        mounts_json(o, binds, tmpfs);
        if (s->seccomp_unconfined)
                json_array_append_new(sec, json_string("seccomp=unconfined"));
        else if (s->seccomp_profile)
                json_array_append_new(sec, json_string("seccomp=<profile>"));
        if (s->no_new_privileges)
                json_array_append_new(sec, json_string("no-new-privileges"));
        json_t *j = json_pack("{s:o,s:o,s:b,s:b,s:o,s:o,s:o,s:o,s:s,s:s}", "Binds",
                              json_array_size(binds) ? binds : (json_decref(binds), json_null()),
                              "Tmpfs", tmpfs, "Privileged", s->privileged, "ReadonlyRootfs",
                              s->read_only, "CapAdd", strv_or_null(s->cap_add), "CapDrop",
                              strv_or_null(s->cap_drop), "SecurityOpt",
                              json_array_size(sec) ? sec : (json_decref(sec), json_null()),
                              "Devices", devices_json(s->devices), "UsernsMode",
                              s->userns && strcmp(s->userns, "host") ? s->userns : "",
                              "CgroupParent", o->cgroup_parent ? o->cgroup_parent : "");
        _cleanup_free_ char *text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(j);
        _cleanup_free_ char *p = path_join(cdir, "hostconfig.json");
        if (!text || !p)
                return berr_set(e, ENOMEM, "out of memory");
        return write_file_atomic(p, text, strlen(text), 0600, e);
}

static json_t *num_or_zero(int64_t v)
{
        return json_integer(v == RES_UNSET ? 0 : v);
}

/* The resources in force, in docker's names. --cpus becomes a CFS quota and period in the spec:
 * NanoCpus is what they amount to (docker shows --cpus there and the quota as 0; berth cannot
 * tell the two apart once applied, so it shows both). */
static void resources_json(const struct spec *s, json_t *h)
{
        struct spec_resources none;
        spec_resources_init(&none);
        const struct spec_resources *r = s ? &s->resources : &none;
        int64_t nano = 0;
        if (r->cpu_quota > 0 && r->cpu_period > 0)
                nano = r->cpu_quota * 1000000000 / r->cpu_period;
        json_object_set_new(h, "Memory", num_or_zero(r->mem_limit < 0 ? RES_UNSET : r->mem_limit));
        json_object_set_new(h, "MemoryReservation", num_or_zero(r->mem_reservation));
        json_object_set_new(h, "MemorySwap", num_or_zero(r->mem_swap));
        json_object_set_new(h, "MemorySwappiness",
                            r->mem_swappiness == RES_UNSET ? json_null()
                                                           : json_integer(r->mem_swappiness));
        json_object_set_new(h, "NanoCpus", json_integer(nano));
        json_object_set_new(h, "CpuShares", num_or_zero(r->cpu_shares));
        json_object_set_new(h, "CpuPeriod", num_or_zero(r->cpu_period));
        json_object_set_new(h, "CpuQuota", num_or_zero(r->cpu_quota < 0 ? RES_UNSET : r->cpu_quota));
        json_object_set_new(h, "CpusetCpus", json_string(r->cpus ? r->cpus : ""));
        json_object_set_new(h, "CpusetMems", json_string(r->mems ? r->mems : ""));
        json_object_set_new(h, "PidsLimit", r->pids_limit > 0 ? json_integer(r->pids_limit)
                                                                : json_null());
        json_object_set_new(h, "BlkioWeight", num_or_zero(r->blkio_weight));
        json_object_set_new(h, "OomKillDisable", json_boolean(r->disable_oom_killer));
}

json_t *hostconfig_json(const char *cdir, const struct record *rec, const struct spec *s)
{
        json_t *h = json_pack("{s:n,s:s,s:{s:s,s:{}},s:{s:s,s:i},s:b,s:[],s:[],s:[],s:b,s:b,s:n,s:n,"
                              "s:n,s:{},s:[],s:s,s:s,s:s,s:s}",
                              "Binds", "ContainerIDFile", "", "LogConfig", "Type", "json-file",
                              "Config", "RestartPolicy", "Name", "no", "MaximumRetryCount", 0,
                              "AutoRemove", rec->auto_remove, "Dns", "DnsOptions", "DnsSearch",
                              "Privileged", 0, "ReadonlyRootfs", 0, "CapAdd", "CapDrop",
                              "SecurityOpt", "Tmpfs", "Devices", "UsernsMode", "", "CgroupParent",
                              "", "IpcMode", "private", "PidMode", "");
        if (!h)
                return NULL;
        _cleanup_free_ char *p = path_join(cdir, "hostconfig.json"), *text = NULL;
        struct berr ignore;
        json_t *saved = p && read_file(p, &text, NULL, &ignore) == 0 ? json_loads(text, 0, NULL)
                                                                     : NULL;
        if (json_is_object(saved))
                json_object_update_existing(h, saved);
        json_decref(saved);
        if (s)
                json_object_set_new(h, "ReadonlyRootfs", json_boolean(s->root_readonly));
        resources_json(s, h);
        return h;
}
