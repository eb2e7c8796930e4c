/* Filling an empty volume from the image's content at the mount target (docker's copy-up). */
#ifndef BERTH_ENGINE_VOLUME_COPYUP_H
#define BERTH_ENGINE_VOLUME_COPYUP_H

struct berr;
struct image;

/* With the volume's lock held: if voldir/_data is empty and the image has a directory at target
 * (resolved inside the image), fills _data with a copy of it. mnt is an empty directory the
 * image's layers may be stacked on in a private mount namespace (the container's merged/).
 * Nothing to copy is fine. */
int volume_copy_up(const struct image *img, const char *target, const char *voldir,
                   const char *mnt, struct berr *e);

#endif
