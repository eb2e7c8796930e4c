/* Fuzz target: docker's seccomp profile format (--security-opt seccomp=FILE), judged against a
 * few capability sets. A failure sets the error and leaves *out NULL; a success gives rules the
 * compiler can take (names, at most 6 conditions on arguments 0-5 with a known operator). */
#include "core/spec.h"
#include "engine/security/seccomp_profile.h"
#include "util/err.h"

#include <seccomp.h>
#include <stdint.h>
#include <stdlib.h>

static void check(const struct spec_seccomp *sc)
{
        for (size_t i = 0; i < sc->n_rules; i++) {
                const struct spec_seccomp_rule *r = &sc->rules[i];
                if (!r->names || !r->names[0] || r->n_args > 6 || (r->n_args && !r->args))
                        abort();
                for (size_t k = 0; k < r->n_args; k++)
                        if (r->args[k].index > 5 || r->args[k].op < SCMP_CMP_NE ||
                            r->args[k].op > SCMP_CMP_MASKED_EQ)
                                abort();
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const uint64_t caps[] = {0, 0xa80425fbULL, ~0ULL};
        static const char *const kernels[] = {"6.1.0", "4.4", "bogus"};
        for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
                struct spec_seccomp *sc = (struct spec_seccomp *)1;
                struct berr e = {0};
                int r = seccomp_profile_parse_kernel((const char *)data, size, caps[i], kernels[i],
                                                     &sc, &e);
                if (r < 0) {
                        if (sc || !e.msg[0] || e.code >= 0)
                                abort();
                        continue;
                }
                if (!sc)
                        abort();
                check(sc);
                seccomp_profile_free(sc);
        }
        return 0;
}
