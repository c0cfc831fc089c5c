/*
 * discards.c — what is left out of coding: the dictionary's discard phrases (sports results,
 * weather, history: PETRARCH's discard lists) found in a tagged story — a story-level phrase
 * voids every sentence, a sentence-level one its own — and, with PETRARCH's comma_* options,
 * the short clauses set off by commas. Consumes tagged tokens (and mentions, for commas);
 * produces s->sent_void, s->discarded and s->tok_skip.
 */
#include <string.h>

#include "story.h"

/* Lower-cases token t's text as dictionary words are normalised (ASCII, periods dropped) into
 * out (cap bytes); returns the length, 0 if it does not fit. */
static size_t token_low(const dy_story_ctx *s, const dy_token *t, char *out, size_t cap)
{
    size_t k = 0;
    for (uint32_t i = 0; i < t->len; i++) {
        char c = s->text[t->start + i];
        if (c == '.') continue;
        if (k + 1 >= cap) return 0;
        out[k++] = (char)dy_tolower((unsigned char)c);
    }
    out[k] = 0;
    return k;
}

/* Whether token i matches word k of discard x: the same word, or for a prefix word any word
 * that begins with it. */
static int word_matches(const dy_story_ctx *s, const dy_discard *x, uint16_t k, uint32_t i)
{
    const dy_token *t = &s->seg.tok[i];
    if (t->form == x->w[k]) return 1;
    if (k >= 32 || !(x->prefix >> k & 1)) return 0;
    char low[DY_WORD_MAX];
    size_t n = token_low(s, t, low, sizeof low);
    const char *w = dy_word_str(s->d, x->w[k]);
    size_t wn = strlen(w);
    return n >= wn && !memcmp(low, w, wn);
}

/* Whether discard x matches the tokens from i on (within the sentence ending at end). */
static int discard_at(const dy_story_ctx *s, const dy_discard *x, uint32_t i, uint32_t end)
{
    if (i + x->n > end) return 0;
    for (uint16_t k = 1; k < x->n; k++)
        if (!word_matches(s, x, k, i + k)) return 0;
    return 1;
}

int dy_discards_find(dy_story_ctx *s)
{
    const dyad_dict *d = s->d;
    if (!d->ndiscard || !s->seg.nsent) return 0;
    s->sent_void = dy_arena_alloc(s->a, s->seg.nsent);
    if (!s->sent_void) return -1;
    memset(s->sent_void, 0, s->seg.nsent);
    for (size_t si = 0; si < s->seg.nsent; si++) {
        const dy_sentence *st = &s->seg.sent[si];
        uint32_t end = st->first + st->count;
        for (uint32_t i = st->first; i < end && !s->sent_void[si]; i++) {
            const dy_token *t = &s->seg.tok[i];
            if (!(t->flags & (TK_WORD | TK_NUM))) continue;
            /* keys: the token's own form, and its prefixes as long as some prefix word */
            uint32_t keys[65];
            int nk = 0, nform = 0; /* keys[0..nform) the token's own form, the rest prefixes */
            if (t->form) keys[nk++] = t->form, nform = 1;
            uint64_t lens = d->discard_lens[(unsigned char)dy_tolower((unsigned char)s->text[t->start])];
            if (lens) {
                char low[DY_WORD_MAX];
                size_t n = token_low(s, t, low, sizeof low);
                /* prefixes of three bytes or more only if some prefix word begins like it */
                if (n >= 3 && !(d->discard_tri[dy_tri_hash(low) >> 6] >> (dy_tri_hash(low) & 63) & 1))
                    lens &= 7;
                for (size_t l = 1; l < n && l < 64; l++)
                    if (lens >> l & 1) {
                        uint32_t id = dy_word_find(d, low, l);
                        if (id && id != t->form) keys[nk++] = id;
                    }
            }
            for (int k = 0; k < nk; k++) {
                uint32_t w = keys[k];
                for (uint32_t j = d->discard_head[w]; j < d->discard_head[w + 1]; j++) {
                    const dy_discard *x = &d->discards[d->discard_idx[j]];
                    if (k >= nform && !(x->prefix & 1)) continue; /* only a prefix word matches a prefix */
                    if (!discard_at(s, x, i, end)) continue;
                    if (x->story) {
                        memset(s->sent_void, 1, s->seg.nsent);
                        s->discarded = DYAD_DISCARD_STORY;
                        return 0;
                    }
                    s->sent_void[si] = 1;
                    s->discarded = DYAD_DISCARD_SENTENCE;
                    break;
                }
                if (s->sent_void[si]) break;
            }
        }
    }
    return 0;
}

/* ==== comma clauses (PETRARCH's comma_* options) ========================================= */

/* Words (not punctuation) among tokens [a, b). */
static int words_in(const dy_story_ctx *s, uint32_t a, uint32_t b)
{
    int n = 0;
    for (uint32_t i = a; i < b; i++) n += (s->seg.tok[i].flags & (TK_WORD | TK_NUM)) != 0;
    return n;
}

/* Whether tokens [a, b) can be left out: no mention reaches across their edges (a compound
 * "France, Germany, Italy and Spain", a name with a comma in it). */
static int cuttable(const dy_story_ctx *s, uint32_t a, uint32_t b)
{
    for (uint32_t i = a; i < b; i++) {
        int32_t m = s->tok_m[i];
        if (m >= 0 && (s->m[m].first < a || s->m[m].last > b)) return 0;
    }
    return 1;
}

static void cut(dy_story_ctx *s, uint32_t a, uint32_t b)
{
    for (uint32_t i = a; i < b; i++) {
        s->tok_skip[i] = 1;
        s->tok_m[i] = -1;
    }
}

/* Whether the comma at i only separates two words that modify one noun ("complete, full
 * diplomatic ties"): lower-case words on both sides, the one before no verb of the
 * dictionaries, the one after no word that opens a clause. Such a comma sets off no clause. */
static int between_modifiers(const dy_story_ctx *s, uint32_t i, uint32_t first, uint32_t end)
{
    static const char *const opener[] = {"it", "he", "she", "they", "we", "i", "you", "the", "a",
        "an", "this", "that", "which", "who", "and", "but", "or", "as", "after", "before", "when",
        "while", "since", "if", "although", "though", "because", "so", "then", "not", NULL};
    if (i <= first || i + 1 >= end) return 0;
    const dy_token *a = &s->seg.tok[i - 1], *b = &s->seg.tok[i + 1];
    if (!(a->flags & TK_WORD) || !(b->flags & TK_WORD) || (a->flags & TK_CAP) || (b->flags & TK_CAP)) return 0;
    if (s->tok_m[i - 1] >= 0 || s->tok_m[i + 1] >= 0) return 0;
    const dyad_dict *d = s->d;
    uint32_t keys[2] = {a->form, a->lemma};
    for (int k = 0; k < 2; k++)
        if (keys[k] && d->anchor_head[keys[k]] != d->anchor_head[keys[k] + 1]) return 0; /* a verb */
    for (int k = 0; opener[k]; k++)
        if (dy_tok_reads(s->text, b, opener[k])) return 0;
    return 1;
}

int dy_comma_clauses(dy_story_ctx *s)
{
    const dyad_options *o = s->opt;
    if (o->comma_max <= 0 && o->comma_bmax <= 0 && o->comma_emax <= 0) return 0;
    s->tok_skip = dy_arena_alloc(s->a, s->seg.ntok + 1);
    if (!s->tok_skip) return -1;
    memset(s->tok_skip, 0, s->seg.ntok + 1);
    for (size_t si = 0; si < s->seg.nsent; si++) {
        const dy_sentence *st = &s->seg.sent[si];
        uint32_t first = st->first, end = st->first + st->count;
        while (end > first && (s->seg.tok[end - 1].flags & TK_PUNCT) && s->text[s->seg.tok[end - 1].start] != ',')
            end--; /* the final period stays */
        uint32_t commas[64];
        int nc = 0;
        for (uint32_t i = first; i < end && nc < 64; i++)
            if ((s->seg.tok[i].flags & TK_PUNCT) && s->text[s->seg.tok[i].start] == ',' && !s->seg.tok[i].quote &&
                !between_modifiers(s, i, first, end))
                commas[nc++] = i;
        if (!nc) continue;
        /* decide on the original clauses first, then cut */
        int cut_begin = 0, cut_end = 0, cut_mid[64] = {0};
        int w = words_in(s, first, commas[0]);
        if (o->comma_bmax > 0 && w >= o->comma_bmin && w <= o->comma_bmax && cuttable(s, first, commas[0] + 1))
            cut_begin = 1;
        for (int k = 0; k + 1 < nc; k++) {
            w = words_in(s, commas[k] + 1, commas[k + 1]);
            if (o->comma_max > 0 && w >= o->comma_min && w <= o->comma_max &&
                cuttable(s, commas[k], commas[k + 1]))
                cut_mid[k] = 1;
        }
        w = words_in(s, commas[nc - 1] + 1, end);
        if (o->comma_emax > 0 && w >= o->comma_emin && w <= o->comma_emax && cuttable(s, commas[nc - 1], end))
            cut_end = 1;
        if (cut_begin) cut(s, first, commas[0] + 1);
        for (int k = 0; k + 1 < nc; k++)
            if (cut_mid[k]) cut(s, commas[k], commas[k + 1]);
        if (cut_end) cut(s, commas[nc - 1], end);
    }
    return 0;
}
