/* berth: the engine's command line. Global flags, then one command from the table; each
 * command's file parses its flags, calls the engine and prints. */
#include "cli/berth/cli.h"
#include "engine/context.h"
#include "util/err.h"
#include "util/humanize.h"
#include "util/strv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BERTH_VERSION "0.2.0"

static const struct cli_cmd commands[] = {
        {"run", cmd_run, "Run a command in a new container"},
        {"start", cmd_start, "Start one or more stopped containers"},
        {"stats", cmd_stats, "Display a live stream of container(s) resource usage statistics"},
        {"update", cmd_update, "Update configuration of one or more containers"},
        {"exec", cmd_exec, "Run a command in a running container"},
        {"network", cmd_network, "Manage networks"},
        {"port", cmd_port, "List port mappings of a container"},
        {"ps", cmd_ps, "List containers"},
        {"logs", cmd_logs, "Fetch the logs of a container"},
        {"stop", cmd_stop, "Stop one or more running containers"},
        {"restart", cmd_restart, "Restart one or more containers"},
        {"kill", cmd_kill, "Kill one or more running containers"},
        {"rm", cmd_rm, "Remove one or more containers"},
        {"wait", cmd_wait, "Block until containers stop, then print their exit codes"},
        {"inspect", cmd_inspect, "Return low-level information on containers"},
        {"top", cmd_top, "Display the running processes of a container"},
        {"pause", cmd_pause, "Pause all processes within one or more containers"},
        {"unpause", cmd_unpause, "Unpause all processes within one or more containers"},
        {"rename", cmd_rename, "Rename a container"},
        {"container", cmd_container, "Manage containers (ls, rm, prune, ...)"},
        {"pull", cmd_pull, "Download an image from a registry"},
        {"push", cmd_push, "Upload an image to a registry"},
        {"login", cmd_login, "Log in to a registry"},
        {"logout", cmd_logout, "Log out from a registry"},
        {"images", cmd_images, "List images"},
        {"image", cmd_image, "Manage images (ls, load, save, rm, inspect, history, prune, ...)"},
        {"load", cmd_load, "Load an image from a tar archive or STDIN"},
        {"save", cmd_save, "Save one or more images to a tar archive (streamed to STDOUT by default)"},
        {"import", cmd_import, "Import the contents from a tarball to create a filesystem image"},
        {"export", cmd_export, "Export a container's filesystem as a tar archive"},
        {"commit", cmd_commit, "Create a new image from a container's changes"},
        {"tag", cmd_tag, "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE"},
        {"rmi", cmd_rmi, "Remove one or more images"},
        {"history", cmd_history, "Show the history of an image"},
        {"volume", cmd_volume, "Manage volumes (create, ls, inspect, rm, prune)"},
        {"_monitor-exit", cmd_monitor_exit, NULL}, /* berth-monitor's, not for people */
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
        fputs("Usage: berth [--root DIR] COMMAND [OPTIONS]\n\n"
              "A container engine with no daemon.\n\nCommands:\n",
              f);
        for (size_t i = 0; i < N_COMMANDS; i++)
                if (commands[i].summary)
                        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
        fputs("\nGlobal options:\n"
              "  --root DIR   state directory (default $BERTH_ROOT or /var/lib/berth)\n"
              "  --version    print the version\n\n"
              "Run 'berth COMMAND --help' for a command's flags (as docker's).\n",
              f);
}

int main(int argc, char **argv)
{
        struct berth_ctx ctx = {
                .root = getenv("BERTH_ROOT"),
                .datadir = getenv("BERTH_DATADIR"),
                .progress = stderr,
        };
        if (!ctx.root || !ctx.root[0])
                ctx.root = "/var/lib/berth";
        if (!ctx.datadir || !ctx.datadir[0])
                ctx.datadir = BERTH_DATADIR;
        int i = 1;
        for (; i < argc && argv[i][0] == '-'; i++) {
                if (!strcmp(argv[i], "--root") && i + 1 < argc) {
                        ctx.root = argv[++i];
                } else if (!strncmp(argv[i], "--root=", 7)) {
                        ctx.root = argv[i] + 7;
                } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
                        usage(stdout);
                        return 0;
                } else if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-v")) {
                        printf("berth version %s\n", BERTH_VERSION);
                        return 0;
                } else {
                        fprintf(stderr, "berth: unknown flag: %s\n", argv[i]);
                        return 125;
                }
        }
        if (i >= argc) {
                usage(stderr);
                return 125;
        }
        const char *cmd = argv[i];
        if (!strcmp(cmd, "help")) {
                usage(stdout);
                return 0;
        }
        for (size_t k = 0; k < N_COMMANDS; k++)
                if (!strcmp(cmd, commands[k].name))
                        return commands[k].fn(&ctx, argc - i, argv + i);
        fprintf(stderr, "berth: unknown command \"%s\"; see 'berth --help'\n", cmd);
        return 125;
}
