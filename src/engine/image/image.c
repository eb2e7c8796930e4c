/* Finding an image by reference and importing rootfs tarballs; the built-in busybox image. */
#include "engine/image/image.h"
#include "engine/image/image_ops.h"
#include "engine/image/image_store.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/strv.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define BUILTIN_REF "busybox:latest"
#define BUILTIN_LAYER "busybox-layer.tar"

/* RFC 3339 time of the tarball's mtime: importing the same file gives the same config and so
 * the same image id, which keeps concurrent first imports of busybox from racing to two ids. */
static int tar_created(const char *tar_path, char out[32], struct berr *e)
{
        struct stat st;
        struct tm tm;
        if (stat(tar_path, &st) < 0)
                return berr_sys(e, errno, "reading %s", tar_path);
        if (!gmtime_r(&st.st_mtime, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
                return berr_set(e, EINVAL, "%s: bad modification time", tar_path);
        return 0;
}

int image_import_tar(const char *root, const char *tar_path, const char *ref, char *const *cmd,
                     char *const *env, char id_out[72], struct berr *e)
{
        char name[256];
        char created[32];
        char diff_id[72];
        /* Check the cheap things before unpacking anything. */
        int r = ref ? image_ref_normalize(ref, name, sizeof(name), e) : 0;
        if (r == 0)
                r = tar_created(tar_path, created, e);
        if (r == 0)
                r = image_layer_import(root, tar_path, diff_id, e);
        if (r < 0)
                return r;
        _cleanup_free_ char *json = image_config_build(diff_id, cmd, env, created);
        if (!json)
                return berr_set(e, ENOMEM, "out of memory");
        r = image_config_store(root, json, strlen(json), id_out, e);
        if (r == 0 && ref)
                r = image_tag(root, name, id_out, e);
        return r;
}

/* The unique image id starting with hex (1..64 hex digits), from the config blobs. */
static int find_by_id_prefix(const char *root, const char *hex, char id[72], struct berr *e)
{
        _cleanup_free_ char *dir = store_path(root, "blobs/sha256");
        if (!dir)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_closedir_ DIR *d = opendir(dir);
        if (!d)
                return errno == ENOENT ? -ENOENT : berr_sys(e, errno, "reading %s", dir);
        size_t n = strlen(hex), found = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                /* Only complete blobs: temp files of writers have a suffix. */
                if (strlen(de->d_name) != 64 || strncmp(de->d_name, hex, n) != 0 ||
                    strspn(de->d_name, "0123456789abcdef") != 64)
                        continue;
                if (found++ == 0)
                        snprintf(id, 72, "sha256:%.64s", de->d_name);
        }
        if (found > 1)
                return berr_set(e, EINVAL, "image id prefix %s is ambiguous: %zu images match", hex,
                                found);
        return found ? 0 : -ENOENT;
}

/* name -> id through repositories.json; -ENOENT if the name is not there. */
static int find_by_name(const char *root, const char *name, char id[72], struct berr *e)
{
        json_t *repos = NULL;
        int r = store_repos_load(root, &repos, e);
        if (r < 0)
                return r;
        const char *v = json_string_value(json_object_get(repos, name));
        if (!v)
                r = -ENOENT;
        else if (!sha256_digest_valid(v))
                r = berr_set(e, EINVAL, "repositories.json: %s points at an invalid id", name);
        else
                snprintf(id, 72, "%s", v);
        json_decref(repos);
        return r;
}

/* Docker's order: a name first, then (if the user typed only hex) an id prefix. An image found
 * by id is known by its full id from then on, so name is rewritten to it. */
static int lookup(const char *root, const char *ref, char name[256], char id[72], struct berr *e)
{
        int r;
        size_t n = strlen(ref);
        if (!strncmp(name, "sha256:", 7))
                r = find_by_id_prefix(root, name + 7, id, e);
        else if ((r = find_by_name(root, name, id, e)) != -ENOENT)
                return r;
        else if (n < 64 && strspn(ref, "0123456789abcdef") == n)
                r = find_by_id_prefix(root, ref, id, e);
        if (r == 0)
                snprintf(name, 256, "%s", id);
        return r;
}

static int import_builtin(const char *root, const char *datadir, struct berr *e)
{
        static char *const cmd[] = {"sh", NULL};
        static char *const env[] = {
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL};
        if (!datadir)
                return berr_set(e, ENOENT, "built-in image busybox: no data directory given");
        _cleanup_free_ char *tar = path_join(datadir, BUILTIN_LAYER);
        if (!tar)
                return berr_set(e, ENOMEM, "out of memory");
        char id[72];
        int r = image_import_tar(root, tar, BUILTIN_REF, cmd, env, id, e);
        if (r < 0)
                berr_wrap(e, "importing the built-in image busybox");
        return r;
}

/* Fills out from the config blob of id, and checks that every layer is in the store. */
static int load_image(const char *root, const char *id, const char *name, struct image *out,
                      struct berr *e)
{
        _cleanup_free_ char *json = NULL;
        size_t len = 0;
        char **diff_ids = NULL;
        /* layer_dirs are promised absolute: they become overlay options, resolved elsewhere. */
        _cleanup_free_ char *abs_root = realpath(root, NULL);
        if (!abs_root)
                return berr_sys(e, errno, "resolving %s", root);
        root = abs_root;
        int r = store_config_read(root, id, &json, &len, e);
        if (r == 0)
                r = image_config_parse(json, len, out, &diff_ids, e);
        if (r < 0)
                return berr_wrap(e, "image %s", name);
        snprintf(out->id, sizeof(out->id), "%s", id);
        out->ref = strdup(name);
        out->layer_dirs = calloc(1, sizeof(char *));
        if (!out->ref || !out->layer_dirs)
                r = berr_set(e, ENOMEM, "out of memory");
        for (size_t i = 0; r == 0 && diff_ids[i]; i++) {
                _cleanup_free_ char *dir = store_layer_dir(root, diff_ids[i]);
                struct stat st;
                if (!dir)
                        r = berr_set(e, ENOMEM, "out of memory");
                else if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
                        r = berr_set(e, ENOENT, "image %s: layer %s is missing from the store",
                                     name, diff_ids[i]);
                else {
                        /* The short link keeps overlay's lowerdir option within one page. */
                        _cleanup_free_ char *link = store_layer_link(root, diff_ids[i]);
                        if (strv_push(&out->layer_dirs, link ? link : dir) < 0)
                                r = berr_set(e, ENOMEM, "out of memory");
                }
        }
        strv_free(diff_ids);
        return r;
}

int image_resolve(const char *root, const char *datadir, const char *ref, struct image *out,
                  struct berr *e)
{
        memset(out, 0, sizeof(*out));
        char name[256], id[72];
        int r = image_ref_normalize(ref, name, sizeof(name), e);
        if (r < 0)
                return r;
        r = lookup(root, ref, name, id, e);
        if (r == -ENOENT && !strcmp(name, BUILTIN_REF)) {
                /* Its own errors (a missing layer file) must not read as "not found". */
                r = import_builtin(root, datadir, e);
                if (r < 0)
                        return r;
                r = lookup(root, ref, name, id, e);
        }
        if (r == -ENOENT)
                return berr_set(e, ENOENT, "image not found: %s", ref);
        if (r == 0)
                r = load_image(root, id, name, out, e);
        if (r < 0)
                image_release(out);
        return r;
}

int image_lookup_id(const char *root, const char *ref, char id[72], struct berr *e)
{
        char name[256];
        int r = image_ref_normalize(ref, name, sizeof(name), e);
        if (r < 0)
                return r;
        r = lookup(root, ref, name, id, e);
        if (r == -ENOENT)
                return berr_set(e, ENOENT, "No such image: %s", ref);
        return r;
}
