/*
 * petrarch_read.c — what the readers of PETRARCH's formats share (petrarch_read.h): owned
 * string lists, lines cleaned of comments and bad bytes, PETRARCH's phrases split into words,
 * translated text loaded at its original file:line, defects reported, dates and codes checked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dates.h"
#include "dict/petrarch.h"
#include "dict/petrarch_read.h"
#include "lemma.h"

/* ==== small strings ====================================================================== */


void dy_petr_strv_push(strv *v, const char *s, size_t n)
{
    if (dy_grow((void **)&v->s, &v->cap, v->n, sizeof *v->s, 16)) {
        v->oom = 1;
        return;
    }
    char *c = malloc(n + 1);
    if (!c) {
        v->oom = 1;
        return;
    }
    memcpy(c, s, n);
    c[n] = 0;
    v->s[v->n++] = c;
}

void dy_petr_strv_free(strv *v)
{
    for (size_t i = 0; i < v->n; i++) free(v->s[i]);
    free(v->s);
    memset(v, 0, sizeof *v);
}

int dy_petr_strv_has(const strv *v, const char *s)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->s[i], s)) return 1;
    return 0;
}

const char *dy_petr_skip_sp(const char *s, const char *e)
{
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\r')) s++;
    return s;
}

const char *dy_petr_trim_sp(const char *s, const char *e)
{
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) e--;
    return e;
}

/* ==== reading lines ====================================================================== */


/* Whether [s, e) is UTF-8 text without control characters other than tabs. */
static int clean_text(const char *s, const char *e)
{
    while (s < e) {
        int32_t cp;
        int l = dy_utf8_decode((const unsigned char *)s, (size_t)(e - s), &cp);
        if (cp < 0 || (cp < 0x20 && cp != '\t' && cp != '\r') || cp == 0x7f) return 0;
        s += l > 0 ? l : 1;
    }
    return 1;
}

/* Reads the next line into r->buf without its end (\n, \r\n), its <!-- --> comments and a '#'
 * comment ('#' outside [...], so a code "[###]" survives). Returns 0, or -1 at the end. A
 * line whose bytes are not UTF-8 text is reported once, and r->bad is set. */
int dy_petr_next_line(reader *r)
{
    if (r->p >= r->end) return -1;
    const char *s = r->p, *nl = memchr(s, '\n', (size_t)(r->end - s));
    const char *e = nl ? nl : r->end;
    r->p = nl ? nl + 1 : r->end;
    r->line++;
    r->buf.n = 0;
    r->bad = 0;
    if (!clean_text(s, e)) {
        r->bad = 1;
        dy_dict_defect(r->d, r->file, r->line, "bytes that are not UTF-8 text (or control characters)");
    }
    int bracket = 0;
    const char *run = s; /* start of the bytes not yet copied */
    for (const char *c = s; c < e; c++) {
        char ch = *c;
        if (r->in_comment) {
            if (ch == '-' && e - c >= 3 && c[1] == '-' && c[2] == '>') {
                r->in_comment = 0;
                c += 2;
                run = c + 1;
            }
            continue;
        }
        if (ch != '<' && ch != '[' && ch != ']' && ch != '#' && ch != '\r' && ch != 0) continue;
        if (ch == '<' && !(e - c >= 4 && !memcmp(c, "<!--", 4))) continue;
        if (ch == '[') {
            bracket = 1;
            continue;
        }
        if (ch == ']') {
            bracket = 0;
            continue;
        }
        if (ch == '#' && bracket) continue;
        dy_buf_put(&r->buf, run, (size_t)(c - run));
        run = c + 1;
        if (ch == '#') {
            run = e;
            break;
        }
        if (ch == '<') { /* <!-- */
            r->in_comment = 1;
            c += 3;
            run = c + 1;
        }
    }
    if (!r->in_comment && run < e) dy_buf_put(&r->buf, run, (size_t)(e - run));
    /* other markup ("<! -- NEW ACTORS -->", "<ISSUE ...>") is not an entry */
    const char *b = r->buf.p ? r->buf.p : "";
    const char *bs = dy_petr_skip_sp(b, b + r->buf.n);
    if (!r->markup && bs < b + r->buf.n && *bs == '<') r->buf.n = 0;
    dy_buf_nul(&r->buf);
    return 0;
}

void dy_petr_reader_init(reader *r, dyad_dict *d, const char *file, const char *text, size_t n)
{
    memset(r, 0, sizeof *r);
    r->d = d;
    r->file = file;
    r->p = text;
    r->end = text + n;
}

/* ==== words ============================================================================== */

/* Splits a PETRARCH phrase ("SECURITY_OFFICIALS", "YUM YENNYEN", "DID N'T") into lower-case
 * words, joining Treebank's split contractions ("did" "n't" -> "didn't") and dropping a
 * trailing hyphen ("ANTI-"). Returns the count, -1 if a word holds a character dyad's
 * formats reserve. stop[k] (may be NULL) is set when word k ended in '_' (no plural). */
int dy_petr_split_words(const char *s, const char *e, char out[][DY_WORD_MAX], int max, int *stop,
                       const char *reserved)
{
    int n = 0;
    while (s < e) {
        while (s < e && (*s == '_' || *s == ' ' || *s == '\t')) s++;
        if (s >= e) break;
        const char *w = s;
        while (s < e && *s != '_' && *s != ' ' && *s != '\t') s++;
        size_t wl = (size_t)(s - w);
        while (wl > 1 && w[wl - 1] == '-') wl--;
        for (size_t i = 0; i < wl; i++)
            if (strchr(reserved, w[i])) return -1;
        int joined = n > 0 && wl == 3 && !strncasecmp(w, "N'T", 3);
        if (!joined && n >= max) return -1;
        char *o = joined ? out[n - 1] : out[n];
        size_t k = joined ? strlen(o) : 0;
        if (k + wl + 1 > DY_WORD_MAX) return -1;
        for (size_t i = 0; i < wl; i++) o[k++] = (char)dy_tolower((unsigned char)w[i]);
        o[k] = 0;
        if (!joined) {
            if (stop) stop[n] = s < e && *s == '_' && (s + 1 >= e || s[1] == ' ' || s[1] == '\t');
            n++;
        }
    }
    return n;
}

/* The regular plural of a noun (PETRARCH's rules): -ies, -es, -men, -s. */
void dy_petr_noun_plural(const char *w, char *out, size_t cap)
{
    size_t n = strlen(w);
    if (n >= 2 && w[n - 1] == 'y' && !strchr("aeiou", w[n - 2]))
        snprintf(out, cap, "%.*sies", (int)(n - 1), w);
    else if (n >= 1 && (strchr("sxz", w[n - 1]) || (n >= 2 && (!strcmp(w + n - 2, "ch") || !strcmp(w + n - 2, "sh")))))
        snprintf(out, cap, "%ses", w);
    else if (n >= 3 && !strcmp(w + n - 3, "man"))
        snprintf(out, cap, "%.*smen", (int)(n - 3), w);
    else
        snprintf(out, cap, "%ss", w);
}

/* The regular forms of a verb: -s/-es/-ies, -ed/-d/-ied, -ing. */
void dy_petr_verb_forms(const char *v, char out[3][DY_WORD_MAX])
{
    size_t n = strlen(v);
    int cy = n >= 2 && v[n - 1] == 'y' && !strchr("aeiou", v[n - 2]);
    int sib = n >= 1 && (strchr("sxz", v[n - 1]) || (n >= 2 && (!strcmp(v + n - 2, "ch") || !strcmp(v + n - 2, "sh"))));
    if (cy) snprintf(out[0], DY_WORD_MAX, "%.*sies", (int)(n - 1), v);
    else if (sib) snprintf(out[0], DY_WORD_MAX, "%ses", v);
    else snprintf(out[0], DY_WORD_MAX, "%ss", v);
    if (cy) snprintf(out[1], DY_WORD_MAX, "%.*sied", (int)(n - 1), v);
    else if (n && v[n - 1] == 'e') snprintf(out[1], DY_WORD_MAX, "%sd", v);
    else snprintf(out[1], DY_WORD_MAX, "%sed", v);
    if (n >= 2 && v[n - 1] == 'e' && v[n - 2] == 'i') snprintf(out[2], DY_WORD_MAX, "%.*sying", (int)(n - 2), v);
    else if (n >= 2 && v[n - 1] == 'e' && v[n - 2] != 'e') snprintf(out[2], DY_WORD_MAX, "%.*sing", (int)(n - 1), v);
    else snprintf(out[2], DY_WORD_MAX, "%sing", v);
}

/* Writes words as an exact dyad phrase: "w1" "w2". */
void dy_petr_put_exact(dy_buf *o, char w[][DY_WORD_MAX], int n)
{
    for (int k = 0; k < n; k++) {
        if (k) dy_buf_putc(o, ' ');
        dy_buf_putc(o, '"');
        dy_buf_puts(o, w[k]);
        dy_buf_putc(o, '"');
    }
}

/* ==== loading translated text ============================================================ */


/* Loads dyad text t (one or more lines) of the given kind as file:line. */
void dy_petr_load(ctx *c, uint32_t line, dy_buf *t, int kind)
{
    if (c->failed) return;
    if (t->oom) {
        c->failed = 1;
        c->rc = DYAD_ENOMEM;
        return;
    }
    int rc = dy_dict_load_text_at(c->d, c->file, line, t->p ? t->p : "", t->n, kind, c->err);
    if (rc) {
        c->failed = 1;
        c->rc = rc;
    }
}

/* Reports a defect; in strict mode the load stops. */
void dy_petr_flaw(ctx *c, uint32_t line, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (dy_dict_defect(c->d, c->file, line, "%s", msg) && !c->failed) {
        c->failed = 1;
        c->rc = DYAD_EDICT;
        if (c->err) {
            c->err->code = DYAD_EDICT;
            snprintf(c->err->file, sizeof c->err->file, "%s", c->file);
            c->err->line = line;
            c->err->column = 0;
            snprintf(c->err->message, sizeof c->err->message, "%s", msg);
        }
    }
}

/* ==== dates and codes ==================================================================== */

/* Parses a PETRARCH date: YYMMDD (00-30: 20YY, else 19YY) or YYYYMMDD. 0 if malformed. */
static int32_t petr_date(const char *s, size_t n)
{
    if (n != 6 && n != 8) return 0;
    for (size_t i = 0; i < n; i++)
        if (!dy_isdigit(s[i])) return 0;
    int y, m, d;
    if (n == 6) {
        y = (s[0] - '0') * 10 + s[1] - '0';
        y += y <= 30 ? 2000 : 1900;
        s += 2;
    } else {
        y = ((s[0] - '0') * 10 + s[1] - '0') * 100 + (s[2] - '0') * 10 + s[3] - '0';
        s += 4;
    }
    m = (s[0] - '0') * 10 + s[1] - '0';
    d = (s[2] - '0') * 10 + s[3] - '0';
    if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1000) return 0;
    return y * 10000 + m * 100 + d;
}

static int32_t day_before(int32_t ymd)
{
    return dy_date_add_days(ymd, -1);
}

/* Whether [s, e) is an actor code dyad accepts (see valid_actor_code in lexicon.c). */
static int actor_code_ok(const char *s, const char *e)
{
    if (e - s == 3 && !memcmp(s, "---", 3)) return 1;
    if (e - s < 3 || e - s >= DY_CODE_MAX) return 0;
    int run = 0;
    for (const char *p = s; p < e; p++) {
        if (*p == '/') {
            if (run < 3) return 0;
            run = 0;
        } else if (dy_isupper(*p) || dy_isdigit(*p))
            run++;
        else
            return 0;
    }
    return run >= 3;
}

/* Writes YYYYMMDD as YYYY-MM-DD. */
static void put_date(dy_buf *o, int32_t ymd)
{
    char b[10] = {(char)('0' + ymd / 10000000), (char)('0' + ymd / 1000000 % 10), (char)('0' + ymd / 100000 % 10),
                  (char)('0' + ymd / 10000 % 10), '-', (char)('0' + ymd / 1000 % 10), (char)('0' + ymd / 100 % 10),
                  '-', (char)('0' + ymd / 10 % 10), (char)('0' + ymd % 10)};
    dy_buf_put(o, b, 10);
}

/* Translates one "[CODE]", "[CODE <D]", "[CODE >D]" or "[CODE D1-D2]" into a dyad role
 * ("CODE", "CODE ..YYYY-MM-DD", ...) appended to o. Returns 0, or 1 (defect reported). */
int dy_petr_actor_role(ctx *c, uint32_t line, const char *s, const char *e, dy_buf *o)
{
    s = dy_petr_skip_sp(s, e);
    e = dy_petr_trim_sp(s, e);
    const char *ce = s;
    while (ce < e && *ce != ' ' && *ce != '\t' && *ce != '<' && *ce != '>') ce++;
    char code[DY_CODE_MAX + 1];
    size_t cl = (size_t)(ce - s);
    if (cl == 0 || cl >= sizeof code) {
        dy_petr_flaw(c, line, "bad actor code '[%.*s]'", (int)(e - s), s);
        return 1;
    }
    for (size_t i = 0; i < cl; i++) code[i] = s[i];
    code[cl] = 0;
    int lower = 0;
    for (size_t i = 0; i < cl; i++)
        if (dy_islower(code[i])) {
            code[i] = (char)dy_toupper((unsigned char)code[i]);
            lower = 1;
        }
    if (!actor_code_ok(code, code + cl)) {
        dy_petr_flaw(c, line, "bad actor code '%.*s'", (int)cl, s);
        return 1;
    }
    if (lower) dy_petr_flaw(c, line, "actor code '%.*s' in lower case; read as %s", (int)cl, s, code);
    const char *p = dy_petr_skip_sp(ce, e);
    int32_t from = 0, to = 0;
    if (p < e) {
        char kind = *p;
        if (kind == '<' || kind == '>') p = dy_petr_skip_sp(p + 1, e);
        const char *q = p;
        while (q < e && dy_isdigit(*q)) q++;
        int32_t d1 = petr_date(p, (size_t)(q - p)), d2 = 0;
        const char *r = dy_petr_skip_sp(q, e);
        int bad = !d1;
        if (kind == '<' || kind == '>') {
            bad |= r != e;
        } else {
            if (r < e && *r == '-') {
                r = dy_petr_skip_sp(r + 1, e);
                const char *t = r;
                while (t < e && dy_isdigit(*t)) t++;
                d2 = petr_date(r, (size_t)(t - r));
                bad |= !d2 || t != e;
            } else
                bad = 1;
        }
        if (bad) {
            dy_petr_flaw(c, line, "malformed date restriction '%.*s' (want <DATE, >DATE or DATE-DATE; "
                          "YYMMDD or YYYYMMDD); this code is skipped", (int)(e - s), s);
            return 1;
        }
        if (kind == '<') to = day_before(d1);
        else if (kind == '>') from = d1;
        else from = d1, to = d2;
        if (from && to && to < from) {
            dy_petr_flaw(c, line, "date restriction '%.*s' ends before it begins; this code is skipped", (int)(e - s), s);
            return 1;
        }
    }
    if (o->n) dy_buf_puts(o, " ; ");
    dy_buf_puts(o, code);
    if (from || to) {
        dy_buf_putc(o, ' ');
        if (from) put_date(o, from);
        dy_buf_puts(o, "..");
        if (to) put_date(o, to);
    }
    return 0;
}
