/* berth exec [-i] [-t] [-d] [-e K=V]... [-u USER] [-w DIR] CONTAINER COMMAND [ARG...] */
#include "cli/berth/cli.h"
#include "cli/cli_getopt.h"
#include "cli/run_opts.h"
#include "engine/container/exec.h"
#include "engine/context.h"
#include "util/err.h"
#include "util/strv.h"

#include <stdlib.h>
#include <string.h>

extern char **environ;

static int parse(int argc, char **argv, struct exec_options *o, const char **ref, struct berr *e)
{
        static const struct option opts[] = {
                {"interactive", no_argument, NULL, 'i'}, {"tty", no_argument, NULL, 't'},
                {"detach", no_argument, NULL, 'd'},      {"env", required_argument, NULL, 'e'},
                {"user", required_argument, NULL, 'u'},  {"workdir", required_argument, NULL, 'w'},
                {NULL, 0, NULL, 0}};
        int c, r;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+:itde:u:w:", opts)) != -1) {
                switch (c) {
                case 'i': o->interactive = true; break;
                case 't': o->tty = true; break;
                case 'd': o->detach = true; break;
                case 'e':
                        if ((r = env_arg_add(&o->env, optarg, environ, "-e", e)) < 0)
                                return r;
                        break;
                case 'u': o->user = optarg; break;
                case 'w':
                        if (optarg[0] != '/')
                                return berr_set(e, EINVAL, "--workdir: \"%s\" is not an absolute path",
                                                optarg);
                        o->workdir = optarg;
                        break;
                case ':':
                        return berr_set(e, EINVAL, "exec: flag %s needs a value", argv[optind - 1]);
                default:
                        return berr_set(e, EINVAL, "exec: unknown flag: %s", argv[optind - 1]);
                }
        }
        if (argc - optind < 2)
                return berr_set(e, EINVAL, "exec: requires a CONTAINER and a COMMAND: berth exec "
                                           "[OPTIONS] CONTAINER COMMAND [ARG...]");
        *ref = argv[optind];
        if (!(o->cmd = strv_dup(argv + optind + 1)))
                return berr_set(e, ENOMEM, "out of memory");
        return 0;
}

int cmd_exec(const struct berth_ctx *ctx, int argc, char **argv)
{
        struct exec_options o = {0};
        struct berr e = {0};
        const char *ref = NULL;
        int status = 0;
        int r = parse(argc, argv, &o, &ref, &e);
        if (r == 0)
                r = engine_exec(ctx, ref, &o, &status, &e);
        strv_free(o.env);
        strv_free(o.cmd);
        return r < 0 ? cli_fail(&e) : status;
}
