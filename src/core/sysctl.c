#include "core/sysctl.h"

#include "core/spec.h"
#include "util/cleanup.h"
#include "util/err.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

const char *sysctl_namespace_of(const char *key)
{
        static const char *const ipc_exact[] = {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
                                                "kernel.sem", "kernel.shmall", "kernel.shmmax",
                                                "kernel.shmmni", "kernel.shm_rmid_forced"};
        for (size_t i = 0; i < sizeof(ipc_exact) / sizeof(ipc_exact[0]); i++)
                if (!strcmp(key, ipc_exact[i]))
                        return "ipc";
        if (!strncmp(key, "fs.mqueue.", 10))
                return "ipc";
        if (!strncmp(key, "net.", 4))
                return "net";
        if (!strcmp(key, "kernel.hostname") || !strcmp(key, "kernel.domainname"))
                return "uts";
        return NULL;
}

int sysctl_apply(const struct spec *s, struct berr *e)
{
        if (!s->sysctl || !s->sysctl[0])
                return 0;
        _cleanup_close_ int dir = open("/proc/sys", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        struct statfs fs;
        /* A fake /proc from the image must never receive our writes (CVE-2019-16884). */
        if (dir < 0 || fstatfs(dir, &fs) < 0 || fs.f_type != PROC_SUPER_MAGIC)
                return berr_set(e, EPERM, "linux.sysctl: /proc/sys in the container is not procfs");
        for (size_t i = 0; s->sysctl[i]; i++) {
                char key[512], path[512];
                const char *eq = strchr(s->sysctl[i], '=');
                if (!eq)
                        continue;
                snprintf(key, sizeof(key), "%.*s", (int)(eq - s->sysctl[i]), s->sysctl[i]);
                const char *ns = sysctl_namespace_of(key);
                int t = ns ? spec_ns_from_name(!strcmp(ns, "net") ? "network" : ns) : -1;
                if (t < 0 || !s->namespaces[t].enabled)
                        return berr_set(e, EPERM,
                                        "linux.sysctl: %s is not in a namespace of the container's "
                                        "own, so setting it would change the host",
                                        key);
                snprintf(path, sizeof(path), "%s", key);
                for (char *p = path; *p; p++)
                        if (*p == '.')
                                *p = '/';
                _cleanup_close_ int fd = openat(dir, path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0)
                        return berr_sys(e, errno, "linux.sysctl: %s", key);
                if (write(fd, eq + 1, strlen(eq + 1)) < 0)
                        return berr_sys(e, errno, "linux.sysctl: setting %s to \"%s\"", key, eq + 1);
        }
        return 0;
}
