/* A container's record: <root>/containers/<id>/record.json, written atomically (temporary file
 * and rename) so a reader never sees half of one. */
#ifndef BERTH_ENGINE_RECORD_H
#define BERTH_ENGINE_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct berr;

enum record_status { REC_CREATED, REC_RUNNING, REC_EXITED };

struct record {
        char id[65];
        char name[256];
        char image[256];    /* the reference the user gave, normalised */
        char image_id[72];
        char **command;     /* the process args */
        char created[40];   /* RFC 3339 */
        char started_at[40];
        char finished_at[40];
        enum record_status status;
        pid_t pid;
        uint64_t pid_start; /* /proc/PID/stat field 22: a pid alone is reused */
        int exit_code;
        bool oom_killed, auto_remove;
        bool paused;
        bool detached;          /* run -d: its monitor writes container.log */
        char stop_signal[32];   /* the image's StopSignal, "" = SIGTERM */
        char cgroup[2048]; /* cgroup_serialize(): where another berth finds it after a crash */
};

int record_write(const char *container_dir, const struct record *r, struct berr *e);
int record_read(const char *container_dir, struct record *r, struct berr *e);
void record_clear(struct record *r);
const char *record_status_name(enum record_status s);

/* Current time as RFC 3339 with nanoseconds, UTC. */
void rfc3339_now(char out[40]);
#include "util/proc.h" /* proc_start_time */

#endif
