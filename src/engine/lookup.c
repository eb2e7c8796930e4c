#include "engine/lookup.h"

#include "engine/containers.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int is_id_prefix(const char *s)
{
        size_t n = strlen(s);
        if (n == 0 || n > 64)
                return 0;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
                        return 0;
        return 1;
}

static int cmp(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

int container_list(const char *root, char ***ids, struct berr *e)
{
        _cleanup_free_ char *dir = path_join(root, "containers");
        *ids = calloc(1, sizeof(char *));
        if (!dir || !*ids)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_closedir_ DIR *d = opendir(dir);
        if (!d)
                return errno == ENOENT ? 0 : berr_sys(e, errno, "reading %s", dir);
        struct dirent *de;
        while ((de = readdir(d)))
                if (de->d_name[0] != '.' || strncmp(de->d_name, ".removing-", 10) == 0)
                        if (!container_collect_entry(root, de->d_name) &&
                            strv_push(ids, de->d_name) < 0)
                                return berr_set(e, ENOMEM, "out of memory");
        qsort(*ids, strv_len(*ids), sizeof(char *), cmp);
        return 0;
}

void containers_collect(const char *root)
{
        char **ids = NULL;
        container_list(root, &ids, NULL);
        strv_free(ids);
}

int container_find(const char *root, const char *ref, char id_out[65], struct berr *e)
{
        char link[PATH_MAX], target[80];
        if (!ref[0])
                return berr_set(e, EINVAL, "a container name or id is required");
        /* A name wins over an id prefix, as in docker. */
        if (!strchr(ref, '/')) {
                snprintf(link, sizeof(link), "%s/containers/names/%s", root, ref);
                ssize_t n = readlink(link, target, sizeof(target) - 1);
                if (n == 64) {
                        memcpy(id_out, target, 64);
                        id_out[64] = '\0';
                        return 0;
                }
        }
        if (!is_id_prefix(ref))
                return berr_set(e, ENOENT, "no such container: %s", ref);
        char **ids = NULL;
        int r = container_list(root, &ids, e);
        if (r < 0) {
                strv_free(ids);
                return r;
        }
        size_t matches = 0, rl = strlen(ref);
        char list[512] = "";
        for (size_t i = 0; ids[i]; i++) {
                if (strncmp(ids[i], ref, rl))
                        continue;
                if (matches++ == 0)
                        memcpy(id_out, ids[i], 65);
                if (strlen(list) < sizeof(list) - 20)
                        snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%.12s",
                                 matches > 1 ? ", " : "", ids[i]);
        }
        strv_free(ids);
        if (matches == 0)
                return berr_set(e, ENOENT, "no such container: %s", ref);
        if (matches > 1)
                return berr_set(e, EINVAL, "\"%s\" matches %zu containers (%s): give more of the id",
                                ref, matches, list);
        return 0;
}
