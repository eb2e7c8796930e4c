/* berth run, berth start. */
#include "cli/berth/cli.h"
#include "cli/cli_getopt.h"
#include "cli/run_opts.h"
#include "engine/container/run.h"
#include "engine/context.h"
#include "util/err.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

extern char **environ;

int cmd_run(const struct berth_ctx *ctx, int argc, char **argv)
{
        struct run_options o;
        struct berr e = {0};
        int status = 0;
        char **warnings = NULL;
        char id[65] = "";
        int r = run_opts_parse(argc, argv, environ, &o, &e);
        if (r == 0)
                r = engine_run(ctx, &o, &status, &warnings, id, &e);
        cli_warnings(warnings);
        if (r == 0 && o.detach)
                printf("%s\n", id);
        run_options_free(&o);
        return r < 0 ? cli_fail(&e) : status;
}

int cmd_start(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"attach", no_argument, NULL, 'a'},
                                             {"interactive", no_argument, NULL, 'i'},
                                             {NULL, 0, NULL, 0}};
        bool attach = false, interactive = false;
        struct berr e = {0};
        int c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+ai", opts)) != -1) {
                if (c == 'a')
                        attach = true;
                else if (c == 'i')
                        interactive = true;
                else {
                        berr_set(&e, EINVAL, "start: unknown flag: %s", argv[optind - 1]);
                        return cli_fail(&e);
                }
        }
        if (optind >= argc) {
                berr_set(&e, EINVAL, "start: requires at least one container");
                return cli_fail(&e);
        }
        int ret = 0;
        for (int i = optind; i < argc; i++) {
                int status = 0;
                char **warnings = NULL;
                int r = engine_start(ctx, argv[i], attach, interactive, &status, &warnings, &e);
                cli_warnings(warnings);
                if (r < 0) {
                        ret = cli_fail(&e);
                        continue;
                }
                if (attach)
                        ret = status;
                else
                        printf("%s\n", argv[i]);
        }
        return ret;
}
