#include "engine/container/containers.h"

#include "engine/container/container_volumes.h"
#include "engine/volume/volume.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"
#include "util/workdir.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

static char *names_dir(const char *root)
{
        return path_join(root, "containers/names");
}

int container_name_reserve(const char *root, const char *name, const char *id, struct berr *e)
{
        _cleanup_free_ char *dir = names_dir(root), *link = NULL;
        if (!dir || !(link = path_join(dir, name)))
                return berr_set(e, ENOMEM, "out of memory");
        if (symlink(id, link) == 0)
                return 0;
        if (errno == ENOENT) {
                int r = mkdir_p(dir, 0700, e);
                if (r < 0)
                        return r;
                if (symlink(id, link) == 0)
                        return 0;
        }
        if (errno == EEXIST) {
                char other[80] = "";
                ssize_t n = readlink(link, other, sizeof(other) - 1);
                other[n > 0 ? n : 0] = '\0';
                return berr_set(e, EEXIST,
                                "--name: the name \"%s\" is already in use by container %.12s; "
                                "remove or rename that container first",
                                name, other);
        }
        return berr_sys(e, errno, "reserving the name %s", name);
}

void container_name_release(const char *root, const char *name)
{
        _cleanup_free_ char *dir = names_dir(root), *link = dir ? path_join(dir, name) : NULL;
        if (link)
                unlink(link);
}

void container_name_release_if(const char *root, const char *name, const char *id)
{
        char link[PATH_MAX], target[80];
        snprintf(link, sizeof(link), "%s/containers/names/%s", root, name);
        ssize_t n = readlink(link, target, sizeof(target) - 1);
        if (n == 64 && !memcmp(target, id, 64))
                unlink(link);
}

/* Every name that points to id (one, unless a rename was killed midway). */
static void names_release_all(const char *root, const char *id)
{
        _cleanup_free_ char *dir = names_dir(root);
        _cleanup_closedir_ DIR *d = dir ? opendir(dir) : NULL;
        struct dirent *de;
        while (d && (de = readdir(d)))
                if (de->d_name[0] != '.')
                        container_name_release_if(root, de->d_name, id);
}

static char *trash_dir(const char *root, const char *id)
{
        char *out = NULL;
        if (asprintf(&out, "%s/containers/.removing-%s", root, id) < 0)
                return NULL;
        return out;
}

int container_trash(const char *root, const char *id, const char *name, int held,
                    struct berr *e)
{
        _cleanup_free_ char *dir = container_dir(root, id), *trash = trash_dir(root, id);
        if (!dir || !trash)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_close_ int lock = held >= 0 ? -1 : workdir_lock(dir, true, e);
        if (held < 0 && lock < 0)
                return lock;
        if (rename(dir, trash) < 0)
                return errno == ENOENT ? -ENOENT : berr_sys(e, errno, "renaming %s", dir);
        if (name && name[0])
                container_name_release_if(root, name, id);
        else
                names_release_all(root, id);
        return rm_rf(trash, e);
}

int container_remove_files(const char *root, const char *id, const char *name, struct berr *e)
{
        _cleanup_free_ char *dir = container_dir(root, id);
        if (!dir)
                return berr_set(e, ENOMEM, "out of memory");
        char **anon = NULL; /* --rm: anonymous volumes go with the container, as in docker */
        struct berr ignore;
        container_volumes_read(dir, NULL, &anon, &ignore);
        int r = container_trash(root, id, name, -1, e);
        container_volumes_remove(root, anon);
        strv_free(anon);
        return r == -ENOENT ? 0 : r;
}

static bool is_id(const char *s)
{
        return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

bool container_collect_entry(const char *root, const char *name)
{
        const char *id = !strncmp(name, ".removing-", 10) ? name + 10 : name;
        if (!is_id(id))
                return true;
        bool removing = id != name;
        _cleanup_free_ char *dir = removing ? trash_dir(root, id) : container_dir(root, id);
        _cleanup_free_ char *rec = dir ? path_join(dir, "record.json") : NULL;
        if (!rec)
                return true;
        if (!removing && access(rec, F_OK) == 0)
                return false; /* a container */
        _cleanup_close_ int lock = workdir_lock(dir, false, NULL);
        if (lock < 0)
                return true; /* being created or removed by a live process, or gone */
        /* Checked again under the lock: its creator may have finished just before. */
        if (!removing && access(rec, F_OK) == 0)
                return false;
        char **anon = NULL;
        struct berr ignore;
        if (!removing)
                container_volumes_read(dir, NULL, &anon, &ignore);
        names_release_all(root, id);
        rm_rf(dir, NULL);
        container_volumes_remove(root, anon);
        strv_free(anon);
        return true;
}
