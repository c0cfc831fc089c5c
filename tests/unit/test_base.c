/*
 * test_base.c — unit tests of src/base: the arena and its limit, buffers, JSON string
 * escaping, the hash, character classes, UTF-8 decoding and the text normaliser.
 */
#include "base/base.h"
#include "check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Normalises s and returns a malloc'd NUL-terminated copy; *rep receives the repair count. */
static char *norm(const char *s, size_t n, unsigned *rep)
{
    dy_buf b = {0};
    *rep = 0;
    dy_text_normalise(s, n, &b, rep);
    dy_buf_nul(&b);
    return b.p;
}

/* Counts code points (invalid bytes count one each), the unit normalising preserves. */
static size_t chars(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        int32_t cp;
        i += (size_t)dy_utf8_decode((const unsigned char *)s + i, n - i, &cp);
    }
    return k;
}

static char *json(const char *s, size_t n)
{
    dy_buf b = {0};
    dy_buf_json_str(&b, s, n);
    dy_buf_nul(&b);
    return b.p;
}

static void test_arena(void)
{
    dy_arena a;
    dy_arena_init(&a, 0);
    char *p = dy_arena_alloc(&a, 10);
    CHECK(p != NULL);
    CHECK(((uintptr_t)p & 15) == 0);
    char *q = dy_arena_alloc(&a, 1);
    CHECK(q != NULL && ((uintptr_t)q & 15) == 0);
    CHECK(q >= p + 10 || q + 1 <= p);
    memset(p, 'x', 10);
    int *z = dy_arena_calloc(&a, 64 * sizeof(int));
    int allzero = 1;
    for (int i = 0; i < 64; i++) allzero &= z[i] == 0;
    CHECK(allzero);
    char *s = dy_arena_strndup(&a, "hello world", 5);
    CHECK_STR_EQ(s, "hello");
    char *big = dy_arena_alloc(&a, 1 << 20); /* larger than a chunk */
    CHECK(big != NULL);
    memset(big, 1, 1 << 20);
    CHECK_STR_EQ(s, "hello"); /* earlier allocations survive */
    /* many small allocations across chunks stay distinct */
    char *prev = NULL;
    int ok = 1;
    for (int i = 0; i < 20000; i++) {
        char *r = dy_arena_alloc(&a, 24);
        if (!r || r == prev) ok = 0;
        r[0] = (char)i;
        prev = r;
    }
    CHECK(ok);
    CHECK(!a.failed);
    CHECK(a.used >= (1u << 20) + 20000 * 24);
    dy_arena_reset(&a);
    CHECK_INT_EQ(a.used, 0);
    CHECK(dy_arena_alloc(&a, 100) != NULL);
    CHECK(dy_arena_alloc(&a, 0) != NULL);
    dy_arena_fini(&a);

    /* the limit: allocations past it fail, the failure is sticky until reset */
    dy_arena_init(&a, 1000);
    CHECK(dy_arena_alloc(&a, 500) != NULL);
    CHECK(dy_arena_alloc(&a, 400) != NULL);
    CHECK(!a.failed);
    CHECK(dy_arena_alloc(&a, 200) == NULL);
    CHECK(a.failed);
    CHECK(dy_arena_alloc(&a, 16) != NULL); /* small ones still fit, failed stays set */
    CHECK(a.failed);
    CHECK(dy_arena_alloc(&a, SIZE_MAX) == NULL);
    CHECK(dy_arena_strndup(&a, "x", SIZE_MAX) == NULL);
    dy_arena_reset(&a);
    CHECK(!a.failed);
    CHECK(dy_arena_alloc(&a, 992) != NULL); /* sizes round up to 16 */
    CHECK(dy_arena_alloc(&a, 1) == NULL);
    dy_arena_fini(&a);

    dy_arena_init(&a, 0);
    CHECK(dy_arena_alloc(&a, SIZE_MAX - 4) == NULL);
    CHECK(a.failed);
    dy_arena_fini(&a);
}

static void test_buf(void)
{
    dy_buf b = {0};
    dy_buf_put(&b, "abc", 3);
    dy_buf_putc(&b, 'd');
    dy_buf_puts(&b, "ef");
    dy_buf_printf(&b, "-%d-%s", 42, "x");
    dy_buf_nul(&b);
    CHECK_STR_EQ(b.p, "abcdef-42-x");
    CHECK_INT_EQ(b.n, 11);
    /* dy_buf_putu writes what %llu writes */
    b.n = 0;
    dy_buf_putu(&b, 0);
    dy_buf_putc(&b, ' ');
    dy_buf_putu(&b, 7);
    dy_buf_putc(&b, ' ');
    dy_buf_putu(&b, 4294967296ull);
    dy_buf_putc(&b, ' ');
    dy_buf_putu(&b, 18446744073709551615ull);
    dy_buf_nul(&b);
    CHECK_STR_EQ(b.p, "0 7 4294967296 18446744073709551615");
    b.n = 0; /* back to what the checks below build on */
    dy_buf_put(&b, "abcdef-42-x", 11);
    dy_buf_nul(&b);
    /* a printf that does not fit the spare room */
    char long_s[500];
    memset(long_s, 'y', 499);
    long_s[499] = 0;
    dy_buf_printf(&b, "[%s]", long_s);
    CHECK_INT_EQ(b.n, 11 + 501);
    CHECK(b.p[11] == '[' && b.p[511] == ']' && b.p[300] == 'y');
    /* growth over many appends */
    for (int i = 0; i < 100000; i++) dy_buf_putc(&b, 'z');
    CHECK_INT_EQ(b.n, 11 + 501 + 100000);
    CHECK(!b.oom);
    dy_buf_free(&b);
    CHECK(b.p == NULL && b.n == 0);
    dy_buf_nul(&b);
    CHECK(b.p != NULL && b.p[0] == 0 && b.n == 0);
    dy_buf_free(&b);
    /* oom is sticky: later writes are dropped */
    b.oom = 1;
    dy_buf_puts(&b, "lost");
    CHECK_INT_EQ(b.n, 0);
    dy_buf_free(&b);
}

static void test_json(void)
{
    char *s;
    s = json("plain", 5);
    CHECK_STR_EQ(s, "\"plain\"");
    free(s);
    s = json("a\"b\\c", 5);
    CHECK_STR_EQ(s, "\"a\\\"b\\\\c\"");
    free(s);
    s = json("l1\nl2\r\t\b\f", 9);
    CHECK_STR_EQ(s, "\"l1\\nl2\\r\\t\\b\\f\"");
    free(s);
    s = json("\x01\x1f", 2);
    CHECK_STR_EQ(s, "\"\\u0001\\u001f\"");
    free(s);
    s = json("a\0b", 3);
    CHECK_STR_EQ(s, "\"a\\u0000b\"");
    free(s);
    s = json("caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D", 13);
    CHECK_STR_EQ(s, "\"caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D\"");
    free(s);
    s = json("bad\xFFz", 5);
    CHECK_STR_EQ(s, "\"bad\xEF\xBF\xBDz\"");
    free(s);
    s = json("\xC3", 1); /* truncated sequence */
    CHECK_STR_EQ(s, "\"\xEF\xBF\xBD\"");
    free(s);
    s = json("\xED\xA0\x80", 3); /* a surrogate: three bad bytes */
    CHECK_STR_EQ(s, "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
    free(s);
    s = json("\xC0\xAF", 2); /* overlong '/' */
    CHECK_STR_EQ(s, "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
    free(s);
    s = json("x\xE2\x80\xA8y", 5);
    CHECK_STR_EQ(s, "\"x\\u2028y\"");
    free(s);
    s = json("\xF0\x9F\x98\x80", 4); /* emoji passes through */
    CHECK_STR_EQ(s, "\"\xF0\x9F\x98\x80\"");
    free(s);
    dy_buf b = {0};
    dy_buf_json_cstr(&b, NULL);
    dy_buf_putc(&b, ',');
    dy_buf_json_cstr(&b, "q");
    dy_buf_nul(&b);
    CHECK_STR_EQ(b.p, "null,\"q\"");
    dy_buf_free(&b);
}

static void test_hash_ctype(void)
{
    CHECK(dy_hash("fight", 5) == dy_hash("fight", 5));
    CHECK(dy_hash("fight", 5) != dy_hash("fighT", 5));
    CHECK(dy_hash("fight", 5) != dy_hash("fight", 4));
    CHECK(dy_hash("", 0) != dy_hash("a", 1));
    const char *long1 = "the quick brown fox jumps over the lazy dog again";
    const char *long2 = "the quick brown fox jumps over the lazy dog agaiN";
    CHECK(dy_hash(long1, strlen(long1)) != dy_hash(long2, strlen(long2)));
    /* low bits spread: 4096 short keys into 4096 buckets leave few empty */
    static unsigned char seen[4096];
    int used = 0;
    for (int i = 0; i < 4096; i++) {
        char k[16];
        int n = snprintf(k, sizeof k, "w%d", i);
        unsigned h = (unsigned)(dy_hash(k, (size_t)n) & 4095);
        used += !seen[h];
        seen[h] = 1;
    }
    CHECK(used > 2400); /* ~63% expected for a uniform hash */

    CHECK(dy_isalpha('a') && dy_isalpha('Z') && !dy_isalpha('1') && !dy_isalpha(0xC3));
    CHECK(dy_isdigit('0') && dy_isdigit('9') && !dy_isdigit('a'));
    CHECK(dy_isspace(' ') && dy_isspace('\n') && dy_isspace('\t') && dy_isspace('\r'));
    CHECK(!dy_isspace('x') && !dy_isspace(0xA0));
    CHECK(dy_isupper('Q') && !dy_isupper('q') && dy_islower('q'));
    CHECK(dy_ctype['.'] & DY_C_PUNCT && dy_ctype['"'] & DY_C_PUNCT && !(dy_ctype['a'] & DY_C_PUNCT));
    CHECK_INT_EQ(dy_tolower('A'), 'a');
    CHECK_INT_EQ(dy_toupper('z'), 'Z');
    CHECK_INT_EQ(dy_tolower('['), '[');
    CHECK(dy_isalnum('5') && dy_isalnum('k') && !dy_isalnum('-'));
    /* dy_lower8 lowers eight bytes as dy_tolower does one: every byte value in every place,
     * beside neighbours that may carry (0x7F, 0xFF, 'Z' + 1, '@') */
    int wrong = 0;
    static const unsigned char around[] = {0x00, 0x40, 0x41, 0x5A, 0x5B, 0x7F, 0x80, 0xC1, 0xDA, 0xFF};
    for (int c = 0; c < 256; c++)
        for (int pos = 0; pos < 8; pos++)
            for (size_t a = 0; a < sizeof around; a++) {
                unsigned char b[8], want[8], got[8];
                for (int k = 0; k < 8; k++) b[k] = around[(a + (size_t)k) % sizeof around];
                b[pos] = (unsigned char)c;
                for (int k = 0; k < 8; k++) want[k] = (unsigned char)dy_tolower(b[k]);
                dy_store8(got, dy_lower8(dy_load8(b)));
                wrong += memcmp(got, want, 8) != 0;
            }
    CHECK_INT_EQ(wrong, 0);
    if (DY_LITTLE_ENDIAN) { /* dy_load_short: the first n bytes, zeros after */
        const char *t = "Hello, world";
        CHECK(dy_load_short(t, 0) == 0);
        CHECK(dy_load_short(t, 5) == (dy_load8("Hello\0\0\0")));
    }
}

static void test_utf8(void)
{
    int32_t cp;
    CHECK_INT_EQ(dy_utf8_decode((const unsigned char *)"A", 1, &cp), 1);
    CHECK_INT_EQ(cp, 'A');
    CHECK_INT_EQ(dy_utf8_decode((const unsigned char *)"\xC3\xA9", 2, &cp), 2);
    CHECK_INT_EQ(cp, 0xE9);
    CHECK_INT_EQ(dy_utf8_decode((const unsigned char *)"\xE2\x80\x9C", 3, &cp), 3);
    CHECK_INT_EQ(cp, 0x201C);
    CHECK_INT_EQ(dy_utf8_decode((const unsigned char *)"\xF0\x9F\x98\x80", 4, &cp), 4);
    CHECK_INT_EQ(cp, 0x1F600);
    CHECK_INT_EQ(dy_utf8_decode((const unsigned char *)"\xE2\x80\x9C", 2, &cp), 1);
    CHECK_INT_EQ(cp, -1);
    CHECK_INT_EQ(dy_utf8_decode((const unsigned char *)"\x80", 1, &cp), 1);
    CHECK_INT_EQ(cp, -1);
    dy_utf8_decode((const unsigned char *)"\xF4\x90\x80\x80", 4, &cp); /* > U+10FFFF */
    CHECK_INT_EQ(cp, -1);
    dy_utf8_decode((const unsigned char *)"\xE0\x80\x80", 3, &cp); /* overlong */
    CHECK_INT_EQ(cp, -1);

    dy_buf b = {0};
    dy_utf8_put(&b, 'x');
    dy_utf8_put(&b, 0xE9);
    dy_utf8_put(&b, 0x20AC);
    dy_utf8_put(&b, 0x1F600);
    dy_utf8_put(&b, 0xD800); /* surrogate -> U+FFFD */
    dy_buf_nul(&b);
    CHECK_STR_EQ(b.p, "x\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xEF\xBF\xBD");
    dy_buf_free(&b);
}

static void test_normalise(void)
{
    unsigned rep;
    char *s;
    s = norm("plain text.\n", 12, &rep);
    CHECK_STR_EQ(s, "plain text.\n");
    CHECK_INT_EQ(rep, 0);
    free(s);

    const char *curly = "\xE2\x80\x9CI\xE2\x80\x99m fine\xE2\x80\x9D \xC2\xAB" "a\xC2\xBB \xE2\x80\x98q\xE2\x80\x99";
    s = norm(curly, strlen(curly), &rep);
    CHECK_STR_EQ(s, "\"I'm fine\" \"a\" 'q'");
    CHECK_INT_EQ(chars(s, strlen(s)), chars(curly, strlen(curly)));
    free(s);

    const char *dashes = "A \xE2\x80\x93 B \xE2\x80\x94 C \xE2\x88\x92" "1 \xE2\x80\x90x";
    s = norm(dashes, strlen(dashes), &rep);
    CHECK_STR_EQ(s, "A - B - C -1 -x");
    free(s);

    const char *spaces = "a\xC2\xA0" "b\xE2\x80\x83" "c\xE2\x80\x8B" "d\xEF\xBB\xBF" "e\xE3\x80\x80" "f";
    s = norm(spaces, strlen(spaces), &rep);
    CHECK_STR_EQ(s, "a b c d e f");
    free(s);

    s = norm("a\r\nb\rc\r\n", 8, &rep);
    CHECK_STR_EQ(s, "a \nb\nc \n");
    free(s);

    s = norm("n\0u\x01l\x1f\x7f" "l\tt\n", 11, &rep);
    CHECK_INT_EQ(rep, 0);
    CHECK(s && memcmp(s, "n u l  l\tt\n", 11) == 0);
    free(s);

    const char *bad = "x\xFFy\xC3z\xE2\x80q\xC3\xA9";
    s = norm(bad, strlen(bad), &rep);
    CHECK_INT_EQ(rep, 4);
    CHECK_STR_EQ(s, "x\xEF\xBF\xBDy\xEF\xBF\xBDz\xEF\xBF\xBD\xEF\xBF\xBDq\xC3\xA9");
    CHECK_INT_EQ(chars(s, strlen(s)), chars(bad, strlen(bad)));
    free(s);

    /* Windows-1252 quotes and dashes that arrived as C1 controls */
    s = norm("\xC2\x93hi\xC2\x94 \xC2\x96 it\xC2\x92s", 15, &rep);
    CHECK_STR_EQ(s, "\"hi\" - it's");
    free(s);

    /* offsets: the n-th character of the input is the n-th character of the output */
    const char *mix = "\xE2\x80\x9C" "Al-Kadhimi\xE2\x80\x99s\xE2\x80\x9D \xE2\x80\x93 \xFF drone\r\n";
    s = norm(mix, strlen(mix), &rep);
    size_t in_chars = chars(mix, strlen(mix)), out_chars = chars(s, strlen(s));
    CHECK_INT_EQ(out_chars, in_chars);
    CHECK_STR_EQ(s, "\"Al-Kadhimi's\" - \xEF\xBF\xBD drone \n");
    CHECK_INT_EQ(rep, 1);
    free(s);

    /* repaired accumulates and may be NULL */
    dy_buf b = {0};
    rep = 5;
    dy_text_normalise("\xFF", 1, &b, &rep);
    CHECK_INT_EQ(rep, 6);
    dy_text_normalise("\xFF", 1, &b, NULL);
    CHECK_INT_EQ(b.n, 6);
    dy_buf_free(&b);

    /* a long clean text goes through unchanged */
    size_t n = 1 << 20;
    char *big = malloc(n);
    for (size_t i = 0; i < n; i++) big[i] = "abc def.\n"[i % 9];
    s = norm(big, n, &rep);
    CHECK(s && memcmp(s, big, n) == 0 && s[n] == 0);
    free(s);
    free(big);
}

int main(void)
{
    test_arena();
    test_buf();
    test_json();
    test_hash_ctype();
    test_utf8();
    test_normalise();
    return check_done();
}
