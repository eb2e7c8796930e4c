/* Lines of docker's json-file log, encoded without a JSON library:
 *   {"log":"text\n","stream":"stdout","time":"2026-11-23T06:42:00.123456789Z"}
 * The detached monitor (src/monitor/) is a tiny static program that carries no jansson, and
 * what it encodes is whatever bytes a container writes. Pure; unit-tested and fuzzed. */
#ifndef BERTH_UTIL_JSONLOG_H
#define BERTH_UTIL_JSONLOG_H

#include <stddef.h>

/* The most jsonlog_line writes for n bytes of text, a stream name of at most 6 characters and
 * a time of at most 39: every byte may become a six-character escape. */
#define JSONLOG_MAX(n) (6 * (size_t)(n) + 96)

/* One log line (with its '\n') for the n bytes at s into out, which holds JSONLOG_MAX(n)
 * bytes; returns its length. Valid UTF-8 is kept as it is; '"', '\\' and control characters
 * are escaped; each byte that is not part of valid UTF-8 becomes U+FFFD, as in docker's logs,
 * so the line is always valid JSON. */
size_t jsonlog_line(char *out, const char *stream, const char *time, const char *s, size_t n);

/* How many bytes at the end of s (0-3) begin a UTF-8 character that is not complete yet. A
 * reader of a pipe holds them back for its next read, so a character split between two reads
 * is not logged as two U+FFFD. */
size_t utf8_incomplete_tail(const char *s, size_t n);

#endif
