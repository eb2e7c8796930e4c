#include "util/strv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

size_t strv_len(char *const *v)
{
        size_t n = 0;
        while (v && v[n])
                n++;
        return n;
}

void strv_free(char **v)
{
        for (size_t i = 0; v && v[i]; i++)
                free(v[i]);
        free(v);
}

int strv_push(char ***v, const char *s)
{
        size_t n = strv_len(*v);
        char *copy = strdup(s);
        if (!copy)
                return -ENOMEM;
        char **nv = realloc(*v, (n + 2) * sizeof(char *));
        if (!nv) {
                free(copy);
                return -ENOMEM;
        }
        nv[n] = copy;
        nv[n + 1] = NULL;
        *v = nv;
        return 0;
}

int strv_extend(char ***v, char *const *src)
{
        for (size_t i = 0; src && src[i]; i++)
                if (strv_push(v, src[i]) < 0)
                        return -ENOMEM;
        return 0;
}

char **strv_dup(char *const *v)
{
        char **out = calloc(1, sizeof(char *));
        if (!out)
                return NULL;
        if (strv_extend(&out, v) < 0) {
                strv_free(out);
                return NULL;
        }
        return out;
}

static size_t key_len(const char *s)
{
        const char *eq = strchr(s, '=');
        return eq ? (size_t)(eq - s) : strlen(s);
}

long env_find(char *const *env, const char *key)
{
        size_t kl = key_len(key);
        for (size_t i = 0; env && env[i]; i++)
                if (key_len(env[i]) == kl && strncmp(env[i], key, kl) == 0)
                        return (long)i;
        return -1;
}

int env_set(char ***env, const char *entry)
{
        long i = env_find(*env, entry);
        if (i < 0)
                return strv_push(env, entry);
        char *copy = strdup(entry);
        if (!copy)
                return -ENOMEM;
        free((*env)[i]);
        (*env)[i] = copy;
        return 0;
}

const char *env_get(char *const *env, const char *key)
{
        long i = env_find(env, key);
        if (i < 0)
                return NULL;
        const char *eq = strchr(env[i], '=');
        return eq ? eq + 1 : "";
}
