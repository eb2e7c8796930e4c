/* The parent <-> init channel: a SOCK_SEQPACKET socketpair carrying small typed messages, and a
 * pty master as SCM_RIGHTS. The init's end is close-on-exec, so EOF after START means execve
 * succeeded. */
#ifndef BERTH_CORE_SYNC_H
#define BERTH_CORE_SYNC_H

enum sync_type {
        SYNC_GO = 1,   /* parent -> init: host-side setup done, build the root */
        SYNC_READY,    /* init -> parent: waiting to exec */
        SYNC_START,    /* parent -> init: exec now */
        SYNC_CONSOLE,  /* init -> parent: pty master attached */
        SYNC_ERROR,    /* init -> parent: setup or exec failed; carries errno, kind, message */
        SYNC_HOOKS,    /* init -> parent: mounts made, before pivot_root: run the runtime's
                          hooks, answer SYNC_GO (hooks.c) */
        SYNC_SECCOMP,  /* init -> parent: the seccomp notify fd, for linux.seccomp.listenerPath */
};

struct sync_msg {
        int type;
        int err;  /* negative errno for SYNC_ERROR */
        int kind; /* enum berr_kind */
        char msg[1000];
};

int sync_send(int fd, int type);
int sync_send_fd(int fd, int type, int passfd);
int sync_send_error(int fd, int err, int kind, const char *msg);
/* Receives one message (and an fd, if one came, into *passfd, else -1). Returns 0, -EPIPE on EOF,
 * or a negative errno. */
int sync_recv(int fd, struct sync_msg *m, int *passfd);

#endif
