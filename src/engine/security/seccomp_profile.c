/* docker's seccomp profile format -> struct spec_seccomp (see seccomp_profile.h). The profile is
 * outside input: every field is checked and errors name it. */
#include "engine/security/seccomp_profile.h"

#include "core/spec.h"
#include "util/err.h"
#include "util/strv.h"

#include <errno.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* What a rule is judged against. */
struct judge {
        uint64_t caps;
        unsigned kmajor, kminor;
};

/* ---- small checked readers; field is the path printed in errors */

static int strv_of(json_t *a, const char *field, char ***out, struct berr *e)
{
        if (!json_is_array(a))
                return berr_set(e, EINVAL, "%s: must be an array of strings", field);
        if (!(*out = calloc(1, sizeof(char *))))
                return berr_set(e, ENOMEM, "out of memory");
        size_t i;
        json_t *it;
        json_array_foreach (a, i, it) {
                if (!json_is_string(it) || !json_string_value(it)[0])
                        return berr_set(e, EINVAL, "%s[%zu]: must be a non-empty string", field, i);
                if (strv_push(out, json_string_value(it)) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
        }
        return 0;
}

static int u64_of(json_t *v, const char *field, uint64_t *out, struct berr *e)
{
        if (!json_is_integer(v) || json_integer_value(v) < 0)
                return berr_set(e, EINVAL, "%s: must be a non-negative integer", field);
        *out = (uint64_t)json_integer_value(v);
        return 0;
}

/* ---- actions and operators */

static const struct {
        const char *name;
        uint32_t action;
} actions[] = {
        {"SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD},
        {"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD},
        {"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS},
        {"SCMP_ACT_TRAP", SCMP_ACT_TRAP},
        {"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0)},
        {"SCMP_ACT_TRACE", SCMP_ACT_TRACE(0)},
        {"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW},
        {"SCMP_ACT_LOG", SCMP_ACT_LOG},
        {"SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY},
};

/* An action and its errno (ERRNO and TRACE only; EPERM when not given, as docker and runc). */
static int action_of(json_t *name, json_t *ret, const char *field, const char *ret_field,
                     uint32_t *out, struct berr *e)
{
        if (!json_is_string(name))
                return berr_set(e, EINVAL, "%s: required string is missing", field);
        size_t i;
        for (i = 0; i < ARRAY_LEN(actions); i++)
                if (!strcmp(json_string_value(name), actions[i].name))
                        break;
        if (i == ARRAY_LEN(actions))
                return berr_set(e, EINVAL, "%s: unknown action \"%s\"", field,
                                json_string_value(name));
        *out = actions[i].action;
        if (*out != SCMP_ACT_ERRNO(0) && *out != SCMP_ACT_TRACE(0))
                return 0;
        uint64_t v = EPERM;
        if (ret && !json_is_null(ret) && (u64_of(ret, ret_field, &v, e) < 0 || v > 0xffff))
                return berr_set(e, EINVAL, "%s: must be 0 to 65535", ret_field);
        *out |= (uint32_t)v;
        return 0;
}

static const struct {
        const char *name;
        int op;
} ops[] = {
        {"SCMP_CMP_NE", SCMP_CMP_NE}, {"SCMP_CMP_LT", SCMP_CMP_LT},
        {"SCMP_CMP_LE", SCMP_CMP_LE}, {"SCMP_CMP_EQ", SCMP_CMP_EQ},
        {"SCMP_CMP_GE", SCMP_CMP_GE}, {"SCMP_CMP_GT", SCMP_CMP_GT},
        {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
};

static int arg_of(json_t *o, const char *field, struct spec_seccomp_arg *out, struct berr *e)
{
        char f[160];
        if (!json_is_object(o))
                return berr_set(e, EINVAL, "%s: must be an object", field);
        uint64_t idx = 0;
        json_t *v2 = json_object_get(o, "valueTwo"), *op = json_object_get(o, "op");
        snprintf(f, sizeof(f), "%s.index", field);
        if (u64_of(json_object_get(o, "index"), f, &idx, e) < 0 || idx > 5)
                return berr_set(e, EINVAL, "%s: must be 0 to 5", f);
        out->index = (unsigned)idx;
        snprintf(f, sizeof(f), "%s.value", field);
        if (u64_of(json_object_get(o, "value"), f, &out->value, e) < 0)
                return -EINVAL;
        snprintf(f, sizeof(f), "%s.valueTwo", field);
        out->value_two = 0;
        if (v2 && u64_of(v2, f, &out->value_two, e) < 0)
                return -EINVAL;
        if (!json_is_string(op))
                return berr_set(e, EINVAL, "%s.op: required string is missing", field);
        for (size_t i = 0; i < ARRAY_LEN(ops); i++)
                if (!strcmp(json_string_value(op), ops[i].name)) {
                        out->op = ops[i].op;
                        return 0;
                }
        return berr_set(e, EINVAL, "%s.op: unknown operator \"%s\"", field, json_string_value(op));
}

static int args_of(json_t *a, const char *field, struct spec_seccomp_rule *rule, struct berr *e)
{
        if (!a || json_is_null(a))
                return 0;
        if (!json_is_array(a))
                return berr_set(e, EINVAL, "%s.args: must be an array", field);
        if (json_array_size(a) > 6)
                return berr_set(e, EINVAL, "%s.args: at most 6 conditions", field);
        if (json_array_size(a) == 0)
                return 0;
        if (!(rule->args = calloc(json_array_size(a), sizeof(*rule->args))))
                return berr_set(e, ENOMEM, "out of memory");
        size_t i;
        json_t *it;
        json_array_foreach (a, i, it) {
                char f[128];
                snprintf(f, sizeof(f), "%s.args[%zu]", field, i);
                int r = arg_of(it, f, &rule->args[i], e);
                if (r < 0)
                        return r;
                rule->n_args = i + 1;
        }
        return 0;
}

/* ---- architectures */

/* The native architecture's spellings: docker's (Go's GOARCH), libseccomp's, the profile's. */
#if defined(__x86_64__)
static const char *const native_names[] = {"amd64", "x86_64", "SCMP_ARCH_X86_64", NULL};
#elif defined(__aarch64__)
static const char *const native_names[] = {"arm64", "aarch64", "SCMP_ARCH_AARCH64", NULL};
#elif defined(__i386__)
static const char *const native_names[] = {"386", "x86", "SCMP_ARCH_X86", NULL};
#elif defined(__s390x__)
static const char *const native_names[] = {"s390x", "SCMP_ARCH_S390X", NULL};
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static const char *const native_names[] = {"ppc64le", "SCMP_ARCH_PPC64LE", NULL};
#elif defined(__riscv) && __riscv_xlen == 64
static const char *const native_names[] = {"riscv64", "SCMP_ARCH_RISCV64", NULL};
#else
static const char *const native_names[] = {NULL};
#endif

static bool is_native(const char *name)
{
        for (size_t i = 0; native_names[i]; i++)
                if (!strcmp(name, native_names[i]))
                        return true;
        return false;
}

/* archMap: the entry of the native architecture gives it and its sub-architectures. */
static int arch_map(json_t *map, struct spec_seccomp *sc, struct berr *e)
{
        if (!json_is_array(map))
                return berr_set(e, EINVAL, "archMap: must be an array");
        size_t i;
        json_t *it;
        json_array_foreach (map, i, it) {
                json_t *a = json_object_get(it, "architecture"),
                       *sub = json_object_get(it, "subArchitectures");
                char f[64];
                if (!json_is_object(it) || !json_is_string(a))
                        return berr_set(e, EINVAL,
                                        "archMap[%zu].architecture: required string is missing", i);
                if (!is_native(json_string_value(a)))
                        continue;
                if (strv_push(&sc->architectures, json_string_value(a)) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
                if (!sub || json_is_null(sub))
                        continue;
                char **subs = NULL;
                snprintf(f, sizeof(f), "archMap[%zu].subArchitectures", i);
                int r = strv_of(sub, f, &subs, e);
                if (r == 0 && strv_extend(&sc->architectures, subs) < 0)
                        r = berr_set(e, ENOMEM, "out of memory");
                strv_free(subs);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int architectures(json_t *root, struct spec_seccomp *sc, struct berr *e)
{
        json_t *a = json_object_get(root, "architectures"), *map = json_object_get(root, "archMap");
        if (a && json_is_null(a))
                a = NULL;
        if (map && json_is_null(map))
                map = NULL;
        if (a && !json_is_array(a))
                return berr_set(e, EINVAL, "architectures: must be an array of strings");
        if (a && map && json_array_size(a) && json_array_size(map))
                return berr_set(e, EINVAL, "architectures and archMap: give one, not both");
        if (a && json_array_size(a))
                return strv_of(a, "architectures", &sc->architectures, e);
        return map ? arch_map(map, sc, e) : 0;
}

/* ---- includes / excludes */

/* "4.8" -> 4, 8. */
static int kernel_version(const char *s, unsigned *major, unsigned *minor)
{
        char tail = 0;
        int n = sscanf(s, "%u.%u%c", major, minor, &tail);
        return (n == 2 || (n == 3 && !(tail >= '0' && tail <= '9'))) ? 0 : -1;
}

static bool kernel_at_least(const struct judge *j, unsigned major, unsigned minor)
{
        return j->kmajor > major || (j->kmajor == major && j->kminor >= minor);
}

/* Does the filter hold? includes: every listed cap held, native arch listed, kernel >= min.
 * excludes (include = false): no listed cap held, native arch not listed, kernel < min. */
static int filter_holds(json_t *f, bool include, const struct judge *j, const char *field,
                        bool *holds, struct berr *e)
{
        *holds = true;
        if (!f || json_is_null(f))
                return 0;
        if (!json_is_object(f))
                return berr_set(e, EINVAL, "%s: must be an object", field);
        json_t *caps = json_object_get(f, "caps"), *arches = json_object_get(f, "arches"),
               *mk = json_object_get(f, "minKernel");
        size_t i;
        json_t *it;
        if (caps && !json_is_null(caps) && !json_is_array(caps))
                return berr_set(e, EINVAL, "%s.caps: must be an array of strings", field);
        json_array_foreach (caps, i, it) {
                if (!json_is_string(it))
                        return berr_set(e, EINVAL, "%s.caps[%zu]: must be a string", field, i);
                /* A capability unknown to berth is one the container cannot hold. */
                int c = spec_cap_from_name(json_string_value(it));
                bool held = c >= 0 && (j->caps & (1ULL << c));
                if (include ? !held : held)
                        *holds = false;
        }
        if (arches && !json_is_null(arches) && !json_is_array(arches))
                return berr_set(e, EINVAL, "%s.arches: must be an array of strings", field);
        bool listed = false;
        json_array_foreach (arches, i, it) {
                if (!json_is_string(it))
                        return berr_set(e, EINVAL, "%s.arches[%zu]: must be a string", field, i);
                listed = listed || is_native(json_string_value(it));
        }
        if (json_array_size(arches) && (include ? !listed : listed))
                *holds = false;
        if (mk && !json_is_null(mk)) {
                unsigned ma, mi;
                if (!json_is_string(mk) || kernel_version(json_string_value(mk), &ma, &mi) < 0)
                        return berr_set(e, EINVAL, "%s.minKernel: must be a version like \"4.8\"",
                                        field);
                bool ok = kernel_at_least(j, ma, mi);
                if (include ? !ok : ok)
                        *holds = false;
        }
        return 0;
}

/* ---- syscalls */

static int names_of(json_t *o, const char *field, struct spec_seccomp_rule *rule, struct berr *e)
{
        json_t *names = json_object_get(o, "names"), *name = json_object_get(o, "name");
        char f[96];
        if (names && json_is_null(names))
                names = NULL;
        if (name && json_is_null(name))
                name = NULL;
        if (names && name)
                return berr_set(e, EINVAL, "%s: give name or names, not both", field);
        if (name) {
                if (!json_is_string(name) || !json_string_value(name)[0])
                        return berr_set(e, EINVAL, "%s.name: must be a non-empty string", field);
                if (!(rule->names = calloc(1, sizeof(char *))) ||
                    strv_push(&rule->names, json_string_value(name)) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
                return 0;
        }
        if (!names)
                return berr_set(e, EINVAL, "%s.names: required array is missing", field);
        snprintf(f, sizeof(f), "%s.names", field);
        int r = strv_of(names, f, &rule->names, e);
        if (r == 0 && !rule->names[0])
                return berr_set(e, EINVAL, "%s.names: must name at least one syscall", field);
        return r;
}

/* One syscalls[] entry: checked whole, then kept (n_rules grows) only if its filters hold. */
static int syscall_rule(json_t *o, size_t i, struct spec_seccomp *sc, const struct judge *j,
                        struct berr *e)
{
        char field[48], f[96], rf[96];
        snprintf(field, sizeof(field), "syscalls[%zu]", i);
        if (!json_is_object(o))
                return berr_set(e, EINVAL, "%s: must be an object", field);
        struct spec_seccomp_rule *rule = &sc->rules[sc->n_rules];
        memset(rule, 0, sizeof(*rule));
        snprintf(f, sizeof(f), "%s.action", field);
        snprintf(rf, sizeof(rf), "%s.errnoRet", field);
        bool inc, exc;
        int r;
        char fi[96], fe[96];
        snprintf(fi, sizeof(fi), "%s.includes", field);
        snprintf(fe, sizeof(fe), "%s.excludes", field);
        if ((r = names_of(o, field, rule, e)) < 0 ||
            (r = action_of(json_object_get(o, "action"), json_object_get(o, "errnoRet"), f, rf,
                           &rule->action, e)) < 0 ||
            (r = args_of(json_object_get(o, "args"), field, rule, e)) < 0 ||
            (r = filter_holds(json_object_get(o, "includes"), true, j, fi, &inc, e)) < 0 ||
            (r = filter_holds(json_object_get(o, "excludes"), false, j, fe, &exc, e)) < 0)
                goto drop;
        if (inc && exc) {
                sc->n_rules++;
                return 0;
        }
drop:
        strv_free(rule->names);
        free(rule->args);
        memset(rule, 0, sizeof(*rule));
        return r;
}

static int syscalls(json_t *root, struct spec_seccomp *sc, const struct judge *j, struct berr *e)
{
        json_t *a = json_object_get(root, "syscalls");
        if (!a || json_is_null(a))
                return 0;
        if (!json_is_array(a))
                return berr_set(e, EINVAL, "syscalls: must be an array");
        if (!(sc->rules = calloc(json_array_size(a) + 1, sizeof(*sc->rules))))
                return berr_set(e, ENOMEM, "out of memory");
        size_t i;
        json_t *it;
        json_array_foreach (a, i, it) {
                int r = syscall_rule(it, i, sc, j, e);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- the top level */

static int top_level(json_t *root, struct spec_seccomp *sc, const struct judge *j,
                     struct berr *e)
{
        int r;
        json_t *lp = json_object_get(root, "listenerPath"), *fl = json_object_get(root, "flags");
        if ((r = action_of(json_object_get(root, "defaultAction"),
                           json_object_get(root, "defaultErrnoRet"), "defaultAction",
                           "defaultErrnoRet", &sc->default_action, e)) < 0 ||
            (r = architectures(root, sc, e)) < 0)
                return r;
        if (fl && !json_is_null(fl) && (r = strv_of(fl, "flags", &sc->flags, e)) < 0)
                return r;
        if (lp && !json_is_null(lp)) {
                if (!json_is_string(lp))
                        return berr_set(e, EINVAL, "listenerPath: must be a string");
                if (json_string_value(lp)[0] &&
                    !(sc->listener_path = strdup(json_string_value(lp))))
                        return berr_set(e, ENOMEM, "out of memory");
        }
        return syscalls(root, sc, j, e);
}

static int judge_init(struct judge *j, uint64_t caps, const char *kernel)
{
        struct utsname u;
        j->caps = caps;
        if (!kernel) {
                if (uname(&u) < 0)
                        return -errno;
                kernel = u.release;
        }
        /* "6.1.0-13-amd64": only major.minor count. */
        if (sscanf(kernel, "%u.%u", &j->kmajor, &j->kminor) != 2)
                j->kmajor = j->kminor = 0;
        return 0;
}

int seccomp_profile_parse_kernel(const char *json, size_t len, uint64_t caps, const char *kernel,
                                 struct spec_seccomp **out, struct berr *e)
{
        *out = NULL;
        struct judge j;
        if (judge_init(&j, caps, kernel) < 0)
                return berr_sys(e, errno, "seccomp profile: reading the kernel version");
        json_error_t je;
        json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
        if (!root)
                return berr_set(e, EINVAL, "seccomp profile: not valid JSON: line %d: %s", je.line,
                                je.text);
        int r;
        struct spec_seccomp *sc = calloc(1, sizeof(*sc));
        if (!json_is_object(root))
                r = berr_set(e, EINVAL, "seccomp profile: must be a JSON object");
        else if (!sc)
                r = berr_set(e, ENOMEM, "out of memory");
        else
                r = top_level(root, sc, &j, e);
        json_decref(root);
        if (r < 0) {
                spec_seccomp_free(sc);
                return r;
        }
        *out = sc;
        return 0;
}

int seccomp_profile_parse(const char *json, size_t len, uint64_t caps, struct spec_seccomp **out,
                          struct berr *e)
{
        return seccomp_profile_parse_kernel(json, len, caps, NULL, out, e);
}

void seccomp_profile_free(struct spec_seccomp *sc)
{
        spec_seccomp_free(sc);
}
