/*
 * buf.c — growable byte buffers for output (JSON Lines, explanations) and for the reader's
 * normalised text. Out-of-memory is a sticky flag: later writes are dropped and the caller
 * checks b->oom once at the end, SQLite style.
 */
#include "base/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for n more bytes plus a NUL; returns 0, or -1 (and sets oom) when it cannot. */
static int reserve(dy_buf *b, size_t n)
{
    if (b->oom) return -1;
    if (n < b->cap - b->n) return 0; /* also leaves room for the NUL of dy_buf_nul */
    if (n > SIZE_MAX / 2 - b->n - 1) {
        b->oom = 1;
        return -1;
    }
    size_t cap = b->cap ? b->cap : 64;
    while (cap - b->n <= n) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

/* Appends s[0..n). */
void dy_buf_put(dy_buf *b, const void *s, size_t n)
{
    if (!n || reserve(b, n)) return;
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

/* Appends a NUL-terminated string. */
void dy_buf_puts(dy_buf *b, const char *s) { dy_buf_put(b, s, strlen(s)); }

/* Appends one byte. */
void dy_buf_putc(dy_buf *b, int c)
{
    if (reserve(b, 1)) return;
    b->p[b->n++] = (char)c;
}

/* Appends v in decimal, as printf's %llu writes it (without parsing a format). */
void dy_buf_putu(dy_buf *b, unsigned long long v)
{
    char d[24];
    size_t k = sizeof d;
    do d[--k] = (char)('0' + v % 10);
    while (v /= 10);
    dy_buf_put(b, d + k, sizeof d - k);
}

/* Appends printf-formatted text: formats straight into the spare room, growing once if it
 * did not fit. */
void dy_buf_printf(dy_buf *b, const char *fmt, ...)
{
    va_list ap;
    if (reserve(b, 64)) return;
    va_start(ap, fmt);
    int k = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    if (k < 0) return;
    if ((size_t)k >= b->cap - b->n) {
        if (reserve(b, (size_t)k)) return;
        va_start(ap, fmt);
        vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
        va_end(ap);
    }
    b->n += (size_t)k;
}

/* Appends s[0..n) as a JSON string literal. Runs of plain bytes are copied in one go; quotes,
 * backslashes and control characters are escaped; invalid UTF-8 becomes U+FFFD so the output
 * is always valid JSON; U+2028 and U+2029 are escaped so the output is also valid
 * JavaScript. */
void dy_buf_json_str(dy_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0;
    dy_buf_putc(b, '"');
    while (i < n) {
        unsigned c = u[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        if (c >= 0x80) {
            int32_t cp;
            int k = dy_utf8_decode(u + i, n - i, &cp);
            if (cp >= 0 && cp != 0x2028 && cp != 0x2029) {
                i += (size_t)k;
                continue;
            }
            dy_buf_put(b, s + run, i - run);
            if (cp < 0)
                dy_buf_put(b, "\xEF\xBF\xBD", 3);
            else
                dy_buf_puts(b, cp == 0x2028 ? "\\u2028" : "\\u2029");
            i += (size_t)k;
            run = i;
            continue;
        }
        dy_buf_put(b, s + run, i - run);
        switch (c) {
        case '"': dy_buf_put(b, "\\\"", 2); break;
        case '\\': dy_buf_put(b, "\\\\", 2); break;
        case '\n': dy_buf_put(b, "\\n", 2); break;
        case '\r': dy_buf_put(b, "\\r", 2); break;
        case '\t': dy_buf_put(b, "\\t", 2); break;
        case '\b': dy_buf_put(b, "\\b", 2); break;
        case '\f': dy_buf_put(b, "\\f", 2); break;
        default: {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            dy_buf_put(b, e, 6);
        }
        }
        i++;
        run = i;
    }
    dy_buf_put(b, s + run, i - run);
    dy_buf_putc(b, '"');
}

/* A C string as a JSON string, or the literal null for NULL. */
void dy_buf_json_cstr(dy_buf *b, const char *s)
{
    if (!s)
        dy_buf_put(b, "null", 4);
    else
        dy_buf_json_str(b, s, strlen(s));
}

/* NUL-terminates the contents without counting the NUL. After this b->p is never NULL unless
 * b->oom is set. */
void dy_buf_nul(dy_buf *b)
{
    if (reserve(b, 0)) return;
    b->p[b->n] = 0;
}

/* Frees the bytes and leaves an empty buffer (with oom cleared) ready for reuse. */
void dy_buf_free(dy_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
    b->oom = 0;
}
