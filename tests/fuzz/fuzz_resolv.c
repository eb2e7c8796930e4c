/* Fuzz target: the host's resolv.conf text (filtered into every container). */
#include "engine/network/resolv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = malloc(size + 1);
        if (!text)
                return 0;
        memcpy(text, data, size);
        text[size] = '\0';
        char *out = resolv_filter(text);
        if (out && strlen(out) > strlen(text) + 1)
                abort();
        free(out);
        free(text);
        return 0;
}
