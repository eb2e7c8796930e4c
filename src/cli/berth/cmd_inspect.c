/* berth inspect, berth top. */
#include "cli/berth/cli.h"
#include "cli/ps_format.h"
#include "engine/container/inspect.h"
#include "engine/container/top.h"
#include "engine/context.h"
#include "util/err.h"
#include "util/strv.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* docker prints a JSON array of what it found (even when some were not), then the errors. */
int cmd_inspect(const struct berth_ctx *ctx, int argc, char **argv)
{
        struct berr e = {0};
        int first = 1;
        if (argc > 1 && !strcmp(argv[1], "--type") && argc > 2) {
                if (strcmp(argv[2], "container")) {
                        berr_set(&e, EINVAL, "inspect: --type: only \"container\" is supported");
                        return cli_fail(&e);
                }
                first = 3;
        }
        if (first < argc && argv[first][0] == '-') {
                berr_set(&e, EINVAL, "inspect: unknown flag: %s", argv[first]);
                return cli_fail(&e);
        }
        if (first >= argc) {
                berr_set(&e, EINVAL, "inspect: requires at least one container");
                return cli_fail(&e);
        }
        json_t *all = json_array();
        char **errors = NULL;
        int ret = 0;
        for (int i = first; i < argc; i++) {
                json_t *one = NULL;
                if (container_inspect(ctx->root, argv[i], &one, &e) < 0) {
                        strv_push(&errors, e.msg);
                        ret = 125; /* docker: 1; berth: an unknown container is 125 */
                        continue;
                }
                json_array_append_new(all, one);
        }
        char *text = json_dumps(all, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
        json_decref(all);
        if (text)
                printf("%s\n", text);
        free(text);
        fflush(stdout);
        for (size_t i = 0; errors && errors[i]; i++)
                fprintf(stderr, "berth: %s\n", errors[i]);
        strv_free(errors);
        return ret;
}

int cmd_top(const struct berth_ctx *ctx, int argc, char **argv)
{
        struct berr e = {0};
        if (argc != 2 || argv[1][0] == '-') {
                berr_set(&e, EINVAL, "top: requires exactly one container (ps options are not supported)");
                return cli_fail(&e);
        }
        char **cells = NULL;
        size_t n = 0;
        if (container_top(ctx->root, argv[1], &cells, &n, &e) < 0)
                return cli_fail(&e);
        char **all = calloc((n + 1) * TOP_NCOLS, sizeof(char *));
        if (!all) {
                strv_free(cells);
                berr_set(&e, ENOMEM, "top: out of memory");
                return cli_fail(&e);
        }
        for (int k = 0; k < TOP_NCOLS; k++)
                all[k] = (char *)top_titles[k];
        memcpy(all + TOP_NCOLS, cells, n * TOP_NCOLS * sizeof(char *));
        table_print(stdout, (const char *const *)all, n + 1, TOP_NCOLS, 20, 3);
        free(all);
        strv_free(cells);
        return 0;
}
