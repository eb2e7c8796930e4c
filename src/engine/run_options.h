/* What a user asked for when running a container (`run`, `create`): the request the CLI fills
 * and the engine's rooms read (container/ builds the container from it, network/ and
 * security/ their parts of the spec). Beside context.h, above no room, so that each can include
 * it without depending on container/. */
#ifndef BERTH_ENGINE_RUN_OPTIONS_H
#define BERTH_ENGINE_RUN_OPTIONS_H

#include "core/spec.h"
#include "engine/volume/volume_mount.h"

#include <stdbool.h>
#include <stddef.h>

/* --cap-add/--cap-drop, --privileged, --security-opt, --read-only, --device. */
struct run_security {
        char **cap_add, **cap_drop; /* names as given ("NET_ADMIN", "ALL") */
        bool privileged, read_only, no_new_privileges, seccomp_unconfined;
        const char *seccomp_profile; /* a docker seccomp profile file, or NULL for the default */
        char **devices;              /* HOST[:CONTAINER[:PERMS]] */
        const char *userns;          /* --userns: NULL/"host", "remap", "remap:HOSTID[:SIZE]" */
};

/* --network, --network-alias, --mac-address, -p, -P (validated by the CLI; resolved at create). */
struct run_network {
        const char *mode; /* none | host | bridge | NAME | container:NAME; NULL = bridge */
        char **aliases;   /* --network-alias */
        char **publish;   /* -p values as given */
        bool publish_all; /* -P */
        const char *mac;  /* --mac-address (validated), or NULL: 02:42 + the address */
};

/* --pid, --ipc (validated by the CLI; resolved at create: engine/container/ns_share.h). */
struct run_ns {
        const char *pid; /* NULL (its own) | host | container:NAME */
        const char *ipc; /* NULL (private) | private | shareable | none | host | container:NAME */
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
        struct run_ns ns;         /* --pid, --ipc */
        const char *pull;         /* --pull: NULL (missing) | always | missing | never */
};

void run_options_free(struct run_options *o);

#endif
