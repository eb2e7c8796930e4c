#include "util/sha256.h"

#include <errno.h>
#include <string.h>

#include <openssl/evp.h>

int sha256_init(struct sha256 *h)
{
        h->ctx = EVP_MD_CTX_new();
        if (!h->ctx)
                return -ENOMEM;
        if (EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
                sha256_free(h);
                return -EIO;
        }
        return 0;
}

int sha256_update(struct sha256 *h, const void *data, size_t len)
{
        if (len == 0)
                return 0;
        return EVP_DigestUpdate(h->ctx, data, len) == 1 ? 0 : -EIO;
}

int sha256_final(struct sha256 *h, char out[SHA256_DIGEST_STR_LEN])
{
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        int ok = EVP_DigestFinal_ex(h->ctx, md, &n) == 1 && n == SHA256_LEN;
        sha256_free(h);
        if (!ok)
                return -EIO;
        sha256_format(md, out);
        return 0;
}

void sha256_free(struct sha256 *h)
{
        EVP_MD_CTX_free(h->ctx);
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
