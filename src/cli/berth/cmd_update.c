/* berth update [limit flags] CONTAINER...: the resource flags of `run` (not --ulimit or
 * --cgroup-parent), applied to existing containers. */
#include "cli/berth/cli.h"
#include "cli/cli_getopt.h"
#include "cli/resource_opts.h"
#include "engine/container/update.h"
#include "engine/context.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
        fputs(
            "Usage: berth update [OPTIONS] CONTAINER [CONTAINER...]\n\n"
            "Update configuration of one or more containers\n\n"
            "Options: the resource flags of 'berth run' (-m, --memory-swap, "
            "--memory-reservation,\n"
            "  --memory-swappiness, --oom-kill-disable, --cpus, --cpu-period, --cpu-quota, "
            "-c,\n"
            "  --cpuset-cpus, --cpuset-mems, --pids-limit, --blkio-weight, --device-*-bps/iops)\n",
            f);
}

static int parse(int argc, char **argv, struct spec_resources *res, struct berr *e)
{
        static const struct option opts[] = {
            RESOURCE_LONG_OPTS, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
        struct spec_rlimit *rlimits = NULL;
        size_t n_rlimits = 0, given = 0;
        struct resource_opts ro;
        resource_opts_init(&ro, res, &rlimits, &n_rlimits, NULL);
        ro.update = true;
        optind = 0;
        opterr = 0;
        int c, r = 0;
        while (r == 0 &&
               (c = cli_getopt(argc, argv, "+:h" RESOURCE_SHORT_OPTS, opts)) != -1) {
                const char *flag = argv[optind - 1];
                if (c == 'h')
                        r = 1;
                else if (c == ':')
                        r = berr_set(e, EINVAL, "update: flag %s needs a value", flag);
                else if (c == '?' && (strncmp(flag, "--", 2) == 0 || !optopt))
                        r = berr_set(e, EINVAL, "update: unknown flag: %s", flag);
                else if (c == '?')
                        r = berr_set(e, EINVAL, "update: unknown flag: -%c", optopt);
                else if (c == ROPT_ULIMIT || c == ROPT_CGROUP_PARENT)
                        r = berr_set(e, EINVAL,
                                     "update: %s cannot be changed on an existing container",
                                     c == ROPT_ULIMIT ? "--ulimit" : "--cgroup-parent");
                else if ((r = resource_opt(&ro, c, optarg, e)) == 0)
                        given++;
        }
        free(rlimits);
        if (r != 0)
                return r;
        if ((r = resource_opts_finish(&ro, e)) < 0)
                return r;
        if (!given)
                return berr_set(e, EINVAL,
                                "update: you must provide one or more flags when using this "
                                "command");
        if (optind >= argc)
                return berr_set(e, EINVAL, "update: requires at least one container");
        return 0;
}

int cmd_update(const struct berth_ctx *ctx, int argc, char **argv)
{
        struct spec_resources res;
        struct berr e = {0};
        spec_resources_init(&res);
        int r = parse(argc, argv, &res, &e);
        if (r != 0) {
                spec_resources_clear(&res);
                if (r > 0) {
                        usage(stdout);
                        return 0;
                }
                return cli_fail(&e);
        }
        int ret = 0;
        for (int i = optind; i < argc; i++) {
                char **warnings = NULL;
                r = engine_update(ctx->root, argv[i], &res, &warnings, &e);
                cli_warnings(warnings);
                if (r < 0)
                        ret = cli_fail(&e);
                else
                        printf("%s\n", argv[i]);
        }
        spec_resources_clear(&res);
        return ret;
}
