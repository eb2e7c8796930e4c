/* --userns: host (the default) or remap — the container's root mapped to an unprivileged host
 * range, as docker's userns-remap (see userns.c for how image layers are made to fit). */
#ifndef BERTH_ENGINE_USERNS_H
#define BERTH_ENGINE_USERNS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct berr;
struct spec;

struct userns_map {
        bool enabled;
        uint32_t host_id, size; /* container ids 0..size-1 are host ids host_id.. */
};

/* "host", "remap" (root's range in /etc/subuid and /etc/subgid) or "remap:HOSTID[:SIZE]". */
int userns_parse_flag(const char *arg, struct userns_map *m, struct berr *e);
/* Finds user's range in subuid/subgid text. Pure. */
int userns_parse_subid(FILE *f, const char *user, uint32_t *start, uint32_t *count);
/* The image's layer dirs as shifted copies for this mapping (made once, cached). */
int userns_layers(const char *root, char *const *layers, const struct userns_map *m,
                  char ***out, struct berr *e);
/* The user namespace and its maps in the spec; the container's dirs owned by the mapped root;
 * the overlay told to use user xattrs. */
int userns_apply(struct spec *s, const struct userns_map *m, const char *cdir, struct berr *e);

#endif
