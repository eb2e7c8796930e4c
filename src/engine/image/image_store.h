/* Private to src/engine/image*.c: the store's directories, lock, blobs and repositories.json.
 * Layout: see engine/image.h. `root` is the store root (--root); everything lives in
 * <root>/images. */
#ifndef BERTH_ENGINE_IMAGE_STORE_H
#define BERTH_ENGINE_IMAGE_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct berr;
struct workdir;

/* <root>/images/<rel> (rel may be NULL or ""); heap, NULL on ENOMEM. */
char *store_path(const char *root, const char *rel);
/* Creates blobs/sha256, layers and tmp if missing. */
int store_init(const char *root, struct berr *e);
/* Takes the writers' lock (flock on <root>/images/lock); returns the fd, closing it unlocks. */
int store_lock(const char *root, struct berr *e);
/* Makes an empty private work dir <root>/images/tmp/<what>-<pid>-XXXXXX that this process
 * owns (util/workdir.h: locked until workdir_remove/workdir_release, or until it dies). First
 * collects what dead writers left in tmp/ (store_tmp_collect). */
int store_mktemp(const char *root, const char *what, struct workdir *w, struct berr *e);
/* Removes every work dir in <root>/images/tmp whose owner is dead (a killed load, commit,
 * pull, rmi...); a live writer's dir stays. Returns how many were removed. */
size_t store_tmp_collect(const char *root);
/* <root>/images/layers/<hex>/diff for diff_id "sha256:<hex>"; NULL if invalid or ENOMEM. */
char *store_layer_dir(const char *root, const char *diff_id);
/* Reads blobs/sha256/<hex> of an image id and checks that its content still has that digest. */
int store_config_read(const char *root, const char *id, char **json, size_t *len, struct berr *e);
/* Loads repositories.json (an empty object if the file does not exist yet). */
int store_repos_load(const char *root, json_t **out, struct berr *e);

/* Moves a finished layer dir (tmp->path holding diff/) to layers/<hex> under the lock; if the
 * same layer got there first, tmp is removed instead. Either way tmp is emptied (released). */
int store_layer_publish(const char *root, struct workdir *tmp, const char *diff_id,
                        struct berr *e);
/* The short name of a layer, <root>/images/l/<first 12 hex of diff_id> -> ../layers/<hex>/diff,
 * created if missing: overlay's lowerdir option must fit in one page (as docker's overlay2).
 * Heap path, or NULL (then use the long path). */
char *store_layer_link(const char *root, const char *diff_id);
/* Writes repositories.json (caller holds the lock). */
int store_repos_save(const char *root, json_t *repos, struct berr *e);
/* Unpacks the layer tar at tar_path into a new work dir (holding diff/) without publishing it;
 * the caller publishes it with store_layer_publish or removes it (workdir_remove). Also records
 * the tar's layout in <tmp>/tar-split (image_tarsplit.c) so that save can rebuild the same tar. */
int store_layer_unpack_tmp(const char *root, const char *tar_path, struct workdir *tmp,
                           char diff_id_out[72], struct berr *e);
/* The same; split false skips the tar-split record (import and commit name their layers by
 * berth's own re-tar, which save reproduces without one). */
int store_layer_unpack_tmp_opt(const char *root, const char *tar_path, bool split,
                               struct workdir *tmp, char diff_id_out[72], struct berr *e);

/* The diff_id of the layer dir as berth tars it (engine/image_ops.h layer_tar_write: sorted,
 * deterministic): what import and the built-in image name their layers by, so that a saved
 * image has the same id. */
int store_layer_canonical_id(const char *dir, char diff_id_out[72], struct berr *e);

#endif
