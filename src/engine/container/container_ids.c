/* A container's id, the rules for its name, and where its directory is: no state, no calls into
 * the rest of the engine, so the store (containers.c), lookups, volumes and networks all stand on
 * it. */
#include "engine/container/container_ids.h"

#include "util/err.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

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

int is_id_prefix(const char *s)
{
        size_t n = strlen(s);
        if (n == 0 || n > 64)
                return 0;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
                        return 0;
        return 1;
}

char *container_dir(const char *root, const char *id)
{
        char *out = NULL;
        if (asprintf(&out, "%s/containers/%s", root, id) < 0)
                return NULL;
        return out;
}
