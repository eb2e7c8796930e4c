/* The process half of starting a container's init or an exec'd process, once it stands in
 * the container's namespaces and root: stdio or terminal, cwd, rlimits, user, the executable,
 * no_new_privs, sealed fds; then the wait for START and execve. */
#include "core/process.h"

#include "core/caps.h"
#include "core/console.h"
#include "core/exec_path.h"
#include "core/passwd.h"
#include "core/process_tune.h"
#include "core/seccomp.h"
#include "core/spec.h"
#include "core/sync.h"
#include "util/err.h"
#include "util/strv.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/close_range.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

_Noreturn void process_die(int sync, const struct berr *e)
{
        sync_send_error(sync, e->code, e->kind, e->msg);
        _exit(e->kind == BERR_NOT_FOUND ? 127 : e->kind == BERR_CANNOT_INVOKE ? 126 : 125);
}

/* Puts the caller's chosen fds on 0, 1, 2 (or /dev/null, opened inside the container). */
static int setup_stdio(const struct process_io *o, struct berr *e)
{
        int want[3] = {o->stdin_fd, o->stdout_fd, o->stderr_fd};
        int tmp[3];
        /* Lift them out of the way first so dup2 never clobbers a source still needed. */
        for (int i = 0; i < 3; i++) {
                tmp[i] = want[i] >= 0 ? fcntl(want[i], F_DUPFD_CLOEXEC, 10)
                                      : open("/dev/null", O_RDWR | O_CLOEXEC);
                if (tmp[i] < 0)
                        return berr_sys(e, errno, "setting up stdio");
        }
        for (int i = 0; i < 3; i++) {
                if (dup2(tmp[i], i) < 0)
                        return berr_sys(e, errno, "setting up stdio");
                close(tmp[i]);
        }
        return 0;
}

static int switch_user(const struct spec_process *p, char ***env, struct berr *e)
{
        struct user_ids ids = {.uid = p->user.uid, .gid = p->user.gid};
        strcpy(ids.home, "/");
        if (p->user.name) {
                int r = user_resolve(p->user.name, &ids, e);
                if (r < 0)
                        return r;
        } else {
                FILE *pw = fopen("/etc/passwd", "re");
                char num[16];
                snprintf(num, sizeof(num), "%u", (unsigned)p->user.uid);
                struct user_ids found;
                if (pw && passwd_lookup(pw, num, &found) == 0)
                        strcpy(ids.home, found.home);
                if (pw)
                        fclose(pw);
        }
        /* As runc and docker: HOME comes from passwd when the spec does not set it. */
        if (!env_get(*env, "HOME")) {
                char home[300];
                snprintf(home, sizeof(home), "HOME=%s", ids.home);
                if (env_set(env, home) < 0)
                        return berr_set(e, ENOMEM, "out of memory");
        }
        gid_t groups[80];
        size_t ng = 0;
        for (size_t i = 0; i < ids.n_groups && ng < 80; i++)
                groups[ng++] = ids.groups[i];
        for (size_t i = 0; i < p->user.n_additional_gids && ng < 80; i++)
                groups[ng++] = p->user.additional_gids[i];
        if (setgroups(ng, groups) < 0 && errno != EPERM)
                return berr_sys(e, errno, "setting supplementary groups");
        if (setresgid(ids.gid, ids.gid, ids.gid) < 0)
                return berr_sys(e, errno, "switching to gid %u", (unsigned)ids.gid);
        if (setresuid(ids.uid, ids.uid, ids.uid) < 0)
                return berr_sys(e, errno, "switching to uid %u", (unsigned)ids.uid);
        return 0;
}

static int apply_rlimits(const struct spec_process *p, struct berr *e)
{
        for (size_t i = 0; i < p->n_rlimits; i++) {
                const struct spec_rlimit *l = &p->rlimits[i];
                struct rlimit rl = {.rlim_cur = l->soft, .rlim_max = l->hard};
                if (setrlimit(l->resource, &rl) == 0)
                        continue;
                int err = errno;
                struct rlimit cur = {0};
                getrlimit(l->resource, &cur);
                if (err == EPERM)
                        return berr_set(e, EPERM,
                                        "process.rlimits: %s: raising the hard limit to %llu is "
                                        "not permitted: the current hard limit is %llu and "
                                        "raising it needs CAP_SYS_RESOURCE",
                                        spec_rlimit_name(l->resource),
                                        (unsigned long long)l->hard,
                                        (unsigned long long)cur.rlim_max);
                return berr_sys(e, err, "process.rlimits: %s: soft %llu, hard %llu",
                                spec_rlimit_name(l->resource), (unsigned long long)l->soft,
                                (unsigned long long)l->hard);
        }
        return 0;
}

/* A cwd through /proc/self/fd/N would be a directory of berth's outside the root
 * (CVE-2024-21626): refused by name, and the cwd reached is checked to be inside the root. */
static bool cwd_through_fd(const char *cwd)
{
        if (!strncmp(cwd, "/proc/self/fd", 13) || !strncmp(cwd, "/proc/thread-self/fd", 20))
                return true;
        unsigned pid;
        char rest[8];
        return sscanf(cwd, "/proc/%u/fd%7s", &pid, rest) >= 1 && strstr(cwd, "/fd") != NULL;
}

static int enter_cwd(const char *cwd, struct berr *e)
{
        struct stat st;
        if (cwd_through_fd(cwd))
                return berr_set(e, EPERM, "process.cwd: %s is not allowed: it names a file "
                                          "descriptor, not a directory of the container",
                                cwd);
        /* docker creates a missing WorkingDir; do it while still root. */
        if (stat(cwd, &st) < 0 && errno == ENOENT) {
                char buf[PATH_MAX];
                snprintf(buf, sizeof(buf), "%s", cwd);
                for (char *p = buf + 1; *p; p++)
                        if (*p == '/') {
                                *p = '\0';
                                mkdir(buf, 0755);
                                *p = '/';
                        }
                mkdir(buf, 0755);
        }
        if (chdir(cwd) < 0)
                return berr_sys(e, errno, "process.cwd: cannot enter %s", cwd);
        char where[PATH_MAX];
        if (!getcwd(where, sizeof(where)) || where[0] != '/')
                return berr_set(e, EPERM, "process.cwd: %s is outside the container's root", cwd);
        return 0;
}

static void reset_signals(void)
{
        sigset_t none;
        sigemptyset(&none);
        for (int sig = 1; sig < NSIG; sig++) {
                struct sigaction sa;
                if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN) {
                        sa.sa_handler = SIG_DFL;
                        sigaction(sig, &sa, NULL);
                }
        }
        sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Nothing of berth's may reach the container (CVE-2024-21626): every fd past stdio and the
 * preserved ones is closed at exec. close_range(CLOEXEC) does it in one call; where the kernel
 * lacks it (before 5.11: ENOSYS, or EINVAL for the flag) the fds are walked in /proc/self/fd. */
static int seal_fds(int preserve, struct berr *e)
{
        int first = 3 + preserve;
        for (int fd = 3; fd < first; fd++) {
                int fl = fcntl(fd, F_GETFD);
                if (fl >= 0)
                        fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC);
        }
        if (syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
                return 0;
        if (errno != ENOSYS && errno != EINVAL)
                return berr_sys(e, errno, "closing berth's file descriptors");
        DIR *d = opendir("/proc/self/fd");
        if (!d)
                return berr_sys(e, errno, "closing berth's file descriptors: /proc/self/fd");
        int self = dirfd(d);
        struct dirent *de;
        while ((de = readdir(d))) {
                int fd = atoi(de->d_name);
                if (fd >= first && fd != self)
                        fcntl(fd, F_SETFD, FD_CLOEXEC);
        }
        closedir(d);
        return 0;
}

int process_prepare(const struct spec_process *p, const struct process_io *io, int sync,
                    char ***env, char *exe, size_t exelen, struct berr *e)
{
        int r;
        if (p->terminal) {
                int master = console_setup_in_container(e);
                if (master < 0)
                        return master;
                r = sync_send_fd(sync, SYNC_CONSOLE, master);
                close(master);
                if (r < 0)
                        return berr_sys(e, r, "sending the terminal to berth");
        } else if ((r = setup_stdio(io, e)) < 0) {
                return r;
        }
        return 0;
}

static int write_self_attr(const char *file, const char *value, const char *field,
                           struct berr *e)
{
        int fd = open(file, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return berr_sys(e, errno, "%s: %s", field, file);
        ssize_t n = write(fd, value, strlen(value));
        int err = errno;
        close(fd);
        return n < 0 ? berr_sys(e, err, "%s: applying \"%s\"", field, value) : 0;
}

/* AppArmor and SELinux labels take effect at execve. A host without the LSM gets a clear error:
 * silently running unconfined is what a caller asking for a label least expects. */
static int apply_labels(const struct spec_process *p, struct berr *e)
{
        if (p->apparmor_profile) {
                if (access("/sys/module/apparmor/parameters/enabled", F_OK) < 0)
                        return berr_set(e, EOPNOTSUPP, "process.apparmorProfile: \"%s\" was asked "
                                                       "for, but AppArmor is not enabled on this host",
                                        p->apparmor_profile);
                char v[512];
                snprintf(v, sizeof(v), "exec %s", p->apparmor_profile);
                int r = write_self_attr("/proc/self/attr/apparmor/exec", v, "process.apparmorProfile", e);
                if (r < 0)
                        return r;
        }
        if (p->selinux_label) {
                if (access("/sys/fs/selinux/enforce", F_OK) < 0)
                        return berr_set(e, EOPNOTSUPP, "process.selinuxLabel: \"%s\" was asked for, "
                                                       "but SELinux is not enabled on this host",
                                        p->selinux_label);
                return write_self_attr("/proc/self/attr/exec", p->selinux_label,
                                       "process.selinuxLabel", e);
        }
        return 0;
}

static int apply_oom_score(const struct spec_process *p, struct berr *e)
{
        if (!p->has_oom_score_adj)
                return 0;
        char v[16];
        snprintf(v, sizeof(v), "%d", p->oom_score_adj);
        int r = write_self_attr("/proc/self/oom_score_adj", v, "process.oomScoreAdj", e);
        if (r < 0 && e && e->code == -EACCES)
                berr_set(e, EACCES, "process.oomScoreAdj: lowering it to %d needs CAP_SYS_RESOURCE, "
                                    "which berth does not have here", p->oom_score_adj);
        return r;
}

/* A filter with SCMP_ACT_NOTIFY rules comes with a listener fd: to the parent at once, which
 * hands it to the spec's listenerPath; until the agent has it a notified call would wait. */
static int load_filter(const struct seccomp_prog *seccomp, int sync, struct berr *e)
{
        int fd = secfilter_load(seccomp, e);
        if (fd <= 0)
                return fd;
        int r = sync_send_fd(sync, SYNC_SECCOMP, fd);
        close(fd);
        return r < 0 ? berr_sys(e, r, "sending the seccomp notify fd to berth") : 0;
}

int process_finish(const struct spec_process *p, const struct process_io *io,
                   const struct seccomp_prog *seccomp, char ***env, char *exe, size_t exelen,
                   struct berr *e)
{
        static const struct spec_caps none = {.set = true};
        const struct spec_caps *caps = p->caps.set ? &p->caps : &none;
        int r;
        /* Before any filter: the fds are sealed whatever the profile allows (a bundle's profile
         * may not know close_range). Whatever opens an fd after this opens it O_CLOEXEC. */
        if ((r = seal_fds(io->preserve_fds, e)) < 0)
                return r;
        if ((r = enter_cwd(p->cwd, e)) < 0 || (r = apply_rlimits(p, e)) < 0 ||
            (r = apply_oom_score(p, e)) < 0 || (r = apply_labels(p, e)) < 0 ||
            (r = process_tune(p, e)) < 0 ||
            (r = caps_drop_bounding(caps, e)) < 0)
                return r;
        /* Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: load it while we have it
         * (the filter then has to allow what follows, as every sane profile does). */
        if (seccomp && !p->no_new_privileges && (r = load_filter(seccomp, io->sync, e)) < 0)
                return r;
        if ((r = caps_before_setuid(e)) < 0 || (r = switch_user(p, env, e)) < 0 ||
            (r = caps_apply(caps, e)) < 0)
                return r;
        if ((r = exec_path_lookup(p->args[0], env_get(*env, "PATH"), exe, exelen, e)) < 0)
                return r;
        if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return berr_sys(e, errno, "setting no_new_privs");
        /* With no_new_privs, as late as possible: the fewest syscalls run under the filter. */
        if (seccomp && p->no_new_privileges && (r = load_filter(seccomp, io->sync, e)) < 0)
                return r;
        return 0;
}

/* Waits for `start` in another process: opening the FIFO for writing blocks until start opens
 * it for reading; one byte says we are past the point of no return. */
static void wait_fifo(int fifo_path_fd)
{
        char p[64];
        snprintf(p, sizeof(p), "/proc/self/fd/%d", fifo_path_fd);
        int fd = open(p, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, "0", 1) != 1)
                _exit(125);
        close(fd);
        close(fifo_path_fd);
}

_Noreturn void process_exec(const struct spec_process *p, int sync, int fifo, char **env,
                            const char *exe)
{
        struct sync_msg m;
        struct berr e = {0};
        if (fifo >= 0) {
                if (sync_send(sync, SYNC_READY) < 0)
                        _exit(125);
                close(sync); /* the creating process may be long gone by start */
                sync = -1;
                wait_fifo(fifo);
        } else if (sync_send(sync, SYNC_READY) < 0 || sync_recv(sync, &m, NULL) < 0 ||
                   m.type != SYNC_START) {
                _exit(125);
        }
        reset_signals();
        execve(exe, p->args, env);
        int err = errno;
        berr_sys(&e, err, "exec: \"%s\"", p->args[0]);
        e.kind = err == ENOENT ? BERR_NOT_FOUND : BERR_CANNOT_INVOKE;
        if (sync < 0) {
                dprintf(STDERR_FILENO, "berth: %s\n", e.msg);
                _exit(e.kind == BERR_NOT_FOUND ? 127 : 126);
        }
        process_die(sync, &e);
}
