/* Unit tests of src/util/strv.c: string vectors and "KEY=VALUE" environment helpers. */
#include "test.h"

#include "util/strv.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

TEST(strv_len_of_null_and_empty)
{
        char *empty[] = { NULL };
        CHECK_INT_EQ(strv_len(NULL), 0);
        CHECK_INT_EQ(strv_len(empty), 0);
        char *three[] = { "a", "b", "c", NULL };
        CHECK_INT_EQ(strv_len(three), 3);
}

TEST(strv_push_onto_null_allocates)
{
        char **v = NULL;
        CHECK_INT_EQ(strv_push(&v, "one"), 0);
        CHECK_INT_EQ(strv_push(&v, "two"), 0);
        if (CHECK(v != NULL)) {
                CHECK_INT_EQ(strv_len(v), 2);
                CHECK_STR_EQ(v[0], "one");
                CHECK_STR_EQ(v[1], "two");
                CHECK(v[2] == NULL);
        }
        strv_free(v);
}

TEST(strv_push_copies_the_string)
{
        char buf[] = "mutable";
        char **v = NULL;
        CHECK_INT_EQ(strv_push(&v, buf), 0);
        buf[0] = 'X';
        CHECK_STR_EQ(v ? v[0] : NULL, "mutable");
        strv_free(v);
}

TEST(strv_dup_is_deep_and_null_terminated)
{
        char a[] = "alpha", b[] = "beta";
        char *src[] = { a, b, NULL };
        char **d = strv_dup(src);
        if (CHECK(d != NULL)) {
                CHECK_INT_EQ(strv_len(d), 2);
                CHECK(d[0] != a && d[1] != b);
                a[0] = 'X';
                CHECK_STR_EQ(d[0], "alpha");
                CHECK_STR_EQ(d[1], "beta");
        }
        strv_free(d);

        char **e = strv_dup(NULL);
        if (CHECK(e != NULL)) {
                CHECK_INT_EQ(strv_len(e), 0);
                CHECK(e[0] == NULL);
        }
        strv_free(e);
}

TEST(strv_extend_appends_all)
{
        char **v = NULL;
        char *more[] = { "x", "y", NULL };
        CHECK_INT_EQ(strv_push(&v, "w"), 0);
        CHECK_INT_EQ(strv_extend(&v, more), 0);
        CHECK_INT_EQ(strv_extend(&v, NULL), 0);
        CHECK_INT_EQ(strv_len(v), 3);
        if (v && strv_len(v) == 3) {
                CHECK_STR_EQ(v[0], "w");
                CHECK_STR_EQ(v[1], "x");
                CHECK_STR_EQ(v[2], "y");
        }
        strv_free(v);
}

TEST(strv_free_null_is_fine)
{
        strv_free(NULL);
        CHECK(1);
}

TEST(env_find_matches_whole_keys_only)
{
        char *env[] = { "PATH=/bin", "PA=short", "PATHX=long", "EMPTY=", "BARE", NULL };
        CHECK_INT_EQ(env_find(env, "PATH"), 0);
        CHECK_INT_EQ(env_find(env, "PA"), 1);
        CHECK_INT_EQ(env_find(env, "PATHX"), 2);
        CHECK_INT_EQ(env_find(env, "P"), -1);
        CHECK_INT_EQ(env_find(env, "PATHXY"), -1);
        /* the key may be given as a whole entry */
        CHECK_INT_EQ(env_find(env, "PATH=/usr/bin"), 0);
        CHECK_INT_EQ(env_find(env, "EMPTY"), 3);
        CHECK_INT_EQ(env_find(env, "BARE"), 4);
        CHECK_INT_EQ(env_find(NULL, "PATH"), -1);
        /* case matters */
        CHECK_INT_EQ(env_find(env, "path"), -1);
}

TEST(env_get_values)
{
        char *env[] = { "A=1", "B=", "C=x=y", "BARE", NULL };
        CHECK_STR_EQ(env_get(env, "A"), "1");
        CHECK_STR_EQ(env_get(env, "B"), "");
        CHECK_STR_EQ(env_get(env, "C"), "x=y");
        CHECK_STR_EQ(env_get(env, "BARE"), "");
        CHECK_STR_EQ(env_get(env, "D"), NULL);
        CHECK_STR_EQ(env_get(NULL, "A"), NULL);
}

TEST(env_set_appends_new_key)
{
        char **env = NULL;
        CHECK_INT_EQ(env_set(&env, "PATH=/bin"), 0);
        CHECK_INT_EQ(env_set(&env, "HOME=/root"), 0);
        CHECK_INT_EQ(strv_len(env), 2);
        CHECK_STR_EQ(env_get(env, "PATH"), "/bin");
        CHECK_STR_EQ(env_get(env, "HOME"), "/root");
        strv_free(env);
}

TEST(env_set_replaces_in_place)
{
        char **env = NULL;
        CHECK_INT_EQ(env_set(&env, "A=1"), 0);
        CHECK_INT_EQ(env_set(&env, "B=2"), 0);
        CHECK_INT_EQ(env_set(&env, "C=3"), 0);
        CHECK_INT_EQ(env_set(&env, "B=two"), 0);
        CHECK_INT_EQ(strv_len(env), 3);
        if (env && strv_len(env) == 3) {
                CHECK_STR_EQ(env[0], "A=1");
                CHECK_STR_EQ(env[1], "B=two"); /* position kept, like docker's -e over image Env */
                CHECK_STR_EQ(env[2], "C=3");
        }
        /* replacing with an empty value keeps the key */
        CHECK_INT_EQ(env_set(&env, "A="), 0);
        CHECK_STR_EQ(env_get(env, "A"), "");
        CHECK_INT_EQ(strv_len(env), 3);
        strv_free(env);
}

TEST(env_set_prefix_keys_are_distinct)
{
        char **env = NULL;
        CHECK_INT_EQ(env_set(&env, "PATH=/bin"), 0);
        CHECK_INT_EQ(env_set(&env, "PATHEXT=.x"), 0);
        CHECK_INT_EQ(env_set(&env, "PAT=y"), 0);
        CHECK_INT_EQ(strv_len(env), 3);
        CHECK_STR_EQ(env_get(env, "PATH"), "/bin");
        CHECK_STR_EQ(env_get(env, "PATHEXT"), ".x");
        CHECK_STR_EQ(env_get(env, "PAT"), "y");
        strv_free(env);
}

TEST(env_set_copies_entry)
{
        char buf[] = "K=v";
        char **env = NULL;
        CHECK_INT_EQ(env_set(&env, buf), 0);
        buf[2] = 'X';
        CHECK_STR_EQ(env_get(env, "K"), "v");
        strv_free(env);
}

TEST(env_set_many_keeps_last_value)
{
        char **env = NULL;
        char entry[32];
        for (int i = 0; i < 200; i++) {
                snprintf(entry, sizeof(entry), "K%d=%d", i % 50, i);
                CHECK_INT_EQ(env_set(&env, entry), 0);
        }
        CHECK_INT_EQ(strv_len(env), 50);
        CHECK_STR_EQ(env_get(env, "K0"), "150");
        CHECK_STR_EQ(env_get(env, "K49"), "199");
        strv_free(env);
}
