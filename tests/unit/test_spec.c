/* Unit tests of src/core/spec.h: config.json -> struct spec (validation messages name the
 * field), struct spec -> config.json round trips, the default spec, and the OCI runtime spec's
 * own sample configs (copied to tests/fuzz/corpus/spec/). */
#include "test.h"

#include "core/spec.h"
#include "util/err.h"
#include "util/strv.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLES_DIR "tests/fuzz/corpus/spec"

/* A valid minimal Linux config; tests splice fields into it with printf. */
#define MIN_PROCESS "\"process\":{\"cwd\":\"/\",\"args\":[\"sh\"],\"user\":{\"uid\":0,\"gid\":0}}"
#define MIN_ROOT "\"root\":{\"path\":\"rootfs\"}"
#define MIN_CONFIG "{\"ociVersion\":\"1.0.2\"," MIN_PROCESS "," MIN_ROOT "}"

static struct berr err;

/* Parses text; returns the spec or NULL (err holds the message). */
static struct spec *parse(const char *text)
{
        struct spec *s = NULL;
        memset(&err, 0, sizeof(err));
        int r = spec_from_json(text, strlen(text), &s, &err);
        if (r < 0) {
                if (s)
                        test_fail(__FILE__, __LINE__, "spec_from_json failed but set *out");
                if (r != err.code)
                        test_fail(__FILE__, __LINE__, "return %d != err.code %d", r, err.code);
                return NULL;
        }
        if (!s)
                test_fail(__FILE__, __LINE__, "spec_from_json returned 0 without a spec");
        return s;
}

/* True if text is refused and the message contains want. */
static bool refused_with(const char *text, const char *want)
{
        struct spec *s = parse(text);
        if (s) {
                spec_free(s);
                test_fail(__FILE__, __LINE__, "accepted: %s", text);
                return false;
        }
        if (!strstr(err.msg, want)) {
                test_fail(__FILE__, __LINE__, "message \"%s\" does not name \"%s\"", err.msg,
                          want);
                return false;
        }
        if (err.code != -EINVAL) {
                test_fail(__FILE__, __LINE__, "code %d, want -EINVAL for: %s", err.code, text);
                return false;
        }
        return true;
}

/* A config with the given top-level members besides a valid ociVersion, process and root. */
static char *with_extra(const char *extra)
{
        char *t = NULL;
        if (asprintf(&t, "{\"ociVersion\":\"1.0.2\"," MIN_PROCESS "," MIN_ROOT ",%s}", extra) < 0)
                abort();
        return t;
}

static char *with_linux(const char *linux_members)
{
        char *inner = NULL;
        if (asprintf(&inner, "\"linux\":{%s}", linux_members) < 0)
                abort();
        char *t = with_extra(inner);
        free(inner);
        return t;
}

static char *with_process(const char *process_members)
{
        char *t = NULL;
        if (asprintf(&t, "{\"ociVersion\":\"1.0.2\",\"process\":{%s}," MIN_ROOT "}",
                     process_members) < 0)
                abort();
        return t;
}

TEST(spec_minimal_config_parses)
{
        struct spec *s = parse(MIN_CONFIG);
        CHECK(s != NULL);
        if (!s)
                return;
        CHECK_STR_EQ(s->oci_version, "1.0.2");
        CHECK_STR_EQ(s->root_path, "rootfs");
        CHECK(!s->root_readonly);
        CHECK_STR_EQ(s->process.cwd, "/");
        CHECK_INT_EQ(strv_len(s->process.args), 1);
        CHECK_STR_EQ(s->process.args[0], "sh");
        CHECK(s->process.env != NULL); /* an absent env is an empty list, not NULL */
        CHECK_INT_EQ(strv_len(s->process.env), 0);
        CHECK_INT_EQ(s->process.user.uid, 0);
        CHECK_INT_EQ(s->process.user.gid, 0);
        CHECK(!s->process.terminal);
        CHECK(s->hostname == NULL);
        CHECK_INT_EQ(s->n_mounts, 0);
        for (int t = 0; t < NS__COUNT; t++)
                CHECK(!s->namespaces[t].enabled);
        CHECK(s->annotations_json == NULL);
        CHECK(s->root_mount == NULL);
        CHECK(s->process.user.name == NULL);
        spec_free(s);
}

TEST(spec_full_process_fields)
{
        char *t = with_process("\"terminal\":true,\"cwd\":\"/work\",\"args\":[\"a\",\"b c\",\"\"],"
                               "\"env\":[\"A=1\",\"B=\"],\"noNewPrivileges\":true,"
                               "\"user\":{\"uid\":1000,\"gid\":100,\"additionalGids\":[5,4294967295]}");
        struct spec *s = parse(t);
        CHECK(s != NULL);
        if (s) {
                CHECK(s->process.terminal);
                CHECK(s->process.no_new_privileges);
                CHECK_STR_EQ(s->process.cwd, "/work");
                CHECK_INT_EQ(strv_len(s->process.args), 3);
                CHECK_STR_EQ(s->process.args[1], "b c");
                CHECK_STR_EQ(s->process.args[2], "");
                CHECK_INT_EQ(strv_len(s->process.env), 2);
                CHECK_STR_EQ(s->process.env[1], "B=");
                CHECK_INT_EQ(s->process.user.uid, 1000);
                CHECK_INT_EQ(s->process.user.gid, 100);
                CHECK_INT_EQ(s->process.user.n_additional_gids, 2);
                if (s->process.user.n_additional_gids == 2) {
                        CHECK_INT_EQ(s->process.user.additional_gids[0], 5);
                        CHECK_INT_EQ(s->process.user.additional_gids[1], 4294967295u);
                }
        }
        spec_free(s);
        free(t);
}

TEST(spec_root_hostname_annotations)
{
        char *t = NULL;
        if (asprintf(&t, "{\"ociVersion\":\"1.0.2\"," MIN_PROCESS ",\"root\":{\"path\":\"/abs/root\","
                         "\"readonly\":true},\"hostname\":\"box\",\"annotations\":{\"a\":\"b\"}}") < 0)
                abort();
        struct spec *s = parse(t);
        CHECK(s != NULL);
        if (s) {
                CHECK_STR_EQ(s->root_path, "/abs/root");
                CHECK(s->root_readonly);
                CHECK_STR_EQ(s->hostname, "box");
                CHECK(s->annotations_json && strstr(s->annotations_json, "\"a\""));
        }
        spec_free(s);
        free(t);
}

TEST(spec_missing_required_fields_are_named)
{
        CHECK(refused_with("{\"process\":{\"cwd\":\"/\",\"args\":[\"sh\"],\"user\":{\"uid\":0,\"gid\":0}},"
                           MIN_ROOT "}", "ociVersion"));
        CHECK(refused_with("{\"ociVersion\":\"1.0.2\"," MIN_ROOT "}", "process"));
        CHECK(refused_with("{\"ociVersion\":\"1.0.2\"," MIN_PROCESS "}", "root"));
        CHECK(refused_with("{\"ociVersion\":\"1.0.2\"," MIN_PROCESS ",\"root\":{}}", "root.path"));
        CHECK(refused_with("{\"ociVersion\":\"1.0.2\"," MIN_PROCESS ",\"root\":{\"path\":\"\"}}",
                           "root.path"));

        char *t = with_process("\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0}");
        CHECK(refused_with(t, "process.args"));
        free(t);
        t = with_process("\"cwd\":\"/\",\"args\":[],\"user\":{\"uid\":0,\"gid\":0}");
        CHECK(refused_with(t, "process.args"));
        free(t);
        t = with_process("\"args\":[\"sh\"],\"user\":{\"uid\":0,\"gid\":0}");
        CHECK(refused_with(t, "process.cwd"));
        free(t);
        t = with_process("\"cwd\":\"/\",\"args\":[\"sh\"]");
        CHECK(refused_with(t, "process.user"));
        free(t);
        t = with_process("\"cwd\":\"/\",\"args\":[\"sh\"],\"user\":{\"gid\":0}");
        CHECK(refused_with(t, "process.user.uid"));
        free(t);
        t = with_process("\"cwd\":\"/\",\"args\":[\"sh\"],\"user\":{\"uid\":0}");
        CHECK(refused_with(t, "process.user.gid"));
        free(t);
}

TEST(spec_wrong_types_are_named)
{
        CHECK(refused_with("{\"ociVersion\":1," MIN_PROCESS "," MIN_ROOT "}", "ociVersion"));
        CHECK(refused_with("{\"ociVersion\":\"1.0.2\",\"process\":[]," MIN_ROOT "}", "process"));
        CHECK(refused_with("{\"ociVersion\":\"1.0.2\"," MIN_PROCESS ",\"root\":\"rootfs\"}", "root"));
        CHECK(refused_with("{\"ociVersion\":\"1.0.2\"," MIN_PROCESS ",\"root\":{\"path\":7}}",
                           "root.path"));
        CHECK(refused_with("{\"ociVersion\":\"1.0.2\"," MIN_PROCESS
                           ",\"root\":{\"path\":\"r\",\"readonly\":\"yes\"}}",
                           "root.readonly"));

        static const struct {
                const char *members, *field;
        } bad[] = {
                {"\"cwd\":\"/\",\"args\":\"sh\",\"user\":{\"uid\":0,\"gid\":0}", "process.args"},
                {"\"cwd\":\"/\",\"args\":[\"sh\",1],\"user\":{\"uid\":0,\"gid\":0}", "process.args[1]"},
                {"\"cwd\":\"/\",\"args\":[null],\"user\":{\"uid\":0,\"gid\":0}", "process.args[0]"},
                {"\"cwd\":5,\"args\":[\"sh\"],\"user\":{\"uid\":0,\"gid\":0}", "process.cwd"},
                {"\"cwd\":\"rel\",\"args\":[\"sh\"],\"user\":{\"uid\":0,\"gid\":0}", "process.cwd"},
                {"\"cwd\":\"\",\"args\":[\"sh\"],\"user\":{\"uid\":0,\"gid\":0}", "process.cwd"},
                {"\"cwd\":\"/\",\"args\":[\"sh\"],\"env\":{},\"user\":{\"uid\":0,\"gid\":0}", "process.env"},
                {"\"cwd\":\"/\",\"args\":[\"sh\"],\"terminal\":1,\"user\":{\"uid\":0,\"gid\":0}", "process.terminal"},
                {"\"cwd\":\"/\",\"args\":[\"sh\"],\"noNewPrivileges\":\"true\",\"user\":{\"uid\":0,\"gid\":0}",
                 "process.noNewPrivileges"},
                {"\"cwd\":\"/\",\"args\":[\"sh\"],\"user\":\"root\"", "process.user"},
                {"\"cwd\":\"/\",\"args\":[\"sh\"],\"user\":{\"uid\":-1,\"gid\":0}", "process.user.uid"},
                {"\"cwd\":\"/\",\"args\":[\"sh\"],\"user\":{\"uid\":4294967296,\"gid\":0}", "process.user.uid"},
                {"\"cwd\":\"/\",\"args\":[\"sh\"],\"user\":{\"uid\":1.5,\"gid\":0}", "process.user.uid"},
                {"\"cwd\":\"/\",\"args\":[\"sh\"],\"user\":{\"uid\":\"0\",\"gid\":0}", "process.user.uid"},
                {"\"cwd\":\"/\",\"args\":[\"sh\"],\"user\":{\"uid\":0,\"gid\":0,\"additionalGids\":5}",
                 "process.user.additionalGids"},
                {"\"cwd\":\"/\",\"args\":[\"sh\"],\"user\":{\"uid\":0,\"gid\":0,\"additionalGids\":[1,-2]}",
                 "process.user.additionalGids[1]"},
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                char *t = with_process(bad[i].members);
                if (!refused_with(t, bad[i].field))
                        test_fail(__FILE__, __LINE__, "case %zu", i);
                free(t);
        }

        char *t = with_extra("\"hostname\":7");
        CHECK(refused_with(t, "hostname"));
        free(t);
        t = with_extra("\"annotations\":[]");
        CHECK(refused_with(t, "annotations"));
        free(t);
        t = with_extra("\"mounts\":{}");
        CHECK(refused_with(t, "mounts"));
        free(t);
        t = with_extra("\"linux\":[]");
        CHECK(refused_with(t, "linux"));
        free(t);
}

TEST(spec_not_json_or_not_object)
{
        CHECK(refused_with("", "JSON"));
        CHECK(refused_with("{", "JSON"));
        CHECK(refused_with("{]", "JSON"));
        CHECK(refused_with("not json", "JSON"));
        CHECK(refused_with("[]", "object"));
        CHECK(refused_with("\"x\"", "")); /* jansson refuses a bare string (no JSON_DECODE_ANY) */
        CHECK(refused_with("null", ""));
        /* Trailing garbage after the object. */
        char t[] = MIN_CONFIG " x";
        CHECK(refused_with(t, "JSON"));
        /* Duplicate keys are refused (JSON_REJECT_DUPLICATES): which one would win is unclear. */
        CHECK(refused_with("{\"ociVersion\":\"1.0.2\",\"ociVersion\":\"1.0.2\"," MIN_PROCESS
                           "," MIN_ROOT "}",
                           "JSON"));
}

TEST(spec_len_is_respected)
{
        /* The text need not be NUL-terminated at len: parse only the first len bytes. */
        char buf[sizeof(MIN_CONFIG) + 8];
        memcpy(buf, MIN_CONFIG, sizeof(MIN_CONFIG) - 1);
        memcpy(buf + sizeof(MIN_CONFIG) - 1, "garbage!", 8);
        struct spec *s = NULL;
        struct berr e = {0};
        CHECK_INT_EQ(spec_from_json(buf, sizeof(MIN_CONFIG) - 1, &s, &e), 0);
        spec_free(s);
        s = NULL;
        CHECK(spec_from_json(buf, sizeof(MIN_CONFIG) - 2, &s, &e) < 0);
        CHECK(s == NULL);
}

TEST(spec_oci_version_major_must_be_1)
{
        static const char *const ok[] = {"1.0.0", "1.0.2", "1.1.0", "1.2.0", "1.3.0", "1.0.0-rc5"};
        static const char *const bad[] = {"2.0.0", "0.9.0", "", "1", "v1.0.0", "10.0.0"};
        for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
                char *t = NULL;
                if (asprintf(&t, "{\"ociVersion\":\"%s\"," MIN_PROCESS "," MIN_ROOT "}", ok[i]) < 0)
                        abort();
                struct spec *s = parse(t);
                if (!s)
                        test_fail(__FILE__, __LINE__, "ociVersion %s refused: %s", ok[i], err.msg);
                else
                        CHECK_STR_EQ(s->oci_version, ok[i]);
                spec_free(s);
                free(t);
        }
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                char *t = NULL;
                if (asprintf(&t, "{\"ociVersion\":\"%s\"," MIN_PROCESS "," MIN_ROOT "}", bad[i]) < 0)
                        abort();
                if (!refused_with(t, "ociVersion"))
                        test_fail(__FILE__, __LINE__, "ociVersion \"%s\"", bad[i]);
                free(t);
        }
}

TEST(spec_namespaces)
{
        char *t = with_linux("\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\","
                             "\"path\":\"/proc/1/ns/net\"},{\"type\":\"mount\"},{\"type\":\"ipc\"},"
                             "{\"type\":\"uts\"},{\"type\":\"user\"},{\"type\":\"cgroup\"},"
                             "{\"type\":\"time\"}]");
        struct spec *s = parse(t);
        CHECK(s != NULL);
        if (s) {
                for (int i = 0; i < NS__COUNT; i++)
                        CHECK(s->namespaces[i].enabled);
                CHECK_STR_EQ(s->namespaces[NS_NETWORK].path, "/proc/1/ns/net");
                CHECK(s->namespaces[NS_PID].path == NULL);
        }
        spec_free(s);
        free(t);

        t = with_linux("\"namespaces\":[]");
        s = parse(t);
        CHECK(s != NULL);
        for (int i = 0; s && i < NS__COUNT; i++)
                CHECK(!s->namespaces[i].enabled);
        spec_free(s);
        free(t);
}

TEST(spec_namespace_errors)
{
        static const struct {
                const char *ns, *want;
        } bad[] = {
                {"[{\"type\":\"pid\"},{\"type\":\"pid\"}]", "linux.namespaces[1].type"},
                {"[{\"type\":\"pid\"},{\"type\":\"pid\"}]", "twice"},
                {"[{\"type\":\"net\"}]", "unknown namespace type \"net\""},
                {"[{\"type\":\"\"}]", "linux.namespaces[0].type"},
                {"[{\"type\":\"PID\"}]", "linux.namespaces[0].type"},
                {"[{}]", "linux.namespaces[0].type"},
                {"[{\"type\":1}]", "linux.namespaces[0].type"},
                {"[\"pid\"]", "linux.namespaces[0]"},
                {"[{\"type\":\"pid\",\"path\":5}]", "linux.namespaces[0].path"},
                {"{}", "linux.namespaces"},
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                char *members = NULL;
                if (asprintf(&members, "\"namespaces\":%s", bad[i].ns) < 0)
                        abort();
                char *t = with_linux(members);
                if (!refused_with(t, bad[i].want))
                        test_fail(__FILE__, __LINE__, "case %zu: %s", i, bad[i].ns);
                free(t);
                free(members);
        }
}

TEST(spec_ns_names_and_flags)
{
        for (int t = 0; t < NS__COUNT; t++) {
                CHECK_INT_EQ(spec_ns_from_name(spec_ns_name(t)), t);
                CHECK(spec_ns_clone_flag(t) != 0);
        }
        CHECK_INT_EQ(spec_ns_from_name("net"), -1);
        CHECK_INT_EQ(spec_ns_from_name(""), -1);
        CHECK_STR_EQ(spec_ns_name(NS__COUNT), "?");
        CHECK_INT_EQ(spec_ns_clone_flag(NS_PID), CLONE_NEWPID);
        CHECK_INT_EQ(spec_ns_clone_flag(NS_NETWORK), CLONE_NEWNET);
        CHECK_INT_EQ(spec_ns_clone_flag(NS_MOUNT), CLONE_NEWNS);
        CHECK_INT_EQ(spec_ns_clone_flag(NS_USER), CLONE_NEWUSER);
        CHECK_INT_EQ(spec_ns_clone_flag(NS_TIME), 0x80);
}

TEST(spec_mounts)
{
        char *t = with_extra("\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":"
                             "\"proc\",\"options\":[\"nosuid\",\"noexec\"]},{\"destination\":\"/data\","
                             "\"source\":\"/host\",\"options\":[\"rbind\",\"ro\"]},"
                             "{\"destination\":\"/tmp\",\"type\":\"tmpfs\"}]");
        struct spec *s = parse(t);
        CHECK(s != NULL);
        if (s) {
                CHECK_INT_EQ(s->n_mounts, 3);
        }
        if (s && s->n_mounts == 3) {
                CHECK_STR_EQ(s->mounts[0].destination, "/proc");
                CHECK_STR_EQ(s->mounts[0].type, "proc");
                CHECK_STR_EQ(s->mounts[0].source, "proc");
                CHECK_INT_EQ(strv_len(s->mounts[0].options), 2);
                CHECK_STR_EQ(s->mounts[0].options[1], "noexec");
                CHECK(s->mounts[1].type == NULL);
                CHECK_STR_EQ(s->mounts[1].source, "/host");
                CHECK_STR_EQ(s->mounts[1].options[0], "rbind");
                CHECK_STR_EQ(s->mounts[2].type, "tmpfs");
                CHECK(s->mounts[2].source == NULL);
                CHECK(s->mounts[2].options == NULL);
        }
        spec_free(s);
        free(t);

        t = with_extra("\"mounts\":[]");
        s = parse(t);
        CHECK(s != NULL);
        CHECK(s && s->n_mounts == 0);
        spec_free(s);
        free(t);
}

TEST(spec_mount_errors)
{
        static const struct {
                const char *mounts, *want;
        } bad[] = {
                {"[{\"type\":\"tmpfs\"}]", "mounts[0].destination"},
                {"[{\"destination\":\"/a\"},{\"destination\":\"rel\"}]", "mounts[1].destination"},
                {"[{\"destination\":\"\"}]", "mounts[0].destination"},
                {"[{\"destination\":5}]", "mounts[0].destination"},
                {"[{\"destination\":\"/a\",\"type\":5}]", "mounts[0].type"},
                {"[{\"destination\":\"/a\",\"source\":[]}]", "mounts[0].source"},
                {"[{\"destination\":\"/a\",\"options\":\"ro\"}]", "mounts[0].options"},
                {"[{\"destination\":\"/a\",\"options\":[\"ro\",false]}]", "mounts[0].options[1]"},
                {"[\"/a\"]", "mounts[0]"},
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                char *members = NULL;
                if (asprintf(&members, "\"mounts\":%s", bad[i].mounts) < 0)
                        abort();
                char *t = with_extra(members);
                if (!refused_with(t, bad[i].want))
                        test_fail(__FILE__, __LINE__, "case %zu: %s", i, bad[i].mounts);
                free(t);
                free(members);
        }
}

TEST(spec_id_mappings)
{
        char *t = with_linux("\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1},"
                             "{\"containerID\":1,\"hostID\":100000,\"size\":65536}],"
                             "\"gidMappings\":[{\"containerID\":0,\"hostID\":4294967295,\"size\":1}]");
        struct spec *s = parse(t);
        CHECK(s != NULL);
        if (s) {
                CHECK_INT_EQ(s->n_uid_mappings, 2);
                CHECK_INT_EQ(s->n_gid_mappings, 1);
        }
        if (s && s->n_uid_mappings == 2 && s->n_gid_mappings == 1) {
                CHECK_INT_EQ(s->uid_mappings[0].container_id, 0);
                CHECK_INT_EQ(s->uid_mappings[0].host_id, 1000);
                CHECK_INT_EQ(s->uid_mappings[0].size, 1);
                CHECK_INT_EQ(s->uid_mappings[1].container_id, 1);
                CHECK_INT_EQ(s->uid_mappings[1].host_id, 100000);
                CHECK_INT_EQ(s->uid_mappings[1].size, 65536);
                CHECK_INT_EQ(s->gid_mappings[0].host_id, 4294967295u);
        }
        spec_free(s);
        free(t);

        static const struct {
                const char *members, *want;
        } bad[] = {
                {"\"uidMappings\":{}", "linux.uidMappings"},
                {"\"gidMappings\":[1]", "linux.gidMappings[0]"},
                {"\"uidMappings\":[{\"hostID\":1,\"size\":1}]", "linux.uidMappings[0]"},
                {"\"uidMappings\":[{\"containerID\":0,\"size\":1}]", "linux.uidMappings[0]"},
                {"\"uidMappings\":[{\"containerID\":0,\"hostID\":1}]", "linux.uidMappings[0]"},
                {"\"uidMappings\":[{\"containerID\":0,\"hostID\":1,\"size\":1},"
                 "{\"containerID\":-1,\"hostID\":1,\"size\":1}]",
                 "linux.uidMappings[1]"},
                {"\"gidMappings\":[{\"containerID\":0,\"hostID\":\"1\",\"size\":1}]",
                 "linux.gidMappings[0]"},
                {"\"gidMappings\":[{\"containerID\":0,\"hostID\":1,\"size\":4294967296}]",
                 "linux.gidMappings[0]"},
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                char *t2 = with_linux(bad[i].members);
                if (!refused_with(t2, bad[i].want))
                        test_fail(__FILE__, __LINE__, "case %zu: %s", i, bad[i].members);
                free(t2);
        }
}

TEST(spec_linux_paths_and_propagation)
{
        char *t = with_linux("\"maskedPaths\":[\"/proc/kcore\"],\"readonlyPaths\":[],"
                             "\"rootfsPropagation\":\"rslave\"");
        struct spec *s = parse(t);
        CHECK(s != NULL);
        if (s) {
                CHECK_INT_EQ(strv_len(s->masked_paths), 1);
                CHECK_STR_EQ(s->masked_paths[0], "/proc/kcore");
                CHECK(s->readonly_paths != NULL);
                CHECK_INT_EQ(strv_len(s->readonly_paths), 0);
                CHECK_STR_EQ(s->rootfs_propagation, "rslave");
        }
        spec_free(s);
        free(t);

        t = with_linux("\"maskedPaths\":\"/proc\"");
        CHECK(refused_with(t, "linux.maskedPaths"));
        free(t);
        t = with_linux("\"readonlyPaths\":[1]");
        CHECK(refused_with(t, "linux.readonlyPaths[0]"));
        free(t);
        t = with_linux("\"rootfsPropagation\":true");
        CHECK(refused_with(t, "linux.rootfsPropagation"));
        free(t);
}

TEST(spec_unknown_fields_are_ignored)
{
        /* Fields berth does not implement (resources, seccomp, hooks, ...) must not break parsing:
         * runtimes ignore what they do not know, and callers add new fields over time. */
        char *t = with_extra("\"hooks\":{},\"vendor.x\":1,\"linux\":{\"resources\":{\"memory\":"
                             "{\"limit\":1}},\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\"}}");
        struct spec *s = parse(t);
        CHECK(s != NULL);
        if (!s)
                test_fail(__FILE__, __LINE__, "%s", err.msg);
        spec_free(s);
        free(t);
}

/* ---- round trip ---- */

static bool strv_eq(char *const *a, char *const *b)
{
        if (strv_len(a) != strv_len(b))
                return false;
        for (size_t i = 0; a && a[i]; i++)
                if (strcmp(a[i], b[i]))
                        return false;
        return true;
}

static bool str_eq_null(const char *a, const char *b)
{
        return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Compares every field spec_to_json writes; reports the first difference. */
static void check_specs_equal(const struct spec *a, const struct spec *b, const char *what)
{
#define SAME(cond)                                                                                 \
        do {                                                                                       \
                if (!(cond))                                                                       \
                        test_fail(__FILE__, __LINE__, "%s: round trip changed: %s", what, #cond);  \
        } while (0)
        SAME(str_eq_null(a->oci_version, b->oci_version));
        SAME(a->process.terminal == b->process.terminal);
        SAME(a->process.user.uid == b->process.user.uid);
        SAME(a->process.user.gid == b->process.user.gid);
        SAME(a->process.user.n_additional_gids == b->process.user.n_additional_gids);
        for (size_t i = 0; i < a->process.user.n_additional_gids &&
                           i < b->process.user.n_additional_gids; i++)
                SAME(a->process.user.additional_gids[i] == b->process.user.additional_gids[i]);
        SAME(strv_eq(a->process.args, b->process.args));
        SAME(strv_eq(a->process.env, b->process.env));
        SAME(str_eq_null(a->process.cwd, b->process.cwd));
        SAME(a->process.no_new_privileges == b->process.no_new_privileges);
        SAME(str_eq_null(a->root_path, b->root_path));
        SAME(a->root_readonly == b->root_readonly);
        SAME(str_eq_null(a->hostname, b->hostname));
        SAME(a->n_mounts == b->n_mounts);
        for (size_t i = 0; i < a->n_mounts && i < b->n_mounts; i++) {
                SAME(str_eq_null(a->mounts[i].destination, b->mounts[i].destination));
                SAME(str_eq_null(a->mounts[i].type, b->mounts[i].type));
                SAME(str_eq_null(a->mounts[i].source, b->mounts[i].source));
                SAME((a->mounts[i].options == NULL) == (b->mounts[i].options == NULL));
                SAME(strv_eq(a->mounts[i].options, b->mounts[i].options));
        }
        for (int t = 0; t < NS__COUNT; t++) {
                SAME(a->namespaces[t].enabled == b->namespaces[t].enabled);
                SAME(str_eq_null(a->namespaces[t].path, b->namespaces[t].path));
        }
        SAME(a->n_uid_mappings == b->n_uid_mappings);
        SAME(a->n_gid_mappings == b->n_gid_mappings);
        if (a->n_uid_mappings == b->n_uid_mappings && a->n_uid_mappings)
                SAME(!memcmp(a->uid_mappings, b->uid_mappings,
                             a->n_uid_mappings * sizeof(*a->uid_mappings)));
        if (a->n_gid_mappings == b->n_gid_mappings && a->n_gid_mappings)
                SAME(!memcmp(a->gid_mappings, b->gid_mappings,
                             a->n_gid_mappings * sizeof(*a->gid_mappings)));
        SAME(strv_eq(a->masked_paths, b->masked_paths));
        SAME(strv_eq(a->readonly_paths, b->readonly_paths));
        SAME(str_eq_null(a->rootfs_propagation, b->rootfs_propagation));
        SAME(str_eq_null(a->annotations_json, b->annotations_json));
#undef SAME
}

/* parse(text) -> write -> parse again; the two specs must be equal. */
static void round_trip(const char *text, const char *what)
{
        struct spec *a = parse(text), *b = NULL;
        if (!a) {
                test_fail(__FILE__, __LINE__, "%s: does not parse: %s", what, err.msg);
                return;
        }
        char *json = NULL;
        struct berr e = {0};
        if (spec_to_json(a, &json, &e) < 0) {
                test_fail(__FILE__, __LINE__, "%s: spec_to_json: %s", what, e.msg);
        } else if (!(b = parse(json))) {
                test_fail(__FILE__, __LINE__, "%s: written config does not parse: %s\n%s", what,
                          err.msg, json);
        } else {
                check_specs_equal(a, b, what);
        }
        free(json);
        spec_free(a);
        spec_free(b);
}

TEST(spec_round_trip_minimal)
{
        round_trip(MIN_CONFIG, "minimal");
}

TEST(spec_round_trip_everything)
{
        const char *t =
                "{\"ociVersion\":\"1.2.0\",\"process\":{\"terminal\":true,\"user\":{\"uid\":1,"
                "\"gid\":2,\"additionalGids\":[3,4]},\"args\":[\"/bin/sh\",\"-c\",\"echo \\\"hi\\\" "
                "\\u00e9\"],\"env\":[\"PATH=/bin\",\"X=a=b\"],\"cwd\":\"/home\",\"noNewPrivileges\":"
                "true},\"root\":{\"path\":\"/r\",\"readonly\":true},\"hostname\":\"h\",\"mounts\":["
                "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},{\"destination\":"
                "\"/b\",\"source\":\"/s\",\"options\":[\"rbind\"]},{\"destination\":\"/e\","
                "\"options\":[]}],\"linux\":{\"namespaces\":[{\"type\":\"user\"},{\"type\":\"pid\"},"
                "{\"type\":\"network\",\"path\":\"/run/netns/x\"}],\"uidMappings\":[{\"containerID\":0,"
                "\"hostID\":1000,\"size\":1}],\"gidMappings\":[{\"containerID\":0,\"hostID\":1000,"
                "\"size\":1},{\"containerID\":1,\"hostID\":2000,\"size\":10}],\"maskedPaths\":[\"/m\"],"
                "\"readonlyPaths\":[\"/ro\"],\"rootfsPropagation\":\"private\"},\"annotations\":"
                "{\"k\":\"v\",\"n\":{\"x\":[1,2]}}}";
        round_trip(t, "everything");
}

TEST(spec_to_json_writes_plain_oci)
{
        struct spec *s = parse(MIN_CONFIG);
        CHECK(s != NULL);
        if (!s)
                return;
        /* Extensions stay in memory. */
        s->process.user.name = strdup("nobody");
        spec_add_mount(s, "/x", "tmpfs", "tmpfs", NULL);
        s->root_mount = calloc(1, sizeof(*s->root_mount));
        s->root_mount->destination = strdup("/");
        s->root_mount->type = strdup("overlay");
        char *json = NULL;
        struct berr e = {0};
        CHECK_INT_EQ(spec_to_json(s, &json, &e), 0);
        CHECK(json && !strstr(json, "nobody"));
        CHECK(json && !strstr(json, "overlay"));
        CHECK(json && strstr(json, "\"/x\""));
        free(json);
        spec_free(s);
}

TEST(spec_new_default_contents)
{
        struct spec *s = NULL;
        struct berr e = {0};
        CHECK_INT_EQ(spec_new_default(&s, &e), 0);
        CHECK(s != NULL);
        if (!s)
                return;
        CHECK(s->oci_version && !strncmp(s->oci_version, "1.", 2));
        CHECK_INT_EQ(strv_len(s->process.args), 1);
        CHECK_STR_EQ(s->process.args[0], "sh");
        CHECK(s->process.terminal);
        CHECK_STR_EQ(s->process.cwd, "/");
        CHECK(s->process.env && strv_len(s->process.env) >= 1);
        CHECK(env_get(s->process.env, "PATH") != NULL);
        CHECK_INT_EQ(s->process.user.uid, 0);
        CHECK_STR_EQ(s->root_path, "rootfs");
        CHECK(s->namespaces[NS_PID].enabled);
        CHECK(s->namespaces[NS_NETWORK].enabled);
        CHECK(s->namespaces[NS_IPC].enabled);
        CHECK(s->namespaces[NS_UTS].enabled);
        CHECK(s->namespaces[NS_MOUNT].enabled);
        CHECK(s->namespaces[NS_CGROUP].enabled);
        CHECK(!s->namespaces[NS_USER].enabled);
        CHECK(!s->namespaces[NS_TIME].enabled);
        for (int t = 0; t < NS__COUNT; t++)
                CHECK(s->namespaces[t].path == NULL);
        static const char *const dests[] = {"/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue",
                                            "/sys",  "/sys/fs/cgroup"};
        for (size_t i = 0; i < sizeof(dests) / sizeof(dests[0]); i++) {
                bool found = false;
                for (size_t j = 0; j < s->n_mounts; j++)
                        if (!strcmp(s->mounts[j].destination, dests[i]))
                                found = true;
                if (!found)
                        test_fail(__FILE__, __LINE__, "default spec lacks the mount %s", dests[i]);
        }
        bool kcore = false, sysrq = false;
        for (size_t i = 0; s->masked_paths && s->masked_paths[i]; i++)
                kcore |= !strcmp(s->masked_paths[i], "/proc/kcore");
        for (size_t i = 0; s->readonly_paths && s->readonly_paths[i]; i++)
                sysrq |= !strcmp(s->readonly_paths[i], "/proc/sysrq-trigger");
        CHECK(kcore);
        CHECK(sysrq);
        CHECK(s->root_mount == NULL);

        /* The default spec is a valid config.json. */
        char *json = NULL;
        CHECK_INT_EQ(spec_to_json(s, &json, &e), 0);
        if (json)
                round_trip(json, "default");
        free(json);
        spec_free(s);
}

TEST(spec_set_strv_and_add_mount)
{
        struct spec *s = calloc(1, sizeof(*s));
        char *const v[] = {"a", "b", NULL};
        CHECK_INT_EQ(spec_set_strv(&s->process.args, v), 0);
        CHECK(s->process.args != v);
        CHECK_INT_EQ(strv_len(s->process.args), 2);
        char *const none[] = {NULL};
        CHECK_INT_EQ(spec_set_strv(&s->process.args, none), 0);
        CHECK(s->process.args != NULL);
        CHECK_INT_EQ(strv_len(s->process.args), 0);
        CHECK_INT_EQ(spec_add_mount(s, "/a", NULL, NULL, NULL), 0);
        char *const o[] = {"ro", NULL};
        CHECK_INT_EQ(spec_add_mount(s, "/b", "tmpfs", "tmpfs", o), 0);
        CHECK_INT_EQ(s->n_mounts, 2);
        CHECK(s->mounts[0].type == NULL && s->mounts[0].source == NULL);
        CHECK(s->mounts[1].options && s->mounts[1].options != o);
        spec_free(s);
        spec_free(NULL);
}

/* ---- the OCI runtime spec's sample configs ---- */

static char *slurp(const char *name, size_t *len)
{
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", SAMPLES_DIR, name);
        FILE *f = fopen(path, "re");
        if (!f) {
                test_fail(__FILE__, __LINE__, "cannot open %s (run the tests from the repository root)",
                          path);
                return NULL;
        }
        char *buf = NULL;
        size_t cap = 0;
        FILE *m = open_memstream(&buf, &cap);
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
                fwrite(chunk, 1, n, m);
        fclose(f);
        fclose(m);
        *len = cap;
        return buf;
}

TEST(spec_oci_samples_with_process_parse)
{
        /* The samples that describe a startable container (they have a process). */
        static const char *const good[] = {"minimal-for-start", "runc-spec", "runc-spec-rootless"};
        for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
                size_t len = 0;
                char *text = slurp(good[i], &len);
                if (!text)
                        continue;
                struct spec *s = NULL;
                struct berr e = {0};
                if (spec_from_json(text, len, &s, &e) < 0)
                        test_fail(__FILE__, __LINE__, "OCI sample %s refused: %s", good[i], e.msg);
                else
                        round_trip(text, good[i]);
                spec_free(s);
                free(text);
        }
}

TEST(spec_oci_sample_spec_example_fields)
{
        size_t len = 0;
        char *text = slurp("spec-example", &len);
        if (!text)
                return;
        struct spec *s = NULL;
        struct berr e = {0};
        /* The sample says "ociVersion": "0.5.0-dev", which berth refuses (not 1.x). */
        CHECK(spec_from_json(text, len, &s, &e) < 0);
        CHECK(strstr(e.msg, "ociVersion") != NULL);
        spec_free(s);
        s = NULL;
        char *v = strstr(text, "\"0.5.0-dev\"");
        CHECK(v != NULL);
        if (v)
                memcpy(v + 1, "1", 1); /* "1.5.0-dev" */
        CHECK_INT_EQ(spec_from_json(text, len, &s, &e), 0);
        if (!s)
                test_fail(__FILE__, __LINE__, "spec-example (as 1.5.0-dev): %s", e.msg);
        else
                round_trip(text, "spec-example");
        if (s) {
                CHECK(s->process.terminal);
                CHECK_INT_EQ(s->process.user.uid, 1);
                CHECK_INT_EQ(s->process.user.gid, 1);
                CHECK_INT_EQ(s->process.user.n_additional_gids, 2);
                CHECK_STR_EQ(s->process.cwd, "/");
                CHECK_STR_EQ(s->hostname, "slartibartfast");
                CHECK(s->root_readonly);
                CHECK_INT_EQ(s->n_mounts, 7);
                CHECK(s->namespaces[NS_USER].enabled);
                CHECK(s->namespaces[NS_TIME].enabled);
                CHECK_INT_EQ(s->n_uid_mappings, 1);
                CHECK_INT_EQ(s->n_gid_mappings, 1);
                CHECK_STR_EQ(s->rootfs_propagation, "slave");
        }
        spec_free(s);
        free(text);
}

TEST(spec_oci_samples_without_process)
{
        /* minimal, linux-rdma and linux-netdevice are valid for `create` per the OCI schema (the
         * spec makes process optional until `start`), but berth requires process: it always
         * creates and starts the same process. This test records that behaviour; the report
         * notes it. */
        static const char *const samples[] = {"minimal", "linux-rdma", "linux-netdevice"};
        for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
                size_t len = 0;
                char *text = slurp(samples[i], &len);
                if (!text)
                        continue;
                struct spec *s = NULL;
                struct berr e = {0};
                int r = spec_from_json(text, len, &s, &e);
                if (r == 0)
                        test_fail(__FILE__, __LINE__, "%s: accepted without process", samples[i]);
                else if (!strstr(e.msg, "process"))
                        test_fail(__FILE__, __LINE__, "%s: message \"%s\" does not name process",
                                  samples[i], e.msg);
                spec_free(s);
                free(text);
        }
}

TEST(spec_oci_bad_samples_refused)
{
        /* invalid-json must be refused. The other bad samples are schema violations inside
         * linux.resources / linux.netDevices, which berth does not parse yet: they are
         * refused only because they lack process. */
        static const char *const bad[] = {"bad-invalid-json", "bad-linux-hugepage",
                                          "bad-linux-netdevice", "bad-linux-rdma"};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                size_t len = 0;
                char *text = slurp(bad[i], &len);
                if (!text)
                        continue;
                struct spec *s = NULL;
                struct berr e = {0};
                if (spec_from_json(text, len, &s, &e) == 0)
                        test_fail(__FILE__, __LINE__, "bad OCI sample %s accepted", bad[i]);
                spec_free(s);
                free(text);
        }
}
