/* Fuzz target: OCI image config JSON (from image tarballs: untrusted). */
#include "engine/image/image.h"
#include "util/err.h"
#include "util/strv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct image img = {0};
        char **diff_ids = NULL;
        struct berr e = {0};
        int r = image_config_parse((const char *)data, size, &img, &diff_ids, &e);
        if (r < 0) {
                if (!e.msg[0] || diff_ids || img.env || img.cmd || img.entrypoint)
                        abort();
                return 0;
        }
        if (!diff_ids || !img.env)
                abort();
        for (size_t i = 0; diff_ids[i]; i++)
                if (strlen(diff_ids[i]) != 71 || strncmp(diff_ids[i], "sha256:", 7))
                        abort();
        image_release(&img);
        strv_free(diff_ids);
        return 0;
}
