/* The container store: <root>/containers/<id>/ per container, <root>/containers/names/<name> a
 * symlink to the id. A name is reserved by creating its link, which the kernel does atomically,
 * so two concurrent runs can never both get one name. */
#ifndef BERTH_ENGINE_CONTAINERS_H
#define BERTH_ENGINE_CONTAINERS_H

#include "engine/container/container_ids.h"

#include <stdbool.h>
#include <stddef.h>

struct berr;

/* Reserves name for id; -EEXIST with "name already in use" when taken. */
int container_name_reserve(const char *root, const char *name, const char *id, struct berr *e);
void container_name_release(const char *root, const char *name);
/* Removes the container's directory and name, and the anonymous volumes it made (--rm). */
int container_remove_files(const char *root, const char *id, const char *name, struct berr *e);
/* Unlinks names/<name> if it still names id (a rename may have moved it on). */
void container_name_release_if(const char *root, const char *name, const char *id);

/* Renames containers/<id> to containers/.removing-<id> (atomic: from then on nobody finds it)
 * and deletes it, owning it all along by its directory's lock (util/workdir.h), so a kill
 * midway leaves .removing-<id> to the next collector. Its name goes too if it still points to
 * id (name NULL: every name that does). held: that lock when the caller has it already
 * (create's undo), else -1 (then taken, waiting). -ENOENT (e not set) when the directory is
 * gone. */
int container_trash(const char *root, const char *id, const char *name, int held,
                    struct berr *e);

/* What a killed writer left in containers/, for container_list, which meets every entry:
 * for ".removing-<id>" (a killed rm) and for "<id>" without a record (a killed create: the
 * record is the last thing create writes), whose owner is dead, removes the directory, the
 * names pointing to id and (never recorded) the anonymous volumes it made. Returns true when
 * the entry is no container to list: collected, or one whose record is not written yet. */
bool container_collect_entry(const char *root, const char *name);

#endif
