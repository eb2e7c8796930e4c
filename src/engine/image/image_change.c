/* docker's --change lines (a Dockerfile instruction each) applied to an image config's
 * "config" object. Pure; unit-tested and fuzzed with the other image parsers. */
#include "engine/image/image_ops.h"

#include "util/err.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* JSON form ["a","b"] if it parses as an array of strings, else NULL. */
static json_t *json_form(const char *arg)
{
        if (arg[0] != '[')
                return NULL;
        json_t *a = json_loads(arg, JSON_DECODE_ANY, NULL);
        size_t i;
        json_t *s;
        if (!json_is_array(a))
                goto bad;
        json_array_foreach(a, i, s) if (!json_is_string(s)) goto bad;
        return a;
bad:
        json_decref(a);
        return NULL;
}

/* CMD/ENTRYPOINT: JSON form, else shell form (["/bin/sh", "-c", arg]). */
static json_t *exec_form(const char *arg)
{
        json_t *a = json_form(arg);
        return a ? a : json_pack("[s,s,s]", "/bin/sh", "-c", arg);
}

static char *unquote(const char *s, size_t n)
{
        if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
                s++;
                n -= 2;
        }
        return strndup(s, n);
}

/* "K=V K2=V2" (values may be quoted) or "K V"; calls fn for each pair. */
static int pairs(const char *arg, json_t *target, int env, const char *what, struct berr *e)
{
        const char *eq = strchr(arg, '=');
        const char *sp = strpbrk(arg, " \t");
        if (!eq || (sp && sp < eq)) { /* legacy "K V" form */
                if (!sp)
                        return berr_set(e, EINVAL, "%s needs KEY=VALUE: %s", what, arg);
                char *k = strndup(arg, (size_t)(sp - arg));
                const char *v = sp + strspn(sp, " \t");
                if (!k)
                        return berr_set(e, ENOMEM, "out of memory");
                int r = 0;
                if (env) {
                        char *kv = NULL;
                        if (asprintf(&kv, "%s=%s", k, v) < 0)
                                r = berr_set(e, ENOMEM, "out of memory");
                        else
                                json_array_append_new(target, json_string(kv));
                        free(kv);
                } else
                        json_object_set_new(target, k, json_string(v));
                free(k);
                return r;
        }
        const char *p = arg;
        while (*p) {
                p += strspn(p, " \t");
                if (!*p)
                        break;
                const char *q = p;
                char quote = 0;
                while (*q && (quote || (*q != ' ' && *q != '\t'))) {
                        if (!quote && (*q == '"' || *q == '\''))
                                quote = *q;
                        else if (quote && *q == quote)
                                quote = 0;
                        q++;
                }
                const char *e2 = memchr(p, '=', (size_t)(q - p));
                if (!e2 || e2 == p)
                        return berr_set(e, EINVAL, "%s needs KEY=VALUE: %.*s", what, (int)(q - p), p);
                char *k = strndup(p, (size_t)(e2 - p));
                char *v = unquote(e2 + 1, (size_t)(q - e2 - 1));
                if (!k || !v) {
                        free(k);
                        free(v);
                        return berr_set(e, ENOMEM, "out of memory");
                }
                if (env) {
                        /* replace an existing entry with the same key */
                        size_t i, kl = strlen(k);
                        json_t *s;
                        char *kv = NULL;
                        if (asprintf(&kv, "%s=%s", k, v) >= 0) {
                                int done = 0;
                                json_array_foreach(target, i, s)
                                {
                                        const char *t = json_string_value(s);
                                        if (t && !strncmp(t, k, kl) && t[kl] == '=') {
                                                json_array_set_new(target, i, json_string(kv));
                                                done = 1;
                                                break;
                                        }
                                }
                                if (!done)
                                        json_array_append_new(target, json_string(kv));
                        }
                        free(kv);
                } else
                        json_object_set_new(target, k, json_string(v));
                free(k);
                free(v);
                p = q;
        }
        return 0;
}

static json_t *obj_member(json_t *config, const char *key, int array)
{
        json_t *o = json_object_get(config, key);
        if (array ? !json_is_array(o) : !json_is_object(o)) {
                o = array ? json_array() : json_object();
                json_object_set_new(config, key, o);
        }
        return o;
}

static int words(const char *arg, json_t *target, const char *suffix)
{
        json_t *a = json_form(arg);
        if (a) {
                size_t i;
                json_t *s;
                json_array_foreach(a, i, s) json_object_set_new(target, json_string_value(s),
                                                                json_object());
                json_decref(a);
                return 0;
        }
        char *copy = strdup(arg), *save = NULL;
        if (!copy)
                return -ENOMEM;
        for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
                char key[256];
                snprintf(key, sizeof(key), "%s%s", w, suffix && !strchr(w, '/') ? suffix : "");
                json_object_set_new(target, key, json_object());
        }
        free(copy);
        return 0;
}

int image_change_apply(json_t *config, const char *change, struct berr *e)
{
        while (isspace((unsigned char)*change))
                change++;
        size_t kl = strcspn(change, " \t");
        const char *arg = change + kl + strspn(change + kl, " \t");
        size_t al = strlen(arg);
        while (al && isspace((unsigned char)arg[al - 1]))
                al--;
        char *a = strndup(arg, al);
        if (!a)
                return berr_set(e, ENOMEM, "out of memory");
        char kw[16] = "";
        if (kl < sizeof(kw))
                memcpy(kw, change, kl), kw[kl] = '\0';
        int r = 0;
        if (!a[0])
                r = berr_set(e, EINVAL, "--change %s needs an argument", kw[0] ? kw : change);
        else if (!strcasecmp(kw, "CMD"))
                json_object_set_new(config, "Cmd", exec_form(a));
        else if (!strcasecmp(kw, "ENTRYPOINT"))
                json_object_set_new(config, "Entrypoint", exec_form(a));
        else if (!strcasecmp(kw, "ENV"))
                r = pairs(a, obj_member(config, "Env", 1), 1, "ENV", e);
        else if (!strcasecmp(kw, "LABEL"))
                r = pairs(a, obj_member(config, "Labels", 0), 0, "LABEL", e);
        else if (!strcasecmp(kw, "WORKDIR"))
                json_object_set_new(config, "WorkingDir", json_string(a));
        else if (!strcasecmp(kw, "USER"))
                json_object_set_new(config, "User", json_string(a));
        else if (!strcasecmp(kw, "STOPSIGNAL"))
                json_object_set_new(config, "StopSignal", json_string(a));
        else if (!strcasecmp(kw, "EXPOSE"))
                r = words(a, obj_member(config, "ExposedPorts", 0), "/tcp");
        else if (!strcasecmp(kw, "VOLUME"))
                r = words(a, obj_member(config, "Volumes", 0), NULL);
        else
                r = berr_set(e, EINVAL,
                             "--change: unsupported instruction \"%.*s\" (CMD, ENTRYPOINT, ENV, "
                             "EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR)",
                             (int)kl, change);
        free(a);
        if (r == -ENOMEM)
                return berr_set(e, ENOMEM, "out of memory");
        return r;
}
