/* Image references, as docker spells them:
 *     [domain[:port]/]path[/path...][:tag][@sha256:<hex>]
 * normalised to the keys of repositories.json ("busybox:latest"). Pure. */
#include "engine/image/image.h"

#include "util/err.h"
#include "util/sha256.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>

#define NAME_MAX_LEN 255

static bool is_lower_alnum(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool all_hex(const char *s, size_t n)
{
        return n > 0 && strspn(s, "0123456789abcdef") >= n;
}

/* alnum+ ( ("." | "_" | "__" | "-"+) alnum+ )* */
static bool valid_path_component(const char *s, size_t n)
{
        size_t i = 0;
        for (;;) {
                size_t start = i;
                while (i < n && is_lower_alnum(s[i]))
                        i++;
                if (i == start)
                        return false;
                if (i == n)
                        return true;
                if (s[i] == '.')
                        i++;
                else if (s[i] == '_')
                        i += (i + 1 < n && s[i + 1] == '_') ? 2 : 1;
                else if (s[i] == '-')
                        while (i < n && s[i] == '-')
                                i++;
                else
                        return false;
        }
}

/* host components [A-Za-z0-9-] not starting or ending with '-', joined by '.'; ":port". */
static bool valid_domain(const char *s, size_t n)
{
        const char *colon = memchr(s, ':', n);
        size_t host = colon ? (size_t)(colon - s) : n;
        if (colon) {
                size_t port = n - host - 1;
                if (port == 0 || strspn(colon + 1, "0123456789") < port)
                        return false;
        }
        size_t i = 0;
        while (i < host) {
                size_t start = i;
                while (i < host && (isalnum((unsigned char)s[i]) || s[i] == '-'))
                        i++;
                if (i == start || s[start] == '-' || s[i - 1] == '-')
                        return false;
                if (i < host && s[i++] != '.')
                        return false;
                if (i == host && s[i - 1] == '.')
                        return false;
        }
        return host > 0;
}

static bool valid_tag(const char *s, size_t n)
{
        if (n == 0 || n > 128 || s[0] == '.' || s[0] == '-')
                return false;
        for (size_t i = 0; i < n; i++)
                if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
                        return false;
        return true;
}

/* A first component is a registry if it looks like a host: a dot, a port, or "localhost". */
static bool is_domain(const char *s, size_t n)
{
        return memchr(s, '.', n) || memchr(s, ':', n) || (n == 9 && !memcmp(s, "localhost", 9));
}

static int check_name(const char *ref, const char *name, size_t n, struct berr *e)
{
        if (n == 0)
                return berr_set(e, EINVAL, "invalid image reference \"%s\": empty name", ref);
        if (n > NAME_MAX_LEN)
                return berr_set(e, EINVAL, "invalid image reference \"%s\": name too long", ref);
        const char *slash = memchr(name, '/', n);
        const char *p = name;
        if (slash && is_domain(name, (size_t)(slash - name))) {
                if (!valid_domain(name, (size_t)(slash - name)))
                        return berr_set(e, EINVAL, "invalid image reference \"%s\": bad registry",
                                        ref);
                p = slash + 1;
        }
        for (const char *end = name + n; p <= end;) {
                const char *q = memchr(p, '/', (size_t)(end - p));
                size_t len = q ? (size_t)(q - p) : (size_t)(end - p);
                if (!valid_path_component(p, len)) {
                        for (size_t i = 0; i < len; i++)
                                if (isupper((unsigned char)p[i]))
                                        return berr_set(e, EINVAL,
                                                        "invalid image reference \"%s\": "
                                                        "repository name must be lowercase",
                                                        ref);
                        return berr_set(e, EINVAL, "invalid image reference \"%s\"", ref);
                }
                p += len + 1;
        }
        return 0;
}

/* "docker.io/library/busybox" and "library/busybox" are docker's long spellings of "busybox". */
/* Would the first component of rest be read as a registry, were docker.io/ dropped? Then it
 * must stay (docker's familiar names keep it too). */
static bool looks_like_domain(const char *rest, size_t n)
{
        const char *slash = memchr(rest, '/', n);
        if (!slash)
                return false;
        size_t fl = (size_t)(slash - rest);
        return memchr(rest, '.', fl) || memchr(rest, ':', fl) ||
               (fl == 9 && !strncmp(rest, "localhost", 9));
}

static void strip_default_prefix(const char **name, size_t *n)
{
        static const char *const prefixes[] = {"docker.io/", "index.docker.io/"};
        /* Until nothing changes, so normalising a normalised name gives the same name. */
        for (bool changed = true; changed;) {
                changed = false;
                for (size_t i = 0; i < 2; i++) {
                        size_t pl = strlen(prefixes[i]);
                        if (*n > pl && !strncmp(*name, prefixes[i], pl) &&
                            !looks_like_domain(*name + pl, *n - pl)) {
                                *name += pl;
                                *n -= pl;
                                changed = true;
                        }
                }
                if (*n > 8 && !strncmp(*name, "library/", 8) && !memchr(*name + 8, '/', *n - 8)) {
                        *name += 8;
                        *n -= 8;
                        changed = true;
                }
        }
}

static int put(char *out, size_t outlen, const char *ref, struct berr *e, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int put(char *out, size_t outlen, const char *ref, struct berr *e, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(out, outlen, fmt, ap);
        va_end(ap);
        if (n < 0 || (size_t)n >= outlen)
                return berr_set(e, ENAMETOOLONG, "image reference too long: %s", ref);
        return 0;
}

static int normalize_id(const char *ref, char *out, size_t outlen, struct berr *e)
{
        const char *hex = ref + 7;
        size_t n = strlen(hex);
        if (n == 0 || n > 64 || !all_hex(hex, n))
                return berr_set(e, EINVAL, "invalid image id \"%s\"", ref);
        return put(out, outlen, ref, e, "%s", ref);
}

int image_ref_normalize(const char *ref, char *out, size_t outlen, struct berr *e)
{
        if (!ref || !*ref)
                return berr_set(e, EINVAL, "empty image reference");
        /* "sha256:<hex>" is an id; "sha256:latest" is the repository sha256 with a tag. */
        if (!strncmp(ref, "sha256:", 7) && ref[7] && all_hex(ref + 7, strlen(ref + 7)))
                return normalize_id(ref, out, outlen, e);
        size_t len = strlen(ref);
        /* 64 hex digits can only be an id (docker forbids such repository names). */
        if (len == 64 && all_hex(ref, len))
                return put(out, outlen, ref, e, "sha256:%s", ref);

        const char *at = strchr(ref, '@');
        if (at && !sha256_digest_valid(at + 1))
                return berr_set(e, EINVAL, "invalid image reference \"%s\": bad digest", ref);
        size_t end = at ? (size_t)(at - ref) : len;
        /* The tag's colon is the last one after the last slash (before it, it is a port). */
        const char *slash = memrchr(ref, '/', end);
        size_t from = slash ? (size_t)(slash - ref) : 0;
        const char *colon = memrchr(ref + from, ':', end - from);
        size_t name_len = colon ? (size_t)(colon - ref) : end;
        const char *tag = colon ? colon + 1 : NULL;
        size_t tag_len = colon ? end - name_len - 1 : 0;
        if (tag && !valid_tag(tag, tag_len))
                return berr_set(e, EINVAL, "invalid image reference \"%s\": bad tag", ref);
        int r = check_name(ref, ref, name_len, e);
        if (r < 0)
                return r;

        const char *name = ref;
        strip_default_prefix(&name, &name_len);
        /* The repository "sha256" keeps its long name: "sha256:<hex>" would read as an id. */
        const char *lib = name_len == 6 && !strncmp(name, "sha256", 6) ? "library/" : "";
        if (at)
                return put(out, outlen, ref, e, "%s%.*s%s%.*s%s", lib, (int)name_len, name,
                           tag ? ":" : "", (int)tag_len, tag ? tag : "", at);
        return put(out, outlen, ref, e, "%s%.*s:%.*s", lib, (int)name_len, name,
                   tag ? (int)tag_len : 6, tag ? tag : "latest");
}
