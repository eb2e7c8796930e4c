/* berth's default seccomp profile (see seccomp_default.h): tables of syscall names, and a small
 * builder that turns them into a struct spec_seccomp for one capability set.
 *
 * Names are listed for every architecture berth may filter (x86_64 with its x86 and x32 ABIs,
 * aarch64 with arm): libseccomp knows each name on each architecture, and a name an
 * architecture lacks (or one this libseccomp does not know yet) is skipped when the filter is
 * compiled, so one list serves all. */
#include "engine/seccomp_default.h"

#include "core/spec.h"
#include "util/err.h"
#include "util/strv.h"

#include <errno.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

#define CAPBIT(c) (1ULL << (c))
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the allow list: what ordinary programs need, whatever their capabilities */

/* clang-format off: the tables keep several names a line, grouped under comments. */
// clang-format off
const char *const seccomp_default_allowed[] = {
        /* tracing one's own processes (strace, gdb): docker allows these on kernels >= 4.8,
         * where ptrace can no longer bypass the filter; reaching other users' processes is
         * still the capability check's job (no CAP_SYS_PTRACE by default) */
        "ptrace", "kcmp", "process_vm_readv", "process_vm_writev", "pidfd_getfd",
        /* reading and writing file descriptors */
        "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "preadv2",
        "pwritev2", "lseek", "_llseek", "sendfile", "sendfile64", "splice", "tee", "vmsplice",
        "copy_file_range", "readahead", "fadvise64", "fadvise64_64", "arm_fadvise64_64",
        "fallocate", "truncate", "truncate64", "ftruncate", "ftruncate64", "fsync", "fdatasync",
        "sync", "syncfs", "sync_file_range", "sync_file_range2", "arm_sync_file_range",
        /* opening, closing and duplicating */
        "open", "openat", "openat2", "creat", "close", "close_range", "dup", "dup2", "dup3",
        "pipe", "pipe2", "fcntl", "fcntl64", "ioctl", "flock",
        /* paths and directories (mknod: the kernel checks CAP_MKNOD, the device cgroup the rest) */
        "getcwd", "chdir", "fchdir", "mkdir", "mkdirat", "rmdir", "rename", "renameat",
        "renameat2", "link", "linkat", "symlink", "symlinkat", "unlink", "unlinkat", "readlink",
        "readlinkat", "getdents", "getdents64", "readdir", "mknod", "mknodat", "access",
        "faccessat", "faccessat2", "umask",
        /* ownership, modes and times */
        "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "chown32", "fchown", "fchown32",
        "fchownat", "lchown", "lchown32", "utime", "utimes", "utimensat", "utimensat_time64",
        "futimesat",
        /* the stat family */
        "stat", "stat64", "fstat", "fstat64", "lstat", "lstat64", "newfstatat", "fstatat64",
        "statx", "statfs", "statfs64", "fstatfs", "fstatfs64",
        /* extended attributes */
        "getxattr", "lgetxattr", "fgetxattr", "getxattrat", "setxattr", "lsetxattr", "fsetxattr",
        "setxattrat", "listxattr", "llistxattr", "flistxattr", "listxattrat", "removexattr",
        "lremovexattr", "fremovexattr", "removexattrat",
        /* watching files (fanotify_init itself needs CAP_SYS_ADMIN, below) */
        "inotify_init", "inotify_init1", "inotify_add_watch", "inotify_rm_watch", "fanotify_mark",
        /* memory */
        "brk", "mmap", "mmap2", "munmap", "mremap", "mprotect", "pkey_mprotect", "pkey_alloc",
        "pkey_free", "madvise", "mincore", "mlock", "mlock2", "munlock", "mlockall",
        "munlockall", "msync", "remap_file_pages", "membarrier", "memfd_create", "cachestat",
        "map_shadow_stack", "mseal",
        /* signals */
        "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigpending", "rt_sigsuspend",
        "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_sigqueueinfo", "rt_tgsigqueueinfo",
        "sigaction", "sigprocmask", "sigreturn", "sigpending", "sigsuspend", "signal",
        "sigaltstack", "signalfd", "signalfd4", "kill", "tkill", "tgkill", "pause", "alarm",
        "restart_syscall",
        /* threads and futexes */
        "futex", "futex_time64", "futex_waitv", "futex_wait", "futex_wake", "futex_requeue",
        "set_robust_list", "get_robust_list", "set_tid_address", "rseq", "gettid",
        /* waiting for events */
        "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_wait",
        "epoll_wait_old", "epoll_pwait", "epoll_pwait2", "poll", "ppoll", "ppoll_time64",
        "select", "_newselect", "pselect6", "pselect6_time64", "eventfd", "eventfd2",
        "timerfd_create", "timerfd_settime", "timerfd_settime64", "timerfd_gettime",
        "timerfd_gettime64",
        /* asynchronous I/O (the old aio; io_uring is never allowed) */
        "io_setup", "io_destroy", "io_submit", "io_cancel", "io_getevents", "io_pgetevents",
        "io_pgetevents_time64",
        /* sockets (socket itself is conditional, below) */
        "socketpair", "bind", "connect", "listen", "accept", "accept4", "getsockname",
        "getpeername", "getsockopt", "setsockopt", "sendto", "recvfrom", "send", "recv",
        "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "recvmmsg_time64", "shutdown",
        "socketcall",
        /* System V and POSIX IPC (the container has its own IPC namespace) */
        "shmget", "shmat", "shmdt", "shmctl", "semget", "semop", "semtimedop",
        "semtimedop_time64", "semctl", "msgget", "msgsnd", "msgrcv", "msgctl", "ipc", "mq_open",
        "mq_unlink", "mq_timedsend", "mq_timedsend_time64", "mq_timedreceive",
        "mq_timedreceive_time64", "mq_notify", "mq_getsetattr",
        /* time and timers (reading; setting the clock needs CAP_SYS_TIME, below) */
        "time", "gettimeofday", "clock_gettime", "clock_gettime64", "clock_getres",
        "clock_getres_time64", "clock_nanosleep", "clock_nanosleep_time64", "nanosleep",
        "getitimer", "setitimer", "timer_create", "timer_settime", "timer_settime64",
        "timer_gettime", "timer_gettime64", "timer_getoverrun", "timer_delete", "times",
        /* processes (clone, clone3 and personality are conditional, below) */
        "fork", "vfork", "execve", "execveat", "exit", "exit_group", "wait4", "waitid",
        "waitpid", "getpid", "getppid", "getpgid", "setpgid", "getpgrp", "getsid", "setsid",
        "prctl", "arch_prctl", "set_thread_area", "get_thread_area", "modify_ldt", "uname",
        "sysinfo", "getrandom", "getcpu", "seccomp", "pidfd_open", "pidfd_send_signal",
        "process_mrelease", "landlock_create_ruleset", "landlock_add_rule",
        "landlock_restrict_self",
        /* scheduling, priorities and limits (the kernel checks CAP_SYS_NICE/RESOURCE) */
        "sched_yield", "sched_getaffinity", "sched_setaffinity", "sched_getparam",
        "sched_setparam", "sched_getscheduler", "sched_setscheduler", "sched_get_priority_max",
        "sched_get_priority_min", "sched_rr_get_interval", "sched_rr_get_interval_time64",
        "sched_getattr", "sched_setattr", "getpriority", "setpriority", "nice", "ioprio_get",
        "ioprio_set", "getrlimit", "ugetrlimit", "setrlimit", "prlimit64", "getrusage",
        /* user and group ids, capabilities (the runtime itself calls these after the filter is
         * loaded; the kernel checks CAP_SETUID/SETGID/SETPCAP) */
        "getuid", "getuid32", "geteuid", "geteuid32", "getgid", "getgid32", "getegid",
        "getegid32", "getresuid", "getresuid32", "getresgid", "getresgid32", "getgroups",
        "getgroups32", "setuid", "setuid32", "setgid", "setgid32", "setreuid", "setreuid32",
        "setregid", "setregid32", "setresuid", "setresuid32", "setresgid", "setresgid32",
        "setgroups", "setgroups32", "setfsuid", "setfsuid32", "setfsgid", "setfsgid32",
        "capget", "capset",
        /* 32-bit arm's own calls (aarch64 filters the arm ABI too) */
        "breakpoint", "cacheflush", "set_tls",
        NULL,
};

/* ---- never allowed, whatever the capabilities: kernel keyrings (not namespaced),
 * userfaultfd and io_uring (exploit primitives), kexec, swap, file handles (reach outside the
 * root), and obsolete calls. Only listed for tests: the builder never adds them. */
const char *const seccomp_default_blocked[] = {
        "keyctl",       "add_key",        "request_key",     "userfaultfd",  "io_uring_setup",
        "io_uring_enter", "io_uring_register", "kexec_load",  "kexec_file_load", "swapon",
        "swapoff",      "open_by_handle_at", "nfsservctl",   "uselib",       "vm86",
        "vm86old",      "create_module",  "get_kernel_syms", "query_module", "_sysctl",
        "sysfs",        "ustat",          "bdflush",         NULL,
};

/* ---- allowed with a capability: a group is added when the container holds any of caps */

struct cap_group {
        uint64_t caps;
        const char *const *names;
};

static const char *const sys_admin[] = {
        "mount", "umount", "umount2", "unshare", "setns", "pivot_root", "sethostname",
        "setdomainname", "name_to_handle_at", "open_tree", "move_mount", "fsopen", "fsconfig",
        "fsmount", "fspick", "mount_setattr", "quotactl", "quotactl_fd", "fanotify_init",
        "lookup_dcookie", "clone", "clone3", NULL,
};
static const char *const syslog_calls[] = {"syslog", NULL};
static const char *const bpf_calls[] = {"bpf", NULL};
static const char *const perf_calls[] = {"perf_event_open", NULL};
static const char *const sys_boot[] = {"reboot", NULL};
static const char *const sys_chroot[] = {"chroot", NULL};
static const char *const sys_module[] = {"init_module", "finit_module", "delete_module", NULL};
static const char *const sys_pacct[] = {"acct", NULL};
static const char *const sys_ptrace[] = {"process_madvise", NULL};
static const char *const sys_rawio[] = {"iopl", "ioperm", NULL};
static const char *const sys_time[] = {"settimeofday", "clock_settime", "clock_settime64",
                                       "clock_adjtime", "clock_adjtime64", "adjtimex", "stime",
                                       NULL};
static const char *const sys_tty_config[] = {"vhangup", NULL};
static const char *const sys_nice[] = {"mbind", "set_mempolicy", "get_mempolicy",
                                       "set_mempolicy_home_node", "move_pages", "migrate_pages",
                                       NULL};

static const struct cap_group cap_groups[] = {
        {CAPBIT(CAP_SYS_ADMIN), sys_admin},
        {CAPBIT(CAP_SYS_ADMIN) | CAPBIT(CAP_SYSLOG), syslog_calls},
        {CAPBIT(CAP_SYS_ADMIN) | CAPBIT(CAP_BPF), bpf_calls},
        {CAPBIT(CAP_SYS_ADMIN) | CAPBIT(CAP_PERFMON), perf_calls},
        {CAPBIT(CAP_SYS_BOOT), sys_boot},
        {CAPBIT(CAP_SYS_CHROOT), sys_chroot},
        {CAPBIT(CAP_SYS_MODULE), sys_module},
        {CAPBIT(CAP_SYS_PACCT), sys_pacct},
        {CAPBIT(CAP_SYS_PTRACE), sys_ptrace},
        {CAPBIT(CAP_SYS_RAWIO), sys_rawio},
        {CAPBIT(CAP_SYS_TIME), sys_time},
        {CAPBIT(CAP_SYS_TTY_CONFIG), sys_tty_config},
        {CAPBIT(CAP_SYS_NICE), sys_nice},
};

/* ---- rules on one argument, added unless the container holds any of `unless` */

/* clone's namespace flags: CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET. */
#define CLONE_NS_MASK 0x7E020000ULL
#define AF_VSOCK_FAMILY 40

struct arg_rule {
        const char *name;
        uint32_t action;
        bool has_arg;
        struct spec_seccomp_arg arg;
        uint64_t unless;
};

#define ALLOW_IF_EQ(n, v) {n, SCMP_ACT_ALLOW, true, {0, (v), 0, SCMP_CMP_EQ}, 0}

static const struct arg_rule arg_rules[] = {
        /* threads and processes, but no new namespaces */
        {"clone", SCMP_ACT_ALLOW, true, {0, CLONE_NS_MASK, 0, SCMP_CMP_MASKED_EQ},
         CAPBIT(CAP_SYS_ADMIN)},
        /* clone3's flags are behind a pointer seccomp cannot read: ENOSYS makes libc use clone */
        {"clone3", SCMP_ACT_ERRNO(ENOSYS), false, {0, 0, 0, 0}, CAPBIT(CAP_SYS_ADMIN)},
        /* personas: linux, linux32, uname26 and both, and the query */
        ALLOW_IF_EQ("personality", 0x0),
        ALLOW_IF_EQ("personality", 0x8),
        ALLOW_IF_EQ("personality", 0x20000),
        ALLOW_IF_EQ("personality", 0x20008),
        ALLOW_IF_EQ("personality", 0xffffffff),
        /* every socket family but vsock, which reaches the hypervisor's host */
        {"socket", SCMP_ACT_ALLOW, true, {0, AF_VSOCK_FAMILY, 0, SCMP_CMP_NE}, 0},
};

#if defined(__x86_64__)
static const char *const default_arches[] = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32",
                                             NULL};
#elif defined(__aarch64__)
static const char *const default_arches[] = {"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", NULL};
#elif defined(__i386__)
static const char *const default_arches[] = {"SCMP_ARCH_X86", NULL};
#else
static const char *const default_arches[] = {NULL}; /* the native architecture only */
#endif

// clang-format on

/* ---- the builder */

static struct spec_seccomp_rule *new_rule(struct spec_seccomp *sc, uint32_t action)
{
        struct spec_seccomp_rule *r = &sc->rules[sc->n_rules++];
        r->action = action;
        r->names = calloc(1, sizeof(char *));
        return r->names ? r : NULL;
}

static int add_names(struct spec_seccomp *sc, uint32_t action, const char *const *names)
{
        struct spec_seccomp_rule *r = new_rule(sc, action);
        if (!r)
                return -ENOMEM;
        return strv_extend(&r->names, (char *const *)names);
}

static int add_arg_rule(struct spec_seccomp *sc, const struct arg_rule *a)
{
        struct spec_seccomp_rule *r = new_rule(sc, a->action);
        if (!r || strv_push(&r->names, a->name) < 0)
                return -ENOMEM;
        if (!a->has_arg)
                return 0;
        if (!(r->args = calloc(1, sizeof(*r->args))))
                return -ENOMEM;
        r->args[0] = a->arg;
        r->n_args = 1;
        return 0;
}

static int fill(struct spec_seccomp *sc, uint64_t caps)
{
        int r;
        sc->default_action = SCMP_ACT_ERRNO(EPERM);
        if (default_arches[0] && !(sc->architectures = strv_dup((char *const *)default_arches)))
                return -ENOMEM;
        if ((r = add_names(sc, SCMP_ACT_ALLOW, seccomp_default_allowed)) < 0)
                return r;
        for (size_t i = 0; i < ARRAY_LEN(cap_groups); i++)
                if ((caps & cap_groups[i].caps) &&
                    (r = add_names(sc, SCMP_ACT_ALLOW, cap_groups[i].names)) < 0)
                        return r;
        for (size_t i = 0; i < ARRAY_LEN(arg_rules); i++)
                if (!(caps & arg_rules[i].unless) && (r = add_arg_rule(sc, &arg_rules[i])) < 0)
                        return r;
        return 0;
}

int seccomp_default_profile(uint64_t caps, struct spec_seccomp **out, struct berr *e)
{
        *out = NULL;
        struct spec_seccomp *sc = calloc(1, sizeof(*sc));
        size_t max_rules = 1 + ARRAY_LEN(cap_groups) + ARRAY_LEN(arg_rules);
        if (!sc || !(sc->rules = calloc(max_rules, sizeof(*sc->rules))) || fill(sc, caps) < 0) {
                spec_seccomp_free(sc);
                return berr_set(e, ENOMEM, "building the default seccomp profile: out of memory");
        }
        *out = sc;
        return 0;
}
