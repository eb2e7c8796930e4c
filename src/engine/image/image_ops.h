/* Image commands of the engine: load, save, import, export, commit, list, tag, remove,
 * history, inspect, prune. The store's layout is in engine/image.h; this header is what cli/
 * calls. Every function returns 0 or a negative errno with a message in e. */
#ifndef BERTH_ENGINE_IMAGE_OPS_H
#define BERTH_ENGINE_IMAGE_OPS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct berr;
struct berth_ctx;

/* Loads a docker-archive or an OCI image layout tar (path NULL or "-": stdin). For each image
 * appends to *names "NAME:TAG" lines it was tagged with, or "sha256:<id>" if it has none.
 * Nothing is published unless every image and blob of the archive checked out. */
int image_load(const char *root, const char *path, char ***loaded, struct berr *e);

enum save_format { SAVE_DOCKER, SAVE_OCI };
/* Writes the images (references as image_resolve takes them) to path (NULL or "-": stdout). */
int image_save(const struct berth_ctx *ctx, char *const *refs, enum save_format fmt,
               const char *path, struct berr *e);

/* Applies one docker --change line ("CMD [\"sh\"]", "ENV A=1", "WORKDIR /x", "USER u",
 * "ENTRYPOINT ...", "EXPOSE 80/tcp", "LABEL k=v", "STOPSIGNAL SIGINT", "VOLUME /data") to the
 * config object (the "config" member of an image config). Pure. */
int image_change_apply(json_t *config, const char *change, struct berr *e);

/* `import`: a rootfs tarball (path or "-") as a one-layer image; changes as above. */
int image_import(const char *root, const char *path, const char *ref, char *const *changes,
                 const char *message, char id_out[72], struct berr *e);

/* `export`: the container's filesystem as a tar to fd out. */
int image_export(const char *root, const char *container, int out, struct berr *e);

/* `commit`: the container's upper dir as one new layer on its image. */
int image_commit(const char *root, const char *container, const char *ref,
                 char *const *changes, const char *message, const char *author,
                 char id_out[72], struct berr *e);

/* One image of the store, for `images`. */
struct image_info {
        char id[72];
        char **tags;     /* "name:tag", sorted; may be empty */
        char created[64];
        uint64_t size;   /* bytes of its layers */
        size_t layers;
};
int image_list(const char *root, struct image_info **out, size_t *n, struct berr *e);
void image_info_free(struct image_info *v, size_t n);

/* Resolves ref to an image id without importing anything (busybox comes through datadir). */
int image_find(const struct berth_ctx *ctx, const char *ref, char id[72], struct berr *e);

int image_tag_ref(const struct berth_ctx *ctx, const char *src, const char *dst, struct berr *e);

/* `rmi`: untags ref (if it is a name) and deletes the image when no name is left; refused while
 * a container uses it unless force. Prints docker's "Untagged:"/"Deleted:" lines to out. */
int image_remove(const struct berth_ctx *ctx, const char *ref, bool force, FILE *out,
                 struct berr *e);

/* `image prune`: removes images with no tag (all: every image) that no container uses. */
int image_prune(const char *root, bool all, FILE *out, uint64_t *reclaimed, struct berr *e);

/* `image inspect`: docker's JSON object for one image. */
int image_inspect_json(const struct berth_ctx *ctx, const char *ref, json_t **out,
                       struct berr *e);

/* `history`: rows newest first. */
struct image_history_row {
        char id[72];      /* the image's id on the top row, "" (<missing>) below */
        char created[64];
        char *created_by;
        uint64_t size;
        char *comment;
};
int image_history(const struct berth_ctx *ctx, const char *ref, struct image_history_row **out,
                  size_t *n, struct berr *e);
void image_history_free(struct image_history_row *v, size_t n);

/* Writes the directory tree at dirfd as a layer tar into a (libarchive writer): entries in
 * sorted order, overlay whiteouts (0:0 char devices) as ".wh.NAME", opaque dirs (xattr
 * trusted.overlay.opaque=y) with ".wh..wh..opq"; trusted.overlay.* xattrs are never written.
 * Paths in skip (relative, e.g. "etc/hostname") are left out. */
struct archive;
int layer_tar_write(int dirfd, struct archive *a, char *const *skip, struct berr *e);

/* layer_tar_write into a file (fd), plain tar; writes the tar's sha256 and size. */
int layer_tar_to_fd(int dirfd, int fd, char *const *skip, char digest[72], uint64_t *size,
                    struct berr *e);

/* name[:tag], sha256:<hex> or a unique id prefix -> id, without importing the built-in image
 * (image.c). -ENOENT "No such image: REF". */
int image_lookup_id(const char *root, const char *ref, char id[72], struct berr *e);

/* layer_unpack (engine/image.h) that also lists, in *payloads (heap strv), the paths of the
 * regular files whose content the tar carries, in tar order: what tarsplit_write needs. */
int layer_unpack_paths(const char *tar_path, const char *dest, char diff_id_out[72],
                       char ***payloads, struct berr *e);

/* tar-split (image_tarsplit.c): records the layout of the layer tar at tar_path, with paths
 * the contents of its regular files in order (as layer_unpack_paths reports them), into
 * out_path; and rebuilds the tar from the record and the unpacked layer dir into outfd, writing
 * the rebuilt tar's digest and size (the caller compares it with the diff_id). */
int tarsplit_write(const char *tar_path, char *const *paths, const char *out_path,
                   struct berr *e);
int tarsplit_rebuild(const char *split, int dirfd, int outfd, char digest[72], uint64_t *size,
                     struct berr *e);

/* GOARCH name of this host ("amd64"). */
const char *image_host_arch(void);

#endif
