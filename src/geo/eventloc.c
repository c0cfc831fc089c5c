/*
 * eventloc.c — which place is an event's (dy_places_event_loc): among the story's place
 * mentions, the one the words of the event's sentence put it in ("in X" over "near X",
 * "headed to X", "Syria's Dabiq"; a place that says whose only when no other is named), made
 * more precise by a town named in the sentences around it, else the story's own place or its
 * focus country.
 */
#include <string.h>

#include "geo/geo_int.h"

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
    uint32_t j = m->first > sfirst && dy_geo_tok_is(s, m->first - 1, "the") ? m->first - 1 : m->first;
    /* "a professor at Soochow University": whom a person works for, not where anything happened */
    if (j >= sfirst + 2 &&
        (dy_geo_tok_is(s, j - 1, "at") || dy_geo_tok_is(s, j - 1, "of") || dy_geo_tok_is(s, j - 1, "from")) &&
        dy_geo_tok_in(s, j - 2, member_words))
        return 0;
    for (uint32_t t = m->last; t < send && t < m->last + 2 && dy_geo_tok_upper(s, t); t++)
        if (dy_geo_tok_in(s, t, venue_words)) return 1;
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
    if (m->first >= sfirst + 2 && (dy_geo_tok_is(s, m->first - 1, "in") || dy_geo_tok_is(s, m->first - 1, "at")) &&
        dy_geo_tok_in(s, m->first - 2, speech_place_words) && (mi < 0 || mi != speaker))
        return 1;
    /* (not "Wellington and Auckland", a compound actor of places) */
    if (mi >= 0 && (size_t)mi < s->nm && mi != speaker && s->m[mi].last > m->last && !(s->m[mi].flags & M_CITY) &&
        (s->m[mi].first == m->first || (s->m[mi].first + 1 == m->first && dy_geo_tok_is(s, m->first - 1, "the"))) &&
        !(s->seg.tok[m->last].flags & TK_PUNCT) && !dy_geo_tok_is(s, m->last, "and") &&
        !dy_geo_tok_is(s, m->last, "or"))
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
    if (!dy_geo_tok_upper(s, t) || (s->seg.tok[t].flags & TK_PUNCT) || dy_geo_tok_in(s, t, dy_geo_calendar_words))
        return 0;
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
        if (!(dy_geo_tok_upper(s, t) && !(s->seg.tok[t].flags & TK_PUNCT)) && !dy_geo_tok_in(s, t, part_words) &&
            !dy_geo_tok_in(s, t, place_nouns) && !dy_geo_tok_is(s, t, "of") && !dy_geo_tok_is(s, t, "and"))
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
    int np = m->last < send && dy_geo_tok_in(s, m->last, place_nouns); /* "Ampatuan town" */
    uint32_t j = m->first;
    if (j > sfirst && dy_geo_tok_is(s, j - 1, "of")) { /* "the (northern) town of X": before the phrase */
        for (uint32_t k = j - 1; k > sfirst && k + 4 > j; k--)
            if (dy_geo_tok_in(s, k - 1, place_nouns)) {
                np = 1;
                j = k - 1;
                break;
            }
    }
    while (j > sfirst && j + 4 > m->first && !(s->seg.tok[j - 1].flags & TK_PUNCT) &&
           (dy_geo_tok_is(s, j - 1, "the") || dy_geo_tok_is(s, j - 1, "a") || dy_geo_tok_in(s, j - 1, part_words) ||
            (np && !dy_geo_tok_upper(s, j - 1) && !dy_geo_tok_in(s, j - 1, dy_geo_locatives) &&
             !dy_geo_tok_in(s, j - 1, beside_words) && !dy_geo_tok_is(s, j - 1, "of"))))
        j--;
    if (j <= sfirst) return np;
    if (dy_geo_tok_in(s, j - 1, beside_words) || dy_geo_tok_is(s, j - 1, "toward") ||
        dy_geo_tok_is(s, j - 1, "towards"))
        return -1;
    if ((dy_geo_tok_is(s, j - 1, "of") || dy_geo_tok_is(s, j - 1, "from")) && j - 1 > sfirst &&
        dy_geo_tok_in(s, j - 2, bearing_words))
        return -1;
    if ((dy_geo_tok_is(s, j - 1, "to") || dy_geo_tok_is(s, j - 1, "for") || dy_geo_tok_is(s, j - 1, "on")) &&
        j - 1 > sfirst && dy_geo_tok_in(s, j - 2, departure_words))
        return -1;
    if (dy_geo_tok_is(s, j - 1, "across") || dy_geo_tok_is(s, j - 1, "throughout")) return 2;
    /* "the Pasteur Institute in Paris": the place of that name, not of what happened */
    if ((dy_geo_tok_is(s, j - 1, "in") || dy_geo_tok_is(s, j - 1, "at")) && j >= sfirst + 2 &&
        dy_geo_tok_upper(s, j - 2) && dy_geo_tok_in(s, j - 2, org_words))
        return 0;
    if (dy_geo_tok_is(s, j - 1, "in") || dy_geo_tok_is(s, j - 1, "at") || dy_geo_tok_is(s, j - 1, "inside") ||
        dy_geo_tok_is(s, j - 1, "within"))
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
        dy_geo_put_resolved(g, m->entry, m->precision, "resolved_place", out);
        dy_buf_putc(out, '}');
        return;
    }
    uint16_t focus = g && s->focus[0] ? dy_gaz_country_find(g, s->focus, 3) : DY_GAZ_NONE;
    if (focus != DY_GAZ_NONE) {
        uint32_t ei = dy_gaz_country_at(g, focus)->entry;
        if (!(dy_gaz_entry_at(g, ei)->flags & GZF_NOCOORD)) {
            dy_buf_puts(out, "null,");
            dy_geo_put_resolved(g, ei, DY_LOC_COUNTRY, "resolved_place", out);
            dy_buf_putc(out, '}');
            return;
        }
    }
    dy_buf_puts(out, "null,\"resolved_place\":null,\"geonameid\":null,\"lat\":null,\"lon\":null,"
                     "\"admin1\":null,\"country_code\":null,\"feature_code\":null,\"precision\":\"none\"}");
}
