#include "engine/container/inspect.h"

#include "core/spec.h"
#include "engine/container/control.h"
#include "engine/container/ns_share.h"
#include "engine/container/spec_store.h"
#include "engine/store/containers.h"
#include "engine/container/hostconfig.h"
#include "engine/network/network.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ZERO_TIME "0001-01-01T00:00:00Z" /* docker's "never" */

static json_t *strv_json(char *const *v)
{
        json_t *a = json_array();
        for (size_t i = 0; v && v[i]; i++)
                json_array_append_new(a, json_string(v[i]));
        return a;
}

static json_t *time_json(const char *t)
{
        return json_string(t && t[0] ? t : ZERO_TIME);
}

static json_t *config_json(const struct record *r, const struct spec *s)
{
        char user[64] = "";
        if (s && s->process.user.name)
                snprintf(user, sizeof(user), "%s", s->process.user.name);
        else if (s && (s->process.user.uid || s->process.user.gid))
                snprintf(user, sizeof(user), "%u:%u", (unsigned)s->process.user.uid,
                         (unsigned)s->process.user.gid);
        return json_pack("{s:s,s:s,s:b,s:o,s:o,s:s,s:s,s:n,s:s}", "Hostname",
                         s && s->hostname ? s->hostname : "", "User", user, "Tty",
                         s ? s->process.terminal : false, "Env",
                         strv_json(s ? s->process.env : NULL), "Cmd",
                         strv_json(s ? s->process.args : r->command), "Image", r->image,
                         "WorkingDir", s && s->process.cwd ? s->process.cwd : "", "Entrypoint",
                         "StopSignal", r->stop_signal[0] ? r->stop_signal : "SIGTERM");
}

/* HostConfig's namespace modes: NetworkMode from the network settings (net.json), PidMode and
 * IpcMode from ns.json; docker's defaults when a file is missing. */
static json_t *host_config_json(const struct record *r, const char *cdir)
{
        char pid[80] = "", ipc[80] = "private", net[80] = "bridge";
        if (cdir) {
                ns_share_modes(cdir, pid, ipc);
                _cleanup_free_ char *p = path_join(cdir, "net.json"), *text = NULL;
                struct berr ignore;
                json_t *j = p && read_file(p, &text, NULL, &ignore) == 0 ? json_loads(text, 0, NULL)
                                                                          : NULL;
                const char *v = json_string_value(json_object_get(j, "network"));
                if (v)
                        snprintf(net, sizeof(net), "%s", v);
                json_decref(j);
        }
        return json_pack("{s:b,s:s,s:s,s:s}", "AutoRemove", r->auto_remove, "NetworkMode", net,
                         "PidMode", pid, "IpcMode", ipc);
}

static json_t *state_json(const struct record *r)
{
        bool running = r->status == REC_RUNNING;
        const char *status = running && r->paused ? "paused" : record_status_name(r->status);
        return json_pack("{s:s,s:b,s:b,s:b,s:b,s:b,s:i,s:i,s:s,s:o,s:o}", "Status", status,
                         "Running", running, "Paused", running && r->paused, "Restarting", 0,
                         "OOMKilled", r->oom_killed, "Dead", 0, "Pid", running ? (int)r->pid : 0,
                         "ExitCode", r->exit_code, "Error", "", "StartedAt",
                         time_json(r->started_at), "FinishedAt", time_json(r->finished_at));
}

int container_inspect(const char *root, const char *ref, json_t **out, struct berr *e)
{
        char id[65];
        struct record r;
        int ret = container_get(root, ref, id, &r, e);
        if (ret < 0)
                return ret;
        _cleanup_free_ char *cdir = container_dir(root, id);
        _cleanup_free_ char *log = cdir ? path_join(cdir, "container.log") : NULL;
        struct spec *s = NULL;
        struct berr ignore;
        if (cdir)
                spec_store_load(cdir, &s, &ignore); /* without it, Config has what the record has */
        char name[260];
        snprintf(name, sizeof(name), "/%s", r.name);
        json_t *args = json_array();
        for (size_t i = 1; r.command && r.command[0] && r.command[i]; i++)
                json_array_append_new(args, json_string(r.command[i]));
        json_t *host = cdir ? hostconfig_json(cdir, &r, s) : NULL, *net = NULL;
        if (host)
                net_inspect_container(root, cdir, r.id, r.status == REC_RUNNING ? r.pid : 0, &net,
                                      host);
        /* The namespace modes as recorded at create (container:<id> for a joined one). */
        json_t *modes = host_config_json(&r, cdir);
        if (host && modes)
                json_object_update(host, modes);
        json_decref(host ? modes : NULL);
        if (!host)
                host = modes;
        *out = json_pack("{s:s,s:s,s:s,s:o,s:o,s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:o,s:[],s:o,s:o}",
                         "Id", r.id, "Created", r.created, "Path",
                         r.command && r.command[0] ? r.command[0] : "", "Args", args, "State",
                         state_json(&r), "Image", r.image_id, "LogPath",
                         log && access(log, F_OK) == 0 ? log : "", "Name", name, "Driver", "overlay",
                         "RestartCount", 0, "Platform", "linux", "MountLabel", "", "HostConfig",
                         host ? host : json_object(), "Mounts", "Config", config_json(&r, s),
                         "NetworkSettings", net ? net : json_object());
        spec_free(s);
        record_clear(&r);
        if (!*out)
                return berr_set(e, ENOMEM, "out of memory inspecting %s", ref);
        return 0;
}
