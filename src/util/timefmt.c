#include "util/timefmt.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Exactly n digits at *p. */
static bool digits(const char **p, int n, int *out)
{
        int v = 0;
        for (int i = 0; i < n; i++) {
                if (!isdigit((unsigned char)(*p)[i]))
                        return false;
                v = v * 10 + ((*p)[i] - '0');
        }
        *p += n;
        *out = v;
        return true;
}

int rfc3339_parse(const char *s, struct timespec *out)
{
        struct tm tm = {0};
        int y, mo, d, h = 0, mi = 0, sec = 0;
        long nsec = 0;
        const char *p = s;
        if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
            !digits(&p, 2, &d))
                return -EINVAL;
        int offset = 0; /* seconds east of UTC */
        if (*p == 'T' || *p == 't') {
                p++;
                if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
                        return -EINVAL;
                if (*p == ':') {
                        p++;
                        if (!digits(&p, 2, &sec))
                                return -EINVAL;
                        if (*p == '.') {
                                p++;
                                int n = 0;
                                for (; isdigit((unsigned char)*p); p++, n++)
                                        if (n < 9)
                                                nsec = nsec * 10 + (*p - '0');
                                if (n == 0)
                                        return -EINVAL;
                                for (; n < 9; n++)
                                        nsec *= 10;
                        }
                }
                if (*p == 'Z' || *p == 'z') {
                        p++;
                } else if (*p == '+' || *p == '-') {
                        int sign = *p++ == '-' ? -1 : 1, oh, om;
                        if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om) ||
                            oh > 23 || om > 59)
                                return -EINVAL;
                        offset = sign * (oh * 3600 + om * 60);
                }
        }
        if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
                return -EINVAL;
        tm.tm_year = y - 1900;
        tm.tm_mon = mo - 1;
        tm.tm_mday = d;
        tm.tm_hour = h;
        tm.tm_min = mi;
        tm.tm_sec = sec;
        out->tv_sec = timegm(&tm) - offset;
        out->tv_nsec = nsec;
        return 0;
}

int duration_parse(const char *s, int64_t *ns)
{
        static const struct {
                const char *unit;
                int64_t ns;
        } units[] = {{"ns", 1},           {"us", 1000},          {"\xc2\xb5s", 1000},
                     {"ms", 1000000},     {"s", 1000000000LL},   {"m", 60000000000LL},
                     {"h", 3600000000000LL}};
        const char *p = s;
        bool neg = false;
        if (*p == '+' || *p == '-')
                neg = *p++ == '-';
        if (!strcmp(p, "0")) {
                *ns = 0;
                return 0;
        }
        if (!*p)
                return -EINVAL;
        double total = 0;
        while (*p) {
                double v = 0, scale = 1;
                bool any = false;
                for (; isdigit((unsigned char)*p); p++, any = true)
                        v = v * 10 + (*p - '0');
                if (*p == '.')
                        for (p++; isdigit((unsigned char)*p); p++, any = true)
                                v += (*p - '0') * (scale /= 10);
                if (!any)
                        return -EINVAL;
                size_t best = 0;
                int64_t mult = 0;
                for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
                        size_t n = strlen(units[i].unit);
                        if (!strncmp(p, units[i].unit, n) && n > best) {
                                best = n;
                                mult = units[i].ns;
                        }
                }
                if (!best)
                        return -EINVAL;
                p += best;
                total += v * (double)mult;
                if (total > 9.2e18)
                        return -EINVAL;
        }
        *ns = (int64_t)(neg ? -total : total);
        return 0;
}

int since_parse(const char *s, const struct timespec *now, struct timespec *out)
{
        int64_t d;
        if (duration_parse(s, &d) == 0) {
                int64_t t = (int64_t)now->tv_sec * 1000000000LL + now->tv_nsec - d;
                out->tv_sec = t / 1000000000LL;
                out->tv_nsec = t % 1000000000LL;
                if (out->tv_nsec < 0) {
                        out->tv_nsec += 1000000000LL;
                        out->tv_sec--;
                }
                return 0;
        }
        if (!strchr(s, '-') && isdigit((unsigned char)*s)) {
                /* Unix time: seconds, optionally with a fraction. */
                long long sec = 0;
                long nsec = 0;
                const char *p = s;
                for (; isdigit((unsigned char)*p); p++)
                        sec = sec * 10 + (*p - '0');
                if (*p == '.') {
                        int n = 0;
                        for (p++; isdigit((unsigned char)*p); p++, n++)
                                if (n < 9)
                                        nsec = nsec * 10 + (*p - '0');
                        for (; n < 9; n++)
                                nsec *= 10;
                }
                if (*p)
                        return -EINVAL;
                out->tv_sec = (time_t)sec;
                out->tv_nsec = nsec;
                return 0;
        }
        return rfc3339_parse(s, out);
}

void human_duration(int64_t ns, char *buf, size_t len)
{
        int64_t seconds = ns / 1000000000LL, minutes = seconds / 60;
        int64_t hours = (int64_t)((double)ns / 3.6e12 + 0.5);
        if (seconds < 1)
                snprintf(buf, len, "Less than a second");
        else if (seconds == 1)
                snprintf(buf, len, "1 second");
        else if (seconds < 60)
                snprintf(buf, len, "%lld seconds", (long long)seconds);
        else if (minutes == 1)
                snprintf(buf, len, "About a minute");
        else if (minutes < 60)
                snprintf(buf, len, "%lld minutes", (long long)minutes);
        else if (hours == 1)
                snprintf(buf, len, "About an hour");
        else if (hours < 48)
                snprintf(buf, len, "%lld hours", (long long)hours);
        else if (hours < 24 * 7 * 2)
                snprintf(buf, len, "%lld days", (long long)(hours / 24));
        else if (hours < 24 * 30 * 2)
                snprintf(buf, len, "%lld weeks", (long long)(hours / 24 / 7));
        else if (hours < 24 * 365 * 2)
                snprintf(buf, len, "%lld months", (long long)(hours / 24 / 30));
        else
                snprintf(buf, len, "%lld years", (long long)(ns / 3600000000000LL / 24 / 365));
}


int64_t timespec_diff_ns(const struct timespec *a, const struct timespec *b)
{
        return ((int64_t)a->tv_sec - b->tv_sec) * 1000000000LL + (a->tv_nsec - b->tv_nsec);
}

/* Days since 1970-01-01 to a proleptic Gregorian date: shift the year to start in March, so
 * the leap day is the last day of a year, then count 400-year eras of 146097 days. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
        z += 719468;
        int64_t era = (z >= 0 ? z : z - 146096) / 146097;
        unsigned doe = (unsigned)(z - era * 146097);
        unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        unsigned mp = (5 * doy + 2) / 153;
        *d = doy - (153 * mp + 2) / 5 + 1;
        *m = mp < 10 ? mp + 3 : mp - 9;
        *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void rfc3339_format(const struct timespec *t, char out[40])
{
        int64_t secs = t->tv_sec, days = secs / 86400, rem = secs % 86400;
        if (rem < 0) {
                rem += 86400;
                days--;
        }
        int64_t y;
        unsigned m, d;
        civil_from_days(days, &y, &m, &d);
        long ns = t->tv_nsec >= 0 && t->tv_nsec < 1000000000 ? t->tv_nsec : 0;
        snprintf(out, 40, "%04lld-%02u-%02uT%02u:%02u:%02u.%09ldZ", (long long)y, m, d,
                 (unsigned)(rem / 3600), (unsigned)(rem / 60 % 60), (unsigned)(rem % 60), ns);
}
