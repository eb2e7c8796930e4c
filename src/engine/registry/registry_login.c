/* `login` and `logout`: credentials are checked against the registry (GET /v2/ answering its
 * challenge with them) before they are stored in auth.json. */
#include "engine/registry/registry.h"
#include "engine/registry/registry_http.h"

#include "util/err.h"

#include <string.h>

/* "https://index.docker.io/v1/", "docker.io", "127.0.0.1:5000", "http://h:5000/" -> domain */
static void server_domain(const char *server, char *out, size_t n)
{
        if (!server || !*server)
                server = "docker.io";
        const char *p = strstr(server, "://");
        p = p ? p + 3 : server;
        snprintf(out, n, "%s", p);
        char *slash = strchr(out, '/');
        if (slash)
                *slash = '\0';
        if (!strcmp(out, "index.docker.io") || !strcmp(out, "registry-1.docker.io"))
                snprintf(out, n, "docker.io");
}

int registry_login(const char *server, const char *user, const char *pass,
                   const struct registry_opts *o, struct berr *e)
{
        char domain[256];
        server_domain(server, domain, sizeof(domain));
        if (!user || !*user)
                return berr_set(e, EINVAL, "login: a username is needed (-u)");
        if (!pass || !*pass)
                return berr_set(e, EINVAL, "login: a password is needed (-p or --password-stdin)");
        struct reg_session s;
        int r = reg_session_open(&s, domain, "", false, user, pass, o, e);
        /* A bearer registry answers /v2/ with 401 until it sees a token; the token endpoint
         * checked the password already. */
        reg_session_close(&s);
        if (r < 0)
                return r;
        return auth_put(o->config_dir, domain, user, pass, e);
}

int registry_logout(const char *server, const struct registry_opts *o, struct berr *e)
{
        char domain[256];
        server_domain(server, domain, sizeof(domain));
        return auth_remove(o->config_dir, domain, e);
}
