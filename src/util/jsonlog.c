#include "util/jsonlog.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 character at s (n bytes left), or 0 if it is not one: no overlong
 * forms, no surrogates, nothing above U+10FFFF (the rules of RFC 3629). */
static size_t utf8_char(const unsigned char *s, size_t n)
{
        unsigned char c = s[0];
        size_t len;
        unsigned char lo = 0x80, hi = 0xbf; /* the allowed range of the second byte */
        if (c < 0x80)
                return 1;
        if (c >= 0xc2 && c <= 0xdf)
                len = 2;
        else if (c >= 0xe0 && c <= 0xef) {
                len = 3;
                if (c == 0xe0)
                        lo = 0xa0; /* overlong */
                else if (c == 0xed)
                        hi = 0x9f; /* surrogates */
        } else if (c >= 0xf0 && c <= 0xf4) {
                len = 4;
                if (c == 0xf0)
                        lo = 0x90; /* overlong */
                else if (c == 0xf4)
                        hi = 0x8f; /* above U+10FFFF */
        } else
                return 0;
        if (n < len || s[1] < lo || s[1] > hi)
                return 0;
        for (size_t i = 2; i < len; i++)
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
        return len;
}

static char *put(char *o, const char *s)
{
        size_t n = strlen(s);
        memcpy(o, s, n);
        return o + n;
}

static char *put_string(char *o, const unsigned char *s, size_t n)
{
        static const char hex[] = "0123456789abcdef";
        *o++ = '"';
        for (size_t i = 0; i < n;) {
                unsigned char c = s[i];
                if (c >= 0x80) {
                        size_t len = utf8_char(s + i, n - i);
                        if (len == 0) {
                                o = put(o, "\\ufffd");
                                i++;
                        } else {
                                memcpy(o, s + i, len);
                                o += len;
                                i += len;
                        }
                        continue;
                }
                i++;
                switch (c) {
                case '"': o = put(o, "\\\""); break;
                case '\\': o = put(o, "\\\\"); break;
                case '\n': o = put(o, "\\n"); break;
                case '\r': o = put(o, "\\r"); break;
                case '\t': o = put(o, "\\t"); break;
                default:
                        if (c < 0x20 || c == 0x7f) {
                                o = put(o, "\\u00");
                                *o++ = hex[c >> 4];
                                *o++ = hex[c & 15];
                        } else {
                                *o++ = (char)c;
                        }
                }
        }
        *o++ = '"';
        return o;
}

size_t jsonlog_line(char *out, const char *stream, const char *time, const char *s, size_t n)
{
        char *o = put(out, "{\"log\":");
        o = put_string(o, (const unsigned char *)s, n);
        o = put(o, ",\"stream\":");
        o = put_string(o, (const unsigned char *)stream, strnlen(stream, 6));
        o = put(o, ",\"time\":");
        o = put_string(o, (const unsigned char *)time, strnlen(time, 39));
        o = put(o, "}\n");
        return (size_t)(o - out);
}

size_t utf8_incomplete_tail(const char *str, size_t n)
{
        const unsigned char *s = (const unsigned char *)str;
        /* The last lead byte within the last three bytes, with only continuation bytes after. */
        for (size_t k = 1; k <= 3 && k <= n; k++) {
                unsigned char c = s[n - k];
                if ((c & 0xc0) == 0x80)
                        continue;
                size_t need = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
                                                         : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
                if (need <= k)
                        return 0; /* ASCII, an invalid byte, or a character already complete */
                /* Only hold back what could still become valid: check the second byte's range
                 * by completing the prefix with the smallest continuation bytes that fit. */
                unsigned char probe[4] = {0x80, 0x80, 0x80, 0x80};
                memcpy(probe, s + n - k, k);
                if (k == 1) {
                        probe[1] = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
                }
                return utf8_char(probe, need) == need ? k : 0;
        }
        return 0;
}

void jsonlog_loss_note(struct jsonlog_loss *l, size_t raw, int err)
{
        if (err == 0) {
                l->bytes = 0;
                l->err = 0;
                return;
        }
        l->bytes += raw;
        l->err = err;
}

size_t jsonlog_loss_text(char *out, const struct jsonlog_loss *l, const char *reason)
{
        if (l->bytes == 0) {
                out[0] = '\0';
                return 0;
        }
        char first = reason && reason[0] ? reason[0] : '?';
        if (first >= 'A' && first <= 'Z')
                first = (char)(first - 'A' + 'a');
        int n = snprintf(out, JSONLOG_LOSS_MAX, "berth: %llu bytes of output lost: %c%.100s\n",
                         l->bytes, first, reason && reason[0] ? reason + 1 : "");
        return n < 0 ? 0 : (size_t)n < JSONLOG_LOSS_MAX ? (size_t)n : JSONLOG_LOSS_MAX - 1;
}
