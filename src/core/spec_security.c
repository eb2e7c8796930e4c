/* The security parts of config.json: process.capabilities, oomScoreAdj, apparmor/selinux,
 * linux.seccomp, linux.devices, linux.resources.devices, linux.sysctl. Errors name the field. */
#include "core/spec.h"

#include "util/err.h"
#include "util/strv.h"

#include <jansson.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const cap_names[SPEC_CAP_LAST + 1] = {
        "CAP_CHOWN",           "CAP_DAC_OVERRIDE",   "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
        "CAP_FSETID",          "CAP_KILL",           "CAP_SETGID",          "CAP_SETUID",
        "CAP_SETPCAP",         "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
        "CAP_NET_ADMIN",       "CAP_NET_RAW",        "CAP_IPC_LOCK",        "CAP_IPC_OWNER",
        "CAP_SYS_MODULE",      "CAP_SYS_RAWIO",      "CAP_SYS_CHROOT",      "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT",       "CAP_SYS_ADMIN",      "CAP_SYS_BOOT",        "CAP_SYS_NICE",
        "CAP_SYS_RESOURCE",    "CAP_SYS_TIME",       "CAP_SYS_TTY_CONFIG",  "CAP_MKNOD",
        "CAP_LEASE",           "CAP_AUDIT_WRITE",    "CAP_AUDIT_CONTROL",   "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE",    "CAP_MAC_ADMIN",      "CAP_SYSLOG",          "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND",   "CAP_AUDIT_READ",     "CAP_PERFMON",         "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
};

int spec_cap_from_name(const char *name)
{
        const char *bare = strncasecmp(name, "CAP_", 4) ? name : name + 4;
        for (int i = 0; i <= SPEC_CAP_LAST; i++)
                if (!strcasecmp(bare, cap_names[i] + 4))
                        return i;
        return -1;
}

const char *spec_cap_name(int cap)
{
        return cap >= 0 && cap <= SPEC_CAP_LAST ? cap_names[cap] : "CAP_?";
}

void spec_seccomp_free(struct spec_seccomp *sc)
{
        if (!sc)
                return;
        strv_free(sc->architectures);
        strv_free(sc->flags);
        free(sc->listener_path);
        free(sc->listener_metadata);
        for (size_t i = 0; i < sc->n_rules; i++) {
                strv_free(sc->rules[i].names);
                free(sc->rules[i].args);
        }
        free(sc->rules);
        free(sc);
}

void spec_security_free(struct spec *s)
{
        spec_seccomp_free(s->seccomp);
        s->seccomp = NULL;
        for (size_t i = 0; i < s->n_devices; i++)
                free(s->devices[i].path);
        free(s->devices);
        s->devices = NULL;
        s->n_devices = 0;
        strv_free(s->sysctl);
        s->sysctl = NULL;
        free(s->process.apparmor_profile);
        free(s->process.selinux_label);
        free(s->mount_label);
        s->process.apparmor_profile = s->process.selinux_label = s->mount_label = NULL;
}

static int cap_set(json_t *caps, const char *key, uint64_t *out, struct berr *e)
{
        json_t *a = json_object_get(caps, key);
        if (!a)
                return 0;
        if (!json_is_array(a))
                return berr_set(e, EINVAL, "process.capabilities.%s: must be an array", key);
        size_t i;
        json_t *it;
        json_array_foreach (a, i, it) {
                int c = json_is_string(it) ? spec_cap_from_name(json_string_value(it)) : -1;
                if (c < 0)
                        return berr_set(e, EINVAL, "process.capabilities.%s[%zu]: unknown capability %s",
                                        key, i, json_is_string(it) ? json_string_value(it) : "(not a string)");
                *out |= 1ULL << c;
        }
        return 0;
}

static int parse_caps(json_t *proc, struct spec_caps *c, struct berr *e)
{
        json_t *caps = json_object_get(proc, "capabilities");
        if (!caps)
                return 0;
        if (!json_is_object(caps))
                return berr_set(e, EINVAL, "process.capabilities: must be an object");
        c->set = true;
        int r;
        if ((r = cap_set(caps, "bounding", &c->bounding, e)) < 0 ||
            (r = cap_set(caps, "effective", &c->effective, e)) < 0 ||
            (r = cap_set(caps, "inheritable", &c->inheritable, e)) < 0 ||
            (r = cap_set(caps, "permitted", &c->permitted, e)) < 0 ||
            (r = cap_set(caps, "ambient", &c->ambient, e)) < 0)
                return r;
        return 0;
}

static const struct {
        const char *name;
        uint32_t action;
} actions[] = {
        {"SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD},   {"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD},
        {"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS}, {"SCMP_ACT_TRAP", SCMP_ACT_TRAP},
        {"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(1)},     {"SCMP_ACT_TRACE", SCMP_ACT_TRACE(1)},
        {"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW},        {"SCMP_ACT_LOG", SCMP_ACT_LOG},
        {"SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY},
};

/* An action name and its optional errno (errnoRet, or defaultErrnoRet beside defaultAction):
 * ERRNO defaults to EPERM, as runc does; an errno on an action that returns none is an error,
 * as the spec says. */
static int parse_action(json_t *o, const char *akey, const char *rkey, const char *field,
                        uint32_t *out, struct berr *e)
{
        json_t *a = json_object_get(o, akey), *ret = json_object_get(o, rkey);
        if (!json_is_string(a))
                return berr_set(e, EINVAL, "%s.%s: required string is missing", field, akey);
        for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
                if (strcmp(json_string_value(a), actions[i].name))
                        continue;
                *out = actions[i].action;
                if (ret && *out != SCMP_ACT_ERRNO(1) && *out != SCMP_ACT_TRACE(1))
                        return berr_set(e, EINVAL, "%s.%s: %s returns no errno", field, rkey,
                                        actions[i].name);
                if (*out == SCMP_ACT_ERRNO(1) || *out == SCMP_ACT_TRACE(1)) {
                        json_int_t v = json_is_integer(ret) ? json_integer_value(ret) : 1;
                        if (ret && (!json_is_integer(ret) || v < 0 || v > 0xffff))
                                return berr_set(e, EINVAL, "%s.%s: must be 0 to 65535", field,
                                                rkey);
                        *out = (*out == SCMP_ACT_TRACE(1)) ? SCMP_ACT_TRACE((uint32_t)v)
                                                           : SCMP_ACT_ERRNO((uint32_t)v);
                }
                return 0;
        }
        return berr_set(e, EINVAL, "%s.%s: unknown action \"%s\"", field, akey,
                        json_string_value(a));
}

static const char *const ops[] = {"", "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",
                                  "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
                                  "SCMP_CMP_MASKED_EQ"};

static int parse_args(json_t *a, struct spec_seccomp_rule *rule, const char *field,
                      struct berr *e)
{
        if (!a)
                return 0;
        if (!json_is_array(a))
                return berr_set(e, EINVAL, "%s.args: must be an array", field);
        rule->args = calloc(json_array_size(a) + 1, sizeof(*rule->args));
        if (!rule->args)
                return berr_set(e, ENOMEM, "out of memory");
        size_t i;
        json_t *it;
        json_array_foreach (a, i, it) {
                json_t *idx = json_object_get(it, "index"), *v = json_object_get(it, "value"),
                       *v2 = json_object_get(it, "valueTwo"), *op = json_object_get(it, "op");
                if (!json_is_integer(idx) || json_integer_value(idx) < 0 ||
                    json_integer_value(idx) > 5 || !json_is_integer(v) || !json_is_string(op))
                        return berr_set(e, EINVAL,
                                        "%s.args[%zu]: needs index (0-5), value and op", field, i);
                struct spec_seccomp_arg *x = &rule->args[rule->n_args];
                x->index = (unsigned)json_integer_value(idx);
                x->value = (uint64_t)json_integer_value(v);
                x->value_two = json_is_integer(v2) ? (uint64_t)json_integer_value(v2) : 0;
                x->op = 0;
                for (int k = 1; k < 8; k++)
                        if (!strcmp(json_string_value(op), ops[k]))
                                x->op = k;
                if (!x->op)
                        return berr_set(e, EINVAL, "%s.args[%zu].op: unknown operator \"%s\"",
                                        field, i, json_string_value(op));
                rule->n_args++;
        }
        return 0;
}

static int strv_field(json_t *o, const char *key, const char *field, char ***out, struct berr *e)
{
        json_t *a = json_object_get(o, key);
        if (!a)
                return 0;
        if (!json_is_array(a))
                return berr_set(e, EINVAL, "%s.%s: must be an array of strings", field, key);
        *out = calloc(1, sizeof(char *));
        size_t i;
        json_t *it;
        json_array_foreach (a, i, it) {
                if (!json_is_string(it))
                        return berr_set(e, EINVAL, "%s.%s[%zu]: must be a string", field, key, i);
                if (!*out || strv_push(out, json_string_value(it)) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
        }
        return 0;
}

static int parse_seccomp(json_t *lx, struct spec *s, struct berr *e)
{
        json_t *sc = json_object_get(lx, "seccomp");
        if (!sc)
                return 0;
        if (!json_is_object(sc))
                return berr_set(e, EINVAL, "linux.seccomp: must be an object");
        struct spec_seccomp *x = calloc(1, sizeof(*x));
        if (!x)
                return berr_set(e, ENOMEM, "out of memory");
        s->seccomp = x;
        int r;
        if ((r = parse_action(sc, "defaultAction", "defaultErrnoRet", "linux.seccomp",
                              &x->default_action, e)) < 0 ||
            (r = strv_field(sc, "architectures", "linux.seccomp", &x->architectures, e)) < 0 ||
            (r = strv_field(sc, "flags", "linux.seccomp", &x->flags, e)) < 0)
                return r;
        json_t *lp = json_object_get(sc, "listenerPath"), *md = json_object_get(sc, "listenerMetadata");
        if ((lp && !json_is_string(lp)) || (md && !json_is_string(md)))
                return berr_set(e, EINVAL, "linux.seccomp.%s: must be a string",
                                lp && !json_is_string(lp) ? "listenerPath" : "listenerMetadata");
        if (md && !lp)
                return berr_set(e, EINVAL, "linux.seccomp.listenerMetadata: needs listenerPath");
        if (lp && json_string_value(lp)[0] != '/')
                return berr_set(e, EINVAL, "linux.seccomp.listenerPath: must be an absolute path, "
                                           "got \"%s\"",
                                json_string_value(lp));
        if ((lp && !(x->listener_path = strdup(json_string_value(lp)))) ||
            (md && !(x->listener_metadata = strdup(json_string_value(md)))))
                return berr_set(e, ENOMEM, "out of memory");
        json_t *sys = json_object_get(sc, "syscalls");
        if (!sys)
                return 0;
        if (!json_is_array(sys))
                return berr_set(e, EINVAL, "linux.seccomp.syscalls: must be an array");
        x->rules = calloc(json_array_size(sys) + 1, sizeof(*x->rules));
        if (!x->rules)
                return berr_set(e, ENOMEM, "out of memory");
        size_t i;
        json_t *it;
        json_array_foreach (sys, i, it) {
                char field[64];
                snprintf(field, sizeof(field), "linux.seccomp.syscalls[%zu]", i);
                struct spec_seccomp_rule *rule = &x->rules[x->n_rules++];
                if (!json_is_object(it))
                        return berr_set(e, EINVAL, "%s: must be an object", field);
                if ((r = strv_field(it, "names", field, &rule->names, e)) < 0 ||
                    (r = parse_action(it, "action", "errnoRet", field, &rule->action, e)) < 0 ||
                    (r = parse_args(json_object_get(it, "args"), rule, field, e)) < 0)
                        return r;
                if (!rule->names || !rule->names[0])
                        return berr_set(e, EINVAL, "%s.names: must name at least one syscall",
                                        field);
                x->uses_notify |= rule->action == SCMP_ACT_NOTIFY;
        }
        return 0;
}

static int get_i64(json_t *o, const char *key, int64_t *out)
{
        json_t *v = json_object_get(o, key);
        if (!v)
                return 0;
        if (!json_is_integer(v))
                return -1;
        *out = json_integer_value(v);
        return 1;
}

static int parse_devices(json_t *lx, struct spec *s, struct berr *e)
{
        json_t *a = json_object_get(lx, "devices");
        if (!a)
                return 0;
        if (!json_is_array(a))
                return berr_set(e, EINVAL, "linux.devices: must be an array");
        s->devices = calloc(json_array_size(a) + 1, sizeof(*s->devices));
        if (!s->devices)
                return berr_set(e, ENOMEM, "out of memory");
        size_t i;
        json_t *d;
        json_array_foreach (a, i, d) {
                struct spec_device *x = &s->devices[s->n_devices];
                json_t *path = json_object_get(d, "path"), *type = json_object_get(d, "type");
                int64_t mode = 0666, uid = 0, gid = 0;
                x->major = x->minor = 0;
                if (!json_is_string(path) || json_string_value(path)[0] != '/' ||
                    !json_is_string(type) || strlen(json_string_value(type)) != 1 ||
                    !strchr("cbup", json_string_value(type)[0]))
                        return berr_set(e, EINVAL,
                                        "linux.devices[%zu]: needs an absolute path and type c, b, u or p", i);
                x->type = json_string_value(type)[0];
                if (get_i64(d, "major", &x->major) < 0 || get_i64(d, "minor", &x->minor) < 0 ||
                    get_i64(d, "fileMode", &mode) < 0 || get_i64(d, "uid", &uid) < 0 ||
                    get_i64(d, "gid", &gid) < 0)
                        return berr_set(e, EINVAL, "linux.devices[%zu]: numbers expected", i);
                if (x->type != 'p' && (!json_object_get(d, "major") || !json_object_get(d, "minor")))
                        return berr_set(e, EINVAL, "linux.devices[%zu]: major and minor are required",
                                        i);
                x->file_mode = (uint32_t)mode;
                x->uid = (uid_t)uid;
                x->gid = (gid_t)gid;
                if (!(x->path = strdup(json_string_value(path))))
                        return berr_set(e, ENOMEM, "out of memory");
                s->n_devices++;
        }
        return 0;
}

static int parse_device_rules(json_t *res, struct spec_resources *r, struct berr *e)
{
        json_t *a = res ? json_object_get(res, "devices") : NULL;
        if (!a)
                return 0;
        if (!json_is_array(a))
                return berr_set(e, EINVAL, "linux.resources.devices: must be an array");
        r->devices = calloc(json_array_size(a) + 1, sizeof(*r->devices));
        if (!r->devices)
                return berr_set(e, ENOMEM, "out of memory");
        size_t i;
        json_t *d;
        json_array_foreach (a, i, d) {
                struct spec_device_rule *x = &r->devices[r->n_devices];
                json_t *allow = json_object_get(d, "allow"), *type = json_object_get(d, "type"),
                       *access = json_object_get(d, "access");
                if (!json_is_boolean(allow))
                        return berr_set(e, EINVAL, "linux.resources.devices[%zu].allow: required boolean", i);
                x->allow = json_is_true(allow);
                x->type = json_is_string(type) ? json_string_value(type)[0] : 'a';
                if (!strchr("acb", x->type) || !x->type)
                        return berr_set(e, EINVAL, "linux.resources.devices[%zu].type: a, c or b", i);
                x->major = x->minor = -1;
                if (get_i64(d, "major", &x->major) < 0 || get_i64(d, "minor", &x->minor) < 0)
                        return berr_set(e, EINVAL, "linux.resources.devices[%zu]: numbers expected", i);
                const char *acc = json_is_string(access) ? json_string_value(access) : "rwm";
                if (strlen(acc) > 3 || strspn(acc, "rwm") != strlen(acc))
                        return berr_set(e, EINVAL, "linux.resources.devices[%zu].access: \"%s\" is not a subset of rwm", i, acc);
                snprintf(x->access, sizeof(x->access), "%s", acc);
                r->n_devices++;
        }
        return 0;
}

static int parse_sysctl(json_t *lx, struct spec *s, struct berr *e)
{
        json_t *o = json_object_get(lx, "sysctl");
        if (!o)
                return 0;
        if (!json_is_object(o))
                return berr_set(e, EINVAL, "linux.sysctl: must be an object");
        s->sysctl = calloc(1, sizeof(char *));
        const char *k;
        json_t *v;
        json_object_foreach (o, k, v) {
                char buf[1024];
                if (!json_is_string(v))
                        return berr_set(e, EINVAL, "linux.sysctl.%s: must be a string", k);
                if (strchr(k, '/') || strstr(k, ".."))
                        return berr_set(e, EINVAL, "linux.sysctl: invalid key \"%s\"", k);
                snprintf(buf, sizeof(buf), "%s=%s", k, json_string_value(v));
                if (!s->sysctl || strv_push(&s->sysctl, buf) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
        }
        return 0;
}

int spec_security_from_json(json_t *root, struct spec *s, struct berr *e)
{
        json_t *proc = json_object_get(root, "process"), *lx = json_object_get(root, "linux");
        int r;
        if (json_is_object(proc)) {
                if ((r = parse_caps(proc, &s->process.caps, e)) < 0)
                        return r;
                json_t *oom = json_object_get(proc, "oomScoreAdj");
                if (oom) {
                        if (!json_is_integer(oom) || json_integer_value(oom) < -1000 ||
                            json_integer_value(oom) > 1000)
                                return berr_set(e, EINVAL, "process.oomScoreAdj: must be -1000 to 1000");
                        s->process.has_oom_score_adj = true;
                        s->process.oom_score_adj = (int)json_integer_value(oom);
                }
                json_t *aa = json_object_get(proc, "apparmorProfile"),
                       *se = json_object_get(proc, "selinuxLabel");
                if (json_is_string(aa) && json_string_value(aa)[0])
                        s->process.apparmor_profile = strdup(json_string_value(aa));
                if (json_is_string(se) && json_string_value(se)[0])
                        s->process.selinux_label = strdup(json_string_value(se));
        }
        if (!json_is_object(lx))
                return 0;
        json_t *ml = json_object_get(lx, "mountLabel");
        if (json_is_string(ml) && json_string_value(ml)[0])
                s->mount_label = strdup(json_string_value(ml));
        if ((r = parse_seccomp(lx, s, e)) < 0 || (r = parse_devices(lx, s, e)) < 0 ||
            (r = parse_device_rules(json_object_get(lx, "resources"), &s->resources, e)) < 0 ||
            (r = parse_sysctl(lx, s, e)) < 0)
                return r;
        return 0;
}

/* ---- writing ---- */

static json_t *cap_list(uint64_t mask)
{
        json_t *a = json_array();
        for (int i = 0; i <= SPEC_CAP_LAST; i++)
                if (mask & (1ULL << i))
                        json_array_append_new(a, json_string(cap_names[i]));
        return a;
}

static const char *action_name(uint32_t a)
{
        if ((a & 0xffff0000U) == SCMP_ACT_ERRNO(0))
                return "SCMP_ACT_ERRNO";
        if ((a & 0xffff0000U) == SCMP_ACT_TRACE(0))
                return "SCMP_ACT_TRACE";
        for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
                if (actions[i].action == a)
                        return actions[i].name;
        return "SCMP_ACT_KILL";
}

static void put_action(json_t *o, const char *key, const char *rkey, uint32_t a)
{
        json_object_set_new(o, key, json_string(action_name(a)));
        if ((a & 0xffff0000U) == SCMP_ACT_ERRNO(0) || (a & 0xffff0000U) == SCMP_ACT_TRACE(0))
                json_object_set_new(o, rkey, json_integer(a & 0xffff));
}

static json_t *strv_json(char *const *v)
{
        json_t *a = json_array();
        for (size_t i = 0; v && v[i]; i++)
                json_array_append_new(a, json_string(v[i]));
        return a;
}

static json_t *seccomp_json(const struct spec_seccomp *sc)
{
        json_t *o = json_object(), *rules = json_array();
        put_action(o, "defaultAction", "defaultErrnoRet", sc->default_action);
        if (sc->architectures)
                json_object_set_new(o, "architectures", strv_json(sc->architectures));
        if (sc->flags)
                json_object_set_new(o, "flags", strv_json(sc->flags));
        if (sc->listener_path)
                json_object_set_new(o, "listenerPath", json_string(sc->listener_path));
        if (sc->listener_metadata)
                json_object_set_new(o, "listenerMetadata", json_string(sc->listener_metadata));
        for (size_t i = 0; i < sc->n_rules; i++) {
                const struct spec_seccomp_rule *r = &sc->rules[i];
                json_t *ro = json_object();
                json_object_set_new(ro, "names", strv_json(r->names));
                put_action(ro, "action", "errnoRet", r->action);
                if (r->n_args) {
                        json_t *args = json_array();
                        for (size_t k = 0; k < r->n_args; k++)
                                json_array_append_new(args, json_pack("{s:I,s:I,s:I,s:s}", "index",
                                                                      (json_int_t)r->args[k].index, "value",
                                                                      (json_int_t)r->args[k].value, "valueTwo",
                                                                      (json_int_t)r->args[k].value_two, "op",
                                                                      ops[r->args[k].op]));
                        json_object_set_new(ro, "args", args);
                }
                json_array_append_new(rules, ro);
        }
        json_object_set_new(o, "syscalls", rules);
        return o;
}

void spec_security_to_json(const struct spec *s, json_t *root)
{
        json_t *proc = json_object_get(root, "process"), *lx = json_object_get(root, "linux");
        const struct spec_caps *c = &s->process.caps;
        if (proc && c->set)
                json_object_set_new(proc, "capabilities",
                                    json_pack("{s:o,s:o,s:o,s:o,s:o}", "bounding", cap_list(c->bounding),
                                              "effective", cap_list(c->effective), "inheritable",
                                              cap_list(c->inheritable), "permitted", cap_list(c->permitted),
                                              "ambient", cap_list(c->ambient)));
        if (proc && s->process.has_oom_score_adj)
                json_object_set_new(proc, "oomScoreAdj", json_integer(s->process.oom_score_adj));
        if (!lx)
                return;
        if (s->seccomp)
                json_object_set_new(lx, "seccomp", seccomp_json(s->seccomp));
        if (s->n_devices) {
                json_t *a = json_array();
                for (size_t i = 0; i < s->n_devices; i++) {
                        const struct spec_device *d = &s->devices[i];
                        char t[2] = {d->type, 0};
                        json_array_append_new(a, json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I}", "path", d->path,
                                                           "type", t, "major", (json_int_t)d->major, "minor",
                                                           (json_int_t)d->minor, "fileMode",
                                                           (json_int_t)d->file_mode, "uid", (json_int_t)d->uid,
                                                           "gid", (json_int_t)d->gid));
                }
                json_object_set_new(lx, "devices", a);
        }
        json_t *res = json_object_get(lx, "resources");
        if (res && s->resources.n_devices) {
                json_t *a = json_array();
                for (size_t i = 0; i < s->resources.n_devices; i++) {
                        const struct spec_device_rule *d = &s->resources.devices[i];
                        char t[2] = {d->type, 0};
                        json_t *o = json_pack("{s:b,s:s,s:s}", "allow", d->allow, "type", t, "access",
                                              d->access);
                        if (d->major >= 0)
                                json_object_set_new(o, "major", json_integer(d->major));
                        if (d->minor >= 0)
                                json_object_set_new(o, "minor", json_integer(d->minor));
                        json_array_append_new(a, o);
                }
                json_object_set_new(res, "devices", a);
        }
        if (s->sysctl) {
                json_t *o = json_object();
                for (size_t i = 0; s->sysctl[i]; i++) {
                        char *eq = strchr(s->sysctl[i], '=');
                        if (!eq)
                                continue;
                        char key[512];
                        snprintf(key, sizeof(key), "%.*s", (int)(eq - s->sysctl[i]), s->sysctl[i]);
                        json_object_set_new(o, key, json_string(eq + 1));
                }
                json_object_set_new(lx, "sysctl", o);
        }
}
