/*
 * hash.c — a fast 64-bit hash of bytes for dyad's tables (word ids, lemma exceptions,
 * dictionary phrases). Eight bytes per step with a multiply-xorshift mix, in the manner of
 * wyhash and rapidhash but without 128-bit arithmetic; the tail is folded in with its length.
 * Not for adversarial keys: dictionaries and words come from our own data and the story.
 */
#include "base/base.h"

#include <string.h>

#define K0 0x9E3779B97F4A7C15ULL /* 2^64 / golden ratio */
#define K1 0xBF58476D1CE4E5B9ULL /* splitmix64 multipliers */
#define K2 0x94D049BB133111EBULL

/* Reads 8 bytes in host order; memcpy keeps it free of alignment and aliasing traps. */
static uint64_t read64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* Mixes all bits of x into all others (splitmix64's finaliser). */
static uint64_t fmix(uint64_t x)
{
    x ^= x >> 30;
    x *= K1;
    x ^= x >> 27;
    x *= K2;
    x ^= x >> 31;
    return x;
}

/* Hashes p[0..n); equal bytes give equal hashes within one build on one machine. */
uint64_t dy_hash(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = K0 ^ (n * K1);
    uint64_t h2 = K2;
    while (n >= 16) { /* two lanes so the multiplies overlap */
        h = (h ^ read64(s)) * K1;
        h2 = (h2 ^ read64(s + 8)) * K2;
        h ^= h >> 29;
        h2 ^= h2 >> 31;
        s += 16;
        n -= 16;
    }
    if (n >= 8) {
        h = (h ^ read64(s)) * K1;
        h ^= h >> 29;
        s += 8;
        n -= 8;
    }
    uint64_t t = 0;
    for (size_t i = 0; i < n; i++) t |= (uint64_t)s[i] << (8 * i);
    h = (h ^ t ^ ((uint64_t)n << 59)) * K0;
    return fmix(h ^ (h2 * K0));
}
