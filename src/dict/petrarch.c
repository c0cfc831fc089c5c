/*
 * petrarch.c — PETRARCH's and TABARI's dictionary formats (the Phoenix/OEDA files) read into
 * a dyad_dict. Each entry is checked, translated into dyad's own text formats
 * (dict/FORMAT.md: exact "words", '~' adjacency, *&SET anchors, CODE:CODE2, discards) and
 * loaded with dy_dict_load_text_at at its original file:line, so the coder needs nothing
 * format-specific. The files are dirty (bytes that are not UTF-8 text, CRLF ends, malformed
 * dates, typos in codes): each defect is reported once and the sound rest of the entry kept.
 */
#define _GNU_SOURCE /* memmem */
#include "dict/petrarch.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "dates.h"
#include "dict/petrarch_read.h"
#include "lemma.h"


/* ==== small strings ====================================================================== */


void dy_petr_strv_push(strv *v, const char *s, size_t n)
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
            const char *s = dy_petr_skip_sp(p, le);
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
    case PK_VERBS1: dy_petr_load_verbs(&c, &r, 0); break;
    case PK_VERBS2: dy_petr_load_verbs(&c, &r, 1); break;
    case PK_ACTORS: dy_petr_load_actors(&c, &r); break;
    case PK_AGENTS: dy_petr_load_agents(&c, &r); break;
    case PK_DISCARDS: dy_petr_load_discards(&c, &r); break;
    case PK_ISSUES: dy_petr_load_issues(&c, &r); break;
    default:
        dy_buf_free(&r.buf);
        if (err) {
            err->code = DYAD_EUSAGE;
            snprintf(err->file, sizeof err->file, "%s", name);
            snprintf(err->message, sizeof err->message, "not a PETRARCH dictionary (unknown kind)");
        }
        return DYAD_EUSAGE;
    }
    if (r.in_comment && !c.failed) dy_petr_flaw(&c, r.line, "'<!--' comment not closed at the end of the file");
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
            const char *s = dy_petr_skip_sp(p, le), *e = dy_petr_trim_sp(s, le);
            p = nl ? nl + 1 : end;
            if (s == e || *s == '#' || *s == ';' || *s == '[') continue;
            const char *eq = s;
            while (eq < e && *eq != '=' && *eq != ':') eq++;
            if (eq == e) {
                if (pass == -1 && file) dy_dict_defect(d, file, line, "config line without '=' or ':'");
                continue;
            }
            const char *ke = dy_petr_trim_sp(s, eq), *v = dy_petr_skip_sp(eq + 1, e);
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
                const char *a = dy_petr_skip_sp(v, q), *b = dy_petr_trim_sp(a, q);
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
