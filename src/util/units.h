/* Numbers people type on a command line: sizes ("32m", "1.5GiB"), CPU counts ("0.5") and
 * cpuset lists ("0-3,5"). Pure parsers: no I/O, no allocation. */
#ifndef BERTH_UTIL_UNITS_H
#define BERTH_UTIL_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* docker's (go-units) RAMInBytes: a non-negative number, decimals allowed ("1.5g"), an optional
 * single space, then an optional unit b, k, m, g, t or p in either case, which may be followed
 * by "b" or "ib" ("32m", "32M", "32mb", "32MiB", "1024", "7b"). Multiples are binary (k = 1024);
 * a fractional result is truncated. Returns 0, -EINVAL (not a size) or -ERANGE (> INT64_MAX). */
int parse_size(const char *s, int64_t *out);

/* Inverse-ish of parse_size for messages: "64m", "1g", "1536k", "100b" (exact, never rounded).
 * Returns buf. */
char *format_size(int64_t bytes, char *buf, size_t len);

/* A whole decimal number ("42", "-1"), nothing else. Returns 0, -EINVAL or -ERANGE. */
int parse_int64(const char *s, int64_t *out);

/* docker's --cpus: a non-negative decimal ("2", "0.2", ".5") -> CPUs * 1e9 ("nano CPUs").
 * More than 9 decimals is -EINVAL (docker: "value is too precise"); too large is -ERANGE. */
int parse_cpus_decimal(const char *s, int64_t *nano);

/* Largest CPU or memory-node number a cpuset list may name (the kernel's NR_CPUS limit). */
#define CPUSET_MAX_BITS 8192
#define CPUSET_WORDS (CPUSET_MAX_BITS / 64)

/* Validates a cpuset list such as "0-1,3" (numbers and ascending ranges, comma-separated, no
 * empty items, no spaces). When bitmap is not NULL it is cleared and gets a bit per listed
 * number (CPUSET_WORDS words); *max_out (if not NULL) gets the highest number. Returns 0,
 * -EINVAL ("", ",", "0,,1", "1-0", "a") or -ERANGE (a number >= CPUSET_MAX_BITS). */
int cpuset_list_parse(const char *s, uint64_t *bitmap, int *max_out);

/* The first number set in want but not in have, or -1 if want is a subset of have. */
int cpuset_first_missing(const uint64_t *want, const uint64_t *have);

#endif
