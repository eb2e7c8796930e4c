/* Unpacks one layer tarball into a directory while hashing it, in a single streaming pass.
 *
 * diff_id is the sha256 of the *uncompressed* tar stream, so the hash must sit after the
 * decompression filter. Two libarchive readers do that without a second pass or a temp file:
 *   src: the file -> decompression filters -> format "raw" (the decompressed bytes as one entry)
 *   tar: reads its input through hashed_read(), which pulls bytes from src and hashes them,
 *        and parses them as tar; entries go to an archive_write_disk.
 * After the tar end marker, whatever src still holds (tar padding) is drained into the hash, so
 * every byte of the uncompressed stream is hashed exactly once, in order. */
#include "engine/image/image.h"
#include "engine/image/image_ops.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/sha256.h"
#include "util/strv.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#define WHITEOUT ".wh."
#define OPAQUE ".wh..wh..opq"

/* libarchive's ARCHIVE_RETRY (-10) sorts above ARCHIVE_WARN (-20) but is a failure: the tar
 * reader returns it for a damaged header it skipped. Only OK and WARN mean "carry on". */
static bool failed(int r)
{
        return r != ARCHIVE_OK && r != ARCHIVE_WARN;
}

struct unpack {
        const char *path; /* for messages */
        struct archive *src, *tar, *disk;
        struct sha256 hash;
        bool hashing;
        char **opaque; /* dirs (relative to dest) marked opaque by the layer */
        char ***payloads; /* if set: paths of the regular files with content, in tar order */
        char buf[64 * 1024];
};

static la_ssize_t hashed_read(struct archive *a, void *opaque, const void **out)
{
        struct unpack *u = opaque;
        la_ssize_t n = archive_read_data(u->src, u->buf, sizeof(u->buf));
        if (n < 0) {
                archive_set_error(a, EIO, "%s", archive_error_string(u->src));
                return -1;
        }
        if (sha256_update(&u->hash, u->buf, (size_t)n) < 0) {
                archive_set_error(a, EIO, "hashing failed");
                return -1;
        }
        *out = u->buf;
        return n;
}

static void unpack_free(struct unpack *u)
{
        if (u->tar)
                archive_read_free(u->tar);
        if (u->src)
                archive_read_free(u->src);
        if (u->disk) /* only when nothing was written: freeing applies deferred fixups */
                archive_write_free(u->disk);
        if (u->hashing)
                sha256_free(&u->hash);
        strv_free(u->opaque);
        free(u);
}

/* Only in-process decompressors: filter_all would also bid lrzip/lzop/grzip and run external
 * programs on untrusted input. */
static void support_filters(struct archive *a)
{
        archive_read_support_filter_gzip(a);
        archive_read_support_filter_bzip2(a);
        archive_read_support_filter_xz(a);
        archive_read_support_filter_zstd(a);
}

static int unpack_open(struct unpack *u, struct berr *e)
{
        u->src = archive_read_new();
        u->tar = archive_read_new();
        u->disk = archive_write_disk_new();
        if (!u->src || !u->tar || !u->disk || sha256_init(&u->hash) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        u->hashing = true;

        support_filters(u->src);
        archive_read_support_format_raw(u->src);
        if (archive_read_open_filename(u->src, u->path, 64 * 1024) != ARCHIVE_OK)
                return berr_set(e, EINVAL, "reading layer %s: %s", u->path,
                                archive_error_string(u->src));
        struct archive_entry *raw;
        int r = archive_read_next_header(u->src, &raw);
        if (r == ARCHIVE_EOF)
                return berr_set(e, EINVAL, "reading layer %s: file is empty", u->path);
        if (failed(r))
                return berr_set(e, EINVAL, "reading layer %s: %s", u->path,
                                archive_error_string(u->src));

        archive_read_support_format_tar(u->tar);
        if (archive_read_open(u->tar, u, NULL, hashed_read, NULL) != ARCHIVE_OK)
                return berr_set(e, EINVAL, "reading layer %s: %s", u->path,
                                archive_error_string(u->tar));

        /* Numeric ids only (no standard lookup): the host's passwd means nothing in an image. */
        archive_write_disk_set_options(
            u->disk, ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                         ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS | ARCHIVE_EXTRACT_PERM |
                         ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_XATTR);
        return 0;
}

/* overlayfs gives meaning to trusted.overlay.* (opaque, redirect, metacopy): a layer must not
 * be able to set them, only our own whiteout conversion does. */
static void drop_overlay_xattrs(struct archive_entry *ent)
{
        if (archive_entry_xattr_reset(ent) == 0)
                return;
        struct archive_entry *keep = archive_entry_new();
        if (!keep)
                return;
        const char *name;
        const void *val;
        size_t len;
        while (archive_entry_xattr_next(ent, &name, &val, &len) == ARCHIVE_OK)
                if (strncmp(name, "trusted.overlay.", 16) != 0)
                        archive_entry_xattr_add_entry(keep, name, val, len);
        archive_entry_xattr_clear(ent);
        archive_entry_xattr_reset(keep);
        while (archive_entry_xattr_next(keep, &name, &val, &len) == ARCHIVE_OK)
                archive_entry_xattr_add_entry(ent, name, val, len);
        archive_entry_free(keep);
}

/* OCI marks deletions with ".wh.NAME" files and opaque dirs with ".wh..wh..opq"; overlayfs,
 * which stacks our layer dirs, wants a 0:0 char device NAME and an opaque xattr instead.
 * Returns 1 if the entry is consumed (nothing to write), 0 to write it, <0 on error. */
static int convert_whiteout(struct unpack *u, struct archive_entry *ent)
{
        const char *path = archive_entry_pathname(ent);
        if (!path)
                return 0;
        const char *slash = strrchr(path, '/');
        const char *base = slash ? slash + 1 : path;
        if (strncmp(base, WHITEOUT, strlen(WHITEOUT)) != 0)
                return 0;
        int dirlen = slash ? (int)(slash - path) : 1;
        const char *dir = slash ? path : ".";
        _cleanup_free_ char *target = NULL;
        if (!strcmp(base, OPAQUE)) {
                if (asprintf(&target, "%.*s", dirlen, dir) < 0 || strv_push(&u->opaque, target))
                        return -ENOMEM;
                return 1;
        }
        if (asprintf(&target, "%.*s/%s", dirlen, dir, base + strlen(WHITEOUT)) < 0)
                return -ENOMEM;
        archive_entry_set_pathname(ent, target);
        archive_entry_set_hardlink(ent, NULL);
        archive_entry_set_filetype(ent, AE_IFCHR);
        archive_entry_set_perm(ent, 0);
        archive_entry_set_rdev(ent, 0);
        archive_entry_set_size(ent, 0);
        return 0;
}

static int copy_data(struct unpack *u, struct berr *e)
{
        const void *buf;
        size_t len;
        la_int64_t off;
        int r;
        while ((r = archive_read_data_block(u->tar, &buf, &len, &off)) == ARCHIVE_OK)
                if (failed((int)archive_write_data_block(u->disk, buf, len, off)))
                        return berr_set(e, EIO, "unpacking layer %s: %s", u->path,
                                        archive_error_string(u->disk));
        if (r != ARCHIVE_EOF)
                return berr_set(e, EINVAL, "reading layer %s: %s", u->path,
                                archive_error_string(u->tar));
        return 0;
}

static int unpack_entry(struct unpack *u, struct archive_entry *ent, struct berr *e)
{
        if (u->payloads && archive_entry_filetype(ent) == AE_IFREG &&
            archive_entry_size(ent) > 0 && !archive_entry_hardlink(ent) &&
            strv_push(u->payloads, archive_entry_pathname(ent) ? archive_entry_pathname(ent) : "") < 0)
                return berr_set(e, ENOMEM, "out of memory");
        int r = convert_whiteout(u, ent);
        if (r < 0)
                return berr_set(e, r, "out of memory");
        if (r > 0)
                return 0;
        drop_overlay_xattrs(ent);
        const char *name = archive_entry_pathname(ent);
        if (failed(archive_write_header(u->disk, ent)))
                return berr_set(e, EINVAL, "unpacking layer %s: %s: %s", u->path, name ? name : "?",
                                archive_error_string(u->disk));
        if (archive_entry_filetype(ent) == AE_IFREG && archive_entry_size(ent) > 0) {
                r = copy_data(u, e);
                if (r < 0)
                        return r;
        }
        if (failed(archive_write_finish_entry(u->disk)))
                return berr_set(e, EIO, "unpacking layer %s: %s: %s", u->path, name ? name : "?",
                                archive_error_string(u->disk));
        return 0;
}

/* Runs with the working directory at dest. */
static int unpack_entries(struct unpack *u, struct berr *e)
{
        struct archive_entry *ent;
        int r;
        while ((r = archive_read_next_header(u->tar, &ent)) != ARCHIVE_EOF) {
                if (failed(r))
                        return berr_set(e, EINVAL, "reading layer %s: %s", u->path,
                                        archive_error_string(u->tar));
                r = unpack_entry(u, ent, e);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Directory times and permissions are fixed up at close, by paths relative to the cwd: so the
 * writer is closed and freed here, on success and on failure, while the cwd is still dest. */
static int close_disk(struct unpack *u, int r, struct berr *e)
{
        int c = archive_write_close(u->disk);
        if (c != ARCHIVE_OK && r == 0)
                r = berr_set(e, EIO, "unpacking layer %s: %s", u->path,
                             archive_error_string(u->disk));
        archive_write_free(u->disk);
        u->disk = NULL;
        return r;
}

/* Hashes what the tar reader left unread (end-of-archive padding) and finalises diff_id. */
static int finish_hash(struct unpack *u, char diff_id[72], struct berr *e)
{
        la_ssize_t n;
        while ((n = archive_read_data(u->src, u->buf, sizeof(u->buf))) > 0)
                if (sha256_update(&u->hash, u->buf, (size_t)n) < 0)
                        return berr_set(e, EIO, "hashing layer %s", u->path);
        if (n < 0)
                return berr_set(e, EINVAL, "reading layer %s: %s", u->path,
                                archive_error_string(u->src));
        u->hashing = false;
        if (sha256_final(&u->hash, diff_id) < 0)
                return berr_set(e, EIO, "hashing layer %s", u->path);
        return 0;
}

/* Opens rel under dirfd one component at a time, never following a symlink or "..", creating
 * missing directories: the layer controls rel. */
static int open_dir_beneath(int dirfd, const char *rel)
{
        _cleanup_free_ char *copy = strdup(rel);
        if (!copy)
                return -ENOMEM;
        int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
        if (fd < 0)
                return -errno;
        char *save = NULL;
        for (char *c = strtok_r(copy, "/", &save); c && fd >= 0; c = strtok_r(NULL, "/", &save)) {
                if (!strcmp(c, "."))
                        continue;
                if (!strcmp(c, "..")) {
                        close(fd);
                        return -EPERM;
                }
                if (mkdirat(fd, c, 0755) < 0 && errno != EEXIST) {
                        close(fd);
                        return -errno;
                }
                int next = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                int err = errno;
                close(fd);
                fd = next < 0 ? -err : next;
        }
        return fd;
}

static int mark_opaque(struct unpack *u, int destfd, struct berr *e)
{
        for (size_t i = 0; u->opaque && u->opaque[i]; i++) {
                _cleanup_close_ int fd = open_dir_beneath(destfd, u->opaque[i]);
                if (fd < 0)
                        return berr_sys(e, fd, "unpacking layer %s: opaque directory %s", u->path,
                                        u->opaque[i]);
                if (fsetxattr(fd, "trusted.overlay.opaque", "y", 1, 0) < 0)
                        return berr_sys(e, errno, "unpacking layer %s: marking %s opaque", u->path,
                                        u->opaque[i]);
        }
        return 0;
}

int layer_unpack(const char *tar_path, const char *dest, char diff_id_out[72], struct berr *e)
{
        return layer_unpack_paths(tar_path, dest, diff_id_out, NULL, e);
}

int layer_unpack_paths(const char *tar_path, const char *dest, char diff_id_out[72],
                       char ***payloads, struct berr *e)
{
        _cleanup_close_ int destfd = open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (destfd < 0)
                return berr_sys(e, errno, "opening %s", dest);
        _cleanup_close_ int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (cwd < 0)
                return berr_sys(e, errno, "opening the working directory");
        struct unpack *u = calloc(1, sizeof(*u));
        if (!u)
                return berr_set(e, ENOMEM, "out of memory");
        u->path = tar_path;
        u->payloads = payloads;
        if (payloads && !*payloads && !(*payloads = calloc(1, sizeof(char *)))) {
                free(u);
                return berr_set(e, ENOMEM, "out of memory");
        }

        int r = unpack_open(u, e);
        /* archive_write_disk's SECURE_* checks work on paths relative to the cwd. */
        if (r == 0 && fchdir(destfd) < 0)
                r = berr_sys(e, errno, "entering %s", dest);
        else if (r == 0) {
                r = close_disk(u, unpack_entries(u, e), e);
                if (fchdir(cwd) < 0 && r == 0)
                        r = berr_sys(e, errno, "returning to the working directory");
        }
        if (r == 0)
                r = finish_hash(u, diff_id_out, e);
        if (r == 0)
                r = mark_opaque(u, destfd, e);
        unpack_free(u);
        return r;
}
