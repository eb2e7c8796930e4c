/* `berth load`: a docker-archive (manifest.json + config + layer tars, as `docker save` and
 * `podman save` write) or an OCI image layout in a tar (oci-layout, index.json, blobs/sha256/,
 * as `skopeo copy ... oci-archive:` writes) into the store.
 *
 * One streaming pass copies the archive's files into a private work dir under images/tmp,
 * named by number (never by the archive's names, so no path in it can point anywhere) while
 * hashing each; manifests can come before or after the blobs they name. Then every image is
 * checked before any layer is unpacked: blob digests (OCI descriptors, and docker's
 * blobs/sha256 names), config digests, every tag and every layer a manifest names. Then the
 * layers are unpacked into work dirs, each diff_id checked against the config. Only when all of
 * it checked out are layers renamed into layers/, configs written and tags set, so a bad archive
 * leaves the store as it was (and a bad manifest costs no unpacking). */
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_JSON (64u << 20)

struct afile {
        char *name;       /* normalised path inside the archive */
        char *disk;       /* its copy in the work dir */
        char digest[72];
        uint64_t size;
        char *link;       /* symlink or hard link: normalised target; disk/digest filled later */
};

struct pending_layer {
        char diff_id[72];
        struct workdir tmp;
};

struct pending_image {
        char *config;
        size_t len;
        char **tags;           /* normalised, checked */
        struct afile **layers; /* bottom first */
        char **diff_ids;       /* the config's, one per layer */
};

struct load {
        const char *root;
        const char *src; /* for messages */
        struct workdir work;
        struct afile *files;
        size_t nfiles, capfiles;
        struct pending_layer *layers;
        size_t nlayers;
        struct pending_image *images;
        size_t nimages;
        char buf[64 * 1024];
};

/* "./a//b/" -> "a/b"; NULL for ".." or an absolute path. */
static char *norm_path(const char *p)
{
        if (p[0] == '/')
                return NULL;
        _cleanup_free_ char *copy = strdup(p);
        char *out = calloc(1, strlen(p) + 1);
        if (!copy || !out) {
                free(out);
                return NULL;
        }
        char *save = NULL;
        for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
                if (!strcmp(c, "."))
                        continue;
                if (!strcmp(c, "..")) {
                        free(out);
                        return NULL;
                }
                if (out[0])
                        strcat(out, "/");
                strcat(out, c);
        }
        return out;
}

static struct afile *find_file(struct load *L, const char *name)
{
        _cleanup_free_ char *n = norm_path(name);
        if (!n)
                return NULL;
        for (size_t i = 0; i < L->nfiles; i++)
                if (!strcmp(L->files[i].name, n))
                        return L->files[i].disk ? &L->files[i] : NULL;
        return NULL;
}

static struct afile *add_file(struct load *L, char *name)
{
        for (size_t i = 0; i < L->nfiles; i++)
                if (!strcmp(L->files[i].name, name)) {
                        free(name);
                        return NULL; /* a duplicate: the first one counts */
                }
        if (L->nfiles == L->capfiles) {
                size_t cap = L->capfiles ? 2 * L->capfiles : 64;
                struct afile *f = realloc(L->files, cap * sizeof(*f));
                if (!f) {
                        free(name);
                        return NULL;
                }
                L->files = f;
                L->capfiles = cap;
        }
        struct afile *f = &L->files[L->nfiles++];
        memset(f, 0, sizeof(*f));
        f->name = name;
        return f;
}

static int copy_entry(struct load *L, struct archive *a, struct afile *f, struct berr *e)
{
        if (asprintf(&f->disk, "%s/f%zu", L->work.path, L->nfiles) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_close_ int fd =
            open(f->disk, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return berr_sys(e, errno, "creating %s", f->disk);
        struct sha256 h;
        if (sha256_init(&h) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        la_ssize_t n;
        int r = 0;
        while ((n = archive_read_data(a, L->buf, sizeof(L->buf))) > 0) {
                sha256_update(&h, L->buf, (size_t)n);
                f->size += (uint64_t)n;
                for (ssize_t off = 0; off < n && r == 0;) {
                        ssize_t w = write(fd, L->buf + off, (size_t)(n - off));
                        if (w < 0)
                                r = berr_sys(e, errno, "writing %s", f->disk);
                        off += w;
                }
                if (r < 0)
                        break;
        }
        if (r == 0 && n < 0)
                r = berr_set(e, EINVAL, "reading %s: %s: %s", L->src, f->name,
                             archive_error_string(a));
        if (r < 0) {
                sha256_free(&h);
                return r;
        }
        sha256_final(&h, f->digest);
        return 0;
}

/* Symlinks and hard links of the outer archive (docker's old format links repeated layers)
 * become aliases of the file they name, resolved inside the archive only. */
static void resolve_links(struct load *L)
{
        for (int round = 0; round < 8; round++)
                for (size_t i = 0; i < L->nfiles; i++) {
                        struct afile *f = &L->files[i];
                        if (!f->link || f->disk)
                                continue;
                        struct afile *t = find_file(L, f->link);
                        if (t) {
                                f->disk = strdup(t->disk);
                                memcpy(f->digest, t->digest, sizeof(f->digest));
                                f->size = t->size;
                        }
                }
}

static int open_archive(struct load *L, struct archive **out, struct berr *e)
{
        struct archive *a = archive_read_new();
        if (!a)
                return berr_set(e, ENOMEM, "out of memory");
        archive_read_support_filter_gzip(a);
        archive_read_support_filter_bzip2(a);
        archive_read_support_filter_xz(a);
        archive_read_support_filter_zstd(a);
        archive_read_support_format_tar(a);
        int r = L->src == NULL ? archive_read_open_fd(a, 0, 64 * 1024)
                               : archive_read_open_filename(a, L->src, 64 * 1024);
        if (r != ARCHIVE_OK) {
                int err = archive_errno(a);
                r = berr_set(e, err > 0 ? err : EINVAL, "reading %s: %s", L->src ? L->src : "stdin",
                             archive_error_string(a));
                archive_read_free(a);
                return r;
        }
        *out = a;
        return 0;
}

static int extract(struct load *L, struct berr *e)
{
        struct archive *a = NULL;
        int r = open_archive(L, &a, e);
        if (r < 0)
                return r;
        const char *src = L->src ? L->src : "stdin";
        struct archive_entry *ent;
        int rr;
        size_t entries = 0;
        while (r == 0 && (rr = archive_read_next_header(a, &ent)) != ARCHIVE_EOF) {
                if (rr != ARCHIVE_OK && rr != ARCHIVE_WARN) {
                        r = berr_set(e, EINVAL, "reading %s: %s%s", src, archive_error_string(a),
                                     entries ? "" : " (not a docker-archive or OCI layout tar?)");
                        break;
                }
                entries++;
                const char *name = archive_entry_pathname(ent);
                mode_t type = archive_entry_filetype(ent);
                const char *hl = archive_entry_hardlink(ent);
                if (!name)
                        continue;
                if (type != AE_IFREG && type != AE_IFLNK && !hl)
                        continue;
                char *n = norm_path(name);
                if (!n) {
                        r = berr_set(e, EINVAL, "reading %s: entry %s is outside the archive",
                                     src, name);
                        break;
                }
                struct afile *f = add_file(L, n);
                if (!f)
                        continue;
                if (hl || type == AE_IFLNK) {
                        const char *t = hl ? hl : archive_entry_symlink(ent);
                        _cleanup_free_ char *joined = NULL;
                        const char *slash = strrchr(n, '/');
                        if (!t)
                                continue;
                        if (!hl && slash && t[0] != '/') /* symlinks are relative to their dir */
                                r = asprintf(&joined, "%.*s/%s", (int)(slash - n), n, t) < 0 ? -ENOMEM : 0;
                        f->link = joined ? steal_ptr(joined) : strdup(t[0] == '/' ? "/" : t);
                        continue;
                }
                r = copy_entry(L, a, f, e);
        }
        archive_read_free(a);
        if (r == 0 && entries == 0)
                r = berr_set(e, EINVAL, "reading %s: the archive is empty", src);
        if (r == 0)
                resolve_links(L);
        return r;
}

static int read_small(struct load *L, struct afile *f, char **out, size_t *len, struct berr *e)
{
        if (f->size > MAX_JSON)
                return berr_set(e, EFBIG, "%s: %s is too large (%llu bytes)", L->src ? L->src : "stdin",
                                f->name, (unsigned long long)f->size);
        return read_file(f->disk, out, len, e);
}

static const char *blob_name(const char *digest, char buf[96])
{
        snprintf(buf, 96, "blobs/sha256/%s", digest + 7);
        return buf;
}

static struct pending_layer *pending_find(struct load *L, const char *diff_id)
{
        for (size_t i = 0; i < L->nlayers; i++)
                if (!strcmp(L->layers[i].diff_id, diff_id))
                        return &L->layers[i];
        return NULL;
}

static bool store_has_layer(const char *root, const char *diff_id)
{
        _cleanup_free_ char *dir = store_layer_dir(root, diff_id);
        struct stat st;
        return dir && stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Unpacks one layer unless the store or this load already has it; checks its diff_id. */
static int stage_layer(struct load *L, struct afile *f, const char *want, size_t idx,
                       struct berr *e)
{
        if (pending_find(L, want) || store_has_layer(L->root, want))
                return 0;
        struct workdir tmp;
        char got[72];
        int r = store_layer_unpack_tmp(L->root, f->disk, &tmp, got, e);
        if (r < 0) {
                /* The message names our work copy: name the archive's file instead. */
                char *at = e ? strstr(e->msg, f->disk) : NULL;
                if (at) {
                        char rest[sizeof(e->msg)];
                        snprintf(rest, sizeof(rest), "%s", at + strlen(f->disk));
                        snprintf(at, sizeof(e->msg) - (size_t)(at - e->msg), "%s%s", f->name, rest);
                }
                return berr_wrap(e, "layer %zu", idx);
        }
        if (strcmp(got, want) != 0) {
                workdir_remove(&tmp, NULL);
                return berr_set(e, EINVAL,
                                "layer %zu (%s): its content has digest %s but the image config "
                                "says %s",
                                idx, f->name, got, want);
        }
        struct pending_layer *p = realloc(L->layers, (L->nlayers + 1) * sizeof(*p));
        if (!p) {
                workdir_remove(&tmp, NULL);
                return berr_set(e, ENOMEM, "out of memory");
        }
        L->layers = p;
        snprintf(p[L->nlayers].diff_id, 72, "%s", want);
        p[L->nlayers++].tmp = tmp;
        return 0;
}

/* A tag as publish sets it: normalised, and no image id posing as one. */
static int tag_check(const char *tag, char name[256], struct berr *e)
{
        int r = image_ref_normalize(tag, name, 256, e);
        if (r < 0)
                return r;
        if (!strncmp(name, "sha256:", 7))
                return berr_set(e, EINVAL, "cannot use an image id as a tag: %s", tag);
        return 0;
}

/* Common to both formats: checks an image (its config, layer count and tags) and queues it;
 * nothing is unpacked yet. Takes config and layers (the files, bottom first) in every case. */
static int stage_image(struct load *L, char *config, size_t len, struct afile **layers,
                       size_t nlayers, char *const *tags, struct berr *e)
{
        struct image img = {0};
        char **diff_ids = NULL, **names = calloc(1, sizeof(char *));
        int r = names ? image_config_parse(config, len, &img, &diff_ids, e)
                      : berr_set(e, ENOMEM, "out of memory");
        image_release(&img);
        if (r == 0 && strv_len(diff_ids) != nlayers)
                r = berr_set(e, EINVAL, "the manifest names %zu layers but the image config has %zu",
                             nlayers, strv_len(diff_ids));
        for (size_t k = 0; r == 0 && tags && tags[k]; k++) {
                char name[256];
                if ((r = tag_check(tags[k], name, e)) == 0 && strv_push(&names, name) < 0)
                        r = berr_set(e, ENOMEM, "out of memory");
        }
        struct pending_image *p =
            r == 0 ? realloc(L->images, (L->nimages + 1) * sizeof(*p)) : NULL;
        if (r == 0 && !p)
                r = berr_set(e, ENOMEM, "out of memory");
        if (r < 0) {
                free(config);
                free(layers);
                strv_free(diff_ids);
                strv_free(names);
                return r;
        }
        L->images = p;
        p[L->nimages++] = (struct pending_image){config, len, names, layers, diff_ids};
        return 0;
}

/* Once every manifest checked out: each image's layers, unpacked and checked. */
static int stage_layers(struct load *L, struct berr *e)
{
        int r = 0;
        for (size_t i = 0; r == 0 && i < L->nimages; i++) {
                struct pending_image *p = &L->images[i];
                for (size_t k = 0; r == 0 && p->diff_ids[k]; k++)
                        r = stage_layer(L, p->layers[k], p->diff_ids[k], k, e);
        }
        return r;
}

/* docker: Config "<hex>.json" or "blobs/sha256/<hex>" is named by its digest; check it. */
static int check_named_digest(const struct afile *f, struct berr *e)
{
        const char *base = strrchr(f->name, '/');
        base = base ? base + 1 : f->name;
        size_t n = strlen(base);
        if ((n == 64 || (n == 69 && !strcmp(base + 64, ".json"))) &&
            strspn(base, "0123456789abcdef") == 64 && strncmp(base, f->digest + 7, 64) != 0)
                return berr_set(e, EINVAL, "%s: digest mismatch: the file's content has digest %s",
                                f->name, f->digest);
        return 0;
}

static int load_docker(struct load *L, struct afile *mf, struct berr *e)
{
        _cleanup_free_ char *json = NULL;
        size_t len = 0;
        int r = read_small(L, mf, &json, &len, e);
        struct docker_manifest_entry *m = NULL;
        size_t n = 0;
        if (r == 0)
                r = docker_manifest_parse(json, len, &m, &n, e);
        for (size_t i = 0; r == 0 && i < n; i++) {
                struct afile *cf = find_file(L, m[i].config);
                if (!cf) {
                        r = berr_set(e, ENOENT, "manifest.json names %s, which is not in the archive",
                                     m[i].config);
                        break;
                }
                char *config = NULL;
                size_t clen = 0;
                if ((r = check_named_digest(cf, e)) < 0 ||
                    (r = read_small(L, cf, &config, &clen, e)) < 0)
                        break;
                size_t nl = strv_len(m[i].layers);
                struct afile **lf = calloc(nl + 1, sizeof(*lf));
                if (!lf) {
                        free(config);
                        r = berr_set(e, ENOMEM, "out of memory");
                        break;
                }
                for (size_t k = 0; r == 0 && k < nl; k++) {
                        lf[k] = find_file(L, m[i].layers[k]);
                        if (!lf[k])
                                r = berr_set(e, ENOENT,
                                             "manifest.json names layer %s, which is not in the archive",
                                             m[i].layers[k]);
                        else
                                r = check_named_digest(lf[k], e);
                }
                if (r == 0) {
                        r = stage_image(L, config, clen, lf, nl, m[i].tags, e);
                } else {
                        free(config);
                        free(lf);
                }
        }
        docker_manifest_free(m, n);
        return r;
}

/* A blob named by a descriptor: present, of that size and digest. */
static int oci_blob(struct load *L, const struct oci_desc *d, struct afile **out, struct berr *e)
{
        char b[96];
        struct afile *f = find_file(L, blob_name(d->digest, b));
        if (!f)
                return berr_set(e, ENOENT, "blob %s is missing from the archive", d->digest);
        if (strcmp(f->digest, d->digest) != 0)
                return berr_set(e, EINVAL, "blob %s: digest mismatch (its content has digest %s)",
                                d->digest, f->digest);
        if ((uint64_t)d->size != f->size)
                return berr_set(e, EINVAL, "blob %s: size mismatch (%llu bytes, descriptor says %lld)",
                                d->digest, (unsigned long long)f->size, (long long)d->size);
        *out = f;
        return 0;
}

static int oci_image(struct load *L, const struct oci_desc *md, const char *ref, struct berr *e)
{
        struct afile *mf = NULL, *cf = NULL;
        _cleanup_free_ char *json = NULL;
        size_t len = 0, nl = 0;
        struct oci_desc cfg = {0}, *layers = NULL;
        int r = oci_blob(L, md, &mf, e);
        if (r == 0)
                r = read_small(L, mf, &json, &len, e);
        if (r == 0)
                r = oci_manifest_parse(json, len, &cfg, &layers, &nl, e);
        if (r == 0)
                r = oci_blob(L, &cfg, &cf, e);
        struct afile **lf = r == 0 ? calloc(nl + 1, sizeof(*lf)) : NULL;
        if (r == 0 && !lf)
                r = berr_set(e, ENOMEM, "out of memory");
        for (size_t i = 0; r == 0 && i < nl; i++)
                r = oci_blob(L, &layers[i], &lf[i], e);
        char *config = NULL;
        size_t clen = 0;
        if (r == 0)
                r = read_small(L, cf, &config, &clen, e);
        char *tags[2] = {(char *)ref, NULL};
        char name[256];
        /* A bare tag ("latest", as umoci writes) names no repository: the image stays untagged. */
        if (ref && (!strpbrk(ref, ":/") || image_ref_normalize(ref, name, sizeof(name), NULL) < 0))
                tags[0] = NULL;
        if (r == 0)
                r = stage_image(L, config, clen, lf, nl, tags, e); /* takes lf */
        else
                free(lf);
        oci_desc_free(layers, nl);
        free(cfg.media_type);
        free(cfg.digest);
        free(cfg.ref_name);
        free(cfg.arch);
        free(cfg.os);
        return r;
}

static bool platform_ok(const struct oci_desc *d, const char *arch)
{
        return (!d->os || !strcmp(d->os, "linux")) && (!d->arch || !strcmp(d->arch, arch));
}

static int oci_descs(struct load *L, struct oci_desc *d, size_t n, const char *ref, int depth,
                     struct berr *e);

static int oci_one(struct load *L, struct oci_desc *d, const char *ref, int depth, struct berr *e)
{
        const char *mt = d->media_type ? d->media_type : MT_OCI_MANIFEST;
        if (!strcmp(mt, MT_OCI_MANIFEST) || !strcmp(mt, MT_DOCKER_MANIFEST))
                return oci_image(L, d, ref, e);
        if (strcmp(mt, MT_OCI_INDEX) && strcmp(mt, MT_DOCKER_LIST))
                return berr_set(e, EINVAL, "index.json: %s has unknown media type %s", d->digest, mt);
        if (depth > 4)
                return berr_set(e, EINVAL, "index.json: indexes nested too deep");
        struct afile *f = NULL;
        _cleanup_free_ char *json = NULL;
        size_t len = 0, n = 0;
        struct oci_desc *sub = NULL;
        int r = oci_blob(L, d, &f, e);
        if (r == 0)
                r = read_small(L, f, &json, &len, e);
        if (r == 0)
                r = oci_index_parse(json, len, &sub, &n, e);
        if (r == 0)
                r = oci_descs(L, sub, n, ref, depth + 1, e);
        oci_desc_free(sub, n);
        return r;
}

/* In a nested index (a multi-platform image) only this host's platform is loaded. */
static int oci_descs(struct load *L, struct oci_desc *d, size_t n, const char *ref, int depth,
                     struct berr *e)
{
        const char *arch = image_host_arch();
        size_t done = 0;
        for (size_t i = 0; i < n; i++) {
                if (depth > 0 && !platform_ok(&d[i], arch))
                        continue;
                int r = oci_one(L, &d[i], d[i].ref_name ? d[i].ref_name : ref, depth, e);
                if (r < 0)
                        return r;
                done++;
                if (depth > 0)
                        break;
        }
        if (done == 0)
                return berr_set(e, ENOENT, depth ? "no image for linux/%s in the archive"
                                                 : "index.json lists no image%s", depth ? arch : "");
        return 0;
}

static int load_oci(struct load *L, struct afile *idx, struct berr *e)
{
        _cleanup_free_ char *json = NULL;
        size_t len = 0, n = 0;
        struct oci_desc *d = NULL;
        int r = read_small(L, idx, &json, &len, e);
        if (r == 0)
                r = oci_index_parse(json, len, &d, &n, e);
        if (r == 0)
                r = oci_descs(L, d, n, NULL, 0, e);
        oci_desc_free(d, n);
        return r;
}

static int publish(struct load *L, char ***loaded, struct berr *e)
{
        int r = 0;
        for (size_t i = 0; r == 0 && i < L->nlayers; i++)
                r = store_layer_publish(L->root, &L->layers[i].tmp, L->layers[i].diff_id, e);
        for (size_t i = 0; r == 0 && i < L->nimages; i++) {
                struct pending_image *p = &L->images[i];
                char id[72];
                r = image_config_store(L->root, p->config, p->len, id, e);
                for (size_t k = 0; r == 0 && p->tags[k]; k++) {
                        r = image_tag(L->root, p->tags[k], id, e);
                        if (r == 0 && strv_push(loaded, p->tags[k]) < 0)
                                r = berr_set(e, ENOMEM, "out of memory");
                }
                if (r == 0 && !p->tags[0] && strv_push(loaded, id) < 0)
                        r = berr_set(e, ENOMEM, "out of memory");
        }
        return r;
}

static void load_free(struct load *L)
{
        for (size_t i = 0; i < L->nfiles; i++) {
                free(L->files[i].name);
                free(L->files[i].disk);
                free(L->files[i].link);
        }
        free(L->files);
        for (size_t i = 0; i < L->nlayers; i++)
                workdir_remove(&L->layers[i].tmp, NULL); /* empty once published */
        free(L->layers);
        for (size_t i = 0; i < L->nimages; i++) {
                free(L->images[i].config);
                strv_free(L->images[i].tags);
                free(L->images[i].layers);
                strv_free(L->images[i].diff_ids);
        }
        free(L->images);
        workdir_remove(&L->work, NULL);
        free(L);
}

int image_load(const char *root, const char *path, char ***loaded, struct berr *e)
{
        *loaded = calloc(1, sizeof(char *));
        struct load *L = calloc(1, sizeof(*L));
        if (!L || !*loaded) {
                free(L);
                return berr_set(e, ENOMEM, "out of memory");
        }
        L->root = root;
        L->src = path && strcmp(path, "-") ? path : NULL;
        int r = store_init(root, e);
        L->work = (struct workdir)WORKDIR_INIT;
        if (r == 0)
                r = store_mktemp(root, "load", &L->work, e);
        if (r == 0)
                r = extract(L, e);
        if (r == 0) {
                struct afile *mf = find_file(L, "manifest.json");
                struct afile *idx = find_file(L, "index.json");
                if (mf)
                        r = load_docker(L, mf, e);
                else if (idx && find_file(L, "oci-layout"))
                        r = load_oci(L, idx, e);
                else
                        r = berr_set(e, EINVAL,
                                     "%s is neither a docker-archive (no manifest.json) nor an OCI "
                                     "image layout (no oci-layout and index.json)",
                                     L->src ? L->src : "stdin");
        }
        if (r == 0)
                r = stage_layers(L, e);
        if (r == 0)
                r = publish(L, loaded, e);
        else
                berr_wrap(e, "loading %s", L->src ? L->src : "stdin");
        load_free(L);
        return r;
}
