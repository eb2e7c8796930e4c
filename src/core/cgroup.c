/* The cgroup driver's common half: where the directories are, creating and removing them. The
 * controller files are written by cgroup_v1.c and cgroup_v2.c. */
#include "core/cgroup.h"

#include "core/cgroup_impl.h"
#include "core/spec.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

/* The v1 controllers berth uses; cpuset only when asked, since it costs two writes per level. */
static const char *const v1_wanted[] = {"memory", "cpu",     "cpuacct", "pids",
                                        "blkio",  "freezer", "devices", "cpuset"};

enum cgroup_mode cgroup_mode_detect(void)
{
        struct statfs fs;
        if (statfs("/sys/fs/cgroup", &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC)
                return CGROUP_UNIFIED;
        if (statfs("/sys/fs/cgroup/unified", &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC)
                return CGROUP_HYBRID;
        return CGROUP_LEGACY;
}

void cgroup_release(struct cgroup *cg)
{
        for (size_t i = 0; i < CGROUP_MAX_DIRS; i++) {
                free(cg->dirs[i]);
                free(cg->made_parent[i]);
                cg->dirs[i] = cg->made_parent[i] = NULL;
        }
        strv_free(cg->warnings);
        cg->warnings = NULL;
        cg->n = 0;
}

/* mountpoint + (own path relative to the mount's root) + rel, or mountpoint + abs. */
static char *dir_for(const struct cgroup_mount *m, const char *own, const char *cgroups_path,
                     const char *id)
{
        char *out = NULL;
        if (cgroups_path && cgroups_path[0] == '/') {
                if (asprintf(&out, "%s%s", m->mountpoint, cgroups_path) < 0)
                        return NULL;
                return out;
        }
        size_t rl = strlen(m->root);
        const char *rel = own;
        if (strcmp(m->root, "/") && !strncmp(own, m->root, rl))
                rel = own + rl;
        if (!strcmp(rel, "/"))
                rel = "";
        int r = cgroups_path ? asprintf(&out, "%s%s/%s", m->mountpoint, rel, cgroups_path)
                             : asprintf(&out, "%s%s/berth/%s", m->mountpoint, rel, id);
        return r < 0 ? NULL : out;
}

static int read_self(struct cgroup_mount *mounts, size_t *nm, struct cgroup_membership *mem,
                     size_t *nmem, struct berr *e)
{
        FILE *f = fopen("/proc/self/mountinfo", "re");
        if (!f)
                return berr_sys(e, errno, "reading /proc/self/mountinfo");
        *nm = cgroup_parse_mountinfo(f, mounts, 32);
        fclose(f);
        if (!(f = fopen("/proc/self/cgroup", "re")))
                return berr_sys(e, errno, "reading /proc/self/cgroup");
        *nmem = cgroup_parse_proc(f, mem, 32);
        fclose(f);
        return 0;
}

static int add_dir(struct cgroup *cg, char *dir, const char *controllers, struct berr *e)
{
        if (!dir)
                return berr_set(e, ENOMEM, "out of memory");
        if (cg->n >= CGROUP_MAX_DIRS) {
                free(dir);
                return berr_set(e, E2BIG, "too many cgroup hierarchies");
        }
        cg->dirs[cg->n] = dir;
        snprintf(cg->controllers[cg->n], sizeof(cg->controllers[0]), "%s", controllers);
        cg->n++;
        return 0;
}

static char *parent_of(const char *dir)
{
        char *p = strdup(dir);
        if (p && strrchr(p, '/'))
                *strrchr(p, '/') = '\0';
        return p;
}

static bool v1_hierarchy_wanted(const char *opts, bool want_cpuset)
{
        for (size_t i = 0; i < sizeof(v1_wanted) / sizeof(v1_wanted[0]); i++)
                if (cgroup_list_has(opts, v1_wanted[i]))
                        return want_cpuset || strcmp(v1_wanted[i], "cpuset") != 0; /* last */
        return false;
}

int cgroup_locate(const char *cgroups_path, const char *id, bool want_cpuset, struct cgroup *cg,
                  struct berr *e)
{
        struct cgroup_mount mounts[32];
        struct cgroup_membership mem[32];
        size_t nm = 0, nmem = 0;
        memset(cg, 0, sizeof(*cg));
        cg->mode = cgroup_mode_detect();
        int r = read_self(mounts, &nm, mem, &nmem, e);
        if (r < 0)
                return r;
        for (size_t i = 0; i < nm; i++) {
                const struct cgroup_mount *m = &mounts[i];
                if (m->v2 != (cg->mode == CGROUP_UNIFIED))
                        continue; /* hybrid hosts: the controllers live on v1 */
                if (!m->v2 && !v1_hierarchy_wanted(m->options, want_cpuset))
                        continue;
                /* Which line of /proc/self/cgroup is this hierarchy's? */
                const char *own = NULL, *ctl = "";
                for (size_t j = 0; j < nmem && !own; j++) {
                        if (m->v2 && !mem[j].controllers[0])
                                own = mem[j].path;
                        if (!m->v2 && mem[j].controllers[0]) {
                                const char *c = mem[j].controllers;
                                char first[64];
                                snprintf(first, sizeof(first), "%.*s", (int)strcspn(c, ","), c);
                                if (cgroup_list_has(m->options, first)) {
                                        own = mem[j].path;
                                        ctl = c;
                                }
                        }
                }
                if (!own)
                        continue;
                bool dup = false;
                for (size_t k = 0; k < cg->n; k++)
                        dup |= !strcmp(cg->controllers[k], ctl) && ctl[0];
                if (dup)
                        continue;
                if ((r = add_dir(cg, dir_for(m, own, cgroups_path, id), ctl, e)) < 0) {
                        cgroup_release(cg);
                        return r;
                }
                /* The `berth` level is berth's own, shared by its containers: whoever leaves
                 * it empty removes it (rmdir refuses while another container is inside). */
                if (!cgroups_path)
                        cg->made_parent[cg->n - 1] = parent_of(cg->dirs[cg->n - 1]);
        }
        if (cg->n == 0)
                return berr_set(e, ENOENT, "no usable cgroup hierarchy is mounted under /sys/fs/cgroup");
        return 0;
}

/* Makes path and its missing ancestors, top down, each prepared as a parent: a v1 cpuset level
 * made empty takes no tasks, so it takes the cpus and mems of the level above (a cgroupsPath
 * several levels deep, e.g. "a/b/c", made by nobody before). */
static int make_levels(struct cgroup *cg, size_t i, char *path, struct berr *e)
{
        if (mkdir(path, 0755) == 0)
                return cg_parent_prepare(cg, i, path, e);
        if (errno == EEXIST)
                return 0;
        if (errno != ENOENT)
                return berr_sys(e, errno, "creating cgroup %s", path);
        char *slash = strrchr(path, '/');
        if (!slash || slash == path)
                return berr_sys(e, ENOENT, "creating cgroup %s", path);
        *slash = '\0';
        int r = make_levels(cg, i, path, e);
        *slash = '/';
        if (r < 0)
                return r;
        if (mkdir(path, 0755) == 0)
                return cg_parent_prepare(cg, i, path, e);
        return errno == EEXIST ? 0 : berr_sys(e, errno, "creating cgroup %s", path);
}

/* mkdir of dir and, if missing, of its `berth` parent, which is remembered for removal. */
static int make_dir(struct cgroup *cg, size_t i, struct berr *e)
{
        const char *dir = cg->dirs[i];
        for (int attempt = 0; attempt < 5; attempt++) {
                if (mkdir(dir, 0755) == 0)
                        return 0;
                if (errno == EEXIST)
                        return berr_set(e, EEXIST, "cgroup %s already exists", dir);
                if (errno != ENOENT)
                        return berr_sys(e, errno, "creating cgroup %s", dir);
                /* The parent is missing: make it (another container may remove it meanwhile,
                 * hence the retry). */
                _cleanup_free_ char *parent = strdup(dir);
                if (!parent)
                        return berr_set(e, ENOMEM, "out of memory");
                *strrchr(parent, '/') = '\0';
                if (mkdir(parent, 0755) == 0) {
                        int r = cg_parent_prepare(cg, i, parent, e);
                        if (r < 0)
                                return r;
                        if (!cg->made_parent[i])
                                cg->made_parent[i] = steal_ptr(parent);
                } else if (errno == ENOENT) {
                        int r = make_levels(cg, i, parent, e);
                        if (r < 0)
                                return r;
                } else if (errno != EEXIST) {
                        return berr_sys(e, errno, "creating cgroup %s", parent);
                }
        }
        return berr_set(e, EBUSY, "creating cgroup %s: its parent keeps disappearing", dir);
}

/* The OCI spec makes the runtime supply /dev/null, zero, full, random, urandom, tty, ptmx and the
 * pty nodes: whatever the config's device rules say, these stay usable (as runc and crun do),
 * and mknod stays allowed. Appended last, they win over an earlier deny. */
static const struct spec_device_rule default_devices[] = {
        {true, 'c', -1, -1, "m"},   {true, 'b', -1, -1, "m"},   {true, 'c', 1, 3, "rwm"},
        {true, 'c', 1, 5, "rwm"},   {true, 'c', 1, 7, "rwm"},   {true, 'c', 1, 8, "rwm"},
        {true, 'c', 1, 9, "rwm"},   {true, 'c', 5, 0, "rwm"},   {true, 'c', 5, 2, "rwm"},
        {true, 'c', 136, -1, "rwm"},
};

int cgroup_create(struct cgroup *cg, const struct spec_resources *res_in, struct berr *e)
{
        int r = 0;
        size_t i, nd = sizeof(default_devices) / sizeof(default_devices[0]);
        struct spec_resources res = *res_in; /* shallow: only the device list is replaced */
        _cleanup_free_ struct spec_device_rule *devs = NULL;
        if (res_in->n_devices) {
                devs = malloc((res_in->n_devices + nd) * sizeof(*devs));
                if (!devs)
                        return berr_set(e, ENOMEM, "out of memory");
                memcpy(devs, res_in->devices, res_in->n_devices * sizeof(*devs));
                memcpy(devs + res_in->n_devices, default_devices, sizeof(default_devices));
                res.devices = devs;
                res.n_devices = res_in->n_devices + nd;
        }
        /* The spec: a configuration berth cannot apply is an error, never silently dropped. */
        if (res_in->hugepage_limits_set)
                return berr_set(e, EOPNOTSUPP, "linux.resources.hugepageLimits: berth-runtime does "
                                               "not set hugetlb limits (no hugetlb controller is used)");
        if (res_in->network_set)
                return berr_set(e, EOPNOTSUPP, "linux.resources.network: berth-runtime does not set "
                                               "net_cls/net_prio (classID, priorities)");
        for (i = 0; i < cg->n && r == 0; i++)
                if ((r = make_dir(cg, i, e)) == 0)
                        r = cg_apply(cg, i, &res, false, e);
        if (r < 0) {
                struct berr ignore;
                cg->n = i; /* only what was made */
                cgroup_destroy(cg, &ignore);
        }
        return r;
}

int cgroup_enter(const struct cgroup *cg, pid_t pid, struct berr *e)
{
        char buf[32];
        int len = snprintf(buf, sizeof(buf), "%d", (int)pid);
        for (size_t i = 0; i < cg->n; i++) {
                _cleanup_free_ char *p = path_join(cg->dirs[i], "cgroup.procs");
                if (!p)
                        return berr_set(e, ENOMEM, "out of memory");
                int r = write_file(p, buf, (size_t)len, 0644, e);
                if (r < 0)
                        return r;
        }
        return 0;
}

int cgroup_update(struct cgroup *cg, const struct spec_resources *res, struct berr *e)
{
        for (size_t i = 0; i < cg->n; i++) {
                int r = cg_apply(cg, i, res, true, e);
                if (r < 0)
                        return r;
        }
        return 0;
}

int cgroup_pids(const struct cgroup *cg, pid_t **out, size_t *n, struct berr *e)
{
        *out = NULL;
        *n = 0;
        if (!cg->n)
                return berr_set(e, ENOENT, "no cgroup");
        return cg_read_pids(cg->dirs[0], out, n, e);
}

static bool dir_gone(const char *dir)
{
        return access(dir, F_OK) < 0 && errno == ENOENT;
}

static int rmdir_below(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
        if (type == FTW_DP && ftw->level > 0)
                rmdir(path); /* a child still busy keeps its parent: the caller retries */
        return 0;
}

/* A container allowed to write its cgroup (--privileged, or a bundle's rw cgroup mount) may
 * have made cgroups below its own; rmdir refuses a cgroup with children. Deepest first. */
static void remove_children(const char *dir)
{
        nftw(dir, rmdir_below, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

int cgroup_destroy(struct cgroup *cg, struct berr *e)
{
        int ret = 0;
        bool killed = false;
        for (size_t i = 0; i < cg->n; i++) {
                if (!cg->dirs[i] || dir_gone(cg->dirs[i]))
                        continue;
                /* rmdir fails with EBUSY while a process is inside, and on v1 briefly after the
                 * last one exited: kill what is left once, then retry for up to a second. */
                struct timespec ts = {0, 1000000};
                int attempt;
                for (attempt = 0; attempt < 1000; attempt++) {
                        if (rmdir(cg->dirs[i]) == 0 || errno == ENOENT)
                                break;
                        if (errno != EBUSY) {
                                ret = berr_sys(e, errno, "removing cgroup %s", cg->dirs[i]);
                                break;
                        }
                        if (!killed) {
                                cg_kill_all(cg);
                                killed = true;
                        }
                        remove_children(cg->dirs[i]);
                        nanosleep(&ts, NULL);
                }
                if (attempt == 1000)
                        ret = berr_set(e, EBUSY, "removing cgroup %s: still busy", cg->dirs[i]);
        }
        for (size_t i = 0; i < cg->n; i++)
                if (cg->made_parent[i])
                        rmdir(cg->made_parent[i]); /* fails harmlessly while others use it */
        return ret;
}

char *cgroup_serialize(const struct cgroup *cg)
{
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        if (!f)
                return NULL;
        fprintf(f, "%d", (int)cg->mode);
        for (size_t i = 0; i < cg->n; i++)
                fprintf(f, "|%s=%s", cg->controllers[i], cg->dirs[i]);
        fclose(f);
        return out;
}

int cgroup_deserialize(const char *text, struct cgroup *cg, struct berr *e)
{
        memset(cg, 0, sizeof(*cg));
        char *end;
        long mode = strtol(text, &end, 10);
        if (end == text || mode < 0 || mode > CGROUP_UNIFIED)
                return berr_set(e, EINVAL, "corrupt cgroup description \"%s\"", text);
        cg->mode = (enum cgroup_mode)mode;
        for (const char *p = end; *p == '|';) {
                p++;
                size_t n = strcspn(p, "|");
                const char *eq = memchr(p, '=', n);
                if (!eq || eq[1] != '/')
                        return berr_set(e, EINVAL, "corrupt cgroup description \"%s\"", text);
                char ctl[64];
                snprintf(ctl, sizeof(ctl), "%.*s", (int)(eq - p), p);
                int r = add_dir(cg, strndup(eq + 1, n - (size_t)(eq + 1 - p)), ctl, e);
                if (r < 0)
                        return r;
                p += n;
        }
        /* The `berth` level is tidied by whoever removes the last container under it. */
        for (size_t i = 0; i < cg->n; i++) {
                char *parent = strdup(cg->dirs[i]);
                if (parent && strrchr(parent, '/'))
                        *strrchr(parent, '/') = '\0';
                if (parent && !strcmp(strrchr(parent, '/') ? strrchr(parent, '/') + 1 : "", "berth"))
                        cg->made_parent[i] = parent;
                else
                        free(parent);
        }
        return 0;
}
