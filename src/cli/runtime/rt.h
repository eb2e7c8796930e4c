/* berth-runtime's command files: what they share. */
#ifndef BERTH_CLI_RT_H
#define BERTH_CLI_RT_H

#include <stdbool.h>

struct berr;
struct spec;

struct rt_globals {
        const char *root, *log, *log_format;
        const char *systemd_cgroup_flag; /* the flag that asked for systemd's cgroups */
        bool debug;
};

/* One line on stderr and, with --log, in the caller's format (containerd reads JSON lines).
 * Returns the exit code for the failure. */
int rt_fail(const struct rt_globals *g, const struct berr *e);
/* One line in --log, as JSON ({"level","msg","time"}) with --log-format json. */
void rt_log(const struct rt_globals *g, const char *level, const char *msg);
/* <root>/<id>, after checking id is a plain name. */
int rt_state_dir(const struct rt_globals *g, const char *id, char *out, unsigned len,
                 struct berr *e);
/* <root>/.cache: compiled seccomp filters (a dot name: never listed as a container). */
void rt_cache_dir(const struct rt_globals *g, char *out, unsigned len);
/* Reads <bundle>/config.json, or <bundle>/<config> (an absolute config as it is). */
int rt_load_bundle(const char *bundle, const char *config, struct spec **spec, struct berr *e);
/* Writes the pid, no newline, atomically (runc's convention). */
int rt_write_pid_file(const char *path, int pid, struct berr *e);
/* Sends fd over the unix socket at path (SCM_RIGHTS), as runc's --console-socket. */
int rt_send_console(const char *socket_path, int fd, struct berr *e);

/* A warning line on stderr and in --log (hooks whose failure is not fatal). */
void rt_warn(const struct rt_globals *g, const struct berr *e);

/* Hooks (rt_hooks.c). */
#include "core/spec.h"
#include <sys/types.h>
struct rt_state;
struct rt_hook_ctx {
        const struct spec *spec;
        const char *id, *bundle;
        bool failed; /* a prestart/createRuntime hook failed */
};
bool rt_hooks_any(const struct spec *s, enum spec_hook_kind k);
/* core_create_opts.before_pivot: prestart then createRuntime, state "created" (after step 2). */
int rt_hooks_before_pivot(void *arg, pid_t pid, struct berr *e);
/* Every hook of kind k, with st's state under status (pid 0 when "stopped"). */
int rt_hooks_run(const struct spec *s, enum spec_hook_kind k, const struct rt_state *st,
                 const char *status, struct berr *e);
/* poststop: failures are warnings. */
void rt_hooks_poststop(const struct rt_globals *g, const struct spec *s,
                       const struct rt_state *st);
/* <dir>/config.json when it has any hook, else NULL. */
struct spec *rt_hooks_load(const char *dir);
/* startContainer hooks inside the created container (through core_exec). */
int rt_hooks_start_container(const struct spec *s, const struct rt_state *st, struct berr *e);
/* start: startContainer hooks, release the init through fifo, poststart hooks; a failing hook
 * stops the container. */
int rt_start_with_hooks(const char *dir, const struct rt_state *st, const char *fifo,
                        struct berr *e);

typedef int (*rt_cmd_fn)(const struct rt_globals *g, int argc, char **argv);
int rt_create(const struct rt_globals *g, int argc, char **argv);
int rt_start(const struct rt_globals *g, int argc, char **argv);
int rt_state(const struct rt_globals *g, int argc, char **argv);
int rt_kill(const struct rt_globals *g, int argc, char **argv);
int rt_delete(const struct rt_globals *g, int argc, char **argv);
int rt_run(const struct rt_globals *g, int argc, char **argv);
int rt_exec(const struct rt_globals *g, int argc, char **argv);
int rt_ps(const struct rt_globals *g, int argc, char **argv);
int rt_list(const struct rt_globals *g, int argc, char **argv);
int rt_features(const struct rt_globals *g, int argc, char **argv);
int rt_spec(const struct rt_globals *g, int argc, char **argv);
int rt_pause(const struct rt_globals *g, int argc, char **argv);
int rt_resume(const struct rt_globals *g, int argc, char **argv);
int rt_update(const struct rt_globals *g, int argc, char **argv);
int rt_events(const struct rt_globals *g, int argc, char **argv);
/* <root>/<id> and its state; "container X does not exist" when missing. */
int rt_load_state(const struct rt_globals *g, const char *id, char *dir, unsigned len,
                  struct rt_state *st, struct berr *e);

#endif
