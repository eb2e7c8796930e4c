/* `push`: an image of the store to a registry. Each layer dir is tarred again with
 * layer_tar_to_fd (image_layer_tar.c, deterministic; the same writer `save` uses), gzipped to a
 * temp file while its digest is computed, uploaded unless the registry has the blob (HEAD), then
 * the config and an OCI manifest under the tag. If a layer does not re-tar to its diff_id (a
 * layer pulled from elsewhere), the pushed config lists the new diff_ids, as `save` does. */
#include "engine/context.h"
#include "engine/image/image.h"
#include "engine/image/image_manifest.h"
#include "engine/image/image_ops.h"
#include "engine/image/image_store.h"
#include "engine/registry/registry.h"
#include "engine/registry/registry_http.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/workdir.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

struct blob {
        char digest[72];
        uint64_t size;
        char *path; /* file, or NULL: buf */
        const char *buf;
};

/* gzip of the file at in into out; digest and size of the compressed bytes. */
static int gzip_file(int in, int out, char digest[72], uint64_t *size, struct berr *e)
{
        z_stream z = {0};
        if (deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
                return berr_set(e, ENOMEM, "out of memory");
        struct sha256 h;
        if (sha256_init(&h) < 0) {
                deflateEnd(&z);
                return berr_set(e, ENOMEM, "out of memory");
        }
        static unsigned char ib[128 * 1024], ob[128 * 1024];
        int r = 0, flush = Z_NO_FLUSH;
        *size = 0;
        lseek(in, 0, SEEK_SET);
        while (r == 0 && flush != Z_FINISH) {
                ssize_t n = read(in, ib, sizeof(ib));
                if (n < 0) {
                        r = berr_sys(e, errno, "reading a layer tar");
                        break;
                }
                flush = n == 0 ? Z_FINISH : Z_NO_FLUSH;
                z.next_in = ib;
                z.avail_in = (uInt)n;
                do {
                        z.next_out = ob;
                        z.avail_out = sizeof(ob);
                        deflate(&z, flush);
                        size_t have = sizeof(ob) - z.avail_out;
                        int w = have ? write_all(out, ob, have) : 0;
                        if (w < 0) {
                                r = berr_sys(e, w, "writing a compressed layer");
                                break;
                        }
                        sha256_update(&h, ob, have);
                        *size += have;
                } while (z.avail_out == 0);
        }
        deflateEnd(&z);
        if (r < 0) {
                sha256_free(&h);
                return r;
        }
        return sha256_final(&h, digest);
}

/* Tars and gzips layer diff_id into work; writes the blob and the tar's digest (diff_id). */
static int prepare_layer(const char *root, const char *work, size_t i, const char *diff_id,
                         struct blob *b, char tar_digest[72], struct berr *e)
{
        _cleanup_free_ char *dir = store_layer_dir(root, diff_id);
        _cleanup_close_ int dfd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
        if (dfd < 0)
                return berr_sys(e, errno, "layer %s is missing from the store", diff_id);
        _cleanup_free_ char *tar = NULL;
        if (asprintf(&tar, "%s/layer%zu.tar", work, i) < 0 ||
            asprintf(&b->path, "%s/layer%zu.tar.gz", work, i) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_close_ int tfd = open(tar, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        _cleanup_close_ int gfd = open(b->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (tfd < 0 || gfd < 0)
                return berr_sys(e, errno, "creating files in %s", work);
        uint64_t tsize;
        int r = layer_tar_to_fd(dfd, tfd, NULL, tar_digest, &tsize, e);
        if (r == 0)
                r = gzip_file(tfd, gfd, b->digest, &b->size, e);
        unlink(tar);
        return r;
}

static int upload_blob(struct reg_session *s, const char *repo, const struct blob *b,
                       const char *label, FILE *out, struct berr *e)
{
        char url[800], msg[512];
        struct reg_resp resp = {0};
        snprintf(url, sizeof(url), "/v2/%s/blobs/%s", repo, b->digest);
        int r = reg_request(s, "HEAD", url, NULL, NULL, &resp, e);
        if (r == 0 && resp.status == 200) {
                if (out && label)
                        fprintf(out, "%.12s: Layer already exists\n", b->digest + 7);
                return 0;
        }
        snprintf(url, sizeof(url), "/v2/%s/blobs/uploads/", repo);
        if (r == 0)
                r = reg_request(s, "POST", url, NULL, NULL, &resp, e);
        if (r == 0 && resp.status != 202)
                r = berr_set(e, EIO, "starting the upload of %s: %s", b->digest,
                             reg_error_text(&resp, msg, sizeof(msg)));
        if (r == 0 && !resp.location[0])
                r = berr_set(e, EIO, "starting the upload of %s: the registry gave no Location",
                             b->digest);
        if (r < 0) {
                reg_resp_free(&resp);
                return r;
        }
        _cleanup_free_ char *put = NULL;
        const char *loc = resp.location;
        if (asprintf(&put, "%s%s%sdigest=%s", loc[0] == '/' ? s->base : "", loc,
                     strchr(loc, '?') ? "&" : "?", b->digest) < 0) {
                reg_resp_free(&resp);
                return berr_set(e, ENOMEM, "out of memory");
        }
        _cleanup_fclose_ FILE *f = b->path ? fopen(b->path, "re") : NULL;
        if (b->path && !f) {
                reg_resp_free(&resp);
                return berr_sys(e, errno, "reading %s", b->path);
        }
        struct reg_upload up = {.buf = b->buf, .len = b->size, .f = f};
        r = reg_request(s, "PUT", put, NULL, &up, &resp, e);
        if (r == 0 && resp.status != 201)
                r = berr_set(e, EIO, "uploading %s: %s", b->digest,
                             reg_error_text(&resp, msg, sizeof(msg)));
        if (r == 0 && out && label)
                fprintf(out, "%.12s: Pushed\n", b->digest + 7);
        reg_resp_free(&resp);
        return r;
}

static json_t *desc(const char *mt, const char *digest, uint64_t size)
{
        return json_pack("{s:s, s:s, s:I}", "mediaType", mt, "digest", digest, "size",
                         (json_int_t)size);
}

int registry_push(const struct berth_ctx *ctx, const char *ref, const struct registry_opts *o,
                  struct berr *e)
{
        struct registry_ref rr;
        int r = registry_ref_parse(ref, &rr, e);
        if (r < 0)
                return r;
        if (rr.digest[0])
                return berr_set(e, EINVAL, "push %s: push a tag, not a digest", ref);
        char id[72];
        r = image_find(ctx, ref, id, e);
        if (r < 0)
                return r;
        FILE *out = o->quiet ? NULL : o->out;
        if (out)
                fprintf(out, "The push refers to repository [%s/%s]\n", rr.domain, rr.repo);
        _cleanup_free_ char *json = NULL;
        size_t len = 0;
        if ((r = store_config_read(ctx->root, id, &json, &len, e)) < 0)
                return r;
        json_error_t je;
        json_t *cfg = json_loadb(json, len, 0, &je);
        json_t *ids = json_object_get(json_object_get(cfg, "rootfs"), "diff_ids");
        if (!json_is_array(ids)) {
                json_decref(cfg);
                return berr_set(e, EINVAL, "image %s: its config has no rootfs.diff_ids", id);
        }
        size_t n = json_array_size(ids);
        struct blob *blobs = calloc(n + 1, sizeof(*blobs));
        struct workdir work = WORKDIR_INIT;
        _cleanup_free_ char *newcfg = NULL;
        char *manifest = NULL;
        struct reg_session s = {0};
        bool changed = false;
        if (!blobs)
                r = berr_set(e, ENOMEM, "out of memory");
        if (r == 0)
                r = store_init(ctx->root, e);
        if (r == 0)
                r = store_mktemp(ctx->root, "push", &work, e);
        for (size_t i = 0; r == 0 && i < n; i++) {
                const char *d = json_string_value(json_array_get(ids, i));
                char tar_digest[72];
                if (!d || !sha256_digest_valid(d)) {
                        r = berr_set(e, EINVAL, "image %s: bad diff_id %zu", id, i);
                        break;
                }
                r = prepare_layer(ctx->root, work.path, i, d, &blobs[i], tar_digest, e);
                if (r == 0 && strcmp(tar_digest, d)) {
                        json_array_set_new(ids, i, json_string(tar_digest));
                        changed = true;
                }
                if (r == 0 && out)
                        fprintf(out, "%.12s: Preparing\n", blobs[i].digest + 7);
        }
        /* The config blob */
        if (r == 0) {
                newcfg = changed ? json_dumps(cfg, JSON_COMPACT | JSON_SORT_KEYS) : steal_ptr(json);
                if (!newcfg)
                        r = berr_set(e, ENOMEM, "out of memory");
                else {
                        blobs[n].buf = newcfg;
                        blobs[n].size = changed ? strlen(newcfg) : len;
                        sha256_buf(newcfg, blobs[n].size, blobs[n].digest);
                }
        }
        if (r == 0)
                r = reg_session_open(&s, rr.domain, rr.repo, true, NULL, NULL, o, e);
        for (size_t i = 0; r == 0 && i <= n; i++)
                r = upload_blob(&s, rr.repo, &blobs[i], i < n ? "layer" : NULL, out, e);
        if (r == 0) {
                json_t *layers = json_array();
                for (size_t i = 0; i < n; i++)
                        json_array_append_new(layers, desc(MT_OCI_LAYER "+gzip", blobs[i].digest,
                                                           blobs[i].size));
                json_t *m = json_pack("{s:i, s:s, s:o, s:o}", "schemaVersion", 2, "mediaType",
                                      MT_OCI_MANIFEST, "config",
                                      desc(MT_OCI_CONFIG, blobs[n].digest, blobs[n].size),
                                      "layers", layers);
                manifest = m ? json_dumps(m, JSON_COMPACT) : NULL;
                json_decref(m);
                if (!manifest)
                        r = berr_set(e, ENOMEM, "out of memory");
        }
        if (r == 0) {
                char url[800], msg[512], digest[72];
                snprintf(url, sizeof(url), "/v2/%s/manifests/%s", rr.repo, rr.tag);
                struct reg_resp resp = {0};
                struct reg_upload up = {.buf = manifest, .len = strlen(manifest),
                                        .ctype = MT_OCI_MANIFEST};
                r = reg_request(&s, "PUT", url, NULL, &up, &resp, e);
                if (r == 0 && resp.status != 201)
                        r = berr_set(e, EIO, "pushing the manifest of %s: %s", ref,
                                     reg_error_text(&resp, msg, sizeof(msg)));
                sha256_buf(manifest, strlen(manifest), digest);
                if (r == 0 && out)
                        fprintf(out, "%s: digest: %s size: %zu\n", rr.tag, digest,
                                strlen(manifest));
                reg_resp_free(&resp);
        }
        reg_session_close(&s);
        free(manifest);
        json_decref(cfg);
        for (size_t i = 0; blobs && i < n; i++)
                free(blobs[i].path);
        free(blobs);
        workdir_remove(&work, NULL);
        return r;
}
