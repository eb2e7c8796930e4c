/* A container's spec on disk: <dir>/config.json, plain OCI. berth's two in-memory extensions
 * travel as annotations: the overlay root ("org.berth.rootfs.overlay") and a user name to
 * resolve inside the container ("org.berth.user"). */
#ifndef BERTH_ENGINE_SPEC_STORE_H
#define BERTH_ENGINE_SPEC_STORE_H

struct berr;
struct spec;

int spec_store_save(const char *cdir, const struct spec *s, struct berr *e);
int spec_store_load(const char *cdir, struct spec **out, struct berr *e);

#endif
