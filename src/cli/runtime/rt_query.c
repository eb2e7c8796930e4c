/* berth-runtime ps, list, features, spec: the commands that look and describe. */
#include "cli/runtime/rt.h"

#include "core/cgroup.h"
#include "core/spec.h"
#include "core/state.h"
#include "engine/container/top.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <dirent.h>
#include <jansson.h>
#include <limits.h>
#include <pwd.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int rt_load_state(const struct rt_globals *g, const char *id, char *dir, unsigned len,
                  struct rt_state *st, struct berr *e)
{
        int r = rt_state_dir(g, id, dir, len, e);
        if (r < 0)
                return r;
        if (access(dir, F_OK) < 0)
                return berr_set(e, ENOENT, "container \"%s\" does not exist", id);
        return state_load(dir, st, e);
}

/* "--format X" / "--format=X" / "-f X". */
static int want_format(int argc, char **argv, int *i, const char **fmt, struct berr *e)
{
        const char *a = argv[*i];
        if (!strncmp(a, "--format=", 9))
                *fmt = a + 9;
        else if ((!strcmp(a, "--format") || !strcmp(a, "-f")) && *i + 1 < argc)
                *fmt = argv[++*i];
        else
                return 0;
        if (strcmp(*fmt, "table") && strcmp(*fmt, "json"))
                return berr_set(e, EINVAL, "%s: --format \"%s\" is not table or json", argv[0], *fmt);
        return 1;
}

static int cmp_pid(const void *a, const void *b)
{
        pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
        return (x > y) - (x < y);
}

static long long boot_time(void)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/stat", "re");
        char line[256];
        long long bt = 0;
        while (f && fgets(line, sizeof(line), f))
                if (sscanf(line, "btime %lld", &bt) == 1)
                        break;
        return bt;
}

int rt_ps(const struct rt_globals *g, int argc, char **argv)
{
        struct berr e = {0};
        const char *fmt = "table", *id = NULL;
        int r = 0;
        for (int i = 1; i < argc; i++) {
                if ((r = want_format(argc, argv, &i, &fmt, &e)) < 0)
                        return rt_fail(g, &e);
                if (r)
                        continue;
                if (!strcmp(argv[i], "--")) {
                        /* ps options after "--" (runc passes them to ps(1)): berth's table is fixed */
                        if (!id && i + 1 < argc)
                                id = argv[i + 1];
                        break;
                }
                if (argv[i][0] == '-') {
                        berr_set(&e, EINVAL, "ps: unknown flag %s", argv[i]);
                        return rt_fail(g, &e);
                }
                if (!id)
                        id = argv[i];
        }
        if (!id) {
                berr_set(&e, EINVAL, "ps: requires a container id");
                return rt_fail(g, &e);
        }
        struct rt_state st;
        char dir[PATH_MAX];
        if (rt_load_state(g, id, dir, sizeof(dir), &st, &e) < 0)
                return rt_fail(g, &e);
        pid_t *pids = NULL;
        size_t n = 0;
        struct cgroup cg = {0};
        if (!strcmp(state_status(dir, &st), "stopped"))
                r = berr_set(&e, EINVAL, "container %s is not running", id);
        else if (!st.cgroup[0])
                r = berr_set(&e, EINVAL, "container %s has no cgroup to list", id);
        else if ((r = cgroup_deserialize(st.cgroup, &cg, &e)) == 0)
                r = cgroup_pids(&cg, &pids, &n, &e);
        cgroup_release(&cg);
        state_clear(&st);
        if (r < 0)
                return rt_fail(g, &e);
        qsort(pids, n, sizeof(pid_t), cmp_pid);
        if (!strcmp(fmt, "json")) {
                putchar('[');
                for (size_t i = 0; i < n; i++)
                        printf("%s%d", i ? "," : "", (int)pids[i]);
                puts("]");
        } else {
                long long bt = boot_time(), now = (long long)time(NULL);
                printf("%-8s %7s %7s %2s %-5s %-8s %8s %s\n", top_titles[0], top_titles[1],
                       top_titles[2], top_titles[3], top_titles[4], top_titles[5], top_titles[6],
                       top_titles[7]);
                for (size_t i = 0; i < n; i++) {
                        char *c[TOP_NCOLS] = {0};
                        if (top_row(pids[i], bt, now, c) == 0 && c[7])
                                printf("%-8s %7s %7s %2s %-5s %-8s %8s %s\n", c[0], c[1], c[2],
                                       c[3], c[4], c[5], c[6], c[7]);
                        for (int k = 0; k < TOP_NCOLS; k++)
                                free(c[k]);
                }
        }
        free(pids);
        return 0;
}

static char *owner_name(uid_t uid)
{
        struct passwd pw, *res = NULL;
        char buf[1024], *out = NULL;
        if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res)
                return strdup(res->pw_name);
        return asprintf(&out, "#%u", (unsigned)uid) < 0 ? NULL : out;
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

int rt_list(const struct rt_globals *g, int argc, char **argv)
{
        struct berr e = {0};
        const char *fmt = "table";
        bool quiet = false;
        int r;
        for (int i = 1; i < argc; i++) {
                if ((r = want_format(argc, argv, &i, &fmt, &e)) < 0)
                        return rt_fail(g, &e);
                if (r)
                        continue;
                if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
                        quiet = true;
                        continue;
                }
                berr_set(&e, EINVAL, "list: unexpected argument %s", argv[i]);
                return rt_fail(g, &e);
        }
        char **ids = calloc(1, sizeof(char *));
        DIR *d = opendir(g->root);
        if (!d && errno != ENOENT) {
                berr_sys(&e, errno, "list: reading %s", g->root);
                strv_free(ids);
                return rt_fail(g, &e);
        }
        for (struct dirent *de; d && ids && (de = readdir(d));)
                if (de->d_name[0] != '.' && strv_push(&ids, de->d_name) < 0) {
                        strv_free(ids);
                        ids = NULL;
                }
        if (d)
                closedir(d);
        if (!ids) {
                berr_set(&e, ENOMEM, "out of memory");
                return rt_fail(g, &e);
        }
        qsort(ids, strv_len(ids), sizeof(char *), cmp_str);
        json_t *all = json_array();
        if (!quiet && strcmp(fmt, "json"))
                printf("%-20s %-8s %-10s %-40s %-31s %s\n", "ID", "PID", "STATUS", "BUNDLE",
                       "CREATED", "OWNER");
        for (size_t i = 0; ids[i]; i++) {
                struct rt_state st;
                char dir[PATH_MAX];
                struct berr ignore;
                if (rt_state_dir(g, ids[i], dir, sizeof(dir), &ignore) < 0 ||
                    state_load(dir, &st, &ignore) < 0)
                        continue; /* not a container's directory (or half made) */
                char *text = state_to_oci_json(dir, &st, 0);
                json_t *o = text ? json_loads(text, 0, NULL) : NULL;
                free(text);
                _cleanup_free_ char *owner = owner_name(st.owner);
                if (o) {
                        json_object_set_new(o, "owner", json_string(owner ? owner : ""));
                        if (quiet)
                                puts(st.id);
                        else if (strcmp(fmt, "json"))
                                printf("%-20s %-8lld %-10s %-40s %-31s %s\n", st.id,
                                       (long long)json_integer_value(json_object_get(o, "pid")),
                                       json_string_value(json_object_get(o, "status")), st.bundle,
                                       st.created, owner ? owner : "");
                        json_array_append_new(all, o);
                }
                state_clear(&st);
        }
        strv_free(ids);
        if (!quiet && !strcmp(fmt, "json")) {
                char *text = json_dumps(all, JSON_COMPACT | JSON_PRESERVE_ORDER);
                puts(text ? text : "[]");
                free(text);
        }
        json_decref(all);
        return 0;
}

/* ---- features */

/* What src/core/mount_opts.c understands (its flag and propagation words, bind, rbind). */
static const char *const mount_options[] = {
        "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec", "loud",
        "mand", "noatime", "nodev", "nodiratime", "noexec", "nomand", "norelatime",
        "nostrictatime", "nosuid", "private", "rbind", "relatime", "remount", "ro", "rprivate",
        "rshared", "rslave", "runbindable", "rw", "shared", "silent", "slave", "strictatime",
        "suid", "sync", "unbindable", NULL};
static const char *const seccomp_actions[] = {
        "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
        "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE",
        "SCMP_ACT_TRAP", NULL};
static const char *const seccomp_operators[] = {
        "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
        "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE", NULL};
static const char *const seccomp_flags[] = {
        "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", NULL};
/* The schema's architecture names that this libseccomp knows. */
static const char *const seccomp_archs[] = {
        "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM",
        "SCMP_ARCH_AARCH64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_MIPS",
        "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
        "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE",
        "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
        "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", NULL};

static json_t *list_json(const char *const *v)
{
        json_t *a = json_array();
        for (size_t i = 0; v[i]; i++)
                json_array_append_new(a, json_string(v[i]));
        return a;
}

static char *features_json(void)
{
        json_t *hooks = json_array(), *ns = json_array(), *caps = json_array(),
               *archs = json_array();
        for (int k = 0; k < SPEC_HOOK__COUNT; k++)
                json_array_append_new(hooks, json_string(spec_hook_name(k)));
        for (int t = 0; t < NS__COUNT; t++)
                if (t != NS_TIME) /* parsed, but refused at create */
                        json_array_append_new(ns, json_string(spec_ns_name(t)));
        for (int c = 0; c <= SPEC_CAP_LAST; c++)
                if (spec_cap_name(c))
                        json_array_append_new(caps, json_string(spec_cap_name(c)));
        for (size_t i = 0; seccomp_archs[i]; i++)
                if (seccomp_arch_resolve_name(seccomp_archs[i] + 10))
                        json_array_append_new(archs, json_string(seccomp_archs[i]));
        json_t *o = json_pack(
                "{s:s,s:s,s:o,s:o,s:{s:o,s:o,s:{s:b,s:b,s:b,s:b,s:b},s:{s:b,s:o,s:o,s:o,s:o,s:o},"
                "s:{s:b},s:{s:b},s:{s:b},s:{s:{s:b}}},s:{}}",
                "ociVersionMin", "1.0.0", "ociVersionMax", "1.2.0", "hooks", hooks, "mountOptions",
                list_json(mount_options), "linux", "namespaces", ns, "capabilities", caps,
                "cgroup", "v1", 1, "v2", 1, "systemd", 0, "systemdUser", 0, "rdma", 0, "seccomp",
                "enabled", 1, "actions", list_json(seccomp_actions), "operators",
                list_json(seccomp_operators), "archs", archs, "knownFlags",
                list_json(seccomp_flags), "supportedFlags", list_json(seccomp_flags),
                "apparmor", "enabled", 0, "selinux", "enabled", 0, "intelRdt", "enabled", 0,
                "mountExtensions", "idmap", "enabled", 0, "annotations");
        if (!o)
                return NULL;
        json_object_set_new(json_object_get(o, "annotations"), "io.github.berth.runtime.version",
                            json_string("0.2.0"));
        char *text = json_dumps(o, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
        json_decref(o);
        return text;
}

int rt_features(const struct rt_globals *g, int argc, char **argv)
{
        struct berr e = {0};
        if (argc != 1) {
                berr_set(&e, EINVAL, "features: takes no arguments");
                return rt_fail(g, &e);
        }
        char *text = features_json();
        if (!text) {
                berr_set(&e, ENOMEM, "out of memory");
                return rt_fail(g, &e);
        }
        puts(text);
        free(text);
        return 0;
}

/* ---- spec */

static int make_rootless(struct spec *s, struct berr *e)
{
        s->namespaces[NS_USER].enabled = true;
        s->namespaces[NS_NETWORK].enabled = false;
        s->uid_mappings = calloc(1, sizeof(*s->uid_mappings));
        s->gid_mappings = calloc(1, sizeof(*s->gid_mappings));
        if (!s->uid_mappings || !s->gid_mappings)
                return berr_set(e, ENOMEM, "out of memory");
        *s->uid_mappings = (struct spec_id_mapping){0, getuid(), 1};
        *s->gid_mappings = (struct spec_id_mapping){0, getgid(), 1};
        s->n_uid_mappings = s->n_gid_mappings = 1;
        for (size_t i = 0; i < s->n_mounts; i++) {
                struct spec_mount *m = &s->mounts[i];
                if (!strcmp(m->destination, "/sys")) {
                        char *const opts[] = {"rbind", "nosuid", "noexec", "nodev", "ro", NULL};
                        free(m->type);
                        free(m->source);
                        m->type = strdup("none");
                        m->source = strdup("/sys");
                        if (!m->type || !m->source || spec_set_strv(&m->options, opts) < 0)
                                return berr_set(e, ENOMEM, "out of memory");
                        continue;
                }
                /* no uid=/gid= options: the ids may not exist in the user namespace */
                for (size_t j = 0; m->options && m->options[j];) {
                        if (!strncmp(m->options[j], "uid=", 4) || !strncmp(m->options[j], "gid=", 4)) {
                                free(m->options[j]);
                                memmove(&m->options[j], &m->options[j + 1],
                                        (strv_len(m->options + j + 1) + 1) * sizeof(char *));
                        } else {
                                j++;
                        }
                }
        }
        /* no cgroup settings: an unprivileged user cannot have them */
        spec_resources_clear(&s->resources);
        spec_resources_init(&s->resources);
        return 0;
}

int rt_spec(const struct rt_globals *g, int argc, char **argv)
{
        struct berr e = {0};
        const char *bundle = ".";
        bool rootless = false;
        for (int i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "--rootless"))
                        rootless = true;
                else if ((!strcmp(argv[i], "--bundle") || !strcmp(argv[i], "-b")) && i + 1 < argc)
                        bundle = argv[++i];
                else if (!strncmp(argv[i], "--bundle=", 9))
                        bundle = argv[i] + 9;
                else {
                        berr_set(&e, EINVAL, "spec: unexpected argument %s", argv[i]);
                        return rt_fail(g, &e);
                }
        }
        _cleanup_free_ char *path = path_join(bundle, "config.json"), *text = NULL;
        if (!path) {
                berr_set(&e, ENOMEM, "out of memory");
                return rt_fail(g, &e);
        }
        if (access(path, F_OK) == 0) {
                berr_set(&e, EEXIST, "File %s exists. Remove it first", path);
                return rt_fail(g, &e);
        }
        struct spec *s = NULL;
        int r = spec_new_default(&s, &e);
        if (r == 0) {
                struct spec_process *p = &s->process;
                uint64_t caps = 1ULL << spec_cap_from_name("CAP_AUDIT_WRITE") |
                                1ULL << spec_cap_from_name("CAP_KILL") |
                                1ULL << spec_cap_from_name("CAP_NET_BIND_SERVICE");
                p->caps = (struct spec_caps){.set = true, .bounding = caps, .effective = caps,
                                             .permitted = caps};
                p->rlimits = calloc(1, sizeof(*p->rlimits));
                if (!p->rlimits)
                        r = berr_set(&e, ENOMEM, "out of memory");
                else {
                        *p->rlimits = (struct spec_rlimit){RLIMIT_NOFILE, 1024, 1024};
                        p->n_rlimits = 1;
                }
                free(s->hostname);
                s->hostname = strdup("berth");
        }
        if (r == 0 && rootless)
                r = make_rootless(s, &e);
        if (r == 0 && !rootless) {
                /* runc's default device cgroup: deny everything but the standard nodes */
                s->resources.devices = calloc(1, sizeof(*s->resources.devices));
                if (s->resources.devices) {
                        *s->resources.devices = (struct spec_device_rule){
                                .allow = false, .type = 'a', .major = -1, .minor = -1, .access = "rwm"};
                        s->resources.n_devices = 1;
                }
        }
        if (r == 0 && (r = spec_to_json(s, &text, &e)) == 0)
                r = write_file(path, text, strlen(text), 0666 & ~0022, &e);
        spec_free(s);
        return r < 0 ? rt_fail(g, &e) : 0;
}
