/*
 * actors.c — the actors stage: tagged tokens -> actor mentions. Longest-match lookup of
 * actor and agent phrases, combination of agents with the country or group beside them
 * ("Iraqi security forces" -> IRQCOP), dated roles picked by the story date, new actors named
 * after an agent ("spokesman Ned Price"), compounds ("Iran and the United States"), and
 * references: titles ("the prime minister"), pronouns, and "we"/"I" inside a quotation,
 * which needs each quotation's speaker (found here too).
 */
#include <assert.h>
#include <string.h>

#include "geo/gazetteer.h"
#include "story.h"

/* ==== raw phrase matches ================================================================= */

enum { R_ACTOR = 1, R_AGENT, R_ATTR, R_NAME };
typedef struct raw {
    uint32_t first, last; /* tokens */
    uint8_t kind;         /* R_* */
    uint32_t entry;       /* actor or agent index */
    const dy_role *role;  /* R_ACTOR: the role for the story date */
    char attr[4];         /* R_ATTR: the country code */
} raw;

static int has_upper(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (dy_isupper(s[i])) return 1;
    return 0;
}

static int has_lower(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (dy_islower(s[i])) return 1;
    return 0;
}

/* The role of actor entry e in force on date (YYYYMMDD, 0 = unknown): the dated role that
 * covers it, else the undated fallback, else for an unknown date the first role. */
static const dy_role *role_for(const dyad_dict *d, const dy_actor_entry *e, int32_t date)
{
    const dy_role *fallback = NULL;
    for (uint32_t i = 0; i < e->nrole; i++) {
        const dy_role *r = &d->roles[e->role0 + i];
        if (!r->dated) {
            if (!fallback) fallback = r;
            continue;
        }
        if (date && (!r->from || r->from <= date) && (!r->to || date <= r->to)) return r;
    }
    if (fallback) return fallback;
    if (!date && e->nrole) return &d->roles[e->role0];
    return NULL;
}

/* Matches phrase p at token i of the sentence ending at token end. */
static int phrase_at(const dy_story_ctx *s, const dy_phrase *p, uint32_t i, uint32_t end)
{
    if (i + p->n > end) return 0;
    for (uint16_t k = 0; k < p->n; k++) {
        const dy_token *t = &s->seg.tok[i + k];
        if (k < 32 && (p->exact >> k & 1) ? t->form != p->w[k] : !dy_tok_is(t, p->w[k])) return 0;
    }
    return 1;
}

/* The longest actor or agent phrase starting at token i (within [i, end)), or 0. */
static int longest_phrase(const dy_story_ctx *s, uint32_t i, uint32_t end, raw *out)
{
    const dyad_dict *d = s->d;
    const dy_token *t = &s->seg.tok[i];
    uint32_t keys[2] = {t->form, t->lemma};
    /* a word's phrases are sorted by their second word: try the one-word phrases, then those
     * that go on with the next token's form or lemma */
    const dy_token *t2 = i + 1 < end ? &s->seg.tok[i + 1] : NULL;
    uint32_t seconds[3] = {0, t2 ? t2->form : 0, t2 ? t2->lemma : 0};
    int best = 0;
    for (int k = 0; k < 2; k++) {
        uint32_t w = keys[k];
        if (!w || (k == 1 && w == keys[0])) continue;
        if (d->phrase_head[w] == d->phrase_head[w + 1]) continue; /* no phrase starts so: most words */
        for (int sk = 0; sk < 3; sk++) {
        if (sk > 0 && (!seconds[sk] || (sk == 2 && seconds[2] == seconds[1]))) continue;
        uint32_t lo = d->phrase_head[w], hi = d->phrase_head[w + 1];
        while (lo < hi) { /* the first phrase whose second word is not below seconds[sk] */
            uint32_t mid = lo + (hi - lo) / 2;
            const dy_phrase *p = &d->phrases[d->phrase_idx[mid]];
            if ((p->n > 1 ? p->w[1] : 0) < seconds[sk]) lo = mid + 1;
            else hi = mid;
        }
        for (uint32_t j = lo; j < d->phrase_head[w + 1]; j++) {
            const dy_phrase *p = &d->phrases[d->phrase_idx[j]];
            if ((p->n > 1 ? p->w[1] : 0) != seconds[sk]) break;
            if (p->n < best || (p->n == best && !(p->kind == PH_ACTOR && out->kind == R_AGENT)))
                continue;
            if (!phrase_at(s, p, i, end)) continue;
            if (p->kind == PH_ACTOR) {
                /* a name is written with a capital somewhere ("al-Kadhimi", "U.S.") */
                const dy_token *a = &s->seg.tok[i], *b = &s->seg.tok[i + p->n - 1];
                if (!has_upper(s->text + a->start, b->start + b->len - a->start)) continue;
                if (p->caps && has_lower(s->text + a->start, b->start + b->len - a->start)) continue;
                const dy_role *r = role_for(d, &d->actors[p->entry], s->date);
                if (!r) continue;
                out->kind = R_ACTOR;
                out->role = r;
            } else {
                out->kind = R_AGENT;
                out->role = NULL;
            }
            out->first = i;
            out->last = i + p->n;
            out->entry = p->entry;
            best = p->n;
        }
        }
    }
    return best;
}

/* "pro-Iranian", "Iranian-backed", "US-led": a hyphenated word whose one side names a country
 * and whose other side says the group is aligned with it. */
static int alignment_word(dy_story_ctx *s, uint32_t i, raw *out)
{
    static const char *const pre[] = {"pro", NULL};
    static const char *const post[] = {"backed", "led", "allied", "aligned", "sponsored",
                                       "supported", "funded", "armed", "trained", NULL};
    const dy_token *t = &s->seg.tok[i];
    const char *w = s->text + t->start;
    const char *h = NULL; /* the first hyphen (a loop: tokens are short for memchr) */
    for (uint32_t k = 0; k < t->len && !h; k++)
        if (w[k] == '-') h = w + k;
    if (!h || h == w || h + 1 >= w + t->len) return 0;
    size_t ln = (size_t)(h - w), rn = t->len - ln - 1;
    const char *side = NULL;
    size_t sn = 0;
    for (int k = 0; pre[k]; k++)
        if (strlen(pre[k]) == ln && !strncasecmp(w, pre[k], ln)) side = h + 1, sn = rn;
    for (int k = 0; post[k]; k++)
        if (strlen(post[k]) == rn && !strncasecmp(h + 1, post[k], rn)) side = w, sn = ln;
    if (!side || sn >= DY_WORD_MAX) return 0;
    char low[DY_WORD_MAX];
    for (size_t k = 0; k < sn; k++) low[k] = (char)dy_tolower((unsigned char)side[k]);
    uint32_t id = dy_word_find(s->d, low, sn);
    if (!id) return 0;
    const dyad_dict *d = s->d;
    for (uint32_t j = d->phrase_head[id]; j < d->phrase_head[id + 1]; j++) {
        const dy_phrase *p = &d->phrases[d->phrase_idx[j]];
        if (p->n != 1 || p->kind != PH_ACTOR) continue;
        const dy_role *r = role_for(d, &d->actors[p->entry], s->date);
        if (!r) continue;
        out->kind = R_ATTR;
        out->first = i;
        out->last = i + 1;
        memcpy(out->attr, r->code, 3);
        out->attr[3] = 0;
        return 1;
    }
    return 0;
}

/* A capitalised word that could be part of a person's name (not sentence-initial
 * function words, not a dictionary word in lower case). */
static int name_token(const dy_story_ctx *s, uint32_t i)
{
    const dy_token *t = &s->seg.tok[i];
    if (!(t->flags & TK_WORD) || !(t->flags & TK_CAP) || (t->flags & TK_UPPER && t->len > 4))
        return 0;
    if (s->tok_m[i] >= 0) return 0;
    return 1;
}

/* ==== mentions =========================================================================== */

static dy_mention *new_mention(dy_story_ctx *s)
{
    if (dy_arena_grow(s->a, (void **)&s->m, &s->mcap, s->nm, sizeof *s->m, 64)) return NULL;
    dy_mention *m = &s->m[s->nm++];
    memset(m, 0, sizeof *m);
    m->ref = -1;
    m->agent = -1;
    return m;
}

/* Adds code to m's codes unless present. */
static void add_code(dy_mention *m, const char *code)
{
    for (uint8_t i = 0; i < m->ncode; i++)
        if (!strcmp(m->code[i], code)) return;
    if (m->ncode < DY_MAX_CODES) dy_str_copy(m->code[m->ncode++], DY_CODE_MAX, code);
}

/* Splits a role's code into codes: "FRO/BIL/SAM" names several actors. */
static int split_codes(const char *code, char out[][DY_CODE_MAX], int max)
{
    int n = 0;
    const char *p = code;
    while (*p && n < max) {
        const char *q = strchr(p, '/');
        size_t l = q ? (size_t)(q - p) : strlen(p);
        if (l >= DY_CODE_MAX) l = DY_CODE_MAX - 1;
        memcpy(out[n], p, l);
        out[n++][l] = 0;
        p = q ? q + 1 : p + l;
    }
    return n;
}

/* a followed by b, cut to fit an actor code. */
static void concat_code(char *out, const char *a, const char *b)
{
    size_t la = strnlen(a, DY_CODE_MAX - 1), lb = strnlen(b, DY_CODE_MAX - 1 - la);
    memmove(out + la, b, lb); /* out may be b */
    memmove(out, a, la);
    out[la + lb] = 0;
}

/* base + sector, unless base already carries a sector (then base). */
static void join_code(char *out, const char *base, const char *sector)
{
    concat_code(out, base, strlen(base) == 3 ? sector : "");
}

/* The code of agent g standing with actor code base ("" when it stands alone, then the story's
 * country focus, or for a @standalone agent "---"). Dyad's agents add their sector to a bare
 * country; PETRARCH's (@append) add each three-letter part the code lacks, so WEST GERMAN
 * (GMWGOV) world government (~WGO) is GMWGOVWGO and White House (USAGOV) officials stay
 * USAGOV. */
static void compose(const dy_agent *g, const char *base, const char *focus, char *out)
{
    char b[DY_CODE_MAX];
    snprintf(b, sizeof b, "%s", *base ? base : (g->flags & AGF_STANDALONE) ? "---" : focus);
    if (g->how == AG_PLAIN || !*b) {
        dy_str_copy(out, DY_CODE_MAX, g->code);
        return;
    }
    if (g->how == AG_PREFIX) {
        if (!strncmp(b, "---", 3)) snprintf(out, DY_CODE_MAX, "%s%s", g->code, b + 3);
        else if (!strncmp(b, g->code, strlen(g->code))) dy_str_copy(out, DY_CODE_MAX, b);
        else concat_code(out, g->code, b);
        return;
    }
    if (!(g->flags & AGF_APPEND)) {
        join_code(out, b, g->code);
        return;
    }
    char r[DY_CODE_MAX];
    dy_str_copy(r, sizeof r, b);
    size_t gl = strlen(g->code);
    for (size_t k = 0; k + 3 <= gl; k += 3) {
        int present = 0;
        for (size_t j = 0; j + 3 <= strlen(r); j += 3)
            if (!memcmp(r + j, g->code + k, 3)) present = 1;
        size_t rl = strlen(r);
        if (!present && rl + 3 < DY_CODE_MAX) {
            memcpy(r + rl, g->code + k, 3);
            r[rl + 3] = 0;
        }
    }
    dy_str_copy(out, DY_CODE_MAX, r);
}

/* The most frequent country among actor phrases; ties go to the first seen. */
static void find_focus(dy_story_ctx *s, const raw *r, size_t nr)
{
    char codes[64][4];
    int counts[64], nc = 0, best = -1;
    for (size_t i = 0; i < nr; i++) {
        if (r[i].kind != R_ACTOR) continue;
        const char *c = r[i].role->code;
        if (!dy_is_country(s->d, c)) continue;
        int k;
        for (k = 0; k < nc; k++)
            if (!memcmp(codes[k], c, 3)) break;
        if (k == nc) {
            if (nc == 64) continue;
            memcpy(codes[nc], c, 3);
            codes[nc][3] = 0;
            counts[nc++] = 0;
        }
        counts[k]++;
        if (best < 0 || counts[k] > counts[best]) best = k;
    }
    if (best >= 0) memcpy(s->focus, codes[best], 4);
}

/* Keeps the matches that name a country or a region alone (a role code of three letters), in
 * text order, for the geo stage (s->cword). */
static int country_words(dy_story_ctx *s, const raw *r, size_t nr)
{
    size_t n = 0;
    for (size_t i = 0; i < nr; i++) n += r[i].kind == R_ACTOR && strlen(r[i].role->code) == 3;
    s->cword = NULL;
    s->ncword = 0;
    if (!n) return 0;
    s->cword = dy_arena_alloc(s->a, n * sizeof *s->cword);
    if (!s->cword) return -1;
    for (size_t i = 0; i < nr; i++) {
        if (r[i].kind != R_ACTOR || strlen(r[i].role->code) != 3) continue;
        dy_country_word *w = &s->cword[s->ncword++];
        w->first = r[i].first;
        w->last = r[i].last;
        w->actor = r[i].entry;
        memcpy(w->code, r[i].role->code, 4);
    }
    return 0;
}

/* Whether mention m stands for where something happened ("in northern Syria", "near Kyiv"):
 * a bare country (or its city) after a preposition of place. Such a mention is no target. */
int dy_mention_is_place(const dy_story_ctx *s, int32_t mi)
{
    if (mi < 0) return 0;
    const dy_mention *m = &s->m[mi];
    if (m->ncode != 1 || strlen(m->code[0]) != 3 || !dy_is_country(s->d, m->code[0]) || m->first == 0) return 0;
    if (m->flags & (M_PERSON | M_PRONOUN)) return 0;
    /* not "at": "fired rockets at Israel" aims at it */
    static const char *const prep[] = {"in", "near", "across", "outside", "inside", "throughout", "around",
                                       "northern", "southern", "eastern", "western", "central", NULL};
    uint32_t p = m->first - 1;
    if (dy_tok_reads(s->text, &s->seg.tok[p], "the") && p > 0) p--;
    for (int k = 0; prep[k]; k++)
        if (dy_tok_reads(s->text, &s->seg.tok[p], prep[k])) return 1;
    return 0;
}

/* For each sentence, the country of the first place it says something happened "in", "near"
 * or "across" (a country or a city of one). */
static void find_where(dy_story_ctx *s, const raw *r, size_t nr)
{
    s->where = dy_arena_calloc(s->a, (s->seg.nsent + 1) * sizeof *s->where);
    if (!s->where) return;
    static const char *const prep[] = {"in", "near", "across", "outside", "inside", "throughout", NULL};
    for (size_t i = 0; i < nr; i++) {
        if (r[i].kind != R_ACTOR || r[i].first == 0) continue;
        const char *c = r[i].role->code;
        if (strlen(c) != 3 || !dy_is_country(s->d, c)) continue;
        uint32_t p = r[i].first - 1;
        if (p > 0 && (dy_tok_reads(s->text, &s->seg.tok[p], "northern") || dy_tok_reads(s->text, &s->seg.tok[p], "southern") ||
                      dy_tok_reads(s->text, &s->seg.tok[p], "eastern") || dy_tok_reads(s->text, &s->seg.tok[p], "western") ||
                      dy_tok_reads(s->text, &s->seg.tok[p], "central") || dy_tok_reads(s->text, &s->seg.tok[p], "the")))
            p--;
        int ok = 0;
        for (int k = 0; prep[k]; k++)
            if (dy_tok_reads(s->text, &s->seg.tok[p], prep[k])) ok = 1;
        /* "near the Syrian border" names no place the sentence is in; "in the Philippines" does:
         * after "the", a country's name is several words or a plural */
        if (p + 1 < r[i].first && dy_tok_reads(s->text, &s->seg.tok[p + 1], "the")) {
            const dy_token *l = &s->seg.tok[r[i].last - 1];
            if (r[i].last - r[i].first < 2 && s->text[l->start + l->len - 1] != 's') ok = 0;
        }
        uint32_t sent = s->tok_sent[r[i].first];
        if (ok && !s->where[sent][0]) memcpy(s->where[sent], c, 4);
    }
}

/* Earlier person mention holding one of the titles, or -1. */
static int32_t holder_of(const dy_story_ctx *s, dy_titleset titles, size_t before)
{
    for (size_t j = before; j-- > 0;)
        if ((s->m[j].flags & M_PERSON) && (s->m[j].titles & titles)) return (int32_t)j;
    return -1;
}

static void copy_ref(dy_mention *m, const dy_mention *r, int32_t ri)
{
    memcpy(m->code, r->code, sizeof m->code);
    m->ncode = r->ncode;
    m->name = r->name;
    m->name_len = r->name_len;
    m->titles = r->titles;
    m->flags |= (uint8_t)(r->flags & (M_PERSON | M_PLURAL));
    memcpy(m->attr, r->attr, 4);
    m->ref = r->ref >= 0 ? r->ref : ri;
}

/* Builds one mention from the raw matches r[a..b) that stand together. */
static int make_mention(dy_story_ctx *s, const raw *r, size_t a, size_t b, uint32_t name_first,
                        uint32_t name_last)
{
    const dyad_dict *d = s->d;
    const raw *person = NULL, *actor = NULL, *agent = NULL, *prefix = NULL;
    char attr[4] = "";
    for (size_t k = a; k < b; k++) {
        if (r[k].kind == R_ACTOR) {
            if (r[k].role->flags & ROLE_PERSON) person = &r[k];
            else if (!actor) actor = &r[k];
            else {
                /* "Iran's Revolutionary Guards": the code that extends the other wins */
                const char *a = actor->role->code, *b = r[k].role->code;
                size_t la = strlen(a), lb = strlen(b);
                if (lb > la && !strncmp(a, b, la)) actor = &r[k];
                else if (la > lb && !strncmp(a, b, lb)) continue;
                else if ((dy_is_country(d, b) && !dy_is_country(d, a)) || lb > la) actor = &r[k];
            }
        } else if (r[k].kind == R_AGENT) {
            if (d->agents[r[k].entry].how == AG_PREFIX && !prefix) prefix = &r[k];
            else agent = &r[k]; /* the last agent is the head noun */
        } else if (r[k].kind == R_ATTR)
            memcpy(attr, r[k].attr, 4);
    }
    if (!agent && prefix) agent = prefix, prefix = NULL;
    if (!person && !actor && !agent) return 0;
    dy_mention *m = new_mention(s);
    if (!m) return -1;
    m->agent = -1;
    m->first = r[a].first;
    m->last = r[b - 1].last;
    if (name_last > m->last) m->last = name_last;
    m->sent = s->tok_sent[m->first];
    memcpy(m->attr, attr, 4);
    char parts[DY_MAX_CODES][DY_CODE_MAX];
    if (person) {
        int n = split_codes(person->role->code, parts, DY_MAX_CODES);
        for (int k = 0; k < n; k++) add_code(m, parts[k]);
        m->titles = person->role->titles;
        m->flags |= M_PERSON;
        m->name = d->actors[person->entry].name;
        m->name_len = strlen(m->name);
        m->why = "named person";
    } else if (actor && !agent) {
        int n = split_codes(actor->role->code, parts, DY_MAX_CODES);
        for (int k = 0; k < n; k++) {
            add_code(m, parts[k]);
            dy_str_copy(m->base[m->nbase++], DY_CODE_MAX, parts[k]);
        }
        m->name = d->actors[actor->entry].name;
        m->name_len = strlen(m->name);
        m->why = "named actor";
    } else {
        const dy_agent *g = &d->agents[agent->entry];
        m->agent = (int32_t)agent->entry;
        m->agent_first = actor && agent->first < actor->first;
        int n = actor ? split_codes(actor->role->code, parts, DY_MAX_CODES) : 0;
        for (int k = 0; k < n; k++) {
            char c[DY_CODE_MAX];
            dy_str_copy(c, sizeof c, parts[k]);
            /* PETRARCH's agents modify in turn: Danish Islamist media is DNK+MUS+MED */
            for (size_t j = a; j < b && (g->flags & AGF_APPEND); j++)
                if (r[j].kind == R_AGENT && &r[j] != agent && &r[j] != prefix &&
                    d->agents[r[j].entry].flags & AGF_APPEND)
                    compose(&d->agents[r[j].entry], c, s->focus, c);
            if (prefix) compose(&d->agents[prefix->entry], c, s->focus, c);
            dy_str_copy(m->base[m->nbase++], DY_CODE_MAX, c);
            char out[DY_CODE_MAX];
            compose(g, c, s->focus, out);
            add_code(m, out);
        }
        if (!n) {
            /* an agent alone belongs to the country its sentence is in ("gunmen in northern
             * Mali"), else to the story's country */
            const char *home = s->where && s->where[m->sent][0] ? s->where[m->sent] : s->focus;
            char out[DY_CODE_MAX];
            compose(g, "", home, out);
            if (prefix) compose(&d->agents[prefix->entry], out, s->focus, out);
            add_code(m, out);
        }
        m->titles = g->titles;
        if (g->flags & AGF_OBJECT) m->flags |= M_OBJECT;
        const dy_token *h = &s->seg.tok[agent->last - 1];
        if (h->lemma && h->lemma != h->form) m->flags |= M_PLURAL;
        m->name = actor ? d->actors[actor->entry].name : NULL;
        m->name_len = m->name ? strlen(m->name) : 0;
        m->why = actor ? "agent with actor" : *s->focus && !(g->flags & AGF_STANDALONE) ? "agent in the story's country" : "agent";
        if (name_last > name_first) {
            /* "spokesman Ned Price": a new actor coded by the agent before the name */
            m->flags |= M_PERSON | M_NEW;
            m->name = s->text + s->seg.tok[name_first].start;
            const dy_token *l = &s->seg.tok[name_last - 1];
            m->name_len = l->start + l->len - s->seg.tok[name_first].start;
            m->why = "new actor named after an agent";
        } else if (g->titles && !actor) {
            /* "the prime minister": the person in the story who holds that office */
            int32_t h2 = holder_of(s, g->titles, s->nm - 1);
            if (h2 >= 0) {
                copy_ref(m, &s->m[h2], h2);
                m->why = "title refers to an earlier person";
            }
        }
        /* "the ministry" after "Iran's foreign ministry": a definite agent alone refers back to
         * the last actor of the story named with the same head word */
        if (!actor && m->ref < 0 && !(m->flags & M_NEW) && m->first > 0 &&
            dy_tok_reads(s->text, &s->seg.tok[m->first - 1], "the")) {
            uint32_t head = s->seg.tok[m->last - 1].lemma;
            for (size_t k = s->nm - 1; k-- > 0;) {
                const dy_mention *o = &s->m[k];
                if (o->first >= m->first || o->agent < 0 || (o->flags & M_PRONOUN)) continue;
                if (s->seg.tok[o->last - 1].lemma != head) continue;
                if (!strcmp(o->code[0], m->code[0])) break;
                copy_ref(m, o, (int32_t)k);
                m->why = "a definite agent refers to the last actor named with it";
                break;
            }
        }
    }
    for (uint32_t t = m->first; t < m->last; t++) s->tok_m[t] = (int32_t)(m - s->m);
    return 0;
}

/* Whether raw item y continues the group ending with x ("Iraqi" "Prime Minister" "Kadhimi",
 * "Iraq 's foreign minister", "Iran's new foreign minister", "the foreign minister of Iran",
 * "soldiers from Chad", "police in Kenya"). */
static int continues(const dy_story_ctx *s, const raw *x, const raw *y)
{
    if (x->kind == R_ACTOR && y->kind == R_AGENT && (s->d->agents[y->entry].flags & AGF_NAME_END) &&
        y->first > x->last && y->first <= x->last + 4) {
        /* "American Travellers Corp", "Bank of America Corp": a country word inside a company's
         * name, up to the designator that ends it, names the company's country */
        for (uint32_t k = x->last; k < y->first; k++)
            if (!name_token(s, k) && !dy_tok_is(&s->seg.tok[k], s->d->w_of)) return 0;
        return 1;
    }
    if (x->kind == R_ACTOR && y->kind == R_ACTOR) {
        /* two named actors side by side: "Iraqi Prime Minister"... only when one is a
         * country word qualifying a person or group ("Iraqi Mustafa al-Kadhimi") */
        int country = dy_is_country(s->d, x->role->code) && strlen(x->role->code) == 3;
        if (y->first == x->last) return country;
        /* "Iran's Revolutionary Guards": a country's own body */
        const dy_token *p = &s->seg.tok[x->last];
        return country && y->first == x->last + 1 && p->len == 2 && s->text[p->start] == '\'';
    }
    if (y->first == x->last) return 1;
    const dy_token *t = s->seg.tok;
    uint32_t g = x->last;
    if (g < y->first && (t[g].flags & TK_PUNCT) == 0 && t[g].len == 2 && s->text[t[g].start] == '\'') {
        if (y->first == g + 1) return 1; /* Iraq 's */
        /* Iraq 's new foreign minister, Dagolath 's first Deputy Prime Minister: a few words
         * (not function words, not other actors) before an agent */
        static const char *const function[] = {"of", "on", "in", "for", "with", "to", "at", "by",
            "from", "about", "over", "against", "that", "which", "who", "the", "a", "an", NULL};
        if (y->kind != R_AGENT || y->first > g + 4) return 0;
        for (uint32_t k = g + 1; k < y->first; k++) {
            if (!(t[k].flags & TK_WORD) || s->tok_m[k] >= 0) return 0;
            for (int f = 0; function[f]; f++)
                if (dy_tok_reads(s->text, &t[k], function[f])) return 0;
        }
        return 1;
    }
    if (x->kind == R_AGENT && y->kind == R_ACTOR &&
        (dy_tok_is(&t[g], s->d->w_of) || dy_tok_is(&t[g], s->d->w_for) || dy_tok_is(&t[g], s->d->w_in) ||
         dy_tok_is(&t[g], s->d->w_from))) {
        uint32_t k = g + 1;
        if (k < y->first && dy_tok_is(&t[k], s->d->w_the)) k++;
        return k == y->first;
    }
    return 0;
}

/* Whether actor r[b] stands after "in" or "from" an agent whose group r[a..b) already has an
 * actor: then it is a place ("the Iranian foreign minister in Baghdad"), not the agent's
 * country ("police in Kenya"). */
static int place_after(const dy_story_ctx *s, const raw *r, size_t a, size_t b)
{
    uint32_t g = r[b - 1].last;
    if (r[b - 1].kind != R_AGENT || g >= r[b].first) return 0;
    if (!dy_tok_is(&s->seg.tok[g], s->d->w_in) && !dy_tok_is(&s->seg.tok[g], s->d->w_from)) return 0;
    for (size_t k = a; k < b; k++)
        if (r[k].kind == R_ACTOR) return 1;
    return 0;
}

/* Whether token i is one of the listed words. */
static int tok_in(const dy_story_ctx *s, uint32_t i, const uint32_t *w, int n)
{
    for (int k = 0; k < n; k++)
        if (dy_tok_is(&s->seg.tok[i], w[k])) return 1;
    return 0;
}

/* Speech verbs that attribute quotations. */
static const char *const speech_words[] = {"say", "add", "tell", "state", "comment", "write",
    "tweet", "declare", "announce", "insist", "stress", "note", "explain", "claim", "continue",
    "conclude", "warn", "reply", "respond", "ask", "argue", "post", NULL};

/* The first letters of speech_words, one bit each ('a' is bit 0): a word that starts with none
 * of them is no speech verb (kept with the list: the checking build asserts it covers it) */
#define LETTER(c) (1u << ((c) - 'a'))
static const uint32_t speech_first = LETTER('s') | LETTER('a') | LETTER('t') | LETTER('c') | LETTER('w') |
                                     LETTER('d') | LETTER('i') | LETTER('n') | LETTER('e') | LETTER('r') |
                                     LETTER('p');
#undef LETTER

static int may_start(uint32_t letters, const char *w)
{
    return w[0] >= 'a' && w[0] <= 'z' && (letters >> (w[0] - 'a') & 1);
}

int dy_is_speech(const dy_story_ctx *s, uint32_t i)
{
    const dy_token *t = &s->seg.tok[i];
    if (!(t->flags & TK_WORD)) return 0;
#ifdef DY_CHECK
    for (int k = 0; speech_words[k]; k++) assert(may_start(speech_first, speech_words[k]));
#endif
    const char *l = dy_word_str(s->d, t->lemma);
    const char *f = dy_word_str(s->d, t->form);
    if (!may_start(speech_first, l) && !may_start(speech_first, f)) return 0;
    for (int k = 0; speech_words[k]; k++) {
        const char *w = speech_words[k];
        if ((l[0] == w[0] && !strcmp(l, w)) || (f[0] == w[0] && !strcmp(f, w))) return 1;
    }
    return 0;
}

/* Finds who spoke each quotation: "..., said X", "..., X said", "X said: ...". */
static void attribute_quotes(dy_story_ctx *s)
{
    const dy_segmented *g = &s->seg;
    for (size_t q = 0; q < g->nquote; q++) {
        s->speaker[q] = -1;
        uint32_t open = g->quote[q].open, close = g->quote[q].close;
        if (close <= open) continue;
        /* after: within 8 tokens, a speech verb next to a mention */
        uint32_t end = close + 10 < g->ntok ? close + 10 : (uint32_t)g->ntok;
        for (uint32_t i = close + 1; i < end; i++) {
            if (g->tok[i].flags & TK_QUOTE) break;
            if (s->tok_sent[i] != s->tok_sent[close] && i > close + 1 &&
                !(s->tok_sent[close] + 1 == s->tok_sent[i] && i <= close + 2))
                break;
            if (!dy_is_speech(s, i)) continue;
            /* "..., X told reporters": the actor before the verb speaks, the one after it
             * listens; "..., said X": with none before, the one after speaks */
            if (i > 0 && s->tok_m[i - 1] >= 0) s->speaker[q] = s->tok_m[i - 1];
            else if (i + 1 < g->ntok && s->tok_m[i + 1] >= 0) s->speaker[q] = s->tok_m[i + 1];
            else {
                /* "said State Department spokesman Ned Price": the mention may start later */
                for (uint32_t k = i + 1; k < end && k < i + 4; k++)
                    if (s->tok_m[k] >= 0) {
                        s->speaker[q] = s->tok_m[k];
                        break;
                    }
            }
            break;
        }
        if (s->speaker[q] >= 0) continue;
        /* before: "X commented on Twitter when it happened: "..."": a speech verb earlier in
         * the same sentence, with the mention before it */
        uint32_t sent = s->tok_sent[open];
        uint32_t sfirst = g->sent[sent].first;
        for (uint32_t i = open; i-- > sfirst;) {
            if (g->tok[i].flags & TK_QUOTE) break;
            if (!dy_is_speech(s, i)) continue;
            for (uint32_t k = i; k-- > sfirst;)
                if (s->tok_m[k] >= 0 && !(s->m[s->tok_m[k]].flags & M_OBJECT)) {
                    s->speaker[q] = s->tok_m[k];
                    break;
                }
            break;
        }
    }
}

/* Adds a pronoun mention at token i standing for mention r. */
static int pronoun_mention(dy_story_ctx *s, uint32_t i, int32_t r, const char *why)
{
    static const char *const poss[] = {"its", "our", "their", "his", "her", "my", NULL};
    int is_poss = 0;
    for (int k = 0; poss[k]; k++)
        if (dy_tok_reads(s->text, &s->seg.tok[i], poss[k])) is_poss = 1;
    dy_mention *m = new_mention(s);
    if (!m) return -1;
    m->first = i;
    m->last = i + 1;
    m->sent = s->tok_sent[i];
    copy_ref(m, &s->m[r], r);
    m->flags |= M_PRONOUN | (is_poss ? M_POSS : 0);
    m->why = why;
    s->tok_m[i] = (int32_t)(m - s->m);
    return 0;
}

/* Puts mentions back in token order (insertion sort: they are nearly sorted) and re-points
 * tokens at them. */
/* Where each mention starts, before mentions move (sorted, merged): refs are indexes, and
 * remap_refs points them at the mention that starts there now. NULL when no mention refers to
 * another (nothing to remap) or out of memory (the stage then fails on s->a->failed). */
static uint32_t *ref_starts(dy_story_ctx *s)
{
    int any = 0;
    for (size_t k = 0; k < s->nm && !any; k++) any = s->m[k].ref >= 0;
    if (!any) return NULL;
    uint32_t *at = dy_arena_alloc(s->a, (s->nm + 1) * sizeof *at);
    for (size_t k = 0; at && k < s->nm; k++) at[k] = s->m[k].first;
    return at;
}

/* After the mentions moved and tok_m points at them again: each ref at the mention that now
 * covers the first token of the one it referred to (a member of a compound: the compound),
 * or -1 when none does. */
static void remap_refs(dy_story_ctx *s, const uint32_t *at, size_t nold)
{
    if (!at) return;
    for (size_t k = 0; k < s->nm; k++) {
        dy_mention *m = &s->m[k];
        if (m->ref < 0) continue;
        int32_t r = (size_t)m->ref < nold ? s->tok_m[at[m->ref]] : -1;
        m->ref = r == (int32_t)k ? -1 : r;
    }
}

static void sort_mentions(dy_story_ctx *s)
{
    size_t nold = s->nm;
    const uint32_t *at = ref_starts(s);
    /* a stable bottom-up merge sort: mentions appended out of order (pronouns) would make an
     * insertion sort quadratic in a long story. It sorts keys (first token, then place: as
     * stable as sorting the mentions) and moves each mention once, not once per pass (a
     * mention is some 450 bytes) */
    size_t n = s->nm, k = 1;
    while (k < n && s->m[k - 1].first <= s->m[k].first) k++;
    uint64_t *key = k < n ? dy_arena_alloc(s->a, 2 * n * sizeof *key) : NULL;
    dy_mention *tmp = key ? dy_arena_alloc(s->a, n * sizeof *tmp) : NULL;
    if (tmp) { /* (a failed allocation leaves s->a->failed set: the stage fails) */
        uint64_t *src = key, *dst = key + n;
        for (size_t i = 0; i < n; i++) src[i] = (uint64_t)s->m[i].first << 32 | i;
        for (size_t w = 1; w < n; w *= 2) {
            for (size_t lo = 0; lo < n; lo += 2 * w) {
                size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
                size_t i = lo, j = mid, o = lo;
                while (i < mid && j < hi) dst[o++] = src[j] < src[i] ? src[j++] : src[i++];
                while (i < mid) dst[o++] = src[i++];
                while (j < hi) dst[o++] = src[j++];
            }
            uint64_t *t = src;
            src = dst;
            dst = t;
        }
        for (size_t i = 0; i < n; i++) tmp[i] = s->m[(uint32_t)src[i]];
        memcpy(s->m, tmp, n * sizeof *s->m);
    }
    for (size_t k = 0; k < s->nm; k++)
        for (uint32_t t = s->m[k].first; t < s->m[k].last; t++) s->tok_m[t] = (int32_t)k;
    remap_refs(s, at, nold);
}

/* Resolves he/she (the last person), they (the last group, within two sentences), and, inside
 * a quotation, we/I (its speaker). Mentions are kept in text order by inserting as we go. */
/* Whether token i is a preposition that makes the phrase after it an adjunct, not a subject. */
static int governed(const dy_story_ctx *s, uint32_t i)
{
    static const char *const p[] = {"of", "on", "at", "against", "with", "to", "from", "by", "for", "about",
                                    "near", "in", "into", "toward", "towards", NULL};
    for (int k = 0; p[k]; k++)
        if (dy_tok_reads(s->text, &s->seg.tok[i], p[k])) return 1;
    return 0;
}

/* Whether mention m can be what "he"/"she" (person) or "it" (a singular group) stands for. */
static int person_like(const dy_mention *m)
{
    return (m->flags & M_PERSON) || (m->titles && !(m->flags & (M_PLURAL | M_OBJECT)) && m->ncode == 1);
}
static int thing_like(const dy_mention *m)
{
    return !(m->flags & (M_PERSON | M_PLURAL | M_OBJECT | M_PRONOUN)) && !m->titles && m->ncode == 1;
}

/* The antecedent of a pronoun at token i among mentions [0, upto): the first (leftmost: most
 * often the subject) fitting mention earlier in the same sentence, else in the nearest of the
 * three sentences before it that has one. -1 if none. */
static int32_t antecedent(const dy_story_ctx *s, uint32_t i, size_t upto, int (*fits)(const dy_mention *))
{
    uint32_t sent = s->tok_sent[i];
    for (uint32_t back = 0; back <= 3 && back <= sent; back++) {
        uint32_t want = sent - back;
        int32_t found = -1;
        for (size_t k = upto; k-- > 0;) {
            const dy_mention *m = &s->m[k];
            if (m->sent < want) break;
            if (m->sent != want || m->first >= i || !fits(m)) continue;
            /* not an actor inside a quotation the pronoun is outside of, nor one governed by a
             * preposition ("the assault on al-Kadhimi ..., he said") */
            const dy_token *mt = &s->seg.tok[m->first];
            if (mt->quote && mt->quote != s->seg.tok[i].quote) continue;
            if (m->first > 0 && governed(s, m->first - 1)) continue;
            found = (int32_t)k; /* keep going left: the leftmost wins */
        }
        if (found >= 0) return found;
    }
    return -1;
}

/* Resolves he/she (a person, preferring the subject of the sentence or the one before), it/its
 * (a singular group), they (the last group, within two sentences), and, inside a quotation,
 * we/I (its speaker). Mentions are kept in text order by inserting as we go. */
static int resolve_pronouns(dy_story_ctx *s)
{
    const dyad_dict *d = s->d;
    const dy_segmented *g = &s->seg;
    uint32_t he[] = {d->w_he, d->w_she, d->w_his, d->w_him}, we[] = {d->w_we, d->w_i, d->w_us, d->w_me, d->w_our},
             they[] = {d->w_they, d->w_their, d->w_them}, it[] = {d->w_it, d->w_its};
    /* a bit per pronoun id (its low six bits): a token whose form and lemma hit none is none */
    uint64_t bits = 0;
    for (int k = 0; k < 4; k++) bits |= 1ull << (he[k] & 63);
    for (int k = 0; k < 5; k++) bits |= 1ull << (we[k] & 63);
    for (int k = 0; k < 3; k++) bits |= 1ull << (they[k] & 63);
    for (int k = 0; k < 2; k++) bits |= 1ull << (it[k] & 63);
    /* he/she first: quotations are attributed with them ("he added") */
    sort_mentions(s);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) attribute_quotes(s);
        int32_t last_group = -1;
        size_t nm0 = s->nm;
        size_t mi = 0;
        for (uint32_t i = 0; i < g->ntok; i++) {
            while (mi < nm0 && s->m[mi].first <= i) {
                if (s->m[mi].flags & M_PLURAL && !(s->m[mi].flags & (M_PERSON | M_OBJECT))) last_group = (int32_t)mi;
                mi++;
            }
            if (s->tok_m[i] >= 0) continue;
            const dy_token *t = &g->tok[i];
            if (!(bits >> (t->form & 63) & 1) && !(bits >> (t->lemma & 63) & 1)) continue;
            int32_t r;
            if (pass == 0 && tok_in(s, i, he, 4) && !(t->quote && tok_in(s, i, we, 5))) {
                if ((r = antecedent(s, i, mi, person_like)) >= 0 &&
                    pronoun_mention(s, i, r, "he/she: the person the sentence (or the one before) is about"))
                    return -1;
            } else if (pass == 0 && tok_in(s, i, it, 2)) {
                if ((r = antecedent(s, i, mi, thing_like)) >= 0 &&
                    pronoun_mention(s, i, r, "it/its: the group the sentence (or the one before) is about"))
                    return -1;
            } else if (pass == 0 && tok_in(s, i, they, 3) && last_group >= 0 &&
                       s->tok_sent[i] <= s->m[last_group].sent + 1) {
                if (pronoun_mention(s, i, last_group, "they: the last group named")) return -1;
            } else if (pass == 1 && t->quote && tok_in(s, i, we, 5) &&
                       s->speaker[t->quote - 1] >= 0) {
                if (pronoun_mention(s, i, s->speaker[t->quote - 1], "we/I: the quotation's speaker"))
                    return -1;
            }
        }
        sort_mentions(s);
    }
    return 0;
}

/* What stands between two mentions of one sentence, tokens [a, b): 2 for a conjunction
 * ("and", "or", "nor", ", and"), 1 for a comma, 0 if they do not join. Either may be followed
 * by "the" and up to two lower-case words ("and the embattled Sudan"). */
static int compound_gap(const dy_story_ctx *s, uint32_t a, uint32_t b)
{
    const dyad_dict *d = s->d;
    const dy_token *t = s->seg.tok;
    int kind = 0;
    uint32_t i = a;
    if (i < b && (t[i].flags & TK_PUNCT) && s->text[t[i].start] == ',') {
        kind = 1;
        i++;
    }
    if (i < b && (dy_tok_is(&t[i], d->w_and) || dy_tok_is(&t[i], d->w_or) || dy_tok_is(&t[i], d->w_nor))) {
        kind = 2;
        i++;
    }
    if (!kind) return 0;
    if (i < b && dy_tok_is(&t[i], d->w_the)) i++;
    for (int adj = 0; adj < 2 && i < b; adj++, i++)
        if (!(t[i].flags & TK_WORD) || (t[i].flags & TK_CAP) || s->tok_m[i] >= 0) return 0;
    return i == b ? kind : 0;
}

/* "Iran and the United States", "France, Germany, Italy and Spain": mentions joined by commas
 * and a last "and" become one with every code. An agent placed before the first actor
 * ("the ambassadors of A, B and C", "lawmakers in A and B") goes with each actor; agents
 * standing alone before them ("lawmakers and officials in A and B") go with each too; one
 * after an adjective ("Danish media and government") takes its country. */
static void join_compounds(dy_story_ctx *s)
{
    const dyad_dict *d = s->d;
    size_t nold = s->nm;
    const uint32_t *at = ref_starts(s);
    size_t w = 0; /* mentions kept so far: a compound is written at w (no memmove per compound) */
    for (size_t k = 0; k < s->nm; k++) {
        /* the run of mentions that joins: commas, then a conjunction last */
        size_t j = k + 1, last_and = 0;
        while (j < s->nm && s->m[j].sent == s->m[k].sent && !(s->m[j].flags & M_OBJECT) &&
               !(s->m[j - 1].flags & M_OBJECT)) {
            int g = compound_gap(s, s->m[j - 1].last, s->m[j].first);
            if (!g) break;
            if (g == 2) last_and = j;
            j++;
        }
        if (!last_and) {
            s->m[w++] = s->m[k];
            continue;
        }
        size_t end = last_and + 1; /* members [k, end) */
        dy_mention *x = &s->m[k];
        dy_mention merged = *x;
        merged.ncode = 0;
        int32_t dist = -1;                /* an agent that came first, for the actors after */
        int32_t pending[DY_MAX_CODES];    /* agents alone, waiting for actors */
        int npending = 0, actors = 0;
        const dy_mention *adjective = NULL; /* "Danish media": its country for agents after */
        for (size_t i = k; i < end; i++) {
            const dy_mention *y = &s->m[i];
            if (y->flags & (M_PERSON | M_PRONOUN) || (!y->nbase && y->agent < 0)) {
                for (uint8_t c = 0; c < y->ncode; c++) add_code(&merged, y->code[c]);
                continue;
            }
            if (!y->nbase) { /* an agent alone */
                if (adjective) {
                    for (uint8_t c = 0; c < adjective->nbase; c++) {
                        char out[DY_CODE_MAX];
                        compose(&d->agents[y->agent], adjective->base[c], s->focus, out);
                        add_code(&merged, out);
                    }
                    actors++;
                } else if (npending < DY_MAX_CODES)
                    pending[npending++] = y->agent;
                continue;
            }
            actors++;
            if (y->agent >= 0) {
                for (uint8_t c = 0; c < y->ncode; c++) add_code(&merged, y->code[c]);
                if (y->agent_first) dist = y->agent;
                else adjective = y;
            } else if (dist >= 0) {
                for (uint8_t c = 0; c < y->nbase; c++) {
                    char out[DY_CODE_MAX];
                    compose(&d->agents[dist], y->base[c], s->focus, out);
                    add_code(&merged, out);
                }
            } else
                for (uint8_t c = 0; c < y->ncode; c++) add_code(&merged, y->code[c]);
            for (int p = 0; p < npending; p++)
                for (uint8_t c = 0; c < y->nbase; c++) {
                    char out[DY_CODE_MAX];
                    compose(&d->agents[pending[p]], y->base[c], s->focus, out);
                    add_code(&merged, out);
                }
        }
        if (!actors) /* agents alone: their own codes */
            for (size_t i = k; i < end; i++)
                for (uint8_t c = 0; c < s->m[i].ncode; c++) add_code(&merged, s->m[i].code[c]);
        merged.last = s->m[end - 1].last;
        merged.flags &= (uint8_t)~M_PERSON;
        merged.flags |= M_PLURAL;
        merged.why = "compound";
        merged.nbase = 0;
        merged.agent = -1;
        s->m[w++] = merged;
        k = end - 1;
    }
    s->nm = w;
    for (size_t k = 0; k < s->nm; k++)
        for (uint32_t t = s->m[k].first; t < s->m[k].last; t++) s->tok_m[t] = (int32_t)k;
    remap_refs(s, at, nold);
}

/* "Ali Shamkhani, secretary of the Iranian National Security Council,": a name the
 * dictionaries do not know, followed by an appositive that says what it is, is a new actor
 * with the appositive's code. */
static int appositive_names(dy_story_ctx *s)
{
    const dy_segmented *g = &s->seg;
    size_t nm = s->nm;
    for (size_t k = 0; k < nm; k++) {
        const dy_mention *m = &s->m[k];
        if (m->flags & (M_PERSON | M_OBJECT) || m->ncode != 1) continue;
        uint32_t i = m->first, begin = g->sent[m->sent].first;
        /* ", secretary of the <actor>": allow an agent-less head word and "of (the)" */
        uint32_t lim = i > begin + 6 ? i - 6 : begin;
        while (i > lim && !(g->tok[i - 1].flags & TK_PUNCT)) i--;
        if (i <= begin + 1 || s->text[g->tok[i - 1].start] != ',') continue;
        uint32_t comma = i - 1, e = comma, b = comma;
        while (b > begin && b + 3 > comma && name_token(s, b - 1)) b--;
        if (b == e || (e - b == 1 && g->tok[b].len < 4)) continue;
        if (b > begin && !(g->tok[b - 1].flags & TK_PUNCT)) continue; /* must open its clause */
        dy_mention *p = new_mention(s);
        if (!p) return -1;
        m = &s->m[k];
        *p = *m;
        p->first = b;
        p->last = e;
        p->flags = M_PERSON | M_NEW;
        p->name = s->text + g->tok[b].start;
        p->name_len = g->tok[e - 1].start + g->tok[e - 1].len - g->tok[b].start;
        p->why = "new actor named by an appositive";
        for (uint32_t t = b; t < e; t++) s->tok_m[t] = (int32_t)(p - s->m);
    }
    return 0;
}

/* "the European Union (EU)": an acronym in parentheses right after a name belongs to it. */
static void take_parentheses(dy_story_ctx *s)
{
    const dy_token *t = s->seg.tok;
    for (size_t k = 0; k < s->nm; k++) {
        dy_mention *m = &s->m[k];
        uint32_t o = m->last, e = o + 1;
        if (o >= s->seg.ntok || !(t[o].flags & TK_PUNCT) || s->text[t[o].start] != '(') continue;
        while (e < s->seg.ntok && e <= o + 3 && !(t[e].flags & TK_PUNCT) && s->tok_sent[e] == m->sent) e++;
        if (e == o + 1 || e >= s->seg.ntok || !(t[e].flags & TK_PUNCT) || s->text[t[e].start] != ')') continue;
        int ok = 1;
        for (uint32_t i = o + 1; i < e; i++) {
            int32_t x = s->tok_m[i];
            if (!(t[i].flags & TK_UPPER) && !(x >= 0 && s->m[x].ncode == m->ncode && !strcmp(s->m[x].code[0], m->code[0])))
                ok = 0;
            if (x >= 0 && x != (int32_t)k) ok = 0; /* another mention: keep it (it is dropped below) */
        }
        if (!ok) continue;
        m->last = e + 1;
        for (uint32_t i = o; i <= e; i++) s->tok_m[i] = (int32_t)k;
    }
}

/* ==== new actors from noun phrases (PETRARCH's new_actor_length) ========================== */

/* An actor the act implies without naming it: see story.h. */
int32_t dy_implied_actor(dy_story_ctx *s, uint32_t anchor, const char *sector, const char *why)
{
    dy_mention *m = new_mention(s);
    if (!m) return -1;
    m->first = anchor;
    m->last = anchor + 1;
    m->sent = s->tok_sent[anchor];
    m->flags = M_IMPLIED;
    snprintf(m->code[0], DY_CODE_MAX, "%s%s", s->focus, sector);
    m->ncode = 1;
    m->why = why;
    return (int32_t)(m - s->m);
}

/* Words that end a noun phrase before or after it: verbs' helpers, prepositions (not "of"),
 * conjunctions and clause openers. */
static int np_stop(const dy_story_ctx *s, uint32_t i)
{
    static const char *const w[] = {"is", "are", "was", "were", "be", "been", "being", "has", "have",
        "had", "will", "would", "can", "could", "should", "may", "might", "must", "did", "does", "do",
        "not", "to", "and", "or", "but", "in", "on", "at", "for", "with", "by", "from", "into",
        "about", "after", "before", "during", "since", "until", "over", "under", "against",
        "that", "which", "who", "whom", "when", "while", "as", "if", "also", "then", NULL};
    const dy_token *t = &s->seg.tok[i];
    if (!(t->flags & TK_WORD)) return !(t->len == 2 && s->text[t->start] == '\''); /* 's goes on */
    for (int k = 0; w[k]; k++)
        if (dy_tok_reads(s->text, t, w[k])) return 1;
    const char *x = s->text + t->start;
    return t->len > 4 && x[t->len - 2] == 'l' && x[t->len - 1] == 'y' && !(t->flags & TK_CAP);
}

int32_t dy_new_actor(dy_story_ctx *s, uint32_t anchor, int after, uint32_t from)
{
    int n = s->opt->new_actor_length;
    const dy_segmented *g = &s->seg;
    uint32_t sent = s->tok_sent[anchor], begin = g->sent[sent].first, end = begin + g->sent[sent].count;
    uint32_t a, b;
    if (!after) { /* the subject: the words before the verb and its helpers */
        b = anchor;
        while (b > begin && np_stop(s, b - 1) && (s->seg.tok[b - 1].flags & TK_WORD)) b--;
        a = b;
        while (a > begin && !np_stop(s, a - 1) && s->tok_m[a - 1] < 0) a--;
    } else { /* the object: after a preposition, the words up to the next one */
        a = from;
        if (a < end && np_stop(s, a) && (s->seg.tok[a].flags & TK_WORD)) a++;
        b = a;
        while (b < end && s->tok_m[b] < 0 && (!np_stop(s, b) || dy_tok_reads(s->text, &s->seg.tok[b], "of"))) b++;
        while (b > a && dy_tok_reads(s->text, &s->seg.tok[b - 1], "of")) b--;
    }
    if (b <= a || (a > begin && s->tok_m[a - 1] >= 0 && !after)) return -1;
    /* its words, without possessive 's, at most n of them */
    char name[256];
    size_t k = 0;
    int words = 0;
    for (uint32_t i = a; i < b; i++) {
        const dy_token *t = &s->seg.tok[i];
        if (!(t->flags & TK_WORD) || (t->len == 2 && s->text[t->start] == '\'')) continue;
        if (++words > n || k + t->len + 2 >= sizeof name) return -1;
        if (k) name[k++] = ' ';
        memcpy(name + k, s->text + t->start, t->len);
        k += t->len;
    }
    if (!words) return -1;
    dy_mention *m = new_mention(s);
    if (!m) return -1;
    m->first = a;
    m->last = b;
    m->sent = sent;
    m->flags = M_NEW;
    m->name = dy_arena_strndup(s->a, name, k);
    m->name_len = k;
    m->why = "new actor: a noun phrase no dictionary names";
    if (!m->name) return -1;
    for (uint32_t i = a; i < b; i++) s->tok_m[i] = (int32_t)(m - s->m);
    return (int32_t)(m - s->m);
}

/* "Miyazawa told reporters ...", "briefing journalists", "speaking to reporters": the press a
 * speaker addresses is the audience of what is said, neither the one who acts in it nor the
 * one it is done to. Such a mention (the agent alone, no country named with it) is taken out
 * of the token map, and marked as no source. */
static void press_audience(dy_story_ctx *s)
{
    static const char *const press[] = {"reporters", "journalists", "newsmen", "correspondents",
        "newspapermen", "press", NULL};
    static const char *const to[] = {"told", "tell", "tells", "telling", "briefed", "briefing",
        "brief", "briefs", "addressed", "addressing", "to", "with", NULL};
    for (size_t k = 0; k < s->nm; k++) {
        dy_mention *m = &s->m[k];
        if (m->agent < 0 || m->nbase || (m->flags & M_PRONOUN) || m->first == 0) continue;
        int hit = 0;
        for (int w = 0; press[w] && !hit; w++) hit = dy_tok_reads(s->text, &s->seg.tok[m->last - 1], press[w]);
        if (!hit) continue;
        uint32_t b = m->first - 1;
        if (b > 0 && dy_tok_reads(s->text, &s->seg.tok[b], "the")) b--;
        hit = 0;
        for (int w = 0; to[w] && !hit; w++) hit = dy_tok_reads(s->text, &s->seg.tok[b], to[w]);
        if (!hit) continue;
        m->flags |= M_OBJECT;
        for (uint32_t t = m->first; t < m->last; t++)
            if (s->tok_m[t] == (int32_t)k) s->tok_m[t] = -1;
    }
}

/* Whether the capitalised word at token k, in the sentence of token k - 1, goes on with a
 * proper name: a capitalised word that is no actor, no weekday or month, no place word
 * ("Kharkiv Oblast", "Gaza City", "Baghdad Airport", "Calabar South") and does not open a
 * sentence. */
static int name_goes_on(const dy_story_ctx *s, uint32_t k)
{
    static const char *const place[] = {"city", "province", "region", "oblast", "governorate",
        "district", "county", "state", "strip", "valley", "airport", "port", "harbour", "harbor",
        "countryside", "suburbs", "area", "river", "dam", "bay", "island", "islands",
        /* a part of the city or a district named after it: "Calabar South", "Jos North" */
        "north", "south", "east", "west", "central", "monday",
        "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
        "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", NULL};
    const dy_segmented *sg = &s->seg;
    if (k >= sg->ntok || s->tok_sent[k] != s->tok_sent[k - 1] || s->tok_m[k] >= 0) return 0;
    const dy_token *u = &sg->tok[k];
    if (!(u->flags & TK_WORD) || !(u->flags & TK_CAP) || (u->flags & TK_UPPER)) return 0;
    for (int w = 0; place[w]; w++)
        if (dy_tok_reads(s->text, u, place[w])) return 0;
    return 1;
}

/* "Russian forces shelled Kharkiv": a town the dictionaries do not name stands for its
 * country, as capitals do. A capitalised word (or two) not yet an actor that the gazetteer
 * knows as a city of 50,000 or more (or a seat of government), and not as an English word,
 * becomes a mention with its country's code; the story's own country wins a tie. */
static int place_actors(dy_story_ctx *s)
{
    const dy_gazetteer *g = dy_gazetteer_builtin();
    if (!g) return 0;
    const dy_segmented *sg = &s->seg;
    size_t nm0 = s->nm;
    for (uint32_t i = 0; i < sg->ntok; i++) {
        const dy_token *t = &sg->tok[i];
        if (s->tok_m[i] >= 0 || !(t->flags & TK_WORD) || !(t->flags & TK_CAP) || (t->flags & TK_UPPER)) continue;
        if (t->len < 3) continue;
        /* the longest of one or two capitalised words: "New York" before "York", even though
         * "New" alone is a word the dictionaries use */
        uint32_t last = i + 1;
        const dy_gaz_name *nm = NULL;
        if (i + 1 < sg->ntok && s->tok_m[i + 1] < 0 && (sg->tok[i + 1].flags & TK_CAP) &&
            s->tok_sent[i + 1] == s->tok_sent[i]) {
            const dy_token *u = &sg->tok[i + 1];
            char k2[DY_GAZ_KEY_MAX];
            int n2 = dy_gaz_normalise(s->text + t->start, u->start + u->len - t->start, k2, sizeof k2);
            if (n2 > 0 && (nm = dy_gaz_lookup(g, k2, (size_t)n2)) && !(nm->flags & NMF_COMMON) && nm->npost)
                last = i + 2;
            else
                nm = NULL;
        }
        char key[DY_GAZ_KEY_MAX];
        if (!nm) {
            /* a word the dictionaries use ("We", "Reading", "Nice") is read as that word */
            if (t->form) continue;
            int kn = dy_gaz_normalise(s->text + t->start, t->len, key, sizeof key);
            if (kn <= 0 || !dy_gaz_may_start(g, key, (size_t)kn)) continue;
            nm = dy_gaz_lookup(g, key, (size_t)kn);
        }
        if (!nm || (nm->flags & NMF_COMMON) || !nm->npost) continue;
        /* "Paris Club", "Amsterdam Stock Exchange", "Taft Broadcasting Co", "Washington Post":
         * a city's name that opens a longer proper name names a body, not the city's country */
        if (name_goes_on(s, last)) {
            i = last - 1;
            continue;
        }
        size_t np;
        const uint32_t *post = dy_gaz_postings(g, nm, &np);
        const dy_gaz_entry *best = NULL;
        for (size_t k = 0; k < np && k < 8; k++) {
            if (post[k] & DY_GAZ_ALT) continue; /* its own name, not an alternate spelling */
            const dy_gaz_entry *e = dy_gaz_entry_at(g, DY_GAZ_ENTRY(post[k]));
            if (e->kind != GZ_CITY || e->country == DY_GAZ_NONE) continue;
            int seat = !strncmp(e->fcode, "PPLC", 4) || !strncmp(e->fcode, "PPLA", 4);
            if (e->population < 50000 && !seat) continue;
            const dy_gaz_country *c = dy_gaz_country_at(g, e->country);
            if (!best || (s->focus[0] && !strcmp(c->iso3, s->focus)) ) best = e;
            if (s->focus[0] && !strcmp(c->iso3, s->focus)) break;
        }
        if (!best) continue;
        const dy_gaz_country *c = dy_gaz_country_at(g, best->country);
        dy_mention *m = new_mention(s);
        if (!m) return -1;
        m->agent = -1;
        m->first = i;
        m->last = last;
        m->sent = s->tok_sent[i];
        add_code(m, c->iso3);
        m->name = dy_gaz_str(g, best->name);
        m->name_len = strlen(m->name);
        m->why = "a city the gazetteer knows stands for its country";
        m->flags |= M_CITY;
        for (uint32_t k = i; k < last; k++) s->tok_m[k] = (int32_t)(m - s->m);
        i = last - 1;
    }
    (void)nm0;
    return 0;
}

int dy_actors_find(dy_story_ctx *s)
{
    const dy_segmented *g = &s->seg;
    raw *r = dy_arena_alloc(s->a, (g->ntok + 1) * sizeof *r);
    if (!r && g->ntok) return -1;
    size_t nr = 0;
    for (size_t si = 0; si < g->nsent; si++) {
        const dy_sentence *st = &g->sent[si];
        uint32_t end = st->first + st->count;
        for (uint32_t i = st->first; i < end;) {
            const dy_token *t = &g->tok[i];
            if (!(t->flags & (TK_WORD | TK_NUM))) {
                i++;
                continue;
            }
            raw x = {0};
            int n = longest_phrase(s, i, end, &x);
            if (n > 0) {
                r[nr++] = x;
                i += (uint32_t)n;
            } else if (alignment_word(s, i, &x)) {
                r[nr++] = x;
                i++;
            } else
                i++;
        }
    }
    find_focus(s, r, nr);
    find_where(s, r, nr);
    if (country_words(s, r, nr)) return -1;
    /* group raw matches standing together into mentions */
    for (size_t a = 0; a < nr;) {
        size_t b = a + 1;
        while (b < nr && s->tok_sent[r[b].first] == s->tok_sent[r[a].first] &&
               continues(s, &r[b - 1], &r[b]) && !(r[b].kind == R_ACTOR && place_after(s, r, a, b)))
            b++;
        /* an attribute alone ("pro-Iranian") qualifies the group that follows it */
        if (b - a == 1 && r[a].kind == R_ATTR && b < nr && r[b].first == r[a].last) {
            b++;
            while (b < nr && continues(s, &r[b - 1], &r[b])) b++;
        }
        uint32_t nf = 0, nl = 0;
        if (r[b - 1].kind == R_AGENT) {
            /* a capitalised name right after an agent: a new actor */
            uint32_t k = r[b - 1].last, end = g->sent[s->tok_sent[k - 1]].first +
                                               g->sent[s->tok_sent[k - 1]].count;
            nf = k;
            while (k < end && k < nf + 3 && name_token(s, k) &&
                   (b >= nr || k < r[b].first))
                k++;
            nl = k > nf + 1 || (k == nf + 1 && g->tok[nf].len > 3) ? k : nf;
        }
        if (make_mention(s, r, a, b, nf, nl)) return -1;
        a = b;
    }
    take_parentheses(s);
    if (place_actors(s)) return -1;
    sort_mentions(s);
    join_compounds(s);
    if (appositive_names(s)) return -1;
    if (resolve_pronouns(s)) return -1;
    attribute_quotes(s); /* again: mention indexes moved while pronouns were added */
    press_audience(s);
    return s->a->failed ? -1 : 0;
}
