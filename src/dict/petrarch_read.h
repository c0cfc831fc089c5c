/*
 * petrarch_read.h — what the readers of PETRARCH's formats share: petrarch_read.c (lines,
 * words, dates, codes) under petrarch_actors.c (actors, agents, discards, issues) and
 * petrarch_verbs.c (verbs), all under petrarch.c (files and config). Not part of the public
 * API.
 */
#ifndef DY_PETRARCH_READ_H
#define DY_PETRARCH_READ_H

#include <stdint.h>

#include "base/base.h"
#include "lexicon.h"

#define MAX_WORDS 32 /* words of one name or phrase */

typedef struct strv { /* a growable array of owned strings */
    char **s;
    size_t n, cap;
    int oom;
} strv;

typedef struct reader {
    dyad_dict *d;
    const char *file;   /* owned by d */
    const char *p, *end;
    uint32_t line;      /* the line last read */
    int in_comment;     /* inside <!-- ... --> */
    int markup;         /* keep lines that start with '<' (issue files) */
    dy_buf buf;         /* the cleaned line */
    int bad;            /* the line held bytes that are not UTF-8 text */
} reader;

#define NAME_RESERVED "|;=>@\"~"                  /* dyad's actor/agent syntax */
#define PATTERN_RESERVED "|;=>@\"~{}()[]&*$%^+"   /* and pattern elements */

typedef struct ctx {
    dyad_dict *d;
    const char *file;   /* owned by d */
    unsigned fid;       /* a number unique to this file: names its sets */
    dyad_error *err;
    int failed;         /* a load call failed: stop */
    int rc;
} ctx;

/* Translates one "[CODE]", "[CODE <D]", "[CODE >D]" or "[CODE D1-D2]" into a dyad role
 * ("CODE", "CODE ..YYYY-MM-DD", ...) appended to o. Returns 0, or 1 (defect reported). */
int dy_petr_actor_role(ctx *c, uint32_t line, const char *s, const char *e, dy_buf *o);

/* Reports a defect of the entry at file:line; in strict mode the load stops. */
void dy_petr_flaw(ctx *c, uint32_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Loads dyad text t (one or more lines) of the given kind as file:line. */
void dy_petr_load(ctx *c, uint32_t line, dy_buf *t, int kind);

/* Reads the next line into r->buf without its end (\n, \r\n), its <!-- --> comments and a '#'
 * comment ('#' outside [...], so a code "[###]" survives). Returns 0, or -1 at the end. A
 * line whose bytes are not UTF-8 text is reported once, and r->bad is set. */
int dy_petr_next_line(reader *r);

/* The regular plural of a noun (PETRARCH's rules): -ies, -es, -men, -s. */
void dy_petr_noun_plural(const char *w, char *out, size_t cap);

/* Writes words as an exact dyad phrase: "w1" "w2". */
void dy_petr_put_exact(dy_buf *o, char w[][DY_WORD_MAX], int n);

const char *dy_petr_skip_sp(const char *s, const char *e);

/* Splits a PETRARCH phrase ("SECURITY_OFFICIALS", "YUM YENNYEN", "DID N'T") into lower-case
 * words, joining Treebank's split contractions ("did" "n't" -> "didn't") and dropping a
 * trailing hyphen ("ANTI-"). Returns the count, -1 if a word holds a character dyad's
 * formats reserve. stop[k] (may be NULL) is set when word k ended in '_' (no plural). */
int dy_petr_split_words(const char *s, const char *e, char out[][DY_WORD_MAX], int max, int *stop,
                       const char *reserved);

void dy_petr_strv_free(strv *v);

int dy_petr_strv_has(const strv *v, const char *s);

void dy_petr_strv_push(strv *v, const char *s, size_t n);

const char *dy_petr_trim_sp(const char *s, const char *e);

/* The regular forms of a verb: -s/-es/-ies, -ed/-d/-ied, -ing. */
void dy_petr_verb_forms(const char *v, char out[3][DY_WORD_MAX]);

/* Starts reading text (n bytes) of file, a name owned by d. */
void dy_petr_reader_init(reader *r, dyad_dict *d, const char *file, const char *text, size_t n);

/* The loaders of each kind, one file's entries into c->d (petrarch_actors.c, petrarch_verbs.c). */
void dy_petr_load_actors(ctx *c, reader *r);
void dy_petr_load_agents(ctx *c, reader *r);
void dy_petr_load_discards(ctx *c, reader *r);
void dy_petr_load_issues(ctx *c, reader *r);
void dy_petr_load_verbs(ctx *c, reader *r, int v2);

#endif
