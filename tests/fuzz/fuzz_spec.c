/* Fuzz target: config.json text -> spec_from_json -> spec_to_json -> spec_from_json.
 * Whatever parses once must serialise, parse again, and serialise to the same text. */
#include "core/spec.h"
#include "util/err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct spec *a = NULL, *b = NULL;
        struct berr e = {0};
        char *ja = NULL, *jb = NULL;
        if (spec_from_json((const char *)data, size, &a, &e) < 0) {
                if (a || !e.msg[0] || e.code >= 0)
                        abort(); /* a failure sets the error and leaves *out alone */
                return 0;
        }
        if (spec_to_json(a, &ja, &e) < 0) {
                fprintf(stderr, "spec_to_json failed on a parsed spec: %s\n", e.msg);
                abort();
        }
        if (spec_from_json(ja, strlen(ja), &b, &e) < 0) {
                fprintf(stderr, "written config does not parse: %s\n%s\n", e.msg, ja);
                abort();
        }
        if (spec_to_json(b, &jb, &e) < 0)
                abort();
        if (strcmp(ja, jb) != 0) {
                fprintf(stderr, "round trip is not stable:\n%s\n---\n%s\n", ja, jb);
                abort();
        }
        free(ja);
        free(jb);
        spec_free(a);
        spec_free(b);
        return 0;
}
