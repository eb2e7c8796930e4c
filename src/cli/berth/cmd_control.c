/* berth stop, kill, restart, rm, wait, pause, unpause, rename. Each takes containers by name,
 * id or unique id prefix; for each it prints what docker prints (the name as given, or the
 * exit code) or one error line, and goes on with the next; the exit status is 125 if any
 * failed. */
#include "cli/berth/cli.h"
#include "cli/cli_getopt.h"
#include "engine/container/control.h"
#include "engine/container/run.h"
#include "engine/context.h"
#include "util/err.h"
#include "util/signals.h"
#include "util/units.h"

#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static int usage_fail(const char *cmd, const char *what)
{
        struct berr e = {0};
        berr_set(&e, EINVAL, "%s: %s", cmd, what);
        return cli_fail(&e);
}

static int bad_flag(const char *cmd, char **argv)
{
        struct berr e = {0};
        berr_set(&e, EINVAL, "%s: unknown flag or missing value: %s", cmd, argv[optind - 1]);
        return cli_fail(&e);
}

static int parse_timeout(const char *cmd, const char *s, int *out)
{
        int64_t v;
        if (parse_int64(s, &v) < 0 || v < -1 || v > 1000000000) {
                struct berr e = {0};
                berr_set(&e, EINVAL, "%s: --time: not a number of seconds: %s", cmd, s);
                return cli_fail(&e);
        }
        *out = (int)v;
        return 0;
}

static int parse_signal(const char *cmd, const char *s, int *out)
{
        if (signal_parse(s, out) < 0) {
                struct berr e = {0};
                berr_set(&e, EINVAL, "%s: invalid signal: %s", cmd, s);
                return cli_fail(&e);
        }
        return 0;
}

/* stop and restart: -t/--time SECONDS, -s/--signal SIGNAL. */
static int stop_like(const struct berth_ctx *ctx, int argc, char **argv, bool restart)
{
        static const struct option opts[] = {{"time", required_argument, NULL, 't'},
                                             {"timeout", required_argument, NULL, 't'},
                                             {"signal", required_argument, NULL, 's'},
                                             {NULL, 0, NULL, 0}};
        int timeout = 10, sig = 0, c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+t:s:", opts)) != -1) {
                int r = c == 't'   ? parse_timeout(argv[0], optarg, &timeout)
                        : c == 's' ? parse_signal(argv[0], optarg, &sig)
                                   : bad_flag(argv[0], argv);
                if (r)
                        return r;
        }
        if (optind >= argc)
                return usage_fail(argv[0], "requires at least one container");
        int ret = 0;
        for (int i = optind; i < argc; i++) {
                struct berr e = {0};
                int r = container_stop(ctx->root, argv[i], sig, timeout, &e);
                if (r == 0 && restart) {
                        int status = 0;
                        char **warnings = NULL;
                        r = engine_start(ctx, argv[i], false, false, &status, &warnings, &e);
                        cli_warnings(warnings);
                }
                if (r < 0)
                        ret = cli_fail(&e);
                else
                        printf("%s\n", argv[i]);
                fflush(stdout);
        }
        return ret;
}

int cmd_stop(const struct berth_ctx *ctx, int argc, char **argv)
{
        return stop_like(ctx, argc, argv, false);
}

int cmd_restart(const struct berth_ctx *ctx, int argc, char **argv)
{
        return stop_like(ctx, argc, argv, true);
}

int cmd_kill(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"signal", required_argument, NULL, 's'},
                                             {NULL, 0, NULL, 0}};
        int sig = 9, c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+s:", opts)) != -1) {
                int r = c == 's' ? parse_signal(argv[0], optarg, &sig) : bad_flag(argv[0], argv);
                if (r)
                        return r;
        }
        if (optind >= argc)
                return usage_fail(argv[0], "requires at least one container");
        int ret = 0;
        for (int i = optind; i < argc; i++) {
                struct berr e = {0};
                if (container_kill(ctx->root, argv[i], sig, &e) < 0)
                        ret = cli_fail(&e);
                else
                        printf("%s\n", argv[i]);
        }
        return ret;
}

int cmd_rm(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"force", no_argument, NULL, 'f'},
                                             {"volumes", no_argument, NULL, 'v'},
                                             {NULL, 0, NULL, 0}};
        bool force = false, volumes = false;
        int c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+fv", opts)) != -1) {
                if (c == 'f')
                        force = true;
                else if (c == 'v') /* the container's anonymous volumes too */
                        volumes = true;
                else
                        return bad_flag(argv[0], argv);
        }
        if (optind >= argc)
                return usage_fail(argv[0], "requires at least one container");
        int ret = 0;
        for (int i = optind; i < argc; i++) {
                struct berr e = {0};
                if ((volumes ? container_rm_volumes(ctx->root, argv[i], force, &e)
                             : container_rm(ctx->root, argv[i], force, &e)) < 0)
                        ret = cli_fail(&e);
                else
                        printf("%s\n", argv[i]);
                fflush(stdout);
        }
        return ret;
}

int cmd_wait(const struct berth_ctx *ctx, int argc, char **argv)
{
        if (argc > 1 && argv[1][0] == '-' && strcmp(argv[1], "--"))
                return usage_fail(argv[0], "accepts no flags");
        int first = argc > 1 && !strcmp(argv[1], "--") ? 2 : 1;
        if (first >= argc)
                return usage_fail(argv[0], "requires at least one container");
        int ret = 0;
        for (int i = first; i < argc; i++) {
                struct berr e = {0};
                int code = 0;
                if (container_wait(ctx->root, argv[i], &code, &e) < 0)
                        ret = cli_fail(&e);
                else
                        printf("%d\n", code);
                fflush(stdout);
        }
        return ret;
}

static int pause_like(const struct berth_ctx *ctx, int argc, char **argv, bool pause)
{
        if (argc > 1 && argv[1][0] == '-')
                return usage_fail(argv[0], "accepts no flags");
        if (argc < 2)
                return usage_fail(argv[0], "requires at least one container");
        int ret = 0;
        for (int i = 1; i < argc; i++) {
                struct berr e = {0};
                if (container_pause(ctx->root, argv[i], pause, &e) < 0)
                        ret = cli_fail(&e);
                else
                        printf("%s\n", argv[i]);
        }
        return ret;
}

int cmd_pause(const struct berth_ctx *ctx, int argc, char **argv)
{
        return pause_like(ctx, argc, argv, true);
}

int cmd_unpause(const struct berth_ctx *ctx, int argc, char **argv)
{
        return pause_like(ctx, argc, argv, false);
}

int cmd_rename(const struct berth_ctx *ctx, int argc, char **argv)
{
        if (argc != 3)
                return usage_fail(argv[0], "requires exactly two arguments: CONTAINER NEW_NAME");
        struct berr e = {0};
        if (container_rename(ctx->root, argv[1], argv[2], &e) < 0)
                return cli_fail(&e);
        return 0;
}

/* berth _monitor-exit ID LOCK_FD STATUS: not for people (berth --help does not list it). */
int cmd_monitor_exit(const struct berth_ctx *ctx, int argc, char **argv)
{
        struct berr e = {0};
        char *end1, *end2;
        long fd = argc == 4 ? strtol(argv[2], &end1, 10) : -1;
        long status = argc == 4 ? strtol(argv[3], &end2, 10) : -1;
        if (argc != 4 || *end1 || *end2 || fd < 0 || fd > INT_MAX || status < 0 || status > 255) {
                berr_set(&e, EINVAL, "_monitor-exit is berth-monitor's: ID LOCK_FD STATUS");
                return cli_fail(&e);
        }
        int r = engine_monitor_exit(ctx, argv[1], (int)fd, (int)status, &e);
        return r < 0 ? cli_fail(&e) : 0;
}
