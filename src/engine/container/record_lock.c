#include "engine/container/record_lock.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/flock_wait.h"
#include "util/fs.h"

int record_lock(const char *cdir, struct berr *e)
{
        _cleanup_free_ char *p = path_join(cdir, "record.lock");
        if (!p)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_close_ int fd = flock_open(p, e);
        if (fd < 0)
                return fd;
        int r = flock_wait(fd, p, RECORD_LOCK_MAX_MS, e);
        return r < 0 ? r : steal_fd(fd);
}
