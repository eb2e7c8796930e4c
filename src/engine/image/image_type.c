/* struct image's own lifecycle, apart from how it is found (image.c) and parsed
 * (image_config.c): both stand on it. */
#include "engine/image/image.h"

#include "util/strv.h"

#include <stdlib.h>
#include <string.h>

void image_release(struct image *img)
{
        free(img->ref);
        strv_free(img->layer_dirs);
        strv_free(img->env);
        strv_free(img->entrypoint);
        strv_free(img->cmd);
        free(img->working_dir);
        free(img->user);
        free(img->stop_signal);
        memset(img, 0, sizeof(*img));
}
