/* Pure parts of pull/push: references, WWW-Authenticate challenges, platform from an index,
 * base64 (engine/registry_ref.c). */
#include "test.h"

#include "engine/registry/registry.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

TEST(registry_ref_parse_splits)
{
        struct registry_ref r;
        CHECK_INT_EQ(registry_ref_parse("busybox", &r, NULL), 0);
        CHECK_STR_EQ(r.domain, "docker.io");
        CHECK_STR_EQ(r.repo, "library/busybox");
        CHECK_STR_EQ(r.tag, "latest");
        CHECK_STR_EQ(r.local, "busybox:latest");
        CHECK(!r.explicit_domain);
        CHECK_INT_EQ(registry_ref_parse("127.0.0.1:5000/a/b:1.0", &r, NULL), 0);
        CHECK_STR_EQ(r.domain, "127.0.0.1:5000");
        CHECK_STR_EQ(r.repo, "a/b");
        CHECK_STR_EQ(r.tag, "1.0");
        CHECK(r.explicit_domain);
        CHECK_INT_EQ(registry_ref_parse("localhost/x@sha256:"
                                        "0123456789012345678901234567890123456789012345678901234567890123",
                                        &r, NULL),
                     0);
        CHECK_STR_EQ(r.domain, "localhost");
        CHECK_STR_EQ(r.tag, "");
        CHECK(!strncmp(r.digest, "sha256:0123", 11));
        CHECK_INT_EQ(registry_ref_parse("user/app", &r, NULL), 0);
        CHECK_STR_EQ(r.repo, "user/app");
        struct berr e = {0};
        CHECK(registry_ref_parse("Bad/Name", &r, &e) < 0);
        CHECK(registry_ref_parse("sha256:0123456789012345678901234567890123456789012345678901234567890123",
                                 &r, &e) < 0);
        CHECK(registry_ref_pullable("127.0.0.1:5000/x"));
        CHECK(!registry_ref_pullable("busybox"));
        CHECK(!registry_ref_pullable("abc123"));
}

TEST(registry_insecure_default_loopback)
{
        CHECK(registry_insecure_default("127.0.0.1:5000"));
        CHECK(registry_insecure_default("127.1.2.3"));
        CHECK(registry_insecure_default("localhost:80"));
        CHECK(registry_insecure_default("[::1]:5000"));
        CHECK(!registry_insecure_default("128.0.0.1"));
        CHECK(!registry_insecure_default("127.0.0.1.example.com"));
        CHECK(!registry_insecure_default("docker.io"));
        CHECK_STR_EQ(registry_host("docker.io"), "registry-1.docker.io");
}

TEST(registry_challenge_parse_bearer_basic)
{
        struct registry_challenge c;
        CHECK_INT_EQ(registry_challenge_parse(
                         "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                         "scope=\"repository:library/busybox:pull\"",
                         &c),
                     0);
        CHECK_STR_EQ(c.scheme, "bearer");
        CHECK_STR_EQ(c.realm, "https://auth.docker.io/token");
        CHECK_STR_EQ(c.service, "registry.docker.io");
        CHECK_STR_EQ(c.scope, "repository:library/busybox:pull");
        CHECK_INT_EQ(registry_challenge_parse("Basic realm=\"x\"", &c), 0);
        CHECK_STR_EQ(c.scheme, "basic");
        CHECK(registry_challenge_parse("Bearer service=x", &c) < 0); /* no realm */
        CHECK(registry_challenge_parse("Digest realm=x", &c) < 0);
        CHECK(registry_challenge_parse("", &c) < 0);
        CHECK_INT_EQ(registry_challenge_parse("bearer realm=\"a\\\"b\",,, scope=", &c), 0);
        CHECK_STR_EQ(c.realm, "a\"b");
}

TEST(registry_index_pick_platform)
{
        const char *idx =
            "{\"schemaVersion\":2,\"manifests\":["
            "{\"digest\":\"sha256:1111111111111111111111111111111111111111111111111111111111111111\","
            "\"mediaType\":\"m\",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}},"
            "{\"digest\":\"sha256:2222222222222222222222222222222222222222222222222222222222222222\","
            "\"mediaType\":\"m\",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}";
        char d[72], mt[64];
        struct berr e = {0};
        CHECK_INT_EQ(registry_index_pick(idx, strlen(idx), "linux/amd64", d, mt, sizeof(mt), &e), 0);
        CHECK(!strncmp(d, "sha256:2222", 11));
        CHECK_INT_EQ(registry_index_pick(idx, strlen(idx), "linux/arm64/v8", d, mt, sizeof(mt), &e), 0);
        CHECK(!strncmp(d, "sha256:1111", 11));
        CHECK_INT_EQ(registry_index_pick(idx, strlen(idx), "linux/s390x", d, mt, sizeof(mt), &e), -ENOENT);
        CHECK(strstr(e.msg, "linux/arm64/v8, linux/amd64") != NULL);
        CHECK(registry_index_pick(idx, strlen(idx), "linux", d, mt, sizeof(mt), &e) < 0);
        CHECK(registry_index_pick("[]", 2, NULL, d, mt, sizeof(mt), &e) < 0);
}

TEST(registry_base64_roundtrip)
{
        char *s = base64_encode("alice:s3cret", 12);
        CHECK_STR_EQ(s, "YWxpY2U6czNjcmV0");
        char *out = NULL;
        size_t n = 0;
        CHECK_INT_EQ(base64_decode(s, &out, &n), 0);
        CHECK_STR_EQ(out, "alice:s3cret");
        free(out);
        free(s);
        s = base64_encode("a", 1);
        CHECK_STR_EQ(s, "YQ==");
        free(s);
        CHECK(base64_decode("Y*==", &out, &n) < 0);
        CHECK(base64_decode("YQ=a", &out, &n) < 0);
}
