/*
 * ctype.c — dyad's own character classes for ASCII bytes, so that tokenising never depends
 * on the C locale. Bytes >= 0x80 are in no class: UTF-8 is handled by the callers.
 */
#include "base/base.h"

#define U (DY_C_ALPHA | DY_C_UPPER)
#define L (DY_C_ALPHA | DY_C_LOWER)
#define D (DY_C_DIGIT)
#define S (DY_C_SPACE)
#define P (DY_C_PUNCT)

/* Space is ' ' \t \n \v \f \r; punctuation is every printable ASCII byte that is not a letter,
 * digit or space. */
const unsigned char dy_ctype[256] = {
    /* 0x00 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, S, S, S, S, S, 0, 0,
    /* 0x10 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 0x20 */ S, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
    /* 0x30 */ D, D, D, D, D, D, D, D, D, D, P, P, P, P, P, P,
    /* 0x40 */ P, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
    /* 0x50 */ U, U, U, U, U, U, U, U, U, U, U, P, P, P, P, P,
    /* 0x60 */ P, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,
    /* 0x70 */ L, L, L, L, L, L, L, L, L, L, L, P, P, P, P, 0,
    /* 0x80..0xFF: zero */
};

#undef U
#undef L
#undef D
#undef S
#undef P
