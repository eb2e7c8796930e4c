/* HTTP with a registry: see registry_http.h. */
#include "engine/registry/registry_http.h"

#include "util/cleanup.h"
#include "util/err.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define USER_AGENT "berth/" BERTH_REG_VERSION
#ifndef BERTH_REG_VERSION
#define BERTH_REG_VERSION "0.1"
#endif

void reg_resp_free(struct reg_resp *r)
{
        free(r->body);
        r->body = NULL;
        r->len = 0;
}

static void copy_value(char *dst, size_t n, const char *v, size_t vl)
{
        while (vl && (*v == ' ' || *v == '\t')) {
                v++;
                vl--;
        }
        while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
                vl--;
        if (vl >= n)
                vl = n - 1;
        memcpy(dst, v, vl);
        dst[vl] = '\0';
}

static size_t on_header(char *buf, size_t size, size_t nitems, void *ud)
{
        struct reg_resp *r = ud;
        size_t n = size * nitems;
        /* A new status line (a redirect or 100 Continue before): forget the headers before it. */
        if (n > 5 && !strncmp(buf, "HTTP/", 5)) {
                r->ctype[0] = r->location[0] = r->www_auth[0] = r->digest[0] = '\0';
                return n;
        }
        const char *colon = memchr(buf, ':', n);
        if (!colon)
                return n;
        size_t kl = (size_t)(colon - buf);
        const char *v = colon + 1;
        size_t vl = n - kl - 1;
#define IS(k) (kl == strlen(k) && !strncasecmp(buf, k, kl))
        if (IS("content-type"))
                copy_value(r->ctype, sizeof(r->ctype), v, vl);
        else if (IS("location"))
                copy_value(r->location, sizeof(r->location), v, vl);
        else if (IS("www-authenticate") && !r->www_auth[0])
                copy_value(r->www_auth, sizeof(r->www_auth), v, vl);
        else if (IS("docker-content-digest"))
                copy_value(r->digest, sizeof(r->digest), v, vl);
#undef IS
        return n;
}

static size_t on_body(char *buf, size_t size, size_t nmemb, void *ud)
{
        struct reg_resp *r = ud;
        size_t n = size * nmemb;
        if (r->max == 0)
                return n;
        if (r->len + n > r->max)
                return 0; /* too big: curl fails the transfer with a write error */
        char *nb = realloc(r->body, r->len + n + 1);
        if (!nb)
                return 0;
        memcpy(nb + r->len, buf, n);
        r->body = nb;
        r->len += n;
        r->body[r->len] = '\0';
        return n;
}

CURL *reg_easy(struct reg_session *s, const char *url, const char *accept,
               struct curl_slist **hdrs, struct berr *e)
{
        const struct curl_api *C = s->C;
        CURL *h = C->easy_init();
        if (!h) {
                berr_set(e, ENOMEM, "out of memory");
                return NULL;
        }
        char full[4400];
        if (!strncmp(url, "/", 1))
                snprintf(full, sizeof(full), "%s%s", s->base, url);
        else
                snprintf(full, sizeof(full), "%s", url);
        C->easy_setopt(h, CURLOPT_URL, full);
        C->easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        C->easy_setopt(h, CURLOPT_USERAGENT, USER_AGENT);
        /* Blobs are often a redirect to storage elsewhere; curl drops our Authorization header
         * when the host changes (CURLOPT_UNRESTRICTED_AUTH stays off). */
        C->easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
        C->easy_setopt(h, CURLOPT_MAXREDIRS, 10L);
        C->easy_setopt(h, CURLOPT_SSL_VERIFYPEER, s->verify ? 1L : 0L);
        C->easy_setopt(h, CURLOPT_SSL_VERIFYHOST, s->verify ? 2L : 0L);
        C->easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
        /* A registry that stops sending: fail after 30 s below 1 byte/s. */
        C->easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
        C->easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 30L);
        struct curl_slist *l = NULL;
        if (s->authz)
                l = C->slist_append(l, s->authz);
        if (accept) {
                char a[600];
                snprintf(a, sizeof(a), "Accept: %s", accept);
                l = C->slist_append(l, a);
        }
        *hdrs = l;
        return h;
}

const char *reg_error_text(const struct reg_resp *r, char *buf, size_t len)
{
        json_error_t je;
        json_t *j = r->body ? json_loadb(r->body, r->len, 0, &je) : NULL;
        json_t *e0 = json_array_get(json_object_get(j, "errors"), 0);
        const char *msg = json_string_value(json_object_get(e0, "message"));
        const char *det = json_string_value(json_object_get(e0, "detail"));
        if (msg)
                snprintf(buf, len, "%s%s%s", msg, det ? ": " : "", det ? det : "");
        else
                snprintf(buf, len, "HTTP status %ld", r->status);
        json_decref(j);
        return buf;
}

static void url_escape(const char *in, char *out, size_t n)
{
        size_t o = 0;
        for (; *in && o + 4 < n; in++) {
                unsigned char c = (unsigned char)*in;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    strchr("-_.~", c))
                        out[o++] = (char)c;
                else
                        o += (size_t)snprintf(out + o, n - o, "%%%02X", c);
        }
        out[o] = '\0';
}

static int set_basic(struct reg_session *s, struct berr *e)
{
        _cleanup_free_ char *up = NULL;
        if (asprintf(&up, "%s:%s", s->user, s->pass ? s->pass : "") < 0)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_free_ char *b = base64_encode(up, strlen(up));
        free(s->authz);
        s->authz = NULL;
        if (!b || asprintf(&s->authz, "Authorization: Basic %s", b) < 0)
                return berr_set(e, ENOMEM, "out of memory");
        return 0;
}

/* Answers a WWW-Authenticate challenge: basic credentials, or a bearer token from the realm. */
static int authenticate(struct reg_session *s, const char *header, struct berr *e)
{
        struct registry_challenge ch;
        if (registry_challenge_parse(header, &ch) < 0)
                return berr_set(e, EACCES, "%s: unsupported authentication challenge \"%s\"",
                                s->domain, header);
        if (!strcmp(ch.scheme, "basic")) {
                if (!s->user)
                        return berr_set(e, EACCES,
                                        "unauthorized: %s needs a login (berth login %s)",
                                        s->domain, s->domain);
                return set_basic(s, e);
        }
        char svc[600], scope[1500], url[4000];
        url_escape(ch.service, svc, sizeof(svc));
        url_escape(s->scope, scope, sizeof(scope));
        snprintf(url, sizeof(url), "%s%sservice=%s%s%s", ch.realm,
                 strchr(ch.realm, '?') ? "&" : "?", svc, scope[0] ? "&scope=" : "", scope);
        free(s->authz);
        s->authz = NULL;
        if (s->user && set_basic(s, e) < 0)
                return e ? e->code : -ENOMEM;
        struct reg_resp r = {.max = 1 << 20};
        struct curl_slist *hdrs = NULL;
        CURL *h = reg_easy(s, url, "application/json", &hdrs, e);
        if (!h)
                return e ? e->code : -ENOMEM;
        s->C->easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
        s->C->easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        s->C->easy_setopt(h, CURLOPT_HEADERDATA, &r);
        s->C->easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        s->C->easy_setopt(h, CURLOPT_WRITEDATA, &r);
        CURLcode cc = s->C->easy_perform(h);
        s->C->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
        s->C->easy_cleanup(h);
        s->C->slist_free_all(hdrs);
        free(s->authz);
        s->authz = NULL;
        int ret = 0;
        char msg[512];
        if (cc != CURLE_OK)
                ret = berr_set(e, EIO, "getting a token from %s: %s", ch.realm,
                               s->C->easy_strerror(cc));
        else if (r.status == 401 || r.status == 403)
                ret = berr_set(e, EACCES, "unauthorized: %s: %s", s->domain,
                               s->user ? "incorrect username or password"
                                       : reg_error_text(&r, msg, sizeof(msg)));
        else if (r.status != 200)
                ret = berr_set(e, EIO, "getting a token from %s: %s", ch.realm,
                               reg_error_text(&r, msg, sizeof(msg)));
        if (ret == 0) {
                json_error_t je;
                json_t *j = json_loadb(r.body ? r.body : "", r.len, 0, &je);
                const char *tok = json_string_value(json_object_get(j, "token"));
                if (!tok)
                        tok = json_string_value(json_object_get(j, "access_token"));
                if (!tok || !*tok)
                        ret = berr_set(e, EIO, "token from %s: no token in the answer", ch.realm);
                else if (asprintf(&s->authz, "Authorization: Bearer %s", tok) < 0)
                        ret = berr_set(e, ENOMEM, "out of memory");
                json_decref(j);
        }
        reg_resp_free(&r);
        return ret;
}

static CURLcode perform(struct reg_session *s, const char *method, const char *url,
                        const char *accept, const struct reg_upload *up, struct reg_resp *resp,
                        struct berr *e, int *err)
{
        const struct curl_api *C = s->C;
        struct curl_slist *hdrs = NULL;
        *err = 0;
        CURL *h = reg_easy(s, url, accept, &hdrs, e);
        if (!h) {
                *err = -ENOMEM;
                return CURLE_OUT_OF_MEMORY;
        }
        reg_resp_free(resp);
        resp->status = 0;
        resp->ua_err[0] = '\0';
        C->easy_setopt(h, CURLOPT_ERRORBUFFER, resp->ua_err);
        C->easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        C->easy_setopt(h, CURLOPT_HEADERDATA, resp);
        C->easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        C->easy_setopt(h, CURLOPT_WRITEDATA, resp);
        if (!strcmp(method, "HEAD")) {
                C->easy_setopt(h, CURLOPT_NOBODY, 1L);
        } else if (!strcmp(method, "POST") && !up) {
                C->easy_setopt(h, CURLOPT_POST, 1L);
                C->easy_setopt(h, CURLOPT_POSTFIELDS, "");
                C->easy_setopt(h, CURLOPT_POSTFIELDSIZE, 0L);
        } else if (up && up->f) {
                rewind(up->f);
                C->easy_setopt(h, CURLOPT_UPLOAD, 1L);
                C->easy_setopt(h, CURLOPT_READDATA, up->f);
                C->easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)up->len);
                C->easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
        } else if (up) {
                C->easy_setopt(h, CURLOPT_POSTFIELDS, up->buf);
                C->easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)up->len);
                C->easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
        } else if (strcmp(method, "GET")) {
                C->easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
        }
        if (up) {
                char ct[200];
                snprintf(ct, sizeof(ct), "Content-Type: %s",
                         up->ctype ? up->ctype : "application/octet-stream");
                hdrs = C->slist_append(hdrs, ct);
                hdrs = C->slist_append(hdrs, "Expect:");
        }
        C->easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
        CURLcode cc = C->easy_perform(h);
        C->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
        C->easy_cleanup(h);
        C->slist_free_all(hdrs);
        return cc;
}

int reg_request(struct reg_session *s, const char *method, const char *url, const char *accept,
                const struct reg_upload *up, struct reg_resp *resp, struct berr *e)
{
        for (int attempt = 0;; attempt++) {
                int err;
                CURLcode cc = perform(s, method, url, accept, up, resp, e, &err);
                if (err)
                        return err;
                if (cc != CURLE_OK)
                        return berr_set(e, EIO, "%s %s%s: %s", method, url[0] == '/' ? s->base : "",
                                        url, resp->ua_err[0] ? resp->ua_err
                                                             : s->C->easy_strerror(cc));
                if (resp->status != 401 || attempt > 0 || !resp->www_auth[0] ||
                    s->authenticated)
                        break;
                char hdr[sizeof(resp->www_auth)];
                snprintf(hdr, sizeof(hdr), "%s", resp->www_auth);
                int r = authenticate(s, hdr, e);
                if (r < 0)
                        return r;
                s->authenticated = true;
        }
        if (resp->status == 401) {
                char msg[512];
                return berr_set(e, EACCES, "unauthorized: %s: %s", s->domain,
                                s->user ? "incorrect username or password"
                                        : reg_error_text(resp, msg, sizeof(msg)));
        }
        return 0;
}

int reg_session_open(struct reg_session *s, const char *domain, const char *repo, bool push,
                     const char *user, const char *pass, const struct registry_opts *o,
                     struct berr *e)
{
        memset(s, 0, sizeof(*s));
        if (!(s->C = curl_api_get(e)))
                return e ? e->code : -ENOSYS;
        snprintf(s->domain, sizeof(s->domain), "%s", domain);
        if (repo && *repo)
                snprintf(s->scope, sizeof(s->scope), "repository:%s:%s", repo,
                         push ? "pull,push" : "pull");
        bool plain = o->tls_verify < 0 && registry_insecure_default(domain);
        s->verify = o->tls_verify != 0;
        s->may_fallback_http = o->tls_verify == 0;
        snprintf(s->base, sizeof(s->base), "%s://%s", plain ? "http" : "https",
                 registry_host(domain));
        int r = 0;
        if (user) {
                s->user = strdup(user);
                s->pass = strdup(pass ? pass : "");
        } else {
                r = auth_get(o->config_dir, domain, &s->user, &s->pass, e);
        }
        if (r < 0)
                return r;
        struct reg_resp resp = {0};
        r = reg_request(s, "GET", "/v2/", NULL, NULL, &resp, e);
        if (r == -EIO && s->may_fallback_http && !strncmp(s->base, "https:", 6)) {
                snprintf(s->base, sizeof(s->base), "http://%s", registry_host(domain));
                r = reg_request(s, "GET", "/v2/", NULL, NULL, &resp, e);
        }
        /* Only a token or credentials check here; errors of the API itself come later. */
        if (r == 0 && resp.status != 200 && resp.status != 404 && resp.status != 401) {
                char msg[512];
                r = berr_set(e, EIO, "%s: GET /v2/: %s", domain,
                             reg_error_text(&resp, msg, sizeof(msg)));
        }
        reg_resp_free(&resp);
        return r;
}

void reg_session_close(struct reg_session *s)
{
        free(s->user);
        if (s->pass)
                explicit_bzero(s->pass, strlen(s->pass));
        free(s->pass);
        free(s->authz);
        memset(s, 0, sizeof(*s));
}
