/* A tiny unit-test framework: tests register themselves, checks record failures and go on.
 *
 *     #include "test.h"
 *     TEST(env_set_replaces) { CHECK_INT_EQ(env_set(&env, "A=2"), 0); ... }
 *
 * tests/unit/main.c runs them all (or those whose name contains argv[1]) and ends with
 * "unit: P passed, F failed"; exit status 1 if any failed. */
#ifndef BERTH_TEST_H
#define BERTH_TEST_H

#include <stdbool.h>

typedef void (*test_fn)(void);

void test_register(const char *name, const char *file, test_fn fn);
/* Records a failure of the running test; never returns early. */
void test_fail(const char *file, int line, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* Small helpers for the CHECK macros; they return whether the check passed. */
bool test_check(const char *file, int line, const char *expr, bool ok);
bool test_check_int(const char *file, int line, const char *ea, const char *eb, long long a,
                    long long b);
bool test_check_str(const char *file, int line, const char *ea, const char *eb, const char *a,
                    const char *b);

#define TEST(name)                                                                                 \
        static void test_##name(void);                                                             \
        __attribute__((constructor)) static void test_register_##name(void)                        \
        {                                                                                          \
                test_register(#name, __FILE__, test_##name);                                       \
        }                                                                                          \
        static void test_##name(void)

#define CHECK(cond) test_check(__FILE__, __LINE__, #cond, (cond))

#define CHECK_INT_EQ(a, b)                                                                         \
        test_check_int(__FILE__, __LINE__, #a, #b, (long long)(a), (long long)(b))

#define CHECK_STR_EQ(a, b) test_check_str(__FILE__, __LINE__, #a, #b, (a), (b))

#endif
