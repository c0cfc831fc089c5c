/*
 * lemma.c — candidate lemmas of an English word. Irregular forms come from WordNet's
 * exception lists ("fought fight", "men man"), embedded at build time and loaded once into an
 * open-addressing hash table of views into the embedded bytes; then regular suffix rules
 * (-ies -> -y, -es, -s, -ied -> -y, -ed, -ing, doubled consonants) propose more. The lexicon
 * keeps the first candidate that is a dictionary word, so rules may propose non-words.
 */
#include "lemma.h"

#include "base/base.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* One embedded file, as written by tools/embed.c; the array ends with a {0, 0, 0} entry. */
struct dy_blob {
    const char *name;
    const unsigned char *data;
    size_t len;
};
extern const struct dy_blob dy_wordnet_blobs[];

/* One exception line: an inflected form and its bases, as views into the blob. */
struct exception {
    const char *form;  /* the inflected form */
    const char *bases; /* one or more bases separated by blanks */
    uint16_t form_len, bases_len;
};

/* Written once, by load() under load_mu, and only read once ready is set: coders on several
 * threads share the table. */
static struct exception *exceptions;
static size_t nexceptions;
static uint32_t *slots; /* 1-based indexes into exceptions; 0 is empty */
static size_t slot_mask;
static pthread_mutex_t load_mu = PTHREAD_MUTEX_INITIALIZER;
static int ready; /* the table is made (read and set atomically) */

/* ==== loading ============================================================================== */

/* Calls fn on each line of blob b that has a form and at least one base. */
static void each_line(const struct dy_blob *b, void (*fn)(const char *, size_t, const char *, size_t))
{
    const char *p = (const char *)b->data, *end = p + b->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *sp = memchr(p, ' ', (size_t)(le - p));
        if (sp && sp > p) {
            const char *bs = sp;
            while (bs < le && *bs == ' ') bs++;
            const char *be = le;
            while (be > bs && dy_isspace(be[-1])) be--;
            if (be > bs && sp - p < 0xFFFF && be - bs < 0xFFFF) fn(p, (size_t)(sp - p), bs, (size_t)(be - bs));
        }
        p = le + 1;
    }
}

static void count_line(const char *f, size_t fn, const char *b, size_t bn)
{
    (void)f, (void)fn, (void)b, (void)bn;
    nexceptions++;
}

/* Adds one line to the table; lines for the same form all stay, in load order. */
static void add_line(const char *f, size_t fn, const char *b, size_t bn)
{
    struct exception *e = &exceptions[nexceptions++];
    e->form = f;
    e->form_len = (uint16_t)fn;
    e->bases = b;
    e->bases_len = (uint16_t)bn;
    size_t h = (size_t)dy_hash(f, fn) & slot_mask;
    while (slots[h]) h = (h + 1) & slot_mask;
    slots[h] = (uint32_t)nexceptions;
}

/* The blobs in the order their bases should be offered: verbs (the coder's main interest),
 * then nouns, then adjectives, then anything else embedded. */
static void each_blob(void (*fn)(const char *, size_t, const char *, size_t))
{
    static const char *const order[] = {"verb.exc", "noun.exc", "adj.exc", NULL};
    for (int k = 0; order[k]; k++)
        for (const struct dy_blob *b = dy_wordnet_blobs; b->name; b++)
            if (strcmp(b->name, order[k]) == 0) each_line(b, fn);
    for (const struct dy_blob *b = dy_wordnet_blobs; b->name; b++) {
        int seen = 0;
        for (int k = 0; order[k]; k++) seen |= strcmp(b->name, order[k]) == 0;
        if (!seen) each_line(b, fn);
    }
}

/* Makes the table from the embedded lists. Returns 0, or -1 when out of memory (nothing
 * kept: a later call tries again). */
static int load(void)
{
    nexceptions = 0;
    each_blob(count_line);
    size_t cap = 16;
    while (cap < nexceptions * 2) cap *= 2;
    exceptions = malloc((nexceptions ? nexceptions : 1) * sizeof *exceptions);
    slots = calloc(cap, sizeof *slots);
    if (!exceptions || !slots) {
        free(exceptions);
        free(slots);
        exceptions = NULL;
        slots = NULL;
        return -1;
    }
    slot_mask = cap - 1;
    nexceptions = 0;
    each_blob(add_line);
    return 0;
}

/* Loads the exception lists once, whichever thread asks first (see lemma.h): the others
 * wait for it, and every later call costs one atomic read. */
int dy_lemma_init(void)
{
    if (__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) return 0;
    pthread_mutex_lock(&load_mu);
    int rc = __atomic_load_n(&ready, __ATOMIC_RELAXED) ? 0 : load();
    if (!rc) __atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&load_mu);
    return rc;
}

/* ==== candidates ============================================================================ */

struct cands {
    char (*out)[DY_WORD_MAX];
    int k, max;
    const char *word;
    size_t n;
};

/* Adds s[0..len) unless it is empty, too long, the word itself, or already there. */
static void add(struct cands *c, const char *s, size_t len)
{
    if (c->k >= c->max || len == 0 || len >= DY_WORD_MAX) return;
    if (len == c->n && memcmp(s, c->word, len) == 0) return;
    for (int j = 0; j < c->k; j++)
        if (strlen(c->out[j]) == len && memcmp(c->out[j], s, len) == 0) return;
    memcpy(c->out[c->k], s, len);
    c->out[c->k][len] = 0;
    c->k++;
}

/* Adds the word's first keep bytes followed by suffix. */
static void add_stem(struct cands *c, size_t keep, const char *suffix)
{
    char tmp[DY_WORD_MAX + 8];
    size_t sl = strlen(suffix);
    if (keep + sl >= sizeof tmp) return;
    memcpy(tmp, c->word, keep);
    memcpy(tmp + keep, suffix, sl);
    add(c, tmp, keep + sl);
}

static int is_vowel(char ch) { return ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u'; }

static int ends(const struct cands *c, const char *suf)
{
    size_t sl = strlen(suf);
    return c->n >= sl && memcmp(c->word + c->n - sl, suf, sl) == 0;
}

/* Whether w[0..n) ends consonant-vowel-consonant (or starts vowel-consonant when n == 2):
 * such a stem would have doubled its consonant before -ed / -ing had it been the base
 * ("fir" -> "firred"), so "fired" more likely comes from "fire". */
static int cvc(const char *w, size_t n)
{
    if (n < 2) return 0;
    char a = w[n - 1], b = w[n - 2];
    if (is_vowel(a) || a == 'w' || a == 'x' || a == 'y' || !dy_isalpha(a) || !is_vowel(b)) return 0;
    return n == 2 || (!is_vowel(w[n - 3]) && dy_isalpha(w[n - 3]));
}

/* The stem w[0..s) before -ed or -ing: proposes it and the stem + e (ordered by cvc), then
 * the stem without a doubled final consonant ("stopp" -> "stop"). */
static void verb_stem(struct cands *c, size_t s)
{
    if (s < 2) return;
    if (cvc(c->word, s)) {
        add_stem(c, s, "e");
        add_stem(c, s, "");
    } else {
        add_stem(c, s, "");
        add_stem(c, s, "e");
    }
    char a = c->word[s - 1];
    if (s >= 3 && a == c->word[s - 2] && !is_vowel(a) && dy_isalpha(a)) add_stem(c, s - 1, "");
}

/* Writes candidate lemmas (see lemma.h): irregular bases first, then regular rules. */
int dy_lemma_candidates(const char *w, size_t n, char out[][DY_WORD_MAX], int max)
{
    struct cands c = {out, 0, max, w, n};
    if (!w || n == 0 || n >= DY_WORD_MAX || max <= 0) return 0;
    if (dy_lemma_init()) return 0;

    size_t h = (size_t)dy_hash(w, n) & slot_mask;
    while (slots[h]) {
        const struct exception *e = &exceptions[slots[h] - 1];
        if (e->form_len == n && memcmp(e->form, w, n) == 0) {
            const char *p = e->bases, *end = p + e->bases_len;
            while (p < end) {
                const char *q = p;
                while (q < end && *q != ' ') q++;
                add(&c, p, (size_t)(q - p));
                while (q < end && *q == ' ') q++;
                p = q;
            }
        }
        h = (h + 1) & slot_mask;
    }

    if (n >= 4 && ends(&c, "ies")) {
        add_stem(&c, n - 3, "y"); /* injuries -> injury */
        add_stem(&c, n - 1, "");  /* ties -> tie */
    } else if (n >= 4 && ends(&c, "es")) {
        /* marches -> march, but causes -> cause: the -es reading first only after a sibilant */
        int sib = ends(&c, "sses") || ends(&c, "xes") || ends(&c, "zes") || ends(&c, "ches") ||
                  ends(&c, "shes");
        add_stem(&c, sib ? n - 2 : n - 1, "");
        add_stem(&c, sib ? n - 1 : n - 2, "");
    } else if (n >= 4 && ends(&c, "s") && !ends(&c, "ss") && !ends(&c, "us")) {
        add_stem(&c, n - 1, ""); /* militias -> militia */
    }
    if (n >= 5 && ends(&c, "ied")) {
        add_stem(&c, n - 3, "y"); /* carried -> carry */
        add_stem(&c, n - 1, "");  /* tied -> tie */
    } else if (n == 4 && ends(&c, "ied")) {
        add_stem(&c, n - 1, ""); /* died -> die, tied -> tie, lied -> lie: never "di" */
    } else if (n >= 4 && ends(&c, "ed")) {
        verb_stem(&c, n - 2); /* attacked, fired, committed */
    }
    if (n >= 5 && ends(&c, "ing")) verb_stem(&c, n - 3); /* attacking, making, running */
    return c.k;
}
