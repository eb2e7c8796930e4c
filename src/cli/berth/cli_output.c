/* What every berth command prints the same way: an error with docker's exit status, warnings,
 * a prune report. The commands and berth.c (which dispatches to them) both stand on it. */
#include "cli/berth/cli.h"

#include "util/err.h"
#include "util/humanize.h"
#include "util/strv.h"

#include <stdio.h>

int cli_fail(const struct berr *e)
{
        fprintf(stderr, "berth: %s\n", e->msg);
        switch (e->kind) {
        case BERR_NOT_FOUND: return 127;
        case BERR_CANNOT_INVOKE: return 126;
        default: return 125;
        }
}

void cli_warnings(char **warnings)
{
        for (size_t i = 0; warnings && warnings[i]; i++)
                fprintf(stderr, "berth: warning: %s\n", warnings[i]);
        strv_free(warnings);
}

void cli_print_pruned(const char *what, char *const *removed, unsigned long long bytes)
{
        if (removed && removed[0]) {
                printf("Deleted %s:\n", what);
                for (size_t i = 0; removed[i]; i++)
                        puts(removed[i]);
                puts("");
        }
        char size[32];
        format_bytes_decimal(bytes, 4, size, sizeof(size));
        printf("Total reclaimed space: %s\n", size);
}
