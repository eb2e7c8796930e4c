/* pull, push, login, logout: flags in, engine/registry.h out. */
#include "cli/berth/cli.h"

#include "cli/cli_getopt.h"
#include "engine/context.h"
#include "engine/registry/registry.h"

#include "util/err.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int tls_flag(const char *v, int *out, struct berr *e)
{
        if (!v || !strcmp(v, "true") || !strcmp(v, "1"))
                *out = 1;
        else if (!strcmp(v, "false") || !strcmp(v, "0"))
                *out = 0;
        else
                return berr_set(e, EINVAL, "--tls-verify: expected true or false, not \"%s\"", v);
        return 0;
}

enum { OPT_TLS = 1000, OPT_PLATFORM, OPT_STDIN, OPT_ALL };

static int pull_push(const struct berth_ctx *ctx, int argc, char **argv, bool push)
{
        static const struct option opts[] = {{"platform", required_argument, NULL, OPT_PLATFORM},
                                             {"tls-verify", optional_argument, NULL, OPT_TLS},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"all-tags", no_argument, NULL, 'a'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
        struct registry_opts o = {.tls_verify = -1, .out = stdout, .tty = isatty(1) == 1};
        struct berr e = {0};
        int c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+qh", opts)) != -1) {
                switch (c) {
                case OPT_PLATFORM: o.platform = optarg; break;
                case OPT_TLS:
                        if (tls_flag(optarg, &o.tls_verify, &e) < 0)
                                return cli_fail(&e);
                        break;
                case 'q': o.quiet = true; break;
                case 'h':
                        printf("Usage: berth %s [--platform OS/ARCH] [--tls-verify=false] [-q] "
                               "NAME[:TAG%s]\n",
                               argv[0], push ? "" : "|@DIGEST");
                        return 0;
                default:
                        berr_set(&e, EINVAL, "%s: unknown flag or missing value: %s", argv[0],
                                 argv[optind - 1]);
                        return cli_fail(&e);
                }
        }
        if (argc - optind != 1) {
                berr_set(&e, EINVAL, "%s: requires exactly one image name", argv[0]);
                return cli_fail(&e);
        }
        const char *ref = argv[optind];
        if (push) {
                if (registry_push(ctx, ref, &o, &e) < 0)
                        return cli_fail(&e);
                return 0;
        }
        char id[72];
        if (registry_pull(ctx, ref, &o, id, &e) < 0)
                return cli_fail(&e);
        struct registry_ref rr;
        if (registry_ref_parse(ref, &rr, NULL) == 0)
                printf("%s%s\n", rr.explicit_domain ? "" : "docker.io/", rr.local);
        return 0;
}

int cmd_pull(const struct berth_ctx *ctx, int argc, char **argv)
{
        return pull_push(ctx, argc, argv, false);
}

int cmd_push(const struct berth_ctx *ctx, int argc, char **argv)
{
        return pull_push(ctx, argc, argv, true);
}

static char *read_stdin_password(void)
{
        char *line = NULL;
        size_t cap = 0;
        ssize_t n = getline(&line, &cap, stdin);
        if (n < 0) {
                free(line);
                return NULL;
        }
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                line[--n] = '\0';
        return line;
}

int cmd_login(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"username", required_argument, NULL, 'u'},
                                             {"password", required_argument, NULL, 'p'},
                                             {"password-stdin", no_argument, NULL, OPT_STDIN},
                                             {"tls-verify", optional_argument, NULL, OPT_TLS},
                                             {NULL, 0, NULL, 0}};
        struct registry_opts o = {.tls_verify = -1};
        struct berr e = {0};
        const char *user = NULL, *pass = NULL;
        bool from_stdin = false;
        int c;
        optind = 0;
        opterr = 0;
        (void)ctx;
        while ((c = cli_getopt(argc, argv, "+u:p:", opts)) != -1) {
                switch (c) {
                case 'u': user = optarg; break;
                case 'p': pass = optarg; break;
                case OPT_STDIN: from_stdin = true; break;
                case OPT_TLS:
                        if (tls_flag(optarg, &o.tls_verify, &e) < 0)
                                return cli_fail(&e);
                        break;
                default:
                        berr_set(&e, EINVAL, "login: unknown flag or missing value: %s",
                                 argv[optind - 1]);
                        return cli_fail(&e);
                }
        }
        if (argc - optind > 1) {
                berr_set(&e, EINVAL, "login: at most one server");
                return cli_fail(&e);
        }
        if (from_stdin && pass) {
                berr_set(&e, EINVAL, "login: --password and --password-stdin are exclusive");
                return cli_fail(&e);
        }
        char *stdin_pass = from_stdin ? read_stdin_password() : NULL;
        if (from_stdin)
                pass = stdin_pass;
        if (!from_stdin && pass)
                fputs("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n",
                      stderr);
        int r = registry_login(optind < argc ? argv[optind] : NULL, user, pass, &o, &e);
        free(stdin_pass);
        if (r < 0)
                return cli_fail(&e);
        puts("Login Succeeded");
        return 0;
}

int cmd_logout(const struct berth_ctx *ctx, int argc, char **argv)
{
        struct registry_opts o = {.tls_verify = -1};
        struct berr e = {0};
        (void)ctx;
        if (argc > 2) {
                berr_set(&e, EINVAL, "logout: at most one server");
                return cli_fail(&e);
        }
        const char *server = argc == 2 ? argv[1] : NULL;
        if (registry_logout(server, &o, &e) < 0)
                return cli_fail(&e);
        printf("Removing login credentials for %s\n", server ? server : "docker.io");
        return 0;
}
