/* Unit tests of src/engine/record.h: the container record's round trip, times, start times. */
#include "test.h"

#include "engine/container/record.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool tmpdir(char *dir, size_t len)
{
        snprintf(dir, len, "/tmp/berth-record-XXXXXX");
        if (!mkdtemp(dir)) {
                test_fail(__FILE__, __LINE__, "mkdtemp: %m");
                return false;
        }
        return true;
}

TEST(record_round_trip)
{
        char dir[64];
        if (!tmpdir(dir, sizeof(dir)))
                return;
        struct record w = {0}, r;
        char *const cmd[] = {"sh", "-c", "echo \"hi\" \\ \xc3\xa9", "", NULL};
        snprintf(w.id, sizeof(w.id), "%s",
                 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        snprintf(w.name, sizeof(w.name), "brave_anchor_234567");
        snprintf(w.image, sizeof(w.image), "busybox:latest");
        snprintf(w.image_id, sizeof(w.image_id),
                 "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        w.command = strv_dup(cmd);
        rfc3339_now(w.created);
        rfc3339_now(w.started_at);
        snprintf(w.finished_at, sizeof(w.finished_at), "2024-01-02T03:04:05.000000006Z");
        w.status = REC_EXITED;
        w.pid = 4242;
        w.pid_start = 1234567890123ULL;
        w.exit_code = 137;
        w.oom_killed = true;
        w.auto_remove = true;
        struct berr e = {0};
        CHECK_INT_EQ(record_write(dir, &w, &e), 0);

        char path[128];
        struct stat st;
        snprintf(path, sizeof(path), "%s/record.json", dir);
        CHECK_INT_EQ(stat(path, &st), 0);
        CHECK_INT_EQ(st.st_mode & 0777, 0600);

        memset(&r, 0x5a, sizeof(r));
        CHECK_INT_EQ(record_read(dir, &r, &e), 0);
        CHECK_STR_EQ(r.id, w.id);
        CHECK_STR_EQ(r.name, w.name);
        CHECK_STR_EQ(r.image, w.image);
        CHECK_STR_EQ(r.image_id, w.image_id);
        CHECK_STR_EQ(r.created, w.created);
        CHECK_STR_EQ(r.started_at, w.started_at);
        CHECK_STR_EQ(r.finished_at, w.finished_at);
        CHECK_INT_EQ(r.status, REC_EXITED);
        CHECK_INT_EQ(r.pid, 4242);
        CHECK_INT_EQ(r.pid_start, 1234567890123ULL);
        CHECK_INT_EQ(r.exit_code, 137);
        CHECK(r.oom_killed);
        CHECK(r.auto_remove);
        CHECK_INT_EQ(strv_len(r.command), 4);
        for (size_t i = 0; i < 4 && r.command && r.command[i]; i++)
                CHECK_STR_EQ(r.command[i], cmd[i]);
        record_clear(&r);
        CHECK(r.command == NULL);

        /* Rewriting replaces the record; no temporary file is left behind. */
        w.status = REC_RUNNING;
        w.oom_killed = false;
        w.exit_code = -1;
        CHECK_INT_EQ(record_write(dir, &w, &e), 0);
        CHECK_INT_EQ(record_read(dir, &r, &e), 0);
        CHECK_INT_EQ(r.status, REC_RUNNING);
        CHECK(!r.oom_killed);
        CHECK_INT_EQ(r.exit_code, -1);
        record_clear(&r);
        char cmdline[200];
        snprintf(cmdline, sizeof(cmdline), "test \"$(ls -A %s)\" = record.json", dir);
        CHECK_INT_EQ(system(cmdline), 0);

        strv_free(w.command);
        rm_rf(dir, NULL);
}

TEST(record_empty_command_and_created_status)
{
        char dir[64];
        if (!tmpdir(dir, sizeof(dir)))
                return;
        struct record w = {0}, r;
        struct berr e = {0};
        CHECK_INT_EQ(record_write(dir, &w, &e), 0); /* all empty, command NULL */
        CHECK_INT_EQ(record_read(dir, &r, &e), 0);
        CHECK_STR_EQ(r.id, "");
        CHECK_INT_EQ(r.status, REC_CREATED);
        CHECK(r.command != NULL);
        CHECK_INT_EQ(strv_len(r.command), 0);
        record_clear(&r);
        rm_rf(dir, NULL);
}

TEST(record_read_errors)
{
        char dir[64];
        if (!tmpdir(dir, sizeof(dir)))
                return;
        struct record r;
        struct berr e = {0};
        CHECK(record_read(dir, &r, &e) < 0); /* no record.json */
        CHECK(e.msg[0] != '\0');
        record_clear(&r);

        char path[128];
        snprintf(path, sizeof(path), "%s/record.json", dir);
        static const char *const bad[] = {"", "{", "[]", "\"x\"", "{\"id\":"};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                CHECK_INT_EQ(write_file(path, bad[i], strlen(bad[i]), 0600, &e), 0);
                memset(&e, 0, sizeof(e));
                if (record_read(dir, &r, &e) == 0)
                        test_fail(__FILE__, __LINE__, "corrupt record \"%s\" accepted", bad[i]);
                else
                        CHECK(strstr(e.msg, "corrupt record") != NULL);
                record_clear(&r);
        }

        /* Wrong types and unknown status are tolerated: a reader of an old record never fails. */
        const char *odd = "{\"id\":5,\"name\":\"n\",\"status\":\"paused\",\"pid\":\"x\","
                          "\"command\":[\"a\",1,\"b\"],\"oom_killed\":1}";
        CHECK_INT_EQ(write_file(path, odd, strlen(odd), 0600, &e), 0);
        CHECK_INT_EQ(record_read(dir, &r, &e), 0);
        CHECK_STR_EQ(r.id, "");
        CHECK_STR_EQ(r.name, "n");
        CHECK_INT_EQ(r.status, REC_CREATED);
        CHECK_INT_EQ(r.pid, 0);
        CHECK_INT_EQ(strv_len(r.command), 2);
        CHECK(!r.oom_killed);
        record_clear(&r);

        /* Overlong strings are cut to the fields' sizes. */
        char big[600];
        snprintf(big, sizeof(big), "{\"name\":\"%0400d\",\"id\":\"%0100d\"}", 0, 0);
        CHECK_INT_EQ(write_file(path, big, strlen(big), 0600, &e), 0);
        CHECK_INT_EQ(record_read(dir, &r, &e), 0);
        CHECK_INT_EQ(strlen(r.name), sizeof(r.name) - 1);
        CHECK_INT_EQ(strlen(r.id), sizeof(r.id) - 1);
        record_clear(&r);
        rm_rf(dir, NULL);
}

TEST(record_status_names)
{
        CHECK_STR_EQ(record_status_name(REC_CREATED), "created");
        CHECK_STR_EQ(record_status_name(REC_RUNNING), "running");
        CHECK_STR_EQ(record_status_name(REC_EXITED), "exited");
        CHECK_STR_EQ(record_status_name((enum record_status)7), "unknown");
}

TEST(proc_start_time_of_self)
{
        uint64_t t = proc_start_time(getpid());
        CHECK(t > 0);
        CHECK_INT_EQ(proc_start_time(getpid()), t); /* stable */
        /* Our parent started no later than we did. */
        uint64_t p = proc_start_time(getppid());
        CHECK(p > 0 && p <= t);
        CHECK_INT_EQ(proc_start_time(-1), 0);
        CHECK_INT_EQ(proc_start_time(0x7ffffffe), 0); /* above pid_max */
}

static bool digits(const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (s[i] < '0' || s[i] > '9')
                        return false;
        return true;
}

TEST(rfc3339_now_format)
{
        char t[40];
        memset(t, 'X', sizeof(t));
        rfc3339_now(t);
        /* 2024-01-02T03:04:05.123456789Z */
        CHECK_INT_EQ(strlen(t), 30);
        CHECK(digits(t, 4) && t[4] == '-' && digits(t + 5, 2) && t[7] == '-' && digits(t + 8, 2));
        CHECK_INT_EQ(t[10], 'T');
        CHECK(digits(t + 11, 2) && t[13] == ':' && digits(t + 14, 2) && t[16] == ':' &&
              digits(t + 17, 2));
        CHECK_INT_EQ(t[19], '.');
        CHECK(digits(t + 20, 9));
        CHECK_INT_EQ(t[29], 'Z');
        CHECK(strncmp(t, "2020", 4) > 0);
        /* Later calls sort after earlier ones (same format, fixed width). */
        char u[40];
        rfc3339_now(u);
        CHECK(strcmp(u, t) >= 0);
}
