#include "util/cpulist.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

static int number(const char **p, unsigned long *out)
{
        if (!isdigit((unsigned char)**p))
                return -EINVAL;
        char *end;
        errno = 0;
        *out = strtoul(*p, &end, 10);
        if (errno || *out >= CPU_SETSIZE)
                return -EINVAL;
        *p = end;
        return 0;
}

int cpulist_parse(const char *text, cpu_set_t *out)
{
        CPU_ZERO(out);
        const char *p = text;
        while (*p) {
                unsigned long lo, hi;
                if (number(&p, &lo) < 0)
                        return -EINVAL;
                hi = lo;
                if (*p == '-') {
                        p++;
                        if (number(&p, &hi) < 0 || hi < lo)
                                return -EINVAL;
                }
                for (unsigned long c = lo; c <= hi; c++)
                        CPU_SET(c, out);
                if (*p == ',' && p[1])
                        p++;
                else if (*p)
                        return -EINVAL;
        }
        return 0;
}
