/* Unit tests of src/util/signals.c: signal names as docker and runc accept them. */
#include "test.h"

#include "util/signals.h"

#include <errno.h>
#include <signal.h>

TEST(signal_parse_forms)
{
        int s = 0;
        CHECK_INT_EQ(signal_parse("KILL", &s), 0);
        CHECK_INT_EQ(s, SIGKILL);
        CHECK_INT_EQ(signal_parse("SIGKILL", &s), 0);
        CHECK_INT_EQ(s, SIGKILL);
        CHECK_INT_EQ(signal_parse("sigterm", &s), 0);
        CHECK_INT_EQ(s, SIGTERM);
        CHECK_INT_EQ(signal_parse("9", &s), 0);
        CHECK_INT_EQ(s, 9);
        CHECK_INT_EQ(signal_parse("hup", &s), 0);
        CHECK_INT_EQ(s, SIGHUP);
        CHECK_INT_EQ(signal_parse("USR1", &s), 0);
        CHECK_INT_EQ(s, SIGUSR1);
        CHECK_INT_EQ(signal_parse("RTMIN", &s), 0);
        CHECK_INT_EQ(s, SIGRTMIN);
        CHECK_INT_EQ(signal_parse("SIGRTMIN+3", &s), 0);
        CHECK_INT_EQ(s, SIGRTMIN + 3);
        CHECK_INT_EQ(signal_parse("RTMAX-1", &s), 0);
        CHECK_INT_EQ(s, SIGRTMAX - 1);
        CHECK_INT_EQ(signal_parse("64", &s), 0);
        CHECK_INT_EQ(s, 64);
}

TEST(signal_parse_bad)
{
        int s = 0;
        const char *bad[] = {"", "0", "65", "-9", "9x", "SIG", "NOPE", "SIGKIL", "RTMIN+", "RTMIN+99",
                             "RTMAX+1", " 9", "KILL "};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                if (!CHECK(signal_parse(bad[i], &s) == -EINVAL))
                        test_fail(__FILE__, __LINE__, "accepted \"%s\"", bad[i]);
        CHECK_INT_EQ(signal_parse(NULL, &s), -EINVAL);
}

TEST(signal_name_round_trip)
{
        char buf[32];
        CHECK_STR_EQ(signal_name(SIGKILL, buf, sizeof(buf)), "SIGKILL");
        CHECK_STR_EQ(signal_name(SIGCHLD, buf, sizeof(buf)), "SIGCHLD");
        CHECK_STR_EQ(signal_name(SIGRTMIN + 2, buf, sizeof(buf)), "SIGRTMIN+2");
        CHECK(signal_name(0, buf, sizeof(buf)) == NULL);
        for (int s = 1; s <= SIGRTMAX; s++) {
                int back = 0;
                const char *n = signal_name(s, buf, sizeof(buf));
                if (!n)
                        continue; /* 32, 33: glibc's own */
                CHECK_INT_EQ(signal_parse(n, &back), 0);
                CHECK_INT_EQ(back, s);
        }
}
