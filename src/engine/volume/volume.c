/* The volume store (engine/volume.h): create, lock, list, inspect, remove, prune. */
#include "engine/volume/volume.h"

#include "engine/container/container_ids.h"
#include "engine/container/container_volumes.h"
#include "engine/container/record.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/flock_wait.h"
#include "util/fs.h"
#include "util/strv.h"
#include "util/workdir.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

bool volume_name_valid(const char *n)
{
        size_t len = strlen(n);
        if (len < 2 || len > 200)
                return false;
        for (size_t i = 0; i < len; i++) {
                char c = n[i];
                bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-')))
                        return false;
        }
        return true;
}

char *volume_dir(const char *root, const char *name)
{
        char *p = NULL;
        return asprintf(&p, "%s/volumes/%s", root, name) < 0 ? NULL : p;
}

char *volume_data_dir(const char *root, const char *name)
{
        char *p = NULL;
        return asprintf(&p, "%s/volumes/%s/_data", root, name) < 0 ? NULL : p;
}

static char *meta_json(char *const *labels)
{
        char now[40];
        rfc3339_now(now);
        json_t *l = json_object();
        for (size_t i = 0; labels && labels[i]; i++) {
                const char *eq = strchr(labels[i], '=');
                _cleanup_free_ char *k = strndup(labels[i], eq ? (size_t)(eq - labels[i])
                                                               : strlen(labels[i]));
                if (k)
                        json_object_set_new(l, k, json_string(eq ? eq + 1 : ""));
        }
        json_t *o = json_pack("{s:s, s:o}", "CreatedAt", now, "Labels", l);
        char *s = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        json_decref(o);
        return s;
}

int volume_create(const char *root, const char *name, char *const *labels, bool *created,
                  struct berr *e)
{
        *created = false;
        if (!volume_name_valid(name))
                return berr_set(e, EINVAL,
                                "invalid volume name \"%s\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are "
                                "allowed, two characters at least; a host directory needs an "
                                "absolute path",
                                name);
        _cleanup_free_ char *top = path_join(root, "volumes");
        _cleanup_free_ char *dir = volume_dir(root, name);
        if (!top || !dir)
                return berr_set(e, ENOMEM, "out of memory");
        struct stat st;
        if (stat(dir, &st) == 0)
                return 0;
        int r = mkdir_p(top, 0700, e);
        if (r < 0)
                return r;
        volumes_collect(root);
        /* Built in a work dir this process owns (a killed create leaves it to a collector). */
        struct workdir w;
        if ((r = workdir_create(top, ".tmp-", &w, e)) < 0) {
                berr_wrap(e, "creating volume %s", name);
                return r;
        }
        chmod(w.path, 0755);
        _cleanup_free_ char *data = path_join(w.path, "_data");
        _cleanup_free_ char *meta = path_join(w.path, "meta.json");
        _cleanup_free_ char *json = meta_json(labels);
        if (!data || !meta || !json)
                r = berr_set(e, ENOMEM, "out of memory");
        else if (mkdir(data, 0755) < 0)
                r = berr_sys(e, errno, "creating volume %s: %s", name, data);
        else
                r = write_file(meta, json, strlen(json), 0644, e);
        if (r == 0 && rename(w.path, dir) < 0) {
                if (errno == EEXIST || errno == ENOTEMPTY)
                        r = 1; /* a concurrent create won */
                else
                        r = berr_sys(e, errno, "creating volume %s", name);
        }
        if (r != 0) {
                workdir_remove(&w, NULL);
                return r < 0 ? r : 0;
        }
        workdir_release(&w);
        *created = true;
        return 0;
}

int volume_lock(const char *root, const char *name, struct berr *e)
{
        _cleanup_free_ char *dir = volume_dir(root, name);
        if (!dir)
                return berr_set(e, ENOMEM, "out of memory");
        /* -ENOENT also when it was renamed away while we waited: a remover does that under
         * this lock (and a kill midway leaves .removing-* to volumes_collect). */
        int fd = workdir_lock(dir, true, e);
        if (fd == -ENOENT)
                return berr_set(e, ENOENT, "no such volume: %s", name);
        if (fd < 0)
                berr_wrap(e, "volume %s", name);
        return fd;
}

int volume_get_locked(const char *root, const char *name, char *const *labels, struct berr *e)
{
        for (int tries = 0; tries < 100; tries++) {
                bool created;
                int r = volume_create(root, name, labels, &created, e);
                if (r < 0)
                        return r;
                r = volume_lock(root, name, e);
                if (r != -ENOENT)
                        return r;
        }
        return berr_set(e, EAGAIN, "volume %s: removed again and again while being created", name);
}

int volume_list(const char *root, char ***names, struct berr *e)
{
        _cleanup_free_ char *top = path_join(root, "volumes");
        *names = calloc(1, sizeof(char *));
        if (!top || !*names)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_closedir_ DIR *d = opendir(top);
        if (!d)
                return errno == ENOENT ? 0 : berr_sys(e, errno, "reading %s", top);
        struct dirent *de;
        while ((de = readdir(d)))
                if (de->d_name[0] != '.' && volume_name_valid(de->d_name) &&
                    strv_push(names, de->d_name) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
        size_t n = strv_len(*names);
        for (size_t i = 1; i < n; i++) /* insertion sort: few volumes */
                for (size_t j = i; j > 0 && strcmp((*names)[j - 1], (*names)[j]) > 0; j--) {
                        char *t = (*names)[j];
                        (*names)[j] = (*names)[j - 1];
                        (*names)[j - 1] = t;
                }
        return 0;
}

static json_t *read_meta(const char *root, const char *name)
{
        _cleanup_free_ char *dir = volume_dir(root, name);
        _cleanup_free_ char *p = dir ? path_join(dir, "meta.json") : NULL;
        _cleanup_free_ char *text = NULL;
        struct berr ignore;
        if (!p || read_file(p, &text, NULL, &ignore) < 0)
                return NULL;
        return json_loads(text, 0, NULL);
}

static bool volume_anonymous(const char *root, const char *name)
{
        json_t *m = read_meta(root, name);
        bool anon = m && json_object_get(json_object_get(m, "Labels"), VOLUME_LABEL_ANONYMOUS);
        json_decref(m);
        return anon;
}

int volume_inspect_json(const char *root, const char *name, char **json, struct berr *e)
{
        _cleanup_free_ char *dir = volume_dir(root, name);
        _cleanup_free_ char *data = volume_data_dir(root, name);
        struct stat st;
        if (!dir || !data)
                return berr_set(e, ENOMEM, "out of memory");
        if (!volume_name_valid(name) || stat(data, &st) < 0)
                return berr_set(e, ENOENT, "no such volume: %s", name);
        json_t *m = read_meta(root, name);
        json_t *labels = m ? json_object_get(m, "Labels") : NULL;
        const char *created = m ? json_string_value(json_object_get(m, "CreatedAt")) : NULL;
        json_t *lab = json_is_object(labels) ? json_incref(labels) : json_object();
        json_t *o = json_pack("{s:s, s:s, s:o, s:s, s:s, s:n, s:s}", "CreatedAt",
                              created ? created : "", "Driver", "local", "Labels", lab,
                              "Mountpoint", data,
                              "Name", name, "Options", "Scope", "local");
        json_decref(m);
        *json = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        json_decref(o);
        return *json ? 0 : berr_set(e, ENOMEM, "out of memory");
}

int volume_users(const char *root, const char *name, char ***ids, struct berr *e)
{
        _cleanup_free_ char *top = path_join(root, "containers");
        *ids = calloc(1, sizeof(char *));
        if (!top || !*ids)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_closedir_ DIR *d = opendir(top);
        if (!d)
                return errno == ENOENT ? 0 : berr_sys(e, errno, "reading %s", top);
        struct dirent *de;
        while ((de = readdir(d))) {
                /* Container directories only: not names/, nor .removing-* (on its way out). */
                if (strlen(de->d_name) != 64 || !is_id_prefix(de->d_name))
                        continue;
                _cleanup_free_ char *cdir = path_join(top, de->d_name);
                char **all = NULL;
                struct berr ignore;
                if (!cdir || container_volumes_read(cdir, &all, NULL, &ignore) < 0)
                        continue;
                bool uses = false;
                for (size_t i = 0; all && all[i]; i++)
                        uses |= !strcmp(all[i], name);
                strv_free(all);
                if (uses && strv_push(ids, de->d_name) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
        }
        return 0;
}

static uint64_t du_total;
static int du_add(const char *path, const struct stat *st, int flag, struct FTW *f)
{
        if (flag == FTW_F)
                du_total += (uint64_t)st->st_size;
        return 0;
}

/* With the lock held: refuse if used (unless force), rename out of the way, delete. */
static int remove_locked(const char *root, const char *name, bool force, uint64_t *bytes,
                         struct berr *e)
{
        char **users = NULL;
        int r = volume_users(root, name, &users, e);
        if (r < 0) {
                strv_free(users);
                return r;
        }
        if (users[0] && !force) {
                r = berr_set(e, EBUSY,
                             "volume %s is in use by container %.12s%s: remove the container "
                             "first, or use volume rm -f",
                             name, users[0], users[1] ? " and others" : "");
                strv_free(users);
                return r;
        }
        strv_free(users);
        _cleanup_free_ char *dir = volume_dir(root, name);
        if (!dir)
                return berr_set(e, ENOMEM, "out of memory");
        if (bytes) {
                du_total = 0;
                nftw(dir, du_add, 16, FTW_PHYS | FTW_MOUNT);
                *bytes = du_total;
        }
        unsigned int rnd = 0;
        getrandom(&rnd, sizeof(rnd), 0);
        char trash[PATH_MAX];
        snprintf(trash, sizeof(trash), "%s/volumes/.removing-%s-%08x", root, name, rnd);
        if (rename(dir, trash) < 0)
                return errno == ENOENT ? berr_set(e, ENOENT, "no such volume: %s", name)
                                       : berr_sys(e, errno, "removing volume %s", name);
        if ((r = rm_rf(trash, e)) < 0)
                berr_wrap(e, "removing volume %s", name);
        return r;
}

int volume_remove(const char *root, const char *name, bool force, struct berr *e)
{
        if (!volume_name_valid(name))
                return berr_set(e, ENOENT, "no such volume: %s", name);
        int lock = volume_lock(root, name, e);
        if (lock < 0)
                return lock;
        int r = remove_locked(root, name, force, NULL, e);
        close(lock);
        return r;
}

void volumes_collect(const char *root)
{
        _cleanup_free_ char *top = path_join(root, "volumes");
        if (!top)
                return;
        workdir_collect(top, ".tmp-", NULL, NULL);      /* killed creates */
        workdir_collect(top, ".removing-", NULL, NULL); /* killed removals */
}

int volumes_prune(const char *root, bool all, char ***removed, uint64_t *bytes, struct berr *e)
{
        char **names = NULL;
        *bytes = 0;
        volumes_collect(root);
        *removed = calloc(1, sizeof(char *));
        int r = *removed ? volume_list(root, &names, e) : berr_set(e, ENOMEM, "out of memory");
        for (size_t i = 0; r == 0 && names[i]; i++) {
                if (!all && !volume_anonymous(root, names[i]))
                        continue;
                struct berr ignore;
                int lock = volume_lock(root, names[i], &ignore);
                if (lock < 0)
                        continue;
                uint64_t b = 0;
                if (remove_locked(root, names[i], false, &b, &ignore) == 0) {
                        *bytes += b;
                        strv_push(removed, names[i]);
                }
                close(lock);
        }
        strv_free(names);
        return r;
}

void container_volumes_remove(const char *root, char *const *names)
{
        for (size_t i = 0; names && names[i]; i++) {
                struct berr ignore;
                volume_remove(root, names[i], false, &ignore);
        }
}
