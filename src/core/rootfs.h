/* Building the container's root inside its new mount namespace, or below its root in the
 * runtime's when the spec has none (runs in the init, before exec).
 * Every mount target is resolved inside the rootfs (openat2 RESOLVE_IN_ROOT) and mounted through
 * its O_PATH fd, so a symlink in the image can never point a mount at the host. */
#ifndef BERTH_CORE_ROOTFS_H
#define BERTH_CORE_ROOTFS_H

struct berr;
struct spec;

/* In its own mount namespace: makes the mount tree private (or slave/private for the spec's
 * rootfsPropagation), mounts spec->root_mount or binds rootfs onto itself. In a shared one:
 * touches neither. Then every spec mount, then fills /dev. */
int rootfs_prepare(const struct spec *s, const char *rootfs, struct berr *e);
/* pivot_root into rootfs and detach the old root. */
int rootfs_pivot(const char *rootfs, struct berr *e);
/* rootfs_pivot in the container's own mount namespace; chroot in one shared with the runtime
 * (a spec without a mount namespace), where pivot_root would move the runtime's own root. */
int rootfs_enter(const struct spec *s, const char *rootfs, struct berr *e);
/* Unmounts what a container without a mount namespace of its own left below rootfs in the
 * shared namespace (its spec mounts, masked and read-only paths): delete calls it. */
int rootfs_release_shared(const char *rootfs, struct berr *e);
/* After pivot: a shared or unbindable linux.rootfsPropagation, on the new root. */
int rootfs_set_propagation(const struct spec *s, struct berr *e);
/* After pivot: masked paths, read-only paths, read-only root. */
int rootfs_finish(const struct spec *s, struct berr *e);


#endif
