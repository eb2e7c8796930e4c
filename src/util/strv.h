/* NULL-terminated string vectors (argv/env style), heap-owned. */
#ifndef BERTH_UTIL_STRV_H
#define BERTH_UTIL_STRV_H

#include <stdbool.h>
#include <stddef.h>

size_t strv_len(char *const *v);
void strv_free(char **v);
char **strv_dup(char *const *v);
/* Appends a copy of s; returns 0 or -ENOMEM. *v may be NULL. */
int strv_push(char ***v, const char *s);
/* Appends copies of every string of src. */
int strv_extend(char ***v, char *const *src);

/* Environment helpers: entries are "KEY=VALUE". */
/* Index of the entry whose key equals key (key may itself be "KEY=..."), or -1. */
long env_find(char *const *env, const char *key);
/* Sets (replaces or appends) a "KEY=VALUE" entry. */
int env_set(char ***env, const char *entry);
/* Value of key in env, or NULL. */
const char *env_get(char *const *env, const char *key);

#endif
