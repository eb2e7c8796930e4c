#include "engine/container/logfile.h"

#include "util/jsonlog.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int logfile_write(FILE *f, const char *stream, const char *time, const char *chunk, size_t len)
{
        /* One buffer fits any line of the chunk (jsonlog.h): a line is at most len bytes. */
        char *buf = malloc(JSONLOG_MAX(len));
        if (!buf)
                return -ENOMEM;
        int r = 0;
        for (size_t start = 0, i = 0; i < len && r == 0; i++)
                if (chunk[i] == '\n' || i + 1 == len) {
                        size_t n = jsonlog_line(buf, stream, time, chunk + start, i + 1 - start);
                        if (fwrite(buf, 1, n, f) != n)
                                r = -(errno ? errno : EIO);
                        start = i + 1;
                }
        free(buf);
        if (r == 0 && fflush(f) != 0)
                r = -(errno ? errno : EIO);
        return r;
}

int logfile_parse_line(const char *line, size_t len, struct log_entry *out)
{
        memset(out, 0, sizeof(*out));
        json_t *o = json_loadb(line, len, JSON_ALLOW_NUL, NULL);
        json_t *log = json_object_get(o, "log"), *st = json_object_get(o, "stream"),
               *tm = json_object_get(o, "time");
        if (!json_is_string(log) || !json_is_string(st) || !json_is_string(tm)) {
                json_decref(o);
                return -EINVAL;
        }
        out->len = json_string_length(log);
        out->text = malloc(out->len + 1);
        if (!out->text) {
                json_decref(o);
                return -ENOMEM;
        }
        memcpy(out->text, json_string_value(log), out->len);
        out->text[out->len] = '\0';
        snprintf(out->stream, sizeof(out->stream), "%s", json_string_value(st));
        snprintf(out->time, sizeof(out->time), "%s", json_string_value(tm));
        json_decref(o);
        return 0;
}

void log_entry_clear(struct log_entry *le)
{
        free(le->text);
        le->text = NULL;
}
