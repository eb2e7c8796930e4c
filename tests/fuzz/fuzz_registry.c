/* Fuzz target: what a registry (or a user) sends to pull: WWW-Authenticate challenges, image
 * indexes and references (engine/registry_ref.c). */
#include "engine/registry/registry.h"
#include "util/err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *s = malloc(size + 1);
        if (!s)
                return 0;
        memcpy(s, data, size);
        s[size] = '\0';
        struct registry_challenge c;
        registry_challenge_parse(s, &c);
        char d[72], mt[160];
        struct berr e;
        registry_index_pick(s, size, NULL, d, mt, sizeof(mt), &e);
        registry_index_pick(s, size, "linux/arm64/v8", d, mt, sizeof(mt), &e);
        struct registry_ref r;
        registry_ref_parse(s, &r, &e);
        char *out;
        size_t n;
        if (base64_decode(s, &out, &n) == 0)
                free(out);
        free(s);
        return 0;
}
