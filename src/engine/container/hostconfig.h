/* docker's HostConfig of a container for `inspect` (hostconfig.c). */
#ifndef BERTH_ENGINE_HOSTCONFIG_H
#define BERTH_ENGINE_HOSTCONFIG_H

#include <jansson.h>

struct berr;
struct record;
struct run_options;
struct spec;

/* At create: what the flags asked that the spec cannot say back, as <cdir>/hostconfig.json. */
int hostconfig_save(const char *cdir, const struct run_options *o, struct berr *e);
/* The HostConfig object (new): the saved part, the record's, the spec's resources (s may be
 * NULL: then none). The network part is net_inspect_container's. */
json_t *hostconfig_json(const char *cdir, const struct record *rec, const struct spec *s);

#endif
