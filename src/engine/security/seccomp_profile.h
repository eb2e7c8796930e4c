/* docker's seccomp profile format (--security-opt seccomp=FILE) -> struct spec_seccomp.
 *
 *   { "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
 *     "architectures": ["SCMP_ARCH_X86_64"]  or  "archMap": [{"architecture": ...,
 *                                                             "subArchitectures": [...]}],
 *     "flags": [...], "listenerPath": "...",
 *     "syscalls": [{ "names": [...] (or "name"), "action": ..., "errnoRet": N,
 *                    "args": [{"index", "value", "valueTwo", "op"}],
 *                    "includes": {"caps", "arches", "minKernel"},
 *                    "excludes": {"caps", "arches", "minKernel"} }] }
 *
 * Rules are kept or dropped here, as docker does before handing the profile to the runtime:
 * includes.caps all held, no excludes.caps held, the native architecture among includes.arches
 * and not among excludes.arches, the running kernel at least includes.minKernel (and below
 * excludes.minKernel). Errors name the field: "syscalls[3].action: unknown action \"X\"". */
#ifndef BERTH_ENGINE_SECCOMP_PROFILE_H
#define BERTH_ENGINE_SECCOMP_PROFILE_H

#include <stddef.h>
#include <stdint.h>

struct berr;
struct spec_seccomp;

/* caps: the container's capability set (bit masks of CAP_* numbers). The kernel version for
 * minKernel is the running kernel's. */
int seccomp_profile_parse(const char *json, size_t len, uint64_t caps, struct spec_seccomp **out,
                          struct berr *e);
/* As seccomp_profile_parse, against a given kernel release ("6.1.0-13-amd64"; NULL = the
 * running kernel). Pure when kernel is given. */
int seccomp_profile_parse_kernel(const char *json, size_t len, uint64_t caps, const char *kernel,
                                 struct spec_seccomp **out, struct berr *e);
void seccomp_profile_free(struct spec_seccomp *sc);

#endif
