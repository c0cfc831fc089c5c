/*
 * test_lemma.c — unit tests of src/lemma.c: irregular forms from the embedded WordNet
 * exception lists, the regular suffix rules and their order, and the edge cases (long words,
 * max, duplicates, the word itself).
 */
#include "lemma.h"
#include "check.h"

#include <string.h>

static char out[16][DY_WORD_MAX];
static int nout;

/* Candidates of w into out; returns the count. */
static int cands(const char *w)
{
    nout = dy_lemma_candidates(w, strlen(w), out, 16);
    return nout;
}

/* Position of lemma l among the candidates of w, or -1. */
static int pos(const char *w, const char *l)
{
    cands(w);
    for (int i = 0; i < nout; i++)
        if (strcmp(out[i], l) == 0) return i;
    return -1;
}

/* Whether l is the first candidate of w; prints them all when not. */
static int first_is(const char *w, const char *l)
{
    cands(w);
    int ok = nout > 0 && strcmp(out[0], l) == 0;
    if (!ok) {
        fprintf(stderr, "    %s ->", w);
        for (int i = 0; i < nout; i++) fprintf(stderr, " %s", out[i]);
        fprintf(stderr, " (wanted %s first)\n", l);
    }
    return ok;
}

int main(void)
{
    CHECK_INT_EQ(dy_lemma_init(), 0);
    CHECK_INT_EQ(dy_lemma_init(), 0); /* a second call is a no-op */

    /* irregular forms come first */
    CHECK(first_is("fought", "fight"));
    CHECK(first_is("went", "go"));
    CHECK(first_is("men", "man"));
    CHECK(first_is("held", "hold"));
    CHECK(first_is("was", "be"));
    CHECK(first_is("children", "child"));
    CHECK(first_is("dying", "die"));
    CHECK(pos("better", "good") >= 0); /* from adj.exc, after the verb list */
    /* a form with two bases keeps both */
    CHECK(pos("axes", "ax") >= 0 && pos("axes", "axis") >= 0);

    /* regular rules */
    CHECK(first_is("attacked", "attack"));
    CHECK_INT_EQ(pos("attacked", "attacke"), 1); /* as lemma.h documents */
    CHECK(first_is("militias", "militia"));
    CHECK(first_is("injuries", "injury"));
    CHECK(first_is("countries", "country"));
    CHECK(first_is("carried", "carry"));
    CHECK(first_is("marches", "march"));
    CHECK(first_is("causes", "cause"));
    CHECK(first_is("fired", "fire"));
    CHECK(first_is("used", "use"));
    CHECK(first_is("attacking", "attack"));
    CHECK(first_is("making", "make"));
    CHECK(pos("running", "run") >= 0);
    CHECK(pos("committed", "commit") >= 0);
    CHECK(pos("stopped", "stop") >= 0);
    CHECK(first_is("protests", "protest"));
    CHECK(first_is("accused", "accuse"));
    CHECK(first_is("killed", "kill"));
    CHECK(pos("opened", "open") >= 0);
    CHECK(pos("ties", "tie") >= 0);

    /* never the word itself, never duplicates, nothing for words without a rule */
    CHECK_INT_EQ(cands("attack"), 0);
    CHECK_INT_EQ(cands("the"), 0);
    CHECK_INT_EQ(cands("press"), 0);
    CHECK(pos("attacked", "attacked") < 0);
    cands("stopped");
    int dup = 0;
    for (int i = 0; i < nout; i++)
        for (int j = i + 1; j < nout; j++) dup |= strcmp(out[i], out[j]) == 0;
    CHECK(!dup);

    /* limits */
    char longw[DY_WORD_MAX + 8];
    memset(longw, 'a', sizeof longw - 1);
    longw[sizeof longw - 1] = 0;
    memcpy(longw + DY_WORD_MAX - 3, "ed", 2); /* the 63-byte prefix ends in -ed */
    CHECK_INT_EQ(dy_lemma_candidates(longw, DY_WORD_MAX, out, 16), 0);
    CHECK(dy_lemma_candidates(longw, DY_WORD_MAX - 1, out, 16) > 0); /* ...ed fits */
    CHECK_INT_EQ(dy_lemma_candidates("attacked", 8, out, 1), 1);
    CHECK_STR_EQ(out[0], "attack");
    CHECK_INT_EQ(dy_lemma_candidates("attacked", 8, out, 0), 0);
    CHECK_INT_EQ(dy_lemma_candidates("", 0, out, 16), 0);
    /* only n bytes are read */
    CHECK_INT_EQ(dy_lemma_candidates("menXYZ", 3, out, 16), 1);
    CHECK_STR_EQ(out[0], "man");
    return check_done();
}
