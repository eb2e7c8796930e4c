/* --pid and --ipc: sharing the host's or a running container's namespaces; see ns_share.h. */
#include "engine/container/ns_share.h"

#include "core/spec.h"
#include "engine/container/control.h"
#include "engine/container/run.h"
#include "engine/store/containers.h"
#include "engine/store/lookup.h"
#include "engine/store/record.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/proc.h"
#include "util/strv.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The donor's /dev/shm, shared through a directory of its store rather than a tmpfs: a tmpfs
 * mounted inside the donor's mount namespace cannot be bound into another one (the kernel
 * refuses a bind from a foreign namespace), and one mounted on the host would be a host mount
 * to undo on every path a container can end by. */
static char *shm_dir(const char *root, const char *id)
{
        _cleanup_free_ char *cdir = container_dir(root, id);
        return cdir ? path_join(cdir, "shm") : NULL;
}

static int find_shm(const struct spec *s)
{
        for (size_t i = 0; i < s->n_mounts; i++)
                if (!strcmp(s->mounts[i].destination, "/dev/shm"))
                        return (int)i;
        return -1;
}

/* /dev/shm as a bind of src (NULL: no /dev/shm at all, --ipc none). */
static int set_shm(struct spec *s, const char *src, struct berr *e)
{
        int i = find_shm(s);
        if (i < 0)
                return 0;
        struct spec_mount *m = &s->mounts[i];
        free(m->type);
        free(m->source);
        strv_free(m->options);
        m->type = m->source = NULL;
        m->options = NULL;
        if (!src) {
                free(m->destination);
                memmove(m, m + 1, (s->n_mounts - (size_t)i - 1) * sizeof(*m));
                s->n_mounts--;
                return 0;
        }
        char *const opts[] = {"bind", "nosuid", "nodev", "noexec", NULL};
        m->type = strdup("bind");
        m->source = strdup(src);
        m->options = strv_dup(opts);
        return m->type && m->source && m->options ? 0 : berr_set(e, ENOMEM, "out of memory");
}

/* flag's value "container:REF" -> "container:<id>" of a running container, else docker's text. */
static int resolve_target(const char *root, const char *flag, const char *mode, char out[80],
                          struct berr *e)
{
        char id[65];
        pid_t pid;
        int r = container_running_pid(root, mode + 10, id, &pid, e);
        if (r == -ENOENT)
                return berr_set(e, ENOENT, "%s %s: no such container: %s", flag, mode, mode + 10);
        if (r < 0)
                return r;
        snprintf(out, 80, "container:%s", id);
        return 0;
}

static int ipc_save(const char *root, const char *cdir, const char *mode, struct spec *s,
                    char out[80], struct berr *e)
{
        int r;
        snprintf(out, 80, "%s", mode ? mode : "private");
        if (!mode || !strcmp(mode, "private"))
                return 0;
        if (!strcmp(mode, "none"))
                return set_shm(s, NULL, e);
        if (!strcmp(mode, "host")) {
                s->namespaces[NS_IPC].enabled = false;
                return set_shm(s, "/dev/shm", e);
        }
        if (!strcmp(mode, "shareable")) {
                _cleanup_free_ char *dir = path_join(cdir, "shm");
                if (!dir)
                        return berr_set(e, ENOMEM, "out of memory");
                if (mkdir(dir, 01777) < 0 && errno != EEXIST)
                        return berr_set(e, errno, "%s: %s", dir, strerror(errno));
                chmod(dir, 01777); /* past the umask */
                return set_shm(s, dir, e);
        }
        if ((r = resolve_target(root, "--ipc", mode, out, e)) < 0)
                return r;
        _cleanup_free_ char *dir = shm_dir(root, out + 10);
        struct stat st;
        if (!dir)
                return berr_set(e, ENOMEM, "out of memory");
        if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
                return berr_set(e, EINVAL, "container %s: non-shareable IPC (hint: use IpcMode:"
                                           "shareable for the donor container)", mode + 10);
        return set_shm(s, dir, e);
}

int ns_share_save(const char *root, const char *cdir, const struct run_options *o,
                  struct spec *s, struct berr *e)
{
        char pid[80] = "", ipc[80];
        int r;
        if (o->ns.pid && !strcmp(o->ns.pid, "host"))
                snprintf(pid, sizeof(pid), "host");
        else if (o->ns.pid && (r = resolve_target(root, "--pid", o->ns.pid, pid, e)) < 0)
                return r;
        if ((r = ipc_save(root, cdir, o->ns.ipc, s, ipc, e)) < 0)
                return r;
        if (!strcmp(pid, "host"))
                s->namespaces[NS_PID].enabled = false;
        json_t *j = json_pack("{s:s,s:s}", "pid", pid, "ipc", ipc);
        _cleanup_free_ char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
        json_decref(j);
        _cleanup_free_ char *p = path_join(cdir, "ns.json");
        if (!text || !p)
                return berr_set(e, ENOMEM, "out of memory");
        return write_file_atomic(p, text, strlen(text), 0600, e);
}

void ns_share_modes(const char *cdir, char pid_mode[80], char ipc_mode[80])
{
        _cleanup_free_ char *p = path_join(cdir, "ns.json"), *text = NULL;
        struct berr ignore;
        snprintf(pid_mode, 80, "%s", "");
        snprintf(ipc_mode, 80, "%s", "private");
        if (!p || read_file(p, &text, NULL, &ignore) < 0)
                return;
        json_t *j = json_loads(text, 0, NULL);
        const char *v = json_string_value(json_object_get(j, "pid"));
        if (v)
                snprintf(pid_mode, 80, "%s", v);
        if ((v = json_string_value(json_object_get(j, "ipc"))))
                snprintf(ipc_mode, 80, "%s", v);
        json_decref(j);
}

/* The running target's namespace file; docker's words when it is not running. */
static int join(const char *root, const char *mode, enum spec_ns_type t, struct spec *s,
                struct berr *e)
{
        char id[65];
        pid_t pid;
        if (strncmp(mode, "container:", 10))
                return 0;
        int r = container_running_pid(root, mode + 10, id, &pid, e);
        if (r < 0)
                return r;
        free(s->namespaces[t].path);
        s->namespaces[t].enabled = true;
        if (asprintf(&s->namespaces[t].path, "/proc/%d/ns/%s", (int)pid,
                     t == NS_PID ? "pid" : "ipc") < 0) {
                s->namespaces[t].path = NULL;
                return berr_set(e, ENOMEM, "out of memory");
        }
        return 0;
}

int ns_share_prepare_spec(const char *root, const char *cdir, struct spec *s, struct berr *e)
{
        char pid[80], ipc[80];
        ns_share_modes(cdir, pid, ipc);
        int r = join(root, pid, NS_PID, s, e);
        return r < 0 ? r : join(root, ipc, NS_IPC, s, e);
}
