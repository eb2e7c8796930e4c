#include "engine/network/resolv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_loopback_nameserver(const char *line, size_t len)
{
        char buf[256];
        if (len >= sizeof(buf))
                return 0;
        memcpy(buf, line, len);
        buf[len] = '\0';
        char addr[128];
        if (sscanf(buf, " nameserver %127s", addr) != 1)
                return 0;
        return !strncmp(addr, "127.", 4) || !strcmp(addr, "::1");
}

char *resolv_filter(const char *text)
{
        size_t n = strlen(text);
        char *out = malloc(n + 2), *w = out; /* + a newline the last line may lack */
        if (!out)
                return NULL;
        const char *p = text;
        while (*p) {
                size_t len = strcspn(p, "\n");
                if (!is_loopback_nameserver(p, len)) {
                        memcpy(w, p, len);
                        w += len;
                        *w++ = '\n';
                }
                p += len;
                if (*p == '\n')
                        p++;
        }
        *w = '\0';
        return out;
}
