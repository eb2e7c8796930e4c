/* Unit tests of src/core/exec_path.h: finding a command on PATH, with docker's error kinds. */
#include "test.h"

#include "core/exec_path.h"
#include "util/err.h"
#include "util/fs.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A temporary tree:
 *   bin/tool       executable
 *   bin/data       not executable
 *   bin/subdir/    a directory
 *   sbin/tool      executable (shadowed by bin/tool when bin comes first)
 *   sbin/data      executable (so bin/data, not executable, is skipped)
 *   noexec/only    not executable (found nowhere else) */
static char root[64];

static void touch(const char *rel, mode_t mode)
{
        char p[256];
        snprintf(p, sizeof(p), "%s/%s", root, rel);
        int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) {
                test_fail(__FILE__, __LINE__, "create %s: %m", p);
                return;
        }
        if (write(fd, "#!/bin/sh\n", 10) != 10)
                test_fail(__FILE__, __LINE__, "write %s", p);
        close(fd);
        chmod(p, mode);
}

static void mkd(const char *rel)
{
        char p[256];
        snprintf(p, sizeof(p), "%s/%s", root, rel);
        if (mkdir(p, 0755) < 0)
                test_fail(__FILE__, __LINE__, "mkdir %s: %m", p);
}

static bool setup(void)
{
        snprintf(root, sizeof(root), "/tmp/berth-exec-path-XXXXXX");
        if (!mkdtemp(root)) {
                test_fail(__FILE__, __LINE__, "mkdtemp: %m");
                return false;
        }
        mkd("bin");
        mkd("sbin");
        mkd("noexec");
        mkd("bin/subdir");
        touch("bin/tool", 0755);
        touch("bin/data", 0644);
        touch("sbin/tool", 0755);
        touch("sbin/data", 0755);
        touch("noexec/only", 0644);
        return true;
}

static void teardown(void)
{
        rm_rf(root, NULL);
}

/* PATH made of the tree's directories, e.g. dirs("bin:sbin"). */
static const char *dirs(const char *names)
{
        static char buf[1024];
        size_t n = 0;
        buf[0] = '\0';
        const char *p = names;
        for (;;) {
                size_t len = strcspn(p, ":");
                if (n)
                        buf[n++] = ':';
                if (len)
                        n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s/%.*s", root, (int)len,
                                              p);
                buf[n] = '\0';
                if (!p[len])
                        break;
                p += len + 1;
        }
        return buf;
}

static char out[4096];
static struct berr err;

static int look(const char *cmd, const char *path)
{
        memset(&err, 0, sizeof(err));
        out[0] = '\0';
        return exec_path_lookup(cmd, path, out, sizeof(out), &err);
}

static bool ends_with(const char *s, const char *suffix)
{
        size_t a = strlen(s), b = strlen(suffix);
        return a >= b && !strcmp(s + a - b, suffix);
}

TEST(exec_path_finds_executable_in_order)
{
        if (!setup())
                return;
        CHECK_INT_EQ(look("tool", dirs("bin:sbin")), 0);
        CHECK(ends_with(out, "/bin/tool") && !ends_with(out, "/sbin/tool"));
        CHECK(!strncmp(out, root, strlen(root)));
        CHECK_INT_EQ(look("tool", dirs("sbin:bin")), 0);
        CHECK(ends_with(out, "/sbin/tool"));
        /* A non-executable file earlier on PATH is skipped for an executable later. */
        CHECK_INT_EQ(look("data", dirs("bin:sbin")), 0);
        CHECK(ends_with(out, "/sbin/data"));
        /* A directory of that name is skipped too. */
        CHECK_INT_EQ(look("subdir", dirs("bin")), -EACCES);
        teardown();
}

TEST(exec_path_not_found)
{
        if (!setup())
                return;
        CHECK_INT_EQ(look("nothere", dirs("bin:sbin")), -ENOENT);
        CHECK_INT_EQ(err.kind, BERR_NOT_FOUND);
        CHECK_INT_EQ(err.code, -ENOENT);
        CHECK(strstr(err.msg, "\"nothere\"") != NULL);
        CHECK(strstr(err.msg, "executable file not found in $PATH") != NULL);
        /* Missing directories on PATH are fine. */
        char path[512];
        snprintf(path, sizeof(path), "%s/missing:%s", root, dirs("bin"));
        CHECK_INT_EQ(look("tool", path), 0);
        CHECK(ends_with(out, "/bin/tool"));
        /* An empty PATH finds nothing. */
        CHECK_INT_EQ(look("tool", ""), -ENOENT);
        CHECK_INT_EQ(err.kind, BERR_NOT_FOUND);
        /* An empty command. */
        CHECK_INT_EQ(look("", dirs("bin")), -ENOENT);
        CHECK_INT_EQ(err.kind, BERR_NOT_FOUND);
        /* A file on PATH used as a directory (ENOTDIR) is "not found". */
        char filedir[512];
        snprintf(filedir, sizeof(filedir), "%s/bin/tool", root);
        CHECK_INT_EQ(look("x", filedir), -ENOENT);
        teardown();
}

TEST(exec_path_found_but_not_executable)
{
        if (!setup())
                return;
        CHECK_INT_EQ(look("only", dirs("bin:noexec")), -EACCES);
        CHECK_INT_EQ(err.kind, BERR_CANNOT_INVOKE);
        CHECK_INT_EQ(err.code, -EACCES);
        CHECK(strstr(err.msg, "\"only\"") != NULL);
        CHECK(strstr(err.msg, "permission denied") != NULL);
        CHECK_INT_EQ(look("data", dirs("bin")), -EACCES);
        CHECK_INT_EQ(err.kind, BERR_CANNOT_INVOKE);
        CHECK_INT_EQ(look("subdir", dirs("bin")), -EACCES);
        CHECK_INT_EQ(err.kind, BERR_CANNOT_INVOKE);
        teardown();
}

TEST(exec_path_command_with_slash)
{
        if (!setup())
                return;
        char p[512];
        snprintf(p, sizeof(p), "%s/bin/tool", root);
        CHECK_INT_EQ(look(p, ""), 0); /* PATH is not used */
        CHECK_STR_EQ(out, p);
        snprintf(p, sizeof(p), "%s/bin/data", root);
        CHECK_INT_EQ(look(p, dirs("sbin")), -EACCES);
        CHECK_INT_EQ(err.kind, BERR_CANNOT_INVOKE);
        snprintf(p, sizeof(p), "%s/bin/subdir", root);
        CHECK_INT_EQ(look(p, NULL), -EACCES);
        CHECK_INT_EQ(err.kind, BERR_CANNOT_INVOKE);
        snprintf(p, sizeof(p), "%s/bin/nope", root);
        CHECK_INT_EQ(look(p, NULL), -ENOENT);
        CHECK_INT_EQ(err.kind, BERR_NOT_FOUND);
        CHECK(strstr(err.msg, "no such file or directory") != NULL);
        snprintf(p, sizeof(p), "%s/bin/tool/x", root); /* ENOTDIR */
        CHECK_INT_EQ(look(p, NULL), -ENOENT);
        CHECK_INT_EQ(err.kind, BERR_NOT_FOUND);

        /* A relative path with a slash is relative to the working directory. */
        char cwd[PATH_MAX];
        if (getcwd(cwd, sizeof(cwd)) && chdir(root) == 0) {
                CHECK_INT_EQ(look("./bin/tool", ""), 0);
                CHECK_STR_EQ(out, "./bin/tool");
                CHECK_INT_EQ(look("bin/tool", ""), 0);
                CHECK_INT_EQ(look("bin/data", ""), -EACCES);
                CHECK(chdir(cwd) == 0);
        }
        teardown();
}

TEST(exec_path_empty_entries_mean_cwd)
{
        if (!setup())
                return;
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof(cwd)) || chdir(root) < 0 || chdir("bin") < 0) {
                test_fail(__FILE__, __LINE__, "chdir: %m");
                teardown();
                return;
        }
        char path[1024];
        /* Leading, middle and trailing empty entries are the working directory (POSIX). */
        CHECK_INT_EQ(look("tool", ":/nonexistent"), 0);
        CHECK_STR_EQ(out, "./tool");
        CHECK_INT_EQ(look("tool", "/nonexistent::/also-not"), 0);
        CHECK_STR_EQ(out, "./tool");
        CHECK_INT_EQ(look("tool", "/nonexistent:"), 0);
        CHECK_STR_EQ(out, "./tool");
        /* The empty entry is searched in its place: sbin first here. */
        snprintf(path, sizeof(path), "%s/sbin::", root);
        CHECK_INT_EQ(look("tool", path), 0);
        CHECK(ends_with(out, "/sbin/tool"));
        CHECK(chdir(cwd) == 0);
        teardown();
}

TEST(exec_path_default_path)
{
        /* With no PATH, the default one is used: sh is in /bin or /usr/bin on every host. */
        CHECK_INT_EQ(look("sh", NULL), 0);
        CHECK(ends_with(out, "/sh"));
        CHECK_INT_EQ(look("berth-no-such-command-xyz", NULL), -ENOENT);
        CHECK_INT_EQ(err.kind, BERR_NOT_FOUND);
}

TEST(exec_path_small_output_buffer)
{
        if (!setup())
                return;
        char small[8];
        struct berr e = {0};
        /* Truncated output is NUL-terminated; the lookup itself succeeds. */
        CHECK_INT_EQ(exec_path_lookup("tool", dirs("bin"), small, sizeof(small), &e), 0);
        CHECK_INT_EQ(strlen(small), sizeof(small) - 1);
        /* A NULL berr is allowed. */
        CHECK_INT_EQ(exec_path_lookup("nothere", dirs("bin"), small, sizeof(small), NULL), -ENOENT);
        teardown();
}

TEST(exec_path_overlong_candidate_is_not_truncated_into_another)
{
        if (!setup())
                return;
        /* A PATH entry so long that "<dir>/tool" fills the 4095 characters of a candidate path:
         * looking up "toolEVIL" must not find "<dir>/tool" by cutting the candidate short. */
        char dir[4200];
        size_t n = (size_t)snprintf(dir, sizeof(dir), "%s/bin", root);
        while (n + 2 <= 4090) {
                memcpy(dir + n, "/.", 2);
                n += 2;
        }
        if (n < 4090)
                dir[n++] = '/'; /* "/bin/././/" is the same directory */
        dir[n] = '\0';
        CHECK_INT_EQ(strlen(dir), 4090);
        CHECK_INT_EQ(look("tool", dir), 0); /* the dir itself works */
        int r = look("toolEVIL", dir);
        if (r == 0)
                test_fail(__FILE__, __LINE__, "\"toolEVIL\" resolved to ...%s",
                          out + strlen(out) - 12);
        teardown();
}
