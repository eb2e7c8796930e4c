/* The on-disk image store: directories, the writers' lock, blobs, layers, repositories.json.
 * Readers take no lock: every file and layer dir appears by rename, whole or not at all.
 * Writers that replace shared names (repositories.json, layers/<hex>) hold <root>/images/lock,
 * so two berth processes importing into one fresh store do not lose each other's tags. */
#include "engine/image/image_store.h"
#include "engine/image/image.h"
#include "engine/image/image_ops.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/flock_wait.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/strv.h"
#include "util/workdir.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

char *store_path(const char *root, const char *rel)
{
        char *p = NULL;
        if (asprintf(&p, "%s/images%s%s", root, rel && *rel ? "/" : "", rel ? rel : "") < 0)
                return NULL;
        return p;
}

int store_init(const char *root, struct berr *e)
{
        static const char *const dirs[] = {"blobs/sha256", "layers", "tmp"};
        for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
                _cleanup_free_ char *p = store_path(root, dirs[i]);
                if (!p)
                        return berr_set(e, ENOMEM, "out of memory");
                int r = mkdir_p(p, 0700, e);
                if (r < 0)
                        return r;
        }
        return 0;
}

int store_lock(const char *root, struct berr *e)
{
        _cleanup_free_ char *p = store_path(root, "lock");
        if (!p)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_close_ int fd = flock_open(p, e);
        if (fd < 0)
                return fd;
        int r = flock_wait(fd, p, -1, e); /* not forever behind a stopped writer */
        if (r < 0)
                return r;
        return steal_fd(fd);
}

/* A fresh, empty work dir under tmp/, named so a leftover says who made it. */
static int mktemp_owned(const char *root, const char *what, struct workdir *w, struct berr *e)
{
        _cleanup_free_ char *tmp = store_path(root, "tmp"), *prefix = NULL;
        if (!tmp || asprintf(&prefix, "%s-%d-", what, (int)getpid()) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        return workdir_create(tmp, prefix, w, e);
}

size_t store_tmp_collect(const char *root)
{
        _cleanup_free_ char *tmp = store_path(root, "tmp"), *images = store_path(root, ""),
                            *blobs = store_path(root, "blobs/sha256");
        size_t n = tmp ? workdir_collect(tmp, "", NULL, NULL) : 0;
        /* And the <file>.tmp.<pid> of a writer killed between write and rename: a config blob
         * (commit, load, pull; found by make torture) or repositories.json. */
        if (images)
                n += (size_t)atomic_tmp_collect(images);
        if (blobs)
                n += (size_t)atomic_tmp_collect(blobs);
        return n;
}

int store_mktemp(const char *root, const char *what, struct workdir *w, struct berr *e)
{
        store_tmp_collect(root); /* one readdir: what killed writers left */
        return mktemp_owned(root, what, w, e);
}

char *store_layer_dir(const char *root, const char *diff_id)
{
        char *p = NULL;
        if (!sha256_digest_valid(diff_id))
                return NULL;
        if (asprintf(&p, "%s/images/layers/%s/diff", root, diff_id + 7) < 0)
                return NULL;
        return p;
}

/* Moves a finished layer (tmp holding diff/) to layers/<hex>. Another process may have won
 * the race with the same content: then ours is redundant and removed. */
int store_layer_publish(const char *root, struct workdir *tmp, const char *diff_id,
                        struct berr *e)
{
        _cleanup_free_ char *final = NULL;
        if (asprintf(&final, "%s/images/layers/%s", root, diff_id + 7) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_close_ int lock = store_lock(root, e);
        if (lock < 0)
                return lock;
        if (rename(tmp->path, final) == 0) {
                workdir_release(tmp);
                return 0;
        }
        if (errno != EEXIST && errno != ENOTEMPTY)
                return berr_sys(e, errno, "moving layer %s into %s", tmp->path, final);
        return workdir_remove(tmp, e);
}

int image_layer_import(const char *root, const char *tar_path, char diff_id_out[72], struct berr *e)
{
        struct workdir tmp;
        store_tmp_collect(root);
        int r = store_layer_unpack_tmp_opt(root, tar_path, false, &tmp, diff_id_out, e);
        if (r < 0)
                return r;
        /* A rootfs tarball has no digest to keep: the layer is named by berth's own re-tar of
         * it, so that `save` writes it byte for byte and the image keeps its id. */
        _cleanup_free_ char *diff = path_join(tmp.path, "diff");
        r = diff ? store_layer_canonical_id(diff, diff_id_out, e) : berr_set(e, ENOMEM, "out of memory");
        if (r == 0)
                r = store_layer_publish(root, &tmp, diff_id_out, e);
        workdir_remove(&tmp, NULL); /* empty once published */
        return r;
}

int image_config_store(const char *root, const char *json, size_t len, char id_out[72],
                       struct berr *e)
{
        int r = sha256_buf(json, len, id_out);
        if (r < 0)
                return berr_set(e, r, "hashing an image config");
        r = store_init(root, e);
        if (r < 0)
                return r;
        _cleanup_free_ char *dir = store_path(root, "blobs/sha256");
        _cleanup_free_ char *final = dir ? path_join(dir, id_out + 7) : NULL;
        if (!final)
                return berr_set(e, ENOMEM, "out of memory");
        /* Content-addressed: if it exists it is this content, and writes go through a temp
         * name so a reader never sees a torn blob. */
        if (access(final, F_OK) == 0)
                return 0;
        return write_file_atomic(final, json, len, 0644, e);
}

int store_config_read(const char *root, const char *id, char **json, size_t *len, struct berr *e)
{
        _cleanup_free_ char *p = NULL;
        if (!sha256_digest_valid(id))
                return berr_set(e, EINVAL, "invalid image id: %s", id);
        if (asprintf(&p, "%s/images/blobs/sha256/%s", root, id + 7) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_free_ char *data = NULL;
        size_t n = 0;
        int r = read_file(p, &data, &n, e);
        if (r < 0)
                return r;
        char got[72];
        if (sha256_buf(data, n, got) < 0)
                return berr_set(e, EIO, "hashing %s", p);
        if (strcmp(got, id) != 0)
                return berr_set(e, EIO, "image config %s is corrupt (its digest is %s)", p, got);
        *json = steal_ptr(data);
        if (len)
                *len = n;
        return 0;
}

/* repositories.json: {"name:tag": "sha256:<hex>"}. A missing file is an empty store. */
int store_repos_load(const char *root, json_t **out, struct berr *e)
{
        _cleanup_free_ char *p = store_path(root, "repositories.json");
        if (!p)
                return berr_set(e, ENOMEM, "out of memory");
        if (access(p, F_OK) < 0 && errno == ENOENT) {
                *out = json_object();
                return *out ? 0 : berr_set(e, ENOMEM, "out of memory");
        }
        json_error_t je;
        json_t *j = json_load_file(p, 0, &je);
        if (!j)
                return berr_set(e, EINVAL, "reading %s: %s (line %d)", p, je.text, je.line);
        if (!json_is_object(j)) {
                json_decref(j);
                return berr_set(e, EINVAL, "reading %s: not a JSON object", p);
        }
        *out = j;
        return 0;
}

int store_repos_save(const char *root, json_t *repos, struct berr *e)
{
        _cleanup_free_ char *p = store_path(root, "repositories.json");
        _cleanup_free_ char *s = json_dumps(repos, JSON_INDENT(2) | JSON_SORT_KEYS);
        if (!p || !s)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_free_ char *text = NULL;
        int n = asprintf(&text, "%s\n", s);
        if (n < 0)
                return berr_set(e, ENOMEM, "out of memory");
        return write_file_atomic(p, text, (size_t)n, 0644, e);
}

int image_tag(const char *root, const char *ref, const char *id, struct berr *e)
{
        char name[256];
        int r = image_ref_normalize(ref, name, sizeof(name), e);
        if (r < 0)
                return r;
        if (!strncmp(name, "sha256:", 7))
                return berr_set(e, EINVAL, "cannot use an image id as a tag: %s", ref);
        if (!sha256_digest_valid(id))
                return berr_set(e, EINVAL, "invalid image id: %s", id);
        r = store_init(root, e);
        if (r < 0)
                return r;
        _cleanup_close_ int lock = store_lock(root, e);
        if (lock < 0)
                return lock;
        json_t *repos = NULL;
        r = store_repos_load(root, &repos, e);
        if (r < 0)
                return r;
        if (json_object_set_new(repos, name, json_string(id)) < 0)
                r = berr_set(e, ENOMEM, "out of memory");
        else
                r = store_repos_save(root, repos, e);
        json_decref(repos);
        return r;
}

int store_layer_unpack_tmp(const char *root, const char *tar_path, struct workdir *tmp,
                           char diff_id_out[72], struct berr *e)
{
        return store_layer_unpack_tmp_opt(root, tar_path, true, tmp, diff_id_out, e);
}

int store_layer_unpack_tmp_opt(const char *root, const char *tar_path, bool split,
                               struct workdir *tmp, char diff_id_out[72], struct berr *e)
{
        *tmp = (struct workdir)WORKDIR_INIT;
        int r = store_init(root, e);
        if (r < 0)
                return r;
        struct workdir w;
        if ((r = mktemp_owned(root, "layer", &w, e)) < 0)
                return r;
        _cleanup_free_ char *diff = path_join(w.path, "diff");
        if (!diff)
                r = berr_set(e, ENOMEM, "out of memory");
        else if (mkdir(diff, 0755) < 0)
                r = berr_sys(e, errno, "creating %s", diff);
        else if (chmod(w.path, 0755) < 0)
                r = berr_sys(e, errno, "setting the mode of %s", w.path);
        char **payloads = NULL;
        if (r == 0)
                r = layer_unpack_paths(tar_path, diff, diff_id_out, split ? &payloads : NULL, e);
        if (r < 0) {
                strv_free(payloads);
                workdir_remove(&w, NULL);
                return r;
        }
        /* Without the record, save re-tars the layer (and the image gets a new id): not fatal. */
        _cleanup_free_ char *sp = split ? path_join(w.path, "tar-split") : NULL;
        if (sp)
                tarsplit_write(tar_path, payloads, sp, NULL);
        strv_free(payloads);
        *tmp = w;
        return 0;
}

char *store_layer_link(const char *root, const char *diff_id)
{
        if (!sha256_digest_valid(diff_id))
                return NULL;
        char *link = NULL, target[160];
        if (asprintf(&link, "%s/images/l/%.12s", root, diff_id + 7) < 0)
                return NULL;
        snprintf(target, sizeof(target), "../layers/%s/diff", diff_id + 7);
        char got[160];
        for (int tries = 0; tries < 2; tries++) {
                ssize_t n = readlink(link, got, sizeof(got) - 1);
                if (n >= 0) {
                        got[n] = '\0';
                        if (!strcmp(got, target))
                                return link;
                        break; /* a 48-bit prefix collision: use the long path */
                }
                _cleanup_free_ char *dir = store_path(root, "l");
                if (dir)
                        mkdir(dir, 0755);
                if (symlink(target, link) == 0)
                        return link;
                if (errno != EEXIST)
                        break;
        }
        free(link);
        return NULL;
}

int store_layer_canonical_id(const char *dir, char diff_id_out[72], struct berr *e)
{
        _cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_close_ int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (dfd < 0 || null < 0)
                return berr_sys(e, errno, "reading %s", dir);
        return layer_tar_to_fd(dfd, null, NULL, diff_id_out, NULL, e);
}
