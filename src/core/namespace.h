/* Namespace plumbing: which to create, which to join by path, id maps, the loopback. */
#ifndef BERTH_CORE_NAMESPACE_H
#define BERTH_CORE_NAMESPACE_H

#include <sys/types.h>

struct berr;
struct spec;

/* clone(2) flags for the namespaces the spec creates (no path). The cgroup namespace is left
 * out: the init unshares it after it was placed in its cgroup, so that cgroup becomes its root;
 * so is the time namespace, whose offsets must be written before anyone enters it (ns_new_time). */
int ns_clone_flags(const struct spec *s);
/* In the init: setns() into every namespace the spec names by path, the user namespace first.
 * The pid namespace is joined by the parent around clone (it applies to children only). */
int ns_join_paths(const struct spec *s, struct berr *e);
/* In the init: a new time namespace with linux.timeOffsets, entered at once. */
int ns_new_time(const struct spec *s, struct berr *e);
/* In the parent: writes /proc/PID/uid_map and gid_map from the spec. */
int ns_write_id_maps(pid_t pid, const struct spec *s, struct berr *e);
/* Brings up "lo" in the current (new) network namespace. */
int ns_loopback_up(struct berr *e);

#endif
