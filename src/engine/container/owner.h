/* Who owns a container: the process that runs it (the foreground berth, or a detached
 * container's monitor) holds an flock on <dir>/lock for as long as the container lives. The
 * kernel drops the lock when that process dies, even by SIGKILL, so "the owner is alive" is
 * exactly "the lock is held" — no pid guesswork. */
#ifndef BERTH_ENGINE_OWNER_H
#define BERTH_ENGINE_OWNER_H

#include <stdbool.h>

struct berr;
struct record;

#define OWNER_NOWAIT 0
#define OWNER_WAIT_FOREVER (-1) /* but for a holder that is stopped: util/flock_wait.h */
/* After the init was killed its owner records the exit and lets go within seconds (cgroup
 * removal, network release): much longer means it is stuck. */
#define OWNER_FINISH_MAX_MS 60000

/* Takes the lock: OWNER_NOWAIT (-EWOULDBLOCK if another process holds it), or waiting at most
 * wait_ms (OWNER_WAIT_FOREVER: as long as the holder can progress). Returns the fd to keep. */
int owner_lock(const char *cdir, int wait_ms, struct berr *e);

/* Brings a container's record up to date with reality. When its record says created or
 * running but no owner holds the lock, the owner died: what is left is killed and removed (the
 * cgroup), the record becomes exited (137: PR_SET_PDEATHSIG killed it), and an --rm container is
 * removed entirely (*removed set). rec is read (and updated) in place; a running record's
 * `paused` is what the kernel says. A correction that cannot be written (ENOSPC, EDQUOT,
 * EROFS) is still returned, and written by a later reconcile: reading never needs to write. */
int container_reconcile(const char *root, const char *id, struct record *rec, bool *removed,
                        struct berr *e);
/* The kernel's word on a record's cgroup: frozen (by pause, or by anyone writing its freezer)? */
bool container_frozen(const struct record *rec);
/* Thaws the record's cgroup if the kernel says it is frozen, whatever the record says. */
void container_thaw(const struct record *rec);
/* Reconciles every container (after a crash, the next berth command tidies up). */
void containers_reconcile_all(const char *root);

#endif
