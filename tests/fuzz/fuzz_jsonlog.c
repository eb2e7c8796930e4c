/* Fuzz target: whatever bytes a container writes become a log line (src/util/jsonlog.c). The
 * line must stay within JSONLOG_MAX, parse as JSON, and give back the input when the input is
 * valid UTF-8; the held-back tail of a read is at most 3 bytes. */
#include "util/jsonlog.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const char *s = (const char *)data;
        if (utf8_incomplete_tail(s, size) > 3 || utf8_incomplete_tail(s, size) > size)
                abort();
        char *buf = malloc(JSONLOG_MAX(size));
        if (!buf)
                return 0;
        size_t len = jsonlog_line(buf, "stdout", "2026-11-23T06:42:00.123456789Z", s, size);
        if (len > JSONLOG_MAX(size) || len == 0 || buf[len - 1] != '\n')
                abort();
        json_t *o = json_loadb(buf, len - 1, JSON_ALLOW_NUL, NULL);
        if (!o)
                abort(); /* not valid JSON: the log's readers would stop here */
        json_t *log = json_object_get(o, "log");
        if (!json_is_string(log))
                abort();
        /* Valid UTF-8 in, the same bytes out (jansson refuses invalid UTF-8 in a string). */
        json_t *check = json_stringn(s, size);
        if (check && (json_string_length(log) != size || memcmp(json_string_value(log), s, size)))
                abort();
        json_decref(check);
        json_decref(o);
        free(buf);
        return 0;
}
