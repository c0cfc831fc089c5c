/*
 * store_json.c — a small JSON parser for the event store's ingest (see store_json.h). Nodes
 * and unescaped strings live in one block sized from the input: a JSON text of n bytes has
 * at most n/2 + 1 values, and its unescaped strings with their NULs take at most n bytes.
 */
#include "store_json.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    const char *p, *end;
    sj_t *nodes;
    size_t used, cap;
    char *out; /* where the next unescaped string goes */
    int depth;
} parser;

static void ws(parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static int hex4(const char *p, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        *v <<= 4;
        if (c >= '0' && c <= '9') *v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') *v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') *v |= (unsigned)(c - 'A' + 10);
        else return -1;
    }
    return 0;
}

static char *put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) *o++ = (char)cp;
    else if (cp < 0x800) *o++ = (char)(0xC0 | cp >> 6), *o++ = (char)(0x80 | (cp & 0x3F));
    else if (cp < 0x10000)
        *o++ = (char)(0xE0 | cp >> 12), *o++ = (char)(0x80 | ((cp >> 6) & 0x3F)),
        *o++ = (char)(0x80 | (cp & 0x3F));
    else
        *o++ = (char)(0xF0 | cp >> 18), *o++ = (char)(0x80 | ((cp >> 12) & 0x3F)),
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F)), *o++ = (char)(0x80 | (cp & 0x3F));
    return o;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t k;
    unsigned cp;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) k = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) k = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) k = 4, cp = c & 0x07;
    else return 0;
    if (k > n) return 0;
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if ((k == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return k;
}

/* A string at ps->p (after its opening quote); its value is written to ps->out. */
static const char *string(parser *ps)
{
    char *start = ps->out, *o = ps->out;
    const char *p = ps->p, *end = ps->end;
    for (;;) {
        const char *q = p; /* the plain run: copied at once */
        while (q < end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20 && (unsigned char)*q < 0x80) q++;
        memcpy(o, p, (size_t)(q - p));
        o += q - p;
        p = q;
        if (p >= end) return NULL;
        unsigned char c = (unsigned char)*p;
        if (c == '"') break;
        if (c < 0x20) return NULL;
        if (c >= 0x80) {
            size_t k = utf8_len((const unsigned char *)p, (size_t)(end - p));
            if (!k) return NULL;
            memcpy(o, p, k);
            o += k;
            p += k;
            continue;
        }
        /* an escape */
        if (++p >= end) return NULL;
        switch (*p++) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            unsigned cp, lo;
            if (end - p < 4 || hex4(p, &cp)) return NULL;
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) { /* a surrogate pair */
                if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                    return NULL;
                p += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0) {
                return NULL; /* a lone low surrogate; NUL (as jansson by default) */
            }
            o = put_utf8(o, cp);
            break;
        }
        default: return NULL;
        }
    }
    *o++ = 0;
    ps->p = p + 1;
    ps->out = o;
    return start;
}

static sj_t *value(parser *ps);

static sj_t *node(parser *ps, char type)
{
    if (ps->used == ps->cap) return NULL;
    sj_t *v = &ps->nodes[ps->used++];
    memset(v, 0, sizeof *v);
    v->type = type;
    return v;
}

static sj_t *number(parser *ps)
{
    const char *p = ps->p, *s = p;
    int real = 0;
    if (p < ps->end && *p == '-') p++;
    if (p >= ps->end || *p < '0' || *p > '9') return NULL;
    if (*p == '0') p++;
    else while (p < ps->end && *p >= '0' && *p <= '9') p++;
    if (p < ps->end && *p == '.') {
        real = 1;
        if (++p >= ps->end || *p < '0' || *p > '9') return NULL;
        while (p < ps->end && *p >= '0' && *p <= '9') p++;
    }
    if (p < ps->end && (*p == 'e' || *p == 'E')) {
        real = 1;
        p++;
        if (p < ps->end && (*p == '+' || *p == '-')) p++;
        if (p >= ps->end || *p < '0' || *p > '9') return NULL;
        while (p < ps->end && *p >= '0' && *p <= '9') p++;
    }
    /* strtod and strtoll want a NUL: the number is copied to where the next string will go
     * (the strings so far and this number are never longer than the input read so far) */
    size_t len = (size_t)(p - s);
    memcpy(ps->out, s, len);
    ps->out[len] = 0;
    sj_t *v = node(ps, real ? 'r' : 'i');
    if (!v) return NULL;
    errno = 0;
    if (real) v->d = strtod(ps->out, NULL);
    else v->i = strtoll(ps->out, NULL, 10);
    /* as jansson: too big an integer, or a real past the largest double, is an error (a
     * real too small becomes 0 or a subnormal) */
    if (errno == ERANGE && (!real || v->d == HUGE_VAL || v->d == -HUGE_VAL)) return NULL;
    ps->p = p;
    return v;
}

static sj_t *value(parser *ps);

/* Parses one value; like jansson, every value counts as a level of depth (at most 2048). */
static sj_t *nested(parser *ps)
{
    if (++ps->depth > 2048) return NULL;
    sj_t *v = value(ps);
    ps->depth--;
    return v;
}

static sj_t *value(parser *ps)
{
    ws(ps);
    if (ps->p >= ps->end) return NULL;
    char c = *ps->p;
    sj_t *v;
    if (c == '{' || c == '[') {
        v = node(ps, c == '{' ? 'o' : 'a');
        if (!v) return NULL;
        ps->p++;
        ws(ps);
        char close = c == '{' ? '}' : ']';
        sj_t **tail = &v->first;
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            return v;
        }
        for (;;) {
            const char *key = NULL;
            if (c == '{') {
                ws(ps);
                if (ps->p >= ps->end || *ps->p != '"') return NULL;
                ps->p++;
                if (!(key = string(ps))) return NULL;
                ws(ps);
                if (ps->p >= ps->end || *ps->p != ':') return NULL;
                ps->p++;
            }
            sj_t *m = nested(ps);
            if (!m) return NULL;
            m->key = key;
            *tail = m;
            tail = &m->next;
            v->n++;
            ws(ps);
            if (ps->p >= ps->end) return NULL;
            if (*ps->p == ',') {
                ps->p++;
                continue;
            }
            if (*ps->p != close) return NULL;
            ps->p++;
            return v;
        }
    }
    if (c == '"') {
        ps->p++;
        const char *s = string(ps);
        if (!s || !(v = node(ps, 's'))) return NULL;
        v->str = s;
        return v;
    }
    static const struct {
        const char *word;
        size_t n;
        char type;
    } lit[] = {{"true", 4, 't'}, {"false", 5, 'f'}, {"null", 4, 'n'}};
    for (int i = 0; i < 3; i++)
        if (c == lit[i].word[0]) {
            if ((size_t)(ps->end - ps->p) < lit[i].n || memcmp(ps->p, lit[i].word, lit[i].n)) return NULL;
            ps->p += lit[i].n;
            return node(ps, lit[i].type);
        }
    return number(ps);
}

sj_t *sj_parse(const char *p, size_t n)
{
    size_t cap = n / 2 + 2;
    /* the nodes, then the strings */
    sj_t *block = malloc(cap * sizeof(sj_t) + n + 1);
    if (!block) return NULL;
    parser ps = {p, p + n, block, 0, cap, (char *)(block + cap), 0};
    sj_t *v = nested(&ps);
    ws(&ps);
    if (!v || ps.p != ps.end) {
        free(block);
        return NULL;
    }
    return v; /* the root is the block's first node */
}

void sj_free(sj_t *v) { free(v); }

sj_t *sj_object_get(const sj_t *o, const char *key)
{
    if (!o || o->type != 'o') return NULL;
    sj_t *found = NULL; /* of a name given twice, the last value (as jansson) */
    for (sj_t *m = o->first; m; m = m->next)
        if (!strcmp(m->key, key)) found = m;
    return found;
}

sj_t *sj_array_get(const sj_t *a, size_t i)
{
    if (!a || a->type != 'a' || i >= a->n) return NULL;
    sj_t *m = a->first;
    while (i--) m = m->next;
    return m;
}

size_t sj_array_size(const sj_t *a) { return a && a->type == 'a' ? a->n : 0; }
