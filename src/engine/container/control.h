/* Controlling existing containers: signal, stop, kill, wait, pause, rename, rm, prune. Every
 * function resolves ref (name, id or unique id prefix) and reconciles the record first, so a
 * container whose berth or monitor was SIGKILLed is seen as exited. No printing: errors are one
 * sentence naming the container. */
#ifndef BERTH_ENGINE_CONTROL_H
#define BERTH_ENGINE_CONTROL_H

#include "engine/container/record.h"

#include <stdbool.h>
#include <stdint.h>

struct berr;

/* Resolves ref and reconciles its record (rec_out may be NULL; else record_clear it). A
 * container that reconciling removed (--rm) is -ENOENT "no such container". */
int container_get(const char *root, const char *ref, char id[65], struct record *rec_out,
                  struct berr *e);

/* Sends sig to the init (verified by its start time, through a pidfd). -EINVAL "container X is
 * not running" when it is not. */
int container_kill(const char *root, const char *ref, int sig, struct berr *e);

/* docker stop: sig (0: the record's stop signal, default SIGTERM), SIGKILL after timeout_s
 * seconds (<0: wait forever), then waits until the owner recorded the exit. A container that
 * is not running is fine. */
int container_stop(const char *root, const char *ref, int sig, int timeout_s, struct berr *e);

/* Blocks until the container is not running; *exit_code gets its exit status. */
int container_wait(const char *root, const char *ref, int *exit_code, struct berr *e);

/* Freezes (pause) or thaws the container's cgroup and records it. */
int container_pause(const char *root, const char *ref, bool pause, struct berr *e);

/* Gives the container a new name (docker's rules; the name must be free). */
int container_rename(const char *root, const char *ref, const char *new_name, struct berr *e);

/* Removes the container: its directory, name and cgroup. Running: -EBUSY unless force (then
 * it is killed first). Of two concurrent removals exactly one succeeds; the other gets
 * -ENOENT "no such container". */
int container_rm(const char *root, const char *ref, bool force, struct berr *e);
/* `rm -v`: container_rm, then the container's anonymous volumes (those no other container
 * uses). */
int container_rm_volumes(const char *root, const char *ref, bool force, struct berr *e);

/* Removes every exited container; *removed gets their ids (heap strv), *bytes the size of
 * their files. */
int containers_prune(const char *root, char ***removed, uint64_t *bytes, struct berr *e);

/* The pids in a running container's cgroup (host view); heap array. */
int container_pids(const char *root, const char *ref, pid_t **pids, size_t *n, struct berr *e);

#endif
