/* `berth run`: an image and the user's flags become a spec, a container and its exit status. */
#ifndef BERTH_ENGINE_RUN_H
#define BERTH_ENGINE_RUN_H

#include "engine/run_options.h"

#include <stdbool.h>
#include <stddef.h>

struct berr;
struct berth_ctx;

/* Runs the container in the foreground (or, with detach, under its own monitor, returning once
 * the command started; id_out says which); *status gets docker's exit status (the command's,
 * 128+N on signal N). Returns <0 with e set when berth could not run it (e->kind tells 125,
 * 126 or 127). *warnings (may be NULL) gets what the host could not honour, for the CLI to
 * print; the caller frees it. */
int engine_run(const struct berth_ctx *ctx, const struct run_options *o, int *status,
               char ***warnings, char id_out[65], struct berr *e);

/* `berth start`: runs an existing container again (same writable layer), attached (foreground,
 * *status = its exit status) or detached. Starting a running container does nothing. */
int engine_start(const struct berth_ctx *ctx, const char *ref, bool attach, bool interactive,
                 int *status, char ***warnings, struct berr *e);
/* `berth _monitor-exit ID LOCK_FD STATUS`, run by berth-monitor (src/monitor/) when a detached
 * container's init exited with status: records it and cleans up, as the foreground berth does.
 * lock_fd is the owner lock the monitor inherited and still holds; any other fd is refused. */
int engine_monitor_exit(const struct berth_ctx *ctx, const char *id, int lock_fd, int status,
                        struct berr *e);

#endif
