/* mountinfo's fifth field is the mount point, with space, tab, newline and backslash written as
 * octal escapes (proc(5)). */
#include "core/mountinfo.h"

#include "util/strv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void unescape(char *s)
{
        char *o = s;
        for (char *p = s; *p; p++) {
                if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
                    p[3] >= '0' && p[3] <= '7') {
                        *o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
                        p += 3;
                } else {
                        *o++ = *p;
                }
        }
        *o = '\0';
}

long mountinfo_points_below(FILE *f, const char *dir, char ***out)
{
        char **v = NULL;
        long n = 0;
        size_t dl = strlen(dir);
        while (dl > 1 && dir[dl - 1] == '/')
                dl--;
        char *line = NULL;
        size_t cap = 0;
        while (getline(&line, &cap, f) > 0) {
                /* id parent major:minor root mountpoint ... */
                char *save = NULL, *field = strtok_r(line, " ", &save);
                for (int i = 0; field && i < 4; i++)
                        field = strtok_r(NULL, " ", &save);
                if (!field)
                        continue;
                unescape(field);
                if (strncmp(field, dir, dl) || field[dl] != '/' || !field[dl + 1])
                        continue;
                if (strv_push(&v, field) < 0) {
                        free(line);
                        strv_free(v);
                        return -ENOMEM;
                }
                n++;
        }
        free(line);
        if (!v && !(v = calloc(1, sizeof(char *))))
                return -ENOMEM;
        *out = v;
        return n;
}
