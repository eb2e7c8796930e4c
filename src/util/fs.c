#include "util/fs.h"

#include "util/cleanup.h"
#include "util/err.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

char *path_join(const char *a, const char *b)
{
        char *out = NULL;
        size_t al = strlen(a);
        while (al > 0 && a[al - 1] == '/')
                al--; /* "/" becomes "", so the join below gives "/b", never "//b" */
        while (*b == '/')
                b++;
        if (asprintf(&out, "%.*s/%s", (int)al, a, b) < 0)
                return NULL;
        return out;
}

int mkdir_p(const char *path, mode_t mode, struct berr *e)
{
        char buf[PATH_MAX];
        if (strlen(path) >= sizeof(buf))
                return berr_set(e, ENAMETOOLONG, "path too long: %s", path);
        strcpy(buf, path);
        for (char *p = buf + 1; *p; p++) {
                if (*p != '/')
                        continue;
                *p = '\0';
                if (mkdir(buf, mode) < 0 && errno != EEXIST)
                        return berr_sys(e, errno, "creating directory %s", buf);
                *p = '/';
        }
        if (mkdir(buf, mode) < 0) {
                struct stat st;
                if (errno != EEXIST)
                        return berr_sys(e, errno, "creating directory %s", buf);
                if (stat(buf, &st) < 0 || !S_ISDIR(st.st_mode))
                        return berr_sys(e, ENOTDIR, "creating directory %s", buf);
        }
        return 0;
}

int write_all(int fd, const void *data, size_t len)
{
        const char *p = data;
        while (len > 0) {
                ssize_t n = write(fd, p, len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

int write_file(const char *path, const void *data, size_t len, mode_t mode, struct berr *e)
{
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        if (fd < 0)
                return berr_sys(e, errno, "writing %s", path);
        int r = write_all(fd, data, len);
        if (r < 0)
                return berr_sys(e, r, "writing %s", path);
        return 0;
}

int write_file_atomic(const char *path, const void *data, size_t len, mode_t mode, struct berr *e)
{
        return write_file_atomic_xattr(path, data, len, mode, NULL, NULL, 0, e);
}

/* The temporary file of write_file_atomic_xattr: content, then (best effort) the xattr. */
static int write_tmp(const char *tmp, const void *data, size_t len, mode_t mode,
                     const char *xname, const void *xval, size_t xlen, struct berr *e)
{
        _cleanup_close_ int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        if (fd < 0)
                return berr_sys(e, errno, "writing %s", tmp);
        int r = write_all(fd, data, len);
        if (r < 0)
                return berr_sys(e, r, "writing %s", tmp);
        if (xname)
                fsetxattr(fd, xname, xval, xlen, 0); /* no room or no support: none, see fs.h */
        return 0;
}

int write_file_atomic_xattr(const char *path, const void *data, size_t len, mode_t mode,
                            const char *xname, const void *xval, size_t xlen, struct berr *e)
{
        _cleanup_free_ char *tmp = NULL;
        if (asprintf(&tmp, "%s.tmp.%d", path, (int)getpid()) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        int r = write_tmp(tmp, data, len, mode, xname, xval, xlen, e);
        if (r < 0) {
                unlink(tmp);
                return r;
        }
        if (rename(tmp, path) < 0) {
                r = berr_sys(e, errno, "renaming %s to %s", tmp, path);
                unlink(tmp);
                return r;
        }
        return 0;
}

int atomic_tmp_collect(const char *dir)
{
        DIR *d = opendir(dir);
        if (!d)
                return 0;
        int n = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                const char *t = strstr(de->d_name, ".tmp.");
                if (!t)
                        continue;
                const char *digits = t + 5;
                while ((t = strstr(digits, ".tmp.")))
                        digits = t + 5;
                char *end;
                long pid = strtol(digits, &end, 10);
                if (!*digits || *end || pid <= 0 || pid > INT_MAX)
                        continue;
                if (kill((pid_t)pid, 0) < 0 && errno == ESRCH && unlinkat(dirfd(d), de->d_name, 0) == 0)
                        n++;
        }
        closedir(d);
        return n;
}

int read_file(const char *path, char **out, size_t *len, struct berr *e)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return berr_sys(e, errno, "reading %s", path);
        return read_fd(fd, path, out, len, e);
}

int read_fd(int fd, const char *path, char **out, size_t *len, struct berr *e)
{
        size_t cap = 4096, n = 0;
        _cleanup_free_ char *buf = malloc(cap);
        if (!buf)
                return berr_set(e, ENOMEM, "out of memory");
        for (;;) {
                if (n + 1 >= cap) {
                        char *nb = realloc(buf, cap * 2);
                        if (!nb)
                                return berr_set(e, ENOMEM, "out of memory");
                        buf = nb;
                        cap *= 2;
                }
                ssize_t r = read(fd, buf + n, cap - n - 1);
                if (r < 0) {
                        if (errno == EINTR)
                                continue;
                        return berr_sys(e, errno, "reading %s", path);
                }
                if (r == 0)
                        break;
                n += (size_t)r;
        }
        buf[n] = '\0';
        if (len)
                *len = n;
        *out = steal_ptr(buf);
        return 0;
}

/* Removes the contents of dirfd, staying on device dev. */
static int rm_children(int dirfd, dev_t dev)
{
        _cleanup_closedir_ DIR *d = fdopendir(dirfd);
        if (!d) {
                close(dirfd);
                return -errno;
        }
        int ret = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                        continue;
                struct stat st;
                if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                if (S_ISDIR(st.st_mode)) {
                        if (st.st_dev != dev) {
                                ret = -EBUSY; /* a mount point: never descend into it */
                                continue;
                        }
                        int sub = openat(dirfd, de->d_name,
                                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub >= 0) {
                                int r = rm_children(sub, dev);
                                if (r < 0)
                                        ret = r;
                        }
                        if (unlinkat(dirfd, de->d_name, AT_REMOVEDIR) < 0 && errno != ENOENT)
                                ret = -errno;
                } else if (unlinkat(dirfd, de->d_name, 0) < 0 && errno != ENOENT) {
                        ret = -errno;
                }
        }
        return ret;
}

int rm_rf(const char *path, struct berr *e)
{
        struct stat st;
        if (lstat(path, &st) < 0) {
                if (errno == ENOENT)
                        return 0;
                return berr_sys(e, errno, "removing %s", path);
        }
        if (S_ISDIR(st.st_mode)) {
                int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0)
                        return berr_sys(e, errno, "removing %s", path);
                int r = rm_children(fd, st.st_dev);
                if (r < 0)
                        return berr_sys(e, r, "removing %s", path);
                if (rmdir(path) < 0 && errno != ENOENT)
                        return berr_sys(e, errno, "removing %s", path);
                return 0;
        }
        if (unlink(path) < 0 && errno != ENOENT)
                return berr_sys(e, errno, "removing %s", path);
        return 0;
}
