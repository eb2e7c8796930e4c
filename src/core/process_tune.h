/* process.scheduler and process.ioPriority, applied to the process being set up (init or exec)
 * while it still has its capabilities; process.execCPUAffinity, applied by the exec's parent.
 * Nothing is called when the fields are absent. */
#ifndef BERTH_CORE_PROCESS_TUNE_H
#define BERTH_CORE_PROCESS_TUNE_H

#include <sys/types.h>

struct berr;
struct spec_process;

int process_tune(const struct spec_process *p, struct berr *e);
/* execCPUAffinity.initial on the calling process (before it forks the exec's process). */
int process_affinity_initial(const struct spec_process *p, struct berr *e);
/* execCPUAffinity.final on pid, once it is in the container's cgroup. */
int process_affinity_final(const struct spec_process *p, pid_t pid, struct berr *e);

#endif
