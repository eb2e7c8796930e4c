/* Bounded flock waits: see flock_wait.h. */
#include "util/flock_wait.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/proc.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A waiter is late by at most 8 ms once the lock is free, or 100 ms after a long wait (a
 * lock held for long is rarely waited for by someone in a hurry). The holder is looked for
 * after 1 s, then at intervals doubling up to 16 s. */
#define FAST_SLEEP_MS 8
#define SLOW_SLEEP_MS 100
#define FAST_FOR_MS 2000
#define FIRST_LOOK_MS 1000
#define LAST_LOOK_MS 16000

int flock_open(const char *path, struct berr *e)
{
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0 && (errno == EROFS || errno == ENOSPC || errno == EDQUOT || errno == EACCES))
                fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return berr_sys(e, errno, "opening %s", path);
        return fd;
}

bool fdinfo_holds_lock(const char *text)
{
        for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
                const char *end = strchr(l, '\n');
                size_t n = end ? (size_t)(end - l) : strlen(l);
                /* "lock:\t1: FLOCK  ADVISORY  WRITE 123 00:2d:456 0 EOF"; "->" marks a waiter. */
                if (n > 5 && !strncmp(l, "lock:", 5) && !memmem(l, n, "->", 2))
                        return true;
        }
        return false;
}

/* Whether pid has an fd of (dev, ino) through which it holds a lock. */
static bool pid_holds(long pid, dev_t dev, ino_t ino)
{
        char path[64];
        snprintf(path, sizeof(path), "/proc/%ld/fd", pid);
        _cleanup_closedir_ DIR *d = opendir(path);
        if (!d)
                return false;
        struct dirent *de;
        while ((de = readdir(d))) {
                struct stat st;
                if (de->d_name[0] == '.' || fstatat(dirfd(d), de->d_name, &st, 0) < 0 ||
                    st.st_dev != dev || st.st_ino != ino)
                        continue;
                char info[96], text[4096];
                snprintf(info, sizeof(info), "/proc/%ld/fdinfo/%s", pid, de->d_name);
                _cleanup_close_ int fd = open(info, O_RDONLY | O_CLOEXEC);
                ssize_t n = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
                if (n > 0) {
                        text[n] = '\0';
                        if (fdinfo_holds_lock(text))
                                return true;
                }
        }
        return false;
}

/* A holder of the lock on (dev, ino) other than us (0: none seen), preferring one that is not
 * stopped; *stopped says whether every holder seen is stopped. Several processes share a lock
 * when they share the open file (fork). */
static pid_t find_holder(dev_t dev, ino_t ino, bool *stopped)
{
        pid_t found = 0;
        *stopped = false;
        _cleanup_closedir_ DIR *proc = opendir("/proc");
        struct dirent *de;
        while (proc && (de = readdir(proc))) {
                char *end;
                long pid = strtol(de->d_name, &end, 10);
                if (*end || pid <= 0 || pid == getpid() || !pid_holds(pid, dev, ino))
                        continue;
                char st = proc_state((pid_t)pid);
                bool is_stopped = st == 'T' || st == 't';
                if (!found || (*stopped && !is_stopped)) {
                        found = (pid_t)pid;
                        *stopped = is_stopped;
                }
                if (!is_stopped)
                        break;
        }
        return found;
}

static void holder_name(pid_t pid, char *out, size_t len)
{
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t n = fd >= 0 ? read(fd, out, len - 1) : -1;
        out[n > 0 ? n : 0] = '\0';
        out[strcspn(out, "\n")] = '\0';
}

static long long now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int flock_wait(int fd, const char *path, int max_ms, struct berr *e)
{
        long long start = now_ms(), next_look = start + FIRST_LOOK_MS;
        long look_ms = FIRST_LOOK_MS;
        pid_t stopped_pid = 0; /* the holder found stopped at the last look */
        long sleep_ms = 1;
        for (;;) {
                if (flock(fd, LOCK_EX | LOCK_NB) == 0)
                        return 0;
                if (errno != EWOULDBLOCK && errno != EINTR)
                        return berr_sys(e, errno, "locking %s", path);
                long long now = now_ms();
                if (now >= next_look || (max_ms >= 0 && now - start >= max_ms)) {
                        next_look = now + look_ms;
                        look_ms = look_ms * 2 > LAST_LOOK_MS ? LAST_LOOK_MS : look_ms * 2;
                        struct stat st;
                        bool stopped = false;
                        pid_t holder = fstat(fd, &st) == 0 ? find_holder(st.st_dev, st.st_ino, &stopped) : 0;
                        char name[32] = "";
                        if (holder)
                                holder_name(holder, name, sizeof(name));
                        if (holder && stopped && holder == stopped_pid)
                                return berr_set(e, EDEADLK,
                                                "%s is held by pid %d (%s), which is stopped: it "
                                                "cannot let go until it is continued (kill -CONT %d)",
                                                path, (int)holder, name, (int)holder);
                        stopped_pid = stopped ? holder : 0;
                        if (max_ms >= 0 && now - start >= max_ms) {
                                if (holder)
                                        return berr_set(e, ETIMEDOUT,
                                                        "%s is still held by pid %d (%s) after %d s",
                                                        path, (int)holder, name, max_ms / 1000);
                                return berr_set(e, ETIMEDOUT, "%s is still locked after %d s", path,
                                                max_ms / 1000);
                        }
                }
                struct timespec ts = {0, sleep_ms * 1000000};
                nanosleep(&ts, NULL);
                long cap = now - start < FAST_FOR_MS ? FAST_SLEEP_MS : SLOW_SLEEP_MS;
                sleep_ms = sleep_ms * 2 > cap ? cap : sleep_ms * 2;
        }
}
