/* Fuzz target: `berth run` flags. The input, split on NUL bytes, is the argv after "run";
 * the raw bytes are also parsed as an --env-file's text. */
#include "cli/run_opts.h"
#include "engine/container/run.h"
#include "util/err.h"
#include "util/strv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 64

static char *const host_env[] = {"HOME=/root", "PATH=/bin", "EMPTY=", "X=1", NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *buf = malloc(size + 1);
        if (!buf)
                return 0;
        memcpy(buf, data, size);
        buf[size] = '\0';

        /* --env-file as text. */
        char **env = calloc(1, sizeof(char *));
        struct berr e = {0};
        if (env_file_parse(buf, "fuzz.env", host_env, &env, &e) < 0 && !e.msg[0])
                abort();
        strv_free(env);

        /* argv: "run" then the NUL-separated words. */
        char *argv[MAX_ARGS + 2];
        int argc = 0;
        argv[argc++] = "run";
        for (size_t i = 0; i < size + 1 && argc <= MAX_ARGS;) {
                char *w = buf + i;
                /* --env-file (and its abbreviations --env-f...) would read files from the
                 * host: /dev/zero, fifos. Its text is fuzzed above. */
                if (!strncmp(w, "--env-", 6)) {
                        free(buf);
                        return 0;
                }
                argv[argc++] = w;
                i += strlen(w) + 1;
        }
        argv[argc] = NULL;

        struct run_options o;
        memset(&e, 0, sizeof(e));
        int r = run_opts_parse(argc, argv, host_env, &o, &e);
        if (r < 0 && (!e.msg[0] || r != e.code))
                abort();
        if (r == 0 && (!o.image || !o.env))
                abort();
        run_options_free(&o);
        free(buf);
        return 0;
}
