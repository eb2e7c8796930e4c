#include "cli/run_opts.h"

#include "cli/cli_getopt.h"
#include "cli/mount_opts_cli.h"
#include "cli/resource_opts.h"

#include "core/spec.h"
#include "engine/container/containers.h"
#include "engine/container/run.h"
#include "engine/network/net_addr.h"
#include "engine/security/userns.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"
#include "util/validate.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int env_arg_add(char ***env, const char *arg, char *const *host_env, const char *what,
                struct berr *e)
{
        const char *eq = strchr(arg, '=');
        size_t klen = eq ? (size_t)(eq - arg) : strlen(arg);
        if (klen == 0)
                return berr_set(e, EINVAL, "%s: invalid environment variable \"%s\": the name is empty",
                                what, arg);
        for (size_t i = 0; i < klen; i++)
                if (isspace((unsigned char)arg[i]))
                        return berr_set(e, EINVAL,
                                        "%s: invalid environment variable \"%s\": the name contains whitespace",
                                        what, arg);
        if (eq)
                return env_set(env, arg) < 0 ? berr_set(e, ENOMEM, "out of memory") : 0;
        const char *v = env_get(host_env, arg);
        if (!v)
                return 0;
        _cleanup_free_ char *kv = NULL;
        if (asprintf(&kv, "%s=%s", arg, v) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        return env_set(env, kv) < 0 ? berr_set(e, ENOMEM, "out of memory") : 0;
}

int env_file_parse(const char *text, const char *path, char *const *host_env, char ***env,
                   struct berr *e)
{
        size_t lineno = 0;
        const char *p = text;
        while (*p) {
                size_t len = strcspn(p, "\n");
                char line[8192], what[4200];
                lineno++;
                if (len >= sizeof(line))
                        return berr_set(e, EINVAL, "--env-file %s: line %zu is too long", path,
                                        lineno);
                memcpy(line, p, len);
                line[len] = '\0';
                p += len + (p[len] == '\n');
                char *s = line;
                while (isspace((unsigned char)*s))
                        s++;
                if (len && line[len - 1] == '\r')
                        line[len - 1] = '\0';
                if (!*s || *s == '#')
                        continue;
                snprintf(what, sizeof(what), "--env-file %s line %zu", path, lineno);
                int r = env_arg_add(env, s, host_env, what, e);
                if (r < 0)
                        return r;
        }
        return 0;
}

enum { OPT_RM = 1000, OPT_NAME, OPT_ENV_FILE, OPT_ENTRYPOINT, OPT_CAP_ADD, OPT_CAP_DROP,
       OPT_PRIVILEGED, OPT_SECURITY_OPT, OPT_READ_ONLY, OPT_DEVICE, OPT_USERNS,
       OPT_MOUNT, OPT_TMPFS, OPT_NETWORK, OPT_NETWORK_ALIAS };

static const struct option long_opts[] = {
        {"rm", no_argument, NULL, OPT_RM},
        {"detach", no_argument, NULL, 'd'},
        {"cap-add", required_argument, NULL, OPT_CAP_ADD},
        {"cap-drop", required_argument, NULL, OPT_CAP_DROP},
        {"privileged", no_argument, NULL, OPT_PRIVILEGED},
        {"security-opt", required_argument, NULL, OPT_SECURITY_OPT},
        {"read-only", no_argument, NULL, OPT_READ_ONLY},
        {"device", required_argument, NULL, OPT_DEVICE},
        {"userns", required_argument, NULL, OPT_USERNS},
        {"volume", required_argument, NULL, 'v'},
        {"mount", required_argument, NULL, OPT_MOUNT},
        {"tmpfs", required_argument, NULL, OPT_TMPFS},
        {"network", required_argument, NULL, OPT_NETWORK},
        {"net", required_argument, NULL, OPT_NETWORK},
        {"network-alias", required_argument, NULL, OPT_NETWORK_ALIAS},
        {"net-alias", required_argument, NULL, OPT_NETWORK_ALIAS},
        {"publish", required_argument, NULL, 'p'},
        {"publish-all", no_argument, NULL, 'P'},
        {"interactive", no_argument, NULL, 'i'},
        {"tty", no_argument, NULL, 't'},
        {"name", required_argument, NULL, OPT_NAME},
        {"hostname", required_argument, NULL, 'h'},
        {"env", required_argument, NULL, 'e'},
        {"env-file", required_argument, NULL, OPT_ENV_FILE},
        {"workdir", required_argument, NULL, 'w'},
        {"user", required_argument, NULL, 'u'},
        {"entrypoint", required_argument, NULL, OPT_ENTRYPOINT},
        RESOURCE_LONG_OPTS,
        {NULL, 0, NULL, 0},
};

static int read_env_file(const char *path, char *const *host_env, char ***env, struct berr *e)
{
        _cleanup_free_ char *text = NULL;
        struct berr inner;
        if (read_file(path, &text, NULL, &inner) < 0)
                return berr_set(e, inner.code, "--env-file: %s", inner.msg);
        return env_file_parse(text, path, host_env, env, e);
}

static int cap_opt(const char *flag, char ***list, const char *arg, struct berr *e)
{
        if (strcasecmp(arg, "ALL") && spec_cap_from_name(arg) < 0)
                return berr_set(e, EINVAL, "%s: unknown capability \"%s\"", flag, arg);
        return strv_push(list, arg) < 0 ? berr_set(e, ENOMEM, "out of memory") : 0;
}

/* docker's --security-opt forms: no-new-privileges[:true|false], seccomp=unconfined|PATH. */
static int security_opt(const char *arg, struct run_security *s, struct berr *e)
{
        if (!strcmp(arg, "no-new-privileges") || !strcmp(arg, "no-new-privileges:true") ||
            !strcmp(arg, "no-new-privileges=true")) {
                s->no_new_privileges = true;
                return 0;
        }
        if (!strcmp(arg, "no-new-privileges:false") || !strcmp(arg, "no-new-privileges=false")) {
                s->no_new_privileges = false;
                return 0;
        }
        if (!strncmp(arg, "seccomp=", 8) || !strncmp(arg, "seccomp:", 8)) {
                const char *v = arg + 8;
                if (!*v)
                        return berr_set(e, EINVAL, "--security-opt: seccomp needs a profile path or unconfined");
                if (!strcmp(v, "unconfined"))
                        s->seccomp_unconfined = true;
                else
                        s->seccomp_profile = v;
                return 0;
        }
        if (!strncmp(arg, "apparmor=", 9) || !strncmp(arg, "label=", 6) || !strncmp(arg, "label:", 6))
                return berr_set(e, EOPNOTSUPP,
                                "--security-opt %s: this host has neither AppArmor nor SELinux", arg);
        return berr_set(e, EINVAL, "--security-opt: unknown option \"%s\"", arg);
}

static int device_opt(const char *arg, struct run_security *s, struct berr *e)
{
        /* HOST[:CONTAINER][:PERMS]: checked here for shape; the engine stats the host path. */
        if (arg[0] != '/')
                return berr_set(e, EINVAL, "--device: \"%s\": the host path must be absolute", arg);
        const char *last = strrchr(arg, ':');
        if (last && last[1] != '/' && (strlen(last + 1) == 0 || strlen(last + 1) > 3 ||
                                       strspn(last + 1, "rwm") != strlen(last + 1)))
                return berr_set(e, EINVAL, "--device: \"%s\": permissions must be a subset of rwm", arg);
        return strv_push(&s->devices, arg) < 0 ? berr_set(e, ENOMEM, "out of memory") : 0;
}

/* --network MODE, --network-alias NAME, -p SPEC, -P: shapes only; the engine resolves names. */
static int network_opt(int c, const char *arg, struct run_network *n, struct berr *e)
{
        struct net_port port;
        switch (c) {
        case OPT_NETWORK:
                if (!arg[0] || (strncmp(arg, "container:", 10) && !net_name_valid(arg)) ||
                    !strcmp(arg, "container:"))
                        return berr_set(e, EINVAL, "--network: invalid network \"%s\"", arg);
                n->mode = arg;
                return 0;
        case OPT_NETWORK_ALIAS:
                if (!hostname_valid(arg))
                        return berr_set(e, EINVAL, "--network-alias: invalid name \"%s\"", arg);
                return strv_push(&n->aliases, arg) < 0 ? berr_set(e, ENOMEM, "out of memory") : 0;
        case 'p':
                if (net_port_parse(arg, &port, e) < 0)
                        return e->code;
                return strv_push(&n->publish, arg) < 0 ? berr_set(e, ENOMEM, "out of memory") : 0;
        default: n->publish_all = true; return 0;
        }
}

static int one_opt(int c, const char *arg, char *const *host_env, struct run_options *o,
                   struct berr *e)
{
        switch (c) {
        case OPT_RM: o->rm = true; return 0;
        case 'd': o->detach = true; return 0;
        case OPT_CAP_ADD:
        case OPT_CAP_DROP: return cap_opt(c == OPT_CAP_ADD ? "--cap-add" : "--cap-drop",
                                          c == OPT_CAP_ADD ? &o->sec.cap_add : &o->sec.cap_drop, arg, e);
        case OPT_PRIVILEGED: o->sec.privileged = true; return 0;
        case OPT_SECURITY_OPT: return security_opt(arg, &o->sec, e);
        case OPT_READ_ONLY: o->sec.read_only = true; return 0;
        case OPT_DEVICE: return device_opt(arg, &o->sec, e);
        case OPT_USERNS: {
                struct userns_map m; /* checked now, so a bad value leaves nothing behind */
                int r = userns_parse_flag(arg, &m, e);
                if (r == 0)
                        o->sec.userns = arg;
                return r;
        }
        case 'v': return volume_flag_add(arg, &o->mounts, &o->n_mounts, e);
        case OPT_MOUNT: return mount_flag_add(arg, &o->mounts, &o->n_mounts, e);
        case OPT_TMPFS: return tmpfs_flag_add(arg, &o->mounts, &o->n_mounts, e);
        case OPT_NETWORK:
        case OPT_NETWORK_ALIAS:
        case 'p':
        case 'P': return network_opt(c, arg, &o->net, e);
        case 'i': o->interactive = true; return 0;
        case 't': o->tty = true; return 0;
        case OPT_NAME:
                if (!container_name_valid(arg))
                        return berr_set(e, EINVAL,
                                        "--name: invalid container name \"%s\": only "
                                        "[a-zA-Z0-9][a-zA-Z0-9_.-] are allowed",
                                        arg);
                o->name = arg;
                return 0;
        case 'h':
                if (!hostname_valid(arg))
                        return berr_set(e, EINVAL,
                                        "--hostname: invalid hostname \"%s\": use letters, digits, "
                                        "'-' and '.' (RFC 1123)",
                                        arg);
                o->hostname = arg;
                return 0;
        case 'e': return env_arg_add(&o->env, arg, host_env, "-e", e);
        case OPT_ENV_FILE: return read_env_file(arg, host_env, &o->env, e);
        case 'w':
                if (arg[0] != '/')
                        return berr_set(e, EINVAL,
                                        "--workdir: \"%s\" is not an absolute path", arg);
                o->workdir = arg;
                return 0;
        case 'u':
                if (!arg[0] || arg[0] == ':')
                        return berr_set(e, EINVAL, "--user: invalid user \"%s\"", arg);
                o->user = arg;
                return 0;
        case OPT_ENTRYPOINT: {
                strv_free(o->entrypoint);
                o->entrypoint = calloc(1, sizeof(char *));
                if (!o->entrypoint || (arg[0] && strv_push(&o->entrypoint, arg) < 0))
                        return berr_set(e, ENOMEM, "out of memory");
                return 0;
        }
        }
        return berr_set(e, EINVAL, "unknown flag");
}

int run_opts_parse(int argc, char **argv, char *const *host_env, struct run_options *o,
                   struct berr *e)
{
        memset(o, 0, sizeof(*o));
        spec_resources_init(&o->res);
        struct resource_opts ro;
        resource_opts_init(&ro, &o->res, &o->rlimits, &o->n_rlimits, &o->cgroup_parent);
        if (!(o->env = calloc(1, sizeof(char *))))
                return berr_set(e, ENOMEM, "out of memory");
        optind = 0; /* full re-initialisation: run_opts_parse may be called more than once */
        opterr = 0;
        int c, r;
        while ((c = cli_getopt(argc, argv, "+:dith:e:w:u:v:p:P" RESOURCE_SHORT_OPTS,
                               long_opts)) != -1) {
                /* Leading ':' in optstring: ':' = a flag without its value, '?' = unknown. */
                if (c == ':')
                        return berr_set(e, EINVAL, "run: flag %s needs a value", argv[optind - 1]);
                if (c == '?') {
                        const char *bad = argv[optind - 1];
                        if (strncmp(bad, "--", 2) == 0 && optopt) /* "--rm=yes" */
                                return berr_set(e, EINVAL, "run: flag %.*s takes no value",
                                                (int)strcspn(bad, "="), bad);
                        if (strncmp(bad, "--", 2) == 0 || !optopt)
                                return berr_set(e, EINVAL, "run: unknown flag: %s", bad);
                        return berr_set(e, EINVAL, "run: unknown flag: -%c", optopt);
                }
                if (resource_opt_known(c))
                        r = resource_opt(&ro, c, optarg, e);
                else
                        r = one_opt(c, optarg, host_env, o, e);
                if (r < 0)
                        return r;
        }
        if ((r = resource_opts_finish(&ro, e)) < 0)
                return r;
        if (optind >= argc)
                return berr_set(e, EINVAL, "run: requires an IMAGE: berth run [OPTIONS] IMAGE "
                                           "[COMMAND] [ARG...]");
        o->image = argv[optind++];
        if (optind < argc) {
                o->cmd = calloc(1, sizeof(char *));
                if (!o->cmd || strv_extend(&o->cmd, argv + optind) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
        }
        return 0;
}
