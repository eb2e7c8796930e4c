/* Finding containers: by name, full id, or a unique id prefix (docker's rules). */
#ifndef BERTH_ENGINE_LOOKUP_H
#define BERTH_ENGINE_LOOKUP_H

struct berr;

/* Every container id in the store, sorted; heap strv. */
int container_list(const char *root, char ***ids, struct berr *e);
/* Resolves ref. Unknown: -ENOENT "no such container: REF"; an ambiguous prefix: -EINVAL naming
 * the matches. */
int container_find(const char *root, const char *ref, char id_out[65], struct berr *e);
/* Pure: is s 1-64 lowercase hex digits? */
int is_id_prefix(const char *s);

#endif
