/*
 * places.c — the geo stage's entry points. dy_places_find runs the stage: tokens + actor
 * mentions -> place mentions resolved against the embedded gazetteer (geo/gazetteer.h), their
 * candidates found (find.c), resolved in passes with the weak dropped between (resolve.c), then
 * kept as the story's mentions in text order with their character offsets, the story's own
 * place and the subdivisions it lies in. Also the `dyad places` records (dy_places_jsonl),
 * region codes and precision names. An event's place is eventloc.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "geo/geo_int.h"

/* ==== regions and precision ============================================================== */

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

/* What a resolved entry locates: a place, a subdivision, a country or a region (DY_LOC_*). */
int dy_geo_precision_of(const dy_gaz_entry *e)
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

/* ==== the story's mentions =============================================================== */

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

/* Mentions in text order; of two starting together, the longer first. */
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
             .home_cc = DY_GAZ_NONE, .home_a1 = DY_GAZ_NONE}; /* (ev_unlisted 0: the evidence
                                                                arrays below start zeroed) */
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
    if (dy_geo_find_names(s, g, &cs)) return -1;
    dy_geo_actor_evidence(s, &G, &cs);
    if (G.home_cc != DY_GAZ_NONE) G.cev[G.home_cc] += 2; /* the home country, as a focus */
    /* pass 1: focus and actors; pass 2: the places named too; then the weak are dropped,
     * which can change the evidence, so once more */
    for (size_t k = 0; k < cs.n; k++) dy_geo_resolve(s, &G, &cs, k, 0), cs.c[k].best1 = cs.c[k].best;
    names_seen surnames = {NULL, 0}; /* built when a weak town first needs it */
    for (size_t k = 0; k < cs.n; k++) cs.c[k].rejected = (uint8_t)dy_geo_too_weak(s, &G, &cs.c[k], &surnames);
    dy_geo_candidate_regions(s, &G, &cs);
    for (int round = 0; round < 2; round++) {
        dy_geo_place_evidence(s, &G, &cs);
        for (size_t k = 0; k < cs.n; k++) dy_geo_resolve(s, &G, &cs, k, 1);
        for (size_t k = 0; k < cs.n; k++) cs.c[k].rejected = (uint8_t)dy_geo_too_weak(s, &G, &cs.c[k], &surnames);
    }
    dy_geo_same_name_same_place(s, &cs);
    dy_geo_place_evidence(s, &G, &cs);
    if (dy_geo_find_phrases(s, &G, &cs)) return -1;

    if (dy_geo_find_demonyms(s, &G, &cs)) return -1;

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
        if (m->entry != DY_GAZ_NOENTRY) m->precision = (uint8_t)dy_geo_precision_of(dy_gaz_entry_at(g, m->entry));
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
void dy_geo_put_resolved(const dy_gazetteer *g, uint32_t ei, int precision, const char *name_key, dy_buf *o)
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
            dy_geo_put_resolved(g, m->entry, m->precision, "name", out);
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
