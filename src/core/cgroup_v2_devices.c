/* The device allow list on cgroup v2, which has no devices controller: an eBPF program of type
 * CGROUP_DEVICE, generated from linux.resources.devices and attached to the container's cgroup.
 *
 * v1's list semantics: rules apply in order and a later rule overrides an earlier one. The
 * program checks the rules from the last to the first and the first that matches decides; no
 * match denies. Each rule is one block:
 *     if type differs            -> next block      (skipped for type 'a')
 *     if access asks for more    -> next block      (skipped for "rwm")
 *     if major differs           -> next block      (skipped for '*')
 *     if minor differs           -> next block      (skipped for '*')
 *     return allow ? 1 : 0
 */
#include "core/cgroup_impl.h"

#include "core/spec.h"
#include "util/cleanup.h"
#include "util/err.h"

#include <fcntl.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define INSN(c, d, s, o, i) ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})

/* Registers: R1 ctx; R2 type; R3 access; R4 major; R5 minor; R6 scratch. */
static size_t emit_prologue(struct bpf_insn *p)
{
        size_t n = 0;
        p[n++] = INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2, BPF_REG_1, 0, 0); /* access_type */
        p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_2, 0, 0);
        p[n++] = INSN(BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xffff); /* type */
        p[n++] = INSN(BPF_ALU64 | BPF_RSH | BPF_K, BPF_REG_3, 0, 0, 16);     /* access */
        p[n++] = INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_4, BPF_REG_1, 4, 0); /* major */
        p[n++] = INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_5, BPF_REG_1, 8, 0); /* minor */
        return n;
}

static int access_mask(const char *a)
{
        int m = 0;
        if (strchr(a, 'm'))
                m |= BPF_DEVCG_ACC_MKNOD;
        if (strchr(a, 'r'))
                m |= BPF_DEVCG_ACC_READ;
        if (strchr(a, 'w'))
                m |= BPF_DEVCG_ACC_WRITE;
        return m;
}

/* One rule's block; the jumps' targets (the next block) are patched once its length is known. */
static size_t emit_rule(struct bpf_insn *p, const struct spec_device_rule *r)
{
        size_t n = 0, jumps[4], nj = 0;
        int all = BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;
        int acc = access_mask(r->access);
        if (r->type != 'a') {
                jumps[nj++] = n;
                p[n++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_2, 0, 0,
                              r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
        }
        if (acc != all) {
                p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_3, 0, 0);
                p[n++] = INSN(BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_6, 0, 0, ~acc & all);
                jumps[nj++] = n;
                p[n++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_6, 0, 0, 0);
        }
        if (r->major >= 0) {
                jumps[nj++] = n;
                p[n++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_4, 0, 0, (int)r->major);
        }
        if (r->minor >= 0) {
                jumps[nj++] = n;
                p[n++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_5, 0, 0, (int)r->minor);
        }
        p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, r->allow ? 1 : 0);
        p[n++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
        for (size_t k = 0; k < nj; k++)
                p[jumps[k]].off = (short)(n - jumps[k] - 1);
        return n;
}

/* Builds the program for rules; *len gets its length. Pure (unit-tested). */
struct bpf_insn *cgv2_device_program(const struct spec_device_rule *rules, size_t n_rules,
                                     size_t *len)
{
        struct bpf_insn *p = calloc(8 + n_rules * 9, sizeof(*p));
        if (!p)
                return NULL;
        size_t n = emit_prologue(p);
        for (size_t i = n_rules; i > 0; i--) {
                const struct spec_device_rule *r = &rules[i - 1];
                n += emit_rule(p + n, r);
                /* A rule that matches everything ends the program: the verifier refuses code
                 * that can never run. */
                if (r->type == 'a' && r->major < 0 && r->minor < 0 &&
                    access_mask(r->access) == (BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ |
                                               BPF_DEVCG_ACC_WRITE)) {
                        *len = n;
                        return p;
                }
        }
        p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0); /* no rule: deny */
        p[n++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
        *len = n;
        return p;
}

int cgv2_devices(const char *dir, const struct spec_resources *r, struct berr *e)
{
        if (!r->n_devices)
                return 0;
        size_t len;
        _cleanup_free_ struct bpf_insn *prog = cgv2_device_program(r->devices, r->n_devices, &len);
        if (!prog)
                return berr_set(e, ENOMEM, "out of memory");
        union bpf_attr load = {0};
        load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
        load.insns = (uint64_t)(uintptr_t)prog;
        load.insn_cnt = (uint32_t)len;
        load.license = (uint64_t)(uintptr_t) "GPL";
        _cleanup_close_ int pfd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof(load));
        if (pfd < 0) {
                /* Again with the verifier's log, only to say why. */
                int err = errno;
                _cleanup_free_ char *log = calloc(1, 65536);
                if (log) {
                        load.log_buf = (uint64_t)(uintptr_t)log;
                        load.log_size = 65536;
                        load.log_level = 1;
                        int again = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof(load));
                        if (again >= 0)
                                close(again);
                }
                size_t ll = log ? strlen(log) : 0;
                return berr_sys(e, err, "loading the device cgroup program (%s)",
                                log && ll ? log + (ll > 200 ? ll - 200 : 0) : "no log");
        }
        _cleanup_close_ int cfd = open(dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        if (cfd < 0)
                return berr_sys(e, errno, "opening %s", dir);
        union bpf_attr att = {0};
        att.target_fd = (uint32_t)cfd;
        att.attach_bpf_fd = (uint32_t)pfd;
        att.attach_type = BPF_CGROUP_DEVICE;
        att.attach_flags = BPF_F_ALLOW_MULTI;
        if (syscall(SYS_bpf, BPF_PROG_ATTACH, &att, sizeof(att)) < 0)
                return berr_sys(e, errno, "attaching the device program to %s", dir);
        return 0; /* attached programs live with the cgroup, not with our fds */
}
