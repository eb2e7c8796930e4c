/* Images from and to a registry (OCI distribution spec / docker registry API v2): pull, push,
 * login, logout. HTTP goes through libcurl, which is loaded with dlopen on first use only
 * (registry_curl.c), so `berth run` of a local image never loads it and its ~30 libraries.
 *
 * Pull: manifest (OCI index/manifest, docker list/schema2; the platform picked from an index),
 * then the config, then only the layers whose diff_id is not in the store, several at once
 * (curl multi), each streamed to a temp file under <root>/images/tmp with its digest checked,
 * unpacked (its diff_id checked against the config's), published; the config and the tag last.
 * A failure leaves nothing but layers that were complete and correct. */
#ifndef BERTH_ENGINE_REGISTRY_H
#define BERTH_ENGINE_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct berr;
struct berth_ctx;

/* A reference split for the registry: "127.0.0.1:5000/x/y:1" -> domain "127.0.0.1:5000",
 * repo "x/y", tag "1". docker.io names go to registry-1.docker.io, "busybox" as
 * "library/busybox". local is the name in repositories.json ("127.0.0.1:5000/x/y:1",
 * "busybox:latest", "x@sha256:..."). */
struct registry_ref {
        char domain[256];
        char repo[256];
        char tag[130];     /* "" when digest is set */
        char digest[72];   /* "" or "sha256:<hex>" */
        char local[512];
        bool explicit_domain; /* the user named the registry */
};
/* Pure. -EINVAL with a message naming ref. */
int registry_ref_parse(const char *ref, struct registry_ref *out, struct berr *e);
/* Registry host to talk to: "docker.io" -> "registry-1.docker.io", else domain. Pure. */
const char *registry_host(const char *domain);
/* 1 if the domain is on loopback (localhost, 127.0.0.0/8, [::1]) and so plain http by default,
 * as docker treats 127.0.0.0/8 as insecure. Pure. */
bool registry_insecure_default(const char *domain);

/* One WWW-Authenticate challenge: `Bearer realm="...",service="...",scope="..."` or
 * `Basic realm="..."`. Pure. */
struct registry_challenge {
        char scheme[16]; /* "bearer" or "basic" (lowercased) */
        char realm[1024];
        char service[256];
        char scope[512];
};
int registry_challenge_parse(const char *header, struct registry_challenge *out);

/* Picks the manifest for os/arch[/variant] ("linux/amd64") from an index or a docker manifest
 * list (JSON). Writes its digest and media type. -ENOENT with a message listing what the index
 * has if none matches. Pure. */
int registry_index_pick(const char *json, size_t len, const char *platform, char digest[72],
                        char *media_type, size_t mtlen, struct berr *e);

/* base64 (standard alphabet, padded). Heap string or NULL. Pure. */
char *base64_encode(const void *data, size_t len);
/* -EINVAL on bad input; out is heap, NUL-terminated. */
int base64_decode(const char *s, char **out, size_t *len);

struct registry_opts {
        const char *platform; /* "os/arch[/variant]" or NULL: this host's */
        int tls_verify;       /* 1 yes, 0 no (and plain http is tried), -1 default (loopback: http) */
        FILE *out;            /* progress and status lines, or NULL */
        bool tty;             /* redraw per-layer progress lines */
        bool quiet;
        const char *config_dir; /* auth.json's dir, or NULL: $BERTH_CONFIG, ~/.config/berth */
};

/* `pull`: writes the image id to id_out. */
int registry_pull(const struct berth_ctx *ctx, const char *ref, const struct registry_opts *o,
                  char id_out[72], struct berr *e);
/* `push`: the image named ref in the store to its registry. */
int registry_push(const struct berth_ctx *ctx, const char *ref, const struct registry_opts *o,
                  struct berr *e);
/* True if a reference not in the store should be pulled by `run`: it names a registry. The
 * built-in busybox never is. Pure. */
bool registry_ref_pullable(const char *ref);

/* image_resolve, and if the image is not there and registry_ref_pullable(ref), a pull first
 * (progress on stderr), as docker's run. */
struct image;
int image_resolve_or_pull(const struct berth_ctx *ctx, const char *ref, struct image *out,
                          struct berr *e);

/* `login`: checks the credentials against the registry, then stores them in auth.json
 * (created 0600). server NULL: docker.io. */
int registry_login(const char *server, const char *user, const char *pass,
                   const struct registry_opts *o, struct berr *e);
int registry_logout(const char *server, const struct registry_opts *o, struct berr *e);

/* auth.json: {"auths": {"<domain>": {"auth": "<base64 user:pass>"}}}. */
char *auth_config_path(const char *config_dir);
/* Finds credentials for domain; 0 with *user NULL if none. */
int auth_get(const char *config_dir, const char *domain, char **user, char **pass,
             struct berr *e);
int auth_put(const char *config_dir, const char *domain, const char *user, const char *pass,
             struct berr *e);
/* -ENOENT if there were none. */
int auth_remove(const char *config_dir, const char *domain, struct berr *e);

#endif
