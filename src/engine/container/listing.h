/* What `ps` lists, read cheaply: the summary of each record (record.h: one getxattr, no lock),
 * and for `ps` without -a only the containers of the live index (live_index.h). A container
 * whose summary says created or running is checked against the kernel (its init's pid and
 * start time, its freezer); only one whose init is gone, or a created one, is reconciled
 * (owner.h), so ps takes no lock on a container it only reads. What it finds wrong in the
 * indexes on the way (an entry of a container that is gone or exited, a live container without
 * its entry, a killed writer's leftovers in a full scan) it repairs. */
#ifndef BERTH_ENGINE_LISTING_H
#define BERTH_ENGINE_LISTING_H

#include "engine/store/record.h"

#include <stdbool.h>
#include <stddef.h>

struct berr;

/* all: every container (a full scan); else the running ones. *out: n records (heap; free with
 * containers_summaries_free), in no particular order. */
int containers_summaries(const char *root, bool all, struct record **out, size_t *n,
                         struct berr *e);
void containers_summaries_free(struct record *v, size_t n);

#endif
