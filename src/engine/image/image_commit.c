/* `import` (a rootfs tar as a one-layer image), `export` (a container's filesystem as a tar)
 * and `commit` (a container's upper dir as a new layer on its image). */
#include "engine/container/containers.h"
#include "engine/container/lookup.h"
#include "engine/container/record.h"
#include "engine/image/image.h"
#include "engine/image/image_ops.h"
#include "engine/image/image_store.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/strv.h"
#include "util/workdir.h"

#include <fcntl.h>
#include <jansson.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Files berth writes into every container's upper dir at create: not the user's changes. */
static char *const commit_skip[] = {"etc/hostname", "etc/hosts", "etc/resolv.conf", NULL};

static int apply_changes(json_t *cfg, char *const *changes, struct berr *e)
{
        json_t *c = json_object_get(cfg, "config");
        if (!json_is_object(c)) {
                c = json_object();
                json_object_set_new(cfg, "config", c);
        }
        for (size_t i = 0; changes && changes[i]; i++) {
                int r = image_change_apply(c, changes[i], e);
                if (r < 0)
                        return r;
        }
        return 0;
}

static void add_history(json_t *cfg, const char *created, const char *by, const char *comment,
                        const char *author)
{
        json_t *h = json_object_get(cfg, "history");
        if (!json_is_array(h)) {
                h = json_array();
                json_object_set_new(cfg, "history", h);
        }
        json_t *ent = json_pack("{s:s, s:s}", "created", created, "created_by", by);
        if (comment && *comment)
                json_object_set_new(ent, "comment", json_string(comment));
        if (author && *author)
                json_object_set_new(ent, "author", json_string(author));
        json_array_append_new(h, ent);
}

/* Stores cfg (compact, sorted keys) and tags it. */
static int store_cfg(const char *root, json_t *cfg, const char *ref, char id_out[72],
                     struct berr *e)
{
        _cleanup_free_ char *json = json_dumps(cfg, JSON_COMPACT | JSON_SORT_KEYS);
        if (!json)
                return berr_set(e, ENOMEM, "out of memory");
        int r = image_config_store(root, json, strlen(json), id_out, e);
        if (r == 0 && ref)
                r = image_tag(root, ref, id_out, e);
        return r;
}

int image_import(const char *root, const char *path, const char *ref, char *const *changes,
                 const char *message, char id_out[72], struct berr *e)
{
        char name[256];
        if (ref && image_ref_normalize(ref, name, sizeof(name), e) < 0)
                return e ? e->code : -EINVAL;
        if (ref && !strncmp(name, "sha256:", 7))
                return berr_set(e, EINVAL, "cannot use an image id as a tag: %s", ref);
        /* Check the changes before unpacking anything. */
        json_t *probe = json_object();
        int r = apply_changes(probe, changes, e);
        json_decref(probe);
        if (r < 0)
                return r;
        const char *src = !path || !strcmp(path, "-") ? "/dev/stdin" : path;
        struct workdir tmp;
        char diff_id[72], now[40];
        store_tmp_collect(root);
        r = store_layer_unpack_tmp_opt(root, src, false, &tmp, diff_id, e);
        if (r < 0)
                return berr_wrap(e, "importing %s", path && strcmp(path, "-") ? path : "stdin");
        /* Named by berth's own re-tar (as the built-in image): save then keeps the id. */
        _cleanup_free_ char *diff = path_join(tmp.path, "diff");
        r = diff ? store_layer_canonical_id(diff, diff_id, e) : berr_set(e, ENOMEM, "out of memory");
        if (r == 0)
                r = store_layer_publish(root, &tmp, diff_id, e);
        workdir_remove(&tmp, NULL); /* nothing left once published */
        if (r < 0)
                return r;
        rfc3339_now(now);
        _cleanup_free_ char *base = image_config_build(diff_id, NULL, NULL, now);
        json_t *cfg = base ? json_loads(base, 0, NULL) : NULL;
        if (!cfg)
                return berr_set(e, ENOMEM, "out of memory");
        json_object_del(cfg, "history");
        _cleanup_free_ char *comment = NULL;
        if (!message && asprintf(&comment, "Imported from %s", path ? path : "-") < 0)
                comment = NULL;
        add_history(cfg, now, "", message ? message : comment, NULL);
        r = apply_changes(cfg, changes, e);
        if (r == 0)
                r = store_cfg(root, cfg, ref ? name : NULL, id_out, e);
        json_decref(cfg);
        return r;
}

/* The container's dir and its image id. */
static int container_image(const char *root, const char *ref, char **cdir, char image_id[72],
                           char cid[65], struct berr *e)
{
        int r = container_find(root, ref, cid, e);
        if (r < 0)
                return r;
        *cdir = container_dir(root, cid);
        if (!*cdir)
                return berr_set(e, ENOMEM, "out of memory");
        struct record rec;
        memset(&rec, 0, sizeof(rec));
        r = record_read(*cdir, &rec, e);
        if (r == 0) {
                snprintf(image_id, 72, "%s", rec.image_id);
                record_clear(&rec);
        }
        return r;
}

int image_commit(const char *root, const char *container, const char *ref,
                 char *const *changes, const char *message, const char *author,
                 char id_out[72], struct berr *e)
{
        char image_id[72], cid[65], name[256];
        _cleanup_free_ char *cdir = NULL;
        if (ref && image_ref_normalize(ref, name, sizeof(name), e) < 0)
                return e ? e->code : -EINVAL;
        if (ref && !strncmp(name, "sha256:", 7))
                return berr_set(e, EINVAL, "cannot use an image id as a tag: %s", ref);
        int r = container_image(root, container, &cdir, image_id, cid, e);
        if (r < 0)
                return r;
        _cleanup_free_ char *json = NULL;
        size_t len = 0;
        r = store_config_read(root, image_id, &json, &len, e);
        if (r < 0)
                return berr_wrap(e, "container %s: its image", container);
        json_t *cfg = json_loadb(json, len, 0, NULL);
        json_t *ids = cfg ? json_object_get(json_object_get(cfg, "rootfs"), "diff_ids") : NULL;
        if (!json_is_array(ids)) {
                json_decref(cfg);
                return berr_set(e, EINVAL, "image %s: bad config", image_id);
        }
        r = apply_changes(cfg, changes, e);
        _cleanup_free_ char *upper = path_join(cdir, "upper");
        struct workdir work = WORKDIR_INIT;
        if (r == 0)
                r = store_mktemp(root, "commit", &work, e);
        _cleanup_free_ char *tar = r == 0 ? path_join(work.path, "layer.tar") : NULL;
        char digest[72], diff_id[72];
        if (r == 0 && !tar)
                r = berr_set(e, ENOMEM, "out of memory");
        if (r == 0) {
                _cleanup_close_ int ufd = open(upper, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                _cleanup_close_ int tfd =
                    open(tar, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
                if (ufd < 0)
                        r = berr_sys(e, errno, "container %s: reading %s", container, upper);
                else if (tfd < 0)
                        r = berr_sys(e, errno, "creating %s", tar);
                else
                        r = layer_tar_to_fd(ufd, tfd, commit_skip, digest, NULL, e);
        }
        struct workdir tmp = WORKDIR_INIT;
        if (r == 0)
                r = store_layer_unpack_tmp_opt(root, tar, false, &tmp, diff_id, e);
        if (r == 0 && strcmp(diff_id, digest) != 0)
                r = berr_set(e, EIO, "commit: layer digest %s differs from its tar's %s", diff_id,
                             digest);
        if (r == 0)
                r = store_layer_publish(root, &tmp, diff_id, e);
        workdir_remove(&tmp, NULL); /* nothing left once published */
        workdir_remove(&work, NULL);
        if (r == 0) {
                char now[40];
                rfc3339_now(now);
                json_array_append_new(ids, json_string(diff_id));
                json_object_set_new(cfg, "created", json_string(now));
                if (author && *author)
                        json_object_set_new(cfg, "author", json_string(author));
                add_history(cfg, now, "berth commit", message, author);
                r = store_cfg(root, cfg, ref ? name : NULL, id_out, e);
        }
        json_decref(cfg);
        return r;
}

/* Child of export: mounts the container's layers read-only in a private mount namespace and
 * tars the result to out. Its mounts die with it. */
static int export_child(const char *lowerdir, const char *mnt, int out, int errfd)
{
        struct berr e = {0};
        int r = 0;
        if (unshare(CLONE_NEWNS) < 0)
                r = berr_sys(&e, errno, "export: creating a mount namespace");
        else if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                r = berr_sys(&e, errno, "export: making mounts private");
        else if (mount("overlay", mnt, "overlay", MS_RDONLY, lowerdir) < 0)
                r = berr_sys(&e, errno, "export: mounting the container's layers");
        if (r == 0) {
                _cleanup_close_ int fd = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                char digest[72];
                r = fd < 0 ? berr_sys(&e, errno, "export: opening %s", mnt)
                           : layer_tar_to_fd(fd, out, NULL, digest, NULL, &e);
        }
        if (r < 0 && write(errfd, e.msg, strlen(e.msg)) < 0)
                return 1;
        return r < 0 ? 1 : 0;
}

int image_export(const char *root, const char *container, int out, struct berr *e)
{
        char image_id[72], cid[65];
        _cleanup_free_ char *cdir = NULL;
        int r = container_image(root, container, &cdir, image_id, cid, e);
        if (r < 0)
                return r;
        struct image img;
        r = image_resolve(root, NULL, image_id, &img, e);
        if (r < 0)
                return berr_wrap(e, "container %s", container);
        _cleanup_free_ char *abs = realpath(cdir, NULL);
        _cleanup_free_ char *opts = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&opts, &len);
        if (f && abs) {
                fprintf(f, "lowerdir=%s/upper", abs);
                for (size_t i = strv_len(img.layer_dirs); i > 0; i--)
                        fprintf(f, ":%s", img.layer_dirs[i - 1]);
        }
        if (f)
                fclose(f);
        image_release(&img);
        if (!opts || !abs)
                return berr_set(e, ENOMEM, "out of memory");
        if (len >= 4096)
                return berr_set(e, E2BIG, "export: container %s has too many layers to mount",
                                container);
        struct workdir w;
        if ((r = store_mktemp(root, "export", &w, e)) < 0)
                return r;
        const char *mnt = w.path;
        int pfd[2];
        if (pipe2(pfd, O_CLOEXEC) < 0) {
                workdir_remove(&w, NULL);
                return berr_sys(e, errno, "export: pipe");
        }
        pid_t pid = fork();
        if (pid == 0) {
                close(pfd[0]);
                _exit(export_child(opts, mnt, out, pfd[1]));
        }
        close(pfd[1]);
        if (pid < 0) {
                close(pfd[0]);
                workdir_remove(&w, NULL);
                return berr_sys(e, errno, "export: fork");
        }
        char msg[1024];
        ssize_t n = read(pfd[0], msg, sizeof(msg) - 1);
        close(pfd[0]);
        int st = 0;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
                ;
        workdir_remove(&w, NULL); /* an empty dir: the mount died with the child */
        if (n > 0) {
                msg[n] = '\0';
                return berr_set(e, EIO, "%s", msg);
        }
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
                return berr_set(e, EIO, "export: the exporting process failed");
        return 0;
}
