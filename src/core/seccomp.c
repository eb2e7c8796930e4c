#include "core/seccomp.h"

#include "core/seccomp_stub.h"
#include "core/spec.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sha256.h"

#include <jansson.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int flags_of(const struct spec_seccomp *sc, unsigned int *out, struct berr *e)
{
        static const struct {
                const char *name;
                unsigned int flag;
        } known[] = {{"SECCOMP_FILTER_FLAG_TSYNC", 0 /* one thread: nothing to sync */},
                     {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
                     {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
                     {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 1U << 5}};
        *out = 0;
        for (size_t i = 0; sc->flags && sc->flags[i]; i++) {
                size_t k;
                for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
                        if (!strcmp(sc->flags[i], known[k].name))
                                break;
                if (k == sizeof(known) / sizeof(known[0]))
                        return berr_set(e, EINVAL, "linux.seccomp.flags: unknown flag \"%s\"",
                                        sc->flags[i]);
                *out |= known[k].flag;
        }
        if (sc->uses_notify)
                *out |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
        else if (*out & (1U << 5))
                return berr_set(e, EINVAL, "linux.seccomp.flags: "
                                           "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs an "
                                           "SCMP_ACT_NOTIFY rule");
        return 0;
}

/* SCMP_ACT_NOTIFY: the agent at listenerPath answers the notified calls once it has the fd,
 * which the init sends right after loading the filter (sendmsg). A notified sendmsg, or a
 * notifying default (every call of the init up to execve), would wait for it forever. */
static int check_notify(const struct spec_seccomp *sc, struct berr *e)
{
        if (sc->default_action == SCMP_ACT_NOTIFY)
                return berr_set(e, EINVAL, "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot "
                                           "be the default: berth's own calls before execve "
                                           "would wait for the agent");
        if (!sc->uses_notify)
                return 0;
        if (!sc->listener_path)
                return berr_set(e, EINVAL, "linux.seccomp: SCMP_ACT_NOTIFY needs listenerPath");
        for (size_t i = 0; i < sc->n_rules; i++)
                for (size_t j = 0; sc->rules[i].action == SCMP_ACT_NOTIFY && sc->rules[i].names[j]; j++)
                        if (!strcmp(sc->rules[i].names[j], "sendmsg"))
                                return berr_set(e, EINVAL, "linux.seccomp.syscalls[%zu]: "
                                                           "SCMP_ACT_NOTIFY on sendmsg: berth "
                                                           "sends the notify fd with it",
                                                i);
        return 0;
}

/* The filter's architectures (native first), for the stub. */
struct arches {
        uint32_t a[16];
        size_t n;
};

/* A whole-call rule on a name this libseccomp does not know: into the stub, for every
 * architecture of the filter berth knows the number on. */
static int stub_rule(struct seccomp_stub *st, const struct arches *ar,
                     const struct spec_seccomp_rule *r, const char *name, size_t i, struct berr *e)
{
        if (r->n_args)
                return 0; /* conditions need libseccomp: skipped, as runc does */
        for (size_t k = 0; k < ar->n; k++)
                if (seccomp_stub_add(st, ar->a[k], name, r->action) < 0)
                        return berr_set(e, E2BIG,
                                        "linux.seccomp.syscalls[%zu]: %s: too many syscalls "
                                        "unknown to libseccomp",
                                        i, name);
        return 0;
}

static int add_rules(scmp_filter_ctx ctx, const struct spec_seccomp *sc, const struct arches *ar,
                     struct seccomp_stub *st, struct berr *e)
{
        for (size_t i = 0; i < sc->n_rules; i++) {
                const struct spec_seccomp_rule *r = &sc->rules[i];
                if (r->action == sc->default_action)
                        continue; /* libseccomp refuses rules that repeat the default */
                struct scmp_arg_cmp cmp[6];
                size_t n = r->n_args > 6 ? 6 : r->n_args;
                for (size_t k = 0; k < n; k++)
                        cmp[k] = (struct scmp_arg_cmp){r->args[k].index, (enum scmp_compare)r->args[k].op,
                                                       r->args[k].value, r->args[k].value_two};
                for (size_t j = 0; r->names[j]; j++) {
                        int nr = seccomp_syscall_resolve_name(r->names[j]);
                        if (nr == __NR_SCMP_ERROR) {
                                /* unknown to this libseccomp: berth's own numbers, or skip */
                                if (stub_rule(st, ar, r, r->names[j], i, e) < 0)
                                        return -E2BIG;
                                continue;
                        }
                        int ret = seccomp_rule_add_array(ctx, r->action, nr, (unsigned)n, cmp);
                        /* Two conditions on one argument are an AND libseccomp cannot express
                         * in one rule: add one rule per condition (an OR), as runc does. */
                        if (ret == -EINVAL && n > 1) {
                                ret = 0;
                                for (size_t k = 0; k < n && ret == 0; k++)
                                        ret = seccomp_rule_add_array(ctx, r->action, nr, 1, &cmp[k]);
                        }
                        if (ret < 0 && ret != -EEXIST)
                                return berr_set(e, -ret, "linux.seccomp.syscalls[%zu]: %s: %s", i,
                                                r->names[j], strerror(-ret));
                }
        }
        return 0;
}

static int with_stub(const struct seccomp_stub *st, struct seccomp_prog *p, struct berr *e)
{
        struct sock_filter *f;
        size_t n;
        int r = seccomp_stub_prepend(st, p->filter, p->len, &f, &n);
        if (r < 0)
                return berr_set(e, -r, "compiling the seccomp filter: %s",
                                r == -E2BIG ? "more than 4096 instructions" : strerror(-r));
        free(p->filter);
        p->filter = f;
        p->len = (unsigned short)n;
        return 0;
}

static int build(const struct spec_seccomp *sc, struct seccomp_prog *out, struct berr *e)
{
        scmp_filter_ctx ctx = seccomp_init(sc->default_action);
        if (!ctx)
                return berr_set(e, EINVAL, "linux.seccomp.defaultAction: not accepted by libseccomp");
        /* A binary tree of syscall numbers instead of a linear list: with docker's ~350 rules
         * every syscall of the container would otherwise walk hundreds of instructions. */
        seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
        int r = 0;
        struct arches ar = {.a = {seccomp_arch_native()}, .n = 1};
        for (size_t i = 0; sc->architectures && sc->architectures[i] && r == 0; i++) {
                const char *a = sc->architectures[i];
                uint32_t arch = seccomp_arch_resolve_name(strncmp(a, "SCMP_ARCH_", 10) ? a : a + 10);
                /* libseccomp's names are lower case: x86_64, x32, x86 ... */
                if (!arch) {
                        char low[64];
                        snprintf(low, sizeof(low), "%s", strncmp(a, "SCMP_ARCH_", 10) ? a : a + 10);
                        for (char *p = low; *p; p++)
                                *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
                        arch = seccomp_arch_resolve_name(low);
                }
                if (!arch)
                        r = berr_set(e, EINVAL, "linux.seccomp.architectures: unknown \"%s\"", a);
                else if ((r = seccomp_arch_add(ctx, arch)) == -EEXIST)
                        r = 0;
                else if (r == 0 && ar.n < sizeof(ar.a) / sizeof(ar.a[0]))
                        ar.a[ar.n++] = arch;
                else if (r < 0)
                        r = berr_set(e, -r, "linux.seccomp.architectures: %s: %s", a, strerror(-r));
        }
        struct seccomp_stub *st = calloc(1, sizeof(*st));
        if (!st)
                r = berr_set(e, ENOMEM, "compiling the seccomp filter: out of memory");
        if (r == 0)
                r = add_rules(ctx, sc, &ar, st, e);
        if (r == 0) {
                /* Export the BPF into memory through a memfd. */
                _cleanup_close_ int fd = memfd_create("seccomp", MFD_CLOEXEC);
                if (fd < 0 || seccomp_export_bpf(ctx, fd) < 0) {
                        r = berr_sys(e, errno ? errno : EIO, "exporting the seccomp filter");
                } else {
                        off_t len = lseek(fd, 0, SEEK_CUR);
                        out->filter = malloc((size_t)len);
                        out->len = (unsigned short)(len / (off_t)sizeof(struct sock_filter));
                        if (!out->filter || pread(fd, out->filter, (size_t)len, 0) != len)
                                r = berr_set(e, EIO, "reading the seccomp filter");
                }
        }
        if (r == 0 && st->n)
                r = with_stub(st, out, e);
        if (r < 0)
                secfilter_free(out); /* nothing half-done */
        free(st);
        seccomp_release(ctx);
        return r;
}

/* The cache key: the filter's JSON, which names everything the program depends on. */
static int cache_path(const struct spec_seccomp *sc, const char *dir, char *out, size_t len)
{
        struct spec s = {0};
        s.seccomp = (struct spec_seccomp *)sc;
        json_t *root = json_pack("{s:{}}", "linux");
        spec_security_to_json(&s, root);
        char *text = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(root);
        if (!text)
                return -ENOMEM;
        char digest[SHA256_DIGEST_STR_LEN];
        int r = sha256_buf(text, strlen(text), digest);
        free(text);
        if (r < 0)
                return r;
        /* The last number is how berth builds filters: bump it when that changes (3: the stub
         * for syscalls newer than libseccomp). */
        snprintf(out, len, "%s/seccomp-%s-%d-3.bpf", dir, digest + 7,
                 SCMP_VER_MAJOR * 100 + SCMP_VER_MINOR);
        return 0;
}

int secfilter_compile(const struct spec_seccomp *sc, const char *cache_dir,
                    struct seccomp_prog *out, struct berr *e)
{
        memset(out, 0, sizeof(*out));
        int r = check_notify(sc, e);
        if (r < 0 || (r = flags_of(sc, &out->flags, e)) < 0)
                return r;
        char path[4096];
        if (cache_dir && cache_path(sc, cache_dir, path, sizeof(path)) == 0) {
                char *data = NULL;
                size_t len = 0;
                struct berr ignore;
                if (read_file(path, &data, &len, &ignore) == 0 && len &&
                    len % sizeof(struct sock_filter) == 0 && len / sizeof(struct sock_filter) < 65536) {
                        out->filter = data;
                        out->len = (unsigned short)(len / sizeof(struct sock_filter));
                        return 0;
                }
                free(data);
        }
        if ((r = build(sc, out, e)) < 0)
                return r;
        if (cache_dir && cache_path(sc, cache_dir, path, sizeof(path)) == 0) {
                struct berr ignore;
                if (mkdir_p(cache_dir, 0700, &ignore) == 0)
                        write_file_atomic(path, out->filter, out->len * sizeof(struct sock_filter),
                                          0600, &ignore);
        }
        return 0;
}

int secfilter_load(const struct seccomp_prog *p, struct berr *e)
{
        struct sock_fprog prog = {.len = p->len, .filter = p->filter};
        long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, p->flags, &prog);
        if (r < 0)
                return berr_sys(e, errno, "loading the seccomp filter");
        return (p->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) ? (int)r : 0;
}

void secfilter_free(struct seccomp_prog *p)
{
        free(p->filter);
        p->filter = NULL;
        p->len = 0;
}
