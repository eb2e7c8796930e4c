/* Unit tests of the pure parts of src/engine/containers.h: names and ids. */
#include "test.h"

#include "engine/container/containers.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

TEST(container_name_valid_accepts_docker_names)
{
        CHECK(container_name_valid("a"));
        CHECK(container_name_valid("web"));
        CHECK(container_name_valid("Web_1.x-y"));
        CHECK(container_name_valid("0abc"));
        CHECK(container_name_valid("a__b..c--d"));
        CHECK(container_name_valid("brave_anchor_1a2b3c"));
        char name[201];
        memset(name, 'n', 200);
        name[200] = '\0';
        CHECK(container_name_valid(name));
}

TEST(container_name_valid_refuses_bad_names)
{
        CHECK(!container_name_valid(""));
        CHECK(!container_name_valid("_a"));
        CHECK(!container_name_valid(".a"));
        CHECK(!container_name_valid("-a"));
        CHECK(!container_name_valid("a b"));
        CHECK(!container_name_valid("a/b"));
        CHECK(!container_name_valid(".."));
        CHECK(!container_name_valid("."));
        CHECK(!container_name_valid("a:b"));
        CHECK(!container_name_valid("a\n"));
        CHECK(!container_name_valid("caf\xc3\xa9"));
        CHECK(!container_name_valid("/web")); /* docker strips a leading '/'; berth refuses */
        char name[202];
        memset(name, 'n', 201);
        name[201] = '\0';
        CHECK(!container_name_valid(name)); /* longer than a file name can safely be */
}

static bool all_hex(const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
                        return false;
        return true;
}

TEST(container_new_id_is_64_hex)
{
        char a[65], b[65];
        struct berr e = {0};
        memset(a, 'Z', sizeof(a));
        CHECK_INT_EQ(container_new_id(a, &e), 0);
        CHECK_INT_EQ(strlen(a), 64);
        CHECK(all_hex(a, 64));
        CHECK_INT_EQ(container_new_id(b, &e), 0);
        CHECK(strcmp(a, b) != 0);
}

TEST(container_default_name_shape)
{
        char id[65], name[128];
        struct berr e = {0};
        for (int i = 0; i < 50; i++) {
                CHECK_INT_EQ(container_new_id(id, &e), 0);
                container_default_name(id, name, sizeof(name));
                if (!container_name_valid(name))
                        test_fail(__FILE__, __LINE__, "default name \"%s\" is not valid", name);
                /* adjective_noun_<6 id digits> */
                char *u1 = strchr(name, '_'), *u2 = u1 ? strchr(u1 + 1, '_') : NULL;
                if (!u1 || !u2 || strlen(u2 + 1) != 6 || strncmp(u2 + 1, id + 2, 6))
                        test_fail(__FILE__, __LINE__, "default name \"%s\" for id %s", name, id);
        }
        /* Deterministic. */
        const char *fixed = "0f123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd";
        char n1[64], n2[64];
        container_default_name(fixed, n1, sizeof(n1));
        container_default_name(fixed, n2, sizeof(n2));
        CHECK_STR_EQ(n1, n2);
        CHECK_STR_EQ(n1, "brave_wharf_123456");
        /* Truncated to the buffer and still NUL-terminated. */
        char small[6];
        container_default_name(fixed, small, sizeof(small));
        CHECK_STR_EQ(small, "brave");
}
