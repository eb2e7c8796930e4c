#include "util/validate.h"

#include <string.h>

bool hostname_valid(const char *h)
{
        size_t len = strlen(h), label = 0;
        if (len == 0 || len > 253)
                return false;
        for (size_t i = 0; i <= len; i++) {
                char c = h[i];
                if (c == '.' || c == '\0') {
                        if (label == 0 || label > 63 || h[i - 1] == '-')
                                return false;
                        label = 0;
                        continue;
                }
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '-';
                if (!ok || (label == 0 && c == '-'))
                        return false;
                label++;
        }
        return true;
}
