/* The foreground monitor: what `berth run` does while its container runs. Forwards signals,
 * relays the terminal, and reaps the init. (Detached containers get their own monitor process;
 * it will share this code.) */
#ifndef BERTH_ENGINE_MONITOR_H
#define BERTH_ENGINE_MONITOR_H

#include <signal.h>
#include <termios.h>
#include <stdbool.h>
#include <sys/types.h>

struct berr;

struct monitor {
        int sigfd;          /* signalfd for the forwarded signals and SIGCHLD */
        sigset_t old_mask;  /* restored by monitor_close */
        bool raw;           /* the caller's terminal was put in raw mode */
        struct termios *saved;
};

/* Blocks the forwarded signals (INT TERM HUP QUIT USR1 USR2 WINCH) and SIGCHLD and opens a
 * signalfd for them. Call before creating the container, so no signal is lost. */
int monitor_open(struct monitor *m, struct berr *e);
/* Runs until pid exits. console is the pty master or -1; with it, stdin (if interactive) and
 * the master are relayed and the caller's terminal is raw for the duration. *status gets
 * docker's exit status. */
int monitor_run(struct monitor *m, pid_t pid, int console, bool interactive, int *status,
                struct berr *e);
void monitor_close(struct monitor *m);
/* Gives the pty the caller's terminal size; call before the process starts so its first look
 * at the size is right. */
void monitor_copy_winsize(int console);

#endif
