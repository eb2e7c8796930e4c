/* Registry credentials in <config dir>/auth.json (mode 0600, dir 0700), docker's format:
 *     {"auths": {"127.0.0.1:5000": {"auth": "<base64 of user:pass>"}}}
 * The config dir is the caller's, else $BERTH_CONFIG, else ~/.config/berth. */
#include "engine/registry/registry.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"

#include <jansson.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *config_dir(const char *dir)
{
        if (dir && *dir)
                return strdup(dir);
        const char *env = getenv("BERTH_CONFIG");
        if (env && *env)
                return strdup(env);
        const char *home = getenv("HOME");
        if (!home || !*home) {
                struct passwd *pw = getpwuid(getuid());
                home = pw ? pw->pw_dir : "/root";
        }
        char *p = NULL;
        return asprintf(&p, "%s/.config/berth", home) < 0 ? NULL : p;
}

char *auth_config_path(const char *dir)
{
        _cleanup_free_ char *d = config_dir(dir);
        return d ? path_join(d, "auth.json") : NULL;
}

static int load(const char *path, json_t **out, struct berr *e)
{
        _cleanup_free_ char *data = NULL;
        size_t len = 0;
        int r = read_file(path, &data, &len, NULL);
        if (r == -ENOENT) {
                *out = json_object();
                return *out ? 0 : berr_set(e, ENOMEM, "out of memory");
        }
        if (r < 0)
                return berr_sys(e, -r, "reading %s", path);
        json_error_t je;
        *out = json_loadb(data, len, 0, &je);
        if (!json_is_object(*out)) {
                json_decref(*out);
                return berr_set(e, EINVAL, "%s: not a JSON object (%s)", path, je.text);
        }
        return 0;
}

int auth_get(const char *dir, const char *domain, char **user, char **pass, struct berr *e)
{
        *user = *pass = NULL;
        _cleanup_free_ char *path = auth_config_path(dir);
        if (!path)
                return berr_set(e, ENOMEM, "out of memory");
        json_t *root = NULL;
        int r = load(path, &root, e);
        if (r < 0)
                return r;
        const char *b = json_string_value(
            json_object_get(json_object_get(json_object_get(root, "auths"), domain), "auth"));
        char *dec = NULL;
        size_t len = 0;
        if (b && base64_decode(b, &dec, &len) == 0) {
                char *colon = memchr(dec, ':', len);
                if (colon) {
                        *colon = '\0';
                        *user = strdup(dec);
                        *pass = strdup(colon + 1);
                }
                explicit_bzero(dec, len);
                free(dec);
        } else if (b) {
                r = berr_set(e, EINVAL, "%s: the entry for %s is not base64 user:password", path,
                             domain);
        }
        json_decref(root);
        return r;
}

static int save(const char *path, json_t *root, struct berr *e)
{
        _cleanup_free_ char *dir = strdup(path);
        if (!dir)
                return berr_set(e, ENOMEM, "out of memory");
        *strrchr(dir, '/') = '\0';
        int r = mkdir_p(dir, 0700, e);
        if (r < 0)
                return r;
        _cleanup_free_ char *s = json_dumps(root, JSON_INDENT(8) | JSON_SORT_KEYS);
        if (!s)
                return berr_set(e, ENOMEM, "out of memory");
        r = write_file_atomic(path, s, strlen(s), 0600, e);
        if (r == 0)
                chmod(path, 0600);
        return r;
}

int auth_put(const char *dir, const char *domain, const char *user, const char *pass,
             struct berr *e)
{
        _cleanup_free_ char *path = auth_config_path(dir);
        _cleanup_free_ char *up = NULL;
        if (!path || asprintf(&up, "%s:%s", user, pass) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_free_ char *b = base64_encode(up, strlen(up));
        explicit_bzero(up, strlen(up));
        json_t *root = NULL;
        int r = b ? load(path, &root, e) : berr_set(e, ENOMEM, "out of memory");
        if (r < 0)
                return r;
        json_t *auths = json_object_get(root, "auths");
        if (!json_is_object(auths)) {
                auths = json_object();
                json_object_set_new(root, "auths", auths);
        }
        json_object_set_new(auths, domain, json_pack("{s:s}", "auth", b));
        r = save(path, root, e);
        json_decref(root);
        return r;
}

int auth_remove(const char *dir, const char *domain, struct berr *e)
{
        _cleanup_free_ char *path = auth_config_path(dir);
        if (!path)
                return berr_set(e, ENOMEM, "out of memory");
        json_t *root = NULL;
        int r = load(path, &root, e);
        if (r < 0)
                return r;
        json_t *auths = json_object_get(root, "auths");
        if (json_object_del(auths, domain) < 0)
                r = berr_set(e, ENOENT, "not logged in to %s", domain);
        else
                r = save(path, root, e);
        json_decref(root);
        return r;
}
