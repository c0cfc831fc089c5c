/*
 * test_segment.c — unit tests of the segment stage (src/segment.c): tokens and their flags
 * and byte spans, sentence ends around abbreviations, initials, decimals and quotations,
 * headline fragments and title lines, paragraphs, quotations, and inputs that must not crash.
 */
#include "segment.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static dy_arena arena;
static dy_segmented sg;
static const char *txt;

/* Segments the NUL-terminated s into sg (reusing one arena). */
static int seg(const char *s)
{
    dy_arena_reset(&arena);
    txt = s;
    return dy_segment(s, strlen(s), &arena, &sg);
}

/* Sentence i's text as a static string (its byte span). */
static const char *sent(size_t i)
{
    static char out[4096];
    if (i >= sg.nsent) return "(none)";
    size_t n = sg.sent[i].end - sg.sent[i].start;
    if (n >= sizeof out) n = sizeof out - 1;
    memcpy(out, txt + sg.sent[i].start, n);
    out[n] = 0;
    return out;
}

/* Token k's text as a static string. */
static const char *tok(size_t k)
{
    static char out[2][256];
    static int which;
    char *o = out[which ^= 1];
    if (k >= sg.ntok) return "(none)";
    size_t n = sg.tok[k].len < 255 ? sg.tok[k].len : 255;
    memcpy(o, txt + sg.tok[k].start, n);
    o[n] = 0;
    return o;
}

/* Index of the first token whose text is w, or -1. */
static long find(const char *w)
{
    for (size_t k = 0; k < sg.ntok; k++)
        if (strlen(w) == sg.tok[k].len && memcmp(txt + sg.tok[k].start, w, sg.tok[k].len) == 0)
            return (long)k;
    return -1;
}

static unsigned flags_of(const char *w)
{
    long k = find(w);
    return k < 0 ? 0xFFFFu : sg.tok[k].flags;
}

static void test_tokens(void)
{
    CHECK_INT_EQ(seg("Al-Kadhimi met O'Brien in the U.S. on 10.5 km, 10,000 men don't."), 0);
    const char *want[] = {"Al-Kadhimi", "met", "O'Brien", "in", "the", "U.S.", "on", "10.5", "km",
                          ",", "10,000", "men", "don't", "."};
    CHECK_INT_EQ(sg.ntok, 14);
    for (size_t k = 0; k < 14 && k < sg.ntok; k++) CHECK_STR_EQ(tok(k), want[k]);
    /* byte spans */
    CHECK_INT_EQ(sg.tok[0].start, 0);
    CHECK_INT_EQ(sg.tok[0].len, 10);
    CHECK_INT_EQ(sg.tok[2].start, 15);
    CHECK_INT_EQ(sg.tok[2].len, 7);
    CHECK_INT_EQ(sg.tok[5].start, 30);
    CHECK_INT_EQ(sg.tok[5].len, 4);
    CHECK_INT_EQ(sg.tok[13].start, 63);
    CHECK_INT_EQ(sg.tok[13].len, 1);
    /* flags */
    CHECK(sg.tok[0].flags & TK_WORD && sg.tok[0].flags & TK_CAP && !(sg.tok[0].flags & TK_UPPER));
    CHECK(sg.tok[0].flags & TK_PARA);
    CHECK(!(sg.tok[1].flags & (TK_CAP | TK_PARA | TK_NUM | TK_PUNCT)));
    CHECK(sg.tok[5].flags & TK_ABBR && sg.tok[5].flags & TK_UPPER);
    CHECK(sg.tok[7].flags & TK_NUM && !(sg.tok[7].flags & TK_WORD));
    CHECK(sg.tok[9].flags & TK_PUNCT);
    CHECK(sg.tok[10].flags & TK_NUM);
    CHECK(sg.tok[13].flags & TK_PUNCT && !(sg.tok[13].flags & TK_ABBR));
    CHECK(sg.tok[0].form == 0 && sg.tok[0].lemma == 0 && sg.tok[0].quote == 0);
    CHECK_INT_EQ(sg.nsent, 1);

    /* every other punctuation mark is a token of its own */
    seg("(a)[b]{c}; x/y -- z!?");
    CHECK_INT_EQ(sg.ntok, 18);
    CHECK_STR_EQ(tok(0), "(");
    CHECK_STR_EQ(tok(11), "/");
    CHECK_STR_EQ(tok(13), "-");
    CHECK_STR_EQ(tok(14), "-");
    CHECK_STR_EQ(tok(17), "?");

    /* all caps, single capitals, numbers with letters */
    seg("NATO and I saw 2nd F-16s over IRAQ.");
    CHECK(flags_of("NATO") & TK_UPPER);
    CHECK(!(flags_of("I") & TK_UPPER) && flags_of("I") & TK_CAP);
    CHECK(flags_of("2nd") & TK_NUM);
    CHECK(flags_of("F-16s") & TK_WORD && flags_of("F-16s") & TK_CAP);
    CHECK(flags_of("IRAQ") & TK_UPPER);

    /* non-ASCII letters stay in words; symbols are tokens */
    seg("Caf\xC3\xA9 \xC3\x89lys\xC3\xA9" "e costs \xE2\x82\xAC" "5\xE2\x80\xA6");
    CHECK_STR_EQ(tok(0), "Caf\xC3\xA9");
    CHECK_STR_EQ(tok(1), "\xC3\x89lys\xC3\xA9" "e");
    CHECK(sg.tok[1].flags & TK_CAP);
    CHECK_STR_EQ(tok(3), "\xE2\x82\xAC");
    CHECK(sg.tok[3].flags & TK_PUNCT);
    CHECK_STR_EQ(tok(4), "5");
    CHECK_STR_EQ(tok(5), "\xE2\x80\xA6");
}

static void test_possessives(void)
{
    seg("al-Kadhimi's home, the protesters' demands and Iraq's army; it's late.");
    CHECK_STR_EQ(tok(0), "al-Kadhimi");
    CHECK(sg.tok[0].flags & TK_POSS);
    CHECK(!(sg.tok[0].flags & TK_CAP));
    CHECK_STR_EQ(tok(1), "'s");
    CHECK_INT_EQ(sg.tok[1].start, 10);
    CHECK_INT_EQ(sg.tok[1].len, 2);
    CHECK_STR_EQ(tok(5), "protesters");
    CHECK(sg.tok[5].flags & TK_POSS);
    CHECK_STR_EQ(tok(6), "'");
    CHECK(sg.tok[6].flags & TK_PUNCT);
    CHECK(flags_of("Iraq") & TK_POSS);
    CHECK(!(flags_of("home") & TK_POSS));
    long it = find("it");
    CHECK(it >= 0 && !(sg.tok[it].flags & TK_POSS)); /* a contraction, split but no possessive */
    CHECK_STR_EQ(tok((size_t)it + 1), "'s");
}

static void test_abbreviations(void)
{
    seg("He lives in the U.S. The next day he left.");
    CHECK_INT_EQ(sg.nsent, 2);
    CHECK_STR_EQ(sent(0), "He lives in the U.S.");
    CHECK_STR_EQ(sent(1), "The next day he left.");

    seg("The U.S. Army said so. U.S. officials met U.N. envoys.");
    CHECK_INT_EQ(sg.nsent, 2);
    CHECK_STR_EQ(sent(0), "The U.S. Army said so.");

    seg("Gen. Smith met Mr. Jones and Sen. Ali on Jan. 5 at St. Mary's. Dr. Who left.");
    CHECK_INT_EQ(sg.nsent, 2);
    CHECK_STR_EQ(sent(1), "Dr. Who left.");
    CHECK(flags_of("Gen.") & TK_ABBR);
    CHECK(flags_of("Jan.") & TK_ABBR);
    CHECK(flags_of("Mr.") & TK_ABBR);

    seg("John F. Kennedy and George W. Bush were presidents. They died.");
    CHECK_INT_EQ(sg.nsent, 2);
    CHECK(flags_of("F.") & TK_ABBR);

    seg("Apple Inc. said profits rose. Guns, bombs, etc. Police said more.");
    CHECK_INT_EQ(sg.nsent, 3);
    CHECK_STR_EQ(sent(1), "Guns, bombs, etc.");

    seg("It grew 10.5 percent in 2020. 15 people died.");
    CHECK_INT_EQ(sg.nsent, 2);
    CHECK_STR_EQ(sent(1), "15 people died.");

    seg("Route No. 5 was closed. He said no. Then he left.");
    CHECK_INT_EQ(sg.nsent, 3);
    CHECK_STR_EQ(sent(1), "He said no.");

    seg("He waited... and waited. Then he left at 5 p.m. yesterday.");
    CHECK_INT_EQ(sg.nsent, 2);
    CHECK_STR_EQ(sent(0), "He waited... and waited.");

    seg("Forces left the U.S.");
    CHECK_INT_EQ(sg.nsent, 1);
    CHECK_STR_EQ(tok(sg.ntok - 1), "U.S.");

    seg("Iraqi forces\nattacked the base. Officials\r\nsaid so.");
    CHECK_INT_EQ(sg.nsent, 2);
    CHECK_STR_EQ(sent(0), "Iraqi forces\nattacked the base.");
}

static void test_quotes(void)
{
    seg("He said: \"I'm fine. Thank God\". Then he left.");
    CHECK_INT_EQ(sg.nsent, 3);
    CHECK_STR_EQ(sent(0), "He said: \"I'm fine.");
    CHECK_STR_EQ(sent(1), "Thank God\".");
    CHECK_STR_EQ(sent(2), "Then he left.");
    CHECK_INT_EQ(sg.nquote, 1);
    CHECK_STR_EQ(tok(sg.quote[0].open), "\"");
    CHECK_INT_EQ(sg.quote[0].open, 3);
    CHECK_INT_EQ(sg.quote[0].close, 9);
    CHECK(flags_of("fine") & TK_INQUOTE);
    CHECK(flags_of("God") & TK_INQUOTE);
    CHECK(!(flags_of("Then") & TK_INQUOTE));
    CHECK(!(flags_of("said") & TK_INQUOTE));
    CHECK_INT_EQ(sg.tok[find("fine")].quote, 1);
    CHECK(sg.tok[3].flags & TK_QUOTE && !(sg.tok[3].flags & TK_INQUOTE));

    seg("\"We will fight,\" he said. \"We will win.\" Crowds cheered.");
    CHECK_INT_EQ(sg.nsent, 3);
    CHECK_STR_EQ(sent(0), "\"We will fight,\" he said.");
    CHECK_STR_EQ(sent(1), "\"We will win.\"");
    CHECK_INT_EQ(sg.nquote, 2);
    CHECK_INT_EQ(sg.tok[find("win")].quote, 2);

    seg("\"Help!\" she cried. \"Why?\" he asked.");
    CHECK_INT_EQ(sg.nsent, 2);
    CHECK_STR_EQ(sent(0), "\"Help!\" she cried.");

    seg("Is it over? Nobody knows. \"Will it end?\"\n\nYes.");
    CHECK_INT_EQ(sg.nsent, 4);
    CHECK(sg.sent[0].flags & SENT_QUESTION);
    CHECK(!(sg.sent[1].flags & SENT_QUESTION));
    CHECK(sg.sent[2].flags & SENT_QUESTION);
    CHECK(!(sg.sent[2].flags & SENT_HEADLINE));
    CHECK(sg.sent[3].flags & SENT_PARA);

    /* an unclosed quotation ends with its paragraph */
    seg("He said \"this never closes.\n\nA new \"quoted\" part.");
    CHECK_INT_EQ(sg.nquote, 2);
    CHECK_INT_EQ(sg.quote[0].open, sg.quote[0].close);
    CHECK(flags_of("closes") & TK_INQUOTE);
    CHECK(!(flags_of("new") & TK_INQUOTE));
    CHECK(flags_of("quoted") & TK_INQUOTE);
    CHECK_INT_EQ(sg.tok[find("quoted")].quote, 2);
    CHECK(!(flags_of("part") & TK_INQUOTE));
}

static void test_headlines_paragraphs(void)
{
    seg("CLASH BETWEEN USA AND IRAN - The attempt to kill him failed.");
    CHECK_INT_EQ(sg.nsent, 2);
    CHECK_STR_EQ(sent(0), "CLASH BETWEEN USA AND IRAN -");
    CHECK(sg.sent[0].flags & SENT_HEADLINE);
    CHECK_INT_EQ(sg.sent[0].count, 6);
    CHECK_STR_EQ(sent(1), "The attempt to kill him failed.");
    CHECK(!(sg.sent[1].flags & SENT_HEADLINE));
    CHECK_INT_EQ(sg.sent[1].first, 6);

    seg("Talks resumed. BIG NEWS -- Peace at last.");
    CHECK_INT_EQ(sg.nsent, 3);
    CHECK_STR_EQ(sent(1), "BIG NEWS --");
    CHECK(sg.sent[1].flags & SENT_HEADLINE);

    seg("NATO - the alliance - met.");
    CHECK_INT_EQ(sg.nsent, 1);
    CHECK(!(sg.sent[0].flags & SENT_HEADLINE));

    seg("Drone attack on Iraqi PM\n\nThe attack failed.\nIt was late.");
    CHECK_INT_EQ(sg.nsent, 3);
    CHECK_STR_EQ(sent(0), "Drone attack on Iraqi PM");
    CHECK(sg.sent[0].flags & SENT_HEADLINE);
    CHECK(sg.sent[0].flags & SENT_PARA);
    CHECK(sg.sent[1].flags & SENT_PARA);
    CHECK(!(sg.sent[1].flags & SENT_HEADLINE));
    CHECK(!(sg.sent[2].flags & SENT_PARA));

    /* a paragraph without final punctuation over two lines is not a title; it still ends */
    seg("It ended, said police\nofficials on Monday\n\nAnother begins.");
    CHECK_INT_EQ(sg.nsent, 2);
    CHECK(!(sg.sent[0].flags & SENT_HEADLINE));
    CHECK_STR_EQ(sent(1), "Another begins.");

    /* an indented line and a line of blanks both break paragraphs */
    seg("First part ends here\n  Indented start. Next\n \t\nthird para.");
    CHECK_INT_EQ(sg.nsent, 4);
    CHECK_STR_EQ(sent(0), "First part ends here");
    CHECK(!(sg.sent[0].flags & SENT_HEADLINE)); /* a paragraph, but no blank line after it */
    CHECK_STR_EQ(sent(2), "Next");
    CHECK(!(sg.sent[2].flags & SENT_HEADLINE)); /* does not start its line */
    CHECK_STR_EQ(sent(3), "third para.");
    CHECK(sg.tok[find("third")].flags & TK_PARA);
    CHECK(sg.tok[find("Indented")].flags & TK_PARA);

    /* a line of blanks counts as a blank line */
    seg("Title line\n \t\nBody.");
    CHECK_INT_EQ(sg.nsent, 2);
    CHECK(sg.sent[0].flags & SENT_HEADLINE);

    /* the last line of a story is not a title */
    seg("Reporting by Ali Sami");
    CHECK_INT_EQ(sg.nsent, 1);
    CHECK(!(sg.sent[0].flags & SENT_HEADLINE));
}

static void test_showcase(void)
{
    const char *p =
        "Iraqi Prime Minister Mustafa al-Kadhimi survived an assassination attempt with an armed "
        "drone and was miraculously unharmed. The Baghdad government itself reported in a "
        "statement that a drone loaded with explosives attempted to hit al-Kadhimi's home in the "
        "capital's fortified green zone.\n\nBaghdad residents heard the sound of an explosion.\n\n"
        "Al-Kadhimi shortly after the attack commented on Twitter when it happened: \"I'm fine and "
        "among my people. Thank God\". Prime Minister who called on the people to calm and "
        "restraint \"for the good of Iraq.\" He later appeared on Iraqi television.\n\n"
        "CLASH BETWEEN USA AND IRAN - The attempt to kill al-Kadhimi with a drone attack.";
    CHECK_INT_EQ(seg(p), 0);
    CHECK_INT_EQ(sg.nsent, 9);
    CHECK_STR_EQ(sent(0), "Iraqi Prime Minister Mustafa al-Kadhimi survived an assassination "
                          "attempt with an armed drone and was miraculously unharmed.");
    CHECK_STR_EQ(sent(1), "The Baghdad government itself reported in a statement that a drone "
                          "loaded with explosives attempted to hit al-Kadhimi's home in the "
                          "capital's fortified green zone.");
    CHECK(sg.sent[0].flags & SENT_PARA);
    CHECK(!(sg.sent[1].flags & SENT_PARA));
    CHECK_INT_EQ(sg.sent[0].count, 18);
    CHECK_INT_EQ(sg.sent[1].first, 18);
    CHECK_STR_EQ(sent(3), "Al-Kadhimi shortly after the attack commented on Twitter when it "
                          "happened: \"I'm fine and among my people.");
    CHECK_STR_EQ(sent(4), "Thank God\".");
    CHECK_STR_EQ(sent(5), "Prime Minister who called on the people to calm and restraint \"for "
                          "the good of Iraq.\"");
    CHECK_STR_EQ(sent(6), "He later appeared on Iraqi television.");
    CHECK_STR_EQ(sent(7), "CLASH BETWEEN USA AND IRAN -");
    CHECK(sg.sent[7].flags & SENT_HEADLINE);
    CHECK_INT_EQ(sg.nquote, 2);
    /* sentences tile the tokens in order */
    size_t next = 0;
    int tiled = 1;
    for (size_t i = 0; i < sg.nsent; i++) {
        tiled &= sg.sent[i].first == next && sg.sent[i].count > 0;
        next = sg.sent[i].first + sg.sent[i].count;
    }
    CHECK(tiled && next == sg.ntok);
}

/* Time of segmenting s[0..n) in seconds. */
static double timed(const char *s, size_t n, int *rc)
{
    clock_t t0 = clock();
    dy_arena_reset(&arena);
    txt = s;
    *rc = dy_segment(s, n, &arena, &sg);
    return (double)(clock() - t0) / CLOCKS_PER_SEC;
}

/* Fills a buffer of n bytes with the pattern p repeated. */
static char *repeat(const char *p, size_t n)
{
    char *s = malloc(n + 1);
    size_t k = strlen(p);
    for (size_t i = 0; i < n; i++) s[i] = p[i % k];
    s[n] = 0;
    return s;
}

static void test_pathological(void)
{
    int rc;
    CHECK_INT_EQ(dy_segment("", 0, &arena, &sg), 0);
    CHECK_INT_EQ(sg.ntok, 0);
    CHECK_INT_EQ(sg.nsent, 0);
    CHECK_INT_EQ(dy_segment(NULL, 5, &arena, &sg), 0);
    CHECK_INT_EQ(seg("   \n\n  "), 0);
    CHECK_INT_EQ(sg.nsent, 0);

    /* NUL bytes and control characters are blanks */
    CHECK_INT_EQ(dy_segment("a\0b\x01.", 5, &arena, &sg), 0);
    CHECK_INT_EQ(sg.ntok, 3);

    /* no punctuation at all: sentences are cut at the token limit */
    size_t n = 5 << 18;
    char *s = repeat("word ", n);
    timed(s, n, &rc);
    CHECK_INT_EQ(rc, 0);
    CHECK_INT_EQ(sg.ntok, n / 5);
    CHECK_INT_EQ(sg.nsent, (n / 5 + DY_MAX_SENTENCE_TOKENS - 1) / DY_MAX_SENTENCE_TOKENS);
    CHECK_INT_EQ(sg.sent[0].count, DY_MAX_SENTENCE_TOKENS);
    free(s);

    /* 100k quotation marks, parentheses, dots, all-caps words: linear time */
    const char *pats[] = {"\"", "((((", "\"a. ", ". ", "BIG ", "U.S. ", "-", "'s", "a'", "\xFF",
                          "\xE2\x80\x9C", "A\n\n"};
    for (size_t p = 0; p < sizeof pats / sizeof *pats; p++) {
        size_t small = 100000, large = 800000;
        char *a = repeat(pats[p], small), *b = repeat(pats[p], large);
        double ta = timed(a, small, &rc);
        CHECK_INT_EQ(rc, 0);
        double tb = timed(b, large, &rc);
        CHECK_INT_EQ(rc, 0);
        CHECK(sg.ntok > 0);
        /* 8x the input may take 8x the time; quadratic would be 64x. Generous for noise. */
        if (!CHECK(tb < 0.05 || tb < ta * 30))
            fprintf(stderr, "    pattern %zu: %.3fs for 100k, %.3fs for 800k\n", p, ta, tb);
        free(a);
        free(b);
    }
    s = repeat("\"", 100000);
    timed(s, 100000, &rc);
    CHECK_INT_EQ(sg.nquote, 50000);
    free(s);

    /* a single huge word */
    s = repeat("a", 4 << 20);
    timed(s, 4 << 20, &rc);
    CHECK_INT_EQ(sg.ntok, 1);
    CHECK_INT_EQ(sg.tok[0].len, 4 << 20);
    free(s);

    /* an arena limit makes dy_segment fail cleanly */
    dy_arena small;
    dy_arena_init(&small, 256);
    s = repeat("word ", 10000);
    CHECK_INT_EQ(dy_segment(s, 10000, &small, &sg), -1);
    CHECK(small.failed);
    dy_arena_fini(&small);
    free(s);
}

int main(void)
{
    dy_arena_init(&arena, 0);
    test_tokens();
    test_possessives();
    test_abbreviations();
    test_quotes();
    test_headlines_paragraphs();
    test_showcase();
    test_pathological();
    dy_arena_fini(&arena);
    return check_done();
}
