/* Fuzz target: image references as users type them. A normalised reference normalises to
 * itself (it is a key of repositories.json). */
#include "engine/image/image.h"
#include "util/err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        if (size > 4096)
                return 0;
        char ref[4097], out[512], again[512];
        memcpy(ref, data, size);
        ref[size] = '\0';
        struct berr e = {0};
        int r = image_ref_normalize(ref, out, sizeof(out), &e);
        if (r < 0) {
                if (!e.msg[0])
                        abort();
                return 0;
        }
        if (memchr(out, '\0', sizeof(out)) == NULL)
                abort();
        memset(&e, 0, sizeof(e));
        if (image_ref_normalize(out, again, sizeof(again), &e) < 0) {
                fprintf(stderr, "\"%s\" -> \"%s\" which is refused: %s\n", ref, out, e.msg);
                abort();
        }
        if (strcmp(out, again) != 0) {
                fprintf(stderr, "\"%s\" -> \"%s\" -> \"%s\": not idempotent\n", ref, out, again);
                abort();
        }
        /* A small output buffer is an error, never an overflow. */
        char tiny[8];
        (void)image_ref_normalize(ref, tiny, sizeof(tiny), NULL);
        return 0;
}
