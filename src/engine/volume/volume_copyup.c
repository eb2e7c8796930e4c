/* Filling an empty volume from the image ("copy-up", as docker does): the image's directory at
 * the mount target, as the container would see it (the layers stacked, whiteouts and opaque
 * directories honoured, symlinks resolved inside the image), copied with modes, owners, times,
 * symlinks, device nodes, hard links and extended attributes.
 *
 * A one-layer image is read straight from its layer directory. More layers are stacked by a
 * read-only overlay mounted in a child process's own mount namespace, so the host never sees
 * it and it disappears with the child. The copy goes to <volume>/.copyup and is renamed over
 * the empty _data, so a volume is either empty or completely filled. */
#include "engine/volume/volume_copyup.h"

#include "engine/image/image.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

struct link_seen {
        dev_t dev;
        ino_t ino;
        char *path; /* relative to the destination's top */
};

struct copy {
        int dst_top;
        struct link_seen *links;
        size_t n_links;
        struct berr *e;
};

static void copy_xattrs(int src, int dst)
{
        char names[8192], value[65536];
        ssize_t n = flistxattr(src, names, sizeof(names));
        for (ssize_t off = 0; n > 0 && off < n; off += (ssize_t)strlen(names + off) + 1) {
                const char *k = names + off;
                if (!strncmp(k, "trusted.overlay.", 16))
                        continue; /* overlay's own bookkeeping (opaque, origin, ...) */
                ssize_t vl = fgetxattr(src, k, value, sizeof(value));
                if (vl >= 0)
                        fsetxattr(dst, k, value, (size_t)vl, 0);
        }
}

/* Owner before mode: chown clears set-id bits. */
static int set_meta(int fd, const struct stat *st, struct berr *e, const char *rel)
{
        if (fchown(fd, st->st_uid, st->st_gid) < 0 || fchmod(fd, st->st_mode & 07777) < 0)
                return berr_sys(e, errno, "copying %s into the volume", rel);
        const struct timespec ts[2] = {st->st_atim, st->st_mtim};
        futimens(fd, ts);
        return 0;
}

static int copy_file_data(int in, int out, const char *rel, struct berr *e)
{
        char buf[65536];
        for (;;) {
                ssize_t n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
                if (n == 0)
                        return 0;
                if (n > 0)
                        continue;
                if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
                        return berr_sys(e, errno, "copying %s into the volume", rel);
                break;
        }
        for (;;) {
                ssize_t n = read(in, buf, sizeof(buf));
                if (n == 0)
                        return 0;
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return berr_sys(e, errno, "reading %s of the image", rel);
                }
                for (ssize_t w = 0; w < n;) {
                        ssize_t k = write(out, buf + w, (size_t)(n - w));
                        if (k < 0 && errno != EINTR)
                                return berr_sys(e, errno, "copying %s into the volume", rel);
                        w += k > 0 ? k : 0;
                }
        }
}

static int copy_dir(struct copy *c, int src, int dst, char *rel, size_t rel_len);

static int copy_entry(struct copy *c, int src, int dst, const char *name, char *rel,
                      size_t rel_len)
{
        struct stat st;
        if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return berr_sys(c->e, errno, "reading %s of the image", rel);
        /* A hard link to a file copied already: link it again. */
        if (!S_ISDIR(st.st_mode) && st.st_nlink > 1) {
                for (size_t i = 0; i < c->n_links; i++)
                        if (c->links[i].dev == st.st_dev && c->links[i].ino == st.st_ino)
                                return linkat(c->dst_top, c->links[i].path, dst, name, 0) < 0
                                               ? berr_sys(c->e, errno, "linking %s", rel)
                                               : 0;
                struct link_seen *nl = realloc(c->links, (c->n_links + 1) * sizeof(*nl));
                if (!nl)
                        return berr_set(c->e, ENOMEM, "out of memory");
                c->links = nl;
                nl[c->n_links] = (struct link_seen){st.st_dev, st.st_ino, strdup(rel + 1)};
                if (!nl[c->n_links].path)
                        return berr_set(c->e, ENOMEM, "out of memory");
                c->n_links++;
        }
        int r = 0;
        if (S_ISDIR(st.st_mode)) {
                if (mkdirat(dst, name, 0700) < 0)
                        return berr_sys(c->e, errno, "copying %s into the volume", rel);
                _cleanup_close_ int s = openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                _cleanup_close_ int d = openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (s < 0 || d < 0)
                        return berr_sys(c->e, errno, "copying %s into the volume", rel);
                if ((r = copy_dir(c, s, d, rel, rel_len)) < 0)
                        return r;
                copy_xattrs(s, d);
                return set_meta(d, &st, c->e, rel);
        }
        if (S_ISREG(st.st_mode)) {
                _cleanup_close_ int s = openat(src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
                _cleanup_close_ int d = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
                if (s < 0 || d < 0)
                        return berr_sys(c->e, errno, "copying %s into the volume", rel);
                if ((r = copy_file_data(s, d, rel, c->e)) < 0)
                        return r;
                copy_xattrs(s, d);
                return set_meta(d, &st, c->e, rel);
        }
        if (S_ISLNK(st.st_mode)) {
                char target[PATH_MAX];
                ssize_t n = readlinkat(src, name, target, sizeof(target) - 1);
                if (n < 0)
                        return berr_sys(c->e, errno, "reading %s of the image", rel);
                target[n] = '\0';
                if (symlinkat(target, dst, name) < 0 ||
                    fchownat(dst, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
                        return berr_sys(c->e, errno, "copying %s into the volume", rel);
                const struct timespec ts[2] = {st.st_atim, st.st_mtim};
                utimensat(dst, name, ts, AT_SYMLINK_NOFOLLOW);
                return 0;
        }
        /* Devices, fifos, sockets. An overlay whiteout (0:0) never shows through a merged view. */
        if (mknodat(dst, name, st.st_mode, st.st_rdev) < 0 ||
            fchownat(dst, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0 ||
            fchmodat(dst, name, st.st_mode & 07777, 0) < 0)
                return berr_sys(c->e, errno, "copying %s into the volume", rel);
        return 0;
}

static int copy_dir(struct copy *c, int src, int dst, char *rel, size_t rel_len)
{
        int dfd = dup(src);
        DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
        if (!d) {
                if (dfd >= 0)
                        close(dfd);
                return berr_sys(c->e, errno, "reading %s of the image", rel_len ? rel : "/");
        }
        struct dirent *de;
        int r = 0;
        while (r == 0 && (de = readdir(d))) {
                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                        continue;
                size_t nl = strlen(de->d_name);
                if (rel_len + 1 + nl >= PATH_MAX) {
                        r = berr_set(c->e, ENAMETOOLONG, "copying into the volume: path too long");
                        break;
                }
                rel[rel_len] = '/';
                memcpy(rel + rel_len + 1, de->d_name, nl + 1);
                r = copy_entry(c, src, dst, de->d_name, rel, rel_len + 1 + nl);
                rel[rel_len] = '\0';
        }
        closedir(d);
        return r;
}

/* Copies the directory src (everything in it, and its own owner and mode) into dst. */
static int copy_tree(int src, int dst, struct berr *e)
{
        struct copy c = {.dst_top = dst, .e = e};
        char rel[PATH_MAX] = "";
        int r = copy_dir(&c, src, dst, rel, 0);
        for (size_t i = 0; i < c.n_links; i++)
                free(c.links[i].path);
        free(c.links);
        if (r < 0)
                return r;
        struct stat st;
        if (fstat(src, &st) < 0)
                return berr_sys(e, errno, "reading the image");
        copy_xattrs(src, dst);
        return set_meta(dst, &st, e, "/");
}

static int open_in_image(int rootfd, const char *path)
{
        struct open_how how = {
                .flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
        return fd < 0 ? -errno : fd;
}

/* Opens the image's root (stacked) as rootfd and copies target into copydir. Returns 1 if
 * something was copied, 0 if the image has no directory there. */
static int copy_from_root(int rootfd, const char *target, const char *copydir, struct berr *e)
{
        _cleanup_close_ int src = open_in_image(rootfd, target);
        if (src == -ENOENT || src == -ENOTDIR)
                return 0;
        if (src < 0)
                return berr_sys(e, src, "opening %s in the image", target);
        if (mkdir(copydir, 0700) < 0)
                return berr_sys(e, errno, "creating %s", copydir);
        _cleanup_close_ int dst = open(copydir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dst < 0)
                return berr_sys(e, errno, "opening %s", copydir);
        int r = copy_tree(src, dst, e);
        return r < 0 ? r : 1;
}

static int overlay_opts(const struct image *img, char *buf, size_t len, struct berr *e)
{
        size_t n = strv_len(img->layer_dirs), off = 0;
        int w = snprintf(buf, len, "lowerdir=");
        off = (size_t)w;
        for (size_t i = n; i > 0 && off < len; i--) {
                w = snprintf(buf + off, len - off, "%s%s", img->layer_dirs[i - 1], i > 1 ? ":" : "");
                off += (size_t)w;
        }
        if (off >= len)
                return berr_set(e, E2BIG, "image %s: too many layers for one overlay mount", img->id);
        return 0;
}

/* In a child with its own mount namespace: the layers stacked read-only on mnt, then the copy.
 * The child's error goes back through a pipe. */
static int copy_stacked(const struct image *img, const char *target, const char *copydir,
                        const char *mnt, struct berr *e)
{
        char opts[4096];
        int r = overlay_opts(img, opts, sizeof(opts), e);
        if (r < 0)
                return r;
        int p[2];
        if (pipe2(p, O_CLOEXEC) < 0)
                return berr_sys(e, errno, "copying the image's %s: pipe", target);
        pid_t pid = fork();
        if (pid < 0) {
                close(p[0]);
                close(p[1]);
                return berr_sys(e, errno, "copying the image's %s: fork", target);
        }
        if (pid == 0) {
                struct berr ce = {0};
                close(p[0]);
                if (unshare(CLONE_NEWNS) < 0)
                        r = berr_sys(&ce, errno, "copying the image's %s: unshare", target);
                else if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                        r = berr_sys(&ce, errno, "copying the image's %s: making mounts private", target);
                else if (mount("overlay", mnt, "overlay", MS_RDONLY, opts) < 0)
                        r = berr_sys(&ce, errno, "copying the image's %s: mounting its layers", target);
                else {
                        int rootfd = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                        r = rootfd < 0 ? berr_sys(&ce, errno, "opening %s", mnt)
                                       : copy_from_root(rootfd, target, copydir, &ce);
                }
                if (r < 0) {
                        ssize_t ignored = write(p[1], ce.msg, strlen(ce.msg));
                        (void)ignored;
                        _exit(2);
                }
                _exit(r == 1 ? 1 : 0);
        }
        close(p[1]);
        char msg[sizeof(e->msg)];
        ssize_t n = 0, k;
        while ((k = read(p[0], msg + n, sizeof(msg) - 1 - (size_t)n)) > 0)
                n += k;
        close(p[0]);
        msg[n > 0 ? n : 0] = '\0';
        int status;
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return berr_sys(e, errno, "copying the image's %s: waitpid", target);
        if (WIFEXITED(status) && WEXITSTATUS(status) <= 1)
                return WEXITSTATUS(status);
        return berr_set(e, EIO, "%s", n > 0 ? msg : "copying the image's content: the helper died");
}

static int dir_is_empty(const char *path)
{
        _cleanup_closedir_ DIR *d = opendir(path);
        if (!d)
                return -errno;
        struct dirent *de;
        while ((de = readdir(d)))
                if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
                        return 0;
        return 1;
}

int volume_copy_up(const struct image *img, const char *target, const char *voldir,
                   const char *mnt, struct berr *e)
{
        _cleanup_free_ char *data = path_join(voldir, "_data");
        _cleanup_free_ char *copydir = path_join(voldir, ".copyup");
        if (!data || !copydir)
                return berr_set(e, ENOMEM, "out of memory");
        int empty = dir_is_empty(data);
        if (empty < 0)
                return berr_sys(e, empty, "reading volume %s", data);
        if (!empty || !img || !img->layer_dirs || !img->layer_dirs[0])
                return 0;
        struct berr ignore;
        rm_rf(copydir, &ignore); /* a copy a killed berth left half done */
        int r;
        if (!img->layer_dirs[1]) {
                _cleanup_close_ int rootfd =
                        open(img->layer_dirs[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (rootfd < 0)
                        return berr_sys(e, errno, "opening layer %s", img->layer_dirs[0]);
                r = copy_from_root(rootfd, target, copydir, e);
        } else {
                r = copy_stacked(img, target, copydir, mnt, e);
        }
        if (r <= 0) {
                rm_rf(copydir, &ignore);
                return r;
        }
        /* _data is still empty (we hold the lock): rename replaces an empty directory. */
        if (rename(copydir, data) < 0) {
                r = berr_sys(e, errno, "filling volume %s", data);
                rm_rf(copydir, &ignore);
                return r;
        }
        return 0;
}
