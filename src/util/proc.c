#include "util/proc.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

uint64_t proc_stat_start_time(const char *stat)
{
        /* comm may hold spaces and parentheses: count fields after the last ')'. */
        const char *p = strrchr(stat, ')');
        if (!p || !p[1] || !p[2])
                return 0;
        if (p[2] == 'Z' || p[2] == 'X')
                return 0; /* exited: only its reaper has not looked yet */
        int field = 2;
        for (p++; *p && field < 22; p++)
                if (*p == ' ')
                        field++;
        return field == 22 ? strtoull(p, NULL, 10) : 0;
}

char proc_stat_state(const char *stat)
{
        const char *p = strrchr(stat, ')'); /* comm may hold ')' too: the last one ends it */
        return p && p[1] == ' ' ? p[2] : '\0';
}

/* /proc/PID/stat into buf; false if the process is gone. */
static bool read_stat(pid_t pid, char *buf, size_t len)
{
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return false;
        ssize_t n = read(fd, buf, len - 1);
        close(fd);
        if (n <= 0)
                return false;
        buf[n] = '\0';
        return true;
}

uint64_t proc_start_time(pid_t pid)
{
        char buf[1024];
        return read_stat(pid, buf, sizeof(buf)) ? proc_stat_start_time(buf) : 0;
}

char proc_state(pid_t pid)
{
        char buf[1024];
        return read_stat(pid, buf, sizeof(buf)) ? proc_stat_state(buf) : '\0';
}
