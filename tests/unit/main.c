/* Runner of the unit tests registered with TEST(); see test.h. */
#include "test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct test {
        const char *name, *file;
        test_fn fn;
        size_t seq; /* registration order, to keep a file's tests in source order */
};

static struct test *tests;
static size_t n_tests, cap_tests;
static unsigned cur_failures;
static char *cur_log; /* failure details of the running test */
static size_t cur_log_len;

void test_register(const char *name, const char *file, test_fn fn)
{
        if (n_tests == cap_tests) {
                cap_tests = cap_tests ? cap_tests * 2 : 64;
                tests = realloc(tests, cap_tests * sizeof(*tests));
                if (!tests) {
                        fputs("unit: out of memory\n", stderr);
                        exit(2);
                }
        }
        tests[n_tests] = (struct test){ name, file, fn, n_tests };
        n_tests++;
}

static void log_append(const char *fmt, va_list ap)
{
        va_list cp;
        va_copy(cp, ap);
        int n = vsnprintf(NULL, 0, fmt, cp);
        va_end(cp);
        if (n < 0)
                return;
        char *nl = realloc(cur_log, cur_log_len + (size_t)n + 1);
        if (!nl)
                return;
        cur_log = nl;
        vsnprintf(cur_log + cur_log_len, (size_t)n + 1, fmt, ap);
        cur_log_len += (size_t)n;
}

static void log_printf(const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        log_append(fmt, ap);
        va_end(ap);
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
        cur_failures++;
        log_printf("    %s:%d: ", file, line);
        va_list ap;
        va_start(ap, fmt);
        log_append(fmt, ap);
        va_end(ap);
        log_printf("\n");
}

bool test_check(const char *file, int line, const char *expr, bool ok)
{
        if (!ok)
                test_fail(file, line, "CHECK(%s) failed", expr);
        return ok;
}

bool test_check_int(const char *file, int line, const char *ea, const char *eb, long long a,
                    long long b)
{
        if (a == b)
                return true;
        test_fail(file, line, "CHECK_INT_EQ(%s, %s): %lld != %lld", ea, eb, a, b);
        return false;
}

bool test_check_str(const char *file, int line, const char *ea, const char *eb, const char *a,
                    const char *b)
{
        if (a == b || (a && b && strcmp(a, b) == 0))
                return true;
        char qa[600], qb[600];
        if (a)
                snprintf(qa, sizeof(qa), "\"%.512s\"", a);
        else
                snprintf(qa, sizeof(qa), "NULL");
        if (b)
                snprintf(qb, sizeof(qb), "\"%.512s\"", b);
        else
                snprintf(qb, sizeof(qb), "NULL");
        test_fail(file, line, "CHECK_STR_EQ(%s, %s): %s != %s", ea, eb, qa, qb);
        return false;
}

static int by_file_then_order(const void *pa, const void *pb)
{
        const struct test *a = pa, *b = pb;
        int c = strcmp(a->file, b->file);
        if (c)
                return c;
        return a->seq < b->seq ? -1 : a->seq > b->seq;
}

int main(int argc, char **argv)
{
        const char *filter = argc > 1 ? argv[1] : NULL;
        unsigned passed = 0, failed = 0;

        /* Constructors run in link order; sort by file (stable within a file) for a steady report. */
        qsort(tests, n_tests, sizeof(*tests), by_file_then_order);
        setvbuf(stdout, NULL, _IOLBF, 0);
        for (size_t i = 0; i < n_tests; i++) {
                if (filter && !strstr(tests[i].name, filter))
                        continue;
                cur_failures = 0;
                cur_log_len = 0;
                if (cur_log)
                        cur_log[0] = '\0';
                tests[i].fn();
                if (cur_failures == 0) {
                        passed++;
                        printf("ok %s\n", tests[i].name);
                } else {
                        failed++;
                        printf("FAIL %s\n%s", tests[i].name, cur_log ? cur_log : "");
                }
        }
        free(cur_log);
        free(tests);
        printf("unit: %u passed, %u failed\n", passed, failed);
        return failed ? 1 : 0;
}
