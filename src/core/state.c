#include "core/state.h"

#include "core/cgroup.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/proc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int state_save(const char *dir, const struct rt_state *st, struct berr *e)
{
        json_t *o = json_pack("{s:s,s:s,s:s,s:i,s:I,s:s,s:i,s:s}", "id", st->id, "bundle",
                              st->bundle, "rootfs", st->rootfs, "pid", (int)st->pid, "pid_start",
                              (json_int_t)st->pid_start, "created", st->created, "owner",
                              (int)st->owner, "cgroup", st->cgroup);
        if (o && st->mounts_shared)
                json_object_set_new(o, "mounts_shared", json_true());
        if (o && st->annotations_json) {
                json_t *a = json_loads(st->annotations_json, 0, NULL);
                if (a)
                        json_object_set_new(o, "annotations", a);
        }
        _cleanup_free_ char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        _cleanup_free_ char *path = path_join(dir, "state.json");
        if (!text || !path)
                return berr_set(e, ENOMEM, "out of memory");
        return write_file_atomic(path, text, strlen(text), 0600, e);
}

static void copy(json_t *o, const char *k, char *out, size_t len)
{
        const char *v = json_string_value(json_object_get(o, k));
        snprintf(out, len, "%s", v ? v : "");
}

int state_load(const char *dir, struct rt_state *st, struct berr *e)
{
        memset(st, 0, sizeof(*st));
        _cleanup_free_ char *path = path_join(dir, "state.json"), *text = NULL;
        if (!path)
                return berr_set(e, ENOMEM, "out of memory");
        int r = read_file(path, &text, NULL, e);
        if (r < 0)
                return r;
        json_t *o = json_loads(text, 0, NULL);
        if (!json_is_object(o)) {
                json_decref(o);
                return berr_set(e, EINVAL, "%s is corrupt", path);
        }
        copy(o, "id", st->id, sizeof(st->id));
        copy(o, "bundle", st->bundle, sizeof(st->bundle));
        copy(o, "rootfs", st->rootfs, sizeof(st->rootfs));
        copy(o, "created", st->created, sizeof(st->created));
        copy(o, "cgroup", st->cgroup, sizeof(st->cgroup));
        st->pid = (pid_t)json_integer_value(json_object_get(o, "pid"));
        st->pid_start = (uint64_t)json_integer_value(json_object_get(o, "pid_start"));
        st->owner = (uid_t)json_integer_value(json_object_get(o, "owner"));
        st->mounts_shared = json_is_true(json_object_get(o, "mounts_shared"));
        json_t *a = json_object_get(o, "annotations");
        if (a)
                st->annotations_json = json_dumps(a, JSON_COMPACT);
        json_decref(o);
        return 0;
}

void state_clear(struct rt_state *st)
{
        free(st->annotations_json);
        st->annotations_json = NULL;
}

const char *state_status(const char *dir, const struct rt_state *st)
{
        if (st->pid <= 0 || proc_start_time(st->pid) != st->pid_start)
                return "stopped";
        char fifo[4200];
        snprintf(fifo, sizeof(fifo), "%s/exec.fifo", dir);
        if (access(fifo, F_OK) == 0)
                return "created";
        struct cgroup cg;
        struct berr ignore;
        if (st->cgroup[0] && cgroup_deserialize(st->cgroup, &cg, &ignore) == 0) {
                bool frozen = cgroup_frozen(&cg);
                cgroup_release(&cg);
                if (frozen)
                        return "paused";
        }
        return "running";
}

char *state_to_oci_json(const char *dir, const struct rt_state *st, int pretty)
{
        const char *status = state_status(dir, st);
        json_t *o = json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:s}", "ociVersion", "1.2.0", "id",
                              st->id, "status", status, "pid",
                              strcmp(status, "stopped") ? (int)st->pid : 0, "bundle", st->bundle,
                              "rootfs", st->rootfs, "created", st->created);
        if (!o)
                return NULL;
        json_object_set_new(o, "owner", json_string(""));
        json_t *a = st->annotations_json ? json_loads(st->annotations_json, 0, NULL) : NULL;
        json_object_set_new(o, "annotations", a ? a : json_object());
        char *text = json_dumps(o, pretty ? JSON_INDENT(2) | JSON_PRESERVE_ORDER : JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        return text;
}
