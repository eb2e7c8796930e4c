/* linux.seccomp -> a BPF program, compiled with libseccomp in the parent before the clone and
 * cached by the sha256 of the filter's JSON, so a start with an unchanged profile reads ~3 KiB
 * instead of compiling hundreds of rules. The init only loads it. */
#ifndef BERTH_CORE_SECCOMP_H
#define BERTH_CORE_SECCOMP_H

#include <stddef.h>
#include <stdint.h>

struct berr;
struct spec_seccomp;

struct seccomp_prog {
        void *filter; /* struct sock_filter[] */
        unsigned short len;
        unsigned int flags; /* SECCOMP_FILTER_FLAG_* */
};

/* cache_dir may be NULL (no cache). */
int secfilter_compile(const struct spec_seccomp *sc, const char *cache_dir,
                    struct seccomp_prog *out, struct berr *e);
int secfilter_load(const struct seccomp_prog *p, struct berr *e);
void secfilter_free(struct seccomp_prog *p);

#endif
