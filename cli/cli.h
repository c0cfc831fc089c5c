/*
 * cli.h — what the files of the dyad command share: the subcommands each file implements
 * and the one way they load dictionaries. Not part of the library.
 */
#ifndef DYAD_CLI_H
#define DYAD_CLI_H

#include <getopt.h>
#include <stddef.h>

#include "dyad.h"

int cmd_validate(int argc, char **argv); /* cli/validate.c */
int cmd_ingest(int argc, char **argv);   /* cli/store_cmd.c */
int cmd_query(int argc, char **argv);    /* cli/store_cmd.c */
int cmd_serve(int argc, char **argv);    /* cli/serve.c */

/* Loads the built-in dictionaries, dir (a directory, PETRARCH config or compiled image)
 * instead of them, or add on top; defects on stderr (all when verbose, else the first 20).
 * NULL, with the reason on stderr, on failure (cli/main.c). */
dyad_dict *load_dict(const char *dir, const char *add, int strict, int verbose);

/* Home regions of sources (cli/main.c), for code, explain, places and ingest. */
/* --home-region [SOURCE=]REGION: sets it in h. 0, or -1 after saying why on stderr. */
int home_region_option(dyad_homes *h, const char *arg);
/* --learn-home: codes the stories of the files once for their places and sets the home region
 * learnt for each source in h (the table on stderr unless quiet). 0, or -1 on OOM. */
int learn_homes(const dyad_dict *d, dyad_homes *h, char **files, int nfiles, dyad_format fmt, const char *date,
                size_t max_story, size_t arena_limit, int quiet);
/* Whether files (nfiles of them; none: stdin) can be read twice; says why not on stderr. */
int learn_home_inputs_ok(char **files, int nfiles);

/* ---- options (cli/opts.c) ---- */
/* getopt_long over a command's argv (argv[0] is the command's name, CMD in messages). Returns
 * the next option as getopt_long does, -1 after the last one (operands start at optind), or
 * '?' after naming an unknown option or a missing value on stderr (exit 2). */
int cli_getopt(int argc, char **argv, const char *cmd, const char *shorts, const struct option *longs);

/* The strict parsers every command shares. Each returns 0 with the value in *out, or -1 after
 * printing "dyad: OPT: 'VALUE' is not ..., the accepted forms" on stderr. */
int cli_date(const char *opt, const char *val); /* YYYY-MM-DD, a calendar date, 1800-2200 */
int cli_long(const char *opt, const char *val, long lo, long hi, long *out);
/* -j/--jobs N: coding threads, 1 to CLI_JOBS_MAX (named --jobs in the message); the default
 * is the number of online cores (sysconf), within the same range. */
#define CLI_JOBS_MAX 1024
int cli_jobs(const char *val, int *out);
int cli_default_jobs(void);
int cli_double(const char *opt, const char *val, double lo, double hi, double *out);
int cli_size(const char *opt, const char *val, size_t *out); /* N, NK, NM, NG; positive */
int cli_choice(const char *opt, const char *val, const char *const *choices); /* index, or -1 */
int cli_input_format(const char *opt, const char *val, dyad_format *out);    /* auto|text|jsonl */
int cli_country(const char *opt, const char *val);           /* a known ISO alpha-3 code */
int cli_cameo(const char *opt, const char *val, int root);   /* a CAMEO code (root: a root) */
int cli_actor(const char *opt, const char *val);             /* a CAMEO actor code */
int cli_near(const char *opt, const char *val, double *lat, double *lon, double *km);

/* Makes the calling thread's parsers write "OPT: 'VALUE' is not ..." into buf (len bytes,
 * emptied now) instead of printing on stderr; len 0 goes back to stderr (dyad serve). */
void cli_capture(char *buf, size_t len);

/* How a rejected input is named: FILE:LINE[:COLUMN]: REASON, or FILE: REASON without a line. */
void cli_input_error(const dyad_error *err);

#endif
