/* The record's lock: <dir>/record.lock, an flock held around a read-modify-write of
 * record.json by anyone but the owner's first write (pause, unpause, rename, and the owner's
 * last write when the container exits), so no update is lost to a concurrent one. It is not the owner lock (owner.h), which the owner holds for the
 * container's whole life. Hold it briefly, never across a wait for the owner lock or for a
 * container's process: a waiter gives up after RECORD_LOCK_MAX_MS, or sooner when the holder
 * is stopped (util/flock_wait.h), instead of waiting forever. */
#ifndef BERTH_ENGINE_RECORD_LOCK_H
#define BERTH_ENGINE_RECORD_LOCK_H

struct berr;

/* Held for milliseconds (a v1 freeze may take up to a second): far beyond that, the holder is
 * stuck. */
#define RECORD_LOCK_MAX_MS 20000

/* Returns the fd to close, or <0 (-ENOENT when the container's directory is gone; -ETIMEDOUT
 * or -EDEADLK with a sentence naming the holder when it does not let go). */
int record_lock(const char *cdir, struct berr *e);

#endif
