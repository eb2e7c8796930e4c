#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int absneg(int err)
{
        return err > 0 ? -err : (err == 0 ? -EIO : err);
}

int berr_set(struct berr *e, int err, const char *fmt, ...)
{
        if (e) {
                va_list ap;
                va_start(ap, fmt);
                vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
                va_end(ap);
                e->code = absneg(err);
                e->kind = BERR_INTERNAL;
        }
        return absneg(err);
}

int berr_sys(struct berr *e, int err, const char *fmt, ...)
{
        if (e) {
                va_list ap;
                va_start(ap, fmt);
                int n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
                va_end(ap);
                if (n >= 0 && (size_t)n < sizeof(e->msg))
                        snprintf(e->msg + n, sizeof(e->msg) - (size_t)n, ": %s",
                                 strerror(-absneg(err)));
                e->code = absneg(err);
                e->kind = BERR_INTERNAL;
        }
        return absneg(err);
}

int berr_wrap(struct berr *e, const char *fmt, ...)
{
        if (!e)
                return -EIO;
        char prefix[512], old[sizeof(e->msg)];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(prefix, sizeof(prefix), fmt, ap);
        va_end(ap);
        memcpy(old, e->msg, sizeof(old));
        snprintf(e->msg, sizeof(e->msg), "%s: %s", prefix, old);
        return e->code ? e->code : -EIO;
}
