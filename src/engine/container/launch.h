/* Between creating a container and running it: the state both share. Internal to engine/. */
#ifndef BERTH_ENGINE_LAUNCH_H
#define BERTH_ENGINE_LAUNCH_H

#include "engine/container/record.h"
#include "engine/network/network.h"

#include <stdbool.h>

struct berr;
struct berth_ctx;
struct core_container;
struct run_options;
struct spec;

struct launch {
        const struct berth_ctx *ctx;
        struct record rec;
        struct spec *spec;
        char *cdir;
        int lock;      /* the owner lock (owner.h), -1 until taken */
        int dir_lock;  /* create: the directory's own lock (util/workdir.h) until the record is
                        * written, so a collector never takes a half-made container; else -1 */
        bool cgroup_planned; /* create: rec.cgroup is where core_create is to make it */
        char **warnings;
        struct net_state net; /* host ports held while it runs (network.h) */
};

/* A new container from an image and flags: id, name, directories, /etc files, config.json, the
 * record (created). The owner lock is held on return. On failure nothing is left. */
int launch_create(const struct berth_ctx *ctx, const struct run_options *o, struct launch *l,
                  struct berr *e);
/* An existing container, for `start`: its config.json, a fresh record (created) and the lock.
 * -EALREADY if it is running. */
int launch_load(const struct berth_ctx *ctx, const char *id, struct launch *l, struct berr *e);
/* Removes a created container that never ran (run's failure path). */
void launch_undo(struct launch *l);
void launch_release(struct launch *l);

/* Runs it with the caller's stdio until it exits; *status gets docker's exit status. */
int launch_foreground(struct launch *l, bool interactive, int *status, struct berr *e);
/* Hands it to a detached monitor process and returns once the command really started (or
 * failed to: then e says why, with its kind). */
int launch_detached(struct launch *l, struct berr *e);
/* After the init exited: OOM, cgroup removal, and the record (exited) or, with --rm, removal. */
void launch_finish(struct launch *l, struct core_container *c, int status);
/* launch_finish for berth-monitor, which has no struct launch: container id ended with
 * status; lock is the owner lock the monitor still holds (checked: another fd is refused). */
int launch_exited(const struct berth_ctx *ctx, const char *id, int lock, int status,
                  struct berr *e);

#endif
