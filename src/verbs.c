/*
 * verbs.c — the verbs stage: for each sentence, every token that anchors an event pattern is
 * tried against its patterns (heaviest first); matches record the tokens they cover and any
 * source/target slots they fill. Overlapping matches keep the heaviest: "threatened to attack
 * X" is one threat, not a threat and an attack. Produces candidate events for events.c.
 */
#include <pthread.h>
#include <string.h>

#include "story.h"
#include "vcond.h"

#define GAP_MAX 10 /* tokens a "..." may skip */
#define SKIP_MAX 3 /* determiners/adverbs skipped between two elements */

typedef struct match {
    uint32_t first, last; /* tokens covered */
    int32_t src, tgt;     /* explicit slots, -1 */
    int tgt_subject;      /* a + before the anchor: the subject is the target */
    int src_subject;      /* a $ before the anchor */
    int compound_subject; /* a % before the anchor: the subject is a compound acting on itself */
    int32_t other;        /* the mention a '-' slot took, -1 */
} match;

/* Classifies every token once: which are skipped between pattern elements (determiners,
 * possessives, "new", adverbs in -ly) and which make the next word a noun (determiners). */
static int clause_edge_at(const dy_story_ctx *s, uint32_t i);

/* ==== function words ====================================================================== */

/* The lists of function words the matcher tests tokens against. Each token is looked up once
 * per story (function_words) and keeps the set of lists it reads, so a test is one bit and no
 * string is compared on the matching path. */
enum {
    FW_NUMBER = 1 << 0,  /* counts people ("two", "dozens", "several"): skipped like a determiner */
    FW_NP_STOP = 1 << 1, /* ends a noun phrase a '^' skips: a preposition, helper or conjunction */
    FW_BE = 1 << 2,      /* a form of "be" */
    FW_DEF = 1 << 3,     /* a definite determiner or possessive ("the", "its", "'s") */
    FW_VERBAL = 1 << 4,  /* a word before which a verb form stays a verb ("was", "to", "who") */
    FW_DEGREE = 1 << 5,  /* a degree word that makes the next an adjective ("very", "too") */
    FW_A = 1 << 6,       /* "a", "an" */
    FW_CLS = 7           /* bits 7..10: the classify_tokens class (FC_* below) */
};
enum { FC_D = 1, FC_K = 2, FC_C = 4, FC_O = 8 }; /* determiner, skipped, clause word, "of" */

static const char *const number_words[] = {"two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "dozen", "dozens", "scores",
    "hundreds", "several", NULL}; /* at most 8 letters ("thousands" never counted) */
static const char *const np_stop[] = {"is", "are", "was", "were", "be", "been", "has", "have", "had", "will",
    "would", "can", "could", "should", "may", "might", "must", "did", "does", "do", "not", "to", "and", "or",
    "but", "in", "on", "at", "for", "with", "by", "from", "into", "about", "after", "before", "of", "over",
    "against", "that", "which", "who", NULL};
static const char *const be_words[] = {"is", "am", "'m", "are", "'re", "was", "were", "be", "been", "being", NULL};
static const char *const def_words[] = {"the", "this", "that", "these", "those", "its", "his", "her", "their",
    "our", "my", "your", "'s", NULL};
static const char *const verbal_words[] = {"was", "were", "is", "are", "be", "been", "being", "has", "have",
    "had", "will", "would", "can", "could", "should", "may", "might", "must", "did", "does", "do", "not", "to",
    "and", "or", "of", "in", "on", "at", "for", "with", "by", "from", "who", "which", "that", NULL};
static const char *const degree_words[] = {"very", "too", "quite", "rather", "so", NULL};
static const char *const a_words[] = {"a", "an", NULL};
/* the classes of classify_tokens: a determiner's TC_SKIP and TC_DET hold only in lower case
 * or at a paragraph's start, TC_DET alone when capitalised */
static const struct { const char *w; uint8_t cls; } class_words[] = {{"a", FC_D}, {"an", FC_D}, {"as", FC_C},
    {"if", FC_C}, {"my", FC_D}, {"of", FC_O}, {"or", FC_C}, {"the", FC_D}, {"its", FC_D}, {"his", FC_D},
    {"her", FC_D}, {"our", FC_D}, {"any", FC_K}, {"all", FC_K}, {"new", FC_K}, {"who", FC_C}, {"and", FC_C},
    {"but", FC_C}, {"this", FC_D}, {"that", FC_D | FC_C}, {"your", FC_D}, {"some", FC_K}, {"both", FC_K},
    {"each", FC_K}, {"such", FC_K}, {"more", FC_K}, {"when", FC_C}, {"than", FC_C}, {"their", FC_D},
    {"these", FC_K}, {"those", FC_K}, {"every", FC_K}, {"fresh", FC_K}, {"while", FC_C}, {"after", FC_C},
    {"which", FC_C}, {"where", FC_C}, {"since", FC_C}, {"before", FC_C}, {"another", FC_K}, {"further", FC_K},
    {"because", FC_C}, {NULL, 0}};

/* The words of all lists in one open-addressed table keyed by the word's (at most 8) bytes
 * packed into an integer; built once per process. */
#define FW_SLOTS 512
static struct fw_slot {
    uint64_t key; /* the bytes, little-endian; 0: empty */
    uint8_t len;
    uint16_t flags;
} fw_table[FW_SLOTS];
static pthread_once_t fw_once = PTHREAD_ONCE_INIT;

static uint32_t fw_hash(uint64_t key) { return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 55); }

static struct fw_slot *fw_slot_of(uint64_t key, uint8_t len)
{
    uint32_t h = fw_hash(key);
    while (fw_table[h].key && (fw_table[h].key != key || fw_table[h].len != len)) h = (h + 1) & (FW_SLOTS - 1);
    return &fw_table[h];
}

static void fw_add(const char *w, uint16_t flags)
{
    uint64_t key = 0;
    uint8_t len = (uint8_t)strlen(w);
    for (uint8_t k = 0; k < len; k++) key |= (uint64_t)(unsigned char)w[k] << (8 * k);
    struct fw_slot *sl = fw_slot_of(key, len);
    sl->key = key;
    sl->len = len;
    sl->flags |= flags;
}

static void fw_build(void)
{
    static const struct { const char *const *list; uint16_t flag; } lists[] = {{number_words, FW_NUMBER},
        {np_stop, FW_NP_STOP}, {be_words, FW_BE}, {def_words, FW_DEF}, {verbal_words, FW_VERBAL},
        {degree_words, FW_DEGREE}, {a_words, FW_A}};
    for (size_t l = 0; l < sizeof lists / sizeof *lists; l++)
        for (int k = 0; lists[l].list[k]; k++) fw_add(lists[l].list[k], lists[l].flag);
    for (int k = 0; class_words[k].w; k++) fw_add(class_words[k].w, (uint16_t)(class_words[k].cls << FW_CLS));
}

/* The FW_* lists token t reads, ignoring case (as dy_tok_reads compares); n: the text's bytes. */
static uint16_t function_words(const char *text, size_t n, const dy_token *t)
{
    if (t->len == 0 || t->len > 8) return 0;
    uint64_t key = 0;
    if (DY_LITTLE_ENDIAN && t->len < 8 && t->start + 8 <= n) /* the same key a word at a time */
        key = dy_lower8(dy_load_short(text + t->start, t->len));
    else
        for (uint32_t k = 0; k < t->len; k++)
            key |= (uint64_t)(unsigned char)dy_tolower((unsigned char)text[t->start + k]) << (8 * k);
    return fw_slot_of(key, (uint8_t)t->len)->flags;
}

static void classify_tokens(dy_story_ctx *s)
{
    pthread_once(&fw_once, fw_build);
    for (size_t i = 0; i < s->seg.ntok; i++) s->tfw[i] = function_words(s->text, s->n, &s->seg.tok[i]);
    for (size_t i = 0; i < s->seg.ntok; i++) {
        const dy_token *t = &s->seg.tok[i];
        const char *w = s->text + t->start;
        uint8_t c = 0, f = 0;
        if (t->len == 2 && w[0] == '\'') {
            s->tcls[i] = TC_SKIP | TC_DET; /* 's */
            continue;
        }
        if (!(t->flags & TK_WORD)) {
            /* a figure is skipped like a determiner: "killed 16 insurgents", "arrested 1,200" */
            s->tcls[i] = (t->flags & TK_NUM) ? TC_SKIP : 0;
            continue;
        }
        f = (uint8_t)(s->tfw[i] >> FW_CLS);
        int lower = !(t->flags & TK_CAP) || (t->flags & TK_PARA);
        if (f & FC_D) c |= lower ? TC_SKIP | TC_DET : TC_DET;
        if ((f & FC_K) && lower) c |= TC_SKIP;
        if (f & FC_C) c |= TC_CLAUSE;
        if (f & FC_O) c |= TC_OF;
        if (!f && !(t->flags & TK_CAP) && t->len > 4 && w[t->len - 2] == 'l' && w[t->len - 1] == 'y') c = TC_SKIP;
        if (!f && !(t->flags & TK_CAP) && (s->tfw[i] & FW_NUMBER)) c = TC_SKIP; /* "killed two soldiers" */
        s->tcls[i] = c;
    }
    /* "killed at least 20 people", "more than 30 soldiers": the qualifier of a count is skipped
     * with the count */
    static const char *const q2[][2] = {{"at", "least"}, {"more", "than"}, {"up", "to"}, {"no", "fewer"}};
    for (size_t i = 0; i + 2 < s->seg.ntok; i++) {
        const dy_token *t = s->seg.tok;
        if (t[i].len != 2 && t[i].len != 4) continue; /* "at", "up", "no", "more": most tokens are none */
        char c0 = (char)dy_tolower(s->text[t[i].start]);
        for (size_t q = 0; q < sizeof q2 / sizeof *q2; q++) {
            if (q2[q][0][0] != c0) continue;
            size_t n = i + 2 + (q == 3); /* "no fewer than 20" */
            if (n < s->seg.ntok && dy_tok_reads(s->text, &t[i], q2[q][0]) && dy_tok_reads(s->text, &t[i + 1], q2[q][1]) &&
                (q != 3 || dy_tok_reads(s->text, &t[i + 2], "than")) &&
                ((t[n].flags & TK_NUM) || (s->tcls[n] & TC_SKIP && s->tfw[n] & FW_NUMBER)))
                for (size_t k = i; k < n; k++) s->tcls[k] = TC_SKIP;
        }
    }
    for (size_t i = 0; i < s->seg.ntok; i++)
        if (clause_edge_at(s, (uint32_t)i)) s->tcls[i] |= TC_EDGE;
}
/* Function words skipped between pattern elements. */
static int skippable(const dy_story_ctx *s, uint32_t i) { return s->tcls[i] & TC_SKIP; }

/* A token no gap or target search crosses: ; : ( ) and quotation marks. */
static int clause_edge_at(const dy_story_ctx *s, uint32_t i)
{
    const dy_token *t = &s->seg.tok[i];
    if (t->flags & TK_QUOTE) return 1;
    if (!(t->flags & TK_PUNCT) || s->tok_m[i] >= 0) return 0; /* "the European Union (EU)" */
    char c = s->text[t->start];
    return c == ';' || c == ':' || c == '(' || c == ')';
}

/* The token classes hold it (classify_tokens, computed once per story after the actors). */
int dy_clause_edge(const dy_story_ctx *s, uint32_t i) { return s->tcls[i] & TC_EDGE; }

/* Whether token t is dictionary word w; exact: by its form only, not its lemma. */
static int word_at(const dy_token *t, uint32_t w, int exact)
{
    return exact ? w && t->form == w : dy_tok_is(t, w);
}

/* Whether member phrase p of a set matches the tokens starting at i (end bounds them). */
static int member_at(const dy_story_ctx *s, const dy_phrase *p, uint32_t i, uint32_t end)
{
    if (i + p->n > end) return 0;
    for (uint16_t j = 0; j < p->n; j++)
        if (!word_at(&s->seg.tok[i + j], p->w[j], j < 32 && (p->exact >> j & 1))) return 0;
    return 1;
}

/* Matches set member phrases at i; returns the end of the longest member, or 0. */
static uint32_t set_at(const dy_story_ctx *s, uint32_t set, uint32_t i, uint32_t end)
{
    const dy_set *st = &s->d->sets[set];
    const dy_phrase *ph = &s->d->set_phrases[st->phrase0];
    const dy_token *t = &s->seg.tok[i];
    uint32_t keys[2] = {t->form, t->lemma}, best = 0;
    for (int kk = 0; kk < 2; kk++) {
        uint32_t w = keys[kk];
        if (!w || (kk == 1 && w == keys[0])) continue;
        /* members are sorted by first word (lexicon.c): find the first with w */
        uint32_t lo = 0, hi = st->nphrase;
        while (lo < hi) {
            uint32_t mid = (lo + hi) / 2;
            if (ph[mid].w[0] < w) lo = mid + 1;
            else hi = mid;
        }
        for (uint32_t k = lo; k < st->nphrase && ph[k].w[0] == w; k++)
            if (i + ph[k].n > best && member_at(s, &ph[k], i, end)) best = i + ph[k].n;
    }
    return best;
}

/* Matches set member phrases that end right before token i (and start at or after begin);
 * returns the start of the longest, or -1. */
static long set_before(const dy_story_ctx *s, uint32_t set, uint32_t i, uint32_t begin)
{
    const dy_set *st = &s->d->sets[set];
    long best = -1;
    for (uint32_t k = 0; k < st->nphrase; k++) {
        const dy_phrase *p = &s->d->set_phrases[st->phrase0 + k];
        if (p->n > i - begin) continue;
        long b = (long)i - p->n;
        if ((best < 0 || b < best) && member_at(s, p, (uint32_t)b, i)) best = b;
    }
    return best;
}

/* Whether literal element e may match at token t: 0 when the element's mask rules it out
 * (the quick test of literal_at). */
static int literal_maybe(const dy_pelem *e, const dy_token *t)
{
    int exact = e->kind != PE_SET && e->exact; /* a set tries form and lemma alike (set_at) */
    if (e->kind == PE_SET && e->set == UINT32_MAX) return 0;
    if (!((e->mask >> (t->form & 63)) & 1) && (exact || !((e->mask >> (t->lemma & 63)) & 1))) return 0;
    if (e->kind == PE_SET) return 1;
    for (uint16_t a = 0; a < e->nw; a++) /* a word or alternatives: the test itself */
        if (word_at(t, e->w[a], e->exact)) return 1;
    return 0;
}

/* Matches a literal element (word, alternatives, set) at token i; returns the token after
 * it, or 0. */
static uint32_t literal_at(const dy_story_ctx *s, const dy_pelem *e, uint32_t i, uint32_t end)
{
    if (i >= end) return 0;
    const dy_token *t = &s->seg.tok[i];
    if (!literal_maybe(e, t)) return 0;
    switch (e->kind) {
    case PE_WORD:
    case PE_ALT:
        return i + 1; /* literal_maybe tested its words */
    case PE_SET:
        return e->set != UINT32_MAX ? set_at(s, e->set, i, end) : 0;
    }
    return 0;
}

/* Matches a literal element ending right before token i; returns its first token or -1. */
static long literal_before(const dy_story_ctx *s, const dy_pelem *e, uint32_t i, uint32_t begin)
{
    if (i <= begin) return -1;
    if (e->kind == PE_SET) return e->set != UINT32_MAX ? set_before(s, e->set, i, begin) : -1;
    return literal_at(s, e, i - 1, i) ? (long)i - 1 : -1;
}

static int is_slot(const dy_pelem *e)
{
    return e->kind == PE_SRC || e->kind == PE_TGT || e->kind == PE_OTHER || e->kind == PE_COMPOUND;
}

/* The mention a slot at i stands for: one starting there, or after a few lower-case words
 * that describe what belongs to it ("the results of last month's parliamentary elections",
 * "the home of X"); returns it and sets *after to its end, or -1. */
static int32_t slot_scan(const dy_story_ctx *s, uint32_t i, uint32_t end, uint32_t *after);

/* slot_scan, remembered per token for the sentence being matched (every call in it has the
 * sentence's end): the patterns of one anchor ask for the same slots many times over. */
static int32_t slot_at(const dy_story_ctx *s, uint32_t i, uint32_t end, uint32_t *after)
{
    if (i >= end) return -1;
    if (s->slot_memo[i] == -2) s->slot_memo[i] = slot_scan(s, i, end, after);
    int32_t m = s->slot_memo[i];
    if (m >= 0) *after = s->m[m].last;
    return m;
}

static int32_t slot_scan(const dy_story_ctx *s, uint32_t i, uint32_t end, uint32_t *after)
{
    int free_words = 0, of = 0; /* words that open a new clause end the noun phrase */
    for (int adj = 0; adj < 7 && i < end; adj++, i++) {
        int32_t m = s->tok_m[i];
        if (m >= 0 && s->m[m].first == i) {
            /* more than two describing words need an "of" to join them ("the results of") */
            if (free_words > 2 && !of) return -1;
            *after = s->m[m].last;
            return m;
        }
        const dy_token *t = &s->seg.tok[i];
        int poss = t->len == 2 && s->text[t->start] == '\'';
        if (!poss && (!(t->flags & TK_WORD) || (t->flags & TK_CAP))) break;
        if (s->tcls[i] & TC_CLAUSE) return -1;
        if (s->tcls[i] & TC_OF) of = 1;
        else if (!(s->tcls[i] & TC_SKIP) && !poss) free_words++;
    }
    return -1;
}

/* Whether mention m can fill slot element e ($ never an object; % a compound). */
static int slot_fits(const dy_story_ctx *s, const dy_pelem *e, int32_t m)
{
    if (e->kind == PE_SRC && (s->m[m].flags & M_OBJECT)) return 0;
    if ((e->kind == PE_TGT || e->kind == PE_OTHER) && (s->m[m].flags & M_POSS)) return 0;
    if (e->kind == PE_COMPOUND && s->m[m].ncode < 2) return 0;
    return 1;
}

static void slot_fill(const dy_pelem *e, int32_t m, match *mt)
{
    if (e->kind == PE_SRC) mt->src = m;
    else if (e->kind == PE_TGT || e->kind == PE_COMPOUND) mt->tgt = m;
    else if (e->kind == PE_OTHER) mt->other = m;
}

/* Whether token i can be a word of a noun phrase that a '^' skips: a word that is not a
 * preposition, a conjunction or a verb's helper, and no actor. */
static int np_word(const dy_story_ctx *s, uint32_t i)
{
    const dy_token *t = &s->seg.tok[i];
    if (!(t->flags & TK_WORD) || s->tok_m[i] >= 0) return 0;
    return !(s->tfw[i] & FW_NP_STOP);
}

/* Matches element k.. of pattern p forward from token i; fills mt; returns the end token or
 * -1. Elements joined by '~' must touch; others may have determiners and adverbs between.
 * Recursion depth is bounded by the pattern's length. */
static long fwd(const dy_story_ctx *s, const dy_pattern *p, uint16_t k, uint32_t i, uint32_t end,
                match *mt)
{
    if (k == p->nel) return (long)i;
    const dy_pelem *e = &p->el[k];
    if (e->kind == PE_GAP) {
        /* the first literal the rest of the pattern needs matches at or after the gap's end
         * (every element moves forward): gaps that end past the last token it may match at,
         * or all gaps when it is nowhere ahead, are not tried */
        uint32_t last = end;
        for (uint16_t j = (uint16_t)(k + 1); j < p->nel; j++) {
            const dy_pelem *lit = &p->el[j];
            if (lit->optional || (lit->kind != PE_WORD && lit->kind != PE_ALT && lit->kind != PE_SET)) continue;
            long t = (long)end - 1;
            while (t >= (long)i && !literal_maybe(lit, &s->seg.tok[t])) t--;
            if (t < (long)i) return -1;
            last = (uint32_t)t;
            break;
        }
        /* when a literal must follow the gap, the tokens it may match at are known first:
         * a gap length from which none is in reach (with its skips) is not tried */
        const dy_pelem *nx = k + 1 < p->nel ? &p->el[k + 1] : NULL;
        uint32_t hits = 1, reach = 1; /* bit j: token i + j; a window of reach bits */
        if (nx && !nx->optional && (nx->kind == PE_WORD || nx->kind == PE_ALT || nx->kind == PE_SET)) {
            uint32_t maxskip = nx->adjacent ? 0 : SKIP_MAX;
            hits = 0;
            for (uint32_t j = i; j < end && j <= i + GAP_MAX + maxskip; j++)
                if (literal_maybe(nx, &s->seg.tok[j])) hits |= 1u << (j - i);
            reach = (1u << (maxskip + 1)) - 1;
        } else
            hits = ~0u;
        for (uint32_t g = 0; g <= GAP_MAX && i + g <= end && i + g <= last; g++) {
            if (g > 0 && dy_clause_edge(s, i + g - 1)) break;
            if (!((hits >> g) & reach)) continue;
            match save = *mt;
            long r = fwd(s, p, (uint16_t)(k + 1), i + g, end, mt);
            if (r >= 0) return r;
            *mt = save;
        }
        return -1;
    }
    if (e->kind == PE_NP) { /* a noun phrase: an actor, or up to three words */
        for (uint32_t j = i; j < end && j < i + SKIP_MAX && skippable(s, j); j++) i = j + 1;
        uint32_t after;
        int32_t m = slot_at(s, i, end, &after);
        if (m >= 0) {
            match save = *mt;
            mt->other = m;
            long r = fwd(s, p, (uint16_t)(k + 1), s->m[m].last, end, mt);
            if (r >= 0) return r;
            *mt = save;
        }
        for (uint32_t w = 1; w <= 3 && i + w <= end && np_word(s, i + w - 1); w++) {
            long r = fwd(s, p, (uint16_t)(k + 1), i + w, end, mt);
            if (r >= 0) return r;
        }
        return e->optional ? fwd(s, p, (uint16_t)(k + 1), i, end, mt) : -1;
    }
    int maxskip = e->adjacent ? 0 : SKIP_MAX;
    for (int skip = 0; skip <= maxskip && i <= end; skip++) {
        if (i < end) {
            if (is_slot(e)) {
                uint32_t after;
                int32_t m = e->adjacent ? (s->tok_m[i] >= 0 && s->m[s->tok_m[i]].first == i ? s->tok_m[i] : -1)
                                        : slot_at(s, i, end, &after);
                if (m >= 0) after = s->m[m].last;
                if (m >= 0 && slot_fits(s, e, m)) {
                    match save = *mt;
                    slot_fill(e, m, mt);
                    long r = fwd(s, p, (uint16_t)(k + 1), after, end, mt);
                    if (r >= 0) return r;
                    *mt = save;
                }
            } else {
                uint32_t next = literal_at(s, e, i, end);
                if (next) {
                    long r = fwd(s, p, (uint16_t)(k + 1), next, end, mt);
                    if (r >= 0) return r;
                }
            }
        }
        if (i >= end || !skippable(s, i)) break;
        i++;
    }
    if (e->optional) return fwd(s, p, (uint16_t)(k + 1), i, end, mt);
    return -1;
}

/* Matches the elements before the anchor, going left: element k must end right before token
 * i. Leading slot elements stand for the subject and are left to the subject search. Returns
 * the first token covered, or -1. */
static long bwd(const dy_story_ctx *s, const dy_pattern *p, int k, uint32_t i, uint32_t begin,
                match *mt)
{
    if (k < 0) return (long)i;
    const dy_pelem *e = &p->el[k];
    if (e->kind == PE_GAP) {
        for (uint32_t g = 0; g <= GAP_MAX && i >= begin + g; g++) {
            if (g > 0 && dy_clause_edge(s, i - g)) break;
            match save = *mt;
            long r = bwd(s, p, k - 1, i - g, begin, mt);
            if (r >= 0) return r;
            *mt = save;
        }
        return -1;
    }
    if (is_slot(e)) {
        int only_slots = 1;
        for (int j = 0; j < k; j++)
            if (!is_slot(&p->el[j]) && p->el[j].kind != PE_GAP) only_slots = 0;
        if (only_slots) {
            for (int j = 0; j <= k; j++) {
                if (p->el[j].kind == PE_TGT) mt->tgt_subject = 1;
                if (p->el[j].kind == PE_SRC) mt->src_subject = 1;
                if (p->el[j].kind == PE_COMPOUND) mt->compound_subject = 1;
            }
            return (long)i;
        }
    }
    if (e->kind == PE_NP) { /* a noun phrase ending here: an actor, or up to three words */
        if (i > begin && s->tok_m[i - 1] >= 0) {
            int32_t m = s->tok_m[i - 1];
            match save = *mt;
            mt->other = m;
            long r = bwd(s, p, k - 1, s->m[m].first, begin, mt);
            if (r >= 0) return r;
            *mt = save;
        }
        for (uint32_t w = 1; w <= 3 && i >= begin + w && np_word(s, i - w); w++) {
            uint32_t b = i - w;
            while (b > begin && skippable(s, b - 1)) b--;
            long r = bwd(s, p, k - 1, b, begin, mt);
            if (r >= 0) return r;
        }
        return e->optional ? bwd(s, p, k - 1, i, begin, mt) : -1;
    }
    /* the element after this one decides whether anything may stand between */
    int maxskip = p->el[k + 1].adjacent ? 0 : SKIP_MAX;
    for (int skip = 0; skip <= maxskip && i > begin; skip++) {
        if (is_slot(e)) {
            /* a slot between literals: a mention must end right here */
            int32_t m = s->tok_m[i - 1];
            if (m >= 0 && slot_fits(s, e, m)) {
                match save = *mt;
                slot_fill(e, m, mt);
                long r = bwd(s, p, k - 1, s->m[m].first, begin, mt);
                if (r >= 0) return r;
                *mt = save;
            }
        } else {
            long b = literal_before(s, e, i, begin);
            if (b >= 0) {
                long r = bwd(s, p, k - 1, (uint32_t)b, begin, mt);
                if (r >= 0) return r;
            }
        }
        if (!skippable(s, i - 1)) break;
        i--;
    }
    if (e->optional) return bwd(s, p, k - 1, i, begin, mt);
    return -1;
}

/* Whether a word anchoring a verb-only reading is used as a noun here ("the attack"). */
/* An uninflected word right after a form of "be" is an adjective or noun, not the verb of
 * an event ("I'm fine", "they are calm"). */
static int after_be(const dy_story_ctx *s, uint32_t i, uint32_t begin)
{
    const dy_token *t = &s->seg.tok[i];
    if (t->lemma != t->form) return 0;
    uint32_t j = i;
    while (j > begin && (s->tcls[j - 1] & TC_SKIP) && !(s->tcls[j - 1] & TC_DET)) j--;
    if (j == begin) return 0;
    return (s->tfw[j - 1] & FW_BE) != 0;
}

static int noun_use(const dy_story_ctx *s, uint32_t i, uint32_t begin)
{
    return i > begin && (s->tcls[i - 1] & TC_DET);
}

/* Whether the verb form at token i is used as a noun: after "a"/"an" and up to three words
 * that modify a noun ("a brief private visit", "an anti- government rally"), or right after
 * "the", a possessive or "its"/"their" ("the attack", "its resumption"). Participles ("a
 * woman believed linked") are verbs there. For anchors that are verbs only (written *&SET,
 * as PETRARCH's verb blocks are). */
static int verb_as_noun(const dy_story_ctx *s, uint32_t i, uint32_t begin)
{
    const dy_token *t = &s->seg.tok[i];
    const char *w = s->text + t->start;
    int participle = (t->len > 3 && w[t->len - 2] == 'e' && w[t->len - 1] == 'd') ||
                     (t->len > 4 && w[t->len - 3] == 'i' && w[t->len - 2] == 'n' && w[t->len - 1] == 'g');
    uint32_t k = i;
    /* "marched very close to": a degree word makes it an adjective */
    if (i > begin && (s->tfw[i - 1] & FW_DEGREE)) return 1;
    for (int mods = 0; k > begin && mods <= 3; mods++) {
        const dy_token *p = &s->seg.tok[k - 1];
        uint16_t fw = s->tfw[k - 1];
        if (fw & FW_A) return !participle;
        if (fw & FW_DEF) return mods == 0 && !participle;
        int mention = s->tok_m[k - 1] >= 0;
        if (mention && s->m[s->tok_m[k - 1]].agent >= 0) return 0; /* "a senior official said" */
        int hyphen = (p->flags & TK_PUNCT) && s->text[p->start] == '-';
        int word = (p->flags & TK_WORD) && !(p->flags & TK_CAP) && !mention;
        if (word && (fw & FW_VERBAL)) return 0;
        const char *pw = s->text + p->start;
        if (word && p->len > 4 && pw[p->len - 2] == 'l' && pw[p->len - 1] == 'y') return 0; /* adverb */
        if (mention) k = s->m[s->tok_m[k - 1]].first;
        else if (word || hyphen) k--;
        else return 0;
    }
    return 0;
}

static dy_event *new_event(dy_story_ctx *s)
{
    if (dy_arena_grow(s->a, (void **)&s->ev, &s->evcap, s->nev, sizeof *s->ev, 32)) return NULL;
    dy_event *e = &s->ev[s->nev++];
    memset(e, 0, sizeof *e);
    return e;
}

typedef struct cand {
    uint32_t pattern, anchor;
    match mt;
} cand;

int dy_verbs_match(dy_story_ctx *s)
{
    const dyad_dict *d = s->d;
    const dy_segmented *g = &s->seg;
    cand *c = dy_arena_alloc(s->a, 64 * sizeof *c);
    s->tcls = dy_arena_alloc(s->a, g->ntok + 1);
    s->tfw = dy_arena_alloc(s->a, (g->ntok + 1) * sizeof *s->tfw);
    s->slot_memo = dy_arena_alloc(s->a, (g->ntok + 1) * sizeof *s->slot_memo);
    if (!c || !s->tcls || !s->tfw || !s->slot_memo) return -1;
    classify_tokens(s);
    for (size_t si = 0; si < g->nsent; si++) {
        const dy_sentence *st = &g->sent[si];
        if (st->flags & SENT_HEADLINE) continue;
        if (s->sent_void && s->sent_void[si]) continue; /* a discard phrase voids it */
        uint32_t begin = st->first, end = st->first + st->count;
        size_t nc = 0;
        int marked = 0; /* the sentence's conditions: marked when a pattern first asks */
        for (uint32_t i = begin; i < end; i++) s->slot_memo[i] = -2; /* not yet asked */
        for (uint32_t i = begin; i < end; i++) {
            const dy_token *t = &g->tok[i];
            if (!(t->flags & TK_WORD) || s->tok_m[i] >= 0) continue;
            if (s->tok_skip && s->tok_skip[i]) continue; /* a comma clause left out */
            uint32_t keys[2] = {t->form, t->lemma};
            for (int kk = 0; kk < 2; kk++) {
                uint32_t w = keys[kk];
                if (!w || (kk == 1 && w == keys[0])) continue;
                /* the quick tests read the anchor's patterns from one array (lexicon.h); only
                 * a pattern whose required words are all in the sentence is fetched */
                int noun = -1, be = -1, vnoun = -1; /* computed on first need */
                for (uint32_t j = d->anchor_head[w]; j < d->anchor_head[w + 1]; j++) {
                    const dy_anchor_ref *r = &d->anchor_ref[j];
                    if (!r->usable) continue;
                    if (kk == 1 && r->exact) continue; /* the form must match */
                    if (!marked) {
                        dy_vcond_mark(&d->vc, g->tok, begin, end, s->vcond);
                        marked = 1;
                    }
                    int no = dy_vcond_hold(&d->vc, r->cond0, r->ncond, s->vcond);
                    if (no == 0) j += r->skip - 1u; /* the refs after it that need the same */
                    if (no >= 0) continue;
                    if (r->first && !r->explicit_after && (noun < 0 ? (noun = noun_use(s, i, begin)) : noun)) continue;
                    if (r->first && (be < 0 ? (be = after_be(s, i, begin)) : be)) continue;
                    if (r->set_anchor && (vnoun < 0 ? (vnoun = verb_as_noun(s, i, begin)) : vnoun)) continue;
                    uint32_t pi = r->pattern;
                    const dy_pattern *p = &d->patterns[pi];
                    match mt = {0, 0, -1, -1, 0, 0, 0, -1};
                    long first = bwd(s, p, (int)p->anchor - 1, i, begin, &mt);
                    if (first < 0) continue;
                    long last = fwd(s, p, (uint16_t)(p->anchor + 1), i + 1, end, &mt);
                    if (last < 0) continue;
                    mt.first = (uint32_t)first;
                    mt.last = (uint32_t)last;
                    if (nc < 64) c[nc++] = (cand){pi, i, mt};
                    break; /* heaviest pattern of this anchor word wins */
                }
            }
        }
        /* keep the heaviest of overlapping matches */
        for (size_t a = 0; a < nc; a++) {
            const dy_pattern *pa = &d->patterns[c[a].pattern];
            int beaten = 0;
            for (size_t b = 0; b < nc && !beaten; b++) {
                if (a == b) continue;
                const dy_pattern *pb = &d->patterns[c[b].pattern];
                int overlap = c[b].mt.first <= c[a].anchor && c[a].anchor < c[b].mt.last;
                if (!overlap) continue;
                uint32_t la = c[a].mt.last - c[a].mt.first, lb = c[b].mt.last - c[b].mt.first;
                if (pb->weight > pa->weight || (pb->weight == pa->weight && lb > la) ||
                    (pb->weight == pa->weight && lb == la && b < a))
                    beaten = 1;
            }
            if (beaten) continue;
            /* "---": matched, no event; CODE:CODE2 also yields the other side's event */
            for (int side = 0; side < 2; side++) {
                uint32_t code = side ? pa->cameo2 : pa->cameo;
                if (code == UINT32_MAX) continue;
                dy_event *e = new_event(s);
                if (!e) return -1;
                e->pattern = c[a].pattern;
                e->cameo = &d->cameo[code];
                e->reversed = (uint8_t)side;
                e->src = c[a].mt.src;
                e->tgt = c[a].mt.tgt;
                e->other = c[a].mt.other;
                e->sent = (uint32_t)si;
                e->anchor = c[a].anchor;
                e->first = c[a].mt.first;
                e->last = c[a].mt.last;
                e->sents[0] = (uint32_t)si;
                e->nsent = 1;
                if (c[a].mt.compound_subject) e->pairwise = 1;
                if (c[a].mt.tgt_subject) e->passive = 2; /* subject is target */
                else if (c[a].mt.src_subject) e->passive = 3;
            }
        }
    }
    return s->a->failed ? -1 : 0;
}
