/* config.json <-> struct spec. Every validation error names the field, so a caller who wrote a
 * bad bundle learns where, not just that. */
#include "core/spec.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <jansson.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

static const char *const ns_names[NS__COUNT] = {
        [NS_PID] = "pid",   [NS_NETWORK] = "network", [NS_MOUNT] = "mount", [NS_IPC] = "ipc",
        [NS_UTS] = "uts",   [NS_USER] = "user",       [NS_CGROUP] = "cgroup", [NS_TIME] = "time",
};

const char *spec_ns_name(enum spec_ns_type t)
{
        return t < NS__COUNT ? ns_names[t] : "?";
}

int spec_ns_from_name(const char *name)
{
        for (int i = 0; i < NS__COUNT; i++)
                if (!strcmp(name, ns_names[i]))
                        return i;
        return -1;
}

int spec_ns_clone_flag(enum spec_ns_type t)
{
        static const int flags[NS__COUNT] = {
                [NS_PID] = CLONE_NEWPID,   [NS_NETWORK] = CLONE_NEWNET, [NS_MOUNT] = CLONE_NEWNS,
                [NS_IPC] = CLONE_NEWIPC,   [NS_UTS] = CLONE_NEWUTS,     [NS_USER] = CLONE_NEWUSER,
                [NS_CGROUP] = CLONE_NEWCGROUP, [NS_TIME] = 0x80 /* CLONE_NEWTIME */,
        };
        return t < NS__COUNT ? flags[t] : 0;
}

static void mount_clear(struct spec_mount *m)
{
        free(m->destination);
        free(m->type);
        free(m->source);
        strv_free(m->options);
}

void spec_free(struct spec *s)
{
        if (!s)
                return;
        free(s->oci_version);
        free(s->process.user.additional_gids);
        free(s->process.user.name);
        strv_free(s->process.args);
        strv_free(s->process.env);
        free(s->process.cwd);
        free(s->root_path);
        free(s->hostname);
        for (size_t i = 0; i < s->n_mounts; i++)
                mount_clear(&s->mounts[i]);
        free(s->mounts);
        for (int i = 0; i < NS__COUNT; i++)
                free(s->namespaces[i].path);
        free(s->uid_mappings);
        free(s->gid_mappings);
        strv_free(s->masked_paths);
        strv_free(s->readonly_paths);
        free(s->rootfs_propagation);
        free(s->annotations_json);
        free(s->process.rlimits);
        spec_security_free(s);
        spec_extra_free(s);
        spec_hooks_free(s);
        spec_resources_clear(&s->resources);
        free(s->cgroups_path);
        if (s->root_mount) {
                mount_clear(s->root_mount);
                free(s->root_mount);
        }
        free(s);
}

int spec_set_strv(char ***field, char *const *v)
{
        char **copy = strv_dup(v);
        if (!copy)
                return -ENOMEM;
        strv_free(*field);
        *field = copy;
        return 0;
}

static char *strdup_or_null(const char *s)
{
        return s ? strdup(s) : NULL;
}

int spec_add_mount(struct spec *s, const char *dest, const char *type, const char *source,
                   char *const *options)
{
        struct spec_mount *nm = realloc(s->mounts, (s->n_mounts + 1) * sizeof(*nm));
        if (!nm)
                return -ENOMEM;
        s->mounts = nm;
        struct spec_mount *m = &nm[s->n_mounts];
        memset(m, 0, sizeof(*m));
        m->destination = strdup(dest);
        m->type = strdup_or_null(type);
        m->source = strdup_or_null(source);
        m->options = options ? strv_dup(options) : NULL;
        s->n_mounts++;
        if (!m->destination || (type && !m->type) || (source && !m->source) ||
            (options && !m->options))
                return -ENOMEM;
        return 0;
}

/* ---- parsing ---- */

static int want_string(json_t *o, const char *key, const char *field, bool required, char **out,
                       struct berr *e)
{
        json_t *v = json_object_get(o, key);
        if (!v) {
                if (required)
                        return berr_set(e, EINVAL, "%s: required field is missing", field);
                return 0;
        }
        if (!json_is_string(v))
                return berr_set(e, EINVAL, "%s: must be a string", field);
        free(*out);
        *out = strdup(json_string_value(v));
        return *out ? 0 : berr_set(e, ENOMEM, "out of memory");
}

static int want_strv(json_t *o, const char *key, const char *field, char ***out, struct berr *e)
{
        json_t *v = json_object_get(o, key);
        if (!v)
                return 0;
        if (!json_is_array(v))
                return berr_set(e, EINVAL, "%s: must be an array of strings", field);
        char **list = calloc(1, sizeof(char *));
        if (!list)
                return berr_set(e, ENOMEM, "out of memory");
        size_t i;
        json_t *it;
        json_array_foreach (v, i, it) {
                if (!json_is_string(it)) {
                        strv_free(list);
                        return berr_set(e, EINVAL, "%s[%zu]: must be a string", field, i);
                }
                if (strv_push(&list, json_string_value(it)) < 0) {
                        strv_free(list);
                        return berr_set(e, ENOMEM, "out of memory");
                }
        }
        strv_free(*out);
        *out = list;
        return 0;
}

static int want_u32(json_t *o, const char *key, const char *field, bool required, uint32_t *out,
                    struct berr *e)
{
        json_t *v = json_object_get(o, key);
        if (!v)
                return required ? berr_set(e, EINVAL, "%s: required field is missing", field) : 0;
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) > UINT32_MAX)
                return berr_set(e, EINVAL, "%s: must be an integer from 0 to 4294967295", field);
        *out = (uint32_t)json_integer_value(v);
        return 0;
}

static int want_bool(json_t *o, const char *key, const char *field, bool *out, struct berr *e)
{
        json_t *v = json_object_get(o, key);
        if (!v)
                return 0;
        if (!json_is_boolean(v))
                return berr_set(e, EINVAL, "%s: must be true or false", field);
        *out = json_is_true(v);
        return 0;
}

static int want_object(json_t *o, const char *key, const char *field, json_t **out,
                       struct berr *e)
{
        *out = json_object_get(o, key);
        if (*out && !json_is_object(*out))
                return berr_set(e, EINVAL, "%s: must be an object", field);
        return 0;
}

static int parse_user(json_t *proc, struct spec_user *u, struct berr *e)
{
        json_t *user;
        int r = want_object(proc, "user", "process.user", &user, e);
        if (r < 0 || !user)
                return r;
        uint32_t uid = 0, gid = 0;
        if ((r = want_u32(user, "uid", "process.user.uid", true, &uid, e)) < 0 ||
            (r = want_u32(user, "gid", "process.user.gid", true, &gid, e)) < 0)
                return r;
        u->uid = uid;
        u->gid = gid;
        json_t *ag = json_object_get(user, "additionalGids");
        if (!ag)
                return 0;
        if (!json_is_array(ag))
                return berr_set(e, EINVAL, "process.user.additionalGids: must be an array");
        u->additional_gids = calloc(json_array_size(ag) + 1, sizeof(gid_t));
        if (!u->additional_gids)
                return berr_set(e, ENOMEM, "out of memory");
        size_t i;
        json_t *it;
        json_array_foreach (ag, i, it) {
                if (!json_is_integer(it) || json_integer_value(it) < 0 ||
                    json_integer_value(it) > UINT32_MAX)
                        return berr_set(e, EINVAL,
                                        "process.user.additionalGids[%zu]: must be a gid", i);
                u->additional_gids[u->n_additional_gids++] = (gid_t)json_integer_value(it);
        }
        return 0;
}

static int parse_process(json_t *root, struct spec *s, struct berr *e)
{
        json_t *p;
        int r = want_object(root, "process", "process", &p, e);
        if (r < 0)
                return r;
        if (!p)
                return berr_set(e, EINVAL, "process: required field is missing");
        if ((r = want_bool(p, "terminal", "process.terminal", &s->process.terminal, e)) < 0 ||
            (r = parse_user(p, &s->process.user, e)) < 0 ||
            (r = want_strv(p, "args", "process.args", &s->process.args, e)) < 0 ||
            (r = want_strv(p, "env", "process.env", &s->process.env, e)) < 0 ||
            (r = want_string(p, "cwd", "process.cwd", true, &s->process.cwd, e)) < 0 ||
            (r = want_bool(p, "noNewPrivileges", "process.noNewPrivileges",
                           &s->process.no_new_privileges, e)) < 0)
                return r;
        if (!s->process.args || !s->process.args[0])
                return berr_set(e, EINVAL, "process.args: must be a non-empty array of strings");
        if (s->process.cwd[0] != '/')
                return berr_set(e, EINVAL, "process.cwd: must be an absolute path, got \"%s\"",
                                s->process.cwd);
        if (!s->process.env && !(s->process.env = calloc(1, sizeof(char *))))
                return berr_set(e, ENOMEM, "out of memory");
        if (!json_object_get(p, "user"))
                return berr_set(e, EINVAL, "process.user: required field is missing");
        json_t *rl = json_object_get(p, "rlimits");
        if (rl && (r = spec_rlimits_from_json(rl, s, e)) < 0)
                return r;
        return 0;
}

static int parse_mounts(json_t *root, struct spec *s, struct berr *e)
{
        json_t *ms = json_object_get(root, "mounts");
        if (!ms)
                return 0;
        if (!json_is_array(ms))
                return berr_set(e, EINVAL, "mounts: must be an array");
        size_t i;
        json_t *m;
        json_array_foreach (ms, i, m) {
                char field[64];
                if (!json_is_object(m))
                        return berr_set(e, EINVAL, "mounts[%zu]: must be an object", i);
                _cleanup_free_ char *dest = NULL, *type = NULL, *src = NULL;
                char **opts = NULL;
                int r;
                snprintf(field, sizeof(field), "mounts[%zu].destination", i);
                if ((r = want_string(m, "destination", field, true, &dest, e)) < 0)
                        return r;
                if (dest[0] != '/')
                        return berr_set(e, EINVAL, "%s: must be an absolute path, got \"%s\"",
                                        field, dest);
                snprintf(field, sizeof(field), "mounts[%zu].type", i);
                if ((r = want_string(m, "type", field, false, &type, e)) < 0)
                        return r;
                snprintf(field, sizeof(field), "mounts[%zu].source", i);
                if ((r = want_string(m, "source", field, false, &src, e)) < 0)
                        return r;
                snprintf(field, sizeof(field), "mounts[%zu].options", i);
                if ((r = want_strv(m, "options", field, &opts, e)) < 0)
                        return r;
                r = spec_add_mount(s, dest, type, src, opts);
                strv_free(opts);
                if (r < 0)
                        return berr_set(e, ENOMEM, "out of memory");
        }
        return 0;
}

static int parse_mappings(json_t *lx, const char *key, struct spec_id_mapping **out, size_t *n,
                          struct berr *e)
{
        json_t *a = json_object_get(lx, key);
        if (!a)
                return 0;
        if (!json_is_array(a))
                return berr_set(e, EINVAL, "linux.%s: must be an array", key);
        *out = calloc(json_array_size(a) + 1, sizeof(**out));
        if (!*out)
                return berr_set(e, ENOMEM, "out of memory");
        size_t i;
        json_t *m;
        json_array_foreach (a, i, m) {
                char field[64];
                struct spec_id_mapping *x = &(*out)[i];
                int r;
                snprintf(field, sizeof(field), "linux.%s[%zu]", key, i);
                if (!json_is_object(m))
                        return berr_set(e, EINVAL, "%s: must be an object", field);
                if ((r = want_u32(m, "containerID", field, true, &x->container_id, e)) < 0 ||
                    (r = want_u32(m, "hostID", field, true, &x->host_id, e)) < 0 ||
                    (r = want_u32(m, "size", field, true, &x->size, e)) < 0)
                        return r;
                (*n)++;
        }
        return 0;
}

static int parse_namespaces(json_t *lx, struct spec *s, struct berr *e)
{
        json_t *a = json_object_get(lx, "namespaces");
        if (!a)
                return 0;
        if (!json_is_array(a))
                return berr_set(e, EINVAL, "linux.namespaces: must be an array");
        size_t i;
        json_t *n;
        json_array_foreach (a, i, n) {
                char field[64];
                _cleanup_free_ char *type = NULL, *path = NULL;
                int r;
                snprintf(field, sizeof(field), "linux.namespaces[%zu].type", i);
                if (!json_is_object(n))
                        return berr_set(e, EINVAL, "linux.namespaces[%zu]: must be an object", i);
                if ((r = want_string(n, "type", field, true, &type, e)) < 0)
                        return r;
                int t = spec_ns_from_name(type);
                if (t < 0)
                        return berr_set(e, EINVAL, "%s: unknown namespace type \"%s\"", field,
                                        type);
                if (s->namespaces[t].enabled)
                        return berr_set(e, EINVAL, "%s: namespace \"%s\" is listed twice", field,
                                        type);
                snprintf(field, sizeof(field), "linux.namespaces[%zu].path", i);
                if ((r = want_string(n, "path", field, false, &path, e)) < 0)
                        return r;
                s->namespaces[t].enabled = true;
                s->namespaces[t].path = steal_ptr(path);
        }
        return 0;
}

static int parse_linux(json_t *root, struct spec *s, struct berr *e)
{
        json_t *l;
        int r = want_object(root, "linux", "linux", &l, e);
        if (r < 0 || !l)
                return r;
        if ((r = parse_namespaces(l, s, e)) < 0 ||
            (r = parse_mappings(l, "uidMappings", &s->uid_mappings, &s->n_uid_mappings, e)) < 0 ||
            (r = parse_mappings(l, "gidMappings", &s->gid_mappings, &s->n_gid_mappings, e)) < 0 ||
            (r = want_strv(l, "maskedPaths", "linux.maskedPaths", &s->masked_paths, e)) < 0 ||
            (r = want_strv(l, "readonlyPaths", "linux.readonlyPaths", &s->readonly_paths, e)) <
                    0 ||
            (r = want_string(l, "rootfsPropagation", "linux.rootfsPropagation", false,
                             &s->rootfs_propagation, e)) < 0 ||
            (r = want_string(l, "cgroupsPath", "linux.cgroupsPath", false, &s->cgroups_path,
                             e)) < 0)
                return r;
        json_t *res = json_object_get(l, "resources");
        if (res && (r = spec_resources_from_json(res, &s->resources, e)) < 0)
                return r;
        return 0;
}

static int parse_root(json_t *root, struct spec *s, struct berr *e)
{
        json_t *r;
        int ret = want_object(root, "root", "root", &r, e);
        if (ret < 0)
                return ret;
        if (!r)
                return berr_set(e, EINVAL, "root: required field is missing");
        if ((ret = want_string(r, "path", "root.path", true, &s->root_path, e)) < 0 ||
            (ret = want_bool(r, "readonly", "root.readonly", &s->root_readonly, e)) < 0)
                return ret;
        if (!s->root_path[0])
                return berr_set(e, EINVAL, "root.path: must not be empty");
        return 0;
}

static int parse_version(json_t *root, struct spec *s, struct berr *e)
{
        int r = want_string(root, "ociVersion", "ociVersion", true, &s->oci_version, e);
        if (r < 0)
                return r;
        /* Accept every 1.x.y: rejecting newer minor versions broke tooling for crun users. */
        if (strncmp(s->oci_version, "1.", 2) != 0)
                return berr_set(e, EINVAL, "ociVersion: \"%s\" is not a 1.x version",
                                s->oci_version);
        return 0;
}

int spec_from_json(const char *text, size_t len, struct spec **out, struct berr *e)
{
        json_error_t jerr;
        json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
        if (!root)
                return berr_set(e, EINVAL, "not valid JSON (line %d, column %d): %s", jerr.line,
                                jerr.column, jerr.text);
        struct spec *s = calloc(1, sizeof(*s));
        int r = -ENOMEM;
        if (!s) {
                json_decref(root);
                return berr_set(e, ENOMEM, "out of memory");
        }
        spec_resources_init(&s->resources);
        if (!json_is_object(root)) {
                r = berr_set(e, EINVAL, "the document must be a JSON object");
                goto out;
        }
        if ((r = parse_version(root, s, e)) < 0 || (r = parse_process(root, s, e)) < 0 ||
            (r = parse_root(root, s, e)) < 0 || (r = parse_mounts(root, s, e)) < 0 ||
            (r = want_string(root, "hostname", "hostname", false, &s->hostname, e)) < 0 ||
            (r = parse_linux(root, s, e)) < 0 || (r = spec_security_from_json(root, s, e)) < 0 ||
            (r = spec_extra_from_json(root, s, e)) < 0 ||
            (r = spec_hooks_from_json(root, s, e)) < 0)
                goto out;
        json_t *ann = json_object_get(root, "annotations");
        if (ann) {
                if (!json_is_object(ann)) {
                        r = berr_set(e, EINVAL, "annotations: must be an object");
                        goto out;
                }
                s->annotations_json = json_dumps(ann, JSON_COMPACT);
        }
        *out = s;
        s = NULL;
        r = 0;
out:
        spec_free(s);
        json_decref(root);
        return r;
}

int spec_from_file(const char *path, struct spec **out, struct berr *e)
{
        _cleanup_free_ char *text = NULL;
        size_t len;
        int r = read_file(path, &text, &len, e);
        if (r < 0)
                return r;
        if ((r = spec_from_json(text, len, out, e)) < 0)
                return berr_wrap(e, "%s", path);
        return 0;
}
