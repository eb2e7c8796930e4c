/* `berth logs` options and line selection, pure (unit-tested). */
#ifndef BERTH_CLI_LOG_OPTS_H
#define BERTH_CLI_LOG_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* --tail: "all" (or a negative number) -> -1, else a non-negative count. 0 or -EINVAL. */
int log_tail_parse(const char *s, long *out);
/* The index of the first of n entries to print for tail (-1: all). */
size_t log_tail_start(size_t n, long tail);
/* Whether an entry written at time (RFC 3339) is within [since, until) (NULL: no bound). An
 * entry whose time does not parse is kept. */
bool log_time_selected(const char *time, const struct timespec *since,
                       const struct timespec *until);

#endif
