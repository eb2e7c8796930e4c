/* `berth exec`: a new process in a running container, with the container's environment, user
 * and cwd unless the flags say otherwise. */
#ifndef BERTH_ENGINE_EXEC_H
#define BERTH_ENGINE_EXEC_H

#include <stdbool.h>

struct berr;
struct berth_ctx;

struct exec_options {
        bool interactive, tty, detach;
        const char *user;    /* NULL: the container's */
        const char *workdir; /* NULL: the container's */
        char **env;          /* "K=V" added to the container's; NULL-terminated */
        char **cmd;          /* NULL-terminated, at least one */
};

/* Foreground: *status gets the process's exit status (128+N on signal). Detached: returns once
 * it started. A stopped container is an error that says so. */
int engine_exec(const struct berth_ctx *ctx, const char *ref, const struct exec_options *o,
                int *status, struct berr *e);

#endif
