/* Unit tests of the cgroup v2 device program generator (src/core/cgroup_v2_devices.c). */
#include "test.h"

#include "core/cgroup_impl.h"
#include "core/spec.h"

#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>

static struct spec_device_rule rule(bool allow, char type, int64_t maj, int64_t min,
                                    const char *acc)
{
        struct spec_device_rule r = {.allow = allow, .type = type, .major = maj, .minor = min};
        snprintf(r.access, sizeof(r.access), "%s", acc);
        return r;
}

TEST(device_program_deny_all_then_allow_ends_at_the_catch_all)
{
        struct spec_device_rule rules[] = {rule(false, 'a', -1, -1, "rwm"),
                                           rule(true, 'c', 1, 3, "rwm")};
        size_t len = 0;
        struct bpf_insn *p = cgv2_device_program(rules, 2, &len);
        if (!CHECK(p != NULL))
                return;
        /* prologue 6; c 1:3: type, major, minor checks + return 1 (5); deny all: return 0 (2) */
        CHECK_INT_EQ(len, 13);
        CHECK_INT_EQ(p[len - 1].code, BPF_JMP | BPF_EXIT);
        CHECK_INT_EQ(p[len - 2].imm, 0); /* the catch-all denies */
        CHECK_INT_EQ(p[6 + 3].imm, 1);   /* the later allow is checked first */
        /* every jump of the allow block lands on the next block */
        for (size_t i = 6; i < 6 + 3; i++)
                CHECK_INT_EQ(i + 1 + (size_t)p[i].off, 6 + 5);
        free(p);
}

TEST(device_program_without_catch_all_denies_at_the_end)
{
        struct spec_device_rule rules[] = {rule(true, 'b', -1, -1, "m")};
        size_t len = 0;
        struct bpf_insn *p = cgv2_device_program(rules, 1, &len);
        if (!CHECK(p != NULL))
                return;
        /* prologue 6; type check, access mask (mov, and, jne), return (2); default deny (2) */
        CHECK_INT_EQ(len, 6 + 6 + 2);
        CHECK_INT_EQ(p[len - 2].imm, 0);
        CHECK_INT_EQ(p[6 + 2].imm, BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE); /* more than m */
        free(p);
}
