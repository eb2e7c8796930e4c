/* Unit tests of src/engine/resolv.h: dropping loopback nameservers from the host's resolv.conf. */
#include "test.h"

#include "engine/network/resolv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *filter(const char *in)
{
        static char buf[4096];
        char *out = resolv_filter(in);
        if (!out)
                return "NULL";
        snprintf(buf, sizeof(buf), "%s", out);
        free(out);
        return buf;
}

TEST(resolv_filter_drops_loopback)
{
        CHECK_STR_EQ(filter("nameserver 127.0.0.53\nsearch lan\n"), "search lan\n");
        CHECK_STR_EQ(filter("nameserver 127.0.0.1\nnameserver 8.8.8.8\n"), "nameserver 8.8.8.8\n");
        CHECK_STR_EQ(filter("nameserver ::1\nnameserver 2001:4860:4860::8888\n"),
                     "nameserver 2001:4860:4860::8888\n");
        CHECK_STR_EQ(filter("nameserver 127.1.2.3\n"), "");
        /* Leading whitespace and tabs. */
        CHECK_STR_EQ(filter("  nameserver\t127.0.0.1\n"), "");
}

TEST(resolv_filter_keeps_the_rest)
{
        const char *in = "# generated\n"
                         "domain example.com\n"
                         "search a.example b.example\n"
                         "nameserver 10.0.0.1\n"
                         "options ndots:2 edns0\n";
        CHECK_STR_EQ(filter(in), in);
        /* Not loopback: 127 as a prefix of another octet, a comment mentioning 127.0.0.1. */
        CHECK_STR_EQ(filter("nameserver 1.27.0.1\n"), "nameserver 1.27.0.1\n");
        CHECK_STR_EQ(filter("# nameserver 127.0.0.1\n"), "# nameserver 127.0.0.1\n");
        CHECK_STR_EQ(filter("nameserver ::10\n"), "nameserver ::10\n");
        CHECK_STR_EQ(filter("nameserver 10.127.0.1\n"), "nameserver 10.127.0.1\n");
}

TEST(resolv_filter_edges)
{
        CHECK_STR_EQ(filter(""), "");
        CHECK_STR_EQ(filter("\n"), "\n");
        CHECK_STR_EQ(filter("\n\n"), "\n\n");
        /* A last line without a newline gets one. */
        CHECK_STR_EQ(filter("nameserver 1.1.1.1"), "nameserver 1.1.1.1\n");
        CHECK_STR_EQ(filter("nameserver 127.0.0.1"), "");
        /* "nameserver" alone: kept (nothing to judge). */
        CHECK_STR_EQ(filter("nameserver\n"), "nameserver\n");
}

TEST(resolv_filter_long_lines)
{
        /* A line longer than the internal buffer is kept verbatim, and the output never needs
         * more room than the input plus one newline. */
        size_t n = 3000;
        char *in = malloc(n + 2);
        memcpy(in, "search ", 7);
        memset(in + 7, 'a', n - 7);
        in[n] = '\0';
        char *out = resolv_filter(in);
        CHECK(out != NULL);
        if (out) {
                CHECK_INT_EQ(strlen(out), n + 1);
                CHECK(!strncmp(out, in, n));
                CHECK_INT_EQ(out[n], '\n');
        }
        free(out);
        free(in);

        /* Many short lines without a final newline: output = input + 1 byte. */
        const char *many = "a\nb\nc";
        out = resolv_filter(many);
        CHECK_STR_EQ(out, "a\nb\nc\n");
        free(out);
}
