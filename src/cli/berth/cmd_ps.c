/* berth ps (container ls): every container, reconciled first so a container whose berth or
 * monitor was SIGKILLed shows as exited, never as running. A record that cannot be read (it is
 * being removed, or is damaged) is skipped: ps never fails because of one container. */
#include "cli/berth/cli.h"
#include "cli/cli_getopt.h"
#include "cli/ps_format.h"
#include "engine/container/lookup.h"
#include "engine/container/owner.h"
#include "engine/container/record.h"
#include "engine/context.h"
#include "util/err.h"
#include "util/strv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NCOLS 7

/* docker lists the newest first; created times are fixed-width UTC, so text order is time order. */
static int newest_first(const void *a, const void *b)
{
        return strcmp(((const struct record *)b)->created, ((const struct record *)a)->created);
}

int cmd_ps(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"all", no_argument, NULL, 'a'},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"no-trunc", no_argument, NULL, 'T'},
                                             {"filter", required_argument, NULL, 'f'},
                                             {NULL, 0, NULL, 0}};
        bool all = false, quiet = false, no_trunc = false;
        struct ps_filter filt = {0};
        struct berr e = {0};
        int c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+aqf:", opts)) != -1) {
                switch (c) {
                case 'a': all = true; break;
                case 'q': quiet = true; break;
                case 'T': no_trunc = true; break;
                case 'f':
                        if (ps_filter_add(&filt, optarg, &e) < 0) {
                                ps_filter_free(&filt);
                                return cli_fail(&e);
                        }
                        break;
                default:
                        ps_filter_free(&filt);
                        berr_set(&e, EINVAL, "ps: unknown flag or missing value: %s",
                                 argv[optind - 1]);
                        return cli_fail(&e);
                }
        }
        if (optind < argc) {
                ps_filter_free(&filt);
                berr_set(&e, EINVAL, "ps: accepts no arguments (got \"%s\")", argv[optind]);
                return cli_fail(&e);
        }
        /* A status filter may ask for stopped containers: docker then implies -a. */
        if (filt.statuses)
                all = true;
        char **ids = NULL;
        if (container_list(ctx->root, &ids, &e) < 0) {
                strv_free(ids);
                ps_filter_free(&filt);
                return cli_fail(&e);
        }
        size_t n = strv_len(ids), rows = 0, shown = 0;
        struct record *recs = calloc(n + 1, sizeof(*recs));
        char **cells = calloc((n + 1) * NCOLS, sizeof(char *));
        for (size_t i = 0; recs && i < n; i++) {
                bool removed = false;
                struct berr ignore;
                struct record *r = &recs[shown];
                if (container_reconcile(ctx->root, ids[i], r, &removed, &ignore) < 0 ||
                    removed || !r->id[0] || !((all || r->status == REC_RUNNING) &&
                                              ps_filter_match(&filt, r->id, r->name, ps_state(r)))) {
                        record_clear(r);
                        continue;
                }
                shown++;
        }
        if (recs)
                qsort(recs, shown, sizeof(*recs), newest_first);
        const char *hdr[NCOLS] = {"CONTAINER ID", "IMAGE", "COMMAND", "CREATED",
                                  "STATUS",       "PORTS", "NAMES"};
        for (int k = 0; cells && k < NCOLS; k++)
                cells[k] = strdup(hdr[k]);
        rows = 1;
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        for (size_t i = 0; recs && i < shown; i++) {
                struct record *r = &recs[i];
                if (quiet) {
                        printf("%.*s\n", no_trunc ? 64 : 12, r->id);
                } else if (cells) {
                        char cmd[512], created[64], status[96];
                        ps_command(r->command, no_trunc, cmd, sizeof(cmd));
                        ps_ago(r->created, &now, created, sizeof(created));
                        ps_status(r, &now, status, sizeof(status));
                        char **row = cells + rows * NCOLS;
                        row[0] = strndup(r->id, no_trunc ? 64 : 12);
                        row[1] = strdup(r->image);
                        row[2] = strdup(cmd);
                        row[3] = strdup(created);
                        row[4] = strdup(status);
                        row[5] = strdup("");
                        row[6] = strdup(r->name);
                        rows++;
                }
                record_clear(r);
        }
        bool ok = cells != NULL && recs != NULL;
        free(recs);
        for (size_t k = 0; ok && k < rows * NCOLS; k++)
                ok = cells[k] != NULL;
        if (!quiet && ok)
                table_print(stdout, (const char *const *)cells, rows, NCOLS, 10, 3);
        for (size_t k = 0; cells && k < rows * NCOLS; k++)
                free(cells[k]);
        free(cells);
        strv_free(ids);
        ps_filter_free(&filt);
        if (!ok) {
                berr_set(&e, ENOMEM, "ps: out of memory");
                return cli_fail(&e);
        }
        return 0;
}
