/* Unit tests of src/util/workdir.c: work dirs owned by an flock on the dir itself. A "live
 * writer" is a child process that made a work dir and waits; a "dead" one was SIGKILLed. */
#include "test.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/workdir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *scratch(void)
{
        char tmpl[] = "/tmp/berth-unit-workdir.XXXXXX";
        return mkdtemp(tmpl) ? strdup(tmpl) : NULL;
}

static bool is_dir(const char *p)
{
        struct stat st;
        return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A child that makes a work dir under parent, writes its path to the pipe and waits for a
 * signal. Returns its pid; *path gets the dir. */
static pid_t writer(const char *parent, char path[PATH_MAX])
{
        int p[2];
        if (pipe(p) < 0)
                return -1;
        pid_t pid = fork();
        if (pid == 0) {
                struct workdir w;
                close(p[0]);
                if (workdir_create(parent, "job-", &w, NULL) < 0)
                        _exit(1);
                if (write(p[1], w.path, strlen(w.path) + 1) < 0)
                        _exit(1);
                pause();
                _exit(0);
        }
        close(p[1]);
        ssize_t n = pid > 0 ? read(p[0], path, PATH_MAX) : -1;
        close(p[0]);
        if (n <= 0)
                path[0] = '\0';
        return pid;
}

static void end(pid_t pid)
{
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
}

TEST(workdir_create_lock_and_remove)
{
        _cleanup_free_ char *d = scratch();
        CHECK(d != NULL);
        struct workdir w;
        CHECK_INT_EQ(workdir_create(d, "load-1-", &w, NULL), 0);
        CHECK(w.lock >= 0 && is_dir(w.path));
        CHECK(!strncmp(w.path + strlen(d), "/load-1-", 8));
        /* Another open file (as another process would have) cannot take it. */
        CHECK_INT_EQ(workdir_lock(w.path, false, NULL), -EWOULDBLOCK);
        CHECK_INT_EQ(workdir_collect(d, "", NULL, NULL), 0);
        CHECK(is_dir(w.path));
        _cleanup_free_ char *path = strdup(w.path);
        CHECK_INT_EQ(workdir_remove(&w, NULL), 0);
        CHECK(w.path == NULL && w.lock == -1);
        CHECK(!is_dir(path));
        CHECK_INT_EQ(workdir_remove(&w, NULL), 0); /* empty: nothing to do */
        workdir_release(&w);
        CHECK_INT_EQ(workdir_lock(path, false, NULL), -ENOENT);
        rmdir(d);
}

TEST(workdir_collect_takes_only_dead_owners)
{
        _cleanup_free_ char *d = scratch();
        CHECK(d != NULL);
        char live[PATH_MAX], dead[PATH_MAX], file[PATH_MAX + 8], other[PATH_MAX + 16];
        pid_t a = writer(d, live), b = writer(d, dead);
        CHECK(live[0] && dead[0]);
        snprintf(file, sizeof(file), "%s/data", dead);
        CHECK_INT_EQ(write_file(file, "x", 1, 0600, NULL), 0);
        end(b); /* killed: the kernel drops its lock */
        snprintf(other, sizeof(other), "%s/keep-1", d);
        CHECK_INT_EQ(mkdir(other, 0700), 0); /* another prefix: not ours to collect */
        CHECK_INT_EQ(workdir_collect(d, "job-", NULL, NULL), 1);
        CHECK(is_dir(live));
        CHECK(!is_dir(dead));
        CHECK(is_dir(other));
        end(a);
        CHECK_INT_EQ(workdir_collect(d, "job-", NULL, NULL), 1);
        CHECK(!is_dir(live));
        CHECK_INT_EQ(workdir_collect(d, "", NULL, NULL), 1); /* keep-1 never had an owner */
        CHECK_INT_EQ(rmdir(d), 0);
        CHECK_INT_EQ(workdir_collect(d, "", NULL, NULL), 0); /* a missing parent is fine */
}

static void count(const char *path, const char *name, void *arg)
{
        (*(int *)arg)++;
        if (!strcmp(name, "job-keep"))
                return; /* a callback decides what goes */
        rm_rf(path, NULL);
}

TEST(workdir_collect_callback_and_renamed_dirs)
{
        _cleanup_free_ char *d = scratch();
        CHECK(d != NULL);
        char a[PATH_MAX + 16], b[PATH_MAX + 16];
        snprintf(a, sizeof(a), "%s/job-keep", d);
        snprintf(b, sizeof(b), "%s/job-moved", d);
        CHECK_INT_EQ(mkdir(a, 0700), 0);
        int calls = 0;
        CHECK_INT_EQ(workdir_collect(d, "job-", count, &calls), 1);
        CHECK_INT_EQ(calls, 1);
        CHECK(is_dir(a));
        /* A lock taken on a dir that is then renamed (rm's .removing-<id>) moves with it. */
        int fd = workdir_lock(a, true, NULL);
        CHECK(fd >= 0);
        CHECK_INT_EQ(rename(a, b), 0);
        CHECK_INT_EQ(workdir_lock(b, false, NULL), -EWOULDBLOCK);
        CHECK_INT_EQ(workdir_lock(a, false, NULL), -ENOENT);
        close(fd);
        CHECK_INT_EQ(workdir_collect(d, "job-", NULL, NULL), 1);
        CHECK(!is_dir(b));
        /* Not directories: never taken. */
        char f[PATH_MAX + 16];
        snprintf(f, sizeof(f), "%s/job-file", d);
        CHECK_INT_EQ(write_file(f, "x", 1, 0600, NULL), 0);
        CHECK_INT_EQ(workdir_collect(d, "", NULL, NULL), 0);
        unlink(f);
        CHECK_INT_EQ(rmdir(d), 0);
}
