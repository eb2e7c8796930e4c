/* Unit tests of src/engine/runspec.h: docker's precedence for the process args and env. */
#include "test.h"

#include "engine/container/runspec.h"
#include "util/err.h"
#include "util/strv.h"

#include <stdlib.h>
#include <string.h>

static struct berr err;

/* The args as one string, words joined by '|', or "ERR". */
static const char *args(char *const *ie, char *const *ic, char *const *oe, char *const *oc)
{
        static char buf[512];
        char **out = (char **)0x1;
        memset(&err, 0, sizeof(err));
        if (runspec_args(ie, ic, oe, oc, &out, &err) < 0) {
                if (out != (char **)0x1)
                        test_fail(__FILE__, __LINE__, "runspec_args set *out on error");
                return "ERR";
        }
        buf[0] = '\0';
        for (size_t i = 0; out[i]; i++) {
                if (i)
                        strcat(buf, "|");
                strcat(buf, out[i]);
        }
        strv_free(out);
        return buf;
}

#define V(...) ((char *const[]){__VA_ARGS__, NULL})
#define EMPTY ((char *const[]){NULL})

TEST(runspec_args_image_defaults)
{
        CHECK_STR_EQ(args(NULL, V("sh"), NULL, NULL), "sh");
        CHECK_STR_EQ(args(V("/entry"), V("a", "b"), NULL, NULL), "/entry|a|b");
        CHECK_STR_EQ(args(V("/entry", "-x"), NULL, NULL, NULL), "/entry|-x");
}

TEST(runspec_args_command_replaces_cmd)
{
        CHECK_STR_EQ(args(NULL, V("sh"), NULL, V("ls", "-l")), "ls|-l");
        /* COMMAND replaces Cmd but keeps the image's Entrypoint. */
        CHECK_STR_EQ(args(V("/entry"), V("a"), NULL, V("b", "c")), "/entry|b|c");
}

TEST(runspec_args_entrypoint_resets_cmd)
{
        /* --entrypoint resets the image's Cmd (docker). */
        CHECK_STR_EQ(args(V("/entry"), V("a"), V("/mine"), NULL), "/mine");
        CHECK_STR_EQ(args(NULL, V("sh"), V("/mine"), NULL), "/mine");
        /* ... but not the COMMAND given on the command line. */
        CHECK_STR_EQ(args(V("/entry"), V("a"), V("/mine"), V("x")), "/mine|x");
        /* --entrypoint "" clears the entrypoint: COMMAND alone runs. */
        CHECK_STR_EQ(args(V("/entry"), V("a"), EMPTY, V("x")), "x");
}

TEST(runspec_args_empty_is_an_error)
{
        CHECK_STR_EQ(args(NULL, NULL, NULL, NULL), "ERR");
        CHECK_INT_EQ(err.code, -EINVAL);
        CHECK(strstr(err.msg, "no command") != NULL);
        CHECK_STR_EQ(args(EMPTY, EMPTY, NULL, NULL), "ERR");
        CHECK_STR_EQ(args(NULL, NULL, NULL, EMPTY), "ERR");
        /* --entrypoint "" with no COMMAND: the image's Cmd was reset too. */
        CHECK_STR_EQ(args(V("/entry"), V("a"), EMPTY, NULL), "ERR");
        CHECK_INT_EQ(err.code, -EINVAL);
        /* An explicitly empty COMMAND list keeps the image's entrypoint. */
        CHECK_STR_EQ(args(V("/entry"), V("a"), NULL, EMPTY), "/entry");
}

TEST(runspec_args_copies)
{
        char word[] = "sh";
        char *const cmd[] = {word, NULL};
        char **out = NULL;
        struct berr e = {0};
        CHECK_INT_EQ(runspec_args(NULL, cmd, NULL, NULL, &out, &e), 0);
        if (out) {
                CHECK(out[0] != word);
                word[0] = 'X';
                CHECK_STR_EQ(out[0], "sh");
        }
        strv_free(out);
}

/* ---- env ---- */

static char **env;

static int mkenv(char *const *img, char *const *opt, const char *host, int tty)
{
        strv_free(env);
        env = NULL;
        memset(&err, 0, sizeof(err));
        return runspec_env(img, opt, host, tty, &env, &err);
}

static long count_key(const char *key)
{
        long n = 0;
        size_t kl = strlen(key);
        for (size_t i = 0; env && env[i]; i++)
                if (!strncmp(env[i], key, kl) && env[i][kl] == '=')
                        n++;
        return n;
}

TEST(runspec_env_image_env_then_hostname)
{
        CHECK_INT_EQ(mkenv(V("PATH=/bin", "A=1"), NULL, "abc123", 0), 0);
        CHECK_STR_EQ(env_get(env, "PATH"), "/bin");
        CHECK_STR_EQ(env_get(env, "A"), "1");
        CHECK_STR_EQ(env_get(env, "HOSTNAME"), "abc123");
        CHECK(env_get(env, "TERM") == NULL); /* no terminal, no TERM */
        CHECK_INT_EQ(strv_len(env), 3);
        /* Image order is kept. */
        CHECK_STR_EQ(env[0], "PATH=/bin");
        CHECK_STR_EQ(env[1], "A=1");
}

TEST(runspec_env_default_path)
{
        CHECK_INT_EQ(mkenv(NULL, NULL, "h", 0), 0);
        CHECK(env_get(env, "PATH") != NULL);
        CHECK(env_get(env, "PATH") && strstr(env_get(env, "PATH"), "/bin"));
        CHECK_STR_EQ(env_get(env, "HOSTNAME"), "h");
        CHECK_INT_EQ(mkenv(EMPTY, EMPTY, "h", 0), 0);
        CHECK(env_get(env, "PATH") != NULL);
}

TEST(runspec_env_options_override)
{
        CHECK_INT_EQ(mkenv(V("A=1", "B=2"), V("B=3", "C=4", "C=5"), "h", 0), 0);
        CHECK_STR_EQ(env_get(env, "A"), "1");
        CHECK_STR_EQ(env_get(env, "B"), "3");
        CHECK_STR_EQ(env_get(env, "C"), "5"); /* later -e wins */
        CHECK_INT_EQ(count_key("B"), 1);
        CHECK_INT_EQ(count_key("C"), 1);
        /* An empty value is a value. */
        CHECK_INT_EQ(mkenv(V("A=1"), V("A="), "h", 0), 0);
        CHECK_STR_EQ(env_get(env, "A"), "");
        /* Image env duplicates: the later one wins, once. */
        CHECK_INT_EQ(mkenv(V("A=1", "A=2"), NULL, "h", 0), 0);
        CHECK_STR_EQ(env_get(env, "A"), "2");
        CHECK_INT_EQ(count_key("A"), 1);
}

TEST(runspec_env_term_with_tty_only_when_unset)
{
        CHECK_INT_EQ(mkenv(V("A=1"), NULL, "h", 1), 0);
        CHECK_STR_EQ(env_get(env, "TERM"), "xterm");
        CHECK_INT_EQ(mkenv(V("TERM=vt100"), NULL, "h", 1), 0);
        CHECK_STR_EQ(env_get(env, "TERM"), "vt100");
        CHECK_INT_EQ(count_key("TERM"), 1);
        CHECK_INT_EQ(mkenv(NULL, V("TERM=screen"), "h", 1), 0);
        CHECK_STR_EQ(env_get(env, "TERM"), "screen");
        CHECK_INT_EQ(count_key("TERM"), 1);
        CHECK_INT_EQ(mkenv(V("TERM=vt100"), NULL, "h", 0), 0);
        CHECK_STR_EQ(env_get(env, "TERM"), "vt100"); /* the image's is kept without a tty */
}

TEST(runspec_env_hostname)
{
        /* HOSTNAME is set from the container's hostname over the image's value ... */
        CHECK_INT_EQ(mkenv(V("HOSTNAME=fromimage"), NULL, "real", 0), 0);
        CHECK_STR_EQ(env_get(env, "HOSTNAME"), "real");
        CHECK_INT_EQ(count_key("HOSTNAME"), 1);
        /* ... and -e HOSTNAME=x wins over it, as with docker (`docker run -e HOSTNAME=x`). */
        CHECK_INT_EQ(mkenv(NULL, V("HOSTNAME=mine"), "real", 0), 0);
        CHECK_STR_EQ(env_get(env, "HOSTNAME"), "mine");
        CHECK_INT_EQ(count_key("HOSTNAME"), 1);
}

TEST(runspec_env_free_last)
{
        strv_free(env);
        env = NULL;
}
