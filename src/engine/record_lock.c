#include "engine/record_lock.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"

#include <fcntl.h>
#include <sys/file.h>

int record_lock(const char *cdir, struct berr *e)
{
        _cleanup_free_ char *p = path_join(cdir, "record.lock");
        if (!p)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_close_ int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0)
                return errno == ENOENT ? -ENOENT : berr_sys(e, errno, "opening %s", p);
        while (flock(fd, LOCK_EX) < 0)
                if (errno != EINTR)
                        return berr_sys(e, errno, "locking %s", p);
        return steal_fd(fd);
}
