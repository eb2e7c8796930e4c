/* File helpers shared by core and engine. Paths are always arguments, never globals. */
#ifndef BERTH_UTIL_FS_H
#define BERTH_UTIL_FS_H

#include <stddef.h>
#include <sys/types.h>

struct berr;

/* mkdir -p; existing directories are fine. */
int mkdir_p(const char *path, mode_t mode, struct berr *e);
/* Writes data to path through a temporary file in the same directory, fsync-free rename:
 * a reader sees the old or the new content, never a torn one. */
int write_file_atomic(const char *path, const void *data, size_t len, mode_t mode, struct berr *e);
/* write_file_atomic, and the extended attribute xname = xval set on the new file before the
 * rename, so whoever sees the content sees the attribute that goes with it (or, where the file
 * system has no room or no support for it, none: the attribute is a cache, never the truth). */
int write_file_atomic_xattr(const char *path, const void *data, size_t len, mode_t mode,
                            const char *xname, const void *xval, size_t xlen, struct berr *e);
/* Removes from dir what write_file_atomic left there when its writer was killed between write and
 * rename: "<name>.tmp.<pid>" whose pid is no process any more (a live writer's stays, and so,
 * harmlessly, does one whose pid was reused). Returns how many it removed. */
int atomic_tmp_collect(const char *dir);
/* Writes (truncating) a small file in place. */
int write_file(const char *path, const void *data, size_t len, mode_t mode, struct berr *e);
/* Writes all of data to fd, on after EINTR and short writes: 0 or -errno (a short write's
 * reason, ENOSPC say, is the errno of the next write, never a stale one). */
int write_all(int fd, const void *data, size_t len);
/* Reads a whole (small) file; *out is NUL-terminated and heap-owned. */
int read_file(const char *path, char **out, size_t *len, struct berr *e);
/* read_file of an open fd (path: for the error message). */
int read_fd(int fd, const char *path, char **out, size_t *len, struct berr *e);
/* rm -rf that does not cross mount points and never follows symlinks. Missing path is fine. */
int rm_rf(const char *path, struct berr *e);
/* Joins a and b with exactly one '/'; heap-owned, NULL on ENOMEM. */
char *path_join(const char *a, const char *b);

#endif
