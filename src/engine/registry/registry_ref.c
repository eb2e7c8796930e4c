/* The pure parts of talking to a registry: references split into registry/repository/tag,
 * WWW-Authenticate challenges, picking a platform from an index, base64. All of them read
 * untrusted input (user's references, registry responses): tests/unit/test_registry.c and
 * tests/fuzz/fuzz_registry.c. */
#include "engine/image/image.h"
#include "engine/image/image_manifest.h"
#include "engine/image/image_ops.h"
#include "engine/registry/registry.h"

#include "util/err.h"
#include "util/sha256.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool first_is_domain(const char *s, size_t n)
{
        return memchr(s, '.', n) || memchr(s, ':', n) || (n == 9 && !memcmp(s, "localhost", 9));
}

int registry_ref_parse(const char *ref, struct registry_ref *out, struct berr *e)
{
        memset(out, 0, sizeof(*out));
        char name[512];
        int r = image_ref_normalize(ref, name, sizeof(name), e);
        if (r < 0)
                return r;
        if (!strncmp(name, "sha256:", 7))
                return berr_set(e, EINVAL, "%s is an image id, not a name a registry knows", ref);
        snprintf(out->local, sizeof(out->local), "%s", name);
        char *at = strchr(name, '@');
        if (at) {
                snprintf(out->digest, sizeof(out->digest), "%s", at + 1);
                *at = '\0';
        }
        char *slash = strrchr(name, '/');
        char *colon = strrchr(slash ? slash : name, ':');
        if (colon) {
                if (!out->digest[0])
                        snprintf(out->tag, sizeof(out->tag), "%s", colon + 1);
                *colon = '\0';
        }
        char *first = strchr(name, '/');
        const char *repo = name;
        if (first && first_is_domain(name, (size_t)(first - name))) {
                if ((size_t)(first - name) >= sizeof(out->domain))
                        return berr_set(e, EINVAL, "invalid image reference \"%s\"", ref);
                memcpy(out->domain, name, (size_t)(first - name));
                repo = first + 1;
                out->explicit_domain = true;
        } else {
                snprintf(out->domain, sizeof(out->domain), "docker.io");
        }
        int n = snprintf(out->repo, sizeof(out->repo), "%s%s",
                         !out->explicit_domain && !strchr(repo, '/') ? "library/" : "", repo);
        if (n < 0 || (size_t)n >= sizeof(out->repo))
                return berr_set(e, EINVAL, "invalid image reference \"%s\": name too long", ref);
        if (!out->tag[0] && !out->digest[0])
                snprintf(out->tag, sizeof(out->tag), "latest");
        return 0;
}

const char *registry_host(const char *domain)
{
        if (!strcmp(domain, "docker.io") || !strcmp(domain, "index.docker.io"))
                return "registry-1.docker.io";
        return domain;
}

bool registry_insecure_default(const char *domain)
{
        char host[256];
        snprintf(host, sizeof(host), "%s", domain);
        if (host[0] == '[') { /* [::1]:5000 */
                char *end = strchr(host, ']');
                if (end)
                        *end = '\0';
                return !strcmp(host + 1, "::1");
        }
        char *colon = strchr(host, ':');
        if (colon)
                *colon = '\0';
        if (!strcmp(host, "localhost"))
                return true;
        unsigned a, b, c, d;
        char extra;
        return sscanf(host, "%u.%u.%u.%u%c", &a, &b, &c, &d, &extra) == 4 && a == 127 && b < 256 &&
               c < 256 && d < 256;
}

bool registry_ref_pullable(const char *ref)
{
        struct registry_ref r;
        if (registry_ref_parse(ref, &r, NULL) < 0)
                return false;
        return r.explicit_domain;
}

/* ---- WWW-Authenticate */

int registry_challenge_parse(const char *h, struct registry_challenge *out)
{
        memset(out, 0, sizeof(*out));
        if (!h)
                return -EINVAL;
        while (*h == ' ' || *h == '\t')
                h++;
        size_t i = 0;
        while (*h && *h != ' ' && i + 1 < sizeof(out->scheme))
                out->scheme[i++] = (char)tolower((unsigned char)*h++);
        if (strcmp(out->scheme, "bearer") && strcmp(out->scheme, "basic"))
                return -EINVAL;
        /* key=value or key="quoted, value", separated by commas */
        while (*h) {
                while (*h == ' ' || *h == ',' || *h == '\t')
                        h++;
                if (!*h)
                        break;
                char key[32];
                size_t k = 0;
                while (*h && *h != '=' && *h != ',' && *h != ' ') {
                        if (k + 1 < sizeof(key))
                                key[k++] = (char)tolower((unsigned char)*h);
                        h++;
                }
                key[k] = '\0';
                if (*h != '=')
                        continue;
                h++;
                char val[1024];
                size_t v = 0;
                if (*h == '"') {
                        h++;
                        while (*h && *h != '"') {
                                if (*h == '\\' && h[1])
                                        h++;
                                if (v + 1 < sizeof(val))
                                        val[v++] = *h;
                                h++;
                        }
                        if (*h == '"')
                                h++;
                } else {
                        while (*h && *h != ',' && *h != ' ') {
                                if (v + 1 < sizeof(val))
                                        val[v++] = *h;
                                h++;
                        }
                }
                val[v] = '\0';
                if (!strcmp(key, "realm"))
                        snprintf(out->realm, sizeof(out->realm), "%s", val);
                else if (!strcmp(key, "service"))
                        snprintf(out->service, sizeof(out->service), "%s", val);
                else if (!strcmp(key, "scope"))
                        snprintf(out->scope, sizeof(out->scope), "%s", val);
        }
        if (!strcmp(out->scheme, "bearer") && !out->realm[0])
                return -EINVAL;
        return 0;
}

/* ---- platform from an index */

int registry_index_pick(const char *json, size_t len, const char *platform, char digest[72],
                        char *media_type, size_t mtlen, struct berr *e)
{
        char want[128];
        if (platform && *platform)
                snprintf(want, sizeof(want), "%s", platform);
        else
                snprintf(want, sizeof(want), "linux/%s", image_host_arch());
        char *os = want, *arch = strchr(want, '/'), *variant = NULL;
        if (!arch || !arch[1])
                return berr_set(e, EINVAL, "invalid platform \"%s\": expected os/arch[/variant]",
                                want);
        *arch++ = '\0';
        if ((variant = strchr(arch, '/')))
                *variant++ = '\0';
        json_error_t je;
        json_t *root = json_loadb(json, len, 0, &je);
        json_t *ms = json_object_get(root, "manifests");
        if (!json_is_array(ms)) {
                json_decref(root);
                return berr_set(e, EINVAL, "image index: no \"manifests\" array");
        }
        char seen[512] = "";
        size_t i;
        json_t *m;
        int r = -ENOENT;
        json_array_foreach(ms, i, m) {
                json_t *p = json_object_get(m, "platform");
                const char *mo = json_string_value(json_object_get(p, "os"));
                const char *ma = json_string_value(json_object_get(p, "architecture"));
                const char *mv = json_string_value(json_object_get(p, "variant"));
                const char *d = json_string_value(json_object_get(m, "digest"));
                const char *mt = json_string_value(json_object_get(m, "mediaType"));
                if (!mo || !ma)
                        continue;
                size_t sl = strlen(seen);
                if (sl + 64 < sizeof(seen))
                        snprintf(seen + sl, sizeof(seen) - sl, "%s%s/%s%s%s", sl ? ", " : "", mo,
                                 ma, mv ? "/" : "", mv ? mv : "");
                if (r == 0 || strcmp(mo, os) || strcmp(ma, arch) ||
                    (variant && (!mv || strcmp(mv, variant))))
                        continue;
                if (!d || !sha256_digest_valid(d)) {
                        r = berr_set(e, EINVAL, "image index: manifest for %s/%s has a bad digest",
                                     mo, ma);
                        break;
                }
                snprintf(digest, 72, "%s", d);
                snprintf(media_type, mtlen, "%s", mt ? mt : "");
                r = 0;
        }
        if (r == -ENOENT)
                berr_set(e, ENOENT, "no image for platform %s%s%s%s%s in the index (it has: %s)", os,
                         "/", arch, variant ? "/" : "", variant ? variant : "",
                         seen[0] ? seen : "nothing");
        json_decref(root);
        return r;
}

/* ---- base64 */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *base64_encode(const void *data, size_t len)
{
        const unsigned char *p = data;
        char *out = malloc((len + 2) / 3 * 4 + 1), *o = out;
        if (!out)
                return NULL;
        for (size_t i = 0; i < len; i += 3) {
                unsigned v = (unsigned)p[i] << 16 | (i + 1 < len ? (unsigned)p[i + 1] << 8 : 0) |
                             (i + 2 < len ? p[i + 2] : 0);
                *o++ = b64[v >> 18 & 63];
                *o++ = b64[v >> 12 & 63];
                *o++ = i + 1 < len ? b64[v >> 6 & 63] : '=';
                *o++ = i + 2 < len ? b64[v & 63] : '=';
        }
        *o = '\0';
        return out;
}

int base64_decode(const char *s, char **out, size_t *len)
{
        size_t n = strlen(s);
        char *buf = malloc(n / 4 * 3 + 3), *o = buf;
        if (!buf)
                return -ENOMEM;
        unsigned v = 0;
        int bits = 0;
        size_t pad = 0;
        for (size_t i = 0; i < n; i++) {
                if (s[i] == '=') {
                        pad++;
                        continue;
                }
                const char *c = strchr(b64, s[i]);
                if (!c || !s[i] || pad) {
                        free(buf);
                        return -EINVAL;
                }
                v = v << 6 | (unsigned)(c - b64);
                bits += 6;
                if (bits >= 8) {
                        bits -= 8;
                        *o++ = (char)(v >> bits & 0xff);
                }
        }
        if (pad > 2) {
                free(buf);
                return -EINVAL;
        }
        *o = '\0';
        *out = buf;
        *len = (size_t)(o - buf);
        return 0;
}
