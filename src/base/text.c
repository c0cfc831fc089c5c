/*
 * text.c — UTF-8 written into buffers, and the text normaliser every story passes through
 * before segmentation. The normaliser maps one input character to one output character (an
 * invalid byte counts as one character), so character offsets into the original and the
 * normalised text agree.
 */
#include "base/base.h"

/* Appends cp as UTF-8; anything that is not a Unicode scalar value becomes U+FFFD. */
void dy_utf8_put(dy_buf *b, int32_t cp)
{
    char e[4];
    if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        dy_buf_putc(b, (int)cp);
    } else if (cp < 0x800) {
        e[0] = (char)(0xC0 | (cp >> 6));
        e[1] = (char)(0x80 | (cp & 0x3F));
        dy_buf_put(b, e, 2);
    } else if (cp < 0x10000) {
        e[0] = (char)(0xE0 | (cp >> 12));
        e[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        e[2] = (char)(0x80 | (cp & 0x3F));
        dy_buf_put(b, e, 3);
    } else {
        e[0] = (char)(0xF0 | (cp >> 18));
        e[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        e[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        e[3] = (char)(0x80 | (cp & 0x3F));
        dy_buf_put(b, e, 4);
    }
}

/* The ASCII character a code point >= 0x7F is normalised to, or 0 to keep it. DEL becomes a
 * space like the C0 controls. The C1
 * controls are mapped as Windows-1252 would have shown them, because text decoded from
 * cp1252 as Latin-1 carries its curly quotes and dashes there (U+0093 for a left double
 * quote); the other C1 controls become spaces. */
static int fold(int32_t cp)
{
    if (cp < 0xA0) {
        switch (cp) {
        case 0x91: case 0x92: return '\'';
        case 0x93: case 0x94: return '"';
        case 0x96: case 0x97: return '-';
        case 0x85: return '\n'; /* NEL */
        default: return ' ';
        }
    }
    switch (cp) {
    case 0xA0: /* no-break space */
    case 0x1680: case 0x202F: case 0x205F: case 0x3000: /* Unicode spaces */
    case 0x180E: case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF: /* zero width */
        return ' ';
    case 0x2028: case 0x2029: /* line and paragraph separators */
        return '\n';
    case 0xAB: case 0xBB:                             /* guillemets */
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: /* curly double quotes */
    case 0x2033: case 0x2036:                         /* double primes */
    case 0x301D: case 0x301E: case 0xFF02:            /* CJK and full-width quotes */
        return '"';
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: /* curly single quotes */
    case 0x2032: case 0x2035:                         /* primes */
    case 0x2039: case 0x203A:                         /* single guillemets */
    case 0x02BC: case 0xFF07:                         /* modifier apostrophe, full-width */
        return '\'';
    case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D: /* minus, small and full-width dashes */
        return '-';
    }
    if (cp >= 0x2000 && cp <= 0x200A) return ' '; /* en quad .. hair space */
    if (cp >= 0x2010 && cp <= 0x2015) return '-'; /* hyphen .. horizontal bar */
    return 0;
}

/* Normalises text for coding (see base.h): one output character per input character; the
 * count of invalid bytes is added to *repaired (which may be NULL). Plain
 * ASCII runs are copied in one piece, so clean text costs little more than a memcpy. */
void dy_text_normalise(const char *in, size_t n, dy_buf *out, unsigned *repaired)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0, run = 0;
    unsigned bad = 0;
    while (i < n) {
        /* a word at a time while all eight bytes are printable ASCII */
        for (uint64_t v; n - i >= 8; i += 8)
            if (v = dy_load8(s + i), dy_has_below(v, 0x20) | dy_has_above_7e(v)) break;
        if (i >= n) break;
        unsigned c = s[i];
        if (c >= 0x20 && c < 0x7F) {
            i++;
            continue;
        }
        if (c == '\t' || c == '\n') {
            i++;
            continue;
        }
        dy_buf_put(out, in + run, i - run);
        if (c < 0x20) { /* C0 controls but \t and \n */
            if (c == '\r')
                dy_buf_putc(out, i + 1 < n && s[i + 1] == '\n' ? ' ' : '\n');
            else
                dy_buf_putc(out, ' ');
            i++;
        } else {
            int32_t cp;
            int k = dy_utf8_decode(s + i, n - i, &cp);
            if (cp < 0) {
                dy_buf_put(out, "\xEF\xBF\xBD", 3);
                bad++;
            } else {
                int f = fold(cp);
                if (f)
                    dy_buf_putc(out, f);
                else
                    dy_buf_put(out, in + i, (size_t)k);
            }
            i += (size_t)k;
        }
        run = i;
    }
    dy_buf_put(out, in + run, i - run);
    if (repaired) *repaired += bad;
}
