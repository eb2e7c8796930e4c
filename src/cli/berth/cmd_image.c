/* Image commands: images, load, save, import, export, commit, tag, rmi, history, and the
 * `image` management command (ls, load, save, rm, inspect, history, prune, tag, import). */
#include "cli/berth/cli.h"
#include "cli/cli_getopt.h"
#include "engine/context.h"
#include "engine/image/image.h"
#include "engine/image/image_ops.h"
#include "util/err.h"
#include "util/humanize.h"
#include "util/strv.h"
#include "util/timefmt.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int usage_err(const char *cmd, const char *what)
{
        struct berr e = {0};
        berr_set(&e, EINVAL, "%s: %s (see 'berth %s --help')", cmd, what, cmd);
        return cli_fail(&e);
}

static int unknown_flag(const char *cmd, char **argv)
{
        struct berr e = {0};
        berr_set(&e, EINVAL, "%s: unknown flag or missing value: %s", cmd, argv[optind - 1]);
        return cli_fail(&e);
}

static void print_table(char **cells, size_t rows, size_t cols)
{
        size_t need = format_table((const char *const *)cells, rows, cols, 10, 3, NULL, 0);
        char *buf = malloc(need + 1);
        if (!buf)
                return;
        format_table((const char *const *)cells, rows, cols, 10, 3, buf, need + 1);
        fputs(buf, stdout);
        free(buf);
}

static void ago(const char *created, char *out, size_t len)
{
        struct timespec t, now;
        if (!created[0] || rfc3339_parse(created, &t) < 0) {
                snprintf(out, len, "N/A");
                return;
        }
        clock_gettime(CLOCK_REALTIME, &now);
        char d[64];
        human_duration(timespec_diff_ns(&now, &t), d, sizeof(d));
        snprintf(out, len, "%s ago", d);
}

static int newest_first(const void *a, const void *b)
{
        return strcmp(((const struct image_info *)b)->created,
                      ((const struct image_info *)a)->created);
}

int cmd_images(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"all", no_argument, NULL, 'a'},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"no-trunc", no_argument, NULL, 'T'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
        bool quiet = false, no_trunc = false;
        int c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+aqh", opts)) != -1) {
                switch (c) {
                case 'a': break; /* berth has no intermediate images: -a lists the same */
                case 'q': quiet = true; break;
                case 'T': no_trunc = true; break;
                case 'h':
                        puts("Usage: berth images [-a] [-q] [--no-trunc] [REPOSITORY[:TAG]]");
                        return 0;
                default: return unknown_flag("images", argv);
                }
        }
        const char *filter = optind < argc ? argv[optind] : NULL;
        char fname[256] = "";
        if (filter && image_ref_normalize(filter, fname, sizeof(fname), NULL) < 0)
                fname[0] = '\0';
        struct berr e = {0};
        struct image_info *v = NULL;
        size_t n = 0;
        if (image_list(ctx->root, &v, &n, &e) < 0)
                return cli_fail(&e);
        qsort(v, n, sizeof(*v), newest_first);
        char **cells = calloc((n * 4 + 2) * 5, sizeof(char *));
        size_t rows = 0;
        static const char *hdr[] = {"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"};
        for (int k = 0; k < 5; k++)
                cells[k] = strdup(hdr[k]);
        rows = 1;
        for (size_t i = 0; i < n; i++) {
                size_t nt = strv_len(v[i].tags);
                for (size_t t = 0; t < (nt ? nt : 1); t++) {
                        char repo[256] = "<none>", tag[128] = "<none>";
                        if (nt) {
                                const char *s = v[i].tags[t];
                                const char *colon = strrchr(s, ':');
                                if (colon && !strchr(colon, '/')) {
                                        snprintf(repo, sizeof(repo), "%.*s", (int)(colon - s), s);
                                        snprintf(tag, sizeof(tag), "%s", colon + 1);
                                } else
                                        snprintf(repo, sizeof(repo), "%s", s);
                        }
                        if (filter) {
                                char full[400];
                                snprintf(full, sizeof(full), "%s:%s", repo, tag);
                                if (strcmp(full, fname) && strcmp(repo, filter))
                                        continue;
                        }
                        if (quiet) {
                                bool seen = false;
                                for (size_t r = 1; r < rows; r++)
                                        seen |= !strncmp(cells[r * 5], v[i].id + 7, 12);
                                if (!seen) {
                                        char id[72];
                                        snprintf(id, sizeof(id), "%s",
                                                 no_trunc ? v[i].id : v[i].id + 7);
                                        if (!no_trunc)
                                                id[12] = '\0';
                                        cells[rows * 5] = strdup(id);
                                        rows++;
                                        printf("%s\n", id);
                                }
                                continue;
                        }
                        char id[72], created[64], size[32];
                        snprintf(id, sizeof(id), "%s", no_trunc ? v[i].id : v[i].id + 7);
                        if (!no_trunc)
                                id[12] = '\0';
                        ago(v[i].created, created, sizeof(created));
                        format_bytes_decimal(v[i].size, 3, size, sizeof(size));
                        const char *row[] = {repo, tag, id, created, size};
                        for (int k = 0; k < 5; k++)
                                cells[rows * 5 + k] = strdup(row[k]);
                        rows++;
                }
        }
        if (!quiet)
                print_table(cells, rows, 5);
        for (size_t i = 0; i < rows * 5; i++)
                free(cells[i]);
        free(cells);
        image_info_free(v, n);
        return 0;
}

int cmd_load(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"input", required_argument, NULL, 'i'},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
        const char *input = NULL;
        bool quiet = false;
        int c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+i:qh", opts)) != -1) {
                switch (c) {
                case 'i': input = optarg; break;
                case 'q': quiet = true; break;
                case 'h': puts("Usage: berth load [-i FILE] [-q]"); return 0;
                default: return unknown_flag("load", argv);
                }
        }
        if (optind < argc)
                return usage_err("load", "accepts no arguments");
        if (!input && isatty(0))
                return usage_err("load", "requested load from stdin, but stdin is empty");
        struct berr e = {0};
        char **loaded = NULL;
        if (image_load(ctx->root, input, &loaded, &e) < 0) {
                strv_free(loaded);
                return cli_fail(&e);
        }
        for (size_t i = 0; !quiet && loaded && loaded[i]; i++)
                printf(strncmp(loaded[i], "sha256:", 7) ? "Loaded image: %s\n"
                                                        : "Loaded image ID: %s\n",
                       loaded[i]);
        strv_free(loaded);
        return 0;
}

int cmd_save(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                             {"format", required_argument, NULL, 'F'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
        const char *output = NULL;
        enum save_format fmt = SAVE_DOCKER;
        int c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+o:h", opts)) != -1) {
                switch (c) {
                case 'o': output = optarg; break;
                case 'F':
                        if (!strcmp(optarg, "oci") || !strcmp(optarg, "oci-archive"))
                                fmt = SAVE_OCI;
                        else if (!strcmp(optarg, "docker") || !strcmp(optarg, "docker-archive"))
                                fmt = SAVE_DOCKER;
                        else
                                return usage_err("save", "--format must be docker or oci");
                        break;
                case 'h':
                        puts("Usage: berth save [-o FILE] [--format docker|oci] IMAGE...");
                        return 0;
                default: return unknown_flag("save", argv);
                }
        }
        if (optind >= argc)
                return usage_err("save", "requires at least 1 argument");
        if (!output && isatty(1))
                return usage_err("save", "cowardly refusing to save to a terminal. Use the -o "
                                         "flag or redirect");
        struct berr e = {0};
        if (image_save(ctx, argv + optind, fmt, output, &e) < 0)
                return cli_fail(&e);
        return 0;
}

/* -c/--change values collected. */
static int push_change(char ***v, const char *s)
{
        return strv_push(v, s);
}

int cmd_import(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"change", required_argument, NULL, 'c'},
                                             {"message", required_argument, NULL, 'm'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
        char **changes = calloc(1, sizeof(char *));
        const char *msg = NULL;
        int c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+c:m:h", opts)) != -1) {
                switch (c) {
                case 'c': push_change(&changes, optarg); break;
                case 'm': msg = optarg; break;
                case 'h':
                        puts("Usage: berth import [-c CHANGE] [-m MSG] FILE|- [REPOSITORY[:TAG]]");
                        strv_free(changes);
                        return 0;
                default: strv_free(changes); return unknown_flag("import", argv);
                }
        }
        if (optind >= argc || argc - optind > 2) {
                strv_free(changes);
                return usage_err("import", "requires 1 or 2 arguments");
        }
        struct berr e = {0};
        char id[72];
        int r = image_import(ctx->root, argv[optind], optind + 1 < argc ? argv[optind + 1] : NULL,
                             changes, msg, id, &e);
        strv_free(changes);
        if (r < 0)
                return cli_fail(&e);
        printf("%s\n", id);
        return 0;
}

int cmd_export(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
        const char *output = NULL;
        int c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+o:h", opts)) != -1) {
                switch (c) {
                case 'o': output = optarg; break;
                case 'h': puts("Usage: berth export [-o FILE] CONTAINER"); return 0;
                default: return unknown_flag("export", argv);
                }
        }
        if (argc - optind != 1)
                return usage_err("export", "requires exactly 1 argument");
        if (!output && isatty(1))
                return usage_err("export", "cowardly refusing to save to a terminal. Use the -o "
                                           "flag or redirect");
        struct berr e = {0};
        int fd = 1;
        char *tmp = NULL;
        if (output) {
                if (asprintf(&tmp, "%s.tmp-%d", output, (int)getpid()) < 0)
                        return usage_err("export", "out of memory");
                fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                if (fd < 0) {
                        berr_sys(&e, errno, "export: creating %s", output);
                        free(tmp);
                        return cli_fail(&e);
                }
        }
        int r = image_export(ctx->root, argv[optind], fd, &e);
        if (output) {
                close(fd);
                if (r == 0 && rename(tmp, output) < 0)
                        r = berr_sys(&e, errno, "export: writing %s", output);
                if (r < 0)
                        unlink(tmp);
                free(tmp);
        }
        return r < 0 ? cli_fail(&e) : 0;
}

int cmd_commit(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"change", required_argument, NULL, 'c'},
                                             {"message", required_argument, NULL, 'm'},
                                             {"author", required_argument, NULL, 'a'},
                                             {"pause", required_argument, NULL, 'p'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
        char **changes = calloc(1, sizeof(char *));
        const char *msg = NULL, *author = NULL;
        int c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+c:m:a:p:h", opts)) != -1) {
                switch (c) {
                case 'c': push_change(&changes, optarg); break;
                case 'm': msg = optarg; break;
                case 'a': author = optarg; break;
                case 'p': break;
                case 'h':
                        puts("Usage: berth commit [-a AUTHOR] [-c CHANGE] [-m MSG] CONTAINER "
                             "[REPOSITORY[:TAG]]");
                        strv_free(changes);
                        return 0;
                default: strv_free(changes); return unknown_flag("commit", argv);
                }
        }
        if (optind >= argc || argc - optind > 2) {
                strv_free(changes);
                return usage_err("commit", "requires 1 or 2 arguments");
        }
        struct berr e = {0};
        char id[72];
        int r = image_commit(ctx->root, argv[optind], optind + 1 < argc ? argv[optind + 1] : NULL,
                             changes, msg, author, id, &e);
        strv_free(changes);
        if (r < 0)
                return cli_fail(&e);
        printf("%s\n", id);
        return 0;
}

int cmd_tag(const struct berth_ctx *ctx, int argc, char **argv)
{
        if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
                puts("Usage: berth tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]");
                return 0;
        }
        if (argc != 3)
                return usage_err("tag", "requires exactly 2 arguments");
        struct berr e = {0};
        if (image_tag_ref(ctx, argv[1], argv[2], &e) < 0)
                return cli_fail(&e);
        return 0;
}

int cmd_rmi(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"force", no_argument, NULL, 'f'},
                                             {"no-prune", no_argument, NULL, 'N'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
        bool force = false;
        int c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+fh", opts)) != -1) {
                switch (c) {
                case 'f': force = true; break;
                case 'N': break;
                case 'h': puts("Usage: berth rmi [-f] IMAGE..."); return 0;
                default: return unknown_flag("rmi", argv);
                }
        }
        if (optind >= argc)
                return usage_err("rmi", "requires at least 1 argument");
        int rc = 0;
        for (int i = optind; i < argc; i++) {
                struct berr e = {0};
                if (image_remove(ctx, argv[i], force, stdout, &e) < 0) {
                        fflush(stdout);
                        rc = cli_fail(&e);
                }
        }
        return rc ? 1 : 0;
}

int cmd_history(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"no-trunc", no_argument, NULL, 'T'},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"human", required_argument, NULL, 'H'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
        bool no_trunc = false, quiet = false;
        int c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+qHh", opts)) != -1) {
                switch (c) {
                case 'T': no_trunc = true; break;
                case 'q': quiet = true; break;
                case 'H': break;
                case 'h': puts("Usage: berth history [--no-trunc] [-q] IMAGE"); return 0;
                default: return unknown_flag("history", argv);
                }
        }
        if (argc - optind != 1)
                return usage_err("history", "requires exactly 1 argument");
        struct berr e = {0};
        struct image_history_row *v = NULL;
        size_t n = 0;
        if (image_history(ctx, argv[optind], &v, &n, &e) < 0)
                return cli_fail(&e);
        char **cells = calloc((n + 1) * 5, sizeof(char *));
        static const char *hdr[] = {"IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"};
        for (int k = 0; k < 5; k++)
                cells[k] = strdup(hdr[k]);
        for (size_t i = 0; i < n; i++) {
                char id[72], created[64], size[32], by[64];
                if (v[i].id[0]) {
                        snprintf(id, sizeof(id), "%s", no_trunc ? v[i].id : v[i].id + 7);
                        if (!no_trunc)
                                id[12] = '\0';
                } else
                        snprintf(id, sizeof(id), "<missing>");
                if (quiet) {
                        printf("%s\n", id);
                        continue;
                }
                ago(v[i].created, created, sizeof(created));
                format_bytes_decimal(v[i].size, 3, size, sizeof(size));
                const char *cb = v[i].created_by;
                if (!no_trunc && strlen(cb) > 45)
                        snprintf(by, sizeof(by), "%.44s…", cb);
                else
                        snprintf(by, sizeof(by), "%s", cb);
                const char *row[] = {id, created, no_trunc ? cb : by, size, v[i].comment};
                for (int k = 0; k < 5; k++)
                        cells[(i + 1) * 5 + k] = strdup(row[k]);
        }
        if (!quiet)
                print_table(cells, n + 1, 5);
        for (size_t i = 0; i < (n + 1) * 5; i++)
                free(cells[i]);
        free(cells);
        image_history_free(v, n);
        return 0;
}

static int image_inspect_cmd(const struct berth_ctx *ctx, int argc, char **argv)
{
        int i = 1;
        if (i < argc && (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))) {
                puts("Usage: berth image inspect IMAGE...");
                return 0;
        }
        if (i >= argc)
                return usage_err("image inspect", "requires at least 1 argument");
        json_t *all = json_array();
        int rc = 0;
        for (; i < argc; i++) {
                struct berr e = {0};
                json_t *o = NULL;
                if (image_inspect_json(ctx, argv[i], &o, &e) < 0)
                        rc = cli_fail(&e);
                else
                        json_array_append_new(all, o);
        }
        char *s = json_dumps(all, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
        if (s)
                printf("%s\n", s);
        free(s);
        json_decref(all);
        return rc ? 1 : 0;
}

static int image_prune_cmd(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct option opts[] = {{"all", no_argument, NULL, 'a'},
                                             {"force", no_argument, NULL, 'f'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
        bool all = false, force = false;
        int c;
        optind = 0;
        opterr = 0;
        while ((c = cli_getopt(argc, argv, "+afh", opts)) != -1) {
                switch (c) {
                case 'a': all = true; break;
                case 'f': force = true; break;
                case 'h': puts("Usage: berth image prune [-a] [-f]"); return 0;
                default: return unknown_flag("image prune", argv);
                }
        }
        if (!force) {
                printf("WARNING! This will remove all %s.\nAre you sure you want to continue? "
                       "[y/N] ",
                       all ? "images without at least one container associated to them"
                           : "dangling images");
                fflush(stdout);
                char line[16] = "";
                if (!fgets(line, sizeof(line), stdin) || (line[0] != 'y' && line[0] != 'Y'))
                        return 0;
        }
        struct berr e = {0};
        uint64_t reclaimed = 0;
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);
        int r = image_prune(ctx->root, all, out, &reclaimed, &e);
        fclose(out);
        if (len)
                printf("Deleted Images:\n%s\n", buf);
        free(buf);
        if (r < 0)
                return cli_fail(&e);
        char size[32];
        format_bytes_decimal(reclaimed, 3, size, sizeof(size));
        printf("Total reclaimed space: %s\n", size);
        return 0;
}

int cmd_image(const struct berth_ctx *ctx, int argc, char **argv)
{
        static const struct cli_cmd sub[] = {
            {"ls", cmd_images, "List images"},
            {"list", cmd_images, "List images"},
            {"load", cmd_load, "Load an image from a tar archive or STDIN"},
            {"save", cmd_save, "Save one or more images to a tar archive"},
            {"rm", cmd_rmi, "Remove one or more images"},
            {"remove", cmd_rmi, "Remove one or more images"},
            {"inspect", image_inspect_cmd, "Display detailed information on images"},
            {"history", cmd_history, "Show the history of an image"},
            {"prune", image_prune_cmd, "Remove unused images"},
            {"tag", cmd_tag, "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE"},
            {"import", cmd_import, "Import the contents from a tarball to create an image"},
        };
        size_t n = sizeof(sub) / sizeof(sub[0]);
        if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
                FILE *f = argc < 2 ? stderr : stdout;
                fputs("Usage: berth image COMMAND\n\nManage images\n\nCommands:\n", f);
                for (size_t i = 0; i < n; i++)
                        fprintf(f, "  %-10s %s\n", sub[i].name, sub[i].summary);
                return argc < 2 ? 125 : 0;
        }
        for (size_t i = 0; i < n; i++)
                if (!strcmp(argv[1], sub[i].name))
                        return sub[i].fn(ctx, argc - 1, argv + 1);
        return usage_err("image", "unknown command");
}
