#include "engine/container/spec_store.h"

#include "core/spec.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define ANN_OVERLAY "org.berth.rootfs.overlay"
#define ANN_USER "org.berth.user"

int spec_store_save(const char *cdir, const struct spec *s, struct berr *e)
{
        json_t *ann = s->annotations_json ? json_loads(s->annotations_json, 0, NULL) : NULL;
        if (!ann)
                ann = json_object();
        if (s->root_mount && s->root_mount->options && s->root_mount->options[0])
                json_object_set_new(ann, ANN_OVERLAY, json_string(s->root_mount->options[0]));
        if (s->process.user.name)
                json_object_set_new(ann, ANN_USER, json_string(s->process.user.name));
        /* Serialise a shallow copy whose annotations carry the extensions. */
        struct spec copy = *s;
        copy.annotations_json = json_dumps(ann, JSON_COMPACT);
        json_decref(ann);
        _cleanup_free_ char *text = NULL, *path = path_join(cdir, "config.json");
        int r = copy.annotations_json ? spec_to_json_flags(&copy, true, &text, e)
                                      : berr_set(e, ENOMEM, "out of memory");
        free(copy.annotations_json);
        if (r < 0)
                return r;
        if (!path)
                return berr_set(e, ENOMEM, "out of memory");
        return write_file_atomic(path, text, strlen(text), 0600, e);
}

int spec_store_load(const char *cdir, struct spec **out, struct berr *e)
{
        _cleanup_free_ char *path = path_join(cdir, "config.json");
        if (!path)
                return berr_set(e, ENOMEM, "out of memory");
        int r = spec_from_file(path, out, e);
        if (r < 0)
                return r;
        struct spec *s = *out;
        json_t *ann = s->annotations_json ? json_loads(s->annotations_json, 0, NULL) : NULL;
        const char *ov = json_string_value(json_object_get(ann, ANN_OVERLAY));
        const char *user = json_string_value(json_object_get(ann, ANN_USER));
        if (user && !(s->process.user.name = strdup(user)))
                r = -ENOMEM;
        if (ov) {
                char *const opts[] = {(char *)ov, NULL};
                s->root_mount = calloc(1, sizeof(*s->root_mount));
                if (!s->root_mount || !(s->root_mount->destination = strdup("/")) ||
                    !(s->root_mount->type = strdup("overlay")) ||
                    !(s->root_mount->source = strdup("overlay")) ||
                    !(s->root_mount->options = strv_dup(opts)))
                        r = -ENOMEM;
        }
        json_decref(ann);
        if (r < 0) {
                spec_free(s);
                *out = NULL;
                return berr_set(e, ENOMEM, "out of memory");
        }
        return 0;
}
