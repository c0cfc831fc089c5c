/*
 * segment.c — the segment stage: normalised story text -> tokens, sentences and quotations.
 * Two linear passes: the lexer cuts the text into tokens (words keep inner - ' . and digit
 * separators; a possessive 's is split off; an abbreviation keeps its period), then the
 * splitter walks the tokens once, deciding each sentence end from the token before and the
 * token after it, and toggling quotation state on each '"'. Nothing is ever rescanned.
 */
#include "segment.h"

#include <stdint.h>
#include <string.h>

/* ==== scratch fields =======================================================================
 * While segmenting, a token's form field holds what the lexer saw before it and what kind of
 * abbreviation it is, and its lemma field holds the length of the all-caps run starting at
 * it. Both are cleared before dy_segment returns (the lexicon fills them later). */
#define G_SPACE 1u /* white space before the token */
#define G_NL 2u    /* a line break before the token (or the token starts the text) */
#define G_PARA 4u  /* a paragraph break before the token (or the token starts the text) */
#define G_BLANK 8u /* a blank line (perhaps of blanks) before the token */
#define A_SHIFT 4
enum abbr_kind {
    A_NONE = 0,  /* not an abbreviation */
    A_TITLE = 1, /* Mr. Gen. Sen. vs.: never ends a sentence */
    A_AMBIG = 2, /* U.S. Inc. Jan. J.: ends one only before a typical sentence opener */
    A_ETC = 3    /* etc.: ends one before any capitalised word */
};
#define GAP(t) ((t).form & 15u)
#define ABBR(t) ((t).form >> A_SHIFT)

/* ==== characters ============================================================================ */

/* Whether code point cp (>= 0x80, or -1 for an invalid byte) belongs in a word. Letters of
 * every script do; general punctuation, symbols, currency signs, arrows and emoji do not.
 * Invalid bytes and U+FFFD do, so a damaged word stays one word. */
static int cp_is_letter(int32_t cp)
{
    if (cp < 0 || cp == 0xFFFD) return 1;
    if (cp < 0xC0) return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
    if (cp < 0x2000) return cp != 0xD7 && cp != 0xF7;
    if (cp < 0x2C00) return 0; /* punctuation, symbols, arrows, maths, boxes, dingbats */
    if (cp < 0x2E00) return 1;
    if (cp < 0x3040) return 0; /* supplemental and CJK punctuation */
    if (cp < 0xD800) return 1;
    if (cp < 0xF900) return 0; /* private use */
    if (cp < 0xFE00) return 1;
    if (cp < 0xFE70) return 0; /* variation selectors, small and vertical forms */
    if (cp < 0xFF00) return cp != 0xFEFF;
    if (cp < 0x10000)
        return (cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
               (cp >= 0xFF41 && cp <= 0xFF5A) || (cp >= 0xFF66 && cp <= 0xFFDC);
    if (cp < 0x1F000) return 1;
    if (cp < 0x20000) return 0; /* emoji and pictographs */
    return 1;
}

/* 1 if cp is an upper-case letter, 2 if lower case, 0 if neither or unknown. Covers ASCII,
 * Latin-1, Latin Extended-A, Greek and Cyrillic, which is what English news carries. */
static int cp_case(int32_t cp)
{
    if (cp < 0x80) return dy_isupper(cp) ? 1 : dy_islower(cp) ? 2 : 0;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return 1;
    if (cp >= 0xDF && cp <= 0xFF && cp != 0xF7) return 2;
    if (cp >= 0x100 && cp <= 0x17F) {
        int odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
        if (cp == 0x138 || cp == 0x149 || cp == 0x17F) return 2;
        return ((cp & 1) != 0) == odd_upper ? 1 : 2;
    }
    if (cp >= 0x391 && cp <= 0x3AB) return 1;
    if (cp >= 0x3AC && cp <= 0x3CE) return 2;
    if (cp >= 0x400 && cp <= 0x42F) return 1;
    if (cp >= 0x430 && cp <= 0x45F) return 2;
    return 0;
}

/* Length of the word character (letter or digit, any script) at s[i], or 0 if there is none;
 * its code point in *cpo. ASCII is answered inline (the tokeniser asks about most bytes). */
static size_t word_char_utf8(const unsigned char *s, size_t n, size_t i, int32_t *cpo);
static inline __attribute__((always_inline)) size_t word_char(const unsigned char *s, size_t n, size_t i, int32_t *cpo)
{
    if (i >= n) return 0;
    if (s[i] < 0x80) {
        *cpo = s[i];
        return dy_isalnum(s[i]) ? 1 : 0;
    }
    return word_char_utf8(s, n, i, cpo);
}
/* word_char beyond ASCII: a UTF-8 letter of any script */
static size_t word_char_utf8(const unsigned char *s, size_t n, size_t i, int32_t *cpo)
{
    int32_t cp;
    int k = dy_utf8_decode(s + i, n - i, &cp);
    *cpo = cp;
    return cp_is_letter(cp) ? (size_t)k : 0;
}

/* ==== word lists ============================================================================ */

/* Whether t[0..n) is one of the NULL-terminated words in list (exact, case-sensitive). */
static int in_list(const char *const *list, const unsigned char *t, size_t n)
{
    if (!n) return 0; /* (no word is empty) */
    for (; *list; list++) /* the first byte rules out nearly every word before a strlen */
        if ((unsigned char)(*list)[0] == t[0] && strlen(*list) == n && memcmp(*list, t, n) == 0) return 1;
    return 0;
}

/* Abbreviations that take a period. */
static const char *const title_abbr[] = {
    "Mr", "Mrs", "Ms", "Dr", "Gen", "Col", "Lt", "Sgt", "Capt", "Maj", "Adm", "Gov", "Sen",
    "Rep", "Prof", "Rev", "Hon", "Pres", "Cmdr", "Cdr", "Brig", "Supt", "Insp", "Det", "Mt",
    "Ft", "Messrs", "Msgr", "Gens", "Reps", "Sens", "Lieut", "Cpl", "Pvt", "vs", "v", "Vs", NULL};
static const char *const ambig_abbr[] = {
    "St", "Jr", "Sr", "Inc", "Ltd", "Co", "Corp", "Bros", "Jan", "Feb", "Mar", "Apr", "Jun",
    "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Ave", "Blvd", "Dept", "Univ", "Assn",
    "approx", "est", NULL};
static const char *const etc_abbr[] = {"etc", "al", NULL};

/* Capitalised words that typically open a sentence: after an ambiguous abbreviation
 * ("in the U.S. The next day") they mark a sentence end, while a name does not ("U.S. Army"). */
static const char *const openers[] = {
    "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "This", "That", "These",
    "Those", "There", "Their", "His", "Her", "Its", "Our", "My", "Your", "But", "And", "Or",
    "So", "Yet", "In", "On", "At", "As", "For", "From", "With", "By", "To", "Of", "After",
    "Before", "During", "While", "When", "Where", "Why", "How", "What", "Who", "Which", "If",
    "Although", "Though", "However", "Meanwhile", "Also", "Some", "Many", "Most", "Several",
    "Both", "All", "Each", "Every", "No", "Not", "Nor", "One", "Then", "Now", "Since", "Until",
    "Despite", "Earlier", "Later", "Last", "Yesterday", "Today", "Officials", "According",
    "Such", "Other", "Another", "Under", "Over", "Among", "Against", "Without", "Because",
    "Still", "Instead", "Thus", "Here", "Police", "Authorities", NULL};

/* Words whose 's is a contraction ("it's", "that's"), not a possessive. */
static const char *const not_possessive[] = {
    "it", "he", "she", "that", "there", "what", "who", "where", "here", "let", "how", "when",
    "why", "It", "He", "She", "That", "There", "What", "Who", "Where", "Here", "Let", "How",
    "When", "Why", NULL};

/* ==== lexer ================================================================================= */

struct lexer {
    const unsigned char *s;
    size_t n;
    dy_token *out; /* the tokens so far (in the arena) */
    size_t ntok;
    size_t cap;    /* room in out; full: a twice larger array (old ones stay in the arena) */
    dy_arena *a;
    int failed;    /* the arena could not grow out */
};

/* Makes room for more tokens: twice as many (so one pass, linear in all). */
static void grow(struct lexer *lx)
{
    if (dy_arena_grow(lx->a, (void **)&lx->out, &lx->cap, lx->ntok, sizeof *lx->out, 64)) lx->failed = 1;
}

/* Adds a token (inline: one per word and mark of the text). */
static inline __attribute__((always_inline)) void emit(struct lexer *lx, size_t start, size_t len, unsigned flags,
                                                       unsigned form)
{
    if (lx->ntok == lx->cap && !lx->failed) grow(lx);
    if (!lx->failed) {
        dy_token *t = &lx->out[lx->ntok];
        t->start = (uint32_t)start;
        t->len = (uint32_t)len;
        t->form = form;
        t->lemma = 0;
        t->flags = (uint16_t)flags;
        t->quote = 0;
    }
    lx->ntok++;
}

/* What kind of abbreviation the word s[0..n) is when a period follows it; dotted says that
 * it is letters separated by periods, no piece longer than two (U.S, a.m, Ph.D). next is the
 * byte position after the period. */
static int abbr_kind(struct lexer *lx, size_t start, size_t n, int dotted, size_t next)
{
    const unsigned char *w = lx->s + start;
    if (dotted) return A_AMBIG;
    if (n == 1 && dy_isupper(w[0])) return A_AMBIG; /* an initial */
    if (n > 6) return A_NONE;
    if (in_list(title_abbr, w, n)) return A_TITLE;
    if (in_list(ambig_abbr, w, n)) return A_AMBIG;
    if (in_list(etc_abbr, w, n)) return A_ETC;
    if ((n == 2 && (memcmp(w, "No", 2) == 0 || memcmp(w, "no", 2) == 0)) ||
        (n == 3 && memcmp(w, "Nos", 3) == 0)) {
        /* "No. 5" only: "said no." ends a sentence */
        while (next < lx->n && (lx->s[next] == ' ' || lx->s[next] == '\t')) next++;
        return next < lx->n && dy_isdigit(lx->s[next]) ? A_TITLE : A_NONE;
    }
    return A_NONE;
}

/* Scans the word starting at i and emits it, with a split-off possessive and an attached
 * abbreviation period; returns the position after it. */
static size_t lex_word(struct lexer *lx, size_t i, unsigned gap)
{
    const unsigned char *s = lx->s;
    size_t n = lx->n, start = i, seg = 0;
    int upper = 0, lower = 0, first_case = 0, dotted = 1, dots = 0, all_alpha = 1;
    int32_t cp;
    for (;;) {
        if (i == start && i < n && dy_isalnum(s[i])) first_case = dy_isupper(s[i]) ? 1 : dy_islower(s[i]) ? 2 : 0;
        {
            /* the common case, ASCII letters and digits, without a branch per letter */
            unsigned acc = 0;
            size_t j = i;
            while (j < n && dy_isalnum(s[j])) {
                unsigned cls = dy_ctype[s[j]];
                acc |= cls;
                upper += (cls & DY_C_UPPER) != 0;
                j++;
            }
            if (acc & DY_C_LOWER) lower++;
            if (acc & DY_C_DIGIT) all_alpha = 0;
            seg += j - i;
            i = j;
        }
        size_t k = word_char(s, n, i, &cp);
        if (k) {
            int c = cp_case(cp);
            if (c == 1) upper++;
            if (c == 2) lower++;
            if (i == start) first_case = c;
            if (cp < 0x80 && dy_isdigit(cp)) all_alpha = 0;
            i += k;
            seg++;
            continue;
        }
        if (i >= n) break;
        unsigned c = s[i];
        int32_t nx;
        size_t k2 = word_char(s, n, i + 1, &nx);
        if (!k2) break;
        int prev_digit = dy_isdigit(s[i - 1]), next_digit = nx < 0x80 && nx >= 0 && dy_isdigit(nx);
        if (c == '\'') {
            if ((nx == 's' || nx == 'S') && !word_char(s, n, i + 2, &cp)) break; /* possessive */
        } else if (c == '.') {
            if (!(prev_digit && next_digit) && cp_case(nx) == 1 && seg > 2) break; /* "end.The" */
            dots++;
            if (seg > 2) dotted = 0;
            seg = 0;
            i++;
            continue;
        } else if (c == ',' || c == ':') {
            if (!prev_digit || !next_digit) break; /* 10,000 and 10:30 only */
        } else if (c != '-') {
            break;
        }
        i++;
        seg = 0; /* a hyphen or apostrophe also ends a dotted piece */
    }
    size_t len = i - start;
    unsigned flags = dy_isdigit(s[start]) ? TK_NUM : TK_WORD;
    if (flags == TK_WORD) {
        if (first_case == 1) flags |= TK_CAP;
        if (upper >= 2 && !lower) flags |= TK_UPPER;
    }
    if (gap & G_PARA) flags |= TK_PARA;
    unsigned form = gap;
    int poss = 0;

    if (i < n && s[i] == '.' && flags & TK_WORD) {
        int kind = abbr_kind(lx, start, len, dots && dotted && seg <= 2 && all_alpha, i + 1);
        if (kind != A_NONE) {
            flags |= TK_ABBR;
            form |= (unsigned)kind << A_SHIFT;
            len++;
            i++;
        }
    } else if (i + 1 < n && s[i] == '\'' && (s[i + 1] == 's' || s[i + 1] == 'S')) {
        poss = 2; /* the loop stopped before a possessive 's */
    } else if (i < n && s[i] == '\'' && (s[i - 1] == 's' || s[i - 1] == 'S') &&
               !word_char(s, n, i + 1, &cp)) {
        poss = 1; /* protesters' */
    }
    if (poss && !in_list(not_possessive, s + start, len)) flags |= TK_POSS;
    emit(lx, start, len, flags, form);
    if (poss) {
        emit(lx, i, (size_t)poss, poss == 2 ? TK_WORD : TK_PUNCT, 0);
        i += (size_t)poss;
    }
    return i;
}

/* Cuts s[0..n) into tokens, writing them to lx->out unless it is NULL; returns the count. */
static size_t lex(struct lexer *lx)
{
    const unsigned char *s = lx->s;
    size_t n = lx->n, i = 0;
    unsigned gap = G_NL | G_PARA; /* the text starts a line and a paragraph */
    int fresh = 1;                /* only white space since the last line break */
    lx->ntok = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c == '\n') {
            if (fresh && i > 0) gap |= G_PARA | G_BLANK; /* a blank line */
            gap |= G_NL | G_SPACE;
            fresh = 1;
            i++;
            continue;
        }
        if (c <= ' ' || c == 0x7F) { /* space, tab, CR, and stray control bytes */
            if (fresh && i > 0 && (gap & G_NL) && c != '\r') gap |= G_PARA; /* indented line */
            gap |= G_SPACE;
            i++;
            continue;
        }
        fresh = 0;
        int32_t cp;
        size_t k = word_char(s, n, i, &cp);
        if (k) {
            i = lex_word(lx, i, gap);
        } else {
            unsigned flags = TK_PUNCT | (gap & G_PARA ? TK_PARA : 0);
            if (c == '"') flags |= TK_QUOTE;
            if (c >= 0x80) {
                int32_t dummy;
                k = (size_t)dy_utf8_decode(s + i, n - i, &dummy);
            } else {
                k = 1;
            }
            emit(lx, i, k, flags, gap);
            i += k;
        }
        gap = 0;
    }
    return lx->ntok;
}

/* ==== splitter ============================================================================== */

struct splitter {
    const unsigned char *s;
    dy_arena *a;
    dy_token *t;
    size_t nt;
    dy_sentence *sent;
    size_t ns, cap;
    dy_quote *q;
    size_t nq;
    size_t open; /* 1-based index of the open quotation in q, 0 if none */
};

/* Whether token t is the one punctuation byte c. */
static int is_char(const struct splitter *sp, const dy_token *t, char c)
{
    return t->len == 1 && sp->s[t->start] == (unsigned char)c;
}

/* A dash token: '-' (what the normaliser makes of en and em dashes), or a raw en/em dash. */
static int is_dash(const struct splitter *sp, const dy_token *t)
{
    const unsigned char *p = sp->s + t->start;
    return (t->len == 1 && p[0] == '-') ||
           (t->len == 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x93 || p[2] == 0x94));
}

/* A sentence-final mark: . ! ? */
static int is_final(const struct splitter *sp, const dy_token *t)
{
    return (t->flags & TK_PUNCT) && t->len == 1 &&
           (sp->s[t->start] == '.' || sp->s[t->start] == '!' || sp->s[t->start] == '?');
}

static uint16_t quote_no(size_t k) { return (uint16_t)(k > 0xFFFF ? 0xFFFF : k); }

/* Updates quotation state for token i: a '"' opens or closes a quotation; any other token
 * inside one is marked. The marks carry their quotation's number but not TK_INQUOTE. */
static void note_quote(struct splitter *sp, size_t i)
{
    dy_token *t = &sp->t[i];
    if (t->flags & TK_QUOTE) {
        if (sp->open) {
            sp->q[sp->open - 1].close = (uint32_t)i;
            t->quote = quote_no(sp->open);
            sp->open = 0;
        } else {
            sp->q[sp->nq].open = sp->q[sp->nq].close = (uint32_t)i;
            sp->open = ++sp->nq;
            t->quote = quote_no(sp->open);
        }
    } else if (sp->open) {
        t->flags |= TK_INQUOTE;
        t->quote = quote_no(sp->open);
    }
}

/* Whether the line made of tokens [first, end) is a title: it starts a line, does not cross
 * one, lacks final punctuation, and a blank line follows it (end < nt). */
static int is_title(const struct splitter *sp, size_t first, size_t end)
{
    if (!(GAP(sp->t[first]) & G_NL) || !(GAP(sp->t[end]) & G_BLANK)) return 0;
    for (size_t k = first + 1; k < end; k++)
        if (GAP(sp->t[k]) & G_NL) return 0;
    const dy_token *last = &sp->t[end - 1];
    if (last->flags & TK_QUOTE && end - 1 > first) last--;
    unsigned char c = sp->s[last->start + last->len - 1];
    return c != '.' && c != '!' && c != '?';
}

/* Records sentence [first, end) with flags; SENT_PARA comes from its first token. */
static int add_sentence(struct splitter *sp, size_t first, size_t end, unsigned flags)
{
    if (end <= first) return 0;
    if (dy_arena_grow(sp->a, (void **)&sp->sent, &sp->cap, sp->ns, sizeof *sp->sent, 64)) return -1;
    const dy_token *a = &sp->t[first], *b = &sp->t[end - 1];
    if (a->flags & TK_PARA) flags |= SENT_PARA;
    size_t k = end - 1; /* the final mark, looking back over closing quotes and brackets */
    while (k > first && (sp->t[k].flags & TK_PUNCT) &&
           (is_char(sp, &sp->t[k], '"') || is_char(sp, &sp->t[k], ')') ||
            is_char(sp, &sp->t[k], ']') || is_char(sp, &sp->t[k], '\'')))
        k--;
    if ((sp->t[k].flags & TK_PUNCT) && is_char(sp, &sp->t[k], '?')) flags |= SENT_QUESTION;
    dy_sentence *st = &sp->sent[sp->ns++];
    st->first = (uint32_t)first;
    st->count = (uint32_t)(end - first);
    st->start = a->start;
    st->end = b->start + b->len;
    st->flags = (uint16_t)flags;
    return 0;
}

/* Whether sentence-final token i, followed by the closing marks up to j, ends a sentence,
 * judged by the token at j. */
static int ends_sentence(struct splitter *sp, size_t i, size_t j)
{
    if (j >= sp->nt || GAP(sp->t[j]) & G_PARA) return 1;
    const dy_token *t = &sp->t[i], *nx = &sp->t[j];
    const unsigned char *w = sp->s + nx->start;
    int opener_quote = (nx->flags & TK_QUOTE) && !sp->open;
    if (t->flags & TK_ABBR && j == i + 1) {
        switch (ABBR(*t)) {
        case A_TITLE: return 0;
        case A_ETC: return opener_quote || (nx->flags & TK_CAP);
        default: return opener_quote || ((nx->flags & TK_CAP) && in_list(openers, w, nx->len));
        }
    }
    if (nx->flags & (TK_WORD | TK_NUM)) {
        int32_t cp;
        dy_utf8_decode(w, nx->len, &cp);
        return cp_case(cp) != 2; /* a lower-case word continues the sentence */
    }
    if (nx->flags & TK_PUNCT && nx->len == 1)
        return !strchr(",;:)]}%", w[0]);
    return 1;
}

/* Whether token t may close a sentence after its final mark: more final marks, a closing
 * bracket or single quote, or a '"' that closes an open quotation. */
static int is_closer(const struct splitter *sp, const dy_token *t)
{
    if (!(t->flags & TK_PUNCT) || t->len != 1) return 0;
    unsigned char c = sp->s[t->start];
    if (c == '"') return sp->open != 0;
    return c == '.' || c == '!' || c == '?' || c == ')' || c == ']' || c == '\'';
}

/* Fills each token's lemma field with the length of the run of all-caps words starting at
 * it within its line (numbers and single capitals count, as in "2 DEAD IN ..."). One pass
 * from the end. */
static void caps_runs(struct splitter *sp)
{
    for (size_t k = sp->nt; k-- > 0;) {
        dy_token *t = &sp->t[k];
        int caps = (t->flags & TK_UPPER) || (t->flags & TK_NUM) ||
                   ((t->flags & TK_CAP) && t->len == 1);
        uint32_t run = 0;
        if (caps) {
            run = 1;
            if (k + 1 < sp->nt && !(GAP(sp->t[k + 1]) & G_NL)) run += sp->t[k + 1].lemma;
            if (run > DY_MAX_SENTENCE_TOKENS / 2) run = DY_MAX_SENTENCE_TOKENS / 2;
        }
        t->lemma = run;
    }
}

/* Length of a headline fragment starting at token i (an all-caps run of two or more words
 * and the dashes after it), or 0. */
static size_t headline_at(struct splitter *sp, size_t i)
{
    size_t run = sp->t[i].lemma;
    if (run < 2 || !(sp->t[i].flags & TK_UPPER)) return 0;
    size_t e = i + run;
    if (e >= sp->nt || !is_dash(sp, &sp->t[e]) || GAP(sp->t[e]) & G_PARA) return 0;
    while (e < sp->nt && e - i < DY_MAX_SENTENCE_TOKENS && is_dash(sp, &sp->t[e]) &&
           !(GAP(sp->t[e]) & G_PARA))
        e++;
    return e - i;
}

/* Walks the tokens once, cutting sentences and marking quotations. */
static int split(struct splitter *sp)
{
    size_t first = 0, i = 0;
    caps_runs(sp);
    while (i < sp->nt) {
        if (GAP(sp->t[i]) & G_PARA) {
            sp->open = 0; /* an unclosed quotation ends with its paragraph */
            if (i > first) {
                unsigned f = is_title(sp, first, i) ? SENT_HEADLINE : 0;
                if (add_sentence(sp, first, i, f)) return -1;
                first = i;
            }
        }
        if (i == first) {
            size_t h = headline_at(sp, i);
            if (h) {
                for (size_t k = i; k < i + h; k++) note_quote(sp, k);
                if (add_sentence(sp, i, i + h, SENT_HEADLINE)) return -1;
                first = i += h;
                continue;
            }
        }
        note_quote(sp, i);
        if (i + 1 - first >= DY_MAX_SENTENCE_TOKENS) {
            /* cut at the limit; tokens past it (closing marks taken in after a final mark that
             * did not end the sentence) open the next one, already noted */
            size_t cut = first + DY_MAX_SENTENCE_TOKENS < i + 1 ? first + DY_MAX_SENTENCE_TOKENS : i + 1;
            if (add_sentence(sp, first, cut, 0)) return -1;
            first = cut;
            i++;
            continue;
        }
        const dy_token *t = &sp->t[i];
        if (is_final(sp, t) || (t->flags & TK_ABBR)) {
            size_t j = i + 1; /* take in closing marks: ." ?) ...  */
            while (j < sp->nt && j - first < DY_MAX_SENTENCE_TOKENS && is_closer(sp, &sp->t[j]) &&
                   !(GAP(sp->t[j]) & G_PARA))
                note_quote(sp, j++);
            if (ends_sentence(sp, i, j)) {
                if (add_sentence(sp, first, j, 0)) return -1;
                first = j;
            }
            i = j;
            continue;
        }
        i++;
    }
    if (first < sp->nt && add_sentence(sp, first, sp->nt, 0)) return -1;
    return 0;
}

/* ==== entry point =========================================================================== */

/* Splits text[0..n) into tokens, sentences and quotations (see segment.h). Texts past 4 GB
 * are cut there, since spans are 32-bit. */
int dy_segment(const char *text, size_t n, dy_arena *a, dy_segmented *out)
{
    memset(out, 0, sizeof *out);
    if (!text) n = 0;
    if (n > UINT32_MAX - 1) n = UINT32_MAX - 1;
    /* news averages five or six bytes a token: most stories need no second array */
    struct lexer lx = {(const unsigned char *)(text ? text : ""), n, NULL, 0, 0, a, 0};
    lx.cap = n / 4 + 16 < 65536 ? n / 4 + 16 : 65536; /* a big story grows it by doubling */
    lx.out = dy_arena_alloc(a, lx.cap * sizeof *lx.out);
    if (!lx.out) return -1;
    size_t nt = lex(&lx);
    if (lx.failed) return -1;
    dy_token *tok = lx.out;

    size_t marks = 0;
    for (size_t k = 0; k < nt; k++) marks += (tok[k].flags & TK_QUOTE) != 0;
    struct splitter sp = {lx.s, a, tok, nt, NULL, 0, 0, NULL, 0, 0};
    sp.q = dy_arena_alloc(a, (marks ? marks : 1) * sizeof *sp.q);
    if (!sp.q || split(&sp)) return -1;
    for (size_t k = 0; k < nt; k++) tok[k].form = tok[k].lemma = 0;

    out->tok = tok;
    out->ntok = nt;
    out->sent = sp.sent;
    out->nsent = sp.ns;
    out->quote = sp.q;
    out->nquote = sp.nq;
    return 0;
}
