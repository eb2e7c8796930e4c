/* The record's lock: <dir>/record.lock, an flock held around a read-modify-write of
 * record.json by anyone but the owner's first write (pause, unpause, rename, and the owner's
 * last write when the container exits), so no update is lost to a concurrent one. It is not the
 * owner lock (owner.h), which the owner holds for the container's whole life. Hold it briefly;
 * never wait for the owner lock while holding it. */
#ifndef BERTH_ENGINE_RECORD_LOCK_H
#define BERTH_ENGINE_RECORD_LOCK_H

struct berr;

/* Returns the fd to close, or <0 (-ENOENT when the container's directory is gone). */
int record_lock(const char *cdir, struct berr *e);

#endif
