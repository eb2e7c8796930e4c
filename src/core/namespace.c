#include "core/namespace.h"

#include "core/spec.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int ns_clone_flags(const struct spec *s)
{
        int flags = 0;
        for (int t = 0; t < NS__COUNT; t++)
                if (s->namespaces[t].enabled && !s->namespaces[t].path && t != NS_CGROUP &&
                    t != NS_TIME)
                        flags |= spec_ns_clone_flag(t);
        return flags;
}

static int join(const struct spec *s, enum spec_ns_type t, struct berr *e)
{
        const char *path = s->namespaces[t].path;
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return berr_sys(e, errno, "linux.namespaces: opening %s namespace %s",
                                spec_ns_name(t), path);
        if (setns(fd, spec_ns_clone_flag(t)) < 0)
                return berr_sys(e, errno, "linux.namespaces: joining %s namespace %s",
                                spec_ns_name(t), path);
        return 0;
}

int ns_join_paths(const struct spec *s, struct berr *e)
{
        int r;
        if (s->namespaces[NS_USER].enabled && s->namespaces[NS_USER].path &&
            (r = join(s, NS_USER, e)) < 0)
                return r;
        for (int t = 0; t < NS__COUNT; t++) {
                if (t == NS_USER || t == NS_PID || !s->namespaces[t].enabled ||
                    !s->namespaces[t].path)
                        continue;
                if ((r = join(s, t, e)) < 0)
                        return r;
        }
        return 0;
}

/* A process enters a new time namespace only through a fork or a setns after unshare: the
 * offsets can be written until then (clone3's CLONE_NEWTIME would freeze them at zero). */
int ns_new_time(const struct spec *s, struct berr *e)
{
        static const char *const clocks[SPEC_CLOCK__COUNT] = {"monotonic", "boottime"};
        if (unshare(CLONE_NEWTIME) < 0)
                return berr_sys(e, errno, "creating the time namespace");
        char buf[160];
        size_t len = 0;
        for (int c = 0; c < SPEC_CLOCK__COUNT; c++)
                if (s->time_offsets[c].set)
                        len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s %lld %u\n",
                                                clocks[c], (long long)s->time_offsets[c].secs,
                                                s->time_offsets[c].nanosecs);
        int r;
        if (len && (r = write_file("/proc/self/timens_offsets", buf, len, 0644, e)) < 0)
                return berr_wrap(e, "linux.timeOffsets");
        _cleanup_close_ int fd = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
        if (fd < 0 || setns(fd, CLONE_NEWTIME) < 0)
                return berr_sys(e, errno, "entering the new time namespace");
        return 0;
}

static int write_map(pid_t pid, const char *file, const struct spec_id_mapping *m, size_t n,
                     struct berr *e)
{
        char path[64], buf[4096];
        size_t len = 0;
        for (size_t i = 0; i < n && len < sizeof(buf); i++)
                len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n",
                                        m[i].container_id, m[i].host_id, m[i].size);
        if (len >= sizeof(buf))
                return berr_set(e, E2BIG, "linux.%s: too many mappings", file);
        snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
        return write_file(path, buf, len, 0644, e);
}

int ns_write_id_maps(pid_t pid, const struct spec *s, struct berr *e)
{
        int r;
        if (s->n_uid_mappings &&
            (r = write_map(pid, "uid_map", s->uid_mappings, s->n_uid_mappings, e)) < 0)
                return r;
        if (s->n_gid_mappings &&
            (r = write_map(pid, "gid_map", s->gid_mappings, s->n_gid_mappings, e)) < 0)
                return r;
        return 0;
}

int ns_loopback_up(struct berr *e)
{
        _cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        struct ifreq ifr = {0};
        strcpy(ifr.ifr_name, "lo");
        if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
                return berr_sys(e, errno, "reading the loopback's flags");
        ifr.ifr_flags |= IFF_UP;
        if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
                return berr_sys(e, errno, "bringing up the loopback");
        return 0;
}
