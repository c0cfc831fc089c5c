/*
 * numbers.h — counts of people in the text and the events they belong to (numbers.c).
 */
#ifndef DYAD_NUMBERS_H
#define DYAD_NUMBERS_H

#include "story.h"

typedef struct dy_count {
    uint32_t sent, first, last; /* sentence, tokens */
    uint8_t kind;               /* DY_N_* */
    uint8_t qual;               /* DY_Q_* */
    long value, max;            /* max for ranges, else -1 */
} dy_count;

/* Finds the story's counts of dead, injured, arrested and crowds. Returns 0, or -1 if the
 * arena failed. */
int dy_numbers_find(dy_story_ctx *s, dy_count **out, size_t *n);

/* Attaches counts to the story's kept events (e->size). */
void dy_numbers_attach(dy_story_ctx *s, const dy_count *c, size_t n);

/* "exact", "at_least", "more_than", "about", "up_to", "range", "implied". */
const char *dy_qualifier_name(int q);

#endif
