/* Fuzz target: OCI index.json and image manifests (from `berth load` archives: untrusted).
 * The same bytes go through both parsers. */
#include "engine/image/image_manifest.h"
#include "util/err.h"
#include "util/sha256.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct oci_desc *d = NULL, cfg;
        size_t n = 0;
        struct berr e = {0};
        if (oci_index_parse((const char *)data, size, &d, &n, &e) == 0) {
                for (size_t i = 0; i < n; i++)
                        if (!sha256_digest_valid(d[i].digest) || d[i].size < 0)
                                abort();
                oci_desc_free(d, n);
        } else if (!e.msg[0] || d || n) {
                abort();
        }
        memset(&e, 0, sizeof(e));
        d = NULL;
        n = 0;
        if (oci_manifest_parse((const char *)data, size, &cfg, &d, &n, &e) == 0) {
                if (!sha256_digest_valid(cfg.digest) || n == 0)
                        abort();
                for (size_t i = 0; i < n; i++)
                        if (!oci_layer_media_ok(d[i].media_type))
                                abort();
                oci_desc_free(d, n);
                free(cfg.media_type);
                free(cfg.digest);
                free(cfg.ref_name);
                free(cfg.arch);
                free(cfg.os);
        } else if (!e.msg[0] || d || n || cfg.digest) {
                abort();
        }
        return 0;
}
