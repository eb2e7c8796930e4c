/* The detached monitor tells the waiting CLI whether the container's command really started:
 * the result, the error (with its kind, so the CLI exits 125/126/127 as in the foreground) and
 * the warnings, over a pipe. EOF without a message means the monitor died. */
#ifndef BERTH_ENGINE_SYNC_NOTIFY_H
#define BERTH_ENGINE_SYNC_NOTIFY_H

struct berr;

void notify_send(int fd, int result, const struct berr *e, char *const *warnings);
int notify_recv(int fd, struct berr *e, char ***warnings);

#endif
