/*
 * fuzz_segment.c — libFuzzer target for the segment stage (src/segment.h dy_segment): raw or
 * normalised bytes -> tokens, sentences, quotations. Checks the structure it promises: tokens
 * in order inside the text, sentences covering every token exactly once and never longer than
 * DY_MAX_SENTENCE_TOKENS, quotations opened and closed on quotation marks, the scratch fields
 * cleared. The first input byte picks raw or normalised text and a tight arena limit.
 */
#include "segment.h"
#include "fuzz_common.h"

static void check_segmented(const char *text, size_t n, const dy_segmented *g)
{
    uint64_t prev_end = 0;
    for (size_t i = 0; i < g->ntok; i++) {
        const dy_token *t = &g->tok[i];
        FUZZ_CHECK(t->len > 0);
        FUZZ_CHECK((uint64_t)t->start + t->len <= n);
        FUZZ_CHECK(t->start >= prev_end);
        FUZZ_CHECK(t->form == 0 && t->lemma == 0);
        FUZZ_CHECK(!(t->flags & TK_QUOTE) || text[t->start] == '"');
        FUZZ_CHECK(t->quote <= g->nquote);
        prev_end = (uint64_t)t->start + t->len;
    }
    size_t next = 0;
    for (size_t s = 0; s < g->nsent; s++) {
        const dy_sentence *st = &g->sent[s];
        FUZZ_CHECK(st->first == next);
        FUZZ_CHECK(st->count >= 1 && st->count <= DY_MAX_SENTENCE_TOKENS);
        FUZZ_CHECK(st->start == g->tok[st->first].start);
        const dy_token *last = &g->tok[st->first + st->count - 1];
        FUZZ_CHECK(st->end == last->start + last->len);
        next = st->first + st->count;
    }
    FUZZ_CHECK(next == g->ntok);
    for (size_t q = 0; q < g->nquote; q++) {
        const dy_quote *qu = &g->quote[q];
        FUZZ_CHECK(qu->open <= qu->close && qu->close < g->ntok);
        FUZZ_CHECK(g->tok[qu->open].flags & TK_QUOTE);
        FUZZ_CHECK(g->tok[qu->close].flags & TK_QUOTE);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    unsigned mode = data[0];
    const char *text = (const char *)data + 1;
    size_t n = size - 1;
    dy_buf norm = {0};
    if (mode & 1) {
        unsigned repaired = 0;
        dy_text_normalise(text, n, &norm, &repaired);
        dy_buf_nul(&norm);
        FUZZ_CHECK(!norm.oom);
        FUZZ_CHECK(fuzz_valid_utf8((const unsigned char *)norm.p, norm.n));
        text = norm.p;
        n = norm.n;
    }
    dy_arena a;
    dy_arena_init(&a, (mode & 2) ? 4096 + 64 * n : 0);
    dy_segmented g;
    int rc = dy_segment(text, n, &a, &g);
    if (rc == 0) check_segmented(text, n, &g);
    else FUZZ_CHECK(a.failed && (mode & 2)); /* only a limit can make it fail */
    dy_arena_fini(&a);
    dy_buf_free(&norm);
    return 0;
}
