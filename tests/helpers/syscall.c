/* Test helper (built static by tests/integration/test_security.sh, copied into a container):
 *
 *     syscall NAME [ARG...]
 *
 * calls the syscall NAME with the integer ARGs (0 for those not given; strtoull base 0, so hex
 * and -100 work) and prints "NAME: ok" or "NAME: errno N (TEXT)". A child forked for clone/
 * clone3 exits at once. Exit status 0 when the call succeeded, 1 otherwise.
 *
 *     syscall -
 *
 * reads "NAME [ARG...]" lines from stdin and makes each call in a child of its own (a new
 * session, so vhangup has no terminal to hang up, and whatever the call changes dies with it),
 * printing one line per call, in order: "ok", "errno N" or "signal N" (uretprobe, called by
 * anything but the kernel's trampoline, is answered with SIGILL). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Numbers the build host's headers may be too old for: one number on every architecture
 * since Linux 5.1. */
#ifndef SYS_statmount
#define SYS_statmount 457
#endif
#ifndef SYS_listmount
#define SYS_listmount 458
#endif
#ifndef SYS_lsm_get_self_attr
#define SYS_lsm_get_self_attr 459
#endif
#ifndef SYS_lsm_set_self_attr
#define SYS_lsm_set_self_attr 460
#endif
#ifndef SYS_lsm_list_modules
#define SYS_lsm_list_modules 461
#endif
#ifndef SYS_mseal
#define SYS_mseal 462
#endif
#ifndef SYS_getxattrat
#define SYS_getxattrat 464
#endif
#if defined(__x86_64__) && !defined(SYS_uretprobe)
#define SYS_uretprobe 335
#endif

#define CALL(n) {#n, SYS_##n}
static const struct {
        const char *name;
        long nr;
} calls[] = {
        CALL(read), CALL(getpid), CALL(adjtimex), CALL(clock_adjtime), CALL(name_to_handle_at),
        CALL(memfd_secret), CALL(statmount), CALL(listmount), CALL(mseal), CALL(getxattrat),
#ifdef SYS_uretprobe
        CALL(uretprobe),
#endif
        CALL(kcmp), CALL(pidfd_getfd), CALL(process_madvise), CALL(ptrace),
        CALL(process_vm_readv), CALL(process_vm_writev), CALL(socket), CALL(personality),
        CALL(clone), CALL(clone3), CALL(bpf), CALL(fanotify_init), CALL(fsconfig),
        CALL(fsmount), CALL(fsopen), CALL(fspick), CALL(lookup_dcookie),
        CALL(lsm_get_self_attr), CALL(lsm_set_self_attr), CALL(lsm_list_modules), CALL(mount),
        CALL(mount_setattr), CALL(move_mount), CALL(open_tree), CALL(perf_event_open),
        CALL(quotactl), CALL(quotactl_fd), CALL(setdomainname), CALL(sethostname), CALL(setns),
        CALL(syslog), CALL(umount2), CALL(unshare), CALL(open_by_handle_at), CALL(reboot),
        CALL(chroot), CALL(init_module), CALL(finit_module), CALL(delete_module), CALL(acct),
        CALL(settimeofday), CALL(clock_settime), CALL(vhangup), CALL(get_mempolicy),
        CALL(mbind), CALL(set_mempolicy), CALL(set_mempolicy_home_node), CALL(keyctl),
        CALL(add_key), CALL(request_key), CALL(userfaultfd), CALL(io_uring_setup),
        CALL(io_uring_enter), CALL(io_uring_register), CALL(kexec_load), CALL(kexec_file_load),
        CALL(swapon), CALL(swapoff), CALL(pivot_root), CALL(move_pages), CALL(migrate_pages),
#if defined(__x86_64__) || defined(__i386__)
        CALL(iopl), CALL(ioperm), CALL(modify_ldt),
#endif
#ifdef SYS_arch_prctl
        CALL(arch_prctl),
#endif
#ifdef SYS_ustat
        CALL(ustat),
#endif
};

static long lookup(const char *name)
{
        for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
                if (!strcmp(name, calls[i].name))
                        return calls[i].nr;
        return -1;
}

/* The call, with errno; the new process of a successful clone/clone3 exits at once. */
static long call(long nr, char **args, int n)
{
        unsigned long a[6] = {0};
        for (int i = 0; i < n && i < 6; i++)
                a[i] = strtoull(args[i], NULL, 0);
        errno = 0;
        long r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        if (r == 0 && (nr == SYS_clone || nr == SYS_clone3))
                _exit(0); /* the child */
        if (r > 0 && (nr == SYS_clone || nr == SYS_clone3))
                waitpid((pid_t)r, NULL, __WALL);
        return r;
}

/* One line of the batch: "ok", "errno N", "signal N" or "unknown NAME". */
static void batch_line(char *line)
{
        char *argv[8];
        int n = 0;
        for (char *t = strtok(line, " \t\n"); t && n < 8; t = strtok(NULL, " \t\n"))
                argv[n++] = t;
        if (n == 0)
                return;
        long nr = lookup(argv[0]);
        if (nr < 0) {
                printf("unknown %s\n", argv[0]);
                return;
        }
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
                setsid();
                _exit(call(nr, argv + 1, n - 1) < 0 ? (errno & 0xff) : 0);
        }
        int st = 0;
        if (pid < 0 || waitpid(pid, &st, 0) < 0)
                printf("helper-error %d\n", errno);
        else if (WIFSIGNALED(st))
                printf("signal %d\n", WTERMSIG(st));
        else if (WEXITSTATUS(st))
                printf("errno %d\n", WEXITSTATUS(st));
        else
                printf("ok\n");
}

int main(int argc, char **argv)
{
        if (argc < 2) {
                fprintf(stderr, "usage: syscall NAME [ARG...] | syscall -\n");
                return 2;
        }
        if (!strcmp(argv[1], "-")) {
                char line[512];
                while (fgets(line, sizeof(line), stdin))
                        batch_line(line);
                return 0;
        }
        long nr = lookup(argv[1]);
        if (nr < 0) {
                fprintf(stderr, "syscall: unknown name %s\n", argv[1]);
                return 2;
        }
        long r = call(nr, argv + 2, argc - 2);
        if (r < 0) {
                int err = errno;
                printf("%s: errno %d (%s)\n", argv[1], err, strerror(err));
                return 1;
        }
        printf("%s: ok\n", argv[1]);
        return 0;
}
