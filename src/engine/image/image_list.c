/* Reading and pruning the store: images, tag, rmi, image prune, image inspect, history. */
#include "engine/container/containers.h"
#include "engine/container/lookup.h"
#include "engine/container/record.h"
#include "engine/context.h"
#include "engine/image/image.h"
#include "engine/image/image_ops.h"
#include "engine/image/image_store.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/strv.h"
#include "util/workdir.h"

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmpstr(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Apparent size of a tree (files and symlinks), as docker counts an image's size. */
static uint64_t tree_size(int dirfd)
{
        int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        if (!d) {
                if (fd >= 0)
                        close(fd);
                return 0;
        }
        uint64_t sum = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                        continue;
                struct stat st;
                if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                if (S_ISDIR(st.st_mode)) {
                        int sub = openat(dirfd, de->d_name,
                                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub >= 0) {
                                sum += tree_size(sub);
                                close(sub);
                        }
                } else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) {
                        sum += (uint64_t)st.st_size;
                }
        }
        closedir(d);
        return sum;
}

/* A layer's size, cached in layers/<hex>/size (layers never change once published). */
static uint64_t layer_size(const char *root, const char *diff_id)
{
        if (!sha256_digest_valid(diff_id))
                return 0;
        _cleanup_free_ char *cache = NULL;
        if (asprintf(&cache, "%s/images/layers/%s/size", root, diff_id + 7) < 0)
                return 0;
        _cleanup_free_ char *txt = NULL;
        size_t n = 0;
        if (read_file(cache, &txt, &n, NULL) == 0)
                return strtoull(txt, NULL, 10);
        _cleanup_free_ char *dir = store_layer_dir(root, diff_id);
        _cleanup_close_ int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
        if (fd < 0)
                return 0;
        uint64_t s = tree_size(fd);
        char buf[32];
        int len = snprintf(buf, sizeof(buf), "%" PRIu64 "\n", s);
        write_file_atomic(cache, buf, (size_t)len, 0644, NULL);
        return s;
}

/* Every image id in the store (config blobs), sorted. */
static int all_ids(const char *root, char ***out, struct berr *e)
{
        *out = calloc(1, sizeof(char *));
        _cleanup_free_ char *dir = store_path(root, "blobs/sha256");
        if (!*out || !dir)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_closedir_ DIR *d = opendir(dir);
        if (!d)
                return errno == ENOENT ? 0 : berr_sys(e, errno, "reading %s", dir);
        struct dirent *de;
        while ((de = readdir(d))) {
                if (strlen(de->d_name) != 64 || strspn(de->d_name, "0123456789abcdef") != 64)
                        continue;
                char id[72];
                snprintf(id, sizeof(id), "sha256:%s", de->d_name);
                if (strv_push(out, id) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
        }
        qsort(*out, strv_len(*out), sizeof(char *), cmpstr);
        return 0;
}

static char **tags_of(json_t *repos, const char *id)
{
        char **v = calloc(1, sizeof(char *));
        const char *k;
        json_t *val;
        json_object_foreach(repos, k, val) if (v && !strcmp(json_string_value(val) ?: "", id))
            strv_push(&v, k);
        if (v)
                qsort(v, strv_len(v), sizeof(char *), cmpstr);
        return v;
}

static json_t *read_config(const char *root, const char *id, struct berr *e)
{
        _cleanup_free_ char *json = NULL;
        size_t len = 0;
        if (store_config_read(root, id, &json, &len, e) < 0)
                return NULL;
        json_error_t je;
        json_t *c = json_loadb(json, len, 0, &je);
        if (!json_is_object(c)) {
                json_decref(c);
                berr_set(e, EINVAL, "image %s: bad config: %s", id, je.text);
                return NULL;
        }
        return c;
}

static json_t *diff_ids_of(json_t *cfg)
{
        json_t *a = json_object_get(json_object_get(cfg, "rootfs"), "diff_ids");
        return json_is_array(a) ? a : NULL;
}

static uint64_t image_size(const char *root, json_t *cfg)
{
        uint64_t s = 0;
        size_t i;
        json_t *d;
        json_array_foreach(diff_ids_of(cfg), i, d) s += layer_size(root, json_string_value(d) ?: "");
        return s;
}

void image_info_free(struct image_info *v, size_t n)
{
        for (size_t i = 0; v && i < n; i++)
                strv_free(v[i].tags);
        free(v);
}

int image_list(const char *root, struct image_info **out, size_t *n, struct berr *e)
{
        *out = NULL;
        *n = 0;
        char **ids = NULL;
        json_t *repos = NULL;
        int r = all_ids(root, &ids, e);
        if (r == 0)
                r = store_repos_load(root, &repos, e);
        size_t cnt = strv_len(ids);
        struct image_info *v = r == 0 ? calloc(cnt + 1, sizeof(*v)) : NULL;
        if (r == 0 && !v)
                r = berr_set(e, ENOMEM, "out of memory");
        size_t k = 0;
        for (size_t i = 0; r == 0 && i < cnt; i++) {
                json_t *cfg = read_config(root, ids[i], NULL);
                if (!cfg)
                        continue; /* a corrupt blob: not an image to list */
                struct image_info *im = &v[k++];
                snprintf(im->id, sizeof(im->id), "%s", ids[i]);
                im->tags = tags_of(repos, ids[i]);
                snprintf(im->created, sizeof(im->created), "%s",
                         json_string_value(json_object_get(cfg, "created")) ?: "");
                im->size = image_size(root, cfg);
                im->layers = json_array_size(diff_ids_of(cfg));
                json_decref(cfg);
        }
        strv_free(ids);
        json_decref(repos);
        if (r < 0) {
                image_info_free(v, k);
                return r;
        }
        *out = v;
        *n = k;
        return 0;
}

int image_find(const struct berth_ctx *ctx, const char *ref, char id[72], struct berr *e)
{
        struct image img;
        int r = image_resolve(ctx->root, ctx->datadir, ref, &img, e);
        if (r < 0)
                return r;
        snprintf(id, 72, "%s", img.id);
        image_release(&img);
        return 0;
}

int image_tag_ref(const struct berth_ctx *ctx, const char *src, const char *dst, struct berr *e)
{
        char id[72];
        int r = image_find(ctx, src, id, e);
        return r < 0 ? r : image_tag(ctx->root, dst, id, e);
}

/* The first container (its id) whose record names image id, or "" . */
static void user_of(const char *root, const char *id, char out[65])
{
        out[0] = '\0';
        char **cids = NULL;
        if (container_list(root, &cids, NULL) < 0) {
                strv_free(cids);
                return;
        }
        for (size_t i = 0; cids[i] && !out[0]; i++) {
                _cleanup_free_ char *dir = container_dir(root, cids[i]);
                struct record rec;
                memset(&rec, 0, sizeof(rec));
                if (dir && record_read(dir, &rec, NULL) == 0) {
                        if (!strcmp(rec.image_id, id))
                                snprintf(out, 65, "%s", cids[i]);
                        record_clear(&rec);
                }
        }
        strv_free(cids);
}

/* Removes names (all of them if names is NULL: every name of id) from repositories.json. */
static int untag(const char *root, const char *id, char *const *names, FILE *out, struct berr *e)
{
        _cleanup_close_ int lock = store_lock(root, e);
        if (lock < 0)
                return lock;
        json_t *repos = NULL;
        int r = store_repos_load(root, &repos, e);
        if (r < 0)
                return r;
        char **all = names ? NULL : tags_of(repos, id);
        char *const *v = names ? names : all;
        for (size_t i = 0; v && v[i]; i++) {
                if (json_object_del(repos, v[i]) == 0 && out)
                        fprintf(out, "Untagged: %s\n", v[i]);
        }
        r = store_repos_save(root, repos, e);
        strv_free(all);
        json_decref(repos);
        return r;
}

/* The diff ids of every image's layers (a NULL-terminated vector, never NULL on success). */
static int used_layers(const char *root, char ***out, struct berr *e)
{
        char **ids = NULL, **used = calloc(1, sizeof(char *));
        if (!used)
                return berr_set(e, ENOMEM, "out of memory");
        int r = all_ids(root, &ids, e);
        for (size_t i = 0; r == 0 && ids[i]; i++) {
                json_t *c = read_config(root, ids[i], NULL);
                size_t k;
                json_t *d;
                json_array_foreach(diff_ids_of(c), k, d) if (json_string_value(d))
                    strv_push(&used, json_string_value(d));
                json_decref(c);
        }
        strv_free(ids);
        if (r < 0) {
                strv_free(used);
                return r;
        }
        *out = used;
        return 0;
}

/* Removes layer diff ("sha256:<hex>") from the store, unless a writer holds it. */
static void remove_layer(const char *root, const char *diff, FILE *out, uint64_t *reclaimed)
{
        uint64_t sz = layer_size(root, diff);
        _cleanup_free_ char *ldir = NULL, *link = NULL, *tmp = NULL;
        if (asprintf(&ldir, "%s/images/layers/%s", root, diff + 7) < 0 ||
            asprintf(&link, "%s/images/l/%.12s", root, diff + 7) < 0 ||
            asprintf(&tmp, "%s/images/tmp/rm-%s", root, diff + 7) < 0)
                return;
        /* Out of layers/ first (atomic), then removed at leisure, owned all along (a
         * kill midway leaves tmp/rm-* to the next collector). A lock held by another
         * process is a writer that just published this layer: it stays. */
        _cleanup_close_ int owned = workdir_lock(ldir, false, NULL);
        if (owned < 0 || rename(ldir, tmp) < 0)
                return;
        unlink(link);
        rm_rf(tmp, NULL);
        if (reclaimed)
                *reclaimed += sz;
        if (out)
                fprintf(out, "Deleted: %s\n", diff);
}

/* Deletes image id's config and every layer of it no other image uses. */
static int delete_image(const char *root, const char *id, FILE *out, uint64_t *reclaimed,
                        struct berr *e)
{
        json_t *cfg = read_config(root, id, NULL);
        _cleanup_free_ char *blob = NULL;
        if (asprintf(&blob, "%s/images/blobs/sha256/%s", root, id + 7) < 0) {
                json_decref(cfg);
                return berr_set(e, ENOMEM, "out of memory");
        }
        _cleanup_close_ int lock = store_lock(root, e);
        if (lock < 0) {
                json_decref(cfg);
                return lock;
        }
        if (unlink(blob) < 0 && errno != ENOENT) {
                json_decref(cfg);
                return berr_sys(e, errno, "removing %s", blob);
        }
        if (out)
                fprintf(out, "Deleted: %s\n", id);
        /* Layers still used by the remaining images. */
        char **used = NULL;
        int r = used_layers(root, &used, e);
        size_t k;
        json_t *d;
        json_array_foreach(diff_ids_of(cfg), k, d)
        {
                const char *diff = json_string_value(d);
                bool in_use = false;
                for (size_t i = 0; used && used[i] && !in_use; i++)
                        in_use = !strcmp(used[i], diff ?: "");
                if (r < 0 || in_use || !diff || !sha256_digest_valid(diff))
                        continue;
                remove_layer(root, diff, out, reclaimed);
        }
        strv_free(used);
        json_decref(cfg);
        return r;
}

int image_remove(const struct berth_ctx *ctx, const char *ref, bool force, FILE *out,
                 struct berr *e)
{
        const char *root = ctx->root;
        char id[72], name[256];
        int r = image_lookup_id(root, ref, id, e);
        if (r < 0)
                return r;
        json_t *repos = NULL;
        r = store_repos_load(root, &repos, e);
        if (r < 0)
                return r;
        char **tags = tags_of(repos, id);
        json_decref(repos);
        bool by_name = image_ref_normalize(ref, name, sizeof(name), NULL) == 0 &&
                       strv_len(tags) && !strncmp(name, "sha256:", 7) == 0;
        if (by_name) {
                by_name = false;
                for (size_t i = 0; tags[i]; i++)
                        by_name |= !strcmp(tags[i], name);
        }
        char user[65];
        user_of(root, id, user);
        if (by_name && strv_len(tags) > 1) { /* one of several names: only that name goes */
                char *const one[] = {name, NULL};
                r = untag(root, id, one, out, e);
        } else if (user[0] && !force) {
                r = berr_set(e, EBUSY,
                             "conflict: unable to remove image %s (must force) - container %.12s "
                             "is using its referenced image %.12s",
                             ref, user, id + 7);
        } else if (!by_name && strv_len(tags) > 1 && !force) {
                r = berr_set(e, EBUSY,
                             "conflict: unable to delete %.12s (must be forced) - image is "
                             "referenced in multiple repositories",
                             id + 7);
        } else {
                r = untag(root, id, NULL, out, e);
                /* A container still uses it: forced, the image loses its names but stays. */
                if (r == 0 && !user[0])
                        r = delete_image(root, id, out, NULL, e);
        }
        strv_free(tags);
        return r;
}

/* Layers no image names: a writer killed between publishing a layer and writing the image that
 * uses it (commit, load, pull) leaves one. A live writer holds its layer's lock: it stays. */
static int prune_orphan_layers(const char *root, FILE *out, uint64_t *reclaimed, struct berr *e)
{
        _cleanup_free_ char *dir = NULL;
        if (asprintf(&dir, "%s/images/layers", root) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_closedir_ DIR *d = opendir(dir);
        if (!d)
                return errno == ENOENT ? 0 : berr_sys(e, errno, "reading %s", dir);
        _cleanup_close_ int lock = store_lock(root, e);
        if (lock < 0)
                return lock;
        char **used = NULL;
        int r = used_layers(root, &used, e);
        if (r < 0)
                return r;
        struct dirent *de;
        while ((de = readdir(d))) {
                char diff[72];
                snprintf(diff, sizeof(diff), "sha256:%.64s", de->d_name);
                if (strlen(de->d_name) != 64 || !sha256_digest_valid(diff))
                        continue;
                bool in_use = false;
                for (size_t i = 0; used[i] && !in_use; i++)
                        in_use = !strcmp(used[i], diff);
                if (!in_use)
                        remove_layer(root, diff, out, reclaimed);
        }
        strv_free(used);
        return 0;
}

int image_prune(const char *root, bool all, FILE *out, uint64_t *reclaimed, struct berr *e)
{
        char **ids = NULL;
        json_t *repos = NULL;
        *reclaimed = 0;
        store_tmp_collect(root); /* what killed loads, commits, pulls... left in images/tmp */
        int r = all_ids(root, &ids, e);
        if (r == 0)
                r = store_repos_load(root, &repos, e);
        for (size_t i = 0; r == 0 && ids[i]; i++) {
                char **tags = tags_of(repos, ids[i]);
                char user[65];
                size_t nt = strv_len(tags);
                strv_free(tags);
                if (nt && !all)
                        continue;
                user_of(root, ids[i], user);
                if (user[0])
                        continue;
                if (nt)
                        r = untag(root, ids[i], NULL, out, e);
                if (r == 0)
                        r = delete_image(root, ids[i], out, reclaimed, e);
        }
        strv_free(ids);
        json_decref(repos);
        return r < 0 ? r : prune_orphan_layers(root, out, reclaimed, e);
}

int image_inspect_json(const struct berth_ctx *ctx, const char *ref, json_t **out,
                       struct berr *e)
{
        char id[72];
        int r = image_lookup_id(ctx->root, ref, id, e);
        if (r == -ENOENT && !strcmp(ref, "busybox"))
                r = image_find(ctx, ref, id, e);
        if (r < 0)
                return r;
        json_t *cfg = read_config(ctx->root, id, e);
        json_t *repos = NULL;
        if (!cfg || store_repos_load(ctx->root, &repos, e) < 0) {
                json_decref(cfg);
                return e ? e->code : -EIO;
        }
        char **tags = tags_of(repos, id);
        json_decref(repos);
        json_t *jt = json_array();
        for (size_t i = 0; tags && tags[i]; i++)
                json_array_append_new(jt, json_string(tags[i]));
        strv_free(tags);
        json_t *hist = json_object_get(cfg, "history");
        const char *comment = "";
        if (json_is_array(hist) && json_array_size(hist))
                comment = json_string_value(json_object_get(
                              json_array_get(hist, json_array_size(hist) - 1), "comment")) ?: "";
        json_t *layers = json_array();
        json_t *lower = json_array();
        size_t i;
        json_t *d;
        json_array_foreach(diff_ids_of(cfg), i, d)
        {
                json_array_append(layers, d);
                _cleanup_free_ char *dir = store_layer_dir(ctx->root, json_string_value(d) ?: "");
                if (dir)
                        json_array_insert_new(lower, 0, json_string(dir));
        }
        _cleanup_free_ char *lowers = NULL;
        size_t llen = 0;
        FILE *f = open_memstream(&lowers, &llen);
        json_array_foreach(lower, i, d) fprintf(f, "%s%s", i ? ":" : "", json_string_value(d));
        fclose(f);
        json_decref(lower);
        json_t *config = json_object_get(cfg, "config");
        json_t *o = json_pack(
            "{s:s, s:o, s:[], s:s, s:s, s:s, s:s, s:O, s:s, s:s, s:I, s:{s:s, s:{s:s}}, "
            "s:{s:s, s:o}, s:{s:s}}",
            "Id", id, "RepoTags", jt, "RepoDigests", "Parent", "", "Comment", comment, "Created",
            json_string_value(json_object_get(cfg, "created")) ?: "", "Author",
            json_string_value(json_object_get(cfg, "author")) ?: "", "Config",
            json_is_object(config) ? config : json_object(), "Architecture",
            json_string_value(json_object_get(cfg, "architecture")) ?: "", "Os",
            json_string_value(json_object_get(cfg, "os")) ?: "", "Size",
            (json_int_t)image_size(ctx->root, cfg), "GraphDriver", "Name", "overlay", "Data",
            "LowerDir", lowers ? lowers : "", "RootFS", "Type", "layers", "Layers", layers,
            "Metadata", "LastTagTime", "");
        json_decref(cfg);
        if (!o)
                return berr_set(e, ENOMEM, "out of memory");
        *out = o;
        return 0;
}

void image_history_free(struct image_history_row *v, size_t n)
{
        for (size_t i = 0; v && i < n; i++) {
                free(v[i].created_by);
                free(v[i].comment);
        }
        free(v);
}

int image_history(const struct berth_ctx *ctx, const char *ref, struct image_history_row **out,
                  size_t *n, struct berr *e)
{
        char id[72];
        int r = image_find(ctx, ref, id, e);
        if (r < 0)
                return r;
        json_t *cfg = read_config(ctx->root, id, e);
        if (!cfg)
                return e ? e->code : -EIO;
        json_t *hist = json_object_get(cfg, "history");
        json_t *ids = diff_ids_of(cfg);
        size_t nh = json_is_array(hist) ? json_array_size(hist) : 0;
        size_t nl = json_array_size(ids);
        /* No history: one row per layer. */
        size_t rows = nh ? nh : nl;
        struct image_history_row *v = calloc(rows + 1, sizeof(*v));
        if (!v) {
                json_decref(cfg);
                return berr_set(e, ENOMEM, "out of memory");
        }
        size_t layer = 0;
        for (size_t i = 0; i < rows; i++) {
                json_t *h = nh ? json_array_get(hist, i) : NULL;
                struct image_history_row *row = &v[rows - 1 - i];
                bool empty = json_is_true(json_object_get(h, "empty_layer"));
                snprintf(row->created, sizeof(row->created), "%s",
                         json_string_value(json_object_get(h, "created")) ?: "");
                row->created_by = strdup(json_string_value(json_object_get(h, "created_by")) ?: "");
                row->comment = strdup(json_string_value(json_object_get(h, "comment")) ?: "");
                if (!empty && layer < nl)
                        row->size = layer_size(ctx->root,
                                               json_string_value(json_array_get(ids, layer++)) ?: "");
        }
        if (rows)
                snprintf(v[0].id, sizeof(v[0].id), "%s", id);
        if (!nh && rows)
                for (size_t i = 0; i < rows; i++)
                        snprintf(v[i].created, sizeof(v[i].created), "%s",
                                 json_string_value(json_object_get(cfg, "created")) ?: "");
        json_decref(cfg);
        *out = v;
        *n = rows;
        return 0;
}
