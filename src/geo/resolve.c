/*
 * resolve.c — the geo stage's candidates scored and resolved. Each name's gazetteer entries
 * are scored: a prior (kind, population, seat of government) plus the story's evidence (focus
 * country, actors' countries, the other places named, subdivisions named, "Paris, Texas"), the
 * source's home region, and spatial coherence: in a story about one country, a namesake in the
 * subdivision the story is in beats a famous place nothing else in the story is near ("Dublin"
 * beside "Ohio"). Weak candidates (a small town no context supports, a common word opening a
 * sentence, a name inside a person's name) are dropped rather than guessed.
 */
#include <math.h>
#include <string.h>

#include "geo/geo_int.h"

#define MAX_POSTINGS 48   /* entries of one name scored (the most likely first) */
/* dy_geo_candidate_regions: what a name with a namesake in the same subdivision adds (per name, at
 * most 1.5 names' worth), and how far below the name's likeliest entry (in prior, about log10
 * of population) a namesake may be to lend support (CONTRIB_GAP) or take it (RECV_GAP) */
#define CAND_W 1.5f
#define CONTRIB_GAP 1.0f
#define RECV_GAP 1.5f

/* ==== the gazetteer side ================================================================= */

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
        else if (dy_geo_is_ours(e) && !fc_is(e, "ADM1\0")) p = 7; /* Darfur, Donbas */
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

/* The country evidence for country c, leaving out what candidate self contributed. */
static float evidence(const geo *G, uint16_t c, float own)
{
    if (c == DY_GAZ_NONE || c >= G->ncountry) return 0;
    float p = G->pev[c] - own;
    return G->cev[c] + (p > 3.6f ? 3.6f : p);
}

/* ==== words ============================================================================== */

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

/* First words of two-word place names, which are not first names. */
static const char *const place_prefixes[] = {
    "village", "city", "town", "camp", "fort", "san", "santa", "saint", "st", "new", "north",
    "south", "east", "west", "upper", "lower", "greater", "central", "port", "lake", "mount",
    "el", "al", "la", "le", "los", "las", "de", "ciudad", "sao", "puerto", "cape", "bay", NULL};

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
void dy_geo_candidate_regions(const dy_story_ctx *s, geo *G, cands *cs)
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
        if (!dy_geo_tok_punct(s, t, ',') && !dy_geo_tok_is(s, t, "and") && !dy_geo_tok_is(s, t, "or")) return 0;
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
void dy_geo_resolve(const dy_story_ctx *s, geo *G, cands *cs, size_t k, int pass2)
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

/* Whether the surnames hold hash h. */
static int seen_has(const names_seen *n, uint64_t h)
{
    if (!n->cap) return 0;
    for (size_t i = h & (n->cap - 1);; i = (i + 1) & (n->cap - 1)) {
        if (!n->h[i]) return 0;
        if (n->h[i] == h) return 1;
    }
}

/* The hash of token i's text as the surname set keeps it (never 0). */
static uint64_t word_hash(const dy_story_ctx *s, uint32_t t)
{
    return dy_hash(dy_geo_tok_text(s, t), s->seg.tok[t].len) | 1;
}

/* Fills n with the story's surnames (names_seen). */
static void collect_surnames(dy_story_ctx *s, names_seen *n)
{
    const dy_segmented *sg = &s->seg;
    size_t cnt = 0;
    for (uint32_t t = 1; t < sg->ntok; t++)
        cnt += dy_geo_tok_upper(s, t) && dy_geo_tok_upper(s, t - 1) && s->tok_sent[t] == s->tok_sent[t - 1];
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
        if (!dy_geo_tok_upper(s, t) || !dy_geo_tok_upper(s, t - 1) || s->tok_sent[t] != s->tok_sent[t - 1]) continue;
        if (t + 1 < sg->ntok && dy_geo_tok_upper(s, t + 1) && s->tok_sent[t + 1] == s->tok_sent[t]) continue;
        if (sg->tok[t].flags & TK_UPPER) continue; /* "NEW YORK": a headline */
        if (dy_geo_tok_in(s, t - 1, dy_geo_feature_words) || dy_geo_tok_in(s, t - 1, place_prefixes) ||
            dy_geo_tok_in(s, t - 1, dy_geo_title_words))
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
 * can (dy_geo_same_name_same_place); 3: the place, but as part of a name (a newspaper's, a person's
 * office), so it says whom rather than where (PM_MODIFIER); 0: a place. */
int dy_geo_too_weak(dy_story_ctx *s, const geo *G, const cand *c, names_seen *surnames)
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
    if ((q & CUE_AFTER) && dy_geo_tok_in(s, c->last, press_words)) return 3;
    /* a school, a hospital, a zoo of the place ("Cambridge University", "St. Cloud Hospital",
     * "the Alexandria Zoo"): the place, in a name */
    if ((q & CUE_FEATURE) && e->kind != GZ_COUNTRY && dy_geo_tok_in(s, c->last, institution_words)) return 3;
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
        if (before || after || (at_start && !dy_geo_is_ours(e)) || (ev < 1 && !dy_geo_is_ours(e))) return 1;
    }
    return 0;
}

/* One sense per story: a name accepted as a place in one mention ("stores in Gainesville") is
 * that place in its other mentions too ("Gainesville business owners", "Another Gainesville
 * firm"), unless those were refused for what they are (a person, a title, a longer name). */
void dy_geo_same_name_same_place(dy_story_ctx *s, cands *cs)
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
void dy_geo_actor_evidence(const dy_story_ctx *s, geo *G, const cands *cs)
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
void dy_geo_place_evidence(const dy_story_ctx *s, geo *G, cands *cs)
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
