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

/* Output the log could not take (a full disk, a file size limit): while writes fail the
 * writer counts what it dropped; the next write that can go through first carries one line
 * that says so (on stderr, where `berth logs` prints a container's own complaints; stdout stays
 * the program's output), "berth: 1234 bytes of output lost: no space left on device".
 * Pure, so the monitor's arithmetic is unit-tested. */
struct jsonlog_loss {
        unsigned long long bytes; /* dropped since the last write that went through */
        int err;                  /* errno of the last failed write */
};

/* The marker's text has at most this many bytes (with its NUL). */
#define JSONLOG_LOSS_MAX 160

/* After writing a batch that held raw bytes of output: err 0 (it went through, and with it the
 * marker, if one was due: the count starts again) or the write's errno (raw bytes lost). */
void jsonlog_loss_note(struct jsonlog_loss *l, size_t raw, int err);

/* The marker's text for l into out (JSONLOG_LOSS_MAX bytes), with reason (strerror of l->err)
 * starting lowercase as Go's error texts do; its length, or 0 when nothing was lost. */
size_t jsonlog_loss_text(char *out, const struct jsonlog_loss *l, const char *reason);

#endif
