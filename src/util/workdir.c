/* Work directories whose owner holds an flock on them: see workdir.h. */
#include "util/workdir.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/flock_wait.h"
#include "util/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int workdir_lock(const char *path, bool wait, struct berr *e)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? -ENOENT : berr_sys(e, errno, "opening %s", path);
        if (wait) {
                /* not forever behind a holder that cannot progress (a stopped writer) */
                int r = flock_wait(fd, path, -1, e);
                if (r < 0)
                        return r;
        } else {
                while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                        if (errno == EWOULDBLOCK)
                                return -EWOULDBLOCK;
                        if (errno != EINTR)
                                return berr_sys(e, errno, "locking %s", path);
                }
        }
        /* The previous holder may have removed (or renamed) the directory before letting go:
         * then the lock is on an inode that path no longer names. */
        struct stat held, now;
        if (fstat(fd, &held) < 0)
                return berr_sys(e, errno, "locking %s", path);
        if (held.st_nlink == 0 || lstat(path, &now) < 0 || now.st_dev != held.st_dev ||
            now.st_ino != held.st_ino)
                return -ENOENT;
        return steal_fd(fd);
}

int workdir_create(const char *parent, const char *prefix, struct workdir *w, struct berr *e)
{
        *w = (struct workdir)WORKDIR_INIT;
        for (int tries = 0; tries < 16; tries++) {
                _cleanup_free_ char *p = NULL;
                if (asprintf(&p, "%s/%sXXXXXX", parent, prefix) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
                if (!mkdtemp(p))
                        return berr_sys(e, errno, "creating a directory in %s", parent);
                /* A collector may have taken the lock first (the dir was ownerless for a
                 * moment) and removed it: -ENOENT, try another name. */
                int fd = workdir_lock(p, true, e);
                if (fd == -ENOENT)
                        continue;
                if (fd < 0) {
                        rmdir(p);
                        return fd;
                }
                w->path = steal_ptr(p);
                w->lock = fd;
                return 0;
        }
        return berr_set(e, EAGAIN, "creating a directory in %s: removed by others 16 times",
                        parent);
}

int workdir_remove(struct workdir *w, struct berr *e)
{
        int r = w->path ? rm_rf(w->path, e) : 0;
        workdir_release(w);
        return r;
}

void workdir_release(struct workdir *w)
{
        if (w->lock >= 0)
                close(w->lock);
        free(w->path);
        *w = (struct workdir)WORKDIR_INIT;
}

size_t workdir_collect(const char *parent, const char *prefix, workdir_collect_fn collect,
                       void *arg)
{
        _cleanup_closedir_ DIR *d = opendir(parent);
        if (!d)
                return 0;
        size_t n = 0, plen = strlen(prefix);
        struct dirent *de;
        while ((de = readdir(d))) {
                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
                    strncmp(de->d_name, prefix, plen) ||
                    (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN))
                        continue;
                _cleanup_free_ char *p = path_join(parent, de->d_name);
                if (!p)
                        break;
                _cleanup_close_ int fd = workdir_lock(p, false, NULL);
                if (fd < 0)
                        continue; /* alive, gone already, or not a directory */
                if (collect)
                        collect(p, de->d_name, arg);
                else
                        rm_rf(p, NULL);
                n++;
        }
        return n;
}
