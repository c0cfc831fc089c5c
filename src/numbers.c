/*
 * numbers.c — the numbers stage: figures and number words ("seven", "1,200", "a dozen",
 * "hundreds", "at least 12", "between 5 and 10") and what they count: the dead, the injured,
 * the arrested, a crowd. Each count is attached to the event it belongs to — one whose
 * sentences include it, else the nearest event of a fitting kind — and repeated reports of
 * the same victims are counted once (the largest figure stands, not the sum).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "numbers.h"

static size_t low(const dy_story_ctx *s, uint32_t i, char *buf, size_t cap)
{
    const dy_token *t = &s->seg.tok[i];
    size_t n = 0;
    for (uint32_t k = 0; k < t->len && n + 1 < cap; k++) buf[n++] = (char)dy_tolower((unsigned char)s->text[t->start + k]);
    buf[n] = 0;
    return n;
}

static int word(const dy_story_ctx *s, uint32_t i, uint32_t end, const char *w)
{
    return i < end && dy_tok_reads(s->text, &s->seg.tok[i], w);
}

/* The first letter of token i in lower case (0 for an empty token): a quick no before the
 * word comparisons run over every token. */
static char first_letter(const dy_story_ctx *s, uint32_t i)
{
    const dy_token *t = &s->seg.tok[i];
    return t->len ? (char)dy_tolower((unsigned char)s->text[t->start]) : 0;
}

static int word_in(const dy_story_ctx *s, uint32_t i, uint32_t end, const char *const *list)
{
    if (i >= end) return 0;
    char c0 = first_letter(s, i); /* words that start otherwise are not compared */
    for (int k = 0; list[k]; k++)
        if (list[k][0] == c0 && dy_tok_reads(s->text, &s->seg.tok[i], list[k])) return 1;
    return 0;
}

static const char *const units[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", NULL};
static const char *const tens[] = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", NULL};

/* Value of a number word or hyphenated compound ("twenty-five"); -1 if none. */
static long word_value(const char *w)
{
    if (!strchr("otfsenzh", w[0])) return -1; /* no number word starts otherwise */
    for (int k = 0; units[k]; k++)
        if (units[k][0] == w[0] && !strcmp(w, units[k])) return k;
    for (int k = 2; tens[k]; k++) {
        if (tens[k][0] != w[0]) continue;
        size_t n = strlen(tens[k]);
        if (!strncmp(w, tens[k], n)) {
            if (!w[n]) return 10L * k;
            if (w[n] == '-')
                for (int u = 1; u < 10; u++)
                    if (!strcmp(w + n + 1, units[u])) return 10L * k + u;
        }
    }
    return -1;
}

/* The first two letters (lower case) of every number word and of every vague plural. */
static const char number_pairs[] = "zeontwthfofisiseeiniteeldo", vague_pairs[] = "doschuthmite";

/* The same pairs as bits: pair_bits[list][a - 'a'] has bit b - 'a' for the pair "ab" (list 0:
 * number_pairs, 1: vague_pairs); built once per process (dy_numbers_find). */
static uint32_t pair_bits[2][26];
static pthread_once_t pair_once = PTHREAD_ONCE_INIT;
static void pair_build(void)
{
    const char *lists[2] = {number_pairs, vague_pairs};
    for (int l = 0; l < 2; l++)
        for (const char *p = lists[l]; *p; p += 2) pair_bits[l][p[0] - 'a'] |= 1u << (p[1] - 'a');
}

/* Whether token t (of 3 letters or more) starts with one of the letter pairs of list (0:
 * number_pairs, 1: vague_pairs). */
static int starts_with_pair(const dy_story_ctx *s, const dy_token *t, int list)
{
    if (t->len < 3) return 0;
    char a = (char)dy_tolower((unsigned char)s->text[t->start]), b = (char)dy_tolower((unsigned char)s->text[t->start + 1]);
    if (a < 'a' || a > 'z' || b < 'a' || b > 'z') return 0; /* the pairs are of letters */
    return pair_bits[list][a - 'a'] >> (b - 'a') & 1;
}

/* Parses a number at token i: digits with thousands separators or a decimal, number words,
 * "a dozen", with "hundred/thousand/million" multipliers. Sets *next past it; -1 if none. */
static long number_at(const dy_story_ctx *s, uint32_t i, uint32_t end, uint32_t *next)
{
    if (i >= end) return -1;
    const dy_token *t = &s->seg.tok[i];
    if (!(t->flags & (TK_NUM | TK_WORD)) || t->len > 14) return -1;
    /* a number word ("zero" to "ninety", "dozen") starts with one of these letter pairs; most
     * tokens stop here */
    if (!(t->flags & TK_NUM) && !starts_with_pair(s, t, 0)) return -1;
    char b[40];
    low(s, i, b, sizeof b);
    double v = -1;
    uint32_t j = i + 1;
    if (t->flags & TK_NUM) {
        v = 0;
        double frac = 0, scale = 1;
        int dot = 0;
        for (size_t k = 0; b[k]; k++) {
            if (dy_isdigit(b[k])) {
                if (dot) frac += (b[k] - '0') * (scale /= 10);
                else v = v * 10 + (b[k] - '0');
            } else if (b[k] == ',' && !dot) continue;
            else if (b[k] == '.' && !dot) dot = 1;
            else return -1;
        }
        v += frac;
        /* "1,200" may be split by the tokeniser: 1 , 200 */
        while (j + 1 < end && s->text[s->seg.tok[j].start] == ',' && s->seg.tok[j].len == 1 &&
               (s->seg.tok[j + 1].flags & TK_NUM) && s->seg.tok[j + 1].len == 3) {
            v = v * 1000 + atof(s->text + s->seg.tok[j + 1].start);
            j += 2;
        }
    } else if (!strcmp(b, "dozen") && i > 0 && (word(s, i - 1, end, "a") || word(s, i - 1, end, "one")))
        v = 12;
    else {
        long w = word_value(b);
        if (w < 0) return -1;
        v = (double)w;
    }
    for (;;) {
        if (word(s, j, end, "hundred")) v *= 100;
        else if (word(s, j, end, "thousand")) v *= 1000;
        else if (word(s, j, end, "million")) v *= 1e6;
        else if (word(s, j, end, "dozen")) v *= 12;
        else break;
        j++;
    }
    *next = j;
    return v > 1e9 ? -1 : (long)v;
}

/* Vague plurals: "hundreds", "dozens", "thousands", "scores", "tens of thousands". */
static long vague_at(const dy_story_ctx *s, uint32_t i, uint32_t end, uint32_t *next)
{
    const dy_token *t0 = &s->seg.tok[i];
    if (t0->len < 4 || !(t0->flags & TK_WORD) || !starts_with_pair(s, t0, 1)) return -1;
    static const struct { const char *w; long v; } v[] = {
        {"dozens", 24}, {"scores", 40}, {"hundreds", 200}, {"thousands", 2000}, {"millions", 2000000}, {NULL, 0}};
    if (word(s, i, end, "tens") && word(s, i + 1, end, "of") && word(s, i + 2, end, "thousands")) {
        *next = i + 3;
        return 20000;
    }
    for (int k = 0; v[k].w; k++)
        if (word(s, i, end, v[k].w)) {
            *next = i + 1;
            return v[k].v;
        }
    return -1;
}

static const char *const dead_words[] = {"killed", "dead", "died", "die", "slain", "deaths", "death", "executed", "massacred", "murdered", "lives",
    "succumbed", NULL};
static const char *const injured_words[] = {"injured", "wounded", "hurt", "injuries", "injuring", "wounding", "maimed", NULL};
static const char *const arrested_words[] = {"arrested", "detained", "arrests", "detentions", "arresting", "detaining", "jailed", "captured", NULL};
static const char *const killing_words[] = {"killing", "killed", "kill", "kills", "murdered", "murdering", "lynched",
    "lynching", "beheaded", "beheading", NULL};
/* Gerunds that open a clause of their own ("killing 12 and wounding 30"): a number after one is
 * its object; a number before one is not counted by it. */
static const char *const casualty_gerunds[] = {"killing", "wounding", "injuring", "arresting", "detaining", NULL};
/* Nouns for one person, which "a" or "an" counts as one ("a soldier was killed"). */
static const char *const person_nouns[] = {"man", "woman", "child", "boy", "girl", "person", "soldier",
    "policeman", "policewoman", "officer", "civilian", "student", "journalist", "farmer", "worker",
    "teacher", "doctor", "nurse", "priest", "militant", "rebel", "fighter", "protester", "demonstrator",
    "guard", "driver", "resident", "villager", "pilgrim", "trader", "shopkeeper", "teenager", "youth",
    "baby", "infant", "constable", "trooper", "commander", "leader", "official", "activist", "supporter", "son",
    "daughter", "husband", "wife", "brother", "sister", "father", "mother", NULL};
/* Plural nouns for victims, which without a figure still count at least two dead ("people
 * were killed in the firing", "more members of the community died"). */
static const char *const victim_plurals[] = {"people", "persons", "members", "civilians", "villagers", "protesters",
    "demonstrators", "residents", "victims", "women", "children", "men", "youths", "workers", "activists",
    "supporters", "students", "pilgrims", "passengers", "policemen", "soldiers", NULL};
static const char *const crowd_nouns[] = {"protesters", "protestors", "demonstrators", "people", "supporters", "students",
    "workers", "marchers", "activists", "residents", "women", "farmers", "mourners", "opponents", "followers", NULL};

/* Whether the words ending at p kill their object: a killing word, "shot dead", "gunned down",
 * "fatally shot" ("shot down" is not: its object is mostly an aircraft). */
static int kills_before(const dy_story_ctx *s, uint32_t p, uint32_t b, uint32_t end)
{
    if (p > b && (word(s, p - 1, end, "nearly") || word(s, p - 1, end, "almost"))) return 0; /* "nearly lynched" */
    if (word_in(s, p, end, killing_words)) return 1;
    if (p <= b) return 0;
    if (word(s, p, end, "dead") && word(s, p - 1, end, "shot")) return 1;
    if (word(s, p, end, "down") && word(s, p - 1, end, "gunned")) return 1;
    return word(s, p - 1, end, "fatally") && (word(s, p, end, "shot") || word(s, p, end, "stabbed"));
}

/* The kind of a casualty word at i, or 0. */
static int kind_at(const dy_story_ctx *s, uint32_t i, uint32_t end)
{
    /* "Black Lives Matter": a capitalised "Lives" inside a sentence is a name's */
    if (word(s, i, end, "lives") && i > 0 && dy_isupper((unsigned char)s->text[s->seg.tok[i].start]) &&
        !(s->seg.tok[i - 1].flags & TK_PUNCT))
        return 0;
    if (word_in(s, i, end, dead_words)) return DY_N_DEAD;
    /* "two suicide bombers blew themselves up": they died */
    if (i > 0 && word(s, i, end, "themselves") && (word(s, i - 1, end, "blew") || word(s, i - 1, end, "blow")) &&
        word(s, i + 1, end, "up"))
        return DY_N_DEAD;
    if (word_in(s, i, end, injured_words)) return DY_N_INJURED;
    if (word_in(s, i, end, arrested_words)) return DY_N_ARRESTED;
    return 0;
}

static int add(dy_count *c, size_t *n, size_t cap, uint32_t sent, uint32_t first, uint32_t last, int kind, long value,
               long max, int qual)
{
    if (*n >= cap) return 0;
    dy_count *x = &c[(*n)++];
    x->sent = sent;
    x->first = first;
    x->last = last;
    x->kind = (uint8_t)kind;
    x->value = value;
    x->max = max;
    x->qual = (uint8_t)qual;
    return 1;
}

/* The qualifier words before a number at i ("at least", "more than", "about", "up to"). */
static int qualifier_before(const dy_story_ctx *s, uint32_t i, uint32_t begin, uint32_t *start)
{
    *start = i;
    if (i >= begin + 2 && word(s, i - 2, i, "at") && (word(s, i - 1, i, "least"))) return *start = i - 2, DY_Q_AT_LEAST;
    if (i >= begin + 2 && (word(s, i - 2, i, "more") || word(s, i - 2, i, "over")) && word(s, i - 1, i, "than"))
        return *start = i - 2, DY_Q_MORE_THAN;
    if (i >= begin + 2 && word(s, i - 2, i, "up") && word(s, i - 1, i, "to")) return *start = i - 2, DY_Q_UP_TO;
    if (i >= begin + 1) {
        static const char *const about[] = {"about", "around", "nearly", "almost", "some", "approximately", "roughly",
                                            "an", "estimated", NULL};
        static const char *const over[] = {"over", NULL};
        if (word_in(s, i - 1, i, about)) return *start = i - 1, DY_Q_ABOUT;
        if (word_in(s, i - 1, i, over)) return *start = i - 1, DY_Q_MORE_THAN;
    }
    return DY_Q_EXACT;
}

int dy_numbers_find(dy_story_ctx *s, dy_count **out, size_t *nout)
{
    pthread_once(&pair_once, pair_build);
    const dy_segmented *g = &s->seg;
    size_t cap = 64, n = 0;
    dy_count *c = dy_arena_alloc(s->a, cap * sizeof *c);
    if (!c) return -1;
    for (size_t si = 0; si < g->nsent; si++) {
        uint32_t b = g->sent[si].first, end = b + g->sent[si].count;
        for (uint32_t i = b; i < end; i++) {
            uint32_t j = i, start;
            long v = number_at(s, i, end, &j), max = -1;
            int vague = 0, one = 0;
            if (v < 0 && (v = vague_at(s, i, end, &j)) >= 0) vague = 1;
            /* "a soldier was killed", "killing a (senior al-Qaeda) leader", "killed her son",
             * "wounded her husband": one. Whether a kill or a hurt comes before is asked only
             * of the words that can start such a phrase (most tokens are neither) */
            static const char *const hurting[] = {"wounded", "injured", "wounding", "injuring", NULL};
            int after_kill = 0, after_hurt = 0, art = 0, poss = 0;
            if (v < 0) {
                char c0 = first_letter(s, i);
                art = c0 == 'a' && (word(s, i, end, "a") || word(s, i, end, "an"));
                poss = c0 == 'h' && (word(s, i, end, "her") || word(s, i, end, "his"));
                if ((art || poss) && i > b) {
                    after_kill = kills_before(s, i - 1, b, end);
                    after_hurt = !after_kill && word_in(s, i - 1, end, hurting);
                }
            }
            if (art || (poss && (after_kill || after_hurt))) {
                uint32_t h = i + 1;
                while (h + 1 < end && h < i + (after_kill || after_hurt ? 4 : 2) && !word_in(s, h, end, person_nouns) &&
                       (g->tok[h].flags & TK_WORD))
                    h++;
                if (word_in(s, h, end, person_nouns)) v = 1, one = 1, j = h + 1;
            }
            if (v < 0) continue;
            /* "no one was killed": none, counted below */
            if (v == 1 && i > b && word(s, i - 1, end, "no")) continue;
            /* years, times and money are not counts of people */
            if (!vague && v >= 1900 && v <= 2100 && !(j < end && word_in(s, j, end, crowd_nouns))) { i = j - 1; continue; }
            if (j < end && (word(s, j, end, "%") || word(s, j, end, "percent") || word(s, j, end, "dollars") ||
                            word(s, j, end, "years") || word(s, j, end, "days") || word(s, j, end, "km") ||
                            word(s, j, end, "miles") || word(s, j, end, "hours")))
                { i = j - 1; continue; }
            /* "a dozen" begins at its article */
            uint32_t at = i;
            if (word(s, i, end, "dozen") && i > b && (word(s, i - 1, end, "a") || word(s, i - 1, end, "one"))) at = i - 1;
            int q = vague ? DY_Q_AT_LEAST : qualifier_before(s, at, b, &start);
            if (vague) start = i;
            /* ranges: "between 5 and 10", "5 to 10" */
            uint32_t k2;
            if (!vague && j < end && (word(s, j, end, "to") || word(s, j, end, "and") || word(s, j, end, "-")) &&
                (max = number_at(s, j + 1, end, &k2)) > v) {
                if (word(s, j, end, "and") && !(i > b && word(s, i - 1, end, "between"))) max = -1;
                else {
                    q = DY_Q_RANGE;
                    if (i > b && word(s, i - 1, end, "between")) start = i - 1;
                    j = k2;
                }
            }
            if (q != DY_Q_RANGE) max = -1;
            /* "hundreds of protesters", "a crowd of 5,000" */
            uint32_t k = j;
            if (word(s, k, end, "of")) k++;
            for (int adj = 0; adj < 2 && k + 1 < end && !word_in(s, k, end, crowd_nouns) &&
                              (g->tok[k].flags & TK_WORD) && (word_in(s, k + 1, end, crowd_nouns) || adj == 0); adj++)
                if (word_in(s, k + 1, end, crowd_nouns) || word_in(s, k + 2, end, crowd_nouns)) k++;
            /* "killed six displaced people", "shot dead two aid workers": victims, not a crowd */
            int struck = start > b && (word_in(s, start - 1, end, killing_words) || word_in(s, start - 1, end, casualty_gerunds) ||
                                       word(s, start - 1, end, "dead") || word(s, start - 1, end, "wounded") ||
                                       word(s, start - 1, end, "injured"));
            if (!struck && word_in(s, k, end, crowd_nouns) &&
                (vague || k > j || (start > b && word(s, start - 1, end, "of") && start >= b + 2 && word(s, start - 2, end, "crowd")))) {
                /* a crowd unless the same phrase goes on to die or be hurt */
                int casualty = 0;
                for (uint32_t t = k + 1; t < end && t < k + 5; t++)
                    if (kind_at(s, t, end)) casualty = kind_at(s, t, end);
                if (!casualty) {
                    add(c, &n, cap, (uint32_t)si, start, k + 1, DY_N_CROWD, v, max, q);
                    i = k;
                    continue;
                }
            }
            /* "killing at least 12", "killed 12 people", "shot dead two": the casualty word
             * right before the number comes first */
            int kind = 0;
            uint32_t t = j;
            if (start > b) {
                uint32_t p = start - 1; /* right before it: "killed and three wounded" is not */
                if (p > b && (word(s, p, end, "his") || word(s, p, end, "her") || word(s, p, end, "their"))) p--; /* "killed his two sons" */
                if (kills_before(s, p, b, end)) kind = DY_N_DEAD;
            }
            /* "N (victims) (were) killed": a casualty word within 10 tokens after, not past the
             * clause a gerund opens ("... and wounding 30"); "a soldier" counts only as the
             * subject of its own casualty ("a soldier was killed", "a man died") */
            if (!kind && (!one || word(s, j, end, "was") || word(s, j, end, "died") || word(s, j, end, "is")))
                for (uint32_t lim = (t = j) + (one ? 4 : 10); t < end && t < lim; t++) {
                    if (word(s, t, end, ",") && word(s, t + 1, end, "killing") && word(s, t + 2, end, "themselves")) {
                        kind = DY_N_DEAD; /* "two bombers detonated explosives, killing themselves" */
                        t += 2;
                        break;
                    }
                    if (word(s, t, end, ",")) {
                        /* "30 people, including 11 children, were killed", "six rangers, famous
                         * for ..., were killed": past the inserted phrase to the verb */
                        uint32_t u = t + 1;
                        while (u < end && u < t + 12 && !(g->tok[u].flags & TK_PUNCT)) u++;
                        static const char *const aux[] = {"were", "was", "have", "has", "had", NULL};
                        if (word(s, u, end, ",") && (word(s, t + 1, end, "including") ||
                                                     (word_in(s, u + 1, end, aux) &&
                                                      (kind_at(s, u + 2, end) || kind_at(s, u + 3, end))))) {
                            lim += u - t + 3; /* the phrase and its verb */
                            t = u;
                            continue;
                        }
                    }
                    if ((g->tok[t].flags & TK_PUNCT) && s->text[g->tok[t].start] != '-') break;
                    if (word_in(s, t, end, casualty_gerunds)) break;
                    if ((kind = kind_at(s, t, end))) break;
                }
            if (!kind && one && after_hurt) kind = DY_N_INJURED, t = j;
            if (!kind && one) { i = j - 1; continue; }
            /* bombers who blew themselves up are dead, but a toll of their victims told beside
             * them is the toll reported: theirs stands only alone (implied) */
            if (kind == DY_N_DEAD && word(s, t, end, "themselves")) q = DY_Q_IMPLIED;
            /* the other casualty words before the number */
            if (!kind && start > b) {
                uint32_t p = start - 1;
                /* "were killed and eight are missing": a number with a verb of its own is not
                 * the object of the casualty word before "and" */
                static const char *const own_verb[] = {"are", "were", "is", "was", "remain", "remained", "have", "had", NULL};
                if (word(s, p, end, "and") && p > b && !word_in(s, j, end, own_verb)) p--;
                if (word(s, p, end, "themselves") && p > b) p--; /* "killing themselves and 12 shoppers" */
                if (kills_before(s, p, b, end)) kind = DY_N_DEAD;
                else if (word(s, p, end, "injuring") || word(s, p, end, "wounding") || word(s, p, end, "injured") ||
                         word(s, p, end, "wounded"))
                    kind = DY_N_INJURED;
                else if (word(s, p, end, "arrested") || word(s, p, end, "detained") || word(s, p, end, "arresting"))
                    kind = DY_N_ARRESTED;
                else if ((word(s, p, end, "to") || word(s, p, end, "at") || word(s, p, end, "of")) && p >= b + 2 &&
                         word(s, p - 1, end, "rose") + word(s, p - 1, end, "toll") + word(s, p - 2, end, "toll"))
                    kind = DY_N_DEAD; /* "the death toll rose to 30" */
                t = j;
            }
            if (kind) add(c, &n, cap, (uint32_t)si, start, t + 1 > j ? t + 1 : j, kind, v, max, q);
            i = j > i ? j - 1 : i;
        }
        /* no figure: "the people killed in the police firing", "more members of the minority
         * community died": a plural of victims right before the verb (its helpers and "who"
         * between) is at least two dead, when the sentence states no figure for its dead */
        int figured = 0;
        for (size_t k = 0; k < n; k++) figured |= c[k].sent == si && c[k].kind == DY_N_DEAD;
        for (uint32_t i = b + 1; !figured && i < end; i++) {
            char c0 = first_letter(s, i); /* "killed", "died", "die": most words start otherwise */
            if ((c0 != 'k' || !word(s, i, end, "killed")) &&
                (c0 != 'd' || (!word(s, i, end, "died") && !word(s, i, end, "die"))))
                continue;
            uint32_t p = i;
            while (p > b && (word(s, p - 1, end, "who") || word(s, p - 1, end, "were") || word(s, p - 1, end, "had") ||
                             word(s, p - 1, end, "have") || word(s, p - 1, end, "been") || word(s, p - 1, end, "being")))
                p--;
            if (p > b && word_in(s, p - 1, end, victim_plurals) &&
                !(p > b + 1 && (word(s, p - 2, end, "no") || word(s, p - 2, end, "any")))) {
                add(c, &n, cap, (uint32_t)si, p - 1, i + 1, DY_N_DEAD, 2, -1, DY_Q_AT_LEAST);
                figured = 1;
            }
        }
        /* zero: "no one was killed", "no casualties", "unharmed" */
        for (uint32_t i = b; i < end; i++) {
            char c0 = first_letter(s, i); /* each word below starts with n or u */
            if (c0 != 'n' && c0 != 'u') continue;
            if ((word(s, i, end, "no") && (word(s, i + 1, end, "one") || word(s, i + 1, end, "casualties") ||
                                            word(s, i + 1, end, "deaths") || word(s, i + 1, end, "injuries"))) ||
                word(s, i, end, "nobody")) {
                int kind = word(s, i + 1, end, "deaths") || word(s, i + 1, end, "casualties") ? DY_N_DEAD
                         : word(s, i + 1, end, "injuries") ? DY_N_INJURED : 0;
                for (uint32_t t = i + 1; !kind && t < end && t < i + 5; t++) kind = kind_at(s, t, end);
                if (kind == DY_N_DEAD || kind == DY_N_INJURED) add(c, &n, cap, (uint32_t)si, i, i + 2, kind, 0, -1, DY_Q_EXACT);
            } else if (word(s, i, end, "unharmed") || word(s, i, end, "unhurt") || word(s, i, end, "unscathed")) {
                add(c, &n, cap, (uint32_t)si, i, i + 1, DY_N_DEAD, 0, -1, DY_Q_IMPLIED);
            }
        }
    }
    *out = c;
    *nout = n;
    return 0;
}

/* Whether an event of this CAMEO code can carry counts of this kind: in its own sentence
 * (near) a wider set of kinds fits than from another sentence. */
static int fits(const dy_event *e, int kind, int near)
{
    if (e->cameo->opaque) return 0;
    int root = dy_cameo_root(e->cameo);
    switch (kind) {
    case DY_N_DEAD:
    /* an arrest kills no one: the dead told beside one are the crime's ("arrested over the
     * riots, which claimed 12 lives") */
    case DY_N_INJURED: return root >= 18 || (near && (root == 14 || (root == 17 && strncmp(e->cameo->code, "173", 3))));
    case DY_N_ARRESTED: return root == 17 || (near && (root == 14 || root >= 18));
    case DY_N_CROWD: return root == 14;
    }
    return 0;
}

static int in_event(const dy_event *e, uint32_t sent)
{
    for (uint8_t k = 0; k < e->nsent; k++)
        if (e->sents[k] == sent) return 1;
    return 0;
}

/* Whether a count's phrase ("12 people were killed") holds the event's anchor. */
static int holds(const dy_count *c, const dy_event *e)
{
    return e->anchor >= c->first && e->anchor < c->last;
}

void dy_numbers_attach(dy_story_ctx *s, const dy_count *c, size_t n)
{
    for (size_t k = 0; k < s->nev; k++) memset(s->ev[k].size, 0, sizeof s->ev[k].size);
    for (size_t i = 0; i < n; i++) {
        /* the event whose sentences hold it, else the nearest fitting event */
        long best = -1;
        uint32_t dist = UINT32_MAX;
        for (size_t k = 0; k < s->nev; k++) {
            const dy_event *e = &s->ev[k];
            if (e->dropped || !fits(e, c[i].kind, in_event(e, c[i].sent))) continue;
            uint32_t d = UINT32_MAX;
            if (in_event(e, c[i].sent)) d = 0;
            else
                for (uint8_t j = 0; j < e->nsent; j++) {
                    uint32_t dd = e->sents[j] > c[i].sent ? e->sents[j] - c[i].sent : c[i].sent - e->sents[j];
                    if (dd + 1 < d) d = dd + 1;
                }
            /* in the same sentence, the event whose verb the figure's own phrase holds ("six
             * were injured in police firing, 12 were killed by the rioters": the 12 are the
             * rioters', told with "killed") */
            if (d == 0 && d == dist && best >= 0 && holds(&c[i], e) && !holds(&c[i], &s->ev[best])) best = (long)k;
            if (d < dist) dist = d, best = (long)k;
        }
        if (best < 0 || (c[i].qual == DY_Q_IMPLIED && dist > 0)) continue;
        dy_size *z = &s->ev[best].size[c[i].kind];
        /* the same victims told twice are counted once: the figure from the event's own
         * sentences stands over one from elsewhere, and of those the largest */
        if (z->set && c[i].qual == DY_Q_IMPLIED) continue;
        if (z->set && dist > z->dist && z->qual != DY_Q_IMPLIED) continue;
        if (!z->set || dist < z->dist || c[i].value > z->value ||
            (z->qual == DY_Q_IMPLIED && c[i].qual != DY_Q_IMPLIED)) {
            z->dist = dist;
            z->set = 1;
            z->value = c[i].value;
            z->max = c[i].max;
            z->qual = c[i].qual;
            z->first = c[i].first;
            z->last = c[i].last;
        }
    }
}

const char *dy_qualifier_name(int q)
{
    switch (q) {
    case DY_Q_AT_LEAST: return "at_least";
    case DY_Q_MORE_THAN: return "more_than";
    case DY_Q_ABOUT: return "about";
    case DY_Q_UP_TO: return "up_to";
    case DY_Q_RANGE: return "range";
    case DY_Q_IMPLIED: return "implied";
    }
    return "exact";
}
