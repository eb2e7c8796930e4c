#include "cli/log_opts.h"

#include "util/timefmt.h"
#include "util/units.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

int log_tail_parse(const char *s, long *out)
{
        int64_t v;
        if (!strcmp(s, "all")) {
                *out = -1;
                return 0;
        }
        if (parse_int64(s, &v) < 0 || v > (1L << 40))
                return -EINVAL;
        *out = v < 0 ? -1 : (long)v;
        return 0;
}

size_t log_tail_start(size_t n, long tail)
{
        if (tail < 0 || (size_t)tail >= n)
                return 0;
        return n - (size_t)tail;
}

bool log_time_selected(const char *time, const struct timespec *since,
                       const struct timespec *until)
{
        struct timespec t;
        if (rfc3339_parse(time, &t) < 0)
                return true;
        if (since && timespec_diff_ns(&t, since) < 0)
                return false;
        if (until && timespec_diff_ns(&t, until) >= 0)
                return false;
        return true;
}
