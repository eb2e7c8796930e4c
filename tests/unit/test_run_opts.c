/* Unit tests of src/cli/run_opts.h: `berth run` flags and --env-file text. */
#include "test.h"

#include "cli/run_opts.h"
#include "engine/container/run.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct run_options o;
static struct berr err;
static char *const host_env[] = {"HOME=/root", "FROMHOST=hv", "EMPTY=", NULL};

/* Parses a "run ..." argv given as arguments; frees the previous result first. */
#define RUN(...)                                                                                   \
        ({                                                                                         \
                char *_a[] = {"run", __VA_ARGS__, NULL};                                           \
                parse_argv((int)(sizeof(_a) / sizeof(_a[0])) - 1, _a);                             \
        })

static int parse_argv(int argc, char **argv)
{
        run_options_free(&o);
        memset(&err, 0, sizeof(err));
        int r = run_opts_parse(argc, argv, host_env, &o, &err);
        if (r < 0 && r != err.code)
                test_fail(__FILE__, __LINE__, "return %d != err.code %d", r, err.code);
        return r;
}

static bool refused(int r, const char *want)
{
        if (r >= 0) {
                test_fail(__FILE__, __LINE__, "accepted, wanted an error naming \"%s\"", want);
                return false;
        }
        if (!strstr(err.msg, want)) {
                test_fail(__FILE__, __LINE__, "message \"%s\" does not contain \"%s\"", err.msg,
                          want);
                return false;
        }
        return true;
}

TEST(run_opts_image_only)
{
        CHECK_INT_EQ(RUN("busybox"), 0);
        CHECK_STR_EQ(o.image, "busybox");
        CHECK(!o.rm && !o.interactive && !o.tty);
        CHECK(o.name == NULL && o.hostname == NULL && o.workdir == NULL && o.user == NULL);
        CHECK(o.cmd == NULL);
        CHECK(o.entrypoint == NULL);
        CHECK(o.env != NULL);
        CHECK_INT_EQ(strv_len(o.env), 0);
}

TEST(run_opts_combined_short_flags)
{
        CHECK_INT_EQ(RUN("-it", "busybox", "sh"), 0);
        CHECK(o.interactive && o.tty);
        CHECK_STR_EQ(o.image, "busybox");
        CHECK_INT_EQ(strv_len(o.cmd), 1);
        CHECK_STR_EQ(o.cmd[0], "sh");
        CHECK_INT_EQ(RUN("-ti", "busybox"), 0);
        CHECK(o.interactive && o.tty);
        CHECK_INT_EQ(RUN("-i", "-t", "--rm", "busybox"), 0);
        CHECK(o.interactive && o.tty && o.rm);
        CHECK_INT_EQ(RUN("--interactive", "--tty", "busybox"), 0);
        CHECK(o.interactive && o.tty);
        /* A value glued to a combined flag: -ite A=1. */
        CHECK_INT_EQ(RUN("-ite", "A=1", "busybox"), 0);
        CHECK(o.interactive && o.tty);
        CHECK_STR_EQ(env_get(o.env, "A"), "1");
        CHECK_INT_EQ(RUN("-eA=2", "busybox"), 0);
        CHECK_STR_EQ(env_get(o.env, "A"), "2");
}

TEST(run_opts_rm_and_name)
{
        CHECK_INT_EQ(RUN("--rm", "--name=web", "busybox"), 0);
        CHECK(o.rm);
        CHECK_STR_EQ(o.name, "web");
        CHECK_INT_EQ(RUN("--name", "db_1", "busybox"), 0);
        CHECK_STR_EQ(o.name, "db_1");
        CHECK(refused(RUN("--name", "-bad", "busybox"), "--name"));
        CHECK(refused(RUN("--name=", "busybox"), "--name"));
        CHECK(refused(RUN("--name=a/b", "busybox"), "a/b"));
        CHECK(refused(RUN("--name"), "--name"));
}

TEST(run_opts_env)
{
        CHECK_INT_EQ(RUN("-e", "K=V", "-e", "X=a=b", "--env", "E=", "--env=L=long", "busybox"), 0);
        CHECK_STR_EQ(env_get(o.env, "K"), "V");
        CHECK_STR_EQ(env_get(o.env, "X"), "a=b");
        CHECK_STR_EQ(env_get(o.env, "E"), "");
        CHECK_STR_EQ(env_get(o.env, "L"), "long");
        CHECK_INT_EQ(strv_len(o.env), 4);
        /* Later wins, in place. */
        CHECK_INT_EQ(RUN("-e", "K=1", "-e", "K=2", "busybox"), 0);
        CHECK_INT_EQ(strv_len(o.env), 1);
        CHECK_STR_EQ(env_get(o.env, "K"), "2");
}

TEST(run_opts_env_from_host)
{
        CHECK_INT_EQ(RUN("-e", "FROMHOST", "-e", "EMPTY", "-e", "UNSET_ON_HOST", "busybox"), 0);
        CHECK_STR_EQ(env_get(o.env, "FROMHOST"), "hv");
        CHECK_STR_EQ(env_get(o.env, "EMPTY"), "");
        CHECK(env_get(o.env, "UNSET_ON_HOST") == NULL); /* skipped, as docker does */
        CHECK_INT_EQ(strv_len(o.env), 2);

        /* With no host env at all. */
        char *argv[] = {"run", "-e", "HOME", "busybox", NULL};
        run_options_free(&o);
        CHECK_INT_EQ(run_opts_parse(4, argv, NULL, &o, &err), 0);
        CHECK_INT_EQ(strv_len(o.env), 0);
}

TEST(run_opts_env_errors)
{
        CHECK(refused(RUN("-e", "=x", "busybox"), "-e"));
        CHECK(strstr(err.msg, "\"=x\"") != NULL);
        CHECK_INT_EQ(err.code, -EINVAL);
        CHECK(refused(RUN("-e", "", "busybox"), "-e"));
        CHECK(refused(RUN("-e", "A B=1", "busybox"), "-e"));
        CHECK(refused(RUN("-e", "busybox"), "IMAGE")); /* -e took busybox as its value */
        CHECK(refused(RUN("-e"), "-e"));
        CHECK(strstr(err.msg, "needs a value") != NULL);
}

TEST(run_opts_hostname)
{
        CHECK_INT_EQ(RUN("-h", "box", "busybox"), 0);
        CHECK_STR_EQ(o.hostname, "box");
        CHECK_INT_EQ(RUN("--hostname=a.b-c", "busybox"), 0);
        CHECK_STR_EQ(o.hostname, "a.b-c");
        CHECK(refused(RUN("-h", "bad_host", "busybox"), "hostname"));
        CHECK(strstr(err.msg, "bad_host") != NULL);
        CHECK(refused(RUN("-h", "-x", "busybox"), "hostname"));
        CHECK(refused(RUN("--hostname=", "busybox"), "hostname"));
}

TEST(run_opts_workdir_and_user)
{
        CHECK_INT_EQ(RUN("-w", "/srv", "-u", "1000:1000", "busybox"), 0);
        CHECK_STR_EQ(o.workdir, "/srv");
        CHECK_STR_EQ(o.user, "1000:1000");
        CHECK_INT_EQ(RUN("--workdir=/", "--user=nobody", "busybox"), 0);
        CHECK_STR_EQ(o.workdir, "/");
        CHECK_STR_EQ(o.user, "nobody");
        CHECK(refused(RUN("-w", "srv", "busybox"), "workdir"));
        CHECK(strstr(err.msg, "\"srv\"") != NULL);
        CHECK(refused(RUN("-w", "", "busybox"), "workdir"));
        CHECK(refused(RUN("-u", "", "busybox"), "--user"));
        CHECK(refused(RUN("-u", ":5", "busybox"), "--user"));
}

TEST(run_opts_entrypoint)
{
        CHECK_INT_EQ(RUN("--entrypoint", "/bin/echo", "busybox", "hi"), 0);
        CHECK_INT_EQ(strv_len(o.entrypoint), 1);
        CHECK_STR_EQ(o.entrypoint[0], "/bin/echo");
        CHECK_INT_EQ(strv_len(o.cmd), 1);
        /* An empty --entrypoint clears it: an empty list, not NULL. */
        CHECK_INT_EQ(RUN("--entrypoint=", "busybox"), 0);
        CHECK(o.entrypoint != NULL);
        CHECK_INT_EQ(strv_len(o.entrypoint), 0);
        /* Given twice: the last wins (no leak of the first: checked under ASan). */
        CHECK_INT_EQ(RUN("--entrypoint=a", "--entrypoint=b", "busybox"), 0);
        CHECK_INT_EQ(strv_len(o.entrypoint), 1);
        CHECK_STR_EQ(o.entrypoint[0], "b");
        /* One word: not split on spaces (docker). */
        CHECK_INT_EQ(RUN("--entrypoint", "sh -c", "busybox"), 0);
        CHECK_INT_EQ(strv_len(o.entrypoint), 1);
}

TEST(run_opts_unknown_flags)
{
        CHECK(refused(RUN("--bogus", "busybox"), "unknown flag"));
        CHECK(strstr(err.msg, "--bogus") != NULL);
        CHECK(refused(RUN("-x", "busybox"), "unknown flag"));
        CHECK(strstr(err.msg, "-x") != NULL);
        CHECK(refused(RUN("-iZ", "busybox"), "-Z"));
        CHECK(refused(RUN("--bogus=1", "busybox"), "--bogus"));
        CHECK_INT_EQ(err.code, -EINVAL);
}

TEST(run_opts_value_given_to_a_switch)
{
        /* --rm takes no value: the message must name the flag, readably. */
        CHECK(refused(RUN("--rm=yes", "busybox"), "--rm"));
        CHECK(refused(RUN("--tty=1", "busybox"), "--tty"));
}

TEST(run_opts_missing_image)
{
        char *argv[] = {"run", NULL};
        run_options_free(&o);
        memset(&err, 0, sizeof(err));
        CHECK(run_opts_parse(1, argv, host_env, &o, &err) < 0);
        CHECK(strstr(err.msg, "IMAGE") != NULL);
        CHECK(refused(RUN("--rm"), "IMAGE"));
        CHECK(refused(RUN("-it"), "IMAGE"));
}

TEST(run_opts_args_after_image_are_kept)
{
        CHECK_INT_EQ(RUN("busybox", "ls", "-l"), 0);
        CHECK_STR_EQ(o.image, "busybox");
        CHECK_INT_EQ(strv_len(o.cmd), 2);
        CHECK_STR_EQ(o.cmd[0], "ls");
        CHECK_STR_EQ(o.cmd[1], "-l");
        CHECK_INT_EQ(RUN("--rm", "busybox", "--rm", "-it", "--name=x", "-e", "A=1"), 0);
        CHECK(o.rm && !o.interactive && !o.tty);
        CHECK(o.name == NULL);
        CHECK_INT_EQ(strv_len(o.env), 0);
        CHECK_INT_EQ(strv_len(o.cmd), 5);
        CHECK_STR_EQ(o.cmd[1], "-it");
        /* "--" ends the flags. */
        CHECK_INT_EQ(RUN("--", "busybox", "-x"), 0);
        CHECK_STR_EQ(o.image, "busybox");
        CHECK_STR_EQ(o.cmd[0], "-x");
        /* An empty argument after the image is kept. */
        CHECK_INT_EQ(RUN("busybox", "echo", ""), 0);
        CHECK_INT_EQ(strv_len(o.cmd), 2);
        CHECK_STR_EQ(o.cmd[1], "");
}

TEST(run_opts_parse_twice)
{
        /* getopt's state is reset between calls. */
        CHECK(refused(RUN("-itx"), "-x"));
        CHECK_INT_EQ(RUN("-t", "busybox"), 0);
        CHECK(o.tty && !o.interactive);
        CHECK_INT_EQ(RUN("-i", "alpine"), 0);
        CHECK(o.interactive && !o.tty);
        CHECK_STR_EQ(o.image, "alpine");
}

TEST(run_opts_env_file_flag)
{
        char dir[] = "/tmp/berth-run-opts-XXXXXX";
        if (!mkdtemp(dir)) {
                test_fail(__FILE__, __LINE__, "mkdtemp: %m");
                return;
        }
        char path[128], arg[160];
        snprintf(path, sizeof(path), "%s/env", dir);
        const char *text = "# c\nA=1\nFROMHOST\nB=2\n";
        struct berr e = {0};
        CHECK_INT_EQ(write_file(path, text, strlen(text), 0600, &e), 0);
        snprintf(arg, sizeof(arg), "--env-file=%s", path);
        CHECK_INT_EQ(RUN("-e", "A=0", arg, "-e", "B=3", "busybox"), 0);
        CHECK_STR_EQ(env_get(o.env, "A"), "1"); /* in order: the file after -e A=0 */
        CHECK_STR_EQ(env_get(o.env, "B"), "3");
        CHECK_STR_EQ(env_get(o.env, "FROMHOST"), "hv");
        snprintf(arg, sizeof(arg), "--env-file=%s/missing", dir);
        CHECK(refused(RUN(arg, "busybox"), "--env-file"));
        CHECK(strstr(err.msg, "missing") != NULL);
        rm_rf(dir, NULL);
        run_options_free(&o);
}

/* ---- env_file_parse ---- */

static char **fenv;

static int fparse(const char *text)
{
        strv_free(fenv);
        fenv = calloc(1, sizeof(char *));
        memset(&err, 0, sizeof(err));
        return env_file_parse(text, "f.env", host_env, &fenv, &err);
}

TEST(env_file_basic)
{
        CHECK_INT_EQ(fparse("A=1\nB=two words\n"), 0);
        CHECK_INT_EQ(strv_len(fenv), 2);
        CHECK_STR_EQ(env_get(fenv, "A"), "1");
        CHECK_STR_EQ(env_get(fenv, "B"), "two words");
        CHECK_INT_EQ(fparse(""), 0);
        CHECK_INT_EQ(strv_len(fenv), 0);
        CHECK_INT_EQ(fparse("A=1"), 0); /* no final newline */
        CHECK_STR_EQ(env_get(fenv, "A"), "1");
}

TEST(env_file_comments_and_blank_lines)
{
        CHECK_INT_EQ(fparse("# comment\n\n   \n\t\nA=1\n  # indented comment\nB=#not a comment\n"), 0);
        CHECK_INT_EQ(strv_len(fenv), 2);
        CHECK_STR_EQ(env_get(fenv, "A"), "1");
        CHECK_STR_EQ(env_get(fenv, "B"), "#not a comment");
}

TEST(env_file_bare_names)
{
        CHECK_INT_EQ(fparse("FROMHOST\nNOTSET\nEMPTY\n"), 0);
        CHECK_STR_EQ(env_get(fenv, "FROMHOST"), "hv");
        CHECK(env_get(fenv, "NOTSET") == NULL);
        CHECK_STR_EQ(env_get(fenv, "EMPTY"), "");
        CHECK_INT_EQ(strv_len(fenv), 2);
}

TEST(env_file_crlf)
{
        CHECK_INT_EQ(fparse("A=1\r\nB=2\r\nFROMHOST\r\n\r\n# c\r\n"), 0);
        CHECK_STR_EQ(env_get(fenv, "A"), "1");
        CHECK_STR_EQ(env_get(fenv, "B"), "2");
        CHECK_STR_EQ(env_get(fenv, "FROMHOST"), "hv"); /* not "FROMHOST\r" */
        CHECK_INT_EQ(strv_len(fenv), 3);
        for (size_t i = 0; fenv && fenv[i]; i++)
                CHECK(strchr(fenv[i], '\r') == NULL);
}

TEST(env_file_leading_whitespace_and_values)
{
        CHECK_INT_EQ(fparse("   A=1\n\tB= spaced \n"), 0);
        CHECK_STR_EQ(env_get(fenv, "A"), "1");
        CHECK_STR_EQ(env_get(fenv, "B"), " spaced "); /* values are kept verbatim */
        CHECK_INT_EQ(fparse("Q=\"quoted\"\n"), 0);
        CHECK_STR_EQ(env_get(fenv, "Q"), "\"quoted\""); /* docker does not unquote */
}

TEST(env_file_errors_name_file_and_line)
{
        CHECK(fparse("A=1\n=x\n") < 0);
        CHECK(strstr(err.msg, "f.env") != NULL);
        CHECK(strstr(err.msg, "line 2") != NULL);
        CHECK(fparse("A B=1\n") < 0);
        CHECK(strstr(err.msg, "line 1") != NULL);
        CHECK(strstr(err.msg, "whitespace") != NULL);

        /* A line too long for the parser is an error, not a crash. */
        size_t n = 20000;
        char *big = malloc(n + 1);
        memset(big, 'a', n);
        big[0] = 'K';
        big[1] = '=';
        big[n] = '\0';
        CHECK(fparse(big) < 0);
        CHECK(strstr(err.msg, "too long") != NULL);
        free(big);
        strv_free(fenv);
        fenv = NULL;
}
