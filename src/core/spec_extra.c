/* The spec's newer process and Linux fields: domainname, linux.personality, linux.timeOffsets,
 * process.scheduler, process.ioPriority, process.execCPUAffinity; and linux.intelRdt and
 * linux.netDevices, which berth parses only to refuse them at create (no resctrl here, and
 * moving host interfaces is the engine's network's job): a caller who asked for them learns it
 * did not happen instead of running without. Errors name the field. */
#include "core/spec.h"

#include "util/cpulist.h"
#include "util/err.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PER_LINUX_ 0x0000
#define PER_LINUX32_ 0x0008

static const char *const clock_names[SPEC_CLOCK__COUNT] = {"monotonic", "boottime"};

/* sched(7)'s policy numbers; SCHED_ISO (4) is reserved but no kernel implements it. */
static const char *const policies[] = {"SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH",
                                       "SCHED_ISO",   "SCHED_IDLE", "SCHED_DEADLINE"};
static const char *const sched_flags[] = {
        "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM",        "SCHED_FLAG_DL_OVERRUN",
        "SCHED_FLAG_KEEP_POLICY",   "SCHED_FLAG_KEEP_PARAMS",    "SCHED_FLAG_UTIL_CLAMP_MIN",
        "SCHED_FLAG_UTIL_CLAMP_MAX"}; /* bit i */
static const char *const io_classes[] = {"", "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE",
                                         "IOPRIO_CLASS_IDLE"};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static int index_of(const char *const *names, size_t n, const char *name)
{
        for (size_t i = 0; i < n; i++)
                if (names[i][0] && !strcmp(names[i], name))
                        return (int)i;
        return -1;
}

static int get_u64(json_t *o, const char *key, const char *field, uint64_t max, uint64_t *out,
                   struct berr *e)
{
        json_t *v = json_object_get(o, key);
        if (!v)
                return 0;
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            (uint64_t)json_integer_value(v) > max)
                return berr_set(e, EINVAL, "%s.%s: must be an integer from 0 to %llu", field, key,
                                (unsigned long long)max);
        *out = (uint64_t)json_integer_value(v);
        return 0;
}

static int parse_scheduler(json_t *o, struct spec_scheduler *sc, struct berr *e)
{
        const char *f = "process.scheduler";
        if (!json_is_object(o))
                return berr_set(e, EINVAL, "%s: must be an object", f);
        json_t *pol = json_object_get(o, "policy"), *nice = json_object_get(o, "nice"),
               *flags = json_object_get(o, "flags");
        int p = json_is_string(pol) ? index_of(policies, N(policies), json_string_value(pol)) : -1;
        if (!json_is_string(pol))
                return berr_set(e, EINVAL, "%s.policy: required string is missing", f);
        if (p < 0)
                return berr_set(e, EINVAL, "%s.policy: unknown policy \"%s\"", f,
                                json_string_value(pol));
        if (p == 4)
                return berr_set(e, EINVAL, "%s.policy: SCHED_ISO is not implemented by Linux", f);
        sc->policy = (uint32_t)p;
        if (nice && (!json_is_integer(nice) || json_integer_value(nice) < -20 ||
                     json_integer_value(nice) > 19))
                return berr_set(e, EINVAL, "%s.nice: must be an integer from -20 to 19", f);
        sc->nice = nice ? (int32_t)json_integer_value(nice) : 0;
        uint64_t prio = 0;
        int r;
        if ((r = get_u64(o, "priority", f, 99, &prio, e)) < 0 ||
            (r = get_u64(o, "runtime", f, UINT64_MAX >> 1, &sc->runtime, e)) < 0 ||
            (r = get_u64(o, "deadline", f, UINT64_MAX >> 1, &sc->deadline, e)) < 0 ||
            (r = get_u64(o, "period", f, UINT64_MAX >> 1, &sc->period, e)) < 0)
                return r;
        sc->priority = (uint32_t)prio;
        if (flags && !json_is_array(flags))
                return berr_set(e, EINVAL, "%s.flags: must be an array of strings", f);
        size_t i;
        json_t *it;
        json_array_foreach (flags, i, it) {
                int b = json_is_string(it)
                                ? index_of(sched_flags, N(sched_flags), json_string_value(it))
                                : -1;
                if (b < 0)
                        return berr_set(e, EINVAL, "%s.flags[%zu]: unknown flag %s", f, i,
                                        json_is_string(it) ? json_string_value(it) : "(not a string)");
                /* sched_setattr reads the clamp values beside these flags; the spec has none,
                 * and a clamp to 0 is not what anyone asks for */
                if (b >= 5)
                        return berr_set(e, EINVAL, "%s.flags[%zu]: %s needs clamp values the "
                                                   "spec does not carry",
                                        f, i, sched_flags[b]);
                sc->flags |= 1ULL << b;
        }
        sc->set = true;
        return 0;
}

static int parse_io_priority(json_t *o, struct spec_io_priority *io, struct berr *e)
{
        const char *f = "process.ioPriority";
        if (!json_is_object(o))
                return berr_set(e, EINVAL, "%s: must be an object", f);
        json_t *cl = json_object_get(o, "class"), *pr = json_object_get(o, "priority");
        int k = json_is_string(cl) ? index_of(io_classes, N(io_classes), json_string_value(cl)) : -1;
        if (k < 0)
                return berr_set(e, EINVAL, "%s.class: must be IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or "
                                           "IOPRIO_CLASS_IDLE",
                                f);
        if (!json_is_integer(pr) || json_integer_value(pr) < 0 || json_integer_value(pr) > 7)
                return berr_set(e, EINVAL, "%s.priority: must be an integer from 0 to 7", f);
        io->klass = k;
        io->priority = (int)json_integer_value(pr);
        io->set = true;
        return 0;
}

static int cpu_list_field(json_t *o, const char *key, char **out, struct berr *e)
{
        json_t *v = json_object_get(o, key);
        if (!v)
                return 0;
        cpu_set_t set;
        if (!json_is_string(v) || cpulist_parse(json_string_value(v), &set) < 0)
                return berr_set(e, EINVAL, "process.execCPUAffinity.%s: \"%s\" is not a cpu list "
                                           "such as 0-3,7",
                                key, json_is_string(v) ? json_string_value(v) : "(not a string)");
        if (!json_string_value(v)[0]) /* empty: leave the affinity alone */
                return 0;
        return (*out = strdup(json_string_value(v))) ? 0 : berr_set(e, ENOMEM, "out of memory");
}

int spec_process_extra_from_json(json_t *proc, struct spec_process *p, struct berr *e)
{
        json_t *v;
        int r;
        if ((v = json_object_get(proc, "scheduler")) && (r = parse_scheduler(v, &p->scheduler, e)) < 0)
                return r;
        if ((v = json_object_get(proc, "ioPriority")) &&
            (r = parse_io_priority(v, &p->io_priority, e)) < 0)
                return r;
        if ((v = json_object_get(proc, "execCPUAffinity"))) {
                if (!json_is_object(v))
                        return berr_set(e, EINVAL, "process.execCPUAffinity: must be an object");
                if ((r = cpu_list_field(v, "initial", &p->cpu_affinity_initial, e)) < 0 ||
                    (r = cpu_list_field(v, "final", &p->cpu_affinity_final, e)) < 0)
                        return r;
        }
        return 0;
}

static int parse_personality(json_t *o, struct spec *s, struct berr *e)
{
        if (!json_is_object(o))
                return berr_set(e, EINVAL, "linux.personality: must be an object");
        json_t *d = json_object_get(o, "domain"), *fl = json_object_get(o, "flags");
        if (!json_is_string(d))
                return berr_set(e, EINVAL, "linux.personality.domain: required string is missing");
        if (!strcmp(json_string_value(d), "LINUX"))
                s->personality = PER_LINUX_;
        else if (!strcmp(json_string_value(d), "LINUX32"))
                s->personality = PER_LINUX32_;
        else
                return berr_set(e, EINVAL, "linux.personality.domain: \"%s\" is not LINUX or LINUX32",
                                json_string_value(d));
        if (fl && (!json_is_array(fl) || json_array_size(fl)))
                return berr_set(e, EINVAL, "linux.personality.flags: the spec defines no flags yet");
        s->has_personality = true;
        return 0;
}

static int parse_time_offsets(json_t *o, struct spec *s, struct berr *e)
{
        if (!json_is_object(o))
                return berr_set(e, EINVAL, "linux.timeOffsets: must be an object");
        const char *k;
        json_t *v;
        json_object_foreach (o, k, v) {
                int c = index_of(clock_names, N(clock_names), k);
                if (c < 0)
                        return berr_set(e, EINVAL, "linux.timeOffsets: \"%s\" is not a clock a time "
                                                   "namespace shifts (monotonic, boottime)",
                                        k);
                if (!json_is_object(v))
                        return berr_set(e, EINVAL, "linux.timeOffsets.%s: must be an object", k);
                json_t *sec = json_object_get(v, "secs"), *ns = json_object_get(v, "nanosecs");
                if (sec && !json_is_integer(sec))
                        return berr_set(e, EINVAL, "linux.timeOffsets.%s.secs: must be an integer", k);
                if (ns && (!json_is_integer(ns) || json_integer_value(ns) < 0 ||
                           json_integer_value(ns) >= 1000000000))
                        return berr_set(e, EINVAL, "linux.timeOffsets.%s.nanosecs: must be 0 to "
                                                   "999999999",
                                        k);
                s->time_offsets[c].secs = sec ? (int64_t)json_integer_value(sec) : 0;
                s->time_offsets[c].nanosecs = ns ? (uint32_t)json_integer_value(ns) : 0;
                s->time_offsets[c].set = true;
        }
        return 0;
}

int spec_extra_from_json(json_t *root, struct spec *s, struct berr *e)
{
        json_t *dn = json_object_get(root, "domainname"), *lx = json_object_get(root, "linux");
        if (dn) {
                if (!json_is_string(dn))
                        return berr_set(e, EINVAL, "domainname: must be a string");
                if (!(s->domainname = strdup(json_string_value(dn))))
                        return berr_set(e, ENOMEM, "out of memory");
        }
        json_t *proc = json_object_get(root, "process");
        int r;
        if (json_is_object(proc) &&
            (r = spec_process_extra_from_json(proc, &s->process, e)) < 0)
                return r;
        if (!json_is_object(lx))
                return 0;
        json_t *v;
        if ((v = json_object_get(lx, "personality")) && (r = parse_personality(v, s, e)) < 0)
                return r;
        if ((v = json_object_get(lx, "timeOffsets")) && (r = parse_time_offsets(v, s, e)) < 0)
                return r;
        if (json_object_get(lx, "intelRdt"))
                s->refused = "linux.intelRdt: Intel RDT (resctrl) is not supported by berth";
        else if ((v = json_object_get(lx, "netDevices")) && json_object_size(v))
                s->refused = "linux.netDevices: moving host network devices into the container "
                             "is not supported by berth";
        return 0;
}

int spec_extra_check(const struct spec *s, struct berr *e)
{
        if (s->refused)
                return berr_set(e, EOPNOTSUPP, "%s", s->refused);
        if (s->domainname && !s->namespaces[NS_UTS].enabled)
                return berr_set(e, EINVAL, "domainname: needs a uts namespace (linux.namespaces): "
                                           "it would change the host's");
        bool offsets = s->time_offsets[0].set || s->time_offsets[1].set;
        if (offsets && !s->namespaces[NS_TIME].enabled)
                return berr_set(e, EINVAL, "linux.timeOffsets: needs a time namespace "
                                           "(linux.namespaces)");
        if (offsets && s->namespaces[NS_TIME].path)
                return berr_set(e, EINVAL, "linux.timeOffsets: cannot shift the clocks of the "
                                           "existing time namespace %s",
                                s->namespaces[NS_TIME].path);
        return 0;
}

/* ---- writing ---- */

void spec_process_extra_to_json(const struct spec_process *p, json_t *proc)
{
        const struct spec_scheduler *sc = &p->scheduler;
        if (sc->set) {
                json_t *o = json_pack("{s:s,s:i,s:I,s:I,s:I,s:I}", "policy", policies[sc->policy],
                                      "nice", (int)sc->nice, "priority", (json_int_t)sc->priority,
                                      "runtime", (json_int_t)sc->runtime, "deadline",
                                      (json_int_t)sc->deadline, "period", (json_int_t)sc->period);
                json_t *fl = json_array();
                for (size_t b = 0; b < N(sched_flags); b++)
                        if (sc->flags & (1ULL << b))
                                json_array_append_new(fl, json_string(sched_flags[b]));
                json_object_set_new(o, "flags", fl);
                json_object_set_new(proc, "scheduler", o);
        }
        if (p->io_priority.set)
                json_object_set_new(proc, "ioPriority",
                                    json_pack("{s:s,s:i}", "class", io_classes[p->io_priority.klass],
                                              "priority", p->io_priority.priority));
        if (p->cpu_affinity_initial || p->cpu_affinity_final) {
                json_t *o = json_object();
                if (p->cpu_affinity_initial)
                        json_object_set_new(o, "initial", json_string(p->cpu_affinity_initial));
                if (p->cpu_affinity_final)
                        json_object_set_new(o, "final", json_string(p->cpu_affinity_final));
                json_object_set_new(proc, "execCPUAffinity", o);
        }
}

void spec_extra_to_json(const struct spec *s, json_t *root)
{
        json_t *proc = json_object_get(root, "process"), *lx = json_object_get(root, "linux");
        if (s->domainname)
                json_object_set_new(root, "domainname", json_string(s->domainname));
        if (proc)
                spec_process_extra_to_json(&s->process, proc);
        if (!lx)
                return;
        if (s->has_personality)
                json_object_set_new(lx, "personality",
                                    json_pack("{s:s}", "domain",
                                              s->personality == PER_LINUX32_ ? "LINUX32" : "LINUX"));
        json_t *to = NULL;
        for (int c = 0; c < SPEC_CLOCK__COUNT; c++) {
                if (!s->time_offsets[c].set)
                        continue;
                if (!to)
                        to = json_object();
                json_object_set_new(to, clock_names[c],
                                    json_pack("{s:I,s:I}", "secs", (json_int_t)s->time_offsets[c].secs,
                                              "nanosecs", (json_int_t)s->time_offsets[c].nanosecs));
        }
        if (to)
                json_object_set_new(lx, "timeOffsets", to);
}

void spec_extra_free(struct spec *s)
{
        free(s->domainname);
        free(s->process.cpu_affinity_initial);
        free(s->process.cpu_affinity_final);
        s->domainname = s->process.cpu_affinity_initial = s->process.cpu_affinity_final = NULL;
}
