/* Test helper (built static by tests/integration/test_security.sh, copied into a container):
 *
 *     syscall NAME [ARG...]
 *
 * calls the syscall NAME with the integer ARGs (0 for those not given; strtoull base 0, so hex
 * works) and prints "NAME: ok" or "NAME: errno N (TEXT)". A child forked for clone/clone3/
 * unshare-like calls exits at once. Exit status 0 when the call succeeded, 1 otherwise. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct {
        const char *name;
        long nr;
} calls[] = {
        {"keyctl", SYS_keyctl},
        {"add_key", SYS_add_key},
        {"request_key", SYS_request_key},
        {"userfaultfd", SYS_userfaultfd},
        {"io_uring_setup", SYS_io_uring_setup},
        {"kexec_load", SYS_kexec_load},
        {"init_module", SYS_init_module},
        {"reboot", SYS_reboot},
        {"swapon", SYS_swapon},
        {"unshare", SYS_unshare},
        {"mount", SYS_mount},
        {"clone", SYS_clone},
        {"clone3", SYS_clone3},
        {"personality", SYS_personality},
        {"socket", SYS_socket},
        {"ptrace", SYS_ptrace},
        {"bpf", SYS_bpf},
        {"open_by_handle_at", SYS_open_by_handle_at},
        {"getpid", SYS_getpid},
        {"setns", SYS_setns},
};

int main(int argc, char **argv)
{
        if (argc < 2) {
                fprintf(stderr, "usage: syscall NAME [ARG...]\n");
                return 2;
        }
        long nr = -1;
        for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
                if (!strcmp(argv[1], calls[i].name))
                        nr = calls[i].nr;
        if (nr < 0) {
                fprintf(stderr, "syscall: unknown name %s\n", argv[1]);
                return 2;
        }
        unsigned long a[6] = {0};
        for (int i = 2; i < argc && i < 8; i++)
                a[i - 2] = strtoull(argv[i], NULL, 0);
        errno = 0;
        long r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        if (r == 0 && (nr == SYS_clone || nr == SYS_clone3))
                _exit(0); /* the child */
        if (r > 0 && (nr == SYS_clone || nr == SYS_clone3))
                waitpid((pid_t)r, NULL, __WALL);
        if (r < 0) {
                int err = errno;
                printf("%s: errno %d (%s)\n", argv[1], err, strerror(err));
                return 1;
        }
        printf("%s: ok\n", argv[1]);
        return 0;
}
