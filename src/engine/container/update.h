/* `berth update`: new limits for an existing container. A running container's cgroup changes
 * now; its config.json always does, so the limits also hold at its next start (an exited
 * container gets only that, as docker does). No printing. */
#ifndef BERTH_ENGINE_UPDATE_H
#define BERTH_ENGINE_UPDATE_H

#include "core/spec.h"

struct berr;

/* res holds only what the user gave (everything else RES_UNSET / NULL). *warnings (may be
 * NULL) gets what the host could not honour; the caller frees it. Nothing is saved when the
 * kernel refuses a value. */
int engine_update(const char *root, const char *ref, const struct spec_resources *res,
                  char ***warnings, struct berr *e);

#endif
