/*
 * discards.c — the discard stage: finds the dictionary's discard phrases (sports results,
 * weather, history: PETRARCH's discard lists) in a tagged story. A story-level phrase voids
 * every sentence of the story, a sentence-level one only its sentence; voided sentences
 * yield no events. Consumes tagged tokens; produces s->sent_void and s->discarded.
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
            int nk = 0;
            if (t->form) keys[nk++] = t->form;
            if (d->discard_lens) {
                char low[DY_WORD_MAX];
                size_t n = token_low(s, t, low, sizeof low);
                for (size_t l = 1; l < n && l < 64; l++)
                    if (d->discard_lens >> l & 1) {
                        uint32_t id = dy_word_find(d, low, l);
                        if (id && id != t->form) keys[nk++] = id;
                    }
            }
            for (int k = 0; k < nk; k++) {
                uint32_t w = keys[k];
                for (uint32_t j = d->discard_head[w]; j < d->discard_head[w + 1]; j++) {
                    const dy_discard *x = &d->discards[d->discard_idx[j]];
                    if (k > 0 && !(x->prefix & 1)) continue; /* only a prefix word matches a prefix */
                    if (k == 0 && w != t->form) continue;
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
