/*
 * base.h — shared pieces every stage uses: byte views, an arena per story, a growable
 * buffer, hashing, and dyad's own character classes (no <ctype.h>, no locale).
 */
#ifndef DYAD_BASE_H
#define DYAD_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* A view of bytes owned elsewhere. */
typedef struct dy_str {
    const char *p;
    size_t n;
} dy_str;

/* ---- arena: one per story; everything of a story lives here; one reset frees it ---- */
typedef struct dy_chunk dy_chunk;
typedef struct dy_arena {
    dy_chunk *head;   /* newest chunk */
    size_t used;      /* bytes handed out since the last reset */
    size_t limit;     /* 0: unlimited; else allocations past it fail */
    int failed;       /* sticky: an allocation failed since the last reset (DY_ARENA_*) */
} dy_arena;

/* Why the first failed allocation failed (dy_arena.failed): malloc returned NULL, or the
 * request would have passed the limit (what a caller reports as DYAD_ELIMIT). */
enum { DY_ARENA_OOM = 1, DY_ARENA_LIMIT = 2 };

void dy_arena_init(dy_arena *a, size_t limit);
/* n bytes, 16-aligned, uninitialised; NULL (and a->failed set) when over the limit or OOM. */
void *dy_arena_alloc(dy_arena *a, size_t n);
/* as dy_arena_alloc, zero-filled */
void *dy_arena_calloc(dy_arena *a, size_t n);
/* copy of s[0..n) plus a NUL; NULL on failure */
char *dy_arena_strndup(dy_arena *a, const char *s, size_t n);
/* The one growable array: makes room in *v (of *cap elements of size bytes, n in use) for
 * element n, doubling it (from `first` elements) when n reaches *cap. dy_arena_grow takes the
 * new block from a (the old one is left to the arena), dy_grow reallocs. 0, or -1 with *v and
 * *cap unchanged when out of memory. */
int dy_arena_grow(dy_arena *a, void **v, size_t *cap, size_t n, size_t size, size_t first);
int dy_grow(void **v, size_t *cap, size_t n, size_t size, size_t first);
/* frees all but the first chunk; clears used and failed */
void dy_arena_reset(dy_arena *a);
void dy_arena_fini(dy_arena *a);

/* ---- buf: growable bytes (malloc); oom is sticky and later writes are dropped ---- */
typedef struct dy_buf {
    char *p;
    size_t n, cap;
    int oom;
} dy_buf;

void dy_buf_put(dy_buf *b, const void *s, size_t n);
void dy_buf_puts(dy_buf *b, const char *s);
void dy_buf_putc(dy_buf *b, int c);
void dy_buf_printf(dy_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* v in decimal (as %llu), without a format to parse */
void dy_buf_putu(dy_buf *b, unsigned long long v);
/* s[0..n) as a JSON string literal, quotes included; invalid UTF-8 becomes U+FFFD */
void dy_buf_json_str(dy_buf *b, const char *s, size_t n);
/* as dy_buf_json_str, or null for s == NULL */
void dy_buf_json_cstr(dy_buf *b, const char *s);
/* makes p NUL-terminated (not counted in n) */
void dy_buf_nul(dy_buf *b);
void dy_buf_free(dy_buf *b);

/* ---- hashing ---- */
uint64_t dy_hash(const void *p, size_t n);

/* ---- character classes (ASCII; bytes >= 0x80 are "other") ---- */
enum {
    DY_C_ALPHA = 1,
    DY_C_DIGIT = 2,
    DY_C_SPACE = 4,
    DY_C_UPPER = 8,
    DY_C_LOWER = 16,
    DY_C_PUNCT = 32
};
extern const unsigned char dy_ctype[256];
#define dy_isalpha(c) (dy_ctype[(unsigned char)(c)] & DY_C_ALPHA)
#define dy_isdigit(c) (dy_ctype[(unsigned char)(c)] & DY_C_DIGIT)
#define dy_isspace(c) (dy_ctype[(unsigned char)(c)] & DY_C_SPACE)
#define dy_isupper(c) (dy_ctype[(unsigned char)(c)] & DY_C_UPPER)
#define dy_islower(c) (dy_ctype[(unsigned char)(c)] & DY_C_LOWER)
#define dy_isalnum(c) (dy_ctype[(unsigned char)(c)] & (DY_C_ALPHA | DY_C_DIGIT))
static inline int dy_tolower(int c) { return dy_isupper(c) ? c + 32 : c; }
static inline int dy_toupper(int c) { return dy_islower(c) ? c - 32 : c; }

/* Copies the string src into dst of cap bytes (cap > 0), cut to cap - 1 bytes and always
 * terminated: what snprintf(dst, cap, "%s", src) writes, without parsing a format. */
static inline void dy_str_copy(char *dst, size_t cap, const char *src)
{
    size_t n = 0;
    while (n + 1 < cap && src[n]) n++;
    __builtin_memmove(dst, src, n);
    dst[n] = 0;
}

/* ---- eight bytes at a time: scanners skip runs of ordinary bytes a word at a time ---- */
#define DY_BYTES(c) (0x0101010101010101ull * (uint8_t)(c)) /* c in every byte */
/* The eight bytes at p, in memory order in the low byte first (memcpy: no alignment trap). */
static inline uint64_t dy_load8(const void *p)
{
    uint64_t v;
    __builtin_memcpy(&v, p, 8);
    return v;
}
/* Nonzero iff some byte of v is below n (n <= 128); exact, not an estimate. */
static inline uint64_t dy_has_below(uint64_t v, uint8_t n) { return (v - DY_BYTES(n)) & ~v & DY_BYTES(0x80); }
/* Nonzero iff some byte of v is c. */
static inline uint64_t dy_has_byte(uint64_t v, uint8_t c) { return dy_has_below(v ^ DY_BYTES(c), 1); }
/* Nonzero iff some byte of v is 0x7F or above. */
static inline uint64_t dy_has_above_7e(uint64_t v) { return (v | (v + DY_BYTES(1))) & DY_BYTES(0x80); }
/* v with each byte A-Z in lower case, as dy_tolower does byte by byte (other bytes kept). */
static inline uint64_t dy_lower8(uint64_t v)
{
    uint64_t h = v & DY_BYTES(0x7F);                 /* no carry crosses a byte below */
    uint64_t ge_a = h + DY_BYTES(0x80 - 'A');        /* bit 7: at least 'A' */
    uint64_t gt_z = h + DY_BYTES(0x80 - 'Z' - 1);    /* bit 7: above 'Z' */
    return v | ((ge_a & ~gt_z & ~v & DY_BYTES(0x80)) >> 2); /* ASCII A-Z: + 0x20 */
}
/* Whether the low byte of dy_load8 is the first in memory (the word tricks below need it). */
#define DY_LITTLE_ENDIAN (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
/* The n < 8 bytes at p as dy_load8 reads them, the bytes after them zero; eight bytes must be
 * readable at p. Little-endian machines only (DY_LITTLE_ENDIAN). */
static inline uint64_t dy_load_short(const void *p, size_t n) { return dy_load8(p) & ((1ull << (8 * n)) - 1); }
/* Store eight bytes at p (memcpy: no alignment trap). */
static inline void dy_store8(void *p, uint64_t v) { __builtin_memcpy(p, &v, 8); }

/* ---- calendar (calendar.c) ---- */
int dy_leap(int y);
/* Days of month m (1..12) of year y. */
int dy_month_days(int y, int m);

/* ---- UTF-8 ---- */
/* Decodes one code point at s[0..n); returns its length (1..4) and sets *cp, or returns 1
 * with *cp = -1 for an invalid or truncated sequence. n must be > 0. */
int dy_utf8_decode(const unsigned char *s, size_t n, int32_t *cp);
/* Bytes of s[0..n) that are not part of valid UTF-8 (each counted as dy_utf8_decode steps);
 * *nul receives the count of NUL bytes. */
size_t dy_utf8_invalid(const char *s, size_t n, size_t *nul);
/* Appends cp as UTF-8. */
void dy_utf8_put(dy_buf *b, int32_t cp);
/* Normalises text for coding, character for character so that character offsets are kept:
 * invalid bytes -> U+FFFD (each counted in *repaired), NUL and other C0 controls but \t \n ->
 * space, CR LF -> space LF, lone CR -> LF, curly double quotes and guillemets -> '"', curly
 * single quotes and primes -> '\'', dashes (U+2010..U+2015, U+2212) -> '-', Unicode spaces ->
 * ' ', zero-width characters -> ' '. Appends to out. */
void dy_text_normalise(const char *in, size_t n, dy_buf *out, unsigned *repaired);

#endif
