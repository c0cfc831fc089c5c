/*
 * utf8.c — strict UTF-8 decoding and validation, over plain bytes (the buffer writers that
 * encode, and the text normaliser, are text.c's).
 */
#include "base/base.h"

/* Decodes one code point at s[0..n). Rejects overlong forms, surrogates, code points past
 * U+10FFFF and truncated sequences: those give length 1 and *cp = -1, so a caller that skips
 * the returned length always makes progress and resynchronises on the next byte. */
int dy_utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    int len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        *cp = -1;
        return 1;
    }
    if (n < (size_t)len) {
        *cp = -1;
        return 1;
    }
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = -1;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = -1;
        return 1;
    }
    *cp = (int32_t)v;
    return len;
}

size_t dy_utf8_invalid(const char *s, size_t n, size_t *nul)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t bad = 0, zeros = 0;
    for (size_t i = 0; i < n;) {
        if (p[i] < 0x80) { /* the ASCII run, the common case */
            zeros += p[i] == 0;
            i++;
            continue;
        }
        int32_t cp;
        i += (size_t)dy_utf8_decode(p + i, n - i, &cp);
        bad += cp < 0;
    }
    if (nul) *nul = zeros;
    return bad;
}
