/* The BPF stub in front of libseccomp's program for syscalls libseccomp does not know (see
 * seccomp_stub.h). */
#include "core/seccomp_stub.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define X32_SYSCALL_BIT 0x40000000U

/* Since Linux 5.1 a new syscall gets one number on every architecture (alpha aside): these are
 * the ones newer than libseccomp 2.5.4, with docker's among them. arch_only: the number holds on
 * that libseccomp architecture only (0: on each of those below). */
static const struct {
        const char *name;
        uint32_t nr;
        uint32_t arch_only;
} newer[] = {
    {"cachestat", 451, 0},
    {"fchmodat2", 452, 0},
    {"map_shadow_stack", 453, SCMP_ARCH_X86_64},
    {"futex_wake", 454, 0},
    {"futex_wait", 455, 0},
    {"futex_requeue", 456, 0},
    {"statmount", 457, 0},
    {"listmount", 458, 0},
    {"lsm_get_self_attr", 459, 0},
    {"lsm_set_self_attr", 460, 0},
    {"lsm_list_modules", 461, 0},
    {"mseal", 462, 0},
    {"setxattrat", 463, 0},
    {"getxattrat", 464, 0},
    {"listxattrat", 465, 0},
    {"removexattrat", 466, 0},
    {"open_tree_attr", 467, 0},
    {"file_getattr", 468, 0},
    {"file_setattr", 469, 0},
    /* x86_64's own (its "common" table: x32 too) */
    {"uretprobe", 335, SCMP_ARCH_X86_64},
    {"uretprobe", 335, SCMP_ARCH_X32},
};

/* The architectures whose numbers the table holds, and how the kernel names them. */
static long audit_arch_of(uint32_t scmp_arch, uint32_t *audit_arch)
{
        switch (scmp_arch) {
        case SCMP_ARCH_X86_64:
                *audit_arch = AUDIT_ARCH_X86_64;
                return 0;
        case SCMP_ARCH_X32:
                *audit_arch = AUDIT_ARCH_X86_64;
                return X32_SYSCALL_BIT;
        case SCMP_ARCH_X86:
                *audit_arch = AUDIT_ARCH_I386;
                return 0;
        case SCMP_ARCH_AARCH64:
                *audit_arch = AUDIT_ARCH_AARCH64;
                return 0;
        case SCMP_ARCH_ARM:
                *audit_arch = AUDIT_ARCH_ARM;
                return 0;
        default:
                return -1;
        }
}

long seccomp_stub_nr(uint32_t scmp_arch, const char *name, uint32_t *audit_arch)
{
        long bit = audit_arch_of(scmp_arch, audit_arch);
        if (bit < 0)
                return -1;
        for (size_t i = 0; i < sizeof(newer) / sizeof(newer[0]); i++)
                if (!strcmp(newer[i].name, name) &&
                    (!newer[i].arch_only || newer[i].arch_only == scmp_arch))
                        return (long)(newer[i].nr | (uint32_t)bit);
        return -1;
}

int seccomp_stub_add(struct seccomp_stub *st, uint32_t scmp_arch, const char *name, uint32_t action)
{
        uint32_t audit;
        long nr = seccomp_stub_nr(scmp_arch, name, &audit);
        if (nr < 0)
                return 0;
        for (size_t i = 0; i < st->n; i++)
                if (st->e[i].audit_arch == audit && st->e[i].nr == (uint32_t)nr)
                        return 0; /* the first rule wins, as libseccomp keeps the first */
        if (st->n == SECCOMP_STUB_MAX)
                return -E2BIG;
        st->e[st->n].audit_arch = audit;
        st->e[st->n].nr = (uint32_t)nr;
        st->e[st->n].action = action;
        st->n++;
        return 1;
}

#define LD_ABS(off) ((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off)))
#define JEQ(k, jt, jf) ((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (jt), (jf)))
#define JGE(k, jt, jf) ((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (k), (jt), (jf)))
#define JA(k) ((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, (k), 0, 0))
#define RET(k) ((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, (k)))

/* One block per audit architecture, so that a syscall of the common kind costs four
 * instructions (arch, compare, nr, below the smallest number) before libseccomp's program:
 *
 *     ld arch; jeq ARCH, 0, <next block>; ld nr; jge MIN, 0, <ja>;
 *     jeq NR1, 0, 1; ret ACTION1; ...; ja <libseccomp's program>                          */
int seccomp_stub_prepend(const struct seccomp_stub *st, const struct sock_filter *prog, size_t len,
                         struct sock_filter **out, size_t *out_len)
{
        /* A block spans at most 5 + 2 * SECCOMP_STUB_MAX = 261 instructions: the u8 jump
         * offsets below (at most 2k + 3) fit only while SECCOMP_STUB_MAX stays under 127. */
        struct sock_filter *f = malloc((len + 5 * st->n + 2 * st->n) * sizeof(*f) + sizeof(*f));
        if (!f)
                return -ENOMEM;
        size_t n = 0, ja_at[SECCOMP_STUB_MAX];
        size_t n_ja = 0;
        bool done[SECCOMP_STUB_MAX] = {false};
        for (size_t i = 0; i < st->n; i++) {
                if (done[i])
                        continue;
                uint32_t arch = st->e[i].audit_arch, min = st->e[i].nr;
                size_t k = 0;
                for (size_t j = i; j < st->n; j++)
                        if (st->e[j].audit_arch == arch) {
                                k++;
                                min = st->e[j].nr < min ? st->e[j].nr : min;
                        }
                if (2 * k + 3 > 255) {
                        free(f);
                        return -E2BIG;
                }
                f[n++] = LD_ABS(offsetof(struct seccomp_data, arch));
                f[n++] = JEQ(arch, 0, (unsigned char)(2 * k + 3));
                f[n++] = LD_ABS(offsetof(struct seccomp_data, nr));
                f[n++] = JGE(min, 0, (unsigned char)(2 * k));
                for (size_t j = i; j < st->n; j++)
                        if (st->e[j].audit_arch == arch) {
                                done[j] = true;
                                f[n++] = JEQ(st->e[j].nr, 0, 1);
                                f[n++] = RET(st->e[j].action);
                        }
                ja_at[n_ja++] = n;
                f[n++] = JA(0);
        }
        for (size_t i = 0; i < n_ja; i++)
                f[ja_at[i]].k = (uint32_t)(n - ja_at[i] - 1);
        if (n + len > BPF_MAXINSNS) {
                free(f);
                return -E2BIG;
        }
        memcpy(f + n, prog, len * sizeof(*f));
        *out = f;
        *out_len = n + len;
        return 0;
}
