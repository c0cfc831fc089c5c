/*
 * segment.h — the segment stage: normalised story text -> sentences of tokens, with
 * quotations marked. Tokens are views into the text; their word ids are filled later by the
 * lexicon stage.
 */
#ifndef DYAD_SEGMENT_H
#define DYAD_SEGMENT_H

#include "base/base.h"

enum dy_token_flag {
    TK_WORD = 1 << 0,    /* letters (maybe with inner - ' . and digits) */
    TK_NUM = 1 << 1,     /* starts with a digit */
    TK_PUNCT = 1 << 2,   /* one punctuation character */
    TK_CAP = 1 << 3,     /* first letter upper case */
    TK_UPPER = 1 << 4,   /* every letter upper case, at least two letters */
    TK_QUOTE = 1 << 5,   /* the token is a quotation mark '"' */
    TK_INQUOTE = 1 << 6, /* the token lies inside a quotation */
    TK_POSS = 1 << 7,    /* a possessive 's or ' was split off after this word */
    TK_PARA = 1 << 8,    /* first token of a paragraph */
    TK_ABBR = 1 << 9     /* ends with '.', an abbreviation or initial (U.S., Gen., J.) */
};

typedef struct dy_token {
    uint32_t start, len; /* byte span in the story text */
    uint32_t form;       /* word id of the lower-case form (lexicon), 0 if unknown */
    uint32_t lemma;      /* word id of the lemma (lexicon), 0 if none */
    uint16_t flags;      /* TK_* */
    uint16_t quote;      /* 1-based number of the quotation the token is inside, 0 if none */
} dy_token;

enum dy_sentence_flag {
    SENT_HEADLINE = 1 << 0, /* an all-caps label or a title line, not a sentence */
    SENT_QUESTION = 1 << 1, /* ends with '?' */
    SENT_PARA = 1 << 2      /* starts a paragraph */
};

typedef struct dy_sentence {
    uint32_t first, count; /* tokens [first, first+count) of the story's token array */
    uint32_t start, end;   /* byte span in the story text */
    uint16_t flags;        /* SENT_* */
} dy_sentence;

/* A quotation: the tokens between an opening and a closing quotation mark. */
typedef struct dy_quote {
    uint32_t open, close; /* token indexes of the marks (close == open when never closed) */
} dy_quote;

typedef struct dy_segmented {
    dy_token *tok;
    size_t ntok;
    dy_sentence *sent;
    size_t nsent;
    dy_quote *quote;
    size_t nquote;
} dy_segmented;

/* Whether token t of text reads w (w in lower case), ignoring case: the cheap test every stage
 * uses for function words ("not", "killed", "yesterday"); mismatches end on the length. */
static inline int dy_tok_reads(const char *text, const dy_token *t, const char *w)
{
    uint32_t k = 0;
    for (; k < t->len; k++)
        if (!w[k] || dy_tolower((unsigned char)text[t->start + k]) != w[k]) return 0;
    return !w[k];
}

#define DY_MAX_SENTENCE_TOKENS 400 /* longer runs are cut into several sentences */

/* Splits text[0..n) into tokens and sentences, all allocated in a. Returns 0, or -1 if the
 * arena failed (a->failed set). Linear in n. Sentence splitting survives abbreviations
 * (U.S., Gen., Jan., Mr.), initials, decimals, quotations ending a sentence (."), and cuts
 * headline-style fragments ("CLASH BETWEEN USA AND IRAN - ...") and title lines into sentences
 * of their own with SENT_HEADLINE. */
int dy_segment(const char *text, size_t n, dy_arena *a, dy_segmented *out);

#endif
