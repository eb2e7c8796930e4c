/* struct spec: the in-memory OCI runtime config (config.json). The one currency of berth: the
 * runtime reads it from a bundle, the engine builds it from an image and flags, the core runs it
 * without knowing where it came from. Field names follow the OCI runtime spec. */
#ifndef BERTH_CORE_SPEC_H
#define BERTH_CORE_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct berr;

struct spec_mount {
        char *destination;
        char *type;   /* may be NULL (bind mounts) */
        char *source; /* may be NULL */
        char **options; /* NULL-terminated, may be NULL */
};

enum spec_ns_type {
        NS_PID,
        NS_NETWORK,
        NS_MOUNT,
        NS_IPC,
        NS_UTS,
        NS_USER,
        NS_CGROUP,
        NS_TIME,
        NS__COUNT
};

struct spec_namespace {
        bool enabled; /* listed in linux.namespaces */
        char *path;   /* join this namespace instead of creating one; NULL = new */
};

struct spec_id_mapping {
        uint32_t container_id, host_id, size;
};

struct spec_user {
        uid_t uid;
        gid_t gid;
        gid_t *additional_gids;
        size_t n_additional_gids;
        /* berth extension (never in config.json): a user or "user:group" name from the image or
         * `-u`, resolved against the container's /etc/passwd and /etc/group after pivot_root.
         * NULL = use uid/gid as given. */
        char *name;
};

/* linux.resources. Every number is RES_UNSET unless given; the OCI names are kept. */
#define RES_UNSET INT64_MIN

enum spec_throttle_kind { THR_READ_BPS, THR_WRITE_BPS, THR_READ_IOPS, THR_WRITE_IOPS, THR__COUNT };

struct spec_throttle {
        int64_t major, minor;
        uint64_t rate;
};

struct spec_resources {
        int64_t mem_limit, mem_reservation, mem_swap; /* bytes; -1 = unlimited */
        int64_t mem_swappiness;                       /* 0-100 */
        int64_t mem_kernel, mem_kernel_tcp; /* v1 kmem limits (deprecated in the spec) */
        bool disable_oom_killer;
        /* hugepageLimits and network (net_cls/net_prio) asked for: berth does not apply them
         * yet, and says so at create rather than ignore them */
        bool hugepage_limits_set, network_set;
        int64_t cpu_shares, cpu_quota, cpu_period; /* quota -1 = unlimited */
        char *cpus, *mems;                         /* cpuset lists, NULL = unset */
        int64_t pids_limit;                        /* <= 0 = unlimited */
        int64_t blkio_weight;                      /* 10-1000 */
        struct spec_throttle *throttle[THR__COUNT];
        size_t n_throttle[THR__COUNT];
        struct spec_device_rule *devices;
        size_t n_devices;
};

struct spec_rlimit {
        int resource; /* RLIMIT_* */
        uint64_t soft, hard;
};

/* process.capabilities: bit masks of CAP_* numbers. */
struct spec_caps {
        bool set; /* absent in config.json: the init keeps no capability it did not list */
        uint64_t bounding, effective, inheritable, permitted, ambient;
};

/* linux.seccomp, with libseccomp's action and operator values (SCMP_ACT_*, SCMP_CMP_*). */
struct spec_seccomp_arg {
        unsigned index;
        uint64_t value, value_two;
        int op;
};
struct spec_seccomp_rule {
        char **names;
        uint32_t action; /* SCMP_ACT_*; SCMP_ACT_ERRNO(n) already folded in */
        struct spec_seccomp_arg *args;
        size_t n_args;
};
struct spec_seccomp {
        uint32_t default_action;
        char **architectures; /* "SCMP_ARCH_X86_64", ... */
        char **flags;         /* "SECCOMP_FILTER_FLAG_LOG", ... */
        char *listener_path;     /* where the notify fd goes (SCMP_ACT_NOTIFY) */
        char *listener_metadata; /* opaque, sent beside it; only with listener_path */
        bool uses_notify;        /* some rule's action is SCMP_ACT_NOTIFY */
        struct spec_seccomp_rule *rules;
        size_t n_rules;
};

/* linux.devices: nodes to create in the container. */
struct spec_device {
        char *path;
        char type; /* 'c', 'b', 'u', 'p' */
        int64_t major, minor;
        uint32_t file_mode; /* 0: 0666 */
        uid_t uid;
        gid_t gid;
};
/* linux.resources.devices: the device cgroup's allow/deny list, in order. */
struct spec_device_rule {
        bool allow;
        char type;            /* 'a', 'c', 'b' */
        int64_t major, minor; /* -1 = any */
        char access[4];       /* "rwm" subset */
};

/* process.scheduler: sched_setattr(2)'s fields. */
struct spec_scheduler {
        bool set;
        uint32_t policy; /* SCHED_OTHER, ... */
        int32_t nice;
        uint32_t priority;
        uint64_t flags; /* SCHED_FLAG_* */
        uint64_t runtime, deadline, period;
};

/* process.ioPriority: ioprio_set(2)'s class and level. */
struct spec_io_priority {
        bool set;
        int klass;    /* IOPRIO_CLASS_RT 1, _BE 2, _IDLE 3 */
        int priority; /* 0 (highest) to 7 */
};

/* linux.timeOffsets: the clocks a new time namespace shifts. */
enum spec_clock { SPEC_CLOCK_MONOTONIC, SPEC_CLOCK_BOOTTIME, SPEC_CLOCK__COUNT };
struct spec_time_offset {
        bool set;
        int64_t secs;
        uint32_t nanosecs; /* below 1e9 */
};

struct spec_process {
        bool terminal;
        struct spec_user user;
        char **args; /* NULL-terminated, at least one */
        char **env;  /* NULL-terminated */
        char *cwd;   /* absolute */
        bool no_new_privileges;
        struct spec_rlimit *rlimits;
        size_t n_rlimits;
        struct spec_caps caps;
        bool has_oom_score_adj;
        int oom_score_adj;
        char *apparmor_profile, *selinux_label;
        struct spec_scheduler scheduler;     /* process.scheduler (spec_extra.c) */
        struct spec_io_priority io_priority; /* process.ioPriority */
        /* process.execCPUAffinity: cpu lists ("0-3,7"), checked at parse; NULL = unset */
        char *cpu_affinity_initial, *cpu_affinity_final;
};

/* hooks (spec_hooks.c): each kind's entries in config.json order. */
enum spec_hook_kind {
        SPEC_HOOK_PRESTART,
        SPEC_HOOK_CREATE_RUNTIME,
        SPEC_HOOK_CREATE_CONTAINER,
        SPEC_HOOK_START_CONTAINER,
        SPEC_HOOK_POSTSTART,
        SPEC_HOOK_POSTSTOP,
        SPEC_HOOK__COUNT
};
struct spec_hook {
        char *path;  /* absolute */
        char **args; /* NULL-terminated, may be NULL (then argv is just path) */
        char **env;  /* NULL-terminated, may be NULL */
        int timeout; /* seconds; 0 = none */
};

struct spec {
        char *oci_version;
        struct spec_process process;
        char *root_path; /* absolute, or relative to the bundle once loaded */
        bool root_readonly;
        char *hostname;
        char *domainname; /* needs a uts namespace */
        bool has_personality;
        unsigned long personality; /* linux.personality.domain: PER_LINUX or PER_LINUX32 */
        struct spec_time_offset time_offsets[SPEC_CLOCK__COUNT];
        /* Fields berth parses only to refuse at create (it cannot honour them): the first one
         * met, e.g. "linux.intelRdt"; NULL = none. Static text. */
        const char *refused;
        struct spec_mount *mounts;
        size_t n_mounts;
        struct spec_namespace namespaces[NS__COUNT];
        struct spec_id_mapping *uid_mappings, *gid_mappings;
        size_t n_uid_mappings, n_gid_mappings;
        char **masked_paths;
        char **readonly_paths;
        char *rootfs_propagation; /* NULL = rprivate */
        char *annotations_json;   /* raw JSON object text, kept for state; may be NULL */
        struct spec_resources resources;
        struct spec_seccomp *seccomp; /* NULL: none */
        struct spec_device *devices;
        size_t n_devices;
        char **sysctl; /* "key=value" */
        char *mount_label;
        char *cgroups_path; /* linux.cgroupsPath; NULL = berth/<id> under the caller's cgroup */
        struct spec_hook *hooks[SPEC_HOOK__COUNT];
        size_t n_hooks[SPEC_HOOK__COUNT];

        /* berth extension (never in config.json): a filesystem to mount on root_path inside the
         * container's new mount namespace before anything else. The engine uses it for the
         * overlay root so the mount is never visible on the host and dies with the namespace. */
        struct spec_mount *root_mount;
};

/* Parses config.json text. Validation errors name the field ("process.args: must be a non-empty
 * array of strings"). */
int spec_from_json(const char *text, size_t len, struct spec **out, struct berr *e);
/* Reads and parses a config.json file; errors are prefixed with its path. */
int spec_from_file(const char *path, struct spec **out, struct berr *e);
/* Serialises to config.json text (heap-owned). Extensions are not written. */
int spec_to_json(const struct spec *s, char **out, struct berr *e);
/* The same, compact when asked: half the bytes for a program to read (the engine's store, which
 * `exec` parses on every call), where spec_to_json indents for people. */
int spec_to_json_flags(const struct spec *s, bool compact, char **out, struct berr *e);
/* A runc-style default spec (`spec` command, and the engine's starting point): namespaces pid,
 * network, ipc, uts, mount, cgroup; /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys; the
 * usual masked and read-only paths; process args ["sh"], terminal true, cwd "/". */
int spec_new_default(struct spec **out, struct berr *e);
void spec_free(struct spec *s);
/* Sets every resource to RES_UNSET (spec_from_json and spec_new_default do this). */
void spec_resources_init(struct spec_resources *r);
void spec_resources_clear(struct spec_resources *r);
/* Deep copy; dst is cleared first. */
int spec_resources_copy(struct spec_resources *dst, const struct spec_resources *src);
/* `update`: every field src sets (not RES_UNSET / NULL; disable_oom_killer when true) replaces
 * dst's; throttle entries replace dst's entry for the same device or are added. dst is left
 * unchanged on -ENOMEM. */
int spec_resources_merge(struct spec_resources *dst, const struct spec_resources *src);
/* Parses linux.resources / process.rlimits objects (used by spec_from_json and by
 * `berth-runtime update --resources`). Pure. */
struct json_t;
int spec_resources_from_json(struct json_t *res, struct spec_resources *out, struct berr *e);
int spec_rlimits_from_json(struct json_t *arr, struct spec *s, struct berr *e);
struct json_t *spec_resources_to_json(const struct spec_resources *r);
/* "RLIMIT_NOFILE" / "nofile" -> RLIMIT_NOFILE; -1 if unknown. */
int spec_rlimit_from_name(const char *name);
const char *spec_rlimit_name(int resource);

/* Security parts of config.json (spec_security.c). Pure. */
int spec_security_from_json(struct json_t *root, struct spec *s, struct berr *e);
void spec_security_to_json(const struct spec *s, struct json_t *root);
void spec_security_free(struct spec *s);
void spec_seccomp_free(struct spec_seccomp *sc);
/* "CAP_NET_RAW" / "NET_RAW" / "net_raw" -> its number; -1 if unknown. */
int spec_cap_from_name(const char *name);
const char *spec_cap_name(int cap);
#define SPEC_CAP_LAST 40 /* CAP_CHECKPOINT_RESTORE */

/* The newer process and Linux fields (spec_extra.c): domainname, linux.personality,
 * linux.timeOffsets, process.scheduler, process.ioPriority, process.execCPUAffinity, and the
 * refused linux.intelRdt / linux.netDevices. Pure. */
int spec_extra_from_json(struct json_t *root, struct spec *s, struct berr *e);
int spec_process_extra_from_json(struct json_t *proc, struct spec_process *p, struct berr *e);
void spec_extra_to_json(const struct spec *s, struct json_t *root);
void spec_process_extra_to_json(const struct spec_process *p, struct json_t *proc);
void spec_extra_free(struct spec *s);
/* What a create cannot do with this spec, checked before anything is made: a refused field,
 * a domainname without a uts namespace, time offsets without a new time namespace. */
int spec_extra_check(const struct spec *s, struct berr *e);

/* hooks (spec_hooks.c). Pure. */
int spec_hooks_from_json(struct json_t *root, struct spec *s, struct berr *e);
void spec_hooks_to_json(const struct spec *s, struct json_t *root);
void spec_hooks_free(struct spec *s);
const char *spec_hook_name(enum spec_hook_kind k); /* "prestart", "createRuntime", ... */

const char *spec_ns_name(enum spec_ns_type t); /* "pid", "network", ... */
int spec_ns_from_name(const char *name);       /* -1 if unknown */
int spec_ns_clone_flag(enum spec_ns_type t);   /* CLONE_NEWPID, ... */

/* Replaces a NULL-terminated string list field (copies). */
int spec_set_strv(char ***field, char *const *v);
/* Adds a mount (copies every string); options may be NULL. */
int spec_add_mount(struct spec *s, const char *dest, const char *type, const char *source,
                   char *const *options);

#endif
