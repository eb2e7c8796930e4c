/* berth-runtime: the OCI runtime's command line, runc's. Global flags, then a command. */
#include "cli/runtime/rt.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUNTIME_VERSION "0.2.0"

static const struct {
        const char *name;
        rt_cmd_fn fn;
} commands[] = {
        {"create", rt_create}, {"start", rt_start},   {"state", rt_state},
        {"kill", rt_kill},     {"delete", rt_delete}, {"run", rt_run},
        {"exec", rt_exec},     {"ps", rt_ps},         {"list", rt_list},
        {"features", rt_features}, {"spec", rt_spec}, {"pause", rt_pause},
        {"resume", rt_resume}, {"update", rt_update}, {"events", rt_events},
};

static const char usage[] =
        "Usage: berth-runtime [--root DIR] [--log FILE] [--log-format text|json]\n"
        "                     [--cgroup-manager cgroupfs] COMMAND [ARGS]\n"
        "\nAn OCI runtime (runc's command line).\n\nCommands:\n"
        "  create [--bundle DIR] [--config F] [--pid-file F] [--console-socket S] [--preserve-fds N] ID\n"
        "  start ID | state ID | kill [--all] ID [SIGNAL] | delete [--force] ID\n"
        "  run [--bundle DIR] [--config F] [--detach] [--pid-file F] [--console-socket S] ID\n"
        "  exec [--process F | ARGS...] [-t] [-d] [--pid-file F] [--cwd D] [--env K=V] [--user U[:G]]\n"
        "       [--cap CAP] [--console-socket S] [--preserve-fds N] [--no-new-privs] ID\n"
        "  ps [--format table|json] ID | list [--format table|json] [-q]\n"
        "  pause ID | resume ID | update [--resources F | --memory N ...] ID\n"
        "  events [--stats] [--interval D] ID | features | spec [--rootless] [--bundle DIR]\n";

/* A global flag with a value: "--root DIR" or "--root=DIR". */
static const char *value_of(int argc, char **argv, int *i, const char *name)
{
        size_t n = strlen(name);
        if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=')
                return argv[*i] + n + 1;
        if (!strcmp(argv[*i], name) && *i + 1 < argc)
                return argv[++*i];
        return NULL;
}

int main(int argc, char **argv)
{
        struct rt_globals g = {.root = "/run/berth-runtime"};
        struct berr e = {0};
        int i = 1;
        for (; i < argc && argv[i][0] == '-'; i++) {
                const char *v;
                if ((v = value_of(argc, argv, &i, "--root")))
                        g.root = v;
                else if ((v = value_of(argc, argv, &i, "--log")))
                        g.log = v;
                else if ((v = value_of(argc, argv, &i, "--log-format")))
                        g.log_format = v;
                else if ((v = value_of(argc, argv, &i, "--criu")) ||
                         (v = value_of(argc, argv, &i, "--rootless")))
                        ; /* accepted and ignored, as crun does */
                else if (!strcmp(argv[i], "--debug"))
                        g.debug = true;
                else if (!strcmp(argv[i], "--systemd-cgroup"))
                        g.systemd_cgroup_flag = "--systemd-cgroup";
                else if ((v = value_of(argc, argv, &i, "--cgroup-manager"))) {
                        /* crun's spelling of the choice runc makes with --systemd-cgroup */
                        if (!strcmp(v, "systemd"))
                                g.systemd_cgroup_flag = "--cgroup-manager systemd";
                        else if (strcmp(v, "cgroupfs")) {
                                berr_set(&e, EINVAL, "--cgroup-manager: \"%s\" is not supported "
                                                     "(berth-runtime manages cgroups through cgroupfs)", v);
                                return rt_fail(&g, &e);
                        }
                }
                else if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-v")) {
                        printf("berth-runtime version %s\nspec: 1.2.0\n", RUNTIME_VERSION);
                        return 0;
                } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
                        fputs(usage, stdout);
                        return 0;
                } else {
                        berr_set(&e, EINVAL, "unknown global flag %s", argv[i]);
                        return rt_fail(&g, &e);
                }
        }
        if (g.log_format && strcmp(g.log_format, "json") && strcmp(g.log_format, "text")) {
                berr_set(&e, EINVAL, "--log-format: \"%s\" is not text or json", g.log_format);
                return rt_fail(&g, &e);
        }
        if (g.systemd_cgroup_flag) {
                berr_set(&e, EOPNOTSUPP, "%s: berth-runtime manages cgroups through cgroupfs only; "
                                         "use the cgroupfs manager", g.systemd_cgroup_flag);
                return rt_fail(&g, &e);
        }
        if (i >= argc) {
                fputs(usage, stderr);
                return 1;
        }
        for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
                if (!strcmp(argv[i], commands[k].name))
                        return commands[k].fn(&g, argc - i, argv + i);
        berr_set(&e, EINVAL, "unknown command \"%s\"", argv[i]);
        return rt_fail(&g, &e);
}
