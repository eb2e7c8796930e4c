#include "engine/containers.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "engine/volume_mount.h"
#include "util/fs.h"
#include "util/strv.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

int container_new_id(char out[65], struct berr *e)
{
        unsigned char raw[32];
        if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
                return berr_sys(e, errno, "generating a container id");
        for (int i = 0; i < 32; i++)
                snprintf(out + 2 * i, 3, "%02x", raw[i]);
        return 0;
}

bool container_name_valid(const char *n)
{
        if (!n[0] || strlen(n) > 200)
                return false;
        for (size_t i = 0; n[i]; i++) {
                char c = n[i];
                bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                             (c >= '0' && c <= '9');
                if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-')))
                        return false;
        }
        return true;
}

void container_default_name(const char *id, char *out, size_t len)
{
        static const char *const adj[] = {"brave", "calm", "eager", "fond", "keen", "lucid",
                                          "merry", "quiet", "sharp", "steady", "swift", "tidy",
                                          "vivid", "warm", "wise", "bold"};
        static const char *const noun[] = {"anchor", "beacon", "buoy", "cargo", "dock", "ferry",
                                           "harbor", "jetty", "keel", "mast", "pier", "quay",
                                           "rudder", "sail", "tide", "wharf"};
        unsigned a = 0, b = 0;
        sscanf(id, "%1x%1x", &a, &b);
        /* The id's next digits keep names unique in practice; a clash is retried by the caller. */
        snprintf(out, len, "%s_%s_%.6s", adj[a & 15], noun[b & 15], id + 2);
}

static char *names_dir(const char *root)
{
        return path_join(root, "containers/names");
}

int container_name_reserve(const char *root, const char *name, const char *id, struct berr *e)
{
        _cleanup_free_ char *dir = names_dir(root), *link = NULL;
        if (!dir || !(link = path_join(dir, name)))
                return berr_set(e, ENOMEM, "out of memory");
        if (symlink(id, link) == 0)
                return 0;
        if (errno == ENOENT) {
                int r = mkdir_p(dir, 0700, e);
                if (r < 0)
                        return r;
                if (symlink(id, link) == 0)
                        return 0;
        }
        if (errno == EEXIST) {
                char other[80] = "";
                ssize_t n = readlink(link, other, sizeof(other) - 1);
                other[n > 0 ? n : 0] = '\0';
                return berr_set(e, EEXIST,
                                "--name: the name \"%s\" is already in use by container %.12s; "
                                "remove or rename that container first",
                                name, other);
        }
        return berr_sys(e, errno, "reserving the name %s", name);
}

void container_name_release(const char *root, const char *name)
{
        _cleanup_free_ char *dir = names_dir(root), *link = dir ? path_join(dir, name) : NULL;
        if (link)
                unlink(link);
}

char *container_dir(const char *root, const char *id)
{
        char *out = NULL;
        if (asprintf(&out, "%s/containers/%s", root, id) < 0)
                return NULL;
        return out;
}

int container_remove_files(const char *root, const char *id, const char *name, struct berr *e)
{
        _cleanup_free_ char *dir = container_dir(root, id);
        if (!dir)
                return berr_set(e, ENOMEM, "out of memory");
        char **anon = NULL; /* --rm: anonymous volumes go with the container, as in docker */
        struct berr ignore;
        container_volumes_read(dir, NULL, &anon, &ignore);
        int r = rm_rf(dir, e);
        if (name && name[0])
                container_name_release(root, name);
        container_volumes_remove(root, anon);
        strv_free(anon);
        return r;
}
