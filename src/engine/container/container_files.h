/* Removing what a container left on disk (container_files.c). */
#ifndef BERTH_ENGINE_CONTAINER_FILES_H
#define BERTH_ENGINE_CONTAINER_FILES_H

struct berr;

/* Removes the container's directory and name, and the anonymous volumes it made (--rm). */
int container_remove_files(const char *root, const char *id, const char *name, struct berr *e);

#endif
