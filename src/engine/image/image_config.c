/* OCI image config (image-spec config.md) <-> the fields `run` needs. Pure. */
#include "engine/image/image.h"
#include "engine/image/image_ops.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/sha256.h"
#include "util/strv.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* GOARCH spelling of the architecture this binary (and the host's busybox) runs on. */
#if defined(__x86_64__)
#define IMAGE_ARCH "amd64"
#elif defined(__aarch64__)
#define IMAGE_ARCH "arm64"
#elif defined(__i386__)
#define IMAGE_ARCH "386"
#elif defined(__arm__)
#define IMAGE_ARCH "arm"
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define IMAGE_ARCH "ppc64le"
#elif defined(__s390x__)
#define IMAGE_ARCH "s390x"
#elif defined(__riscv) && __riscv_xlen == 64
#define IMAGE_ARCH "riscv64"
#else
#error "unknown architecture: add its GOARCH name"
#endif

const char *image_host_arch(void)
{
        return IMAGE_ARCH;
}

static json_t *strv_to_json(char *const *v)
{
        json_t *a = json_array();
        for (size_t i = 0; a && v && v[i]; i++)
                if (json_array_append_new(a, json_string(v[i])) < 0) {
                        json_decref(a);
                        return NULL;
                }
        return a;
}

static json_t *build_config_section(char *const *cmd, char *const *env)
{
        json_t *c = json_object();
        if (c && cmd && json_object_set_new(c, "Cmd", strv_to_json(cmd)) < 0)
                goto fail;
        if (c && env && json_object_set_new(c, "Env", strv_to_json(env)) < 0)
                goto fail;
        return c;
fail:
        json_decref(c);
        return NULL;
}

char *image_config_build(const char *diff_id, char *const *cmd, char *const *env,
                         const char *created)
{
        json_t *history =
            created ? json_pack("[{s:s, s:s}]", "created", created, "created_by", "berth import")
                    : json_pack("[{s:s}]", "created_by", "berth import");
        json_t *root = json_pack("{s:s, s:s, s:o, s:{s:s, s:[s]}, s:o}", "architecture", IMAGE_ARCH,
                                 "os", "linux", "config", build_config_section(cmd, env), "rootfs",
                                 "type", "layers", "diff_ids", diff_id, "history", history);
        if (!root)
                return NULL;
        if (created && json_object_set_new(root, "created", json_string(created)) < 0) {
                json_decref(root);
                return NULL;
        }
        char *s = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(root);
        return s;
}

/* A JSON array of strings -> strv; absent or null -> *out = NULL. */
static int parse_strv(json_t *obj, const char *key, char ***out, struct berr *e)
{
        json_t *a = json_object_get(obj, key);
        *out = NULL;
        if (!a || json_is_null(a))
                return 0;
        if (!json_is_array(a))
                return berr_set(e, EINVAL, "image config: %s must be an array of strings", key);
        char **v = calloc(1, sizeof(char *));
        if (!v)
                return berr_set(e, ENOMEM, "out of memory");
        size_t i;
        json_t *s;
        json_array_foreach(a, i, s)
        {
                if (!json_is_string(s) || strlen(json_string_value(s)) != json_string_length(s)) {
                        strv_free(v);
                        return berr_set(e, EINVAL, "image config: %s[%zu] must be a string", key,
                                        i);
                }
                if (strv_push(&v, json_string_value(s)) < 0) {
                        strv_free(v);
                        return berr_set(e, ENOMEM, "out of memory");
                }
        }
        *out = v;
        return 0;
}

/* A JSON string -> heap string; absent, null or "" -> NULL (docker treats "" as unset). */
static int parse_str(json_t *obj, const char *key, char **out, struct berr *e)
{
        json_t *s = json_object_get(obj, key);
        *out = NULL;
        if (!s || json_is_null(s))
                return 0;
        if (!json_is_string(s))
                return berr_set(e, EINVAL, "image config: %s must be a string", key);
        if (json_string_length(s) == 0)
                return 0;
        *out = strdup(json_string_value(s));
        return *out ? 0 : berr_set(e, ENOMEM, "out of memory");
}

static int parse_config_section(json_t *c, struct image *img, struct berr *e)
{
        if (c && !json_is_null(c) && !json_is_object(c))
                return berr_set(e, EINVAL, "image config: config must be an object");
        int r = parse_strv(c, "Env", &img->env, e);
        if (r == 0 && !img->env && !(img->env = calloc(1, sizeof(char *))))
                r = berr_set(e, ENOMEM, "out of memory");
        if (r == 0)
                r = parse_strv(c, "Entrypoint", &img->entrypoint, e);
        if (r == 0)
                r = parse_strv(c, "Cmd", &img->cmd, e);
        if (r == 0)
                r = parse_str(c, "WorkingDir", &img->working_dir, e);
        if (r == 0)
                r = parse_str(c, "User", &img->user, e);
        if (r == 0)
                r = parse_str(c, "StopSignal", &img->stop_signal, e);
        return r;
}

static int parse_rootfs(json_t *root, char ***diff_ids, struct berr *e)
{
        json_t *rootfs = json_object_get(root, "rootfs");
        if (!json_is_object(rootfs))
                return berr_set(e, EINVAL, "image config: rootfs is missing");
        const char *type = json_string_value(json_object_get(rootfs, "type"));
        if (!type || strcmp(type, "layers") != 0)
                return berr_set(e, EINVAL, "image config: rootfs.type must be \"layers\"");
        int r = parse_strv(rootfs, "diff_ids", diff_ids, e);
        if (r < 0)
                return r;
        if (!*diff_ids)
                return berr_set(e, EINVAL, "image config: rootfs.diff_ids is missing");
        for (size_t i = 0; (*diff_ids)[i]; i++)
                if (!sha256_digest_valid((*diff_ids)[i]))
                        return berr_set(e, EINVAL, "image config: unsupported diff_id \"%s\"",
                                        (*diff_ids)[i]);
        return 0;
}

int image_config_parse(const char *json, size_t len, struct image *out, char ***diff_ids,
                       struct berr *e)
{
        json_error_t je;
        json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
        if (!root)
                return berr_set(e, EINVAL, "image config: %s (line %d)", je.text, je.line);
        struct image img = {0};
        char **ids = NULL;
        int r = json_is_object(root) ? 0 : berr_set(e, EINVAL, "image config: not an object");
        if (r == 0)
                r = parse_config_section(json_object_get(root, "config"), &img, e);
        if (r == 0)
                r = parse_rootfs(root, &ids, e);
        json_decref(root);
        if (r < 0) {
                image_release(&img);
                strv_free(ids);
                return r;
        }
        out->env = img.env;
        out->entrypoint = img.entrypoint;
        out->cmd = img.cmd;
        out->working_dir = img.working_dir;
        out->user = img.user;
        out->stop_signal = img.stop_signal;
        *diff_ids = ids;
        return 0;
}
