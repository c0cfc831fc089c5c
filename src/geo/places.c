/*
 * places.c — the geo stage: tokens + actor mentions -> place mentions, resolved against the
 * embedded gazetteer (gazetteer.h). Candidates are the longest gazetteer names starting at a
 * capitalised word, plus a few fixed phrases ("the capital", "the country's north", "the
 * border with Syria"). Each is resolved by scoring its gazetteer entries: a prior (kind,
 * population, seat of government) plus the story's evidence (focus country, actors' countries,
 * the other places named, subdivisions named, "Paris, Texas"), and spatial coherence: in a
 * story about one country, a namesake in the subdivision the story is in beats a famous place
 * nothing else in the story is near ("Dublin" beside "Ohio"). Weak candidates (a small town
 * no context supports, a common word opening a sentence, a name inside a person's name) are
 * dropped rather than guessed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geo/places.h"

#define MAX_NAME_TOKENS 7 /* longest place name tried, in tokens */
#define MAX_POSTINGS 48   /* entries of one name scored (the most likely first) */
/* candidate_regions: what a name with a namesake in the same subdivision adds (per name, at
 * most 1.5 names' worth), and how far below the name's likeliest entry (in prior, about log10
 * of population) a namesake may be to lend support (CONTRIB_GAP) or take it (RECV_GAP) */
#define CAND_W 1.5f
#define CONTRIB_GAP 1.0f
#define RECV_GAP 1.5f

/* ==== tokens ============================================================================= */

static const char *tok_text(const dy_story_ctx *s, uint32_t i) { return s->text + s->seg.tok[i].start; }

/* Whether token i, lower-cased and without a final '.', is the lower-case word w. */
static int tok_is(const dy_story_ctx *s, uint32_t i, const char *w)
{
    if (i >= s->seg.ntok) return 0;
    const dy_token *t = &s->seg.tok[i];
    size_t n = t->len, wn;
    const char *p = tok_text(s, i);
    if (dy_tolower(p[0]) != w[0]) return 0;
    if (n > 1 && p[n - 1] == '.') n--;
    wn = strlen(w);
    if (n != wn) return 0;
    for (size_t k = 0; k < n; k++)
        if (dy_tolower(p[k]) != w[k]) return 0;
    return 1;
}

static int tok_in(const dy_story_ctx *s, uint32_t i, const char *const *list)
{
    if (i >= s->seg.ntok) return 0;
    const dy_token *t = &s->seg.tok[i];
    const char *p = tok_text(s, i);
    char w[24];
    size_t n = t->len;
    if (n > 1 && p[n - 1] == '.') n--;
    if (n >= sizeof w) return 0;
    for (size_t k = 0; k < n; k++) w[k] = (char)dy_tolower(p[k]);
    w[n] = 0;
    for (; *list; list++)
        if ((*list)[0] == w[0] && !strcmp(*list, w)) return 1;
    return 0;
}

/* Whether a word token can start a name: a capital letter first or inside ("sub-Saharan",
 * "d'Ivoire"), or a non-ASCII capital first ("Île-de-France"). */
static int tok_upper(const dy_story_ctx *s, uint32_t i)
{
    const dy_token *t = &s->seg.tok[i];
    if (!(t->flags & TK_WORD)) return 0;
    if (t->flags & (TK_CAP | TK_UPPER)) return 1;
    const char *p = tok_text(s, i);
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

static int tok_punct(const dy_story_ctx *s, uint32_t i, char c)
{
    const dy_token *t = &s->seg.tok[i];
    return (t->flags & TK_PUNCT) && t->len == 1 && tok_text(s, i)[0] == c;
}

/* ==== the gazetteer side ================================================================= */

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
    /* what the last place_evidence wrote, so the next clears only that (the arrays are as
     * long as the gazetteer's countries and subdivisions; a story names a few) */
    uint16_t *ev_country, *ev_admin1; /* indices written into pev, a1_count / a1_named, a1_places */
    size_t nev_country, nev_admin1;
    int ev_unlisted;                  /* the last call could not list them: clear everything */
} geo;

/* Reads a region code: "US-OH" (ISO 3166-2) sets *cc and *a1, "IRL" or "IE" *cc alone.
 * Returns 0, or -1 when the gazetteer does not know it. */
static int region_parse(const dy_gazetteer *g, const char *code, uint16_t *cc, uint16_t *a1)
{
    size_t n = strlen(code);
    *cc = *a1 = DY_GAZ_NONE;
    const char *dash = strchr(code, '-');
    if (dash) {
        if (dash - code != 2 || !dash[1] || strlen(dash + 1) > 3) return -1;
        if ((*cc = dy_gaz_country_find(g, code, 2)) == DY_GAZ_NONE) return -1;
        char up[4] = {0};
        for (size_t i = 0; dash[1 + i]; i++) up[i] = (char)dy_toupper(dash[1 + i]);
        if ((*a1 = dy_gaz_admin1_find(g, *cc, up)) == DY_GAZ_NONE) return -1;
        return 0;
    }
    if (n != 2 && n != 3) return -1;
    return (*cc = dy_gaz_country_find(g, code, n)) == DY_GAZ_NONE ? -1 : 0;
}

int dy_places_region_known(const char *code)
{
    const dy_gazetteer *g = dy_gazetteer_builtin();
    uint16_t cc, a1;
    return g && code && region_parse(g, code, &cc, &a1) == 0;
}

static int is_ours(const dy_gaz_entry *e) { return (e->flags & GZF_OURS) != 0; }

/* Whether the feature code is fc (up to 5 letters): a fixed-size compare. */
static int fc_is(const dy_gaz_entry *e, const char fc[6]) { return !memcmp(e->fcode, fc, 6); }

/* What a reader thinks of first for a bare name: countries, then world regions and our own
 * places, subdivisions, and cities by population with a bonus for seats of government. An
 * alternate name ("Peking") counts for less than the entry's own name. */
static float prior(const dy_gaz_entry *e, uint32_t posting)
{
    float p;
    switch (e->kind) {
    case GZ_COUNTRY: p = 10; break;
    case GZ_REGION: p = 8.5f; break;
    case GZ_PLACE: p = fc_is(e, "ADM2\0") ? 5.5f : 7; break; /* a county: below its state */
    case GZ_ADMIN1:
        if (e->flags & GZF_NOCOORD) p = 5; /* known only by name: resolves to its country */
        else if (is_ours(e) && !fc_is(e, "ADM1\0")) p = 7; /* Darfur, Donbas */
        else p = 6.0f + 0.1f * (float)log10(e->population + 1.0);
        break;
    default:
        p = (float)log10(e->population + 1.0);
        if (fc_is(e, "PPLC\0")) p += 1.5f;
        else if (fc_is(e, "PPLA\0") || fc_is(e, "PPLG\0")) p += 0.7f;
        else if (!strncmp(e->fcode, "PPLA", 4)) p += 0.3f;
        else if (fc_is(e, "PPLX\0")) p -= 0.5f;
        else if (fc_is(e, "PPLH\0") || fc_is(e, "PPLQ\0")) p -= 3;
    }
    /* an alternate name: for a big city often its English name ("Geneva" for Genève), for a
     * village a transliteration or a neighbour's name */
    if (posting & DY_GAZ_ALT) p -= e->kind != GZ_CITY ? 2.5f : e->population >= 1000000 ? 0.5f : e->population >= 100000 ? 1.0f : 3.0f;
    return p;
}

static int precision_of(const dy_gaz_entry *e)
{
    switch (e->kind) {
    case GZ_COUNTRY: return DY_LOC_COUNTRY;
    case GZ_REGION: return DY_LOC_REGION;
    case GZ_ADMIN1: return DY_LOC_ADMIN1;
    default: return DY_LOC_PLACE;
    }
}

const char *dy_place_precision_name(int p)
{
    static const char *n[] = {"none", "region", "country", "admin1", "place"};
    return p >= 0 && p <= 4 ? n[p] : "none";
}

/* The country evidence for country c, leaving out what candidate self contributed. */
static float evidence(const geo *G, uint16_t c, float own)
{
    if (c == DY_GAZ_NONE || c >= G->ncountry) return 0;
    float p = G->pev[c] - own;
    return G->cev[c] + (p > 3.6f ? 3.6f : p);
}

/* ==== candidates ========================================================================= */

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

typedef struct cands {
    cand *c;
    size_t n, cap;
} cands;

static cand *push(dy_story_ctx *s, cands *cs)
{
    if (cs->n == cs->cap) {
        size_t cap = cs->cap ? cs->cap * 2 : 32;
        cand *c = dy_arena_alloc(s->a, cap * sizeof *c);
        if (!c) return NULL;
        if (cs->n) memcpy(c, cs->c, cs->n * sizeof *c);
        cs->c = c;
        cs->cap = cap;
    }
    cand *c = &cs->c[cs->n++];
    memset(c, 0, sizeof *c);
    c->pair = -1;
    c->best = c->best1 = DY_GAZ_NOENTRY;
    c->country = DY_GAZ_NONE;
    c->actor_cc = DY_GAZ_NONE;
    return c;
}

/* Whether the name's first entry comes from iso-codes or our list (the only ones trusted for
 * short all-capital words such as "US", "NSW"), or is a country or subdivision. */
static int trusted_name(const dy_gazetteer *g, const dy_gaz_name *nm)
{
    size_t n;
    const uint32_t *p = dy_gaz_postings(g, nm, &n);
    for (size_t i = 0; i < n && i < 4; i++) {
        const dy_gaz_entry *e = dy_gaz_entry_at(g, DY_GAZ_ENTRY(p[i]));
        if (is_ours(e) || e->kind <= GZ_ADMIN1) return 1;
    }
    return 0;
}

/* The longest gazetteer name starting at token i (within the sentence ending at end), or 0;
 * *last receives its end token. The key grows a token at a time, normalised as the image's
 * names are; the scan stops as soon as no name starts with it (the image marks prefixes). */
/* Whether token i is the clitic of a possessive glued to the word before ("'s", "’s"). */
static int possessive(const dy_story_ctx *s, uint32_t i)
{
    const dy_token *t = &s->seg.tok[i];
    const char *p = tok_text(s, i);
    if (t->len == 2 && p[0] == '\'') return dy_tolower(p[1]) == 's';
    return t->len == 4 && !memcmp(p, "\xE2\x80\x99", 3) && dy_tolower(p[3]) == 's';
}

/* Whether one of the name's places is written with an apostrophe ("St. John's"), so that a
 * possessive ending can be part of it; "America's" is not "Americas". */
static int has_apostrophe(const dy_gazetteer *g, const dy_gaz_name *nm)
{
    size_t n;
    const uint32_t *p = dy_gaz_postings(g, nm, &n);
    for (size_t i = 0; i < n && i < 8; i++) {
        const char *d = dy_gaz_str(g, dy_gaz_entry_at(g, DY_GAZ_ENTRY(p[i]))->name);
        if (strchr(d, '\'') || strstr(d, "\xE2\x80\x99")) return 1;
    }
    return 0;
}

static const dy_gaz_name *longest_name(const dy_story_ctx *s, const dy_gazetteer *g, uint32_t i, uint32_t end,
                                       uint32_t *last)
{
    char key[DY_GAZ_KEY_MAX + 1], w[DY_GAZ_KEY_MAX + 1];
    size_t kn = 0;
    int space = 0;
    const dy_gaz_name *best = NULL;
    uint32_t prev_end = s->seg.tok[i].start;
    for (uint32_t j = i; j < end && j < i + MAX_NAME_TOKENS; j++) {
        const dy_token *t = &s->seg.tok[j];
        if (j > i) {
            if (t->flags & TK_QUOTE) break;
            if (memchr(s->text + prev_end, '\n', t->start - prev_end)) break;
            if (t->start > prev_end) space = 1;
        }
        prev_end = t->start + t->len;
        if (t->flags & TK_PUNCT) {
            if (j == i) break;
            if (tok_punct(s, j, ',') || tok_punct(s, j, '-')) space = 1;
            else if (!tok_punct(s, j, '.')) break;
            continue;
        }
        if (!(t->flags & TK_WORD)) break;
        int n = dy_gaz_normalise(s->text + t->start, t->len, w, sizeof w);
        if (n < 0 || kn + (size_t)n + 1 > DY_GAZ_KEY_MAX) break;
        if (n == 0) continue;
        if (j == i && !dy_gaz_may_start(g, w, strcspn(w, " "))) break; /* no name starts so */
        if (kn && space) key[kn++] = ' ';
        memcpy(key + kn, w, (size_t)n);
        kn += (size_t)n;
        space = 0;
        const dy_gaz_name *nm = dy_gaz_lookup(g, key, kn);
        if (!nm) {
            /* "Martha" + "'s" + "Vineyard": a word may continue in the next token */
            if (j + 1 < end && s->seg.tok[j + 1].start == prev_end && (s->seg.tok[j + 1].flags & TK_WORD)) continue;
            break;
        }
        if (nm->npost && (tok_upper(s, j) || trusted_name(g, nm)) && !(j > i && possessive(s, j) && !has_apostrophe(g, nm))) { /* "Texas on": must end on a name */
            best = nm;
            *last = j + 1;
        }
        if (!(nm->flags & NMF_PREFIX)) break;
    }
    return best;
}

/* Words that make a longer name of another feature when they follow a place name. */
static const char *const feature_words[] = {
    "valley", "river", "creek", "lake", "lakes", "mountain", "mountains", "mount", "island",
    "islands", "bay", "park", "airport", "hospital", "university", "college", "street", "road",
    "avenue", "bridge", "station", "hotel", "stadium", "church", "cathedral", "mosque", "temple",
    "school", "prison", "jail", "base", "dam", "farm", "farms", "forest", "beach", "basin",
    "plateau", "canal", "falls", "hills", "highway", "mall", "market", "museum", "palace", "zoo",
    "county", "parish", "township", "district", "borough", "reservoir", "glacier", "peak",
    "gardens", "harbour", "harbor", "port", "mine", "refinery", "village", "elementary", "academy",
    "institute", "center", "centre", "medical", "memorial", "clinic", "laboratory", "laboratories",
    "company", "corporation", "corp", "inc", "ltd", "group", "times", "post", "herald", "tribune",
    "journal", "radio", "press", "daily", "chronicle", "gazette", "observer", "club", NULL};

/* Feature words after a place's name that make it an institution of the place (not another
 * place named after it, as "Valley" or "County" do). */
static const char *const institution_words[] = {
    "airport", "hospital", "university", "college", "station", "hotel", "stadium", "church",
    "cathedral", "mosque", "temple", "school", "prison", "jail", "mall", "market", "museum",
    "zoo", "elementary", "academy", "institute", "center", "centre", "medical", "memorial",
    "clinic", "library", "harbour", "harbor", NULL};

/* Words after a place's name that make it a newspaper's or a news agency's. */
static const char *const press_words[] = {
    "times", "post", "herald", "tribune", "journal", "press", "daily", "chronicle", "gazette",
    "observer", "star", "sun", "news", "globe", "examiner", "courier", "sentinel", "register", NULL};

/* Words after a name that make it the subdivision: "New York Governor", "Texas Department". */
static const char *const state_cues[] = {
    "state", "province", "governorate", "region", "oblast", "governor", "gov", "legislature",
    "assembly", "senate", "department", "attorney", "lawmakers", "statehouse", NULL};

static const char *const title_words[] = {
    "mr", "mrs", "ms", "dr", "sir", "lord", "lady", "president", "gen", "general", "col",
    "colonel", "sen", "senator", "rep", "gov", "governor", "minister", "secretary", "king",
    "queen", "prince", "princess", "pope", "judge", "justice", "sgt", "capt", "captain", "lt",
    "maj", "major", "adm", "admiral", "cmdr", "spokesman", "spokeswoman", "rev", "father",
    "sheikh", "imam", "ayatollah", "mullah", "emir", "sultan", "chancellor", "premier", "mayor",
    "chairman", "chief", "commander", "ambassador", "professor", "prof", "coach", "saint", NULL};

/* Words that make a name a person's when they follow it: "Franklin said". */
static const char *const speech_words[] = {
    "said", "says", "told", "added", "explained", "noted", "stated", "wrote", "argued", "asked",
    "warned", "confirmed", "announced", "insisted", "recalled", "replied", "testified", NULL};

/* First words of two-word place names, which are not first names. */
static const char *const place_prefixes[] = {
    "village", "city", "town", "camp", "fort", "san", "santa", "saint", "st", "new", "north",
    "south", "east", "west", "upper", "lower", "greater", "central", "port", "lake", "mount",
    "el", "al", "la", "le", "los", "las", "de", "ciudad", "sao", "puerto", "cape", "bay", NULL};

/* Words before a name that make it a place: "in Paisley", "near Tyler". */
static const char *const locatives[] = {
    "in", "at", "near", "from", "outside", "to", "into", "across", "around", "toward", "towards",
    "through", "via", "between", "inside", "within", "throughout", NULL};

/* Words after a town's name that say it is the town: its people ("a Gainesville man", "Dublin
 * residents") and its own institutions ("DeKalb Police", "Dublin City Council", "the Gainesville
 * Mayor"). Such a name is a place even with nothing else around it. */
static const char *const resident_words[] = {
    "man", "men", "woman", "women", "boy", "boys", "girl", "girls", "teen", "teens", "teenager",
    "resident", "residents", "native", "natives", "couple", "family", "families", "voters",
    "area", "police", "city", "mayor", "council", "councilman", "councilwoman", "fire",
    "community", "public", "schools", "municipal", "township", "village", "town", NULL};

static const char *const calendar_words[] = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", NULL};

/* Whether a token is a function word that opens sentences ("The", "He", "In"): no name
 * starts with one, so the scan skips it without a lookup. */
static int function_word(const dyad_dict *d, const dy_token *t)
{
    uint32_t f = t->form;
    return f && (f == d->w_the || f == d->w_a || f == d->w_an || f == d->w_he || f == d->w_she ||
                 f == d->w_it || f == d->w_they || f == d->w_we || f == d->w_i || f == d->w_in ||
                 f == d->w_on || f == d->w_at || f == d->w_for || f == d->w_and || f == d->w_or ||
                 f == d->w_that || f == d->w_which || f == d->w_who || f == d->w_his || f == d->w_their ||
                 f == d->w_its || f == d->w_by || f == d->w_with || f == d->w_from || f == d->w_if ||
                 f == d->w_to || f == d->w_of);
}

/* The cues around candidate c (CUE_*, but CUE_SURNAME, which needs the whole story). */
static uint16_t cues_of(const dy_story_ctx *s, const cand *c)
{
    const dy_segmented *sg = &s->seg;
    uint32_t sfirst = sg->sent[c->sent].first, send = sfirst + sg->sent[c->sent].count;
    uint16_t q = 0;
    int start = c->first == sfirst || (c->first > sfirst && (sg->tok[c->first - 1].flags & TK_QUOTE));
    if (start) q |= CUE_START;
    if (!start && tok_upper(s, c->first - 1) && !(sg->tok[c->first - 1].flags & TK_PUNCT) &&
        !tok_is(s, c->first - 1, "the"))
        q |= CUE_BEFORE;
    if (c->last < send && tok_in(s, c->last, resident_words)) q |= CUE_LOCATIVE; /* "a Gainesville man" */
    else if (c->last < send && tok_upper(s, c->last) && !(sg->tok[c->last].flags & TK_PUNCT)) q |= CUE_AFTER;
    if (c->first > sfirst && tok_in(s, c->first - 1, title_words)) q |= CUE_TITLE;
    if ((q & CUE_AFTER) && tok_in(s, c->last, feature_words)) q |= CUE_FEATURE;
    if (c->first > sfirst && tok_in(s, c->first - 1, locatives)) q |= CUE_LOCATIVE;
    /* a dateline: "HARWINTON — Former ...", "WASHINGTON (Reuters) -" */
    if (start && (sg->tok[c->first].flags & TK_UPPER) && c->last < send &&
        (tok_punct(s, c->last, '-') || tok_punct(s, c->last, '(') || tok_punct(s, c->last, ',')))
        q |= CUE_LOCATIVE;
    if (c->last < send && tok_in(s, c->last, speech_words)) q |= CUE_SPEECH;
    if (c->last == c->first + 1 && tok_in(s, c->first, calendar_words)) q |= CUE_CALENDAR;
    return q;
}

/* Collects the name candidates of every sentence. */
/* The parts of a hyphenated word that are place names, as candidates of their own: the
 * place a politician stands for ("D-Gainesville", "DFL-Minneapolis"), "Gainesville-area",
 * "Dallas-based", a team's town ("Watertown-Mayer"). The word itself is no name (that was tried
 * first). A part after a party's initials, or before "area" or "based", is said to be a place. */
static int hyphen_parts(dy_story_ctx *s, const dy_gazetteer *g, cands *cs, uint32_t i, uint32_t si)
{
    const dy_token *t = &s->seg.tok[i];
    const char *p = s->text + t->start, *end = p + t->len;
    if (!memchr(p, '-', t->len)) return 0;
    int first_part = 1;
    for (const char *a = p; a < end;) {
        const char *b = memchr(a, '-', (size_t)(end - a));
        if (!b) b = end;
        char key[DY_GAZ_KEY_MAX + 1];
        int n = dy_isupper(*a) && b - a > 2 ? dy_gaz_normalise(a, (size_t)(b - a), key, sizeof key) : -1;
        const dy_gaz_name *nm = n > 0 ? dy_gaz_lookup(g, key, (size_t)n) : NULL;
        if (nm && nm->npost && !(b - a <= 5 && !trusted_name(g, nm) && dy_isupper(a[1]))) {
            cand *c = push(s, cs);
            if (!c) return -1;
            c->first = i, c->last = i + 1, c->sent = si, c->nm = nm, c->how = PM_NAME;
            c->bstart = (uint32_t)(a - s->text), c->bend = (uint32_t)(b - s->text);
            /* "D-", "R-", "DFL-": capitals before it; "-area", "-based" after it */
            int party = !first_part && a - p <= 4;
            for (const char *q = p; party && q < a - 1; q++) party = dy_isupper(*q);
            int said = b < end && (!strncmp(b, "-area", 5) || !strncmp(b, "-based", 6));
            c->cues = party || said ? CUE_LOCATIVE : 0;
        }
        first_part = 0;
        a = b < end ? b + 1 : end;
    }
    return 0;
}

static int find_names(dy_story_ctx *s, const dy_gazetteer *g, cands *cs)
{
    const dy_segmented *sg = &s->seg;
    for (uint32_t si = 0; si < sg->nsent; si++) {
        uint32_t end = sg->sent[si].first + sg->sent[si].count;
        for (uint32_t i = sg->sent[si].first; i < end; i++) {
            if (!tok_upper(s, i) || function_word(s->d, &sg->tok[i])) continue;
            uint32_t last = 0;
            const dy_gaz_name *nm = longest_name(s, g, i, end, &last);
            if (!nm) {
                if (hyphen_parts(s, g, cs, i, si)) return -1;
                continue;
            }
            const dy_token *t = &sg->tok[i];
            /* short all-capital words are names only when iso-codes or our list says so */
            if (last == i + 1 && (t->flags & TK_UPPER) && t->len <= 5 && !trusted_name(g, nm)) continue;
            cand *c = push(s, cs);
            if (!c) return -1;
            c->first = i;
            c->last = last;
            c->sent = si;
            c->nm = nm;
            c->how = PM_NAME;
            for (uint32_t t = i; t < last && c->actor_cc == DY_GAZ_NONE; t++) {
                int32_t mi = s->tok_m ? s->tok_m[t] : -1;
                /* (a compound's codes are its members': "London and Amsterdam" is GBR NLD;
                 * an actor inside the name is not the name's: "London" in "New London"; a
                 * city standing for its country says nothing of which Dublin is meant) */
                if (mi < 0 || (size_t)mi >= s->nm || s->m[mi].ncode != 1) continue;
                if (s->m[mi].first > i || s->m[mi].last < last || (s->m[mi].flags & M_CITY)) continue;
                const char *code = s->m[mi].code[0];
                if (strlen(code) >= 3 && dy_is_country(s->d, code)) c->actor_cc = dy_gaz_country_find(g, code, 3);
            }
            if (tok_in(s, last, state_cues)) c->state_after = 1;
            c->cues = cues_of(s, c);
            if (i == 0 && si == 0 && (t->flags & TK_UPPER) && last < sg->ntok &&
                (tok_punct(s, last, '(') || tok_punct(s, last, ',') || tok_punct(s, last, '-')))
                c->flags |= PMF_DATELINE;
            i = last - 1;
        }
    }
    /* "X, Y": a place followed by a comma and another (Paris, Texas) */
    for (size_t k = 0; k + 1 < cs->n; k++)
        if (cs->c[k + 1].first == cs->c[k].last + 1 && tok_punct(s, cs->c[k].last, ',') &&
            cs->c[k + 1].sent == cs->c[k].sent)
            cs->c[k].pair = (int32_t)(k + 1);
    return 0;
}

/* ==== fixed phrases ====================================================================== */

/* The country a token stands for: an actor mention with a country code over it, or a name
 * candidate resolved to a country. DY_GAZ_NONE if none. */
/* The name candidate covering token t among the first nnames (in token order), or NULL. */
static const cand *name_at(const cands *cs, size_t nnames, uint32_t t)
{
    size_t lo = 0, hi = nnames;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cs->c[mid].last <= t) lo = mid + 1;
        else hi = mid;
    }
    return lo < nnames && cs->c[lo].first <= t ? &cs->c[lo] : NULL;
}

static uint16_t country_of_token(const dy_story_ctx *s, const geo *G, const cands *cs, size_t nnames, uint32_t t)
{
    if (t >= s->seg.ntok) return DY_GAZ_NONE;
    int32_t mi = s->tok_m ? s->tok_m[t] : -1;
    if (mi >= 0 && (size_t)mi < s->nm) {
        const dy_mention *m = &s->m[mi];
        for (uint8_t k = 0; k < m->ncode; k++)
            if (strlen(m->code[k]) >= 3 && dy_is_country(s->d, m->code[k])) {
                uint16_t c = dy_gaz_country_find(G->g, m->code[k], 3);
                if (c != DY_GAZ_NONE) return c;
            }
    }
    const cand *c = name_at(cs, nnames, t);
    if (c && !c->rejected && c->best != DY_GAZ_NOENTRY) {
        const dy_gaz_entry *e = dy_gaz_entry_at(G->g, c->best);
        if (e->kind == GZ_COUNTRY) return e->country;
    }
    return DY_GAZ_NONE;
}

static const char *const directions[] = {
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
    "north-east", "north-west", "south-east", "south-west", "centre", "center", "interior",
    "heartland", "far", "northern", "southern", "eastern", "western", NULL};

/* "the capital", "the Iraqi capital", "the capital of Iraq", "the country's capital"; "the
 * country's north", "the south of the country"; "the border with Syria". */
static int find_phrases(dy_story_ctx *s, const geo *G, cands *cs)
{
    const dy_segmented *sg = &s->seg;
    size_t nnames = cs->n;
    for (uint32_t si = 0; si < sg->nsent; si++) {
        uint32_t first = sg->sent[si].first, end = first + sg->sent[si].count;
        for (uint32_t i = first; i < end; i++) {
            if (!tok_is(s, i, "the")) continue;
            /* the [X | country's | nation's] capital [city] [of Y] */
            uint32_t j = i + 1, mid = DY_GAZ_NONE;
            uint16_t country = DY_GAZ_NONE;
            int country_word = 0;
            if (j + 1 < end && (tok_is(s, j, "country") || tok_is(s, j, "nation")) && tok_is(s, j + 1, "'s")) {
                country_word = 1;
                j += 2;
            } else if (j < end && !tok_is(s, j, "capital") && tok_upper(s, j) && j + 1 < end &&
                       tok_is(s, j + 1, "capital")) {
                mid = j++;
            }
            if (j < end && tok_is(s, j, "capital")) { /* "the state capital" never gets here */
                uint32_t last = j + 1;
                if (last < end && tok_is(s, last, "city")) last++;
                if (last + 1 < end && tok_is(s, last, "of")) {
                    uint16_t c = country_of_token(s, G, cs, nnames, last + 1);
                    if (c != DY_GAZ_NONE) country = c;
                }
                if (country == DY_GAZ_NONE && mid != DY_GAZ_NONE) {
                    country = country_of_token(s, G, cs, nnames, mid);
                    if (country == DY_GAZ_NONE) continue; /* "the Kurdish capital": not a country's */
                }
                if (country == DY_GAZ_NONE && (country_word || mid == DY_GAZ_NONE)) country = G->focus;
                cand *c = push(s, cs);
                if (!c) return -1;
                c->first = i, c->last = last, c->sent = si, c->how = PM_CAPITAL, c->country = country;
                i = last - 1;
                continue;
            }
            /* the country's north | the north of the country */
            if (country_word && j < end && tok_in(s, j, directions)) {
                uint32_t last = j + 1;
                if (tok_is(s, j, "far") && last < end && tok_in(s, last, directions)) last++;
                cand *c = push(s, cs);
                if (!c) return -1;
                c->first = i, c->last = last, c->sent = si, c->how = PM_PART, c->country = G->focus;
                i = last - 1;
                continue;
            }
            if (i + 4 < end && tok_in(s, i + 1, directions) && tok_is(s, i + 2, "of") && tok_is(s, i + 3, "the") &&
                (tok_is(s, i + 4, "country") || tok_is(s, i + 4, "nation"))) {
                cand *c = push(s, cs);
                if (!c) return -1;
                c->first = i, c->last = i + 5, c->sent = si, c->how = PM_PART, c->country = G->focus;
                i += 4;
                continue;
            }
            /* the border with Y */
            if (i + 3 < end && tok_is(s, i + 1, "border") && tok_is(s, i + 2, "with")) {
                const cand *y = name_at(cs, nnames, i + 3);
                if (y && y->first == i + 3 && !y->rejected && y->best != DY_GAZ_NOENTRY &&
                    dy_gaz_entry_at(G->g, y->best)->kind == GZ_COUNTRY) {
                    uint16_t yc = dy_gaz_entry_at(G->g, y->best)->country;
                    uint32_t ylast = y->last;
                    cand *c = push(s, cs); /* may move the array: y is not used after */
                    if (!c) return -1;
                    c->first = i, c->last = ylast, c->sent = si, c->how = PM_BORDER;
                    c->country = G->focus != DY_GAZ_NONE && G->focus != yc ? G->focus : yc;
                }
            }
        }
    }
    return 0;
}

/* ==== resolving ========================================================================== */

/* Whether entry e lies in entry in (a country or a subdivision holding it). */
static int lies_in(const dy_gazetteer *g, const dy_gaz_entry *e, const dy_gaz_entry *in)
{
    if (in->kind == GZ_COUNTRY) return e->country == in->country && e != in;
    if (in->kind == GZ_ADMIN1 && in->admin1 != DY_GAZ_NONE)
        return e->admin1 == in->admin1 && e != in && e->kind > GZ_ADMIN1;
    return 0;
}

static int is_seat(const dy_gaz_entry *e)
{
    return fc_is(e, "PPLA\0") || fc_is(e, "PPLC\0") || fc_is(e, "PPLG\0");
}

/* Whether the postings hold the subdivision a1 itself. */
static int admin1_named_too(const dy_gazetteer *g, const uint32_t *p, size_t n, uint16_t a1)
{
    for (size_t i = 0; i < n; i++) {
        const dy_gaz_entry *e = dy_gaz_entry_at(g, DY_GAZ_ENTRY(p[i]));
        if (e->kind == GZ_ADMIN1 && e->admin1 == a1) return 1;
    }
    return 0;
}

/* The evidence of every country but c, leaving out own (what the candidate being resolved
 * adds): how far the story is from being about c alone. A world story naming Iowa and Japan
 * means Moscow, Russia; a local one naming Ohio and nothing abroad may mean Dublin, Ohio. */
static float elsewhere(const geo *G, uint16_t c, float own)
{
    if (c >= G->ncountry) return 9;
    return G->ev_sum - G->cev[c] - G->pev[c] - own;
}

/* How much better the famous reading may score than a namesake where the story is and still
 * lose to it. */
#define NEAR_MARGIN 1.5f
/* Whether entry e lies where the story already is: a town in a subdivision the story names or
 * holding another town it names, a subdivision holding a town it names. self: e is the
 * candidate's present resolution, whose own count is left out. */
static int near_named(const geo *G, const dy_gaz_entry *e, int self)
{
    if (e->admin1 >= G->nadmin1) return 0;
    if (e->kind == GZ_ADMIN1) return G->a1_places[e->admin1] > 0;
    if (e->kind < GZ_ADMIN1) return 0;
    return (G->a1_named[e->admin1] & 1) || G->a1_places[e->admin1] > self + 1;
}

/* The subdivisions the story's names could lie in (G->a1_cand): the towns and counties of a
 * local story are near each other, so a subdivision where several of its ambiguous names have
 * a namesake ("Decatur", "DeKalb County", "Avondale" and "North Druid Hills": Georgia) is
 * likely where the story is. Each distinct name counts once, 1/k for each of the k subdivisions
 * it has a namesake in, so a name found in every state says little. Names already refused as
 * places (a person's, a common word) do not count. */
static void candidate_regions(const dy_story_ctx *s, geo *G, cands *cs)
{
    const dy_gazetteer *g = G->g;
    size_t cap = 16;
    while (cap < cs->n * 2) cap *= 2;
    const void **seen = dy_arena_calloc(s->a, cap * sizeof *seen);
    G->own_w = dy_arena_calloc(s->a, (cs->n + 1) * sizeof *G->own_w);
    G->pmax = dy_arena_calloc(s->a, (cs->n + 1) * sizeof *G->pmax);
    if (!seen || !G->own_w || !G->pmax) {
        G->own_w = NULL;
        return;
    }
    uint16_t a1s[MAX_POSTINGS];
    for (size_t k = 0; k < cs->n; k++) {
        cand *c = &cs->c[k];
        if (c->how != PM_NAME || c->rejected == 1) continue;
        size_t h = ((uintptr_t)c->nm * 0x9E3779B97F4A7C15ULL >> 20) & (cap - 1);
        while (seen[h] && seen[h] != c->nm) h = (h + 1) & (cap - 1);
        int dup = seen[h] != NULL;
        seen[h] = c->nm;
        size_t n, na = 0;
        const uint32_t *p = dy_gaz_postings(g, c->nm, &n);
        if (n > MAX_POSTINGS) n = MAX_POSTINGS;
        int big = 0;
        for (size_t i = 0; i < n && !big; i++) {
            const dy_gaz_entry *e = dy_gaz_entry_at(g, DY_GAZ_ENTRY(p[i]));
            big = !(p[i] & DY_GAZ_ALT) && e->kind <= GZ_ADMIN1;
        }
        if (big) continue; /* "Mexico", "Georgia", "New York": the country or state decides */
        float pm = -1e9f;
        for (size_t i = 0; i < n; i++) {
            float pr = prior(dy_gaz_entry_at(g, DY_GAZ_ENTRY(p[i])), p[i]);
            if (pr > pm) pm = pr;
        }
        G->pmax[k] = pm;
        /* only namesakes a reader could mean: about a tenth of the biggest's size or more
         * ("Atlanta" says Georgia, not also Texas for a hamlet there) */
        for (size_t i = 0; i < n; i++) {
            const dy_gaz_entry *e = dy_gaz_entry_at(g, DY_GAZ_ENTRY(p[i]));
            if (e->kind < GZ_ADMIN1 || e->admin1 >= G->nadmin1 || prior(e, p[i]) < pm - CONTRIB_GAP) continue;
            size_t j = 0;
            while (j < na && a1s[j] != e->admin1) j++;
            if (j == na) a1s[na++] = e->admin1;
        }
        if (!na) continue;
        G->own_w[k] = 1.0f / (float)na;
        if (dup) continue;
        for (size_t j = 0; j < na; j++) G->a1_cand[a1s[j]] += G->own_w[k];
    }
}

/* Whether candidates a and b (a before b) stand in one list: only commas, "and", "or"
 * between them ("Ohio, New York and Texas"). */
static int listed_with(const dy_story_ctx *s, const cand *a, const cand *b)
{
    if (a->sent != b->sent || a->last >= b->first || b->first - a->last > 2) return 0;
    for (uint32_t t = a->last; t < b->first; t++)
        if (!tok_punct(s, t, ',') && !tok_is(s, t, "and") && !tok_is(s, t, "or")) return 0;
    return 1;
}

/* The kind a list gives its members: a name listed beside subdivisions of one country is a
 * subdivision of it ("New Mexico, New York and Ohio": the state, not the city), one beside
 * countries a country ("Armenia, Georgia and Azerbaijan"). 1 when entry e is of that kind. */
static int list_kind(const dy_story_ctx *s, const geo *G, const cands *cs, size_t k, const dy_gaz_entry *e)
{
    if (e->kind != GZ_ADMIN1 && e->kind != GZ_COUNTRY) return 0;
    const cand *c = &cs->c[k];
    for (int side = 0; side < 2; side++) {
        const cand *o = side ? (k + 1 < cs->n ? &cs->c[k + 1] : NULL) : (k > 0 ? &cs->c[k - 1] : NULL);
        /* the neighbour as read before any list counted, so that two ambiguous names do not
         * hold each other up ("Washington, New York and Boston") */
        if (!o || o->how != PM_NAME || o->rejected || o->best1 == DY_GAZ_NOENTRY) continue;
        if (!(side ? listed_with(s, c, o) : listed_with(s, o, c))) continue;
        const dy_gaz_entry *oe = dy_gaz_entry_at(G->g, o->best1);
        if (oe->kind == e->kind && oe != e && (e->kind == GZ_COUNTRY || oe->country == e->country)) return 1;
    }
    return 0;
}

/* Scores the entries of candidate c and keeps the best; with pass 2 the place evidence and the
 * named subdivisions count too. */
static void resolve(const dy_story_ctx *s, geo *G, cands *cs, size_t k, int pass2)
{
    cand *c = &cs->c[k];
    const dy_gazetteer *g = G->g;
    size_t n;
    const uint32_t *p = dy_gaz_postings(g, c->nm, &n);
    if (n > MAX_POSTINGS) n = MAX_POSTINGS;
    float best = -1e9f, best_big = -1e9f, best_near = -1e9f;
    uint32_t bi = DY_GAZ_NOENTRY, bi_big = DY_GAZ_NOENTRY, bi_near = DY_GAZ_NOENTRY;
    int paired = 0, home = 0;
    c->nalt = 0;
    const cand *y = c->pair >= 0 ? &cs->c[c->pair] : NULL;
    const cand *x = k > 0 && cs->c[k - 1].pair == (int32_t)k ? &cs->c[k - 1] : NULL;
    int has_main = 0, seat_named = 0;
    for (size_t i = 0; i < n; i++) {
        has_main |= !(p[i] & DY_GAZ_ALT);
        const dy_gaz_entry *e = dy_gaz_entry_at(g, DY_GAZ_ENTRY(p[i]));
        seat_named |= !(p[i] & DY_GAZ_ALT) && (e->kind == GZ_COUNTRY || fc_is(e, "PPLC\0"));
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t ei = DY_GAZ_ENTRY(p[i]);
        const dy_gaz_entry *e = dy_gaz_entry_at(g, ei);
        float sc = prior(e, p[i]);
        if ((p[i] & DY_GAZ_ALT) && has_main && e->population < 100000) sc -= 1.5f; /* "Litchfield" names Litchfields */
        if (e->kind == GZ_CITY && e->admin1 != DY_GAZ_NONE && is_seat(e) && admin1_named_too(g, p, n, e->admin1))
            sc += 1; /* "Geneva", "Idlib": the city more than the canton or province named for it */
        int got_pair = 0;
        if (pass2) sc += evidence(G, e->country, c->best == ei ? c->own : 0);
        else if (e->country < G->ncountry) sc += G->cev[e->country]; /* pass 1: actors only */
        if (pass2 && e->admin1 != DY_GAZ_NONE && e->admin1 < G->nadmin1 && (G->a1_named[e->admin1] & 1) &&
            e->kind > GZ_ADMIN1)
            sc += 2.5f;
        if (c->state_after && e->kind == GZ_ADMIN1) sc += 3;
        if (pass2 && list_kind(s, G, cs, k, e)) sc += 4.5f;
        if (pass2 && G->own_w && G->own_w[k] > 0 && e->kind > GZ_ADMIN1 && e->admin1 < G->nadmin1 &&
            prior(e, p[i]) >= G->pmax[k] - RECV_GAP) {
            float near = G->a1_cand[e->admin1] - G->own_w[k];
            sc += near > 0 ? CAND_W * (near > 1.5f ? 1.5f : near) : 0;
        }
        /* the other towns and counties the story names: "Decatur" near Atlanta's suburbs, and
         * "Georgia" the state when the story names Atlanta */
        if (pass2 && e->kind > GZ_ADMIN1 && e->admin1 < G->nadmin1) {
            int near = G->a1_places[e->admin1] - (c->best == ei);
            sc += near >= 3 ? 2.5f : (float)near * 0.9f;
        } else if (pass2 && e->kind == GZ_ADMIN1 && e->admin1 < G->nadmin1 && G->a1_places[e->admin1]) {
            sc += G->a1_places[e->admin1] >= 2 ? 4.0f : 2.5f;
        }
        /* a local paper's towns are in its home region unless it says otherwise */
        int at_home = G->home_a1 != DY_GAZ_NONE && e->admin1 == G->home_a1 && e->kind > GZ_ADMIN1 && !G->away;
        if (at_home) sc += 2.5f;
        /* the actor dictionaries read "Niger" as the country: so do we */
        if (c->actor_cc != DY_GAZ_NONE && e->country == c->actor_cc) sc += e->kind == GZ_COUNTRY ? 3 : 1;
        /* "in Texas, Kansas and Ohio"; but not against a country or a capital of the name
         * ("Washington" in a story naming states is still the capital; "Taiwan" beside Chinese
         * provinces the country) */
        if (pass2 && e->kind == GZ_ADMIN1 && e->country < G->ncountry && !seat_named)
            sc += G->a1_count[e->country] - (c->best == ei ? 1 : 0) >= 2 ? 1.5f : 0;
        /* "Paris, Texas": the entry lies in one the next name may be */
        if (y && y->nm) {
            size_t yn;
            const uint32_t *yp = dy_gaz_postings(g, y->nm, &yn);
            for (size_t j = 0; j < yn && j < 16; j++)
                if (lies_in(g, e, dy_gaz_entry_at(g, DY_GAZ_ENTRY(yp[j])))) {
                    sc += 5;
                    got_pair = 1;
                    break;
                }
        }
        if (x && x->best != DY_GAZ_NOENTRY && lies_in(g, dy_gaz_entry_at(g, x->best), e)) sc += 5, got_pair = 1;
        /* a country or a subdivision by its own name, or a city of a million */
        int big = !(p[i] & DY_GAZ_ALT) && (e->kind == GZ_COUNTRY || (e->kind == GZ_ADMIN1 && fc_is(e, "ADM1\0")));
        int metropolis = e->kind == GZ_CITY && (e->population >= 1000000 || fc_is(e, "PPLC\0"));
        if ((big || metropolis) && sc > best_big) best_big = sc, bi_big = ei;
        if (sc > best) best = sc, bi = ei, paired = got_pair, home = at_home;
        if (pass2 && near_named(G, e, c->best == ei) && sc > best_near) best_near = sc, bi_near = ei;
        /* the best few, for dyad places --explain */
        int j = c->nalt < DY_PLACE_ALTS ? c->nalt++ : DY_PLACE_ALTS;
        while (j > 0 && c->altsc[j - 1] < sc) {
            if (j < DY_PLACE_ALTS) c->alt[j] = c->alt[j - 1], c->altsc[j] = c->altsc[j - 1];
            j--;
        }
        if (j < DY_PLACE_ALTS) c->alt[j] = ei, c->altsc[j] = sc;
    }
    /* "Mexico", "Italy", "California" name the country or the state, not a town of that
     * name that the story's context happens to favour; only "Mexico, Missouri" says otherwise */
    if (bi_big != DY_GAZ_NOENTRY && bi != bi_big && !paired && !home && !c->state_after) {
        const dy_gaz_entry *e = dy_gaz_entry_at(g, bi), *big = dy_gaz_entry_at(g, bi_big);
        /* but a city abroad is not meant when the story names the small town's state or two
         * of its neighbours, and nothing in the city's country ("Paris" and "Illinois",
         * "Dublin" and "Athens" in a Georgia paper); the city's own mention is no evidence for
         * it (it was counted while the city was the reading) */
        int local = near_named(G, e, c->best == bi);
        float own = c->best == bi_big ? c->own : 0;
        int abroad = pass2 && big->kind == GZ_CITY && big->country != e->country && local &&
                     evidence(G, big->country, own) < 1;
        if (e->kind == GZ_CITY && e->population < 100000 && !fc_is(e, "PPLC\0") && !abroad)
            best = best_big, bi = bi_big;
    }
    /* spatial coherence: a namesake in a subdivision the story names, or among the towns it
     * names, rather than a famous place in a country nothing else in the story is in ("Dublin"
     * beside "Ohio", "Georgia" beside "Atlanta", "Plymouth" beside "Massachusetts") */
    if (bi_near != DY_GAZ_NOENTRY && bi_near != bi && !paired) {
        const dy_gaz_entry *e = dy_gaz_entry_at(g, bi), *n = dy_gaz_entry_at(g, bi_near);
        float own = c->best == bi ? c->own : 0;
        /* a country gives way only to its namesake subdivision ("Georgia"), not to a town
         * ("Jordan", "Mexico"); a town only to a namesake that scores nearly as well */
        int yields = e->kind == GZ_COUNTRY ? n->kind == GZ_ADMIN1 : best - best_near < NEAR_MARGIN;
        if (yields && n->country != e->country && !near_named(G, e, c->best == bi) &&
            evidence(G, e->country, own) < 1 && elsewhere(G, n->country, own) < 1)
            best = best_near, bi = bi_near, home = 0;
    }
    c->best = bi;
    c->score = best;
    c->paired = (uint8_t)paired;
}

/* Surnames of the story: capitalised words that end a run of two or more ("Thomas Frieden",
 * "Benjamin Franklin"), kept as hashes in a small open-addressing set. */
typedef struct names_seen {
    uint64_t *h;
    size_t cap;
} names_seen;

static int seen_has(const names_seen *n, uint64_t h)
{
    if (!n->cap) return 0;
    for (size_t i = h & (n->cap - 1);; i = (i + 1) & (n->cap - 1)) {
        if (!n->h[i]) return 0;
        if (n->h[i] == h) return 1;
    }
}

static uint64_t word_hash(const dy_story_ctx *s, uint32_t t)
{
    return dy_hash(tok_text(s, t), s->seg.tok[t].len) | 1;
}

static void collect_surnames(dy_story_ctx *s, names_seen *n)
{
    const dy_segmented *sg = &s->seg;
    size_t cnt = 0;
    for (uint32_t t = 1; t < sg->ntok; t++)
        cnt += tok_upper(s, t) && tok_upper(s, t - 1) && s->tok_sent[t] == s->tok_sent[t - 1];
    n->cap = 16;
    while (n->cap < cnt * 2 + 2) n->cap *= 2;
    n->h = dy_arena_calloc(s->a, n->cap * sizeof *n->h);
    if (!n->h) {
        static uint64_t none[1];
        n->h = none; /* out of memory: no surnames known (the arena reports the failure) */
        n->cap = 0;
        return;
    }
    for (uint32_t t = 1; t < sg->ntok; t++) {
        if (!tok_upper(s, t) || !tok_upper(s, t - 1) || s->tok_sent[t] != s->tok_sent[t - 1]) continue;
        if (t + 1 < sg->ntok && tok_upper(s, t + 1) && s->tok_sent[t + 1] == s->tok_sent[t]) continue;
        if (sg->tok[t].flags & TK_UPPER) continue; /* "NEW YORK": a headline */
        if (tok_in(s, t - 1, feature_words) || tok_in(s, t - 1, place_prefixes) || tok_in(s, t - 1, title_words))
            continue; /* "Village Malakal", "Fort Worth", "President Bush" */
        uint64_t h = word_hash(s, t);
        size_t i = h & (n->cap - 1);
        while (n->h[i] && n->h[i] != h) i = (i + 1) & (n->cap - 1);
        n->h[i] = h;
    }
}

/* Whether one of the name's entries lies in country cc (then the name is not merely that
 * country's demonym). */
static int names_in(const dy_gazetteer *g, const dy_gaz_name *nm, uint16_t cc)
{
    size_t n;
    const uint32_t *p = dy_gaz_postings(g, nm, &n);
    for (size_t i = 0; i < n && i < MAX_POSTINGS; i++)
        if (dy_gaz_entry_at(g, DY_GAZ_ENTRY(p[i]))->country == cc) return 1;
    return 0;
}

/* Whether a resolved candidate is too weak to be a place: a name inside a person's name or a
 * longer capitalised name, a demonym, a common word opening a sentence, a surname, a small
 * town nothing in the story points to. 1: it is not a place here; 2: this mention alone does
 * not show it is one (a town with nothing around it), which another mention of the same name
 * can (same_name_same_place); 3: the place, but as part of a name (a newspaper's, a person's
 * office), so it says whom rather than where (PM_MODIFIER); 0: a place. */
static int too_weak(dy_story_ctx *s, const geo *G, const cand *c, names_seen *surnames)
{
    const dy_gazetteer *g = G->g;
    if (c->best == DY_GAZ_NOENTRY) return 1;
    const dy_gaz_entry *e = dy_gaz_entry_at(g, c->best);
    int strong_kind = e->kind != GZ_CITY; /* countries, subdivisions, our places */
    float ev = evidence(G, e->country, c->own);
    int alt_only = 1;
    {
        size_t n;
        const uint32_t *p = dy_gaz_postings(g, c->nm, &n);
        for (size_t i = 0; i < n && i < MAX_POSTINGS; i++)
            if (DY_GAZ_ENTRY(p[i]) == c->best && !(p[i] & DY_GAZ_ALT)) alt_only = 0;
    }
    size_t letters = strlen(dy_gaz_str(g, c->nm->str));
    int single = c->last == c->first + 1;
    /* actors over it: a person ("Prince George"), or a demonym of another country ("Canadian"
     * is not Canadian, Texas; "Somali" is not Ethiopia's Somali Region) */
    for (uint32_t t = c->first; t < c->last; t++) {
        int32_t mi = s->tok_m ? s->tok_m[t] : -1;
        if (mi < 0 || (size_t)mi >= s->nm) continue;
        const dy_mention *m = &s->m[mi];
        int inside = m->first >= c->first && m->last <= c->last && m->last - m->first < c->last - c->first;
        int covers = m->first >= c->first && m->last <= c->last;
        /* a person, unless the place is longer ("Prince Edward Island" over "Prince Edward")
         * or is a new actor the title before it made up (the island taken for a person) */
        if ((m->flags & M_PERSON) && !inside && !(covers && (m->flags & M_NEW) && strong_kind)) {
            /* but a country opening a person's office is the country ("US Ambassador Jon
             * Huntsman"): a place that names whom, not where */
            if (e->kind == GZ_COUNTRY && m->first == c->first && m->last > c->last) return 3;
            return 1;
        }
        if (alt_only && e->kind == GZ_CITY) return 1;
        if (e->kind != GZ_COUNTRY && e->kind != GZ_REGION && c->actor_cc != DY_GAZ_NONE &&
            c->actor_cc != e->country && !names_in(g, c->nm, c->actor_cc))
            return 1;
    }
    uint16_t q = c->cues;
    int before = (q & CUE_BEFORE) != 0, after = (q & CUE_AFTER) != 0, at_start = (q & CUE_START) != 0;
    if (q & CUE_TITLE) return 1;
    /* a newspaper or an agency named after it ("The Washington Post", "The Canadian Press") */
    if ((q & CUE_AFTER) && tok_in(s, c->last, press_words)) return 3;
    /* a school, a hospital, a zoo of the place ("Cambridge University", "St. Cloud Hospital",
     * "the Alexandria Zoo"): the place, in a name */
    if ((q & CUE_FEATURE) && e->kind != GZ_COUNTRY && tok_in(s, c->last, institution_words)) return 3;
    /* after a state, a feature word is the state's service more often than a place named
     * after it ("Florida Highway Patrol", "Texas Forest Service") */
    if ((q & CUE_FEATURE) && e->kind == GZ_ADMIN1 && fc_is(e, "ADM1\0")) return 3;
    /* "Fraser Valley", "Scott County": another feature named after it */
    if ((q & CUE_FEATURE) && e->kind != GZ_COUNTRY) return 1;
    /* (a county goes on into its offices: "Anderson County Sheriff's Office") */
    if ((e->kind == GZ_REGION || e->kind == GZ_PLACE) && (before || (after && !fc_is(e, "ADM2\0")))) return 1;
    if (!strong_kind) {
        uint32_t pop = e->population;
        if (c->paired) return 0; /* "Pandi, Bulacan": the story says where it is */
        int loc = (q & CUE_LOCATIVE) != 0;
        if (q & CUE_CALENDAR) return 1;
        if (single && letters <= 3 && !(ev >= 2 && !alt_only && pop >= 10000)) return 2;
        if (alt_only && (letters <= 4 || (at_start && (c->nm->flags & NMF_COMMON)) || !(pop >= 100000 || ev >= 2)))
            return 2;
        if ((before || after) && pop < 100000 && !(ev >= 2 && pop >= 10000)) return 2;
        /* "Reading", "Mobile", "Geneva" (gin): a common word too, so a city only when
         * capitalised inside a sentence and big or said to be a place */
        if ((c->nm->flags & NMF_COMMON) && (at_start || !(pop >= 100000 || (loc && pop >= 20000)))) return 2;
        if (at_start && single && letters <= 3) return 2; /* "Of the several ..." */
        /* a small town needs the text to say it is a place: "in Pandi", "Pandi, Bulacan" */
        if (pop < 10000 && !loc) return 2;
        if (pop < 50000 && !loc && ev < 2) return 2;
        if (at_start && !loc && ev < 0.5f && pop < 20000) return 2;
        if (pop < 1000000 && (q & CUE_SPEECH) && !loc) return 2;
        if (single && pop < 500000 && !loc) {
            if (!surnames->h) collect_surnames(s, surnames);
            if (seen_has(surnames, word_hash(s, c->first))) return 2;
        }
    } else if (e->kind != GZ_COUNTRY && (c->nm->flags & NMF_COMMON)) {
        /* "Eastern", "Central", "Western": subdivisions named by a common word need the
         * story to be about their country, and never inside a longer name */
        if (before || after || (at_start && !is_ours(e)) || (ev < 1 && !is_ours(e))) return 1;
    }
    return 0;
}

/* One sense per story: a name accepted as a place in one mention ("stores in Gainesville") is
 * that place in its other mentions too ("Gainesville business owners", "Another Gainesville
 * firm"), unless those were refused for what they are (a person, a title, a longer name). */
static void same_name_same_place(dy_story_ctx *s, cands *cs)
{
    /* the accepted candidate of each name, in a small open-addressing table keyed by the name
     * record (linear in the candidates: a story may hold thousands) */
    size_t cap = 16;
    while (cap < cs->n * 2) cap *= 2;
    const cand **tab = dy_arena_calloc(s->a, cap * sizeof *tab);
    if (!tab) return;
    for (size_t k = 0; k < cs->n; k++) {
        const cand *o = &cs->c[k];
        if (o->rejected || o->how != PM_NAME) continue;
        size_t i = ((uintptr_t)o->nm * 0x9E3779B97F4A7C15ULL >> 20) & (cap - 1);
        while (tab[i] && tab[i]->nm != o->nm) i = (i + 1) & (cap - 1);
        if (!tab[i]) tab[i] = o;
    }
    for (size_t k = 0; k < cs->n; k++) {
        cand *c = &cs->c[k];
        if (c->rejected != 2 || c->how != PM_NAME) continue;
        size_t i = ((uintptr_t)c->nm * 0x9E3779B97F4A7C15ULL >> 20) & (cap - 1);
        while (tab[i] && tab[i]->nm != c->nm) i = (i + 1) & (cap - 1);
        if (!tab[i]) continue;
        c->rejected = 0;
        c->best = tab[i]->best;
        c->score = tab[i]->score;
    }
}

/* Builds the country evidence of focus and actors. Actor mentions over a place name
 * ("Paris" coded as France) are left out: which country they mean is what is being decided;
 * so is the focus when only such mentions make it, and agents that took the focus country. */
static void actor_evidence(const dy_story_ctx *s, geo *G, const cands *cs)
{
    uint8_t *count = dy_arena_calloc(s->a, G->ncountry);
    uint8_t *named = dy_arena_calloc(s->a, s->seg.ntok + 1);
    if (!count || !named) return;
    for (size_t k = 0; k < cs->n; k++)
        for (uint32_t t = cs->c[k].first; t < cs->c[k].last; t++) named[t] = 1;
    for (size_t k = 0; k < s->nm; k++) {
        const dy_mention *m = &s->m[k];
        /* only actors named by their own words: an agent alone ("officials") or a new actor
         * took the focus country, which is not evidence of it */
        if ((m->flags & (M_PRONOUN | M_NEW)) || !m->name) continue;
        int over = 0;
        for (uint32_t t = m->first; t < m->last && t < s->seg.ntok; t++) over |= named[t];
        if (over) continue;
        for (uint8_t j = 0; j < m->ncode; j++) {
            if (strlen(m->code[j]) < 3 || !dy_is_country(s->d, m->code[j])) continue;
            uint16_t c = dy_gaz_country_find(G->g, m->code[j], 3);
            if (c != DY_GAZ_NONE && count[c] < 255) count[c]++;
        }
    }
    for (uint16_t c = 0; c < G->ncountry; c++) G->cev[c] = 0.8f * (count[c] > 3 ? 3 : count[c]);
    if (G->focus != DY_GAZ_NONE && count[G->focus]) G->cev[G->focus] += 2.5f;
}

/* Adds the place evidence of the accepted candidates: each distinct name counts once for the
 * country of its resolution (+1.2) and names its subdivision. */
static void place_evidence(const dy_story_ctx *s, geo *G, cands *cs)
{
    if (G->ev_unlisted) {
        memset(G->pev, 0, G->ncountry * sizeof *G->pev);
        memset(G->a1_named, 0, G->nadmin1);
        memset(G->a1_count, 0, G->ncountry);
        memset(G->a1_places, 0, G->nadmin1);
    } else {
        for (size_t k = 0; k < G->nev_country; k++) G->pev[G->ev_country[k]] = 0, G->a1_count[G->ev_country[k]] = 0;
        for (size_t k = 0; k < G->nev_admin1; k++) G->a1_named[G->ev_admin1[k]] = 0, G->a1_places[G->ev_admin1[k]] = 0;
    }
    /* each candidate writes at most one country and one subdivision */
    G->ev_country = dy_arena_alloc(s->a, (cs->n + 1) * sizeof *G->ev_country);
    G->ev_admin1 = dy_arena_alloc(s->a, (cs->n + 1) * sizeof *G->ev_admin1);
    G->nev_country = G->nev_admin1 = 0;
    G->ev_unlisted = !G->ev_country || !G->ev_admin1;
    /* distinct (name, entry) pairs, in a small open-addressing set */
    size_t cap = 16;
    while (cap < cs->n * 2) cap *= 2;
    uint64_t *seen = dy_arena_calloc(s->a, cap * sizeof *seen);
    for (size_t k = 0; k < cs->n; k++) {
        cand *c = &cs->c[k];
        c->own = 0;
        if (c->how != PM_NAME || c->rejected || c->best == DY_GAZ_NOENTRY) continue;
        const dy_gaz_entry *e = dy_gaz_entry_at(G->g, c->best);
        if (!G->ev_unlisted) { /* what this candidate may write below */
            if (e->country < G->ncountry) G->ev_country[G->nev_country++] = e->country;
            if (e->admin1 < G->nadmin1) G->ev_admin1[G->nev_admin1++] = e->admin1;
        }
        if (e->country < G->ncountry) {
            uint64_t key = ((uint64_t)(uintptr_t)c->nm << 20 ^ c->best) | 1, i = (key * 0x9E3779B97F4A7C15ULL) >> 40;
            int dup = 0;
            if (seen) {
                for (i &= cap - 1; seen[i] && seen[i] != key; i = (i + 1) & (cap - 1)) {}
                dup = seen[i] == key;
                seen[i] = key;
            }
            c->own = 1.2f; /* a repeated name: its evidence is the first one's */
            if (!dup) G->pev[e->country] += 1.2f;
            if (!dup && e->kind > GZ_ADMIN1 && e->admin1 < G->nadmin1 && G->a1_places[e->admin1] < 255)
                G->a1_places[e->admin1]++;
        }
        if (e->kind == GZ_ADMIN1 && e->admin1 < G->nadmin1 && !(G->a1_named[e->admin1] & 1)) {
            G->a1_named[e->admin1] |= 1;
            if (e->country < G->ncountry && G->a1_count[e->country] < 255) G->a1_count[e->country]++;
        }
    }
    G->ev_sum = 0;
    for (uint16_t k = 0; k < G->ncountry; k++) G->ev_sum += G->pev[k] + G->cev[k];
    /* a local paper's story that names another subdivision of its country, and not its own, is
     * about there: its home does not decide its towns ("Gainesville" next to "Texas" in a
     * Florida paper) */
    G->away = G->home_a1 != DY_GAZ_NONE && G->home_cc < G->ncountry && G->a1_count[G->home_cc] &&
              !(G->a1_named[G->home_a1] & 1);
}

/* The entry that locates entry ei: itself when it has coordinates; for a subdivision known
 * only by name (a county, a province), its first-level parent or else its country, which is
 * what the story supports rather than a guess; DY_GAZ_NOENTRY if nothing has coordinates. */
static uint32_t locatable(const dy_gazetteer *g, uint32_t ei)
{
    if (ei == DY_GAZ_NOENTRY) return ei;
    const dy_gaz_entry *e = dy_gaz_entry_at(g, ei);
    if (!(e->flags & GZF_NOCOORD)) return ei;
    if (e->admin1 != DY_GAZ_NONE) {
        uint32_t pi = dy_gaz_admin1_at(g, e->admin1)->entry;
        if (pi != DY_GAZ_NOENTRY && pi != ei && !(dy_gaz_entry_at(g, pi)->flags & GZF_NOCOORD)) return pi;
    }
    if (e->country == DY_GAZ_NONE) return DY_GAZ_NOENTRY;
    uint32_t ci = dy_gaz_country_at(g, e->country)->entry;
    return dy_gaz_entry_at(g, ci)->flags & GZF_NOCOORD ? DY_GAZ_NOENTRY : ci;
}

typedef struct by_entry {
    uint32_t entry, index;
} by_entry;

static int cmp_by_entry(const void *a, const void *b)
{
    const by_entry *x = a, *y = b;
    if (x->entry != y->entry) return x->entry < y->entry ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Marks the story's own place (PMF_STORY): its dateline, else the place (city or
 * subdivision) of the focus country it names most often, at least twice; none if no place
 * stands out. */
static void mark_story_place(dy_story_ctx *s, const geo *G, dy_place_mention *pm, size_t np)
{
    for (size_t k = 0; k < np; k++)
        if ((pm[k].flags & PMF_DATELINE) && pm[k].entry != DY_GAZ_NOENTRY && pm[k].precision >= DY_LOC_COUNTRY) {
            pm[k].flags |= PMF_STORY;
            return;
        }
    if (G->focus == DY_GAZ_NONE || !np) return;
    by_entry *v = dy_arena_alloc(s->a, np * sizeof *v);
    if (!v) return;
    size_t n = 0;
    for (size_t k = 0; k < np; k++)
        if (pm[k].entry != DY_GAZ_NOENTRY && pm[k].precision >= DY_LOC_ADMIN1 &&
            dy_gaz_entry_at(G->g, pm[k].entry)->country == G->focus)
            v[n].entry = pm[k].entry, v[n].index = (uint32_t)k, n++;
    qsort(v, n, sizeof *v, cmp_by_entry);
    size_t best = 0, bn = 1;
    uint32_t bi = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && v[j].entry == v[i].entry) j++;
        if (j - i > bn || (j - i == bn && best && v[i].index < bi)) best = 1, bn = j - i, bi = v[i].index;
        i = j;
    }
    if (best) pm[bi].flags |= PMF_STORY;
}

/* The subdivisions the story's towns, counties and subdivisions lie in (s->regions: their ISO
 * 3166-2 codes, "US-OH US-IN", each once, in order of first mention; "" if none), counting only
 * names resolved beyond doubt. Demonyms and modifiers say whom, not where, and do not count. */
static void story_regions(dy_story_ctx *s, const dy_gazetteer *g, const dy_place_mention *pm, size_t np)
{
    uint16_t seen[32];
    size_t ns = 0, len = 0;
    char *out = dy_arena_alloc(s->a, 32 * 12 + 1);
    s->regions = "";
    if (!out) return;
    out[0] = 0;
    for (size_t k = 0; k < np && ns < 32; k++) {
        if (pm[k].how != PM_NAME || pm[k].entry == DY_GAZ_NOENTRY || pm[k].precision < DY_LOC_ADMIN1) continue;
        uint16_t a = dy_gaz_entry_at(g, pm[k].entry)->admin1;
        if (a == DY_GAZ_NONE) continue;
        /* only names the story leaves in no doubt: a Paris or a Dublin of another country
         * within 3 points, or a town of another subdivision within half a point, would teach
         * a paper the famous one's home */
        if (pm[k].nalt > 1) {
            const dy_gaz_entry *e = dy_gaz_entry_at(g, pm[k].entry), *r = dy_gaz_entry_at(g, pm[k].alt[1]);
            float margin = pm[k].altsc[0] - pm[k].altsc[1];
            if (r->country != e->country ? margin < 3 : r->admin1 != a && margin < 0.5f) continue;
        }
        size_t i = 0;
        while (i < ns && seen[i] != a) i++;
        if (i < ns) continue;
        seen[ns++] = a;
        const dy_gaz_admin1 *r = dy_gaz_admin1_at(g, a);
        if (!r->iso[0]) continue;
        len += (size_t)snprintf(out + len, 13, "%s%s-%s", len ? " " : "", dy_gaz_country_at(g, r->country)->iso2, r->iso);
    }
    s->regions = out;
}

/* ==== the stage ========================================================================== */

/* Whether the words of w are a gazetteer name of something more than small towns: a country,
 * a subdivision, a place of ours or a town of 10,000 people or more ("London", "Jordan"; not
 * "Indian" or "Canadian", names of a few small towns). */
static int names_more_than_hamlets(const dy_story_ctx *s, const dy_gazetteer *g, const dy_country_word *w)
{
    uint32_t a = s->seg.tok[w->first].start, b = s->seg.tok[w->last - 1].start + s->seg.tok[w->last - 1].len;
    char key[DY_GAZ_KEY_MAX + 1];
    int n = dy_gaz_normalise(s->text + a, b - a, key, sizeof key);
    const dy_gaz_name *nm = n > 0 ? dy_gaz_lookup(g, key, (size_t)n) : NULL;
    size_t np = 0;
    const uint32_t *p = nm ? dy_gaz_postings(g, nm, &np) : NULL;
    for (size_t i = 0; i < np; i++) {
        const dy_gaz_entry *e = dy_gaz_entry_at(g, DY_GAZ_ENTRY(p[i]));
        if (e->kind != GZ_CITY || e->population >= 10000) return 1;
    }
    return 0;
}

/* The words naming a country's or a region's people (the actor dictionary's country and
 * region phrases, s->cword) that no candidate covers: "Sudanese", "Sri Lankan", "Europeans".
 * Each becomes a demonym mention of its country, or of the region the dictionary names. They
 * add no evidence (the actor stage counted them) and locate no event. */
static int find_demonyms(dy_story_ctx *s, const geo *G, cands *cs)
{
    if (!s->ncword) return 0;
    /* the tokens the candidates cover: 1 by refused ones only, 2 by a kept one */
    uint8_t *cover = dy_arena_calloc(s->a, s->seg.ntok + 1);
    if (!cover) return -1;
    for (size_t j = 0; j < cs->n; j++)
        for (uint32_t t = cs->c[j].first; t < cs->c[j].last && t < s->seg.ntok; t++)
            if (cover[t] < 2) cover[t] = cs->c[j].rejected ? 1 : 2;
    for (size_t k = 0; k < s->ncword; k++) {
        const dy_country_word *w = &s->cword[k];
        int over = 0, over_kept = 0;
        for (uint32_t t = w->first; t < w->last && t < s->seg.ntok; t++) over |= cover[t] != 0, over_kept |= cover[t] == 2;
        if (over_kept) continue;
        uint32_t entry = DY_GAZ_NOENTRY;
        if (dy_is_country(s->d, w->code)) {
            uint16_t c = dy_gaz_country_find(G->g, w->code, 3);
            if (c != DY_GAZ_NONE) entry = dy_gaz_country_at(G->g, c)->entry;
            /* a refused name is a demonym only when it names no more than small towns
             * ("Indian", refused as a hamlet, is India's people; "Jordan" in "Michael Jordan"
             * is not) */
            if (over && names_more_than_hamlets(s, G->g, w)) continue;
        } else {
            if (over) continue;
            /* a region: the gazetteer's region of the dictionary's name for it ("Europe") */
            const char *name = s->d->actors[w->actor].name;
            char key[DY_GAZ_KEY_MAX + 1];
            int n = dy_gaz_normalise(name, strlen(name), key, sizeof key);
            const dy_gaz_name *nm = n > 0 ? dy_gaz_lookup(G->g, key, (size_t)n) : NULL;
            size_t np = 0;
            const uint32_t *p = nm ? dy_gaz_postings(G->g, nm, &np) : NULL;
            for (size_t i = 0; i < np && entry == DY_GAZ_NOENTRY; i++)
                if (precision_of(dy_gaz_entry_at(G->g, DY_GAZ_ENTRY(p[i]))) == DY_LOC_REGION)
                    entry = DY_GAZ_ENTRY(p[i]);
        }
        if (entry == DY_GAZ_NOENTRY) continue;
        cand *c = push(s, cs);
        if (!c) return -1;
        c->first = w->first;
        c->last = w->last;
        c->sent = s->tok_sent[w->first];
        c->how = PM_DEMONYM;
        c->best = entry;
        c->score = 1;
    }
    return 0;
}

static int cmp_mention(const void *a, const void *b)
{
    const dy_place_mention *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return x->end > y->end ? -1 : x->end < y->end;
}

/* The country of a source's web address by its country-code top-level domain ("lfpress.ca",
 * "www.nlhnews.co.uk", "http://www.jpost.co.il/..."), for a story whose source has no home
 * region given or learnt: a paper on a national domain writes from that country. Domains sold
 * for other meanings (.tv, .io, .fm, ...) say nothing. DY_GAZ_NONE if none. */
static uint16_t tld_country(const dy_gazetteer *g, const char *src)
{
    static const char *const generic[] = {"tv", "io", "co", "me", "fm", "ai", "ly", "to", "cc", "ws",
                                          "nu", "tk", "am", "gg", "la", "so"};
    if (!src || !*src) return DY_GAZ_NONE;
    const char *h = strstr(src, "://");
    h = h ? h + 3 : src;
    size_t n = strcspn(h, "/:?# ");
    const char *dot = NULL;
    for (size_t i = 0; i < n; i++)
        if (h[i] == '.') dot = h + i;
    if (!dot || h + n - dot != 3) return DY_GAZ_NONE;
    char cc[3] = {(char)dy_tolower(dot[1]), (char)dy_tolower(dot[2]), 0};
    for (size_t i = 0; i < sizeof generic / sizeof *generic; i++)
        if (!strcmp(cc, generic[i])) return DY_GAZ_NONE;
    if (!strcmp(cc, "uk")) memcpy(cc, "gb", 2);
    cc[0] = (char)dy_toupper(cc[0]), cc[1] = (char)dy_toupper(cc[1]);
    return dy_gaz_country_find(g, cc, 2);
}

int dy_places_find(dy_story_ctx *s)
{
    const dy_gazetteer *g = dy_gazetteer_builtin();
    s->gazetteer = g;
    s->place = NULL;
    s->nplace = 0;
    if (!g || !s->seg.ntok) return 0;
    const dy_gaz_header *h = (const dy_gaz_header *)g->base;
    geo G = {.g = g, .ncountry = (uint16_t)h->ncountry, .nadmin1 = (uint16_t)h->nadmin1, .focus = DY_GAZ_NONE,
             .home_cc = DY_GAZ_NONE, .home_a1 = DY_GAZ_NONE, .ev_unlisted = 1};
    G.cev = dy_arena_calloc(s->a, G.ncountry * sizeof *G.cev);
    G.pev = dy_arena_calloc(s->a, G.ncountry * sizeof *G.pev);
    G.a1_named = dy_arena_calloc(s->a, G.nadmin1 + 1u);
    G.a1_count = dy_arena_calloc(s->a, G.ncountry);
    G.a1_places = dy_arena_calloc(s->a, G.nadmin1 + 1u);
    G.a1_cand = dy_arena_calloc(s->a, (G.nadmin1 + 1u) * sizeof *G.a1_cand);
    if (!G.cev || !G.pev || !G.a1_named || !G.a1_count || !G.a1_places || !G.a1_cand) return -1;
    if (s->focus[0]) G.focus = dy_gaz_country_find(g, s->focus, 3);
    G.home_cc = G.home_a1 = DY_GAZ_NONE;
    if (s->home) region_parse(g, s->home, &G.home_cc, &G.home_a1);
    else if (s->in) G.home_cc = tld_country(g, s->in->url && *s->in->url ? s->in->url : s->in->source);

    cands cs = {0};
    if (find_names(s, g, &cs)) return -1;
    actor_evidence(s, &G, &cs);
    if (G.home_cc != DY_GAZ_NONE) G.cev[G.home_cc] += 2; /* the home country, as a focus */
    /* pass 1: focus and actors; pass 2: the places named too; then the weak are dropped,
     * which can change the evidence, so once more */
    for (size_t k = 0; k < cs.n; k++) resolve(s, &G, &cs, k, 0), cs.c[k].best1 = cs.c[k].best;
    names_seen surnames = {NULL, 0}; /* built when a weak town first needs it */
    for (size_t k = 0; k < cs.n; k++) cs.c[k].rejected = (uint8_t)too_weak(s, &G, &cs.c[k], &surnames);
    candidate_regions(s, &G, &cs);
    for (int round = 0; round < 2; round++) {
        place_evidence(s, &G, &cs);
        for (size_t k = 0; k < cs.n; k++) resolve(s, &G, &cs, k, 1);
        for (size_t k = 0; k < cs.n; k++) cs.c[k].rejected = (uint8_t)too_weak(s, &G, &cs.c[k], &surnames);
    }
    same_name_same_place(s, &cs);
    place_evidence(s, &G, &cs);
    if (find_phrases(s, &G, &cs)) return -1;

    if (find_demonyms(s, &G, &cs)) return -1;

    for (size_t k = 0; k < cs.n; k++)
        if (cs.c[k].rejected == 3) cs.c[k].rejected = 0, cs.c[k].how = PM_MODIFIER;
    size_t keep = 0;
    for (size_t k = 0; k < cs.n; k++) keep += !cs.c[k].rejected;
    dy_place_mention *pm = dy_arena_alloc(s->a, (keep + 1) * sizeof *pm);
    if (!pm) return -1;
    size_t np = 0;
    for (size_t k = 0; k < cs.n; k++) {
        const cand *c = &cs.c[k];
        if (c->rejected) continue;
        dy_place_mention *m = &pm[np++];
        memset(m, 0, sizeof *m);
        m->first = c->first;
        m->last = c->last;
        m->sent = c->sent;
        m->start = c->bend ? c->bstart : s->seg.tok[c->first].start;
        m->end = c->bend ? c->bend : s->seg.tok[c->last - 1].start + s->seg.tok[c->last - 1].len;
        m->how = c->how;
        m->flags = c->flags;
        m->score = c->score;
        m->entry = DY_GAZ_NOENTRY;
        m->nalt = c->how == PM_NAME || c->how == PM_MODIFIER ? c->nalt : 0;
        for (int j = 0; j < m->nalt; j++) m->alt[j] = c->alt[j], m->altsc[j] = c->altsc[j];
        if (c->how == PM_NAME || c->how == PM_DEMONYM || c->how == PM_MODIFIER) {
            m->entry = c->best;
        } else if (c->country != DY_GAZ_NONE) {
            m->entry = c->how == PM_CAPITAL ? dy_gaz_capital(g, c->country) : dy_gaz_country_at(g, c->country)->entry;
        }
        m->entry = locatable(g, m->entry);
        if (m->entry != DY_GAZ_NOENTRY) m->precision = (uint8_t)precision_of(dy_gaz_entry_at(g, m->entry));
    }
    qsort(pm, np, sizeof *pm, cmp_mention);
    /* character offsets: starts in one walk over the text (mentions are in start order),
     * ends by counting within each mention, which is short */
    size_t byte = 0, chars = 0;
    for (size_t k = 0; k < np; k++) {
        for (; byte < pm[k].start; byte++)
            if (((unsigned char)s->text[byte] & 0xC0) != 0x80) chars++;
        pm[k].cstart = (uint32_t)chars;
        size_t n = 0;
        for (size_t i = pm[k].start; i < pm[k].end; i++) n += ((unsigned char)s->text[i] & 0xC0) != 0x80;
        pm[k].cend = (uint32_t)(chars + n);
    }
    mark_story_place(s, &G, pm, np);
    story_regions(s, g, pm, np);
    s->place = pm;
    s->nplace = np;
    return 0;
}

/* ==== output ============================================================================= */

/* The name of an entry's admin1 (its subdivision's display name), or NULL. */
static const char *admin1_name(const dy_gazetteer *g, const dy_gaz_entry *e)
{
    if (e->admin1 == DY_GAZ_NONE) return NULL;
    const dy_gaz_admin1 *a = dy_gaz_admin1_at(g, e->admin1);
    if (a->entry == DY_GAZ_NOENTRY) return NULL;
    return dy_gaz_str(g, dy_gaz_entry_at(g, a->entry)->name);
}

/* Writes the resolved fields of entry ei (prefix: "name" or "resolved_place"). */
static void put_resolved(const dy_gazetteer *g, uint32_t ei, int precision, const char *name_key, dy_buf *o)
{
    const dy_gaz_entry *e = dy_gaz_entry_at(g, ei);
    dy_buf_printf(o, "\"%s\":", name_key);
    dy_buf_json_cstr(o, dy_gaz_str(g, e->name));
    dy_buf_puts(o, ",\"geonameid\":");
    if (e->geonameid) dy_buf_printf(o, "%u", e->geonameid);
    else dy_buf_puts(o, "null");
    dy_buf_printf(o, ",\"lat\":%.5f,\"lon\":%.5f,\"admin1\":", e->lat / 1e6, e->lon / 1e6);
    dy_buf_json_cstr(o, e->kind >= GZ_ADMIN1 ? admin1_name(g, e) : NULL);
    dy_buf_puts(o, ",\"country_code\":");
    dy_buf_json_cstr(o, e->country != DY_GAZ_NONE ? dy_gaz_country_at(g, e->country)->iso3 : NULL);
    char fc[7];
    memcpy(fc, e->fcode, 6);
    fc[6] = 0;
    dy_buf_puts(o, ",\"feature_code\":");
    dy_buf_json_cstr(o, fc[0] ? fc : NULL);
    dy_buf_printf(o, ",\"precision\":\"%s\"", dy_place_precision_name(precision));
}

/* The "kind" of a mention in `dyad places`, by PM_*. */
static const char *const how_name[7] = {"name", "name", "capital", "part", "border", "demonym", "modifier"};

void dy_places_jsonl(const dy_story_ctx *s, dy_buf *out)
{
    const dy_gazetteer *g = s->gazetteer;
    const char *sid = s->in && s->in->id ? s->in->id : "";
    for (size_t k = 0; k < s->nplace; k++) {
        const dy_place_mention *m = &s->place[k];
        dy_buf_puts(out, "{\"story_id\":");
        dy_buf_json_cstr(out, sid);
        dy_buf_printf(out, ",\"start\":%u,\"end\":%u,\"text\":", m->cstart, m->cend);
        dy_buf_json_str(out, s->text + m->start, m->end - m->start);
        dy_buf_printf(out, ",\"kind\":\"%s\",\"resolved\":", how_name[m->how < 7 ? m->how : 0]);
        if (g && m->entry != DY_GAZ_NOENTRY) {
            dy_buf_putc(out, '{');
            put_resolved(g, m->entry, m->precision, "name", out);
            dy_buf_putc(out, '}');
        } else {
            dy_buf_puts(out, "null");
        }
        if (s->opt && s->opt->explain && g) { /* the entries that were weighed, best first */
            dy_buf_puts(out, ",\"candidates\":[");
            for (int j = 0; j < m->nalt; j++) {
                const dy_gaz_entry *e = dy_gaz_entry_at(g, m->alt[j]);
                const char *a1 = e->kind >= GZ_ADMIN1 ? admin1_name(g, e) : NULL;
                dy_buf_puts(out, j ? ",{\"name\":" : "{\"name\":");
                dy_buf_json_cstr(out, dy_gaz_str(g, e->name));
                dy_buf_puts(out, ",\"admin1\":");
                dy_buf_json_cstr(out, a1);
                dy_buf_puts(out, ",\"country_code\":");
                dy_buf_json_cstr(out, e->country != DY_GAZ_NONE ? dy_gaz_country_at(g, e->country)->iso3 : NULL);
                dy_buf_printf(out, ",\"population\":%u,\"score\":%.2f}", e->population, m->altsc[j]);
            }
            dy_buf_putc(out, ']');
        }
        dy_buf_puts(out, "}\n");
    }
}

/* ==== the event's place ================================================================== */

/* Nouns that say a name is a place of that kind: "the town of X", "X village". */
static const char *const place_nouns[] = {
    "city", "cities", "town", "towns", "village", "villages", "hamlet", "province", "provinces",
    "district", "districts", "region", "county", "governorate", "area", "suburb", "suburbs",
    "neighbourhood", "neighborhood", "municipality", "camp", "port", "island", "enclave",
    "locality", "township", "capital", "state", "countryside", NULL};

/* Capitalised words that end the name of an organisation or a building: "in X" after them
 * says where that is ("the Pasteur Institute in Paris"), not where anything happened. */
static const char *const org_words[] = {
    "institute", "university", "college", "hospital", "school", "bank", "company", "corporation",
    "corp", "inc", "ltd", "group", "club", "exchange", "museum", "embassy", "consulate", "office",
    "agency", "centre", "center", "foundation", "council", "commission", "committee", "ministry",
    "court", "association", "union", "church", "hotel", NULL};

/* Words before "of" or "from" that make the place a reference point: "south of X", "30 km from X". */
static const char *const bearing_words[] = {
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
    "north-east", "north-west", "south-east", "south-west", "km", "kms", "kilometres",
    "kilometers", "kilometre", "kilometer", "miles", "mile", "outskirts", NULL};

/* Words between a preposition and a place that leave it where it was: "in downtown Beirut",
 * "in the northern province of Jawzjan", "in northeast Iraq" (but "north of X" is a bearing). */
static const char *const part_words[] = {
    "northern", "southern", "eastern", "western", "northeastern", "northwestern", "southeastern",
    "southwestern", "north-eastern", "north-western", "south-eastern", "south-western", "north",
    "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "central",
    "downtown", "suburban", "rural", "restive", "remote", "troubled", "occupied", "small", NULL};

/* Prepositions that put a place beside what happened rather than around it: "near X". */
static const char *const beside_words[] = {"near", "nearby", "outside", "beyond", NULL};

/* Verbs of leaving or heading off: "to X" or "for X" after them names where someone went,
 * not where the event happened ("fighters headed to Al-Bab", "families fled to Turkey"). */
static const char *const departure_words[] = {
    "headed", "heading", "bound", "advance", "advanced", "advances", "advancing", "fled",
    "flee", "flees", "fleeing", "retreated", "retreating", "withdrew", "withdrawn",
    "withdrawing", "escaped", "evacuated", NULL};

/* Words after a place in a name that make the name a place's own institution, in the place
 * ("Kabul University", "the Ramallah District Court"). Not hotels, centres or markets, which
 * are as often named after a brand or a person. */
static const char *const venue_words[] = {
    "university", "college", "airport", "hospital", "court", "courthouse", "campus", "prison",
    "jail", NULL};

/* Words before "in X" or "at X" that make X where something was said or who said it ("told
 * reporters in Awka", "a spokesman in Tokyo"). */
static const char *const speech_place_words[] = {
    "said", "says", "told", "reporters", "journalists", "spoke", "speaking", "statement",
    "conference", "interview", "briefing", "spokesman", "spokeswoman", "spokesperson", "sources",
    "source", "diplomats", NULL};

/* People named by where they work or study: "a professor at X University". */
static const char *const member_words[] = {
    "professor", "lecturer", "researcher", "economist", "analyst", "expert", "scientist",
    "director", "dean", "head", "spokesman", "spokeswoman",
    "fellow", "scholar", "doctor", "surgeon", NULL};

/* Whether a modifier ("Kabul" in "Kabul University") names an institution or a building of
 * its place: then what happens there happens in the place. Its name may run on for a word
 * ("the Ramallah District Court"). Newspapers and offices stay modifiers. */
static int venue_of_place(const dy_story_ctx *s, const dy_place_mention *m)
{
    uint32_t sfirst = s->seg.sent[m->sent].first, send = sfirst + s->seg.sent[m->sent].count;
    uint32_t j = m->first > sfirst && tok_is(s, m->first - 1, "the") ? m->first - 1 : m->first;
    /* "a professor at Soochow University": whom a person works for, not where anything happened */
    if (j >= sfirst + 2 && (tok_is(s, j - 1, "at") || tok_is(s, j - 1, "of") || tok_is(s, j - 1, "from")) &&
        tok_in(s, j - 2, member_words))
        return 0;
    for (uint32_t t = m->last; t < send && t < m->last + 2 && tok_upper(s, t); t++)
        if (tok_in(s, t, venue_words)) return 1;
    return 0;
}

/* How good a mention is as an event's place: the more precise the better (a district over
 * the city holding it, a named place over the dateline); a region (a sea, a continent) only
 * when nothing else is there. */
static int loc_rank(const dy_story_ctx *s, const dy_place_mention *m)
{
    if (m->entry == DY_GAZ_NOENTRY || m->how == PM_DEMONYM) return 0;
    if (m->how == PM_MODIFIER && !venue_of_place(s, m)) return 0;
    int r;
    switch (m->precision) {
    case DY_LOC_PLACE: r = dy_gaz_entry_at(s->gazetteer, m->entry)->kind == GZ_PLACE ? 10 : 8; break;
    case DY_LOC_ADMIN1: r = 6; break;
    case DY_LOC_COUNTRY: r = 4; break;
    case DY_LOC_REGION: r = 2; break;
    default: return 0;
    }
    return r + !(m->flags & PMF_DATELINE);
}

/* Whether a mention says whose rather than where: the home of an organisation ("the New
 * York-based group", "the Iran-contra affair"), the first word of an actor's name or of a
 * country's longer name ("the U.S. Navy", "Saudi Arabia's foreign minister", "Georgia Tech"),
 * the owner of an actor ("Gouda's military"), where the teller was ("a spokesman in Tokyo
 * said"). Such a place is the event's only when the sentence names no other. But what is said
 * is said where its speaker is: the speaker's own place (mention `speaker`) is not weak. */
static int loc_weak(const dy_story_ctx *s, const dy_place_mention *m, int32_t speaker)
{
    const dy_token *last = &s->seg.tok[m->last - 1];
    uint32_t tend = last->start + last->len;
    /* a part of a hyphenated word other than "X-area": "New York-based", "the Iran-contra
     * affair", "the Cotabato-Isulan Highway" */
    if (m->start > s->seg.tok[m->first].start || (m->end < tend && strncmp(s->text + m->end, "-area", 5)))
        return 1;
    uint32_t sfirst = s->seg.sent[m->sent].first, send = sfirst + s->seg.sent[m->sent].count, t = m->last;
    if (m->how == PM_MODIFIER) return 0;
    int32_t mi = s->tok_m ? s->tok_m[m->first] : -1;
    /* where the teller was: "told reporters in Awka", "a security source in Beirut said" */
    if (m->first >= sfirst + 2 && (tok_is(s, m->first - 1, "in") || tok_is(s, m->first - 1, "at")) &&
        tok_in(s, m->first - 2, speech_place_words) && (mi < 0 || mi != speaker))
        return 1;
    /* (not "Wellington and Auckland", a compound actor of places) */
    if (mi >= 0 && (size_t)mi < s->nm && mi != speaker && s->m[mi].last > m->last && !(s->m[mi].flags & M_CITY) &&
        (s->m[mi].first == m->first || (s->m[mi].first + 1 == m->first && tok_is(s, m->first - 1, "the"))) &&
        !(s->seg.tok[m->last].flags & TK_PUNCT) && !tok_is(s, m->last, "and") && !tok_is(s, m->last, "or"))
        return 1;
    if (t >= send) return 0;
    if (last->flags & TK_POSS) { /* "Gouda's military": the word after the 's opens an actor */
        t++;
        mi = s->tok_m && t < send ? s->tok_m[t] : -1;
        return mi >= 0 && (size_t)mi < s->nm && mi != speaker && s->m[mi].first == t && !(s->m[mi].flags & M_CITY);
    }
    /* a country going on into a capitalised word that is no place (a state's "Delaware
     * Chancery Court" is in the state; a country's navy or airline anywhere) */
    if (m->precision != DY_LOC_COUNTRY) return 0;
    if (!tok_upper(s, t) || (s->seg.tok[t].flags & TK_PUNCT) || tok_in(s, t, calendar_words)) return 0;
    for (size_t k = 0; k < s->nplace; k++)
        if (s->place[k].first == t) return 0; /* "Damascus Syria", "Kenya Somalia border" */
    return 1;
}

/* Whether a possessive place holds another place named right after it ("Syria's Dabiq",
 * "Mogadishu's Hamar Weyne district", "Shahbazpur's northern provinces of X"): then it is the
 * larger of the two. Only names, "northern", "province", "of" and "and" may come between. */
static int holds_next_place(const dy_story_ctx *s, const dy_place_mention *m)
{
    uint32_t send = s->seg.sent[m->sent].first + s->seg.sent[m->sent].count;
    for (uint32_t t = m->last + 1; t < send && t <= m->last + 8; t++) {
        for (size_t k = 0; k < s->nplace; k++)
            if (s->place[k].first == t && loc_rank(s, &s->place[k])) return 1;
        if (!(tok_upper(s, t) && !(s->seg.tok[t].flags & TK_PUNCT)) && !tok_in(s, t, part_words) &&
            !tok_in(s, t, place_nouns) && !tok_is(s, t, "of") && !tok_is(s, t, "and"))
            return 0;
    }
    return 0;
}

/* How a mention's own words tie it to what happened: 2 all over it ("across X", "throughout
 * X"), 1 where it happened ("in X", "the town of X", "X town"), -1 a point of reference or a
 * destination ("near X", "south of X", "30 km from X", "headed to X") or a place that holds
 * another ("Syria's Dabiq"), 0 none of these (and "the Pasteur Institute in Paris", which
 * says where the institute is). */
static int loc_role(const dy_story_ctx *s, const dy_place_mention *m)
{
    uint32_t sfirst = s->seg.sent[m->sent].first, send = sfirst + s->seg.sent[m->sent].count;
    const dy_token *last = &s->seg.tok[m->last - 1];
    if ((last->flags & TK_POSS) && holds_next_place(s, m)) return -1;
    int np = m->last < send && tok_in(s, m->last, place_nouns); /* "Ampatuan town" */
    uint32_t j = m->first;
    if (j > sfirst && tok_is(s, j - 1, "of")) { /* "the (northern) town of X": before the phrase */
        for (uint32_t k = j - 1; k > sfirst && k + 4 > j; k--)
            if (tok_in(s, k - 1, place_nouns)) {
                np = 1;
                j = k - 1;
                break;
            }
    }
    while (j > sfirst && j + 4 > m->first && !(s->seg.tok[j - 1].flags & TK_PUNCT) &&
           (tok_is(s, j - 1, "the") || tok_is(s, j - 1, "a") || tok_in(s, j - 1, part_words) ||
            (np && !tok_upper(s, j - 1) && !tok_in(s, j - 1, locatives) && !tok_in(s, j - 1, beside_words) &&
             !tok_is(s, j - 1, "of"))))
        j--;
    if (j <= sfirst) return np;
    if (tok_in(s, j - 1, beside_words) || tok_is(s, j - 1, "toward") || tok_is(s, j - 1, "towards")) return -1;
    if ((tok_is(s, j - 1, "of") || tok_is(s, j - 1, "from")) && j - 1 > sfirst && tok_in(s, j - 2, bearing_words))
        return -1;
    if ((tok_is(s, j - 1, "to") || tok_is(s, j - 1, "for") || tok_is(s, j - 1, "on")) && j - 1 > sfirst &&
        tok_in(s, j - 2, departure_words))
        return -1;
    if (tok_is(s, j - 1, "across") || tok_is(s, j - 1, "throughout")) return 2;
    /* "the Pasteur Institute in Paris": the place of that name, not of what happened */
    if ((tok_is(s, j - 1, "in") || tok_is(s, j - 1, "at")) && j >= sfirst + 2 && tok_upper(s, j - 2) &&
        tok_in(s, j - 2, org_words))
        return 0;
    if (tok_is(s, j - 1, "in") || tok_is(s, j - 1, "at") || tok_is(s, j - 1, "inside") || tok_is(s, j - 1, "within"))
        return 1;
    return np;
}

/* A mention weighed as an event's place: not weak first, then loc_rank, then loc_role; the
 * same in all three is settled by the focus country, then by order. */
typedef struct loc_pick {
    const dy_place_mention *m;
    int strong, rank, role, focus;
} loc_pick;

static int pick_better(const loc_pick *a, const loc_pick *b)
{
    if (!b->m) return a->m != NULL;
    if (a->strong != b->strong) return a->strong > b->strong;
    if (a->rank != b->rank) return a->rank > b->rank;
    if (a->role != b->role) return a->role > b->role;
    return a->focus > b->focus;
}

/* The best mention of sentence si (see loc_pick); with in_cc set, only places (towns,
 * subdivisions) lying in that country, and with in_a1 set, in that subdivision. Mentions
 * are in text order, so a sentence's are together: found by binary search. */
static loc_pick best_in_sentence(const dy_story_ctx *s, uint32_t si, uint16_t in_cc, uint16_t in_a1, int32_t speaker)
{
    loc_pick best = {NULL, 0, 0, 0, 0};
    const dy_gazetteer *g = s->gazetteer;
    uint16_t focus = s->focus[0] ? dy_gaz_country_find(g, s->focus, 3) : DY_GAZ_NONE;
    size_t lo = 0, hi = s->nplace;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->place[mid].sent < si) lo = mid + 1;
        else hi = mid;
    }
    for (size_t k = lo; k < s->nplace && s->place[k].sent == si; k++) {
        const dy_place_mention *m = &s->place[k];
        loc_pick p = {m, 0, loc_rank(s, m), 0, 0};
        if (!p.rank) continue;
        const dy_gaz_entry *e = dy_gaz_entry_at(g, m->entry);
        if (in_cc != DY_GAZ_NONE && (m->precision < DY_LOC_ADMIN1 || e->country != in_cc)) continue;
        if (in_a1 != DY_GAZ_NONE && (m->precision < DY_LOC_PLACE || e->admin1 != in_a1)) continue;
        p.strong = !loc_weak(s, m, speaker);
        p.role = loc_role(s, m);
        p.focus = focus != DY_GAZ_NONE && e->country == focus;
        if (pick_better(&p, &best)) best = p;
    }
    return best;
}

/* The story's own place (marked by dy_places_find), or NULL. */
static const dy_place_mention *story_place(const dy_story_ctx *s)
{
    for (size_t k = 0; k < s->nplace; k++)
        if (s->place[k].flags & PMF_STORY) return &s->place[k];
    return NULL;
}

/* A place inside the event's (a town of its country, of its subdivision) in the sentences
 * around it: a story says where in the country it happened in the sentence before or after
 * ("... in Indonesia. Two bombers blew themselves up outside a church in Makassar"). The
 * nearest sentence first, then the one after before the one before. The dateline is where the
 * reporter was and does not count. */
static const dy_place_mention *nearby_inside(const dy_story_ctx *s, uint32_t sent, uint16_t cc, uint16_t a1,
                                             int32_t speaker, uint32_t reach)
{
    for (uint32_t d = 1; d <= reach; d++) {
        for (int side = 0; side < 2; side++) {
            if (side ? sent < d : sent + d >= s->seg.nsent) continue;
            uint32_t si = side ? sent - d : sent + d;
            loc_pick p = best_in_sentence(s, si, cc, a1, speaker);
            if (p.m && p.strong && p.role == 1 && !(p.m->flags & PMF_DATELINE)) return p.m;
        }
    }
    return NULL;
}

void dy_places_event_loc(const dy_story_ctx *s, const dy_event *ev, dy_buf *out)
{
    const dy_gazetteer *g = s->gazetteer;
    const dy_place_mention *m = NULL;
    if (g) {
        /* what is said (CAMEO's verbal quad classes) is said where its speaker is */
        int32_t speaker = ev->cameo && (ev->cameo->quad == 1 || ev->cameo->quad == 3) ? ev->src : -1;
        uint32_t sent = ev->sent;
        loc_pick b = best_in_sentence(s, sent, DY_GAZ_NONE, DY_GAZ_NONE, speaker);
        /* the other sentences only when the event's own names no place (or only a sea, or
         * only a place that says whose) */
        for (size_t i = 0; i < ev->nsent && (!b.m || !b.strong || b.m->precision == DY_LOC_REGION); i++) {
            if (ev->sents[i] == sent) continue;
            loc_pick o = best_in_sentence(s, ev->sents[i], DY_GAZ_NONE, DY_GAZ_NONE, speaker);
            if (o.m && o.strong && (!b.m || !b.strong || o.rank > b.rank)) b = o;
        }
        m = b.m;
        /* only a country (or nothing but the focus country, or only an actor's place, or a
         * subdivision): a place inside it named around the event is more precise */
        uint16_t focus = s->focus[0] ? dy_gaz_country_find(g, s->focus, 3) : DY_GAZ_NONE;
        const dy_gaz_entry *e = m ? dy_gaz_entry_at(g, m->entry) : NULL;
        const dy_place_mention *o = NULL;
        uint32_t reach = b.strong && b.role > 0 ? 1 : 2; /* "in Chad" takes a closer mention to refine it */
        /* but not for what is only said (CAMEO 01-03, 05, 10-13): the sentences around a
         * statement tell what it is about, not where it was made */
        const char *c = ev->cameo && !ev->cameo->opaque ? ev->cameo->code : "";
        int root = dy_isdigit(c[0]) && dy_isdigit(c[1]) ? (c[0] - '0') * 10 + (c[1] - '0') : 0;
        if ((root >= 1 && root <= 3) || root == 5 || (root >= 10 && root <= 13)) reach = 0;
        if (!m && focus != DY_GAZ_NONE) o = nearby_inside(s, sent, focus, DY_GAZ_NONE, speaker, reach);
        else if (m && b.role == 2 && b.strong) o = NULL; /* "rallies across Belarus": all of it */
        else if (m && (m->precision == DY_LOC_COUNTRY || (!b.strong && m->precision == DY_LOC_PLACE)) &&
                 e->country != DY_GAZ_NONE)
            o = nearby_inside(s, sent, e->country, DY_GAZ_NONE, speaker, reach);
        else if (m && m->precision == DY_LOC_ADMIN1 && e->admin1 != DY_GAZ_NONE)
            o = nearby_inside(s, sent, DY_GAZ_NONE, e->admin1, speaker, reach);
        if (o) m = o;
        if (!m || m->precision == DY_LOC_REGION) {
            o = story_place(s);
            if (o) m = o;
        }
    }
    dy_buf_puts(out, "{\"extracted_place\":");
    if (m) {
        dy_buf_json_str(out, s->text + m->start, m->end - m->start);
        dy_buf_putc(out, ',');
        put_resolved(g, m->entry, m->precision, "resolved_place", out);
        dy_buf_putc(out, '}');
        return;
    }
    uint16_t focus = g && s->focus[0] ? dy_gaz_country_find(g, s->focus, 3) : DY_GAZ_NONE;
    if (focus != DY_GAZ_NONE) {
        uint32_t ei = dy_gaz_country_at(g, focus)->entry;
        if (!(dy_gaz_entry_at(g, ei)->flags & GZF_NOCOORD)) {
            dy_buf_puts(out, "null,");
            put_resolved(g, ei, DY_LOC_COUNTRY, "resolved_place", out);
            dy_buf_putc(out, '}');
            return;
        }
    }
    dy_buf_puts(out, "null,\"resolved_place\":null,\"geonameid\":null,\"lat\":null,\"lon\":null,"
                     "\"admin1\":null,\"country_code\":null,\"feature_code\":null,\"precision\":\"none\"}");
}
