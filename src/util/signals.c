#include "util/signals.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
        const char *name;
        int sig;
} names[] = {
        {"ABRT", SIGABRT}, {"ALRM", SIGALRM},     {"BUS", SIGBUS},   {"CHLD", SIGCHLD},
        {"CLD", SIGCHLD},  {"CONT", SIGCONT},     {"FPE", SIGFPE},   {"HUP", SIGHUP},
        {"ILL", SIGILL},   {"INT", SIGINT},       {"IO", SIGIO},     {"IOT", SIGIOT},
        {"KILL", SIGKILL}, {"PIPE", SIGPIPE},     {"POLL", SIGPOLL}, {"PROF", SIGPROF},
        {"PWR", SIGPWR},   {"QUIT", SIGQUIT},     {"SEGV", SIGSEGV}, {"STKFLT", SIGSTKFLT},
        {"STOP", SIGSTOP}, {"SYS", SIGSYS},       {"TERM", SIGTERM}, {"TRAP", SIGTRAP},
        {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN},     {"TTOU", SIGTTOU}, {"URG", SIGURG},
        {"USR1", SIGUSR1}, {"USR2", SIGUSR2},     {"VTALRM", SIGVTALRM},
        {"WINCH", SIGWINCH}, {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ},
};

/* A decimal number in [lo, hi], nothing else. */
static int parse_num(const char *s, int lo, int hi, int *out)
{
        if (!isdigit((unsigned char)*s))
                return -EINVAL;
        char *end;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (errno || *end || v < lo || v > hi)
                return -EINVAL;
        *out = (int)v;
        return 0;
}

int signal_parse(const char *s, int *sig)
{
        if (!s || !*s)
                return -EINVAL;
        if (isdigit((unsigned char)*s))
                return parse_num(s, 1, SIGRTMAX, sig);
        if (!strncasecmp(s, "SIG", 3))
                s += 3;
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                if (!strcasecmp(s, names[i].name)) {
                        *sig = names[i].sig;
                        return 0;
                }
        int n = 0;
        if (!strncasecmp(s, "RTMIN", 5)) {
                if (!s[5]) {
                        *sig = SIGRTMIN;
                        return 0;
                }
                if (s[5] != '+' || parse_num(s + 6, 1, SIGRTMAX - SIGRTMIN, &n) < 0)
                        return -EINVAL;
                *sig = SIGRTMIN + n;
                return 0;
        }
        if (!strncasecmp(s, "RTMAX", 5)) {
                if (!s[5]) {
                        *sig = SIGRTMAX;
                        return 0;
                }
                if (s[5] != '-' || parse_num(s + 6, 1, SIGRTMAX - SIGRTMIN, &n) < 0)
                        return -EINVAL;
                *sig = SIGRTMAX - n;
                return 0;
        }
        return -EINVAL;
}

const char *signal_name(int sig, char *buf, unsigned len)
{
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                if (names[i].sig == sig && strcmp(names[i].name, "CLD") &&
                    strcmp(names[i].name, "IOT") && strcmp(names[i].name, "POLL")) {
                        snprintf(buf, len, "SIG%s", names[i].name);
                        return buf;
                }
        if (sig == SIGRTMIN)
                snprintf(buf, len, "SIGRTMIN");
        else if (sig > SIGRTMIN && sig <= SIGRTMAX)
                snprintf(buf, len, "SIGRTMIN+%d", sig - SIGRTMIN);
        else
                return NULL;
        return buf;
}
