/*
 * find.c — the geo stage's candidates: the place mentions found in the text. Gazetteer names
 * (the longest starting at a capitalised word, and parts of hyphenated words), each with the
 * cues around it that resolve.c weighs; the fixed phrases ("the capital", "the country's
 * north", "the border with Syria"), read once the names are resolved; and the demonyms
 * ("Sudanese", "Europeans") the actor dictionary found that no name covers.
 */
#include <string.h>

#include "geo/geo_int.h"

#define MAX_NAME_TOKENS 7 /* longest place name tried, in tokens */

/* ==== names ============================================================================== */

/* Appends a blank candidate (no entry, no country, no pair) and returns it; NULL when the
 * arena fails. The array may move: pointers into it do not survive a push. */
static cand *push(dy_story_ctx *s, cands *cs)
{
    if (dy_arena_grow(s->a, (void **)&cs->c, &cs->cap, cs->n, sizeof *cs->c, 32)) return NULL;
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
        if (dy_geo_is_ours(e) || e->kind <= GZ_ADMIN1) return 1;
    }
    return 0;
}

/* Whether token i is the clitic of a possessive glued to the word before ("'s", "’s"). */
static int possessive(const dy_story_ctx *s, uint32_t i)
{
    const dy_token *t = &s->seg.tok[i];
    const char *p = dy_geo_tok_text(s, i);
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

/* The longest gazetteer name starting at token i (within the sentence ending at end), or 0;
 * *last receives its end token. The key grows a token at a time, normalised as the image's
 * names are; the scan stops as soon as no name starts with it (the image marks prefixes). */
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
            if (dy_geo_tok_punct(s, j, ',') || dy_geo_tok_punct(s, j, '-')) space = 1;
            else if (!dy_geo_tok_punct(s, j, '.')) break;
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
        /* "Texas on": must end on a name */
        if (nm->npost && (dy_geo_tok_upper(s, j) || trusted_name(g, nm)) &&
            !(j > i && possessive(s, j) && !has_apostrophe(g, nm))) {
            best = nm;
            *last = j + 1;
        }
        if (!(nm->flags & NMF_PREFIX)) break;
    }
    return best;
}

/* Words that make a longer name of another feature when they follow a place name. */
const char *const dy_geo_feature_words[] = {
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

/* Words after a name that make it the subdivision: "New York Governor", "Texas Department". */
static const char *const state_cues[] = {
    "state", "province", "governorate", "region", "oblast", "governor", "gov", "legislature",
    "assembly", "senate", "department", "attorney", "lawmakers", "statehouse", NULL};

/* Titles: a name after one is a person's ("President Jackson", "Mr Tyler"). */
const char *const dy_geo_title_words[] = {
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

/* Words before a name that make it a place: "in Paisley", "near Tyler". */
const char *const dy_geo_locatives[] = {
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

/* Months and weekdays. */
const char *const dy_geo_calendar_words[] = {
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
    if (!start && dy_geo_tok_upper(s, c->first - 1) && !(sg->tok[c->first - 1].flags & TK_PUNCT) &&
        !dy_geo_tok_is(s, c->first - 1, "the"))
        q |= CUE_BEFORE;
    if (c->last < send && dy_geo_tok_in(s, c->last, resident_words)) q |= CUE_LOCATIVE; /* "a Gainesville man" */
    else if (c->last < send && dy_geo_tok_upper(s, c->last) && !(sg->tok[c->last].flags & TK_PUNCT)) q |= CUE_AFTER;
    if (c->first > sfirst && dy_geo_tok_in(s, c->first - 1, dy_geo_title_words)) q |= CUE_TITLE;
    if ((q & CUE_AFTER) && dy_geo_tok_in(s, c->last, dy_geo_feature_words)) q |= CUE_FEATURE;
    if (c->first > sfirst && dy_geo_tok_in(s, c->first - 1, dy_geo_locatives)) q |= CUE_LOCATIVE;
    /* a dateline: "HARWINTON — Former ...", "WASHINGTON (Reuters) -" */
    if (start && (sg->tok[c->first].flags & TK_UPPER) && c->last < send &&
        (dy_geo_tok_punct(s, c->last, '-') || dy_geo_tok_punct(s, c->last, '(') || dy_geo_tok_punct(s, c->last, ',')))
        q |= CUE_LOCATIVE;
    if (c->last < send && dy_geo_tok_in(s, c->last, speech_words)) q |= CUE_SPEECH;
    if (c->last == c->first + 1 && dy_geo_tok_in(s, c->first, dy_geo_calendar_words)) q |= CUE_CALENDAR;
    return q;
}

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

/* Collects the name candidates of every sentence. */
int dy_geo_find_names(dy_story_ctx *s, const dy_gazetteer *g, cands *cs)
{
    const dy_segmented *sg = &s->seg;
    for (uint32_t si = 0; si < sg->nsent; si++) {
        uint32_t end = sg->sent[si].first + sg->sent[si].count;
        for (uint32_t i = sg->sent[si].first; i < end; i++) {
            if (!dy_geo_tok_upper(s, i) || function_word(s->d, &sg->tok[i])) continue;
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
            if (dy_geo_tok_in(s, last, state_cues)) c->state_after = 1;
            c->cues = cues_of(s, c);
            if (i == 0 && si == 0 && (t->flags & TK_UPPER) && last < sg->ntok &&
                (dy_geo_tok_punct(s, last, '(') || dy_geo_tok_punct(s, last, ',') || dy_geo_tok_punct(s, last, '-')))
                c->flags |= PMF_DATELINE;
            i = last - 1;
        }
    }
    /* "X, Y": a place followed by a comma and another (Paris, Texas) */
    for (size_t k = 0; k + 1 < cs->n; k++)
        if (cs->c[k + 1].first == cs->c[k].last + 1 && dy_geo_tok_punct(s, cs->c[k].last, ',') &&
            cs->c[k + 1].sent == cs->c[k].sent)
            cs->c[k].pair = (int32_t)(k + 1);
    return 0;
}

/* ==== fixed phrases ====================================================================== */

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

/* The country a token stands for: an actor mention with a country code over it, or a name
 * candidate resolved to a country. DY_GAZ_NONE if none. */
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
int dy_geo_find_phrases(dy_story_ctx *s, const geo *G, cands *cs)
{
    const dy_segmented *sg = &s->seg;
    size_t nnames = cs->n;
    for (uint32_t si = 0; si < sg->nsent; si++) {
        uint32_t first = sg->sent[si].first, end = first + sg->sent[si].count;
        for (uint32_t i = first; i < end; i++) {
            if (!dy_geo_tok_is(s, i, "the")) continue;
            /* the [X | country's | nation's] capital [city] [of Y] */
            uint32_t j = i + 1, mid = DY_GAZ_NONE;
            uint16_t country = DY_GAZ_NONE;
            int country_word = 0;
            if (j + 1 < end && (dy_geo_tok_is(s, j, "country") || dy_geo_tok_is(s, j, "nation")) &&
                dy_geo_tok_is(s, j + 1, "'s")) {
                country_word = 1;
                j += 2;
            } else if (j < end && !dy_geo_tok_is(s, j, "capital") && dy_geo_tok_upper(s, j) && j + 1 < end &&
                       dy_geo_tok_is(s, j + 1, "capital")) {
                mid = j++;
            }
            if (j < end && dy_geo_tok_is(s, j, "capital")) { /* "the state capital" never gets here */
                uint32_t last = j + 1;
                if (last < end && dy_geo_tok_is(s, last, "city")) last++;
                if (last + 1 < end && dy_geo_tok_is(s, last, "of")) {
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
            if (country_word && j < end && dy_geo_tok_in(s, j, directions)) {
                uint32_t last = j + 1;
                if (dy_geo_tok_is(s, j, "far") && last < end && dy_geo_tok_in(s, last, directions)) last++;
                cand *c = push(s, cs);
                if (!c) return -1;
                c->first = i, c->last = last, c->sent = si, c->how = PM_PART, c->country = G->focus;
                i = last - 1;
                continue;
            }
            if (i + 4 < end && dy_geo_tok_in(s, i + 1, directions) && dy_geo_tok_is(s, i + 2, "of") &&
                dy_geo_tok_is(s, i + 3, "the") &&
                (dy_geo_tok_is(s, i + 4, "country") || dy_geo_tok_is(s, i + 4, "nation"))) {
                cand *c = push(s, cs);
                if (!c) return -1;
                c->first = i, c->last = i + 5, c->sent = si, c->how = PM_PART, c->country = G->focus;
                i += 4;
                continue;
            }
            /* the border with Y */
            if (i + 3 < end && dy_geo_tok_is(s, i + 1, "border") && dy_geo_tok_is(s, i + 2, "with")) {
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

/* ==== demonyms =========================================================================== */

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
int dy_geo_find_demonyms(dy_story_ctx *s, const geo *G, cands *cs)
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
                if (dy_geo_precision_of(dy_gaz_entry_at(G->g, DY_GAZ_ENTRY(p[i]))) == DY_LOC_REGION)
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
