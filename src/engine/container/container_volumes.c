/* The volumes a container's directory records (volumes.json, written by volume_mounts_setup):
 * read by removal, collectors and `volume rm`'s in-use check alike, so it calls nothing above
 * util/. */
#include "engine/container/container_volumes.h"

#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strv.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>

int container_volumes_read(const char *cdir, char ***all, char ***anonymous, struct berr *e)
{
        if (all)
                *all = NULL;
        if (anonymous)
                *anonymous = NULL;
        _cleanup_free_ char *path = path_join(cdir, "volumes.json");
        _cleanup_free_ char *text = NULL;
        if (!path)
                return berr_set(e, ENOMEM, "out of memory");
        struct berr inner;
        int r = read_file(path, &text, NULL, &inner);
        char **a = calloc(1, sizeof(char *)), **an = calloc(1, sizeof(char *));
        if (!a || !an) {
                r = berr_set(e, ENOMEM, "out of memory");
                goto out;
        }
        if (r == -ENOENT) {
                r = 0;
                goto out;
        }
        if (r < 0) {
                r = berr_set(e, r, "%s", inner.msg);
                goto out;
        }
        json_t *o = json_loads(text, 0, NULL);
        json_t *arr = json_object_get(o, "volumes"), *v;
        size_t i;
        json_array_foreach(arr, i, v)
        {
                const char *name = json_string_value(json_object_get(v, "name"));
                if (!name)
                        continue;
                if (strv_push(&a, name) < 0 ||
                    (json_is_true(json_object_get(v, "anonymous")) && strv_push(&an, name) < 0))
                        r = berr_set(e, ENOMEM, "out of memory");
        }
        json_decref(o);
out:
        if (r == 0 && all)
                *all = steal_ptr(a);
        if (r == 0 && anonymous)
                *anonymous = steal_ptr(an);
        strv_free(a);
        strv_free(an);
        return r;
}
