/* Syscalls newer than the libseccomp berth is linked with (Debian 12's 2.5.4 knows neither
 * statmount nor mseal): libseccomp skips a name it cannot resolve, so a profile that allows
 * one would deny it with the default action. berth knows those numbers itself and puts a short
 * BPF program in front of libseccomp's that gives each its rule's action; every other syscall
 * falls through to libseccomp's program unchanged. Only whole-call rules (no argument
 * conditions) get there: conditions on a call libseccomp does not know stay skipped. */
#ifndef BERTH_CORE_SECCOMP_STUB_H
#define BERTH_CORE_SECCOMP_STUB_H

#include <stddef.h>
#include <stdint.h>

struct sock_filter;

#define SECCOMP_STUB_MAX 128

struct seccomp_stub {
        struct {
                uint32_t audit_arch, nr, action;
        } e[SECCOMP_STUB_MAX];
        size_t n;
};

/* The number of syscall `name` on libseccomp architecture `scmp_arch` (SCMP_ARCH_*) from berth's
 * own table, with the kernel's audit architecture it is seen under; -1 when berth's table does not
 * have it there. Pure. */
long seccomp_stub_nr(uint32_t scmp_arch, const char *name, uint32_t *audit_arch);

/* Adds `name` -> `action` for `scmp_arch` if berth's table knows it there and it has no action yet.
 * Returns 1 when added, 0 when not known, -E2BIG when the stub is full. */
int seccomp_stub_add(struct seccomp_stub *st, uint32_t scmp_arch, const char *name,
                     uint32_t action);

/* The stub's program, followed by the `len` instructions of `prog`: a new array in *out
 * (*out_len instructions). Returns 0 or -ENOMEM / -E2BIG (more than BPF's 4096). */
int seccomp_stub_prepend(const struct seccomp_stub *st, const struct sock_filter *prog, size_t len,
                         struct sock_filter **out, size_t *out_len);

#endif
