/* A container's files and the anonymous volumes it made go together (docker's --rm): above the
 * store and volumes, below the owner's reconcile and `rm`, which both call it. */
#include "engine/container/container_files.h"

#include "engine/store/container_volumes.h"
#include "engine/store/containers.h"
#include "engine/volume/volume.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/strv.h"

#include <errno.h>
#include <stdlib.h>

int container_remove_files(const char *root, const char *id, const char *name, struct berr *e)
{
        _cleanup_free_ char *dir = container_dir(root, id);
        if (!dir)
                return berr_set(e, ENOMEM, "out of memory");
        char **anon = NULL; /* --rm: anonymous volumes go with the container, as in docker */
        struct berr ignore;
        container_volumes_read(dir, NULL, &anon, &ignore);
        int r = container_trash(root, id, name, -1, e);
        container_volumes_remove(root, anon);
        strv_free(anon);
        return r == -ENOENT ? 0 : r;
}
