/* The mount flags of `berth run`: -v/--volume, --mount and --tmpfs, docker's syntax, parsed
 * and validated into struct run_mount (engine/volume_mount.h). Nothing on the host is looked
 * at or created here. Errors name the flag and the value. */
#ifndef BERTH_CLI_MOUNT_OPTS_CLI_H
#define BERTH_CLI_MOUNT_OPTS_CLI_H

#include <stddef.h>

struct berr;
struct run_mount;

/* -v [HOST-PATH|NAME:]CONTAINER-PATH[:OPTIONS]; a relative host path ("./d") is made
 * absolute from the working directory, as the docker CLI does. */
int volume_flag_add(const char *arg, struct run_mount **v, size_t *n, struct berr *e);
/* --mount type=bind|volume|tmpfs,source=..,target=..,readonly,... */
int mount_flag_add(const char *arg, struct run_mount **v, size_t *n, struct berr *e);
/* --tmpfs CONTAINER-PATH[:OPTIONS] */
int tmpfs_flag_add(const char *arg, struct run_mount **v, size_t *n, struct berr *e);

#endif
