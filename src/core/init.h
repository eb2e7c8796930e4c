/* The init's side of core_create (see container.h): runs in the cloned child, never returns. */
#ifndef BERTH_CORE_INIT_H
#define BERTH_CORE_INIT_H

struct spec;
struct core_create_opts;

struct seccomp_prog;
_Noreturn void init_run(const struct spec *s, const struct core_create_opts *o, const char *rootfs,
                        const struct seccomp_prog *seccomp, int sync);

#endif
