/* A mutex that is a name, not a file: a unix socket bound to NAME in the abstract namespace
 * (shown as "@NAME" by ss). bind() succeeds for one socket at a time, and the kernel frees the
 * name when the last fd of that socket closes, on any exit including SIGKILL. So nothing is left
 * on disk and nothing goes stale, where a lock file could never be removed safely (a process that
 * opened it before the unlink would lock an inode nobody else sees).
 *
 * Abstract names belong to the network namespace: the lock is per network namespace.
 *
 * Any process of the namespace may bind any name (of its socket type: the lock is a stream
 * socket's), so a waiter checks who holds it: a holder listens, a waiter connects and reads the
 * holder's credentials (SO_PEERCRED). A holder of another uid, or a stream socket that does not
 * listen (for 3 s), or a holder stopped (SIGSTOP, a debugger) at two checks a second apart, is
 * an error that says so instead of an endless wait. */
#ifndef BERTH_UTIL_NAME_LOCK_H
#define BERTH_UTIL_NAME_LOCK_H

#include "util/err.h"

/* Waits until this process holds the lock NAME (without the leading NUL; at most 100 bytes),
 * sleeping between attempts (1 ms, doubling up to 20 ms). Returns the fd that holds it (O_CLOEXEC;
 * close it to release) or a negative errno with e set. */
int name_lock(const char *name, struct berr *e);

/* As name_lock without waiting: -EWOULDBLOCK (e set) if another socket holds NAME. */
int name_trylock(const char *name, struct berr *e);

#endif
