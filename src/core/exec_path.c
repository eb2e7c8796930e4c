#include "core/exec_path.h"

#include "util/err.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char default_path[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

static int fail(struct berr *e, int err, enum berr_kind kind, const char *fmt, const char *cmd)
{
        int r = berr_set(e, err, fmt, cmd);
        if (e)
                e->kind = kind;
        return r;
}

/* 0 if an executable regular file, -EACCES if it exists but is not one, -ENOENT otherwise. */
static int check(const char *p)
{
        struct stat st;
        if (stat(p, &st) < 0)
                return errno == ENOENT || errno == ENOTDIR ? -ENOENT : -EACCES;
        if (S_ISDIR(st.st_mode) || access(p, X_OK) < 0)
                return -EACCES;
        return 0;
}

int exec_path_lookup(const char *cmd, const char *path_env, char *out, size_t outlen,
                     struct berr *e)
{
        if (!cmd[0])
                return fail(e, ENOENT, BERR_NOT_FOUND, "exec: \"%s\": executable file not found in $PATH", cmd);
        if (strchr(cmd, '/')) {
                int r = check(cmd);
                if (r == -ENOENT)
                        return fail(e, ENOENT, BERR_NOT_FOUND,
                                    "exec: \"%s\": stat: no such file or directory (executable file not found)",
                                    cmd);
                if (r < 0)
                        return fail(e, EACCES, BERR_CANNOT_INVOKE,
                                    "exec: \"%s\": permission denied", cmd);
                snprintf(out, outlen, "%s", cmd);
                return 0;
        }
        const char *p = path_env ? path_env : default_path;
        bool denied = false;
        for (;;) {
                size_t n = strcspn(p, ":");
                char cand[4096];
                /* An empty entry means the current directory (POSIX, and Go's LookPath). */
                const char *dir = n ? p : ".";
                int dl = n ? (int)n : 1;
                if ((size_t)dl + 1 + strlen(cmd) < sizeof(cand)) { /* never a truncated path */
                        snprintf(cand, sizeof(cand), "%.*s/%s", dl, dir, cmd);
                        int r = check(cand);
                        if (r == 0) {
                                snprintf(out, outlen, "%s", cand);
                                return 0;
                        }
                        if (r == -EACCES)
                                denied = true;
                }
                if (p[n] != ':')
                        break;
                p += n + 1;
        }
        if (denied)
                return fail(e, EACCES, BERR_CANNOT_INVOKE, "exec: \"%s\": permission denied", cmd);
        return fail(e, ENOENT, BERR_NOT_FOUND, "exec: \"%s\": executable file not found in $PATH",
                    cmd);
}
