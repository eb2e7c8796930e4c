/* OCI hooks (config.json "hooks"): running one, with the container's state JSON on stdin and its
 * timeout honoured. Where each kind runs:
 *   prestart, createRuntime  the runtime (core_create_opts.before_pivot, in the caller) once the
 *                            init's mounts are made, before its pivot_root
 *   createContainer          the init, in the container's namespaces, before pivot_root
 *                            (hooks_before_pivot)
 *   startContainer           berth-runtime start, through core_exec into the created container
 *   poststart, poststop      berth-runtime start / delete, in the runtime's namespaces */
#ifndef BERTH_CORE_HOOKS_H
#define BERTH_CORE_HOOKS_H

#include "core/spec.h"

#include <sys/types.h>

struct berr;
struct core_create_opts;

/* The state-schema.json object hooks read on stdin (heap string, compact). pid <= 0 is left
 * out. annotations_json may be NULL. Pure. */
char *hooks_state_json(const char *id, const char *status, pid_t pid, const char *bundle,
                       const char *annotations_json);

/* Runs one hook here (fork + execve of h->path, argv h->args or {path}, env h->env), writes
 * state to its stdin, waits at most h->timeout seconds (then SIGKILL). Its stdout and stderr
 * are collected and quoted in the error. 0 when it exited 0. */
int hook_run(const struct spec_hook *h, enum spec_hook_kind k, const char *state, struct berr *e);
/* Every hook of kind k in order; stops at the first failure. */
int hooks_run(const struct spec *s, enum spec_hook_kind k, const char *state, struct berr *e);
/* Waits for an already started hook process pid (our child) with h's timeout, draining out_fd
 * (its stdout+stderr, or -1); the error names the hook. Closes out_fd. */
int hook_wait(pid_t pid, int out_fd, const struct spec_hook *h, enum spec_hook_kind k,
              struct berr *e);

/* In the init, after the mounts and before pivot_root: asks the caller to run its hooks (when
 * o->before_pivot is set) and waits for it, then runs the createContainer hooks. */
int hooks_before_pivot(const struct spec *s, const struct core_create_opts *o, int sync,
                       struct berr *e);

#endif
