/* The two ways to keep a container from reaching the host's berth binary through /proc/PID/exe
 * (CVE-2019-5736), timed apart: what core_clone does (the parent makes itself non-dumpable around
 * the clone, so the child is born so, and takes its flag back: two prctl calls), against runc's
 * and crun's way (a sealed memfd copy of the binary, which the child would execve before anything
 * runs in the container: the copy, and one more execve of berth per start). Built and run by
 * bench/dumpable.sh; not part of berth.
 *
 *   sealed_copy BINARY RUNS
 * Prints the median of RUNS, in ms, of: the prctl pair; the copy of BINARY into a sealed memfd;
 * fork + execve of that copy with --version until it exits; fork + execve of BINARY itself. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;
        return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
        qsort(v, (size_t)n, sizeof(*v), cmp);
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int sealed_copy(const char *path)
{
        int in = open(path, O_RDONLY | O_CLOEXEC);
        int fd = memfd_create("berth", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        struct stat st;
        if (in < 0 || fd < 0 || fstat(in, &st) < 0)
                return -1;
        for (off_t left = st.st_size; left > 0;) {
                ssize_t n = sendfile(fd, in, NULL, (size_t)left);
                if (n <= 0)
                        return -1;
                left -= n;
        }
        close(in);
        if (fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
                return -1;
        return fd;
}

/* fork, execve (of fd when fd >= 0, else of path) with --version to /dev/null, wait. */
static int run(int fd, const char *path)
{
        pid_t pid = fork();
        if (pid == 0) {
                char *argv[] = {"berth", "--version", NULL};
                extern char **environ;
                int null = open("/dev/null", O_WRONLY);
                dup2(null, STDOUT_FILENO);
                if (fd >= 0)
                        fexecve(fd, argv, environ);
                else
                        execve(path, argv, environ);
                _exit(127);
        }
        int status;
        if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0)
                return -1;
        return 0;
}

int main(int argc, char **argv)
{
        if (argc != 3) {
                fprintf(stderr, "usage: sealed_copy BINARY RUNS\n");
                return 2;
        }
        int runs = atoi(argv[2]);
        if (runs < 1)
                return 2;
        double *pair = calloc((size_t)runs, sizeof(double));
        double *copy = calloc((size_t)runs, sizeof(double));
        double *exec_copy = calloc((size_t)runs, sizeof(double));
        double *exec_file = calloc((size_t)runs, sizeof(double));
        if (!pair || !copy || !exec_copy || !exec_file)
                return 1;
        for (int i = 0; i < runs; i++) {
                double t0 = now_ms();
                prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
                prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
                double t1 = now_ms();
                int fd = sealed_copy(argv[1]);
                double t2 = now_ms();
                if (fd < 0 || run(fd, NULL) < 0) {
                        perror("sealed copy");
                        return 1;
                }
                double t3 = now_ms();
                close(fd);
                if (run(-1, argv[1]) < 0) {
                        perror(argv[1]);
                        return 1;
                }
                double t4 = now_ms();
                pair[i] = t1 - t0;
                copy[i] = t2 - t1;
                exec_copy[i] = t3 - t2;
                exec_file[i] = t4 - t3;
        }
        printf("| prctl pair (berth's way) | %.4f |\n", median(pair, runs));
        printf("| sealed memfd copy of %s | %.3f |\n", argv[1], median(copy, runs));
        printf("| fork + execve of the copy, exit | %.3f |\n", median(exec_copy, runs));
        printf("| fork + execve of the file, exit | %.3f |\n", median(exec_file, runs));
        return 0;
}
