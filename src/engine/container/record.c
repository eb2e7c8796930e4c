#include "engine/container/record.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"
#include "util/timefmt.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
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

int record_write(const char *dir, const struct record *r, struct berr *e)
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
        if (o && r->cgroup[0])
                json_object_set_new(o, "cgroup", json_string(r->cgroup));
        if (o) {
                json_object_set_new(o, "paused", json_boolean(r->paused));
                json_object_set_new(o, "detached", json_boolean(r->detached));
                json_object_set_new(o, "stop_signal", json_string(r->stop_signal));
        }
        if (!o)
                return berr_set(e, ENOMEM, "out of memory writing the record of %s", r->id);
        _cleanup_free_ char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        _cleanup_free_ char *path = path_join(dir, "record.json");
        if (!text || !path)
                return berr_set(e, ENOMEM, "out of memory");
        return write_file_atomic(path, text, strlen(text), 0600, e);
}

static void copy_str(json_t *o, const char *key, char *out, size_t len)
{
        const char *v = json_string_value(json_object_get(o, key));
        snprintf(out, len, "%s", v ? v : "");
}

int record_read(const char *dir, struct record *r, struct berr *e)
{
        _cleanup_free_ char *path = path_join(dir, "record.json"), *text = NULL;
        memset(r, 0, sizeof(*r));
        if (!path)
                return berr_set(e, ENOMEM, "out of memory");
        int ret = read_file(path, &text, NULL, e);
        if (ret < 0)
                return ret;
        json_error_t jerr;
        json_t *o = json_loads(text, 0, &jerr);
        if (!o || !json_is_object(o)) {
                json_decref(o);
                return berr_set(e, EINVAL, "%s: corrupt record: %s", path, jerr.text);
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

void record_clear(struct record *r)
{
        strv_free(r->command);
        r->command = NULL;
}
