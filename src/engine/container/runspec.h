/* An image's config plus the user's run flags -> struct spec (docker's precedence rules). */
#ifndef BERTH_ENGINE_RUNSPEC_H
#define BERTH_ENGINE_RUNSPEC_H

struct berr;
struct image;
struct run_options;
struct spec;

/* cdir is the container's directory (upper/, work/, merged/ in it); hostname the final one. */
int runspec_build(const struct image *img, const struct run_options *o, const char *cdir,
                  const char *hostname, struct spec **out, struct berr *e);

/* The process args docker would run: entrypoint + cmd, where --entrypoint resets the image's
 * Cmd and COMMAND replaces it. Pure; NULL-terminated, heap-owned. -EINVAL if empty. */
int runspec_args(char *const *img_entry, char *const *img_cmd, char *const *opt_entry,
                 char *const *opt_cmd, char ***out, struct berr *e);

/* The environment: image Env, then -e/--env-file in order (later wins), then HOSTNAME and,
 * with a terminal, TERM=xterm unless set. Pure. */
int runspec_env(char *const *img_env, char *const *opt_env, const char *hostname, int tty,
                char ***out, struct berr *e);

/* Writes /etc/hostname, /etc/hosts and /etc/resolv.conf into the container's upper dir, so they
 * cost no mount. host_resolv is the host's resolv.conf text (loopback resolvers dropped). */
int runspec_write_etc(const char *upper, const char *hostname, const char *host_resolv,
                      struct berr *e);

#endif
