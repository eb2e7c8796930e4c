/* Signals and waiting: kill, stop, wait. A signal goes to the init only after its start time
 * matched the record (pids are reused), and through a pidfd opened before that check, so the
 * verified process is the one signalled. The end of a container is known from its owner (the
 * owner lock is released once the exit is recorded), never from a pid. */
#include "engine/container/control.h"

#include "core/cgroup.h"
#include "engine/container/containers.h"
#include "engine/container/lookup.h"
#include "engine/container/owner.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/signals.h"

#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int container_get(const char *root, const char *ref, char id[65], struct record *rec_out,
                  struct berr *e)
{
        struct record rec;
        bool removed = false;
        int r = container_find(root, ref, id, e);
        if (r < 0)
                return r;
        r = container_reconcile(root, id, &rec, &removed, e);
        if (r == -ENOENT || removed) {
                record_clear(&rec);
                return berr_set(e, ENOENT, "no such container: %s", ref);
        }
        if (r < 0 || !rec_out)
                record_clear(&rec);
        else
                *rec_out = rec;
        return r;
}

/* A pidfd of the record's init if it is still that process (>= 0), -ESRCH if it is gone. */
static int init_pidfd(const struct record *rec, struct berr *e)
{
        if (rec->pid <= 0)
                return -ESRCH;
        int fd = (int)syscall(SYS_pidfd_open, rec->pid, 0);
        if (fd < 0)
                return errno == ESRCH ? -ESRCH
                                      : berr_sys(e, errno, "opening a pidfd of %d", (int)rec->pid);
        if (proc_start_time(rec->pid) != rec->pid_start) {
                close(fd);
                return -ESRCH;
        }
        return fd;
}

static int send_sig(int pidfd, int sig)
{
        if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0)
                return errno == ESRCH ? 0 : -errno; /* it exited meanwhile: fine */
        return 0;
}

int container_kill(const char *root, const char *ref, int sig, struct berr *e)
{
        char id[65];
        struct record rec;
        int r = container_get(root, ref, id, &rec, e);
        if (r < 0)
                return r;
        int fd = rec.status == REC_RUNNING ? init_pidfd(&rec, e) : -ESRCH;
        if (fd >= 0) {
                r = send_sig(fd, sig);
                close(fd);
                /* A frozen process does not act on a signal until thawed (on v1 not even on
                 * SIGKILL): SIGKILL thaws whatever the kernel says is frozen, so the container
                 * ends. Another signal waits, pending, for unpause, as a paused container's. */
                if (r == 0 && sig == SIGKILL)
                        container_thaw(&rec);
        }
        record_clear(&rec);
        if (fd == -ESRCH)
                return berr_set(e, EINVAL, "container %s is not running", ref);
        if (fd < 0)
                return fd;
        if (r < 0)
                return berr_sys(e, -r, "sending signal %d to container %s", sig, ref);
        return 0;
}

/* Waits for the owner to finish (it releases the lock once the exit is recorded), at most
 * wait_ms (owner_lock), then reconciles (the owner may have died instead). */
static int wait_owner(const char *root, const char *id, const char *ref, int wait_ms,
                      struct record *rec, struct berr *e)
{
        _cleanup_free_ char *cdir = container_dir(root, id);
        if (!cdir)
                return berr_set(e, ENOMEM, "out of memory");
        int lock = owner_lock(cdir, wait_ms, e);
        if (lock < 0) {
                if (access(cdir, F_OK) < 0)
                        return berr_set(e, ENOENT, "no such container: %s", ref);
                return lock;
        }
        close(lock);
        bool removed = false;
        int r = container_reconcile(root, id, rec, &removed, e);
        if (r == -ENOENT || removed) {
                record_clear(rec);
                return berr_set(e, ENOENT, "no such container: %s", ref);
        }
        return r;
}

int container_stop(const char *root, const char *ref, int sig, int timeout_s, struct berr *e)
{
        char id[65];
        struct record rec;
        int r = container_get(root, ref, id, &rec, e);
        if (r < 0)
                return r;
        if (rec.status != REC_RUNNING) {
                record_clear(&rec);
                return 0; /* docker: stopping a stopped container is no error */
        }
        if (!sig && (!rec.stop_signal[0] || signal_parse(rec.stop_signal, &sig) < 0))
                sig = SIGTERM;
        int fd = init_pidfd(&rec, e);
        if (fd >= 0 && (r = send_sig(fd, sig)) == 0)
                container_thaw(&rec); /* docker: a paused container is thawed to get the signal */
        record_clear(&rec);
        if (fd < 0 && fd != -ESRCH)
                return fd;
        if (fd >= 0) {
                if (r < 0) {
                        close(fd);
                        return berr_sys(e, -r, "sending signal %d to container %s", sig, ref);
                }
                struct pollfd p = {.fd = fd, .events = POLLIN};
                int ms = timeout_s < 0 ? -1 : timeout_s > 2000000 ? 2000000000 : timeout_s * 1000;
                while ((r = poll(&p, 1, ms)) < 0 && errno == EINTR)
                        ;
                if (r == 0) /* still there after the timeout: SIGKILL cannot be ignored */
                        send_sig(fd, SIGKILL);
                close(fd);
        }
        r = wait_owner(root, id, ref, OWNER_FINISH_MAX_MS, &rec, e);
        record_clear(&rec);
        /* An --rm container is gone once stopped: that is what was asked, as with docker. */
        return r == -ENOENT ? 0 : r;
}

int container_wait(const char *root, const char *ref, int *exit_code, struct berr *e)
{
        char id[65];
        struct record rec;
        int r = container_get(root, ref, id, &rec, e);
        if (r < 0)
                return r;
        if (rec.status != REC_EXITED) {
                /* The init's exit first, in one poll (it may run for days); then its owner,
                 * who records the exit within moments. */
                int fd = rec.status == REC_RUNNING ? init_pidfd(&rec, e) : -ESRCH;
                record_clear(&rec);
                if (fd >= 0) {
                        struct pollfd p = {.fd = fd, .events = POLLIN};
                        while (poll(&p, 1, -1) < 0 && errno == EINTR)
                                ;
                        close(fd);
                }
                if ((r = wait_owner(root, id, ref, OWNER_WAIT_FOREVER, &rec, e)) < 0)
                        return r;
        }
        *exit_code = rec.exit_code;
        record_clear(&rec);
        return 0;
}

int container_pids(const char *root, const char *ref, pid_t **pids, size_t *n, struct berr *e)
{
        char id[65];
        struct record rec;
        int r = container_get(root, ref, id, &rec, e);
        if (r < 0)
                return r;
        bool running = rec.status == REC_RUNNING;
        struct cgroup cg;
        r = running && rec.cgroup[0] ? cgroup_deserialize(rec.cgroup, &cg, e) : -ESRCH;
        record_clear(&rec);
        if (!running)
                return berr_set(e, EINVAL, "container %s is not running", ref);
        if (r == -ESRCH)
                return berr_set(e, EINVAL, "container %s has no cgroup recorded", ref);
        if (r < 0)
                return r;
        r = cgroup_pids(&cg, pids, n, e);
        cgroup_release(&cg);
        return r;
}
