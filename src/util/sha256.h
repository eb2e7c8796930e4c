/* Streaming SHA-256 (nettle underneath: small, and linked statically so the start path loads
 * no crypto library) and the "sha256:<hex>" digest strings that name
 * content in the image store. */
#ifndef BERTH_UTIL_SHA256_H
#define BERTH_UTIL_SHA256_H

#include <stdbool.h>
#include <stddef.h>

#define SHA256_LEN 32
#define SHA256_HEX_LEN 64
/* "sha256:" + 64 hex + NUL */
#define SHA256_DIGEST_STR_LEN 72

struct sha256_ctx; /* nettle's */

struct sha256 {
        struct sha256_ctx *ctx;
};

/* Returns 0 or -ENOMEM. Every successful init must be paired with sha256_final or sha256_free. */
int sha256_init(struct sha256 *h);
int sha256_update(struct sha256 *h, const void *data, size_t len);
/* Writes "sha256:<hex>" to out and frees the context. */
int sha256_final(struct sha256 *h, char out[SHA256_DIGEST_STR_LEN]);
void sha256_free(struct sha256 *h);

/* One-shot digest of a buffer as "sha256:<hex>". */
int sha256_buf(const void *data, size_t len, char out[SHA256_DIGEST_STR_LEN]);
/* Formats a raw 32-byte digest as "sha256:<hex>". Pure. */
void sha256_format(const unsigned char md[SHA256_LEN], char out[SHA256_DIGEST_STR_LEN]);
/* True if s is exactly "sha256:" followed by 64 lowercase hex digits. Pure. */
bool sha256_digest_valid(const char *s);

#endif
