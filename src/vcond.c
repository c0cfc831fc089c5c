/*
 * vcond.c — the conditions of event patterns (vcond.h): built from a finished dictionary's
 * patterns, and marked per sentence for verbs.c.
 */
#include <stdlib.h>
#include <string.h>

#include "vcond.h"

#define FREQUENT 64 /* words marked as bits rather than posted: one bit each in a uint64_t */

/* Whether two literal elements are met by the same words (verbs.c literal_maybe, set_at). */
static int same_literal(const dy_pelem *a, const dy_pelem *b)
{
    if ((a->kind == PE_SET) != (b->kind == PE_SET)) return 0;
    if (a->kind == PE_SET) return a->set == b->set; /* a set ignores exactness (set_at) */
    return a->exact == b->exact && a->nw == b->nw && (!a->nw || !memcmp(a->w, b->w, a->nw * sizeof *a->w));
}

static uint32_t literal_hash(const dy_pelem *e)
{
    if (e->kind == PE_SET) return (e->set + 1) * 2654435761u;
    uint32_t h = e->exact;
    for (uint16_t a = 0; a < e->nw; a++) h = (h ^ e->w[a]) * 2654435761u;
    return h ^ h >> 15;
}

/* Calls each_word(x, w, form_only, c) for each word that meets condition c: the nonzero words
 * of alternatives (word 0 is no word: verbs.c word_at), form_only when they are exact; the
 * first words of a set's members, once each, met by form or lemma even when a member is exact
 * (which only lets more patterns through). */
static void each_word(const dyad_dict *d, uint32_t c, void (*fn)(dy_vcond_index *, uint32_t, uint32_t, uint32_t),
                      dy_vcond_index *x)
{
    const dy_pelem *e = x->el[c];
    if (e->kind != PE_SET) {
        for (uint16_t a = 0; a < e->nw; a++)
            if (e->w[a]) fn(x, e->w[a], e->exact ? 1u : 0u, c);
    } else if (e->set != UINT32_MAX) {
        const dy_phrase *ph = &d->set_phrases[d->sets[e->set].phrase0];
        for (uint32_t m = 0; m < d->sets[e->set].nphrase; m++) /* members sorted by first word */
            if (ph[m].w[0] && (!m || ph[m].w[0] != ph[m - 1].w[0])) fn(x, ph[m].w[0], 0, c);
    }
}

/* The passes of each_word: count the postings of each word (head[w + 1]); then post them, or
 * set the bit of a frequent word in the condition's mask. */
static void count_word(dy_vcond_index *x, uint32_t w, uint32_t form_only, uint32_t c)
{
    (void)form_only, (void)c;
    x->head[w + 1]++;
}
static void post_word(dy_vcond_index *x, uint32_t w, uint32_t form_only, uint32_t c)
{
    if (x->fbit[w]) x->fmask[c][form_only] |= (uint64_t)1 << (x->fbit[w] - 1);
    else x->post[x->head[w]++] = c << 1 | form_only;
}

void dy_vcond_free(dy_vcond_index *x)
{
    free(x->el);
    free(x->list);
    free(x->head);
    free(x->post);
    free(x->fbit);
    free(x->fmask);
    memset(x, 0, sizeof *x);
}

/* The conditions of each pattern: x->el, x->n, x->list, and first[i] (where pattern i's start
 * in list; first[npattern] the end). Returns 0, or -1 when out of memory. */
static int list_conditions(const dyad_dict *d, dy_vcond_index *x, uint32_t *first)
{
    uint32_t nel = 0;
    for (uint32_t i = 0; i < d->npattern; i++) nel += d->patterns[i].nel;
    uint32_t cap = 16; /* hash slots: a power of two above twice the elements */
    while (cap < 2 * nel + 2) cap *= 2;
    uint32_t *slot = calloc(cap, sizeof *slot);    /* condition + 1, 0: empty */
    uint8_t *empty = calloc((size_t)d->nset + 1, 1); /* a set with an empty member: no condition */
    x->el = malloc(((size_t)nel + 1) * sizeof *x->el);
    x->list = malloc(((size_t)nel + 1) * sizeof *x->list);
    if (!slot || !empty || !x->el || !x->list) {
        free(slot);
        free(empty);
        return -1;
    }
    /* an empty member matches nothing before a token (verbs.c set_before): such a set is no
     * condition */
    for (uint32_t i = 0; i < d->nset; i++)
        for (uint32_t k = 0; k < d->sets[i].nphrase; k++)
            if (!d->set_phrases[d->sets[i].phrase0 + k].n) empty[i] = 1;
    uint32_t nlist = 0;
    for (uint32_t i = 0; i < d->npattern; i++) {
        const dy_pattern *p = &d->patterns[i];
        first[i] = nlist;
        for (uint16_t k = 0; k < p->nel; k++) {
            const dy_pelem *e = &p->el[k];
            if (k == p->anchor || e->optional) continue;
            if (e->kind != PE_WORD && e->kind != PE_ALT && e->kind != PE_SET) continue;
            if (e->kind == PE_SET && e->set != UINT32_MAX && empty[e->set]) continue;
            uint32_t h = literal_hash(e) & (cap - 1);
            while (slot[h] && !same_literal(x->el[slot[h] - 1], e)) h = (h + 1) & (cap - 1);
            if (!slot[h]) {
                x->el[x->n++] = e;
                slot[h] = x->n;
            }
            uint32_t c = slot[h] - 1, dup = 0;
            for (uint32_t j = first[i]; j < nlist; j++) dup |= x->list[j] == c;
            if (!dup) x->list[nlist++] = c;
        }
    }
    first[d->npattern] = nlist;
    free(slot);
    free(empty);
    return 0;
}

/* Orders words by postings, most first (qsort over {postings, word} pairs). */
static int cmp_postings(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;
    return x[0] != y[0] ? (x[0] < y[0] ? 1 : -1) : (x[1] > y[1]) - (x[1] < y[1]);
}

int dy_vcond_build(dyad_dict *d)
{
    dy_vcond_index *x = &d->vc;
    dy_vcond_free(x);
    uint32_t *first = malloc(((size_t)d->npattern + 1) * sizeof *first), *nwords = NULL, (*freq)[2] = NULL;
    int rc = -1;
    if (!first || list_conditions(d, x, first)) goto done;
    for (uint32_t j = 0; j < d->anchor_head[d->nword + 1]; j++) {
        dy_anchor_ref *r = &d->anchor_ref[j];
        r->cond0 = first[r->pattern];
        r->ncond = (uint16_t)(first[r->pattern + 1] - first[r->pattern]);
    }
    /* the postings of each word, counted; a condition's words, counted */
    x->head = calloc((size_t)d->nword + 2, sizeof *x->head);
    x->fbit = calloc((size_t)d->nword + 1, 1);
    x->fmask = calloc((size_t)x->n + 1, sizeof *x->fmask);
    nwords = calloc((size_t)x->n + 1, sizeof *nwords);
    if (!x->head || !x->fbit || !x->fmask || !nwords) goto done;
    for (uint32_t c = 0; c < x->n; c++) each_word(d, c, count_word, x);
    for (uint32_t c = 0; c < x->n; c++) { /* the words of each condition */
        const dy_pelem *e = x->el[c];
        if (e->kind != PE_SET) {
            for (uint16_t a = 0; a < e->nw; a++) nwords[c] += e->w[a] != 0;
        } else if (e->set != UINT32_MAX)
            nwords[c] = d->sets[e->set].nphrase;
    }
    /* the words posted most often become bits: a sentence sets one bit for "in" rather than
     * marking the dozens of conditions that hold it */
    uint32_t nfreq = 0;
    freq = malloc(((size_t)d->nword + 1) * sizeof *freq);
    if (!freq) goto done;
    for (uint32_t w = 1; w <= d->nword; w++)
        if (x->head[w + 1] >= 4) freq[nfreq][0] = x->head[w + 1], freq[nfreq++][1] = w;
    qsort(freq, nfreq, sizeof *freq, cmp_postings);
    for (uint32_t k = 0; k < nfreq && k < FREQUENT; k++) {
        x->fbit[freq[k][1]] = (uint8_t)(k + 1);
        x->head[freq[k][1] + 1] = 0;
    }
    for (uint32_t w = 0; w <= d->nword; w++) x->head[w + 1] += x->head[w];
    x->post = malloc(((size_t)x->head[d->nword + 1] + 1) * sizeof *x->post);
    if (!x->post) goto done;
    for (uint32_t c = 0; c < x->n; c++) each_word(d, c, post_word, x);
    for (uint32_t w = d->nword + 1; w > 0; w--) x->head[w] = x->head[w - 1]; /* ends back to starts */
    x->head[0] = 0;
    /* a pattern's conditions with the likeliest to fail first: without a frequent word, then
     * the fewest words */
    for (uint32_t c = 0; c < x->n; c++)
        if (x->fmask[c][0] | x->fmask[c][1]) nwords[c] |= 1u << 31;
    for (uint32_t i = 0; i < d->npattern; i++)
        for (uint32_t j = first[i] + 1; j < first[i + 1]; j++)
            for (uint32_t k = j; k > first[i] && nwords[x->list[k]] < nwords[x->list[k - 1]]; k--) {
                uint32_t t = x->list[k];
                x->list[k] = x->list[k - 1];
                x->list[k - 1] = t;
            }
    /* the refs of one anchor word whose first conditions are alike: one failing, all fail */
    for (uint32_t w = 0; w < d->nword; w++)
        for (uint32_t j = d->anchor_head[w + 1]; j-- > d->anchor_head[w];) {
            dy_anchor_ref *r = &d->anchor_ref[j], *n = r + 1;
            r->skip = 1;
            if (j + 1 < d->anchor_head[w + 1] && r->ncond && n->ncond && x->list[r->cond0] == x->list[n->cond0] &&
                n->skip < UINT16_MAX)
                r->skip = (uint16_t)(n->skip + 1);
        }
    /* in the lists, bit 0 tells a condition with a frequent word (its mask must be asked) */
    for (uint32_t j = 0; j < first[d->npattern]; j++)
        x->list[j] = x->list[j] << 1 | (nwords[x->list[j]] >> 31);
    rc = 0;
done:
    free(x->el); /* needed only here */
    x->el = NULL;
    free(first);
    free(nwords);
    free(freq);
    return rc;
}

int dy_vcond_state_init(dy_vcond_state *st, const dyad_dict *d)
{
    memset(st, 0, sizeof *st);
    st->memo = calloc((size_t)d->vc.n + 1, sizeof *st->memo);
    return st->memo ? 0 : -1;
}

void dy_vcond_state_free(dy_vcond_state *st)
{
    free(st->memo);
    st->memo = NULL;
}

void dy_vcond_mark(const dy_vcond_index *x, const dy_token *tok, uint32_t begin, uint32_t end, dy_vcond_state *st)
{
    if (++st->tag == 0) { /* the tags wrapped: no old mark may look current */
        memset(st->memo, 0, x->n * sizeof *st->memo);
        st->tag = 1;
    }
    uint64_t any = 0, form = 0;
    for (uint32_t i = begin; i < end; i++) {
        uint32_t f = tok[i].form, l = tok[i].lemma;
        if (f) {
            if (x->fbit[f]) form |= (uint64_t)1 << (x->fbit[f] - 1);
            for (uint32_t j = x->head[f]; j < x->head[f + 1]; j++) st->memo[x->post[j] >> 1] = st->tag;
        }
        if (l && l != f) {
            if (x->fbit[l]) any |= (uint64_t)1 << (x->fbit[l] - 1);
            for (uint32_t j = x->head[l]; j < x->head[l + 1]; j++)
                if (!(x->post[j] & 1)) st->memo[x->post[j] >> 1] = st->tag;
        }
    }
    st->any = any | form; /* a form meets what a lemma meets */
    st->form = form;
}
