#include "engine/container/monitor.h"

#include "util/err.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};

int monitor_open(struct monitor *m, struct berr *e)
{
        sigset_t set;
        memset(m, 0, sizeof(*m));
        sigemptyset(&set);
        for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
                sigaddset(&set, forwarded[i]);
        sigaddset(&set, SIGCHLD);
        if (sigprocmask(SIG_BLOCK, &set, &m->old_mask) < 0)
                return berr_sys(e, errno, "blocking signals");
        m->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
        if (m->sigfd < 0) {
                sigprocmask(SIG_SETMASK, &m->old_mask, NULL);
                return berr_sys(e, errno, "creating a signalfd");
        }
        return 0;
}

void monitor_copy_winsize(int console)
{
        struct winsize ws;
        if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 ||
            ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
                ioctl(console, TIOCSWINSZ, &ws);
}

static void make_raw(struct monitor *m)
{
        if (!isatty(STDIN_FILENO))
                return;
        m->saved = malloc(sizeof(*m->saved));
        if (!m->saved || tcgetattr(STDIN_FILENO, m->saved) < 0) {
                free(m->saved);
                m->saved = NULL;
                return;
        }
        struct termios raw = *m->saved;
        cfmakeraw(&raw);
        /* Keep output processing: a raw local terminal still needs \n -> \r\n only from the
         * container's pty, which does it itself. */
        if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0)
                m->raw = true;
}

/* Copies what is readable from in to out: bytes moved, 0 on EOF (or EIO from a pty whose
 * writers are gone), -1 on error, -2 when nothing is readable now. */
static ssize_t pump(int in, int out)
{
        char buf[16384];
        ssize_t n = read(in, buf, sizeof(buf));
        if (n <= 0)
                return n < 0 && (errno == EAGAIN || errno == EINTR) ? -2 : (n < 0 ? -1 : 0);
        for (ssize_t off = 0; off < n;) {
                ssize_t w = write(out, buf + off, (size_t)(n - off));
                if (w < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno == EAGAIN) {
                                struct pollfd p = {.fd = out, .events = POLLOUT};
                                poll(&p, 1, 100);
                                continue;
                        }
                        return n; /* the reader went away; keep draining the source */
                }
                off += w;
        }
        return n;
}

static int to_status(int ws)
{
        if (WIFEXITED(ws))
                return WEXITSTATUS(ws);
        if (WIFSIGNALED(ws))
                return 128 + WTERMSIG(ws);
        return 125;
}

/* Handles pending signals; returns 1 once pid has exited (status set). */
static int on_signals(struct monitor *m, pid_t pid, int console, int *status)
{
        struct signalfd_siginfo si;
        int done = 0;
        while (read(m->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
                int sig = (int)si.ssi_signo;
                if (sig == SIGCHLD)
                        continue;
                if (sig == SIGWINCH && console >= 0)
                        monitor_copy_winsize(console); /* the pty tells the container's foreground */
                else
                        kill(pid, sig);
        }
        int ws;
        pid_t r;
        while ((r = waitpid(-1, &ws, WNOHANG)) > 0)
                if (r == pid) {
                        *status = to_status(ws);
                        done = 1;
                }
        return done;
}

int monitor_run(struct monitor *m, pid_t pid, int console, bool interactive, int *status,
                struct berr *e)
{
        bool in_open = console >= 0 && interactive;
        if (console >= 0) {
                make_raw(m);
                fcntl(console, F_SETFL, fcntl(console, F_GETFL) | O_NONBLOCK);
        }
        for (;;) {
                struct pollfd p[3] = {{.fd = m->sigfd, .events = POLLIN},
                                      {.fd = console, .events = POLLIN},
                                      {.fd = in_open ? STDIN_FILENO : -1, .events = POLLIN}};
                if (poll(p, 3, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return berr_sys(e, errno, "waiting for the container");
                }
                if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
                        ssize_t r = pump(console, STDOUT_FILENO);
                        if (r == 0 || r == -1)
                                console = -1; /* EIO: every writer of the pty is gone */
                }
                if (p[2].revents & (POLLIN | POLLHUP | POLLERR)) {
                        ssize_t r = pump(STDIN_FILENO, p[1].fd);
                        if (r == 0 || r == -1)
                                in_open = false; /* like docker: stdin EOF does not stop it */
                }
                if ((p[0].revents & POLLIN) && on_signals(m, pid, p[1].fd, status)) {
                        while (console >= 0 && pump(console, STDOUT_FILENO) > 0)
                                ; /* what the container printed last */
                        return 0;
                }
        }
}

void monitor_close(struct monitor *m)
{
        if (m->raw)
                tcsetattr(STDIN_FILENO, TCSAFLUSH, m->saved);
        free(m->saved);
        m->saved = NULL;
        m->raw = false;
        if (m->sigfd >= 0)
                close(m->sigfd);
        m->sigfd = -1;
        sigprocmask(SIG_SETMASK, &m->old_mask, NULL);
}
