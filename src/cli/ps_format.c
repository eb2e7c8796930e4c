#include "cli/ps_format.h"

#include "engine/container/record.h"
#include "util/err.h"
#include "util/strv.h"
#include "util/timefmt.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

static int64_t since_ns(const char *rfc3339, const struct timespec *now, bool *ok)
{
        struct timespec t;
        *ok = rfc3339 && rfc3339_parse(rfc3339, &t) == 0;
        if (!*ok)
                return 0;
        int64_t d = timespec_diff_ns(now, &t);
        return d < 0 ? 0 : d;
}

void ps_ago(const char *rfc3339, const struct timespec *now, char *buf, size_t len)
{
        bool ok;
        char d[64];
        int64_t ns = since_ns(rfc3339, now, &ok);
        if (!ok) {
                snprintf(buf, len, "%s", "");
                return;
        }
        human_duration(ns, d, sizeof(d));
        snprintf(buf, len, "%s ago", d);
}

void ps_status(const struct record *r, const struct timespec *now, char *buf, size_t len)
{
        char d[64];
        bool ok;
        int64_t ns;
        switch (r->status) {
        case REC_RUNNING:
                ns = since_ns(r->started_at, now, &ok);
                human_duration(ns, d, sizeof(d));
                snprintf(buf, len, "Up %s%s", d, r->paused ? " (Paused)" : "");
                return;
        case REC_EXITED:
                ns = since_ns(r->finished_at, now, &ok);
                if (!ok) {
                        snprintf(buf, len, "Exited (%d)", r->exit_code);
                        return;
                }
                human_duration(ns, d, sizeof(d));
                snprintf(buf, len, "Exited (%d) %s ago", r->exit_code, d);
                return;
        default: snprintf(buf, len, "Created");
        }
}

const char *ps_state(const struct record *r)
{
        if (r->status == REC_RUNNING && r->paused)
                return "paused";
        return record_status_name(r->status);
}

/* Number of UTF-8 characters in s. */
static size_t u8len(const char *s)
{
        size_t n = 0;
        for (; *s; s++)
                if (((unsigned char)*s & 0xc0) != 0x80)
                        n++;
        return n;
}

void ps_command(char *const *argv, bool no_trunc, char *buf, size_t len)
{
        size_t cap = 3;
        for (size_t i = 0; argv && argv[i]; i++)
                cap += strlen(argv[i]) + 1;
        char *joined = calloc(1, cap);
        if (!joined) {
                snprintf(buf, len, "\"\"");
                return;
        }
        for (size_t i = 0; argv && argv[i]; i++) {
                if (i)
                        strcat(joined, " ");
                strcat(joined, argv[i]);
        }
        if (!no_trunc && u8len(joined) > 20) {
                /* 19 characters and an ellipsis, cutting at a character boundary. */
                size_t chars = 0, i = 0;
                for (; joined[i]; i++) {
                        if (((unsigned char)joined[i] & 0xc0) != 0x80 && chars++ == 19)
                                break;
                }
                joined[i] = '\0';
                char *t = realloc(joined, i + 4);
                if (t) {
                        joined = t;
                        strcat(joined, "\xe2\x80\xa6");
                }
        }
        size_t o = 0;
        if (len < 3) {
                free(joined);
                if (len)
                        buf[0] = '\0';
                return;
        }
        buf[o++] = '"';
        for (const char *p = joined; *p && o + 3 < len; p++) {
                unsigned char c = (unsigned char)*p;
                if (c == '"' || c == '\\') {
                        buf[o++] = '\\';
                        buf[o++] = (char)c;
                } else if (c == '\n' && o + 4 < len) {
                        buf[o++] = '\\';
                        buf[o++] = 'n';
                } else if (c == '\t' && o + 4 < len) {
                        buf[o++] = '\\';
                        buf[o++] = 't';
                } else if (c >= 0x20 && c != 0x7f) {
                        buf[o++] = (char)c;
                }
        }
        buf[o++] = '"';
        buf[o] = '\0';
        free(joined);
}

int ps_filter_add(struct ps_filter *f, const char *arg, struct berr *e)
{
        static const char *const states[] = {"created", "restarting", "running", "removing",
                                             "paused",  "exited",     "dead"};
        const char *eq = strchr(arg, '=');
        if (!eq)
                return berr_set(e, EINVAL, "bad format of filter (expected name=value): %s", arg);
        size_t kl = (size_t)(eq - arg);
        const char *v = eq + 1;
        if (kl == 4 && !strncmp(arg, "name", 4)) {
                regex_t re;
                if (regcomp(&re, v, REG_EXTENDED | REG_NOSUB) != 0)
                        return berr_set(e, EINVAL, "invalid filter 'name=%s': not a regular expression", v);
                regfree(&re);
                return strv_push(&f->names, v) < 0 ? berr_set(e, ENOMEM, "out of memory") : 0;
        }
        if (kl == 2 && !strncmp(arg, "id", 2))
                return strv_push(&f->ids, v) < 0 ? berr_set(e, ENOMEM, "out of memory") : 0;
        if (kl == 6 && !strncmp(arg, "status", 6)) {
                for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
                        if (!strcmp(v, states[i]))
                                return strv_push(&f->statuses, v) < 0
                                               ? berr_set(e, ENOMEM, "out of memory")
                                               : 0;
                return berr_set(e, EINVAL,
                                "invalid filter 'status=%s': one of created, restarting, running, "
                                "removing, paused, exited or dead",
                                v);
        }
        return berr_set(e, EINVAL, "invalid filter '%.*s': berth ps supports name, id and status",
                        (int)kl, arg);
}

static bool name_matches(char *const *res, const char *name)
{
        for (size_t i = 0; res[i]; i++) {
                regex_t re;
                if (regcomp(&re, res[i], REG_EXTENDED | REG_NOSUB) != 0)
                        continue;
                int m = regexec(&re, name, 0, NULL, 0);
                regfree(&re);
                if (m == 0)
                        return true;
        }
        return false;
}

bool ps_filter_match(const struct ps_filter *f, const char *id, const char *name,
                     const char *state)
{
        if (f->names && !name_matches(f->names, name))
                return false;
        if (f->ids) {
                bool any = false;
                for (size_t i = 0; f->ids[i] && !any; i++)
                        any = !strncmp(id, f->ids[i], strlen(f->ids[i]));
                if (!any)
                        return false;
        }
        if (f->statuses) {
                bool any = false;
                for (size_t i = 0; f->statuses[i] && !any; i++)
                        any = !strcmp(state, f->statuses[i]);
                if (!any)
                        return false;
        }
        return true;
}

void ps_filter_free(struct ps_filter *f)
{
        strv_free(f->names);
        strv_free(f->ids);
        strv_free(f->statuses);
        f->names = f->ids = f->statuses = NULL;
}

