/* Unit tests of src/util/name_lock.c: a mutex named in the abstract unix socket namespace.
 * Each test uses a name of its own (with the pid), so parallel runs do not meet. */
#include "test.h"

#include "util/err.h"
#include "util/name_lock.h"
#include "util/proc.h"

#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void lock_name(char *out, size_t n, const char *what)
{
        snprintf(out, n, "berth-unit/%s.%d", what, (int)getpid());
}

static long long now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A child that takes the lock (with name_lock), writes one byte to ready, then sleeps ms
 * milliseconds (forever if ms < 0) and exits. */
static pid_t holder_start(const char *name, int ms)
{
        int p[2];
        if (pipe(p) < 0)
                return -1;
        pid_t pid = fork();
        if (pid == 0) {
                close(p[0]);
                struct berr e;
                int fd = name_lock(name, &e);
                if (fd < 0)
                        _exit(1);
                (void)!write(p[1], "x", 1);
                if (ms < 0)
                        for (;;)
                                pause();
                usleep((useconds_t)ms * 1000);
                _exit(0);
        }
        close(p[1]);
        char c;
        if (pid < 0 || read(p[0], &c, 1) != 1) {
                close(p[0]);
                return -1;
        }
        close(p[0]);
        return pid;
}

TEST(name_lock_excludes_until_closed)
{
        char name[80];
        lock_name(name, sizeof(name), "excl");
        struct berr e;
        int fd = name_lock(name, &e);
        CHECK(fd >= 0);
        /* one open description per holder: a second lock in the same process is refused too */
        CHECK_INT_EQ(name_trylock(name, &e), -EWOULDBLOCK);
        CHECK(strstr(e.msg, name) != NULL);
        close(fd);
        int fd2 = name_trylock(name, &e);
        CHECK(fd2 >= 0);
        if (fd2 >= 0)
                close(fd2);
}

TEST(name_lock_waits_for_the_holder)
{
        char name[80];
        lock_name(name, sizeof(name), "wait");
        pid_t pid = holder_start(name, 150);
        CHECK(pid > 0);
        if (pid <= 0)
                return;
        struct berr e;
        CHECK_INT_EQ(name_trylock(name, &e), -EWOULDBLOCK);
        long long t0 = now_ms();
        int fd = name_lock(name, &e);
        long long waited = now_ms() - t0;
        CHECK(fd >= 0);
        CHECK(waited >= 100); /* it waited for the holder */
        CHECK(waited < 2000); /* and took it soon after the holder let go */
        if (fd >= 0)
                close(fd);
        waitpid(pid, NULL, 0);
}

TEST(name_lock_is_released_when_the_holder_is_killed)
{
        char name[80];
        lock_name(name, sizeof(name), "kill");
        pid_t pid = holder_start(name, -1);
        CHECK(pid > 0);
        if (pid <= 0)
                return;
        struct berr e;
        CHECK_INT_EQ(name_trylock(name, &e), -EWOULDBLOCK);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        int fd = name_lock(name, &e);
        CHECK(fd >= 0);
        if (fd >= 0)
                close(fd);
}

static socklen_t abstract_addr(const char *name, struct sockaddr_un *sa)
{
        memset(sa, 0, sizeof(*sa));
        sa->sun_family = AF_UNIX;
        memcpy(sa->sun_path + 1, name, strlen(name));
        return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

/* Abstract names are per socket type: a datagram socket on the name is no holder. */
TEST(name_lock_ignores_another_socket_type)
{
        char name[80];
        lock_name(name, sizeof(name), "dgram");
        struct sockaddr_un sa;
        socklen_t len = abstract_addr(name, &sa);
        int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        CHECK(s >= 0);
        CHECK_INT_EQ(bind(s, (struct sockaddr *)&sa, len), 0);
        struct berr e;
        int fd = name_trylock(name, &e);
        CHECK(fd >= 0);
        if (fd >= 0)
                close(fd);
        close(s);
}

/* A stream socket bound to the name that does not listen is no holder: an error that says so
 * (after 3 s), not an endless wait. */
TEST(name_lock_refuses_a_socket_that_does_not_listen)
{
        char name[80];
        lock_name(name, sizeof(name), "nolisten");
        struct sockaddr_un sa;
        socklen_t len = abstract_addr(name, &sa);
        int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        CHECK(s >= 0);
        CHECK_INT_EQ(bind(s, (struct sockaddr *)&sa, len), 0);
        struct berr e;
        long long t0 = now_ms();
        CHECK_INT_EQ(name_lock(name, &e), -EBUSY);
        long long waited = now_ms() - t0;
        CHECK(strstr(e.msg, "does not listen") != NULL);
        CHECK(waited >= 2900 && waited < 6000);
        close(s);
}

/* As root: a holder of another uid is named in the error. */
TEST(name_lock_names_a_holder_of_another_uid)
{
        if (geteuid() != 0)
                return;
        char name[80];
        lock_name(name, sizeof(name), "uid");
        int p[2];
        CHECK_INT_EQ(pipe(p), 0);
        pid_t pid = fork();
        if (pid == 0) {
                close(p[0]);
                struct berr e;
                if (setgid(65534) < 0 || setuid(65534) < 0)
                        _exit(1);
                int fd = name_lock(name, &e);
                (void)!write(p[1], fd >= 0 ? "y" : "n", 1);
                for (;;)
                        pause();
        }
        close(p[1]);
        char c = 0;
        CHECK_INT_EQ(read(p[0], &c, 1), 1);
        close(p[0]);
        CHECK(c == 'y');
        struct berr e;
        int r = name_lock(name, &e);
        CHECK_INT_EQ(r, -EBUSY);
        CHECK(strstr(e.msg, "uid 65534") != NULL);
        if (r >= 0)
                close(r);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
}

TEST(name_lock_ends_on_a_stopped_holder)
{
        char name[80], want[32];
        lock_name(name, sizeof(name), "stopped");
        pid_t pid = holder_start(name, -1);
        CHECK(pid > 0);
        if (pid <= 0)
                return;
        kill(pid, SIGSTOP);
        for (int i = 0; i < 200 && proc_state(pid) != 'T'; i++)
                usleep(10000);
        struct berr e;
        CHECK_INT_EQ(name_lock(name, &e), -EDEADLK);
        snprintf(want, sizeof(want), "pid %d", (int)pid);
        CHECK(strstr(e.msg, want) != NULL);
        CHECK(strstr(e.msg, "stopped") != NULL);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
}
