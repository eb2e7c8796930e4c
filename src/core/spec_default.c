/* The default spec: what `runc spec` writes, and the engine's starting point for `berth run`. */
#include "core/spec.h"

#include "util/err.h"
#include "util/strv.h"

#include <stdlib.h>
#include <string.h>

static char *const default_masked[] = {
        "/proc/acpi",        "/proc/asound",       "/proc/kcore",      "/proc/keys",
        "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
        "/proc/scsi",        "/proc/interrupts",   "/sys/firmware",    "/sys/devices/virtual/powercap",
        NULL,
};
static char *const default_readonly[] = {
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

struct default_mount {
        const char *dest, *type, *source;
        char *const opts[8];
};
static const struct default_mount default_mounts[] = {
        {"/proc", "proc", "proc", {"nosuid", "noexec", "nodev", NULL}},
        {"/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k", NULL}},
        {"/dev/pts", "devpts", "devpts",
         {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5", NULL}},
        {"/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL}},
        {"/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev", NULL}},
        {"/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro", NULL}},
        /* the container's own cgroup, read-only, as docker and runc give it: runtimes (the JVM,
         * Go's GOMAXPROCS and GOMEMLIMIT, .NET) read their limits there */
        {"/sys/fs/cgroup", "cgroup", "cgroup",
         {"nosuid", "noexec", "nodev", "relatime", "ro", NULL}},
};

int spec_new_default(struct spec **out, struct berr *e)
{
        struct spec *s = calloc(1, sizeof(*s));
        char *const args[] = {"sh", NULL};
        char *const env[] = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                             "TERM=xterm", NULL};
        if (!s)
                return berr_set(e, ENOMEM, "out of memory");
        spec_resources_init(&s->resources);
        s->oci_version = strdup("1.2.0");
        s->process.terminal = true;
        s->process.cwd = strdup("/");
        s->process.no_new_privileges = true;
        s->root_path = strdup("rootfs");
        s->root_readonly = true;
        s->hostname = strdup("berth");
        int r = spec_set_strv(&s->process.args, args) | spec_set_strv(&s->process.env, env) |
                spec_set_strv(&s->masked_paths, default_masked) |
                spec_set_strv(&s->readonly_paths, default_readonly);
        for (size_t i = 0; i < sizeof(default_mounts) / sizeof(default_mounts[0]); i++) {
                const struct default_mount *m = &default_mounts[i];
                r |= spec_add_mount(s, m->dest, m->type, m->source, m->opts);
        }
        for (int t = 0; t < NS__COUNT; t++)
                s->namespaces[t].enabled =
                        t == NS_PID || t == NS_NETWORK || t == NS_IPC || t == NS_UTS ||
                        t == NS_MOUNT || t == NS_CGROUP;
        if (r < 0 || !s->oci_version || !s->process.cwd || !s->root_path || !s->hostname) {
                spec_free(s);
                return berr_set(e, ENOMEM, "out of memory");
        }
        *out = s;
        return 0;
}
