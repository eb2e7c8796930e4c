#include "engine/container/top.h"

#include "engine/container/control.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

const char *const top_titles[TOP_NCOLS] = {"UID", "PID", "PPID", "C",
                                           "STIME", "TTY", "TIME", "CMD"};

static char *num(long long v)
{
        char buf[32];
        snprintf(buf, sizeof(buf), "%lld", v);
        return strdup(buf);
}

static long long boot_time(void)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/stat", "re");
        char line[256];
        long long bt = 0;
        while (f && fgets(line, sizeof(line), f))
                if (sscanf(line, "btime %lld", &bt) == 1)
                        break;
        return bt;
}

static char *user_name(uid_t uid)
{
        struct passwd pw, *res = NULL;
        char buf[1024];
        char *out = NULL;
        if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res)
                return strdup(res->pw_name);
        return asprintf(&out, "%u", (unsigned)uid) < 0 ? NULL : out;
}

static char *tty_name(unsigned long dev)
{
        char *out = NULL;
        unsigned maj = major(dev), min = minor(dev);
        if (dev == 0)
                return strdup("?");
        if (maj >= 136 && maj <= 143)
                return asprintf(&out, "pts/%u", (maj - 136) * 256 + min) < 0 ? NULL : out;
        if (maj == 4 && min < 64)
                return asprintf(&out, "tty%u", min) < 0 ? NULL : out;
        return strdup("?");
}

static char *stime_text(time_t start, time_t now)
{
        struct tm ts, tn;
        char buf[32];
        localtime_r(&start, &ts);
        localtime_r(&now, &tn);
        if (now - start < 24 * 3600)
                strftime(buf, sizeof(buf), "%H:%M", &ts);
        else if (ts.tm_year == tn.tm_year)
                strftime(buf, sizeof(buf), "%b%d", &ts);
        else
                strftime(buf, sizeof(buf), "%Y", &ts);
        return strdup(buf);
}

static char *cputime_text(long long secs)
{
        char *out = NULL;
        long long d = secs / 86400, h = secs / 3600 % 24, m = secs / 60 % 60, s = secs % 60;
        int r = d ? asprintf(&out, "%lld-%02lld:%02lld:%02lld", d, h, m, s)
                  : asprintf(&out, "%02lld:%02lld:%02lld", h, m, s);
        return r < 0 ? NULL : out;
}

static char *cmd_text(pid_t pid, const char *comm)
{
        char path[64], *text = NULL, *out = NULL;
        size_t len = 0;
        struct berr ignore;
        snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
        if (read_file(path, &text, &len, &ignore) == 0 && len > 0) {
                while (len > 0 && text[len - 1] == '\0')
                        len--;
                for (size_t i = 0; i < len; i++)
                        if (text[i] == '\0')
                                text[i] = ' ';
                text[len] = '\0';
                return text;
        }
        free(text);
        return asprintf(&out, "[%s]", comm) < 0 ? NULL : out;
}

int top_row(pid_t pid, long long btime, long long now, char **cells)
{
        char path[64], *stat = NULL, *status = NULL;
        struct berr ignore;
        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        if (read_file(path, &stat, NULL, &ignore) < 0)
                return -ENOENT;
        snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
        if (read_file(path, &status, NULL, &ignore) < 0) {
                free(stat);
                return -ENOENT;
        }
        char comm[64] = "";
        char *open = strchr(stat, '('), *close = strrchr(stat, ')');
        int ppid = 0;
        unsigned long tty = 0, utime = 0, stime = 0;
        unsigned long long start = 0;
        if (open && close && close > open)
                snprintf(comm, sizeof(comm), "%.*s", (int)(close - open - 1), open + 1);
        /* After ")": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
         * utime stime cutime cstime priority nice threads itrealvalue starttime */
        if (!close || sscanf(close + 1,
                             " %*c %d %*d %*d %lu %*d %*u %*u %*u %*u %*u %lu %lu %*d %*d %*d %*d "
                             "%*d %*d %llu",
                             &ppid, &tty, &utime, &stime, &start) != 5) {
                free(stat);
                free(status);
                return -ENOENT;
        }
        unsigned euid = 0;
        char *u = strstr(status, "\nUid:");
        if (u)
                sscanf(u + 5, "%*u %u", &euid);
        long hz = sysconf(_SC_CLK_TCK);
        long long started = btime + (long long)(start / (unsigned long long)hz);
        long long cpu = (long long)(utime + stime) / hz;
        long long elapsed = now - started;
        long long c = elapsed > 0 ? (long long)(utime + stime) * 100 / hz / elapsed : 0;
        cells[0] = user_name(euid);
        cells[1] = num(pid);
        cells[2] = num(ppid);
        cells[3] = num(c);
        cells[4] = stime_text((time_t)started, (time_t)now);
        cells[5] = tty_name(tty);
        cells[6] = cputime_text(cpu);
        cells[7] = cmd_text(pid, comm);
        free(stat);
        free(status);
        return 0;
}

static int cmp_pid(const void *a, const void *b)
{
        pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
        return (x > y) - (x < y);
}

int container_top(const char *root, const char *ref, char ***out, size_t *nrows, struct berr *e)
{
        pid_t *pids = NULL;
        size_t n = 0;
        int r = container_pids(root, ref, &pids, &n, e);
        if (r < 0)
                return r;
        qsort(pids, n, sizeof(pid_t), cmp_pid);
        long long bt = boot_time(), now = (long long)time(NULL);
        char **cells = calloc(n * TOP_NCOLS + 1, sizeof(char *));
        *nrows = 0;
        for (size_t i = 0; cells && i < n; i++) {
                char **row = cells + *nrows * TOP_NCOLS;
                if (top_row(pids[i], bt, now, row) < 0)
                        continue;
                bool ok = true;
                for (int k = 0; k < TOP_NCOLS; k++)
                        ok = ok && row[k];
                if (!ok) {
                        for (int k = 0; k < TOP_NCOLS; k++) {
                                free(row[k]);
                                row[k] = NULL;
                        }
                        continue;
                }
                (*nrows)++;
        }
        free(pids);
        if (!cells)
                return berr_set(e, ENOMEM, "out of memory");
        *out = cells;
        return 0;
}
