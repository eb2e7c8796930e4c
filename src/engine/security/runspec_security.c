/* docker's security defaults and the flags that change them, applied to a struct spec:
 * capabilities, seccomp, no_new_privs, devices (nodes and the device cgroup), --read-only and
 * --privileged. */
#include "engine/security/runspec_security.h"

#include "core/spec.h"
#include "engine/container/run.h"
#include "engine/security/seccomp_default.h"
#include "engine/security/seccomp_profile.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

/* docker's default set: CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID SETUID SETFCAP
 * SETPCAP NET_BIND_SERVICE SYS_CHROOT KILL AUDIT_WRITE = 0xa80425fb. */
static const char *const default_caps[] = {
        "CHOWN",  "DAC_OVERRIDE", "FSETID", "FOWNER",           "MKNOD",      "NET_RAW", "SETGID",
        "SETUID", "SETFCAP",      "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL",    "AUDIT_WRITE",
};

/* "All capabilities" (--privileged, --cap-add ALL) means all that berth itself holds: asking
 * for one outside its own bounding set (CAP_SYS_RESOURCE on some hosts) fails (as podman). */
static uint64_t all_caps(void)
{
        uint64_t m = 0;
        for (int c = 0; c <= SPEC_CAP_LAST; c++)
                if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1)
                        m |= 1ULL << c;
        return m;
}

static bool has_all(char *const *list)
{
        for (size_t i = 0; list && list[i]; i++)
                if (!strcasecmp(list[i], "ALL"))
                        return true;
        return false;
}

static uint64_t mask_of(char *const *list)
{
        uint64_t m = 0;
        for (size_t i = 0; list && list[i]; i++) {
                int c = spec_cap_from_name(list[i]);
                if (c >= 0)
                        m |= 1ULL << c;
        }
        return m;
}

/* docker's rule: --cap-add ALL gives everything but the drops; --cap-drop ALL keeps only the
 * adds; otherwise the defaults plus the adds minus the drops. Pure. */
uint64_t runspec_caps(const struct run_security *sec)
{
        uint64_t base = 0;
        if (sec->privileged)
                return all_caps();
        for (size_t i = 0; i < sizeof(default_caps) / sizeof(default_caps[0]); i++)
                base |= 1ULL << spec_cap_from_name(default_caps[i]);
        if (has_all(sec->cap_add))
                return all_caps() & ~mask_of(sec->cap_drop);
        if (has_all(sec->cap_drop))
                return mask_of(sec->cap_add);
        return (base | mask_of(sec->cap_add)) & ~mask_of(sec->cap_drop);
}

static int add_rule(struct spec_resources *r, bool allow, char type, int64_t maj, int64_t min,
                    const char *access)
{
        struct spec_device_rule *n = realloc(r->devices, (r->n_devices + 1) * sizeof(*n));
        if (!n)
                return -ENOMEM;
        r->devices = n;
        n[r->n_devices] = (struct spec_device_rule){.allow = allow, .type = type, .major = maj, .minor = min};
        snprintf(n[r->n_devices].access, sizeof(n->access), "%s", access);
        r->n_devices++;
        return 0;
}

/* docker's default device cgroup: nothing but mknod, then the standard nodes. */
static int default_device_rules(struct spec_resources *r)
{
        static const struct {
                char type;
                int64_t maj, min;
                const char *access;
        } allow[] = {
                {'c', -1, -1, "m"}, {'b', -1, -1, "m"},  {'c', 1, 3, "rwm"},   {'c', 1, 5, "rwm"},
                {'c', 1, 7, "rwm"}, {'c', 1, 8, "rwm"},  {'c', 1, 9, "rwm"},   {'c', 5, 0, "rwm"},
                {'c', 5, 1, "rwm"}, {'c', 5, 2, "rwm"},  {'c', 136, -1, "rwm"}, {'c', 10, 200, "rwm"},
        };
        int ret = add_rule(r, false, 'a', -1, -1, "rwm");
        for (size_t i = 0; ret == 0 && i < sizeof(allow) / sizeof(allow[0]); i++)
                ret = add_rule(r, true, allow[i].type, allow[i].maj, allow[i].min, allow[i].access);
        return ret;
}

static int add_device(struct spec *s, const char *host, const char *inside, const char *perms,
                      struct berr *e)
{
        struct stat st;
        if (stat(host, &st) < 0)
                return berr_sys(e, errno, "--device: %s", host);
        if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
                return berr_set(e, EINVAL, "--device: %s is not a device node", host);
        struct spec_device *n = realloc(s->devices, (s->n_devices + 1) * sizeof(*n));
        if (!n)
                return berr_set(e, ENOMEM, "out of memory");
        s->devices = n;
        char type = S_ISCHR(st.st_mode) ? 'c' : 'b';
        n[s->n_devices] = (struct spec_device){.path = strdup(inside), .type = type,
                                               .major = major(st.st_rdev), .minor = minor(st.st_rdev),
                                               .file_mode = st.st_mode & 07777, .uid = 0, .gid = 0};
        if (!n[s->n_devices].path)
                return berr_set(e, ENOMEM, "out of memory");
        s->n_devices++;
        if (add_rule(&s->resources, true, type, major(st.st_rdev), minor(st.st_rdev), perms) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        return 0;
}

/* --device HOST[:CONTAINER][:PERMS] */
static int devices_from_flags(struct spec *s, char *const *list, struct berr *e)
{
        for (size_t i = 0; list && list[i]; i++) {
                char host[4096], inside[4096], perms[4] = "rwm";
                snprintf(host, sizeof(host), "%s", list[i]);
                char *c1 = strchr(host, ':');
                snprintf(inside, sizeof(inside), "%s", host);
                if (c1) {
                        *c1 = '\0';
                        char *c2 = strchr(c1 + 1, ':');
                        if (c2)
                                *c2 = '\0';
                        if (c1[1] == '/')
                                snprintf(inside, sizeof(inside), "%s", c1 + 1);
                        else
                                snprintf(inside, sizeof(inside), "%s", host);
                        const char *p = c2 ? c2 + 1 : (c1[1] != '/' ? c1 + 1 : NULL);
                        if (p && *p)
                                snprintf(perms, sizeof(perms), "%s", p);
                }
                int r = add_device(s, host, inside, perms, e);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* --privileged: every device of the host's /dev (not the pty and shm directories). */
static int all_host_devices(struct spec *s, struct berr *e)
{
        _cleanup_closedir_ DIR *d = opendir("/dev");
        struct dirent *de;
        while (d && (de = readdir(d))) {
                char p[512];
                struct stat st;
                snprintf(p, sizeof(p), "/dev/%s", de->d_name);
                if (lstat(p, &st) < 0 || !(S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)))
                        continue;
                if (!strcmp(de->d_name, "console") || !strcmp(de->d_name, "ptmx") ||
                    !strcmp(de->d_name, "tty"))
                        continue; /* the container's own */
                int r = add_device(s, p, p, "rwm", e);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int read_only_root(struct spec *s, struct berr *e)
{
        /* Writable where programs expect to write, as podman's --read-only-tmpfs. */
        static const char *const dirs[] = {"/tmp", "/var/tmp", "/run"};
        char *const opts[] = {"rw", "nosuid", "nodev", "mode=1777", NULL};
        s->root_readonly = true;
        for (size_t i = 0; i < 3; i++)
                if (spec_add_mount(s, dirs[i], "tmpfs", "tmpfs", opts) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
        return 0;
}

static int seccomp_for(struct spec *s, const struct run_security *sec, uint64_t caps,
                       struct berr *e)
{
        if (sec->privileged || sec->seccomp_unconfined)
                return 0;
        if (!sec->seccomp_profile)
                return seccomp_default_profile(caps, &s->seccomp, e);
        _cleanup_free_ char *text = NULL;
        size_t len;
        struct berr inner;
        if (read_file(sec->seccomp_profile, &text, &len, &inner) < 0)
                return berr_set(e, inner.code, "--security-opt seccomp: %s", inner.msg);
        int r = seccomp_profile_parse(text, len, caps, &s->seccomp, e);
        return r < 0 ? berr_wrap(e, "--security-opt seccomp=%s", sec->seccomp_profile) : 0;
}

int runspec_security(struct spec *s, const struct run_security *sec, struct berr *e)
{
        uint64_t caps = runspec_caps(sec);
        s->process.caps = (struct spec_caps){.set = true, .bounding = caps, .effective = caps,
                                             .permitted = caps};
        s->process.no_new_privileges = sec->no_new_privileges;
        int r;
        if ((r = seccomp_for(s, sec, caps, e)) < 0)
                return r;
        if (sec->read_only && (r = read_only_root(s, e)) < 0)
                return r;
        if (sec->privileged) {
                /* Opting out knowingly: no masks, /sys and /sys/fs/cgroup writable (as docker's),
                 * every device. */
                strv_free(s->masked_paths);
                strv_free(s->readonly_paths);
                s->masked_paths = s->readonly_paths = NULL;
                for (size_t i = 0; i < s->n_mounts; i++)
                        for (size_t k = 0; s->mounts[i].options && s->mounts[i].options[k]; k++)
                                if ((!strcmp(s->mounts[i].destination, "/sys") ||
                                     !strcmp(s->mounts[i].destination, "/sys/fs/cgroup")) &&
                                    !strcmp(s->mounts[i].options[k], "ro"))
                                        s->mounts[i].options[k][1] = 'w'; /* "ro" -> "rw" */
                if (add_rule(&s->resources, true, 'a', -1, -1, "rwm") < 0)
                        return berr_set(e, ENOMEM, "out of memory");
                return all_host_devices(s, e);
        }
        if (default_device_rules(&s->resources) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        return devices_from_flags(s, sec->devices, e);
}
