/* berth-runtime: the OCI runtime's command line (runc's). For now: `run`; the full set is
 * the OCI-runtime issue's. Same core as `berth run`: a bundle's config.json becomes a spec. */
#include "core/container.h"
#include "core/spec.h"
#include "engine/monitor.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RUNTIME_VERSION "0.1.0"

struct globals {
        const char *root, *log, *log_format;
};

/* One line on stderr, and in --log in the caller's format (containerd reads JSON lines). */
static int fail(const struct globals *g, const struct berr *e)
{
        fprintf(stderr, "berth-runtime: %s\n", e->msg);
        if (g->log) {
                FILE *f = fopen(g->log, "ae");
                if (f) {
                        char ts[40];
                        time_t now = time(NULL);
                        strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
                        if (g->log_format && !strcmp(g->log_format, "json")) {
                                fputs("{\"level\":\"error\",\"msg\":\"", f);
                                for (const char *p = e->msg; *p; p++)
                                        if (*p == '"' || *p == '\\')
                                                fprintf(f, "\\%c", *p);
                                        else if ((unsigned char)*p < 0x20)
                                                fprintf(f, "\\u%04x", *p);
                                        else
                                                fputc(*p, f);
                                fprintf(f, "\",\"time\":\"%s\"}\n", ts);
                        } else {
                                fprintf(f, "%s error: %s\n", ts, e->msg);
                        }
                        fclose(f);
                }
        }
        return e->kind == BERR_NOT_FOUND ? 127 : e->kind == BERR_CANNOT_INVOKE ? 126 : 1;
}

static int load_bundle(const char *bundle, struct spec **spec, struct berr *e)
{
        _cleanup_free_ char *path = path_join(bundle, "config.json"), *text = NULL;
        size_t len;
        if (!path)
                return berr_set(e, ENOMEM, "out of memory");
        int r = read_file(path, &text, &len, e);
        if (r < 0)
                return r;
        if ((r = spec_from_json(text, len, spec, e)) < 0)
                return berr_wrap(e, "%s", path);
        return 0;
}

static int run_bundle(const char *id, const char *bundle, struct berr *e, int *status)
{
        struct spec *spec = NULL;
        char abs[PATH_MAX];
        if (!realpath(bundle, abs))
                return berr_sys(e, errno, "--bundle %s", bundle);
        int r = load_bundle(abs, &spec, e);
        if (r < 0)
                return r;
        struct monitor mon;
        if ((r = monitor_open(&mon, e)) < 0) {
                spec_free(spec);
                return r;
        }
        struct core_create_opts co = {.id = id, .bundle_dir = abs, .stdin_fd = 0,
                                      .stdout_fd = 1, .stderr_fd = 2, .die_with_parent = true};
        struct core_container c;
        if ((r = core_create(spec, &co, &c, e)) == 0) {
                int console = c.console_master;
                c.console_master = -1;
                if (console >= 0)
                        monitor_copy_winsize(console);
                if ((r = core_start(&c, e)) == 0)
                        r = monitor_run(&mon, c.pid, console, true, status, e);
                if (console >= 0)
                        close(console);
                struct berr ignore;
                if (c.pid > 0)
                        core_cleanup(&c, NULL, &ignore);
        }
        monitor_close(&mon);
        spec_free(spec);
        return r;
}

static int cmd_run(const struct globals *g, int argc, char **argv)
{
        static const struct option opts[] = {{"bundle", required_argument, NULL, 'b'},
                                             {"detach", no_argument, NULL, 'd'},
                                             {NULL, 0, NULL, 0}};
        const char *bundle = ".";
        struct berr e = {0};
        int c;
        optind = 0;
        opterr = 0;
        while ((c = getopt_long(argc, argv, "+:b:d", opts, NULL)) != -1) {
                if (c == 'b') {
                        bundle = optarg;
                } else if (c == 'd') {
                        berr_set(&e, EOPNOTSUPP, "run: --detach is not supported yet");
                        return fail(g, &e);
                } else {
                        berr_set(&e, EINVAL, "run: bad flag %s", argv[optind - 1]);
                        return fail(g, &e);
                }
        }
        if (optind != argc - 1) {
                berr_set(&e, EINVAL, "run: requires exactly one container ID");
                return fail(g, &e);
        }
        const char *id = argv[optind];
        if (!id[0] || strchr(id, '/') || !strcmp(id, ".") || !strcmp(id, "..")) {
                berr_set(&e, EINVAL, "run: invalid container ID \"%s\"", id);
                return fail(g, &e);
        }
        _cleanup_free_ char *state = path_join(g->root, id);
        if (!state || mkdir_p(g->root, 0700, &e) < 0)
                return fail(g, &e);
        if (mkdir(state, 0700) < 0) {
                if (errno == EEXIST)
                        berr_set(&e, EEXIST, "container with id \"%s\" already exists", id);
                else
                        berr_sys(&e, errno, "creating state %s", state);
                return fail(g, &e);
        }
        int status = 0;
        int r = run_bundle(id, bundle, &e, &status);
        rmdir(state);
        return r < 0 ? fail(g, &e) : status;
}

int main(int argc, char **argv)
{
        struct globals g = {.root = "/run/berth-runtime"};
        struct berr e = {0};
        int i = 1;
        for (; i < argc && argv[i][0] == '-'; i++) {
                const char *a = argv[i];
                const char *v = i + 1 < argc ? argv[i + 1] : NULL;
                if (!strcmp(a, "--root") && v) {
                        g.root = v;
                        i++;
                } else if (!strcmp(a, "--log") && v) {
                        g.log = v;
                        i++;
                } else if (!strcmp(a, "--log-format") && v) {
                        g.log_format = v;
                        i++;
                } else if (!strcmp(a, "--debug") || !strcmp(a, "--systemd-cgroup")) {
                        /* accepted */
                } else if (!strcmp(a, "--version") || !strcmp(a, "-v")) {
                        printf("berth-runtime version %s\nspec: 1.2.0\n", RUNTIME_VERSION);
                        return 0;
                } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
                        puts("Usage: berth-runtime [--root DIR] [--log F] [--log-format text|json] "
                             "run [--bundle DIR] ID");
                        return 0;
                } else {
                        berr_set(&e, EINVAL, "unknown global flag %s", a);
                        return fail(&g, &e);
                }
        }
        if (i < argc && !strcmp(argv[i], "run"))
                return cmd_run(&g, argc - i, argv + i);
        berr_set(&e, EINVAL, "unknown or missing command%s%s", i < argc ? ": " : "",
                 i < argc ? argv[i] : "");
        return fail(&g, &e);
}
