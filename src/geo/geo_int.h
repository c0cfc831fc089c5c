/*
 * geo_int.h — what the files of the geo stage share (not public): the token tests they read the
 * text with, the story's evidence per country and subdivision (geo), the place candidates
 * (cand) and the calls between them. find.c finds the candidates, resolve.c scores and resolves
 * them, places.c runs the stage and writes its records, eventloc.c picks an event's place.
 */
#ifndef DYAD_GEO_INT_H
#define DYAD_GEO_INT_H

#include <string.h>

#include "geo/places.h"

/* ==== tokens ============================================================================= */

/* The text of token i (its first byte; the token is s->seg.tok[i].len bytes). */
static inline const char *dy_geo_tok_text(const dy_story_ctx *s, uint32_t i)
{
    return s->text + s->seg.tok[i].start;
}

/* Whether token i, lower-cased and without a final '.', is the lower-case word w. */
static inline int dy_geo_tok_is(const dy_story_ctx *s, uint32_t i, const char *w)
{
    if (i >= s->seg.ntok) return 0;
    const dy_token *t = &s->seg.tok[i];
    size_t n = t->len, wn;
    const char *p = dy_geo_tok_text(s, i);
    if (dy_tolower(p[0]) != w[0]) return 0;
    if (n > 1 && p[n - 1] == '.') n--;
    wn = strlen(w);
    if (n != wn) return 0;
    for (size_t k = 0; k < n; k++)
        if (dy_tolower(p[k]) != w[k]) return 0;
    return 1;
}

/* Whether token i, lower-cased and without a final '.', is one of the lower-case words of
 * list (NULL-terminated). */
static inline int dy_geo_tok_in(const dy_story_ctx *s, uint32_t i, const char *const *list)
{
    if (i >= s->seg.ntok) return 0;
    const dy_token *t = &s->seg.tok[i];
    const char *p = dy_geo_tok_text(s, i);
    char w[24];
    size_t n = t->len;
    if (n > 1 && p[n - 1] == '.') n--;
    if (n >= sizeof w || !n) return 0; /* (no listed word is empty) */
    /* the first word that starts as the token does, before the token is lowered */
    for (char c0 = (char)dy_tolower(p[0]); *list && (*list)[0] != c0; list++) continue;
    if (!*list) return 0;
    for (size_t k = 0; k < n; k++) w[k] = (char)dy_tolower(p[k]);
    w[n] = 0;
    for (; *list; list++)
        if ((*list)[0] == w[0] && !strcmp(*list, w)) return 1;
    return 0;
}

/* Whether a word token can start a name: a capital letter first or inside ("sub-Saharan",
 * "d'Ivoire"), or a non-ASCII capital first ("Île-de-France"). */
static inline int dy_geo_tok_upper(const dy_story_ctx *s, uint32_t i)
{
    const dy_token *t = &s->seg.tok[i];
    if (!(t->flags & TK_WORD)) return 0;
    if (t->flags & (TK_CAP | TK_UPPER)) return 1;
    const char *p = dy_geo_tok_text(s, i);
    if ((unsigned char)p[0] >= 0xC0) { /* "Île", "Ōsaka", "Šiauliai"; not "à" */
        int32_t cp;
        dy_utf8_decode((const unsigned char *)p, t->len, &cp);
        if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x100 && cp <= 0x17F && cp % 2 == 0) ||
            (cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x400 && cp <= 0x42F))
            return 1;
    }
    for (uint32_t k = 0; k < t->len; k++)
        if (dy_isupper(p[k])) return 1;
    return 0;
}

static inline int dy_geo_tok_punct(const dy_story_ctx *s, uint32_t i, char c)
{
    const dy_token *t = &s->seg.tok[i];
    return (t->flags & TK_PUNCT) && t->len == 1 && dy_geo_tok_text(s, i)[0] == c;
}

/* Whether the entry comes from our own list (dict/places.txt). */
static inline int dy_geo_is_ours(const dy_gaz_entry *e) { return (e->flags & GZF_OURS) != 0; }

/* ==== the story's evidence =============================================================== */

/* What the stage knows of the story while it resolves: the evidence for each country and
 * subdivision (arrays as long as the gazetteer's), the focus and the source's home. */
typedef struct geo {
    const dy_gazetteer *g;
    uint16_t ncountry;
    float *cev;          /* per country: evidence from focus and actors */
    float *pev;          /* per country: evidence from the places named */
    uint8_t *a1_named;   /* per admin1: named in the story (bit 0) */
    uint8_t *a1_count;   /* per country: how many of its subdivisions are named */
    uint8_t *a1_places;  /* per admin1: how many distinct towns and counties named lie in it */
    float *a1_cand;      /* per admin1: the distinct names with a town or county there, each
                            counting 1/(how many subdivisions it has one in) */
    float *own_w;        /* per candidate: what its name adds to a1_cand of each of its subdivisions */
    float *pmax;         /* per candidate: the highest prior among its name's entries */
    uint16_t nadmin1;
    uint16_t focus;      /* focus country index or DY_GAZ_NONE */
    uint16_t home_cc;    /* the source's home country (dyad_homes_set) or DY_GAZ_NONE */
    uint16_t home_a1;    /* its home subdivision or DY_GAZ_NONE */
    uint8_t away;        /* the story names subdivisions of the home country, not the home one */
    float ev_sum;        /* cev and pev summed over every country */
    /* what the last dy_geo_place_evidence wrote, so the next clears only that (the arrays are as
     * long as the gazetteer's countries and subdivisions; a story names a few) */
    uint16_t *ev_country, *ev_admin1; /* indices written into pev, a1_count / a1_named, a1_places */
    size_t nev_country, nev_admin1;
    int ev_unlisted;                  /* the last call could not list them: clear everything */
} geo;

/* ==== candidates ========================================================================= */

/* A place candidate: a name, a phrase or a demonym, and how it resolved. */
typedef struct cand {
    uint32_t first, last, sent;
    const dy_gaz_name *nm;  /* PM_NAME: the name */
    uint8_t how;            /* PM_* */
    uint8_t flags;          /* PMF_* */
    uint8_t rejected;
    uint8_t state_after;    /* followed by "state", "province": prefer a subdivision */
    uint16_t country;       /* PM_CAPITAL / PM_PART / PM_BORDER: the country meant */
    int32_t pair;           /* "X, Y": the candidate Y after the comma, -1 */
    uint32_t best;          /* chosen entry, DY_GAZ_NOENTRY */
    uint32_t best1;         /* the entry pass 1 chose (actors only): what a list reads it as */
    float score;
    float own;              /* what this candidate adds to its country's place evidence */
    uint8_t paired;         /* the best entry lies in the next name's ("Paris, Texas") */
    uint16_t actor_cc;      /* the country an actor mention over it is coded with, or none */
    uint16_t cues;          /* CUE_*: what the words around it say, found once */
    uint32_t bstart, bend;  /* a part of a hyphenated word ("D-Gainesville"): its bytes; 0, 0
                               when the candidate is its tokens */
    uint32_t alt[DY_PLACE_ALTS]; /* the best-scored entries of the last resolution, best first */
    float altsc[DY_PLACE_ALTS];
    uint8_t nalt;
} cand;

/* What the words around a candidate say (cand.cues). */
enum {
    CUE_BEFORE = 1,      /* a capitalised word just before ("Francisco Duque", "West Nile") */
    CUE_AFTER = 2,       /* a capitalised word just after */
    CUE_START = 4,       /* opens its sentence (or a quotation) */
    CUE_TITLE = 8,       /* after a title ("President", "Mr") */
    CUE_FEATURE = 16,    /* before a feature word ("Valley", "County", "Hospital") */
    CUE_LOCATIVE = 32,   /* after "in", "near", "from" */
    CUE_SPEECH = 64,     /* before "said", "told" */
    CUE_CALENDAR = 128,  /* a month or a weekday */
    CUE_SURNAME = 256    /* ends a two-word capitalised run elsewhere in the story */
};

/* The story's candidates, in the story's arena. */
typedef struct cands {
    cand *c;
    size_t n, cap;
} cands;

/* Surnames of the story: capitalised words that end a run of two or more ("Thomas Frieden",
 * "Benjamin Franklin"), kept as hashes in a small open-addressing set. */
typedef struct names_seen {
    uint64_t *h;
    size_t cap;
} names_seen;

/* ==== word lists the files share (find.c) ================================================ */

/* Words that make a longer name of another feature when they follow a place name. */
extern const char *const dy_geo_feature_words[];
/* Titles before a person's name ("President", "Mr"). */
extern const char *const dy_geo_title_words[];
/* Words before a name that make it a place: "in Paisley", "near Tyler". */
extern const char *const dy_geo_locatives[];
/* Months and weekdays. */
extern const char *const dy_geo_calendar_words[];

/* ==== finding (find.c) =================================================================== */

/* Collects the name candidates of every sentence, in token order: gazetteer names and the
 * parts of hyphenated words that are names, with their cues and "X, Y" pairs. -1 when the
 * arena fails. */
int dy_geo_find_names(dy_story_ctx *s, const dy_gazetteer *g, cands *cs);

/* Adds the fixed phrases ("the capital", "the country's north", "the border with Syria"),
 * after the names are resolved (a phrase reads the country its words name). -1 when the
 * arena fails. */
int dy_geo_find_phrases(dy_story_ctx *s, const geo *G, cands *cs);

/* Adds the demonyms ("Sudanese", "Europeans") no kept candidate covers, each resolved to its
 * country or region. -1 when the arena fails. */
int dy_geo_find_demonyms(dy_story_ctx *s, const geo *G, cands *cs);

/* ==== resolving (resolve.c) ============================================================== */

/* Builds G's country evidence from the focus and the actors. */
void dy_geo_actor_evidence(const dy_story_ctx *s, geo *G, const cands *cs);

/* Scores the entries of candidate k and keeps the best; pass2: with the places named too. */
void dy_geo_resolve(const dy_story_ctx *s, geo *G, cands *cs, size_t k, int pass2);

/* Whether a resolved candidate is too weak to be a place here: 0 a place, 1 not one, 2 not
 * shown by this mention alone, 3 the place inside a name (PM_MODIFIER). */
int dy_geo_too_weak(dy_story_ctx *s, const geo *G, const cand *c, names_seen *surnames);

/* Fills G->a1_cand: the subdivisions the story's ambiguous names could lie in. */
void dy_geo_candidate_regions(const dy_story_ctx *s, geo *G, cands *cs);

/* Rebuilds G's place evidence from the accepted candidates. */
void dy_geo_place_evidence(const dy_story_ctx *s, geo *G, cands *cs);

/* One sense per story: a name accepted in one mention is that place in its others. */
void dy_geo_same_name_same_place(dy_story_ctx *s, cands *cs);

/* ==== the stage (places.c) =============================================================== */

/* The DY_LOC_* precision of an entry. */
int dy_geo_precision_of(const dy_gaz_entry *e);

/* Writes the resolved fields of entry ei, the first under name_key ("name" or
 * "resolved_place"). */
void dy_geo_put_resolved(const dy_gazetteer *g, uint32_t ei, int precision, const char *name_key, dy_buf *o);

#endif
