/* Unit tests of config.json "hooks" (spec_hooks.c) and of running one (core/hooks.c): parsing
 * and its errors, the round trip, the state JSON, stdin, exit status, timeout. */
#include "test.h"

#include "core/hooks.h"
#include "core/spec.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BASE "{\"ociVersion\":\"1.0.2\",\"process\":{\"cwd\":\"/\",\"args\":[\"sh\"],\"user\":{\"uid\":0,\"gid\":0}},\"root\":{\"path\":\"rootfs\"}"

static struct spec *parse(const char *hooks, struct berr *e)
{
        char text[4096];
        snprintf(text, sizeof(text), BASE ",\"hooks\":%s}", hooks);
        struct spec *s = NULL;
        memset(e, 0, sizeof(*e));
        return spec_from_json(text, strlen(text), &s, e) == 0 ? s : NULL;
}

TEST(hooks_parse_all_kinds)
{
        struct berr e;
        struct spec *s = parse("{\"prestart\":[{\"path\":\"/a\"}],\"createRuntime\":[{\"path\":\"/b\","
                               "\"args\":[\"b\",\"x\"],\"env\":[\"K=V\"],\"timeout\":5}],"
                               "\"createContainer\":[],\"startContainer\":[{\"path\":\"/c\"},{\"path\":\"/d\"}],"
                               "\"poststart\":[{\"path\":\"/e\"}],\"poststop\":[{\"path\":\"/f\"}]}",
                               &e);
        if (!CHECK(s != NULL))
                return;
        CHECK_INT_EQ(s->n_hooks[SPEC_HOOK_PRESTART], 1);
        CHECK_INT_EQ(s->n_hooks[SPEC_HOOK_CREATE_CONTAINER], 0);
        CHECK_INT_EQ(s->n_hooks[SPEC_HOOK_START_CONTAINER], 2);
        CHECK_STR_EQ(s->hooks[SPEC_HOOK_CREATE_RUNTIME][0].path, "/b");
        CHECK_STR_EQ(s->hooks[SPEC_HOOK_CREATE_RUNTIME][0].args[1], "x");
        CHECK_STR_EQ(s->hooks[SPEC_HOOK_CREATE_RUNTIME][0].env[0], "K=V");
        CHECK_INT_EQ(s->hooks[SPEC_HOOK_CREATE_RUNTIME][0].timeout, 5);
        CHECK_STR_EQ(s->hooks[SPEC_HOOK_POSTSTOP][0].path, "/f");
        /* round trip */
        char *text = NULL;
        CHECK_INT_EQ(spec_to_json(s, &text, &e), 0);
        struct spec *t = NULL;
        if (CHECK(text && spec_from_json(text, strlen(text), &t, &e) == 0)) {
                CHECK_INT_EQ(t->n_hooks[SPEC_HOOK_START_CONTAINER], 2);
                CHECK_INT_EQ(t->hooks[SPEC_HOOK_CREATE_RUNTIME][0].timeout, 5);
                CHECK_STR_EQ(t->hooks[SPEC_HOOK_CREATE_RUNTIME][0].args[0], "b");
        }
        free(text);
        spec_free(t);
        spec_free(s);
}

TEST(hooks_parse_errors_name_the_field)
{
        static const struct {
                const char *hooks, *msg;
        } cases[] = {
                {"[]", "hooks: must be an object"},
                {"{\"poststop\":{}}", "hooks.poststop: must be an array"},
                {"{\"poststop\":[{}]}", "hooks.poststop[0].path: required"},
                {"{\"poststop\":[{\"path\":\"rel\"}]}", "hooks.poststop[0].path: must be an absolute"},
                {"{\"prestart\":[{\"path\":\"/a\"},{\"path\":\"/b\",\"args\":[1]}]}",
                 "hooks.prestart[1].args[0]: must be a string"},
                {"{\"prestart\":[{\"path\":\"/a\",\"timeout\":0}]}", "hooks.prestart[0].timeout"},
                {"{\"prestart\":[{\"path\":\"/a\",\"env\":\"x\"}]}", "hooks.prestart[0].env"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct berr e;
                struct spec *s = parse(cases[i].hooks, &e);
                if (!CHECK(s == NULL)) {
                        spec_free(s);
                        continue;
                }
                if (!CHECK(strstr(e.msg, cases[i].msg) != NULL))
                        fprintf(stderr, "  %s -> %s\n", cases[i].hooks, e.msg);
        }
}

TEST(hooks_state_json_shape)
{
        char *j = hooks_state_json("abc", "creating", 42, "/b", "{\"k\":\"v\"}");
        CHECK_STR_EQ(j, "{\"ociVersion\":\"1.2.0\",\"id\":\"abc\",\"status\":\"creating\",\"pid\":42,"
                        "\"bundle\":\"/b\",\"annotations\":{\"k\":\"v\"}}");
        free(j);
        j = hooks_state_json("abc", "stopped", 0, "/b", NULL);
        CHECK_STR_EQ(j, "{\"ociVersion\":\"1.2.0\",\"id\":\"abc\",\"status\":\"stopped\","
                        "\"bundle\":\"/b\",\"annotations\":{}}");
        free(j);
}

TEST(hook_run_stdin_status_timeout)
{
        char dir[] = "/tmp/berth-hook-XXXXXX", out[64], cmd[256];
        if (!CHECK(mkdtemp(dir) != NULL))
                return;
        snprintf(out, sizeof(out), "%s/in", dir);
        snprintf(cmd, sizeof(cmd), "cat > %s; echo some output; exit ${RC:-0}", out);
        char *args[] = {"sh", "-c", cmd, NULL}, *env[] = {"RC=0", NULL};
        struct spec_hook h = {.path = "/bin/sh", .args = args, .env = env};
        struct berr e = {0};
        CHECK_INT_EQ(hook_run(&h, SPEC_HOOK_POSTSTOP, "{\"x\":1}", &e), 0);
        FILE *f = fopen(out, "r");
        char buf[64] = "";
        if (CHECK(f != NULL)) {
                CHECK(fgets(buf, sizeof(buf), f) != NULL);
                fclose(f);
        }
        CHECK_STR_EQ(buf, "{\"x\":1}");
        env[0] = "RC=4";
        CHECK(hook_run(&h, SPEC_HOOK_CREATE_RUNTIME, "{}", &e) < 0);
        CHECK(strstr(e.msg, "createRuntime hook /bin/sh failed with exit status 4: some output") != NULL);
        /* timeout: killed after 1 s, not 30 */
        char *sleep_args[] = {"sleep", "30", NULL};
        struct spec_hook s = {.path = "/bin/sleep", .args = sleep_args, .timeout = 1};
        time_t t0 = time(NULL);
        CHECK(hook_run(&s, SPEC_HOOK_PRESTART, "{}", &e) < 0);
        CHECK(time(NULL) - t0 < 5);
        CHECK(strstr(e.msg, "prestart hook /bin/sleep timed out after 1 s") != NULL);
        /* a missing program */
        struct spec_hook m = {.path = "/nonexistent/hook"};
        CHECK(hook_run(&m, SPEC_HOOK_POSTSTART, "{}", &e) < 0);
        CHECK(strstr(e.msg, "exit status 127") != NULL);
        unlink(out);
        rmdir(dir);
}
