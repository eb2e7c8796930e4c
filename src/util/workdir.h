/* Work directories with an owner the next process can test.
 *
 * A writer builds its result in a directory of its own (images/tmp/load-*, a container's
 * .removing-<id>, ...) and renames it into place or deletes it at the end. Killed in between,
 * it leaves the directory behind. So the writer holds an flock on the directory itself (its
 * own fd, O_DIRECTORY) for as long as it works there: the kernel drops the lock when the
 * process dies, even by SIGKILL, so "a dir whose lock can be taken" is exactly "a dir whose
 * owner is dead", with no pid guesswork and nothing that goes stale. A collector takes the lock
 * (never waiting), removes the directory while holding it, and skips a directory whose lock is
 * held: a live writer's work is never touched.
 *
 * An flock belongs to the open file: a fork shares it (the child of a writer keeps the lock
 * while it lives), and the fd is O_CLOEXEC so a program the writer execs does not. */
#ifndef BERTH_UTIL_WORKDIR_H
#define BERTH_UTIL_WORKDIR_H

#include <stdbool.h>
#include <stddef.h>

struct berr;

struct workdir {
        char *path; /* heap; NULL when empty */
        int lock;   /* the locked fd of the directory, -1 when empty */
};

#define WORKDIR_INIT {NULL, -1}

/* Makes a fresh directory <parent>/<prefix>XXXXXX (mode 0700) and locks it. A collector that
 * saw it before the lock was taken may have removed it: then another name is tried. */
int workdir_create(const char *parent, const char *prefix, struct workdir *w, struct berr *e);

/* Locks the existing directory path (O_NOFOLLOW) for the caller: the fd, -EWOULDBLOCK if a
 * live process holds it (only when !wait), -ENOENT if it is gone (also when it was removed
 * while we waited for the lock), or another negative errno with e set. */
int workdir_lock(const char *path, bool wait, struct berr *e);

/* Removes the directory (while still holding its lock, so nobody sees it half gone and
 * ownerless) and empties w. Safe on an empty w. */
int workdir_remove(struct workdir *w, struct berr *e);

/* Lets go of the lock without removing anything (the directory was renamed into place) and
 * empties w. Safe on an empty w. */
void workdir_release(struct workdir *w);

/* Collects every directory directly under parent whose name starts with prefix ("" for all)
 * and whose owner is dead: takes its lock (never waiting), calls collect(path, name, arg)
 * while holding it (NULL: just rm_rf the directory; a callback removes the directory itself
 * and whatever else the dead writer left outside it), then lets go. Returns how many were
 * collected. A missing parent is fine; a directory that cannot be removed now is skipped (the
 * next collector tries again). */
typedef void (*workdir_collect_fn)(const char *path, const char *name, void *arg);
size_t workdir_collect(const char *parent, const char *prefix, workdir_collect_fn collect,
                       void *arg);

#endif
