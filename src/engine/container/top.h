/* `berth top`: the processes of a running container as `ps -ef` shows them (UID PID PPID C
 * STIME TTY TIME CMD), read from /proc for every pid in its cgroup, no ps binary needed. */
#ifndef BERTH_ENGINE_TOP_H
#define BERTH_ENGINE_TOP_H

#include <stddef.h>
#include <sys/types.h>

struct berr;

#define TOP_NCOLS 8
extern const char *const top_titles[TOP_NCOLS];

/* *cells gets nrows * TOP_NCOLS heap strings (a strv, NULL-terminated), sorted by pid; a
 * process that exits while being read is skipped. -EINVAL if the container is not running. */
int container_top(const char *root, const char *ref, char ***cells, size_t *nrows,
                  struct berr *e);
/* One row for pid from /proc (cells: TOP_NCOLS heap strings); -ENOENT if it is gone. now and
 * boot time are arguments so the caller reads them once. */
int top_row(pid_t pid, long long boot_time, long long now, char **cells);

#endif
