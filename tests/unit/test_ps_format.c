/* Unit tests of src/cli/ps_format.c and log_opts.c: what ps and logs print and select. */
#include "test.h"

#include "cli/log_opts.h"
#include "cli/ps_format.h"
#include "engine/container/record.h"
#include "util/err.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct timespec now = {1795416125, 0}; /* 2026-11-23T06:42:05Z */

TEST(ps_status_texts)
{
        struct record r = {0};
        char buf[128];
        r.status = REC_CREATED;
        ps_status(&r, &now, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "Created");
        r.status = REC_RUNNING;
        snprintf(r.started_at, sizeof(r.started_at), "2026-11-23T06:42:00.000000000Z");
        ps_status(&r, &now, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "Up 5 seconds");
        r.paused = true;
        ps_status(&r, &now, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "Up 5 seconds (Paused)");
        CHECK_STR_EQ(ps_state(&r), "paused");
        r.paused = false;
        CHECK_STR_EQ(ps_state(&r), "running");
        r.status = REC_EXITED;
        r.exit_code = 137;
        snprintf(r.finished_at, sizeof(r.finished_at), "2026-11-23T06:42:02.5Z");
        ps_status(&r, &now, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "Exited (137) 2 seconds ago");
        snprintf(r.finished_at, sizeof(r.finished_at), "2026-11-23T06:42:05.5Z"); /* clock skew */
        ps_status(&r, &now, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "Exited (137) Less than a second ago");
        ps_ago("2026-11-23T06:40:05Z", &now, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "2 minutes ago");
        ps_ago("garbage", &now, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "");
}

TEST(ps_command_quotes_and_truncates)
{
        char buf[256];
        char *short_cmd[] = {"sleep", "100", NULL};
        ps_command(short_cmd, false, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "\"sleep 100\"");
        char *long_cmd[] = {"sh", "-c", "while true; do echo hi; done", NULL};
        ps_command(long_cmd, false, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "\"sh -c while true; d\xe2\x80\xa6\"");
        ps_command(long_cmd, true, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "\"sh -c while true; do echo hi; done\"");
        char *exact[] = {"12345678901234567890", NULL};
        ps_command(exact, false, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "\"12345678901234567890\"");
        char *quote[] = {"echo", "\"a\\b\"", NULL};
        ps_command(quote, false, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "\"echo \\\"a\\\\b\\\"\"");
        ps_command(NULL, false, buf, sizeof(buf));
        CHECK_STR_EQ(buf, "\"\"");
}

TEST(ps_filters)
{
        struct ps_filter f = {0};
        struct berr e = {0};
        CHECK_INT_EQ(ps_filter_add(&f, "name=web", &e), 0);
        CHECK_INT_EQ(ps_filter_add(&f, "name=^db$", &e), 0);
        CHECK_INT_EQ(ps_filter_add(&f, "status=running", &e), 0);
        CHECK_INT_EQ(ps_filter_add(&f, "status=paused", &e), 0);
        CHECK(ps_filter_match(&f, "abc", "my-web-1", "running"));
        CHECK(ps_filter_match(&f, "abc", "db", "paused"));
        CHECK(!ps_filter_match(&f, "abc", "db2", "running"));
        CHECK(!ps_filter_match(&f, "abc", "web", "exited"));
        CHECK_INT_EQ(ps_filter_add(&f, "id=ab", &e), 0);
        CHECK(ps_filter_match(&f, "abc", "web", "running"));
        CHECK(!ps_filter_match(&f, "bcd", "web", "running"));
        ps_filter_free(&f);
        CHECK(ps_filter_match(&f, "x", "y", "exited"));
        CHECK_INT_EQ(ps_filter_add(&f, "status=sleeping", &e), -EINVAL);
        CHECK(strstr(e.msg, "sleeping") != NULL);
        CHECK_INT_EQ(ps_filter_add(&f, "label=a", &e), -EINVAL);
        CHECK_INT_EQ(ps_filter_add(&f, "name", &e), -EINVAL);
        CHECK_INT_EQ(ps_filter_add(&f, "name=(", &e), -EINVAL);
        ps_filter_free(&f);
}

TEST(table_like_tabwriter)
{
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        char *cells[] = {"A", "BB", "C", "xxxxxxxxxxxx", "\xe2\x80\xa6", "z"};
        table_print(f, (const char *const *)cells, 2, 3, 10, 3);
        fclose(f);
        CHECK_STR_EQ(out, "A              BB        C\n"
                          "xxxxxxxxxxxx   \xe2\x80\xa6         z\n");
        free(out);
}

TEST(log_tail_and_time_selection)
{
        long t;
        CHECK_INT_EQ(log_tail_parse("all", &t), 0);
        CHECK_INT_EQ(t, -1);
        CHECK_INT_EQ(log_tail_parse("3", &t), 0);
        CHECK_INT_EQ(t, 3);
        CHECK_INT_EQ(log_tail_parse("0", &t), 0);
        CHECK_INT_EQ(t, 0);
        CHECK_INT_EQ(log_tail_parse("-1", &t), 0);
        CHECK_INT_EQ(t, -1);
        CHECK_INT_EQ(log_tail_parse("x", &t), -EINVAL);
        CHECK_INT_EQ(log_tail_parse("", &t), -EINVAL);
        CHECK_INT_EQ(log_tail_start(10, -1), 0);
        CHECK_INT_EQ(log_tail_start(10, 3), 7);
        CHECK_INT_EQ(log_tail_start(10, 0), 10);
        CHECK_INT_EQ(log_tail_start(2, 5), 0);
        struct timespec since = {1795416120, 0}, until = {1795416125, 0};
        CHECK(log_time_selected("2026-11-23T06:42:00Z", &since, &until));
        CHECK(!log_time_selected("2026-11-23T06:41:59.999Z", &since, NULL));
        CHECK(!log_time_selected("2026-11-23T06:42:05Z", NULL, &until));
        CHECK(log_time_selected("2026-11-23T06:42:04.9Z", NULL, &until));
        CHECK(log_time_selected("bad", &since, &until));
}
