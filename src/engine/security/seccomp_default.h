/* berth's default seccomp profile: docker's default profile (moby/profiles seccomp v0.2.3; the
 * table and what it follows are in docs/seccomp.md), for a given capability set.
 *
 * Everything is denied with EPERM except an allow list of the syscalls ordinary programs use;
 * the administrative ones (mount, reboot, kcmp, module loading, clock setting ...) are allowed
 * only when the container holds the capability that governs them, and a few that have been the
 * door of kernel exploits (keyctl, userfaultfd, io_uring, kexec ...) are never allowed. clone
 * is allowed without namespace flags, clone3 fails with ENOSYS (so libc falls back to clone),
 * unless CAP_SYS_ADMIN; personality only for the harmless personas, socket for every family
 * but AF_ALG and AF_VSOCK. */
#ifndef BERTH_ENGINE_SECCOMP_DEFAULT_H
#define BERTH_ENGINE_SECCOMP_DEFAULT_H

#include <stddef.h>
#include <stdint.h>

struct berr;
struct spec_seccomp;

/* caps: the container's capability set (bit masks of CAP_* numbers; docker judges the bounding
 * set). The running kernel's version decides the groups docker gives a minimum kernel. */
int seccomp_default_profile(uint64_t caps, struct spec_seccomp **out, struct berr *e);
/* As seccomp_default_profile, for a given kernel release ("6.1.0-13-amd64"; NULL: the running
 * kernel's). Pure when kernel is given. */
int seccomp_default_profile_kernel(uint64_t caps, const char *kernel, struct spec_seccomp **out,
                                   struct berr *e);

/* The syscalls allowed unconditionally (for tests and `berth info`-like listings), NULL-ended. */
extern const char *const seccomp_default_allowed[];
/* The syscalls that no capability set ever allows, NULL-ended. */
extern const char *const seccomp_default_blocked[];

#endif
