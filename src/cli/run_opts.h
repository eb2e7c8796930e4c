/* `berth run` flags -> struct run_options. Parsing and validation only: nothing is created,
 * so a bad flag leaves nothing behind. */
#ifndef BERTH_CLI_RUN_OPTS_H
#define BERTH_CLI_RUN_OPTS_H

struct berr;
struct run_options;

/* argv[0] is "run". host_env supplies values for `-e NAME` (NULL: none). */
int run_opts_parse(int argc, char **argv, char *const *host_env, struct run_options *o,
                   struct berr *e);

/* One -e value or --env-file line -> "K=V" appended to *env; a bare NAME takes host_env's
 * value or is skipped when unset (docker). what names the source for errors. Pure. */
int env_arg_add(char ***env, const char *arg, char *const *host_env, const char *what,
                struct berr *e);
/* Reads an --env-file's text: KEY=VALUE lines, bare KEY lines, '#' comments, blank lines. */
int env_file_parse(const char *text, const char *path, char *const *host_env, char ***env,
                   struct berr *e);

#endif
