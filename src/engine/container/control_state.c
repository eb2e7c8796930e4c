/* Changing a running container's record: pause/unpause and rename. The owner holds the owner
 * lock for the container's whole life, so these take the record lock (record_lock.h) around
 * their read-modify-write; the owner's last write takes it too, so neither update is lost. */
#include "engine/container/control.h"

#include "core/cgroup.h"
#include "engine/container/containers.h"
#include "engine/container/lookup.h"
#include "engine/container/record_lock.h"
#include "util/cleanup.h"
#include "util/err.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int container_pause(const char *root, const char *ref, bool pause, struct berr *e)
{
        char id[65];
        int r = container_find(root, ref, id, e);
        if (r < 0)
                return r;
        _cleanup_free_ char *cdir = container_dir(root, id);
        if (!cdir)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_close_ int lock = record_lock(cdir, e);
        if (lock == -ENOENT)
                return berr_set(e, ENOENT, "no such container: %s", ref);
        if (lock < 0)
                return lock;
        struct record rec; /* rec.paused: what the kernel says (container_reconcile) */
        if ((r = container_get(root, ref, id, &rec, e)) < 0)
                return r;
        struct cgroup cg;
        if (rec.status != REC_RUNNING)
                r = berr_set(e, EINVAL, "container %s is not running", ref);
        else if (rec.paused == pause)
                r = berr_set(e, EINVAL, pause ? "container %s is already paused"
                                              : "container %s is not paused", ref);
        else if (!rec.cgroup[0])
                r = berr_set(e, EINVAL, "container %s has no cgroup recorded", ref);
        else if ((r = cgroup_deserialize(rec.cgroup, &cg, e)) == 0) {
                if ((r = cgroup_freeze(&cg, pause, e)) < 0)
                        berr_wrap(e, "%s container %s", pause ? "pausing" : "unpausing", ref);
                else {
                        rec.paused = pause;
                        struct berr werr;
                        int w = record_write(cdir, &rec, &werr);
                        /* Nothing half done: a pause that cannot be recorded is undone. A thaw
                         * that cannot be recorded is done all the same (the kernel is the truth,
                         * and every reader asks it), so unpause works on a full disk. */
                        if (w < 0 && pause) {
                                struct berr ignore;
                                cgroup_freeze(&cg, false, &ignore);
                                if (e)
                                        *e = werr;
                                r = berr_wrap(e, "pausing container %s (left running)", ref);
                        }
                }
                cgroup_release(&cg);
        }
        record_clear(&rec);
        return r;
}

/* Unlinks names/<name> only if it still names id. */
static void release_name_of(const char *root, const char *name, const char *id)
{
        char link[PATH_MAX], target[80];
        snprintf(link, sizeof(link), "%s/containers/names/%s", root, name);
        ssize_t n = readlink(link, target, sizeof(target) - 1);
        if (n == 64 && !memcmp(target, id, 64))
                unlink(link);
}

int container_rename(const char *root, const char *ref, const char *new_name, struct berr *e)
{
        char id[65];
        if (new_name[0] == '/')
                new_name++; /* docker accepts "/name" */
        if (!container_name_valid(new_name))
                return berr_set(e, EINVAL,
                                "invalid container name \"%s\": only [a-zA-Z0-9][a-zA-Z0-9_.-] "
                                "are allowed",
                                new_name);
        int r = container_find(root, ref, id, e);
        if (r < 0)
                return r;
        _cleanup_free_ char *cdir = container_dir(root, id);
        if (!cdir)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_close_ int lock = record_lock(cdir, e);
        if (lock == -ENOENT)
                return berr_set(e, ENOENT, "no such container: %s", ref);
        if (lock < 0)
                return lock;
        struct record rec;
        if ((r = record_read(cdir, &rec, e)) < 0) {
                if (r == -ENOENT)
                        return berr_set(e, ENOENT, "no such container: %s", ref);
                return r;
        }
        if (!strcmp(rec.name, new_name)) {
                record_clear(&rec);
                return berr_set(e, EINVAL, "container %s is already named %s", ref, new_name);
        }
        if ((r = container_name_reserve(root, new_name, id, e)) < 0) {
                record_clear(&rec);
                if (r == -EEXIST)
                        berr_set(e, EEXIST, "cannot rename container %s: the name \"%s\" is already in use",
                                 ref, new_name);
                return r;
        }
        char old[sizeof(rec.name)];
        memcpy(old, rec.name, sizeof(old));
        snprintf(rec.name, sizeof(rec.name), "%s", new_name);
        if ((r = record_write(cdir, &rec, e)) < 0)
                release_name_of(root, new_name, id);
        else if (old[0])
                release_name_of(root, old, id);
        record_clear(&rec);
        return r;
}
