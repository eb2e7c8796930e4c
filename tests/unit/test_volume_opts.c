/* Unit tests of the mount flags (-v, --mount, --tmpfs: cli/mount_opts_cli.h), target cleaning
 * and volume names (engine/volume.h, engine/volume_mount.h). */
#include "test.h"

#include "cli/mount_opts_cli.h"
#include "engine/volume/volume.h"
#include "engine/volume/volume_mount.h"
#include "util/err.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static struct run_mount *ms;
static size_t n;
static struct berr e;

static void reset(void)
{
        run_mounts_free(ms, n);
        ms = NULL;
        n = 0;
        memset(&e, 0, sizeof(e));
}

static bool has_opt(char *const *v, const char *o)
{
        for (size_t i = 0; v && v[i]; i++)
                if (!strcmp(v[i], o))
                        return true;
        return false;
}

TEST(volume_name_rules)
{
        CHECK(volume_name_valid("data"));
        CHECK(volume_name_valid("a1"));
        CHECK(volume_name_valid("my_vol.1-x"));
        CHECK(!volume_name_valid("a"));
        CHECK(!volume_name_valid(""));
        CHECK(!volume_name_valid("_ab"));
        CHECK(!volume_name_valid("a/b"));
        CHECK(!volume_name_valid("a b"));
        CHECK(!volume_name_valid(".."));
}

TEST(volume_clean_target_paths)
{
        char out[64];
        CHECK_INT_EQ(volume_clean_target("/a//b/./c/", out, sizeof(out)), 0);
        CHECK_STR_EQ(out, "/a/b/c");
        CHECK_INT_EQ(volume_clean_target("/a/../../b/..", out, sizeof(out)), 0);
        CHECK_STR_EQ(out, "/");
        CHECK_INT_EQ(volume_clean_target("/x/y/../z", out, sizeof(out)), 0);
        CHECK_STR_EQ(out, "/x/z");
        CHECK_INT_EQ(volume_clean_target("rel", out, sizeof(out)), -EINVAL);
        CHECK_INT_EQ(volume_clean_target("/0123456789", out, 8), -EINVAL);
}

TEST(volume_flag_forms)
{
        reset();
        CHECK_INT_EQ(volume_flag_add("/host/dir:/data:ro", &ms, &n, &e), 0);
        CHECK_INT_EQ(volume_flag_add("name:/x/", &ms, &n, &e), 0);
        CHECK_INT_EQ(volume_flag_add("/anon", &ms, &n, &e), 0);
        CHECK_INT_EQ(volume_flag_add("vol:/y:nocopy,rw", &ms, &n, &e), 0);
        CHECK_INT_EQ(volume_flag_add("/h:/z:rshared,z", &ms, &n, &e), 0);
        CHECK_INT_EQ(n, 5);
        CHECK_INT_EQ(ms[0].type, RUN_MOUNT_BIND);
        CHECK_STR_EQ(ms[0].source, "/host/dir");
        CHECK_STR_EQ(ms[0].target, "/data");
        CHECK(ms[0].readonly && ms[0].create_source);
        CHECK_INT_EQ(ms[1].type, RUN_MOUNT_VOLUME);
        CHECK_STR_EQ(ms[1].source, "name");
        CHECK_STR_EQ(ms[1].target, "/x");
        CHECK(!ms[1].readonly);
        CHECK_INT_EQ(ms[2].type, RUN_MOUNT_VOLUME);
        CHECK(ms[2].source == NULL);
        CHECK(ms[3].nocopy && !ms[3].readonly);
        CHECK_STR_EQ(ms[4].propagation, "rshared");
        reset();
}

TEST(volume_flag_errors_name_flag_and_value)
{
        static const char *const bad[] = {"a:b:c:d", "rel", "x:/", "/a:/b:bogus", "b@d:/x",
                                          ":/x", "/x:", "/a:/b:ro,rw", "/x:ro", "", "/h:/c:nocopy"};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                reset();
                CHECK_INT_EQ(volume_flag_add(bad[i], &ms, &n, &e), -EINVAL);
                CHECK(strncmp(e.msg, "-v", 2) == 0);
                if (bad[i][0])
                        CHECK(strstr(e.msg, bad[i]) != NULL);
                CHECK_INT_EQ(n, 0);
        }
        reset();
        volume_flag_add("a:b:c:d", &ms, &n, &e);
        CHECK_STR_EQ(e.msg, "-v: \"a:b:c:d\" is not [HOST:]CONTAINER[:OPTIONS]");
        reset();
}

TEST(mount_flag_forms)
{
        reset();
        CHECK_INT_EQ(mount_flag_add("type=bind,source=/h,target=/c,readonly", &ms, &n, &e), 0);
        CHECK_INT_EQ(mount_flag_add("src=v1,dst=/v,ro=false", &ms, &n, &e), 0);
        CHECK_INT_EQ(mount_flag_add("type=tmpfs,destination=/t,tmpfs-size=64m,tmpfs-mode=1770", &ms,
                                    &n, &e),
                     0);
        CHECK_INT_EQ(mount_flag_add("type=volume,target=/anon,volume-nocopy", &ms, &n, &e), 0);
        CHECK_INT_EQ(mount_flag_add("type=bind,src=/h,target=/p,bind-propagation=rslave,"
                                    "bind-nonrecursive=true",
                                    &ms, &n, &e),
                     0);
        CHECK_INT_EQ(n, 5);
        CHECK_INT_EQ(ms[0].type, RUN_MOUNT_BIND);
        CHECK(ms[0].readonly && !ms[0].create_source);
        CHECK_INT_EQ(ms[1].type, RUN_MOUNT_VOLUME);
        CHECK_STR_EQ(ms[1].source, "v1");
        CHECK(!ms[1].readonly);
        CHECK_INT_EQ(ms[2].type, RUN_MOUNT_TMPFS);
        CHECK(has_opt(ms[2].options, "size=67108864"));
        CHECK(has_opt(ms[2].options, "mode=1770"));
        CHECK(ms[3].source == NULL && ms[3].nocopy);
        CHECK_STR_EQ(ms[4].propagation, "rslave");
        CHECK(ms[4].nonrecursive);
        reset();
}

TEST(mount_flag_errors)
{
        static const char *const bad[] = {
                "type=npipe,target=/x",          "type=bind,target=/x",
                "source=v",                      "type=tmpfs,src=x,target=/t",
                "target=/x,foo=bar",             "type=bind,src=rel,target=/x",
                "type=volume,target=/x,tmpfs-size=1m", "type=tmpfs,target=/t,tmpfs-mode=9",
                "type=bind,src=/h,target=/x,readonly=maybe", "type=volume,src=a,target=rel",
                "type=volume,target=/x,volume-driver=nfs",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                reset();
                CHECK(mount_flag_add(bad[i], &ms, &n, &e) < 0);
                CHECK(strncmp(e.msg, "--mount", 7) == 0);
                CHECK(strstr(e.msg, bad[i]) != NULL);
                CHECK_INT_EQ(n, 0);
        }
        reset();
        mount_flag_add("type=npipe,target=/x", &ms, &n, &e);
        CHECK(strstr(e.msg, "unknown type \"npipe\"") != NULL);
        reset();
}

TEST(tmpfs_flag_forms_and_errors)
{
        reset();
        CHECK_INT_EQ(tmpfs_flag_add("/t", &ms, &n, &e), 0);
        CHECK_INT_EQ(tmpfs_flag_add("/u:size=1m,mode=700,exec,ro", &ms, &n, &e), 0);
        CHECK_INT_EQ(tmpfs_flag_add("/w:size=50%", &ms, &n, &e), 0);
        CHECK_INT_EQ(n, 3);
        CHECK_STR_EQ(ms[0].target, "/t");
        CHECK(ms[1].readonly);
        CHECK(has_opt(ms[1].options, "size=1048576"));
        CHECK(has_opt(ms[1].options, "mode=700"));
        CHECK(has_opt(ms[1].options, "exec"));
        CHECK(has_opt(ms[2].options, "size=50%"));
        static const char *const bad[] = {"rel", "/", "/t:size=lots", "/t:mode=99", "/t:"};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                reset();
                CHECK(tmpfs_flag_add(bad[i], &ms, &n, &e) < 0);
                CHECK(strncmp(e.msg, "--tmpfs", 7) == 0);
                CHECK_INT_EQ(n, 0);
        }
        reset();
}
