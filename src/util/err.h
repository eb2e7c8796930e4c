/* Errors as values: a function returns 0 or a negative errno and fills a struct berr with one
 * sentence that names the thing (flag, value, path) and the cause. Only cli/ prints it. */
#ifndef BERTH_UTIL_ERR_H
#define BERTH_UTIL_ERR_H

#include <errno.h>
#include <stddef.h>

/* What kind of failure, so the CLI can pick docker's exit code without parsing the message. */
enum berr_kind {
        BERR_INTERNAL = 0, /* berth itself failed or bad input: exit 125 */
        BERR_CANNOT_INVOKE, /* the command exists but cannot be run: 126 */
        BERR_NOT_FOUND,     /* the command does not exist: 127 */
};

struct berr {
        int code; /* negative errno */
        enum berr_kind kind;
        char msg[1024];
};

/* Sets e (if not NULL) and returns -err, so callers can write `return berr_set(e, EINVAL, ...)`.
 * err may be given positive or negative. */
int berr_set(struct berr *e, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* As berr_set, appending ": strerror(err)". */
int berr_sys(struct berr *e, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Prefixes the existing message with more context ("creating container: <old>"). */
int berr_wrap(struct berr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
