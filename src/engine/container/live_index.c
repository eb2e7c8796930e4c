#include "engine/container/live_index.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* <parent of cdir>/live[/<id>] into buf; false if it does not fit. */
static bool entry_path(const char *cdir, const char *id, char *buf, size_t len)
{
        const char *slash = strrchr(cdir, '/');
        int n = slash ? (int)(slash - cdir) : 0;
        int w = id ? snprintf(buf, len, "%.*s/live/%s", n, cdir, id)
                   : snprintf(buf, len, "%.*s/live", n, cdir);
        return w > 0 && (size_t)w < len;
}

int live_index_add(const char *cdir, const char *id, struct berr *e)
{
        char p[PATH_MAX], target[80];
        if (!entry_path(cdir, id, p, sizeof(p)))
                return berr_set(e, ENAMETOOLONG, "path too long: %s", cdir);
        snprintf(target, sizeof(target), "../%s", id);
        if (symlink(target, p) == 0 || errno == EEXIST)
                return 0;
        if (errno == ENOENT) {
                char dir[PATH_MAX];
                entry_path(cdir, NULL, dir, sizeof(dir));
                if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                        return berr_sys(e, errno, "creating %s", dir);
                if (symlink(target, p) == 0 || errno == EEXIST)
                        return 0;
        }
        return berr_sys(e, errno, "adding %s to the index of live containers", p);
}

void live_index_remove(const char *cdir, const char *id)
{
        char p[PATH_MAX];
        if (entry_path(cdir, id, p, sizeof(p)))
                unlink(p);
}

static int cmp(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

int live_index_list(const char *root, char ***ids, struct berr *e)
{
        _cleanup_free_ char *dir = path_join(root, "containers/live");
        *ids = calloc(1, sizeof(char *));
        if (!dir || !*ids)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_closedir_ DIR *d = opendir(dir);
        if (!d)
                return errno == ENOENT ? -ENOENT : berr_sys(e, errno, "reading %s", dir);
        struct dirent *de;
        while ((de = readdir(d)))
                if (de->d_name[0] != '.' && strv_push(ids, de->d_name) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
        qsort(*ids, strv_len(*ids), sizeof(char *), cmp);
        return 0;
}

long live_index_find(char *const *ids, const char *id)
{
        char *const *hit = ids ? bsearch(&id, ids, strv_len(ids), sizeof(char *), cmp) : NULL;
        return hit ? (long)(hit - ids) : -1;
}
