/*
 * petrarch_verbs.c — PETRARCH's and TABARI's verb dictionaries (synonym sets, verb blocks,
 * patterns, transformations) translated into dyad's pattern format (dict/FORMAT.md).
 */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dates.h"
#include "dict/petrarch.h"
#include "dict/petrarch_read.h"
#include "lemma.h"

/* ==== verbs ============================================================================== */

typedef struct synset {
    char name[64];  /* without '&' or a trailing '_' */
    dy_buf members; /* dyad members, " | " separated */
    uint32_t line;
} synset;

typedef struct vverb {    /* one verb of a block: "BREAK", "+BREAK_DOWN {...}", "WIRE_+TAP" */
    char pre[160], post[160]; /* exact words before / after the verb: "\"wire\"~", "~\"down\"" */
    char code[24];        /* its own default code, "" for the block's */
    strv forms;           /* the verb word's forms */
    uint32_t line;
} vverb;

typedef struct vpattern {
    char *text;           /* the pattern translated, \x01 where the verb goes */
    char code[24];
    uint32_t line;
} vpattern;

typedef struct verbs {
    ctx *c;
    synset *sets;
    size_t nset, setcap;
    synset *cur;          /* the synset being read */
    int in_block;
    uint32_t block_line;
    char block_code[24];
    unsigned block_no;
    vverb *vv;
    size_t nvv, vvcap;
    vpattern *pats;
    size_t npat, patcap;
} verbs;

/* Whether a code as written in [...] is sound: CODE, CODE:CODE2, :CODE2 or ---, each CODE up
 * to 5 letters or digits. */
static int code_ok(const char *s)
{
    if (!*s) return 0;
    const char *colon = strchr(s, ':');
    if (colon && strchr(colon + 1, ':')) return 0;
    for (int part = 0; part < 2; part++) {
        const char *a = part ? (colon ? colon + 1 : NULL) : s;
        if (!a) break;
        const char *b = part ? a + strlen(a) : (colon ? colon : s + strlen(s));
        if (b - a == 3 && !memcmp(a, "---", 3)) continue;
        if (b - a > 5 || (b == a && !colon)) return 0;
        for (const char *p = a; p < b; p++)
            if (!dy_isalnum(*p)) return 0;
    }
    return !(colon && colon == s && colon[1] == 0);
}

/* Whether a code yields an event on either side ("---" and "---:---" do not). */
static int code_fires(const char *s)
{
    for (const char *p = s; *p; p++)
        if (dy_isalnum(*p)) return 1;
    return 0;
}

/* Copies the code inside the first [...] of [s, e) into out (trimmed); returns the '[' or NULL. */
static const char *bracket_code(const char *s, const char *e, char *out, size_t cap, const char **after)
{
    const char *lb = memchr(s, '[', (size_t)(e - s));
    if (!lb) return NULL;
    const char *rb = memchr(lb, ']', (size_t)(e - lb));
    if (!rb) return NULL;
    const char *a = dy_petr_skip_sp(lb + 1, rb), *b = dy_petr_trim_sp(a, rb);
    size_t n = (size_t)(b - a) < cap - 1 ? (size_t)(b - a) : cap - 1;
    memcpy(out, a, n);
    out[n] = 0;
    if (after) *after = rb + 1;
    return lb;
}

static synset *find_set(verbs *v, const char *name, size_t n)
{
    while (n && name[n - 1] == '_') n--;
    for (size_t i = 0; i < v->nset; i++)
        if (strlen(v->sets[i].name) == n && !memcmp(v->sets[i].name, name, n)) return &v->sets[i];
    return NULL;
}

/* Emits the synset being read as a dyad word set. */
static void set_flush(verbs *v)
{
    synset *st = v->cur;
    v->cur = NULL;
    if (!st) return;
    if (!st->members.n) {
        dy_petr_flaw(v->c, st->line, "synonym set &%s has no members", st->name);
        return;
    }
    dy_buf t = {0};
    dy_buf_printf(&t, "&F%u.%s = ", v->c->fid, st->name);
    dy_buf_put(&t, st->members.p, st->members.n);
    dy_petr_load(v->c, st->line, &t, K_VERBS);
    dy_buf_free(&t);
}

/* Adds a member line ("+WORD_WORD", "+&OTHERSET") to the synset being read. */
static void set_member(verbs *v, uint32_t line, const char *s, const char *e)
{
    synset *st = v->cur;
    s = dy_petr_skip_sp(s, e);
    e = dy_petr_trim_sp(s, e);
    if (s < e && *s == '&') { /* a synset inside a synset: its members */
        synset *in = find_set(v, s + 1, (size_t)(e - s - 1));
        if (!in || in == st) {
            dy_petr_flaw(v->c, line, "synonym set %.*s is not defined before it is used", (int)(e - s), s);
            return;
        }
        if (st->members.n) dy_buf_puts(&st->members, " | ");
        dy_buf_put(&st->members, in->members.p, in->members.n);
        return;
    }
    char w[MAX_WORDS][DY_WORD_MAX];
    int stop[MAX_WORDS];
    int k = dy_petr_split_words(s, e, w, MAX_WORDS, stop, PATTERN_RESERVED);
    if (k <= 0) {
        dy_petr_flaw(v->c, line, "synonym '%.*s' has a reserved character or too many words", (int)(e - s), s);
        return;
    }
    if (st->members.n) dy_buf_puts(&st->members, " | ");
    dy_petr_put_exact(&st->members, w, k);
    if (!stop[k - 1] && dy_isalpha(w[k - 1][strlen(w[k - 1]) - 1])) { /* and the plural */
        char pl[DY_WORD_MAX];
        dy_petr_noun_plural(w[k - 1], pl, sizeof pl);
        memcpy(w[k - 1], pl, sizeof pl);
        dy_buf_puts(&st->members, " | ");
        dy_petr_put_exact(&st->members, w, k);
    }
}

/* Splits a verb as written ("BREAK", "+BREAK_DOWN", "WIRE_+TAP", "LASH OUT") into the words
 * before the verb, the verb word and the words after; returns 0 or -1. */
static int verb_shape(const char *s, const char *e, char *pre, char *post, char *verb)
{
    char w[MAX_WORDS][DY_WORD_MAX];
    int mark = -1, n = 0;
    /* find the '+' mark, then split without it */
    char tmp[512] = "";
    size_t tn = 0;
    for (const char *p = s; p < e && tn + 1 < sizeof tmp; p++) {
        if (*p == '+') {
            /* the word starting here is the verb: count the words before it */
            int words = 0, inword = 0;
            for (size_t i = 0; i < tn; i++) {
                int sep = tmp[i] == '_' || tmp[i] == ' ' || tmp[i] == '\t';
                if (!sep && !inword) words++;
                inword = !sep;
            }
            mark = words;
            continue;
        }
        tmp[tn++] = *p;
    }
    n = dy_petr_split_words(tmp, tmp + tn, w, MAX_WORDS, NULL, PATTERN_RESERVED);
    if (n <= 0) return -1;
    if (mark < 0 || mark >= n) mark = 0;
    pre[0] = post[0] = 0;
    for (int k = 0; k < mark; k++) {
        size_t l = strlen(pre);
        snprintf(pre + l, 160 - l, "\"%s\"~", w[k]);
    }
    for (int k = mark + 1; k < n; k++) {
        size_t l = strlen(post);
        snprintf(post + l, 160 - l, "~\"%s\"", w[k]);
    }
    snprintf(verb, DY_WORD_MAX, "%s", w[mark]);
    return 0;
}

/* Reads a verb line of a block: VERB {FORMS} [CODE]. */
static void verb_line(verbs *v, uint32_t line, const char *s, const char *e)
{
    const char *brace = memchr(s, '{', (size_t)(e - s));
    const char *lb = memchr(s, '[', (size_t)(e - s));
    const char *ne = brace ? brace : lb ? lb : e;
    if (brace && lb && lb < brace) ne = lb;
    char pre[160], post[160], verb[DY_WORD_MAX];
    if (verb_shape(s, dy_petr_trim_sp(s, ne), pre, post, verb)) {
        dy_petr_flaw(v->c, line, "verb '%.*s' has a reserved character or too many words", (int)(ne - s), s);
        return;
    }
    if (dy_grow((void **)&v->vv, &v->vvcap, v->nvv, sizeof *v->vv, 16)) {
        v->c->failed = 1;
        v->c->rc = DYAD_ENOMEM;
        return;
    }
    vverb *x = &v->vv[v->nvv++];
    memset(x, 0, sizeof *x);
    memcpy(x->pre, pre, sizeof pre);
    memcpy(x->post, post, sizeof post);
    x->line = line;
    dy_petr_strv_push(&x->forms, verb, strlen(verb));
    char f[3][DY_WORD_MAX];
    if (dy_isalpha(verb[strlen(verb) - 1])) {
        dy_petr_verb_forms(verb, f);
        for (int k = 0; k < 3; k++)
            if (!dy_petr_strv_has(&x->forms, f[k])) dy_petr_strv_push(&x->forms, f[k], strlen(f[k]));
    }
    if (brace) { /* irregular forms, each written like the verb ("+BROKE_DOWN") */
        const char *rb = memchr(brace, '}', (size_t)(e - brace));
        if (!rb) {
            dy_petr_flaw(v->c, line, "unclosed '{' in verb line");
            rb = e;
        }
        for (const char *p = dy_petr_skip_sp(brace + 1, rb); p < rb; p = dy_petr_skip_sp(p, rb)) {
            const char *q = p;
            while (q < rb && *q != ' ' && *q != '\t') q++;
            char fp[160], fo[160], fv[DY_WORD_MAX];
            if (verb_shape(p, q, fp, fo, fv)) dy_petr_flaw(v->c, line, "verb form '%.*s' is malformed", (int)(q - p), p);
            else if (!dy_petr_strv_has(&x->forms, fv)) dy_petr_strv_push(&x->forms, fv, strlen(fv));
            p = q;
        }
    }
    if (lb) {
        bracket_code(lb, e, x->code, sizeof x->code, NULL);
        if (!code_ok(x->code)) {
            dy_petr_flaw(v->c, line, "bad event code '[%s]' on verb; the block's code is used", x->code);
            x->code[0] = 0;
        }
    }
}

/* The items of a pattern, for translation. */
enum { IT_WORD = 1, IT_VERB, IT_SLOT, IT_SET };
typedef struct item {
    uint8_t kind, adjacent; /* adjacent: joined to the previous item ('_', or inside {...}) */
    char text[DY_WORD_MAX + 80];
} item;

/* Translates a pattern's words (without its code) into dyad pattern text with \x01 where the
 * verb goes. PETRARCH-1: words joined by '_' touch, a space lets words stand between; '$'
 * source, '+' target, '%' a compound, '^' an actor skipped. PETRARCH-2 adds {MULTI WORD}
 * (touching words) and (PREP ...) (a prepositional phrase: its words in order). Returns 0, or
 * 1 when a defect was reported. */
static int translate(verbs *v, uint32_t line, const char *s, const char *e, dy_buf *o)
{
    item it[48];
    int n = 0, brace = 0, joined = 0, verb = 0;
    const char *p = s;
    while (p < e) {
        char ch = *p;
        if (ch == ' ' || ch == '\t') {
            joined = brace; /* inside {...} words touch */
            p++;
            continue;
        }
        if (ch == '_') {
            joined = 1;
            p++;
            continue;
        }
        if (ch == '(' || ch == ')') { /* a prepositional phrase: words in order, gaps allowed */
            joined = 0;
            p++;
            continue;
        }
        if (ch == '{') {
            brace = 1;
            joined = 0;
            p++;
            continue;
        }
        if (ch == '}') {
            brace = 0;
            joined = 0;
            p++;
            continue;
        }
        if (n == 48) {
            dy_petr_flaw(v->c, line, "pattern has more than 48 items");
            return 1;
        }
        item *x = &it[n];
        memset(x, 0, sizeof *x);
        x->adjacent = (uint8_t)(n > 0 && joined);
        joined = brace;
        if (ch == '*') {
            x->kind = IT_VERB;
            verb++;
            p++;
        } else if (strchr("$+%^", ch)) {
            x->kind = IT_SLOT;
            x->text[0] = ch;
            p++;
        } else if (ch == '&') {
            /* the longest defined set name that the '_'-joined run starts with */
            const char *q = p + 1;
            while (q < e && (dy_isalnum(*q) || *q == '_' || *q == '-' || *q == '.')) q++;
            synset *st = NULL;
            const char *best = NULL;
            for (const char *r = q; r > p + 1; r--) {
                if (r != q && *r != '_') continue;
                if ((st = find_set(v, p + 1, (size_t)(r - p - 1)))) {
                    best = r;
                    break;
                }
            }
            if (!st) {
                dy_petr_flaw(v->c, line, "synonym set %.*s is not defined; pattern skipped", (int)(q - p), p);
                return 1;
            }
            x->kind = IT_SET;
            snprintf(x->text, sizeof x->text, "&F%u.%s", v->c->fid, st->name);
            p = best;
        } else {
            const char *q = p;
            while (q < e && !strchr(" \t_(){}*$%^&+", *q)) q++;
            char w[2][DY_WORD_MAX];
            int k = dy_petr_split_words(p, q, w, 2, NULL, PATTERN_RESERVED);
            if (k != 1) {
                dy_petr_flaw(v->c, line, "pattern word '%.*s' is malformed; pattern skipped", (int)(q - p), p);
                return 1;
            }
            /* Treebank's split contraction: "DID N'T" is the text's "didn't" */
            if (!strcmp(w[0], "n't") && n > 0 && it[n - 1].kind == IT_WORD) {
                size_t l = strlen(it[n - 1].text);
                snprintf(it[n - 1].text + l - 1, sizeof it[n - 1].text - l + 1, "n't\"");
                p = q;
                continue;
            }
            x->kind = IT_WORD;
            snprintf(x->text, sizeof x->text, "\"%s\"", w[0]);
            p = q;
        }
        n++;
    }
    if (verb != 1) {
        dy_petr_flaw(v->c, line, verb ? "pattern has more than one '*'" : "pattern has no '*' (the verb)");
        return 1;
    }
    for (int k = 0; k < n; k++) {
        if (k) dy_buf_puts(o, it[k].adjacent ? "~" : " ... ");
        if (it[k].kind == IT_VERB) dy_buf_putc(o, 1);
        else dy_buf_puts(o, it[k].text);
    }
    return 0;
}

/* Reads a pattern line "- WORDS [CODE]" of the open block. */
static void pattern_line(verbs *v, uint32_t line, const char *s, const char *e)
{
    if (!v->in_block) {
        dy_petr_flaw(v->c, line, "pattern outside a verb block");
        return;
    }
    const char *lb = NULL;
    for (const char *p = e; p > s; p--)
        if (p[-1] == '[') {
            lb = p - 1;
            break;
        }
    const char *rb = lb ? memchr(lb, ']', (size_t)(e - lb)) : NULL;
    if (!lb || !rb) {
        dy_petr_flaw(v->c, line, "pattern without a [CODE]; skipped");
        return;
    }
    char code[24];
    bracket_code(lb, e, code, sizeof code, NULL);
    if (!code_ok(code)) {
        dy_petr_flaw(v->c, line, "bad event code '[%s]'; pattern skipped", code);
        return;
    }
    dy_buf t = {0};
    if (translate(v, line, dy_petr_skip_sp(s, lb), dy_petr_trim_sp(s, lb), &t)) {
        dy_buf_free(&t);
        return;
    }
    dy_buf_nul(&t);
    if (t.oom) {
        dy_buf_free(&t);
        v->c->failed = 1;
        v->c->rc = DYAD_ENOMEM;
        return;
    }
    if (dy_grow((void **)&v->pats, &v->patcap, v->npat, sizeof *v->pats, 64)) {
        dy_buf_free(&t);
        v->c->failed = 1;
        v->c->rc = DYAD_ENOMEM;
        return;
    }
    vpattern *x = &v->pats[v->npat++];
    x->text = t.p;
    snprintf(x->code, sizeof x->code, "%s", code);
    x->line = line;
}

/* Writes pattern text with the verb expression in place of \x01. */
static void put_pattern(dy_buf *o, const char *text, const char *verb)
{
    for (const char *p = text; *p; p++)
        if (*p == 1) dy_buf_puts(o, verb);
        else dy_buf_putc(o, *p);
}

/* Emits the block read so far: one anchor set per shape of verb (and per default code), the
 * default patterns, and every pattern once per shape. */
static void block_flush(verbs *v)
{
    if (!v->in_block) return;
    v->in_block = 0;
    ctx *c = v->c;
    if (!v->nvv && v->npat) dy_petr_flaw(c, v->block_line, "verb block has patterns but no verb");
    /* shapes: verbs with the same words around them */
    int shape_of[256];
    int nshape = 0, first_of_shape[256];
    for (size_t i = 0; i < v->nvv && i < 256; i++) {
        int k;
        for (k = 0; k < nshape; k++) {
            vverb *f = &v->vv[first_of_shape[k]];
            if (!strcmp(f->pre, v->vv[i].pre) && !strcmp(f->post, v->vv[i].post)) break;
        }
        if (k == nshape) first_of_shape[nshape++] = (int)i;
        shape_of[i] = k;
    }
    for (int k = 0; k < nshape && !c->failed; k++) {
        vverb *f = &v->vv[first_of_shape[k]];
        /* the shape's set: every form of its verbs */
        char setname[96], expr[512];
        snprintf(setname, sizeof setname, "&F%u.V%u.%d", c->fid, v->block_no, k);
        dy_buf t = {0};
        dy_buf_printf(&t, "%s =", setname);
        int nf = 0;
        for (size_t i = 0; i < v->nvv && i < 256; i++)
            if (shape_of[i] == k)
                for (size_t j = 0; j < v->vv[i].forms.n; j++)
                    dy_buf_printf(&t, "%s \"%s\"", nf++ ? " |" : "", v->vv[i].forms.s[j]);
        dy_petr_load(c, f->line, &t, K_VERBS);
        snprintf(expr, sizeof expr, "%s*%s%s", f->pre, setname, f->post);
        /* default patterns: one per distinct default code of the shape's verbs */
        int all_default = 1;
        for (size_t i = 0; i < v->nvv && i < 256; i++)
            if (shape_of[i] == k && v->vv[i].code[0]) all_default = 0;
        if (all_default) {
            if (code_fires(v->block_code)) {
                t.n = 0;
                dy_buf_printf(&t, "%s %s", v->block_code, expr);
                dy_petr_load(c, v->block_line, &t, K_VERBS);
            }
        } else
            for (size_t i = 0; i < v->nvv && i < 256; i++) {
                if (shape_of[i] != k) continue;
                const char *code = v->vv[i].code[0] ? v->vv[i].code : v->block_code;
                if (!code_fires(code)) continue;
                /* a set of this verb's forms alone */
                t.n = 0;
                dy_buf_printf(&t, "%s.%zu =", setname, i);
                for (size_t j = 0; j < v->vv[i].forms.n; j++)
                    dy_buf_printf(&t, "%s \"%s\"", j ? " |" : "", v->vv[i].forms.s[j]);
                dy_petr_load(c, v->vv[i].line, &t, K_VERBS);
                t.n = 0;
                dy_buf_printf(&t, "%s %s*%s.%zu%s", code, f->pre, setname, i, f->post);
                dy_petr_load(c, v->vv[i].line, &t, K_VERBS);
            }
        /* the block's patterns, for this shape (defects reported for the first shape only) */
        c->d->quiet = k > 0;
        for (size_t i = 0; i < v->npat && !c->failed; i++) {
            t.n = 0;
            dy_buf_printf(&t, "%s ", v->pats[i].code);
            put_pattern(&t, v->pats[i].text, expr);
            dy_petr_load(c, v->pats[i].line, &t, K_VERBS);
        }
        c->d->quiet = 0;
        dy_buf_free(&t);
    }
    for (size_t i = 0; i < v->nvv; i++) dy_petr_strv_free(&v->vv[i].forms);
    for (size_t i = 0; i < v->npat; i++) free(v->pats[i].text);
    v->nvv = v->npat = 0;
}

/* Reads a block header "--- NAME [CODE] ---". */
static void block_header(verbs *v, uint32_t line, const char *s, const char *e)
{
    block_flush(v);
    set_flush(v);
    v->in_block = 1;
    v->block_line = line;
    v->block_no++;
    v->block_code[0] = 0;
    const char *after;
    if (!bracket_code(s, e, v->block_code, sizeof v->block_code, &after)) {
        dy_petr_flaw(v->c, line, "verb block header without a [CODE]; its verbs code nothing by default");
        snprintf(v->block_code, sizeof v->block_code, "---");
        return;
    }
    if (!code_ok(v->block_code)) {
        dy_petr_flaw(v->c, line, "bad event code '[%s]' in block header; its verbs code nothing by default", v->block_code);
        snprintf(v->block_code, sizeof v->block_code, "---");
    }
    if (memchr(after, '[', (size_t)(e - after)))
        dy_petr_flaw(v->c, line, "block header has a second [CODE]; the first is used");
}

/* Checks a transformation "~ a (a b VERB) VERB2 = a b CODE". */
static void transform_line(verbs *v, uint32_t line, const char *s, const char *e)
{
    int depth = 0, ok = 1;
    for (const char *p = s; p < e; p++) {
        if (*p == '(') depth++;
        if (*p == ')' && --depth < 0) ok = 0;
    }
    const char *eq = memchr(s, '=', (size_t)(e - s));
    if (!ok || depth || !eq || dy_petr_trim_sp(eq + 1, e) == dy_petr_skip_sp(eq + 1, e)) {
        dy_petr_flaw(v->c, line, "malformed transformation (want ~ a (a b VERB) VERB2 = a b CODE)");
        return;
    }
}

void dy_petr_load_verbs(ctx *c, reader *r, int v2)
{
    verbs v;
    memset(&v, 0, sizeof v);
    v.c = c;
    (void)v2; /* one reader serves both languages: PETRARCH-1 has no {} or () in patterns */
    int saved = c->d->opaque_codes;
    c->d->opaque_codes = 1; /* WEIS-era and extended codes are kept as opaque strings */
    while (!c->failed && dy_petr_next_line(r) == 0) {
        if (r->bad) continue;
        const char *s = dy_petr_skip_sp(r->buf.p, r->buf.p + r->buf.n), *e = dy_petr_trim_sp(s, r->buf.p + r->buf.n);
        if (s == e) continue;
        uint32_t line = r->line;
        if (*s == '&') { /* a synonym set */
            block_flush(&v);
            set_flush(&v);
            const char *q = s + 1;
            while (q < e && *q != ' ' && *q != '\t') q++;
            size_t n = (size_t)(q - s - 1);
            while (n && s[n] == '_') n--;
            if (!n || n >= sizeof v.sets[0].name) {
                dy_petr_flaw(c, line, "bad synonym set name");
                continue;
            }
            if (find_set(&v, s + 1, n)) dy_petr_flaw(c, line, "synonym set &%.*s defined twice; the first is used", (int)n, s + 1);
            if (dy_grow((void **)&v.sets, &v.setcap, v.nset, sizeof *v.sets, 32)) {
                c->failed = 1;
                c->rc = DYAD_ENOMEM;
                break;
            }
            synset *st = &v.sets[v.nset++];
            memset(st, 0, sizeof *st);
            memcpy(st->name, s + 1, n);
            st->line = line;
            v.cur = st;
            continue;
        }
        if (*s == '+' && v.cur) {
            set_member(&v, line, s + 1, e);
            continue;
        }
        set_flush(&v);
        if (e - s >= 3 && !memcmp(s, "---", 3)) block_header(&v, line, s + 3, e);
        else if (*s == '-' && (e - s == 1 || s[1] == ' ' || s[1] == '\t')) pattern_line(&v, line, s + 1, e);
        else if (*s == '~') {
            block_flush(&v);
            transform_line(&v, line, s + 1, e);
        } else if (v.in_block) verb_line(&v, line, s, e);
        else dy_petr_flaw(c, line, "line outside a verb block or synonym set");
    }
    block_flush(&v);
    set_flush(&v);
    for (size_t i = 0; i < v.nset; i++) dy_buf_free(&v.sets[i].members);
    free(v.sets);
    free(v.vv);
    free(v.pats);
    c->d->opaque_codes = saved;
}
