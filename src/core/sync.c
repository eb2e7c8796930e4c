#include "core/sync.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int send_msg(int fd, const struct sync_msg *m, int passfd)
{
        struct iovec iov = {.iov_base = (void *)m, .iov_len = sizeof(*m)};
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } u;
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
        if (passfd >= 0) {
                memset(&u, 0, sizeof(u));
                mh.msg_control = u.buf;
                mh.msg_controllen = sizeof(u.buf);
                struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int));
                memcpy(CMSG_DATA(c), &passfd, sizeof(int));
        }
        for (;;) {
                ssize_t n = sendmsg(fd, &mh, MSG_NOSIGNAL);
                if (n >= 0)
                        return 0;
                if (errno != EINTR)
                        return -errno;
        }
}

int sync_send(int fd, int type)
{
        struct sync_msg m = {.type = type};
        return send_msg(fd, &m, -1);
}

int sync_send_fd(int fd, int type, int passfd)
{
        struct sync_msg m = {.type = type};
        return send_msg(fd, &m, passfd);
}

int sync_send_error(int fd, int err, int kind, const char *msg)
{
        struct sync_msg m = {.type = SYNC_ERROR, .err = err, .kind = kind};
        strncpy(m.msg, msg, sizeof(m.msg) - 1);
        return send_msg(fd, &m, -1);
}

int sync_recv(int fd, struct sync_msg *m, int *passfd)
{
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } u;
        struct iovec iov = {.iov_base = m, .iov_len = sizeof(*m)};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                            .msg_controllen = sizeof(u.buf)};
        if (passfd)
                *passfd = -1;
        ssize_t n;
        do
                n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return -errno;
        if (n == 0)
                return -EPIPE;
        if ((size_t)n < sizeof(*m))
                return -EPROTO;
        m->msg[sizeof(m->msg) - 1] = '\0';
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                        int got;
                        memcpy(&got, CMSG_DATA(c), sizeof(int));
                        if (passfd)
                                *passfd = got;
                        else
                                close(got);
                }
        }
        return 0;
}
