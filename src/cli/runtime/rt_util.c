/* Helpers shared by berth-runtime's commands. */
#include "cli/runtime/rt.h"

#include "core/spec.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

void rt_log(const struct rt_globals *g, const char *level, const char *msg)
{
        if (!g->log)
                return;
        FILE *f = fopen(g->log, "ae");
        if (!f)
                return;
        char ts[40];
        time_t now = time(NULL);
        strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
        if (g->log_format && !strcmp(g->log_format, "json")) {
                fprintf(f, "{\"level\":\"%s\",\"msg\":\"", level);
                for (const char *p = msg; *p; p++)
                        if (*p == '"' || *p == '\\')
                                fprintf(f, "\\%c", *p);
                        else if ((unsigned char)*p < 0x20)
                                fprintf(f, "\\u%04x", *p);
                        else
                                fputc(*p, f);
                fprintf(f, "\",\"time\":\"%s\"}\n", ts);
        } else {
                fprintf(f, "%s %s: %s\n", ts, level, msg);
        }
        fclose(f);
}

int rt_fail(const struct rt_globals *g, const struct berr *e)
{
        fprintf(stderr, "berth-runtime: %s\n", e->msg);
        rt_log(g, "error", e->msg);
        return 1;
}

int rt_state_dir(const struct rt_globals *g, const char *id, char *out, unsigned len,
                 struct berr *e)
{
        if (!id[0] || strchr(id, '/') || id[0] == '.' || strlen(id) > 200)
                return berr_set(e, EINVAL, "invalid container id \"%s\"", id);
        snprintf(out, len, "%s/%s", g->root, id);
        return 0;
}

void rt_cache_dir(const struct rt_globals *g, char *out, unsigned len)
{
        snprintf(out, len, "%s/.cache", g->root);
}

int rt_load_bundle(const char *bundle, const char *config, struct spec **spec, struct berr *e)
{
        if (config && config[0] == '/')
                return spec_from_file(config, spec, e);
        _cleanup_free_ char *path = path_join(bundle, config ? config : "config.json");
        return path ? spec_from_file(path, spec, e) : berr_set(e, ENOMEM, "out of memory");
}

int rt_write_pid_file(const char *path, int pid, struct berr *e)
{
        char buf[16];
        int n = snprintf(buf, sizeof(buf), "%d", pid);
        return write_file_atomic(path, buf, (size_t)n, 0644, e);
}

int rt_send_console(const char *socket_path, int fd, struct berr *e)
{
        _cleanup_close_ int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        if (strlen(socket_path) >= sizeof(addr.sun_path))
                return berr_set(e, ENAMETOOLONG, "--console-socket: path too long");
        strcpy(addr.sun_path, socket_path);
        if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof(addr)) < 0)
                return berr_sys(e, errno, "--console-socket: connecting to %s", socket_path);
        char name[] = "/dev/ptmx";
        struct iovec iov = {.iov_base = name, .iov_len = sizeof(name) - 1};
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } u = {0};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                            .msg_controllen = sizeof(u.buf)};
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof(int));
        if (sendmsg(s, &mh, MSG_NOSIGNAL) < 0)
                return berr_sys(e, errno, "--console-socket: sending the terminal");
        return 0;
}
