/* Unit tests of src/core/mountinfo.h: the mounts a container left below its root. */
#include "test.h"

#include "core/mountinfo.h"
#include "util/strv.h"

#include <stdio.h>
#include <string.h>

static const char INFO[] =
        "22 1 0:21 / / rw shared:1 - ext4 /dev/vda rw\n"
        "30 22 0:5 / /b/rootfs rw - overlay overlay rw\n"
        "31 30 0:5 / /b/rootfs/proc rw - proc proc rw\n"
        "32 30 0:6 / /b/rootfs/dev rw - tmpfs tmpfs rw\n"
        "33 32 0:7 / /b/rootfs/dev/pts rw - devpts devpts rw\n"
        "34 22 0:8 / /b/rootfs2/proc rw - proc proc rw\n"
        "35 30 0:9 / /b/rootfs/with\\040space rw - tmpfs tmpfs rw\n"
        "36 22 0:9 / /b rw - tmpfs tmpfs rw\n";

static long below(const char *dir, char ***v)
{
        FILE *f = fmemopen((void *)INFO, sizeof(INFO) - 1, "r");
        long n = mountinfo_points_below(f, dir, v);
        fclose(f);
        return n;
}

TEST(mountinfo_points_below_lists_only_strictly_below_in_order)
{
        char **v = NULL;
        CHECK(below("/b/rootfs", &v) == 4);
        CHECK_STR_EQ(v[0], "/b/rootfs/proc");
        CHECK_STR_EQ(v[1], "/b/rootfs/dev");
        CHECK_STR_EQ(v[2], "/b/rootfs/dev/pts");
        CHECK_STR_EQ(v[3], "/b/rootfs/with space"); /* \040 unescaped */
        CHECK(v[4] == NULL);
        strv_free(v);
        /* A trailing slash is the same directory; a sibling with the same prefix is not below. */
        v = NULL;
        CHECK(below("/b/rootfs/", &v) == 4);
        strv_free(v);
        v = NULL;
        CHECK(below("/b/rootfs/dev", &v) == 1);
        CHECK_STR_EQ(v[0], "/b/rootfs/dev/pts");
        strv_free(v);
}

TEST(mountinfo_points_below_none_and_bad_lines)
{
        char **v = NULL;
        CHECK(below("/nothing", &v) == 0);
        CHECK(v && v[0] == NULL);
        strv_free(v);
        const char bad[] = "garbage\n1 2\n\n";
        FILE *f = fmemopen((void *)bad, sizeof(bad) - 1, "r");
        v = NULL;
        CHECK(mountinfo_points_below(f, "/", &v) == 0);
        fclose(f);
        strv_free(v);
}
