#include "engine/run_options.h"

#include "util/strv.h"

#include <stdlib.h>

void run_options_free(struct run_options *o)
{
        strv_free(o->env);
        strv_free(o->entrypoint);
        strv_free(o->cmd);
        o->env = o->entrypoint = o->cmd = NULL;
        spec_resources_clear(&o->res);
        free(o->rlimits);
        o->rlimits = NULL;
        strv_free(o->sec.cap_add);
        strv_free(o->sec.cap_drop);
        strv_free(o->sec.devices);
        o->sec.cap_add = o->sec.cap_drop = o->sec.devices = NULL;
        o->n_rlimits = 0;
        run_mounts_free(o->mounts, o->n_mounts);
        o->mounts = NULL;
        o->n_mounts = 0;
        strv_free(o->net.aliases);
        strv_free(o->net.publish);
        o->net.aliases = o->net.publish = NULL;
}
