/*
 * arena.c — one arena per story: bump allocation from a list of chunks, a byte limit that
 * turns into a sticky failure flag instead of a crash, and one reset that frees everything.
 * Consumes malloc; produces 16-aligned memory that lives until dy_arena_reset / _fini.
 */
#include "base/base.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_CHUNK ((size_t)64 << 10) /* default chunk payload; bigger requests get their own */

/* A chunk: a header followed by its payload. The header is padded to ARENA_ALIGN so that the
 * payload starts aligned (malloc returns memory aligned for any standard type, which is 16 on
 * the platforms we build for). */
struct dy_chunk {
    dy_chunk *prev; /* older chunk, NULL for the first one */
    size_t size;    /* payload bytes */
    size_t used;    /* payload bytes handed out */
    size_t pad_;    /* keeps the header a multiple of 16 bytes */
};

/* Rounds n up to the alignment; returns 0 when that would overflow. */
static size_t round_up(size_t n)
{
    if (n > SIZE_MAX - (ARENA_ALIGN - 1)) return 0;
    return (n + (ARENA_ALIGN - 1)) & ~(size_t)(ARENA_ALIGN - 1);
}

static unsigned char *payload(dy_chunk *c) { return (unsigned char *)(c + 1); }

/* Sets up an empty arena; limit 0 means unlimited. No memory is taken until the first
 * allocation. */
void dy_arena_init(dy_arena *a, size_t limit)
{
    a->head = NULL;
    a->used = 0;
    a->limit = limit;
    a->failed = 0;
}

/* Hands out n bytes (16-aligned, uninitialised). Fails, setting the sticky a->failed, when the
 * bytes handed out since the last reset would pass the limit or malloc fails. n == 0 returns a
 * valid pointer to no bytes. */
void *dy_arena_alloc(dy_arena *a, size_t n)
{
    size_t need = round_up(n);
    if (n && !need) goto over;
    if (a->limit && (need > a->limit || a->used > a->limit - need)) goto over;
    dy_chunk *c = a->head;
    if (!c || c->size - c->used < need) {
        size_t size = need > ARENA_CHUNK ? need : ARENA_CHUNK;
        if (size > SIZE_MAX - sizeof(dy_chunk)) goto over;
        dy_chunk *nc = malloc(sizeof(dy_chunk) + size);
        if (!nc) goto fail;
        nc->size = size;
        nc->used = 0;
        if (c && need > ARENA_CHUNK && c->size - c->used >= ARENA_CHUNK / 4) {
            /* A big one-off request: slip its chunk under the current one so the space left
             * in the current chunk is not wasted. */
            nc->prev = c->prev;
            c->prev = nc;
            nc->used = need;
            a->used += need;
            return payload(nc);
        }
        nc->prev = c;
        a->head = c = nc;
    }
    void *p = payload(c) + c->used;
    c->used += need;
    a->used += need;
    return p;
fail:
    if (!a->failed) a->failed = DY_ARENA_OOM;
    return NULL;
over: /* past the limit, or past any size at all */
    if (!a->failed) a->failed = DY_ARENA_LIMIT;
    return NULL;
}

/* As dy_arena_alloc, zero-filled. */
void *dy_arena_calloc(dy_arena *a, size_t n)
{
    void *p = dy_arena_alloc(a, n);
    if (p && n) memset(p, 0, n);
    return p;
}

/* A NUL-terminated copy of s[0..n) (s may be NULL when n is 0). */
char *dy_arena_strndup(dy_arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX) {
        if (!a->failed) a->failed = DY_ARENA_LIMIT;
        return NULL;
    }
    char *p = dy_arena_alloc(a, n + 1);
    if (!p) return NULL;
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}

/* Frees every chunk but one of the standard size, which is kept for the next story so that a
 * CLI coding many small stories does not call malloc at all in the steady state. (Chunks made
 * for one big request are never kept: a single huge story must not pin its memory.) */
void dy_arena_reset(dy_arena *a)
{
    dy_chunk *keep = NULL, *c = a->head;
    while (c) {
        dy_chunk *prev = c->prev;
        if (!keep && c->size == ARENA_CHUNK)
            keep = c;
        else
            free(c);
        c = prev;
    }
    if (keep) {
        keep->prev = NULL;
        keep->used = 0;
    }
    a->head = keep;
    a->used = 0;
    a->failed = 0;
}

/* Frees everything; the arena may be initialised again. */
void dy_arena_fini(dy_arena *a)
{
    dy_chunk *c = a->head;
    while (c) {
        dy_chunk *prev = c->prev;
        free(c);
        c = prev;
    }
    a->head = NULL;
    a->used = 0;
    a->failed = 0;
}

int dy_arena_grow(dy_arena *a, void **v, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap) return 0;
    size_t c = *cap ? 2 * *cap : first;
    void *w = dy_arena_alloc(a, c * size);
    if (!w) return -1;
    if (n) memcpy(w, *v, n * size);
    *v = w, *cap = c;
    return 0;
}

int dy_grow(void **v, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap) return 0;
    size_t c = *cap ? 2 * *cap : first;
    void *w = realloc(*v, c * size);
    if (!w) return -1;
    *v = w, *cap = c;
    return 0;
}
