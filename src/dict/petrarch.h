/*
 * petrarch.h — reads the dictionaries of PETRARCH and TABARI (the Phoenix/OEDA files): verb
 * patterns in both of PETRARCH's pattern languages, actors with dated codes, agents,
 * discards and issues. Each entry is translated into dyad's own text formats
 * (dict/FORMAT.md) and loaded through dy_dict_load_text, so the coder needs nothing special.
 */
#ifndef DYAD_PETRARCH_H
#define DYAD_PETRARCH_H

#include "lexicon.h"

/* Kinds of PETRARCH file. */
enum {
    PK_NONE = 0,
    PK_VERBS1,    /* PETRARCH-1 / TABARI verbs: "- WORDS * WORDS [code]" (PETR.Validate.verbs.txt) */
    PK_VERBS2,    /* PETRARCH-2 verbs: phrase heads, (PREP ...), {MULTI WORD} (CAMEO.2.0.txt) */
    PK_ACTORS,    /* NAME [CODE], +SYNONYM, tab-indented [CODE DATES] lines */
    PK_AGENTS,    /* NAME {PLURALS} [~SEC] / [SEC~], !SUBST! = A, B sets */
    PK_DISCARDS,  /* PHRASE (sentence) / +PHRASE (story) */
    PK_ISSUES     /* <ISSUE CATEGORY=...> phrase [CODE] ... </ISSUE> */
};

/* The kind of a PETRARCH file from its base name and, for verbs, its contents; PK_NONE when
 * it is not one (text may be NULL: the name alone decides, verbs default to PK_VERBS2). */
int dy_petrarch_kind(const char *name, const char *text, size_t n);

/* Loads a PETRARCH file's text of the given kind (PK_*); name labels defects (file:line of
 * the PETRARCH file). Defects are reported once each through the dict's diag callback and the
 * sound entries are kept; in strict mode the first defect fails the load with DYAD_EDICT. */
int dy_petrarch_load_text(dyad_dict *d, const char *name, const char *text, size_t n, int kind,
                          dyad_error *err);

/* Loads one PETRARCH file (kind PK_NONE: from its name and contents). */
int dy_petrarch_load_file(dyad_dict *d, const char *path, int kind, dyad_error *err);

/* Loads every PETRARCH file in dir (not in its subdirectories), verbs last so the CAMEO table
 * and sets are in place; adds the number loaded to *found. */
int dy_petrarch_load_dir(dyad_dict *d, const char *dir, int *found, dyad_error *err);

/* Loads the files a PETRARCH config file (PETR_config.ini: verbfile_name, actorfile_list,
 * agentfile_name, discardfile_name, issuefile_name under [Dictionaries]) names, relative to
 * its own directory or its dict_path. */
int dy_petrarch_load_config(dyad_dict *d, const char *path, dyad_error *err);

/* Loads a path that is a file: a PETRARCH config file (*.ini, or holding [Dictionaries]) or
 * one PETRARCH dictionary (its kind from its name and contents). */
int dy_petrarch_load_path(dyad_dict *d, const char *path, dyad_error *err);

#endif
