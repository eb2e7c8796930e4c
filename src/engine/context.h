/* Where berth keeps its state. One struct, filled by the CLI from --root / BERTH_ROOT, so tests
 * run in isolated stores side by side. */
#ifndef BERTH_ENGINE_CONTEXT_H
#define BERTH_ENGINE_CONTEXT_H

#include <stdio.h>

struct berth_ctx {
        const char *root;    /* store root: images/, containers/ */
        const char *datadir; /* the built-in image's files */
        /* Where the CLI wants progress the engine makes on the way (a pull that `run` needs):
         * stderr, so stdout stays the container's. NULL: silent. The engine prints nowhere else. */
        FILE *progress;
};

#endif
