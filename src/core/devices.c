/* The standard /dev of a container: the same six nodes and links runc and docker give. */
#include "core/rootfs.h"

#include "util/err.h"

#include <fcntl.h>
#include <stdio.h>
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
