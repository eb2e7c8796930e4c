/* Who owns a container: the process that runs it (the foreground berth, or a detached
 * container's monitor) holds an flock on <dir>/lock for as long as the container lives. The
 * kernel drops the lock when that process dies, even by SIGKILL, so "the owner is alive" is
 * exactly "the lock is held" — no pid guesswork. */
#ifndef BERTH_ENGINE_OWNER_H
#define BERTH_ENGINE_OWNER_H

#include <stdbool.h>

struct berr;
struct record;

/* Takes the lock (blocking when wait is set); returns the fd to keep, -EWOULDBLOCK if another
 * process holds it and !wait. */
int owner_lock(const char *cdir, bool wait, struct berr *e);

/* Brings a container's record up to date with reality. When its record says created or
 * running but no owner holds the lock, the owner died: what is left is killed and removed (the
 * cgroup), the record becomes exited (137: PR_SET_PDEATHSIG killed it), and an --rm container is
 * removed entirely (*removed set). rec is read (and updated) in place. */
int container_reconcile(const char *root, const char *id, struct record *rec, bool *removed,
                        struct berr *e);
/* Reconciles every container (after a crash, the next berth command tidies up). */
void containers_reconcile_all(const char *root);

#endif
