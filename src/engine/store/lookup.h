/* Finding containers: by name, full id, or a unique id prefix (docker's rules). */
#ifndef BERTH_ENGINE_LOOKUP_H
#define BERTH_ENGINE_LOOKUP_H

#include "engine/store/container_ids.h"

#include <sys/types.h>

struct berr;

/* Every container id in the store, sorted; heap strv. On the way it collects what killed
 * writers left (container_collect_entry: a killed rm's .removing-<id>, a killed create's
 * directory without a record), and lists no directory whose record is not written yet. */
int container_list(const char *root, char ***ids, struct berr *e);
/* container_list for its collecting only: what writers call when they start. */
void containers_collect(const char *root);
/* Resolves ref. Unknown: -ENOENT "no such container: REF"; an ambiguous prefix: -EINVAL naming
 * the matches. */
int container_find(const char *root, const char *ref, char id_out[65], struct berr *e);

/* The init pid of a running container, read from its record and checked alive (the same
 * process: its start time), without reconciling: networks and namespace sharing ask it below the
 * lifecycle. -ENOENT for no such container, -EINVAL "container REF is not running". */
int container_running_pid(const char *root, const char *ref, char id[65], pid_t *pid,
                          struct berr *e);

#endif
