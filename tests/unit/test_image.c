/* Unit tests of the image store's pure parts: references, sha256 digests, image configs. */
#include "test.h"

#include "engine/image/image.h"
#include "util/err.h"
#include "util/sha256.h"
#include "util/strv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Normalises ref and returns the result in a static buffer, or "ERR" on error. */
static const char *norm(const char *ref)
{
        static char out[256];
        struct berr e = {0};
        if (image_ref_normalize(ref, out, sizeof(out), &e) < 0)
                return "ERR";
        return out;
}

TEST(image_ref_adds_latest)
{
        CHECK_STR_EQ(norm("busybox"), "busybox:latest");
        CHECK_STR_EQ(norm("busybox:latest"), "busybox:latest");
        CHECK_STR_EQ(norm("busybox:1.36"), "busybox:1.36");
        CHECK_STR_EQ(norm("my-app_2.x"), "my-app_2.x:latest");
        CHECK_STR_EQ(norm("org/app:V1_rc-2"), "org/app:V1_rc-2");
}

TEST(image_ref_strips_docker_hub_spelling)
{
        CHECK_STR_EQ(norm("docker.io/library/busybox"), "busybox:latest");
        CHECK_STR_EQ(norm("library/busybox:1"), "busybox:1");
        CHECK_STR_EQ(norm("index.docker.io/library/busybox"), "busybox:latest");
        CHECK_STR_EQ(norm("docker.io/someone/tool"), "someone/tool:latest");
        CHECK_STR_EQ(norm("library/a/b"), "library/a/b:latest");
}

TEST(image_ref_keeps_registry_and_port)
{
        CHECK_STR_EQ(norm("localhost:5000/app"), "localhost:5000/app:latest");
        CHECK_STR_EQ(norm("localhost:5000/app:2"), "localhost:5000/app:2");
        CHECK_STR_EQ(norm("quay.io/org/app:1"), "quay.io/org/app:1");
        CHECK_STR_EQ(norm("Registry.Example.com/app"), "Registry.Example.com/app:latest");
        /* Without a slash, "localhost:5000" is the image localhost with tag 5000, as in docker. */
        CHECK_STR_EQ(norm("localhost:5000"), "localhost:5000");
}

TEST(image_ref_ids_and_digests)
{
        const char *hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        char id[80];
        snprintf(id, sizeof(id), "sha256:%s", hex);
        CHECK_STR_EQ(norm(id), id);
        CHECK_STR_EQ(norm(hex), id); /* 64 hex digits can only be an id */
        CHECK_STR_EQ(norm("sha256:e3b0c4"), "sha256:e3b0c4");
        CHECK_STR_EQ(norm("e3b0c4"), "e3b0c4:latest"); /* a name first; resolve tries the id */
        char ref[160];
        snprintf(ref, sizeof(ref), "busybox@%s", id);
        char want[160];
        snprintf(want, sizeof(want), "busybox@%s", id);
        CHECK_STR_EQ(norm(ref), want);
}

TEST(image_ref_rejects_bad_input)
{
        const char *bad[] = {"",
                             "Busybox",
                             "a b",
                             "busybox:",
                             ":tag",
                             "busybox:-x",
                             "a//b",
                             "/busybox",
                             "busybox/",
                             "a..b",
                             "-a",
                             "a-",
                             "a___b",
                             "busybox:"
                             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                             "busybox@sha256:abc",
                             "busybox@md5:abc",
                             "sha256:",
                             "bad_host.com:x/app",
                             "-host.com/app",
                             "a:b:c",
                             NULL};
        for (size_t i = 0; bad[i]; i++)
                if (!CHECK_STR_EQ(norm(bad[i]), "ERR"))
                        test_fail(__FILE__, __LINE__, "accepted \"%s\"", bad[i]);
}

/* "sha256:" with hex is an image id; with anything else it is the repository sha256 and a tag,
 * kept in its long form so the normalised name never reads as an id. */
TEST(image_ref_sha256_repository)
{
        CHECK_STR_EQ(norm("sha256:xyz"), "library/sha256:xyz");
        CHECK_STR_EQ(norm("sha256:E3B0"), "library/sha256:E3B0");
        CHECK_STR_EQ(norm("library/sha256:xyz"), "library/sha256:xyz");
        CHECK_STR_EQ(norm("sha256:e3b0"), "sha256:e3b0");
}

TEST(image_ref_error_names_the_reference)
{
        char out[256];
        struct berr e = {0};
        CHECK_INT_EQ(image_ref_normalize("Busybox", out, sizeof(out), &e), -EINVAL);
        CHECK(strstr(e.msg, "\"Busybox\"") != NULL);
        CHECK(strstr(e.msg, "lowercase") != NULL);
}

TEST(image_ref_small_buffer_is_an_error)
{
        char out[8];
        struct berr e = {0};
        CHECK(image_ref_normalize("busybox", out, sizeof(out), &e) < 0);
        char fits[15];
        CHECK_INT_EQ(image_ref_normalize("busybox", fits, sizeof(fits), &e), 0);
        CHECK_STR_EQ(fits, "busybox:latest");
}

static const char *digest_of(const char *s)
{
        static char out[SHA256_DIGEST_STR_LEN];
        if (sha256_buf(s, strlen(s), out) < 0)
                return "ERR";
        return out;
}

TEST(sha256_known_vectors)
{
        CHECK_STR_EQ(digest_of(""),
                     "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        CHECK_STR_EQ(digest_of("abc"),
                     "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        CHECK_STR_EQ(digest_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                     "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(sha256_streaming_equals_one_shot)
{
        struct sha256 h;
        char out[SHA256_DIGEST_STR_LEN];
        static char chunk[1000];
        memset(chunk, 'a', sizeof(chunk));
        CHECK_INT_EQ(sha256_init(&h), 0);
        for (int i = 0; i < 1000; i++)
                sha256_update(&h, chunk, sizeof(chunk));
        sha256_update(&h, chunk, 0);
        CHECK_INT_EQ(sha256_final(&h, out), 0);
        CHECK_STR_EQ(out,
                     "sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
        CHECK(h.ctx == NULL);
}

TEST(sha256_format_and_validate)
{
        unsigned char md[SHA256_LEN];
        for (int i = 0; i < SHA256_LEN; i++)
                md[i] = (unsigned char)(i * 8 + 0x0f);
        char out[SHA256_DIGEST_STR_LEN];
        sha256_format(md, out);
        CHECK_STR_EQ(out,
                     "sha256:0f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff07");
        CHECK(sha256_digest_valid(out));
        CHECK(!sha256_digest_valid("sha256:0f17"));
        CHECK(!sha256_digest_valid(
            "sha512:0f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff07"));
        CHECK(!sha256_digest_valid(
            "sha256:0F171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff07"));
        CHECK(!sha256_digest_valid(
            "sha256:0f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff07x"));
}

#define DIFF_ID "sha256:13086a53b95dd729276b248836cbeb7f926c1b744f6b9958b7710d7b492e3fdc"

static int parse(const char *json, struct image *img, char ***ids)
{
        struct berr e = {0};
        memset(img, 0, sizeof(*img));
        *ids = NULL;
        return image_config_parse(json, strlen(json), img, ids, &e);
}

TEST(image_config_build_then_parse)
{
        char *cmd[] = {"sh", NULL};
        char *env[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL};
        char *json = image_config_build(DIFF_ID, cmd, env, "1970-01-01T00:00:00Z");
        if (!CHECK(json != NULL))
                return;
#ifdef __x86_64__
        CHECK(strstr(json, "\"architecture\":\"amd64\"") != NULL);
#endif
        CHECK(strstr(json, "\"os\":\"linux\"") != NULL);
        CHECK(strstr(json, "\"type\":\"layers\"") != NULL);
        CHECK(strstr(json, "\"created\":\"1970-01-01T00:00:00Z\"") != NULL);
        struct image img;
        char **ids;
        CHECK_INT_EQ(parse(json, &img, &ids), 0);
        CHECK_INT_EQ(strv_len(ids), 1);
        CHECK_STR_EQ(ids ? ids[0] : NULL, DIFF_ID);
        CHECK_INT_EQ(strv_len(img.cmd), 1);
        CHECK_STR_EQ(img.cmd ? img.cmd[0] : NULL, "sh");
        CHECK_STR_EQ(img.env ? img.env[0] : NULL, env[0]);
        CHECK(img.entrypoint == NULL);
        CHECK(img.working_dir == NULL && img.user == NULL && img.stop_signal == NULL);
        strv_free(ids);
        image_release(&img);
        free(json);
}

TEST(image_config_build_is_deterministic)
{
        char *a = image_config_build(DIFF_ID, NULL, NULL, NULL);
        char *b = image_config_build(DIFF_ID, NULL, NULL, NULL);
        CHECK(a && b && !strcmp(a, b));
        CHECK(a && !strstr(a, "created\":"));
        free(a);
        free(b);
}

TEST(image_config_parse_all_fields)
{
        const char *json = "{\"config\":{\"Env\":[\"A=1\",\"B=2\"],\"Entrypoint\":[\"/init\"],"
                           "\"Cmd\":null,\"WorkingDir\":\"/srv\",\"User\":\"1000:1000\","
                           "\"StopSignal\":\"SIGQUIT\",\"Labels\":{\"x\":\"y\"}},"
                           "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" DIFF_ID
                           "\",\"" DIFF_ID "\"]},\"unknown\":1}";
        struct image img;
        char **ids;
        CHECK_INT_EQ(parse(json, &img, &ids), 0);
        CHECK_INT_EQ(strv_len(ids), 2);
        CHECK_INT_EQ(strv_len(img.env), 2);
        CHECK_STR_EQ(img.entrypoint ? img.entrypoint[0] : NULL, "/init");
        CHECK(img.cmd == NULL);
        CHECK_STR_EQ(img.working_dir, "/srv");
        CHECK_STR_EQ(img.user, "1000:1000");
        CHECK_STR_EQ(img.stop_signal, "SIGQUIT");
        strv_free(ids);
        image_release(&img);
}

TEST(image_config_parse_minimal_gives_empty_env)
{
        struct image img;
        char **ids;
        CHECK_INT_EQ(parse("{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}", &img, &ids), 0);
        CHECK(img.env != NULL && img.env[0] == NULL);
        CHECK(ids != NULL && ids[0] == NULL);
        CHECK(img.cmd == NULL && img.entrypoint == NULL);
        strv_free(ids);
        image_release(&img);
}

TEST(image_config_parse_rejects_bad_input)
{
        const char *bad[] = {
            "",
            "[]",
            "{",
            "{}",
            "{\"rootfs\":{\"type\":\"layers\"}}",
            "{\"rootfs\":{\"type\":\"tar\",\"diff_ids\":[]}}",
            "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:abc\"]}}",
            "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"../../etc\"]}}",
            "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[1]}}",
            "{\"config\":[],\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
            "{\"config\":{\"Env\":\"A=1\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
            "{\"config\":{\"Cmd\":[1]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
            "{\"config\":{\"User\":0},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
            "{\"config\":{\"Cmd\":[\"a\\u0000b\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}"
            "}",
            "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"rootfs\":{}}",
            NULL,
        };
        for (size_t i = 0; bad[i]; i++) {
                struct image img;
                char **ids;
                if (!CHECK_INT_EQ(parse(bad[i], &img, &ids), -EINVAL))
                        test_fail(__FILE__, __LINE__, "accepted %s", bad[i]);
                CHECK(ids == NULL && img.env == NULL && img.cmd == NULL);
        }
}
