#include "engine/container/monitor_detached.h"

#include "engine/container/logfile.h"
#include "engine/container/record.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

int monitor_detached_open(struct monitor_io *io, const char *cdir, struct berr *e)
{
        io->out[0] = io->out[1] = io->err[0] = io->err[1] = -1;
        io->log = NULL;
        io->lost = (struct jsonlog_loss){0, 0};
        io->mon.sigfd = -1;
        _cleanup_free_ char *path = path_join(cdir, "container.log");
        if (!path)
                return berr_set(e, ENOMEM, "out of memory");
        if (!(io->log = fopen(path, "ae")))
                return berr_sys(e, errno, "opening %s", path);
        if (pipe2(io->out, O_CLOEXEC) < 0 || pipe2(io->err, O_CLOEXEC) < 0)
                return berr_sys(e, errno, "creating the output pipes");
        return monitor_open(&io->mon, e);
}

static void inherit(int fd, bool yes)
{
        if (fd >= 0)
                fcntl(fd, F_SETFD, yes ? 0 : FD_CLOEXEC);
}

int monitor_detached_exec(struct monitor_io *io, pid_t pid, int console, char *const *finish,
                          struct berr *e)
{
        char self[PATH_MAX], path[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        if (n < 0)
                return berr_sys(e, errno, "reading /proc/self/exe");
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        snprintf(path, sizeof(path), "%.*s/berth-monitor", slash ? (int)(slash - self) : 1,
                 slash ? self : ".");
        /* This binary as it is now, for the monitor's way back to berth after the exit: an
         * upgrade that replaces the file meanwhile does not change what cleans up. */
        int exe = open("/proc/self/exe", O_PATH);
        if (exe < 0)
                return berr_sys(e, errno, "opening /proc/self/exe");
        fflush(io->log);
        int log = fileno(io->log);
        int out = console >= 0 ? -1 : io->out[0], err = console >= 0 ? -1 : io->err[0];
        char nums[6][16];
        const int vals[6] = {(int)pid, log, out, err, console, exe};
        size_t n_finish = 0;
        while (finish[n_finish])
                n_finish++;
        char **argv = calloc(8 + n_finish + 1, sizeof(char *));
        if (!argv) {
                close(exe);
                return berr_set(e, ENOMEM, "out of memory");
        }
        argv[0] = path;
        for (int i = 0; i < 6; i++) {
                snprintf(nums[i], sizeof(nums[i]), "%d", vals[i]);
                argv[1 + i] = nums[i];
        }
        argv[7] = "--";
        memcpy(argv + 8, finish, n_finish * sizeof(char *));
        for (int i = 1; i < 6; i++)
                inherit(vals[i], true);
        /* The write ends, the signalfd and everything else are close-on-exec. */
        execv(path, argv);
        int errno_exec = errno;
        for (int i = 1; i < 5; i++)
                inherit(vals[i], false);
        close(exe);
        free(argv);
        return berr_sys(e, errno_exec, "running %s", path);
}

/* Reads what is there from fd into the log; false on EOF. */
static bool drain(struct monitor_io *io, int fd, const char *stream)
{
        char buf[16384], now[40];
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0)
                return errno == EAGAIN || errno == EINTR;
        if (n == 0)
                return false;
        rfc3339_now(now);
        /* As berth-monitor does: what a full log cannot take is counted, then reported. */
        char text[JSONLOG_LOSS_MAX];
        size_t tn = jsonlog_loss_text(text, &io->lost, strerror(io->lost.err));
        int r = tn ? logfile_write(io->log, "stderr", now, text, tn) : 0;
        if (r == 0)
                r = logfile_write(io->log, stream, now, buf, (size_t)n);
        jsonlog_loss_note(&io->lost, (size_t)n, -r);
        if (r < 0)
                clearerr(io->log);
        return true;
}

static int status_of(int ws)
{
        return WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : 125;
}

int monitor_detached_run(struct monitor_io *io, pid_t pid, int console)
{
        /* Only the container holds the write ends now: EOF comes when it is gone. */
        close(io->out[1]);
        close(io->err[1]);
        io->out[1] = io->err[1] = -1;
        int fds[3] = {console >= 0 ? console : io->out[0], console >= 0 ? -1 : io->err[0]};
        const char *names[2] = {"stdout", "stderr"};
        int status = -1;
        while (status < 0 || fds[0] >= 0 || fds[1] >= 0) {
                struct pollfd p[3] = {{.fd = fds[0], .events = POLLIN},
                                      {.fd = fds[1], .events = POLLIN},
                                      {.fd = io->mon.sigfd, .events = POLLIN}};
                /* Once the init is gone, a grandchild may still hold a pipe: give it a moment. */
                if (poll(p, 3, status < 0 ? -1 : 200) == 0)
                        break;
                for (int i = 0; i < 2; i++)
                        if (p[i].revents && !drain(io, fds[i], names[i]))
                                fds[i] = -1;
                if (p[2].revents & POLLIN) {
                        struct signalfd_siginfo si;
                        while (read(io->mon.sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
                                if (si.ssi_signo != SIGCHLD)
                                        kill(pid, (int)si.ssi_signo);
                        int ws;
                        pid_t r;
                        while ((r = waitpid(-1, &ws, WNOHANG)) > 0)
                                if (r == pid)
                                        status = status_of(ws);
                }
        }
        if (console >= 0)
                close(console);
        return status < 0 ? 125 : status;
}

void monitor_detached_close(struct monitor_io *io)
{
        for (int i = 0; i < 2; i++) {
                if (io->out[i] >= 0)
                        close(io->out[i]);
                if (io->err[i] >= 0)
                        close(io->err[i]);
        }
        if (io->log)
                fclose(io->log);
        io->log = NULL;
        if (io->mon.sigfd >= 0)
                monitor_close(&io->mon);
}
