/* The container's terminal, allocated from the container's own devpts instance so that `tty`
 * inside says /dev/pts/0 and no host pty is exposed. */
#ifndef BERTH_CORE_CONSOLE_H
#define BERTH_CORE_CONSOLE_H

struct berr;

/* In the init, after pivot_root: opens /dev/ptmx, makes the peer the controlling terminal and
 * stdio, and returns the master fd (to be sent to the parent). */
int console_setup_in_container(struct berr *e);

#endif
