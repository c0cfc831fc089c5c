/*
 * cli.h — what the files of the dyad command share: the subcommands each file implements
 * and the one way they load dictionaries. Not part of the library.
 */
#ifndef DYAD_CLI_H
#define DYAD_CLI_H

#include "dyad.h"

int cmd_validate(int argc, char **argv); /* cli/validate.c */
int cmd_ingest(int argc, char **argv);   /* cli/store_cmd.c */
int cmd_query(int argc, char **argv);    /* cli/store_cmd.c */

/* Loads the built-in dictionaries, dir (a directory, PETRARCH config or compiled image)
 * instead of them, or add on top; defects on stderr (all when verbose, else the first 20).
 * NULL, with the reason on stderr, on failure (cli/main.c). */
dyad_dict *load_dict(const char *dir, const char *add, int strict, int verbose);

#endif
