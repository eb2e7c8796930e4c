#include "core/rootfs.h"

#include "core/devices.h"
#include "core/root_path.h"

#include "core/mount_opts.h"
#include "core/mountinfo.h"
#include "core/spec.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/strv.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>


static int mount_at_fd(const char *src, int fd, const char *type, unsigned long flags,
                       const char *data)
{
        char target[64];
        snprintf(target, sizeof(target), "/proc/self/fd/%d", fd);
        return mount(src, target, type, flags, data) < 0 ? -errno : 0;
}

/* Flags a bind remount must keep: the kernel refuses to drop locked ones. */
static unsigned long kept_flags(int fd)
{
        struct statvfs sv;
        unsigned long f = 0;
        if (fstatvfs(fd, &sv) < 0)
                return 0;
        if (sv.f_flag & ST_NOSUID)
                f |= MS_NOSUID;
        if (sv.f_flag & ST_NODEV)
                f |= MS_NODEV;
        if (sv.f_flag & ST_NOEXEC)
                f |= MS_NOEXEC;
        return f;
}

/* A "cgroup" mount: cgroup2 on a unified host; a tmpfs with one mount per v1 hierarchy else. */
/* Without a cgroup namespace of its own, a fresh cgroup mount would show the host's whole tree:
 * bind the container's own directory (own, from /proc/self/cgroup) over the mount's root, as
 * runc does. Inside a cgroup namespace own is "/" and nothing is to do. */
static int narrow_to_own(int rootfd, const char *dest, const char *own, unsigned long flags,
                         struct berr *e)
{
        if (!own[0] || !strcmp(own, "/"))
                return 0;
        _cleanup_close_ int top = rootfs_open_target(rootfd, dest, 1, e);
        if (top < 0)
                return top;
        char src[PATH_MAX], dst[64];
        snprintf(src, sizeof(src), "/proc/self/fd/%d%s", top, own);
        snprintf(dst, sizeof(dst), "/proc/self/fd/%d", top);
        if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
                return berr_sys(e, errno, "mounting the container's cgroup %s at %s", own, dest);
        if (flags & MS_RDONLY) {
                _cleanup_close_ int over = rootfs_open_target(rootfd, dest, 1, e);
                if (over < 0)
                        return over;
                snprintf(dst, sizeof(dst), "/proc/self/fd/%d", over);
                if (mount(NULL, dst, NULL, MS_REMOUNT | MS_BIND | (flags & ~MS_REMOUNT), NULL) < 0)
                        return berr_sys(e, errno, "making %s read-only", dest);
        }
        return 0;
}

/* A "cgroup" mount: cgroup2 on a unified host; a tmpfs with one mount per v1 hierarchy else. */
static int mount_cgroup(int rootfd, const struct spec_mount *m, const struct mount_opts *mo,
                        int target, struct berr *e)
{
        FILE *f = fopen("/proc/self/cgroup", "re");
        if (!f)
                return berr_sys(e, errno, "reading /proc/self/cgroup");
        char line[512], own_v2[512] = "";
        bool v1 = false;
        unsigned long fl = mo->flags & ~MS_RDONLY;
        int r = 0;
        while (fgets(line, sizeof(line), f)) {
                line[strcspn(line, "\n")] = '\0';
                char *ctl = strchr(line, ':');
                char *path = ctl ? strchr(ctl + 1, ':') : NULL;
                if (!path)
                        continue;
                if (path == ctl + 1) { /* "0::/path": the v2 line */
                        snprintf(own_v2, sizeof(own_v2), "%s", path + 1);
                        continue;
                }
                *path = '\0';
                ctl++;
                if (!v1 && (r = mount_at_fd("tmpfs", target, "tmpfs", fl, "mode=755")) < 0)
                        break;
                v1 = true;
                const char *dir = strncmp(ctl, "name=", 5) ? ctl : ctl + 5;
                char dest[PATH_MAX], data[256];
                snprintf(dest, sizeof(dest), "%s/%s", m->destination, dir);
                snprintf(data, sizeof(data), "%s%s", strncmp(ctl, "name=", 5) ? "" : "none,", ctl);
                _cleanup_close_ int sub = rootfs_open_target(rootfd, dest, 1, e);
                if (sub < 0) {
                        fclose(f);
                        return sub;
                }
                if ((r = mount_at_fd("cgroup", sub, "cgroup", mo->flags, data)) < 0)
                        break;
                if ((r = narrow_to_own(rootfd, dest, path + 1, mo->flags, e)) < 0) {
                        fclose(f);
                        return r;
                }
        }
        fclose(f);
        if (r < 0)
                return berr_sys(e, r, "mounting cgroup at %s", m->destination);
        if (!v1) {
                if ((r = mount_at_fd("cgroup2", target, "cgroup2", mo->flags, NULL)) < 0)
                        return berr_sys(e, r, "mounting cgroup2 at %s", m->destination);
                return narrow_to_own(rootfd, m->destination, own_v2, mo->flags, e);
        }
        if (mo->flags & MS_RDONLY) {
                /* target names the directory under the tmpfs: reopen to reach the tmpfs. */
                _cleanup_close_ int top = rootfs_open_target(rootfd, m->destination, 1, e);
                if (top < 0)
                        return top;
                r = mount_at_fd(NULL, top, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | fl, NULL);
                if (r < 0)
                        return berr_sys(e, r, "making %s read-only", m->destination);
        }
        return 0;
}

/* /proc and /sys must be real: an image that makes them symlinks (or something else once
 * mounted) would aim berth's later writes somewhere else (CVE-2019-16884, CVE-2023-27561). */
static int check_special_target(int rootfd, const char *dest, struct berr *e)
{
        if (strcmp(dest, "/proc") && strcmp(dest, "/sys"))
                return 0;
        struct stat st;
        if (fstatat(rootfd, dest + 1, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode))
                return berr_set(e, EPERM, "refusing to mount on %s: in the rootfs it is %s, not a "
                                          "directory",
                                dest, S_ISLNK(st.st_mode) ? "a symlink" : "a file");
        return 0;
}

static int check_special_fs(int rootfd, const char *dest, struct berr *e)
{
        long want = !strcmp(dest, "/proc") ? PROC_SUPER_MAGIC : !strcmp(dest, "/sys") ? SYSFS_MAGIC : 0;
        if (!want)
                return 0;
        _cleanup_close_ int fd = open_in_root(rootfd, dest, O_PATH | O_DIRECTORY);
        struct statfs fs;
        if (fd < 0 || fstatfs(fd, &fs) < 0 || fs.f_type != want)
                return berr_set(e, EPERM, "%s in the container is not the filesystem berth mounted "
                                          "there",
                                dest);
        return 0;
}

static int mount_one(int rootfd, const struct spec_mount *m, struct berr *e)
{
        struct mount_opts mo;
        int sr = check_special_target(rootfd, m->destination, e);
        if (sr < 0)
                return sr;
        if (mount_opts_parse(m->options, &mo) < 0)
                return berr_set(e, E2BIG, "mount %s: options too long", m->destination);
        bool bind = mo.bind || (m->type && !strcmp(m->type, "bind"));
        int leaf_dir = 1;
        if (bind) {
                struct stat st;
                if (!m->source || stat(m->source, &st) < 0)
                        return berr_sys(e, m->source ? errno : ENOENT, "mount %s: source %s",
                                        m->destination, m->source ? m->source : "(none)");
                leaf_dir = S_ISDIR(st.st_mode);
        }
        _cleanup_close_ int target = rootfs_open_target(rootfd, m->destination, leaf_dir, e);
        if (target < 0)
                return target;
        int r;
        if (bind) {
                r = mount_at_fd(m->source, target, NULL, MS_BIND | (mo.recursive ? MS_REC : 0),
                                NULL);
                if (r == 0 && (mo.flags & ~MS_REMOUNT)) {
                        /* Re-open: the fd still names the directory under the new mount. */
                        _cleanup_close_ int over = rootfs_open_target(rootfd, m->destination,
                                                                      leaf_dir, e);
                        if (over < 0)
                                return over;
                        r = mount_at_fd(NULL, over, NULL,
                                        MS_REMOUNT | MS_BIND | mo.flags | kept_flags(over), NULL);
                }
        } else if (m->type && !strcmp(m->type, "cgroup")) {
                return mount_cgroup(rootfd, m, &mo, target, e);
        } else {
                r = mount_at_fd(m->source ? m->source : m->type, target, m->type, mo.flags,
                                mo.data[0] ? mo.data : NULL);
        }
        if (r < 0)
                return berr_sys(e, r, "mounting %s (%s) at %s", m->source ? m->source : "none",
                                m->type ? m->type : "bind", m->destination);
        if (mo.propagation) {
                _cleanup_close_ int over = rootfs_open_target(rootfd, m->destination, leaf_dir, e);
                if (over < 0)
                        return over;
                if ((r = mount_at_fd(NULL, over, NULL, mo.propagation, NULL)) < 0)
                        return berr_sys(e, r, "setting propagation of %s", m->destination);
        }
        if ((r = check_special_fs(rootfd, m->destination, e)) < 0)
                return r;
        if (!strcmp(m->destination, "/dev") && m->type && !strcmp(m->type, "tmpfs")) {
                _cleanup_close_ int dev = open_in_root(rootfd, "/dev", O_DIRECTORY | O_RDONLY);
                if (dev < 0)
                        return berr_sys(e, dev, "opening /dev");
                return devices_populate(dev, e);
        }
        return 0;
}

/* Without a mount namespace of its own the container shares its runtime's (the spec: it
 * inherits it): the mount tree is not ours to make private or to pivot, the root is entered by
 * chroot, and the spec's mounts stay in the shared namespace below the root until delete takes
 * them (rootfs_release_shared). What would change the shared tree itself is refused. */
static int prepare_shared(const struct spec *s, struct berr *e)
{
        if (s->root_mount)
                return berr_set(e, EINVAL, "a root mount needs a mount namespace (linux.namespaces)");
        if (s->root_readonly)
                return berr_set(e, EINVAL,
                                "root.readonly needs a mount namespace (linux.namespaces): it "
                                "would make the runtime's own file system read-only");
        if (s->rootfs_propagation)
                return berr_set(e, EINVAL, "linux.rootfsPropagation needs a mount namespace "
                                           "(linux.namespaces)");
        return 0;
}

int rootfs_prepare(const struct spec *s, const char *rootfs, struct berr *e)
{
        bool own = s->namespaces[NS_MOUNT].enabled;
        unsigned long prop = MS_PRIVATE | MS_REC;
        if (s->rootfs_propagation && !(prop = mount_propagation_flags(s->rootfs_propagation)))
                return berr_set(e, EINVAL, "linux.rootfsPropagation: unknown value \"%s\"",
                                s->rootfs_propagation);
        int r;
        if (!own && (r = prepare_shared(s, e)) < 0)
                return r;
        /* Before any mount: nothing the container mounts may propagate to the host. Shared
         * rootfs propagation still starts from slave so host mounts reach in, ours not out;
         * unbindable starts private (an unbindable root could not be bound onto itself). Both
         * are set on the new root once pivoted (rootfs_set_propagation): pivot_root refuses a
         * shared new root. */
        unsigned long first = (prop & MS_SHARED)       ? (MS_SLAVE | MS_REC)
                              : (prop & MS_UNBINDABLE) ? (MS_PRIVATE | MS_REC)
                                                       : (prop | MS_REC);
        if (own && mount(NULL, "/", NULL, first, NULL) < 0)
                return berr_sys(e, errno, "making the mount tree private");
        const struct spec_mount *rm = s->root_mount;
        if (!own) {
                /* chroot needs no mount point */
        } else if (rm) {
                struct mount_opts mo;
                if (mount_opts_parse(rm->options, &mo) < 0)
                        return berr_set(e, E2BIG, "root mount options too long");
                if (mount(rm->source, rootfs, rm->type, mo.flags, mo.data) < 0)
                        return berr_sys(e, errno, "mounting the %s root at %s", rm->type, rootfs);
        } else if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) {
                /* pivot_root needs the new root to be a mount point. */
                return berr_sys(e, errno, "bind-mounting root %s", rootfs);
        }
        _cleanup_close_ int rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
                return berr_sys(e, errno, "opening root %s", rootfs);
        for (size_t i = 0; i < s->n_mounts; i++) {
                int r = mount_one(rootfd, &s->mounts[i], e);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < s->n_devices; i++) {
                int r = device_create(rootfd, &s->devices[i], e);
                if (r < 0)
                        return r;
        }
        return 0;
}

int rootfs_set_propagation(const struct spec *s, struct berr *e)
{
        unsigned long prop = s->rootfs_propagation ? mount_propagation_flags(s->rootfs_propagation) : 0;
        if ((prop & (MS_SHARED | MS_UNBINDABLE)) && s->namespaces[NS_MOUNT].enabled &&
            mount(NULL, "/", NULL, prop | MS_REC, NULL) < 0)
                return berr_sys(e, errno, "linux.rootfsPropagation: setting %s on the root",
                                s->rootfs_propagation);
        return 0;
}

/* chroot for a container that shares its runtime's mount namespace: pivot_root there would
 * swap the root of every process in it (the host's, when berth-runtime runs on the host). */
static int enter_shared(const char *rootfs, struct berr *e)
{
        if (chdir(rootfs) < 0)
                return berr_sys(e, errno, "entering root %s", rootfs);
        if (chroot(".") < 0)
                return berr_sys(e, errno, "chroot into %s", rootfs);
        if (chdir("/") < 0)
                return berr_sys(e, errno, "chdir /");
        return 0;
}

int rootfs_enter(const struct spec *s, const char *rootfs, struct berr *e)
{
        return s->namespaces[NS_MOUNT].enabled ? rootfs_pivot(rootfs, e) : enter_shared(rootfs, e);
}

int rootfs_release_shared(const char *rootfs, struct berr *e)
{
        /* Deepest (latest) first; a mount point listed twice (stacked) is detached twice. */
        for (int round = 0; round < 8; round++) {
                _cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
                if (!f)
                        return berr_sys(e, errno, "reading /proc/self/mountinfo");
                char **v = NULL;
                long n = mountinfo_points_below(f, rootfs, &v);
                if (n < 0)
                        return berr_set(e, ENOMEM, "out of memory");
                int failed = 0;
                for (long i = n - 1; i >= 0; i--)
                        if (umount2(v[i], MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL &&
                            errno != ENOENT)
                                failed = errno;
                strv_free(v);
                if (n == 0)
                        return 0;
                if (failed)
                        return berr_sys(e, failed, "unmounting the container's mounts below %s", rootfs);
        }
        return berr_set(e, EBUSY, "mounts below %s keep coming back", rootfs);
}

int rootfs_pivot(const char *rootfs, struct berr *e)
{
        _cleanup_close_ int newroot = open(rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        if (newroot < 0)
                return berr_sys(e, errno, "opening root %s", rootfs);
        if (fchdir(newroot) < 0)
                return berr_sys(e, errno, "entering root %s", rootfs);
        /* pivot_root(".", ".") stacks the old root on the new one; no put_old directory in the
         * image is needed, and detaching "." removes the host's tree from our namespace. */
        if (syscall(SYS_pivot_root, ".", ".") < 0)
                return berr_sys(e, errno, "pivot_root into %s", rootfs);
        if (umount2(".", MNT_DETACH) < 0)
                return berr_sys(e, errno, "detaching the old root");
        if (chdir("/") < 0)
                return berr_sys(e, errno, "chdir /");
        return 0;
}

static int check_dev_null(struct berr *e)
{
        struct stat st;
        if (stat("/dev/null", &st) < 0)
                return berr_sys(e, errno, "masking paths needs /dev/null");
        /* A /dev/null that is not the null device would unmask instead of mask. */
        if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
                return berr_set(e, EPERM, "/dev/null in the container is not the null device");
        return 0;
}

static int mask_path(const char *p, struct berr *e)
{
        struct stat st;
        if (lstat(p, &st) < 0)
                return 0; /* nothing to hide */
        int r = S_ISDIR(st.st_mode) ? mount("tmpfs", p, "tmpfs", MS_RDONLY, "size=0")
                                    : mount("/dev/null", p, NULL, MS_BIND, NULL);
        if (r < 0 && errno != ENOENT)
                return berr_sys(e, errno, "masking %s", p);
        return 0;
}

static int readonly_path(const char *p, struct berr *e)
{
        if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0)
                return errno == ENOENT ? 0 : berr_sys(e, errno, "making %s read-only", p);
        _cleanup_close_ int fd = open(p, O_PATH | O_CLOEXEC);
        unsigned long kept = fd >= 0 ? kept_flags(fd) : 0;
        if (mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | kept, NULL) < 0)
                return berr_sys(e, errno, "making %s read-only", p);
        return 0;
}

int rootfs_finish(const struct spec *s, struct berr *e)
{
        int r;
        if (s->masked_paths && s->masked_paths[0] && (r = check_dev_null(e)) < 0)
                return r;
        for (size_t i = 0; s->masked_paths && s->masked_paths[i]; i++)
                if ((r = mask_path(s->masked_paths[i], e)) < 0)
                        return r;
        for (size_t i = 0; s->readonly_paths && s->readonly_paths[i]; i++)
                if ((r = readonly_path(s->readonly_paths[i], e)) < 0)
                        return r;
        if (s->root_readonly) {
                _cleanup_close_ int fd = open("/", O_PATH | O_CLOEXEC);
                if (mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | kept_flags(fd),
                          NULL) < 0)
                        return berr_sys(e, errno, "making the root read-only");
        }
        return 0;
}
