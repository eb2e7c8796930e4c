/* --userns=remap: the container's root is an unprivileged host id (docker's userns-remap).
 *
 * The image's layers belong to host root, which the container's user namespace does not map:
 * as lower dirs they would read as nobody and every copy-up would fail. As docker does, berth
 * keeps a copy of each layer with ownership shifted by the mapping's start, made once per layer
 * and mapping under <root>/images/layers-remap/<start>-<size>/<diffid>/diff. Overlay mounted
 * inside a user namespace keeps its markers in user.overlay.* xattrs ("userxattr"), so opaque
 * directories are translated on the way. */
#include "engine/security/userns.h"

#include "core/spec.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/flock_wait.h"
#include "util/fs.h"
#include "util/strv.h"

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

int userns_parse_subid(FILE *f, const char *user, uint32_t *start, uint32_t *count)
{
        char line[512];
        while (f && fgets(line, sizeof(line), f)) {
                char name[256];
                unsigned long s, c;
                if (sscanf(line, "%255[^:]:%lu:%lu", name, &s, &c) == 3 && !strcmp(name, user) &&
                    c > 0 && s > 0 && s <= UINT32_MAX && c <= UINT32_MAX - s) {
                        *start = (uint32_t)s;
                        *count = (uint32_t)c;
                        return 0;
                }
        }
        return -ENOENT;
}

static int subid(const char *file, uint32_t *start, uint32_t *count, struct berr *e)
{
        FILE *f = fopen(file, "re");
        int r = userns_parse_subid(f, "root", start, count);
        if (f)
                fclose(f);
        if (r < 0)
                return berr_set(e, ENOENT, "--userns remap: %s has no range for root (add a "
                                           "line like root:100000:65536, or give "
                                           "--userns remap:HOSTID[:SIZE])",
                                file);
        return 0;
}

int userns_parse_flag(const char *arg, struct userns_map *m, struct berr *e)
{
        memset(m, 0, sizeof(*m));
        if (!strcmp(arg, "host") || !arg[0])
                return 0;
        if (!strcmp(arg, "remap")) {
                uint32_t gs, gc;
                int r = subid("/etc/subuid", &m->host_id, &m->size, e);
                if (r < 0 || (r = subid("/etc/subgid", &gs, &gc, e)) < 0)
                        return r;
                if (gs != m->host_id || gc < m->size)
                        return berr_set(e, EINVAL, "--userns remap: root's ranges in /etc/subuid "
                                                   "and /etc/subgid differ; berth needs one range for both");
                m->enabled = true;
                return 0;
        }
        unsigned long id, size = 65536;
        char extra;
        int n = sscanf(arg, "remap:%lu:%lu%c", &id, &size, &extra);
        if ((n != 1 && n != 2) || id == 0 || id > UINT32_MAX || size < 1 || size > 65536 * 64 ||
            id + size > UINT32_MAX)
                return berr_set(e, EINVAL, "--userns: \"%s\" is not host, remap or remap:HOSTID[:SIZE]",
                                arg);
        m->enabled = true;
        m->host_id = (uint32_t)id;
        m->size = (uint32_t)size;
        return 0;
}

/* ---- the shifted copy of a layer ---- */

static const char *g_src;
static char g_dst[PATH_MAX];
static uint32_t g_shift;
static int g_err;

static int copy_data(const char *from, const char *to, mode_t mode)
{
        _cleanup_close_ int in = open(from, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        _cleanup_close_ int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 07777);
        if (in < 0 || out < 0)
                return -errno;
        for (;;) {
                ssize_t n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
                if (n == 0)
                        return 0;
                if (n < 0)
                        return -errno;
        }
}

static void copy_xattrs(const char *from, const char *to)
{
        char names[4096];
        ssize_t n = llistxattr(from, names, sizeof(names));
        for (ssize_t i = 0; i < n; i += (ssize_t)strlen(names + i) + 1) {
                const char *name = names + i;
                char val[4096], newname[256];
                ssize_t vl = lgetxattr(from, name, val, sizeof(val));
                if (vl < 0)
                        continue;
                /* trusted.overlay.* -> user.overlay.*: what overlay reads with userxattr */
                if (!strncmp(name, "trusted.overlay.", 16))
                        snprintf(newname, sizeof(newname), "user.overlay.%s", name + 16);
                else if (!strncmp(name, "user.", 5) || !strncmp(name, "security.capability", 19))
                        snprintf(newname, sizeof(newname), "%s", name);
                else
                        continue;
                lsetxattr(to, newname, val, (size_t)vl, 0);
        }
}

static int shift_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
        char to[PATH_MAX];
        if (snprintf(to, sizeof(to), "%s%s", g_dst, path + strlen(g_src)) >= (int)sizeof(to)) {
                g_err = -ENAMETOOLONG;
                return 1;
        }
        int r = 0;
        if (type == FTW_D)
                r = mkdir(to, st->st_mode & 07777) < 0 && errno != EEXIST ? -errno : 0;
        else if (S_ISREG(st->st_mode))
                r = copy_data(path, to, st->st_mode);
        else if (S_ISLNK(st->st_mode)) {
                char target[PATH_MAX];
                ssize_t n = readlink(path, target, sizeof(target) - 1);
                target[n > 0 ? n : 0] = '\0';
                r = n < 0 || symlink(target, to) < 0 ? -errno : 0;
        } else if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) || S_ISFIFO(st->st_mode)) {
                r = mknod(to, st->st_mode, st->st_rdev) < 0 ? -errno : 0; /* whiteouts too */
        }
        if (r == 0 && lchown(to, st->st_uid + g_shift, st->st_gid + g_shift) < 0)
                r = -errno;
        if (r == 0 && !S_ISLNK(st->st_mode)) {
                if (type != FTW_D)
                        chmod(to, st->st_mode & 07777); /* after chown, which clears setuid */
                copy_xattrs(path, to);
        }
        (void)ftw;
        if (r < 0) {
                g_err = r;
                return 1;
        }
        return 0;
}

/* Directories' modes and times once their content is in (a 0555 dir could not be filled). */
static int fix_dir(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
        char to[PATH_MAX];
        (void)ftw;
        if (type != FTW_DP)
                return 0;
        snprintf(to, sizeof(to), "%s%s", g_dst, path + strlen(g_src));
        chmod(to, st->st_mode & 07777);
        struct timespec ts[2] = {st->st_atim, st->st_mtim};
        utimensat(AT_FDCWD, to, ts, AT_SYMLINK_NOFOLLOW);
        return 0;
}

static int shifted_layer(const char *root, const char *layer_link, const struct userns_map *m,
                         char **out, struct berr *e)
{
        /* The store may hand out short links to layers: the real one is
         * <root>/images/layers/<hex>/diff, and <hex> names the copy. */
        char layer[PATH_MAX];
        if (!realpath(layer_link, layer))
                return berr_sys(e, errno, "--userns: layer %s", layer_link);
        char hex[128];
        const char *end = strrchr(layer, '/');
        const char *beg = end;
        while (beg > layer && beg[-1] != '/')
                beg--;
        snprintf(hex, sizeof(hex), "%.*s", (int)(end - beg), beg);
        char dir[PATH_MAX], done[PATH_MAX + 8], tmp[PATH_MAX + 32];
        snprintf(dir, sizeof(dir), "%s/images/layers-remap/%u-%u/%s", root, m->host_id, m->size, hex);
        snprintf(done, sizeof(done), "%s/diff", dir);
        if (!(*out = strdup(done)))
                return berr_set(e, ENOMEM, "out of memory");
        if (access(done, F_OK) == 0)
                return 0;
        int r = mkdir_p(dir, 0711, e);
        if (r < 0)
                return r;
        /* Two runs may make the same copy: the lock lets one, the other finds it done. */
        char lockp[PATH_MAX + 8];
        snprintf(lockp, sizeof(lockp), "%s/lock", dir);
        _cleanup_close_ int lock = open(lockp, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (lock < 0)
                return berr_sys(e, errno, "locking %s", lockp);
        if ((r = flock_wait(lock, lockp, -1, e)) < 0) /* not forever on a stopped holder */
                return r;
        if (access(done, F_OK) == 0)
                return 0;
        snprintf(tmp, sizeof(tmp), "%s/diff.tmp", dir);
        struct berr ignore;
        rm_rf(tmp, &ignore);
        g_src = layer;
        snprintf(g_dst, sizeof(g_dst), "%s", tmp);
        g_shift = m->host_id;
        g_err = 0;
        if (nftw(layer, shift_one, 64, FTW_PHYS) != 0 || g_err ||
            nftw(layer, fix_dir, 64, FTW_PHYS | FTW_DEPTH) != 0) {
                rm_rf(tmp, &ignore);
                return berr_sys(e, g_err ? g_err : errno, "--userns: copying layer %s", hex);
        }
        if (rename(tmp, done) < 0)
                return berr_sys(e, errno, "--userns: storing layer %s", hex);
        return 0;
}

int userns_layers(const char *root, char *const *layers, const struct userns_map *m,
                  char ***out, struct berr *e)
{
        *out = calloc(1, sizeof(char *));
        if (!*out)
                return berr_set(e, ENOMEM, "out of memory");
        for (size_t i = 0; layers && layers[i]; i++) {
                _cleanup_free_ char *p = NULL;
                int r = shifted_layer(root, layers[i], m, &p, e);
                if (r < 0 || strv_push(out, p) < 0)
                        return r < 0 ? r : berr_set(e, ENOMEM, "out of memory");
        }
        return 0;
}

/* chown -R of what berth made for the container: upper (with its /etc files), work. */
static int chown_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
        (void)type;
        (void)ftw;
        if (lchown(path, st->st_uid + g_shift, st->st_gid + g_shift) < 0) {
                g_err = -errno;
                return 1;
        }
        return 0;
}

/* The mapped root mounts the overlay from inside its namespace: it must be able to pass
 * through the store's directories to its layers and its container directory. Traverse only
 * (o+x), never list or read. */
static int let_through(const char *root, const char *cdir, struct berr *e)
{
        char p[PATH_MAX];
        const char *const dirs[] = {"", "/images", "/images/layers-remap", "/containers"};
        for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
                struct stat st;
                snprintf(p, sizeof(p), "%s%s", root, dirs[i]);
                if (stat(p, &st) == 0 && !(st.st_mode & S_IXOTH) &&
                    chmod(p, (st.st_mode & 07777) | S_IXOTH) < 0)
                        return berr_sys(e, errno, "--userns: letting the mapped root through %s", p);
        }
        (void)cdir;
        return 0;
}

int userns_apply(struct spec *s, const struct userns_map *m, const char *cdir, struct berr *e)
{
        static const char *const subs[] = {"upper", "work", "merged"};
        /* cdir is <root>/containers/<id> */
        char root[PATH_MAX];
        snprintf(root, sizeof(root), "%s", cdir);
        for (int k = 0; k < 2 && strrchr(root, '/'); k++)
                *strrchr(root, '/') = '\0';
        int rr = let_through(root, cdir, e);
        if (rr < 0)
                return rr;
        if (lchown(cdir, m->host_id, m->host_id) < 0)
                return berr_sys(e, errno, "--userns: chown %s", cdir);
        for (size_t i = 0; i < 3; i++) {
                char p[PATH_MAX];
                snprintf(p, sizeof(p), "%s/%s", cdir, subs[i]);
                g_shift = m->host_id;
                g_err = 0;
                if (nftw(p, chown_one, 64, FTW_PHYS) != 0 || g_err)
                        return berr_sys(e, g_err ? g_err : errno, "--userns: chown %s", p);
        }
        s->namespaces[NS_USER].enabled = true;
        struct spec_id_mapping *u = calloc(1, sizeof(*u)), *g = calloc(1, sizeof(*g));
        if (!u || !g) {
                free(u);
                free(g);
                return berr_set(e, ENOMEM, "out of memory");
        }
        *u = (struct spec_id_mapping){0, m->host_id, m->size};
        *g = *u;
        free(s->uid_mappings);
        free(s->gid_mappings);
        s->uid_mappings = u;
        s->gid_mappings = g;
        s->n_uid_mappings = s->n_gid_mappings = 1;
        /* Overlay in a user namespace keeps its markers in user.* xattrs. */
        if (s->root_mount && s->root_mount->options && s->root_mount->options[0]) {
                char *opt = NULL;
                if (asprintf(&opt, "%s,userxattr", s->root_mount->options[0]) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
                free(s->root_mount->options[0]);
                s->root_mount->options[0] = opt;
        }
        return 0;
}
