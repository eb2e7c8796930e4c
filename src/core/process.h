/* Setting up and executing the user's process inside the container (init or exec). Runs in
 * the child, after it entered the container's namespaces and root. */
#ifndef BERTH_CORE_PROCESS_H
#define BERTH_CORE_PROCESS_H

#include <stddef.h>

struct berr;
struct spec_process;
struct seccomp_prog;

struct process_io {
        int stdin_fd, stdout_fd, stderr_fd; /* -1: /dev/null; ignored with a terminal */
        int preserve_fds;                   /* fds 3..3+n-1 stay open across exec */
        int sync; /* the parent's channel: a seccomp notify fd goes there (SYNC_SECCOMP) */
};

/* Terminal (allocated inside, master sent over sync) or stdio. Before masked paths, so the
 * container's /dev/ptmx is still reachable. */
int process_prepare(const struct spec_process *p, const struct process_io *io, int sync,
                    char ***env, char *exe, size_t exelen, struct berr *e);
/* cwd, rlimits, oom_score_adj, LSM labels, capabilities around the user switch (HOME into
 * env), the executable looked up into exe, no_new_privs, seccomp (may be NULL), every other fd
 * close-on-exec. A spec without capabilities gets none. */
int process_finish(const struct spec_process *p, const struct process_io *io,
                   const struct seccomp_prog *seccomp, char ***env, char *exe, size_t exelen,
                   struct berr *e);
/* READY, then wait for START on sync (or, with fifo >= 0 — an O_PATH fd of the exec FIFO — for
 * a `start` in another process), execve; on failure the error goes to the parent. */
_Noreturn void process_exec(const struct spec_process *p, int sync, int fifo, char **env,
                            const char *exe);
_Noreturn void process_die(int sync, const struct berr *e);

#endif
