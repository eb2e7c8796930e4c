/* The live index: <root>/containers/live/<id>, one entry (a symlink to ../<id>) per container
 * whose record says created or running, so `ps` and whoever looks for containers that may need
 * reconciling read a directory of the live ones instead of every record in the store.
 *
 * The order of writes keeps one rule under a kill -9 at any moment: a record that says created
 * or running has its entry. The entry is made before such a record is written (record_write)
 * and removed after the record says exited, or after the container's directory is gone
 * (container_trash, the collectors). A kill in between leaves at worst an entry too many,
 * which a reader that finds it stale repairs (listing.c); the index is a cache that
 * `ps -a` and `container prune` rebuild from the records. */
#ifndef BERTH_ENGINE_LIVE_INDEX_H
#define BERTH_ENGINE_LIVE_INDEX_H

struct berr;

/* cdir: <root>/containers/<id> (the entry is in its parent's live/). */
int live_index_add(const char *cdir, const char *id, struct berr *e);
void live_index_remove(const char *cdir, const char *id);
/* The ids in <root>/containers/live, sorted (heap strv). -ENOENT (e not set) when there is no
 * live/ at all: a store from before the index, rebuilt by a full scan. */
int live_index_list(const char *root, char ***ids, struct berr *e);
/* id's position in the sorted list ids, -1 if it is not there. */
long live_index_find(char *const *ids, const char *id);

#endif
