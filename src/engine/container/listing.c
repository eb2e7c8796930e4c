#include "engine/container/listing.h"

#include "engine/container/live_index.h"
#include "engine/container/owner.h"
#include "engine/store/containers.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/proc.h"
#include "util/strv.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct rows {
        struct record *v;
        size_t n, cap;
};

/* The next free row (not counted until the caller does n++), NULL on ENOMEM. */
static struct record *next_row(struct rows *rs)
{
        if (rs->n == rs->cap) {
                size_t cap = rs->cap ? rs->cap * 2 : 64;
                struct record *v = realloc(rs->v, cap * sizeof(*v));
                if (!v)
                        return NULL;
                rs->v = v;
                rs->cap = cap;
        }
        return &rs->v[rs->n];
}

/* An exited record beside a live entry: the entry is stale (a writer killed between the two),
 * unless a start is at work on it right now (it holds the owner lock, and is writing the
 * record that makes the entry true): removed only under that lock. */
static void drop_stale_entry(const char *cdir, const char *id)
{
        _cleanup_close_ int lock = owner_lock(cdir, OWNER_NOWAIT, NULL);
        if (lock < 0)
                return;
        struct record again;
        if (record_read_summary(cdir, &again, NULL) == 0 && again.status == REC_EXITED)
                live_index_remove(cdir, id);
        record_clear(&again);
}

/* r: the summary of a record that says created or running, or has a live entry (indexed).
 * Brings it to the truth; false when the container is gone. */
static bool check_live(const char *root, const char *cdir, const char *id, bool indexed,
                       struct record *r)
{
        struct berr ignore;
        if (r->status == REC_EXITED) {
                if (indexed)
                        drop_stale_entry(cdir, id);
                return true;
        }
        if (r->status == REC_RUNNING && r->pid > 0 && proc_start_time(r->pid) == r->pid_start) {
                /* Its init lives, so does its owner (the init dies with it): the record is
                 * true, but for the freezer, whose word is the kernel's (owner.h). */
                if (!r->cgroup[0]) {
                        struct record full;
                        if (record_read(cdir, &full, &ignore) == 0)
                                memcpy(r->cgroup, full.cgroup, sizeof(r->cgroup));
                        record_clear(&full);
                }
                r->paused = container_frozen(r);
        } else {
                /* Created, or its init is gone: the owner may be dead. */
                bool removed = false;
                record_clear(r);
                if (container_reconcile(root, id, r, &removed, &ignore) < 0 || removed ||
                    !r->id[0]) {
                        record_clear(r);
                        return false;
                }
        }
        if (r->status != REC_EXITED && !indexed)
                live_index_add(cdir, id, &ignore); /* a live container lacked its entry */
        return true;
}

/* Reads container id into the next row; counts it unless it is no container to list. */
static int add_one(const char *root, const char *id, bool indexed, bool all, struct rows *rs)
{
        struct record *r = next_row(rs);
        _cleanup_free_ char *cdir = container_dir(root, id);
        if (!r || !cdir)
                return -ENOMEM;
        struct berr ignore;
        int ret = record_read_summary(cdir, r, &ignore);
        if (ret == -ENOENT) {
                /* A create at work, or a killed create's directory (collected now: that takes
                 * its entry too), or a live entry whose container is gone. */
                container_collect_entry(root, id);
                if (indexed && access(cdir, F_OK) < 0 && errno == ENOENT)
                        live_index_remove(cdir, id);
                return 0;
        }
        if (ret < 0 || !r->id[0]) { /* damaged: ps never fails because of one container */
                record_clear(r);
                return 0;
        }
        if ((r->status != REC_EXITED || indexed) && !check_live(root, cdir, id, indexed, r))
                return 0;
        if (!all && r->status != REC_RUNNING) {
                record_clear(r);
                return 0;
        }
        rs->n++;
        return 0;
}

/* Every entry of containers/; the live entries whose container is gone are dropped. */
static int scan_all(const char *root, char **live, struct rows *rs, bool all, struct berr *e)
{
        _cleanup_free_ char *dir = path_join(root, "containers");
        size_t nlive = strv_len(live);
        _cleanup_free_ bool *seen = calloc(nlive + 1, sizeof(bool));
        if (!dir || !seen)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_closedir_ DIR *d = opendir(dir);
        if (!d)
                return errno == ENOENT ? 0 : berr_sys(e, errno, "reading %s", dir);
        struct dirent *de;
        while ((de = readdir(d))) {
                const char *name = de->d_name;
                if (!strncmp(name, ".removing-", 10)) {
                        container_collect_entry(root, name); /* a killed rm's */
                        continue;
                }
                if (strlen(name) != 64 || !is_id_prefix(name))
                        continue; /* names/, live/, nothing of ours */
                long at = live_index_find(live, name);
                if (at >= 0)
                        seen[at] = true;
                if (add_one(root, name, at >= 0, all, rs) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < nlive; i++) {
                _cleanup_free_ char *cdir = seen[i] ? NULL : container_dir(root, live[i]);
                if (cdir && access(cdir, F_OK) < 0 && errno == ENOENT)
                        live_index_remove(cdir, live[i]);
        }
        return 0;
}

int containers_summaries(const char *root, bool all, struct record **out, size_t *n,
                         struct berr *e)
{
        char **live = NULL;
        struct rows rs = {0};
        int r = live_index_list(root, &live, e);
        bool rebuild = r == -ENOENT; /* a store from before the index: made now */
        if (r < 0 && !rebuild) {
                strv_free(live);
                return r;
        }
        if (all || rebuild) {
                r = scan_all(root, live, &rs, all, e);
                if (r == 0 && rebuild) {
                        _cleanup_free_ char *idx = path_join(root, "containers/live");
                        _cleanup_free_ char *top = path_join(root, "containers");
                        if (idx && top && access(top, F_OK) == 0)
                                mkdir(idx, 0700);
                }
        } else {
                for (size_t i = 0; r == 0 && live[i]; i++)
                        if (strlen(live[i]) == 64 && is_id_prefix(live[i]) &&
                            add_one(root, live[i], true, all, &rs) < 0)
                                r = berr_set(e, ENOMEM, "out of memory");
        }
        strv_free(live);
        if (r < 0) {
                containers_summaries_free(rs.v, rs.n);
                return r;
        }
        *out = rs.v;
        *n = rs.n;
        return 0;
}

void containers_summaries_free(struct record *v, size_t n)
{
        for (size_t i = 0; v && i < n; i++)
                record_clear(&v[i]);
        free(v);
}
