/* Finding the command on the container's PATH, inside the container's root. */
#ifndef BERTH_CORE_EXEC_PATH_H
#define BERTH_CORE_EXEC_PATH_H

#include <stddef.h>

struct berr;

/* Resolves cmd (a name, or a path containing '/') using path_env ("a:b:c", NULL = the default
 * PATH). On success writes the path to out. Not found: -ENOENT, kind BERR_NOT_FOUND; found but
 * not executable: -EACCES, kind BERR_CANNOT_INVOKE. Messages follow docker's wording. */
int exec_path_lookup(const char *cmd, const char *path_env, char *out, size_t outlen,
                     struct berr *e);

#endif
