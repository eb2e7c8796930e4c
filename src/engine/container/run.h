/* `berth run`: an image and the user's flags become a spec, a container and its exit status. */
#ifndef BERTH_ENGINE_RUN_H
#define BERTH_ENGINE_RUN_H

#include "core/spec.h"
#include "engine/volume/volume_mount.h"

#include <stdbool.h>
#include <stddef.h>

struct berr;
struct berth_ctx;

/* --cap-add/--cap-drop, --privileged, --security-opt, --read-only, --device. */
struct run_security {
        char **cap_add, **cap_drop; /* names as given ("NET_ADMIN", "ALL") */
        bool privileged, read_only, no_new_privileges, seccomp_unconfined;
        const char *seccomp_profile; /* a docker seccomp profile file, or NULL for the default */
        char **devices;              /* HOST[:CONTAINER[:PERMS]] */
        const char *userns;          /* --userns: NULL/"host", "remap", "remap:HOSTID[:SIZE]" */
};

/* --network, --network-alias, -p, -P (validated by the CLI; resolved at create). */
struct run_network {
        const char *mode; /* none | host | bridge | NAME | container:NAME; NULL = bridge */
        char **aliases;   /* --network-alias */
        char **publish;   /* -p values as given */
        bool publish_all; /* -P */
};

struct run_options {
        bool rm, interactive, tty, detach;
        const char *name;     /* NULL: generated */
        const char *hostname; /* NULL: the id's first 12 digits */
        const char *workdir;  /* NULL: the image's */
        const char *user;     /* NULL: the image's */
        const char *image;
        char **env;        /* "K=V" from -e and --env-file, in order; NULL-terminated */
        char **entrypoint; /* --entrypoint (one word; an empty list clears it), or NULL */
        char **cmd;        /* the arguments after IMAGE, or NULL */
        struct spec_resources res;   /* -m, --cpus, ... (spec_resources_init'ed: RES_UNSET) */
        struct spec_rlimit *rlimits; /* --ulimit, one per resource */
        size_t n_rlimits;
        const char *cgroup_parent;   /* --cgroup-parent, or NULL */
        struct run_security sec;
        struct run_mount *mounts; /* -v, --mount, --tmpfs, in order */
        size_t n_mounts;
        struct run_network net;   /* --network, --network-alias, -p, -P */
};

void run_options_free(struct run_options *o);

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
