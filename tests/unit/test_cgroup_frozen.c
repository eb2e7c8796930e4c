/* Unit tests of cgroup_frozen (src/core/cgroup_io.c): the kernel's word on a freeze, read from
 * the files of a cgroup directory, here a temporary directory with those files written by hand. */
#include "test.h"

#include "core/cgroup.h"
#include "util/err.h"
#include "util/fs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(const char *dir, const char *file, const char *text)
{
        char p[256];
        snprintf(p, sizeof(p), "%s/%s", dir, file);
        struct berr e;
        if (write_file(p, text, strlen(text), 0600, &e) < 0)
                test_fail(__FILE__, __LINE__, "%s", e.msg);
}

TEST(cgroup_frozen_v1_freezer_state)
{
        char tmpl[] = "/tmp/berth-unit.XXXXXX";
        char *d = mkdtemp(tmpl);
        CHECK(d != NULL);
        struct cgroup cg = {.mode = CGROUP_HYBRID, .n = 2, .dirs = {"/nonexistent", d}};
        snprintf(cg.controllers[0], sizeof(cg.controllers[0]), "memory");
        snprintf(cg.controllers[1], sizeof(cg.controllers[1]), "freezer");
        put(d, "freezer.state", "THAWED\n");
        CHECK(!cgroup_frozen(&cg));
        put(d, "freezer.state", "FROZEN\n");
        CHECK(cgroup_frozen(&cg));
        put(d, "freezer.state", "FREEZING\n");
        CHECK(cgroup_frozen(&cg));
        struct berr e;
        rm_rf(d, &e);
        CHECK(!cgroup_frozen(&cg)); /* gone: not frozen */
}

TEST(cgroup_frozen_v2_freeze_or_events)
{
        char tmpl[] = "/tmp/berth-unit.XXXXXX";
        char *d = mkdtemp(tmpl);
        CHECK(d != NULL);
        struct cgroup cg = {.mode = CGROUP_UNIFIED, .n = 1, .dirs = {d}};
        put(d, "cgroup.freeze", "0\n");
        put(d, "cgroup.events", "populated 1\nfrozen 0\n");
        CHECK(!cgroup_frozen(&cg));
        put(d, "cgroup.freeze", "1\n");
        CHECK(cgroup_frozen(&cg));
        /* an ancestor's freeze: this cgroup's cgroup.freeze says 0, cgroup.events frozen 1 */
        put(d, "cgroup.freeze", "0\n");
        put(d, "cgroup.events", "populated 1\nfrozen 1\n");
        CHECK(cgroup_frozen(&cg));
        struct berr e;
        rm_rf(d, &e);
}
