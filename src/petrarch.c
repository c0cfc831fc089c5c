/*
 * petrarch.c — PETRARCH's and TABARI's dictionary formats (the Phoenix/OEDA files) read into
 * a dyad_dict. Each entry is checked, translated into dyad's own text formats
 * (dict/FORMAT.md: exact "words", '~' adjacency, *&SET anchors, CODE:CODE2, discards) and
 * loaded with dy_dict_load_text_at at its original file:line, so the coder needs nothing
 * format-specific. The files are dirty (bytes that are not UTF-8 text, CRLF ends, malformed
 * dates, typos in codes): each defect is reported once and the sound rest of the entry kept.
 */
#define _GNU_SOURCE /* memmem */
#include "petrarch.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "dates.h"
#include "lemma.h"

#define MAX_WORDS 32 /* words of one name or phrase */

/* ==== small strings ====================================================================== */

typedef struct strv { /* a growable array of owned strings */
    char **s;
    size_t n, cap;
    int oom;
} strv;

static void strv_push(strv *v, const char *s, size_t n)
{
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 16;
        char **p = realloc(v->s, nc * sizeof *p);
        if (!p) {
            v->oom = 1;
            return;
        }
        v->s = p;
        v->cap = nc;
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

static void strv_free(strv *v)
{
    for (size_t i = 0; i < v->n; i++) free(v->s[i]);
    free(v->s);
    memset(v, 0, sizeof *v);
}

static int strv_has(const strv *v, const char *s)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->s[i], s)) return 1;
    return 0;
}

static const char *skip_sp(const char *s, const char *e)
{
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\r')) s++;
    return s;
}

static const char *trim_sp(const char *s, const char *e)
{
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) e--;
    return e;
}

/* ==== reading lines ====================================================================== */

typedef struct reader {
    dyad_dict *d;
    const char *file;   /* owned by d */
    const char *p, *end;
    uint32_t line;      /* the line last read */
    int in_comment;     /* inside <!-- ... --> */
    int markup;         /* keep lines that start with '<' (issue files) */
    dy_buf buf;         /* the cleaned line */
    int bad;            /* the line held bytes that are not UTF-8 text */
} reader;

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
static int next_line(reader *r)
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
    const char *bs = skip_sp(b, b + r->buf.n);
    if (!r->markup && bs < b + r->buf.n && *bs == '<') r->buf.n = 0;
    dy_buf_nul(&r->buf);
    return 0;
}

static void reader_init(reader *r, dyad_dict *d, const char *file, const char *text, size_t n)
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
#define NAME_RESERVED "|;=>@\"~"                  /* dyad's actor/agent syntax */
#define PATTERN_RESERVED "|;=>@\"~{}()[]&*$%^+"   /* and pattern elements */
static int split_words(const char *s, const char *e, char out[][DY_WORD_MAX], int max, int *stop,
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
static void noun_plural(const char *w, char *out, size_t cap)
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
static void verb_forms(const char *v, char out[3][DY_WORD_MAX])
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
static void put_exact(dy_buf *o, char w[][DY_WORD_MAX], int n)
{
    for (int k = 0; k < n; k++) {
        if (k) dy_buf_putc(o, ' ');
        dy_buf_putc(o, '"');
        dy_buf_puts(o, w[k]);
        dy_buf_putc(o, '"');
    }
}

/* ==== loading translated text ============================================================ */

typedef struct ctx {
    dyad_dict *d;
    const char *file;   /* owned by d */
    unsigned fid;       /* a number unique to this file: names its sets */
    dyad_error *err;
    int failed;         /* a load call failed: stop */
    int rc;
} ctx;

/* Loads dyad text t (one or more lines) of the given kind as file:line. */
static void load(ctx *c, uint32_t line, dy_buf *t, int kind)
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
static void flaw(ctx *c, uint32_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void flaw(ctx *c, uint32_t line, const char *fmt, ...)
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
static int actor_role(ctx *c, uint32_t line, const char *s, const char *e, dy_buf *o)
{
    s = skip_sp(s, e);
    e = trim_sp(s, e);
    const char *ce = s;
    while (ce < e && *ce != ' ' && *ce != '\t' && *ce != '<' && *ce != '>') ce++;
    char code[DY_CODE_MAX + 1];
    size_t cl = (size_t)(ce - s);
    if (cl == 0 || cl >= sizeof code) {
        flaw(c, line, "bad actor code '[%.*s]'", (int)(e - s), s);
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
        flaw(c, line, "bad actor code '%.*s'", (int)cl, s);
        return 1;
    }
    if (lower) flaw(c, line, "actor code '%.*s' in lower case; read as %s", (int)cl, s, code);
    const char *p = skip_sp(ce, e);
    int32_t from = 0, to = 0;
    if (p < e) {
        char kind = *p;
        if (kind == '<' || kind == '>') p = skip_sp(p + 1, e);
        const char *q = p;
        while (q < e && dy_isdigit(*q)) q++;
        int32_t d1 = petr_date(p, (size_t)(q - p)), d2 = 0;
        const char *r = skip_sp(q, e);
        int bad = !d1;
        if (kind == '<' || kind == '>') {
            bad |= r != e;
        } else {
            if (r < e && *r == '-') {
                r = skip_sp(r + 1, e);
                const char *t = r;
                while (t < e && dy_isdigit(*t)) t++;
                d2 = petr_date(r, (size_t)(t - r));
                bad |= !d2 || t != e;
            } else
                bad = 1;
        }
        if (bad) {
            flaw(c, line, "malformed date restriction '%.*s' (want <DATE, >DATE or DATE-DATE; "
                          "YYMMDD or YYYYMMDD); this code is skipped", (int)(e - s), s);
            return 1;
        }
        if (kind == '<') to = day_before(d1);
        else if (kind == '>') from = d1;
        else from = d1, to = d2;
        if (from && to && to < from) {
            flaw(c, line, "date restriction '%.*s' ends before it begins; this code is skipped", (int)(e - s), s);
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

/* ==== actors ============================================================================= */

typedef struct actor_entry {
    dy_buf names;   /* dyad names, " | " separated */
    dy_buf roles;   /* dyad roles, " ; " separated */
    uint32_t line;  /* the entry's first line */
    int open;
    int flawed;     /* a code of it was reported already */
} actor_entry;

/* Adds a PETRARCH name to e's names. */
static void actor_name(ctx *c, actor_entry *e, uint32_t line, const char *s, const char *n)
{
    char w[MAX_WORDS][DY_WORD_MAX];
    int k = split_words(s, n, w, MAX_WORDS, NULL, NAME_RESERVED);
    if (k < 0) {
        flaw(c, line, "actor name '%.*s' has a reserved character or too many words; skipped", (int)(n - s), s);
        return;
    }
    if (!k) return;
    if (e->names.n) dy_buf_puts(&e->names, " | ");
    for (int i = 0; i < k; i++) {
        if (i) dy_buf_putc(&e->names, ' ');
        dy_buf_puts(&e->names, w[i]);
    }
}

/* Reads the "[...]" groups of [s, e) as roles of e. Returns the start of what precedes the
 * first group (the name), i.e. s's end of name. */
static const char *actor_codes(ctx *c, actor_entry *e, uint32_t line, const char *s, const char *end)
{
    const char *first = NULL;
    for (const char *p = s; p < end; p++) {
        if (*p != '[') continue;
        if (!first) first = p;
        const char *q = memchr(p, ']', (size_t)(end - p));
        if (!q) {
            flaw(c, line, "unclosed '[' in '%.*s'", (int)(end - p), p);
            e->flawed = 1;
            break;
        }
        if (actor_role(c, line, p + 1, q, &e->roles)) e->flawed = 1;
        p = q;
    }
    return first ? first : end;
}

static void actor_flush(ctx *c, actor_entry *e)
{
    if (!e->open) return;
    e->open = 0;
    if (!e->names.n) { /* every name was unusable: already reported */
        e->names.n = e->roles.n = 0;
        return;
    }
    if (!e->roles.n) {
        if (!e->flawed)
            flaw(c, e->line, "actor entry '%.*s' has no usable code; skipped", (int)(e->names.n > 60 ? 60 : e->names.n), e->names.p);
        e->names.n = 0;
        return;
    }
    dy_buf t = {0};
    dy_buf_put(&t, e->names.p, e->names.n);
    dy_buf_puts(&t, " => ");
    dy_buf_put(&t, e->roles.p, e->roles.n);
    load(c, e->line, &t, K_ACTORS);
    dy_buf_free(&t);
    e->names.n = e->roles.n = 0;
}

static void load_actors(ctx *c, reader *r)
{
    actor_entry e = {0};
    int gap = 1; /* a blank or comment line since the last name line */
    while (!c->failed && next_line(r) == 0) {
        const char *s = r->buf.p, *end = s + r->buf.n;
        const char *b = skip_sp(s, end);
        if (b == trim_sp(b, end)) { /* blank */
            gap = 1;
            continue;
        }
        if (*b == '[') { /* a code line of the open entry */
            if (!e.open) {
                flaw(c, r->line, "code line outside an actor entry");
                continue;
            }
            actor_codes(c, &e, r->line, b, end);
            continue;
        }
        if (*b == '+') { /* a synonym */
            if (!e.open) {
                flaw(c, r->line, "synonym outside an actor entry");
                continue;
            }
            const char *ne = actor_codes(c, &e, r->line, b + 1, end);
            if (!r->bad) actor_name(c, &e, r->line, b + 1, trim_sp(b + 1, ne));
            continue;
        }
        /* a new entry: NAME [CODE ...]; names on consecutive lines before any code line
         * ("LEONID_BREZHNEV_" "SECRETARY_BREZHNEV" then the codes) are one entry */
        if (!(e.open && !gap && !e.roles.n)) {
            actor_flush(c, &e);
            e.open = 1;
            e.flawed = 0;
            e.line = r->line;
        }
        gap = 0;
        const char *ne = actor_codes(c, &e, r->line, b, end);
        if (!r->bad) actor_name(c, &e, r->line, b, trim_sp(b, ne));
    }
    actor_flush(c, &e);
    dy_buf_free(&e.names);
    dy_buf_free(&e.roles);
}

/* ==== agents ============================================================================= */

typedef struct subst {
    char name[64];
    strv words;
} subst;

/* Expands the !NAME! substitution sets in a name into every combination (at most 64). */
static void expand_subst(const char *s, const char *e, const subst *sub, int nsub, strv *out, int depth)
{
    const char *a = memchr(s, '!', (size_t)(e - s));
    const char *b = a ? memchr(a + 1, '!', (size_t)(e - a - 1)) : NULL;
    if (!b || depth > 3 || out->n > 64) {
        strv_push(out, s, (size_t)(e - s));
        return;
    }
    for (int i = 0; i < nsub; i++) {
        if (strlen(sub[i].name) != (size_t)(b + 1 - a) || memcmp(sub[i].name, a, (size_t)(b + 1 - a))) continue;
        for (size_t k = 0; k < sub[i].words.n; k++) {
            dy_buf t = {0};
            dy_buf_put(&t, s, (size_t)(a - s));
            dy_buf_puts(&t, sub[i].words.s[k]);
            dy_buf_put(&t, b + 1, (size_t)(e - b - 1));
            if (!t.oom && t.p) expand_subst(t.p, t.p + t.n, sub, nsub, out, depth + 1);
            dy_buf_free(&t);
        }
        return;
    }
    strv_push(out, s, (size_t)(e - s)); /* unknown set: kept as written, reported by caller */
}

static void load_agents(ctx *c, reader *r)
{
    subst sub[32];
    int nsub = 0;
    while (!c->failed && next_line(r) == 0) {
        if (r->bad) continue;
        const char *s = r->buf.p, *end = s + r->buf.n;
        s = skip_sp(s, end);
        end = trim_sp(s, end);
        if (s == end) continue;
        uint32_t line = r->line;
        const char *sb = *s == '!' ? memchr(s + 1, '!', (size_t)(end - s - 1)) : NULL;
        if (sb && skip_sp(sb + 1, end) < end && *skip_sp(sb + 1, end) == '=') { /* !NAME! = A, B */
            const char *b = sb, *eq = skip_sp(sb + 1, end);
            if ((size_t)(b + 1 - s) >= sizeof sub[0].name || nsub == 32) {
                flaw(c, line, "malformed substitution set (want !NAME! = A, B, C)");
                continue;
            }
            subst *x = &sub[nsub++];
            memset(x, 0, sizeof *x);
            memcpy(x->name, s, (size_t)(b + 1 - s));
            for (const char *p = eq + 1; p < end;) {
                const char *q = memchr(p, ',', (size_t)(end - p));
                if (!q) q = end;
                const char *ws = skip_sp(p, q), *we = trim_sp(ws, q);
                if (we > ws) strv_push(&x->words, ws, (size_t)(we - ws));
                p = q < end ? q + 1 : end;
            }
            continue;
        }
        const char *lb = memchr(s, '[', (size_t)(end - s));
        const char *rb = lb ? memchr(lb, ']', (size_t)(end - lb)) : NULL;
        if (!lb || !rb) {
            flaw(c, line, lb ? "unclosed '[' in agent line" : "agent line without a [CODE]");
            continue;
        }
        /* the code: ~SEC (a suffix) or SEC~ (a prefix) */
        const char *cs = skip_sp(lb + 1, rb), *ce = trim_sp(cs, rb);
        int suffix = ce > cs && *cs == '~', prefix = ce > cs && ce[-1] == '~';
        const char *k0 = suffix ? cs + 1 : cs, *k1 = prefix ? ce - 1 : ce;
        int ok = (suffix ^ prefix) && k1 - k0 >= 3 && k1 - k0 < DY_CODE_MAX;
        for (const char *p = k0; ok && p < k1; p++)
            if (!dy_isupper(*p) && !dy_isdigit(*p)) ok = 0;
        if (!ok) {
            flaw(c, line, "bad agent code '[%.*s]' (want [~SEC] or [SEC~])", (int)(rb - lb - 1), lb + 1);
            continue;
        }
        /* the name, then {plurals} */
        const char *brace = memchr(s, '{', (size_t)(lb - s));
        const char *ne = trim_sp(s, brace ? brace : lb);
        const char *pl0 = NULL, *pl1 = NULL;
        if (brace) {
            pl0 = brace + 1;
            pl1 = memchr(pl0, '}', (size_t)(lb - pl0));
            if (!pl1) {
                flaw(c, line, "unclosed '{' in agent line");
                continue;
            }
        }
        strv names = {0};
        expand_subst(s, ne, sub, nsub, &names, 0);
        dy_buf t = {0};
        int count = 0;
        for (size_t i = 0; i < names.n; i++) {
            const char *nm = names.s[i];
            if (strchr(nm, '!')) {
                flaw(c, line, "unknown substitution set in '%s'; name skipped", nm);
                continue;
            }
            char w[MAX_WORDS][DY_WORD_MAX];
            int stop[MAX_WORDS];
            int k = split_words(nm, nm + strlen(nm), w, MAX_WORDS, stop, NAME_RESERVED);
            if (k <= 0) {
                flaw(c, line, "agent name '%s' has a reserved character or too many words; skipped", nm);
                continue;
            }
            if (count++) dy_buf_puts(&t, " | ");
            if (brace) put_exact(&t, w, k); /* its forms are listed: match exactly those */
            else {
                for (int j = 0; j < k; j++) dy_buf_printf(&t, "%s%s", j ? " " : "", w[j]);
                if (!stop[k - 1]) { /* and its regular plural */
                    char pl[DY_WORD_MAX];
                    noun_plural(w[k - 1], pl, sizeof pl);
                    dy_buf_puts(&t, " | ");
                    for (int j = 0; j + 1 < k; j++) dy_buf_printf(&t, "%s ", w[j]);
                    dy_buf_puts(&t, pl);
                }
            }
        }
        strv_free(&names);
        if (brace) /* listed plurals: "ATTORNEYS_GENERAL" */
            for (const char *p = skip_sp(pl0, pl1); p < pl1; p = skip_sp(p, pl1)) {
                const char *q = p;
                while (q < pl1 && *q != ' ' && *q != '\t') q++;
                char w[MAX_WORDS][DY_WORD_MAX];
                int k = split_words(p, q, w, MAX_WORDS, NULL, NAME_RESERVED);
                if (k > 0) {
                    if (count++) dy_buf_puts(&t, " | ");
                    put_exact(&t, w, k);
                }
                p = q;
            }
        if (!count) {
            dy_buf_free(&t);
            continue;
        }
        dy_buf_printf(&t, " => %s%.*s%s @append @standalone", suffix ? "~" : "", (int)(k1 - k0), k0,
                      prefix ? "~" : "");
        load(c, line, &t, K_AGENTS);
        dy_buf_free(&t);
    }
    for (int i = 0; i < nsub; i++) strv_free(&sub[i].words);
}

/* ==== discards =========================================================================== */

static void load_discards(ctx *c, reader *r)
{
    while (!c->failed && next_line(r) == 0) {
        if (r->bad) continue;
        const char *s = skip_sp(r->buf.p, r->buf.p + r->buf.n), *end = trim_sp(s, r->buf.p + r->buf.n);
        if (s == end) continue;
        int story = *s == '+';
        if (story) s = skip_sp(s + 1, end);
        char w[MAX_WORDS][DY_WORD_MAX];
        int stop[MAX_WORDS];
        int k = split_words(s, end, w, MAX_WORDS, stop, NAME_RESERVED);
        if (k <= 0) {
            flaw(c, r->line, "discard phrase '%.*s' has a reserved character or too many words", (int)(end - s), s);
            continue;
        }
        /* a word ending in '_' is matched whole, others as the beginning of a word */
        dy_buf t = {0};
        for (int j = 0; j < k; j++) dy_buf_printf(&t, "%s%s%s", j ? " " : "", w[j], stop[j] ? "" : "*");
        if (story) dy_buf_puts(&t, " => story");
        load(c, r->line, &t, K_DISCARDS);
        dy_buf_free(&t);
    }
}

/* ==== issues ============================================================================= */

static void load_issues(ctx *c, reader *r)
{
    r->markup = 1;
    int open = 0;
    while (!c->failed && next_line(r) == 0) {
        if (r->bad) continue;
        const char *s = skip_sp(r->buf.p, r->buf.p + r->buf.n), *end = trim_sp(s, r->buf.p + r->buf.n);
        if (s == end) continue;
        if (!strncmp(s, "<ISSUE", 6)) {
            if (open) flaw(c, r->line, "<ISSUE> inside another");
            if (!memmem(s, (size_t)(end - s), "CATEGORY=", 9)) flaw(c, r->line, "<ISSUE> without CATEGORY=");
            open = 1;
            continue;
        }
        if (!strncmp(s, "</ISSUE>", 8)) {
            if (!open) flaw(c, r->line, "</ISSUE> without <ISSUE>");
            open = 0;
            continue;
        }
        if (*s == '<') continue;
        if (!open) {
            flaw(c, r->line, "issue phrase outside <ISSUE> ... </ISSUE>");
            continue;
        }
        if (*s == '~') continue; /* a phrase that must not count */
        /* "phrase [CODE]"; a phrase without a code counts for the category itself */
        const char *lb = memchr(s, '[', (size_t)(end - s));
        if (lb && (end[-1] != ']' || lb == s)) {
            flaw(c, r->line, "malformed issue phrase (want 'phrase [CODE]')");
            continue;
        }
        c->d->nissue++;
    }
    if (open) flaw(c, r->line, "<ISSUE> not closed at the end of the file");
}

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
    const char *a = skip_sp(lb + 1, rb), *b = trim_sp(a, rb);
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
        flaw(v->c, st->line, "synonym set &%s has no members", st->name);
        return;
    }
    dy_buf t = {0};
    dy_buf_printf(&t, "&F%u.%s = ", v->c->fid, st->name);
    dy_buf_put(&t, st->members.p, st->members.n);
    load(v->c, st->line, &t, K_VERBS);
    dy_buf_free(&t);
}

/* Adds a member line ("+WORD_WORD", "+&OTHERSET") to the synset being read. */
static void set_member(verbs *v, uint32_t line, const char *s, const char *e)
{
    synset *st = v->cur;
    s = skip_sp(s, e);
    e = trim_sp(s, e);
    if (s < e && *s == '&') { /* a synset inside a synset: its members */
        synset *in = find_set(v, s + 1, (size_t)(e - s - 1));
        if (!in || in == st) {
            flaw(v->c, line, "synonym set %.*s is not defined before it is used", (int)(e - s), s);
            return;
        }
        if (st->members.n) dy_buf_puts(&st->members, " | ");
        dy_buf_put(&st->members, in->members.p, in->members.n);
        return;
    }
    char w[MAX_WORDS][DY_WORD_MAX];
    int stop[MAX_WORDS];
    int k = split_words(s, e, w, MAX_WORDS, stop, PATTERN_RESERVED);
    if (k <= 0) {
        flaw(v->c, line, "synonym '%.*s' has a reserved character or too many words", (int)(e - s), s);
        return;
    }
    if (st->members.n) dy_buf_puts(&st->members, " | ");
    put_exact(&st->members, w, k);
    if (!stop[k - 1] && dy_isalpha(w[k - 1][strlen(w[k - 1]) - 1])) { /* and the plural */
        char pl[DY_WORD_MAX];
        noun_plural(w[k - 1], pl, sizeof pl);
        memcpy(w[k - 1], pl, sizeof pl);
        dy_buf_puts(&st->members, " | ");
        put_exact(&st->members, w, k);
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
    n = split_words(tmp, tmp + tn, w, MAX_WORDS, NULL, PATTERN_RESERVED);
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
    if (verb_shape(s, trim_sp(s, ne), pre, post, verb)) {
        flaw(v->c, line, "verb '%.*s' has a reserved character or too many words", (int)(ne - s), s);
        return;
    }
    if (v->nvv == v->vvcap) {
        size_t nc = v->vvcap ? v->vvcap * 2 : 16;
        vverb *p = realloc(v->vv, nc * sizeof *p);
        if (!p) {
            v->c->failed = 1;
            v->c->rc = DYAD_ENOMEM;
            return;
        }
        v->vv = p;
        v->vvcap = nc;
    }
    vverb *x = &v->vv[v->nvv++];
    memset(x, 0, sizeof *x);
    memcpy(x->pre, pre, sizeof pre);
    memcpy(x->post, post, sizeof post);
    x->line = line;
    strv_push(&x->forms, verb, strlen(verb));
    char f[3][DY_WORD_MAX];
    if (dy_isalpha(verb[strlen(verb) - 1])) {
        verb_forms(verb, f);
        for (int k = 0; k < 3; k++)
            if (!strv_has(&x->forms, f[k])) strv_push(&x->forms, f[k], strlen(f[k]));
    }
    if (brace) { /* irregular forms, each written like the verb ("+BROKE_DOWN") */
        const char *rb = memchr(brace, '}', (size_t)(e - brace));
        if (!rb) {
            flaw(v->c, line, "unclosed '{' in verb line");
            rb = e;
        }
        for (const char *p = skip_sp(brace + 1, rb); p < rb; p = skip_sp(p, rb)) {
            const char *q = p;
            while (q < rb && *q != ' ' && *q != '\t') q++;
            char fp[160], fo[160], fv[DY_WORD_MAX];
            if (verb_shape(p, q, fp, fo, fv)) flaw(v->c, line, "verb form '%.*s' is malformed", (int)(q - p), p);
            else if (!strv_has(&x->forms, fv)) strv_push(&x->forms, fv, strlen(fv));
            p = q;
        }
    }
    if (lb) {
        bracket_code(lb, e, x->code, sizeof x->code, NULL);
        if (!code_ok(x->code)) {
            flaw(v->c, line, "bad event code '[%s]' on verb; the block's code is used", x->code);
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
            flaw(v->c, line, "pattern has more than 48 items");
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
                flaw(v->c, line, "synonym set %.*s is not defined; pattern skipped", (int)(q - p), p);
                return 1;
            }
            x->kind = IT_SET;
            snprintf(x->text, sizeof x->text, "&F%u.%s", v->c->fid, st->name);
            p = best;
        } else {
            const char *q = p;
            while (q < e && !strchr(" \t_(){}*$%^&+", *q)) q++;
            char w[2][DY_WORD_MAX];
            int k = split_words(p, q, w, 2, NULL, PATTERN_RESERVED);
            if (k != 1) {
                flaw(v->c, line, "pattern word '%.*s' is malformed; pattern skipped", (int)(q - p), p);
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
        flaw(v->c, line, verb ? "pattern has more than one '*'" : "pattern has no '*' (the verb)");
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
        flaw(v->c, line, "pattern outside a verb block");
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
        flaw(v->c, line, "pattern without a [CODE]; skipped");
        return;
    }
    char code[24];
    bracket_code(lb, e, code, sizeof code, NULL);
    if (!code_ok(code)) {
        flaw(v->c, line, "bad event code '[%s]'; pattern skipped", code);
        return;
    }
    dy_buf t = {0};
    if (translate(v, line, skip_sp(s, lb), trim_sp(s, lb), &t)) {
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
    if (v->npat == v->patcap) {
        size_t nc = v->patcap ? v->patcap * 2 : 64;
        vpattern *p = realloc(v->pats, nc * sizeof *p);
        if (!p) {
            dy_buf_free(&t);
            v->c->failed = 1;
            v->c->rc = DYAD_ENOMEM;
            return;
        }
        v->pats = p;
        v->patcap = nc;
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
    if (!v->nvv && v->npat) flaw(c, v->block_line, "verb block has patterns but no verb");
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
        load(c, f->line, &t, K_VERBS);
        snprintf(expr, sizeof expr, "%s*%s%s", f->pre, setname, f->post);
        /* default patterns: one per distinct default code of the shape's verbs */
        int all_default = 1;
        for (size_t i = 0; i < v->nvv && i < 256; i++)
            if (shape_of[i] == k && v->vv[i].code[0]) all_default = 0;
        if (all_default) {
            if (code_fires(v->block_code)) {
                t.n = 0;
                dy_buf_printf(&t, "%s %s", v->block_code, expr);
                load(c, v->block_line, &t, K_VERBS);
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
                load(c, v->vv[i].line, &t, K_VERBS);
                t.n = 0;
                dy_buf_printf(&t, "%s %s*%s.%zu%s", code, f->pre, setname, i, f->post);
                load(c, v->vv[i].line, &t, K_VERBS);
            }
        /* the block's patterns, for this shape (defects reported for the first shape only) */
        c->d->quiet = k > 0;
        for (size_t i = 0; i < v->npat && !c->failed; i++) {
            t.n = 0;
            dy_buf_printf(&t, "%s ", v->pats[i].code);
            put_pattern(&t, v->pats[i].text, expr);
            load(c, v->pats[i].line, &t, K_VERBS);
        }
        c->d->quiet = 0;
        dy_buf_free(&t);
    }
    for (size_t i = 0; i < v->nvv; i++) strv_free(&v->vv[i].forms);
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
        flaw(v->c, line, "verb block header without a [CODE]; its verbs code nothing by default");
        snprintf(v->block_code, sizeof v->block_code, "---");
        return;
    }
    if (!code_ok(v->block_code)) {
        flaw(v->c, line, "bad event code '[%s]' in block header; its verbs code nothing by default", v->block_code);
        snprintf(v->block_code, sizeof v->block_code, "---");
    }
    if (memchr(after, '[', (size_t)(e - after)))
        flaw(v->c, line, "block header has a second [CODE]; the first is used");
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
    if (!ok || depth || !eq || trim_sp(eq + 1, e) == skip_sp(eq + 1, e)) {
        flaw(v->c, line, "malformed transformation (want ~ a (a b VERB) VERB2 = a b CODE)");
        return;
    }
}

static void load_verbs(ctx *c, reader *r, int v2)
{
    verbs v;
    memset(&v, 0, sizeof v);
    v.c = c;
    (void)v2; /* one reader serves both languages: PETRARCH-1 has no {} or () in patterns */
    int saved = c->d->opaque_codes;
    c->d->opaque_codes = 1; /* WEIS-era and extended codes are kept as opaque strings */
    while (!c->failed && next_line(r) == 0) {
        if (r->bad) continue;
        const char *s = skip_sp(r->buf.p, r->buf.p + r->buf.n), *e = trim_sp(s, r->buf.p + r->buf.n);
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
                flaw(c, line, "bad synonym set name");
                continue;
            }
            if (find_set(&v, s + 1, n)) flaw(c, line, "synonym set &%.*s defined twice; the first is used", (int)n, s + 1);
            if (v.nset == v.setcap) {
                size_t nc = v.setcap ? v.setcap * 2 : 32;
                synset *p = realloc(v.sets, nc * sizeof *p);
                if (!p) {
                    c->failed = 1;
                    c->rc = DYAD_ENOMEM;
                    break;
                }
                v.sets = p;
                v.setcap = nc;
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
        else flaw(c, line, "line outside a verb block or synonym set");
    }
    block_flush(&v);
    set_flush(&v);
    for (size_t i = 0; i < v.nset; i++) dy_buf_free(&v.sets[i].members);
    free(v.sets);
    free(v.vv);
    free(v.pats);
    c->d->opaque_codes = saved;
}

/* ==== files ============================================================================== */

/* Lower-case copy of a file's base name. */
static void base_lower(const char *name, char *out, size_t cap)
{
    const char *b = strrchr(name, '/');
    b = b ? b + 1 : name;
    size_t k = 0;
    for (; *b && k + 1 < cap; b++) out[k++] = (char)dy_tolower((unsigned char)*b);
    out[k] = 0;
}

int dy_petrarch_kind(const char *name, const char *text, size_t n)
{
    char b[256];
    base_lower(name, b, sizeof b);
    size_t bl = strlen(b);
    if (bl < 4 || strcmp(b + bl - 4, ".txt")) return PK_NONE;
    if (strstr(b, "actors")) return PK_ACTORS;
    if (strstr(b, "agents")) return PK_AGENTS;
    if (strstr(b, "discard")) return PK_DISCARDS;
    if (strstr(b, "issue")) return PK_ISSUES;
    if (!strstr(b, "verbs") && strncmp(b, "cameo.", 6)) return PK_NONE;
    if (!strcmp(b, "cameo.txt")) return PK_NONE; /* dyad's own CAMEO table */
    /* which pattern language: PETRARCH-2 uses (PREP ...) and {MULTI WORD} in patterns,
     * PETRARCH-1 joins words to the verb ("IN_*") and skips actors with '^' */
    int one = 0, two = 0;
    if (text) {
        const char *p = text, *end = text + n;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *le = nl ? nl : end;
            const char *s = skip_sp(p, le);
            if (le - s > 2 && s[0] == '-' && (s[1] == ' ' || s[1] == '\t')) {
                const char *h = memchr(s, '#', (size_t)(le - s));
                const char *ce = h ? h : le;
                if (memchr(s, '(', (size_t)(ce - s)) || memchr(s, '{', (size_t)(ce - s))) two++;
                for (const char *q = s; q + 1 < ce; q++)
                    if ((q[0] == '_' && q[1] == '*') || (q[0] == '*' && q[1] == '_')) {
                        one++;
                        break;
                    }
            }
            p = nl ? nl + 1 : end;
        }
    }
    if (two > one) return PK_VERBS2;
    if (one > two) return PK_VERBS1;
    return strncmp(b, "cameo.", 6) ? PK_VERBS1 : PK_VERBS2;
}

int dy_petrarch_load_text(dyad_dict *d, const char *name, const char *text, size_t n, int kind,
                          dyad_error *err)
{
    ctx c = {0};
    c.d = d;
    c.err = err;
    c.fid = d->nset; /* grows with every file that defines sets: unique among them */
    c.file = dy_arena_strndup(&d->mem, name, strlen(name));
    if (!c.file) {
        if (err) {
            err->code = DYAD_ENOMEM;
            snprintf(err->message, sizeof err->message, "out of memory loading %s", name);
        }
        return DYAD_ENOMEM;
    }
    if (kind == PK_NONE) kind = dy_petrarch_kind(name, text, n);
    if ((kind == PK_VERBS1 || kind == PK_VERBS2) && d->ncameo == 0) {
        /* the codes' Goldstein scores, quad classes and PLOVER types */
        int rc = dy_dict_load_builtin_kind(d, K_CAMEO, err);
        if (rc) return rc;
    }
    reader r;
    reader_init(&r, d, c.file, text, n);
    switch (kind) {
    case PK_VERBS1: load_verbs(&c, &r, 0); break;
    case PK_VERBS2: load_verbs(&c, &r, 1); break;
    case PK_ACTORS: load_actors(&c, &r); break;
    case PK_AGENTS: load_agents(&c, &r); break;
    case PK_DISCARDS: load_discards(&c, &r); break;
    case PK_ISSUES: load_issues(&c, &r); break;
    default:
        dy_buf_free(&r.buf);
        if (err) {
            err->code = DYAD_EUSAGE;
            snprintf(err->file, sizeof err->file, "%s", name);
            snprintf(err->message, sizeof err->message, "not a PETRARCH dictionary (unknown kind)");
        }
        return DYAD_EUSAGE;
    }
    if (r.in_comment && !c.failed) flaw(&c, r.line, "'<!--' comment not closed at the end of the file");
    dy_buf_free(&r.buf);
    return c.failed ? c.rc : DYAD_OK;
}

static int read_whole(const char *path, char **out, size_t *n, dyad_error *err)
{
    FILE *f = fopen(path, "rb");
    dy_buf b = {0};
    if (f) {
        char tmp[65536];
        size_t k;
        while ((k = fread(tmp, 1, sizeof tmp, f)) > 0) dy_buf_put(&b, tmp, k);
        int bad = ferror(f);
        fclose(f);
        if (!bad && !b.oom) {
            dy_buf_nul(&b);
            *out = b.p ? b.p : calloc(1, 1);
            *n = b.n;
            if (*out) return DYAD_OK;
        }
        dy_buf_free(&b);
    }
    if (err) {
        err->code = DYAD_EIO;
        snprintf(err->file, sizeof err->file, "%s", path);
        err->line = err->column = 0;
        snprintf(err->message, sizeof err->message, "cannot read: %s", strerror(errno ? errno : EIO));
    }
    return DYAD_EIO;
}

int dy_petrarch_load_file(dyad_dict *d, const char *path, int kind, dyad_error *err)
{
    char *text;
    size_t n;
    int rc = read_whole(path, &text, &n, err);
    if (rc) return rc;
    rc = dy_petrarch_load_text(d, path, text, n, kind, err);
    free(text);
    return rc;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Load order: actors, agents, discards, issues, then verbs (their codes and sets last). */
static int kind_rank(int k)
{
    return k == PK_ACTORS ? 0 : k == PK_AGENTS ? 1 : k == PK_DISCARDS ? 2 : k == PK_ISSUES ? 3 : 4;
}

int dy_petrarch_load_dir(dyad_dict *d, const char *dir, int *found, dyad_error *err)
{
    DIR *dp = opendir(dir);
    if (!dp) return DYAD_OK;
    char *names[1024];
    int nn = 0;
    struct dirent *de;
    while ((de = readdir(dp)) && nn < 1024) {
        if (dy_petrarch_kind(de->d_name, NULL, 0) == PK_NONE) continue;
        names[nn] = strdup(de->d_name);
        if (names[nn]) nn++;
    }
    closedir(dp);
    qsort(names, (size_t)nn, sizeof *names, cmp_name);
    int rc = DYAD_OK;
    for (int rank = 0; rank <= 4 && !rc; rank++)
        for (int j = 0; j < nn && !rc; j++) {
            if (kind_rank(dy_petrarch_kind(names[j], NULL, 0)) != rank) continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, names[j]);
            struct stat st;
            if (stat(path, &st) || !S_ISREG(st.st_mode)) continue;
            rc = dy_petrarch_load_file(d, path, PK_NONE, err);
            (*found)++;
        }
    for (int j = 0; j < nn; j++) free(names[j]);
    return rc;
}

/* ==== config files ======================================================================= */

int dy_petrarch_load_config(dyad_dict *d, const char *path, dyad_error *err)
{
    char *text;
    size_t n;
    int rc = read_whole(path, &text, &n, err);
    if (rc) return rc;
    const char *file = dy_arena_strndup(&d->mem, path, strlen(path));
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) slash[1] = 0;
    else dir[0] = 0;
    char dict_path[4096] = "";
    /* two passes: dict_path first, then the files in load order */
    static const char *const keys[] = {"actorfile_list", "agentfile_name", "discardfile_name",
                                       "issuefile_name", "verbfile_name", NULL};
    int loaded = 0;
    for (int pass = -1; pass < 5 && !rc; pass++) {
        const char *p = text, *end = text + n;
        uint32_t line = 0;
        while (p < end && !rc) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *le = nl ? nl : end;
            line++;
            const char *s = skip_sp(p, le), *e = trim_sp(s, le);
            p = nl ? nl + 1 : end;
            if (s == e || *s == '#' || *s == ';' || *s == '[') continue;
            const char *eq = s;
            while (eq < e && *eq != '=' && *eq != ':') eq++;
            if (eq == e) {
                if (pass == -1 && file) dy_dict_defect(d, file, line, "config line without '=' or ':'");
                continue;
            }
            const char *ke = trim_sp(s, eq), *v = skip_sp(eq + 1, e);
            size_t kl = (size_t)(ke - s);
            if (pass == -1) {
                if (kl == 9 && !strncasecmp(s, "dict_path", 9))
                    snprintf(dict_path, sizeof dict_path, "%.*s", (int)(e - v), v);
                continue;
            }
            if (strlen(keys[pass]) != kl || strncasecmp(s, keys[pass], kl)) continue;
            /* a comma-separated list of file names */
            while (v < e && !rc) {
                const char *q = memchr(v, ',', (size_t)(e - v));
                if (!q) q = e;
                const char *a = skip_sp(v, q), *b = trim_sp(a, q);
                if (b > a) {
                    char fp[4096];
                    const char *base = dict_path[0] == '/' ? "" : dir;
                    snprintf(fp, sizeof fp, "%s%s%s%.*s", base, dict_path, dict_path[0] && dict_path[strlen(dict_path) - 1] != '/' ? "/" : "",
                             (int)(b - a), a);
                    static const int kinds[] = {PK_ACTORS, PK_AGENTS, PK_DISCARDS, PK_ISSUES, PK_NONE};
                    int k = kinds[pass];
                    if (k == PK_NONE) { /* verbs: which language, from the contents */
                        char *vt;
                        size_t vn;
                        rc = read_whole(fp, &vt, &vn, err);
                        if (!rc) {
                            k = dy_petrarch_kind(fp, vt, vn);
                            if (k != PK_VERBS2) k = k == PK_VERBS1 ? k : PK_VERBS2;
                            rc = dy_petrarch_load_text(d, fp, vt, vn, k, err);
                            free(vt);
                        }
                    } else
                        rc = dy_petrarch_load_file(d, fp, k, err);
                    loaded++;
                }
                v = q < e ? q + 1 : e;
            }
        }
    }
    free(text);
    if (!rc && !loaded) {
        if (err) {
            err->code = DYAD_EDICT;
            snprintf(err->file, sizeof err->file, "%s", path);
            snprintf(err->message, sizeof err->message,
                     "config names no dictionary (verbfile_name, actorfile_list, agentfile_name, ...)");
        }
        return DYAD_EDICT;
    }
    return rc;
}

int dy_petrarch_load_path(dyad_dict *d, const char *path, dyad_error *err)
{
    char b[256];
    base_lower(path, b, sizeof b);
    size_t bl = strlen(b);
    if (bl > 4 && !strcmp(b + bl - 4, ".ini")) return dy_petrarch_load_config(d, path, err);
    char *text;
    size_t n;
    int rc = read_whole(path, &text, &n, err);
    if (rc) return rc;
    if (memmem(text, n, "[Dictionaries]", 14)) {
        free(text);
        return dy_petrarch_load_config(d, path, err);
    }
    int kind = dy_petrarch_kind(path, text, n);
    if (kind == PK_NONE) {
        free(text);
        if (err) {
            err->code = DYAD_EDICT;
            snprintf(err->file, sizeof err->file, "%s", path);
            err->line = err->column = 0;
            snprintf(err->message, sizeof err->message,
                     "not a dictionary directory, a PETRARCH config file or a PETRARCH dictionary "
                     "(*.verbs.txt, *.actors.txt, *.agents.txt, *discards*.txt, CAMEO.*.txt)");
        }
        return DYAD_EDICT;
    }
    rc = dy_petrarch_load_text(d, path, text, n, kind, err);
    free(text);
    return rc;
}
