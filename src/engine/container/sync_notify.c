#include "engine/container/sync_notify.h"

#include "util/err.h"
#include "util/strv.h"

#include <string.h>
#include <unistd.h>

struct notify_msg {
        int result, code, kind;
        char msg[1024];
        char warnings[2048]; /* NUL-separated, ends with an empty string */
};

void notify_send(int fd, int result, const struct berr *e, char *const *warnings)
{
        struct notify_msg m = {.result = result, .code = e->code, .kind = e->kind};
        memcpy(m.msg, e->msg, sizeof(m.msg));
        size_t off = 0;
        for (size_t i = 0; warnings && warnings[i]; i++) {
                size_t n = strlen(warnings[i]) + 1;
                if (off + n + 1 > sizeof(m.warnings))
                        break;
                memcpy(m.warnings + off, warnings[i], n);
                off += n;
        }
        /* A pipe write of this size is atomic (< PIPE_BUF is not needed: one reader). */
        const char *p = (const char *)&m;
        for (size_t left = sizeof(m); left;) {
                ssize_t w = write(fd, p, left);
                if (w <= 0)
                        return;
                p += w;
                left -= (size_t)w;
        }
}

int notify_recv(int fd, struct berr *e, char ***warnings)
{
        struct notify_msg m;
        char *p = (char *)&m;
        size_t got = 0;
        while (got < sizeof(m)) {
                ssize_t n = read(fd, p + got, sizeof(m) - got);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return berr_set(e, EIO, "the container's monitor died while starting it");
                got += (size_t)n;
        }
        m.msg[sizeof(m.msg) - 1] = '\0';
        m.warnings[sizeof(m.warnings) - 1] = '\0';
        for (const char *w = m.warnings; *w; w += strlen(w) + 1)
                strv_push(warnings, w);
        if (m.result >= 0)
                return 0;
        int r = berr_set(e, m.code ? m.code : EIO, "%s", m.msg);
        if (e)
                e->kind = (enum berr_kind)m.kind;
        return r;
}
