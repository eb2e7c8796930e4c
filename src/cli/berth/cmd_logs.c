/* berth logs: a detached container's container.log (docker's json-file format), stdout lines
 * to stdout and stderr lines to stderr, exactly as written. -f follows the file until the
 * container is no longer running and the file is drained.
 *
 * A container run in the foreground has no container.log (its output went to the terminal of
 * `berth run`): docker would still print it, berth prints nothing. */
#include "cli/berth/cli.h"
#include "cli/cli_getopt.h"
#include "cli/log_opts.h"
#include "engine/container/containers.h"
#include "engine/container/control.h"
#include "engine/container/logfile.h"
#include "engine/context.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/timefmt.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct logs_opts {
        bool follow, timestamps;
        long tail;
        struct timespec since, until;
        bool has_since, has_until;
};

/* A growing buffer of what was read but not yet split into lines. */
struct linebuf {
        char *data;
        size_t len, cap;
};

static int read_more(int fd, struct linebuf *b)
{
        size_t got = 0;
        for (;;) {
                if (b->cap - b->len < 65536) {
                        size_t nc = b->cap ? b->cap * 2 : 131072;
                        char *t = realloc(b->data, nc);
                        if (!t)
                                return -ENOMEM;
                        b->data = t;
                        b->cap = nc;
                }
                ssize_t n = read(fd, b->data + b->len, b->cap - b->len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        return (int)(got > 0);
                b->len += (size_t)n;
                got += (size_t)n;
        }
}

static void print_entry(const struct log_entry *le, const struct logs_opts *o)
{
        FILE *f = strcmp(le->stream, "stderr") ? stdout : stderr;
        if (o->timestamps)
                fprintf(f, "%s ", le->time);
        fwrite(le->text, 1, le->len, f);
}

/* Prints the complete lines of b (all but tail-limited ones when tail >= 0) and keeps a
 * partial last line for later. */
static void emit(struct linebuf *b, const struct logs_opts *o, long tail)
{
        size_t nlines = 0;
        for (size_t i = 0; i < b->len; i++)
                nlines += b->data[i] == '\n';
        size_t first = log_tail_start(nlines, tail), idx = 0, start = 0;
        for (size_t i = 0; i < b->len; i++) {
                if (b->data[i] != '\n')
                        continue;
                struct log_entry le;
                if (idx++ >= first && logfile_parse_line(b->data + start, i - start, &le) == 0) {
                        if (log_time_selected(le.time, o->has_since ? &o->since : NULL,
                                              o->has_until ? &o->until : NULL))
                                print_entry(&le, o);
                        log_entry_clear(&le);
                }
                start = i + 1;
        }
        if (start > 0) {
                memmove(b->data, b->data + start, b->len - start);
                b->len -= start;
        }
        fflush(stdout);
        fflush(stderr);
}

/* The container no longer runs (or no longer exists). */
static bool ended(const struct berth_ctx *ctx, const char *id)
{
        char got[65];
        struct record rec;
        struct berr ignore;
        if (container_get(ctx->root, id, got, &rec, &ignore) < 0)
                return true;
        bool done = rec.status == REC_EXITED;
        record_clear(&rec);
        return done;
}

static int show_logs(const struct berth_ctx *ctx, const char *ref, const struct logs_opts *o,
                     struct berr *e)
{
        char id[65];
        struct record rec;
        int r = container_get(ctx->root, ref, id, &rec, e);
        if (r < 0)
                return r;
        record_clear(&rec);
        _cleanup_free_ char *cdir = container_dir(ctx->root, id);
        _cleanup_free_ char *path = cdir ? path_join(cdir, "container.log") : NULL;
        if (!path)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 && errno != ENOENT)
                return berr_sys(e, errno, "reading the logs of container %s", ref);
        struct linebuf b = {0};
        if (fd >= 0 && read_more(fd, &b) < 0) {
                free(b.data);
                return berr_set(e, ENOMEM, "out of memory reading the logs of %s", ref);
        }
        emit(&b, o, o->tail);
        while (o->follow) {
                if (fd < 0)
                        fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd >= 0 && read_more(fd, &b) > 0) {
                        emit(&b, o, -1);
                        continue;
                }
                if (ended(ctx, id)) {
                        /* The owner wrote its last line before recording the exit. */
                        if (fd >= 0 && read_more(fd, &b) > 0)
                                emit(&b, o, -1);
                        break;
                }
                struct timespec ts = {0, 100 * 1000 * 1000};
                nanosleep(&ts, NULL);
        }
        free(b.data);
        return 0;
}

int cmd_logs(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"follow", no_argument, NULL, 'f'},
                                             {"timestamps", no_argument, NULL, 't'},
                                             {"tail", required_argument, NULL, 'n'},
                                             {"since", required_argument, NULL, 'S'},
                                             {"until", required_argument, NULL, 'U'},
                                             {"details", no_argument, NULL, 'D'},
                                             {NULL, 0, NULL, 0}};
        struct logs_opts o = {.tail = -1};
        struct berr e = {0};
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        int c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+ftn:", opts)) != -1) {
                switch (c) {
                case 'f': o.follow = true; break;
                case 't': o.timestamps = true; break;
                case 'D': break;
                case 'n':
                        if (log_tail_parse(optarg, &o.tail) < 0) {
                                berr_set(&e, EINVAL, "logs: --tail: not a number or \"all\": %s", optarg);
                                return cli_fail(&e);
                        }
                        break;
                case 'S':
                case 'U':
                        if (since_parse(optarg, &now, c == 'S' ? &o.since : &o.until) < 0) {
                                berr_set(&e, EINVAL,
                                         "logs: --%s: \"%s\" is neither a time (RFC 3339 or Unix) "
                                         "nor a duration such as 10m",
                                         c == 'S' ? "since" : "until", optarg);
                                return cli_fail(&e);
                        }
                        *(c == 'S' ? &o.has_since : &o.has_until) = true;
                        break;
                default:
                        berr_set(&e, EINVAL, "logs: unknown flag or missing value: %s",
                                 argv[optind - 1]);
                        return cli_fail(&e);
                }
        }
        if (argc - optind != 1) {
                berr_set(&e, EINVAL, "logs: requires exactly one container");
                return cli_fail(&e);
        }
        if (show_logs(ctx, argv[optind], &o, &e) < 0)
                return cli_fail(&e);
        return 0;
}
