/*
 * events.c — the events stage: candidate matches -> event records. Fills the source (the
 * subject, or the "by" phrase of a passive) and the target (the first actor after the match,
 * or the subject of a passive) where the pattern left them open; drops what is negated,
 * hypothetical, asked, infinitival or without actors; and folds the events of one story that
 * describe one happening (the same kind of act against the same target) into one record that
 * lists every supporting sentence.
 */
#include <stdlib.h>
#include <string.h>

#include "story.h"

int dy_clause_edge(const dy_story_ctx *s, uint32_t i);

static int word_is(const dy_story_ctx *s, uint32_t i, const char *w)
{
    return dy_tok_reads(s->text, &s->seg.tok[i], w);
}

static int punct_is(const dy_story_ctx *s, uint32_t i, char c)
{
    const dy_token *t = &s->seg.tok[i];
    return (t->flags & TK_PUNCT) && s->text[t->start] == c;
}

static int lemma_is(const dy_story_ctx *s, uint32_t i, const char *w)
{
    const dy_token *t = &s->seg.tok[i];
    if (dy_tok_reads(s->text, t, w)) return 1;
    if (t->lemma == t->form) return 0;
    const char *l = dy_word_str(s->d, t->lemma);
    return l[0] == w[0] && !strcmp(l, w); /* the first letter rules out most without a call */
}

static int is_adverb(const dy_story_ctx *s, uint32_t i)
{
    const dy_token *t = &s->seg.tok[i];
    const char *w = s->text + t->start;
    return (t->flags & TK_WORD) && !(t->flags & TK_CAP) && t->len > 4 && w[t->len - 2] == 'l' &&
           w[t->len - 1] == 'y';
}

static int is_be(const dy_story_ctx *s, uint32_t i)
{
    static const char *const be[] = {"is", "are", "was", "were", "be", "been", "being", "get",
                                     "got", "gets", "getting", "'s", NULL};
    for (int k = 0; be[k]; k++)
        if (word_is(s, i, be[k])) return 1;
    return 0;
}

/* Whether the anchor is a past participle after a form of "be": "was attacked". */
/* Whether token i is a figure or a number word ("12", "five"). */
static int count_word(const dy_story_ctx *s, uint32_t i)
{
    static const char *const w[] = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                                    "eleven", "twelve", "dozen", "dozens", "hundreds", "scores", NULL};
    if (s->seg.tok[i].flags & TK_NUM) return 1;
    for (int k = 0; w[k]; k++)
        if (word_is(s, i, w[k])) return 1;
    return 0;
}

static int passive_at(const dy_story_ctx *s, uint32_t anchor, uint32_t begin)
{
    const dy_token *t = &s->seg.tok[anchor];
    const char *w = s->text + t->start;
    int participle = (t->len > 3 && w[t->len - 2] == 'e' && (w[t->len - 1] == 'd' || w[t->len - 1] == 'n')) ||
                     (t->lemma && t->lemma != t->form && !(t->len > 3 && w[t->len - 1] == 's') &&
                      !(t->len > 4 && w[t->len - 3] == 'i' && w[t->len - 2] == 'n' && w[t->len - 1] == 'g'));
    if (!participle) return 0;
    /* "four were killed and five injured", "burnt alive and two killed": a participle right
     * after "and" and a count, with no helper, is a passive told short by the coordination */
    if (anchor > begin + 1 && count_word(s, anchor - 1) && w[t->len - 1] == 'd' &&
        (word_is(s, anchor - 2, "and") || punct_is(s, anchor - 2, ',')))
        return 1;
    uint32_t i = anchor;
    for (int k = 0; k < 3 && i > begin; k++) {
        i--;
        if (is_be(s, i)) return 1;
        if (!is_adverb(s, i) && !word_is(s, i, "not") && !word_is(s, i, "n't") &&
            !word_is(s, i, "also") && !word_is(s, i, "reportedly") && !word_is(s, i, "allegedly"))
            return 0;
    }
    return 0;
}

/* Whether the passive at anchor is told as done: its helper is a finite "was", "were", "is",
 * "has been" ..., not the bare "be" that follows a modal or "to" or makes a subjunctive
 * ("should be arrested", "likely to be arrested", "requires that the decline be arrested"),
 * none of which says it happened. */
static int passive_told_done(const dy_story_ctx *s, uint32_t anchor, uint32_t begin)
{
    for (uint32_t i = anchor; i > begin && i + 4 > anchor;) {
        i--;
        if (is_be(s, i)) return !word_is(s, i, "be");
    }
    return 0;
}

static int is_speech_verb(const dy_story_ctx *s, uint32_t i)
{
    static const char *const v[] = {"say", "tell", "state", "claim", "announce", "report",
        "add", "declare", "insist", "believe", "think", "allege", "accuse", "deny", "note", NULL};
    const dy_token *t = &s->seg.tok[i];
    if (!(t->flags & TK_WORD)) return 0;
    /* lemma_is needs the word's first letter to start the token or its lemma */
    char c0 = t->len ? (char)dy_tolower((unsigned char)s->text[t->start]) : 0, l0 = dy_word_str(s->d, t->lemma)[0];
    for (int k = 0; v[k]; k++)
        if ((v[k][0] == c0 || v[k][0] == l0) && lemma_is(s, i, v[k])) return 1;
    return 0;
}

static int is_preposition(const dy_story_ctx *s, uint32_t i)
{
    static const char *const p[] = {"of", "in", "at", "on", "from", "with", "for", "near", "outside", "inside",
        "by", "to", "against", "into", "across", "over", "under", "between", "among", "around", "about",
        "through", "toward", "towards", "behind", "beyond", "within", "without", "after", "before", "during",
        "since", "like", "than", "via", "per", "along", "amid", "despite", "including", NULL};
    for (int k = 0; p[k]; k++)
        if (word_is(s, i, p[k])) return 1;
    return 0;
}

static int subordinator(const dy_story_ctx *s, uint32_t k);

/* Whether token i is a subordinator that opens a clause with its own subject: an actor right
 * after it, or after its determiner ("as the mobs reappeared", "until Japan ended"; not "saw
 * as realistic", "as a result of"). */
static int clause_opener(const dy_story_ctx *s, uint32_t i, uint32_t end)
{
    if (!subordinator(s, i) || i + 1 >= end) return 0;
    uint32_t k = i + 1;
    if ((s->tcls[k] & TC_DET) && s->tok_m[k] < 0 && k + 1 < end) k++;
    return s->tok_m[k] >= 0 && s->m[s->tok_m[k]].first == k;
}

/* The subject of the verb at anchor: the nearest actor before it in the same clause.
 * Skips an appositive (", secretary of X,"), follows "who" to its antecedent, stops at a
 * complementiser or speech verb ("X said that ..."). Returns a mention or -1, and the token
 * where the search stopped in *stop. */
static int32_t subject_of(const dy_story_ctx *s, uint32_t anchor, uint32_t begin, uint32_t *stop)
{
    uint32_t i = anchor;
    uint16_t q = s->seg.tok[anchor].quote;
    /* ", appositive ," right before the verb (adverbs allowed) */
    uint32_t j = anchor;
    while (j > begin && is_adverb(s, j - 1)) j--;
    if (j > begin && punct_is(s, j - 1, ',')) {
        uint32_t k = j - 1;
        while (k > begin && !punct_is(s, k - 1, ',') && !dy_clause_edge(s, k - 1)) k--;
        if (k > begin && punct_is(s, k - 1, ',') && k - 1 > begin && s->tok_m[k - 2] >= 0) {
            *stop = k - 2;
            return s->tok_m[k - 2];
        }
    }
    /* "We are in contact with X and have offered ...": a verb phrase joined by "and" shares
     * the subject of the clause, its first actor */
    j = anchor;
    while (j > begin && (is_adverb(s, j - 1) || word_is(s, j - 1, "have") || word_is(s, j - 1, "has") ||
                         word_is(s, j - 1, "had") || word_is(s, j - 1, "will") || word_is(s, j - 1, "also") ||
                         word_is(s, j - 1, "then") || word_is(s, j - 1, "later")))
        j--;
    if (j > begin + 1 && (word_is(s, j - 1, "and") || word_is(s, j - 1, "but")) && s->tok_m[j - 2] < 0) {
        /* its clause begins after a subordinator: "police were at a loss as the mobs
         * reappeared and went on a rampage": the mobs went */
        uint32_t cs = j - 1;
        while (cs > begin && !dy_clause_edge(s, cs - 1) && s->seg.tok[cs - 1].quote == q && !clause_opener(s, cs - 1, j))
            cs--;
        for (uint32_t k = cs; k < j - 1; k++) {
            int32_t m = s->tok_m[k];
            if (m >= 0 && !(s->m[m].flags & M_OBJECT)) {
                *stop = s->m[m].first;
                return m;
            }
        }
    }
    int32_t nearest = -1;
    while (i > begin) {
        i--;
        const dy_token *t = &s->seg.tok[i];
        if (dy_clause_edge(s, i) || t->quote != q) break;
        int32_t m = s->tok_m[i];
        if (m >= 0) {
            if (s->m[m].flags & M_OBJECT) {
                i = s->m[m].first;
                continue;
            }
            /* keep looking left: the subject usually opens its clause ("Protesters outside the
             * parliament in Tbilisi were dispersed"); the nearest actor is the fallback */
            if (nearest < 0) nearest = m;
            i = s->m[m].first;
            continue;
        }
        /* the words below start with one of these letters: most tokens are compared with none */
        char c0 = (char)dy_tolower((unsigned char)s->text[t->start]);
        int fw = c0 == 'w' || c0 == 'h' || c0 == 's' || c0 == 't' || c0 == 'b' || c0 == 'a' || c0 == 'i';
        if (fw && nearest < 0 && (word_is(s, i, "who") || word_is(s, i, "which"))) {
            *stop = i;
            return i > begin ? s->tok_m[i - 1] : -1;
        }
        /* "he said": a pronoun no one was found for is the subject, unknown */
        if (fw && nearest < 0 && (word_is(s, i, "he") || word_is(s, i, "she") || word_is(s, i, "they") ||
                            word_is(s, i, "we") || word_is(s, i, "i"))) {
            *stop = i;
            return -1;
        }
        /* "..., a senior official said": past a comma is another clause */
        if (nearest >= 0 && punct_is(s, i, ',')) {
            i++;
            break;
        }
        if (fw && (word_is(s, i, "who") || word_is(s, i, "which") || word_is(s, i, "that") ||
            word_is(s, i, "because") || word_is(s, i, "while") || word_is(s, i, "after") ||
            word_is(s, i, "before") || word_is(s, i, "when") || word_is(s, i, "as") ||
            word_is(s, i, "since") || word_is(s, i, "although") || word_is(s, i, "if"))) {
            i++;
            break;
        }
        if (is_speech_verb(s, i)) {
            i++;
            break;
        }
    }
    if (nearest < 0) {
        *stop = i;
        return -1;
    }
    /* the first actor of the clause that no preposition governs, else the nearest */
    for (uint32_t k = i; k < anchor; k++) {
        int32_t m = s->tok_m[k];
        if (m < 0) continue;
        if ((s->m[m].flags & M_OBJECT) || (k > begin && is_preposition(s, k - 1))) {
            k = s->m[m].last - 1;
            continue;
        }
        if (s->m[m].first == k) {
            *stop = s->m[m].first;
            return m;
        }
    }
    *stop = s->m[nearest].first;
    return nearest;
}

/* The first actor after token i in the same clause, up to 12 tokens; not the source. */
static int is_anchor(uint32_t k, const uint32_t *anchors, size_t nanchor)
{
    size_t lo = 0, hi = nanchor; /* anchors are sorted: a scan made long stories quadratic */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (anchors[mid] < k) lo = mid + 1;
        else hi = mid;
    }
    return lo < nanchor && anchors[lo] == k;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Words that open a subordinate clause. */
static int subordinator(const dy_story_ctx *s, uint32_t k)
{
    static const char *const w[] = {"after", "before", "when", "while", "since", "as", "because",
                                    "although", "though", "until", "unless", "if", "whereas", NULL};
    for (int i = 0; w[i]; i++)
        if (word_is(s, k, w[i])) return 1;
    return 0;
}

/* The first actor after token i in the same clause, up to 12 tokens; not the source. Past a
 * "that" only the subject of the clause it opens counts, and only when the verb does not
 * report speech ("conceded that Iran isn't...": Iran; "said that Iran...": no one). Past
 * a comma, an actor that is the subject of another verb of the sentence ("..., a senior
 * official said") is not the object. */
static int32_t object_after(const dy_story_ctx *s, uint32_t i, uint32_t end, int32_t src,
                            const uint32_t *anchors, size_t nanchor, int speech)
{
    uint16_t q = i < end ? s->seg.tok[i].quote : 0;
    int comma = 0;
    int32_t place = -1; /* the first place passed over */
    /* "states that the forces are ...": what follows "that" is another clause, not an object */
    if (i > 0 && word_is(s, i - 1, "that")) return -1;
    for (uint32_t k = i; k < end && k < i + 12; k++) {
        const dy_token *t = &s->seg.tok[k];
        if (dy_clause_edge(s, k) || t->quote != q) break;
        /* another verb's event ends the search, but not an infinitive that completes this
         * one ("offered to resume talks with the ELN") */
        if (is_anchor(k, anchors, nanchor) && !(k > 0 && word_is(s, k - 1, "to"))) return -1;
        int32_t m = s->tok_m[k];
        if (m >= 0 && (s->m[m].flags & M_POSS)) continue; /* "our assistance": no object */
        if (m >= 0 && dy_mention_is_place(s, m)) { /* "in Tbilisi": where, not whom */
            if (place < 0 && m != src) place = m;
            k = s->m[m].last - 1;
            continue;
        }
        if (m >= 0 && m != src) {
            if (src >= 0 && s->m[m].ncode && s->m[m].ncode == s->m[src].ncode &&
                !strcmp(s->m[m].code[0], s->m[src].code[0])) {
                k = s->m[m].last - 1;
                continue;
            }
            if (comma) { /* the subject of a verb after it? */
                uint32_t j = s->m[m].last;
                for (int w = 0; w < 2 && j < end && !is_anchor(j, anchors, nanchor) &&
                                (s->seg.tok[j].flags & TK_WORD) && s->tok_m[j] < 0;
                     w++)
                    j++;
                if (j < end && is_anchor(j, anchors, nanchor)) return -1;
            }
            return m;
        }
        if (word_is(s, k, "that") && !speech) {
            uint32_t j = k + 1;
            if (j < end && (word_is(s, j, "the") || word_is(s, j, "a"))) j++;
            return j < end && s->tok_m[j] >= 0 && s->tok_m[j] != src && s->m[s->tok_m[j]].first == j
                       ? s->tok_m[j] : -1;
        }
        if (word_is(s, k, "who") || word_is(s, k, "which") || word_is(s, k, "that")) break;
        if (punct_is(s, k, ',') && k + 1 < end) {
            const dy_token *n = &s->seg.tok[k + 1];
            const char *w = s->text + n->start;
            if (word_is(s, k + 1, "which") || word_is(s, k + 1, "who") ||
                word_is(s, k + 1, "while") || word_is(s, k + 1, "as") ||
                word_is(s, k + 1, "after") || word_is(s, k + 1, "but") ||
                word_is(s, k + 1, "and") || word_is(s, k + 1, "when") ||
                (n->len > 4 && w[n->len - 3] == 'i' && w[n->len - 2] == 'n' && w[n->len - 1] == 'g'))
                break;
            /* ", almost five years after ...": a subordinate clause, not the object */
            int sub = 0;
            for (uint32_t j = k + 1; j < end && j <= k + 4 && s->tok_m[j] < 0 && !sub; j++) sub = subordinator(s, j);
            if (sub) break;
            comma = 1;
        }
    }
    return place; /* "criticized the closure of schools in Herat": no one else */
}

/* Whether token i says someone was arrested or detained (not charged, tried or jailed: that
 * is the courts', and "developments ... be arrested" is another sense the actors rule out). */
static int arrest_word(const dy_story_ctx *s, uint32_t i)
{
    static const char *const w[] = {"arrest", "detain", "apprehend", "nab", "custody", "roundup", "round-up",
                                    "round", "book", "remand", "pick", NULL};
    for (int k = 0; w[k]; k++)
        if (lemma_is(s, i, w[k])) return 1;
    return 0;
}

/* Whether the word at i ends in -ing ("opening", "firing"). */
static int ing_form(const dy_story_ctx *s, uint32_t i)
{
    const dy_token *t = &s->seg.tok[i];
    const char *w = s->text + t->start;
    return t->len > 4 && w[t->len - 3] == 'i' && w[t->len - 2] == 'n' && w[t->len - 1] == 'g';
}

/* Whether the word at i is a past form ending in -ed ("arrested", "detained"). */
static int ed_form(const dy_story_ctx *s, uint32_t i)
{
    const dy_token *t = &s->seg.tok[i];
    const char *w = s->text + t->start;
    return t->len > 3 && w[t->len - 2] == 'e' && w[t->len - 1] == 'd';
}

/* Whether the mention starting at f is a place told as where something happened: after
 * "in", "at", "near", "from", "outside", "across", "throughout" or "the outskirts of", with
 * only determiners between (and after the anchor at a). */
static int located(const dy_story_ctx *s, uint32_t f, uint32_t a)
{
    static const char *const w[] = {"in", "at", "near", "from", "outside", "across", "throughout", "inside", NULL};
    uint32_t k = f;
    while (k > a + 1 && (s->tcls[k - 1] & TC_DET)) k--;
    if (k <= a + 1) return 0;
    for (int j = 0; w[j]; j++)
        if (word_is(s, k - 1, w[j])) return 1;
    return word_is(s, k - 1, "of") && k >= 2 && (word_is(s, k - 2, "outskirts") || word_is(s, k - 2, "suburbs"));
}

/* Whether the word at i is the noun "arrest" naming the act: after a determiner, plural
 * ("432 arrests have been made") or with its "of" ("the arrest of X"). */
static int arrest_noun(const dy_story_ctx *s, uint32_t i, int nominal)
{
    return lemma_is(s, i, "arrest") && (nominal || word_is(s, i, "arrests") || word_is(s, i + 1, "of"));
}

/* Whether the actor is one that holds people: police, soldiers, a government, the courts or
 * the secret services. */
static int holder(const dy_mention *m)
{
    static const char *const sec[] = {"COP", "MIL", "GOV", "JUD", "SPY", NULL};
    size_t n = strlen(m->code[0]);
    for (int k = 0; sec[k] && n >= 3; k++)
        if (!strcmp(m->code[0] + n - 3, sec[k])) return 1;
    return 0;
}

/* Whether mention m is the police as a body or a place of theirs ("the police", "the Petlad
 * police station", "the police force"), not a policeman or officers: coded COP and headed by
 * such a word. */
static int police_body(const dy_story_ctx *s, const dy_mention *m)
{
    static const char *const head[] = {"police", "station", "stations", "force", "department", "headquarters",
                                       "outpost", "post", NULL};
    if (!m->ncode) return 0;
    for (uint8_t c = 0; c < m->ncode; c++) {
        size_t n = strlen(m->code[c]);
        if (n < 3 || strcmp(m->code[c] + n - 3, "COP")) return 0;
    }
    for (int k = 0; head[k]; k++)
        if (word_is(s, m->last - 1, head[k])) return 1;
    return 0;
}

/* Whether mention m is a state's armed force: troops or police (every code in MIL or COP). */
static int armed_state(const dy_mention *m)
{
    if (!m->ncode) return 0;
    for (uint8_t c = 0; c < m->ncode; c++) {
        size_t n = strlen(m->code[c]);
        if (n < 3 || (strcmp(m->code[c] + n - 3, "COP") && strcmp(m->code[c] + n - 3, "MIL"))) return 0;
    }
    return 1;
}

/* The "by X" actor after a passive verb, or -1. */
static int32_t agent_phrase(const dy_story_ctx *s, uint32_t i, uint32_t end)
{
    for (uint32_t k = i; k < end && k < i + 6; k++) {
        if (dy_clause_edge(s, k)) break;
        if (word_is(s, k, "by")) {
            /* the actor within the four words after "by", not one past a comma ("stabbed to
             * death by some miscreants, police said": the police only said it) */
            uint32_t j = k + 1;
            while (j < end && j < k + 4 && s->tok_m[j] < 0 && !punct_is(s, j, ',') && !dy_clause_edge(s, j)) j++;
            return j < end && !punct_is(s, j, ',') && !dy_clause_edge(s, j) ? s->tok_m[j] : -1;
        }
    }
    return -1;
}

/* Whether token t is one of the words pattern p spells out (its words, alternatives and the
 * members of its word sets): such a word is what the pattern is about, not a blocker. */
static int in_pattern(const dy_story_ctx *s, const dy_pattern *p, const dy_token *t)
{
    for (uint16_t k = 0; k < p->nel; k++) {
        const dy_pelem *e = &p->el[k];
        if (e->kind == PE_WORD || e->kind == PE_ALT) {
            for (uint16_t a = 0; a < e->nw; a++)
                if (dy_tok_is(t, e->w[a])) return 1;
        } else if (e->kind == PE_SET && e->set != UINT32_MAX) {
            const dy_set *st = &s->d->sets[e->set];
            for (uint32_t m = 0; m < st->nphrase; m++) {
                const dy_phrase *ph = &s->d->set_phrases[st->phrase0 + m];
                for (uint16_t j = 0; j < ph->n; j++)
                    if (dy_tok_is(t, ph->w[j])) return 1;
            }
        }
    }
    return 0;
}

/* Whether token i is a passive participle of seeing or reporting after a form of "be" ("was
 * seen", "is known", "are said"): "X was seen to break into Y" says that X broke in. */
static int reported(const dy_story_ctx *s, uint32_t i, uint32_t begin)
{
    static const char *const v[] = {"seen", "heard", "known", "reported", "said", "believed",
                                     "thought", "understood", "alleged", NULL};
    int hit = 0;
    for (int k = 0; v[k] && !hit; k++) hit = word_is(s, i, v[k]);
    return hit && i > begin && is_be(s, i - 1);
}

/* Whether the past verb at h is reported speech shifted back from the present: a verb of
 * saying before it in the sentence, or "now" right before it. */
static int backshifted(const dy_story_ctx *s, uint32_t h, uint32_t begin)
{
    static const char *const v[] = {"said", "says", "told", "tells", "added", "stated", "claimed", "announced",
                                    "declared", "insisted", "argued", "noted", "warned", "explained", NULL};
    if (h > begin && word_is(s, h - 1, "now")) return 1;
    for (uint32_t k = begin; k < h; k++)
        for (int j = 0; v[j]; j++)
            if (word_is(s, k, v[j])) return 1;
    return 0;
}

/* Whether the "to" at t follows a past verb of success, which entails its infinitive: "were
 * able to arrest 39", "managed to enter the town" (but not "will be able to", "hopes to"). */
static int achieved(const dy_story_ctx *s, uint32_t t, uint32_t begin)
{
    if (t > begin && (word_is(s, t - 1, "managed") || word_is(s, t - 1, "succeeded"))) return 1;
    return t > begin + 1 && word_is(s, t - 1, "able") &&
           (word_is(s, t - 2, "was") || word_is(s, t - 2, "were") || word_is(s, t - 2, "been"));
}

/* Why the clause before the anchor keeps the event from having happened, or NULL. */
static const char *blocked(const dy_story_ctx *s, const dy_pattern *p, uint32_t from, uint32_t anchor,
                           uint32_t begin)
{
    /* words the pattern itself contains are not blockers, nor words inside an actor's name
     * ("neither Russia nor China") */
    uint32_t start = from > begin ? from : begin;
    for (uint32_t i = start; i < anchor; i++) {
        const dy_token *t = &s->seg.tok[i];
        if (!(t->flags & TK_WORD) || s->tok_m[i] >= 0) continue;
        /* every word below starts with one of these letters, its lemma ("denied") with d, r
         * or f: most tokens are passed over without a comparison */
        char c0 = (char)dy_tolower((unsigned char)s->text[t->start]);
        if (!strchr("ncwmsiudrf", c0) &&
            !(t->lemma && t->lemma != t->form && strchr("drf", dy_word_str(s->d, t->lemma)[0])))
            continue;
        if (in_pattern(s, p, t)) continue;
        if (word_is(s, i, "not") || word_is(s, i, "n't") || word_is(s, i, "never") ||
            word_is(s, i, "no") || word_is(s, i, "neither") || word_is(s, i, "nor") ||
            word_is(s, i, "cannot"))
            return "negated";
        if (lemma_is(s, i, "deny") || lemma_is(s, i, "refuse") || lemma_is(s, i, "fail") ||
            lemma_is(s, i, "decline") || lemma_is(s, i, "reject"))
            return "denied or refused";
        if (word_is(s, i, "would") || word_is(s, i, "could") || word_is(s, i, "might") ||
            word_is(s, i, "may") || word_is(s, i, "should") || word_is(s, i, "must"))
            return "hypothetical (modal)";
        if (word_is(s, i, "if") || word_is(s, i, "unless") || word_is(s, i, "whether"))
            return "conditional";
    }
    /* the content of an accusation or a denial is a claim, not a reported act: "accused
     * Beijing of supplying Russia", "denied that its guards had tortured detainees"; and a
     * clause opened by "if" is a condition, even when its subject comes first */
    for (uint32_t i = anchor; i > begin;) {
        i--;
        if (dy_clause_edge(s, i)) break;
        if (i < start && s->seg.tok[i].flags & TK_WORD && !in_pattern(s, p, &s->seg.tok[i])) {
            /* "suspected militants hurled a grenade": an adjective of the actor after it */
            if ((lemma_is(s, i, "suspect") || lemma_is(s, i, "allege")) && s->tok_m[i + 1] >= 0) continue;
            if (lemma_is(s, i, "accuse") || lemma_is(s, i, "deny") || lemma_is(s, i, "allege") ||
                lemma_is(s, i, "blame") || lemma_is(s, i, "suspect"))
                return "the content of an accusation or denial";
            if (word_is(s, i, "if") || word_is(s, i, "unless") || word_is(s, i, "whether"))
                return "conditional";
        }
    }
    /* an infinitive ("to attack") is an intention of something else, not an act; but "about
     * to" says it is under way, and a past "had to" says it was done ("police had to fire six
     * rounds": the past of "have to" entails the act, unless it is a present obligation
     * shifted back in reported speech: "he said Brazil now had to reconsider") */
    uint32_t i = anchor;
    while (i > begin && is_adverb(s, i - 1)) i--;
    if (p->anchor == 0 && i > begin && word_is(s, i - 1, "to") &&
        !(i - 1 > begin && word_is(s, i - 2, "about")) && !(i - 1 > begin && reported(s, i - 2, begin)) &&
        !(i - 1 > begin && word_is(s, i - 2, "had") && !backshifted(s, i - 2, begin)) && !achieved(s, i - 1, begin))
        return "infinitive";
    return NULL;
}

/* "the union will likely strike", "the minister is due to visit Abu Dhabi", "seafarers are
 * almost certain to go on strike", "plans to start escorting tankers": an act foreseen or
 * planned for later has not happened. Words, appeals, intentions and threats (roots 01-03, 10-13) are acts when they
 * are said; a visit, aid, a concession, a protest or an attack is an event once it is done. */
static const char *future(const dy_story_ctx *s, const dy_event *e, uint32_t from, uint32_t begin)
{
    int root = dy_cameo_root(e->cameo);
    if (e->cameo->opaque || root <= 3 || (root >= 10 && root <= 13)) return NULL;
    const dy_pattern *p = &s->d->patterns[e->pattern];
    uint32_t start = from > begin ? from : begin;
    for (uint32_t i = start; i < e->anchor; i++) {
        const dy_token *t = &s->seg.tok[i];
        if (!(t->flags & TK_WORD) || s->tok_m[i] >= 0 || in_pattern(s, p, t)) continue;
        /* "will likely strike", "will probably visit": a forecast (a plain "will contribute"
         * is a commitment, which PETRARCH's convention codes as the act) */
        if ((word_is(s, i, "will") || word_is(s, i, "'ll")) && i + 1 < e->anchor &&
            (word_is(s, i + 1, "likely") || word_is(s, i + 1, "probably") || word_is(s, i + 1, "possibly")))
            return "a forecast (will likely, will probably)";
        /* "due to visit", "set to sign", "almost certain to go on strike", "plans to start" */
        if (word_is(s, i, "to") && i > begin &&
            (word_is(s, i - 1, "due") || word_is(s, i - 1, "set") || word_is(s, i - 1, "certain") ||
             word_is(s, i - 1, "likely") || word_is(s, i - 1, "expected") || lemma_is(s, i - 1, "plan") ||
             lemma_is(s, i - 1, "intend") || lemma_is(s, i - 1, "schedule")))
            return "announced for later (due, set, likely, planned to)";
    }
    return NULL;
}

/* "... have offered our assistance as they investigate this attack": a clause opened by "as"
 * or "while" tells what was going on around the main act. A verbal act there (roots 01-13)
 * is background, not a reported event; a protest or an attack there still is one. */
static int background(const dy_story_ctx *s, const dy_event *e, uint32_t begin)
{
    int root = dy_cameo_root(e->cameo);
    if (e->cameo->opaque || root > 13) return 0;
    for (uint32_t i = e->first; i > begin + 1;) {
        i--;
        if (dy_clause_edge(s, i) || punct_is(s, i, ',')) return 0;
        if ((word_is(s, i, "as") || word_is(s, i, "while")) && !(s->seg.tok[i].flags & TK_PARA))
            return i > begin; /* not when the clause opens the sentence */
    }
    return 0;
}

/* "A Chinese blockade of Taiwan would disrupt trade": a modal right after an event's noun
 * phrase makes the event hypothetical. */
static int modal_after(const dy_story_ctx *s, uint32_t i, uint32_t end)
{
    for (uint32_t k = i; k < end && k < i + 5; k++) {
        if (dy_clause_edge(s, k) || punct_is(s, k, ',')) return 0;
        if (word_is(s, k, "would") || word_is(s, k, "could") || word_is(s, k, "might") || word_is(s, k, "may") ||
            word_is(s, k, "will") || word_is(s, k, "should"))
            return 1;
    }
    return 0;
}

/* Whether a word of asking or waiting governs the noun phrase that starts at i: "demanded
 * the arrest of", "called for the immediate arrest of", "sought his detention": the act is
 * wanted, not done. Only determiners, modifiers and "for" may stand between. */
static int wanted_before(const dy_story_ctx *s, uint32_t i, uint32_t begin)
{
    static const char *const w[] = {"demand", "call", "seek", "urge", "want", "ask", "press", "push",
                                    "order", "await", "request", "plead", "appeal", NULL};
    uint32_t k = i;
    while (k > begin && k + 4 > i && !word_is(s, k - 1, "that") &&
           ((s->tcls[k - 1] & (TC_DET | TC_SKIP)) || word_is(s, k - 1, "for") || word_is(s, k - 1, "immediate")))
        k--;
    /* "called for a ban on the party and (the) arrest of its leaders": a second thing asked for */
    if (k > begin && (word_is(s, k - 1, "and") || word_is(s, k - 1, "or")))
        for (uint32_t j = k - 1; j > begin && j + 10 > k; j--) {
            if (dy_clause_edge(s, j - 1)) break;
            for (int x = 0; w[x]; x++)
                if (lemma_is(s, j - 1, w[x])) return 1;
        }
    if (k == begin) return 0;
    for (int j = 0; w[j]; j++)
        if (lemma_is(s, k - 1, w[j])) return 1;
    return 0;
}

/* A pattern with a "-" slot says the actor it sees is not the target: look for no other. */
static int has_other(const dy_pattern *p)
{
    for (uint16_t k = 0; k < p->nel; k++)
        if (p->el[k].kind == PE_OTHER) return 1;
    return 0;
}

static int same_codes(const dy_mention *a, const dy_mention *b)
{
    if (!a->ncode || !b->ncode) return a == b; /* new actors without a code: by their words */
    if (a->ncode != b->ncode) return 0;
    for (uint8_t i = 0; i < a->ncode; i++)
        if (strcmp(a->code[i], b->code[i])) return 0;
    return 1;
}

/* Whether mention m is an actor with some code (not missing, not only "---"). */
static int known_actor(const dy_story_ctx *s, int32_t m)
{
    if (m < 0) return 0;
    for (uint8_t i = 0; i < s->m[m].ncode; i++)
        if (strcmp(s->m[m].code[i], "---")) return 1; /* "---GOV" counts: a government */
    return s->m[m].ncode == 0 && s->m[m].name; /* a new actor known by its name */
}


/* Whether mention m is the one who says something in its sentence ("officials said", "police
 * say", "according to officials", "said a spokesman"). */
static int speaker(const dy_story_ctx *s, const dy_mention *m, uint32_t begin, uint32_t end)
{
    uint32_t a = m->last;
    while (a < end && (s->tcls[a] & TC_SKIP)) a++; /* "officials also said" */
    if (a < end && dy_is_speech(s, a)) return 1;
    if (m->first > begin && dy_is_speech(s, m->first - 1)) return 1;
    uint32_t b = m->first;
    while (b > begin && (s->tcls[b - 1] & TC_DET)) b--;
    return b >= begin + 2 && word_is(s, b - 1, "to") && word_is(s, b - 2, "according");
}

/* Whether the words right before a violent event's anchor name a disaster or an accident
 * that did it ("a tsunami killed 222 people", "the floods have killed", "a fire that killed"):
 * nature and mishaps are not attackers. Only for events no one is named as doing. */
static int disaster_before(const dy_story_ctx *s, const dy_event *e, uint32_t begin)
{
    static const char *const what[] = {"tsunami", "earthquake", "quake", "flood", "floods", "flooding", "storm",
        "cyclone", "hurricane", "typhoon", "tornado", "landslide", "landslides", "mudslide", "avalanche", "fire",
        "blaze", "wildfire", "wildfires", "heatwave", "eruption", "crash", "accident", "collision", "derailment",
        "stampede", "disease", "outbreak", "virus", "epidemic", "lightning", "rains", "rainfall", "collapse", NULL};
    int root = dy_cameo_root(e->cameo);
    if (root < 18) return 0;
    for (uint32_t k = e->first; k > begin && k + 4 > e->first; k--)
        for (int w = 0; what[w]; w++)
            if (word_is(s, k - 1, what[w])) return 1;
    return 0;
}

/* Whether mention m is an armed group that is not a state's: rebels, insurgents, militants,
 * unidentified gunmen, jihadist groups, criminals (sectors REB, INS, UAF, IMG, RAD, CRM). */
static int irregular_armed(const dy_mention *m)
{
    static const char *const sec[] = {"REB", "INS", "UAF", "IMG", "RAD", "CRM", NULL};
    for (uint8_t c = 0; c < m->ncode; c++)
        for (int k = 0; sec[k]; k++)
            if (strstr(m->code[c], sec[k])) return 1;
    return 0;
}

/* For violence the pattern found neither side of (a root 18-20 event: "seven people were
 * wounded when a grenade exploded", "a suicide bomber set off a blast"): the first mention of
 * the sentence that is a group or a person named as such (an agent: people, civilians,
 * soldiers, militants), not a place, a pronoun, an owner, a company or the one who tells of
 * it. An irregular armed group is taken as the one who did it, anyone else as the one it
 * struck. Returns whether a side was found. */
static int unnamed_violence(const dy_story_ctx *s, dy_event *e, uint32_t begin, uint32_t end)
{
    int root = dy_cameo_root(e->cameo);
    if (root < 18 || e->cameo->opaque) return 0;
    /* after violence the story has already told with its actors, an unnamed one is that one
     * told again ("Israeli warplanes struck a building. The strike killed twelve people"):
     * its figures go to the first (numbers.c attaches them to the nearest fitting event) */
    for (const dy_event *x = s->ev; x < e; x++)
        if (!x->dropped && !x->cameo->opaque && x->sent < e->sent && dy_cameo_root(x->cameo) >= 18)
            return 0;
    for (uint32_t k = begin; k < end; k++) {
        int32_t mi = s->tok_m[k];
        if (mi < 0) continue;
        const dy_mention *m = &s->m[mi];
        if (m->agent >= 0 && m->nbase == 0 && !(m->flags & (M_PRONOUN | M_POSS | M_OBJECT | M_CITY)) &&
            !dy_mention_business(m) && !dy_mention_is_place(s, mi) && !speaker(s, m, begin, end)) {
            if (irregular_armed(m)) e->src = mi;
            else e->tgt = mi;
            return 1;
        }
        k = m->last - 1;
    }
    return 0;
}

/* Whether c is an act two parties do together: agreeing, meeting, negotiating, cooperating,
 * establishing relations, signing (030, 036, 040, 043, 046, 050, 054-057). */
static int mutual(const dy_cameo *c)
{
    static const char *const codes[] = {"030", "036", "040", "043", "046", "050", "054", "055",
        "056", "057", NULL};
    if (c->opaque) return 0;
    for (int k = 0; codes[k]; k++)
        if (!strcmp(c->code, codes[k])) return 1;
    return 0;
}

/* Whether a code is a state or one of its branches (AFG, AFGGOV, AFGMIL, AFGLEG, AFGJUD); its
 * country is put in cc. */
static int state_code(const dy_story_ctx *s, const char *code, char cc[4])
{
    static const char *const branch[] = {"", "GOV", "MIL", "LEG", "JUD", NULL};
    size_t n = strlen(code);
    if (n < 3) return 0;
    memcpy(cc, code, 3);
    cc[3] = 0;
    if (!dy_is_country(s->d, cc)) return 0;
    for (int k = 0; branch[k]; k++)
        if (!strcmp(code + 3, branch[k])) return 1;
    return 0;
}

/* Whether target t is a thing (a tax, a bill, a test, an exercise: @object) whose owner no
 * word names, so that the story lent it its country, and a state or branch of that same
 * country is among the sources: the state acting on its own law or test ("Bonn agreed to
 * widen tax cuts", "the Soviet Union carried out a nuclear test") is aimed at no one. */
static int own_object(const dy_story_ctx *s, const dy_mention *t, const dy_mention *src)
{
    if (!(t->flags & M_OBJECT) || t->nbase || !t->ncode) return 0;
    for (uint8_t i = 0; i < t->ncode; i++) {
        int found = 0;
        for (uint8_t j = 0; j < src->ncode && !found; j++) {
            char a[4];
            found = state_code(s, src->code[j], a) && strlen(t->code[i]) >= 3 && !strncmp(t->code[i], a, 3);
        }
        if (!found) return 0;
    }
    return 1;
}

/* Whether mention m is two or more states ("Angola and Uruguay", "U.S. and Japanese
 * negotiators"): codes of three letters, each a country, or a country's government. */
static int all_states(const dy_story_ctx *s, const dy_mention *m)
{
    if (m->ncode < 2) return 0;
    for (uint8_t i = 0; i < m->ncode; i++) {
        char cc[4];
        memcpy(cc, m->code[i], 3);
        cc[3] = 0;
        size_t n = strlen(m->code[i]);
        if (n < 3 || !dy_is_country(s->d, cc) || (n > 3 && strcmp(m->code[i] + 3, "GOV"))) return 0;
    }
    return 1;
}

/* Whether mention m is a business: each of its codes ends in the BUS sector (USABUS, BUS;
 * not OPEC's IGOBUSOPC). */
int dy_mention_business(const dy_mention *m)
{
    if (!m->ncode) return 0; /* a new actor named by its words: not known to be a company */
    for (uint8_t i = 0; i < m->ncode; i++) {
        size_t n = strlen(m->code[i]);
        if (n < 3 || strcmp(m->code[i] + n - 3, "BUS")) return 0;
    }
    return 1;
}

/* Whether event e is a business's alone: a business on one side, and on the other none, a
 * business, a city standing for its country (a company's deal "in Dallas"), or, the company
 * acting, the bare name of its own country ("U.S. wholesalers", "Indian LP": USABUS, USA).
 * A company's deals, bids, denials and "no comment" are not political events, whatever
 * country their words name; a government, a party or a court on the other side makes one. */
static int only_business(const dy_story_ctx *s, const dy_event *e)
{
    int32_t side[2] = {e->src, e->tgt};
    int bus = -1;
    for (int k = 0; k < 2; k++)
        if (side[k] >= 0 && dy_mention_business(&s->m[side[k]])) bus = k;
    if (bus < 0) return 0;
    /* violence against a company or its staff by someone unnamed is political violence */
    int root = dy_cameo_root(e->cameo);
    if (bus == 1 && root >= 18) return 0;
    int32_t other = side[!bus];
    if (other < 0) return 1;
    const dy_mention *o = &s->m[other], *b = &s->m[side[bus]];
    if (dy_mention_business(o) || (o->flags & M_CITY)) return 1;
    /* the company acting upon its own country's bare name; a country acting upon a company
     * ("the US lifted sanctions on shipping firms") is its government's act */
    return bus == 0 && o->ncode == 1 && strlen(o->code[0]) == 3 && strlen(b->code[0]) == 6 &&
           !strncmp(o->code[0], b->code[0], 3);
}

static int same_country(const dy_mention *a, const dy_mention *b)
{
    return !strncmp(a->code[0], b->code[0], 3);
}

/* Kinds of act that are one happening when they hit one target: the violent roots belong
 * together (an attack, the shooting and the injuries of one assault). */
static int family(const dy_cameo *c)
{
    int root = dy_cameo_root(c);
    /* violent repression and destruction told with an attack are part of it */
    if (!strcmp(c->code, "175") || !strcmp(c->code, "1712")) return 18;
    return root >= 18 ? 18 : root;
}

/* Folds event b into a if both describe one happening. */
static int fold(dy_story_ctx *s, dy_event *a, dy_event *b)
{
    if (family(a->cameo) != family(b->cameo)) return 0;
    /* "arrested X on Monday ... on Thursday, arrested Y": two told dates, two happenings */
    if (a->date_told && b->date_told && a->date != b->date) return 0;
    /* outside violence, one happening is one kind of act: a condemnation and an accusation
     * by the same side are two records */
    if (family(a->cameo) != 18 && strncmp(a->cameo->code, b->cameo->code, 3)) return 0;
    const dy_mention *as = a->src >= 0 ? &s->m[a->src] : NULL, *bs = b->src >= 0 ? &s->m[b->src] : NULL;
    const dy_mention *at = a->tgt >= 0 ? &s->m[a->tgt] : NULL, *bt = b->tgt >= 0 ? &s->m[b->tgt] : NULL;
    if (as && bs && !same_codes(as, bs)) return 0;
    /* violence told again with no one doing it and only its victims named by a common noun
     * ("the strike killed twelve people"): their country is a guess (the story's), not a
     * sign of another happening */
    int retold = family(a->cameo) == 18 && as && !bs && bt && bt->agent >= 0 && bt->nbase == 0;
    if (at && bt && !retold && !same_country(at, bt)) return 0;
    if (!(at && bt) && !(as && bs)) return 0; /* nothing shared */
    /* "a cook was stabbed to death ... 97 died in police firing": two kinds of violence whose
     * only common element is an anonymous victim (a bare "person", "people") are two
     * happenings; the second one's doer is not the first one's */
    if (!as && bs && at && bt && at->agent >= 0 && at->nbase == 0 && bt->agent >= 0 && bt->nbase == 0 &&
        strncmp(a->cameo->code, b->cameo->code, 3))
        return 0;
    if (!at && bt) return 0;
    if (!as && bs) a->src = b->src;
    for (uint8_t k = 0; k < b->nsent && a->nsent < 16; k++) {
        int dup = 0;
        for (uint8_t j = 0; j < a->nsent; j++)
            if (a->sents[j] == b->sents[k]) dup = 1;
        if (!dup) a->sents[a->nsent++] = b->sents[k];
    }
    b->merged = 1;
    b->dropped = "same happening as an earlier event";
    return 1;
}

int dy_events_assemble(dy_story_ctx *s)
{
    const dy_segmented *g = &s->seg;
    uint32_t *anchors = dy_arena_alloc(s->a, (s->nev + 1) * sizeof *anchors);
    if (!anchors) return -1;
    for (size_t k = 0; k < s->nev; k++) anchors[k] = s->ev[k].anchor;
    qsort(anchors, s->nev, sizeof *anchors, cmp_u32); /* for is_anchor's binary search */
    int company = dy_company_story(s);
    for (size_t k = 0; k < s->nev; k++) {
        dy_event *e = &s->ev[k];
        const dy_pattern *p = &s->d->patterns[e->pattern];
        const dy_sentence *st = &g->sent[e->sent];
        uint32_t begin = st->first, end = st->first + st->count;
        uint32_t stop = e->first;
        int32_t subj = -1;
        int need_subject = !p->has_src || e->passive == 2 || e->passive == 3;
        /* "the drone attack", "an attack on X": an event named by a noun has no subject; its
         * actors are "by X", "X's" and "on/against X" */
        int nominal = 0;
        if (!e->pairwise && e->passive == 0) {
            /* a determiner within the pattern's own words, or right before them: "the drone
             * attack", "a new attack"; a country's adjective may stand between ("a Chinese
             * blockade"), but another actor means actor-then-verb ("the gunmen killed") */
            uint32_t lo = e->first;
            for (uint32_t k = e->anchor; k > begin && k + 3 > e->anchor && k + 1 > lo; k--) {
                int32_t pm = s->tok_m[k - 1];
                if (pm >= 0 && !(s->m[pm].ncode == 1 && strlen(s->m[pm].code[0]) == 3 && s->m[pm].last - s->m[pm].first == 1 &&
                                 s->m[pm].agent < 0))
                    break;
                if (pm >= 0) {
                    if (s->m[pm].first < lo) lo = s->m[pm].first;
                    k = s->m[pm].first + 1;
                    continue;
                }
                if (s->tcls[k - 1] & TC_DET) nominal = 1;
            }
        }
        if (nominal) {
            /* "fled after the invasion of Ukraine": an event named as a time reference is
             * background to this sentence, not news in it */
            uint32_t d = e->first;
            while (d > begin && (s->tcls[d - 1] & (TC_DET | TC_SKIP))) d--;
            if (d > begin && (word_is(s, d - 1, "after") || word_is(s, d - 1, "before") || word_is(s, d - 1, "since") ||
                              word_is(s, d - 1, "during") || word_is(s, d - 1, "following") ||
                              word_is(s, d - 1, "amid") || word_is(s, d - 1, "despite")))
                e->dropped = "background: an event named as a time reference";
            /* "an attack by rebel forces": the actor a pattern's + took after "by" did it */
            if (e->tgt >= 0 && e->src < 0 && s->m[e->tgt].first > e->anchor &&
                word_is(s, s->m[e->tgt].first - 1, "by")) {
                e->src = e->tgt;
                e->tgt = -1;
                uint32_t l = s->m[e->src].last; /* "... by Russian forces on Kharkiv" */
                if (l + 1 < end && (word_is(s, l, "on") || word_is(s, l, "against")))
                    e->tgt = s->tok_m[l + 1] >= 0 ? s->tok_m[l + 1]
                           : l + 2 < end && (s->tcls[l + 1] & TC_DET) ? s->tok_m[l + 2] : -1;
            }
            if (e->src < 0 && !p->has_src) {
                e->src = agent_phrase(s, e->last, end);
                uint32_t f = e->first - 1; /* "Russia's attack": the possessor */
                if (e->src < 0 && e->first > begin + 1 && s->seg.tok[f].len == 2 &&
                    s->text[s->seg.tok[f].start] == '\'')
                    e->src = s->tok_m[f - 1];
                /* "students marched ... in a peaceful protest": an actor among the pattern's
                 * own words before the noun holds it */
                for (uint32_t k = e->first; e->src < 0 && k < e->anchor; k++)
                    if (s->tok_m[k] >= 0 && s->tok_m[k] != e->tgt && s->tok_m[k] != e->other) e->src = s->tok_m[k];
            }
            if (e->tgt < 0 && !p->has_tgt && e->last + 1 < end &&
                (word_is(s, e->last, "on") || word_is(s, e->last, "against") || word_is(s, e->last, "targeting")))
                e->tgt = s->tok_m[e->last + 1] >= 0 ? s->tok_m[e->last + 1]
                       : e->last + 2 < end && (s->tcls[e->last + 1] & TC_DET) ? s->tok_m[e->last + 2] : -1;
        } else if (need_subject || !p->has_tgt)
        {
            /* the search starts at the anchor when the pattern's own words before it name an
             * actor ("protesters ... RALLY"): that actor is the subject */
            uint32_t from = e->first;
            for (uint32_t k = e->first; k < e->anchor; k++)
                if (s->tok_m[k] >= 0 && s->tok_m[k] != e->tgt && s->tok_m[k] != e->other) from = e->anchor;
            subj = subject_of(s, from, begin, &stop);
            /* "criticised the police for opening fire on the crowd": a gerund after "for" is
             * done by the actor right before "for", the object of the verb of judging */
            if (e->first > begin + 1 && word_is(s, e->first - 1, "for") && ing_form(s, e->first) &&
                s->tok_m[e->first - 2] >= 0 && s->m[s->tok_m[e->first - 2]].last == e->first - 1)
                subj = s->tok_m[e->first - 2], stop = s->m[subj].first;
            /* else an actor among the pattern's own words before the anchor ("hundreds of
             * students ... MARCH", "detainees in the prison ... PROTEST") */
            for (uint32_t k = e->first; subj < 0 && k < e->anchor; k++)
                if (s->tok_m[k] >= 0 && s->tok_m[k] != e->tgt && s->tok_m[k] != e->other) subj = s->tok_m[k];
            if (stop > e->first) stop = e->first;
            /* "condemned the police firing": an actor the pattern spells right before its noun
             * anchor, with nothing between, is the doer the compound names */
            if (p->anchor > 0 && p->el[p->anchor - 1].kind == PE_WORD && e->anchor > e->first &&
                s->tok_m[e->anchor - 1] >= 0 && s->m[s->tok_m[e->anchor - 1]].first >= e->first &&
                s->tok_m[e->anchor - 1] != e->tgt && s->tok_m[e->anchor - 1] != e->other)
                subj = s->tok_m[e->anchor - 1];
        }
        int passive = !nominal && e->passive == 0 && !e->pairwise && passive_at(s, e->anchor, begin);
        if (e->pairwise) { /* % before the anchor: the compound's members act on each other */
            e->src = e->tgt = subj;
            if (subj < 0 || s->m[subj].ncode < 2) e->dropped = "the pattern wants a compound subject";
        } else if (e->passive == 2) { /* + SURVIVE: the subject suffered it */
            if (e->tgt < 0) e->tgt = subj;
            if (e->src < 0) e->src = agent_phrase(s, e->last, end);
        } else if (passive) {
            /* "X was arrested by Y": Y acts on X, whatever slot the pattern gave Y */
            int32_t by = agent_phrase(s, e->anchor + 1, end);
            e->passive = 1;
            /* "12 people were killed ... in an attack by rebel forces", "two journalists were
             * arrested in Cairo": force told in the passive has its victim as subject; an actor
             * after the verb is not a second victim but the doer when "by" names it, else no one */
            if (by < 0 && e->tgt >= 0 && subj >= 0 && subj != e->tgt && s->m[e->tgt].first > e->anchor &&
                dy_cameo_root(e->cameo) >= 17) {
                uint32_t f = s->m[e->tgt].first;
                if (e->src < 0 && f > begin && word_is(s, f - 1, "by")) e->src = e->tgt;
                e->tgt = -1;
            }
            if (by >= 0 && e->tgt == by) e->tgt = -1;
            if (by >= 0 && e->src < 0) e->src = by;
            else if (e->src < 0 && p->has_src) e->src = -1;
            if (e->tgt < 0) e->tgt = subj;
        } else if (!nominal) {
            if (e->src < 0 && (!p->has_src || e->passive == 3)) e->src = subj; /* a $ before the anchor is the subject */
            /* "the attack, which we condemn": the object is the relative pronoun's antecedent */
            uint32_t sf = subj >= 0 ? s->m[subj].first : 0;
            int rel = subj >= 0 && sf > begin && (word_is(s, sf - 1, "which") || word_is(s, sf - 1, "whom"));
            if (e->tgt < 0 && !p->has_tgt && rel) {
                uint32_t r = sf - 1;
                while (r > begin && punct_is(s, r - 1, ',')) r--;
                e->tgt = r > begin ? s->tok_m[r - 1] : -1;
            } else if (e->tgt < 0 && !p->has_tgt) {
                /* the object may stand inside the pattern's own gap ("shelled Kurdish militia
                 * positions", "released two American hostages") */
                e->tgt = has_other(p) ? -1
                         : object_after(s, e->anchor + 1, end, e->src, anchors, s->nev, is_speech_verb(s, e->anchor));
                /* none after the words matched: an actor the pattern's gaps passed over ("allowed
                 * that Iran isn't a real threat") */
                for (uint32_t k = e->anchor + 1; e->tgt < 0 && k < e->last; k++) {
                    int32_t m = s->tok_m[k];
                    if (m >= 0 && m != e->src && m != e->other && s->m[m].first == k &&
                        !(e->src >= 0 && same_codes(&s->m[m], &s->m[e->src])))
                        e->tgt = m;
                }
            }
        }
        /* "Sealing the area from all sides, the forces ...", "took the village after
         * recapturing the oilfields": an -ing clause that opens its sentence or follows a
         * subordinator has no subject of its own; its doer is the main clause's subject: the
         * actor right after the clause's comma, or the one that opens the sentence. It is the
         * source (not the target it may have been taken for); a source is added only to
         * violence, which stands without one, so no dropped event comes back on this alone */
        if (!nominal && !passive && !e->pairwise && e->passive == 0 && e->src < 0 && subj < 0 &&
            e->anchor == e->first && ing_form(s, e->anchor)) {
            uint32_t k = e->anchor;
            int sub = k > begin && subordinator(s, k - 1);
            if (sub) k--;
            int opens = k == begin || punct_is(s, k - 1, ',') || punct_is(s, k - 1, ':');
            int32_t main = -1;
            if (opens) { /* the clause's comma, then the subject (a determiner may stand between) */
                uint32_t j = e->anchor + 1;
                while (j < end && !punct_is(s, j, ',') && !dy_clause_edge(s, j)) j++;
                if (j < end && punct_is(s, j, ',')) {
                    j++;
                    /* a determiner and up to three words of the noun phrase may stand before
                     * the actor ("the para-military forces") */
                    for (int w = 0; j < end && s->tok_m[j] < 0 && w < 4 &&
                                    ((s->tcls[j] & TC_DET) || (s->seg.tok[j].flags & TK_WORD) || punct_is(s, j, '-'));
                         w++)
                        j++;
                    int32_t m = j < end ? s->tok_m[j] : -1;
                    if (m >= 0 && s->m[m].first == j && s->m[m].last < end &&
                        (s->seg.tok[s->m[m].last].flags & TK_WORD) && !is_preposition(s, s->m[m].last) &&
                        !word_is(s, s->m[m].last, "and") && !word_is(s, s->m[m].last, "of") &&
                        !dy_mention_is_place(s, m) && !is_speech_verb(s, s->m[m].last) && !speaker(s, &s->m[m], begin, end))
                        main = m; /* not the teller: "Shooting erupted at the base, a radio station said" */
                }
            } else if (sub) {
                uint32_t st2 = 0;
                main = subject_of(s, k, begin, &st2);
                /* only the actor that opens the sentence: a nearer one may be any object */
                uint32_t f = main >= 0 ? s->m[main].first : 0;
                while (main >= 0 && f > begin && (s->tcls[f - 1] & TC_DET)) f--;
                if (f != begin) main = -1;
            }
            if (main >= 0 && !(s->m[main].flags & M_OBJECT) &&
                (e->tgt == main || dy_cameo_root(e->cameo) >= 18)) {
                e->src = main;
                if (e->tgt == main) e->tgt = -1;
            }
        }
        /* PETRARCH's new actors: a short noun phrase no dictionary names ("the Ministry of Magic") */
        if (s->opt->new_actor_length > 0 && !nominal && !passive && !e->pairwise && e->passive == 0) {
            if (e->src < 0 && !p->has_src) e->src = dy_new_actor(s, e->first, 0, 0);
            if (e->tgt < 0 && !p->has_tgt) e->tgt = dy_new_actor(s, e->anchor, 1, e->last);
        }
        if (!e->pairwise && e->tgt >= 0 && e->src >= 0 && same_codes(&s->m[e->tgt], &s->m[e->src]))
            e->tgt = -1;
        if (e->src >= 0 && (s->m[e->src].flags & M_OBJECT)) e->src = -1;
        if (!e->pairwise && e->tgt >= 0 && e->src >= 0 && own_object(s, &s->m[e->tgt], &s->m[e->src]))
            e->tgt = -1;
        /* "Pakistan and Sweden signed an agreement", "Angola and Uruguay established relations":
         * states that agree, meet, negotiate or sign together, no one else named, do it with
         * each other, as a % pattern says */
        if (!e->pairwise && e->tgt < 0 && e->src >= 0 && !e->reversed && mutual(e->cameo) &&
            all_states(s, &s->m[e->src])) {
            e->tgt = e->src;
            e->pairwise = 1;
        }
        if (e->reversed) { /* the other side's event: a visit hosted, a meeting returned */
            int32_t t = e->src;
            e->src = e->tgt;
            e->tgt = t;
        }
        /* "the people arrested under the act", "militants detained last week": an arrest's
         * participle right after its noun, with no helper before it and no object after it, is
         * a passive relative clause: the noun was held, not the holder (unless it names those
         * who hold people: "police arrested on Sunday the main accused") */
        /* "arrested in Karachi", "detained on the outskirts of Lahore": a place after a
         * preposition of place is where people were held, not who was */
        if (!strncmp(e->cameo->code, "173", 3) && e->tgt >= 0 && s->m[e->tgt].first > e->anchor &&
            located(s, s->m[e->tgt].first, e->anchor))
            e->tgt = passive && subj != e->src ? subj : -1;
        /* "when the police checked the rickshaw four bombs were found", "through the efforts of
         * police, 12 firearms were seized": arms seized or found, told in the passive, are the
         * subject; the police or troops before them in the sentence found them, they were not
         * seized from */
        if (passive && !strncmp(e->cameo->code, "1711", 4) && e->src < 0 && e->tgt >= 0 && e->tgt == subj &&
            s->m[e->tgt].last <= e->anchor && armed_state(&s->m[e->tgt])) {
            e->src = e->tgt;
            e->tgt = -1;
        }
        /* "a complaint was lodged at the police station. over 100 persons were arrested": the
         * police as a body before the verb make arrests, they are not the ones held; the one
         * held is the nearest other actor between them and the verb, if any */
        if (!strncmp(e->cameo->code, "173", 3) && e->tgt >= 0 && s->m[e->tgt].last <= e->anchor &&
            police_body(s, &s->m[e->tgt])) {
            int32_t held = -1;
            for (uint32_t k = e->anchor; held < 0 && k > s->m[e->tgt].last;) {
                int32_t m = s->tok_m[--k];
                if (m >= 0 && m != e->tgt && m != e->src && !police_body(s, &s->m[m]) &&
                    !(s->m[m].flags & (M_OBJECT | M_PRONOUN | M_POSS)) && !dy_mention_is_place(s, m))
                    held = m;
            }
            if (e->src < 0) e->src = e->tgt; /* "police ... arrested" */
            e->tgt = held;
        }
        int reduced = 0;
        if (!e->dropped && !nominal && !passive && e->passive == 0 && !e->pairwise && subj >= 0 && e->src == subj &&
            e->tgt < 0 && s->m[subj].last == e->anchor && !strncmp(e->cameo->code, "173", 3) &&
            arrest_word(s, e->anchor) && ed_form(s, e->anchor) && !holder(&s->m[subj])) {
            e->tgt = subj;
            e->src = -1;
            reduced = 1;
        }
        /* "those arrested in Lucknow", "the others detained": held, by whom is not said */
        if (!e->dropped && !nominal && !passive && e->passive == 0 && !e->pairwise && e->src < 0 && e->tgt < 0 &&
            e->anchor > begin && !strncmp(e->cameo->code, "173", 3) && arrest_word(s, e->anchor) &&
            ed_form(s, e->anchor) && (word_is(s, e->anchor - 1, "those") || word_is(s, e->anchor - 1, "others")))
            reduced = 1;
        /* "sharma had also arrested some persons": a past arrest whose doer is named by no
         * actor the dictionaries know is still the authorities' */
        int unnamed = !e->dropped && !nominal && !passive && e->passive == 0 && !e->pairwise && e->src < 0 && subj < 0 &&
                      e->tgt >= 0 && ed_form(s, e->anchor) &&
                      (lemma_is(s, e->anchor, "arrest") || lemma_is(s, e->anchor, "detain"));
        /* "35 people were arrested": an arrest told without who made it is the police's (of
         * the country the story is about), since only the authorities arrest; told in the
         * passive it is one even when no actor names who was held ("they were detained",
         * "17 pilgrims were arrested") */
        if (arrest_noun(s, e->anchor, nominal) && !passive) nominal = 1;
        if (!e->dropped && e->src < 0 && (e->tgt >= 0 || passive || reduced || arrest_noun(s, e->anchor, nominal)) && (nominal || reduced || unnamed || ((passive || e->passive == 2) && passive_told_done(s, e->anchor, begin))) && !e->cameo->opaque &&
            !s->opt->require_dyad && !strncmp(e->cameo->code, "173", 3) && arrest_word(s, e->anchor))
            e->src = dy_implied_actor(s, e->anchor, "COP", "implied: the police make an arrest no one is named for");
        if (e->dropped) continue;
        /* filters */
        /* from the subject to the anchor, the pattern's own words aside ("jets did not strike
         * any targets": the negation may fall inside the words a pattern spans) */
        uint32_t from = subj >= 0 && stop < e->first ? stop : e->first;
        const char *why = blocked(s, p, subj >= 0 || from < e->first ? from : begin, e->anchor, begin);
        if (!why && background(s, e, begin)) why = "a verbal act in a background clause (as/while ...)";
        if (!why) why = future(s, e, subj >= 0 || from < e->first ? from : begin, begin);
        if (why) e->dropped = why;
        else if ((st->flags & SENT_QUESTION) && !g->tok[e->anchor].quote) e->dropped = "question";
        else if (e->src < 0 && e->tgt < 0 && !unnamed_violence(s, e, begin, end) &&
                 !(!strncmp(e->cameo->code, "171", 3) && dy_seizes_arms(s, e)) &&
                 !(dy_cameo_root(e->cameo) >= 18 && !e->cameo->opaque && dy_telltale_weapon(s, e->sent)) &&
                 !dy_told_without_actor(s, e))
            e->dropped = "no actor"; /* weapons seized or found unnamed by whom are still news,
                                        and so are a grenade, IED or gas attack, shops
                                        looted or torched and people abducted */
        else if (e->src < 0 && disaster_before(s, e, begin)) e->dropped = "a disaster or an accident, not an attack";
        else if (only_business(s, e)) e->dropped = "only businesses take part: not a political event";
        else if (dy_company_matter(s, e, company))
            e->dropped = "a company's story and no state in the sentence: business, not politics";
        else if (s->opt->require_dyad && (!known_actor(s, e->src) || !known_actor(s, e->tgt)))
            e->dropped = "no known source or target (require_dyad)";
        else if (!e->cameo->opaque && !strcmp(e->cameo->code, "010") && e->tgt < 0)
            e->dropped = "a plain statement with no one it is addressed to"; /* 011-019 say more */
        else if (!e->cameo->opaque && e->src < 0 && !s->opt->require_dyad && !(st->flags & SENT_HEADLINE)) {
            /* words, threats, aid and sanctions are someone's: without a known source they are
             * not an event; an attack, a protest or an arrest by someone unnamed still is */
            int root = dy_cameo_root(e->cameo);
            if (root <= 13 || root == 15 || root == 16) e->dropped = "no one who said or did it";
        }
        if (!e->dropped && !strncmp(e->cameo->code, "173", 3) && (nominal || word_is(s, e->anchor + 1, "of")) &&
            wanted_before(s, e->first, begin))
            e->dropped = "an arrest asked for, not made";
        if (!e->dropped && nominal && modal_after(s, e->last, end))
            e->dropped = "hypothetical (a modal after the event's noun)";
    }
    return s->a->failed ? -1 : 0;
}

void dy_events_fold(dy_story_ctx *s)
{
    for (size_t a = 0; a < s->nev; a++) {
        if (s->ev[a].dropped) continue;
        for (size_t b = a + 1; b < s->nev; b++)
            if (!s->ev[b].dropped) fold(s, &s->ev[a], &s->ev[b]);
    }
}
