/* Setting up and executing the user's process inside the container (init or exec). Runs in
 * the child, after it entered the container's namespaces and root. */
#ifndef BERTH_CORE_PROCESS_H
#define BERTH_CORE_PROCESS_H

#include <stddef.h>

struct berr;
struct spec_process;

struct process_io {
        int stdin_fd, stdout_fd, stderr_fd; /* -1: /dev/null; ignored with a terminal */
        int preserve_fds;                   /* fds 3..3+n-1 stay open across exec */
};

/* Terminal (allocated inside, master sent over sync) or stdio. Before masked paths, so the
 * container's /dev/ptmx is still reachable. */
int process_prepare(const struct spec_process *p, const struct process_io *io, int sync,
                    char ***env, char *exe, size_t exelen, struct berr *e);
/* cwd, rlimits, user (HOME into env), the executable looked up into exe, no_new_privs, every
 * other fd close-on-exec. */
int process_finish(const struct spec_process *p, const struct process_io *io, char ***env,
                   char *exe, size_t exelen, struct berr *e);
/* READY, wait for START, execve; on failure the error goes to the parent. */
_Noreturn void process_exec(const struct spec_process *p, int sync, char **env, const char *exe);
_Noreturn void process_die(int sync, const struct berr *e);

#endif
