/*
 * pool.h — what the coding pool (pool.c) lends to the other files of the library that keep
 * stories past the reader's next call (the ingest pipeline): copying a story. Not part of the
 * public API.
 */
#ifndef DYAD_POOL_H
#define DYAD_POOL_H

#include <stddef.h>

#include "dyad.h"

/* Copies st's strings into one block — its text too when with_text is set (else the copy's
 * text is "") — followed by tail[0..tail_len) and a NUL, and points *to at them (*tail_at at
 * the tail's copy when not NULL). The block is *mem of *cap bytes, grown with realloc when
 * too small (both may start as NULL and 0); the caller frees it. -1 when out of memory (*to
 * is then unchanged). */
int dy_story_copy(dyad_story *to, const dyad_story *st, int with_text, const char *tail, size_t tail_len,
                  const char **tail_at, char **mem, size_t *cap);

#endif
