#include "engine/owner.h"

#include "core/cgroup.h"
#include "engine/containers.h"
#include "engine/lookup.h"
#include "engine/network.h"
#include "engine/record.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

int owner_lock(const char *cdir, bool wait, struct berr *e)
{
        _cleanup_free_ char *p = path_join(cdir, "lock");
        if (!p)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_close_ int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0)
                return berr_sys(e, errno, "opening %s", p);
        if (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0)
                return errno == EWOULDBLOCK ? -EWOULDBLOCK : berr_sys(e, errno, "locking %s", p);
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
        _cleanup_close_ int lock = owner_lock(cdir, false, e);
        if (lock == -EWOULDBLOCK)
                return 0; /* its owner is alive: the record is true */
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
        rfc3339_now(rec->finished_at);
        return record_write(cdir, rec, e);
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
