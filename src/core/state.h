/* berth-runtime's state: <root>/<id>/state.json (written atomically), config.json (the spec as
 * created, so later commands do not depend on the bundle), exec.fifo while created.
 * The status is derived, never stored: the init's pid plus its start time say whether it lives,
 * the FIFO says whether it was started, the freezer whether it is paused. */
#ifndef BERTH_CORE_STATE_H
#define BERTH_CORE_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct berr;

struct rt_state {
        char id[256];
        char bundle[4096];
        char rootfs[4096];
        pid_t pid;
        uint64_t pid_start;
        char created[40];
        uid_t owner;
        char cgroup[2048];    /* cgroup_serialize() */
        bool mounts_shared;   /* no mount namespace: its mounts below rootfs are the runtime's to undo */
        char *annotations_json;
};

int state_save(const char *dir, const struct rt_state *st, struct berr *e);
int state_load(const char *dir, struct rt_state *st, struct berr *e);
void state_clear(struct rt_state *st);
/* "created", "running", "paused" or "stopped". */
const char *state_status(const char *dir, const struct rt_state *st);
/* The OCI state JSON (state-schema.json plus runc's rootfs, created, owner); heap string. */
char *state_to_oci_json(const char *dir, const struct rt_state *st, int pretty);


#endif
