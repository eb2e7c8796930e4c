/* linux.resources and process.rlimits <-> struct spec. Errors name the field. */
#include "core/spec.h"

#include "util/err.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

void spec_resources_init(struct spec_resources *r)
{
        memset(r, 0, sizeof(*r));
        r->mem_limit = r->mem_reservation = r->mem_swap = r->mem_swappiness = RES_UNSET;
        r->mem_kernel = r->mem_kernel_tcp = RES_UNSET;
        r->cpu_shares = r->cpu_quota = r->cpu_period = RES_UNSET;
        r->pids_limit = r->blkio_weight = RES_UNSET;
}

void spec_resources_clear(struct spec_resources *r)
{
        free(r->cpus);
        free(r->mems);
        for (int i = 0; i < THR__COUNT; i++)
                free(r->throttle[i]);
        free(r->devices);
        spec_resources_init(r);
}

int spec_resources_copy(struct spec_resources *dst, const struct spec_resources *src)
{
        spec_resources_clear(dst);
        *dst = *src;
        dst->cpus = src->cpus ? strdup(src->cpus) : NULL;
        dst->mems = src->mems ? strdup(src->mems) : NULL;
        bool ok = (!src->cpus || dst->cpus) && (!src->mems || dst->mems);
        for (int k = 0; k < THR__COUNT; k++) {
                dst->throttle[k] = NULL;
                if (!src->n_throttle[k])
                        continue;
                size_t bytes = src->n_throttle[k] * sizeof(struct spec_throttle);
                dst->throttle[k] = malloc(bytes);
                if (dst->throttle[k])
                        memcpy(dst->throttle[k], src->throttle[k], bytes);
                ok &= dst->throttle[k] != NULL;
        }
        dst->devices = NULL;
        if (src->n_devices) {
                dst->devices = malloc(src->n_devices * sizeof(*src->devices));
                if (dst->devices)
                        memcpy(dst->devices, src->devices, src->n_devices * sizeof(*src->devices));
                ok &= dst->devices != NULL;
        }
        return ok ? 0 : -ENOMEM;
}

static void merge_int(int64_t *dst, int64_t src)
{
        if (src != RES_UNSET)
                *dst = src;
}

static int merge_str(char **dst, const char *src)
{
        if (!src)
                return 0;
        char *c = strdup(src);
        if (!c)
                return -ENOMEM;
        free(*dst);
        *dst = c;
        return 0;
}

/* Each entry of src replaces dst's entry for its device, or is appended. */
static int merge_throttle(struct spec_resources *dst, const struct spec_resources *src, int k)
{
        for (size_t i = 0; i < src->n_throttle[k]; i++) {
                const struct spec_throttle *t = &src->throttle[k][i];
                size_t j;
                for (j = 0; j < dst->n_throttle[k]; j++)
                        if (dst->throttle[k][j].major == t->major &&
                            dst->throttle[k][j].minor == t->minor)
                                break;
                if (j == dst->n_throttle[k]) {
                        struct spec_throttle *n =
                            realloc(dst->throttle[k], (j + 1) * sizeof(struct spec_throttle));
                        if (!n)
                                return -ENOMEM;
                        dst->throttle[k] = n;
                        dst->n_throttle[k]++;
                }
                dst->throttle[k][j] = *t;
        }
        return 0;
}

int spec_resources_merge(struct spec_resources *dst, const struct spec_resources *src)
{
        struct spec_resources m;
        spec_resources_init(&m);
        /* Work on a copy so that dst stays whole if memory runs out half-way. */
        if (spec_resources_copy(&m, dst) < 0) {
                spec_resources_clear(&m);
                return -ENOMEM;
        }
        merge_int(&m.mem_limit, src->mem_limit);
        merge_int(&m.mem_reservation, src->mem_reservation);
        merge_int(&m.mem_swap, src->mem_swap);
        merge_int(&m.mem_swappiness, src->mem_swappiness);
        merge_int(&m.mem_kernel, src->mem_kernel);
        merge_int(&m.mem_kernel_tcp, src->mem_kernel_tcp);
        m.disable_oom_killer |= src->disable_oom_killer;
        merge_int(&m.cpu_shares, src->cpu_shares);
        merge_int(&m.cpu_quota, src->cpu_quota);
        merge_int(&m.cpu_period, src->cpu_period);
        merge_int(&m.pids_limit, src->pids_limit);
        merge_int(&m.blkio_weight, src->blkio_weight);
        int r = merge_str(&m.cpus, src->cpus);
        if (r == 0)
                r = merge_str(&m.mems, src->mems);
        for (int k = 0; k < THR__COUNT && r == 0; k++)
                r = merge_throttle(&m, src, k);
        if (r < 0) {
                spec_resources_clear(&m);
                return r;
        }
        spec_resources_clear(dst);
        *dst = m;
        return 0;
}

static const struct {
        const char *name;
        int res;
} rlimits[] = {
        {"RLIMIT_AS", RLIMIT_AS},         {"RLIMIT_CORE", RLIMIT_CORE},
        {"RLIMIT_CPU", RLIMIT_CPU},       {"RLIMIT_DATA", RLIMIT_DATA},
        {"RLIMIT_FSIZE", RLIMIT_FSIZE},   {"RLIMIT_LOCKS", RLIMIT_LOCKS},
        {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
        {"RLIMIT_NICE", RLIMIT_NICE},     {"RLIMIT_NOFILE", RLIMIT_NOFILE},
        {"RLIMIT_NPROC", RLIMIT_NPROC},   {"RLIMIT_RSS", RLIMIT_RSS},
        {"RLIMIT_RTPRIO", RLIMIT_RTPRIO}, {"RLIMIT_RTTIME", RLIMIT_RTTIME},
        {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING}, {"RLIMIT_STACK", RLIMIT_STACK},
};

int spec_rlimit_from_name(const char *name)
{
        for (size_t i = 0; i < sizeof(rlimits) / sizeof(rlimits[0]); i++)
                if (!strcmp(name, rlimits[i].name) || !strcasecmp(name, rlimits[i].name + 7))
                        return rlimits[i].res;
        return -1;
}

const char *spec_rlimit_name(int res)
{
        for (size_t i = 0; i < sizeof(rlimits) / sizeof(rlimits[0]); i++)
                if (rlimits[i].res == res)
                        return rlimits[i].name;
        return "RLIMIT_?";
}

static int get_int(json_t *o, const char *key, const char *field, int64_t *out, struct berr *e)
{
        json_t *v = json_object_get(o, key);
        if (!v || json_is_null(v))
                return 0;
        if (!json_is_integer(v))
                return berr_set(e, EINVAL, "%s.%s: must be an integer", field, key);
        *out = json_integer_value(v);
        return 0;
}

static int get_str(json_t *o, const char *key, const char *field, char **out, struct berr *e)
{
        json_t *v = json_object_get(o, key);
        if (!v || json_is_null(v))
                return 0;
        if (!json_is_string(v))
                return berr_set(e, EINVAL, "%s.%s: must be a string", field, key);
        free(*out);
        *out = strdup(json_string_value(v));
        return *out ? 0 : berr_set(e, ENOMEM, "out of memory");
}

static const char *const throttle_keys[THR__COUNT] = {
        "throttleReadBpsDevice", "throttleWriteBpsDevice", "throttleReadIOPSDevice",
        "throttleWriteIOPSDevice"};

static int parse_throttle(json_t *blk, int kind, struct spec_resources *r, struct berr *e)
{
        json_t *a = json_object_get(blk, throttle_keys[kind]);
        if (!a || json_is_null(a))
                return 0;
        if (!json_is_array(a))
                return berr_set(e, EINVAL, "linux.resources.blockIO.%s: must be an array",
                                throttle_keys[kind]);
        r->throttle[kind] = calloc(json_array_size(a) + 1, sizeof(struct spec_throttle));
        if (!r->throttle[kind])
                return berr_set(e, ENOMEM, "out of memory");
        size_t i;
        json_t *d;
        json_array_foreach (a, i, d) {
                char field[96];
                snprintf(field, sizeof(field), "linux.resources.blockIO.%s[%zu]",
                         throttle_keys[kind], i);
                int64_t maj = RES_UNSET, min = RES_UNSET, rate = RES_UNSET;
                int ret;
                if (!json_is_object(d))
                        return berr_set(e, EINVAL, "%s: must be an object", field);
                if ((ret = get_int(d, "major", field, &maj, e)) < 0 ||
                    (ret = get_int(d, "minor", field, &min, e)) < 0 ||
                    (ret = get_int(d, "rate", field, &rate, e)) < 0)
                        return ret;
                if (maj < 0 || min < 0 || rate < 0)
                        return berr_set(e, EINVAL, "%s: needs major, minor and rate >= 0", field);
                r->throttle[kind][i] = (struct spec_throttle){maj, min, (uint64_t)rate};
                r->n_throttle[kind]++;
        }
        return 0;
}

static int want_obj(json_t *o, const char *key, json_t **out, struct berr *e)
{
        *out = json_object_get(o, key);
        if (*out && json_is_null(*out))
                *out = NULL;
        if (*out && !json_is_object(*out))
                return berr_set(e, EINVAL, "linux.resources.%s: must be an object", key);
        return 0;
}

int spec_resources_from_json(json_t *res, struct spec_resources *r, struct berr *e)
{
        json_t *mem, *cpu, *pids, *blk;
        int ret;
        if (!json_is_object(res))
                return berr_set(e, EINVAL, "linux.resources: must be an object");
        if ((ret = want_obj(res, "memory", &mem, e)) < 0 ||
            (ret = want_obj(res, "cpu", &cpu, e)) < 0 || (ret = want_obj(res, "pids", &pids, e)) < 0 ||
            (ret = want_obj(res, "blockIO", &blk, e)) < 0)
                return ret;
        json_t *huge = json_object_get(res, "hugepageLimits"), *net = json_object_get(res, "network");
        r->hugepage_limits_set = json_is_array(huge) && json_array_size(huge) > 0;
        r->network_set = json_is_object(net) && json_object_size(net) > 0;
        if (mem) {
                const char *f = "linux.resources.memory";
                json_t *dis = json_object_get(mem, "disableOOMKiller");
                if ((ret = get_int(mem, "limit", f, &r->mem_limit, e)) < 0 ||
                    (ret = get_int(mem, "reservation", f, &r->mem_reservation, e)) < 0 ||
                    (ret = get_int(mem, "swap", f, &r->mem_swap, e)) < 0 ||
                    (ret = get_int(mem, "swappiness", f, &r->mem_swappiness, e)) < 0 ||
                    (ret = get_int(mem, "kernel", f, &r->mem_kernel, e)) < 0 ||
                    (ret = get_int(mem, "kernelTCP", f, &r->mem_kernel_tcp, e)) < 0)
                        return ret;
                if (dis && !json_is_boolean(dis))
                        return berr_set(e, EINVAL, "%s.disableOOMKiller: must be true or false", f);
                r->disable_oom_killer = json_is_true(dis);
                if (r->mem_swappiness != RES_UNSET &&
                    (r->mem_swappiness < 0 || r->mem_swappiness > 100))
                        return berr_set(e, EINVAL, "%s.swappiness: must be 0 to 100", f);
        }
        if (cpu) {
                const char *f = "linux.resources.cpu";
                if ((ret = get_int(cpu, "shares", f, &r->cpu_shares, e)) < 0 ||
                    (ret = get_int(cpu, "quota", f, &r->cpu_quota, e)) < 0 ||
                    (ret = get_int(cpu, "period", f, &r->cpu_period, e)) < 0 ||
                    (ret = get_str(cpu, "cpus", f, &r->cpus, e)) < 0 ||
                    (ret = get_str(cpu, "mems", f, &r->mems, e)) < 0)
                        return ret;
        }
        if (pids && (ret = get_int(pids, "limit", "linux.resources.pids", &r->pids_limit, e)) < 0)
                return ret;
        if (blk) {
                if ((ret = get_int(blk, "weight", "linux.resources.blockIO", &r->blkio_weight,
                                   e)) < 0)
                        return ret;
                for (int k = 0; k < THR__COUNT; k++)
                        if ((ret = parse_throttle(blk, k, r, e)) < 0)
                                return ret;
        }
        return 0;
}

int spec_rlimits_from_json(json_t *a, struct spec *s, struct berr *e)
{
        if (!json_is_array(a))
                return berr_set(e, EINVAL, "process.rlimits: must be an array");
        s->process.rlimits = calloc(json_array_size(a) + 1, sizeof(struct spec_rlimit));
        if (!s->process.rlimits)
                return berr_set(e, ENOMEM, "out of memory");
        size_t i;
        json_t *o;
        json_array_foreach (a, i, o) {
                json_t *t = json_object_get(o, "type"), *h = json_object_get(o, "hard"),
                       *so = json_object_get(o, "soft");
                if (!json_is_string(t))
                        return berr_set(e, EINVAL, "process.rlimits[%zu].type: must be a string", i);
                int res = spec_rlimit_from_name(json_string_value(t));
                if (res < 0)
                        return berr_set(e, EINVAL, "process.rlimits[%zu].type: unknown rlimit \"%s\"",
                                        i, json_string_value(t));
                if (!json_is_integer(h) || !json_is_integer(so))
                        return berr_set(e, EINVAL,
                                        "process.rlimits[%zu]: hard and soft must be integers", i);
                s->process.rlimits[i] = (struct spec_rlimit){res, (uint64_t)json_integer_value(so),
                                                             (uint64_t)json_integer_value(h)};
                s->process.n_rlimits++;
        }
        return 0;
}

static void set_int(json_t *o, const char *key, int64_t v)
{
        if (v != RES_UNSET)
                json_object_set_new(o, key, json_integer(v));
}

json_t *spec_resources_to_json(const struct spec_resources *r)
{
        json_t *res = json_object(), *mem = json_object(), *cpu = json_object(),
               *blk = json_object();
        set_int(mem, "limit", r->mem_limit);
        set_int(mem, "reservation", r->mem_reservation);
        set_int(mem, "swap", r->mem_swap);
        set_int(mem, "swappiness", r->mem_swappiness);
        set_int(mem, "kernel", r->mem_kernel);
        set_int(mem, "kernelTCP", r->mem_kernel_tcp);
        if (r->disable_oom_killer)
                json_object_set_new(mem, "disableOOMKiller", json_true());
        set_int(cpu, "shares", r->cpu_shares);
        set_int(cpu, "quota", r->cpu_quota);
        set_int(cpu, "period", r->cpu_period);
        if (r->cpus)
                json_object_set_new(cpu, "cpus", json_string(r->cpus));
        if (r->mems)
                json_object_set_new(cpu, "mems", json_string(r->mems));
        set_int(blk, "weight", r->blkio_weight);
        for (int k = 0; k < THR__COUNT; k++) {
                if (!r->n_throttle[k])
                        continue;
                json_t *a = json_array();
                for (size_t i = 0; i < r->n_throttle[k]; i++)
                        json_array_append_new(a, json_pack("{s:I,s:I,s:I}", "major",
                                                           (json_int_t)r->throttle[k][i].major,
                                                           "minor",
                                                           (json_int_t)r->throttle[k][i].minor,
                                                           "rate",
                                                           (json_int_t)r->throttle[k][i].rate));
                json_object_set_new(blk, throttle_keys[k], a);
        }
        json_object_set_new(res, "memory", mem);
        json_object_set_new(res, "cpu", cpu);
        if (r->pids_limit != RES_UNSET)
                json_object_set_new(res, "pids", json_pack("{s:I}", "limit",
                                                           (json_int_t)r->pids_limit));
        json_object_set_new(res, "blockIO", blk);
        return res;
}
