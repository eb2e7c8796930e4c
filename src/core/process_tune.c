#include "core/process_tune.h"

#include "core/spec.h"
#include "util/cpulist.h"
#include "util/err.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* sched_setattr(2)'s first layout (SCHED_ATTR_SIZE_VER0): glibc has no wrapper. */
struct sched_attr_v0 {
        uint32_t size, sched_policy;
        uint64_t sched_flags;
        int32_t sched_nice;
        uint32_t sched_priority;
        uint64_t sched_runtime, sched_deadline, sched_period;
};

#define IOPRIO_WHO_PROCESS_ 1
#define IOPRIO_CLASS_SHIFT_ 13

static int set_scheduler(const struct spec_scheduler *sc, struct berr *e)
{
        struct sched_attr_v0 a = {
                .size = sizeof(a),
                .sched_policy = sc->policy,
                .sched_flags = sc->flags,
                .sched_nice = sc->nice,
                .sched_priority = sc->priority,
                .sched_runtime = sc->runtime,
                .sched_deadline = sc->deadline,
                .sched_period = sc->period,
        };
        if (syscall(SYS_sched_setattr, 0, &a, 0) == 0)
                return 0;
        int err = errno;
        if (err == EINVAL)
                return berr_set(e, err, "process.scheduler: the kernel refuses this policy with "
                                        "these values (priority %u, nice %d, runtime %llu, "
                                        "deadline %llu, period %llu)",
                                sc->priority, sc->nice, (unsigned long long)sc->runtime,
                                (unsigned long long)sc->deadline, (unsigned long long)sc->period);
        return berr_sys(e, err, "process.scheduler: sched_setattr");
}

int process_tune(const struct spec_process *p, struct berr *e)
{
        int r;
        if (p->scheduler.set && (r = set_scheduler(&p->scheduler, e)) < 0)
                return r;
        if (p->io_priority.set) {
                int v = (p->io_priority.klass << IOPRIO_CLASS_SHIFT_) | p->io_priority.priority;
                if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS_, 0, v) < 0)
                        return berr_sys(e, errno, "process.ioPriority: ioprio_set");
        }
        return 0;
}

static int set_affinity(const char *list, pid_t pid, const char *which, struct berr *e)
{
        cpu_set_t set;
        if (cpulist_parse(list, &set) < 0) /* checked at parse: only a bad caller gets here */
                return berr_set(e, EINVAL, "process.execCPUAffinity.%s: \"%s\"", which, list);
        if (sched_setaffinity(pid, sizeof(set), &set) < 0)
                return berr_sys(e, errno, "process.execCPUAffinity.%s: cpus %s", which, list);
        return 0;
}

int process_affinity_initial(const struct spec_process *p, struct berr *e)
{
        return p->cpu_affinity_initial ? set_affinity(p->cpu_affinity_initial, 0, "initial", e) : 0;
}

int process_affinity_final(const struct spec_process *p, pid_t pid, struct berr *e)
{
        return p->cpu_affinity_final ? set_affinity(p->cpu_affinity_final, pid, "final", e) : 0;
}
