/* Per-container cgroups: one interface over cgroup v1 (legacy and hybrid hosts) and v2.
 *
 * Where: under the caller's own cgroup (what /proc/self/cgroup names for each hierarchy) in a
 * `berth/<id>` child, so berth works in a delegated subtree and never writes to a cgroup it did
 * not create; an absolute linux.cgroupsPath is taken from the hierarchy's root, a relative one
 * from the caller's cgroup. On v1 every hierarchy's mount point is read from
 * /proc/self/mountinfo, never assumed. */
#ifndef BERTH_CORE_CGROUP_H
#define BERTH_CORE_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct berr;
struct spec_resources;

enum cgroup_mode { CGROUP_LEGACY, CGROUP_HYBRID, CGROUP_UNIFIED };

#define CGROUP_MAX_DIRS 12

struct cgroup {
        enum cgroup_mode mode;
        size_t n;
        char *dirs[CGROUP_MAX_DIRS];        /* absolute directories, one per hierarchy used */
        char controllers[CGROUP_MAX_DIRS][64]; /* v1: the hierarchy's controllers ("cpu,cpuacct");
                                               v2: "" */
        char *made_parent[CGROUP_MAX_DIRS]; /* the `berth` level if we created it, to tidy up */
        char **warnings;                    /* knobs this host lacks, in words for the user */
};

/* statfs of /sys/fs/cgroup and /sys/fs/cgroup/unified, as runc and crun decide. */
enum cgroup_mode cgroup_mode_detect(void);

/* Computes the directories for container id (cgroups_path may be NULL) without touching them. */
int cgroup_locate(const char *cgroups_path, const char *id, bool want_cpuset, struct cgroup *cg,
                  struct berr *e);
/* Creates the directories and writes the limits. A failure removes what it made. */
int cgroup_create(struct cgroup *cg, const struct spec_resources *res, struct berr *e);
/* Moves pid into every directory (before the container's command may run). */
int cgroup_enter(const struct cgroup *cg, pid_t pid, struct berr *e);
/* Changes the limits of an existing cgroup (berth update / berth-runtime update). */
int cgroup_update(struct cgroup *cg, const struct spec_resources *res, struct berr *e);
/* Kills every process left inside (cgroup.kill on v2; freeze, kill, thaw on v1), then removes
 * the directories and the `berth` level when empty. Missing directories are fine. */
int cgroup_destroy(struct cgroup *cg, struct berr *e);
/* Freezes or thaws every process inside. */
int cgroup_freeze(const struct cgroup *cg, bool frozen, struct berr *e);
/* What the kernel says, whatever anyone recorded: whether the cgroup is frozen or freezing (v1
 * freezer.state; v2 cgroup.freeze, or cgroup.events "frozen" for an ancestor's freeze). */
bool cgroup_frozen(const struct cgroup *cg);
/* Whether the kernel's OOM killer killed a process of this cgroup. */
bool cgroup_oom_killed(const struct cgroup *cg);
/* The pids inside (host view); heap array. */
int cgroup_pids(const struct cgroup *cg, pid_t **out, size_t *n, struct berr *e);

struct cgroup_stats {
        uint64_t cpu_usage_ns, mem_usage, mem_limit, pids, blk_read, blk_write;
};
int cgroup_stats(const struct cgroup *cg, struct cgroup_stats *st, struct berr *e);

void cgroup_release(struct cgroup *cg);

/* A cgroup as one line of text (mode and directories), to keep in a container's record so that
 * another berth process can find it again; and back. */
char *cgroup_serialize(const struct cgroup *cg);
int cgroup_deserialize(const char *text, struct cgroup *cg, struct berr *e);

/* ---- pure parsers, for tests and fuzzers ---- */
struct cgroup_mount {
        char mountpoint[512], root[512], options[256];
        bool v2;
};
/* Reads cgroup and cgroup2 mounts from mountinfo text. */
size_t cgroup_parse_mountinfo(FILE *f, struct cgroup_mount *out, size_t max);
struct cgroup_membership {
        char controllers[128]; /* "" for the v2 line "0::/path" */
        char path[512];
};
size_t cgroup_parse_proc(FILE *f, struct cgroup_membership *out, size_t max);
/* Whether comma-separated list has word. */
bool cgroup_list_has(const char *list, const char *word);
/* cpu.weight from cpu.shares, as runc converts: [2, 262144] -> [1, 10000]. */
uint64_t cgroup_shares_to_weight(uint64_t shares);
/* io.weight from blkio weight: [10, 1000] -> [1, 10000]. */
uint64_t cgroup_blkio_to_io_weight(uint64_t w);

#endif
