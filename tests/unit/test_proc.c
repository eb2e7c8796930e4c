/* Unit tests of the pure parsers of src/util/proc.c and src/util/flock_wait.c. */
#include "test.h"

#include "util/flock_wait.h"
#include "util/err.h"
#include "util/proc.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

TEST(proc_stat_state_after_the_last_paren)
{
        CHECK_INT_EQ(proc_stat_state("123 (sleep) S 1 123 123 0 -1"), 'S');
        CHECK_INT_EQ(proc_stat_state("123 (berth-monitor) T 1 2 3"), 'T');
        /* comm may hold spaces and parentheses */
        CHECK_INT_EQ(proc_stat_state("7 (a) b) c) t 1 2"), 't');
        CHECK_INT_EQ(proc_stat_state("7 (x)"), '\0');
        CHECK_INT_EQ(proc_stat_state("garbage"), '\0');
        CHECK_INT_EQ(proc_stat_state(""), '\0');
}

TEST(proc_stat_start_time_field_22)
{
        const char *st = "42 (sh) S 1 42 42 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 98765 1 2";
        CHECK_INT_EQ(proc_stat_start_time(st), 98765);
        CHECK_INT_EQ(proc_stat_start_time("42 (sh) Z 1 42 42 0 -1 4 1 0 0 0 0 0 0 0 20 0 1 0 98765"), 0);
        CHECK_INT_EQ(proc_stat_start_time("42 (sh) S 1"), 0);
}

TEST(fdinfo_holds_lock_only_for_a_granted_lock)
{
        CHECK(fdinfo_holds_lock("pos:\t0\nflags:\t02100002\nmnt_id:\t29\nino:\t77\n"
                                "lock:\t1: FLOCK  ADVISORY  WRITE 123 00:2d:77 0 EOF\n"));
        CHECK(fdinfo_holds_lock("pos:\t0\nlock:\t1: FLOCK  ADVISORY  WRITE 123 00:2d:77 0 EOF"));
        CHECK(!fdinfo_holds_lock("pos:\t0\nflags:\t02100002\nmnt_id:\t29\nino:\t77\n"));
        CHECK(!fdinfo_holds_lock("lock:\t1: -> FLOCK  ADVISORY  WRITE 124 00:2d:77 0 EOF\n"));
        CHECK(!fdinfo_holds_lock("flags:\tlock:\n"));
        CHECK(!fdinfo_holds_lock(""));
}

/* A child that takes an flock on path and then stops itself (SIGSTOP) or sleeps. */
static pid_t lock_holder(const char *path, bool stop)
{
        int p[2];
        if (pipe(p) < 0)
                return -1;
        pid_t pid = fork();
        if (pid == 0) {
                close(p[0]);
                int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
                if (fd < 0 || flock(fd, LOCK_EX) < 0)
                        _exit(1);
                if (write(p[1], "x", 1) != 1)
                        _exit(1);
                if (stop)
                        raise(SIGSTOP);
                pause();
                _exit(0);
        }
        close(p[1]);
        char c;
        ssize_t n = read(p[0], &c, 1);
        close(p[0]);
        return n == 1 ? pid : -1;
}

static void holder_end(pid_t pid)
{
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
}

TEST(flock_wait_names_a_stopped_holder_and_a_timeout)
{
        char path[64];
        snprintf(path, sizeof(path), "/tmp/berth-unit-flock.%d", (int)getpid());
        struct berr e = {0};
        char want[32];
        pid_t h = lock_holder(path, true);
        CHECK(h > 0);
        int fd = flock_open(path, &e);
        CHECK(fd >= 0);
        CHECK_INT_EQ(flock_wait(fd, path, -1, &e), -EDEADLK);
        snprintf(want, sizeof(want), "pid %d", (int)h);
        CHECK(strstr(e.msg, want) != NULL);
        CHECK(strstr(e.msg, "stopped") != NULL);
        holder_end(h);
        CHECK_INT_EQ(flock_wait(fd, path, -1, &e), 0); /* free again */
        close(fd);

        h = lock_holder(path, false);
        fd = flock_open(path, &e);
        CHECK_INT_EQ(flock_wait(fd, path, 100, &e), -ETIMEDOUT);
        snprintf(want, sizeof(want), "held by pid %d", (int)h);
        CHECK(strstr(e.msg, want) != NULL);
        holder_end(h);
        close(fd);
        unlink(path);
}
