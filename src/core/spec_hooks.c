/* config.json "hooks": parsing and writing. Pure. */
#include "core/spec.h"

#include "util/err.h"
#include "util/strv.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const hook_names[SPEC_HOOK__COUNT] = {
        "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

const char *spec_hook_name(enum spec_hook_kind k)
{
        return k < SPEC_HOOK__COUNT ? hook_names[k] : "?";
}

static void hook_clear(struct spec_hook *h)
{
        free(h->path);
        strv_free(h->args);
        strv_free(h->env);
}

void spec_hooks_free(struct spec *s)
{
        for (int k = 0; k < SPEC_HOOK__COUNT; k++) {
                for (size_t i = 0; i < s->n_hooks[k]; i++)
                        hook_clear(&s->hooks[k][i]);
                free(s->hooks[k]);
                s->hooks[k] = NULL;
                s->n_hooks[k] = 0;
        }
}

static int strv_from(json_t *v, const char *field, char ***out, struct berr *e)
{
        if (!v)
                return 0;
        if (!json_is_array(v))
                return berr_set(e, EINVAL, "%s: must be an array of strings", field);
        char **list = calloc(json_array_size(v) + 1, sizeof(char *));
        if (!list)
                return berr_set(e, ENOMEM, "out of memory");
        size_t i;
        json_t *it;
        json_array_foreach (v, i, it) {
                if (!json_is_string(it)) {
                        strv_free(list);
                        return berr_set(e, EINVAL, "%s[%zu]: must be a string", field, i);
                }
                if (!(list[i] = strdup(json_string_value(it)))) {
                        strv_free(list);
                        return berr_set(e, ENOMEM, "out of memory");
                }
        }
        *out = list;
        return 0;
}

static int parse_hook(json_t *o, const char *field, struct spec_hook *h, struct berr *e)
{
        char sub[128];
        if (!json_is_object(o))
                return berr_set(e, EINVAL, "%s: must be an object", field);
        json_t *path = json_object_get(o, "path"), *timeout = json_object_get(o, "timeout");
        if (!path)
                return berr_set(e, EINVAL, "%s.path: required field is missing", field);
        if (!json_is_string(path) || json_string_value(path)[0] != '/')
                return berr_set(e, EINVAL, "%s.path: must be an absolute path", field);
        if (!(h->path = strdup(json_string_value(path))))
                return berr_set(e, ENOMEM, "out of memory");
        snprintf(sub, sizeof(sub), "%s.args", field);
        int r = strv_from(json_object_get(o, "args"), sub, &h->args, e);
        if (r < 0)
                return r;
        snprintf(sub, sizeof(sub), "%s.env", field);
        if ((r = strv_from(json_object_get(o, "env"), sub, &h->env, e)) < 0)
                return r;
        if (timeout) {
                if (!json_is_integer(timeout) || json_integer_value(timeout) < 1 ||
                    json_integer_value(timeout) > 1000000)
                        return berr_set(e, EINVAL, "%s.timeout: must be a positive number of seconds",
                                        field);
                h->timeout = (int)json_integer_value(timeout);
        }
        return 0;
}

int spec_hooks_from_json(json_t *root, struct spec *s, struct berr *e)
{
        json_t *hooks = json_object_get(root, "hooks");
        if (!hooks || json_is_null(hooks))
                return 0;
        if (!json_is_object(hooks))
                return berr_set(e, EINVAL, "hooks: must be an object");
        for (int k = 0; k < SPEC_HOOK__COUNT; k++) {
                json_t *a = json_object_get(hooks, hook_names[k]);
                if (!a || json_is_null(a))
                        continue;
                if (!json_is_array(a))
                        return berr_set(e, EINVAL, "hooks.%s: must be an array", hook_names[k]);
                if (!json_array_size(a))
                        continue;
                s->hooks[k] = calloc(json_array_size(a), sizeof(struct spec_hook));
                if (!s->hooks[k])
                        return berr_set(e, ENOMEM, "out of memory");
                size_t i;
                json_t *it;
                json_array_foreach (a, i, it) {
                        char field[64];
                        snprintf(field, sizeof(field), "hooks.%s[%zu]", hook_names[k], i);
                        s->n_hooks[k]++; /* counted first: spec_free clears a half-made one */
                        int r = parse_hook(it, field, &s->hooks[k][i], e);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static json_t *strv_json(char *const *v)
{
        json_t *a = json_array();
        for (size_t i = 0; v && v[i]; i++)
                json_array_append_new(a, json_string(v[i]));
        return a;
}

void spec_hooks_to_json(const struct spec *s, json_t *root)
{
        json_t *hooks = NULL;
        for (int k = 0; k < SPEC_HOOK__COUNT; k++) {
                if (!s->n_hooks[k])
                        continue;
                if (!hooks)
                        hooks = json_object();
                json_t *a = json_array();
                for (size_t i = 0; i < s->n_hooks[k]; i++) {
                        const struct spec_hook *h = &s->hooks[k][i];
                        json_t *o = json_pack("{s:s}", "path", h->path);
                        if (h->args)
                                json_object_set_new(o, "args", strv_json(h->args));
                        if (h->env)
                                json_object_set_new(o, "env", strv_json(h->env));
                        if (h->timeout)
                                json_object_set_new(o, "timeout", json_integer(h->timeout));
                        json_array_append_new(a, o);
                }
                json_object_set_new(hooks, hook_names[k], a);
        }
        if (hooks)
                json_object_set_new(root, "hooks", hooks);
}
