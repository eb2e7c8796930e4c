/* Putting a new process into a cgroup: fork() then a write of its pid to cgroup.procs (what
 * cgroup v1 allows, and what berth did on v2 too) against clone3 with CLONE_INTO_CGROUP (what
 * core_clone does on v2). Built and run by bench/cgroup-enter.sh; not part of berth.
 *
 *   cgroup_enter DIR RUNS GAP_MS
 * DIR is a cgroup v2 directory the caller made. Each run makes a process that waits (as a
 * container's init or exec does before its command), times its creation and entry, then kills
 * and reaps it. GAP_MS of idle time before each run: a cgroup.procs write waits for an RCU grace
 * period only when no other write ran in the last one, as with containers started seconds apart,
 * so back-to-back runs would hide it. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

static double now_ms(void)
{
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void finish(pid_t p)
{
        kill(p, SIGKILL);
        waitpid(p, NULL, 0);
}

/* In the child: wait to be killed, as an init or exec waits for START. In the parent: p or exit. */
static pid_t waiting_child(pid_t p, const char *what)
{
        if (p == 0) {
                pause();
                _exit(0);
        }
        if (p < 0) {
                perror(what);
                exit(1);
        }
        return p;
}

/* fork, then write the pid: ms */
static double by_write(const char *procs)
{
        double t0 = now_ms();
        pid_t p = waiting_child(fork(), "fork");
        char b[32];
        int len = snprintf(b, sizeof(b), "%d", (int)p);
        int fd = open(procs, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, b, (size_t)len) != len) {
                perror(procs);
                exit(1);
        }
        close(fd);
        double t = now_ms() - t0;
        finish(p);
        return t;
}

/* clone3 straight into the cgroup: ms */
static double by_clone3(const char *dir)
{
        double t0 = now_ms();
        int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        struct clone_args a;
        memset(&a, 0, sizeof(a));
        a.flags = CLONE_INTO_CGROUP;
        a.exit_signal = SIGCHLD;
        a.cgroup = (uint64_t)fd;
        pid_t p = waiting_child((pid_t)syscall(SYS_clone3, &a, sizeof(a)), "clone3");
        close(fd);
        double t = now_ms() - t0;
        finish(p);
        return t;
}

static int cmp(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;
        return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
        if (argc != 4) {
                fprintf(stderr, "usage: cgroup_enter DIR RUNS GAP_MS\n");
                return 2;
        }
        int runs = atoi(argv[2]), gap = atoi(argv[3]);
        if (runs < 1)
                runs = 1;
        char procs[4096];
        snprintf(procs, sizeof(procs), "%s/cgroup.procs", argv[1]);
        double *w = calloc((size_t)runs, sizeof(double)), *c = calloc((size_t)runs, sizeof(double));
        if (!w || !c)
                return 1;
        for (int i = 0; i < runs; i++) { /* interleaved, so both see the same machine */
                usleep((useconds_t)gap * 1000);
                w[i] = by_write(procs);
                usleep((useconds_t)gap * 1000);
                c[i] = by_clone3(argv[1]);
        }
        qsort(w, (size_t)runs, sizeof(double), cmp);
        qsort(c, (size_t)runs, sizeof(double), cmp);
        double mw = w[runs / 2], mc = c[runs / 2];
        printf("| %d ms | %.3f | %.3f | %.2f |\n", gap, mw, mc, mc / mw);
        return 0;
}
