/* A session with one registry for one repository: scheme (https, or http for loopback and
 * --tls-verify=false), credentials from auth.json, the WWW-Authenticate dance (bearer token or
 * basic) and requests with their responses. Private to registry*.c, pull.c, push.c. */
#ifndef BERTH_ENGINE_REGISTRY_HTTP_H
#define BERTH_ENGINE_REGISTRY_HTTP_H

#include "engine/registry/registry.h"
#include "engine/registry/registry_curl.h"

#include <stdio.h>

struct reg_session {
        const struct curl_api *C;
        char domain[256];
        char base[320]; /* "https://host" */
        bool verify;
        bool may_fallback_http; /* tls-verify=false: https failed, try http */
        char *user, *pass;
        char *authz; /* "Authorization: ..." header or NULL */
        char scope[600];
        bool authenticated;
};

struct reg_resp {
        long status;
        char *body;
        size_t len, max;
        char ctype[160];
        char location[4096];
        char www_auth[2048];
        char digest[96]; /* Docker-Content-Digest */
        char ua_err[CURL_ERROR_SIZE];
};

/* Opens a session: credentials (user/pass given, else auth.json), scheme, then GET /v2/ to learn
 * how the registry authenticates (and a token for scope). push: scope pull,push. */
int reg_session_open(struct reg_session *s, const char *domain, const char *repo, bool push,
                     const char *user, const char *pass, const struct registry_opts *o,
                     struct berr *e);
void reg_session_close(struct reg_session *s);

/* A request. url: "/v2/..." (on the session's base) or absolute. upload_buf (ctype given) or
 * upload file f of size; body kept in memory up to resp->max (0: discarded). Retries once
 * after a 401 with the challenge answered. */
struct reg_upload {
        const char *buf;
        size_t len;
        FILE *f;
        const char *ctype;
};
int reg_request(struct reg_session *s, const char *method, const char *url,
                const char *accept, const struct reg_upload *up, struct reg_resp *resp,
                struct berr *e);
void reg_resp_free(struct reg_resp *r);

/* A configured easy handle for url (authorization, TLS, redirects, user agent, stall timeout);
 * *hdrs receives the header list to free after the transfer. */
CURL *reg_easy(struct reg_session *s, const char *url, const char *accept,
               struct curl_slist **hdrs, struct berr *e);

/* The registry's error message from a JSON error body ({"errors":[{"message":...}]}), or a
 * generic text for the status. Writes into buf. */
const char *reg_error_text(const struct reg_resp *r, char *buf, size_t len);

#endif
