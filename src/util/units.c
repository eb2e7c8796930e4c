/* Sizes, CPU counts and cpuset lists as docker accepts them. */
#include "util/units.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Splits "123.456" at *p into its integer part and up to max_frac fractional digits (scaled:
 * frac / 10^frac_digits). Needs at least one digit; advances *p past the number. Extra
 * fractional digits are counted in *extra so callers can truncate or reject them. */
static int parse_decimal(const char **p, uint64_t *ip, uint64_t *frac, int *frac_digits,
                         int max_frac, int *extra)
{
        const char *s = *p;
        uint64_t i = 0, f = 0;
        int digits = 0, nf = 0, nx = 0;
        for (; isdigit((unsigned char)*s); s++, digits++) {
                if (i > (UINT64_MAX - 9) / 10)
                        return -ERANGE;
                i = i * 10 + (uint64_t)(*s - '0');
        }
        if (*s == '.') {
                for (s++; isdigit((unsigned char)*s); s++, digits++) {
                        if (nf < max_frac) {
                                f = f * 10 + (uint64_t)(*s - '0');
                                nf++;
                        } else if (*s != '0') {
                                nx++;
                        }
                }
        }
        if (digits == 0) /* "", ".", "m" */
                return -EINVAL;
        *p = s;
        *ip = i;
        *frac = f;
        *frac_digits = nf;
        if (extra)
                *extra = nx;
        return 0;
}

static uint64_t pow10u(int n)
{
        uint64_t r = 1;
        while (n-- > 0)
                r *= 10;
        return r;
}

int parse_size(const char *s, int64_t *out)
{
        if (!s)
                return -EINVAL;
        uint64_t ip, frac;
        int nf, r;
        const char *p = s;
        if ((r = parse_decimal(&p, &ip, &frac, &nf, 18, NULL)) < 0)
                return r;
        if (*p == ' ' && p[1])
                p++;
        uint64_t mul = 1;
        if (*p) {
                static const char units[] = "bkmgtp";
                const char *u = strchr(units, tolower((unsigned char)*p));
                if (!u)
                        return -EINVAL;
                mul = 1ULL << (10 * (u - units));
                p++;
                if (u == units) { /* "b" takes nothing after it */
                        if (*p)
                                return -EINVAL;
                } else if (tolower((unsigned char)p[0]) == 'b' && !p[1]) {
                        p++;
                } else if (tolower((unsigned char)p[0]) == 'i' &&
                           tolower((unsigned char)p[1]) == 'b' && !p[2]) {
                        p += 2;
                } else if (*p) {
                        return -EINVAL;
                }
        }
        unsigned __int128 v = (unsigned __int128)ip * mul;
        if (nf)
                v += (unsigned __int128)frac * mul / pow10u(nf);
        if (v > INT64_MAX)
                return -ERANGE;
        *out = (int64_t)v;
        return 0;
}

char *format_size(int64_t bytes, char *buf, size_t len)
{
        static const char units[] = "bkmgtp";
        int u = 0;
        int64_t v = bytes;
        while (v != 0 && u < 5 && v % 1024 == 0) {
                v /= 1024;
                u++;
        }
        snprintf(buf, len, "%lld%c", (long long)v, units[u]);
        return buf;
}

int parse_int64(const char *s, int64_t *out)
{
        if (!s || !*s || isspace((unsigned char)*s))
                return -EINVAL;
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (*end)
                return -EINVAL;
        if (errno == ERANGE)
                return -ERANGE;
        *out = v;
        return 0;
}

int parse_cpus_decimal(const char *s, int64_t *nano)
{
        if (!s)
                return -EINVAL;
        uint64_t ip, frac;
        int nf, extra, r;
        const char *p = s;
        if ((r = parse_decimal(&p, &ip, &frac, &nf, 9, &extra)) < 0)
                return r;
        if (*p || extra)
                return -EINVAL;
        if (ip > (uint64_t)INT64_MAX / 1000000000ULL)
                return -ERANGE;
        uint64_t v = ip * 1000000000ULL + frac * pow10u(9 - nf);
        if (v > INT64_MAX)
                return -ERANGE;
        *nano = (int64_t)v;
        return 0;
}

static int parse_cpu_number(const char **p, int *out)
{
        const char *s = *p;
        long v = 0;
        if (!isdigit((unsigned char)*s))
                return -EINVAL;
        for (; isdigit((unsigned char)*s); s++) {
                v = v * 10 + (*s - '0');
                if (v >= CPUSET_MAX_BITS)
                        return -ERANGE;
        }
        *p = s;
        *out = (int)v;
        return 0;
}

int cpuset_list_parse(const char *s, uint64_t *bitmap, int *max_out)
{
        if (!s || !*s)
                return -EINVAL;
        if (bitmap)
                memset(bitmap, 0, CPUSET_WORDS * sizeof(uint64_t));
        int max = -1, r;
        const char *p = s;
        for (;;) {
                int lo, hi;
                if ((r = parse_cpu_number(&p, &lo)) < 0)
                        return r;
                hi = lo;
                if (*p == '-') {
                        p++;
                        if ((r = parse_cpu_number(&p, &hi)) < 0)
                                return r;
                        if (hi < lo)
                                return -EINVAL;
                }
                if (hi > max)
                        max = hi;
                if (bitmap)
                        for (int i = lo; i <= hi; i++)
                                bitmap[i / 64] |= 1ULL << (i % 64);
                if (!*p)
                        break;
                if (*p != ',')
                        return -EINVAL;
                p++;
        }
        if (max_out)
                *max_out = max;
        return 0;
}

int cpuset_first_missing(const uint64_t *want, const uint64_t *have)
{
        for (int w = 0; w < CPUSET_WORDS; w++) {
                uint64_t miss = want[w] & ~have[w];
                if (miss)
                        return w * 64 + __builtin_ctzll(miss);
        }
        return -1;
}
