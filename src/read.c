/*
 * read.c — the read stage: bytes from a FILE -> dyad_story values. Plain text (the whole input
 * is one story, with an optional leading "date YYYY-MM-DD") or JSON Lines (one object per
 * line, parsed by jansson). UTF-16 input with a byte-order mark is transcoded on the fly; every
 * story's text is normalised (dy_text_normalise) so later stages see clean UTF-8.
 * Memory is bounded: a line or story over the limit is read through and dropped, never held.
 */
#include "dyad.h"

#include "base/base.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAW_CHUNK ((size_t)64 << 10)               /* bytes asked of fread at a time */
#define IN_CAP (RAW_CHUNK + RAW_CHUNK / 2 + 64)    /* UTF-16 -> UTF-8 grows by at most 3/2 */

enum { ENC_UTF8, ENC_UTF16LE, ENC_UTF16BE };

struct dyad_reader {
    FILE *f;
    char *label;         /* name for errors: the name given, or "stdin" */
    char *file;          /* dyad_story.file: the name given, NULL for stdin */
    char *base;          /* base name of the input, for ids */
    char default_date[11];
    int has_default;     /* default_date holds a date */
    size_t max;          /* bytes a story or line may have */
    dyad_format format;  /* AUTO until the first call decides */
    int started;         /* the BOM and leading white space have been dealt with */
    int finished;        /* the text story was returned, or a fatal error happened */

    unsigned char *in;   /* decoded input (UTF-8) */
    size_t pos, len;     /* in[pos..len) not consumed yet */
    unsigned char *raw;  /* UTF-16 only: undecoded bytes */
    size_t rawlen;       /* bytes carried over in raw (0 or 1) */
    int enc;             /* ENC_* */
    int32_t high;        /* UTF-16: a pending high surrogate, or -1 */
    unsigned bad16;      /* UTF-16 units replaced by U+FFFD, not yet given to a story */
    int eof;             /* fread has reported the end */
    int ioerr;           /* errno of a read error, 0 if none */
    size_t lineno;       /* lines consumed so far */

    dy_buf line;         /* the current JSON line, or the raw text story */
    dy_buf fixed;        /* the current line with invalid UTF-8 repaired */
    dy_buf text;         /* the normalised text of the current story */
    dy_buf scratch;      /* a JSON string being unescaped (fast_object) */
    dy_arena strings;    /* the current story's other strings */
};

/* ==== errors ============================================================================== */

/* Fills *err (when not NULL) with code, file, line, column and a formatted reason; returns
 * code so that callers can write `return fail(...)`. */
static int fail(dyad_reader *r, dyad_error *err, int code, size_t line, size_t column,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int fail(dyad_reader *r, dyad_error *err, int code, size_t line, size_t column,
                const char *fmt, ...)
{
    if (!err) return code;
    va_list ap;
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", r ? r->label : "");
    err->line = line;
    err->column = column;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

/* ==== input: bytes, UTF-16 transcoding ===================================================== */

/* Appends code point cp as UTF-8 at in[len]; the caller has made sure 4 bytes are free. */
static void put_cp(dyad_reader *r, uint32_t cp)
{
    unsigned char *o = r->in + r->len;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        r->len += 1;
    } else if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        r->len += 2;
    } else if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        r->len += 3;
    } else {
        o[0] = (unsigned char)(0xF0 | (cp >> 18));
        o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (unsigned char)(0x80 | (cp & 0x3F));
        r->len += 4;
    }
}

/* Transcodes the UTF-16 units in raw[0..n) (n even) into in[], pairing surrogates across
 * calls; unpaired surrogates become U+FFFD and are counted. */
static void transcode(dyad_reader *r, size_t n)
{
    const unsigned char *s = r->raw;
    int le = r->enc == ENC_UTF16LE;
    for (size_t i = 0; i < n; i += 2) {
        uint32_t u = le ? (uint32_t)(s[i] | s[i + 1] << 8) : (uint32_t)(s[i] << 8 | s[i + 1]);
        if (r->high >= 0) {
            if (u >= 0xDC00 && u <= 0xDFFF) {
                put_cp(r, 0x10000 + (((uint32_t)r->high - 0xD800) << 10) + (u - 0xDC00));
                r->high = -1;
                continue;
            }
            put_cp(r, 0xFFFD);
            r->bad16++;
            r->high = -1;
        }
        if (u >= 0xD800 && u <= 0xDBFF) {
            r->high = (int32_t)u;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            put_cp(r, 0xFFFD);
            r->bad16++;
        } else {
            put_cp(r, u);
        }
    }
}

/* Notes the end of the input or a read error after fread returned nothing. */
static void at_end(dyad_reader *r)
{
    if (ferror(r->f)) r->ioerr = errno ? errno : EIO;
    r->eof = 1;
}

/* Refills in[] once it is consumed. Returns the bytes now available, 0 at the end of the
 * input or after a read error (r->ioerr set). */
static size_t fill(dyad_reader *r)
{
    r->pos = r->len = 0;
    while (!r->eof && r->len == 0) {
        if (r->enc == ENC_UTF8) {
            r->len = fread(r->in, 1, RAW_CHUNK, r->f);
            if (r->len == 0) at_end(r);
            continue;
        }
        size_t k = fread(r->raw + r->rawlen, 1, RAW_CHUNK - r->rawlen, r->f);
        if (k == 0) {
            at_end(r);
            if (r->rawlen || r->high >= 0) { /* an odd byte or a lone high surrogate at the end */
                put_cp(r, 0xFFFD);
                r->bad16++;
                r->rawlen = 0;
                r->high = -1;
            }
            break;
        }
        size_t total = r->rawlen + k, even = total & ~(size_t)1;
        transcode(r, even);
        r->rawlen = total - even;
        if (r->rawlen) r->raw[0] = r->raw[even];
    }
    return r->len;
}

/* The first call: reads the first chunk, recognises a byte-order mark (UTF-8 is skipped, UTF-16
 * switches on transcoding), then drops leading white space, counting its lines. Returns the
 * first byte of content, or -1 when there is none. */
static int start(dyad_reader *r)
{
    r->started = 1;
    if (!fill(r)) return -1;
    if (r->len >= 2 && ((r->in[0] == 0xFF && r->in[1] == 0xFE) ||
                        (r->in[0] == 0xFE && r->in[1] == 0xFF))) {
        r->raw = malloc(RAW_CHUNK);
        if (!r->raw) {
            r->ioerr = ENOMEM;
            return -1;
        }
        r->enc = r->in[0] == 0xFF ? ENC_UTF16LE : ENC_UTF16BE;
        size_t total = r->len - 2, even = total & ~(size_t)1;
        memcpy(r->raw, r->in + 2, total);
        r->len = 0;
        transcode(r, even);
        r->rawlen = total - even;
        if (r->rawlen) r->raw[0] = r->raw[even];
        r->pos = 0;
    } else if (r->len >= 3 && r->in[0] == 0xEF && r->in[1] == 0xBB && r->in[2] == 0xBF) {
        r->pos = 3;
    }
    for (;;) {
        if (r->pos == r->len && !fill(r)) return -1;
        unsigned char c = r->in[r->pos];
        if (c == '\n')
            r->lineno++;
        else if (c != ' ' && c != '\t' && c != '\r')
            return c;
        r->pos++;
    }
}

/* Reads one line (without its '\n') into r->line. Returns 1 when a line was read, 0 at the
 * end of the input. *over is set when the line passed the limit: its bytes were read through
 * and dropped, so memory stays within the limit plus one chunk. */
static int read_line(dyad_reader *r, int *over)
{
    int any = 0;
    *over = 0;
    r->line.n = 0;
    for (;;) {
        if (r->pos == r->len && !fill(r)) return any;
        any = 1;
        unsigned char *p = r->in + r->pos;
        size_t avail = r->len - r->pos;
        unsigned char *nl = memchr(p, '\n', avail);
        size_t seg = nl ? (size_t)(nl - p) : avail;
        if (!*over) {
            if (seg > r->max - r->line.n) {
                *over = 1;
                r->line.n = 0;
            } else {
                dy_buf_put(&r->line, p, seg);
            }
        }
        r->pos += seg + (nl != NULL);
        if (nl) return 1;
    }
}

/* ==== pieces of a story ===================================================================== */

/* The accepted forms, for the messages of rejected dates. */
#define DATE_FORMS "dates are YYYY-MM-DD, years " DY_STR(DYAD_YEAR_MIN) "-" DY_STR(DYAD_YEAR_MAX)
#define DY_STR(x) DY_STR_(x)
#define DY_STR_(x) #x

/* Normalises s[0..n) into r->text, NUL-terminated; fills the story's text fields. */
static int set_text(dyad_reader *r, dyad_story *st, const char *s, size_t n, unsigned extra)
{
    unsigned repaired = extra;
    r->text.n = 0;
    dy_text_normalise(s, n, &r->text, &repaired);
    dy_buf_nul(&r->text);
    if (r->text.oom) {
        dy_buf_free(&r->text);
        return DYAD_ENOMEM;
    }
    st->text = r->text.p;
    st->text_len = r->text.n;
    st->repaired = repaired;
    return DYAD_OK;
}

/* Clears *st and fills what every story of this reader shares. */
static void story_defaults(dyad_reader *r, dyad_story *st, size_t line)
{
    memset(st, 0, sizeof *st);
    st->date = r->has_default ? r->default_date : NULL;
    st->file = r->file;
    st->line = line;
}

/* Takes a bad-UTF-16 count for the next story. */
static unsigned take_bad16(dyad_reader *r)
{
    unsigned k = r->bad16;
    r->bad16 = 0;
    return k;
}

/* ==== text format =========================================================================== */

/* A leading date line: "date" (any case), then ':' and/or blanks, then a word made of digits
 * and the separators - / . (what a writer of a date puts there), then white space or the
 * end. Returns the length of all that with the white space after it, *date pointing at the
 * word and *dlen its length; 0 when the text does not start so ("Date palms grew" is text).
 * Whether the word is a date YYYY-MM-DD is the caller's check. Leading white space is gone. */
static size_t date_prefix(const char *s, size_t n, const char **date, size_t *dlen)
{
    if (n < 4 || dy_tolower(s[0]) != 'd' || dy_tolower(s[1]) != 'a' || dy_tolower(s[2]) != 't' ||
        dy_tolower(s[3]) != 'e')
        return 0;
    size_t i = 4;
    int sep = 0;
    if (i < n && s[i] == ':') i++, sep = 1;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) i++, sep = 1;
    if (!sep || i == n || !dy_isdigit(s[i])) return 0;
    size_t w = i, seps = 0;
    for (; i < n && !dy_isspace(s[i]); i++) {
        if (s[i] == '-' || s[i] == '/' || s[i] == '.') seps++;
        else if (!dy_isdigit(s[i])) return 0;
    }
    if (!seps) return 0; /* "date 12 ..." is not a date line */
    *date = s + w;
    *dlen = i - w;
    while (i < n && dy_isspace(s[i])) i++;
    return i;
}

/* Whether a text story is not text at all: NUL bytes (a binary file, or UTF-16 without a
 * byte-order mark), or more than one byte in ten that is not UTF-8. Fills why. */
static int not_text(const char *s, size_t n, char *why, size_t len)
{
    size_t nul, bad = dy_utf8_invalid(s, n, &nul);
    if (nul) {
        snprintf(why, len, "not text: it holds %zu NUL byte%s (a binary file, or UTF-16 without a "
                           "byte-order mark?)", nul, nul == 1 ? "" : "s");
        return 1;
    }
    if (bad * 10 > n) {
        snprintf(why, len, "not text: %zu of its %zu bytes are not UTF-8 (a binary file, or another "
                           "encoding?)", bad, n);
        return 1;
    }
    return 0;
}

/* Reads the whole input as one story. */
static int next_text(dyad_reader *r, dyad_story *st, dyad_error *err)
{
    int over = 0;
    r->finished = 1;
    r->line.n = 0;
    for (;;) {
        if (r->pos == r->len && !fill(r)) break;
        size_t avail = r->len - r->pos;
        if (!over) {
            if (avail > r->max - r->line.n) {
                over = 1;
                dy_buf_free(&r->line);
            } else {
                dy_buf_put(&r->line, r->in + r->pos, avail);
            }
        }
        r->pos = r->len;
    }
    if (r->ioerr) return fail(r, err, DYAD_EIO, 0, 0, "read error: %s", strerror(r->ioerr));
    if (over)
        return fail(r, err, DYAD_ELIMIT, 1, 0, "story is larger than the limit of %zu bytes",
                    r->max);
    if (r->line.oom) {
        dy_buf_free(&r->line);
        return fail(r, err, DYAD_ENOMEM, 1, 0, "out of memory");
    }
    const char *s = r->line.p ? r->line.p : "", *date = NULL;
    size_t dlen = 0, n = r->line.n, skip = date_prefix(s, n, &date, &dlen);
    char why[160];
    if (not_text(s, n, why, sizeof why)) return fail(r, err, DYAD_EINPUT, 1, 0, "%s", why);
    if (skip && dyad_date_check(date, dlen, why, sizeof why))
        return fail(r, err, DYAD_EINPUT, 1, 0, "the date line's '%.*s' is not a date: %s (" DATE_FORMS ")",
                    (int)(dlen < 40 ? dlen : 40), date, why);
    size_t bl = strlen(r->base);
    story_defaults(r, st, 1);
    if (r->file && bl > 4 && strcmp(r->base + bl - 4, ".txt") == 0) bl -= 4;
    st->id = dy_arena_strndup(&r->strings, r->base, bl);
    if (skip) st->date = dy_arena_strndup(&r->strings, date, 10);
    if (!st->id || (skip && !st->date)) return fail(r, err, DYAD_ENOMEM, 1, 0, "out of memory");
    if (set_text(r, st, s + skip, n - skip, take_bad16(r)))
        return fail(r, err, DYAD_ENOMEM, 1, 0, "out of memory");
    return DYAD_OK;
}

/* ==== JSON Lines ============================================================================ */

/* Returns p[0..n) with each invalid UTF-8 byte replaced by U+FFFD (jansson rejects invalid
 * UTF-8, but messy text is not an error); *bad receives the count. Valid lines are returned
 * as they are, without copying. */
static const char *repair_line(dyad_reader *r, const char *p, size_t *n, unsigned *bad)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0, len = *n, run = 0;
    int32_t cp;
    *bad = 0;
    while (i < len) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        int k = dy_utf8_decode(s + i, len - i, &cp);
        if (cp >= 0) {
            i += (size_t)k;
            continue;
        }
        if (!*bad) r->fixed.n = 0;
        dy_buf_put(&r->fixed, p + run, i - run);
        dy_buf_put(&r->fixed, "\xEF\xBF\xBD", 3);
        ++*bad;
        run = ++i;
    }
    if (!*bad) return p;
    dy_buf_put(&r->fixed, p + run, len - run);
    if (r->fixed.oom) return NULL;
    *n = r->fixed.n;
    return r->fixed.p;
}

/* Looks up an optional string field; *out is NULL when it is absent or null. Returns
 * DYAD_OK or DYAD_EINPUT (with err naming the field). */
static int opt_string(dyad_reader *r, json_t *obj, const char *key, const char **out,
                      size_t *len, size_t line, dyad_error *err)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    *len = 0;
    if (!v || json_is_null(v)) return DYAD_OK;
    if (!json_is_string(v))
        return fail(r, err, DYAD_EINPUT, line, 0, "field \"%s\" must be a string", key);
    *out = json_string_value(v);
    *len = json_string_length(v);
    return DYAD_OK;
}

/* Copies an optional string field into the story's arena. */
static int copy_field(dyad_reader *r, json_t *obj, const char *key, const char **dst,
                      size_t line, dyad_error *err)
{
    const char *s;
    size_t n;
    int rc = opt_string(r, obj, key, &s, &n, line, err);
    if (rc || !s) return rc;
    if (!(*dst = dy_arena_strndup(&r->strings, s, n)))
        return fail(r, err, DYAD_ENOMEM, line, 0, "out of memory");
    return DYAD_OK;
}

/* Turns one parsed JSON object into a story. */
static int story_from_json(dyad_reader *r, json_t *obj, size_t line, unsigned bad,
                           dyad_story *st, dyad_error *err)
{
    int rc;
    const char *s;
    size_t n;
    story_defaults(r, st, line);

    json_t *id = json_object_get(obj, "id");
    if (id && json_is_integer(id)) {
        char tmp[32];
        snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
        st->id = dy_arena_strndup(&r->strings, tmp, strlen(tmp));
    } else if (id && !json_is_null(id)) {
        if (!json_is_string(id))
            return fail(r, err, DYAD_EINPUT, line, 0,
                        "field \"id\" must be a string or an integer");
        st->id = dy_arena_strndup(&r->strings, json_string_value(id), json_string_length(id));
    } else {
        char tmp[32];
        snprintf(tmp, sizeof tmp, ":%zu", line);
        size_t bl = strlen(r->base), tl = strlen(tmp);
        char *p = dy_arena_alloc(&r->strings, bl + tl + 1);
        if (p) {
            memcpy(p, r->base, bl);
            memcpy(p + bl, tmp, tl + 1);
        }
        st->id = p;
    }
    if (!st->id) return fail(r, err, DYAD_ENOMEM, line, 0, "out of memory");

    if ((rc = opt_string(r, obj, "date", &s, &n, line, err))) return rc;
    if (s) {
        /* a date, or a date and a time ("2021-11-07T10:00:00Z", "2021-11-07 10:00") */
        char why[96];
        int wrong = n > 10 && s[10] != 'T' && s[10] != 't' && s[10] != ' ';
        if (wrong) snprintf(why, sizeof why, "not of the form YYYY-MM-DD");
        else wrong = dyad_date_check(s, n > 10 ? 10 : n, why, sizeof why) != 0;
        if (wrong)
            return fail(r, err, DYAD_EINPUT, line, 0, "field \"date\": '%.*s' is not a date: %s (" DATE_FORMS
                        ", a time may follow)", (int)(n < 40 ? n : 40), s, why);
        if (!(st->date = dy_arena_strndup(&r->strings, s, 10)))
            return fail(r, err, DYAD_ENOMEM, line, 0, "out of memory");
    }
    if ((rc = copy_field(r, obj, "title", &st->title, line, err))) return rc;
    if ((rc = copy_field(r, obj, "url", &st->url, line, err))) return rc;
    if ((rc = copy_field(r, obj, "source", &st->source, line, err))) return rc;

    json_t *text = json_object_get(obj, "text");
    if (!text) return fail(r, err, DYAD_EINPUT, line, 0, "missing field \"text\"");
    if (!json_is_string(text))
        return fail(r, err, DYAD_EINPUT, line, 0, "field \"text\" must be a string");
    if (set_text(r, st, json_string_value(text), json_string_length(text), bad))
        return fail(r, err, DYAD_ENOMEM, line, 0, "out of memory");
    return DYAD_OK;
}

/* Reads JSON lines until one yields a story or an error; blank lines are skipped. */
/* ==== a fast path for the common JSON line ================================================= */

/* Most story lines are one flat object of strings (and the odd integer or null). jansson reads
 * a byte at a time through a callback; this reads such a line directly into the same jansson
 * values. Anything it does not take in exactly — nesting, fractions, a control byte, a NUL,
 * an unusual escape, a repeated key, trailing text — makes it give up (NULL), and the line
 * goes to json_loadb, which also writes the error messages. So what is accepted and what is
 * rejected stays jansson's; only the speed changes. The line is valid UTF-8 (repair_line). */

static const char *fj_ws(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
    return p;
}

static int fj_hex4(const char *p, const char *e, unsigned *v)
{
    if (e - p < 4) return 0;
    *v = 0;
    for (int k = 0; k < 4; k++) {
        char c = p[k];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                   : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16u;
        if (d > 15) return 0;
        *v = *v * 16 + d;
    }
    return 1;
}

/* Reads a string at p (just past its opening quote) into b (unescaped); returns the position
 * after the closing quote, or NULL to give up. */
static const char *fj_string(const char *p, const char *e, dy_buf *b)
{
    b->n = 0;
    for (;;) {
        const char *q = p;
        for (uint64_t v; e - q >= 8; q += 8) /* a word at a time while no byte ends the run */
            if (v = dy_load8(q), dy_has_byte(v, '"') | dy_has_byte(v, '\\') | dy_has_below(v, 0x20)) break;
        while (q < e && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20) q++;
        dy_buf_put(b, p, (size_t)(q - p));
        if (q >= e || (unsigned char)*q < 0x20) return NULL;
        if (*q == '"') return b->oom ? NULL : q + 1;
        q++; /* a backslash */
        if (q >= e) return NULL;
        char c = *q++;
        switch (c) {
        case '"': case '\\': case '/': dy_buf_putc(b, c); break;
        case 'b': dy_buf_putc(b, '\b'); break;
        case 'f': dy_buf_putc(b, '\f'); break;
        case 'n': dy_buf_putc(b, '\n'); break;
        case 'r': dy_buf_putc(b, '\r'); break;
        case 't': dy_buf_putc(b, '\t'); break;
        case 'u': {
            unsigned v, w;
            if (!fj_hex4(q, e, &v)) return NULL;
            q += 4;
            if (v == 0) return NULL; /* \u0000: leave NULs to jansson */
            if (v >= 0xD800 && v <= 0xDBFF) {
                if (e - q < 6 || q[0] != '\\' || q[1] != 'u' || !fj_hex4(q + 2, e, &w) || w < 0xDC00 || w > 0xDFFF)
                    return NULL;
                q += 6;
                v = 0x10000 + ((v - 0xD800) << 10) + (w - 0xDC00);
            } else if (v >= 0xDC00 && v <= 0xDFFF)
                return NULL;
            dy_utf8_put(b, (int32_t)v);
            break;
        }
        default: return NULL;
        }
        p = q;
    }
}

static json_t *fast_object(const char *p, size_t n, dy_buf *sb)
{
    const char *e = p + n;
    p = fj_ws(p, e);
    if (p >= e || *p != '{') return NULL;
    p = fj_ws(p + 1, e);
    json_t *obj = json_object();
    if (!obj) return NULL;
    char key[64];
    if (p < e && *p == '}') {
        p = fj_ws(p + 1, e);
        if (p == e) return obj;
        goto give_up;
    }
    for (;;) {
        /* a key: plain characters only */
        if (p >= e || *p != '"') goto give_up;
        const char *k = ++p;
        while (p < e && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20) p++;
        if (p >= e || *p != '"' || (size_t)(p - k) >= sizeof key) goto give_up;
        memcpy(key, k, (size_t)(p - k));
        key[p - k] = 0;
        if (json_object_get(obj, key)) goto give_up; /* a repeated key: jansson says so */
        p = fj_ws(p + 1, e);
        if (p >= e || *p != ':') goto give_up;
        p = fj_ws(p + 1, e);
        if (p >= e) goto give_up;
        json_t *v = NULL;
        if (*p == '"') {
            p = fj_string(p + 1, e, sb);
            if (!p) goto give_up;
            v = json_stringn_nocheck(sb->p ? sb->p : "", sb->n);
        } else if (e - p >= 4 && !memcmp(p, "null", 4)) {
            v = json_null();
            p += 4;
        } else if (e - p >= 4 && !memcmp(p, "true", 4)) {
            v = json_true();
            p += 4;
        } else if (e - p >= 5 && !memcmp(p, "false", 5)) {
            v = json_false();
            p += 5;
        } else if (*p == '-' || (*p >= '0' && *p <= '9')) {
            /* integers only, no leading zeros, within 18 digits */
            const char *d = p + (*p == '-');
            const char *q = d;
            while (q < e && *q >= '0' && *q <= '9') q++;
            if (q == d || q - d > 18 || (*d == '0' && q - d > 1)) goto give_up;
            if (q < e && (*q == '.' || *q == 'e' || *q == 'E')) goto give_up;
            json_int_t x = 0;
            for (const char *c = d; c < q; c++) x = x * 10 + (*c - '0');
            v = json_integer(*p == '-' ? -x : x);
            p = q;
        } else
            goto give_up;
        if (!v || json_object_set_new_nocheck(obj, key, v)) goto give_up;
        p = fj_ws(p, e);
        if (p < e && *p == ',') {
            p = fj_ws(p + 1, e);
            continue;
        }
        if (p < e && *p == '}') {
            p = fj_ws(p + 1, e);
            if (p == e) return obj;
        }
        goto give_up;
    }
give_up:
    json_decref(obj);
    return NULL;
}

static int next_jsonl(dyad_reader *r, dyad_story *st, dyad_error *err)
{
    for (;;) {
        int over;
        if (!read_line(r, &over)) {
            r->finished = 1;
            if (r->ioerr)
                return fail(r, err, DYAD_EIO, 0, 0, "read error: %s", strerror(r->ioerr));
            return DYAD_DONE;
        }
        size_t line = ++r->lineno;
        if (over)
            return fail(r, err, DYAD_ELIMIT, line, 0, "line is larger than the limit of %zu bytes",
                        r->max);
        if (r->line.oom) {
            dy_buf_free(&r->line);
            return fail(r, err, DYAD_ENOMEM, line, 0, "out of memory");
        }
        const char *p = r->line.p;
        size_t n = r->line.n;
        while (n && dy_isspace(p[n - 1])) n--;
        size_t i = 0;
        while (i < n && dy_isspace(p[i])) i++;
        if (i == n) continue;

        unsigned bad;
        p = repair_line(r, p, &n, &bad);
        if (!p) {
            dy_buf_free(&r->fixed);
            return fail(r, err, DYAD_ENOMEM, line, 0, "out of memory");
        }
        json_error_t jerr;
        memset(&jerr, 0, sizeof jerr);
        json_t *obj = fast_object(p, n, &r->scratch);
        if (!obj) obj = json_loadb(p, n, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
        if (!obj) {
            /* jansson fails without a message (and without setting the code) when it cannot
             * allocate its lexer */
            if (json_error_code(&jerr) == json_error_out_of_memory || !jerr.text[0])
                return fail(r, err, DYAD_ENOMEM, line, 0, "out of memory");
            return fail(r, err, DYAD_EINPUT, line, jerr.column > 0 ? (size_t)jerr.column : 0,
                        "invalid JSON: %s", jerr.text);
        }
        if (!json_is_object(obj)) {
            json_decref(obj);
            return fail(r, err, DYAD_EINPUT, line, 1, "the line is not a JSON object");
        }
        int rc = story_from_json(r, obj, line, bad + take_bad16(r), st, err);
        json_decref(obj);
        return rc;
    }
}

/* ==== public calls ========================================================================== */

/* Copies a C string with malloc; NULL on OOM. */
static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

/* Opens a reader (see dyad.h). Ids are built from the name's last path component ("stdin"
 * for NULL or "-"): a text story takes it without a ".txt" ending, a JSON line without an id
 * takes "BASE:LINE". */
dyad_reader *dyad_reader_open(FILE *f, const char *name, dyad_format format,
                              const char *default_date, size_t max_story_bytes)
{
    dyad_reader *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    int is_stdin = !name || !name[0] || strcmp(name, "-") == 0;
    r->f = f;
    r->label = dupstr(is_stdin ? "stdin" : name);
    r->file = is_stdin ? NULL : r->label;
    const char *b = is_stdin ? "stdin" : strrchr(name, '/');
    b = is_stdin ? b : b ? b + 1 : name;
    r->base = dupstr(b);
    r->in = malloc(IN_CAP);
    if (!r->label || !r->base || !r->in) {
        dyad_reader_close(r);
        return NULL;
    }
    if (default_date && !dyad_date_check(default_date, strlen(default_date), NULL, 0)) {
        memcpy(r->default_date, default_date, 10);
        r->has_default = 1;
    }
    r->max = max_story_bytes ? max_story_bytes : DYAD_DEFAULT_MAX_STORY;
    r->format = format;
    r->high = -1;
    dy_arena_init(&r->strings, 0);
    return r;
}

/* Reads the next story (see dyad.h). */
int dyad_reader_next(dyad_reader *r, dyad_story *story, dyad_error *err)
{
    if (!r || !story) return fail(r, err, DYAD_EUSAGE, 0, 0, "no reader or no story");
    dy_arena_reset(&r->strings);
    if (!r->started) {
        int c = start(r);
        if (c < 0) {
            r->finished = 1;
            if (r->ioerr == ENOMEM) return fail(r, err, DYAD_ENOMEM, 0, 0, "out of memory");
            if (r->ioerr)
                return fail(r, err, DYAD_EIO, 0, 0, "read error: %s", strerror(r->ioerr));
            /* said once, as a rejected input: a pipe that brought nothing is not a success */
            return fail(r, err, DYAD_EINPUT, 0, 0, "empty input: no story in it");
        }
        if (r->format == DYAD_FORMAT_AUTO)
            r->format = c == '{' ? DYAD_FORMAT_JSONL : DYAD_FORMAT_TEXT;
    }
    if (r->finished) return DYAD_DONE;
    if (r->format == DYAD_FORMAT_JSONL) return next_jsonl(r, story, err);
    return next_text(r, story, err);
}

/* Frees the reader and everything it handed out; the FILE stays open. */
void dyad_reader_close(dyad_reader *r)
{
    if (!r) return;
    free(r->label);
    free(r->base);
    free(r->in);
    free(r->raw);
    dy_buf_free(&r->line);
    dy_buf_free(&r->fixed);
    dy_buf_free(&r->text);
    dy_buf_free(&r->scratch);
    dy_arena_fini(&r->strings);
    free(r);
}
