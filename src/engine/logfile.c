#include "engine/logfile.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int write_line(FILE *f, const char *stream, const char *time, const char *s, size_t n)
{
        json_t *o = json_object();
        json_object_set_new(o, "log", json_stringn_nocheck(s, n));
        json_object_set_new(o, "stream", json_string(stream));
        json_object_set_new(o, "time", json_string(time));
        /* JSON_ENSURE_ASCII: a chunk may split a UTF-8 sequence; escaped, it survives. */
        int r = json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
        json_decref(o);
        if (r < 0 || fputc('\n', f) == EOF)
                return -EIO;
        return 0;
}

int logfile_write(FILE *f, const char *stream, const char *time, const char *chunk, size_t len)
{
        size_t start = 0;
        for (size_t i = 0; i < len; i++)
                if (chunk[i] == '\n') {
                        if (write_line(f, stream, time, chunk + start, i + 1 - start) < 0)
                                return -EIO;
                        start = i + 1;
                }
        if (start < len && write_line(f, stream, time, chunk + start, len - start) < 0)
                return -EIO;
        return fflush(f) == 0 ? 0 : -EIO;
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
