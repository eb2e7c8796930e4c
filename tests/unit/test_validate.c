/* Unit tests of src/util/validate.h: RFC 1123 hostnames. */
#include "test.h"

#include "util/validate.h"

#include <string.h>

TEST(hostname_valid_accepts)
{
        CHECK(hostname_valid("a"));
        CHECK(hostname_valid("web"));
        CHECK(hostname_valid("Web-1"));
        CHECK(hostname_valid("1"));
        CHECK(hostname_valid("0abc"));
        CHECK(hostname_valid("a.b.c"));
        CHECK(hostname_valid("my-host.example.com"));
        CHECK(hostname_valid("a--b"));
        char label[64];
        memset(label, 'x', 63);
        label[63] = '\0';
        CHECK(hostname_valid(label));
        /* 253 characters in labels of 63. */
        char h[254];
        memset(h, 'a', 253);
        h[63] = h[127] = h[191] = '.';
        h[253] = '\0';
        CHECK(hostname_valid(h));
}

TEST(hostname_valid_refuses)
{
        CHECK(!hostname_valid(""));
        CHECK(!hostname_valid("-a"));
        CHECK(!hostname_valid("a-"));
        CHECK(!hostname_valid("a.-b"));
        CHECK(!hostname_valid("a-.b"));
        CHECK(!hostname_valid("."));
        CHECK(!hostname_valid(".a"));
        CHECK(!hostname_valid("a."));
        CHECK(!hostname_valid("a..b"));
        CHECK(!hostname_valid("a_b"));
        CHECK(!hostname_valid("a b"));
        CHECK(!hostname_valid("a/b"));
        CHECK(!hostname_valid("a:b"));
        CHECK(!hostname_valid("caf\xc3\xa9"));
        CHECK(!hostname_valid("-"));
        char label[65];
        memset(label, 'x', 64);
        label[64] = '\0';
        CHECK(!hostname_valid(label)); /* a label of 64 */
        char h[256];
        memset(h, 'a', 254);
        h[63] = h[127] = h[191] = '.';
        h[254] = '\0';
        CHECK(!hostname_valid(h)); /* 254 characters */
}
