/* Fuzz target: OCI mount options. The input split on ',' and NUL is the option list. */
#include "core/mount_opts.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPTS 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *buf = malloc(size + 1);
        if (!buf)
                return 0;
        memcpy(buf, data, size);
        buf[size] = '\0';
        char *opts[MAX_OPTS + 1];
        size_t n = 0;
        char *p = buf;
        for (size_t i = 0; i <= size && n < MAX_OPTS; i++) {
                if (buf[i] == ',' || buf[i] == '\0') {
                        buf[i] = '\0';
                        opts[n++] = p;
                        p = buf + i + 1;
                }
        }
        opts[n] = NULL;

        static struct mount_opts mo;
        int r = mount_opts_parse(opts, &mo);
        if (r != 0 && r != -E2BIG)
                abort();
        if (r == 0 && memchr(mo.data, '\0', sizeof(mo.data)) == NULL)
                abort();
        if (mo.flags & mo.clear)
                abort(); /* an option cannot both set and clear a flag */
        for (size_t i = 0; i < n; i++)
                (void)mount_propagation_flags(opts[i]);
        free(buf);
        return 0;
}
