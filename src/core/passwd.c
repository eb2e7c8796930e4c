#include "core/passwd.h"

#include "util/err.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Parses a decimal id; false if s is not all digits or overflows 32 bits. */
static bool parse_id(const char *s, unsigned long *out)
{
        if (*s < '0' || *s > '9' || strlen(s) > 10) /* strtoul would skip spaces and signs */
                return false;
        char *end;
        errno = 0;
        unsigned long v = strtoul(s, &end, 10);
        if (*end || errno || v > 0xfffffffeUL || *s == '-' || *s == '+')
                return false;
        *out = v;
        return true;
}

/* fgets that skips lines longer than the buffer whole: their tail must never be read as an
 * entry of its own. */
static char *read_line(char *buf, int len, FILE *f)
{
        while (fgets(buf, len, f)) {
                size_t n = strlen(buf);
                if (n && buf[n - 1] != '\n' && !feof(f)) {
                        int c;
                        while ((c = fgetc(f)) != EOF && c != '\n')
                                ;
                        continue;
                }
                return buf;
        }
        return NULL;
}

/* Splits line into at most n ':' fields in place; returns how many. */
static size_t split_fields(char *line, char **f, size_t n)
{
        size_t k = 0;
        line[strcspn(line, "\n")] = '\0';
        while (k < n) {
                f[k++] = line;
                char *c = strchr(line, ':');
                if (!c)
                        break;
                *c = '\0';
                line = c + 1;
        }
        return k;
}

int passwd_lookup(FILE *passwd, const char *user, struct user_ids *out)
{
        unsigned long num;
        bool numeric = parse_id(user, &num);
        char line[1024];
        memset(out, 0, sizeof(*out));
        strcpy(out->home, "/");
        while (passwd && read_line(line, sizeof(line), passwd)) {
                char *f[7];
                unsigned long uid, gid;
                if (split_fields(line, f, 7) < 7 || !parse_id(f[2], &uid) || !parse_id(f[3], &gid))
                        continue;
                if (numeric ? uid != num : strcmp(f[0], user) != 0)
                        continue;
                out->uid = (uid_t)uid;
                out->gid = (gid_t)gid;
                snprintf(out->home, sizeof(out->home), "%s", f[5][0] ? f[5] : "/");
                return 0;
        }
        if (!numeric)
                return -ENOENT;
        out->uid = (uid_t)num;
        out->gid = 0; /* as docker: a uid with no passwd entry runs with gid 0 */
        return 0;
}

int group_lookup(FILE *group, const char *name, gid_t *out)
{
        unsigned long num;
        bool numeric = parse_id(name, &num);
        char line[4096];
        while (group && read_line(line, sizeof(line), group)) {
                char *f[4];
                unsigned long gid;
                if (split_fields(line, f, 4) < 3 || !parse_id(f[2], &gid))
                        continue;
                if (numeric ? gid == num : !strcmp(f[0], name)) {
                        *out = (gid_t)gid;
                        return 0;
                }
        }
        if (!numeric)
                return -ENOENT;
        *out = (gid_t)num;
        return 0;
}

void group_members(FILE *group, const char *user, struct user_ids *out)
{
        char line[4096];
        while (group && read_line(line, sizeof(line), group)) {
                char *f[4];
                unsigned long gid;
                if (split_fields(line, f, 4) < 4 || !parse_id(f[2], &gid))
                        continue;
                for (char *m = strtok(f[3], ","); m; m = strtok(NULL, ","))
                        if (!strcmp(m, user) && out->n_groups < 64)
                                out->groups[out->n_groups++] = (gid_t)gid;
        }
}

int user_resolve(const char *spec, struct user_ids *out, struct berr *e)
{
        char user[256], grp[256] = "";
        const char *colon = strchr(spec, ':');
        size_t ul = colon ? (size_t)(colon - spec) : strlen(spec);
        if (ul == 0 || ul >= sizeof(user) || (colon && strlen(colon + 1) >= sizeof(grp)))
                return berr_set(e, EINVAL, "invalid user \"%s\"", spec);
        memcpy(user, spec, ul);
        user[ul] = '\0';
        if (colon)
                strcpy(grp, colon + 1);
        FILE *pw = fopen("/etc/passwd", "re");
        int r = passwd_lookup(pw, user, out);
        if (pw)
                fclose(pw);
        if (r < 0)
                return berr_set(e, ENOENT, "unable to find user %s: no matching entries in passwd file",
                                user);
        FILE *gr = fopen("/etc/group", "re");
        if (grp[0]) {
                r = group_lookup(gr, grp, &out->gid);
                if (r < 0) {
                        if (gr)
                                fclose(gr);
                        return berr_set(e, ENOENT,
                                        "unable to find group %s: no matching entries in group file",
                                        grp);
                }
        } else if (gr) {
                rewind(gr);
                group_members(gr, user, out);
        }
        if (gr)
                fclose(gr);
        return 0;
}
