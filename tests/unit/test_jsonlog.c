/* Unit tests of src/util/jsonlog.c (the log encoder without a JSON library) and of
 * rfc3339_format (src/util/timefmt.c), both used by the static berth-monitor. The output is
 * checked by parsing it back with jansson, the library every other reader of the log uses. */
#include "test.h"

#include "util/jsonlog.h"
#include "util/timefmt.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Encodes s, checks the line is one JSON object + '\n' and returns its "log" (heap). */
static char *roundtrip(const char *s, size_t n, size_t *len_out)
{
        char *buf = malloc(JSONLOG_MAX(n));
        size_t len = jsonlog_line(buf, "stderr", "2026-11-23T06:42:00.123456789Z", s, n);
        CHECK(len <= JSONLOG_MAX(n));
        CHECK(len > 0 && buf[len - 1] == '\n');
        json_error_t err;
        json_t *o = json_loadb(buf, len - 1, JSON_ALLOW_NUL, &err);
        CHECK(o != NULL);
        char *log = NULL;
        if (o) {
                CHECK_STR_EQ(json_string_value(json_object_get(o, "stream")), "stderr");
                CHECK_STR_EQ(json_string_value(json_object_get(o, "time")),
                             "2026-11-23T06:42:00.123456789Z");
                json_t *l = json_object_get(o, "log");
                *len_out = json_string_length(l);
                log = malloc(*len_out + 1);
                memcpy(log, json_string_value(l), *len_out + 1);
        }
        json_decref(o);
        free(buf);
        return log;
}

TEST(jsonlog_line_shape)
{
        char buf[JSONLOG_MAX(6)];
        size_t n = jsonlog_line(buf, "stdout", "T", "hello\n", 6);
        buf[n] = '\0';
        CHECK_STR_EQ(buf, "{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"T\"}\n");
}

TEST(jsonlog_line_escapes)
{
        const char s[] = "a\"b\\c\td\r\x01\x1f\x7f<&>";
        size_t n;
        char *log = roundtrip(s, sizeof(s) - 1, &n);
        CHECK_INT_EQ(n, sizeof(s) - 1);
        CHECK(log && memcmp(log, s, n) == 0);
        free(log);
        /* A NUL byte survives as \u0000. */
        log = roundtrip("a\0b", 3, &n);
        CHECK_INT_EQ(n, 3);
        CHECK(log && memcmp(log, "a\0b", 3) == 0);
        free(log);
}

TEST(jsonlog_line_keeps_valid_utf8)
{
        const char s[] = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3\n";
        char buf[JSONLOG_MAX(sizeof(s))];
        size_t len = jsonlog_line(buf, "stdout", "T", s, sizeof(s) - 1);
        CHECK(memmem(buf, len, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3", 13) != NULL);
        size_t n;
        char *log = roundtrip(s, sizeof(s) - 1, &n);
        CHECK(log && n == sizeof(s) - 1 && memcmp(log, s, n) == 0);
        free(log);
}

TEST(jsonlog_line_replaces_invalid_utf8)
{
        static const struct {
                const char *in;
                const char *out;
        } cases[] = {
                {"a\xc3", "a\xef\xbf\xbd"},                    /* cut short */
                {"\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd"},      /* overlong '/' */
                {"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}, /* a surrogate */
                {"\xf4\x90\x80\x80x", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx"},
                {"\xff", "\xef\xbf\xbd"},
                {"\x80z", "\xef\xbf\xbdz"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                size_t n;
                char *log = roundtrip(cases[i].in, strlen(cases[i].in), &n);
                CHECK(log != NULL);
                if (log)
                        CHECK_STR_EQ(log, cases[i].out);
                free(log);
        }
}

TEST(utf8_incomplete_tail_cases)
{
        CHECK_INT_EQ(utf8_incomplete_tail("", 0), 0);
        CHECK_INT_EQ(utf8_incomplete_tail("abc", 3), 0);
        CHECK_INT_EQ(utf8_incomplete_tail("ab\xc3", 3), 1);
        CHECK_INT_EQ(utf8_incomplete_tail("ab\xc3\xa9", 4), 0);        /* complete */
        CHECK_INT_EQ(utf8_incomplete_tail("\xe2\x82", 2), 2);
        CHECK_INT_EQ(utf8_incomplete_tail("\xf0\x9f\x90", 3), 3);
        CHECK_INT_EQ(utf8_incomplete_tail("\xf0\x9f", 2), 2);
        CHECK_INT_EQ(utf8_incomplete_tail("x\xe0", 2), 1);
        CHECK_INT_EQ(utf8_incomplete_tail("x\xe0\x80", 3), 0);  /* overlong: never valid */
        CHECK_INT_EQ(utf8_incomplete_tail("x\xed\xa0", 3), 0);  /* a surrogate */
        CHECK_INT_EQ(utf8_incomplete_tail("x\xf5", 2), 0);      /* no such lead byte */
        CHECK_INT_EQ(utf8_incomplete_tail("\xa9\xa9\xa9", 3), 0); /* continuations only */
        CHECK_INT_EQ(utf8_incomplete_tail("\xc3\n", 2), 0);     /* a newline ends it */
}

TEST(rfc3339_format_dates)
{
        static const struct {
                time_t sec;
                long ns;
                const char *want;
        } cases[] = {
                {0, 0, "1970-01-01T00:00:00.000000000Z"},
                {1795416120, 123456789, "2026-11-23T06:42:00.123456789Z"},
                {951782400, 1, "2000-02-29T00:00:00.000000001Z"},  /* leap day of a 400 year */
                {1709251199, 999999999, "2024-02-29T23:59:59.999999999Z"},
                {4102444800, 0, "2100-01-01T00:00:00.000000000Z"}, /* past 2038 */
                {-1, 0, "1969-12-31T23:59:59.000000000Z"},
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct timespec t = {cases[i].sec, cases[i].ns};
                char out[40];
                rfc3339_format(&t, out);
                CHECK_STR_EQ(out, cases[i].want);
                struct timespec back;
                CHECK_INT_EQ(rfc3339_parse(out, &back), 0);
                CHECK_INT_EQ(back.tv_sec, cases[i].sec);
        }
}

/* What the monitor does while the log cannot grow: count, then one marker line. */
TEST(jsonlog_loss_counts_until_a_write_goes_through)
{
        struct jsonlog_loss l = {0, 0};
        char text[JSONLOG_LOSS_MAX];
        CHECK_INT_EQ(jsonlog_loss_text(text, &l, "No space left on device"), 0);
        CHECK_STR_EQ(text, "");
        jsonlog_loss_note(&l, 1000, 0); /* written: nothing to report */
        CHECK_INT_EQ(l.bytes, 0);
        jsonlog_loss_note(&l, 1200, ENOSPC);
        jsonlog_loss_note(&l, 34, ENOSPC);
        CHECK_INT_EQ(l.bytes, 1234);
        CHECK_INT_EQ(l.err, ENOSPC);
        size_t n = jsonlog_loss_text(text, &l, "No space left on device");
        CHECK_STR_EQ(text, "berth: 1234 bytes of output lost: no space left on device\n");
        CHECK_INT_EQ(n, strlen(text));
        /* The last failure names the cause. */
        jsonlog_loss_note(&l, 6, EFBIG);
        jsonlog_loss_text(text, &l, "File too large");
        CHECK_STR_EQ(text, "berth: 1240 bytes of output lost: file too large\n");
        /* The batch with the marker went through: counting starts again. */
        jsonlog_loss_note(&l, 10, 0);
        CHECK_INT_EQ(l.bytes, 0);
        CHECK_INT_EQ(jsonlog_loss_text(text, &l, "File too large"), 0);
}

TEST(jsonlog_loss_text_bounds_and_odd_reasons)
{
        struct jsonlog_loss l = {18446744073709551615ull, EIO};
        char text[JSONLOG_LOSS_MAX], reason[400];
        memset(reason, 'X', sizeof(reason) - 1);
        reason[sizeof(reason) - 1] = '\0';
        size_t n = jsonlog_loss_text(text, &l, reason);
        CHECK(n < JSONLOG_LOSS_MAX);
        CHECK_INT_EQ(n, strlen(text));
        CHECK(!strncmp(text, "berth: 18446744073709551615 bytes of output lost: x", 51));
        CHECK_INT_EQ(text[n - 1], '\n');
        l.bytes = 1;
        jsonlog_loss_text(text, &l, "");
        CHECK_STR_EQ(text, "berth: 1 bytes of output lost: ?\n");
        jsonlog_loss_text(text, &l, NULL);
        CHECK_STR_EQ(text, "berth: 1 bytes of output lost: ?\n");
        /* The marker is a log line like any other. */
        size_t len = 0;
        jsonlog_loss_text(text, &l, "Disk quota exceeded");
        char *log = roundtrip(text, strlen(text), &len);
        CHECK_STR_EQ(log, "berth: 1 bytes of output lost: disk quota exceeded\n");
        free(log);
}
