/* Unit tests of src/engine/seccomp_default.h (berth's default profile) and
 * src/engine/seccomp_profile.h (docker's profile format), and that both compile to BPF. */
#include "test.h"

#include "core/seccomp.h"
#include "core/spec.h"
#include "engine/seccomp_default.h"
#include "engine/seccomp_profile.h"
#include "util/err.h"

#include <errno.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
                "ptrace" /* docker's rule on kernels >= 4.8 */, NULL};
        for (size_t i = 0; ordinary[i]; i++)
                if (!allowed_plain(sc, ordinary[i]))
                        test_fail(__FILE__, __LINE__, "%s is not allowed by default", ordinary[i]);
        static const char *const admin[] = {"mount", "umount2", "unshare", "setns", "pivot_root",
                                            "sethostname", "reboot", "init_module",
                                            "settimeofday", "bpf", "perf_event_open", "syslog",
                                            "acct", "iopl", "vhangup", "mbind", NULL};
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
        spec_seccomp_free(sc);
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
        spec_seccomp_free(sc);
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

/* Every syscall name in the allow list is known to libseccomp (a typo would silently deny the
 * call), but for those newer than some libseccomp still in use. */
TEST(seccomp_default_names_known)
{
        static const char *const newer[] = {
                "mseal", "setxattrat", "getxattrat", "listxattrat", "removexattrat", "cachestat",
                "map_shadow_stack", "futex_wait", "futex_wake", "futex_requeue", "fchmodat2",
                "futex_waitv", "process_mrelease", "landlock_create_ruleset", "landlock_add_rule",
                "landlock_restrict_self", "epoll_pwait2", NULL};
        for (size_t i = 0; seccomp_default_allowed[i]; i++) {
                if (seccomp_syscall_resolve_name(seccomp_default_allowed[i]) != __NR_SCMP_ERROR)
                        continue;
                bool ok = false;
                for (size_t k = 0; newer[k]; k++)
                        ok = ok || !strcmp(newer[k], seccomp_default_allowed[i]);
                if (!ok)
                        test_fail(__FILE__, __LINE__, "libseccomp does not know %s",
                                  seccomp_default_allowed[i]);
        }
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
