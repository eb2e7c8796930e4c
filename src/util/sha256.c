#include "util/sha256.h"

#include <errno.h>
#include <string.h>

#include <nettle/sha2.h>
#include <stdlib.h>

/* nettle maps these names onto its own functions; ours are the berth API. */
#undef sha256_init
#undef sha256_update
#undef sha256_digest

int sha256_init(struct sha256 *h)
{
        h->ctx = malloc(sizeof(*h->ctx));
        if (!h->ctx)
                return -ENOMEM;
        nettle_sha256_init(h->ctx);
        return 0;
}

int sha256_update(struct sha256 *h, const void *data, size_t len)
{
        if (len)
                nettle_sha256_update(h->ctx, len, data);
        return 0;
}

int sha256_final(struct sha256 *h, char out[SHA256_DIGEST_STR_LEN])
{
        unsigned char md[SHA256_LEN];
        nettle_sha256_digest(h->ctx, SHA256_LEN, md);
        sha256_free(h);
        sha256_format(md, out);
        return 0;
}

void sha256_free(struct sha256 *h)
{
        free(h->ctx);
        h->ctx = NULL;
}

int sha256_buf(const void *data, size_t len, char out[SHA256_DIGEST_STR_LEN])
{
        struct sha256 h;
        int r = sha256_init(&h);
        if (r < 0)
                return r;
        r = sha256_update(&h, data, len);
        if (r < 0) {
                sha256_free(&h);
                return r;
        }
        return sha256_final(&h, out);
}

void sha256_format(const unsigned char md[SHA256_LEN], char out[SHA256_DIGEST_STR_LEN])
{
        static const char hex[] = "0123456789abcdef";
        memcpy(out, "sha256:", 7);
        for (int i = 0; i < SHA256_LEN; i++) {
                out[7 + 2 * i] = hex[md[i] >> 4];
                out[8 + 2 * i] = hex[md[i] & 0xf];
        }
        out[7 + SHA256_HEX_LEN] = '\0';
}

bool sha256_digest_valid(const char *s)
{
        if (strncmp(s, "sha256:", 7) != 0)
                return false;
        s += 7;
        size_t n = strspn(s, "0123456789abcdef");
        return n == SHA256_HEX_LEN && s[n] == '\0';
}
