#include "util/proc.h"

#include <fcntl.h>
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

uint64_t proc_start_time(pid_t pid)
{
        char path[64], buf[1024];
        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return 0;
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n <= 0)
                return 0;
        buf[n] = '\0';
        return proc_stat_start_time(buf);
}
