/* A container's /dev: the standard nodes and the spec's linux.devices (devices.c). */
#ifndef BERTH_CORE_DEVICES_H
#define BERTH_CORE_DEVICES_H

struct berr;

/* Creates the standard device nodes and links in an empty /dev (devfd). */
int devices_populate(int devfd, struct berr *e);
/* Creates one linux.devices node inside the root (bind-mounting the host's node where mknod is
 * refused, as in a user namespace). */
struct spec_device;
int device_create(int rootfd, const struct spec_device *d, struct berr *e);

#endif
