/* Paths inside a container's root, resolved inside it (openat2 RESOLVE_IN_ROOT). */
#ifndef BERTH_CORE_ROOT_PATH_H
#define BERTH_CORE_ROOT_PATH_H

struct berr;

/* openat2 of path below rootfd with RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS (O_CLOEXEC added);
 * the fd, or -errno. */
int open_in_root(int rootfd, const char *path, int flags);
/* Opens path inside the root dirfd as O_PATH, creating missing parents as directories and the
 * leaf as a directory (leaf_dir) or an empty file. */
int rootfs_open_target(int rootfd, const char *path, int leaf_dir, struct berr *e);

#endif
