/* Reading the container's /etc/passwd and /etc/group (after pivot_root: the image's files, never
 * the host's). The parsers are pure over a FILE so unit tests and fuzzers can feed them. */
#ifndef BERTH_CORE_PASSWD_H
#define BERTH_CORE_PASSWD_H

#include <stdio.h>
#include <sys/types.h>

struct berr;

struct user_ids {
        uid_t uid;
        gid_t gid;
        gid_t groups[64]; /* supplementary groups the user is listed in */
        size_t n_groups;
        char home[256];
};

/* Finds a user by name or number in passwd text. Returns 0, or -ENOENT if not found. A number
 * that is not in the file is accepted (docker does: -u 1234). */
int passwd_lookup(FILE *passwd, const char *user, struct user_ids *out);
/* Finds a group by name or number; -ENOENT if a name is not found. */
int group_lookup(FILE *group, const char *name, gid_t *out);
/* Adds the groups whose member list names user to out->groups. */
void group_members(FILE *group, const char *user, struct user_ids *out);

/* Resolves "user", "uid", "user:group", "uid:gid" against /etc/passwd and /etc/group of the
 * current root. Missing files are fine for numeric ids. */
int user_resolve(const char *spec, struct user_ids *out, struct berr *e);

#endif
