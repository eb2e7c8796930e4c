/* berth volume create | ls | inspect | rm | prune, as docker prints them. */
#include "cli/berth/cli.h"
#include "cli/cli_getopt.h"
#include "engine/container/containers.h"
#include "engine/context.h"
#include "engine/volume/volume.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/humanize.h"
#include "util/strv.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *fmt, const char *a, const char *b)
{
        struct berr e = {0};
        berr_set(&e, EINVAL, fmt, a, b);
        return cli_fail(&e);
}

/* Flags of a subcommand: getopt over a short-option string and a table; unknown -> error. */
static int parse(int argc, char **argv, const char *shorts, const struct option *opts,
                 int (*each)(int c, const char *arg, void *u), void *u)
{
        optind = 0;
        opterr = 0;
        int c;
        while ((c = cli_getopt(argc, argv, shorts, opts)) != -1) {
                if (c == '?' || c == ':')
                        return fail("volume %s: unknown flag or missing value: %s", argv[0],
                                    argv[optind - 1]);
                int r = each(c, optarg, u);
                if (r)
                        return r;
        }
        return 0;
}

struct create_args {
        char **labels;
};

static int create_flag(int c, const char *arg, void *u)
{
        struct create_args *a = u;
        if (c == 'd' && strcmp(arg, "local"))
                return fail("volume create: driver \"%s\" is not supported%s (only local)", arg, "");
        if (c == 'o')
                return fail("volume create: driver options (-o %s) are not supported%s", arg, "");
        if (c == 'l' && strv_push(&a->labels, arg) < 0)
                return fail("%s%s", "out of memory", "");
        return 0;
}

static int vol_create(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"driver", required_argument, NULL, 'd'},
                                             {"label", required_argument, NULL, 'l'},
                                             {"opt", required_argument, NULL, 'o'},
                                             {"name", required_argument, NULL, 'n'},
                                             {NULL, 0, NULL, 0}};
        struct create_args a = {0};
        int r = parse(argc, argv, "+:d:o:", opts, create_flag, &a);
        if (r) {
                strv_free(a.labels);
                return r;
        }
        char gen[65];
        const char *name = optind < argc ? argv[optind] : NULL;
        struct berr e = {0};
        if (argc - optind > 1) {
                strv_free(a.labels);
                return fail("volume create: at most one name%s%s", "", "");
        }
        if (!name) {
                if (container_new_id(gen, &e) < 0)
                        return cli_fail(&e);
                name = gen;
        }
        bool created;
        r = volume_create(ctx->root, name, a.labels, &created, &e);
        strv_free(a.labels);
        if (r < 0)
                return cli_fail(&e);
        printf("%s\n", name);
        return 0;
}

static int quiet_flag(int c, const char *arg, void *u)
{
        if (c == 'q' || c == 'f' || c == 'a')
                *(int *)u |= c == 'q' ? 1 : c == 'f' ? 2 : 4;
        return 0;
}

static int vol_ls(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"quiet", no_argument, NULL, 'q'}, {NULL, 0, NULL, 0}};
        int flags = 0;
        int r = parse(argc, argv, "+:q", opts, quiet_flag, &flags);
        if (r)
                return r;
        if (optind < argc)
                return fail("volume %s: unexpected argument %s", argv[0], argv[optind]);
        char **names = NULL;
        struct berr e = {0};
        if (volume_list(ctx->root, &names, &e) < 0) {
                strv_free(names);
                return cli_fail(&e);
        }
        if (!(flags & 1))
                printf("%-10s%s\n", "DRIVER", "VOLUME NAME");
        for (size_t i = 0; names[i]; i++)
                if (flags & 1)
                        printf("%s\n", names[i]);
                else
                        printf("%-10s%s\n", "local", names[i]);
        strv_free(names);
        return 0;
}

static int vol_inspect(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{NULL, 0, NULL, 0}};
        int flags = 0;
        int r = parse(argc, argv, "+:", opts, quiet_flag, &flags);
        if (r)
                return r;
        if (optind >= argc)
                return fail("volume %s: requires at least one volume%s", argv[0], "");
        json_t *arr = json_array();
        int ret = 0;
        for (int i = optind; i < argc; i++) {
                _cleanup_free_ char *text = NULL;
                struct berr e = {0};
                if (volume_inspect_json(ctx->root, argv[i], &text, &e) < 0) {
                        ret = cli_fail(&e);
                        continue;
                }
                json_array_append_new(arr, json_loads(text, 0, NULL));
        }
        char *out = json_dumps(arr, JSON_INDENT(4) | JSON_SORT_KEYS);
        if (out && (json_array_size(arr) || !ret))
                printf("%s\n", out);
        free(out);
        json_decref(arr);
        return ret;
}

static int vol_rm(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"force", no_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
        int flags = 0;
        int r = parse(argc, argv, "+:f", opts, quiet_flag, &flags);
        if (r)
                return r;
        if (optind >= argc)
                return fail("volume %s: requires at least one volume%s", argv[0], "");
        int ret = 0;
        for (int i = optind; i < argc; i++) {
                struct berr e = {0};
                r = volume_remove(ctx->root, argv[i], flags & 2, &e);
                if (r == -ENOENT && (flags & 2))
                        continue; /* docker: -f ignores a missing volume */
                if (r < 0)
                        ret = cli_fail(&e);
                else
                        printf("%s\n", argv[i]);
                fflush(stdout);
        }
        return ret;
}

static int vol_prune(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"force", no_argument, NULL, 'f'},
                                             {"all", no_argument, NULL, 'a'},
                                             {NULL, 0, NULL, 0}};
        int flags = 0;
        int r = parse(argc, argv, "+:fa", opts, quiet_flag, &flags);
        if (r)
                return r;
        if (optind < argc)
                return fail("volume %s: unexpected argument %s", argv[0], argv[optind]);
        if (!(flags & 2)) {
                char line[64] = "";
                printf("WARNING! This will remove %s local volumes not used by at least one "
                       "container.\nAre you sure you want to continue? [y/N] ",
                       (flags & 4) ? "all" : "anonymous");
                fflush(stdout);
                if (!fgets(line, sizeof(line), stdin) || (line[0] != 'y' && line[0] != 'Y'))
                        return 0;
        }
        char **removed = NULL;
        uint64_t bytes = 0;
        struct berr e = {0};
        if (volumes_prune(ctx->root, flags & 4, &removed, &bytes, &e) < 0) {
                strv_free(removed);
                return cli_fail(&e);
        }
        cli_print_pruned("Volumes", removed, bytes);
        strv_free(removed);
        return 0;
}

static const struct cli_cmd subcommands[] = {
        {"create", vol_create, "Create a volume"},
        {"ls", vol_ls, "List volumes"},
        {"list", vol_ls, NULL},
        {"inspect", vol_inspect, "Display detailed information on one or more volumes"},
        {"rm", vol_rm, "Remove one or more volumes"},
        {"remove", vol_rm, NULL},
        {"prune", vol_prune, "Remove unused local volumes (anonymous ones; -a: all)"},
};

int cmd_volume(const struct berth_ctx *ctx, int argc, char **argv)
{
        if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
                FILE *f = argc < 2 ? stderr : stdout;
                fputs("Usage: berth volume COMMAND\n\nManage volumes\n\nCommands:\n", f);
                for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
                        if (subcommands[i].summary)
                                fprintf(f, "  %-9s %s\n", subcommands[i].name,
                                        subcommands[i].summary);
                return argc < 2 ? 125 : 0;
        }
        for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
                if (!strcmp(argv[1], subcommands[i].name))
                        return subcommands[i].fn(ctx, argc - 1, argv + 1);
        return fail("volume: unknown subcommand \"%s\"%s (create, ls, inspect, rm, prune)",
                    argv[1], "");
}
