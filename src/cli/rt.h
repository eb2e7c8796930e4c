/* berth-runtime's command files: what they share. */
#ifndef BERTH_CLI_RT_H
#define BERTH_CLI_RT_H

#include <stdbool.h>

struct berr;
struct spec;

struct rt_globals {
        const char *root, *log, *log_format;
        bool debug, systemd_cgroup;
};

/* One line on stderr and, with --log, in the caller's format (containerd reads JSON lines).
 * Returns the exit code for the failure. */
int rt_fail(const struct rt_globals *g, const struct berr *e);
/* <root>/<id>, after checking id is a plain name. */
int rt_state_dir(const struct rt_globals *g, const char *id, char *out, unsigned len,
                 struct berr *e);
/* <root>/.cache: compiled seccomp filters (a dot name: never listed as a container). */
void rt_cache_dir(const struct rt_globals *g, char *out, unsigned len);
/* Reads <bundle>/config.json. */
int rt_load_bundle(const char *bundle, struct spec **spec, struct berr *e);
/* Writes the pid, no newline, atomically (runc's convention). */
int rt_write_pid_file(const char *path, int pid, struct berr *e);
/* Sends fd over the unix socket at path (SCM_RIGHTS), as runc's --console-socket. */
int rt_send_console(const char *socket_path, int fd, struct berr *e);

typedef int (*rt_cmd_fn)(const struct rt_globals *g, int argc, char **argv);
int rt_create(const struct rt_globals *g, int argc, char **argv);
int rt_start(const struct rt_globals *g, int argc, char **argv);
int rt_state(const struct rt_globals *g, int argc, char **argv);
int rt_kill(const struct rt_globals *g, int argc, char **argv);
int rt_delete(const struct rt_globals *g, int argc, char **argv);
int rt_run(const struct rt_globals *g, int argc, char **argv);

#endif
