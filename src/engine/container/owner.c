#include "engine/container/owner.h"

#include "core/cgroup.h"
#include "engine/container/containers.h"
#include "engine/container/lookup.h"
#include "engine/container/record.h"
#include "engine/network/network.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/flock_wait.h"
#include "util/fs.h"
#include "util/strv.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

int owner_lock(const char *cdir, int wait_ms, struct berr *e)
{
        _cleanup_free_ char *p = path_join(cdir, "lock");
        if (!p)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_close_ int fd = flock_open(p, e);
        if (fd < 0)
                return fd;
        if (wait_ms == OWNER_NOWAIT) {
                if (flock(fd, LOCK_EX | LOCK_NB) < 0)
                        return errno == EWOULDBLOCK ? -EWOULDBLOCK
                                                    : berr_sys(e, errno, "locking %s", p);
        } else {
                int r = flock_wait(fd, p, wait_ms, e);
                if (r < 0)
                        return berr_wrap(e, "waiting for the container's owner");
        }
        return steal_fd(fd);
}

int container_reconcile(const char *root, const char *id, struct record *rec, bool *removed,
                        struct berr *e)
{
        _cleanup_free_ char *cdir = container_dir(root, id);
        *removed = false;
        if (!cdir)
                return berr_set(e, ENOMEM, "out of memory");
        int r = record_read(cdir, rec, e);
        if (r < 0 || rec->status == REC_EXITED)
                return r;
        _cleanup_close_ int lock = owner_lock(cdir, OWNER_NOWAIT, e);
        if (lock == -EWOULDBLOCK) {
                /* Its owner is alive: the record is true, but for the freezer, which anyone
                 * may have changed (or a pause that failed half-way): the kernel's word. */
                if (rec->status == REC_RUNNING)
                        rec->paused = container_frozen(rec);
                return 0;
        }
        if (lock < 0)
                return lock;
        /* Re-read under the lock: the owner may have finished between our read and lock. */
        record_clear(rec);
        if ((r = record_read(cdir, rec, e)) < 0 || rec->status == REC_EXITED)
                return r;
        struct cgroup cg;
        struct berr ignore;
        if (rec->cgroup[0] && cgroup_deserialize(rec->cgroup, &cg, &ignore) == 0) {
                rec->oom_killed = cgroup_oom_killed(&cg);
                cgroup_destroy(&cg, &ignore);
                cgroup_release(&cg);
        }
        net_release(root, id, NULL); /* its addresses, ports, and maybe its network's bridge */
        if (rec->auto_remove) {
                *removed = true;
                return container_remove_files(root, id, rec->name, e);
        }
        rec->status = REC_EXITED;
        rec->exit_code = 137;
        rec->pid = 0;
        rec->paused = false;
        rfc3339_now(rec->finished_at);
        /* The caller gets the corrected record even when it cannot be kept (a full or
         * read-only store): ps, inspect and stop must not fail for a write they did not ask
         * for. The next reconcile that can write keeps it. */
        struct berr werr;
        r = record_write(cdir, rec, &werr);
        if (r == -ENOSPC || r == -EDQUOT || r == -EROFS)
                return 0;
        if (r < 0 && e)
                *e = werr;
        return r;
}

bool container_frozen(const struct record *rec)
{
        struct cgroup cg;
        struct berr ignore;
        if (!rec->cgroup[0] || cgroup_deserialize(rec->cgroup, &cg, &ignore) < 0)
                return false;
        bool frozen = cgroup_frozen(&cg);
        cgroup_release(&cg);
        return frozen;
}

void container_thaw(const struct record *rec)
{
        struct cgroup cg;
        struct berr ignore;
        if (!rec->cgroup[0] || cgroup_deserialize(rec->cgroup, &cg, &ignore) < 0)
                return;
        if (cgroup_frozen(&cg))
                cgroup_freeze(&cg, false, &ignore);
        cgroup_release(&cg);
}

void containers_reconcile_all(const char *root)
{
        char **ids = NULL;
        struct berr ignore;
        if (container_list(root, &ids, &ignore) == 0)
                for (size_t i = 0; ids[i]; i++) {
                        struct record rec;
                        bool removed;
                        container_reconcile(root, ids[i], &rec, &removed, &ignore);
                        record_clear(&rec);
                }
        strv_free(ids);
}
