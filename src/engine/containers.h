/* The container store: <root>/containers/<id>/ per container, <root>/containers/names/<name> a
 * symlink to the id. A name is reserved by creating its link, which the kernel does atomically,
 * so two concurrent runs can never both get one name. */
#ifndef BERTH_ENGINE_CONTAINERS_H
#define BERTH_ENGINE_CONTAINERS_H

#include <stdbool.h>
#include <stddef.h>

struct berr;

/* 64 random hex digits. */
int container_new_id(char out[65], struct berr *e);
/* docker's rule: [a-zA-Z0-9][a-zA-Z0-9_.-]* (pure). */
bool container_name_valid(const char *name);
/* A docker-style "adjective_name" from the id (pure). */
void container_default_name(const char *id, char *out, size_t len);
/* Reserves name for id; -EEXIST with "name already in use" when taken. */
int container_name_reserve(const char *root, const char *name, const char *id, struct berr *e);
void container_name_release(const char *root, const char *name);
/* <root>/containers/<id> (heap-owned). */
char *container_dir(const char *root, const char *id);
/* Removes the container's directory and name. */
int container_remove_files(const char *root, const char *id, const char *name, struct berr *e);

#endif
