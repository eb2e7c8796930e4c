/* Facts about processes from /proc. */
#ifndef BERTH_UTIL_PROC_H
#define BERTH_UTIL_PROC_H

#include <stdint.h>
#include <sys/types.h>

/* Field 22 of /proc/PID/stat (clock ticks after boot). 0 if the process is gone or a zombie:
 * with the pid it names a process for good, where a pid alone is reused. */
uint64_t proc_start_time(pid_t pid);
/* Parses the text of a /proc/PID/stat file the same way. Pure. */
uint64_t proc_stat_start_time(const char *stat);
/* Field 3 of /proc/PID/stat: 'R', 'S', 'D', 'T' (stopped), 't' (stopped by a tracer), 'Z'...;
 * '\0' if the process is gone. */
char proc_state(pid_t pid);
/* Parses the text of a /proc/PID/stat file the same way. Pure. */
char proc_stat_state(const char *stat);

#endif
