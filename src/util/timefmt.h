/* Times and durations as docker reads and prints them. Pure functions (no clock reads: "now"
 * is an argument), unit-tested. */
#ifndef BERTH_UTIL_TIMEFMT_H
#define BERTH_UTIL_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* RFC 3339 ("2026-01-02T03:04:05.123456789Z", "...+01:00"); also docker's shorter forms
 * "2026-01-02T03:04:05", "2026-01-02T03:04" and "2026-01-02" (taken as UTC). 0 or -EINVAL. */
int rfc3339_parse(const char *s, struct timespec *out);
/* Go's time.ParseDuration: "10s", "5m", "1h30m", "1.5h", "300ms", "0". 0 or -EINVAL. */
int duration_parse(const char *s, int64_t *ns);
/* docker logs --since/--until: a duration before now ("10m"), a Unix time ("1700000000",
 * "1700000000.5") or an RFC 3339 time. 0 or -EINVAL. */
int since_parse(const char *s, const struct timespec *now, struct timespec *out);
/* go-units HumanDuration: "Less than a second", "1 second", "5 seconds", "About a minute",
 * "3 minutes", "About an hour", "5 hours", "3 days", "2 weeks", "4 months", "2 years". */
void human_duration(int64_t ns, char *buf, size_t len);

/* t as RFC 3339 in UTC with nanoseconds, docker's form: "2026-11-23T06:42:00.123456789Z".
 * Computed from the calendar, not gmtime: no time zone file, no lock, usable by the static
 * monitor (src/monitor/). */
void rfc3339_format(const struct timespec *t, char out[40]);

/* a - b in nanoseconds. */
int64_t timespec_diff_ns(const struct timespec *a, const struct timespec *b);

#endif
