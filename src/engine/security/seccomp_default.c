/* berth's default seccomp profile (see seccomp_default.h): tables of syscall names, and a small
 * builder that turns them into a struct spec_seccomp for one capability set.
 *
 * Names are listed for every architecture berth may filter (x86_64 with its x86 and x32 ABIs,
 * aarch64 with arm): libseccomp knows each name on each architecture, and a name an
 * architecture lacks (or one this libseccomp does not know yet) is skipped when the filter is
 * compiled, so one list serves all. */
#include "engine/security/seccomp_default.h"

#include "core/spec.h"
#include "util/err.h"
#include "util/strv.h"

#include <errno.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

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
        /* reading and writing file descriptors */
        "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "preadv2",
        "pwritev2", "lseek", "_llseek", "sendfile", "sendfile64", "splice", "tee", "vmsplice",
        "copy_file_range", "readahead", "fadvise64", "fadvise64_64", "fallocate", "truncate",
        "truncate64", "ftruncate", "ftruncate64", "fsync", "fdatasync", "sync", "syncfs",
        "sync_file_range",
        /* opening, closing and duplicating; name_to_handle_at only makes a handle (opening one
         * is open_by_handle_at, below, behind CAP_DAC_READ_SEARCH) */
        "open", "openat", "openat2", "creat", "close", "close_range", "dup", "dup2", "dup3",
        "pipe", "pipe2", "fcntl", "fcntl64", "ioctl", "flock", "name_to_handle_at",
        /* paths and directories (mknod: the kernel checks CAP_MKNOD, the device cgroup the rest) */
        "getcwd", "chdir", "fchdir", "mkdir", "mkdirat", "rmdir", "rename", "renameat",
        "renameat2", "link", "linkat", "symlink", "symlinkat", "unlink", "unlinkat", "readlink",
        "readlinkat", "getdents", "getdents64", "mknod", "mknodat", "access", "faccessat",
        "faccessat2", "umask",
        /* ownership, modes and times */
        "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "chown32", "fchown", "fchown32",
        "fchownat", "lchown", "lchown32", "utime", "utimes", "utimensat", "utimensat_time64",
        "futimesat",
        /* the stat family, and reading the mount table (statmount, listmount: kernel 6.8) */
        "stat", "stat64", "fstat", "fstat64", "lstat", "lstat64", "newfstatat", "fstatat64",
        "statx", "statfs", "statfs64", "fstatfs", "fstatfs64", "statmount", "listmount",
        /* extended attributes */
        "getxattr", "lgetxattr", "fgetxattr", "getxattrat", "setxattr", "lsetxattr", "fsetxattr",
        "setxattrat", "listxattr", "llistxattr", "flistxattr", "listxattrat", "removexattr",
        "lremovexattr", "fremovexattr", "removexattrat",
        /* watching files (fanotify_init itself needs CAP_SYS_ADMIN, below) */
        "inotify_init", "inotify_init1", "inotify_add_watch", "inotify_rm_watch", "fanotify_mark",
        /* memory */
        "brk", "mmap", "mmap2", "munmap", "mremap", "mprotect", "pkey_mprotect", "pkey_alloc",
        "pkey_free", "madvise", "mincore", "mlock", "mlock2", "munlock", "mlockall",
        "munlockall", "msync", "remap_file_pages", "membarrier", "memfd_create", "memfd_secret",
        "cachestat", "map_shadow_stack", "mseal",
        /* signals */
        "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigpending", "rt_sigsuspend",
        "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_sigqueueinfo", "rt_tgsigqueueinfo",
        "sigprocmask", "sigreturn", "sigaltstack", "signalfd", "signalfd4", "kill", "tkill",
        "tgkill", "pause", "alarm", "restart_syscall",
        /* threads and futexes */
        "futex", "futex_time64", "futex_waitv", "futex_wait", "futex_wake", "futex_requeue",
        "set_robust_list", "get_robust_list", "set_tid_address", "rseq", "gettid",
        "set_thread_area", "get_thread_area",
        /* waiting for events */
        "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_wait",
        "epoll_wait_old", "epoll_pwait", "epoll_pwait2", "poll", "ppoll", "ppoll_time64",
        "select", "_newselect", "pselect6", "pselect6_time64", "eventfd", "eventfd2",
        "timerfd_create", "timerfd_settime", "timerfd_settime64", "timerfd_gettime",
        "timerfd_gettime64",
        /* asynchronous I/O (the old aio; io_uring is never allowed) */
        "io_setup", "io_destroy", "io_submit", "io_cancel", "io_getevents", "io_pgetevents",
        "io_pgetevents_time64",
        /* sockets (socket itself is conditional, below; socketcall, x86's door to all of them,
         * is not, as in docker: on 32-bit x86 it reaches every family) */
        "socketpair", "bind", "connect", "listen", "accept", "accept4", "getsockname",
        "getpeername", "getsockopt", "setsockopt", "sendto", "recvfrom", "send", "recv",
        "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "recvmmsg_time64", "shutdown",
        "socketcall",
        /* System V and POSIX IPC (the container has its own IPC namespace) */
        "shmget", "shmat", "shmdt", "shmctl", "semget", "semop", "semtimedop",
        "semtimedop_time64", "semctl", "msgget", "msgsnd", "msgrcv", "msgctl", "ipc", "mq_open",
        "mq_unlink", "mq_timedsend", "mq_timedsend_time64", "mq_timedreceive",
        "mq_timedreceive_time64", "mq_notify", "mq_getsetattr",
        /* time and timers; adjtimex and clock_adjtime read the clock's discipline (chronyc,
         * ntpstat, node exporters), the kernel asks CAP_SYS_TIME of those that change it */
        "time", "gettimeofday", "clock_gettime", "clock_gettime64", "clock_getres",
        "clock_getres_time64", "clock_nanosleep", "clock_nanosleep_time64", "nanosleep",
        "adjtimex", "clock_adjtime", "clock_adjtime64", "getitimer", "setitimer",
        "timer_create", "timer_settime", "timer_settime64", "timer_gettime", "timer_gettime64",
        "timer_getoverrun", "timer_delete", "times",
        /* processes (clone, clone3, personality are conditional, below); uretprobe is the
         * return trampoline of user probes, it kills a caller that is not one */
        "fork", "vfork", "execve", "execveat", "exit", "exit_group", "wait4", "waitid",
        "waitpid", "getpid", "getppid", "getpgid", "setpgid", "getpgrp", "getsid", "setsid",
        "prctl", "uname", "sysinfo", "getrandom", "getcpu", "seccomp", "pidfd_open",
        "pidfd_send_signal", "process_mrelease", "landlock_create_ruleset",
        "landlock_add_rule", "landlock_restrict_self", "uretprobe", "riscv_hwprobe",
        /* scheduling, priorities and limits (the kernel checks CAP_SYS_NICE/RESOURCE) */
        "sched_yield", "sched_getaffinity", "sched_setaffinity", "sched_getparam",
        "sched_setparam", "sched_getscheduler", "sched_setscheduler", "sched_get_priority_max",
        "sched_get_priority_min", "sched_rr_get_interval", "sched_rr_get_interval_time64",
        "sched_getattr", "sched_setattr", "getpriority", "setpriority", "ioprio_get",
        "ioprio_set", "getrlimit", "ugetrlimit", "setrlimit", "prlimit64", "getrusage",
        /* user and group ids, capabilities (the runtime itself calls these after the filter is
         * loaded; the kernel checks CAP_SETUID/SETGID/SETPCAP) */
        "getuid", "getuid32", "geteuid", "geteuid32", "getgid", "getgid32", "getegid",
        "getegid32", "getresuid", "getresuid32", "getresgid", "getresgid32", "getgroups",
        "getgroups32", "setuid", "setuid32", "setgid", "setgid32", "setreuid", "setreuid32",
        "setregid", "setregid32", "setresuid", "setresuid32", "setresgid", "setresgid32",
        "setgroups", "setgroups32", "setfsuid", "setfsuid32", "setfsgid", "setfsgid32",
        "capget", "capset",
        NULL,
};

/* ---- never allowed, whatever the capabilities (docker lists none of them): kernel keyrings
 * (not namespaced), userfaultfd and io_uring (exploit primitives), kexec, swap, pivot_root
 * (the runtime's, before the filter), page migration between NUMA nodes, and obsolete calls.
 * Only listed for tests: no rule names them. */
const char *const seccomp_default_blocked[] = {
        "keyctl", "add_key", "request_key", "userfaultfd", "io_uring_setup", "io_uring_enter",
        "io_uring_register", "kexec_load", "kexec_file_load", "swapon", "swapoff", "pivot_root",
        "move_pages", "migrate_pages", "nfsservctl", "uselib", "vm86", "vm86old",
        "create_module", "get_kernel_syms", "query_module", "_sysctl", "sysfs", "ustat",
        "bdflush", "nice", "readdir", "signal", "sigaction", "sigpending", "sigsuspend", NULL,
};

/* ---- the conditional groups, in the order of docker's profile */

/* Architectures a group may be limited to: the one berth is built for is NATIVE_ARCH. */
enum {
        A_AMD64 = 1 << 0, A_X32 = 1 << 1, A_X86 = 1 << 2, A_ARM = 1 << 3, A_ARM64 = 1 << 4,
        A_PPC64LE = 1 << 5, A_S390 = 1 << 6, A_RISCV64 = 1 << 7,
};
#if defined(__x86_64__)
#define NATIVE_ARCH A_AMD64
#elif defined(__i386__)
#define NATIVE_ARCH A_X86
#elif defined(__aarch64__)
#define NATIVE_ARCH A_ARM64
#elif defined(__arm__)
#define NATIVE_ARCH A_ARM
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NATIVE_ARCH A_PPC64LE
#elif defined(__s390__) || defined(__s390x__)
#define NATIVE_ARCH A_S390
#elif defined(__riscv) && __riscv_xlen == 64
#define NATIVE_ARCH A_RISCV64
#else
#define NATIVE_ARCH 0
#endif

#define KV(major, minor) ((major) * 1000U + (minor))

struct group {
        const char *const *names;
        uint32_t action;
        const struct spec_seccomp_arg *arg; /* NULL: whatever the arguments */
        uint64_t caps;       /* kept only if every one of these is held */
        uint64_t unless;     /* dropped if any of these is held */
        unsigned arches;     /* kept only on these (0: all) */
        unsigned not_arches; /* dropped on these */
        unsigned min_kernel; /* kept only from this kernel on (0: any) */
};

/* Designated initializers of struct group, so each entry reads as docker's does. */
#define NAMES(...) .names = ((const char *const[]){__VA_ARGS__, NULL})
#define ARG(i, op, v) .arg = (&(const struct spec_seccomp_arg){(i), (v), 0, (op)})
#define ALLOW .action = SCMP_ACT_ALLOW

/* clone's namespace flags: CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET. */
#define CLONE_NS_MASK 0x7E020000ULL
/* socket families: crypto (AF_ALG, 38) and the hypervisor's host (AF_VSOCK, 40) are refused,
 * the one between them (AF_NFC, 39) is not. */
#define AF_ALG_FAMILY 38
#define AF_VSOCK_FAMILY 40

static const struct group groups[] = {
        /* tracing one's own processes (strace, gdb) once ptrace can no longer bypass the
         * filter (4.8); reaching other users' processes is the kernel's CAP_SYS_PTRACE check */
        {NAMES("ptrace", "process_vm_readv", "process_vm_writev"), ALLOW, .min_kernel = KV(4, 8)},
        {NAMES("socket"), ALLOW, ARG(0, SCMP_CMP_LT, AF_ALG_FAMILY)},
        {NAMES("socket"), ALLOW, ARG(0, SCMP_CMP_EQ, AF_ALG_FAMILY + 1)},
        {NAMES("socket"), ALLOW, ARG(0, SCMP_CMP_GT, AF_VSOCK_FAMILY)},
        /* personas: linux, linux32, uname26 and both, and the query */
        {NAMES("personality"), ALLOW, ARG(0, SCMP_CMP_EQ, 0x0)},
        {NAMES("personality"), ALLOW, ARG(0, SCMP_CMP_EQ, 0x8)},
        {NAMES("personality"), ALLOW, ARG(0, SCMP_CMP_EQ, 0x20000)},
        {NAMES("personality"), ALLOW, ARG(0, SCMP_CMP_EQ, 0x20008)},
        {NAMES("personality"), ALLOW, ARG(0, SCMP_CMP_EQ, 0xffffffff)},
        /* each architecture's own calls */
        {NAMES("sync_file_range2", "swapcontext"), ALLOW, .arches = A_PPC64LE},
        {NAMES("arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint",
               "cacheflush", "set_tls"), ALLOW, .arches = A_ARM | A_ARM64},
        {NAMES("arch_prctl"), ALLOW, .arches = A_AMD64 | A_X32},
        {NAMES("modify_ldt"), ALLOW, .arches = A_AMD64 | A_X32 | A_X86},
        {NAMES("s390_pci_mmio_read", "s390_pci_mmio_write", "s390_runtime_instr"), ALLOW,
         .arches = A_S390},
        {NAMES("riscv_flush_icache"), ALLOW, .arches = A_RISCV64},
        /* opening a file handle reaches any file of the filesystem, not only the root's */
        {NAMES("open_by_handle_at"), ALLOW, .caps = CAPBIT(CAP_DAC_READ_SEARCH)},
        /* mounts, namespaces, names, kernel logs, bpf, perf, fanotify, LSM attributes */
        {NAMES("bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen",
               "fspick", "lookup_dcookie", "lsm_get_self_attr", "lsm_list_modules",
               "lsm_set_self_attr", "mount", "mount_setattr", "move_mount", "open_tree",
               "perf_event_open", "quotactl", "quotactl_fd", "setdomainname", "sethostname",
               "setns", "syslog", "umount", "umount2", "unshare"),
         ALLOW, .caps = CAPBIT(CAP_SYS_ADMIN)},
        /* without CAP_SYS_ADMIN: threads and processes, but no new namespaces (s390 passes
         * the flags second) */
        {NAMES("clone"), ALLOW, ARG(0, SCMP_CMP_MASKED_EQ, CLONE_NS_MASK),
         .unless = CAPBIT(CAP_SYS_ADMIN), .not_arches = A_S390},
        {NAMES("clone"), ALLOW, ARG(1, SCMP_CMP_MASKED_EQ, CLONE_NS_MASK),
         .unless = CAPBIT(CAP_SYS_ADMIN), .arches = A_S390},
        /* clone3's flags are behind a pointer seccomp cannot read: ENOSYS makes libc use clone */
        {NAMES("clone3"), .action = SCMP_ACT_ERRNO(ENOSYS), .unless = CAPBIT(CAP_SYS_ADMIN)},
        {NAMES("reboot"), ALLOW, .caps = CAPBIT(CAP_SYS_BOOT)},
        {NAMES("chroot"), ALLOW, .caps = CAPBIT(CAP_SYS_CHROOT)},
        {NAMES("delete_module", "init_module", "finit_module"), ALLOW,
         .caps = CAPBIT(CAP_SYS_MODULE)},
        {NAMES("acct"), ALLOW, .caps = CAPBIT(CAP_SYS_PACCT)},
        {NAMES("kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv",
               "process_vm_writev", "ptrace"), ALLOW, .caps = CAPBIT(CAP_SYS_PTRACE)},
        {NAMES("iopl", "ioperm"), ALLOW, .caps = CAPBIT(CAP_SYS_RAWIO)},
        {NAMES("settimeofday", "stime", "clock_settime", "clock_settime64"), ALLOW,
         .caps = CAPBIT(CAP_SYS_TIME)},
        {NAMES("vhangup"), ALLOW, .caps = CAPBIT(CAP_SYS_TTY_CONFIG)},
        {NAMES("get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"), ALLOW,
         .caps = CAPBIT(CAP_SYS_NICE)},
        {NAMES("syslog"), ALLOW, .caps = CAPBIT(CAP_SYSLOG)},
        {NAMES("bpf"), ALLOW, .caps = CAPBIT(CAP_BPF)},
        {NAMES("perf_event_open"), ALLOW, .caps = CAPBIT(CAP_PERFMON)},
};

/* docker's archMap: the native architecture and the ABIs it can also run. */
#if defined(__x86_64__)
static const char *const default_arches[] = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32",
                                             NULL};
#elif defined(__aarch64__)
static const char *const default_arches[] = {"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", NULL};
#elif defined(__s390x__)
static const char *const default_arches[] = {"SCMP_ARCH_S390X", "SCMP_ARCH_S390", NULL};
#elif defined(__riscv) && __riscv_xlen == 64
static const char *const default_arches[] = {"SCMP_ARCH_RISCV64", NULL};
#elif defined(__loongarch64)
static const char *const default_arches[] = {"SCMP_ARCH_LOONGARCH64", NULL};
#else
static const char *const default_arches[] = {NULL}; /* the native architecture only */
#endif

// clang-format on

/* ---- the builder */

static bool group_holds(const struct group *g, uint64_t caps, unsigned kernel)
{
        return (caps & g->caps) == g->caps && !(caps & g->unless) &&
               (!g->arches || (g->arches & NATIVE_ARCH)) && !(g->not_arches & NATIVE_ARCH) &&
               kernel >= g->min_kernel;
}

static int add_group(struct spec_seccomp *sc, const char *const *names, uint32_t action,
                     const struct spec_seccomp_arg *arg)
{
        struct spec_seccomp_rule *r = &sc->rules[sc->n_rules++];
        r->action = action;
        if (!(r->names = calloc(1, sizeof(char *))) ||
            strv_extend(&r->names, (char *const *)names) < 0)
                return -ENOMEM;
        if (!arg)
                return 0;
        if (!(r->args = calloc(1, sizeof(*r->args))))
                return -ENOMEM;
        r->args[0] = *arg;
        r->n_args = 1;
        return 0;
}

static int fill(struct spec_seccomp *sc, uint64_t caps, unsigned kernel)
{
        int r;
        sc->default_action = SCMP_ACT_ERRNO(EPERM);
        if (default_arches[0] && !(sc->architectures = strv_dup((char *const *)default_arches)))
                return -ENOMEM;
        if ((r = add_group(sc, seccomp_default_allowed, SCMP_ACT_ALLOW, NULL)) < 0)
                return r;
        for (size_t i = 0; i < ARRAY_LEN(groups); i++)
                if (group_holds(&groups[i], caps, kernel) &&
                    (r = add_group(sc, groups[i].names, groups[i].action, groups[i].arg)) < 0)
                        return r;
        return 0;
}

int seccomp_default_profile_kernel(uint64_t caps, const char *kernel, struct spec_seccomp **out,
                                   struct berr *e)
{
        *out = NULL;
        unsigned major = 0, minor = 0;
        struct utsname u;
        if (!kernel)
                kernel = uname(&u) == 0 ? u.release : "";
        /* "6.1.0-13-amd64": only major.minor count, as for docker's minKernel */
        if (sscanf(kernel, "%u.%u", &major, &minor) != 2)
                major = minor = 0;
        struct spec_seccomp *sc = calloc(1, sizeof(*sc));
        if (!sc || !(sc->rules = calloc(1 + ARRAY_LEN(groups), sizeof(*sc->rules))) ||
            fill(sc, caps, KV(major, minor)) < 0) {
                spec_seccomp_free(sc);
                return berr_set(e, ENOMEM, "building the default seccomp profile: out of memory");
        }
        *out = sc;
        return 0;
}

int seccomp_default_profile(uint64_t caps, struct spec_seccomp **out, struct berr *e)
{
        return seccomp_default_profile_kernel(caps, NULL, out, e);
}
