/* A mutex named in the abstract unix socket namespace: see name_lock.h. */
#include "util/name_lock.h"

#include "util/cleanup.h"
#include "util/proc.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define CHECK_EVERY_MS 1000 /* how often a waiter asks who holds the name */
#define REFUSED_MS 3000     /* bound but not listening for this long: not a holder */

struct name_addr {
        struct sockaddr_un sa;
        socklen_t len;
};

static int addr_make(const char *name, struct name_addr *a, struct berr *e)
{
        size_t n = strlen(name);
        memset(a, 0, sizeof(*a));
        a->sa.sun_family = AF_UNIX;
        if (n == 0 || n + 1 > sizeof(a->sa.sun_path) || n > 100)
                return berr_set(e, EINVAL, "lock name \"%s\": 1 to 100 bytes", name);
        memcpy(a->sa.sun_path + 1, name, n); /* sun_path[0] = '\0': the abstract namespace */
        a->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
        return 0;
}

/* One attempt: the listening socket bound to the name (the lock held), -EADDRINUSE, or another
 * negative errno with e set. */
static int try_bind(const char *name, const struct name_addr *a, struct berr *e)
{
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return berr_sys(e, errno, "locking @%s: creating a unix socket", name);
        if (bind(fd, (const struct sockaddr *)&a->sa, a->len) < 0) {
                int err = errno;
                close(fd);
                if (err == EADDRINUSE)
                        return -EADDRINUSE;
                return berr_sys(e, err, "locking @%s: binding the abstract unix socket", name);
        }
        /* Listening makes the holder's credentials readable by waiters (holder_check). */
        if (listen(fd, SOMAXCONN) < 0) {
                int err = errno;
                close(fd);
                return berr_sys(e, err, "locking @%s: listening on the abstract unix socket", name);
        }
        return fd;
}

enum holder { HOLDER_OURS, HOLDER_UNKNOWN, HOLDER_REFUSED };

/* Who holds the name: a listening socket of our uid (HOLDER_OURS), nothing that can be told now
 * (HOLDER_UNKNOWN: its queue is full), nothing listening (HOLDER_REFUSED: the name is free again,
 * or its holder is between bind and listen, or it is no lock holder), or a negative errno with e
 * set when it is not one of ours. */
static int holder_check(const char *name, const struct name_addr *a, pid_t *pid, struct berr *e)
{
        _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return HOLDER_UNKNOWN;
        if (connect(fd, (const struct sockaddr *)&a->sa, a->len) < 0)
                return errno == ECONNREFUSED ? HOLDER_REFUSED : HOLDER_UNKNOWN;
        struct ucred cred;
        socklen_t len = sizeof(cred);
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
                return HOLDER_UNKNOWN;
        if (cred.uid != geteuid())
                return berr_set(e, EBUSY,
                                "locking @%s: held by pid %d of uid %u, not a process of uid %u "
                                "(ss -xlp | grep %s shows it)",
                                name, (int)cred.pid, (unsigned)cred.uid, (unsigned)geteuid(), name);
        *pid = cred.pid;
        return HOLDER_OURS;
}

static long long now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int lock(const char *name, bool wait, struct berr *e)
{
        struct name_addr a;
        int r = addr_make(name, &a, e);
        if (r < 0)
                return r;
        long delay_us = 1000;
        long long next_check = 0, refused_since = -1;
        pid_t stopped = 0; /* the holder found stopped at the last check */
        for (;;) {
                int fd = try_bind(name, &a, e);
                if (fd != -EADDRINUSE)
                        return fd;
                if (!wait)
                        return berr_set(e, EWOULDBLOCK, "locking @%s: already held", name);
                long long t = now_ms();
                if (t >= next_check) {
                        next_check = t + CHECK_EVERY_MS;
                        pid_t pid = 0;
                        int h = holder_check(name, &a, &pid, e);
                        if (h < 0)
                                return h;
                        char st = h == HOLDER_OURS ? proc_state(pid) : '\0';
                        if ((st == 'T' || st == 't') && pid == stopped)
                                return berr_set(e, EDEADLK,
                                                "locking @%s: held by pid %d, which is stopped: it "
                                                "cannot let go until it is continued (kill -CONT %d)",
                                                name, (int)pid, (int)pid);
                        stopped = st == 'T' || st == 't' ? pid : 0;
                        if (h != HOLDER_REFUSED)
                                refused_since = -1;
                        else if (refused_since < 0)
                                refused_since = t;
                        else if (t - refused_since >= REFUSED_MS)
                                return berr_set(e, EBUSY,
                                                "locking @%s: the name has been bound by a socket "
                                                "that does not listen for %d s, so not by a lock "
                                                "holder",
                                                name, REFUSED_MS / 1000);
                        if (h == HOLDER_REFUSED)
                                continue; /* most likely free now: bind again at once */
                }
                struct timespec ts = {0, delay_us * 1000};
                nanosleep(&ts, NULL);
                delay_us = delay_us * 2 > 20000 ? 20000 : delay_us * 2;
        }
}

int name_lock(const char *name, struct berr *e)
{
        return lock(name, true, e);
}

int name_trylock(const char *name, struct berr *e)
{
        return lock(name, false, e);
}
