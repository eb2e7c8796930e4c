/* /proc/PID/mountinfo, read for what berth must undo itself: the mounts a container made in a
 * mount namespace it shares with its runtime (a spec without a mount namespace). */
#ifndef BERTH_CORE_MOUNTINFO_H
#define BERTH_CORE_MOUNTINFO_H

#include <stdio.h>

/* The mount points strictly below dir (not dir itself), unescaped (\040 is a space), in the
 * order mountinfo lists them (parents before what is mounted on them). *out is a NULL-terminated
 * heap vector (strv_free); returns their number or -ENOMEM. */
long mountinfo_points_below(FILE *f, const char *dir, char ***out);

#endif
