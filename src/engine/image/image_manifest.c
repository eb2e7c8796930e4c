/* docker-archive manifest.json and OCI index/manifest parsers. Pure; fuzzed
 * (tests/fuzz/fuzz_image_manifest.c). */
#include "engine/image/image_manifest.h"

#include "util/err.h"
#include "util/sha256.h"
#include "util/strv.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int str_ok(json_t *s)
{
        return json_is_string(s) && strlen(json_string_value(s)) == json_string_length(s) &&
               json_string_length(s) > 0;
}

/* An array of strings -> strv (absent/null -> empty). */
static int strv_from(json_t *a, const char *what, size_t idx, const char *key, char ***out,
                     struct berr *e)
{
        *out = calloc(1, sizeof(char *));
        if (!*out)
                return berr_set(e, ENOMEM, "out of memory");
        if (!a || json_is_null(a))
                return 0;
        if (!json_is_array(a))
                return berr_set(e, EINVAL, "%s: [%zu].%s must be an array of strings", what, idx,
                                key);
        size_t i;
        json_t *s;
        json_array_foreach(a, i, s)
        {
                if (!str_ok(s))
                        return berr_set(e, EINVAL, "%s: [%zu].%s[%zu] must be a non-empty string",
                                        what, idx, key, i);
                if (strv_push(out, json_string_value(s)) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
        }
        return 0;
}

void docker_manifest_free(struct docker_manifest_entry *m, size_t n)
{
        for (size_t i = 0; m && i < n; i++) {
                free(m[i].config);
                strv_free(m[i].tags);
                strv_free(m[i].layers);
        }
        free(m);
}

int docker_manifest_parse(const char *json, size_t len, struct docker_manifest_entry **out,
                          size_t *n, struct berr *e)
{
        *out = NULL;
        *n = 0;
        json_error_t je;
        json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
        if (!root)
                return berr_set(e, EINVAL, "manifest.json: %s (line %d)", je.text, je.line);
        int r = 0;
        size_t cnt = json_is_array(root) ? json_array_size(root) : 0;
        if (!json_is_array(root) || cnt == 0)
                r = berr_set(e, EINVAL, "manifest.json: must be a non-empty array");
        struct docker_manifest_entry *m = r ? NULL : calloc(cnt, sizeof(*m));
        if (r == 0 && !m)
                r = berr_set(e, ENOMEM, "out of memory");
        for (size_t i = 0; r == 0 && i < cnt; i++) {
                json_t *o = json_array_get(root, i);
                if (!json_is_object(o)) {
                        r = berr_set(e, EINVAL, "manifest.json: [%zu] must be an object", i);
                        break;
                }
                json_t *c = json_object_get(o, "Config");
                if (!str_ok(c)) {
                        r = berr_set(e, EINVAL, "manifest.json: [%zu].Config is missing", i);
                        break;
                }
                if (!(m[i].config = strdup(json_string_value(c))))
                        r = berr_set(e, ENOMEM, "out of memory");
                if (r == 0)
                        r = strv_from(json_object_get(o, "RepoTags"), "manifest.json", i,
                                      "RepoTags", &m[i].tags, e);
                if (r == 0)
                        r = strv_from(json_object_get(o, "Layers"), "manifest.json", i, "Layers",
                                      &m[i].layers, e);
                if (r == 0 && !m[i].layers[0])
                        r = berr_set(e, EINVAL, "manifest.json: [%zu].Layers is empty", i);
        }
        json_decref(root);
        if (r < 0) {
                docker_manifest_free(m, cnt);
                return r;
        }
        *out = m;
        *n = cnt;
        return 0;
}

void oci_desc_free(struct oci_desc *d, size_t n)
{
        for (size_t i = 0; d && i < n; i++) {
                free(d[i].media_type);
                free(d[i].digest);
                free(d[i].ref_name);
                free(d[i].arch);
                free(d[i].os);
        }
        free(d);
}

static char *dup_opt(json_t *s)
{
        return str_ok(s) ? strdup(json_string_value(s)) : NULL;
}

static int desc_parse(json_t *o, const char *what, size_t idx, struct oci_desc *d,
                      struct berr *e)
{
        if (!json_is_object(o))
                return berr_set(e, EINVAL, "%s: descriptor %zu must be an object", what, idx);
        json_t *dg = json_object_get(o, "digest");
        if (!str_ok(dg))
                return berr_set(e, EINVAL, "%s: descriptor %zu has no digest", what, idx);
        if (!sha256_digest_valid(json_string_value(dg)))
                return berr_set(e, EINVAL, "%s: descriptor %zu: unsupported digest \"%s\"", what,
                                idx, json_string_value(dg));
        json_t *sz = json_object_get(o, "size");
        if (!json_is_integer(sz) || json_integer_value(sz) < 0)
                return berr_set(e, EINVAL, "%s: descriptor %zu has no valid size", what, idx);
        d->size = json_integer_value(sz);
        d->digest = strdup(json_string_value(dg));
        d->media_type = dup_opt(json_object_get(o, "mediaType"));
        json_t *ann = json_object_get(o, "annotations");
        if (json_is_object(ann)) {
                d->ref_name = dup_opt(json_object_get(ann, "io.containerd.image.name"));
                if (!d->ref_name)
                        d->ref_name = dup_opt(json_object_get(ann, "org.opencontainers.image.ref.name"));
        }
        json_t *pl = json_object_get(o, "platform");
        if (json_is_object(pl)) {
                d->arch = dup_opt(json_object_get(pl, "architecture"));
                d->os = dup_opt(json_object_get(pl, "os"));
        }
        if (!d->digest)
                return berr_set(e, ENOMEM, "out of memory");
        return 0;
}

static int desc_array(json_t *a, const char *what, const char *key, struct oci_desc **out,
                      size_t *n, struct berr *e)
{
        *out = NULL;
        *n = 0;
        if (!json_is_array(a))
                return berr_set(e, EINVAL, "%s: %s must be an array", what, key);
        size_t cnt = json_array_size(a);
        struct oci_desc *d = calloc(cnt ? cnt : 1, sizeof(*d));
        if (!d)
                return berr_set(e, ENOMEM, "out of memory");
        int r = 0;
        for (size_t i = 0; r == 0 && i < cnt; i++)
                r = desc_parse(json_array_get(a, i), what, i, &d[i], e);
        if (r < 0) {
                oci_desc_free(d, cnt);
                return r;
        }
        *out = d;
        *n = cnt;
        return 0;
}

static json_t *load_obj(const char *json, size_t len, const char *what, struct berr *e)
{
        json_error_t je;
        json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
        if (!root) {
                berr_set(e, EINVAL, "%s: %s (line %d)", what, je.text, je.line);
                return NULL;
        }
        if (!json_is_object(root)) {
                json_decref(root);
                berr_set(e, EINVAL, "%s: not a JSON object", what);
                return NULL;
        }
        json_t *sv = json_object_get(root, "schemaVersion");
        if (!json_is_integer(sv) || json_integer_value(sv) != 2) {
                json_decref(root);
                berr_set(e, EINVAL, "%s: schemaVersion must be 2", what);
                return NULL;
        }
        return root;
}

int oci_index_parse(const char *json, size_t len, struct oci_desc **out, size_t *n,
                    struct berr *e)
{
        json_t *root = load_obj(json, len, "index.json", e);
        if (!root)
                return e ? e->code : -EINVAL;
        int r = desc_array(json_object_get(root, "manifests"), "index.json", "manifests", out, n,
                           e);
        json_decref(root);
        return r;
}

int oci_manifest_parse(const char *json, size_t len, struct oci_desc *config,
                       struct oci_desc **layers, size_t *n, struct berr *e)
{
        memset(config, 0, sizeof(*config));
        json_t *root = load_obj(json, len, "image manifest", e);
        if (!root)
                return e ? e->code : -EINVAL;
        const char *mt = json_string_value(json_object_get(root, "mediaType"));
        int r = 0;
        if (mt && strcmp(mt, MT_OCI_MANIFEST) && strcmp(mt, MT_DOCKER_MANIFEST))
                r = berr_set(e, EINVAL, "image manifest: unknown media type %s", mt);
        if (r == 0)
                r = desc_parse(json_object_get(root, "config"), "image manifest config", 0, config,
                               e);
        if (r == 0 && config->media_type && strcmp(config->media_type, MT_OCI_CONFIG) &&
            strcmp(config->media_type, MT_DOCKER_CONFIG))
                r = berr_set(e, EINVAL, "image manifest: unknown config media type %s",
                             config->media_type);
        if (r == 0)
                r = desc_array(json_object_get(root, "layers"), "image manifest", "layers", layers,
                               n, e);
        for (size_t i = 0; r == 0 && i < *n; i++)
                if (!oci_layer_media_ok((*layers)[i].media_type))
                        r = berr_set(e, EINVAL, "image manifest: layer %zu has unknown media type %s",
                                     i, (*layers)[i].media_type ? (*layers)[i].media_type : "(none)");
        if (r == 0 && *n == 0)
                r = berr_set(e, EINVAL, "image manifest: no layers");
        json_decref(root);
        if (r < 0) {
                free(config->media_type);
                free(config->digest);
                free(config->ref_name);
                free(config->arch);
                free(config->os);
                memset(config, 0, sizeof(*config));
                oci_desc_free(*layers, *n);
                *layers = NULL;
                *n = 0;
        }
        return r;
}

int oci_layer_media_ok(const char *mt)
{
        static const char *const ok[] = {
            MT_OCI_LAYER,
            MT_OCI_LAYER "+gzip",
            MT_OCI_LAYER "+zstd",
            "application/vnd.oci.image.layer.nondistributable.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
            "application/vnd.docker.image.rootfs.diff.tar",
            "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "application/vnd.docker.image.rootfs.diff.tar.zstd",
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
        };
        if (!mt)
                return 0;
        for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
                if (!strcmp(mt, ok[i]))
                        return 1;
        return 0;
}
