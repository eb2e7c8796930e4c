/* struct spec -> config.json text. The berth extensions (root_mount, user.name) stay in memory:
 * a written config.json is always plain OCI. */
#include "core/spec.h"

#include "util/err.h"

#include <jansson.h>
#include <stdlib.h>

static json_t *strv_json(char *const *v)
{
        json_t *a = json_array();
        for (size_t i = 0; v && v[i]; i++)
                json_array_append_new(a, json_string(v[i]));
        return a;
}

static json_t *process_json(const struct spec_process *p)
{
        json_t *user = json_pack("{s:I,s:I}", "uid", (json_int_t)p->user.uid, "gid",
                                 (json_int_t)p->user.gid);
        if (p->user.n_additional_gids) {
                json_t *ag = json_array();
                for (size_t i = 0; i < p->user.n_additional_gids; i++)
                        json_array_append_new(ag, json_integer(p->user.additional_gids[i]));
                json_object_set_new(user, "additionalGids", ag);
        }
        json_t *o = json_pack("{s:b,s:o,s:o,s:o,s:s}", "terminal", p->terminal, "user", user,
                              "args", strv_json(p->args), "env", strv_json(p->env), "cwd",
                              p->cwd ? p->cwd : "/");
        if (p->no_new_privileges)
                json_object_set_new(o, "noNewPrivileges", json_true());
        if (p->n_rlimits) {
                json_t *a = json_array();
                for (size_t i = 0; i < p->n_rlimits; i++)
                        json_array_append_new(a, json_pack("{s:s,s:I,s:I}", "type",
                                                           spec_rlimit_name(p->rlimits[i].resource),
                                                           "hard", (json_int_t)p->rlimits[i].hard,
                                                           "soft", (json_int_t)p->rlimits[i].soft));
                json_object_set_new(o, "rlimits", a);
        }
        return o;
}

static json_t *mounts_json(const struct spec *s)
{
        json_t *a = json_array();
        for (size_t i = 0; i < s->n_mounts; i++) {
                const struct spec_mount *m = &s->mounts[i];
                json_t *o = json_pack("{s:s}", "destination", m->destination);
                if (m->type)
                        json_object_set_new(o, "type", json_string(m->type));
                if (m->source)
                        json_object_set_new(o, "source", json_string(m->source));
                if (m->options)
                        json_object_set_new(o, "options", strv_json(m->options));
                json_array_append_new(a, o);
        }
        return a;
}

static json_t *mappings_json(const struct spec_id_mapping *m, size_t n)
{
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(a, json_pack("{s:I,s:I,s:I}", "containerID",
                                                   (json_int_t)m[i].container_id, "hostID",
                                                   (json_int_t)m[i].host_id, "size",
                                                   (json_int_t)m[i].size));
        return a;
}

static json_t *linux_json(const struct spec *s)
{
        json_t *l = json_object(), *ns = json_array();
        for (int t = 0; t < NS__COUNT; t++) {
                if (!s->namespaces[t].enabled)
                        continue;
                json_t *o = json_pack("{s:s}", "type", spec_ns_name(t));
                if (s->namespaces[t].path)
                        json_object_set_new(o, "path", json_string(s->namespaces[t].path));
                json_array_append_new(ns, o);
        }
        json_object_set_new(l, "namespaces", ns);
        if (s->n_uid_mappings)
                json_object_set_new(l, "uidMappings",
                                    mappings_json(s->uid_mappings, s->n_uid_mappings));
        if (s->n_gid_mappings)
                json_object_set_new(l, "gidMappings",
                                    mappings_json(s->gid_mappings, s->n_gid_mappings));
        if (s->masked_paths)
                json_object_set_new(l, "maskedPaths", strv_json(s->masked_paths));
        if (s->readonly_paths)
                json_object_set_new(l, "readonlyPaths", strv_json(s->readonly_paths));
        if (s->rootfs_propagation)
                json_object_set_new(l, "rootfsPropagation", json_string(s->rootfs_propagation));
        if (s->cgroups_path)
                json_object_set_new(l, "cgroupsPath", json_string(s->cgroups_path));
        json_object_set_new(l, "resources", spec_resources_to_json(&s->resources));
        return l;
}

int spec_to_json(const struct spec *s, char **out, struct berr *e)
{
        return spec_to_json_flags(s, false, out, e);
}

int spec_to_json_flags(const struct spec *s, bool compact, char **out, struct berr *e)
{
        json_t *root = json_pack("{s:s,s:o,s:{s:s,s:b},s:o,s:o}", "ociVersion",
                                 s->oci_version ? s->oci_version : "1.0.2", "process",
                                 process_json(&s->process), "root", "path",
                                 s->root_path ? s->root_path : "rootfs", "readonly",
                                 s->root_readonly, "mounts", mounts_json(s), "linux",
                                 linux_json(s));
        if (!root)
                return berr_set(e, ENOMEM, "out of memory building config.json");
        if (s->hostname)
                json_object_set_new(root, "hostname", json_string(s->hostname));
        spec_security_to_json(s, root);
        spec_extra_to_json(s, root);
        spec_hooks_to_json(s, root);
        if (s->annotations_json) {
                json_t *a = json_loads(s->annotations_json, 0, NULL);
                if (a)
                        json_object_set_new(root, "annotations", a);
        }
        *out = json_dumps(root, (compact ? JSON_COMPACT : JSON_INDENT(2)) | JSON_PRESERVE_ORDER);
        json_decref(root);
        return *out ? 0 : berr_set(e, ENOMEM, "out of memory building config.json");
}
