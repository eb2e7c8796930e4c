/* Reading and writing a cgroup's files: the leaf that cgroup.c, cgroup_ops.c and both back ends
 * stand on (it calls none of them). */
#include "core/cgroup_impl.h"

#include "core/spec.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cg_write(const char *dir, const char *file, const char *value, struct berr *e)
{
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/%s", dir, file);
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? -ENOENT : berr_sys(e, errno, "opening %s", path);
        size_t len = strlen(value);
        if (write(fd, value, len) != (ssize_t)len)
                return berr_sys(e, errno, "writing \"%s\" to %s", value, path);
        return 0;
}

int cg_read(const char *dir, const char *file, char *buf, size_t len)
{
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/%s", dir, file);
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        ssize_t n = read(fd, buf, len - 1);
        if (n < 0)
                return -errno;
        buf[n] = '\0';
        return (int)n;
}

bool cg_read_key(const char *dir, const char *file, const char *key, uint64_t *out)
{
        char buf[4096];
        if (cg_read(dir, file, buf, sizeof(buf)) < 0)
                return false;
        size_t kl = strlen(key);
        for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
                if (!strncmp(line, key, kl) && line[kl] == ' ')
                        return sscanf(line + kl + 1, "%" SCNu64, out) == 1;
        return false;
}

int cg_warn(struct cgroup *cg, const char *msg)
{
        for (size_t i = 0; cg->warnings && cg->warnings[i]; i++)
                if (!strcmp(cg->warnings[i], msg))
                        return 0;
        return strv_push(&cg->warnings, msg);
}

int cg_read_pids(const char *dir, pid_t **out, size_t *n, struct berr *e)
{
        _cleanup_free_ char *p = path_join(dir, "cgroup.procs"), *text = NULL;
        *out = NULL;
        *n = 0;
        if (!p)
                return berr_set(e, ENOMEM, "out of memory");
        int r = read_file(p, &text, NULL, e);
        if (r < 0)
                return r;
        size_t cap = 0;
        for (char *s = text; *s;) {
                char *end;
                long v = strtol(s, &end, 10);
                if (end == s)
                        break;
                if (*n == cap) {
                        cap = cap ? cap * 2 : 16;
                        pid_t *np = realloc(*out, cap * sizeof(pid_t));
                        if (!np) {
                                free(*out);
                                *out = NULL;
                                *n = 0;
                                return berr_set(e, ENOMEM, "out of memory");
                        }
                        *out = np;
                }
                (*out)[(*n)++] = (pid_t)v;
                s = end;
                while (*s == '\n')
                        s++;
        }
        return 0;
}
