/* Paths inside a container's root, resolved by the kernel (openat2 RESOLVE_IN_ROOT) so that no
 * symlink in the image leads out of it. A leaf both rootfs.c (mount targets) and devices.c
 * (device nodes) stand on. */
#include "core/root_path.h"

#include "util/cleanup.h"
#include "util/err.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int open_in_root(int rootfd, const char *path, int flags)
{
        struct open_how how = {
                .flags = (unsigned long long)(flags | O_CLOEXEC),
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
        return fd < 0 ? -errno : fd;
}

int rootfs_open_target(int rootfd, const char *path, int leaf_dir, struct berr *e)
{
        char prefix[PATH_MAX];
        size_t len = strlen(path);
        if (len >= sizeof(prefix))
                return berr_set(e, ENAMETOOLONG, "mount target %s: path too long", path);
        int fd = open_in_root(rootfd, path, O_PATH);
        if (fd >= 0 || fd != -ENOENT)
                return fd >= 0 ? fd : berr_sys(e, fd, "mount target %s", path);
        /* Walk from the top, creating what is missing, each step resolved inside the root. */
        _cleanup_close_ int parent = dup(rootfd);
        size_t i = 0;
        while (i < len) {
                while (path[i] == '/')
                        i++;
                size_t start = i;
                while (i < len && path[i] != '/')
                        i++;
                if (i == start)
                        break;
                memcpy(prefix, path, i);
                prefix[i] = '\0';
                const char *comp = prefix + start;
                bool leaf = path[i] == '\0' || path[i + strspn(path + i, "/")] == '\0';
                int next = open_in_root(rootfd, prefix, O_PATH);
                if (next == -ENOENT) {
                        int r;
                        if (leaf && !leaf_dir) {
                                r = openat(parent, comp, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW |
                                                                 O_CLOEXEC, 0644);
                                if (r >= 0)
                                        close(r);
                        } else {
                                r = mkdirat(parent, comp, 0755);
                        }
                        if (r < 0 && errno != EEXIST)
                                return berr_sys(e, errno, "creating mount target %s", prefix);
                        next = open_in_root(rootfd, prefix, O_PATH);
                }
                if (next < 0)
                        return berr_sys(e, next, "mount target %s", prefix);
                close(parent);
                parent = next;
        }
        return steal_fd(parent);
}
