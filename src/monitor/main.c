/* berth-monitor: what a detached container's monitor becomes once its container runs.
 *
 * `berth run -d` (and `start`) forks a monitor that creates and starts the container as berth
 * does in the foreground, tells the CLI, and then execs this program. A fork of berth keeps
 * berth's libraries and heap mapped for the container's whole life (2.6-5.9 MB of RSS); this
 * is linked statically against musl and calls only what it needs, so it stays near 50 kB, well
 * under conmon (~2.3 MB). What it inherits across execve: the owner lock (still held: an flock
 * belongs to the open file), the log, the container's output, the init as its child, the
 * subreaper flag and the blocked signals (none is lost in between).
 *
 * It copies the output into the json-file log (what a full disk cannot take is counted and
 * reported by one stderr line once the log can grow again: util/jsonlog.h), forwards the
 * signals it gets to the init, and reaps. When the init has exited and the output is drained, it execs berth again through the
 * fd it was given (the binary that started the container, even if replaced since) to record
 * the exit and clean up, still holding the lock:
 *
 *   berth-monitor PID LOG_FD STDOUT_FD STDERR_FD CONSOLE_FD BERTH_FD -- BERTH_ARGV...
 *
 * with docker's exit status appended to BERTH_ARGV. An fd of -1 is absent: with a console,
 * STDOUT_FD and STDERR_FD are -1 and the console is read as stdout. */
#include "util/jsonlog.h"
#include "util/timefmt.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* A read's size: a line longer than this is split, as docker splits at 16 kB. */
#define CHUNK 8192

struct stream {
        int fd;
        const char *name;
        char carry[4]; /* an incomplete UTF-8 character held back for the next read */
        size_t ncarry;
};

static int log_fd;
/* A batch of lines, after the marker of output lost before it (jsonlog.h) if one is due. */
static char out[JSONLOG_MAX(JSONLOG_LOSS_MAX) + JSONLOG_MAX(CHUNK + 4)];
static struct jsonlog_loss lost;

/* Writes all of p, or nothing: a write that fails midway (the disk filled up) is cut off again,
 * so the log never holds half a line. 0 or the errno of the failure. */
static int write_whole(int fd, const char *p, size_t n)
{
        size_t done = 0;
        while (done < n) {
                ssize_t w = write(fd, p + done, n - done);
                if (w < 0 && errno == EINTR)
                        continue;
                if (w <= 0) {
                        int err = w < 0 ? errno : ENOSPC;
                        off_t end = done ? lseek(fd, 0, SEEK_END) : -1; /* O_APPEND: ours */
                        if (end >= (off_t)done && ftruncate(fd, end - (off_t)done) < 0)
                                err = errno;
                        return err;
                }
                done += (size_t)w;
        }
        return 0;
}

/* Starts a batch: the marker line if output was lost; its length. */
static size_t batch_start(const char *now)
{
        char text[JSONLOG_LOSS_MAX];
        size_t n = jsonlog_loss_text(text, &lost, strerror(lost.err));
        return n ? jsonlog_line(out, "stderr", now, text, n) : 0;
}

/* A full disk must not stop the container: what cannot be written is counted, not kept. */
static void batch_write(size_t used, size_t raw)
{
        if (used > 0)
                jsonlog_loss_note(&lost, raw, write_whole(log_fd, out, used));
}

/* One log line per '\n' (a tail without one is a line of its own), written in as few writes
 * as fit the buffer; each write holds whole lines, so a reader of the log never sees half. */
static void log_lines(const char *stream, const char *s, size_t n)
{
        char now[40];
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        rfc3339_format(&ts, now);
        size_t used = batch_start(now), raw = 0, start = 0;
        for (size_t i = 0; i < n; i++) {
                if (s[i] != '\n' && i + 1 < n)
                        continue;
                size_t len = i + 1 - start;
                if (used + JSONLOG_MAX(len) > sizeof(out)) {
                        batch_write(used, raw);
                        used = batch_start(now);
                        raw = 0;
                }
                used += jsonlog_line(out + used, stream, now, s + start, len);
                raw += len;
                start = i + 1;
        }
        batch_write(used, raw);
}

/* Logs what is readable; false on EOF (or EIO: a pty whose last writer is gone). */
static bool drain(struct stream *st)
{
        char buf[CHUNK + 4];
        memcpy(buf, st->carry, st->ncarry);
        ssize_t n = read(st->fd, buf + st->ncarry, CHUNK);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
                return true;
        size_t len = st->ncarry + (n > 0 ? (size_t)n : 0);
        st->ncarry = n > 0 ? utf8_incomplete_tail(buf, len) : 0;
        len -= st->ncarry;
        memcpy(st->carry, buf + len, st->ncarry);
        if (len > 0)
                log_lines(st->name, buf, len);
        return n > 0;
}

static int status_of(int ws)
{
        return WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : 125;
}

static bool parse_fd(const char *s, int *fd)
{
        char *end;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (errno || *end || end == s || v < -1 || v > 1 << 20)
                return false;
        *fd = (int)v;
        return true;
}

int main(int argc, char **argv)
{
        int pid, fds[5];
        if (argc < 9 || strcmp(argv[7], "--") != 0 || !parse_fd(argv[1], &pid) || pid <= 0) {
                fputs("berth-monitor: started by berth, not by hand (see src/monitor/main.c)\n",
                      stderr);
                return 125;
        }
        for (int i = 0; i < 5; i++)
                if (!parse_fd(argv[2 + i], &fds[i])) {
                        fprintf(stderr, "berth-monitor: bad fd \"%s\"\n", argv[2 + i]);
                        return 125;
                }
        log_fd = fds[0];
        int console = fds[3], berth = fds[4];
        struct stream st[2] = {{.fd = console >= 0 ? console : fds[1], .name = "stdout"},
                               {.fd = console >= 0 ? -1 : fds[2], .name = "stderr"}};

        /* The same set berth's monitor blocked before the container was created. */
        static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH,
                                   SIGCHLD};
        sigset_t set;
        sigemptyset(&set);
        for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
                sigaddset(&set, sigs[i]);
        sigprocmask(SIG_BLOCK, &set, NULL);
        int sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);

        int status = -1, ws;
        /* The init may have exited before the exec: its SIGCHLD is pending, but look anyway. */
        for (pid_t r; (r = waitpid(-1, &ws, WNOHANG)) > 0;)
                if (r == pid)
                        status = status_of(ws);
        while (status < 0 || st[0].fd >= 0 || st[1].fd >= 0) {
                struct pollfd p[3] = {{.fd = st[0].fd, .events = POLLIN},
                                      {.fd = st[1].fd, .events = POLLIN},
                                      {.fd = sigfd, .events = POLLIN}};
                /* Once the init is gone, a process it left may still hold a pipe: a moment. */
                int n = poll(p, 3, status < 0 ? -1 : 200);
                if (n == 0)
                        break;
                if (n < 0 && errno != EINTR)
                        break;
                for (int i = 0; i < 2; i++)
                        if (p[i].revents && !drain(&st[i])) {
                                close(st[i].fd);
                                st[i].fd = -1;
                        }
                if (p[2].revents & POLLIN) {
                        struct signalfd_siginfo si;
                        while (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
                                if (si.ssi_signo != SIGCHLD && status < 0)
                                        kill(pid, (int)si.ssi_signo);
                }
                for (pid_t r; (r = waitpid(-1, &ws, WNOHANG)) > 0;)
                        if (r == pid)
                                status = status_of(ws);
        }
        for (int i = 0; i < 2; i++)
                if (st[i].fd >= 0)
                        close(st[i].fd);
        if (lost.bytes)
                log_lines("stderr", "", 0); /* the marker alone, if the log can take it now */
        close(log_fd);

        /* berth records the exit and cleans up. The signals stay blocked: a stray SIGTERM must
         * not cut the cleanup short. */
        char code[16];
        snprintf(code, sizeof(code), "%d", status < 0 ? 125 : status);
        char **args = calloc((size_t)argc, sizeof(char *));
        if (!args)
                return 125;
        for (int i = 8; i < argc; i++)
                args[i - 8] = argv[i];
        args[argc - 8] = code;
        fcntl(berth, F_SETFD, FD_CLOEXEC);
        fexecve(berth, args, environ);
        /* Nothing else to try: the lock goes with us, and the next berth command finds the
         * container's owner gone and records it as ended (container_reconcile). */
        fprintf(stderr, "berth-monitor: running berth to record the exit: %s\n", strerror(errno));
        return 125;
}
