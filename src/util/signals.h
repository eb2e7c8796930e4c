/* Signal names as docker and runc accept them: "KILL", "SIGKILL", "kill", "9", "RTMIN+3". Pure:
 * shared by berth (kill -s, stop's StopSignal) and berth-runtime (kill). */
#ifndef BERTH_UTIL_SIGNALS_H
#define BERTH_UTIL_SIGNALS_H

/* Parses s into a signal number (1 .. SIGRTMAX). Returns 0 or -EINVAL. */
int signal_parse(const char *s, int *sig);
/* "SIGKILL" for 9, "SIGRTMIN+3", or NULL for a number that names no signal. */
const char *signal_name(int sig, char *buf, unsigned len);

#endif
