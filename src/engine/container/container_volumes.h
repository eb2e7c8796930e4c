/* The volumes a container directory records (container_volumes.c). */
#ifndef BERTH_ENGINE_CONTAINER_VOLUMES_H
#define BERTH_ENGINE_CONTAINER_VOLUMES_H

struct berr;

/* The volumes recorded in a container directory (NULL-terminated heap strvs; either out may be
 * NULL). A directory without volumes.json has none. */
int container_volumes_read(const char *cdir, char ***all, char ***anonymous, struct berr *e);

#endif
