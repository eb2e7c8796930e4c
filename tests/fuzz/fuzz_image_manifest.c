/* Fuzz target: docker-archive manifest.json (from `berth load` archives: untrusted). */
#include "engine/image/image_manifest.h"
#include "util/err.h"
#include "util/strv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct docker_manifest_entry *m = NULL;
        size_t n = 0;
        struct berr e = {0};
        int r = docker_manifest_parse((const char *)data, size, &m, &n, &e);
        if (r < 0) {
                if (!e.msg[0] || m || n)
                        abort();
                return 0;
        }
        if (!m || n == 0)
                abort();
        for (size_t i = 0; i < n; i++)
                if (!m[i].config || !m[i].tags || !m[i].layers || !m[i].layers[0])
                        abort();
        docker_manifest_free(m, n);
        return 0;
}
