/* A container's extra mounts: -v, --mount, --tmpfs and the image's VOLUMEs, made into spec
 * mounts. Named and anonymous volumes live in the volume store (engine/volume.h); the ones a
 * container uses are listed in <container dir>/volumes.json, so `rm -v`, `--rm` and
 * `volume rm` know who uses what. */
#ifndef BERTH_ENGINE_VOLUME_MOUNT_H
#define BERTH_ENGINE_VOLUME_MOUNT_H

#include <stdbool.h>
#include <stddef.h>

struct berr;
struct image;
struct spec;

enum run_mount_type { RUN_MOUNT_BIND, RUN_MOUNT_VOLUME, RUN_MOUNT_TMPFS };

/* One mount the user asked for, as parsed by the CLI (validated for shape, nothing checked on
 * the host yet). */
struct run_mount {
        enum run_mount_type type;
        char *source;       /* bind: absolute host path; volume: a name, or NULL (anonymous) */
        char *target;       /* absolute path in the container, cleaned */
        bool readonly;
        bool nocopy;        /* volume: do not fill an empty volume from the image */
        bool create_source; /* bind from -v: create a missing host directory, as docker does */
        bool nonrecursive;  /* bind: "bind" instead of "rbind" */
        char *propagation;  /* bind: "rprivate" (NULL) or "shared", ... */
        char **options;     /* tmpfs: extra mount options ("size=65536k", "mode=1777", "exec") */
};

void run_mounts_free(struct run_mount *m, size_t n);
/* Appends a copy of m (deep) to *v / *n. */
int run_mounts_push(struct run_mount **v, size_t *n, const struct run_mount *m);

/* Cleans an absolute container path ("/a//b/../c/" -> "/a/c") into out; -EINVAL when p is not
 * absolute or out is too small. Pure. */
int volume_clean_target(const char *p, char *out, size_t len);

/* For a container being created in cdir: the user's mounts plus the image's VOLUMEs (as
 * anonymous volumes where the user gave no mount at that path) become mounts of s, sorted
 * parents first. Volumes are created on first use and, when empty, filled from the image's
 * content at the target (copy-up, under the volume's lock). The volumes are recorded in
 * cdir/volumes.json before any is created. */
int volume_mounts_setup(const char *root, const struct image *img, const struct run_mount *m,
                        size_t n, const char *cdir, struct spec *s, struct berr *e);

#endif
