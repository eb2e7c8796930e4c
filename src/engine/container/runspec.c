#include "engine/container/runspec.h"

#include "core/spec.h"
#include "engine/container/run.h"
#include "engine/image/image.h"
#include "engine/security/runspec_security.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int runspec_args(char *const *img_entry, char *const *img_cmd, char *const *opt_entry,
                 char *const *opt_cmd, char ***out, struct berr *e)
{
        char *const *entry = opt_entry ? opt_entry : img_entry;
        char *const *cmd = opt_cmd ? opt_cmd : (opt_entry ? NULL : img_cmd);
        char **args = calloc(1, sizeof(char *));
        if (!args || strv_extend(&args, entry) < 0 || strv_extend(&args, cmd) < 0) {
                strv_free(args);
                return berr_set(e, ENOMEM, "out of memory");
        }
        if (!args[0]) {
                strv_free(args);
                return berr_set(e, EINVAL, "no command specified: the image has no Cmd or "
                                           "Entrypoint, give one after the image name");
        }
        *out = args;
        return 0;
}

int runspec_env(char *const *img_env, char *const *opt_env, const char *hostname, int tty,
                char ***out, struct berr *e)
{
        char **env = calloc(1, sizeof(char *));
        char host[300];
        int r = env ? 0 : -ENOMEM;
        for (size_t i = 0; r == 0 && img_env && img_env[i]; i++)
                r = env_set(&env, img_env[i]);
        if (r == 0 && !env_get(env, "PATH"))
                r = env_set(&env,
                            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        snprintf(host, sizeof(host), "HOSTNAME=%s", hostname);
        if (r == 0)
                r = env_set(&env, host);
        if (r == 0 && tty && !env_get(env, "TERM"))
                r = env_set(&env, "TERM=xterm");
        for (size_t i = 0; r == 0 && opt_env && opt_env[i]; i++)
                r = env_set(&env, opt_env[i]);
        if (r < 0) {
                strv_free(env);
                return berr_set(e, ENOMEM, "out of memory");
        }
        *out = env;
        return 0;
}

static int build_root_mount(struct spec *s, const struct image *img, const char *cdir,
                            struct berr *e)
{
        _cleanup_free_ char *opts = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&opts, &len);
        if (!f)
                return berr_set(e, ENOMEM, "out of memory");
        /* overlay lists the top layer first; the store lists the bottom first. */
        fputs("lowerdir=", f);
        size_t n = strv_len(img->layer_dirs);
        for (size_t i = n; i > 0; i--)
                fprintf(f, "%s%s", img->layer_dirs[i - 1], i > 1 ? ":" : "");
        fprintf(f, ",upperdir=%s/upper,workdir=%s/work", cdir, cdir);
        fclose(f);
        if (n == 0)
                return berr_set(e, EINVAL, "image %s has no layers", img->id);
        if (len >= 4096)
                return berr_set(e, E2BIG,
                                "image %s has %zu layers: too many for one overlay mount (its "
                                "options would take %zu bytes; the kernel takes at most 4095)",
                                img->id, n, len);
        char *const options[] = {opts, NULL};
        s->root_mount = calloc(1, sizeof(*s->root_mount));
        if (!s->root_mount)
                return berr_set(e, ENOMEM, "out of memory");
        s->root_mount->destination = strdup("/");
        s->root_mount->type = strdup("overlay");
        s->root_mount->source = strdup("overlay");
        s->root_mount->options = strv_dup(options);
        return 0;
}

static int copy_limits(struct spec *s, const struct run_options *o, struct berr *e)
{
        if (spec_resources_copy(&s->resources, &o->res) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        if (o->n_rlimits) {
                s->process.rlimits = malloc(o->n_rlimits * sizeof(*o->rlimits));
                if (!s->process.rlimits)
                        return berr_set(e, ENOMEM, "out of memory");
                memcpy(s->process.rlimits, o->rlimits, o->n_rlimits * sizeof(*o->rlimits));
                s->process.n_rlimits = o->n_rlimits;
        }
        return 0;
}

int runspec_build(const struct image *img, const struct run_options *o, const char *cdir,
                  const char *hostname, struct spec **out, struct berr *e)
{
        struct spec *s = NULL;
        int r = spec_new_default(&s, e);
        if (r < 0)
                return r;
        char **args = NULL, **env = NULL;
        const char *cwd = o->workdir ? o->workdir
                                     : (img->working_dir && img->working_dir[0] ? img->working_dir
                                                                                : "/");
        const char *user = o->user ? o->user : img->user;
        if ((r = runspec_args(img->entrypoint, img->cmd, o->entrypoint, o->cmd, &args, e)) < 0 ||
            (r = runspec_env(img->env, o->env, hostname, o->tty, &env, e)) < 0)
                goto fail;
        strv_free(s->process.args);
        strv_free(s->process.env);
        s->process.args = args;
        s->process.env = env;
        s->process.terminal = o->tty;
        s->process.no_new_privileges = false; /* docker's default; --security-opt sets it */
        free(s->process.cwd);
        free(s->root_path);
        free(s->hostname);
        s->process.cwd = strdup(cwd);
        s->root_path = path_join(cdir, "merged");
        s->root_readonly = false;
        s->hostname = strdup(hostname);
        if (user && user[0] && !(s->process.user.name = strdup(user)))
                r = -ENOMEM;
        if (r < 0 || !s->process.cwd || !s->root_path || !s->hostname) {
                r = berr_set(e, ENOMEM, "out of memory");
                goto fail;
        }
        if ((r = build_root_mount(s, img, cdir, e)) < 0 || (r = copy_limits(s, o, e)) < 0 ||
            (r = runspec_security(s, &o->sec, e)) < 0)
                goto fail;
        *out = s;
        return 0;
fail:
        spec_free(s);
        return r;
}

int runspec_write_etc(const char *upper, const char *hostname, const char *host_resolv,
                      struct berr *e)
{
        _cleanup_free_ char *etc = path_join(upper, "etc");
        char buf[1024];
        if (!etc)
                return berr_set(e, ENOMEM, "out of memory");
        if (mkdir_p(etc, 0755, e) < 0)
                return e ? e->code : -EIO;
        int n = snprintf(buf, sizeof(buf), "%s\n", hostname);
        _cleanup_free_ char *p1 = path_join(etc, "hostname"), *p2 = path_join(etc, "hosts"),
                            *p3 = path_join(etc, "resolv.conf");
        int r = write_file(p1, buf, (size_t)n, 0644, e);
        if (r < 0)
                return r;
        n = snprintf(buf, sizeof(buf),
                     "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                     "127.0.1.1\t%s\n",
                     hostname);
        if ((r = write_file(p2, buf, (size_t)n, 0644, e)) < 0)
                return r;
        return write_file(p3, host_resolv, strlen(host_resolv), 0644, e);
}
