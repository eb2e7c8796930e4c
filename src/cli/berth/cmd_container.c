/* berth container prune, and `berth container SUBCOMMAND` (docker's management-command form:
 * `container ls`, `container rm`, ...), which dispatches to the top-level commands. */
#include "cli/berth/cli.h"
#include "engine/container/control.h"
#include "engine/context.h"
#include "util/err.h"
#include "util/humanize.h"
#include "util/strv.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <string.h>

int cmd_container_prune(const struct berth_ctx *ctx, int argc, char **argv)
{
        struct berr e = {0};
        bool force = false;
        for (int i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force")) {
                        force = true;
                } else {
                        berr_set(&e, EINVAL, "container prune: unknown flag or argument: %s",
                                 argv[i]);
                        return cli_fail(&e);
                }
        }
        if (!force) {
                char line[64] = "";
                fputs("WARNING! This will remove all stopped containers.\n"
                      "Are you sure you want to continue? [y/N] ",
                      stdout);
                fflush(stdout);
                if (!fgets(line, sizeof(line), stdin) || (line[0] != 'y' && line[0] != 'Y'))
                        return 0;
        }
        char **removed = NULL;
        uint64_t bytes = 0;
        if (containers_prune(ctx->root, &removed, &bytes, &e) < 0) {
                strv_free(removed);
                return cli_fail(&e);
        }
        cli_print_pruned("Containers", removed, bytes);
        strv_free(removed);
        return 0;
}

static const struct cli_cmd subcommands[] = {
        {"ls", cmd_ps, NULL},           {"ps", cmd_ps, NULL},
        {"list", cmd_ps, NULL},         {"run", cmd_run, NULL},
        {"start", cmd_start, NULL},     {"stop", cmd_stop, NULL},
        {"restart", cmd_restart, NULL}, {"kill", cmd_kill, NULL},
        {"rm", cmd_rm, NULL},           {"remove", cmd_rm, NULL},
        {"wait", cmd_wait, NULL},       {"logs", cmd_logs, NULL},
        {"inspect", cmd_inspect, NULL}, {"top", cmd_top, NULL},
        {"pause", cmd_pause, NULL},     {"unpause", cmd_unpause, NULL},
        {"rename", cmd_rename, NULL},   {"prune", cmd_container_prune, NULL},
        {"exec", cmd_exec, NULL},       {"stats", cmd_stats, NULL},
        {"update", cmd_update, NULL},
};

int cmd_container(const struct berth_ctx *ctx, int argc, char **argv)
{
        struct berr e = {0};
        if (argc < 2) {
                berr_set(&e, EINVAL, "container: requires a subcommand (ls, rm, inspect, ...)");
                return cli_fail(&e);
        }
        for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
                if (!strcmp(argv[1], subcommands[i].name))
                        return subcommands[i].fn(ctx, argc - 1, argv + 1);
        berr_set(&e, EINVAL, "container: unknown subcommand \"%s\"", argv[1]);
        return cli_fail(&e);
}
