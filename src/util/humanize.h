/* Numbers for people, as docker prints them (go-units). Pure: no I/O, no allocation. */
#ifndef BERTH_UTIL_HUMANIZE_H
#define BERTH_UTIL_HUMANIZE_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

/* go-units BytesSize: binary units, 4 significant digits: "0B", "512B", "1.5KiB", "32MiB",
 * "7.661GiB". Returns buf. */
char *format_bytes_binary(uint64_t bytes, char *buf, size_t len);

/* go-units HumanSizeWithPrecision: decimal units (kB = 1000), precision significant digits:
 * "0B", "999B", "1.2kB", "4.1MB". docker stats uses precision 3 for NET I/O and BLOCK I/O.
 * Returns buf. */
char *format_bytes_decimal(uint64_t bytes, int precision, char *buf, size_t len);

/* "12.34%" (docker's formatPercentage). Returns buf. */
char *format_percent(double pct, char *buf, size_t len);

/* Go's text/tabwriter as docker's tables use it (minwidth 10, padding 3, spaces): rows of
 * ncols cells each; every column but the last is padded to max(widest cell + padding,
 * minwidth). Writes lines ending in "\n" into buf (NUL-terminated, truncated if short) and
 * returns the length the whole table needs, like snprintf. */
size_t format_table(const char *const *cells, size_t nrows, size_t ncols, size_t minwidth,
                    size_t padding, char *buf, size_t len);

/* format_table straight to a stream. */
void table_print(FILE *f, const char *const *cells, size_t nrows, size_t ncols, size_t minwidth,
                 size_t padding);

#endif
