/* Linux cpu lists ("0-3,7", as cpuset and execCPUAffinity write them) -> cpu_set_t. */
#ifndef BERTH_UTIL_CPULIST_H
#define BERTH_UTIL_CPULIST_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>

/* Pure. "" is the empty set. Returns 0, or -EINVAL for anything but comma-separated numbers
 * and ascending ranges below CPU_SETSIZE. */
int cpulist_parse(const char *text, cpu_set_t *out);

#endif
