/* Capabilities of the container's process: the bounding set is cut before the uid changes (it
 * needs CAP_SETPCAP), the other sets are set after it (with KEEPCAPS across setuid). Inheritable
 * is only what the spec lists: never the caller's (CVE-2022-29162). */
#ifndef BERTH_CORE_CAPS_H
#define BERTH_CORE_CAPS_H

struct berr;
struct spec_caps;

int caps_drop_bounding(const struct spec_caps *c, struct berr *e);
/* Call between caps_before_setuid and the uid change, then caps_apply. */
int caps_before_setuid(struct berr *e);
int caps_apply(const struct spec_caps *c, struct berr *e);

#endif
