/* Flag parsing for both binaries: getopt_long that takes a long option only under its full
 * name. glibc's getopt_long takes any unambiguous prefix (`--priv` for --privileged, `--pid host`
 * as `--pids-limit host`); docker and runc never abbreviate, and a prefix that is unique today
 * silently changes meaning when a flag is added. */
#ifndef BERTH_CLI_CLI_GETOPT_H
#define BERTH_CLI_CLI_GETOPT_H

#include <getopt.h>

/* getopt_long(argc, argv, shorts, longs, NULL), except that "--NAME" or "--NAME=VALUE" whose NAME
 * is not exactly the name of an entry of longs is an unknown flag, answered as getopt_long
 * answers a misspelt one: '?' with optopt 0 and optarg NULL, optind just past that argument (so
 * argv[optind - 1] is the flag as typed; a value in the next argument is not taken).
 * shorts must start with '+' (stop at the first non-flag, as every berth command does): only
 * then is the argument getopt_long looks at next always argv[optind]. */
int cli_getopt(int argc, char *const argv[], const char *shorts, const struct option *longs);

#endif
