/* The standard /dev of a container: the same six nodes and links runc and docker give. */
#include "core/devices.h"

#include "core/root_path.h"

#include "core/spec.h"
#include "util/err.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static const struct {
        const char *name;
        unsigned maj, min;
} nodes[] = {
        {"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9},
        {"tty", 5, 0},
};

static const struct {
        const char *name, *target;
} links[] = {
        {"fd", "/proc/self/fd"},       {"stdin", "/proc/self/fd/0"}, {"stdout", "/proc/self/fd/1"},
        {"stderr", "/proc/self/fd/2"}, {"ptmx", "pts/ptmx"},         {"core", "/proc/kcore"},
};

int devices_populate(int devfd, struct berr *e)
{
        for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
                if (mknodat(devfd, nodes[i].name, S_IFCHR | 0666,
                            makedev(nodes[i].maj, nodes[i].min)) == 0) {
                        fchmodat(devfd, nodes[i].name, 0666, 0); /* umask may have cut it */
                        continue;
                }
                if (errno != EPERM)
                        return berr_sys(e, errno, "creating /dev/%s", nodes[i].name);
                /* In a user namespace mknod is refused: bind the host's node instead. */
                int f = openat(devfd, nodes[i].name, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
                if (f < 0)
                        return berr_sys(e, errno, "creating /dev/%s", nodes[i].name);
                char src[64], dst[64];
                snprintf(src, sizeof(src), "/dev/%s", nodes[i].name);
                snprintf(dst, sizeof(dst), "/proc/self/fd/%d", f);
                int r = mount(src, dst, NULL, MS_BIND, NULL);
                close(f);
                if (r < 0)
                        return berr_sys(e, errno, "binding /dev/%s", nodes[i].name);
        }
        for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
                if (symlinkat(links[i].target, devfd, links[i].name) < 0 && errno != EEXIST)
                        return berr_sys(e, errno, "linking /dev/%s", links[i].name);
        return 0;
}

int device_create(int rootfd, const struct spec_device *d, struct berr *e)
{
        char parent[4096];
        snprintf(parent, sizeof(parent), "%s", d->path);
        char *slash = strrchr(parent, '/');
        const char *base = slash + 1;
        if (slash == parent)
                strcpy(parent, "/");
        else
                *slash = '\0';
        if (!*base)
                return berr_set(e, EINVAL, "linux.devices: bad path %s", d->path);
        int dir = rootfs_open_target(rootfd, parent, 1, e);
        if (dir < 0)
                return dir;
        /* O_PATH fds cannot be used for mknodat: reopen the directory for real. */
        char proc[64];
        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", dir);
        int real = open(proc, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        close(dir);
        if (real < 0)
                return berr_sys(e, errno, "linux.devices: %s", parent);
        mode_t type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
        mode_t perm = d->file_mode ? (d->file_mode & 07777) : 0666;
        unlinkat(real, base, 0);
        int r = 0;
        if (mknodat(real, base, type | perm, makedev(d->major, d->minor)) == 0) {
                fchmodat(real, base, perm, 0);
                if (fchownat(real, base, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
                        r = berr_sys(e, errno, "linux.devices: chown %s", d->path);
        } else if (errno == EPERM) {
                int f = openat(real, base, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
                char dst[64];
                snprintf(dst, sizeof(dst), "/proc/self/fd/%d", f);
                if (f < 0 || mount(d->path, dst, NULL, MS_BIND, NULL) < 0)
                        r = berr_sys(e, errno, "linux.devices: binding %s", d->path);
                if (f >= 0)
                        close(f);
        } else {
                r = berr_sys(e, errno, "linux.devices: creating %s", d->path);
        }
        close(real);
        return r;
}
