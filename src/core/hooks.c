/* OCI hooks: see hooks.h for which runs where. */
#include "core/hooks.h"

#include "core/container.h"
#include "core/sync.h"
#include "util/err.h"

#include <fcntl.h>
#include <jansson.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

char *hooks_state_json(const char *id, const char *status, pid_t pid, const char *bundle,
                       const char *annotations_json)
{
        json_t *o = json_pack("{s:s,s:s,s:s}", "ociVersion", "1.2.0", "id", id ? id : "",
                              "status", status);
        if (!o)
                return NULL;
        if (pid > 0)
                json_object_set_new(o, "pid", json_integer(pid));
        json_object_set_new(o, "bundle", json_string(bundle ? bundle : ""));
        json_t *a = annotations_json ? json_loads(annotations_json, 0, NULL) : NULL;
        if (a && !json_is_object(a)) {
                json_decref(a);
                a = NULL;
        }
        json_object_set_new(o, "annotations", a ? a : json_object());
        char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        return text;
}

static long long now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The hook's output, one line, for the error message. */
static void tidy(char *buf, size_t n)
{
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ' || buf[n - 1] == '\r'))
                n--;
        buf[n] = '\0';
        for (size_t i = 0; i < n; i++)
                if ((unsigned char)buf[i] < 0x20)
                        buf[i] = ' ';
}

int hook_wait(pid_t pid, int out_fd, const struct spec_hook *h, enum spec_hook_kind k,
              struct berr *e)
{
        char out[600];
        size_t n = 0;
        int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
        long long deadline = h->timeout > 0 ? now_ms() + (long long)h->timeout * 1000 : -1;
        bool timed_out = false;
        if (out_fd >= 0)
                fcntl(out_fd, F_SETFL, fcntl(out_fd, F_GETFL) | O_NONBLOCK);
        while (pidfd >= 0) {
                struct pollfd p[2] = {{.fd = pidfd, .events = POLLIN},
                                      {.fd = out_fd, .events = POLLIN}};
                int wait = -1;
                if (deadline >= 0) {
                        long long left = deadline - now_ms();
                        if (left <= 0) {
                                timed_out = true;
                                break;
                        }
                        wait = (int)(left > 1000000 ? 1000000 : left);
                }
                int r = poll(p, out_fd >= 0 ? 2 : 1, wait);
                if (r < 0 && errno != EINTR)
                        break;
                if (r > 0 && out_fd >= 0 && (p[1].revents & (POLLIN | POLLHUP))) {
                        char tmp[512];
                        ssize_t got = read(out_fd, tmp, sizeof(tmp));
                        if (got > 0) {
                                size_t take = (size_t)got < sizeof(out) - 1 - n ? (size_t)got
                                                                                 : sizeof(out) - 1 - n;
                                memcpy(out + n, tmp, take);
                                n += take;
                        } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
                                close(out_fd);
                                out_fd = -1;
                        }
                }
                if (r > 0 && (p[0].revents & POLLIN))
                        break;
        }
        if (timed_out)
                kill(pid, SIGKILL);
        /* What is left in the pipe (a background child of the hook may keep it open: no wait). */
        while (out_fd >= 0 && n < sizeof(out) - 1) {
                ssize_t got = read(out_fd, out + n, sizeof(out) - 1 - n);
                if (got <= 0)
                        break;
                n += (size_t)got;
        }
        if (out_fd >= 0)
                close(out_fd);
        if (pidfd >= 0)
                close(pidfd);
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        tidy(out, n);
        const char *name = spec_hook_name(k);
        if (timed_out)
                return berr_set(e, ETIMEDOUT, "%s hook %s timed out after %d s%s%s", name, h->path,
                                h->timeout, out[0] ? ": " : "", out);
        if (WIFSIGNALED(status))
                return berr_set(e, ECANCELED, "%s hook %s was killed by signal %d%s%s", name,
                                h->path, WTERMSIG(status), out[0] ? ": " : "", out);
        if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
                return berr_set(e, ECANCELED, "%s hook %s failed with exit status %d%s%s", name,
                                h->path, WEXITSTATUS(status), out[0] ? ": " : "", out);
        return 0;
}

int hook_run(const struct spec_hook *h, enum spec_hook_kind k, const char *state, struct berr *e)
{
        int in[2], out[2];
        if (pipe2(in, O_CLOEXEC) < 0)
                return berr_sys(e, errno, "%s hook %s: creating a pipe", spec_hook_name(k), h->path);
        if (pipe2(out, O_CLOEXEC) < 0) {
                int r = berr_sys(e, errno, "%s hook %s: creating a pipe", spec_hook_name(k), h->path);
                close(in[0]);
                close(in[1]);
                return r;
        }
        /* The state fits a pipe's buffer: written before the fork, no SIGPIPE to fear. */
        fcntl(in[1], F_SETFL, O_NONBLOCK);
        size_t len = strlen(state), done = 0;
        while (done < len) {
                ssize_t w = write(in[1], state + done, len - done);
                if (w <= 0)
                        break;
                done += (size_t)w;
        }
        close(in[1]);
        pid_t pid = fork();
        if (pid < 0) {
                int r = berr_sys(e, errno, "%s hook %s: fork", spec_hook_name(k), h->path);
                close(in[0]);
                close(out[0]);
                close(out[1]);
                return r;
        }
        if (pid == 0) {
                sigset_t none;
                sigemptyset(&none);
                sigprocmask(SIG_SETMASK, &none, NULL);
                signal(SIGPIPE, SIG_DFL);
                if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || dup2(out[1], 2) < 0)
                        _exit(126);
                syscall(SYS_close_range, 3, ~0U, 0);
                char *const path_only[] = {h->path, NULL};
                char *const no_env[] = {NULL};
                execve(h->path, h->args && h->args[0] ? h->args : path_only,
                       h->env ? h->env : no_env);
                dprintf(2, "exec: %s", strerror(errno));
                _exit(127);
        }
        close(in[0]);
        close(out[1]);
        return hook_wait(pid, out[0], h, k, e);
}

int hooks_run(const struct spec *s, enum spec_hook_kind k, const char *state, struct berr *e)
{
        for (size_t i = 0; i < s->n_hooks[k]; i++) {
                int r = hook_run(&s->hooks[k][i], k, state, e);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The init's pid as its creator sees it: before pivot_root, /proc is still the caller's. */
static pid_t caller_view_pid(void)
{
        char buf[32];
        ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);
        if (n > 0) {
                buf[n] = '\0';
                int pid = atoi(buf);
                if (pid > 0)
                        return pid;
        }
        return getpid();
}

int hooks_before_pivot(const struct spec *s, const struct core_create_opts *o, int sync,
                       struct berr *e)
{
        if (o->before_pivot) {
                struct sync_msg m;
                int r = sync_send(sync, SYNC_HOOKS);
                if (r < 0 || (r = sync_recv(sync, &m, NULL)) < 0 || m.type != SYNC_GO)
                        return berr_set(e, ECANCELED, "the runtime's hooks did not complete");
        }
        if (!s->n_hooks[SPEC_HOOK_CREATE_CONTAINER])
                return 0;
        char *state = hooks_state_json(o->id, "created", caller_view_pid(), o->bundle_dir,
                                       s->annotations_json);
        if (!state)
                return berr_set(e, ENOMEM, "out of memory");
        int r = hooks_run(s, SPEC_HOOK_CREATE_CONTAINER, state, e);
        free(state);
        return r;
}
