/* getopt_long with exact long-option names (see cli_getopt.h). */
#include "cli/cli_getopt.h"

#include <stdbool.h>
#include <string.h>

static bool is_long_name(const struct option *longs, const char *name, size_t len)
{
        for (; longs && longs->name; longs++)
                if (strlen(longs->name) == len && !memcmp(longs->name, name, len))
                        return true;
        return false;
}

int cli_getopt(int argc, char *const argv[], const char *shorts, const struct option *longs)
{
        /* optind 0 asks glibc for a fresh start, which it does inside its next call; do it now
         * with no arguments to look at, so that argv[optind] below is the next argument and a
         * refusal leaves no state of an earlier parse behind. */
        if (optind == 0)
                (void)getopt_long(1, argv, shorts, longs, NULL);
        /* Inside a cluster of short flags ("-it") optind still points at it, and such an
         * argument starts with a single dash; "--" alone ends the flags. */
        const char *arg = optind < argc ? argv[optind] : NULL;
        if (arg && arg[0] == '-' && arg[1] == '-' && arg[2]) {
                const char *name = arg + 2;
                if (!is_long_name(longs, name, strcspn(name, "="))) {
                        optind++;
                        optarg = NULL;
                        optopt = 0;
                        return '?';
                }
        }
        return getopt_long(argc, argv, shorts, longs, NULL);
}
