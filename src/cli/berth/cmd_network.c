/* berth network create | ls | inspect | rm | prune | connect | disconnect, and berth port. */
#include "cli/berth/cli.h"

#include "cli/cli_getopt.h"
#include "engine/context.h"
#include "engine/network/network.h"
#include "util/err.h"
#include "util/strv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage_error(const char *msg)
{
        fprintf(stderr, "berth: %s\n", msg);
        return 125;
}

/* cli_getopt's '?' or ':': one line naming the flag as typed, as docker's. */
static int flag_error(const char *cmd, int c, char **argv)
{
        char flag[64];
        const char *typed = argv[optind - 1];
        if (strncmp(typed, "--", 2)) { /* a short one: argv[optind - 1] may hold several */
                snprintf(flag, sizeof(flag), "-%c", optopt ? optopt : '?');
                typed = flag;
        }
        if (c == ':')
                fprintf(stderr, "berth: %s: flag needs an argument: %s\n", cmd, typed);
        else
                fprintf(stderr, "berth: %s: unknown flag: %s\n", cmd, typed);
        return 125;
}

static int net_create(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {
                {"subnet", required_argument, NULL, 's'},
                {"gateway", required_argument, NULL, 'g'},
                {"internal", no_argument, NULL, 'i'},
                {"driver", required_argument, NULL, 'd'},
                {NULL, 0, NULL, 0},
        };
        const char *subnet = NULL, *gateway = NULL;
        bool internal = false;
        int c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+:d:", opts)) != -1) {
                switch (c) {
                case 's': subnet = optarg; break;
                case 'g': gateway = optarg; break;
                case 'i': internal = true; break;
                case 'd':
                        if (strcmp(optarg, "bridge"))
                                return usage_error("network create: only the bridge driver exists");
                        break;
                default: return flag_error("network create", c, argv);
                }
        }
        if (optind + 1 != argc)
                return usage_error("network create: requires exactly one NAME: berth network "
                                   "create [--subnet CIDR] [--gateway IP] [--internal] NAME");
        char id[65];
        struct berr e = {0};
        if (network_create(ctx->root, argv[optind], subnet, gateway, internal, id, &e) < 0)
                return cli_fail(&e);
        printf("%s\n", id);
        return 0;
}

static int net_ls(const struct berth_ctx *ctx, int argc, char **argv)
{
        bool quiet = argc > 1 && (!strcmp(argv[1], "-q") || !strcmp(argv[1], "--quiet"));
        struct network *v = NULL;
        size_t n = 0;
        struct berr e = {0};
        if (network_list(ctx->root, &v, &n, &e) < 0)
                return cli_fail(&e);
        if (!quiet)
                printf("%-14s %-20s %-8s %-18s %s\n", "NETWORK ID", "NAME", "DRIVER", "SUBNET",
                       "SCOPE");
        for (size_t i = 0; i < n; i++) {
                char sub[20];
                net_cidr_format(&v[i].subnet, sub);
                if (quiet)
                        printf("%.12s\n", v[i].id);
                else
                        printf("%-14.12s %-20s %-8s %-18s %s\n", v[i].id, v[i].name, "bridge",
                               v[i].auto_subnet && !v[i].n_eps ? "auto" : sub, "local");
                network_free(&v[i]);
        }
        free(v);
        if (!quiet) {
                printf("%-14s %-20s %-8s %-18s %s\n", "host", "host", "host", "", "local");
                printf("%-14s %-20s %-8s %-18s %s\n", "none", "none", "null", "", "local");
        }
        return 0;
}

static int net_inspect(const struct berth_ctx *ctx, int argc, char **argv)
{
        if (argc < 2)
                return usage_error("network inspect: requires at least one NETWORK");
        int rc = 0;
        for (int i = 1; i < argc; i++) {
                struct network n;
                struct berr e = {0};
                if (network_get(ctx->root, argv[i], &n, &e) < 0) {
                        rc = cli_fail(&e);
                        continue;
                }
                char *s = network_inspect_json(&n);
                printf("%s\n", s ? s : "[]");
                free(s);
                network_free(&n);
        }
        return rc;
}

static int net_rm(const struct berth_ctx *ctx, int argc, char **argv)
{
        if (argc < 2)
                return usage_error("network rm: requires at least one NETWORK");
        int rc = 0;
        for (int i = 1; i < argc; i++) {
                struct berr e = {0};
                if (network_remove(ctx->root, argv[i], &e) < 0)
                        rc = cli_fail(&e);
                else
                        printf("%s\n", argv[i]);
        }
        return rc;
}

static int net_prune(const struct berth_ctx *ctx, int argc, char **argv)
{
        char **removed = NULL;
        struct berr e = {0};
        if (network_prune(ctx->root, &removed, &e) < 0)
                return cli_fail(&e);
        if (removed && removed[0]) {
                printf("Deleted Networks:\n");
                for (size_t i = 0; removed[i]; i++)
                        printf("%s\n", removed[i]);
        }
        strv_free(removed);
        return 0;
}

static int net_connect_cmd(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {
                {"alias", required_argument, NULL, 'a'},
                {NULL, 0, NULL, 0},
        };
        char **aliases = calloc(1, sizeof(char *));
        int c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+:", opts)) != -1) {
                if (c != 'a') {
                        strv_free(aliases);
                        return flag_error("network connect", c, argv);
                }
                strv_push(&aliases, optarg);
        }
        if (optind + 2 != argc) {
                strv_free(aliases);
                return usage_error("network connect: requires NETWORK CONTAINER");
        }
        struct berr e = {0};
        int r = net_connect(ctx->root, argv[optind], argv[optind + 1], aliases, &e);
        strv_free(aliases);
        return r < 0 ? cli_fail(&e) : 0;
}

static int net_disconnect_cmd(const struct berth_ctx *ctx, int argc, char **argv)
{
        if (argc != 3)
                return usage_error("network disconnect: requires NETWORK CONTAINER");
        struct berr e = {0};
        return net_disconnect(ctx->root, argv[1], argv[2], &e) < 0 ? cli_fail(&e) : 0;
}

int cmd_network(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct {
                const char *name;
                int (*fn)(const struct berth_ctx *, int, char **);
        } subs[] = {
                {"create", net_create},   {"ls", net_ls},         {"list", net_ls},
                {"inspect", net_inspect}, {"rm", net_rm},         {"remove", net_rm},
                {"prune", net_prune},     {"connect", net_connect_cmd},
                {"disconnect", net_disconnect_cmd},
        };
        if (argc < 2 || !strcmp(argv[1], "--help")) {
                fputs("Usage: berth network COMMAND\n\nCommands: create, ls, inspect, rm, prune, "
                      "connect, disconnect\n",
                      argc < 2 ? stderr : stdout);
                return argc < 2 ? 125 : 0;
        }
        for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
                if (!strcmp(argv[1], subs[i].name))
                        return subs[i].fn(ctx, argc - 1, argv + 1);
        fprintf(stderr, "berth: network: unknown command \"%s\"\n", argv[1]);
        return 125;
}

int cmd_port(const struct berth_ctx *ctx, int argc, char **argv)
{
        if (argc < 2 || argc > 3)
                return usage_error("port: requires CONTAINER [PRIVATE_PORT[/PROTO]]");
        char **lines = NULL;
        struct berr e = {0};
        if (net_port_lines(ctx->root, argv[1], &lines, &e) < 0)
                return cli_fail(&e);
        int shown = 0;
        for (size_t i = 0; lines[i]; i++) {
                if (argc == 3) {
                        char want[32];
                        snprintf(want, sizeof(want), "%s%s ", argv[2],
                                 strchr(argv[2], '/') ? "" : "/tcp");
                        if (strncmp(lines[i], want, strlen(want)))
                                continue;
                        printf("%s\n", strstr(lines[i], "-> ") + 3);
                } else {
                        printf("%s\n", lines[i]);
                }
                shown++;
        }
        strv_free(lines);
        if (argc == 3 && !shown) {
                fprintf(stderr, "berth: no public port '%s' published for %s\n", argv[2], argv[1]);
                return 1;
        }
        return 0;
}
