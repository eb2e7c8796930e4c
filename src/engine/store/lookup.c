#include "engine/store/lookup.h"

#include "engine/store/containers.h"

#include "engine/store/record.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/proc.h"
#include "util/strv.h"

#include <dirent.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One entry of containers/ (d its directory): a container to list? A directory without a
 * record and a .removing-* are a killed writer's leftovers, collected here if their owner is
 * dead; a record costs one faccessat, so a store of many containers is read quickly. */
static bool entry_is_container(const char *root, DIR *d, const char *name)
{
        if (strlen(name) == 64 && is_id_prefix(name)) {
                char rec[80];
                snprintf(rec, sizeof(rec), "%s/record.json", name);
                if (faccessat(dirfd(d), rec, F_OK, 0) == 0)
                        return true;
        } else if (strncmp(name, ".removing-", 10) != 0) {
                return false; /* names/, and nothing of ours */
        }
        return !container_collect_entry(root, name);
}

static int scan(const char *root, char ***ids, struct berr *e)
{
        _cleanup_free_ char *dir = path_join(root, "containers");
        if (!dir)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_closedir_ DIR *d = opendir(dir);
        if (!d)
                return errno == ENOENT ? 0 : berr_sys(e, errno, "reading %s", dir);
        struct dirent *de;
        while ((de = readdir(d)))
                if (entry_is_container(root, d, de->d_name) && ids &&
                    strv_push(ids, de->d_name) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
        return 0;
}

int container_list(const char *root, char ***ids, struct berr *e)
{
        *ids = calloc(1, sizeof(char *));
        if (!*ids)
                return berr_set(e, ENOMEM, "out of memory");
        int r = scan(root, ids, e);
        if (r == 0)
                qsort(*ids, strv_len(*ids), sizeof(char *), cmp);
        return r;
}

void containers_collect(const char *root)
{
        scan(root, NULL, NULL);
}

/* A record that exists (dfd: containers/)? A directory without one is a create at work or
 * a killed create's leftover: no container to find. */
static bool has_record(int dfd, const char *id)
{
        char rec[80];
        snprintf(rec, sizeof(rec), "%s/record.json", id);
        return faccessat(dfd, rec, F_OK, 0) == 0;
}

/* An id prefix: the names in containers/ are the ids, so one readdir resolves it and only the
 * matches' records are looked at: no record of any other container is opened. */
static int find_prefix(const char *root, const char *ref, char id_out[65], struct berr *e)
{
        _cleanup_free_ char *dir = path_join(root, "containers");
        if (!dir)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_closedir_ DIR *d = opendir(dir);
        if (!d && errno != ENOENT)
                return berr_sys(e, errno, "reading %s", dir);
        size_t matches = 0, rl = strlen(ref);
        char list[512] = "";
        if (rl == 64 && d) { /* a whole id: no need to read the directory */
                if (has_record(dirfd(d), ref)) {
                        memcpy(id_out, ref, 65);
                        return 0;
                }
                return berr_set(e, ENOENT, "no such container: %s", ref);
        }
        struct dirent *de;
        while (d && (de = readdir(d))) {
                if (strncmp(de->d_name, ref, rl) || strlen(de->d_name) != 64 ||
                    !is_id_prefix(de->d_name) || !has_record(dirfd(d), de->d_name))
                        continue;
                if (matches++ == 0)
                        memcpy(id_out, de->d_name, 65);
                if (strlen(list) < sizeof(list) - 20)
                        snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%.12s",
                                 matches > 1 ? ", " : "", de->d_name);
        }
        if (matches == 0)
                return berr_set(e, ENOENT, "no such container: %s", ref);
        if (matches > 1)
                return berr_set(e, EINVAL, "\"%s\" matches %zu containers (%s): give more of the id",
                                ref, matches, list);
        return 0;
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
        return find_prefix(root, ref, id_out, e);
}

int container_running_pid(const char *root, const char *ref, char id[65], pid_t *pid,
                          struct berr *e)
{
        int r = container_find(root, ref, id, e);
        if (r < 0)
                return r;
        _cleanup_free_ char *cdir = container_dir(root, id);
        if (!cdir)
                return berr_set(e, ENOMEM, "out of memory");
        struct record rec;
        r = record_read(cdir, &rec, e);
        if (r < 0)
                return r == -ENOENT ? berr_set(e, ENOENT, "no such container: %s", ref) : r;
        bool running = rec.status == REC_RUNNING && rec.pid > 0 && kill(rec.pid, 0) == 0 &&
                       proc_start_time(rec.pid) == rec.pid_start;
        *pid = rec.pid;
        record_clear(&rec);
        return running ? 0 : berr_set(e, EINVAL, "container %s is not running", ref);
}
