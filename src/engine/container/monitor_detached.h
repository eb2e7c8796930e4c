/* The detached monitor's loop: the container's stdout and stderr (or its pty) into
 * container.log, signals forwarded, until the init exits. */
#ifndef BERTH_ENGINE_MONITOR_DETACHED_H
#define BERTH_ENGINE_MONITOR_DETACHED_H

#include "engine/container/monitor.h"
#include "util/jsonlog.h"

#include <stdio.h>
#include <sys/types.h>

struct berr;

struct monitor_io {
        int out[2], err[2]; /* pipes: the container writes [1], we read [0] */
        FILE *log;
        struct jsonlog_loss lost; /* output the log could not take (util/jsonlog.h) */
        struct monitor mon;
};

int monitor_detached_open(struct monitor_io *io, const char *cdir, struct berr *e);
/* Becomes berth-monitor (src/monitor/main.c, next to this binary), which runs the same loop in
 * a few pages of memory and then execs finish (berth's argv: it appends the exit status)
 * through an fd of this binary. Other fds it must keep (the owner lock, held ports) are the
 * caller's to make inheritable. Returns only on failure (then nothing changed that the loop
 * above needs). */
int monitor_detached_exec(struct monitor_io *io, pid_t pid, int console, char *const *finish,
                          struct berr *e);
/* Returns docker's exit status of pid. */
int monitor_detached_run(struct monitor_io *io, pid_t pid, int console);
void monitor_detached_close(struct monitor_io *io);

#endif
