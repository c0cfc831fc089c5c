/*
 * story.h — what the coder knows about one story while coding it: its tokens and sentences
 * (segment), the actor mentions found in it (actors), quotations and their speakers, and the
 * events (verbs -> events). Everything lives in the story's arena.
 */
#ifndef DYAD_STORY_H
#define DYAD_STORY_H

#include "base/base.h"
#include "dyad.h"
#include "lexicon.h"
#include "segment.h"
#include "lemma.h"

#define DY_MAX_CODES 12 /* codes one mention may carry ("Iran and the United States") */

enum {
    M_PERSON = 1,  /* an individual (he/she may refer to it) */
    M_PLURAL = 2,  /* a group named in the plural (they may refer to it) */
    M_OBJECT = 4,  /* can only be a target (an election, a law) */
    M_PRONOUN = 8, /* he, she, we, I: resolved to another mention */
    M_NEW = 16,    /* a name not in the dictionaries, coded by the agent before it */
    M_POSS = 32,   /* a possessive pronoun (its, our, their): owns what follows, is no target */
    M_CITY = 64,   /* a city of the gazetteer standing for its country ("Kharkiv" -> UKR) */
    M_IMPLIED = 128 /* named by no words: the actor an act implies (an arrest's police) */
};

enum {
    TC_SKIP = 1, /* skipped between pattern elements: determiners, possessives, -ly adverbs */
    TC_DET = 2,  /* a determiner or possessive: the next word is used as a noun */
    TC_CLAUSE = 4, /* a word that opens a clause: while, when, that, which, and, but, ... */
    TC_OF = 8,   /* "of" */
    TC_EDGE = 16 /* a clause edge: ; : ( ) outside an actor's name, or a quotation mark */
};

typedef struct dy_mention {
    uint32_t first, last;          /* tokens [first, last) */
    uint32_t sent;                 /* sentence index */
    char code[DY_MAX_CODES][DY_CODE_MAX];
    uint8_t ncode;
    uint8_t flags;                 /* M_* */
    dy_titleset titles;            /* offices held (bit set of dict titles) */
    const char *name;              /* canonical name (dictionary or new actor), or NULL */
    size_t name_len;               /* bytes of name (new actors point into the text) */
    char attr[4];                  /* a country the group is aligned with ("pro-Iranian") */
    int32_t ref;                   /* the mention this one was resolved to (pronoun, title), -1
                                      if none; kept right when mentions are sorted or merged
                                      (actors.c remap_refs) */
    const char *why;               /* for explain: how the code was chosen */
    /* how the codes were made, for compounds that share an agent ("the ambassadors of A, B
     * and C", "lawmakers and officials in A and B") */
    char base[DY_MAX_CODES][DY_CODE_MAX]; /* the actor's codes with modifiers, before the head agent */
    uint8_t nbase;                 /* 0: an agent standing alone */
    int32_t agent;                 /* the head agent (dict agents[]), -1 if none */
    uint8_t agent_first;           /* the agent comes first: "ambassadors of A", "soldiers from A" */
} dy_mention;

/* What an event's size fields hold: a count with how exact it is (numbers.c). */
enum { DY_N_DEAD = 1, DY_N_INJURED, DY_N_ARRESTED, DY_N_CROWD, DY_N_KINDS }; /* 0: none */
enum { DY_Q_EXACT = 0, DY_Q_AT_LEAST, DY_Q_MORE_THAN, DY_Q_ABOUT, DY_Q_UP_TO, DY_Q_RANGE, DY_Q_IMPLIED };
typedef struct dy_size {
    uint8_t set, qual;             /* qual: DY_Q_* */
    long value, max;               /* max: upper end of a range, else -1 */
    uint32_t first, last;          /* the words that gave it */
    uint32_t dist;                 /* sentences between the figure and the event (0: its own) */
} dy_size;

typedef struct dy_event {
    uint32_t pattern;              /* index into dict patterns */
    const dy_cameo *cameo;
    int32_t src, tgt;              /* mention indexes, -1 if none */
    int32_t other;                 /* a mention the pattern's '-' slot took (neither), -1 */
    uint32_t sent;                 /* sentence of the first mention */
    uint32_t anchor, first, last;  /* anchor token, matched tokens [first, last) */
    uint32_t sents[16];            /* every sentence that supports it */
    uint8_t nsent;
    uint8_t merged;                /* folded into another event */
    uint8_t passive;
    uint8_t reversed;              /* the other side's event of a CODE:CODE2 pattern: source
                                      and target swapped once both are known */
    uint8_t pairwise;              /* a % before the anchor: the compound subject's members act
                                      on each other (source and target are the same mention) */
    const char *dropped;           /* why the event was not kept, or NULL */
    const char *mode;              /* PLOVER mode from the weapons named, or NULL (classify.c) */
    const char *acled_type, *acled_sub; /* ACLED event type and sub-type, or NULL */
    int32_t date;                  /* YYYYMMDD the event happened, 0 if unknown */
    uint8_t date_prec;             /* precision of date (dates.h DY_PREC_*) */
    uint8_t date_told;             /* the date comes from the event's own words ("on Thursday") */
    dy_size size[DY_N_KINDS];      /* indexed by DY_N_*; [0] unused */
} dy_event;

/* A dictionary phrase naming a country or a region and nothing more ("Sudanese", "Sri Lankan",
 * "Russia", "Europeans"): the geo stage reports those it does not find as places itself. */
typedef struct dy_country_word {
    uint32_t first, last; /* tokens */
    uint32_t actor;       /* dict actors[] */
    char code[4];         /* the country or region code */
} dy_country_word;

typedef struct dy_story_ctx {
    const dyad_dict *d;
    const dyad_options *opt;       /* the coder's options (never NULL while coding) */
    const dyad_story *in;
    const char *text;
    size_t n;
    int32_t date;                  /* YYYYMMDD, 0 if none */
    dy_arena *a;
    dy_segmented seg;
    uint32_t *tok_sent;            /* token -> sentence */
    uint8_t *sent_void;            /* sentence -> 1 if a discard phrase voids it (NULL: none) */
    int discarded;                 /* DYAD_DISCARD_* for the story */
    uint8_t *tok_skip;             /* token -> 1 inside a skipped comma clause (NULL: none) */
    int32_t *tok_m;                /* token -> mention covering it, -1 */
    uint8_t *tcls;                 /* token -> TC_* classes (verbs.c), computed once per story */
    uint16_t *tfw;                 /* token -> the function-word lists it reads (verbs.c FW_*) */
    int32_t *slot_memo;            /* token -> the mention a slot there stands for, -1 none, -2
                                      not yet asked (verbs.c, for the sentence being matched) */
    struct dy_vcond_state *vcond;  /* the coder's: which pattern conditions hold (vcond.h) */
    dy_mention *m;
    size_t nm, mcap;
    int32_t *speaker;              /* quotation -> speaker mention, -1 */
    char focus[4];                 /* the country the story is about, "" if none */
    const char *home;              /* its source's home region ("US-OH", "IRL"), NULL if none */
    const char *regions;           /* geo/places.c: the subdivisions its places lie in, "US-OH US-IN" */
    char (*where)[4];              /* sentence -> country of the place it is "in", "" if none */
    dy_event *ev;
    size_t nev, evcap;
    dy_buf *explain;               /* NULL unless explaining */
    /* filled by the geo, dates, numbers and quotes stages (geo/places.h, dates.h, numbers.h) */
    struct dy_place_mention *place;
    size_t nplace;
    const void *gazetteer;         /* the gazetteer image in use, NULL if none */
    struct dy_country_word *cword; /* actors.c: words naming a country or region by itself */
    size_t ncword;
    struct dy_timex *timex;        /* time expressions (dates.c) */
    size_t ntimex;
} dy_story_ctx;

/* discards.c: finds the dictionary's discard phrases; a story-level one voids every
 * sentence, a sentence-level one its sentence (sent_void, discarded). */
int dy_discards_find(dy_story_ctx *s);

/* discards.c: with the comma_* options, leaves out the clauses set off by commas whose word
 * counts fall in range (the opening clause, those between two commas, the closing clause):
 * their tokens get tok_skip and lose their mentions. After dy_actors_find. */
int dy_comma_clauses(dy_story_ctx *s);

/* actors.c: finds actor mentions, combines agents with actors, resolves references
 * (titles, pronouns, "we" inside quotations) and attributes quotations to speakers. */
int dy_actors_find(dy_story_ctx *s);

/* actors.c: with opts new_actor_length > 0, a new actor named by the noun phrase that is the
 * subject of the verb at anchor (after = 0) or its object starting at token from (after = 1)
 * when it has at most that many words and no dictionary actor in it; its index, or -1. */
int32_t dy_new_actor(dy_story_ctx *s, uint32_t anchor, int after, uint32_t from);
/* An actor no words name but the act at anchor implies: sector (COP) of the country the story
 * is about; -1 when out of memory. Its entity_text is null. */
int32_t dy_implied_actor(dy_story_ctx *s, uint32_t anchor, const char *sector, const char *why);

/* actors.c: whether token i is a speech verb (say, tell, announce, claim, ...). */
int dy_is_speech(const dy_story_ctx *s, uint32_t i);

/* actors.c: whether a mention is where something happened ("in northern Syria"), not who. */
int dy_mention_is_place(const dy_story_ctx *s, int32_t m);
/* Whether mention m is a business: each of its codes ends in the BUS sector (events.c). */
int dy_mention_business(const dy_mention *m);
/* Whether the story's lead names a company by its legal designator (business.c). */
int dy_company_story(const dy_story_ctx *s);
/* Whether event e, in a company's story, is the company's business: a verbal or cooperative
 * act whose sentence names no state organ and whose sides are not both states (business.c). */
int dy_company_matter(const dy_story_ctx *s, const dy_event *e, int company_story);

/* verbs.c: matches event patterns in every sentence and records candidate events. */
int dy_verbs_match(dy_story_ctx *s);

/* events.c: fills in default sources/targets, drops negated, hypothetical and actorless
 * candidates, and folds events describing one happening into one record. */
int dy_events_assemble(dy_story_ctx *s);

/* classify.c: sets each kept event's PLOVER mode from the weapons its sentences name and its
 * ACLED event type and sub-type. */
/* Whether the words event e spans (and the next few) name weapons or explosives (classify.c). */
int dy_seizes_arms(const dy_story_ctx *s, const dy_event *e);
/* Whether sentence k names a weapon that tells an attack by itself: a grenade, an IED, a
 * car bomb, a landmine, a suicide bomber, a toxic gas (classify.c). */
int dy_telltale_weapon(const dy_story_ctx *s, uint32_t k);
/* Whether event e is news even when no one in it is an actor: property looted, torched or
 * wrecked (code 171, by its verb), people abducted or kidnapped (181), a woman raped (1821),
 * protests held or staged (passive) (classify.c). */
int dy_told_without_actor(const dy_story_ctx *s, const dy_event *e);
void dy_classify(dy_story_ctx *s);

/* events.c: folds the kept events of one story that describe one happening (the same kind of
 * act between the same sides, on no two different told dates) into one record. */
void dy_events_fold(dy_story_ctx *s);

/* emit.c: writes the kept events as JSON Lines. */
void dy_emit_jsonl(const dy_story_ctx *s, dy_buf *out);

/* Whether token i's word matches dictionary word w (by form or lemma). */
static inline int dy_tok_is(const dy_token *t, uint32_t w) { return w && (t->form == w || t->lemma == w); }

#endif
