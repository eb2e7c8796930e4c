#include "engine/store/record.h"

#include "engine/container/live_index.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"
#include "util/timefmt.h"

#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>
#include <time.h>

static const char *const status_names[] = {"created", "running", "exited"};

const char *record_status_name(enum record_status s)
{
        return s <= REC_EXITED ? status_names[s] : "unknown";
}

void rfc3339_now(char out[40])
{
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        rfc3339_format(&ts, out);
}

/* The record as JSON; summary: only what ps, its filters and its formats need (record.h). */
static json_t *record_json(const struct record *r, bool summary)
{
        json_t *cmd = json_array();
        for (size_t i = 0; r->command && r->command[i]; i++)
                json_array_append_new(cmd, json_string(r->command[i]));
        json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:s,s:s,s:i,s:I,s:i,s:b,s:b}", "id",
                              r->id, "name", r->name, "image", r->image, "image_id", r->image_id,
                              "command", cmd, "created", r->created, "started_at", r->started_at,
                              "finished_at", r->finished_at, "status",
                              record_status_name(r->status), "pid", (int)r->pid, "pid_start",
                              (json_int_t)r->pid_start, "exit_code", r->exit_code, "oom_killed",
                              r->oom_killed, "auto_remove", r->auto_remove);
        if (o && r->cgroup[0] && !summary)
                json_object_set_new(o, "cgroup", json_string(r->cgroup));
        if (o) {
                json_object_set_new(o, "paused", json_boolean(r->paused));
                json_object_set_new(o, "detached", json_boolean(r->detached));
                json_object_set_new(o, "stop_signal", json_string(r->stop_signal));
        }
        return o;
}

static char *record_text(const struct record *r, bool summary)
{
        json_t *o = record_json(r, summary);
        char *text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(o);
        return text;
}

/* The container's directory is <root>/containers/<id>: only there is a record in the live
 * index (a record written elsewhere, a unit test's, has none). */
static bool in_store(const char *dir, const char *id)
{
        const char *base = strrchr(dir, '/');
        return base && !strcmp(base + 1, id);
}

int record_write(const char *dir, const struct record *r, struct berr *e)
{
        _cleanup_free_ char *text = record_text(r, false), *sum = record_text(r, true);
        _cleanup_free_ char *path = path_join(dir, "record.json");
        if (!text || !sum || !path)
                return berr_set(e, ENOMEM, "out of memory writing the record of %s", r->id);
        bool live = r->status != REC_EXITED, indexed = in_store(dir, r->id);
        int ret;
        /* Entry first, record after: a live record always has its entry (live_index.h). */
        if (indexed && live && (ret = live_index_add(dir, r->id, e)) < 0)
                return ret;
        ret = write_file_atomic_xattr(path, text, strlen(text), 0600, RECORD_SUMMARY_XATTR, sum,
                                      strlen(sum), e);
        if (ret == 0 && indexed && !live)
                live_index_remove(dir, r->id);
        return ret;
}

static void copy_str(json_t *o, const char *key, char *out, size_t len)
{
        const char *v = json_string_value(json_object_get(o, key));
        snprintf(out, len, "%s", v ? v : "");
}

/* A record's or a summary's text into r (what a summary lacks stays empty). */
static int record_parse(const char *text, size_t len, const char *what, struct record *r,
                        struct berr *e)
{
        json_error_t jerr;
        json_t *o = json_loadb(text, len, 0, &jerr);
        if (!o || !json_is_object(o)) {
                json_decref(o);
                return berr_set(e, EINVAL, "%s: corrupt record: %s", what, jerr.text);
        }
        copy_str(o, "id", r->id, sizeof(r->id));
        copy_str(o, "name", r->name, sizeof(r->name));
        copy_str(o, "image", r->image, sizeof(r->image));
        copy_str(o, "image_id", r->image_id, sizeof(r->image_id));
        copy_str(o, "created", r->created, sizeof(r->created));
        copy_str(o, "started_at", r->started_at, sizeof(r->started_at));
        copy_str(o, "finished_at", r->finished_at, sizeof(r->finished_at));
        copy_str(o, "cgroup", r->cgroup, sizeof(r->cgroup));
        copy_str(o, "stop_signal", r->stop_signal, sizeof(r->stop_signal));
        r->paused = json_is_true(json_object_get(o, "paused"));
        r->detached = json_is_true(json_object_get(o, "detached"));
        const char *st = json_string_value(json_object_get(o, "status"));
        r->status = REC_CREATED;
        for (int i = 0; st && i <= REC_EXITED; i++)
                if (!strcmp(st, status_names[i]))
                        r->status = (enum record_status)i;
        r->pid = (pid_t)json_integer_value(json_object_get(o, "pid"));
        r->pid_start = (uint64_t)json_integer_value(json_object_get(o, "pid_start"));
        r->exit_code = (int)json_integer_value(json_object_get(o, "exit_code"));
        r->oom_killed = json_is_true(json_object_get(o, "oom_killed"));
        r->auto_remove = json_is_true(json_object_get(o, "auto_remove"));
        r->command = calloc(1, sizeof(char *));
        size_t i;
        json_t *it;
        json_array_foreach (json_object_get(o, "command"), i, it)
                if (json_is_string(it))
                        strv_push(&r->command, json_string_value(it));
        json_decref(o);
        return 0;
}

int record_read(const char *dir, struct record *r, struct berr *e)
{
        _cleanup_free_ char *path = path_join(dir, "record.json"), *text = NULL;
        memset(r, 0, sizeof(*r));
        if (!path)
                return berr_set(e, ENOMEM, "out of memory");
        size_t len = 0;
        int ret = read_file(path, &text, &len, e);
        if (ret < 0)
                return ret;
        return record_parse(text, len, path, r, e);
}

int record_parse_text(const char *text, size_t len, struct record *r, struct berr *e)
{
        memset(r, 0, sizeof(*r));
        return record_parse(text, len, "record", r, e);
}

/* The record itself, for a summary that is missing; one that should be there (repair: the
 * record was written before summaries, or copied without its xattrs) is set on the very inode
 * read, so a record renamed over it meanwhile keeps its own. */
static int summary_repair(const char *path, bool repair, struct record *r, struct berr *e)
{
        _cleanup_free_ char *text = NULL, *sum = NULL;
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        memset(r, 0, sizeof(*r));
        if (fd < 0)
                return errno == ENOENT ? -ENOENT : berr_sys(e, errno, "reading %s", path);
        size_t len = 0;
        int ret = read_fd(fd, path, &text, &len, e);
        if (ret < 0 || (ret = record_parse(text, len, path, r, e)) < 0)
                return ret;
        if (repair && (sum = record_text(r, true)))
                fsetxattr(fd, RECORD_SUMMARY_XATTR, sum, strlen(sum), 0);
        return 0;
}

int record_read_summary(const char *dir, struct record *r, struct berr *e)
{
        char path[PATH_MAX], buf[4096];
        if (snprintf(path, sizeof(path), "%s/record.json", dir) >= (int)sizeof(path))
                return berr_set(e, ENAMETOOLONG, "path too long: %s", dir);
        ssize_t n = getxattr(path, RECORD_SUMMARY_XATTR, buf, sizeof(buf));
        if (n < 0 && errno == ENOENT)
                return -ENOENT;
        if (n <= 0) /* none (a store from before, no xattrs here) or too big: the record */
                return summary_repair(path, errno == ENODATA, r, e);
        memset(r, 0, sizeof(*r));
        return record_parse(buf, (size_t)n, path, r, e);
}

void record_clear(struct record *r)
{
        strv_free(r->command);
        r->command = NULL;
}
