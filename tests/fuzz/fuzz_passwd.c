/* Fuzz target: /etc/passwd and /etc/group text (the image's, so untrusted).
 * Input: "<name>\0<file text>"; without a NUL, the whole input is the file and a few fixed
 * names are looked up. */
#include "core/passwd.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *open_mem(const uint8_t *text, size_t len)
{
        if (len == 0)
                return NULL; /* fmemopen refuses size 0 on older glibc; NULL is allowed */
        return fmemopen((void *)text, len, "r");
}

static void one(const char *name, const uint8_t *text, size_t len)
{
        struct user_ids u;
        FILE *f = open_mem(text, len);
        int r = passwd_lookup(f, name, &u);
        if (r != 0 && r != -ENOENT)
                abort();
        if (r == 0 && (u.n_groups != 0 || memchr(u.home, '\0', sizeof(u.home)) == NULL))
                abort();
        if (f)
                fclose(f);

        gid_t g = 0;
        f = open_mem(text, len);
        r = group_lookup(f, name, &g);
        if (r != 0 && r != -ENOENT)
                abort();
        if (f)
                fclose(f);

        memset(&u, 0, sizeof(u));
        f = open_mem(text, len);
        group_members(f, name, &u);
        if (u.n_groups > 64)
                abort();
        if (f)
                fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const uint8_t *nul = memchr(data, '\0', size);
        if (nul && nul - data < 256) {
                char name[256];
                memcpy(name, data, (size_t)(nul - data));
                name[nul - data] = '\0';
                one(name, nul + 1, size - (size_t)(nul - data) - 1);
                return 0;
        }
        static const char *const names[] = {"root", "0", "1000", "nobody", ""};
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                one(names[i], data, size);
        return 0;
}
