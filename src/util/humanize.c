/* docker's number formatting (github.com/docker/go-units size.go, docker/cli's stats
 * formatter and text/tabwriter). */
#include "util/humanize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const binary_units[] = {"B",   "KiB", "MiB", "GiB", "TiB",
                                           "PiB", "EiB", "ZiB", "YiB"};
static const char *const decimal_units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
#define N_UNITS (sizeof(binary_units) / sizeof(binary_units[0]))

/* go-units getSizeAndUnit: divide while >= base, up to the last unit. C's %.*g prints what
 * Go's does for these magnitudes (< 10^4 after division, trailing zeros removed). */
static char *custom_size(double size, double base, const char *const *units, int precision,
                         char *buf, size_t len)
{
        size_t i = 0;
        while (size >= base && i < N_UNITS - 1) {
                size /= base;
                i++;
        }
        snprintf(buf, len, "%.*g%s", precision, size, units[i]);
        return buf;
}

char *format_bytes_binary(uint64_t bytes, char *buf, size_t len)
{
        return custom_size((double)bytes, 1024.0, binary_units, 4, buf, len);
}

char *format_bytes_decimal(uint64_t bytes, int precision, char *buf, size_t len)
{
        return custom_size((double)bytes, 1000.0, decimal_units, precision, buf, len);
}

char *format_percent(double pct, char *buf, size_t len)
{
        snprintf(buf, len, "%.2f%%", pct);
        return buf;
}

/* Display width of a UTF-8 string: characters, not bytes (a "…" is one column). */
static size_t u8width(const char *s)
{
        size_t n = 0;
        for (; s && *s; s++)
                n += ((unsigned char)*s & 0xc0) != 0x80;
        return n;
}

size_t format_table(const char *const *cells, size_t nrows, size_t ncols, size_t minwidth,
                    size_t padding, char *buf, size_t len)
{
        size_t need = 0;
        if (len)
                buf[0] = '\0';
        /* Each column's width, its widest cell, once: a ps of 10,000 rows stays linear. */
        size_t *width = calloc(ncols ? ncols : 1, sizeof(size_t));
        if (!width)
                return 0;
        for (size_t k = 0; k < nrows; k++)
                for (size_t c = 0; c + 1 < ncols; c++) {
                        size_t w = u8width(cells[k * ncols + c]);
                        width[c] = w > width[c] ? w : width[c];
                }
        for (size_t c = 0; c + 1 < ncols; c++)
                width[c] = width[c] + padding < minwidth ? minwidth : width[c] + padding;
        for (size_t r = 0; r < nrows; r++) {
                for (size_t c = 0; c < ncols; c++) {
                        const char *cell = cells[r * ncols + c] ? cells[r * ncols + c] : "";
                        size_t pad = c + 1 < ncols ? width[c] - u8width(cell) : 0;
                        int n = snprintf(need < len ? buf + need : NULL,
                                         need < len ? len - need : 0, "%s%*s", cell, (int)pad, "");
                        need += n > 0 ? (size_t)n : 0;
                }
                int n = snprintf(need < len ? buf + need : NULL, need < len ? len - need : 0, "\n");
                need += n > 0 ? (size_t)n : 0;
        }
        free(width);
        return need;
}

void table_print(FILE *f, const char *const *cells, size_t nrows, size_t ncols, size_t minwidth,
                 size_t padding)
{
        size_t need = format_table(cells, nrows, ncols, minwidth, padding, NULL, 0);
        char *buf = malloc(need + 1);
        if (!buf)
                return;
        format_table(cells, nrows, ncols, minwidth, padding, buf, need + 1);
        fputs(buf, f);
        free(buf);
}
