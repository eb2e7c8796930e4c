/* Where berth keeps its state. One struct, filled by the CLI from --root / BERTH_ROOT, so tests
 * run in isolated stores side by side. */
#ifndef BERTH_ENGINE_CONTEXT_H
#define BERTH_ENGINE_CONTEXT_H

struct berth_ctx {
        const char *root;    /* store root: images/, containers/ */
        const char *datadir; /* the built-in image's files */
};

#endif
