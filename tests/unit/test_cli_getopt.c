/* Unit tests of src/cli/cli_getopt.h: getopt_long that takes long flags only under their full
 * names. */
#include "test.h"

#include "cli/cli_getopt.h"

#include <stddef.h>

enum { ID_PRIVILEGED = 1000, ID_PIDS_LIMIT, ID_NET, ID_NETWORK, ID_NAME, ID_TLS };

static const struct option longs[] = {
        {"privileged", no_argument, NULL, ID_PRIVILEGED},
        {"pids-limit", required_argument, NULL, ID_PIDS_LIMIT},
        {"net", required_argument, NULL, ID_NET},         /* a full name ... */
        {"network", required_argument, NULL, ID_NETWORK}, /* ... and a prefix of this one */
        {"name", required_argument, NULL, ID_NAME},
        {"tls-verify", optional_argument, NULL, ID_TLS},
        {"env", required_argument, NULL, 'e'},
        {"interactive", no_argument, NULL, 'i'},
        {NULL, 0, NULL, 0},
};

#define SHORTS "+:ite:"
#define ARGV(...) ((char *[]){"cmd", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){"cmd", __VA_ARGS__}) / sizeof(char *)))
/* Starts a parse of "cmd ARGS..." (as every command does: optind 0, no glibc messages). */
#define START(...)                                                                                 \
        char **argv = ARGV(__VA_ARGS__);                                                           \
        int argc = ARGC(__VA_ARGS__);                                                              \
        optind = 0;                                                                                \
        opterr = 0

static int next(int argc, char **argv)
{
        return cli_getopt(argc, argv, SHORTS, longs);
}

TEST(cli_getopt_exact_names)
{
        START("--privileged", "--pids-limit", "5", "--name=web", "--net", "n1", "--network=n2",
              "--tls-verify", "--tls-verify=false", "img");
        CHECK_INT_EQ(next(argc, argv), ID_PRIVILEGED);
        CHECK_INT_EQ(next(argc, argv), ID_PIDS_LIMIT);
        CHECK_STR_EQ(optarg, "5");
        CHECK_INT_EQ(next(argc, argv), ID_NAME);
        CHECK_STR_EQ(optarg, "web");
        /* --net is a name of its own, not a prefix of --network */
        CHECK_INT_EQ(next(argc, argv), ID_NET);
        CHECK_STR_EQ(optarg, "n1");
        CHECK_INT_EQ(next(argc, argv), ID_NETWORK);
        CHECK_STR_EQ(optarg, "n2");
        CHECK_INT_EQ(next(argc, argv), ID_TLS);
        CHECK(optarg == NULL);
        CHECK_INT_EQ(next(argc, argv), ID_TLS);
        CHECK_STR_EQ(optarg, "false");
        CHECK_INT_EQ(next(argc, argv), -1);
        CHECK_STR_EQ(argv[optind], "img");
}

/* A refused prefix: '?' with optopt 0 and argv[optind - 1] the flag as typed, as for a name
 * that matches nothing. */
static void check_refused(int argc, char **argv, const char *as_typed)
{
        CHECK_INT_EQ(next(argc, argv), '?');
        CHECK_INT_EQ(optopt, 0);
        CHECK(optarg == NULL);
        CHECK_STR_EQ(argv[optind - 1], as_typed);
}

TEST(cli_getopt_prefix_refused)
{
        {
                START("--priv", "img");
                check_refused(argc, argv, "--priv");
        }
        {
                /* docker has no --pid yet: not --pids-limit, and "host" is not taken as a value */
                START("--pid", "host", "img");
                check_refused(argc, argv, "--pid");
                CHECK_INT_EQ(optind, 2);
        }
        {
                START("--pids-l=5", "img");
                check_refused(argc, argv, "--pids-l=5");
        }
        {
                /* a no-value flag's prefix with a value: unknown, not "takes no value" */
                START("--privileg=1");
                check_refused(argc, argv, "--privileg=1");
        }
        {
                /* a required value's prefix at the end: unknown, not "needs a value" */
                START("--pids-limi");
                check_refused(argc, argv, "--pids-limi");
        }
        {
                START("--netw", "n1", "img"); /* a prefix of one name that extends another */
                check_refused(argc, argv, "--netw");
        }
        {
                START("--tls", "img");
                check_refused(argc, argv, "--tls");
        }
        {
                START("--=x"); /* the empty name is every flag's prefix */
                check_refused(argc, argv, "--=x");
        }
        {
                START("--privilegedx"); /* longer than a name: glibc refuses it too */
                check_refused(argc, argv, "--privilegedx");
        }
        {
                /* after exact flags, and after a refusal parsing could go on */
                START("--privileged", "--nam", "web", "-i");
                CHECK_INT_EQ(next(argc, argv), ID_PRIVILEGED);
                check_refused(argc, argv, "--nam");
                CHECK_INT_EQ(optind, 3);
        }
}

TEST(cli_getopt_short_flags_untouched)
{
        START("-it", "-e", "--priv", "-eA=1", "--env", "--pid", "-i", "img");
        CHECK_INT_EQ(next(argc, argv), 'i');
        CHECK_INT_EQ(next(argc, argv), 't');
        /* a value that looks like a flag prefix is a value */
        CHECK_INT_EQ(next(argc, argv), 'e');
        CHECK_STR_EQ(optarg, "--priv");
        CHECK_INT_EQ(next(argc, argv), 'e');
        CHECK_STR_EQ(optarg, "A=1");
        CHECK_INT_EQ(next(argc, argv), 'e');
        CHECK_STR_EQ(optarg, "--pid");
        CHECK_INT_EQ(next(argc, argv), 'i');
        CHECK_INT_EQ(next(argc, argv), -1);
        CHECK_STR_EQ(argv[optind], "img");
        /* unknown short flags and missing values answer as getopt_long does */
        {
                START("-x");
                CHECK_INT_EQ(next(argc, argv), '?');
                CHECK_INT_EQ(optopt, 'x');
        }
        {
                START("-e");
                CHECK_INT_EQ(next(argc, argv), ':');
                CHECK_INT_EQ(optopt, 'e');
        }
        {
                START("--name");
                CHECK_INT_EQ(next(argc, argv), ':');
                CHECK_INT_EQ(optopt, ID_NAME);
        }
}

TEST(cli_getopt_double_dash_ends_flags)
{
        START("-i", "--", "--priv", "img");
        CHECK_INT_EQ(next(argc, argv), 'i');
        CHECK_INT_EQ(next(argc, argv), -1);
        CHECK_INT_EQ(optind, 3);
        CHECK_STR_EQ(argv[optind], "--priv");
}

TEST(cli_getopt_first_operand_stops)
{
        START("-i", "img", "--priv", "--privileged");
        CHECK_INT_EQ(next(argc, argv), 'i');
        CHECK_INT_EQ(next(argc, argv), -1);
        CHECK_INT_EQ(optind, 2);
        CHECK_STR_EQ(argv[optind], "img");
}

/* optind 0 starts afresh even when the refusal is the first answer of a parse that follows
 * one left in the middle of a cluster of short flags. */
TEST(cli_getopt_fresh_start)
{
        {
                START("-ixt", "img");
                CHECK_INT_EQ(next(argc, argv), 'i');
                CHECK_INT_EQ(next(argc, argv), '?'); /* stops inside "-ixt" */
        }
        START("--priv", "-i", "img");
        check_refused(argc, argv, "--priv");
        CHECK_INT_EQ(next(argc, argv), 'i');
        CHECK_INT_EQ(next(argc, argv), -1);
        CHECK_STR_EQ(argv[optind], "img");
}
