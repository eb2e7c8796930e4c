/* A container's id, name rules and directory path (container_ids.c): the leaf of container/. */
#ifndef BERTH_ENGINE_CONTAINER_IDS_H
#define BERTH_ENGINE_CONTAINER_IDS_H

#include <stdbool.h>
#include <stddef.h>

struct berr;

/* 64 random hex digits. */
int container_new_id(char out[65], struct berr *e);
/* docker's rule: [a-zA-Z0-9][a-zA-Z0-9_.-]* (pure). */
bool container_name_valid(const char *name);
/* A docker-style "adjective_name" from the id (pure). */
void container_default_name(const char *id, char *out, size_t len);
/* Pure: is s 1-64 lowercase hex digits? */
int is_id_prefix(const char *s);
/* <root>/containers/<id> (heap-owned). */
char *container_dir(const char *root, const char *id);

#endif
