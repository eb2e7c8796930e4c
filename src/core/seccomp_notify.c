/* linux.seccomp.listenerPath: the notify fd and the container process state, to the agent. */
#include "core/seccomp.h"

#include "util/cleanup.h"
#include "util/err.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static char *state_json(const struct seccomp_listener *l, pid_t pid)
{
        const char *v = l->oci_version ? l->oci_version : "1.0.2";
        json_t *ann = l->annotations_json ? json_loads(l->annotations_json, 0, NULL) : NULL;
        json_t *st = json_pack("{s:s,s:s,s:s,s:i,s:s}", "ociVersion", v, "id", l->id ? l->id : "",
                               "status", "creating", "pid", (int)pid, "bundle",
                               l->bundle ? l->bundle : "");
        if (st && ann)
                json_object_set(st, "annotations", ann);
        json_decref(ann);
        json_t *o = st ? json_pack("{s:s,s:[s],s:i,s:o}", "ociVersion", v, "fds", "seccompFd",
                                   "pid", (int)pid, "state", st)
                       : NULL;
        if (o && l->metadata)
                json_object_set_new(o, "metadata", json_string(l->metadata));
        char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        return text;
}

int seccomp_notify_send(const struct seccomp_listener *l, pid_t pid, int fd, struct berr *e)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        if (strlen(l->path) >= sizeof(sa.sun_path))
                return berr_set(e, ENAMETOOLONG, "linux.seccomp.listenerPath: %s is longer than a "
                                                 "unix socket path may be",
                                l->path);
        memcpy(sa.sun_path, l->path, strlen(l->path) + 1);
        _cleanup_free_ char *text = state_json(l, pid);
        if (!text)
                return berr_set(e, ENOMEM, "out of memory");
        _cleanup_close_ int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
                return berr_sys(e, errno, "linux.seccomp.listenerPath: connecting to %s", l->path);
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } ctl;
        memset(&ctl, 0, sizeof(ctl));
        struct iovec iov = {.iov_base = text, .iov_len = strlen(text)};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
                             .msg_controllen = sizeof(ctl.buf)};
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof(int));
        ssize_t n = sendmsg(s, &msg, MSG_NOSIGNAL);
        if (n < 0)
                return berr_sys(e, errno, "linux.seccomp.listenerPath: sending to %s", l->path);
        /* the rest of a long state without the fd, as the spec allows */
        for (size_t off = (size_t)n; off < iov.iov_len;) {
                ssize_t w = send(s, text + off, iov.iov_len - off, MSG_NOSIGNAL);
                if (w < 0)
                        return berr_sys(e, errno, "linux.seccomp.listenerPath: sending to %s",
                                        l->path);
                off += (size_t)w;
        }
        return 0;
}
