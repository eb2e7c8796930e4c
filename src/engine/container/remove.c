/* rm and prune. A removal holds the owner lock (so nothing runs the container meanwhile), then
 * renames the directory out of the way before deleting it (container_trash): the rename is
 * atomic, so a concurrent rm that waited for the lock finds no container and says so, and
 * nobody can recreate files in a directory that is being deleted. */
#include "engine/container/control.h"

#include "core/cgroup.h"
#include "engine/container/container_volumes.h"
#include "engine/container/containers.h"
#include "engine/container/lookup.h"
#include "engine/container/owner.h"
#include "engine/volume/volume.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* With the owner lock held: cgroup (if the owner died without removing it), rename, delete. */
static int remove_locked(const char *root, const char *id, const char *ref, const char *cdir,
                         struct berr *e)
{
        struct record rec;
        int r = record_read(cdir, &rec, e);
        if (r == -ENOENT)
                return berr_set(e, ENOENT, "no such container: %s", ref);
        if (r < 0)
                return r;
        struct cgroup cg;
        struct berr ignore;
        if (rec.cgroup[0] && cgroup_deserialize(rec.cgroup, &cg, &ignore) == 0) {
                cgroup_destroy(&cg, &ignore); /* missing directories are fine */
                cgroup_release(&cg);
        }
        r = container_trash(root, id, rec.name, -1, e);
        record_clear(&rec);
        if (r == -ENOENT)
                return berr_set(e, ENOENT, "no such container: %s", ref);
        if (r < 0)
                berr_wrap(e, "removing container %s", ref);
        return r;
}

static int rm_id(const char *root, const char *id, const char *ref, bool force, struct berr *e)
{
        _cleanup_free_ char *cdir = container_dir(root, id);
        if (!cdir)
                return berr_set(e, ENOMEM, "out of memory");
        int lock = owner_lock(cdir, force ? OWNER_FINISH_MAX_MS : OWNER_NOWAIT, e);
        if (lock == -EWOULDBLOCK)
                return berr_set(e, EBUSY,
                                "cannot remove running container %s: stop it first or use rm -f",
                                ref);
        if (lock < 0) {
                if (access(cdir, F_OK) < 0)
                        return berr_set(e, ENOENT, "no such container: %s", ref);
                return lock;
        }
        int r = remove_locked(root, id, ref, cdir, e);
        close(lock);
        return r;
}

int container_rm(const char *root, const char *ref, bool force, struct berr *e)
{
        char id[65];
        struct record rec;
        containers_collect(root); /* what killed rms (and creates) left */
        int r = container_get(root, ref, id, &rec, e);
        if (r < 0)
                return r;
        bool running = rec.status == REC_RUNNING;
        /* An --rm container that rm -f kills removes itself meanwhile: that is what was asked. */
        bool removes_itself = running && rec.auto_remove;
        if (running && !force) {
                record_clear(&rec);
                return berr_set(e, EBUSY,
                                "cannot remove running container %s: stop it first or use rm -f",
                                ref);
        }
        if (running) {
                /* SIGKILL the init (verified by start time); the owner then records the exit
                 * and lets go of the lock, which rm_id waits for. */
                int fd = rec.pid > 0 ? (int)syscall(SYS_pidfd_open, rec.pid, 0) : -1;
                if (fd >= 0 && proc_start_time(rec.pid) == rec.pid_start)
                        syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
                if (fd >= 0)
                        close(fd);
                /* Frozen (paused, or by anyone writing its freezer), the init would not die and
                 * its owner would never let go: the kernel's word, not the record's. */
                container_thaw(&rec);
        }
        record_clear(&rec);
        r = rm_id(root, id, ref, force, e);
        return r == -ENOENT && removes_itself ? 0 : r;
}

static uint64_t du_total;
static int du_add(const char *path, const struct stat *st, int flag, struct FTW *f)
{
        if (flag == FTW_F)
                du_total += (uint64_t)st->st_size;
        return 0;
}

int containers_prune(const char *root, char ***removed, uint64_t *bytes, struct berr *e)
{
        char **ids = NULL;
        *bytes = 0;
        *removed = calloc(1, sizeof(char *));
        int r = *removed ? container_list(root, &ids, e) : berr_set(e, ENOMEM, "out of memory");
        if (r < 0) {
                strv_free(ids);
                return r;
        }
        for (size_t i = 0; ids[i]; i++) {
                char id[65];
                struct record rec;
                struct berr ignore;
                if (container_get(root, ids[i], id, &rec, &ignore) < 0)
                        continue;
                bool exited = rec.status == REC_EXITED;
                record_clear(&rec);
                if (!exited)
                        continue;
                _cleanup_free_ char *cdir = container_dir(root, id);
                du_total = 0;
                if (cdir)
                        nftw(cdir, du_add, 16, FTW_PHYS | FTW_MOUNT);
                /* Not forced: one that was started meanwhile is running again and stays. */
                if (rm_id(root, id, id, false, &ignore) == 0) {
                        *bytes += du_total;
                        strv_push(removed, id);
                }
        }
        strv_free(ids);
        return 0;
}

int container_rm_volumes(const char *root, const char *ref, bool force, struct berr *e)
{
        char id[65];
        char **anon = NULL;
        struct berr ignore;
        if (container_find(root, ref, id, &ignore) == 0) {
                _cleanup_free_ char *cdir = container_dir(root, id);
                if (cdir)
                        container_volumes_read(cdir, NULL, &anon, &ignore);
        }
        int r = container_rm(root, ref, force, e);
        if (r == 0)
                container_volumes_remove(root, anon);
        strv_free(anon);
        return r;
}
