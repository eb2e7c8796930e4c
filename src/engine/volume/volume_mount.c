/* -v, --mount, --tmpfs and the image's VOLUMEs -> spec mounts (engine/volume_mount.h). */
#include "engine/volume/volume_mount.h"

#include "core/spec.h"
#include "engine/container/containers.h"
#include "engine/container/control.h"
#include "engine/container/lookup.h"
#include "engine/image/image.h"
#include "engine/volume/volume.h"
#include "engine/volume/volume_copyup.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void run_mount_clear(struct run_mount *m)
{
        free(m->source);
        free(m->target);
        free(m->propagation);
        strv_free(m->options);
        memset(m, 0, sizeof(*m));
}

void run_mounts_free(struct run_mount *m, size_t n)
{
        for (size_t i = 0; m && i < n; i++)
                run_mount_clear(&m[i]);
        free(m);
}

int run_mounts_push(struct run_mount **v, size_t *n, const struct run_mount *m)
{
        struct run_mount *nv = realloc(*v, (*n + 1) * sizeof(*nv));
        if (!nv)
                return -ENOMEM;
        *v = nv;
        struct run_mount *c = &nv[*n];
        *c = *m;
        c->source = m->source ? strdup(m->source) : NULL;
        c->target = m->target ? strdup(m->target) : NULL;
        c->propagation = m->propagation ? strdup(m->propagation) : NULL;
        c->options = m->options ? strv_dup(m->options) : NULL;
        if ((m->source && !c->source) || (m->target && !c->target) ||
            (m->propagation && !c->propagation) || (m->options && !c->options)) {
                run_mount_clear(c);
                return -ENOMEM;
        }
        (*n)++;
        return 0;
}

int volume_clean_target(const char *p, char *out, size_t len)
{
        if (p[0] != '/' || len < 2)
                return -EINVAL;
        size_t o = 0;
        out[o++] = '/';
        while (*p) {
                while (*p == '/')
                        p++;
                size_t n = strcspn(p, "/");
                if (n == 0)
                        break;
                if (n == 1 && p[0] == '.') {
                        /* nothing */
                } else if (n == 2 && p[0] == '.' && p[1] == '.') {
                        while (o > 1 && out[o - 1] != '/')
                                o--;
                        if (o > 1)
                                o--; /* the slash before the removed component */
                } else {
                        if (o + (o > 1) + n + 1 > len)
                                return -EINVAL;
                        if (o > 1)
                                out[o++] = '/';
                        memcpy(out + o, p, n);
                        o += n;
                }
                p += n;
        }
        out[o] = '\0';
        return 0;
}

/* The image config's "config.Volumes" keys (docker's VOLUME instruction). */
static int image_volumes(const char *root, const struct image *img, char ***out, struct berr *e)
{
        *out = calloc(1, sizeof(char *));
        if (!*out)
                return berr_set(e, ENOMEM, "out of memory");
        if (!img || strncmp(img->id, "sha256:", 7))
                return 0;
        _cleanup_free_ char *path = NULL, *text = NULL;
        if (asprintf(&path, "%s/images/blobs/sha256/%s", root, img->id + 7) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        struct berr ignore;
        if (read_file(path, &text, NULL, &ignore) < 0)
                return 0; /* resolved a moment ago; a config without Volumes is the common case */
        json_t *cfg = json_loads(text, 0, NULL);
        json_t *vols = json_object_get(json_object_get(cfg, "config"), "Volumes");
        const char *k;
        json_t *v;
        int r = 0;
        json_object_foreach(vols, k, v)
        {
                char clean[PATH_MAX];
                if (volume_clean_target(k, clean, sizeof(clean)) == 0 && strcmp(clean, "/") &&
                    strv_push(out, clean) < 0)
                        r = berr_set(e, ENOMEM, "out of memory");
        }
        json_decref(cfg);
        return r;
}

struct planned {
        struct run_mount m;
        bool anonymous;
};

static int depth(const char *p)
{
        int d = 0;
        for (const char *c = p; *c; c++)
                d += *c == '/';
        return strcmp(p, "/") ? d : 0;
}

static int by_depth(const void *a, const void *b)
{
        const struct planned *x = a, *y = b;
        int dx = depth(x->m.target), dy = depth(y->m.target);
        if (dx != dy)
                return dx - dy;
        return x < y ? -1 : x > y; /* stable: as given */
}

static int write_record(const char *cdir, const struct planned *p, size_t n, struct berr *e)
{
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
                if (p[i].m.type == RUN_MOUNT_VOLUME)
                        json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "name", p[i].m.source,
                                                             "destination", p[i].m.target,
                                                             "anonymous", p[i].anonymous));
        json_t *o = json_pack("{s:o}", "volumes", arr);
        _cleanup_free_ char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        _cleanup_free_ char *path = path_join(cdir, "volumes.json");
        if (!text || !path)
                return berr_set(e, ENOMEM, "out of memory");
        return write_file_atomic(path, text, strlen(text), 0644, e);
}

static int add_spec_mount(struct spec *s, const char *root, const struct planned *p,
                          struct berr *e)
{
        const struct run_mount *m = &p->m;
        char *opts[16];
        size_t n = 0;
        _cleanup_free_ char *src = NULL;
        const char *type = "bind";
        if (m->type == RUN_MOUNT_TMPFS) {
                type = "tmpfs";
                src = strdup("tmpfs");
                opts[n++] = "nosuid";
                opts[n++] = "nodev";
                opts[n++] = "noexec";
        } else {
                src = m->type == RUN_MOUNT_VOLUME ? volume_data_dir(root, m->source)
                                                  : strdup(m->source);
                opts[n++] = m->nonrecursive ? "bind" : "rbind";
                opts[n++] = m->propagation ? m->propagation : "rprivate";
        }
        if (!src)
                return berr_set(e, ENOMEM, "out of memory");
        opts[n++] = m->readonly ? "ro" : "rw";
        opts[n] = NULL;
        char **all = strv_dup(opts);
        if (!all || (m->type == RUN_MOUNT_TMPFS && strv_extend(&all, m->options) < 0)) {
                strv_free(all);
                return berr_set(e, ENOMEM, "out of memory");
        }
        int r = spec_add_mount(s, m->target, type, src, all);
        strv_free(all);
        return r < 0 ? berr_set(e, ENOMEM, "out of memory") : 0;
}

/* A mount on /etc hides the hostname, hosts and resolv.conf written into the container's
 * upper layer: they are bind-mounted over it, as docker mounts them over any volume. */
static int etc_files_over(struct spec *s, const char *cdir, struct berr *e)
{
        static const char *const files[] = {"hostname", "hosts", "resolv.conf"};
        char *const opts[] = {"bind", "rprivate", NULL};
        for (size_t i = 0; i < 3; i++) {
                char src[PATH_MAX], dst[64];
                snprintf(src, sizeof(src), "%s/upper/etc/%s", cdir, files[i]);
                snprintf(dst, sizeof(dst), "/etc/%s", files[i]);
                if (access(src, F_OK) == 0 && spec_add_mount(s, dst, "bind", src, opts) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
        }
        return 0;
}

static int prepare_one(const char *root, const struct image *img, const char *cdir,
                       const struct planned *p, struct berr *e)
{
        const struct run_mount *m = &p->m;
        if (m->type == RUN_MOUNT_BIND) {
                struct stat st;
                if (stat(m->source, &st) == 0)
                        return 0;
                if (errno != ENOENT || !m->create_source)
                        return berr_sys(e, errno, "bind mount source path %s", m->source);
                return mkdir_p(m->source, 0755, e);
        }
        if (m->type != RUN_MOUNT_VOLUME)
                return 0;
        char *const anon_labels[] = {VOLUME_LABEL_ANONYMOUS "=", NULL};
        int lock = volume_get_locked(root, m->source, p->anonymous ? anon_labels : NULL, e);
        if (lock < 0)
                return lock;
        int r = 0;
        if (!m->nocopy) {
                _cleanup_free_ char *vdir = volume_dir(root, m->source);
                _cleanup_free_ char *mnt = path_join(cdir, "merged");
                r = vdir && mnt ? volume_copy_up(img, m->target, vdir, mnt, e)
                                : berr_set(e, ENOMEM, "out of memory");
                if (r < 0)
                        berr_wrap(e, "volume %s", m->source);
        }
        close(lock);
        return r;
}

int volume_mounts_setup(const char *root, const struct image *img, const struct run_mount *m,
                        size_t n, const char *cdir, struct spec *s, struct berr *e)
{
        char **img_vols = NULL;
        int r = image_volumes(root, img, &img_vols, e);
        size_t total = n + strv_len(img_vols), np = 0;
        struct planned *p = calloc(total ? total : 1, sizeof(*p));
        if (r == 0 && !p)
                r = berr_set(e, ENOMEM, "out of memory");
        for (size_t i = 0; r == 0 && i < n; i++) {
                struct run_mount *one = NULL;
                size_t k = 0;
                if (run_mounts_push(&one, &k, &m[i]) < 0) {
                        r = berr_set(e, ENOMEM, "out of memory");
                        break;
                }
                p[np++].m = *one;
                free(one);
        }
        /* The image's VOLUMEs the user did not mount something else on: anonymous volumes. */
        for (size_t i = 0; r == 0 && img_vols && img_vols[i]; i++) {
                bool taken = false;
                for (size_t j = 0; j < np; j++)
                        taken |= !strcmp(p[j].m.target, img_vols[i]);
                if (!taken) {
                        p[np].m.type = RUN_MOUNT_VOLUME;
                        if (!(p[np++].m.target = strdup(img_vols[i])))
                                r = berr_set(e, ENOMEM, "out of memory");
                }
        }
        for (size_t i = 0; r == 0 && i < np; i++)
                for (size_t j = i + 1; r == 0 && j < np; j++)
                        if (!strcmp(p[i].m.target, p[j].m.target))
                                r = berr_set(e, EINVAL, "duplicate mount point: %s", p[i].m.target);
        for (size_t i = 0; r == 0 && i < np; i++) {
                if (p[i].m.type != RUN_MOUNT_VOLUME || p[i].m.source)
                        continue;
                char name[65];
                p[i].anonymous = true;
                if ((r = container_new_id(name, e)) == 0 && !(p[i].m.source = strdup(name)))
                        r = berr_set(e, ENOMEM, "out of memory");
        }
        for (size_t i = 0; r == 0 && i < np; i++)
                if (p[i].m.type == RUN_MOUNT_VOLUME && !volume_name_valid(p[i].m.source))
                        r = berr_set(e, EINVAL, "invalid volume name \"%s\"", p[i].m.source);
        /* Recorded before any volume is touched: from now on `volume rm` sees the user. */
        if (r == 0 && np)
                r = write_record(cdir, p, np, e);
        for (size_t i = 0; r == 0 && i < np; i++)
                r = prepare_one(root, img, cdir, &p[i], e);
        if (r == 0 && np)
                qsort(p, np, sizeof(*p), by_depth);
        for (size_t i = 0; r == 0 && i < np; i++)
                r = add_spec_mount(s, root, &p[i], e);
        for (size_t i = 0; r == 0 && i < np; i++)
                if (!strcmp(p[i].m.target, "/etc") && !p[i].m.readonly)
                        r = etc_files_over(s, cdir, e);
        for (size_t i = 0; p && i < np; i++)
                run_mount_clear(&p[i].m);
        free(p);
        strv_free(img_vols);
        return r;
}
