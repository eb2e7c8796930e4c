/* berth's default seccomp profile, with docker's semantics, for a given capability set.
 *
 * Everything is denied with EPERM except an allow list of the syscalls ordinary programs use;
 * the administrative ones (mount, reboot, ptrace, module loading, clock setting ...) are allowed
 * only when the container holds the capability that governs them, and a few that have been the
 * door of kernel exploits (keyctl, userfaultfd, io_uring, kexec, open_by_handle_at ...) are never
 * allowed. clone is allowed without namespace flags, clone3 fails with ENOSYS (so libc falls
 * back to clone) and personality only for the harmless personas, unless CAP_SYS_ADMIN. */
#ifndef BERTH_ENGINE_SECCOMP_DEFAULT_H
#define BERTH_ENGINE_SECCOMP_DEFAULT_H

#include <stddef.h>
#include <stdint.h>

struct berr;
struct spec_seccomp;

/* caps: the container's effective capability set (bit masks of CAP_* numbers). Pure. */
int seccomp_default_profile(uint64_t caps, struct spec_seccomp **out, struct berr *e);

/* The syscalls allowed unconditionally (for tests and `berth info`-like listings), NULL-ended. */
extern const char *const seccomp_default_allowed[];
/* The syscalls that no capability set ever allows, NULL-ended. */
extern const char *const seccomp_default_blocked[];

#endif
