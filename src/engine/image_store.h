/* Private to src/engine/image*.c: the store's directories, lock, blobs and repositories.json.
 * Layout: see engine/image.h. `root` is the store root (--root); everything lives in
 * <root>/images. */
#ifndef BERTH_ENGINE_IMAGE_STORE_H
#define BERTH_ENGINE_IMAGE_STORE_H

#include <jansson.h>
#include <stddef.h>

struct berr;

/* <root>/images/<rel> (rel may be NULL or ""); heap, NULL on ENOMEM. */
char *store_path(const char *root, const char *rel);
/* Creates blobs/sha256, layers and tmp if missing. */
int store_init(const char *root, struct berr *e);
/* Takes the writers' lock (flock on <root>/images/lock); returns the fd, closing it unlocks. */
int store_lock(const char *root, struct berr *e);
/* Makes an empty private dir <root>/images/tmp/<what>-<pid>-XXXXXX; heap path or NULL. */
char *store_mktemp(const char *root, const char *what, struct berr *e);
/* <root>/images/layers/<hex>/diff for diff_id "sha256:<hex>"; NULL if invalid or ENOMEM. */
char *store_layer_dir(const char *root, const char *diff_id);
/* Reads blobs/sha256/<hex> of an image id and checks that its content still has that digest. */
int store_config_read(const char *root, const char *id, char **json, size_t *len, struct berr *e);
/* Loads repositories.json (an empty object if the file does not exist yet). */
int store_repos_load(const char *root, json_t **out, struct berr *e);

#endif
