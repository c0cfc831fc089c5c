/*
 * vcond.h — the literals an event pattern requires, as conditions a sentence meets or not.
 * A pattern cannot match in a sentence unless each of its required literal elements (a word,
 * alternatives or a word set, neither optional nor the anchor) has a word at one of the
 * sentence's tokens: every element is matched inside the sentence, and a set member starts with
 * its first word. vcond.c lists those elements per pattern as conditions, one for all elements
 * alike (same words and exactness, or same set), and posts each under the words that meet it;
 * per sentence, verbs.c marks the conditions its tokens' words meet (dy_vcond_mark) and tries
 * only the patterns whose conditions all hold (dy_vcond_hold): the 285 "OFFER ... &C_NEG ...
 * &C_MIL_AID to" patterns then cost a look at three marks each, not a match.
 */
#ifndef DYAD_VCOND_H
#define DYAD_VCOND_H

#include "lexicon.h"

/* What verbs.c keeps per coder (one per thread) while it asks about the conditions: memo[c] is
 * the tag of the last sentence whose words met condition c; the frequent words of that
 * sentence (dy_vcond_index fbit) are bits in any (met by a token's form or lemma) and form. */
typedef struct dy_vcond_state {
    uint32_t *memo;
    uint32_t tag;
    uint64_t any, form;
} dy_vcond_state;

/* Builds d->vc from the patterns and sets each anchor_ref's cond0 and ncond (for
 * dy_dict_derived_index, after d->anchor_ref is filled). Returns 0, or -1 when out of memory. */
int dy_vcond_build(dyad_dict *d);

/* Frees what dy_vcond_build allocated. */
void dy_vcond_free(dy_vcond_index *x);

/* A state for the conditions of dictionary d: 0, or -1 when out of memory. */
int dy_vcond_state_init(dy_vcond_state *st, const dyad_dict *d);
void dy_vcond_state_free(dy_vcond_state *st);

/* Marks, under a new tag, the conditions that the words of tok[begin, end) meet. */
void dy_vcond_mark(const dy_vcond_index *x, const dy_token *tok, uint32_t begin, uint32_t end, dy_vcond_state *st);

/* Whether every condition of an anchor ref (list[cond0 .. cond0 + n)) holds in the sentence
 * marked last: -1 if all do, else the position of the first that does not (0: the first). */
static inline int dy_vcond_hold(const dy_vcond_index *x, uint32_t cond0, uint32_t n, const dy_vcond_state *st)
{
    for (uint32_t j = cond0; j < cond0 + n; j++) {
        uint32_t c = x->list[j] >> 1;
        if (st->memo[c] == st->tag) continue;
        if ((x->list[j] & 1) && ((x->fmask[c][0] & st->any) | (x->fmask[c][1] & st->form))) continue;
        return (int)(j - cond0);
    }
    return -1;
}

#endif
