/* A container's log: <dir>/container.log, docker's json-file format, one JSON object per line:
 *   {"log":"text\n","stream":"stdout","time":"2026-11-23T06:42:00.123456789Z"}
 * so stdout and stderr stay apart and every line keeps the time it was written. */
#ifndef BERTH_ENGINE_LOGFILE_H
#define BERTH_ENGINE_LOGFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Appends chunk (len bytes of one stream) to f as log lines, split after each '\n'; a tail with
 * no newline becomes a line of its own (docker does the same). time is RFC 3339. 0 or the
 * negative errno of the failed write. */
int logfile_write(FILE *f, const char *stream, const char *time, const char *chunk, size_t len);

struct log_entry {
        char *text; /* heap; includes the trailing newline if there was one */
        size_t len;
        char stream[8]; /* "stdout" / "stderr" */
        char time[40];
};
/* Parses one line of the log; -EINVAL if it is not one of ours. Pure. */
int logfile_parse_line(const char *line, size_t len, struct log_entry *out);
void log_entry_clear(struct log_entry *le);

#endif
