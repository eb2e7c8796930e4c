/* Parsers of the JSON inside image archives (untrusted input): docker-archive's manifest.json
 * and the OCI image layout's index.json and image manifests (image-spec image-layout.md,
 * image-index.md, manifest.md). Pure: no I/O. Every function returns 0 or a negative errno with
 * a message naming the file and the field. */
#ifndef BERTH_ENGINE_IMAGE_MANIFEST_H
#define BERTH_ENGINE_IMAGE_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

struct berr;

/* One entry of docker's manifest.json: paths inside the archive. */
struct docker_manifest_entry {
        char *config;  /* "<hex>.json" or "blobs/sha256/<hex>" */
        char **tags;   /* RepoTags, NULL-terminated (may be empty) */
        char **layers; /* paths of layer tars, bottom first, NULL-terminated */
};

int docker_manifest_parse(const char *json, size_t len, struct docker_manifest_entry **out,
                          size_t *n, struct berr *e);
void docker_manifest_free(struct docker_manifest_entry *m, size_t n);

/* An OCI content descriptor. */
struct oci_desc {
        char *media_type;
        char *digest;  /* "sha256:<hex>" (other algorithms are refused) */
        int64_t size;
        char *ref_name; /* annotations: io.containerd.image.name, else org.opencontainers.image.ref.name */
        char *arch, *os; /* platform, or NULL */
};

/* index.json (or a nested index blob): its manifests. */
int oci_index_parse(const char *json, size_t len, struct oci_desc **out, size_t *n,
                    struct berr *e);
/* An image manifest: config and layers (bottom first). */
int oci_manifest_parse(const char *json, size_t len, struct oci_desc *config,
                       struct oci_desc **layers, size_t *n, struct berr *e);
void oci_desc_free(struct oci_desc *d, size_t n);

/* Media types this loader understands. */
#define MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define MT_OCI_LAYER "application/vnd.oci.image.layer.v1.tar"
#define MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"

/* 1 if a layer of this media type can be unpacked (tar, gzip, zstd; docker's and OCI's names,
 * non-distributable ones too), else 0. */
int oci_layer_media_ok(const char *mt);

#endif
