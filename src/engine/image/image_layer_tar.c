/* A directory tree -> a layer tar (OCI image-spec layer.md), streaming, for save, commit and
 * export. The tree may be an overlay upper or lower dir: its whiteouts (0:0 char devices) and
 * opaque dirs become OCI's ".wh." entries. Output is deterministic (sorted names, mtimes in
 * whole seconds, numeric owners only), so the same tree always gives the same diff_id. */
#include "engine/image/image_ops.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/sha256.h"
#include "util/strv.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

struct link_seen {
        dev_t dev;
        ino_t ino;
        char *path;
};

struct tarw {
        struct archive *a;
        char *const *skip;
        struct link_seen *links;
        size_t nlinks, caplinks;
        char buf[64 * 1024];
};

static int cmpstr(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool skipped(struct tarw *t, const char *rel)
{
        for (size_t i = 0; t->skip && t->skip[i]; i++)
                if (!strcmp(t->skip[i], rel))
                        return true;
        return false;
}

/* Copies the file's xattrs but overlay's own (trusted.overlay.*). */
static void add_xattrs(int dirfd, const char *name, struct archive_entry *ent)
{
        char path[64 + 4096];
        snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", dirfd, name);
        char list[4096];
        ssize_t n = llistxattr(path, list, sizeof(list));
        for (ssize_t off = 0; n > 0 && off < n; off += (ssize_t)strlen(list + off) + 1) {
                const char *k = list + off;
                if (!strncmp(k, "trusted.overlay.", 16))
                        continue;
                char val[4096];
                ssize_t vn = lgetxattr(path, k, val, sizeof(val));
                if (vn >= 0)
                        archive_entry_xattr_add_entry(ent, k, val, (size_t)vn);
        }
}

static bool is_opaque(int fd)
{
        char v[4];
        ssize_t n = fgetxattr(fd, "trusted.overlay.opaque", v, sizeof(v));
        return n == 1 && v[0] == 'y';
}

static int write_hdr(struct tarw *t, struct archive_entry *ent, struct berr *e)
{
        int r = archive_write_header(t->a, ent);
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
                return berr_set(e, EIO, "writing tar entry %s: %s", archive_entry_pathname(ent),
                                archive_error_string(t->a));
        return 0;
}

static int simple_entry(struct tarw *t, const char *path, mode_t mode, struct berr *e)
{
        struct archive_entry *ent = archive_entry_new();
        if (!ent)
                return berr_set(e, ENOMEM, "out of memory");
        archive_entry_set_pathname(ent, path);
        archive_entry_set_filetype(ent, AE_IFREG);
        archive_entry_set_perm(ent, mode);
        archive_entry_set_size(ent, 0);
        int r = write_hdr(t, ent, e);
        archive_entry_free(ent);
        return r;
}

static int copy_content(struct tarw *t, int dirfd, const char *name, const char *path,
                        struct berr *e)
{
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return berr_sys(e, errno, "reading %s", path);
        ssize_t n;
        while ((n = read(fd, t->buf, sizeof(t->buf))) > 0)
                if (archive_write_data(t->a, t->buf, (size_t)n) < 0)
                        return berr_set(e, EIO, "writing %s: %s", path, archive_error_string(t->a));
        if (n < 0)
                return berr_sys(e, errno, "reading %s", path);
        return 0;
}

/* A second name of an inode already written becomes a hard link entry. */
static const char *link_target(struct tarw *t, const struct stat *st, const char *path)
{
        if (st->st_nlink < 2)
                return NULL;
        for (size_t i = 0; i < t->nlinks; i++)
                if (t->links[i].dev == st->st_dev && t->links[i].ino == st->st_ino)
                        return t->links[i].path;
        if (t->nlinks == t->caplinks) {
                size_t cap = t->caplinks ? t->caplinks * 2 : 64;
                struct link_seen *l = realloc(t->links, cap * sizeof(*l));
                if (!l)
                        return NULL;
                t->links = l;
                t->caplinks = cap;
        }
        char *p = strdup(path);
        if (p)
                t->links[t->nlinks++] = (struct link_seen){st->st_dev, st->st_ino, p};
        return NULL;
}

static int walk(struct tarw *t, int dirfd, const char *prefix, struct berr *e);

static int one(struct tarw *t, int dirfd, const char *name, const char *prefix, struct berr *e)
{
        _cleanup_free_ char *path = NULL;
        if (asprintf(&path, "%s%s", prefix, name) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        if (skipped(t, path))
                return 0;
        struct stat st;
        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return berr_sys(e, errno, "reading %s", path);
        if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) {
                _cleanup_free_ char *wh = NULL;
                if (asprintf(&wh, "%s.wh.%s", prefix, name) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
                return simple_entry(t, wh, 0644, e);
        }
        if (S_ISSOCK(st.st_mode))
                return 0; /* tar cannot carry sockets; docker skips them too */
        struct archive_entry *ent = archive_entry_new();
        if (!ent)
                return berr_set(e, ENOMEM, "out of memory");
        archive_entry_set_pathname(ent, path);
        archive_entry_set_mode(ent, st.st_mode);
        archive_entry_set_uid(ent, st.st_uid);
        archive_entry_set_gid(ent, st.st_gid);
        archive_entry_set_mtime(ent, st.st_mtime, 0);
        int r = 0;
        const char *hl = S_ISREG(st.st_mode) ? link_target(t, &st, path) : NULL;
        if (hl) {
                archive_entry_set_hardlink(ent, hl);
                archive_entry_set_size(ent, 0);
        } else if (S_ISREG(st.st_mode)) {
                archive_entry_set_size(ent, st.st_size);
        } else if (S_ISLNK(st.st_mode)) {
                char target[4096];
                ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);
                if (n < 0)
                        r = berr_sys(e, errno, "reading link %s", path);
                else {
                        target[n] = '\0';
                        archive_entry_set_symlink(ent, target);
                }
        } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
                archive_entry_set_rdev(ent, st.st_rdev);
        }
        if (r == 0 && !hl)
                add_xattrs(dirfd, name, ent);
        if (r == 0)
                r = write_hdr(t, ent, e);
        archive_entry_free(ent);
        if (r == 0 && S_ISREG(st.st_mode) && !hl && st.st_size > 0)
                r = copy_content(t, dirfd, name, path, e);
        if (r < 0 || !S_ISDIR(st.st_mode))
                return r;
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return berr_sys(e, errno, "reading %s", path);
        _cleanup_free_ char *sub = NULL;
        if (asprintf(&sub, "%s/", path) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        if (is_opaque(fd)) {
                _cleanup_free_ char *opq = NULL;
                if (asprintf(&opq, "%s.wh..wh..opq", sub) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
                r = simple_entry(t, opq, 0644, e);
        }
        return r < 0 ? r : walk(t, fd, sub, e);
}

static int walk(struct tarw *t, int dirfd, const char *prefix, struct berr *e)
{
        int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
        if (fd < 0)
                return berr_sys(e, errno, "reading %s", prefix);
        _cleanup_closedir_ DIR *d = fdopendir(fd);
        if (!d) {
                close(fd);
                return berr_sys(e, errno, "reading %s", prefix);
        }
        char **names = calloc(1, sizeof(char *));
        if (!names)
                return berr_set(e, ENOMEM, "out of memory");
        struct dirent *de;
        int r = 0;
        while (r == 0 && (de = readdir(d)))
                if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
                    strv_push(&names, de->d_name) < 0)
                        r = berr_set(e, ENOMEM, "out of memory");
        qsort(names, strv_len(names), sizeof(char *), cmpstr);
        for (size_t i = 0; r == 0 && names[i]; i++)
                r = one(t, dirfd, names[i], prefix, e);
        strv_free(names);
        return r;
}

int layer_tar_write(int dirfd, struct archive *a, char *const *skip, struct berr *e)
{
        struct tarw *t = calloc(1, sizeof(*t));
        if (!t)
                return berr_set(e, ENOMEM, "out of memory");
        t->a = a;
        t->skip = skip;
        int r = walk(t, dirfd, "", e);
        for (size_t i = 0; i < t->nlinks; i++)
                free(t->links[i].path);
        free(t->links);
        free(t);
        return r;
}

struct fd_sink {
        int fd;
        struct sha256 h;
        uint64_t size;
};

static la_ssize_t sink_write(struct archive *a, void *opaque, const void *buf, size_t len)
{
        struct fd_sink *s = opaque;
        const char *p = buf;
        for (size_t off = 0; off < len;) {
                ssize_t w = write(s->fd, p + off, len - off);
                if (w < 0) {
                        if (errno == EINTR)
                                continue;
                        archive_set_error(a, errno, "write failed: %s", strerror(errno));
                        return -1;
                }
                off += (size_t)w;
        }
        sha256_update(&s->h, buf, len);
        s->size += len;
        return (la_ssize_t)len;
}

int layer_tar_to_fd(int dirfd, int fd, char *const *skip, char digest[72], uint64_t *size,
                    struct berr *e)
{
        struct fd_sink s = {.fd = fd};
        if (sha256_init(&s.h) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        struct archive *a = archive_write_new();
        if (!a) {
                sha256_free(&s.h);
                return berr_set(e, ENOMEM, "out of memory");
        }
        archive_write_set_format_pax_restricted(a);
        archive_write_set_bytes_in_last_block(a, 1);
        int r = 0;
        if (archive_write_open(a, &s, NULL, sink_write, NULL) != ARCHIVE_OK)
                r = berr_set(e, EIO, "writing a tar: %s", archive_error_string(a));
        if (r == 0)
                r = layer_tar_write(dirfd, a, skip, e);
        if (archive_write_close(a) != ARCHIVE_OK && r == 0)
                r = berr_set(e, EIO, "writing a tar: %s", archive_error_string(a));
        archive_write_free(a);
        if (r < 0) {
                sha256_free(&s.h);
                return r;
        }
        sha256_final(&s.h, digest);
        if (size)
                *size = s.size;
        return 0;
}

/* libarchive's pax writer reports an unsupported file type through this helper, which lives in
 * archive_write_set_format.o next to the table of every writer format (xar's needs libxml2). With
 * libarchive linked statically (Makefile), defining it here keeps that object, and libxml2, out
 * of the binary. Same behaviour as libarchive's own. */
int __archive_write_entry_filetype_unsupported(struct archive *a, struct archive_entry *entry,
                                               const char *format);
int __archive_write_entry_filetype_unsupported(struct archive *a, struct archive_entry *entry,
                                               const char *format)
{
        /* libarchive declares it returning int (ARCHIVE_WARN): keep the same signature. */
        archive_set_error(a, EINVAL, "%s: %s format cannot archive this file type",
                          archive_entry_pathname(entry), format);
        return ARCHIVE_WARN;
}
