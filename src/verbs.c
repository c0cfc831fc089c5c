/*
 * verbs.c — the verbs stage: for each sentence, every token that anchors an event pattern is
 * tried against its patterns (heaviest first); matches record the tokens they cover and any
 * source/target slots they fill. Overlapping matches keep the heaviest: "threatened to attack
 * X" is one threat, not a threat and an attack. Produces candidate events for events.c.
 */
#include <string.h>

#include "story.h"

#define GAP_MAX 10 /* tokens a "..." may skip */
#define SKIP_MAX 3 /* determiners/adverbs skipped between two elements */

typedef struct match {
    uint32_t first, last; /* tokens covered */
    int32_t src, tgt;     /* explicit slots, -1 */
    int tgt_subject;      /* a + before the anchor: the subject is the target */
    int src_subject;      /* a $ before the anchor */
} match;

/* Function words skipped between pattern elements. */
static int skippable(const dy_story_ctx *s, uint32_t i)
{
    static const char *const det[] = {"the", "a", "an", "this", "that", "these", "those", "its",
        "his", "her", "their", "our", "my", "your", "some", "any", "all", "both", "each",
        "every", "another", "such", "'s", "new", "further", "fresh", "more", NULL};
    const dy_token *t = &s->seg.tok[i];
    if (!(t->flags & TK_WORD)) return t->len == 2 && s->text[t->start] == '\''; /* 's */
    if (t->flags & TK_CAP && !(t->flags & TK_PARA)) return 0;
    const char *f = dy_word_str(s->d, t->form);
    if (*f) {
        for (int k = 0; det[k]; k++)
            if (!strcmp(f, det[k])) return 1;
    }
    const char *w = s->text + t->start;
    return t->len > 4 && w[t->len - 2] == 'l' && w[t->len - 1] == 'y' && !(t->flags & TK_CAP);
}

/* A token no gap or target search crosses: ; : ( ) and quotation marks. */
int dy_clause_edge(const dy_story_ctx *s, uint32_t i)
{
    const dy_token *t = &s->seg.tok[i];
    if (t->flags & TK_QUOTE) return 1;
    if (!(t->flags & TK_PUNCT)) return 0;
    char c = s->text[t->start];
    return c == ';' || c == ':' || c == '(' || c == ')';
}

/* Matches set member phrases at i; returns the end of the longest member, or 0. */
static uint32_t set_at(const dy_story_ctx *s, uint32_t set, uint32_t i, uint32_t end)
{
    const dy_set *st = &s->d->sets[set];
    uint32_t best = 0;
    for (uint32_t k = 0; k < st->nphrase; k++) {
        const dy_phrase *p = &s->d->set_phrases[st->phrase0 + k];
        if (i + p->n > end || i + p->n <= best) continue;
        uint16_t j;
        for (j = 0; j < p->n; j++)
            if (!dy_tok_is(&s->seg.tok[i + j], p->w[j])) break;
        if (j == p->n) best = i + p->n;
    }
    return best;
}

/* The mention a slot at i stands for: one starting there, or after a few lower-case words
 * that describe what belongs to it ("the results of last month's parliamentary elections",
 * "the home of X"); returns it and sets *after to its end, or -1. */
static int32_t slot_at(const dy_story_ctx *s, uint32_t i, uint32_t end, uint32_t *after)
{
    for (int adj = 0; adj < 7 && i < end; adj++, i++) {
        int32_t m = s->tok_m[i];
        if (m >= 0 && s->m[m].first == i) {
            *after = s->m[m].last;
            return m;
        }
        const dy_token *t = &s->seg.tok[i];
        int poss = t->len == 2 && s->text[t->start] == '\'';
        if (!poss && (!(t->flags & TK_WORD) || (t->flags & TK_CAP))) break;
    }
    return -1;
}

/* Matches element k.. of pattern p forward from token i; fills mt; returns the end token or
 * -1. Recursion depth is bounded by the pattern's length. */
static long fwd(const dy_story_ctx *s, const dy_pattern *p, uint16_t k, uint32_t i, uint32_t end,
                match *mt)
{
    if (k == p->nel) return (long)i;
    const dy_pelem *e = &p->el[k];
    if (e->kind == PE_GAP) {
        for (uint32_t g = 0; g <= GAP_MAX && i + g <= end; g++) {
            if (g > 0 && dy_clause_edge(s, i + g - 1)) break;
            match save = *mt;
            long r = fwd(s, p, (uint16_t)(k + 1), i + g, end, mt);
            if (r >= 0) return r;
            *mt = save;
        }
        return -1;
    }
    for (int skip = 0; skip <= SKIP_MAX && i <= end; skip++) {
        if (i < end) {
            uint32_t next = 0;
            const dy_token *t = &s->seg.tok[i];
            switch (e->kind) {
            case PE_WORD:
                if (dy_tok_is(t, e->w[0])) next = i + 1;
                break;
            case PE_ALT:
                for (uint16_t a = 0; a < e->nw; a++)
                    if (dy_tok_is(t, e->w[a])) next = i + 1;
                break;
            case PE_SET:
                if (e->set != UINT32_MAX) next = set_at(s, e->set, i, end);
                break;
            case PE_SRC:
            case PE_TGT:
            case PE_OTHER: {
                uint32_t after;
                int32_t m = slot_at(s, i, end, &after);
                if (m >= 0 && !(e->kind == PE_SRC && (s->m[m].flags & M_OBJECT))) {
                    match save = *mt;
                    if (e->kind == PE_SRC) mt->src = m;
                    else if (e->kind == PE_TGT) mt->tgt = m;
                    long r = fwd(s, p, (uint16_t)(k + 1), after, end, mt);
                    if (r >= 0) return r;
                    *mt = save;
                }
                break;
            }
            }
            if (next) {
                long r = fwd(s, p, (uint16_t)(k + 1), next, end, mt);
                if (r >= 0) return r;
            }
        }
        if (i >= end || !skippable(s, i)) break;
        i++;
    }
    if (e->optional) return fwd(s, p, (uint16_t)(k + 1), i, end, mt);
    return -1;
}

/* Matches the literal elements before the anchor, going left from token i (exclusive).
 * Leading slot elements stand for the subject and are left to the subject search. Returns
 * the first token covered, or -1. */
static long back(const dy_story_ctx *s, const dy_pattern *p, uint32_t i, uint32_t begin, match *mt)
{
    int k = (int)p->anchor - 1;
    for (; k >= 0; k--) {
        const dy_pelem *e = &p->el[k];
        if (e->kind == PE_SRC || e->kind == PE_TGT || e->kind == PE_OTHER) {
            int only_slots = 1;
            for (int j = 0; j < k; j++)
                if (p->el[j].kind != PE_SRC && p->el[j].kind != PE_TGT) only_slots = 0;
            if (only_slots) {
                for (int j = 0; j <= k; j++) {
                    if (p->el[j].kind == PE_TGT) mt->tgt_subject = 1;
                    if (p->el[j].kind == PE_SRC) mt->src_subject = 1;
                }
                break;
            }
            /* a slot between literals: the mention must end right here */
            if (i == begin || s->tok_m[i - 1] < 0) return -1;
            int32_t m = s->tok_m[i - 1];
            if (e->kind == PE_SRC) mt->src = m;
            else if (e->kind == PE_TGT) mt->tgt = m;
            i = s->m[m].first;
            continue;
        }
        if (e->kind == PE_GAP) continue; /* a gap before the anchor: the next literal may be
                                            anywhere in the clause; kept simple: adjacent */
        int ok = 0;
        for (int skip = 0; skip <= SKIP_MAX && i > begin; skip++) {
            const dy_token *t = &s->seg.tok[i - 1];
            if (e->kind == PE_WORD && dy_tok_is(t, e->w[0])) {
                ok = 1;
            } else if (e->kind == PE_ALT) {
                for (uint16_t a = 0; a < e->nw; a++)
                    if (dy_tok_is(t, e->w[a])) ok = 1;
            } else if (e->kind == PE_SET && e->set != UINT32_MAX &&
                       set_at(s, e->set, i - 1, i) == i) {
                ok = 1;
            }
            if (ok) {
                i--;
                break;
            }
            if (!skippable(s, i - 1)) break;
            i--;
        }
        if (!ok && !e->optional) return -1;
    }
    return (long)i;
}

/* Whether a word anchoring a verb-only reading is used as a noun here ("the attack"). */
static int noun_use(const dy_story_ctx *s, uint32_t i, uint32_t begin)
{
    if (i == begin) return 0;
    static const char *const det[] = {"the", "a", "an", "this", "that", "its", "his", "her",
                                      "their", "our", "my", "your", "'s", NULL};
    const dy_token *t = &s->seg.tok[i - 1];
    const char *f = dy_word_str(s->d, t->form);
    if (t->len == 2 && s->text[t->start] == '\'') return 1;
    for (int k = 0; det[k]; k++)
        if (!strcmp(f, det[k])) return 1;
    return 0;
}

static dy_event *new_event(dy_story_ctx *s)
{
    if (s->nev == s->evcap) {
        size_t nc = s->evcap ? s->evcap * 2 : 32;
        dy_event *ne = dy_arena_alloc(s->a, nc * sizeof *ne);
        if (!ne) return NULL;
        if (s->nev) memcpy(ne, s->ev, s->nev * sizeof *ne);
        s->ev = ne;
        s->evcap = nc;
    }
    dy_event *e = &s->ev[s->nev++];
    memset(e, 0, sizeof *e);
    return e;
}

typedef struct cand {
    uint32_t pattern, anchor;
    match mt;
} cand;

int dy_verbs_match(dy_story_ctx *s)
{
    const dyad_dict *d = s->d;
    const dy_segmented *g = &s->seg;
    cand *c = dy_arena_alloc(s->a, 64 * sizeof *c);
    if (!c) return -1;
    for (size_t si = 0; si < g->nsent; si++) {
        const dy_sentence *st = &g->sent[si];
        if (st->flags & SENT_HEADLINE) continue;
        uint32_t begin = st->first, end = st->first + st->count;
        size_t nc = 0;
        for (uint32_t i = begin; i < end; i++) {
            const dy_token *t = &g->tok[i];
            if (!(t->flags & TK_WORD) || s->tok_m[i] >= 0) continue;
            uint32_t keys[2] = {t->form, t->lemma};
            for (int kk = 0; kk < 2; kk++) {
                uint32_t w = keys[kk];
                if (!w || (kk == 1 && w == keys[0])) continue;
                for (uint32_t j = d->anchor_head[w]; j < d->anchor_head[w + 1]; j++) {
                    uint32_t pi = d->anchor_idx[j];
                    const dy_pattern *p = &d->patterns[pi];
                    if (p->weight == 0) continue;
                    int explicit_after = 0;
                    for (uint16_t k = p->anchor + 1; k < p->nel; k++)
                        if (p->el[k].kind == PE_SRC || p->el[k].kind == PE_TGT) explicit_after = 1;
                    if (!explicit_after && p->anchor == 0 && noun_use(s, i, begin)) continue;
                    match mt = {0, 0, -1, -1, 0, 0};
                    long first = back(s, p, i, begin, &mt);
                    if (first < 0) continue;
                    long last = fwd(s, p, (uint16_t)(p->anchor + 1), i + 1, end, &mt);
                    if (last < 0) continue;
                    mt.first = (uint32_t)first;
                    mt.last = (uint32_t)last;
                    if (nc < 64) c[nc++] = (cand){pi, i, mt};
                    break; /* heaviest pattern of this anchor word wins */
                }
            }
        }
        /* keep the heaviest of overlapping matches */
        for (size_t a = 0; a < nc; a++) {
            const dy_pattern *pa = &d->patterns[c[a].pattern];
            int beaten = 0;
            for (size_t b = 0; b < nc && !beaten; b++) {
                if (a == b) continue;
                const dy_pattern *pb = &d->patterns[c[b].pattern];
                int overlap = c[b].mt.first <= c[a].anchor && c[a].anchor < c[b].mt.last;
                if (!overlap) continue;
                uint32_t la = c[a].mt.last - c[a].mt.first, lb = c[b].mt.last - c[b].mt.first;
                if (pb->weight > pa->weight || (pb->weight == pa->weight && lb > la) ||
                    (pb->weight == pa->weight && lb == la && b < a))
                    beaten = 1;
            }
            if (beaten) continue;
            if (pa->cameo == UINT32_MAX) continue; /* "---": matched, no event */
            dy_event *e = new_event(s);
            if (!e) return -1;
            e->pattern = c[a].pattern;
            e->cameo = &d->cameo[pa->cameo];
            e->src = c[a].mt.src;
            e->tgt = c[a].mt.tgt;
            e->sent = (uint32_t)si;
            e->anchor = c[a].anchor;
            e->first = c[a].mt.first;
            e->last = c[a].mt.last;
            e->sents[0] = (uint32_t)si;
            e->nsent = 1;
            if (c[a].mt.tgt_subject) e->passive = 2; /* subject is target */
            else if (c[a].mt.src_subject) e->passive = 3;
        }
    }
    return s->a->failed ? -1 : 0;
}
