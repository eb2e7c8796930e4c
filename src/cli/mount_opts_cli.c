/* -v, --mount, --tmpfs -> struct run_mount (cli/mount_opts_cli.h). */
#include "cli/mount_opts_cli.h"

#include "core/mount_opts.h"
#include "engine/volume/volume.h"
#include "engine/volume/volume_mount.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/strv.h"
#include "util/units.h"

#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int push(struct run_mount **v, size_t *n, struct run_mount *m, struct berr *e)
{
        int r = run_mounts_push(v, n, m);
        return r < 0 ? berr_set(e, ENOMEM, "out of memory") : 0;
}

static int set_target(const char *flag, const char *arg, const char *t, char *out, size_t len,
                      struct berr *e)
{
        if (!t[0])
                return berr_set(e, EINVAL, "%s \"%s\": the container path is empty", flag, arg);
        if (t[0] != '/')
                return berr_set(e, EINVAL, "%s \"%s\": the container path \"%s\" is not absolute",
                                flag, arg, t);
        if (volume_clean_target(t, out, len) < 0)
                return berr_set(e, ENAMETOOLONG, "%s \"%s\": the container path is too long",
                                flag, arg);
        if (!strcmp(out, "/"))
                return berr_set(e, EINVAL, "%s \"%s\": the container path cannot be /", flag, arg);
        return 0;
}

static bool is_mode_word(const char *w)
{
        static const char *const words[] = {"ro", "rw", "z", "Z", "nocopy", "consistent",
                                            "cached", "delegated"};
        for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
                if (!strcmp(w, words[i]))
                        return true;
        return mount_propagation_flags(w) != 0;
}

/* "ro,z,rshared": every word must be known (docker's validMountMode). */
static bool modes_valid(const char *modes)
{
        char buf[256];
        if (strlen(modes) >= sizeof(buf) || !modes[0])
                return false;
        snprintf(buf, sizeof(buf), "%s", modes);
        int rw = 0;
        for (char *save = NULL, *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
                if (!is_mode_word(w))
                        return false;
                rw += !strcmp(w, "ro") || !strcmp(w, "rw");
        }
        return rw <= 1 && modes[strlen(modes) - 1] != ',' && modes[0] != ',';
}

int volume_flag_add(const char *arg, struct run_mount **v, size_t *n, struct berr *e)
{
        char buf[PATH_MAX * 2 + 256];
        if (strlen(arg) >= sizeof(buf))
                return berr_set(e, EINVAL, "-v: the value is too long");
        snprintf(buf, sizeof(buf), "%s", arg);
        char *parts[3] = {0};
        size_t np = 0;
        for (char *p = buf; p; np++) {
                if (np == 3)
                        return berr_set(e, EINVAL, "-v: \"%s\" is not [HOST:]CONTAINER[:OPTIONS]",
                                        arg);
                parts[np] = p;
                if ((p = strchr(p, ':')))
                        *p++ = '\0';
        }
        const char *src = NULL, *dst = NULL, *mode = "";
        if (np == 1) {
                dst = parts[0];
        } else if (np == 2 && !modes_valid(parts[1])) {
                src = parts[0];
                dst = parts[1];
        } else if (np == 3) {
                src = parts[0];
                dst = parts[1];
                mode = parts[2];
        } else {
                return berr_set(e, EINVAL, "-v: \"%s\" is not [HOST:]CONTAINER[:OPTIONS]", arg);
        }
        if ((src && !src[0]) || !dst[0])
                return berr_set(e, EINVAL, "-v: \"%s\" is not [HOST:]CONTAINER[:OPTIONS]", arg);
        if (mode[0] && !modes_valid(mode))
                return berr_set(e, EINVAL, "-v \"%s\": invalid options \"%s\" (ro, rw, z, Z, "
                                           "nocopy, a propagation such as rshared)",
                                arg, mode);
        char target[PATH_MAX], abs[PATH_MAX];
        int r = set_target("-v", arg, dst, target, sizeof(target), e);
        if (r < 0)
                return r;
        struct run_mount m = {.type = RUN_MOUNT_VOLUME, .target = target};
        char modes[256];
        snprintf(modes, sizeof(modes), "%s", mode);
        for (char *save = NULL, *w = strtok_r(modes, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
                if (!strcmp(w, "ro"))
                        m.readonly = true;
                else if (!strcmp(w, "nocopy"))
                        m.nocopy = true;
                else if (mount_propagation_flags(w))
                        m.propagation = w;
        }
        if (src && (src[0] == '/' || src[0] == '.')) {
                if (src[0] == '.') {
                        char cwd[PATH_MAX];
                        if (!getcwd(cwd, sizeof(cwd)) ||
                            snprintf(abs, sizeof(abs), "%s/%s", cwd, src) >= (int)sizeof(abs))
                                return berr_set(e, EINVAL, "-v \"%s\": cannot make \"%s\" absolute",
                                                arg, src);
                        src = abs;
                }
                char clean[PATH_MAX];
                if (volume_clean_target(src, clean, sizeof(clean)) < 0)
                        return berr_set(e, EINVAL, "-v \"%s\": the host path is too long", arg);
                if (m.nocopy)
                        return berr_set(e, EINVAL, "-v \"%s\": nocopy is for volumes, not host "
                                                   "directories",
                                        arg);
                m.type = RUN_MOUNT_BIND;
                m.create_source = true;
                m.source = clean;
                return push(v, n, &m, e);
        }
        if (src && !volume_name_valid(src))
                return berr_set(e, EINVAL,
                                "-v \"%s\": \"%s\" is not a valid volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]+); "
                                "a host directory needs an absolute path",
                                arg, src);
        m.source = (char *)src;
        return push(v, n, &m, e);
}

static int parse_bool(const char *flag, const char *arg, const char *key, const char *val,
                      bool *out, struct berr *e)
{
        if (!val || !strcmp(val, "1") || !strcasecmp(val, "true")) {
                *out = true;
                return 0;
        }
        if (!strcmp(val, "0") || !strcasecmp(val, "false")) {
                *out = false;
                return 0;
        }
        return berr_set(e, EINVAL, "%s \"%s\": %s=%s: not a boolean (true or false)", flag, arg,
                        key, val);
}

/* "64m" -> "size=67108864"; docker's tmpfs-size and --tmpfs size= both take units. */
static int size_opt(const char *flag, const char *arg, const char *val, char ***opts,
                    struct berr *e)
{
        char buf[64];
        int64_t bytes;
        size_t len = strlen(val);
        if (len && val[len - 1] == '%' && len < 8 && strspn(val, "0123456789") == len - 1 && len > 1)
                snprintf(buf, sizeof(buf), "size=%s", val);
        else if (parse_size(val, &bytes) < 0)
                return berr_set(e, EINVAL, "%s \"%s\": invalid size \"%s\"", flag, arg, val);
        else
                snprintf(buf, sizeof(buf), "size=%" PRId64, bytes);
        return strv_push(opts, buf) < 0 ? berr_set(e, ENOMEM, "out of memory") : 0;
}

static int mode_opt(const char *flag, const char *arg, const char *val, char ***opts,
                    struct berr *e)
{
        char *end;
        unsigned long mode = strtoul(val, &end, 8);
        if (!val[0] || *end || mode > 07777)
                return berr_set(e, EINVAL, "%s \"%s\": invalid mode \"%s\" (octal, e.g. 1777)",
                                flag, arg, val);
        char buf[32];
        snprintf(buf, sizeof(buf), "mode=%lo", mode);
        return strv_push(opts, buf) < 0 ? berr_set(e, ENOMEM, "out of memory") : 0;
}

int tmpfs_flag_add(const char *arg, struct run_mount **v, size_t *n, struct berr *e)
{
        char buf[PATH_MAX + 1024];
        if (strlen(arg) >= sizeof(buf))
                return berr_set(e, EINVAL, "--tmpfs: the value is too long");
        snprintf(buf, sizeof(buf), "%s", arg);
        char *opts_s = strchr(buf, ':');
        if (opts_s)
                *opts_s++ = '\0';
        char target[PATH_MAX];
        int r = set_target("--tmpfs", arg, buf, target, sizeof(target), e);
        if (r < 0)
                return r;
        struct run_mount m = {.type = RUN_MOUNT_TMPFS, .target = target};
        char **opts = calloc(1, sizeof(char *));
        if (!opts)
                return berr_set(e, ENOMEM, "out of memory");
        for (char *save = NULL, *w = opts_s ? strtok_r(opts_s, ",", &save) : NULL; r == 0 && w;
             w = strtok_r(NULL, ",", &save)) {
                if (!strncmp(w, "size=", 5))
                        r = size_opt("--tmpfs", arg, w + 5, &opts, e);
                else if (!strncmp(w, "mode=", 5))
                        r = mode_opt("--tmpfs", arg, w + 5, &opts, e);
                else if (!strcmp(w, "ro"))
                        m.readonly = true;
                else if (!strcmp(w, "rw"))
                        m.readonly = false;
                else if (strv_push(&opts, w) < 0)
                        r = berr_set(e, ENOMEM, "out of memory");
        }
        if (opts_s && r == 0 && strv_len(opts) == 0 && !m.readonly && !strstr(arg, ":rw"))
                r = berr_set(e, EINVAL, "--tmpfs \"%s\": empty options after ':'", arg);
        m.options = opts;
        if (r == 0)
                r = push(v, n, &m, e);
        strv_free(opts);
        return r;
}

int mount_flag_add(const char *arg, struct run_mount **v, size_t *n, struct berr *e)
{
        static const char *flag = "--mount";
        char buf[PATH_MAX * 2 + 1024];
        if (strlen(arg) >= sizeof(buf))
                return berr_set(e, EINVAL, "--mount: the value is too long");
        snprintf(buf, sizeof(buf), "%s", arg);
        const char *type = "volume", *src = NULL, *dst = NULL;
        struct run_mount m = {0};
        char **opts = calloc(1, sizeof(char *));
        bool bind_opt = false, vol_opt = false, tmpfs_opt = false;
        int r = opts ? 0 : berr_set(e, ENOMEM, "out of memory");
        for (char *save = NULL, *kv = strtok_r(buf, ",", &save); r == 0 && kv;
             kv = strtok_r(NULL, ",", &save)) {
                char *val = strchr(kv, '=');
                if (val)
                        *val++ = '\0';
                if (!strcmp(kv, "type")) {
                        type = val ? val : "";
                } else if (!strcmp(kv, "source") || !strcmp(kv, "src")) {
                        src = val ? val : "";
                } else if (!strcmp(kv, "target") || !strcmp(kv, "destination") ||
                           !strcmp(kv, "dst")) {
                        dst = val ? val : "";
                } else if (!strcmp(kv, "readonly") || !strcmp(kv, "ro")) {
                        r = parse_bool(flag, arg, kv, val, &m.readonly, e);
                } else if (!strcmp(kv, "bind-propagation")) {
                        bind_opt = true;
                        if (!val || !mount_propagation_flags(val))
                                r = berr_set(e, EINVAL, "%s \"%s\": invalid bind-propagation "
                                                        "\"%s\"",
                                             flag, arg, val ? val : "");
                        else
                                m.propagation = val;
                } else if (!strcmp(kv, "bind-nonrecursive")) {
                        bind_opt = true;
                        r = parse_bool(flag, arg, kv, val, &m.nonrecursive, e);
                } else if (!strcmp(kv, "volume-nocopy")) {
                        vol_opt = true;
                        r = parse_bool(flag, arg, kv, val, &m.nocopy, e);
                } else if (!strcmp(kv, "volume-driver")) {
                        vol_opt = true;
                        if (!val || strcmp(val, "local"))
                                r = berr_set(e, EINVAL, "%s \"%s\": volume driver \"%s\" is not "
                                                        "supported (only local)",
                                             flag, arg, val ? val : "");
                } else if (!strcmp(kv, "volume-label")) {
                        vol_opt = true; /* labels of a volume created here: not kept */
                } else if (!strcmp(kv, "tmpfs-size")) {
                        tmpfs_opt = true;
                        r = size_opt(flag, arg, val ? val : "", &opts, e);
                } else if (!strcmp(kv, "tmpfs-mode")) {
                        tmpfs_opt = true;
                        r = mode_opt(flag, arg, val ? val : "", &opts, e);
                } else if (!strcmp(kv, "consistency")) {
                        /* docker for Mac's; nothing to do on Linux */
                } else {
                        r = berr_set(e, EINVAL, "%s \"%s\": unknown option \"%s\"", flag, arg, kv);
                }
        }
        char target[PATH_MAX], source[PATH_MAX];
        if (r < 0)
                goto out;
        if (!strcmp(type, "bind"))
                m.type = RUN_MOUNT_BIND;
        else if (!strcmp(type, "volume"))
                m.type = RUN_MOUNT_VOLUME;
        else if (!strcmp(type, "tmpfs"))
                m.type = RUN_MOUNT_TMPFS;
        else {
                r = berr_set(e, EINVAL, "%s \"%s\": unknown type \"%s\" (bind, volume or tmpfs)",
                             flag, arg, type);
                goto out;
        }
        if ((bind_opt && m.type != RUN_MOUNT_BIND) || (vol_opt && m.type != RUN_MOUNT_VOLUME) ||
            (tmpfs_opt && m.type != RUN_MOUNT_TMPFS)) {
                r = berr_set(e, EINVAL, "%s \"%s\": %s options do not go with type=%s", flag, arg,
                             bind_opt ? "bind-*" : vol_opt ? "volume-*" : "tmpfs-*", type);
                goto out;
        }
        if (!dst) {
                r = berr_set(e, EINVAL, "%s \"%s\": target is required", flag, arg);
                goto out;
        }
        if ((r = set_target(flag, arg, dst, target, sizeof(target), e)) < 0)
                goto out;
        m.target = target;
        if (src && !src[0])
                src = NULL;
        if (m.type == RUN_MOUNT_BIND) {
                if (!src) {
                        r = berr_set(e, EINVAL, "%s \"%s\": type=bind needs a source", flag, arg);
                        goto out;
                }
                if (src[0] != '/' || volume_clean_target(src, source, sizeof(source)) < 0) {
                        r = berr_set(e, EINVAL, "%s \"%s\": the bind source \"%s\" is not an "
                                                "absolute path",
                                     flag, arg, src);
                        goto out;
                }
                m.source = source;
        } else if (m.type == RUN_MOUNT_TMPFS) {
                if (src) {
                        r = berr_set(e, EINVAL, "%s \"%s\": type=tmpfs takes no source", flag, arg);
                        goto out;
                }
                m.options = opts;
        } else if (src) {
                if (!volume_name_valid(src)) {
                        r = berr_set(e, EINVAL, "%s \"%s\": \"%s\" is not a valid volume name "
                                                "([a-zA-Z0-9][a-zA-Z0-9_.-]+)",
                                     flag, arg, src);
                        goto out;
                }
                m.source = (char *)src;
        }
        r = push(v, n, &m, e);
out:
        strv_free(opts);
        return r;
}
