/* berth stats [--no-stream] [--no-trunc] [CONTAINER...]: docker's table of CPU %, memory, net,
 * block I/O and pids, from two readings of each container's cgroup. */
#include "cli/berth/cli.h"
#include "cli/cli_getopt.h"
#include "engine/container/stats.h"
#include "engine/context.h"
#include "util/err.h"
#include "util/humanize.h"
#include "util/strv.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NCOLS 8
#define FIRST_INTERVAL_MS 500 /* the first frame needs two readings */
#define INTERVAL_MS 1000

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
        (void)sig;
        interrupted = 1;
}

static void sleep_ms(long ms)
{
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
        while (!interrupted && nanosleep(&ts, &ts) < 0)
                ;
}

struct frame {
        size_t n;
        struct stats_sample *s;
};

/* The previous reading of id, or NULL. */
static const struct stats_sample *find(const struct frame *f, const char *id)
{
        for (size_t i = 0; i < f->n; i++)
                if (!strcmp(f->s[i].id, id))
                        return &f->s[i];
        return NULL;
}

/* Reads every id; containers that disappeared are left out. */
static int read_frame(const struct berth_ctx *ctx, char **ids, struct frame *f, struct berr *e)
{
        size_t n = strv_len(ids);
        f->n = 0;
        f->s = calloc(n ? n : 1, sizeof(*f->s));
        if (!f->s)
                return berr_set(e, ENOMEM, "out of memory");
        for (size_t i = 0; i < n; i++) {
                struct berr ignore;
                if (stats_sample(ctx->root, ids[i], &f->s[f->n], &ignore) == 0)
                        f->n++;
        }
        return 0;
}

static void print_frame(const struct frame *prev, const struct frame *cur, bool trunc, bool tty)
{
        static const char *const header[NCOLS] = {"CONTAINER ID",      "NAME",  "CPU %",
                                                  "MEM USAGE / LIMIT", "MEM %", "NET I/O",
                                                  "BLOCK I/O",         "PIDS"};
        size_t rows = cur->n + 1;
        char(*text)[NCOLS][80] = calloc(rows, sizeof(*text));
        const char **cells = calloc(rows * NCOLS, sizeof(char *));
        long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
        if (!text || !cells) {
                free(text);
                free(cells);
                return;
        }
        for (size_t c = 0; c < NCOLS; c++)
                cells[c] = header[c];
        for (size_t i = 0; i < cur->n; i++) {
                const struct stats_sample *s = &cur->s[i], *p = find(prev, s->id);
                char(*t)[80] = text[i + 1], a[32], b[32];
                const char **row = cells + (i + 1) * NCOLS;
                snprintf(t[0], 80, "%.*s", trunc ? 12 : 64, s->id);
                snprintf(t[1], 80, "%s", s->name);
                format_percent(p ? stats_cpu_percent(p, s, ncpus) : 0.0, t[2], 80);
                snprintf(t[3], 80, "%s / %s", format_bytes_binary(s->cg.mem_usage, a, sizeof(a)),
                         format_bytes_binary(s->cg.mem_limit, b, sizeof(b)));
                format_percent(stats_mem_percent(s), t[4], 80);
                snprintf(t[5], 80, "%s / %s", format_bytes_decimal(s->net_rx, 3, a, sizeof(a)),
                         format_bytes_decimal(s->net_tx, 3, b, sizeof(b)));
                snprintf(t[6], 80, "%s / %s", format_bytes_decimal(s->cg.blk_read, 3, a, sizeof(a)),
                         format_bytes_decimal(s->cg.blk_write, 3, b, sizeof(b)));
                snprintf(t[7], 80, "%llu", (unsigned long long)s->cg.pids);
                for (size_t c = 0; c < NCOLS; c++)
                        row[c] = t[c];
        }
        size_t need = format_table(cells, rows, NCOLS, 10, 3, NULL, 0);
        char *out = malloc(need + 1);
        if (out) {
                format_table(cells, rows, NCOLS, 10, 3, out, need + 1);
                if (tty)
                        fputs("\033[2J\033[H", stdout);
                fputs(out, stdout);
                fflush(stdout);
        }
        free(out);
        free(text);
        free(cells);
}

static void usage(FILE *f)
{
        fputs("Usage: berth stats [OPTIONS] [CONTAINER...]\n\n"
              "Display a live stream of container(s) resource usage statistics\n\n"
              "Options:\n"
              "      --no-stream   Disable streaming stats and only pull the first result\n"
              "      --no-trunc    Do not truncate output\n",
              f);
}

int cmd_stats(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"no-stream", no_argument, NULL, 's'},
                                             {"no-trunc", no_argument, NULL, 't'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
        bool stream = true, trunc = true;
        struct berr e = {0};
        int c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+h", opts)) != -1) {
                if (c == 's')
                        stream = false;
                else if (c == 't')
                        trunc = false;
                else if (c == 'h') {
                        usage(stdout);
                        return 0;
                } else {
                        berr_set(&e, EINVAL, "stats: unknown flag: %s", argv[optind - 1]);
                        return cli_fail(&e);
                }
        }
        char *const *refs = optind < argc ? argv + optind : NULL;
        char **ids = NULL;
        if (stats_targets(ctx->root, refs, &ids, &e) < 0)
                return cli_fail(&e);

        struct sigaction sa = {.sa_handler = on_signal};
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        bool tty = isatty(STDOUT_FILENO);
        struct frame prev = {0}, cur = {0};
        int ret = 0;
        if (read_frame(ctx, ids, &prev, &e) < 0) {
                ret = cli_fail(&e);
                goto out;
        }
        sleep_ms(FIRST_INTERVAL_MS);
        while (!interrupted) {
                if (stream && !refs) { /* containers come and go */
                        char **now = NULL;
                        if (stats_targets(ctx->root, NULL, &now, &e) == 0) {
                                strv_free(ids);
                                ids = now;
                        }
                }
                if (read_frame(ctx, ids, &cur, &e) < 0) {
                        ret = cli_fail(&e);
                        break;
                }
                print_frame(&prev, &cur, trunc, tty && stream);
                free(prev.s);
                prev = cur;
                cur = (struct frame){0};
                if (!stream)
                        break;
                sleep_ms(INTERVAL_MS);
        }
out:
        free(prev.s);
        free(cur.s);
        strv_free(ids);
        return ret;
}
