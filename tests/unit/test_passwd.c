/* Unit tests of src/core/passwd.h: passwd_lookup, group_lookup and group_members over
 * in-memory /etc/passwd and /etc/group text. */
#include "test.h"

#include "core/passwd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char passwd_text[] =
        "root:x:0:0:root:/root:/bin/sh\n"
        "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
        "# a comment line is not an entry\n"
        "\n"
        "broken line without colons\n"
        "short:x:5:5\n"                         /* too few fields */
        "badid:x:abc:5:x:/home/badid:/bin/sh\n" /* uid not a number */
        "badgid:x:7:-1:x:/home/badgid:/bin/sh\n"
        "nohome:x:1001:1002:gecos::/bin/sh\n"
        "alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n"
        "dup:x:2000:2000::/first:/bin/sh\n"
        "dup:x:2001:2001::/second:/bin/sh\n"
        "big:x:4294967294:4294967294::/big:/bin/sh\n"
        "toobig:x:4294967295:1::/toobig:/bin/sh\n"
        "plus:x:+12:1::/plus:/bin/sh\n"
        "last:x:3000:3001::/home/last:/bin/sh"; /* no trailing newline */

static const char group_text[] =
        "root:x:0:\n"
        "wheel:x:10:root,alice\n"
        "# comment\n"
        "garbage\n"
        "users:x:100:alice,bob\n"
        "nomembers:x:200\n" /* three fields: a group, but no member list */
        "badgid:x:zz:alice\n"
        "audio:x:29:bob,alice,carol\n"
        "alicegroup:x:1000:\n"
        "prefix:x:300:alicex,xalice,ali\n"
        "last:x:400:alice"; /* no trailing newline */

static FILE *mem(const char *text)
{
        return fmemopen((void *)text, strlen(text), "r");
}

static int pw(const char *user, struct user_ids *out)
{
        FILE *f = mem(passwd_text);
        int r = passwd_lookup(f, user, out);
        fclose(f);
        return r;
}

static int gr(const char *name, gid_t *out)
{
        FILE *f = mem(group_text);
        int r = group_lookup(f, name, out);
        fclose(f);
        return r;
}

TEST(passwd_lookup_by_name)
{
        struct user_ids u;
        CHECK_INT_EQ(pw("alice", &u), 0);
        CHECK_INT_EQ(u.uid, 1000);
        CHECK_INT_EQ(u.gid, 1000);
        CHECK_STR_EQ(u.home, "/home/alice");
        CHECK_INT_EQ(u.n_groups, 0);
        CHECK_INT_EQ(pw("root", &u), 0);
        CHECK_INT_EQ(u.uid, 0);
        CHECK_STR_EQ(u.home, "/root");
        CHECK_INT_EQ(pw("last", &u), 0); /* the last line has no newline */
        CHECK_INT_EQ(u.uid, 3000);
        CHECK_INT_EQ(u.gid, 3001);
        CHECK_STR_EQ(u.home, "/home/last");
        CHECK_INT_EQ(pw("dup", &u), 0); /* the first entry wins */
        CHECK_STR_EQ(u.home, "/first");
        CHECK_INT_EQ(pw("big", &u), 0);
        CHECK_INT_EQ(u.uid, 4294967294u);
}

TEST(passwd_lookup_by_number)
{
        struct user_ids u;
        CHECK_INT_EQ(pw("1000", &u), 0);
        CHECK_INT_EQ(u.uid, 1000);
        CHECK_INT_EQ(u.gid, 1000);
        CHECK_STR_EQ(u.home, "/home/alice");
        CHECK_INT_EQ(pw("0", &u), 0);
        CHECK_STR_EQ(u.home, "/root");
        /* A number not in the file is accepted with gid 0 and home "/", as docker does. */
        CHECK_INT_EQ(pw("1234", &u), 0);
        CHECK_INT_EQ(u.uid, 1234);
        CHECK_INT_EQ(u.gid, 0);
        CHECK_STR_EQ(u.home, "/");
        CHECK_INT_EQ(u.n_groups, 0);
}

TEST(passwd_lookup_missing_home_is_root)
{
        struct user_ids u;
        CHECK_INT_EQ(pw("nohome", &u), 0);
        CHECK_INT_EQ(u.uid, 1001);
        CHECK_INT_EQ(u.gid, 1002);
        CHECK_STR_EQ(u.home, "/");
}

TEST(passwd_lookup_not_found)
{
        struct user_ids u;
        CHECK_INT_EQ(pw("nobody", &u), -ENOENT);
        CHECK_INT_EQ(pw("", &u), -ENOENT);
        CHECK_INT_EQ(pw("ali", &u), -ENOENT);   /* no prefix match */
        CHECK_INT_EQ(pw("alicex", &u), -ENOENT);
        CHECK_INT_EQ(pw("x", &u), -ENOENT);     /* a field value, not a name */
        /* Malformed entries are skipped, not matched. */
        CHECK_INT_EQ(pw("short", &u), -ENOENT);
        CHECK_INT_EQ(pw("badid", &u), -ENOENT);
        CHECK_INT_EQ(pw("badgid", &u), -ENOENT);
        CHECK_INT_EQ(pw("broken line without colons", &u), -ENOENT);
        CHECK_INT_EQ(pw("# a comment line is not an entry", &u), -ENOENT);
        CHECK_INT_EQ(pw("toobig", &u), -ENOENT); /* uid 4294967295 is (uid_t)-1 */
        CHECK_INT_EQ(pw("plus", &u), -ENOENT);
}

TEST(passwd_lookup_bad_numbers_are_names)
{
        struct user_ids u;
        /* Not plain decimal ids: looked up as names, which are not there. */
        CHECK_INT_EQ(pw("-1", &u), -ENOENT);
        CHECK_INT_EQ(pw("+5", &u), -ENOENT);
        CHECK_INT_EQ(pw("4294967295", &u), -ENOENT);
        CHECK_INT_EQ(pw("99999999999", &u), -ENOENT);
        CHECK_INT_EQ(pw("12a", &u), -ENOENT);
        CHECK_INT_EQ(pw(" 12", &u), -ENOENT);
        CHECK_INT_EQ(pw("0x10", &u), -ENOENT);
        CHECK_INT_EQ(pw("4294967294", &u), 0); /* the largest valid id, and in the file */
        CHECK_STR_EQ(u.home, "/big");
        CHECK_INT_EQ(pw("007", &u), 0); /* leading zeros are decimal */
        CHECK_INT_EQ(u.uid, 7);
}

TEST(passwd_lookup_null_file)
{
        struct user_ids u;
        CHECK_INT_EQ(passwd_lookup(NULL, "42", &u), 0);
        CHECK_INT_EQ(u.uid, 42);
        CHECK_INT_EQ(u.gid, 0);
        CHECK_STR_EQ(u.home, "/");
        CHECK_INT_EQ(passwd_lookup(NULL, "root", &u), -ENOENT);
}

TEST(passwd_lookup_empty_file)
{
        struct user_ids u;
        FILE *f = fmemopen((void *)"x", 1, "r");
        fgetc(f); /* at EOF */
        CHECK_INT_EQ(passwd_lookup(f, "root", &u), -ENOENT);
        fclose(f);
}

TEST(passwd_lookup_long_home_truncated)
{
        char text[2048];
        char home[600];
        memset(home, 'h', sizeof(home) - 1);
        home[0] = '/';
        home[sizeof(home) - 1] = '\0';
        snprintf(text, sizeof(text), "u:x:1:1::%s:/bin/sh\n", home);
        FILE *f = mem(text);
        struct user_ids u;
        CHECK_INT_EQ(passwd_lookup(f, "u", &u), 0);
        CHECK_INT_EQ(strlen(u.home), sizeof(u.home) - 1);
        CHECK(!strncmp(u.home, home, sizeof(u.home) - 1));
        fclose(f);
}

TEST(passwd_lookup_overlong_line_does_not_inject)
{
        /* A line longer than the reader's buffer: its tail must not be read as an entry. */
        char text[4096];
        char gecos[1100];
        memset(gecos, 'g', sizeof(gecos) - 1);
        gecos[sizeof(gecos) - 1] = '\0';
        /* The part after the first 1023 bytes of the line looks like an entry for "evil". */
        size_t pad = 1023 - strlen("u:x:1:1:");
        gecos[pad] = '\0';
        snprintf(text, sizeof(text), "u:x:1:1:%sevil:x:0:0::/root:/bin/sh\n", gecos);
        FILE *f = mem(text);
        struct user_ids u;
        int r = passwd_lookup(f, "evil", &u);
        fclose(f);
        if (r == 0)
                test_fail(__FILE__, __LINE__,
                          "the tail of an overlong line was taken as user evil (uid %u)",
                          (unsigned)u.uid);
}

TEST(group_lookup_by_name_and_number)
{
        gid_t g = 12345;
        CHECK_INT_EQ(gr("wheel", &g), 0);
        CHECK_INT_EQ(g, 10);
        CHECK_INT_EQ(gr("root", &g), 0);
        CHECK_INT_EQ(g, 0);
        CHECK_INT_EQ(gr("nomembers", &g), 0); /* three fields are enough */
        CHECK_INT_EQ(g, 200);
        CHECK_INT_EQ(gr("last", &g), 0);
        CHECK_INT_EQ(g, 400);
        CHECK_INT_EQ(gr("29", &g), 0);
        CHECK_INT_EQ(g, 29);
        CHECK_INT_EQ(gr("5555", &g), 0); /* a number not in the file is accepted */
        CHECK_INT_EQ(g, 5555);
}

TEST(group_lookup_not_found)
{
        gid_t g = 77;
        CHECK_INT_EQ(gr("nogroup", &g), -ENOENT);
        CHECK_INT_EQ(gr("badgid", &g), -ENOENT);
        CHECK_INT_EQ(gr("garbage", &g), -ENOENT);
        CHECK_INT_EQ(gr("", &g), -ENOENT);
        CHECK_INT_EQ(gr("whee", &g), -ENOENT);
        CHECK_INT_EQ(gr("-1", &g), -ENOENT);
        CHECK_INT_EQ(g, 77); /* untouched on failure */
        CHECK_INT_EQ(group_lookup(NULL, "wheel", &g), -ENOENT);
        CHECK_INT_EQ(group_lookup(NULL, "9", &g), 0);
        CHECK_INT_EQ(g, 9);
}

static struct user_ids members(const char *user)
{
        struct user_ids u;
        memset(&u, 0, sizeof(u));
        FILE *f = mem(group_text);
        group_members(f, user, &u);
        fclose(f);
        return u;
}

TEST(group_members_lists_groups)
{
        struct user_ids u = members("alice");
        /* wheel(10), users(100), audio(29), last(400) — in file order; not badgid, not prefix. */
        CHECK_INT_EQ(u.n_groups, 4);
        if (u.n_groups == 4) {
                CHECK_INT_EQ(u.groups[0], 10);
                CHECK_INT_EQ(u.groups[1], 100);
                CHECK_INT_EQ(u.groups[2], 29);
                CHECK_INT_EQ(u.groups[3], 400);
        }
        u = members("bob");
        CHECK_INT_EQ(u.n_groups, 2);
        u = members("carol");
        CHECK_INT_EQ(u.n_groups, 1);
        CHECK_INT_EQ(u.groups[0], 29);
        u = members("nobody");
        CHECK_INT_EQ(u.n_groups, 0);
        u = members("ali"); /* a whole member of prefix, not a prefix of alice */
        CHECK_INT_EQ(u.n_groups, 1);
        CHECK_INT_EQ(u.groups[0], 300);
        u = members("alic");
        CHECK_INT_EQ(u.n_groups, 0);
        u = members("");
        CHECK_INT_EQ(u.n_groups, 0);
}

TEST(group_members_appends_and_caps_at_64)
{
        struct user_ids u;
        memset(&u, 0, sizeof(u));
        u.groups[0] = 1;
        u.n_groups = 1;
        FILE *f = mem(group_text);
        group_members(f, "carol", &u);
        fclose(f);
        CHECK_INT_EQ(u.n_groups, 2);
        CHECK_INT_EQ(u.groups[0], 1);
        CHECK_INT_EQ(u.groups[1], 29);

        char *text = NULL;
        size_t len = 0;
        FILE *w = open_memstream(&text, &len);
        for (int i = 0; i < 100; i++)
                fprintf(w, "g%d:x:%d:a,u,b\n", i, 1000 + i);
        fclose(w);
        memset(&u, 0, sizeof(u));
        f = mem(text);
        group_members(f, "u", &u);
        fclose(f);
        CHECK_INT_EQ(u.n_groups, 64);
        CHECK_INT_EQ(u.groups[63], 1063);
        free(text);

        memset(&u, 0, sizeof(u));
        group_members(NULL, "u", &u);
        CHECK_INT_EQ(u.n_groups, 0);
}

TEST(group_members_crlf_and_spaces)
{
        /* A member list ending in CR (a file written on Windows) or with spaces after commas. */
        static const char text[] = "a:x:1:bob\r\nb:x:2:carol, bob\n";
        struct user_ids u;
        memset(&u, 0, sizeof(u));
        FILE *f = mem(text);
        group_members(f, "bob", &u);
        fclose(f);
        /* glibc's getgrouplist does not strip either; record the behaviour (no match). */
        CHECK_INT_EQ(u.n_groups, 0);
}
