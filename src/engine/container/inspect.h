/* `berth inspect`: a container as docker's inspect JSON object (the fields berth has). */
#ifndef BERTH_ENGINE_INSPECT_H
#define BERTH_ENGINE_INSPECT_H

#include <jansson.h>

struct berr;

/* Resolves ref (reconciling its record) and builds the object; the caller json_decref()s it. */
int container_inspect(const char *root, const char *ref, json_t **out, struct berr *e);

#endif
