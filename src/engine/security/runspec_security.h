#ifndef BERTH_ENGINE_RUNSPEC_SECURITY_H
#define BERTH_ENGINE_RUNSPEC_SECURITY_H

#include <stdint.h>

struct berr;
struct run_security;
struct spec;

/* The capability set docker gives for these flags. Pure. */
uint64_t runspec_caps(const struct run_security *sec);
/* Capabilities, seccomp, no_new_privs, devices, --read-only and --privileged into s. */
int runspec_security(struct spec *s, const struct run_security *sec, struct berr *e);

#endif
