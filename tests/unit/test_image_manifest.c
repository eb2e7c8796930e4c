/* docker manifest.json, OCI index/manifest parsers and --change lines (engine/image_manifest.c,
 * engine/image_change.c): good and bad input. */
#include "test.h"

#include "engine/image/image_manifest.h"
#include "engine/image/image_ops.h"
#include "util/err.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define Z64 "0000000000000000000000000000000000000000000000000000000000000000"

static int docker(const char *s, struct docker_manifest_entry **m, size_t *n, struct berr *e)
{
        return docker_manifest_parse(s, strlen(s), m, n, e);
}

TEST(image_docker_manifest_ok)
{
        struct docker_manifest_entry *m = NULL;
        size_t n = 0;
        struct berr e = {0};
        CHECK_INT_EQ(docker("[{\"Config\":\"c.json\",\"RepoTags\":[\"a:1\",\"b:2\"],"
                            "\"Layers\":[\"x/layer.tar\",\"y/layer.tar\"]}]",
                            &m, &n, &e),
                     0);
        CHECK_INT_EQ(n, 1);
        if (n == 1) {
                CHECK_STR_EQ(m[0].config, "c.json");
                CHECK_STR_EQ(m[0].tags[1], "b:2");
                CHECK_STR_EQ(m[0].layers[1], "y/layer.tar");
                CHECK(m[0].layers[2] == NULL);
        }
        docker_manifest_free(m, n);
        /* RepoTags null: an untagged image. */
        CHECK_INT_EQ(docker("[{\"Config\":\"c\",\"RepoTags\":null,\"Layers\":[\"l\"]}]", &m, &n, &e),
                     0);
        CHECK(n == 1 && m[0].tags && m[0].tags[0] == NULL);
        docker_manifest_free(m, n);
}

TEST(image_docker_manifest_bad)
{
        static const char *const bad[] = {
            "", "{}", "[]", "[1]", "[{\"Layers\":[\"l\"]}]", "[{\"Config\":\"\",\"Layers\":[\"l\"]}]",
            "[{\"Config\":\"c\",\"Layers\":[]}]", "[{\"Config\":\"c\",\"Layers\":[1]}]",
            "[{\"Config\":\"c\",\"Layers\":\"l\"}]", "[{\"Config\":\"c\",\"RepoTags\":[\"\"],\"Layers\":[\"l\"]}]",
            "[{\"Config\":\"c\",\"Config\":\"d\",\"Layers\":[\"l\"]}]",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                struct docker_manifest_entry *m = NULL;
                size_t n = 0;
                struct berr e = {0};
                if (!CHECK(docker(bad[i], &m, &n, &e) < 0))
                        test_fail(__FILE__, __LINE__, "accepted: %s", bad[i]);
                CHECK(m == NULL && n == 0 && e.msg[0]);
        }
}

TEST(image_oci_index)
{
        const char *s = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" MT_OCI_MANIFEST
                        "\",\"digest\":\"sha256:" Z64 "\",\"size\":12,\"annotations\":{"
                        "\"org.opencontainers.image.ref.name\":\"latest\"},\"platform\":{"
                        "\"architecture\":\"arm64\",\"os\":\"linux\"}}]}";
        struct oci_desc *d = NULL;
        size_t n = 0;
        struct berr e = {0};
        CHECK_INT_EQ(oci_index_parse(s, strlen(s), &d, &n, &e), 0);
        CHECK_INT_EQ(n, 1);
        if (n == 1) {
                CHECK_STR_EQ(d[0].ref_name, "latest");
                CHECK_STR_EQ(d[0].arch, "arm64");
                CHECK_INT_EQ(d[0].size, 12);
        }
        oci_desc_free(d, n);
        static const char *const bad[] = {
            "{\"manifests\":[]}",                                   /* no schemaVersion */
            "{\"schemaVersion\":1,\"manifests\":[]}",
            "{\"schemaVersion\":2}",
            "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"sha256:" Z64 "\"}]}", /* size */
            "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"sha512:00\",\"size\":1}]}",
            "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"sha256:" Z64 "\",\"size\":-1}]}",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                d = NULL;
                n = 0;
                if (!CHECK(oci_index_parse(bad[i], strlen(bad[i]), &d, &n, &e) < 0))
                        test_fail(__FILE__, __LINE__, "accepted: %s", bad[i]);
                CHECK(d == NULL && n == 0);
        }
}

TEST(image_oci_manifest)
{
        const char *ok = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MT_OCI_CONFIG
                         "\",\"digest\":\"sha256:" Z64 "\",\"size\":3},\"layers\":[{\"mediaType\":"
                         "\"" MT_OCI_LAYER "+gzip\",\"digest\":\"sha256:" Z64 "\",\"size\":9}]}";
        struct oci_desc cfg, *l = NULL;
        size_t n = 0;
        struct berr e = {0};
        CHECK_INT_EQ(oci_manifest_parse(ok, strlen(ok), &cfg, &l, &n, &e), 0);
        CHECK_INT_EQ(n, 1);
        CHECK_INT_EQ(cfg.size, 3);
        oci_desc_free(l, n);
        free(cfg.media_type);
        free(cfg.digest);
        const char *unknown = "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:" Z64
                              "\",\"size\":3},\"layers\":[{\"mediaType\":\"x/y\",\"digest\":"
                              "\"sha256:" Z64 "\",\"size\":9}]}";
        CHECK(oci_manifest_parse(unknown, strlen(unknown), &cfg, &l, &n, &e) < 0);
        CHECK(strstr(e.msg, "unknown media type x/y") != NULL);
        CHECK(l == NULL && n == 0 && cfg.digest == NULL);
        const char *nolayers = "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:" Z64
                               "\",\"size\":3},\"layers\":[]}";
        CHECK(oci_manifest_parse(nolayers, strlen(nolayers), &cfg, &l, &n, &e) < 0);
        CHECK(oci_layer_media_ok("application/vnd.docker.image.rootfs.diff.tar.gzip"));
        CHECK(!oci_layer_media_ok(NULL));
}

static char *apply(const char *change)
{
        json_t *c = json_object();
        struct berr e = {0};
        char *s = NULL;
        if (image_change_apply(c, change, &e) == 0)
                s = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(c);
        return s;
}

TEST(image_change_lines)
{
        static const char *const cases[][2] = {
            {"CMD [\"sh\", \"-c\", \"x\"]", "{\"Cmd\":[\"sh\",\"-c\",\"x\"]}"},
            {"CMD echo hi", "{\"Cmd\":[\"/bin/sh\",\"-c\",\"echo hi\"]}"},
            {"entrypoint [\"/x\"]", "{\"Entrypoint\":[\"/x\"]}"},
            {"ENV A=1 B=\"two words\"", "{\"Env\":[\"A=1\",\"B=two words\"]}"},
            {"ENV A 1 2", "{\"Env\":[\"A=1 2\"]}"},
            {"WORKDIR /srv", "{\"WorkingDir\":\"/srv\"}"},
            {"USER 1000:1000", "{\"User\":\"1000:1000\"}"},
            {"EXPOSE 80 53/udp", "{\"ExposedPorts\":{\"53/udp\":{},\"80/tcp\":{}}}"},
            {"VOLUME [\"/a\", \"/b\"]", "{\"Volumes\":{\"/a\":{},\"/b\":{}}}"},
            {"LABEL a=b", "{\"Labels\":{\"a\":\"b\"}}"},
            {"STOPSIGNAL SIGINT", "{\"StopSignal\":\"SIGINT\"}"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char *got = apply(cases[i][0]);
                CHECK_STR_EQ(got ? got : "(error)", cases[i][1]);
                free(got);
        }
        static const char *const bad[] = {"", "CMD", "RUN echo", "ENV =x", "LABEL", "FOO bar"};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                char *got = apply(bad[i]);
                if (!CHECK(got == NULL))
                        test_fail(__FILE__, __LINE__, "accepted: %s", bad[i]);
                free(got);
        }
}
