/* berth: the engine's command line. Parses, calls the engine, prints; nothing else. */
#include "cli/run_opts.h"
#include "engine/context.h"
#include "engine/run.h"
#include "util/err.h"
#include "util/strv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

#define BERTH_VERSION "0.1.0"

static const char usage[] =
        "Usage: berth [--root DIR] COMMAND [OPTIONS]\n"
        "\n"
        "A container engine with no daemon.\n"
        "\n"
        "Commands:\n"
        "  run      Run a command in a new container\n"
        "\n"
        "Global options:\n"
        "  --root DIR   state directory (default $BERTH_ROOT or /var/lib/berth)\n"
        "  --version    print the version\n"
        "\n"
        "run: berth run [--rm] [-i] [-t] [--name NAME] [-h HOSTNAME] [-e K=V]... [--env-file F]\n"
        "               [-w DIR] [-u USER[:GROUP]] [--entrypoint CMD] IMAGE [COMMAND [ARG...]]\n";

/* docker's exit codes for a failure of berth itself or of the command's invocation. */
static int fail(const struct berr *e)
{
        fprintf(stderr, "berth: %s\n", e->msg);
        switch (e->kind) {
        case BERR_NOT_FOUND: return 127;
        case BERR_CANNOT_INVOKE: return 126;
        default: return 125;
        }
}

static int cmd_run(const struct berth_ctx *ctx, int argc, char **argv)
{
        struct run_options o;
        struct berr e = {0};
        int status = 0;
        char **warnings = NULL;
        int r = run_opts_parse(argc, argv, environ, &o, &e);
        if (r == 0)
                r = engine_run(ctx, &o, &status, &warnings, &e);
        for (size_t i = 0; warnings && warnings[i]; i++)
                fprintf(stderr, "berth: warning: %s\n", warnings[i]);
        strv_free(warnings);
        run_options_free(&o);
        return r < 0 ? fail(&e) : status;
}

int main(int argc, char **argv)
{
        struct berth_ctx ctx = {
                .root = getenv("BERTH_ROOT"),
                .datadir = getenv("BERTH_DATADIR"),
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
                        fputs(usage, stdout);
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
                fputs(usage, stderr);
                return 125;
        }
        const char *cmd = argv[i];
        if (!strcmp(cmd, "run"))
                return cmd_run(&ctx, argc - i, argv + i);
        if (!strcmp(cmd, "help")) {
                fputs(usage, stdout);
                return 0;
        }
        fprintf(stderr, "berth: unknown command \"%s\"; see 'berth --help'\n", cmd);
        return 125;
}
