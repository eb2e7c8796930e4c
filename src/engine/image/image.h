/* The image store: content-addressed layers and image configs under <root>/images.
 *
 * Layout (docs/state.md has the full picture):
 *   <root>/images/blobs/sha256/<hex>        image config JSON (OCI image-spec config), by digest
 *   <root>/images/layers/<diffid-hex>/diff  one unpacked layer, shared read-only by every image
 *                                           and container that uses it (overlay lower dir)
 *   <root>/images/repositories.json         {"busybox:latest": "sha256:<config hex>", ...}
 *   <root>/images/tmp/                      work area: unpack here, rename into place
 * The image id is the sha256 of its config (as docker does). */
#ifndef BERTH_ENGINE_IMAGE_H
#define BERTH_ENGINE_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct berr;

/* What `run` needs of an image, from its config. */
struct image {
        char id[72];        /* "sha256:<64 hex>" */
        char *ref;          /* the name it was found by, normalised ("busybox:latest") */
        char **layer_dirs;  /* absolute paths of the layers' diff dirs, bottom first; NULL-terminated */
        char **env;         /* config.Env, NULL-terminated (may be empty) */
        char **entrypoint;  /* config.Entrypoint or NULL */
        char **cmd;         /* config.Cmd or NULL */
        char *working_dir;  /* config.WorkingDir or NULL */
        char *user;         /* config.User or NULL */
        char *stop_signal;  /* config.StopSignal or NULL */
};

/* Finds an image by "name[:tag]", "sha256:<hex>", or a unique id prefix. The built-in default
 * image `busybox` is imported into the store on first use from the files made at build time
 * (datadir/busybox-layer.tar), so a fresh store never needs a network. */
int image_resolve(const char *root, const char *datadir, const char *ref, struct image *out,
                  struct berr *e);
void image_release(struct image *img);

/* Normalises a reference: "busybox" -> "busybox:latest"; "sha256:..." unchanged.
 * Returns -EINVAL with a message naming ref if it is not a valid reference. Pure. */
int image_ref_normalize(const char *ref, char *out, size_t outlen, struct berr *e);

/* Imports a rootfs tarball (uncompressed or gzip) as a one-layer image tagged `ref` (may be NULL),
 * with the given config values (cmd/env may be NULL). Streams through libarchive, computing the
 * layer's diff_id while unpacking; unpacks into tmp/ and renames into place, so a failure leaves
 * nothing behind. Writes the image id to id_out. */
int image_import_tar(const char *root, const char *tar_path, const char *ref, char *const *cmd,
                     char *const *env, char id_out[72], struct berr *e);

/* Building blocks shared by import, `load` and `commit`. `root` is the store root (--root). */

/* Unpacks a layer tarball (uncompressed, gzip, bzip2, xz or zstd) into the empty directory
 * dest, streaming, and writes its diff_id: the sha256 of the uncompressed tar stream.
 * OCI whiteouts (.wh.NAME, .wh..wh..opq) become overlayfs whiteouts (0:0 char device, opaque
 * xattr), since layer dirs are stacked as overlay lower dirs. Changes the working directory
 * while it runs (libarchive's secure extraction is relative to it) and restores it. */
int layer_unpack(const char *tar_path, const char *dest, char diff_id_out[72], struct berr *e);

/* Unpacks a layer tarball into the store (tmp/ then rename to layers/<hex>) unless a layer with
 * the same diff_id is already there; writes its diff_id. A failure leaves nothing behind. */
int image_layer_import(const char *root, const char *tar_path, char diff_id_out[72],
                       struct berr *e);

/* Stores an image config JSON as blobs/sha256/<hex>; the image id is the sha256 of its bytes. */
int image_config_store(const char *root, const char *json, size_t len, char id_out[72],
                       struct berr *e);

/* Points ref (normalised here) at image id in repositories.json, replacing an older target. */
int image_tag(const char *root, const char *ref, const char *id, struct berr *e);

/* Builds a one-layer OCI image config (architecture and os of this host). Returns a heap string
 * (compact, sorted keys, so equal inputs give equal ids) or NULL on ENOMEM. created may be
 * NULL (omitted) or an RFC 3339 time. Pure. */
char *image_config_build(const char *diff_id, char *const *cmd, char *const *env,
                         const char *created);

/* Parses an OCI image config: fills env/entrypoint/cmd/working_dir/user/stop_signal of out
 * (not id/ref/layer_dirs) and *diff_ids (NULL-terminated, heap). -EINVAL with a message on
 * malformed input. Pure. */
int image_config_parse(const char *json, size_t len, struct image *out, char ***diff_ids,
                       struct berr *e);

#endif
