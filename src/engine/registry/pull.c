/* `pull`: manifest -> config -> the missing layers, several at once; see registry.h. */
#include "engine/context.h"
#include "engine/image/image.h"
#include "engine/image/image_manifest.h"
#include "engine/image/image_store.h"
#include "engine/registry/registry.h"
#include "engine/registry/registry_http.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/humanize.h"
#include "util/sha256.h"
#include "util/strv.h"
#include "util/workdir.h"

#include <fcntl.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MANIFEST_MAX (4u << 20)
#define CONFIG_MAX (16u << 20)
#define PARALLEL 4

#define ACCEPT_ALL                                                                                 \
        MT_OCI_INDEX ", " MT_OCI_MANIFEST ", " MT_DOCKER_LIST ", " MT_DOCKER_MANIFEST

enum lstate { L_WAIT, L_EXISTS, L_DOWNLOADING, L_DONE, L_FAILED };

struct layer {
        struct oci_desc *d;
        const char *diff_id;
        enum lstate state;
        int dup_of; /* -1, or the index of the same blob earlier in the manifest */
        char *path;
        int fd;
        struct sha256 h;
        bool h_init;
        uint64_t got;
        CURL *easy;
        struct curl_slist *hdrs;
        char err[CURL_ERROR_SIZE]; /* curl's own message (CURLOPT_ERRORBUFFER) */
        /* Why on_layer_data refused the data: curl overwrites err with "Failure writing output
         * to destination" once the callback returns 0, so the cause (ENOSPC...) is kept here. */
        char why[CURL_ERROR_SIZE];
        char status_line[160];
};

struct pull {
        const struct berth_ctx *ctx;
        const struct registry_opts *o;
        struct reg_session s;
        struct registry_ref ref;
        struct layer *layers;
        size_t n;
        struct workdir work;
        int drawn; /* lines of the tty display */
        struct timespec last_draw;
};

static void say(struct pull *P, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct pull *P, const char *fmt, ...)
{
        if (!P->o->out || P->o->quiet)
                return;
        va_list ap;
        va_start(ap, fmt);
        vfprintf(P->o->out, fmt, ap);
        va_end(ap);
        fflush(P->o->out);
}

static const char *short_id(const char *digest)
{
        static __thread char buf[16];
        snprintf(buf, sizeof(buf), "%.12s", digest + 7);
        return buf;
}

/* Per-layer status: on a tty every line is redrawn in place; otherwise one plain line per
 * change of state ("<id>: Pull complete"), none for the byte counts. */
static void status(struct pull *P, size_t i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void status(struct pull *P, size_t i, const char *fmt, ...)
{
        struct layer *l = &P->layers[i];
        char text[120];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(text, sizeof(text), fmt, ap);
        va_end(ap);
        snprintf(l->status_line, sizeof(l->status_line), "%s: %s", short_id(l->d->digest), text);
        if (!P->o->tty)
                say(P, "%s\n", l->status_line);
}

static void draw(struct pull *P, bool force)
{
        if (!P->o->tty || !P->o->out || P->o->quiet)
                return;
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long ms = (now.tv_sec - P->last_draw.tv_sec) * 1000 +
                  (now.tv_nsec - P->last_draw.tv_nsec) / 1000000;
        if (!force && ms < 100)
                return;
        P->last_draw = now;
        FILE *f = P->o->out;
        if (P->drawn)
                fprintf(f, "\033[%dA", P->drawn);
        P->drawn = 0;
        for (size_t i = 0; i < P->n; i++) {
                struct layer *l = &P->layers[i];
                if (l->dup_of >= 0)
                        continue;
                if (l->state == L_DOWNLOADING) {
                        char a[32], b[32];
                        format_bytes_decimal(l->got, 1, a, sizeof(a));
                        format_bytes_decimal((uint64_t)l->d->size, 1, b, sizeof(b));
                        snprintf(l->status_line, sizeof(l->status_line), "%s: Downloading %s/%s",
                                 short_id(l->d->digest), a, b);
                }
                fprintf(f, "\033[2K%s\n", l->status_line);
                P->drawn++;
        }
        fflush(f);
}

static int fetch_small(struct pull *P, const char *what, const char *url, const char *accept,
                       size_t max, struct reg_resp *resp, struct berr *e)
{
        resp->max = max;
        int r = reg_request(&P->s, "GET", url, accept, NULL, resp, e);
        if (r < 0)
                return r;
        if (resp->status == 404) {
                char msg[512];
                reg_error_text(resp, msg, sizeof(msg));
                if (!strcmp(what, "manifest"))
                        return berr_set(e, ENOENT, "manifest unknown: %s%s%s%s%s", P->ref.local,
                                        P->ref.explicit_domain ? "" : " on ",
                                        P->ref.explicit_domain ? "" : P->ref.domain,
                                        strcmp(msg, "manifest unknown") ? ": " : "",
                                        strcmp(msg, "manifest unknown") ? msg : "");
                return berr_set(e, ENOENT, "%s of %s not found in the registry: %s", what,
                                P->ref.local, msg);
        }
        if (resp->status != 200) {
                char msg[512];
                return berr_set(e, EIO, "fetching the %s of %s: %s", what, P->ref.local,
                                reg_error_text(resp, msg, sizeof(msg)));
        }
        return 0;
}

static bool is_index(const char *mt)
{
        return mt && (!strncmp(mt, MT_OCI_INDEX, strlen(MT_OCI_INDEX)) ||
                      !strncmp(mt, MT_DOCKER_LIST, strlen(MT_DOCKER_LIST)));
}

/* The media type of a manifest: its mediaType field, else the Content-Type. */
static void media_type_of(const struct reg_resp *r, char *out, size_t n)
{
        json_error_t je;
        json_t *j = json_loadb(r->body, r->len, 0, &je);
        const char *mt = json_string_value(json_object_get(j, "mediaType"));
        if (!mt && json_object_get(j, "manifests"))
                mt = MT_OCI_INDEX;
        snprintf(out, n, "%s", mt ? mt : r->ctype);
        char *semi = strchr(out, ';');
        if (semi)
                *semi = '\0';
        json_decref(j);
}

/* Fetches the image manifest (through an index if the reference names one). */
static int fetch_manifest(struct pull *P, struct reg_resp *m, char top_digest[72],
                          struct berr *e)
{
        char url[800];
        snprintf(url, sizeof(url), "/v2/%s/manifests/%s", P->ref.repo,
                 P->ref.digest[0] ? P->ref.digest : P->ref.tag);
        int r = fetch_small(P, "manifest", url, ACCEPT_ALL, MANIFEST_MAX, m, e);
        if (r < 0)
                return r;
        sha256_buf(m->body ? m->body : "", m->len, top_digest);
        if (P->ref.digest[0] && strcmp(top_digest, P->ref.digest))
                return berr_set(e, EIO, "manifest of %s has digest %s, not the one asked for",
                                P->ref.local, top_digest);
        char mt[160];
        media_type_of(m, mt, sizeof(mt));
        if (!is_index(mt))
                return 0;
        char digest[72], mmt[160];
        r = registry_index_pick(m->body, m->len, P->o->platform, digest, mmt, sizeof(mmt), e);
        if (r < 0)
                return berr_wrap(e, "%s", P->ref.local);
        snprintf(url, sizeof(url), "/v2/%s/manifests/%s", P->ref.repo, digest);
        r = fetch_small(P, "manifest", url, ACCEPT_ALL, MANIFEST_MAX, m, e);
        if (r < 0)
                return r;
        char got[72];
        sha256_buf(m->body ? m->body : "", m->len, got);
        if (strcmp(got, digest))
                return berr_set(e, EIO, "manifest %s of %s: the registry sent content with digest %s",
                                digest, P->ref.local, got);
        media_type_of(m, mt, sizeof(mt));
        if (is_index(mt))
                return berr_set(e, EINVAL, "%s: an index inside an index is not supported",
                                P->ref.local);
        return 0;
}

static size_t on_layer_data(char *buf, size_t size, size_t nmemb, void *ud)
{
        struct layer *l = ud;
        size_t n = size * nmemb;
        if (l->d->size > 0 && l->got + n > (uint64_t)l->d->size) {
                snprintf(l->why, sizeof(l->why), "the registry sent more than the %lld bytes "
                         "the manifest gives", (long long)l->d->size);
                return 0;
        }
        for (size_t off = 0; off < n;) {
                ssize_t w = write(l->fd, buf + off, n - off);
                if (w < 0) {
                        snprintf(l->why, sizeof(l->why), "writing %s: %s", l->path,
                                 strerror(errno));
                        return 0;
                }
                off += (size_t)w;
        }
        sha256_update(&l->h, buf, n);
        l->got += n;
        return n;
}

static int layer_start(struct pull *P, CURLM *multi, size_t i, struct berr *e)
{
        struct layer *l = &P->layers[i];
        if (asprintf(&l->path, "%s/%s", P->work.path, l->d->digest + 7) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        l->fd = open(l->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (l->fd < 0)
                return berr_sys(e, errno, "creating %s", l->path);
        if (sha256_init(&l->h) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        l->h_init = true;
        char url[800];
        snprintf(url, sizeof(url), "/v2/%s/blobs/%s", P->ref.repo, l->d->digest);
        if (!(l->easy = reg_easy(&P->s, url, NULL, &l->hdrs, e)))
                return e ? e->code : -ENOMEM;
        const struct curl_api *C = P->s.C;
        C->easy_setopt(l->easy, CURLOPT_HTTPHEADER, l->hdrs);
        C->easy_setopt(l->easy, CURLOPT_WRITEFUNCTION, on_layer_data);
        C->easy_setopt(l->easy, CURLOPT_WRITEDATA, l);
        C->easy_setopt(l->easy, CURLOPT_ERRORBUFFER, l->err);
        C->easy_setopt(l->easy, CURLOPT_PRIVATE, l);
        C->easy_setopt(l->easy, CURLOPT_FAILONERROR, 1L);
        C->multi_add_handle(multi, l->easy);
        l->state = L_DOWNLOADING;
        if (P->o->tty)
                status(P, i, "Downloading");
        return 0;
}

/* A finished download: status, size, digest; then unpack, check the diff_id, publish. */
static int layer_finish(struct pull *P, size_t i, CURLcode cc, struct berr *e)
{
        struct layer *l = &P->layers[i];
        const struct curl_api *C = P->s.C;
        long status_code = 0;
        C->easy_getinfo(l->easy, CURLINFO_RESPONSE_CODE, &status_code);
        close(l->fd);
        l->fd = -1;
        char digest[72];
        sha256_final(&l->h, digest);
        l->h_init = false;
        l->state = L_FAILED;
        if (cc != CURLE_OK)
                return berr_set(e, EIO, "downloading layer %s of %s: %s", l->d->digest,
                                P->ref.local,
                                l->why[0] ? l->why : l->err[0] ? l->err : C->easy_strerror(cc));
        if (l->d->size > 0 && l->got != (uint64_t)l->d->size)
                return berr_set(e, EIO,
                                "downloading layer %s of %s: got %llu bytes of %lld (the "
                                "connection was cut?)",
                                l->d->digest, P->ref.local, (unsigned long long)l->got,
                                (long long)l->d->size);
        if (strcmp(digest, l->d->digest))
                return berr_set(e, EIO,
                                "layer %s of %s: digest mismatch: the registry sent content with "
                                "digest %s",
                                l->d->digest, P->ref.local, digest);
        status(P, i, "Download complete");
        draw(P, true);
        struct workdir tmp;
        char diff_id[72];
        int r = store_layer_unpack_tmp(P->ctx->root, l->path, &tmp, diff_id, e);
        unlink(l->path);
        if (r < 0)
                return berr_wrap(e, "layer %s of %s", l->d->digest, P->ref.local);
        if (strcmp(diff_id, l->diff_id)) {
                workdir_remove(&tmp, NULL);
                return berr_set(e, EIO,
                                "layer %s of %s: its content has diff_id %s, the config says %s",
                                l->d->digest, P->ref.local, diff_id, l->diff_id);
        }
        r = store_layer_publish(P->ctx->root, &tmp, diff_id, e);
        workdir_remove(&tmp, NULL); /* empty once published */
        if (r < 0)
                return r;
        l->state = L_DONE;
        status(P, i, "Pull complete");
        draw(P, true);
        return 0;
}

static bool layer_present(struct pull *P, const char *diff_id)
{
        _cleanup_free_ char *dir = store_layer_dir(P->ctx->root, diff_id);
        struct stat st;
        return dir && stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

static int download_layers(struct pull *P, struct berr *e)
{
        const struct curl_api *C = P->s.C;
        CURLM *multi = C->multi_init();
        if (!multi)
                return berr_set(e, ENOMEM, "out of memory");
        size_t next = 0, active = 0;
        int r = 0;
        for (;;) {
                while (r == 0 && active < PARALLEL && next < P->n) {
                        if (P->layers[next].state == L_WAIT && P->layers[next].dup_of < 0) {
                                r = layer_start(P, multi, next, e);
                                active++;
                        }
                        next++;
                }
                if (r < 0 || active == 0)
                        break;
                int running = 0;
                C->multi_perform(multi, &running);
                CURLMsg *msg;
                int left;
                while (r == 0 && (msg = C->multi_info_read(multi, &left))) {
                        if (msg->msg != CURLMSG_DONE)
                                continue;
                        struct layer *l = NULL;
                        C->easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&l);
                        CURLcode cc = msg->data.result;
                        r = layer_finish(P, (size_t)(l - P->layers), cc, e);
                        C->multi_remove_handle(multi, l->easy);
                        C->easy_cleanup(l->easy);
                        C->slist_free_all(l->hdrs);
                        l->easy = NULL;
                        l->hdrs = NULL;
                        active--;
                }
                if (r < 0)
                        break;
                draw(P, false);
                if (running)
                        C->multi_poll(multi, NULL, 0, 200, NULL);
        }
        for (size_t i = 0; i < P->n; i++) {
                struct layer *l = &P->layers[i];
                if (l->easy) {
                        C->multi_remove_handle(multi, l->easy);
                        C->easy_cleanup(l->easy);
                        C->slist_free_all(l->hdrs);
                        l->easy = NULL;
                }
                if (l->fd >= 0)
                        close(l->fd);
                l->fd = -1;
                if (l->h_init)
                        sha256_free(&l->h);
                l->h_init = false;
        }
        C->multi_cleanup(multi);
        draw(P, true);
        return r;
}

static int pull_image(struct pull *P, char id_out[72], struct berr *e)
{
        struct reg_resp m = {0}, c = {0};
        struct oci_desc config = {0};
        struct oci_desc *descs = NULL;
        size_t n = 0;
        char **diff_ids = NULL;
        char top[72], cdigest[72];
        struct image img = {0};
        int r = fetch_manifest(P, &m, top, e);
        if (r == 0)
                r = oci_manifest_parse(m.body, m.len, &config, &descs, &n, e);
        if (r == 0) {
                char url[800];
                snprintf(url, sizeof(url), "/v2/%s/blobs/%s", P->ref.repo, config.digest);
                r = fetch_small(P, "config", url, NULL, CONFIG_MAX, &c, e);
        }
        if (r == 0 && (sha256_buf(c.body ? c.body : "", c.len, cdigest), strcmp(cdigest, config.digest)))
                r = berr_set(e, EIO, "config %s of %s: digest mismatch (got %s)", config.digest,
                             P->ref.local, cdigest);
        if (r == 0)
                r = image_config_parse(c.body, c.len, &img, &diff_ids, e);
        if (r == 0 && strv_len(diff_ids) != n)
                r = berr_set(e, EINVAL, "%s: the manifest has %zu layers, the config %zu diff_ids",
                             P->ref.local, n, strv_len(diff_ids));
        if (r == 0 && !(P->layers = calloc(n, sizeof(*P->layers))))
                r = berr_set(e, ENOMEM, "out of memory");
        if (r == 0) {
                P->n = n;
                for (size_t i = 0; i < n; i++) {
                        struct layer *l = &P->layers[i];
                        l->d = &descs[i];
                        l->diff_id = diff_ids[i];
                        l->fd = -1;
                        l->dup_of = -1;
                        for (size_t k = 0; k < i; k++)
                                if (!strcmp(descs[k].digest, descs[i].digest))
                                        l->dup_of = (int)k;
                        if (l->dup_of >= 0)
                                continue;
                        if (layer_present(P, diff_ids[i])) {
                                l->state = L_EXISTS;
                                status(P, i, "Already exists");
                        } else {
                                status(P, i, "Pulling fs layer");
                        }
                }
                draw(P, true);
        }
        if (r == 0)
                r = store_init(P->ctx->root, e);
        if (r == 0)
                r = store_mktemp(P->ctx->root, "pull", &P->work, e);
        if (r == 0)
                r = download_layers(P, e);
        if (r == 0)
                r = image_config_store(P->ctx->root, c.body, c.len, id_out, e);
        if (r == 0)
                r = image_tag(P->ctx->root, P->ref.local, id_out, e);
        if (r == 0)
                say(P, "Digest: %s\n", top);
        image_release(&img);
        strv_free(diff_ids);
        oci_desc_free(descs, n);
        free(config.media_type);
        free(config.digest);
        free(config.ref_name);
        free(config.arch);
        free(config.os);
        reg_resp_free(&m);
        reg_resp_free(&c);
        return r;
}

int registry_pull(const struct berth_ctx *ctx, const char *ref, const struct registry_opts *o,
                  char id_out[72], struct berr *e)
{
        struct pull P = {.ctx = ctx, .o = o, .work = WORKDIR_INIT};
        int r = registry_ref_parse(ref, &P.ref, e);
        if (r < 0)
                return r;
        if (P.ref.digest[0])
                say(&P, "%s: Pulling from %s\n", P.ref.digest, P.ref.repo);
        else
                say(&P, "%s: Pulling from %s\n", P.ref.tag, P.ref.repo);
        r = reg_session_open(&P.s, P.ref.domain, P.ref.repo, false, NULL, NULL, o, e);
        if (r == 0)
                r = pull_image(&P, id_out, e);
        if (r == 0)
                say(&P, "Status: Downloaded image for %s\n", P.ref.local);
        for (size_t i = 0; i < P.n; i++)
                free(P.layers[i].path);
        free(P.layers);
        workdir_remove(&P.work, NULL);
        reg_session_close(&P.s);
        return r;
}

int image_resolve_or_pull(const struct berth_ctx *ctx, const char *ref, struct image *out,
                          struct berr *e)
{
        int r = image_resolve(ctx->root, ctx->datadir, ref, out, e);
        if (r != -ENOENT || !registry_ref_pullable(ref))
                return r;
        /* As docker's run: the pull's output goes where the CLI said (stderr). */
        if (ctx->progress)
                fprintf(ctx->progress, "Unable to find image '%s' locally\n", ref);
        struct registry_opts o = {.tls_verify = -1, .out = ctx->progress,
                                  .tty = ctx->progress && isatty(fileno(ctx->progress)) == 1};
        char id[72];
        r = registry_pull(ctx, ref, &o, id, e);
        if (r < 0)
                return r;
        return image_resolve(ctx->root, ctx->datadir, ref, out, e);
}
