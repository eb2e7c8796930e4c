/* linux.sysctl: written inside the container, only for keys that belong to a namespace the
 * container has of its own (runc's rule), through /proc/sys checked to be procfs. */
#ifndef BERTH_CORE_SYSCTL_H
#define BERTH_CORE_SYSCTL_H

#include <stdbool.h>

struct berr;
struct spec;

/* Pure: which namespace a key belongs to ("ipc", "net", "uts") or NULL if none (host-wide). */
const char *sysctl_namespace_of(const char *key);
int sysctl_apply(const struct spec *s, struct berr *e);

#endif
