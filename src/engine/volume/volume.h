/* The volume store: <root>/volumes/<name>/ per volume, its content in _data/ (what containers
 * mount), its metadata in meta.json ({"CreatedAt": ..., "Labels": {...}}). A volume directory
 * appears by rename from a temporary one, so it is always complete; `lock` in it (flock) is
 * held while it is filled from an image, removed, or checked for users. */
#ifndef BERTH_ENGINE_VOLUME_H
#define BERTH_ENGINE_VOLUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct berr;

/* docker's local volume names: [a-zA-Z0-9][a-zA-Z0-9_.-]+ (two characters at least). Pure. */
bool volume_name_valid(const char *name);

/* Label docker puts on anonymous volumes; `volume prune` without -a removes only those. */
#define VOLUME_LABEL_ANONYMOUS "com.docker.volume.anonymous"

/* <root>/volumes/<name> and .../_data (heap). */
char *volume_dir(const char *root, const char *name);
char *volume_data_dir(const char *root, const char *name);

/* Creates the volume unless it exists (then *created = false and labels are ignored). labels:
 * "K=V" strv or NULL. */
int volume_create(const char *root, const char *name, char *const *labels, bool *created,
                  struct berr *e);
/* Opens and flocks (exclusively) an existing volume, making sure the lock is on the directory
 * that is at the volume's path now (not one a concurrent rm renamed away). -ENOENT if none. */
int volume_lock(const char *root, const char *name, struct berr *e);
/* As volume_create then volume_lock, retrying if a concurrent rm removes it in between. */
int volume_get_locked(const char *root, const char *name, char *const *labels, struct berr *e);

/* Every volume name, sorted (heap strv). */
int volume_list(const char *root, char ***names, struct berr *e);
/* docker's `volume inspect` object for one volume: a heap JSON text (compact). */
int volume_inspect_json(const char *root, const char *name, char **json, struct berr *e);
/* Ids of containers (any state) whose volumes.json lists name (heap strv). */
int volume_users(const char *root, const char *name, char ***ids, struct berr *e);
/* Removes a volume: refused (-EBUSY) while a container uses it unless force. A missing volume
 * is -ENOENT "no such volume". */
int volume_remove(const char *root, const char *name, bool force, struct berr *e);
/* Removes what killed volume creates and removals left (volumes/.tmp-*, .removing-*) once
 * their owner is dead (util/workdir.h). */
void volumes_collect(const char *root);
/* Removes unused volumes (only anonymous ones unless all); *removed gets their names. */
int volumes_prune(const char *root, bool all, char ***removed, uint64_t *bytes, struct berr *e);

/* Removes the given anonymous volumes unless another container still uses them; errors are
 * ignored (the container is gone already, as docker does). */
void container_volumes_remove(const char *root, char *const *names);

#endif
