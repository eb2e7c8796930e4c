/* berth-runtime pause, resume, update, events: acting on a running container's cgroup. */
#include "cli/cli_getopt.h"
#include "cli/runtime/rt.h"

#include "core/cgroup.h"
#include "core/spec.h"
#include "core/state.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/units.h"

#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int freeze(const struct rt_globals *g, int argc, char **argv, bool frozen)
{
        struct berr e = {0};
        struct rt_state st;
        char dir[PATH_MAX];
        if (argc != 2) {
                berr_set(&e, EINVAL, "%s: requires exactly one container id", argv[0]);
                return rt_fail(g, &e);
        }
        if (rt_load_state(g, argv[1], dir, sizeof(dir), &st, &e) < 0)
                return rt_fail(g, &e);
        const char *status = state_status(dir, &st);
        struct cgroup cg = {0};
        int r;
        if (frozen && strcmp(status, "running"))
                r = berr_set(&e, EINVAL, "container %s is not running (it is %s)", argv[1], status);
        else if (!frozen && strcmp(status, "paused"))
                r = berr_set(&e, EINVAL, "container %s is not paused (it is %s)", argv[1], status);
        else if (!st.cgroup[0])
                r = berr_set(&e, EINVAL, "container %s has no cgroup to freeze", argv[1]);
        else if ((r = cgroup_deserialize(st.cgroup, &cg, &e)) == 0)
                r = cgroup_freeze(&cg, frozen, &e);
        cgroup_release(&cg);
        state_clear(&st);
        return r < 0 ? rt_fail(g, &e) : 0;
}

int rt_pause(const struct rt_globals *g, int argc, char **argv)
{
        return freeze(g, argc, argv, true);
}

int rt_resume(const struct rt_globals *g, int argc, char **argv)
{
        return freeze(g, argc, argv, false);
}

/* ---- update */

static int num_flag(const char *flag, const char *v, bool size, int64_t *out, struct berr *e)
{
        int r = size ? parse_size(v, out) : parse_int64(v, out);
        if (r < 0 && size && !strcmp(v, "-1")) {
                *out = -1;
                return 0;
        }
        return r < 0 ? berr_set(e, EINVAL, "update: --%s \"%s\" is not a %s", flag, v,
                                size ? "size" : "number")
                     : 0;
}

static int read_resources(const char *path, struct spec_resources *res, struct berr *e)
{
        json_error_t jerr;
        json_t *j = !strcmp(path, "-") ? json_loadf(stdin, 0, &jerr) : json_load_file(path, 0, &jerr);
        if (!j)
                return berr_set(e, EINVAL, "update: --resources %s: not valid JSON (line %d): %s",
                                path, jerr.line, jerr.text);
        int r = spec_resources_from_json(j, res, e);
        json_decref(j);
        return r < 0 ? berr_wrap(e, "update: --resources %s", path) : 0;
}

static int parse_update(int argc, char **argv, struct spec_resources *res, const char **id,
                        struct berr *e)
{
        static const struct option opts[] = {
                {"resources", required_argument, NULL, 'r'},
                {"memory", required_argument, NULL, 'm'},
                {"memory-swap", required_argument, NULL, 's'},
                {"memory-reservation", required_argument, NULL, 'R'},
                {"kernel-memory", required_argument, NULL, 'k'},
                {"kernel-memory-tcp", required_argument, NULL, 'K'},
                {"cpu-period", required_argument, NULL, 'p'},
                {"cpu-quota", required_argument, NULL, 'q'},
                {"cpu-shares", required_argument, NULL, 'S'},
                {"cpu-rt-period", required_argument, NULL, 'x'},
                {"cpu-rt-runtime", required_argument, NULL, 'y'},
                {"cpuset-cpus", required_argument, NULL, 'c'},
                {"cpuset-mems", required_argument, NULL, 'M'},
                {"pids-limit", required_argument, NULL, 'P'},
                {"blkio-weight", required_argument, NULL, 'b'},
                {NULL, 0, NULL, 0}};
        const char *file = NULL;
        bool flags = false;
        int c, r = 0;
        optind = 0;
        opterr = 0;
        while (r == 0 && (c = cli_getopt(argc, argv, "+:r:", opts)) != -1) {
                /* The flag's name from the table: with its value in the next argument,
                 * argv[optind - 1] is the value, not the flag. */
                const char *flag = "";
                for (size_t k = 0; c != ':' && c != '?' && opts[k].name; k++)
                        if (opts[k].val == c)
                                flag = opts[k].name;
                flags |= c != 'r';
                switch (c) {
                case 'r': file = optarg; break;
                case 'm': r = num_flag(flag, optarg, true, &res->mem_limit, e); break;
                case 's': r = num_flag(flag, optarg, true, &res->mem_swap, e); break;
                case 'R': r = num_flag(flag, optarg, true, &res->mem_reservation, e); break;
                case 'p': r = num_flag(flag, optarg, false, &res->cpu_period, e); break;
                case 'q': r = num_flag(flag, optarg, false, &res->cpu_quota, e); break;
                case 'S': r = num_flag(flag, optarg, false, &res->cpu_shares, e); break;
                case 'P': r = num_flag(flag, optarg, false, &res->pids_limit, e); break;
                case 'b': r = num_flag(flag, optarg, false, &res->blkio_weight, e); break;
                case 'c':
                        free(res->cpus);
                        res->cpus = strdup(optarg);
                        break;
                case 'M':
                        free(res->mems);
                        res->mems = strdup(optarg);
                        break;
                case 'k': case 'K': case 'x': case 'y':
                        r = berr_set(e, EOPNOTSUPP, "update: --%s is not supported by berth-runtime",
                                     flag);
                        break;
                case ':': r = berr_set(e, EINVAL, "update: flag %s needs a value", argv[optind - 1]); break;
                default: r = berr_set(e, EINVAL, "update: unknown flag %s", argv[optind - 1]); break;
                }
        }
        if (r < 0)
                return r;
        if (optind != argc - 1)
                return berr_set(e, EINVAL, "update: requires exactly one container id");
        *id = argv[optind];
        if (file && flags)
                return berr_set(e, EINVAL, "update: give either --resources or resource flags, not both");
        if (file)
                return read_resources(file, res, e);
        if (!flags)
                return berr_set(e, EINVAL, "update: nothing to update (give --resources or a resource flag)");
        return 0;
}

int rt_update(const struct rt_globals *g, int argc, char **argv)
{
        struct berr e = {0};
        struct spec_resources res;
        struct rt_state st = {0};
        struct spec *s = NULL;
        struct cgroup cg = {0};
        char dir[PATH_MAX];
        const char *id = NULL;
        _cleanup_free_ char *cfg = NULL, *text = NULL;
        spec_resources_init(&res);
        int r = parse_update(argc, argv, &res, &id, &e);
        if (r == 0)
                r = rt_load_state(g, id, dir, sizeof(dir), &st, &e);
        if (r < 0)
                goto out;
        if (!strcmp(state_status(dir, &st), "stopped")) {
                r = berr_set(&e, EINVAL, "container %s is not running", id);
                goto out;
        }
        if (!st.cgroup[0]) {
                r = berr_set(&e, EINVAL, "container %s has no cgroup to update", id);
                goto out;
        }
        if ((r = cgroup_deserialize(st.cgroup, &cg, &e)) < 0 ||
            (r = cgroup_update(&cg, &res, &e)) < 0)
                goto out;
        /* The new limits become the container's: config.json in the state directory. */
        if (!(cfg = path_join(dir, "config.json"))) {
                r = berr_set(&e, ENOMEM, "out of memory");
                goto out;
        }
        if ((r = rt_load_bundle(dir, NULL, &s, &e)) < 0)
                goto out;
        if (spec_resources_merge(&s->resources, &res) < 0) {
                r = berr_set(&e, ENOMEM, "out of memory");
                goto out;
        }
        if ((r = spec_to_json(s, &text, &e)) == 0)
                r = write_file_atomic(cfg, text, strlen(text), 0600, &e);
out:
        cgroup_release(&cg);
        spec_free(s);
        spec_resources_clear(&res);
        state_clear(&st);
        return r < 0 ? rt_fail(g, &e) : 0;
}

/* ---- events */

/* "5s", "500ms", "1m", "2" (seconds) -> milliseconds. */
static int parse_interval(const char *v, long long *ms)
{
        char *end;
        double n = strtod(v, &end);
        if (end == v || n <= 0)
                return -EINVAL;
        double mult = !strcmp(end, "ms")                     ? 1
                      : !strcmp(end, "s") || !*end           ? 1000
                      : !strcmp(end, "m")                    ? 60000
                      : !strcmp(end, "h")                    ? 3600000
                                                             : -1;
        if (mult < 0)
                return -EINVAL;
        *ms = (long long)(n * mult);
        return *ms > 0 ? 0 : -EINVAL;
}

static json_t *stats_json(const char *id, const struct cgroup_stats *s)
{
        return json_pack("{s:s,s:s,s:{s:{s:{s:I}},s:{s:{s:I,s:I}},s:{s:I},s:{s:[{s:s,s:I},{s:s,s:I}]}}}",
                         "type", "stats", "id", id, "data", "cpu", "usage", "total",
                         (json_int_t)s->cpu_usage_ns, "memory", "usage", "usage",
                         (json_int_t)s->mem_usage, "limit", (json_int_t)s->mem_limit, "pids",
                         "current", (json_int_t)s->pids, "blkio", "ioServiceBytesRecursive", "op",
                         "Read", "value", (json_int_t)s->blk_read, "op", "Write", "value",
                         (json_int_t)s->blk_write);
}

static void emit(json_t *o)
{
        char *text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        if (text) {
                puts(text);
                fflush(stdout);
        }
        free(text);
        json_decref(o);
}

int rt_events(const struct rt_globals *g, int argc, char **argv)
{
        struct berr e = {0};
        bool once = false;
        long long interval = 5000;
        const char *id = NULL;
        for (int i = 1; i < argc; i++) {
                const char *v = NULL;
                if (!strcmp(argv[i], "--stats"))
                        once = true;
                else if (!strncmp(argv[i], "--interval=", 11))
                        v = argv[i] + 11;
                else if (!strcmp(argv[i], "--interval") && i + 1 < argc)
                        v = argv[++i];
                else if (argv[i][0] == '-') {
                        berr_set(&e, EINVAL, "events: unknown flag %s", argv[i]);
                        return rt_fail(g, &e);
                } else if (!id)
                        id = argv[i];
                else {
                        berr_set(&e, EINVAL, "events: requires exactly one container id");
                        return rt_fail(g, &e);
                }
                if (v && parse_interval(v, &interval) < 0) {
                        berr_set(&e, EINVAL, "events: --interval \"%s\" is not a duration (5s, 500ms)", v);
                        return rt_fail(g, &e);
                }
        }
        if (!id) {
                berr_set(&e, EINVAL, "events: requires a container id");
                return rt_fail(g, &e);
        }
        struct rt_state st;
        char dir[PATH_MAX];
        if (rt_load_state(g, id, dir, sizeof(dir), &st, &e) < 0)
                return rt_fail(g, &e);
        struct cgroup cg = {0};
        int r = 0;
        if (!strcmp(state_status(dir, &st), "stopped"))
                r = berr_set(&e, EINVAL, "container %s is not running", id);
        else if (!st.cgroup[0])
                r = berr_set(&e, EINVAL, "container %s has no cgroup", id);
        else
                r = cgroup_deserialize(st.cgroup, &cg, &e);
        bool oom = r == 0 && cgroup_oom_killed(&cg);
        while (r == 0) {
                struct cgroup_stats s = {0};
                if ((r = cgroup_stats(&cg, &s, &e)) < 0)
                        break;
                emit(stats_json(id, &s));
                if (once)
                        break;
                for (long long waited = 0; waited < interval; waited += 200) {
                        long long step = interval - waited < 200 ? interval - waited : 200;
                        poll(NULL, 0, (int)step);
                        if (!oom && cgroup_oom_killed(&cg)) {
                                oom = true;
                                emit(json_pack("{s:s,s:s}", "type", "oom", "id", id));
                        }
                        if (!strcmp(state_status(dir, &st), "stopped"))
                                goto done;
                }
        }
done:
        cgroup_release(&cg);
        state_clear(&st);
        return r < 0 ? rt_fail(g, &e) : 0;
}
