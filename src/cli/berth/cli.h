/* What the command files of the berth CLI share: the context, printing an error the docker
 * way, and the table entry each command group provides. */
#ifndef BERTH_CLI_CLI_H
#define BERTH_CLI_CLI_H

struct berr;
struct berth_ctx;

/* cli_output.c. Prints "berth: <msg>" and returns docker's exit code for it (125, 126 or 127). */
int cli_fail(const struct berr *e);
/* Prints each warning as "berth: warning: ..." and frees the list. */
void cli_warnings(char **warnings);
/* docker's prune report: "Deleted <What>:", the names, "Total reclaimed space: <size>". */
void cli_print_pruned(const char *what, char *const *removed, unsigned long long bytes);

typedef int (*cli_cmd_fn)(const struct berth_ctx *ctx, int argc, char **argv);

struct cli_cmd {
        const char *name;
        cli_cmd_fn fn;
        const char *summary;
};

/* Each command file exports its commands; berth.c lists them. argv[0] is the command name. */
int cmd_run(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_start(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_stats(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_update(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_exec(const struct berth_ctx *ctx, int argc, char **argv);
/* Networks (cmd_network.c). */
int cmd_network(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_port(const struct berth_ctx *ctx, int argc, char **argv);

/* Container lifecycle (cmd_ps.c, cmd_logs.c, cmd_control.c, cmd_inspect.c, cmd_container.c). */
int cmd_ps(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_logs(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_stop(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_restart(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_kill(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_rm(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_wait(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_pause(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_unpause(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_rename(const struct berth_ctx *ctx, int argc, char **argv);
/* berth-monitor's way back (cmd_control.c); not listed in --help. */
int cmd_monitor_exit(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_inspect(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_top(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_container_prune(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_container(const struct berth_ctx *ctx, int argc, char **argv);
/* Volumes (cmd_volume.c). */
int cmd_volume(const struct berth_ctx *ctx, int argc, char **argv);

/* Images (cmd_image.c). */
int cmd_images(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_load(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_save(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_import(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_export(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_commit(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_tag(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_rmi(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_history(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_image(const struct berth_ctx *ctx, int argc, char **argv);

/* Registries (cmd_registry.c). */
int cmd_pull(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_push(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_login(const struct berth_ctx *ctx, int argc, char **argv);
int cmd_logout(const struct berth_ctx *ctx, int argc, char **argv);

#endif
