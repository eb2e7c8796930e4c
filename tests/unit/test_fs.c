/* Unit tests of src/util/fs.c: path_join, mkdir_p, write_file(_atomic), read_file, rm_rf.
 * Everything on disk happens under a fresh mkdtemp directory that each test removes. */
#include "test.h"

#include "util/err.h"
#include "util/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- helpers, independent of the code under test */

static char *tmpdir_new(void)
{
        char tmpl[] = "/tmp/berth-unit.XXXXXX";
        char *d = mkdtemp(tmpl);
        if (!d) {
                test_fail(__FILE__, __LINE__, "mkdtemp: %s", strerror(errno));
                return NULL;
        }
        return strdup(d);
}

/* Removes a temporary tree with the system's rm, so a broken rm_rf cannot hide itself. */
static void tmpdir_free(char *d)
{
        if (!d)
                return;
        char cmd[PATH_MAX + 32];
        snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", d);
        if (system(cmd) != 0)
                test_fail(__FILE__, __LINE__, "could not remove %s", d);
        free(d);
}

/* "a/b" in one of 8 rotating static buffers: valid until 8 more calls. */
static char *pj(const char *a, const char *b)
{
        static char buf[8][PATH_MAX];
        static int i;
        char tmp[2 * PATH_MAX + 2];
        i = (i + 1) % 8;
        snprintf(tmp, sizeof(tmp), "%s/%s", a, b);
        snprintf(buf[i], sizeof(buf[i]), "%.*s", PATH_MAX - 1, tmp);
        return buf[i];
}

static bool exists(const char *p)
{
        struct stat st;
        return lstat(p, &st) == 0;
}

static bool is_dir(const char *p)
{
        struct stat st;
        return lstat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void put(const char *path, const char *text)
{
        FILE *f = fopen(path, "w");
        if (!f) {
                test_fail(__FILE__, __LINE__, "fopen %s: %s", path, strerror(errno));
                return;
        }
        fputs(text, f);
        fclose(f);
}

static int count_entries(const char *dir)
{
        DIR *d = opendir(dir);
        if (!d)
                return -1;
        int n = 0;
        struct dirent *de;
        while ((de = readdir(d)))
                if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
                        n++;
        closedir(d);
        return n;
}

/* ---- path_join */

static void check_join(const char *file, int line, const char *a, const char *b, const char *want)
{
        char expr[PATH_MAX];
        snprintf(expr, sizeof(expr), "path_join(\"%s\", \"%s\")", a, b);
        char *got = path_join(a, b);
        test_check_str(file, line, expr, "want", got, want);
        free(got);
}
#define CHECK_JOIN(a, b, want) check_join(__FILE__, __LINE__, a, b, want)

TEST(path_join_plain)
{
        CHECK_JOIN("a", "b", "a/b");
        CHECK_JOIN("/var/lib", "berth", "/var/lib/berth");
        CHECK_JOIN("/x", "y/z", "/x/y/z");
}

TEST(path_join_collapses_slashes_at_the_seam)
{
        CHECK_JOIN("a/", "b", "a/b");
        CHECK_JOIN("a", "/b", "a/b");
        CHECK_JOIN("a//", "//b", "a/b");
        CHECK_JOIN("/rootfs/", "/etc/hosts", "/rootfs/etc/hosts");
}

TEST(path_join_keeps_other_slashes)
{
        /* only the seam is normalised: a trailing slash of b stays, inner ones too */
        CHECK_JOIN("/a", "b/", "/a/b/");
        CHECK_JOIN("/a", "b/c", "/a/b/c");
}

TEST(path_join_root_as_first_part)
{
        /* "/" + "etc" must be "/etc", not "//etc" */
        CHECK_JOIN("/", "etc", "/etc");
        CHECK_JOIN("/", "/etc", "/etc");
        CHECK_JOIN("//", "etc", "/etc");
}

/* ---- mkdir_p */

TEST(mkdir_p_creates_nested)
{
        char *d = tmpdir_new();
        if (!d)
                return;
        struct berr e = { 0 };
        CHECK_INT_EQ(mkdir_p(pj(d, "a/b/c/d"), 0700, &e), 0);
        CHECK(is_dir(pj(d, "a")));
        CHECK(is_dir(pj(d, "a/b/c/d")));
        struct stat st;
        if (CHECK(stat(pj(d, "a/b/c/d"), &st) == 0))
                CHECK_INT_EQ(st.st_mode & 0777, 0700); /* umask never takes owner bits */
        tmpdir_free(d);
}

TEST(mkdir_p_existing_is_fine)
{
        char *d = tmpdir_new();
        if (!d)
                return;
        struct berr e = { 0 };
        CHECK_INT_EQ(mkdir_p(d, 0755, &e), 0);
        CHECK_INT_EQ(mkdir_p(pj(d, "x/y"), 0755, &e), 0);
        CHECK_INT_EQ(mkdir_p(pj(d, "x/y"), 0755, &e), 0);
        CHECK_INT_EQ(mkdir_p(pj(d, "x"), 0755, &e), 0);
        CHECK_INT_EQ(mkdir_p("/", 0755, &e), 0);
        tmpdir_free(d);
}

TEST(mkdir_p_trailing_and_double_slashes)
{
        char *d = tmpdir_new();
        if (!d)
                return;
        struct berr e = { 0 };
        CHECK_INT_EQ(mkdir_p(pj(d, "t/u/"), 0755, &e), 0);
        CHECK(is_dir(pj(d, "t/u")));
        CHECK_INT_EQ(mkdir_p(pj(d, "p//q"), 0755, &e), 0);
        CHECK(is_dir(pj(d, "p/q")));
        tmpdir_free(d);
}

TEST(mkdir_p_file_in_the_way_fails_naming_path)
{
        char *d = tmpdir_new();
        if (!d)
                return;
        put(pj(d, "file"), "x");
        struct berr e = { 0 };
        int r = mkdir_p(pj(d, "file/sub"), 0755, &e);
        CHECK_INT_EQ(r, -ENOTDIR);
        CHECK(strstr(e.msg, d) != NULL);
        tmpdir_free(d);
}

TEST(mkdir_p_on_existing_file_fails)
{
        /* "existing directories are fine" -- an existing regular file is not a directory */
        char *d = tmpdir_new();
        if (!d)
                return;
        put(pj(d, "file"), "x");
        struct berr e = { 0 };
        int r = mkdir_p(pj(d, "file"), 0755, &e);
        CHECK(r < 0);
        tmpdir_free(d);
}

TEST(mkdir_p_too_long)
{
        char *big = malloc(PATH_MAX + 10);
        if (!big)
                return;
        memset(big, 'a', PATH_MAX + 9);
        big[0] = '/';
        big[PATH_MAX + 9] = '\0';
        struct berr e = { 0 };
        CHECK_INT_EQ(mkdir_p(big, 0755, &e), -ENAMETOOLONG);
        CHECK(e.msg[0] != '\0');
        free(big);
}

/* ---- write_file_atomic / write_file / read_file */

TEST(write_atomic_read_round_trip)
{
        char *d = tmpdir_new();
        if (!d)
                return;
        struct berr e = { 0 };
        const char *p = pj(d, "record.json");
        const char *text = "{\"status\": \"exited\", \"exit_code\": 3}\n";
        CHECK_INT_EQ(write_file_atomic(p, text, strlen(text), 0600, &e), 0);
        char *out = NULL;
        size_t len = 0;
        CHECK_INT_EQ(read_file(p, &out, &len, &e), 0);
        CHECK_STR_EQ(out, text);
        CHECK_INT_EQ(len, strlen(text));
        free(out);
        struct stat st;
        if (CHECK(stat(p, &st) == 0))
                CHECK_INT_EQ(st.st_mode & 0777, 0600);
        /* the temporary file is gone: only record.json in the directory */
        CHECK_INT_EQ(count_entries(d), 1);
        tmpdir_free(d);
}

TEST(write_atomic_replaces_longer_content)
{
        char *d = tmpdir_new();
        if (!d)
                return;
        struct berr e = { 0 };
        const char *p = pj(d, "f");
        CHECK_INT_EQ(write_file_atomic(p, "a much longer first content", 27, 0644, &e), 0);
        CHECK_INT_EQ(write_file_atomic(p, "short", 5, 0644, &e), 0);
        char *out = NULL;
        size_t len = 99;
        CHECK_INT_EQ(read_file(p, &out, &len, &e), 0);
        CHECK_STR_EQ(out, "short");
        CHECK_INT_EQ(len, 5);
        free(out);
        CHECK_INT_EQ(count_entries(d), 1);
        tmpdir_free(d);
}

TEST(write_atomic_into_missing_dir_fails_cleanly)
{
        char *d = tmpdir_new();
        if (!d)
                return;
        struct berr e = { 0 };
        int r = write_file_atomic(pj(d, "nodir/f"), "x", 1, 0644, &e);
        CHECK_INT_EQ(r, -ENOENT);
        CHECK(strstr(e.msg, "nodir") != NULL);
        CHECK_INT_EQ(count_entries(d), 0);
        tmpdir_free(d);
}

TEST(write_file_truncates)
{
        char *d = tmpdir_new();
        if (!d)
                return;
        struct berr e = { 0 };
        const char *p = pj(d, "f");
        CHECK_INT_EQ(write_file(p, "0123456789", 10, 0644, &e), 0);
        CHECK_INT_EQ(write_file(p, "ab", 2, 0644, &e), 0);
        char *out = NULL;
        CHECK_INT_EQ(read_file(p, &out, NULL, &e), 0);
        CHECK_STR_EQ(out, "ab");
        free(out);
        tmpdir_free(d);
}

TEST(read_file_binary_and_large)
{
        char *d = tmpdir_new();
        if (!d)
                return;
        struct berr e = { 0 };
        size_t n = 100 * 1024 + 7; /* crosses several buffer growths */
        char *data = malloc(n);
        if (!data) {
                tmpdir_free(d);
                return;
        }
        for (size_t i = 0; i < n; i++)
                data[i] = (char)(i * 31 % 256); /* contains NUL bytes */
        const char *p = pj(d, "big");
        CHECK_INT_EQ(write_file_atomic(p, data, n, 0644, &e), 0);
        char *out = NULL;
        size_t len = 0;
        CHECK_INT_EQ(read_file(p, &out, &len, &e), 0);
        CHECK_INT_EQ(len, n);
        if (out && len == n) {
                CHECK(memcmp(out, data, n) == 0);
                CHECK_INT_EQ(out[n], '\0');
        }
        free(out);
        free(data);
        tmpdir_free(d);
}

TEST(read_file_empty)
{
        char *d = tmpdir_new();
        if (!d)
                return;
        struct berr e = { 0 };
        const char *p = pj(d, "empty");
        CHECK_INT_EQ(write_file_atomic(p, "", 0, 0644, &e), 0);
        char *out = NULL;
        size_t len = 42;
        CHECK_INT_EQ(read_file(p, &out, &len, &e), 0);
        CHECK_STR_EQ(out, "");
        CHECK_INT_EQ(len, 0);
        free(out);
        tmpdir_free(d);
}

TEST(read_file_missing_names_path)
{
        struct berr e = { 0 };
        char *out = NULL;
        CHECK_INT_EQ(read_file("/nonexistent/berth-unit/x", &out, NULL, &e), -ENOENT);
        CHECK(out == NULL);
        CHECK(strstr(e.msg, "/nonexistent/berth-unit/x") != NULL);
        CHECK_INT_EQ(e.code, -ENOENT);
}

/* ---- rm_rf */

TEST(rm_rf_missing_is_fine)
{
        struct berr e = { 0 };
        CHECK_INT_EQ(rm_rf("/nonexistent/berth-unit/none", &e), 0);
}

TEST(rm_rf_nested_tree_spares_symlink_targets)
{
        char *d = tmpdir_new();
        char *outside = tmpdir_new();
        if (!d || !outside) {
                tmpdir_free(d);
                tmpdir_free(outside);
                return;
        }
        put(pj(outside, "precious"), "keep me");
        mkdir(pj(outside, "subdir"), 0755);
        put(pj(outside, "subdir/also"), "keep me too");

        char t[PATH_MAX];
        snprintf(t, sizeof(t), "%s/tree", d);
        struct berr e = { 0 };
        CHECK_INT_EQ(mkdir_p(pj(t, "a/b/c"), 0755, &e), 0);
        CHECK_INT_EQ(mkdir_p(pj(t, "x/y"), 0755, &e), 0);
        put(pj(t, "a/f1"), "1");
        put(pj(t, "a/b/c/f2"), "2");
        put(pj(t, ".hidden"), "h");
        CHECK(symlink(outside, pj(t, "a/b/link-to-outside-dir")) == 0);
        CHECK(symlink(pj(outside, "precious"), pj(t, "x/link-to-file")) == 0);
        CHECK(symlink("/nonexistent-target", pj(t, "x/y/dangling")) == 0);
        CHECK(mkfifo(pj(t, "x/fifo"), 0600) == 0);

        CHECK_INT_EQ(rm_rf(t, &e), 0);
        CHECK(!exists(t));
        CHECK(is_dir(d));
        /* the symlinks were removed, never followed */
        CHECK(exists(pj(outside, "precious")));
        CHECK(exists(pj(outside, "subdir/also")));
        CHECK_INT_EQ(count_entries(outside), 2);
        tmpdir_free(d);
        tmpdir_free(outside);
}

TEST(rm_rf_on_symlink_removes_only_the_link)
{
        char *d = tmpdir_new();
        char *outside = tmpdir_new();
        if (!d || !outside) {
                tmpdir_free(d);
                tmpdir_free(outside);
                return;
        }
        put(pj(outside, "precious"), "keep");
        CHECK(symlink(outside, pj(d, "link")) == 0);
        struct berr e = { 0 };
        CHECK_INT_EQ(rm_rf(pj(d, "link"), &e), 0);
        CHECK(!exists(pj(d, "link")));
        CHECK(exists(pj(outside, "precious")));
        tmpdir_free(d);
        tmpdir_free(outside);
}

TEST(rm_rf_plain_file)
{
        char *d = tmpdir_new();
        if (!d)
                return;
        put(pj(d, "f"), "x");
        struct berr e = { 0 };
        CHECK_INT_EQ(rm_rf(pj(d, "f"), &e), 0);
        CHECK(!exists(pj(d, "f")));
        tmpdir_free(d);
}

TEST(rm_rf_deep_tree)
{
        char *d = tmpdir_new();
        if (!d)
                return;
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/deep", d);
        for (int i = 0; i < 100; i++)
                strncat(path, "/d", sizeof(path) - strlen(path) - 1);
        struct berr e = { 0 };
        CHECK_INT_EQ(mkdir_p(path, 0755, &e), 0);
        put(pj(path, "leaf"), "x");
        CHECK_INT_EQ(rm_rf(pj(d, "deep"), &e), 0);
        CHECK(!exists(pj(d, "deep")));
        tmpdir_free(d);
}

TEST(rm_rf_does_not_cross_mount_points)
{
        if (geteuid() != 0)
                return; /* needs root for a private mount namespace */
        char *d = tmpdir_new();
        if (!d)
                return;
        struct berr e = { 0 };
        CHECK_INT_EQ(mkdir_p(pj(d, "t/m"), 0755, &e), 0);
        put(pj(d, "t/plain"), "p");
        pid_t pid = fork();
        if (pid == 0) {
                /* In a private mount namespace, so nothing is ever mounted on the host. */
                if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                        _exit(10);
                if (mount("tmpfs", pj(d, "t/m"), "tmpfs", 0, "size=1m") < 0)
                        _exit(11);
                FILE *f = fopen(pj(d, "t/m/inside"), "w");
                if (!f)
                        _exit(12);
                fclose(f);
                struct berr ce = { 0 };
                int r = rm_rf(pj(d, "t"), &ce);
                if (r >= 0)
                        _exit(13); /* must report the mount point it would not enter */
                if (!exists(pj(d, "t/m/inside")))
                        _exit(14); /* went into the mount */
                if (exists(pj(d, "t/plain")))
                        _exit(15); /* the rest should still be removed */
                _exit(0);
        }
        int status = 0;
        CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
        CHECK(WIFEXITED(status));
        CHECK_INT_EQ(WEXITSTATUS(status), 0);
        tmpdir_free(d);
}
