/* Waiting for an flock without waiting forever. flock(LOCK_EX) sleeps for as long as the holder
 * keeps the lock, and a holder that cannot progress (stopped by SIGSTOP or a debugger) keeps it
 * forever. flock_wait polls with LOCK_NB instead (1 ms, doubling up to 8 ms, 100 ms after 2 s)
 * and now and then (after 1 s, then less and less often) looks for the holder: a process with
 * an fd of the file whose fdinfo lists a lock. A holder found stopped at two looks in a row,
 * or a wait longer than the caller's limit, ends the wait with one sentence naming the file and
 * the holder (pid and command). */
#ifndef BERTH_UTIL_FLOCK_WAIT_H
#define BERTH_UTIL_FLOCK_WAIT_H

#include <stdbool.h>

struct berr;

/* Opens path to lock it (O_CLOEXEC), creating it if missing. A file that exists is opened
 * read-only when it cannot be opened for writing (a read-only or full file system): an flock
 * needs no write access, and a read-only command must not fail for it. -ENOENT when the
 * directory is gone. */
int flock_open(const char *path, struct berr *e);

/* Takes an exclusive flock on fd, opened from path. max_ms < 0: no limit but a stopped holder.
 * 0, or -ETIMEDOUT / -EDEADLK (the holder is stopped) / another negative errno, e set. */
int flock_wait(int fd, const char *path, int max_ms, struct berr *e);

/* Whether the text of /proc/PID/fdinfo/FD shows a lock held through that fd. Pure. */
bool fdinfo_holds_lock(const char *text);

#endif
