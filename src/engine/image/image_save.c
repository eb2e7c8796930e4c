/* `berth save`: images as a tar that docker, podman and skopeo load.
 *
 * The archive is always an OCI image layout (oci-layout, index.json, blobs/sha256/); the docker
 * format adds docker's manifest.json naming the same blobs, as docker 25 and later write it, so
 * one file loads as docker-archive and as oci-archive. Layers are written uncompressed, each
 * first to a temp file (its size must be known before its tar header) then copied in.
 *
 * berth keeps layers unpacked, not their original tars: a layer is re-tarred here, and unless
 * the result has the config's diff_id byte for byte (layers berth made itself do: they are
 * tarred the same deterministic way), the saved config lists the new diff_ids and so the saved
 * image has a new id. */
#include "engine/context.h"
#include "engine/image/image.h"
#include "engine/image/image_manifest.h"
#include "engine/image/image_ops.h"
#include "engine/image/image_store.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/strv.h"
#include "util/workdir.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct saved_layer {
        char diff_id[72]; /* in the store */
        char digest[72];  /* of the tar written */
        uint64_t size;
        char *file;
};

struct saved_image {
        char id[72];
        char **tags;
        char *config; /* as written */
        size_t config_len;
        char config_digest[72];
        char **layer_digests;
        uint64_t *layer_sizes;
        char *manifest;
        char manifest_digest[72];
};

struct save {
        const char *root;
        struct workdir work;
        struct saved_layer *layers;
        size_t nlayers;
        struct saved_image *images;
        size_t nimages;
        struct archive *out;
        char buf[64 * 1024];
};

static struct saved_layer *layer_get(struct save *S, const char *diff_id, struct berr *e)
{
        for (size_t i = 0; i < S->nlayers; i++)
                if (!strcmp(S->layers[i].diff_id, diff_id))
                        return &S->layers[i];
        _cleanup_free_ char *dir = store_layer_dir(S->root, diff_id);
        _cleanup_close_ int dfd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
        if (dfd < 0) {
                berr_sys(e, errno, "layer %s is missing from the store", diff_id);
                return NULL;
        }
        struct saved_layer *l = realloc(S->layers, (S->nlayers + 1) * sizeof(*l));
        if (!l) {
                berr_set(e, ENOMEM, "out of memory");
                return NULL;
        }
        S->layers = l;
        l = &S->layers[S->nlayers];
        memset(l, 0, sizeof(*l));
        snprintf(l->diff_id, sizeof(l->diff_id), "%s", diff_id);
        if (asprintf(&l->file, "%s/layer%zu.tar", S->work.path, S->nlayers) < 0) {
                berr_set(e, ENOMEM, "out of memory");
                return NULL;
        }
        S->nlayers++;
        _cleanup_close_ int fd = open(l->file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
                berr_sys(e, errno, "creating %s", l->file);
                return NULL;
        }
        /* A loaded layer's own tar, rebuilt from its tar-split record, if that gives its diff_id. */
        _cleanup_free_ char *split = NULL;
        if (asprintf(&split, "%s/images/layers/%s/tar-split", S->root, diff_id + 7) > 0 &&
            access(split, F_OK) == 0 &&
            tarsplit_rebuild(split, dfd, fd, l->digest, &l->size, NULL) == 0 &&
            !strcmp(l->digest, diff_id))
                return l;
        if (lseek(fd, 0, SEEK_SET) < 0 || ftruncate(fd, 0) < 0) {
                berr_sys(e, errno, "writing %s", l->file);
                return NULL;
        }
        if (layer_tar_to_fd(dfd, fd, NULL, l->digest, &l->size, e) < 0) {
                berr_wrap(e, "layer %s", diff_id);
                return NULL;
        }
        return l;
}

static json_t *desc(const char *mt, const char *digest, uint64_t size)
{
        return json_pack("{s:s, s:s, s:I}", "mediaType", mt, "digest", digest, "size",
                         (json_int_t)size);
}

/* Re-tars the image's layers, fixes the config's diff_ids if needed, builds its manifest. */
static int prepare_image(struct save *S, struct saved_image *im, struct berr *e)
{
        _cleanup_free_ char *json = NULL;
        size_t len = 0;
        int r = store_config_read(S->root, im->id, &json, &len, e);
        if (r < 0)
                return r;
        json_error_t je;
        json_t *cfg = json_loadb(json, len, 0, &je);
        json_t *ids = cfg ? json_object_get(json_object_get(cfg, "rootfs"), "diff_ids") : NULL;
        if (!json_is_array(ids)) {
                json_decref(cfg);
                return berr_set(e, EINVAL, "image %s: its config has no rootfs.diff_ids", im->id);
        }
        size_t n = json_array_size(ids);
        bool changed = false;
        im->layer_digests = calloc(n + 1, sizeof(char *));
        im->layer_sizes = calloc(n + 1, sizeof(uint64_t));
        json_t *layers = json_array();
        for (size_t i = 0; r == 0 && i < n; i++) {
                const char *d = json_string_value(json_array_get(ids, i));
                struct saved_layer *l = d ? layer_get(S, d, e) : NULL;
                if (!l) {
                        r = d ? (e ? e->code : -EIO) : berr_set(e, EINVAL, "bad diff_id");
                        break;
                }
                if (strcmp(l->digest, d) != 0) {
                        changed = true;
                        json_array_set_new(ids, i, json_string(l->digest));
                }
                im->layer_digests[i] = strdup(l->digest);
                im->layer_sizes[i] = l->size;
                json_array_append_new(layers, desc(MT_OCI_LAYER, l->digest, l->size));
        }
        if (r == 0 && changed) {
                im->config = json_dumps(cfg, JSON_COMPACT | JSON_SORT_KEYS);
                im->config_len = im->config ? strlen(im->config) : 0;
        } else if (r == 0) {
                im->config = steal_ptr(json);
                im->config_len = len;
        }
        json_decref(cfg);
        if (r == 0 && !im->config)
                r = berr_set(e, ENOMEM, "out of memory");
        if (r == 0)
                r = sha256_buf(im->config, im->config_len, im->config_digest);
        json_t *m = r == 0 ? json_pack("{s:i, s:s, s:o, s:o}", "schemaVersion", 2, "mediaType",
                                       MT_OCI_MANIFEST, "config",
                                       desc(MT_OCI_CONFIG, im->config_digest, im->config_len),
                                       "layers", layers)
                           : (json_decref(layers), NULL);
        if (r == 0 && !m)
                r = berr_set(e, ENOMEM, "out of memory");
        if (r == 0) {
                im->manifest = json_dumps(m, JSON_COMPACT);
                json_decref(m);
                if (!im->manifest)
                        r = berr_set(e, ENOMEM, "out of memory");
        }
        if (r == 0)
                r = sha256_buf(im->manifest, strlen(im->manifest), im->manifest_digest);
        return r;
}

static int put_header(struct save *S, const char *name, mode_t type, uint64_t size,
                      struct berr *e)
{
        struct archive_entry *ent = archive_entry_new();
        if (!ent)
                return berr_set(e, ENOMEM, "out of memory");
        archive_entry_set_pathname(ent, name);
        archive_entry_set_filetype(ent, type);
        archive_entry_set_perm(ent, type == AE_IFDIR ? 0755 : 0644);
        archive_entry_set_size(ent, (la_int64_t)size);
        archive_entry_set_mtime(ent, 0, 0);
        int r = archive_write_header(S->out, ent);
        archive_entry_free(ent);
        if (r != ARCHIVE_OK)
                return berr_set(e, EIO, "writing %s: %s", name, archive_error_string(S->out));
        return 0;
}

static int put_buf(struct save *S, const char *name, const char *data, size_t len,
                   struct berr *e)
{
        int r = put_header(S, name, AE_IFREG, len, e);
        if (r == 0 && len && archive_write_data(S->out, data, len) < 0)
                r = berr_set(e, EIO, "writing %s: %s", name, archive_error_string(S->out));
        return r;
}

static int put_blob(struct save *S, const char *digest, const char *data, size_t len,
                    struct berr *e)
{
        char name[96];
        snprintf(name, sizeof(name), "blobs/sha256/%s", digest + 7);
        return put_buf(S, name, data, len, e);
}

static int put_file(struct save *S, const struct saved_layer *l, struct berr *e)
{
        char name[96];
        snprintf(name, sizeof(name), "blobs/sha256/%s", l->digest + 7);
        int r = put_header(S, name, AE_IFREG, l->size, e);
        _cleanup_close_ int fd = r == 0 ? open(l->file, O_RDONLY | O_CLOEXEC) : -1;
        if (r == 0 && fd < 0)
                r = berr_sys(e, errno, "reading %s", l->file);
        ssize_t n = 0;
        while (r == 0 && (n = read(fd, S->buf, sizeof(S->buf))) > 0)
                if (archive_write_data(S->out, S->buf, (size_t)n) < 0)
                        r = berr_set(e, EIO, "writing %s: %s", name, archive_error_string(S->out));
        if (r == 0 && n < 0)
                r = berr_sys(e, errno, "reading %s", l->file);
        /* Written: the temp copy is not needed any more. */
        if (r == 0)
                unlink(l->file);
        return r;
}

static char *index_json(struct save *S, enum save_format fmt)
{
        json_t *ms = json_array();
        for (size_t i = 0; i < S->nimages; i++) {
                struct saved_image *im = &S->images[i];
                size_t nt = strv_len(im->tags);
                for (size_t k = 0; k < (nt ? nt : 1); k++) {
                        json_t *d = desc(MT_OCI_MANIFEST, im->manifest_digest, strlen(im->manifest));
                        if (nt)
                                json_object_set_new(
                                    d, "annotations",
                                    json_pack("{s:s, s:s}", "io.containerd.image.name", im->tags[k],
                                              "org.opencontainers.image.ref.name", im->tags[k]));
                        json_array_append_new(ms, d);
                }
        }
        (void)fmt;
        json_t *idx = json_pack("{s:i, s:s, s:o}", "schemaVersion", 2, "mediaType", MT_OCI_INDEX,
                                "manifests", ms);
        char *s = idx ? json_dumps(idx, JSON_COMPACT) : NULL;
        json_decref(idx);
        return s;
}

static char *docker_manifest(struct save *S)
{
        json_t *a = json_array();
        for (size_t i = 0; i < S->nimages; i++) {
                struct saved_image *im = &S->images[i];
                char cfg[96];
                snprintf(cfg, sizeof(cfg), "blobs/sha256/%s", im->config_digest + 7);
                json_t *tags = json_array(), *layers = json_array();
                for (size_t k = 0; im->tags && im->tags[k]; k++)
                        json_array_append_new(tags, json_string(im->tags[k]));
                for (size_t k = 0; im->layer_digests[k]; k++) {
                        char l[96];
                        snprintf(l, sizeof(l), "blobs/sha256/%s", im->layer_digests[k] + 7);
                        json_array_append_new(layers, json_string(l));
                }
                json_array_append_new(a, json_pack("{s:s, s:o, s:o}", "Config", cfg, "RepoTags",
                                                   tags, "Layers", layers));
        }
        char *s = json_dumps(a, JSON_COMPACT);
        json_decref(a);
        return s;
}

static int write_archive(struct save *S, enum save_format fmt, const char *path, struct berr *e)
{
        S->out = archive_write_new();
        if (!S->out)
                return berr_set(e, ENOMEM, "out of memory");
        archive_write_set_format_pax_restricted(S->out);
        archive_write_set_bytes_in_last_block(S->out, 1);
        int r = path ? archive_write_open_filename(S->out, path) : archive_write_open_fd(S->out, 1);
        if (r != ARCHIVE_OK)
                return berr_set(e, EIO, "writing %s: %s", path ? path : "stdout",
                                archive_error_string(S->out));
        static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
        r = put_header(S, "blobs", AE_IFDIR, 0, e);
        if (r == 0)
                r = put_header(S, "blobs/sha256", AE_IFDIR, 0, e);
        for (size_t i = 0; r == 0 && i < S->nlayers; i++) {
                bool dup = false; /* two store layers can re-tar to one digest */
                for (size_t k = 0; k < i; k++)
                        dup |= !strcmp(S->layers[k].digest, S->layers[i].digest);
                if (!dup)
                        r = put_file(S, &S->layers[i], e);
        }
        for (size_t i = 0; r == 0 && i < S->nimages; i++) {
                struct saved_image *im = &S->images[i];
                bool dup = false;
                for (size_t k = 0; k < i; k++)
                        dup |= !strcmp(S->images[k].config_digest, im->config_digest);
                if (dup)
                        continue;
                r = put_blob(S, im->config_digest, im->config, im->config_len, e);
                if (r == 0)
                        r = put_blob(S, im->manifest_digest, im->manifest, strlen(im->manifest), e);
        }
        _cleanup_free_ char *idx = r == 0 ? index_json(S, fmt) : NULL;
        _cleanup_free_ char *man = r == 0 && fmt == SAVE_DOCKER ? docker_manifest(S) : NULL;
        if (r == 0 && (!idx || (fmt == SAVE_DOCKER && !man)))
                r = berr_set(e, ENOMEM, "out of memory");
        if (r == 0)
                r = put_buf(S, "oci-layout", layout, strlen(layout), e);
        if (r == 0)
                r = put_buf(S, "index.json", idx, strlen(idx), e);
        if (r == 0 && man)
                r = put_buf(S, "manifest.json", man, strlen(man), e);
        if (archive_write_close(S->out) != ARCHIVE_OK && r == 0)
                r = berr_set(e, EIO, "writing %s: %s", path ? path : "stdout",
                             archive_error_string(S->out));
        return r;
}

static void save_free(struct save *S)
{
        for (size_t i = 0; i < S->nlayers; i++)
                free(S->layers[i].file);
        free(S->layers);
        for (size_t i = 0; i < S->nimages; i++) {
                struct saved_image *im = &S->images[i];
                strv_free(im->tags);
                free(im->config);
                strv_free(im->layer_digests);
                free(im->layer_sizes);
                free(im->manifest);
        }
        free(S->images);
        if (S->out)
                archive_write_free(S->out);
        workdir_remove(&S->work, NULL);
        free(S);
}

/* Collects the images, merging references to one image (several tags). */
static int collect(struct save *S, const struct berth_ctx *ctx, char *const *refs, struct berr *e)
{
        for (size_t i = 0; refs[i]; i++) {
                char id[72], name[256];
                int r = image_find(ctx, refs[i], id, e);
                if (r < 0)
                        return r;
                bool by_name = image_ref_normalize(refs[i], name, sizeof(name), NULL) == 0 &&
                               strncmp(name, "sha256:", 7) && strncmp(id + 7, refs[i], strlen(refs[i]));
                struct saved_image *im = NULL;
                for (size_t k = 0; k < S->nimages; k++)
                        if (!strcmp(S->images[k].id, id))
                                im = &S->images[k];
                if (!im) {
                        struct saved_image *v = realloc(S->images, (S->nimages + 1) * sizeof(*v));
                        if (!v)
                                return berr_set(e, ENOMEM, "out of memory");
                        S->images = v;
                        im = &S->images[S->nimages++];
                        memset(im, 0, sizeof(*im));
                        snprintf(im->id, sizeof(im->id), "%s", id);
                        im->tags = calloc(1, sizeof(char *));
                }
                if (by_name && strv_push(&im->tags, name) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
        }
        return 0;
}

int image_save(const struct berth_ctx *ctx, char *const *refs, enum save_format fmt,
               const char *path, struct berr *e)
{
        if (!refs || !refs[0])
                return berr_set(e, EINVAL, "save needs at least one image");
        if (path && !strcmp(path, "-"))
                path = NULL;
        struct save *S = calloc(1, sizeof(*S));
        if (!S)
                return berr_set(e, ENOMEM, "out of memory");
        S->root = ctx->root;
        S->work = (struct workdir)WORKDIR_INIT;
        int r = collect(S, ctx, refs, e);
        if (r == 0)
                r = store_init(ctx->root, e);
        if (r == 0)
                r = store_mktemp(ctx->root, "save", &S->work, e);
        for (size_t i = 0; r == 0 && i < S->nimages; i++)
                r = prepare_image(S, &S->images[i], e);
        if (r == 0)
                r = write_archive(S, fmt, path, e);
        save_free(S);
        if (r < 0 && path)
                unlink(path);
        return r;
}
