/* Unit tests of src/engine/seccomp_default.h (berth's default profile) and
 * src/engine/seccomp_profile.h (docker's profile format), and that both compile to BPF. */
#include "test.h"

#include "core/seccomp.h"
#include "core/seccomp_stub.h"
#include "core/spec.h"
#include "engine/security/seccomp_default.h"
#include "engine/security/seccomp_profile.h"
#include "util/err.h"

#include <errno.h>
#include <glob.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define BIT(c) (1ULL << (c))
/* docker's 14 default capabilities. */
#define DOCKER_CAPS 0x00000000a80425fbULL

/* The rule that names syscall `name`, skipping the first `skip` such rules; NULL if none. */
static const struct spec_seccomp_rule *rule_for(const struct spec_seccomp *sc, const char *name,
                                                int skip)
{
        for (size_t i = 0; i < sc->n_rules; i++)
                for (size_t j = 0; sc->rules[i].names && sc->rules[i].names[j]; j++)
                        if (!strcmp(sc->rules[i].names[j], name) && skip-- == 0)
                                return &sc->rules[i];
        return NULL;
}

/* Is `name` allowed without any argument condition? */
static bool allowed_plain(const struct spec_seccomp *sc, const char *name)
{
        for (int k = 0;; k++) {
                const struct spec_seccomp_rule *r = rule_for(sc, name, k);
                if (!r)
                        return false;
                if (r->action == SCMP_ACT_ALLOW && r->n_args == 0)
                        return true;
        }
}

static struct spec_seccomp *default_for(uint64_t caps)
{
        struct spec_seccomp *sc = NULL;
        struct berr e = {0};
        CHECK_INT_EQ(seccomp_default_profile(caps, &sc, &e), 0);
        return sc;
}

TEST(seccomp_default_basics)
{
        struct spec_seccomp *sc = default_for(DOCKER_CAPS);
        if (!CHECK(sc != NULL))
                return;
        CHECK_INT_EQ(sc->default_action, SCMP_ACT_ERRNO(EPERM));
#if defined(__x86_64__)
        CHECK(sc->architectures && sc->architectures[0] && sc->architectures[1] &&
              sc->architectures[2] && !sc->architectures[3]);
        if (sc->architectures && sc->architectures[0])
                CHECK_STR_EQ(sc->architectures[0], "SCMP_ARCH_X86_64");
#endif
        static const char *const ordinary[] = {
                "read", "write", "openat", "openat2", "close", "close_range", "statx", "newfstatat",
                "mmap", "mprotect", "futex", "epoll_pwait", "execve", "execveat", "exit_group",
                "wait4", "rt_sigaction", "getpid", "set_tid_address", "set_robust_list", "rseq",
                "setuid", "setgroups", "capget", "capset", "prctl", "memfd_create", "pidfd_open",
                "copy_file_range", "chroot" /* CAP_SYS_CHROOT is a default capability */,
                "ptrace" /* docker's rule on kernels >= 4.8 */, "process_vm_readv",
                /* docker allows these to everyone (berth did not before v0.2.3's table) */
                "adjtimex", "clock_adjtime", "name_to_handle_at", "memfd_secret", "statmount",
                "listmount", "uretprobe", "socketcall", NULL};
        for (size_t i = 0; ordinary[i]; i++)
                if (!allowed_plain(sc, ordinary[i]))
                        test_fail(__FILE__, __LINE__, "%s is not allowed by default", ordinary[i]);
        static const char *const admin[] = {"mount", "umount2", "unshare", "setns", "pivot_root",
                                            "sethostname", "reboot", "init_module",
                                            "settimeofday", "bpf", "perf_event_open", "syslog",
                                            "acct", "iopl", "vhangup", "mbind", "kcmp",
                                            "pidfd_getfd", "process_madvise",
                                            "open_by_handle_at", "lsm_list_modules",
                                            "clock_settime", NULL};
        for (size_t i = 0; admin[i]; i++)
                if (rule_for(sc, admin[i], 0))
                        test_fail(__FILE__, __LINE__, "%s is allowed without its capability",
                                  admin[i]);
        spec_seccomp_free(sc);
}

TEST(seccomp_default_conditional_rules)
{
        struct spec_seccomp *sc = default_for(DOCKER_CAPS);
        if (!CHECK(sc != NULL))
                return;
        const struct spec_seccomp_rule *clone = rule_for(sc, "clone", 0);
        if (CHECK(clone != NULL) && CHECK_INT_EQ(clone->n_args, 1)) {
                CHECK_INT_EQ(clone->action, SCMP_ACT_ALLOW);
                CHECK_INT_EQ(clone->args[0].op, SCMP_CMP_MASKED_EQ);
                CHECK_INT_EQ(clone->args[0].value, 0x7E020000);
                CHECK_INT_EQ(clone->args[0].value_two, 0);
        }
        CHECK(rule_for(sc, "clone", 1) == NULL);
        const struct spec_seccomp_rule *clone3 = rule_for(sc, "clone3", 0);
        if (CHECK(clone3 != NULL))
                CHECK_INT_EQ(clone3->action, SCMP_ACT_ERRNO(ENOSYS));
        /* personality: one rule per allowed value. */
        unsigned long long want[] = {0x0, 0x8, 0x20000, 0x20008, 0xffffffff};
        for (int k = 0; k < 5; k++) {
                const struct spec_seccomp_rule *p = rule_for(sc, "personality", k);
                if (CHECK(p != NULL) && CHECK_INT_EQ(p->n_args, 1)) {
                        CHECK_INT_EQ(p->args[0].op, SCMP_CMP_EQ);
                        CHECK_INT_EQ(p->args[0].value, want[k]);
                }
        }
        CHECK(rule_for(sc, "personality", 5) == NULL);
        /* socket: below AF_ALG (38), AF_NFC (39) between it and AF_VSOCK (40), above it. */
        static const struct {
                int op;
                unsigned long long v;
        } sock[] = {{SCMP_CMP_LT, 38}, {SCMP_CMP_EQ, 39}, {SCMP_CMP_GT, 40}};
        for (int k = 0; k < 3; k++) {
                const struct spec_seccomp_rule *p = rule_for(sc, "socket", k);
                if (CHECK(p != NULL) && CHECK_INT_EQ(p->n_args, 1)) {
                        CHECK_INT_EQ(p->action, SCMP_ACT_ALLOW);
                        CHECK_INT_EQ(p->args[0].index, 0);
                        CHECK_INT_EQ(p->args[0].op, sock[k].op);
                        CHECK_INT_EQ(p->args[0].value, sock[k].v);
                }
        }
        CHECK(rule_for(sc, "socket", 3) == NULL);
        CHECK(!allowed_plain(sc, "socket"));
        spec_seccomp_free(sc);
        /* Whatever the capabilities: no more socket rules, no plain one. */
        sc = default_for(~0ULL);
        if (CHECK(sc != NULL)) {
                CHECK(rule_for(sc, "socket", 2) != NULL && rule_for(sc, "socket", 3) == NULL);
                CHECK(!allowed_plain(sc, "socket"));
                spec_seccomp_free(sc);
        }
}

TEST(seccomp_default_caps_open_groups)
{
        struct spec_seccomp *sc = default_for(DOCKER_CAPS | BIT(CAP_SYS_ADMIN));
        if (!CHECK(sc != NULL))
                return;
        CHECK(allowed_plain(sc, "mount"));
        CHECK(allowed_plain(sc, "unshare"));
        CHECK(allowed_plain(sc, "clone"));
        CHECK(allowed_plain(sc, "clone3"));
        CHECK(allowed_plain(sc, "syslog"));
        CHECK(allowed_plain(sc, "bpf"));
        CHECK(!rule_for(sc, "reboot", 0));
        spec_seccomp_free(sc);

        sc = default_for(BIT(CAP_SYS_TIME) | BIT(CAP_SYS_PTRACE) | BIT(CAP_SYS_BOOT));
        if (!CHECK(sc != NULL))
                return;
        CHECK(allowed_plain(sc, "settimeofday"));
        CHECK(allowed_plain(sc, "clock_settime"));
        CHECK(allowed_plain(sc, "ptrace"));
        CHECK(allowed_plain(sc, "process_vm_readv"));
        CHECK(allowed_plain(sc, "reboot"));
        CHECK(!rule_for(sc, "chroot", 0)); /* no CAP_SYS_CHROOT this time */
        CHECK(!rule_for(sc, "mount", 0));
        CHECK(!allowed_plain(sc, "clone"));
        CHECK(allowed_plain(sc, "kcmp"));
        CHECK(allowed_plain(sc, "pidfd_getfd"));
        CHECK(allowed_plain(sc, "process_madvise"));
        spec_seccomp_free(sc);

        /* One capability each opens its own group and nothing else. */
        static const struct {
                int cap;
                const char *opens, *not;
        } one[] = {
                {CAP_SYS_NICE, "set_mempolicy_home_node", "move_pages"},
                {CAP_SYS_NICE, "get_mempolicy", "migrate_pages"},
                {CAP_DAC_READ_SEARCH, "open_by_handle_at", "pivot_root"},
                {CAP_SYSLOG, "syslog", "mount"},
                {CAP_BPF, "bpf", "perf_event_open"},
                {CAP_PERFMON, "perf_event_open", "bpf"},
                {CAP_SYS_RAWIO, "ioperm", "swapon"},
                {CAP_SYS_PACCT, "acct", "reboot"},
                {CAP_SYS_MODULE, "finit_module", "kexec_load"},
                {CAP_SYS_TTY_CONFIG, "vhangup", "chroot"},
                {CAP_SYS_ADMIN, "lsm_list_modules", "pivot_root"},
                {CAP_SYS_ADMIN, "fsopen", "kcmp"},
        };
        for (size_t i = 0; i < sizeof(one) / sizeof(one[0]); i++) {
                sc = default_for(BIT(one[i].cap));
                if (!CHECK(sc != NULL))
                        return;
                if (!allowed_plain(sc, one[i].opens))
                        test_fail(__FILE__, __LINE__, "cap %d does not open %s", one[i].cap,
                                  one[i].opens);
                if (rule_for(sc, one[i].not, 0))
                        test_fail(__FILE__, __LINE__, "cap %d opens %s", one[i].cap,
                                  one[i].not);
                spec_seccomp_free(sc);
        }
        /* The administrator's clone has no argument rule and no clone3 ENOSYS beside it. */
        sc = default_for(BIT(CAP_SYS_ADMIN));
        if (CHECK(sc != NULL)) {
                CHECK(allowed_plain(sc, "clone") && !rule_for(sc, "clone", 1));
                CHECK(allowed_plain(sc, "clone3") && !rule_for(sc, "clone3", 1));
                spec_seccomp_free(sc);
        }
}

/* docker gives ptrace and process_vm_* to everyone from kernel 4.8 on only. */
TEST(seccomp_default_min_kernel)
{
        static const char *const kernels[] = {"4.7.10-1-amd64", "4.8", "6.1.0-13-amd64", "bad"};
        static const bool want[] = {false, true, true, false};
        for (int k = 0; k < 4; k++) {
                struct spec_seccomp *sc = NULL;
                struct berr e = {0};
                CHECK_INT_EQ(seccomp_default_profile_kernel(DOCKER_CAPS, kernels[k], &sc, &e), 0);
                if (!CHECK(sc != NULL))
                        return;
                if (allowed_plain(sc, "ptrace") != want[k] ||
                    allowed_plain(sc, "process_vm_writev") != want[k])
                        test_fail(__FILE__, __LINE__, "kernel %s: ptrace %s", kernels[k],
                                  want[k] ? "not allowed" : "allowed");
                spec_seccomp_free(sc);
                /* CAP_SYS_PTRACE opens it whatever the kernel */
                CHECK_INT_EQ(seccomp_default_profile_kernel(BIT(CAP_SYS_PTRACE), kernels[k], &sc,
                                                            &e), 0);
                if (CHECK(sc != NULL))
                        CHECK(allowed_plain(sc, "ptrace") && allowed_plain(sc, "kcmp"));
                spec_seccomp_free(sc);
        }
}

/* Whatever the capabilities, the dangerous ones stay out. */
TEST(seccomp_default_blocked_always)
{
        struct spec_seccomp *sc = default_for(~0ULL);
        if (!CHECK(sc != NULL))
                return;
        for (size_t i = 0; seccomp_default_blocked[i]; i++)
                if (rule_for(sc, seccomp_default_blocked[i], 0))
                        test_fail(__FILE__, __LINE__, "%s is allowed with every capability",
                                  seccomp_default_blocked[i]);
        /* And no name is listed twice in the allow list. */
        for (size_t i = 0; seccomp_default_allowed[i]; i++)
                for (size_t j = i + 1; seccomp_default_allowed[j]; j++)
                        if (!strcmp(seccomp_default_allowed[i], seccomp_default_allowed[j]))
                                test_fail(__FILE__, __LINE__, "%s listed twice",
                                          seccomp_default_allowed[i]);
        spec_seccomp_free(sc);
}

/* Every syscall name of the profile is known to libseccomp or to berth's own table of newer
 * ones (a typo would silently deny the call), but for another architecture's. */
TEST(seccomp_default_names_known)
{
        static const char *const elsewhere[] = {"riscv_hwprobe", NULL};
        struct spec_seccomp *sc = default_for(~0ULL);
        if (!CHECK(sc != NULL))
                return;
        for (size_t i = 0; i < sc->n_rules; i++)
                for (size_t j = 0; sc->rules[i].names[j]; j++) {
                        const char *n = sc->rules[i].names[j];
                        uint32_t audit;
                        if (seccomp_syscall_resolve_name(n) != __NR_SCMP_ERROR ||
                            seccomp_stub_nr(seccomp_arch_native(), n, &audit) >= 0)
                                continue;
                        bool ok = false;
                        for (size_t k = 0; elsewhere[k]; k++)
                                ok = ok || !strcmp(elsewhere[k], n);
                        if (!ok)
                                test_fail(__FILE__, __LINE__, "neither libseccomp nor berth knows %s", n);
                }
        spec_seccomp_free(sc);
}

/* ---- syscalls newer than libseccomp (core/seccomp_stub.h) */

TEST(seccomp_stub_numbers)
{
        uint32_t audit = 0;
        CHECK_INT_EQ(seccomp_stub_nr(SCMP_ARCH_X86_64, "statmount", &audit), 457);
        CHECK_INT_EQ(audit, AUDIT_ARCH_X86_64);
        CHECK_INT_EQ(seccomp_stub_nr(SCMP_ARCH_X32, "listmount", &audit), 0x40000000 + 458);
        CHECK_INT_EQ(audit, AUDIT_ARCH_X86_64);
        CHECK_INT_EQ(seccomp_stub_nr(SCMP_ARCH_X86, "mseal", &audit), 462);
        CHECK_INT_EQ(audit, AUDIT_ARCH_I386);
        CHECK_INT_EQ(seccomp_stub_nr(SCMP_ARCH_AARCH64, "lsm_list_modules", &audit), 461);
        CHECK_INT_EQ(seccomp_stub_nr(SCMP_ARCH_X86_64, "uretprobe", &audit), 335);
        CHECK_INT_EQ(seccomp_stub_nr(SCMP_ARCH_X86, "uretprobe", &audit), -1); /* x86_64's only */
        CHECK_INT_EQ(seccomp_stub_nr(SCMP_ARCH_X86_64, "read", &audit), -1);
        CHECK_INT_EQ(seccomp_stub_nr(SCMP_ARCH_PPC64LE, "statmount", &audit), -1);
        struct seccomp_stub st = {0};
        CHECK_INT_EQ(seccomp_stub_add(&st, SCMP_ARCH_X86_64, "statmount", SCMP_ACT_ALLOW), 1);
        CHECK_INT_EQ(seccomp_stub_add(&st, SCMP_ARCH_X86_64, "statmount", SCMP_ACT_ERRNO(5)), 0);
        CHECK_INT_EQ(seccomp_stub_add(&st, SCMP_ARCH_X86_64, "nosuchcall", SCMP_ACT_ALLOW), 0);
        CHECK_INT_EQ(st.n, 1);
}

/* The compiled filter, loaded in a child: a call this libseccomp may not know reaches the
 * kernel when the profile allows it, and only then. */
static int errno_under(const struct seccomp_prog *p, long nr, long a3)
{
        pid_t pid = fork();
        if (pid == 0) {
                struct berr e;
                prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
                if (secfilter_load(p, &e) < 0)
                        _exit(255);
                _exit(syscall(nr, 0, 0, 0, a3, 0, 0) < 0 ? errno : 0);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST(seccomp_stub_allows_newer_calls)
{
        struct spec_seccomp *sc = default_for(DOCKER_CAPS);
        if (!CHECK(sc != NULL))
                return;
        struct seccomp_prog prog;
        struct berr e = {0};
        if (!CHECK_INT_EQ(secfilter_compile(sc, NULL, &prog, &e), 0)) {
                spec_seccomp_free(sc);
                return;
        }
        /* statmount/listmount(NULL, NULL, 0, flags 1): the kernel's EINVAL or EFAULT, or
         * ENOSYS before 6.8; never the filter's EPERM. lsm_list_modules needs CAP_SYS_ADMIN. */
        int r = errno_under(&prog, 457, 1);
        CHECK(r == EINVAL || r == ENOSYS);
        r = errno_under(&prog, 458, 1);
        CHECK(r == EINVAL || r == EFAULT || r == ENOSYS);
        CHECK_INT_EQ(errno_under(&prog, 461, 0xff), EPERM);
        CHECK_INT_EQ(errno_under(&prog, SYS_getpid, 0), 0);
        CHECK_INT_EQ(errno_under(&prog, SYS_kexec_load, 0), EPERM);
        secfilter_free(&prog);
        spec_seccomp_free(sc);
}

static void check_compiles(uint64_t caps)
{
        struct spec_seccomp *sc = default_for(caps);
        if (!sc)
                return;
        struct seccomp_prog prog;
        struct berr e = {0};
        int r = secfilter_compile(sc, NULL, &prog, &e);
        if (!CHECK_INT_EQ(r, 0))
                test_fail(__FILE__, __LINE__, "caps %#llx: %s", (unsigned long long)caps, e.msg);
        else
                CHECK(prog.len > 100 && prog.filter != NULL);
        secfilter_free(&prog);
        spec_seccomp_free(sc);
}

TEST(seccomp_default_compiles)
{
        check_compiles(DOCKER_CAPS);
        check_compiles(0);
        check_compiles(~0ULL);
        check_compiles(BIT(CAP_SYS_ADMIN));
}

/* ---- docker's profile format */

static struct spec_seccomp *parse(const char *json, uint64_t caps, const char *kernel,
                                  struct berr *e)
{
        struct spec_seccomp *sc = NULL;
        memset(e, 0, sizeof(*e));
        int r = seccomp_profile_parse_kernel(json, strlen(json), caps, kernel, &sc, e);
        if (r < 0)
                CHECK(sc == NULL);
        return sc;
}

TEST(seccomp_profile_tiny)
{
        struct berr e;
        struct spec_seccomp *sc = parse(
                "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,"
                "\"architectures\":[\"SCMP_ARCH_X86_64\"],"
                "\"syscalls\":[{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\"},"
                "{\"name\":\"kill\",\"action\":\"SCMP_ACT_ERRNO\"},"
                "{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13},"
                "{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\","
                " \"args\":[{\"index\":0,\"value\":40,\"op\":\"SCMP_CMP_NE\"},"
                "           {\"index\":1,\"value\":255,\"valueTwo\":1,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
                0, "6.1.0", &e);
        if (!CHECK(sc != NULL)) {
                test_fail(__FILE__, __LINE__, "%s", e.msg);
                return;
        }
        CHECK_INT_EQ(sc->default_action, SCMP_ACT_ERRNO(38));
        CHECK_STR_EQ(sc->architectures[0], "SCMP_ARCH_X86_64");
        CHECK(sc->architectures[1] == NULL);
        if (!CHECK_INT_EQ(sc->n_rules, 4))
                goto out;
        CHECK_STR_EQ(sc->rules[0].names[1], "write");
        CHECK_INT_EQ(sc->rules[0].action, SCMP_ACT_ALLOW);
        CHECK_STR_EQ(sc->rules[1].names[0], "kill");
        CHECK_INT_EQ(sc->rules[1].action, SCMP_ACT_ERRNO(EPERM)); /* ERRNO without errnoRet */
        CHECK_INT_EQ(sc->rules[2].action, SCMP_ACT_ERRNO(13));
        if (CHECK_INT_EQ(sc->rules[3].n_args, 2)) {
                CHECK_INT_EQ(sc->rules[3].args[0].op, SCMP_CMP_NE);
                CHECK_INT_EQ(sc->rules[3].args[0].value, 40);
                CHECK_INT_EQ(sc->rules[3].args[1].index, 1);
                CHECK_INT_EQ(sc->rules[3].args[1].op, SCMP_CMP_MASKED_EQ);
                CHECK_INT_EQ(sc->rules[3].args[1].value_two, 1);
        }
        /* It compiles. */
        struct seccomp_prog prog;
        if (!CHECK_INT_EQ(secfilter_compile(sc, NULL, &prog, &e), 0))
                test_fail(__FILE__, __LINE__, "%s", e.msg);
        secfilter_free(&prog);
out:
        seccomp_profile_free(sc);
}

static const char *const filtered_profile =
        "{\"defaultAction\":\"SCMP_ACT_ERRNO\","
        "\"syscalls\":["
        "{\"names\":[\"a\"],\"action\":\"SCMP_ACT_ALLOW\"},"
        "{\"names\":[\"b\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
        "{\"names\":[\"c\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
        "{\"names\":[\"d\"],\"action\":\"SCMP_ACT_ALLOW\","
        " \"includes\":{\"caps\":[\"CAP_SYS_ADMIN\",\"CAP_SYS_TIME\"]}},"
        "{\"names\":[\"e\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":\"4.8\"}},"
        "{\"names\":[\"f\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"arches\":[\"s390\"]}},"
        "{\"names\":[\"g\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{\"arches\":[\"s390\"]}},"
        "{\"names\":[\"h\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_NO_SUCH\"]}}"
        "]}";

/* The names of the kept rules, concatenated. */
static const char *kept(uint64_t caps, const char *kernel)
{
        static char buf[1100];
        struct berr e;
        struct spec_seccomp *sc = parse(filtered_profile, caps, kernel, &e);
        buf[0] = 0;
        if (!sc) {
                snprintf(buf, sizeof(buf), "error: %s", e.msg);
                return buf;
        }
        for (size_t i = 0; i < sc->n_rules; i++)
                strncat(buf, sc->rules[i].names[0], sizeof(buf) - strlen(buf) - 1);
        seccomp_profile_free(sc);
        return buf;
}

TEST(seccomp_profile_includes_excludes)
{
        CHECK_STR_EQ(kept(0, "6.1.0-13-amd64"), "aceg");
        CHECK_STR_EQ(kept(BIT(CAP_SYS_ADMIN), "6.1.0"), "abeg");
        CHECK_STR_EQ(kept(BIT(CAP_SYS_ADMIN) | BIT(CAP_SYS_TIME), "6.1"), "abdeg");
        CHECK_STR_EQ(kept(0, "4.4.0"), "acg");
        CHECK_STR_EQ(kept(0, "4.8.0"), "aceg");
        CHECK_STR_EQ(kept(0, "3.10.0"), "acg");
}

TEST(seccomp_profile_arch_map)
{
        struct berr e;
        struct spec_seccomp *sc = parse(
                "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"archMap\":["
                "{\"architecture\":\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]},"
                "{\"architecture\":\"SCMP_ARCH_AARCH64\",\"subArchitectures\":[\"SCMP_ARCH_ARM\"]}]}",
                0, "6.1", &e);
        if (!CHECK(sc != NULL))
                return;
#if defined(__x86_64__)
        CHECK(sc->architectures && sc->architectures[2] && !sc->architectures[3]);
        if (sc->architectures)
                CHECK_STR_EQ(sc->architectures[1], "SCMP_ARCH_X86");
#elif defined(__aarch64__)
        CHECK(sc->architectures && sc->architectures[1] && !sc->architectures[2]);
#endif
        CHECK_INT_EQ(sc->n_rules, 0);
        seccomp_profile_free(sc);
}

/* Bad input: the message names the field. */
static void bad(const char *json, const char *want)
{
        struct berr e;
        struct spec_seccomp *sc = parse(json, 0, "6.1", &e);
        if (sc) {
                test_fail(__FILE__, __LINE__, "accepted: %s", json);
                seccomp_profile_free(sc);
                return;
        }
        if (!strstr(e.msg, want))
                test_fail(__FILE__, __LINE__, "for %s\n      message %s\n      lacks %s", json,
                          e.msg, want);
}

TEST(seccomp_profile_bad_input)
{
        bad("", "not valid JSON");
        bad("{", "not valid JSON");
        bad("[]", "must be a JSON object");
        bad("{}", "defaultAction: required");
        bad("{\"defaultAction\":\"SCMP_ACT_NOPE\"}", "defaultAction: unknown action \"SCMP_ACT_NOPE\"");
        bad("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":70000}", "defaultErrnoRet: must be 0 to 65535");
        bad("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":-1}", "defaultErrnoRet");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":\"x\"}", "architectures: must be an array");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[1]}", "architectures[0]");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86\"],"
            "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86\"}]}", "not both");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"archMap\":[{}]}", "archMap[0].architecture");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":{}}", "syscalls: must be an array");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[1]}", "syscalls[0]: must be an object");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],\"action\":\"SCMP_ACT_ALLOW\"},"
            "{\"names\":[\"a\"],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"a\"],\"action\":\"SCMP_ACT_ALLOW\"},"
            "{\"names\":[\"a\"],\"action\":\"X\"}]}",
            "syscalls[3].action: unknown action \"X\"");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"action\":\"SCMP_ACT_ALLOW\"}]}",
            "syscalls[0].names: required");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[],\"action\":\"SCMP_ACT_ALLOW\"}]}",
            "syscalls[0].names: must name at least one");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"name\":\"a\",\"names\":[\"b\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
            "syscalls[0]: give name or names");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"]}]}",
            "syscalls[0].action: required");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":\"x\"}]}",
            "syscalls[0].errnoRet");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],\"action\":\"SCMP_ACT_ALLOW\","
            "\"args\":[{\"index\":6,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
            "syscalls[0].args[0].index: must be 0 to 5");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],\"action\":\"SCMP_ACT_ALLOW\","
            "\"args\":[{\"index\":0,\"value\":-1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
            "syscalls[0].args[0].value: must be a non-negative integer");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],\"action\":\"SCMP_ACT_ALLOW\","
            "\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_XX\"}]}]}",
            "syscalls[0].args[0].op: unknown operator \"SCMP_CMP_XX\"");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],\"action\":\"SCMP_ACT_ALLOW\","
            "\"args\":[{\"index\":0,\"value\":1}]}]}",
            "syscalls[0].args[0].op: required");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],\"action\":\"SCMP_ACT_ALLOW\","
            "\"includes\":{\"minKernel\":\"four\"}}]}",
            "syscalls[0].includes.minKernel");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],\"action\":\"SCMP_ACT_ALLOW\","
            "\"excludes\":{\"caps\":\"CAP_X\"}}]}",
            "syscalls[0].excludes.caps: must be an array");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],\"action\":\"SCMP_ACT_ALLOW\","
            "\"includes\":{\"arches\":[7]}}]}",
            "syscalls[0].includes.arches[0]");
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[1]}", "flags[0]");
        /* A rule dropped by its filters is still checked. */
        bad("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],\"action\":\"NOPE\","
            "\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}}]}",
            "syscalls[0].action");
}

/* Fields docker writes that berth need not understand, and nulls, are accepted. */
TEST(seccomp_profile_tolerant)
{
        struct berr e;
        struct spec_seccomp *sc = parse(
                "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":null,\"architectures\":null,"
                "\"archMap\":null,\"listenerPath\":\"\",\"listenerMetadata\":\"\",\"flags\":null,"
                "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"comment\":\"x\","
                "\"args\":null,\"includes\":{},\"excludes\":{}}]}",
                0, "6.1", &e);
        if (!CHECK(sc != NULL)) {
                test_fail(__FILE__, __LINE__, "%s", e.msg);
                return;
        }
        CHECK_INT_EQ(sc->default_action, SCMP_ACT_ERRNO(EPERM));
        CHECK(sc->architectures == NULL);
        CHECK(sc->listener_path == NULL);
        CHECK_INT_EQ(sc->n_rules, 1);
        seccomp_profile_free(sc);
}

/* The running kernel is read when none is given. */
TEST(seccomp_profile_running_kernel)
{
        struct spec_seccomp *sc = NULL;
        struct berr e = {0};
        const char *p = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a\"],"
                        "\"action\":\"SCMP_ACT_ERRNO\",\"includes\":{\"minKernel\":\"3.0\"}}]}";
        CHECK_INT_EQ(seccomp_profile_parse(p, strlen(p), 0, &sc, &e), 0);
        if (CHECK(sc != NULL))
                CHECK_INT_EQ(sc->n_rules, 1);
        seccomp_profile_free(sc);
}

/* The compiled-filter cache is keyed by the profile: another capability set (another profile)
 * compiles anew into a file of its own, the same one is read back unchanged. */
TEST(seccomp_cache_follows_the_profile)
{
        char tmpl[] = "/tmp/berth-unit.XXXXXX";
        if (!CHECK(mkdtemp(tmpl) != NULL))
                return;
        struct spec_seccomp *a = default_for(DOCKER_CAPS);
        struct spec_seccomp *b = default_for(DOCKER_CAPS | BIT(CAP_SYS_PTRACE));
        struct seccomp_prog pa, pb, again;
        struct berr e = {0};
        if (CHECK(a && b) && CHECK_INT_EQ(secfilter_compile(a, tmpl, &pa, &e), 0)) {
                if (CHECK_INT_EQ(secfilter_compile(b, tmpl, &pb, &e), 0)) {
                        CHECK(pa.len != pb.len ||
                              memcmp(pa.filter, pb.filter, pa.len * sizeof(struct sock_filter)));
                        secfilter_free(&pb);
                }
                if (CHECK_INT_EQ(secfilter_compile(a, tmpl, &again, &e), 0)) {
                        CHECK(again.len == pa.len &&
                              !memcmp(again.filter, pa.filter, pa.len * sizeof(struct sock_filter)));
                        secfilter_free(&again);
                }
                secfilter_free(&pa);
        }
        spec_seccomp_free(a);
        spec_seccomp_free(b);
        char pat[128], cmd[128];
        glob_t g = {0};
        snprintf(pat, sizeof(pat), "%s/seccomp-*-3.bpf", tmpl);
        if (CHECK_INT_EQ(glob(pat, 0, NULL, &g), 0))
                CHECK_INT_EQ(g.gl_pathc, 2); /* two files, of this build's format */
        globfree(&g);
        snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", tmpl);
        CHECK(system(cmd) == 0);
}
