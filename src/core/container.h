/* Creating and starting a container from a struct spec.
 *
 * core_create clones the init straight into its new namespaces (no re-exec of berth), lets it
 * build its root (mounts, /dev, pivot_root, user, cwd, the executable looked up on the
 * container's PATH) and returns when the init waits at the sync point, ready to exec. Between
 * core_create and core_start the caller may do host-side work on the waiting process (network,
 * state records). core_start releases it and returns once execve succeeded, or with the
 * reason it did not (kind BERR_CANNOT_INVOKE / BERR_NOT_FOUND). */
#ifndef BERTH_CORE_CONTAINER_H
#define BERTH_CORE_CONTAINER_H

#include "core/cgroup.h"
#include "core/seccomp.h"

#include <stdbool.h>
#include <sys/types.h>

struct berr;
struct spec;

struct core_create_opts {
        const char *id; /* names the default cgroup berth/<id> */
        /* Skip cgroups entirely (a caller that manages them itself). */
        bool no_cgroup;
        /* Where the cgroup goes, if the caller located it already (cgroup_serialize of
         * cgroup_locate for this spec and id, from this process or its parent): not located
         * again. NULL: core_create locates it. */
        const char *cgroup_planned;
        const char *bundle_dir; /* relative root.path resolves against it; may be NULL */
        /* The process's stdio when process.terminal is false; -1 means /dev/null. */
        int stdin_fd, stdout_fd, stderr_fd;
        /* Kill the container if the creating process dies (foreground run). */
        bool die_with_parent;
        /* Extra fds 3..3+n-1 passed into the container (runc's --preserve-fds). */
        int preserve_fds;
        /* Where compiled seccomp filters are cached (NULL: compile every time). */
        const char *cache_dir;
        /* An existing FIFO: the init waits for a reader of it (another process's `start`)
         * instead of core_start. */
        const char *start_fifo;
        /* Run in this process once the init's mounts are made, before its pivot_root, with the
         * init's pid (the runtime's prestart/createRuntime hooks); a failure fails the create.
         * NULL: no stop there. */
        int (*before_pivot)(void *arg, pid_t pid, struct berr *e);
        void *before_pivot_arg;
};

struct core_container {
        pid_t pid;          /* the init's pid, as seen by the caller */
        int sync_fd;        /* our end of the sync socket; -1 once started */
        int console_master; /* pty master when process.terminal, else -1 */
        struct cgroup cg;   /* n == 0 when there is none */
        struct seccomp_prog seccomp; /* compiled linux.seccomp, until the init has it */
        struct seccomp_listener listener; /* where a SYNC_SECCOMP fd goes; path NULL: nowhere */
        int (*before_pivot)(void *arg, pid_t pid, struct berr *e); /* from the create opts */
        void *before_pivot_arg;
};

int core_create(const struct spec *s, const struct core_create_opts *o, struct core_container *c,
                struct berr *e);

/* exec: a new process p in the namespaces of the running init `target` (whose start time the
 * caller verified) and in its cgroup cg (may be NULL). Same protocol: returns when the process
 * waits to exec; core_start releases it. o->bundle_dir and o->id are unused. */
struct spec_process;
struct spec_seccomp;
int core_exec(pid_t target, const struct cgroup *cg, const struct spec_process *p,
              const struct spec_seccomp *seccomp, const struct core_create_opts *o,
              struct core_container *c, struct berr *e);

/* core_exec with the process made in the child instead: after GO, before it joins any
 * namespace, the child calls load (which may read the caller's files: it still sees the host's
 * mounts) and compiles the filter it returns. Meanwhile the parent moves it into cg, whose first
 * write on a cgroup-v1 host waits for an RCU grace period (0.5-2 ms): the two overlap instead of
 * adding up. load's failure reaches the caller as the child's error. */
typedef int (*core_exec_load_fn)(void *arg, const struct spec_process **p,
                                 const struct spec_seccomp **seccomp, struct berr *e);
int core_exec_load(pid_t target, const struct cgroup *cg, core_exec_load_fn load, void *arg,
                   const struct core_create_opts *o, struct core_container *c, struct berr *e);

/* The other half of start_fifo: releases a created container from any process. Waits until
 * the init wrote its byte; fails if pid (checked with its start time) died meanwhile. */
int core_start_fifo(const char *fifo, pid_t pid, uint64_t pid_start, struct berr *e);
/* Leaves a created container to run on its own after this process exits (create): closes our
 * end of the sync socket and forgets the cgroup without removing it. */
void core_detach(struct core_container *c);

/* Internal to core: GO, then wait for READY (collecting the console); errors from the child. */
int core_handshake(struct core_container *c, struct berr *e);
/* The two halves of core_handshake, for a caller with work to overlap with the child's setup. */
int core_handshake_go(struct core_container *c, struct berr *e);
int core_handshake_ready(struct core_container *c, struct berr *e);
int core_start(struct core_container *c, struct berr *e);
/* Kills and reaps a created-but-not-started container, closes its fds, removes its cgroup. */
void core_abort(struct core_container *c);
/* After the init exited: whether the OOM killer struck, then the cgroup is removed (processes
 * left in it are killed first). */
int core_cleanup(struct core_container *c, bool *oom_killed, struct berr *e);

#endif
