/*
 * lemma.h — candidate lemmas of an English word: irregular forms from WordNet's exception
 * lists (embedded at build time), then regular suffix rules. The lexicon keeps the first
 * candidate that is a dictionary word.
 */
#ifndef DYAD_LEMMA_H
#define DYAD_LEMMA_H

#include <stddef.h>

#define DY_WORD_MAX 64

/* Loads the embedded exception lists once, whichever thread calls first (the others wait for
 * it); safe to call from any thread. Returns 0, or -1 when out of memory (nothing kept: the
 * next call tries again). dy_lemma_candidates calls it. */
int dy_lemma_init(void);

/* Writes up to max candidate lemmas of the lower-case word w[0..n) into out, best first,
 * without the word itself and without duplicates: e.g. "fought" -> "fight"; "attacked" ->
 * "attack", "attacke"; "militias" -> "militia"; "injuries" -> "injury". Words of
 * DY_WORD_MAX bytes or more get none. Returns the count. */
int dy_lemma_candidates(const char *w, size_t n, char out[][DY_WORD_MAX], int max);

#endif
