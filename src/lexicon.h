/*
 * lexicon.h — the dictionaries in memory: a vocabulary of word ids, the CAMEO code table,
 * actor and agent phrases, word sets and event patterns, with the indexes the later stages
 * use (phrases by first word, patterns by anchor lemma). Built by lexicon.c from dyad's text
 * formats (dict/FORMAT.md); read-only once finished.
 */
#ifndef DYAD_LEXICON_H
#define DYAD_LEXICON_H

#include "base/base.h"
#include "dyad.h"
#include "segment.h"

#define DY_CODE_MAX 16 /* bytes of an actor code, NUL included */
#define DY_MAX_TITLES 128
/* A set of offices (titles), one bit each; gcc and clang both provide 128-bit integers. */
__extension__ typedef unsigned __int128 dy_titleset;

/* ---- CAMEO event codes ---- */
typedef struct dy_cameo {
    char code[6];        /* "185", "0331" */
    float goldstein;
    uint8_t quad;        /* 1..4 */
    char plover[40];     /* PLOVER event type, "" if none */
    char mode[40];       /* PLOVER mode, "" if none */
    char context[40];    /* PLOVER context, "" if none */
    char *desc;          /* short description */
    uint8_t opaque;      /* a code of another ontology: no Goldstein score, quad or PLOVER type */
} dy_cameo;

/* The CAMEO root of a code as a number (18 for "185", 3 for "0331"). */
static inline int dy_cameo_root(const dy_cameo *c) { return (c->code[0] - '0') * 10 + c->code[1] - '0'; }

/* ---- actors ---- */
enum { ROLE_PERSON = 1, ROLE_CAPITAL = 2 };
typedef struct dy_role {
    char code[DY_CODE_MAX];
    int32_t from, to;    /* YYYYMMDD, 0 = open */
    dy_titleset titles;  /* bit set of title ids */
    uint16_t flags;      /* ROLE_* */
    uint8_t dated;       /* 1 if from or to was given */
} dy_role;

enum { PH_ACTOR = 1, PH_AGENT = 2 };
enum { AG_SUFFIX = 1, AG_PREFIX = 2, AG_PLAIN = 3 };
enum {
    AGF_OBJECT = 1,    /* @object: only ever a target */
    AGF_APPEND = 2,    /* @append: sectors appended to any code that lacks them (PETRARCH) */
    AGF_STANDALONE = 4, /* @standalone: alone, the country is unknown ("---GOV"), not the focus */
    AGF_NAME_END = 8    /* @name_end: it ends a proper name ("Corp", "Inc"): the capitalised
                           words before it, and a country word among them, are the name's */
};

typedef struct dy_phrase {
    uint32_t *w;         /* word ids */
    uint16_t n;          /* words */
    uint8_t kind;        /* PH_ACTOR or PH_AGENT */
    uint8_t caps;        /* written in capitals only (an acronym: "UN"): matches capitals only */
    uint32_t entry;      /* index into actors[] or agents[] */
    uint32_t exact;      /* bit k: word k was quoted and matches its exact form only */
} dy_phrase;

typedef struct dy_actor_entry {
    const char *name;    /* the first name given: the canonical name */
    uint32_t role0, nrole;
    const char *file;
    uint32_t line;
} dy_actor_entry;

typedef struct dy_agent {
    const char *name;
    char code[DY_CODE_MAX]; /* the sector(s), without ~ */
    uint8_t how;         /* AG_* */
    uint8_t flags;       /* AGF_* */
    dy_titleset titles;
} dy_agent;

/* ---- word sets and patterns ---- */
typedef struct dy_set {
    const char *name;
    uint32_t phrase0, nphrase; /* into set_phrases */
} dy_set;

/* ---- discards: phrases that void a sentence or a whole story (sports, weather, history) ---- */
typedef struct dy_discard {
    uint32_t *w;         /* word ids */
    uint32_t prefix;     /* bit k: word k was written "word*" and matches any word it begins */
    uint16_t n;          /* words */
    uint8_t story;       /* 1: the whole story yields no events; 0: only the sentence */
    const char *file;
    uint32_t line;
} dy_discard;

enum { PE_ANCHOR = 1, PE_WORD, PE_ALT, PE_SET, PE_GAP, PE_SRC, PE_TGT, PE_OTHER, PE_COMPOUND, PE_NP };
typedef struct dy_pelem {
    uint8_t kind;        /* PE_* */
    uint8_t optional;
    uint8_t exact;       /* "quoted": words match their exact form only, not lemmas */
    uint8_t adjacent;    /* joined to the previous element by '~': nothing may stand between */
    uint16_t nw;         /* words in w (PE_WORD: 1; PE_ALT and PE_ANCHOR: alternatives) */
    uint32_t *w;         /* word ids */
    uint32_t set;        /* PE_SET, or a PE_ANCHOR written *&NAME: index into sets (resolved
                            by dyad_dict_finish); UINT32_MAX otherwise */
    const char *setname; /* the set's name as written, or NULL */
    uint64_t mask;       /* bit (id % 64) of each word in w, or of each first word of the
                            members of a PE_SET: a token whose form and lemma bits are both
                            clear is none of them (set by dyad_dict_finish) */
} dy_pelem;

typedef struct dy_pattern {
    uint32_t cameo;      /* index into cameo[]; UINT32_MAX for "---" (or none before a ':') */
    uint32_t cameo2;     /* CODE:CODE2: the event of the other side (source and target
                            swapped: a visit and its hosting), UINT32_MAX if none */
    dy_pelem *el;
    uint16_t nel;
    uint16_t anchor;     /* index of the PE_ANCHOR element */
    uint16_t weight;     /* literal elements: longer patterns win */
    uint8_t has_src, has_tgt, tgt_before; /* explicit slots; a + before the anchor */
    const char *mode, *context; /* overrides, or NULL */
    uint8_t explicit_after; /* a $ or + slot after the anchor */
    const char *text;    /* the pattern as written, for explain */
    const char *file;
    uint32_t line;
} dy_pattern;

/* The literal elements event patterns require, as conditions (vcond.h); derived from the
 * patterns when a dict is finished (dy_dict_derived_index) and stored in its image. */
typedef struct dy_vcond_index {
    const struct dy_pelem **el; /* per condition: one of the elements it stands for (while
                                   dy_vcond_build runs; NULL after) */
    uint32_t n;                 /* conditions */
    uint32_t *list;             /* per pattern (dy_anchor_ref cond0, ncond): its conditions,
                                   the likeliest to fail first, each as condition << 1 | 1 when
                                   it has a frequent word (below) */
    uint32_t *head, *post;      /* the conditions a word meets (CSR by word id), each as
                                   condition << 1 | 1 when only a token's form meets it */
    uint8_t *fbit;              /* per word id: 1 + its bit among the 64 words posted most
                                   often ("in", "of", "to"), which are not in post; 0 others */
    uint64_t (*fmask)[2];       /* per condition: the bits of those words that meet it by
                                   form or lemma [0], by form only [1] */
} dy_vcond_index;

/* image.c writes and maps every field below (country_bits is derived again on loading): a
 * field added here must be added there too. */
struct dyad_dict {
    /* vocabulary */
    char *pool; size_t pool_n, pool_cap; /* word bytes, NUL-separated */
    uint32_t *word_off;  /* id -> offset in pool (id 0 unused) */
    uint32_t nword, word_cap;
    uint32_t *vtab; uint32_t vtab_cap; /* open addressing: word ids */

    dy_arena mem;        /* everything else the dict owns */

    dy_cameo *cameo; uint32_t ncameo, cameo_cap;
    dy_role *roles; uint32_t nrole, role_cap;
    dy_actor_entry *actors; uint32_t nactor, actor_cap;
    dy_agent *agents; uint32_t nagent, agent_cap;
    dy_phrase *phrases; uint32_t nphrase, phrase_cap;
    dy_set *sets; uint32_t nset, set_cap;
    dy_phrase *set_phrases; uint32_t nset_phrase, set_phrase_cap;
    dy_pattern *patterns; uint32_t npattern, pattern_cap;
    char titles[DY_MAX_TITLES][40]; uint32_t ntitle; /* title names; bit i = titles[i] */
    char countries[400][4]; uint32_t ncountry; /* codes of countries (from cameo of actors) */
    uint8_t country_bits[26 * 26 * 26 / 8 + 1]; /* the same as a bit per A-Z code (dy_dict_derived_index) */

    /* indexes built by dyad_dict_finish (CSR: head[w]..head[w+1]) */
    uint32_t *phrase_head, *phrase_idx; /* actor/agent phrases by first word; each word's
                                           phrases sorted by second word (0 for one-word
                                           phrases), then longest first */
    uint32_t *anchor_head, *anchor_idx; /* patterns by anchor word (every alternative or
                                           member of an anchor set is a key) */
    struct dy_anchor_ref *anchor_ref;   /* parallel to anchor_idx: what verbs.c tests first */
    dy_vcond_index vc;                  /* the literals patterns require (vcond.h) */
    dy_discard *discards; uint32_t ndiscard, discard_cap;
    uint32_t *discard_head, *discard_idx; /* discards by first word */
    uint64_t discard_lens[256]; /* [c] bit l: a discard's first word is a prefix of length l
                                   (1..63) that begins with byte c */
    uint64_t discard_tri[1024]; /* bit h: some prefix first word of 3+ bytes begins with the
                                   three bytes whose hash is h (dy_tri_hash): a quick no */
    uint32_t *set_head, *set_idx;       /* word sets' phrases by first word (per set: see verbs.c) */
    int finished;

    uint64_t serial;     /* unique per dict ever created: keys the per-thread tag cache */
    dyad_diag_fn diag; void *diag_ctx; int strict;
    int opaque_codes;    /* accept pattern codes not in the CAMEO table (PETRARCH files) */
    int quiet;           /* defects are neither reported nor counted (a line loaded again) */
    uint32_t nissue;     /* PETRARCH issue phrases read (not used in coding yet) */
    void *image; size_t image_len; /* a mapped image (image.c) the arrays point into, or NULL */
    size_t defects;
    /* words the coder asks about often */
    uint32_t w_the, w_a, w_an, w_by, w_of, w_to, w_and, w_or, w_that, w_which, w_who, w_be,
        w_not, w_nt, w_never, w_no, w_if, w_unless, w_would, w_could, w_might, w_may,
        w_should, w_he, w_she, w_him, w_her, w_we, w_i, w_us, w_our, w_they, w_them, w_it,
        w_say, w_tell, w_add, w_deny, w_refuse, w_fail, w_decline, w_in, w_from, w_with,
        w_get, w_his, w_their, w_its, w_my, w_me, w_nor, w_neither, w_whether, w_will,
        w_pro, w_state, w_write, w_comment, w_tweet, w_according, w_on, w_at, w_for,
        w_against, w_into, w_over, w_was, w_were, w_is, w_are, w_been, w_being, w_have,
        w_had, w_has, w_do, w_did, w_does;
};

/* What the matcher tests of a pattern before trying it, stored in anchor order so that the
 * patterns of one anchor word are read from consecutive memory (verbs.c). */
typedef struct dy_anchor_ref {
    uint32_t pattern;        /* index into patterns */
    uint32_t cond0;          /* its required literal elements: vcond_list[cond0 .. +ncond) */
    uint16_t ncond;
    uint16_t skip;           /* this ref and those after it of the same anchor word whose first
                                condition is the same: all fail when it fails (vcond.c) */
    uint8_t usable;          /* weight > 0 */
    uint8_t exact;           /* the anchor must match by form */
    uint8_t first;           /* the anchor is the pattern's first element */
    uint8_t explicit_after;  /* a $ or + slot after the anchor */
    uint8_t set_anchor;      /* the anchor is a word set */
} dy_anchor_ref;

/* Builds what is derived from the finished dictionaries: d->anchor_ref (from the anchor
 * index), the pattern conditions (d->vc: dy_vcond_build) and d->country_bits (from the
 * country codes). Called by dyad_dict_finish; an image holds all but the country bits, which
 * dy_dict_country_bits makes after a load. Returns 0, or -1 when out of memory. */
int dy_dict_derived_index(dyad_dict *d);
void dy_dict_country_bits(dyad_dict *d);

/* The 16-bit hash of three bytes, for discard_tri. */
static inline uint32_t dy_tri_hash(const char *s)
{
    return ((uint32_t)(unsigned char)s[0] * 961u + (uint32_t)(unsigned char)s[1] * 31u +
            (uint32_t)(unsigned char)s[2]) & 0xffffu;
}

/* Kinds of dictionary text. */
enum { K_CAMEO = 1, K_ACTORS, K_AGENTS, K_VERBS, K_DISCARDS };

/* Loads one dictionary text in dyad's format (dict/FORMAT.md) of the given kind; name
 * labels defects. Other formats (petrarch.c) translate into this. */
int dy_dict_load_text(dyad_dict *d, const char *name, const char *s, size_t n, int kind,
                      dyad_error *err);

/* The same for text that stands at line first_line of file, a name the dict owns (allocated
 * in d->mem, kept as it is): defects are reported at file:line of the original. */
int dy_dict_load_text_at(dyad_dict *d, const char *file, uint32_t first_line, const char *s,
                         size_t n, int kind, dyad_error *err);

/* Reports a defect of file:line through the dict's diag callback (counted in d->defects).
 * Returns -1 in strict mode (the load must fail), else 0. */
int dy_dict_defect(dyad_dict *d, const char *file, uint32_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Loads the built-in dictionaries of one kind (K_*). */
int dy_dict_load_builtin_kind(dyad_dict *d, int kind, dyad_error *err);

/* Word id of the lower-case word w[0..n), 0 if not in the vocabulary. */
uint32_t dy_word_find(const dyad_dict *d, const char *w, size_t n);
/* The word of an id ("" for 0). */
const char *dy_word_str(const dyad_dict *d, uint32_t id);

/* Fills tok.form and tok.lemma for every token (lower-casing, then WordNet/suffix lemmas kept
 * only when they are dictionary words). */
void dy_lexicon_tag(const dyad_dict *d, const char *text, dy_token *tok, size_t ntok);

/* Parses "YYYY-MM-DD" (or YYYY-MM, YYYY) into YYYYMMDD; 0 if malformed. */
int32_t dy_date_parse(const char *s, size_t n);

/* The CAMEO entry for a code string, or NULL. */
const dy_cameo *dy_cameo_find(const dyad_dict *d, const char *code);

/* image.c: unmaps a dict's image and forgets the arrays that pointed into it. */
void dy_image_release(dyad_dict *d);

/* Whether a 3-letter code is a country code known to the dictionaries. */
int dy_is_country(const dyad_dict *d, const char *code3);

#endif
