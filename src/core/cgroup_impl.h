/* Between cgroup.c and its two back ends. Not for use outside src/core/cgroup*.c. */
#ifndef BERTH_CORE_CGROUP_IMPL_H
#define BERTH_CORE_CGROUP_IMPL_H

#include "core/cgroup.h"

#include <stddef.h>

struct spec_resources;

/* Writes the limits into directory i (v1 for its hierarchy's controllers). */
int cg_apply(struct cgroup *cg, size_t i, const struct spec_resources *res, bool update,
             struct berr *e);
/* A parent level berth just created needs setting up before children can be used: v1 cpuset
 * copies cpus/mems from above; v2 enables the controllers for its children. */
int cg_parent_prepare(struct cgroup *cg, size_t i, const char *parent, struct berr *e);
/* Best effort: SIGKILL to every process in the cgroup. */
void cg_kill_all(const struct cgroup *cg);
/* The pids in dir/cgroup.procs (host view); heap array. */
int cg_read_pids(const char *dir, pid_t **out, size_t *n, struct berr *e);

int cgv1_apply(struct cgroup *cg, size_t i, const struct spec_resources *res, bool update,
               struct berr *e);
int cgv2_apply(struct cgroup *cg, size_t i, const struct spec_resources *res, bool update,
               struct berr *e);
int cgv2_enable_controllers(const char *dir, struct berr *e);
/* The device allow list as an eBPF program attached to dir (cgroup_v2_devices.c). */
int cgv2_devices(const char *dir, const struct spec_resources *r, struct berr *e);
struct bpf_insn;
struct spec_device_rule;
struct bpf_insn *cgv2_device_program(const struct spec_device_rule *rules, size_t n_rules,
                                     size_t *len);

/* Writes value to dir/file; a missing file is -ENOENT without a message. */
int cg_write(const char *dir, const char *file, const char *value, struct berr *e);
int cg_read(const char *dir, const char *file, char *buf, size_t len);
/* Reads "key N" from a flat-keyed file (memory.events, cpu.stat). */
bool cg_read_key(const char *dir, const char *file, const char *key, uint64_t *out);
int cg_warn(struct cgroup *cg, const char *msg);

#endif
