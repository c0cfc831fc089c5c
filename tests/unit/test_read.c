/*
 * test_read.c — unit tests of the read stage (src/read.c) through the public reader API:
 * text stories with and without a leading date, JSON Lines (good, malformed, wrong field
 * types, blank lines, a missing text), UTF-16 with a BOM, limits, all read from fmemopen.
 */
#include "dyad.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

/* A reader over the bytes s[0..n); *fp receives the FILE to close afterwards. */
static dyad_reader *open_mem(const char *s, size_t n, FILE **fp, const char *name,
                             dyad_format fmt, const char *def, size_t max)
{
    *fp = fmemopen((void *)s, n, "r");
    if (!*fp) return NULL;
    return dyad_reader_open(*fp, name, fmt, def, max);
}

static void test_text_date_line(void)
{
    const char *in = "date 2021-11-07\nIraqi forces attacked the base.\n";
    FILE *f;
    dyad_reader *r = open_mem(in, strlen(in), &f, "stories/kadhimi.txt", DYAD_FORMAT_TEXT, NULL, 0);
    dyad_story st;
    dyad_error err;
    CHECK(r != NULL);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_OK);
    CHECK_STR_EQ(st.id, "kadhimi");
    CHECK_STR_EQ(st.date, "2021-11-07");
    CHECK_STR_EQ(st.text, "Iraqi forces attacked the base.\n");
    CHECK_INT_EQ(st.text_len, strlen("Iraqi forces attacked the base.\n"));
    CHECK_STR_EQ(st.file, "stories/kadhimi.txt");
    CHECK_INT_EQ(st.line, 1);
    CHECK(st.title == NULL && st.url == NULL && st.source == NULL);
    CHECK_INT_EQ(st.repaired, 0);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_DONE);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_DONE);
    dyad_reader_close(r);
    fclose(f);
}

static void test_text_date_inline(void)
{
    /* as in the showcase: a blank, the date, and the first sentence on the same line */
    const char *in = " date 2021-11-07 Iraqi Prime Minister Mustafa al-Kadhimi\xE2\x80\x99s home "
                     "\xE2\x80\x93 \xE2\x80\x9CThank God\xE2\x80\x9D.\n";
    FILE *f;
    dyad_reader *r = open_mem(in, strlen(in), &f, "kadhimi-drone-attack-2021-11-07.txt",
                              DYAD_FORMAT_AUTO, "1999-01-01", 0);
    dyad_story st;
    CHECK_INT_EQ(dyad_reader_next(r, &st, NULL), DYAD_OK);
    CHECK_STR_EQ(st.id, "kadhimi-drone-attack-2021-11-07");
    CHECK_STR_EQ(st.date, "2021-11-07");
    CHECK_STR_EQ(st.text, "Iraqi Prime Minister Mustafa al-Kadhimi's home - \"Thank God\".\n");
    CHECK_INT_EQ(dyad_reader_next(r, &st, NULL), DYAD_DONE);
    dyad_reader_close(r);
    fclose(f);

    /* a UTF-8 BOM, blank lines, "Date:" and CRLF */
    const char *in2 = "\xEF\xBB\xBF\r\n\r\nDate: 2020-02-29\r\nText here.\r\n";
    r = open_mem(in2, strlen(in2), &f, "-", DYAD_FORMAT_TEXT, NULL, 0);
    CHECK_INT_EQ(dyad_reader_next(r, &st, NULL), DYAD_OK);
    CHECK_STR_EQ(st.id, "stdin");
    CHECK(st.file == NULL);
    CHECK_STR_EQ(st.date, "2020-02-29");
    CHECK_STR_EQ(st.text, "Text here. \n");
    dyad_reader_close(r);
    fclose(f);
}

static void test_text_no_date(void)
{
    const char *in = "Police said the date was not set.\nBad \xFF byte.";
    FILE *f;
    dyad_reader *r = open_mem(in, strlen(in), &f, NULL, DYAD_FORMAT_TEXT, "2021-01-02", 0);
    dyad_story st;
    CHECK_INT_EQ(dyad_reader_next(r, &st, NULL), DYAD_OK);
    CHECK_STR_EQ(st.id, "stdin");
    CHECK_STR_EQ(st.date, "2021-01-02"); /* the default */
    CHECK_STR_EQ(st.text, "Police said the date was not set.\nBad \xEF\xBF\xBD byte.");
    CHECK_INT_EQ(st.repaired, 1);
    dyad_reader_close(r);
    fclose(f);

    /* "dated" is not "date"; no default gives NULL; a name without .txt keeps its name */
    const char *in2 = "dated 2021-11-07 words";
    r = open_mem(in2, strlen(in2), &f, "/a/b/story.md", DYAD_FORMAT_TEXT, NULL, 0);
    CHECK_INT_EQ(dyad_reader_next(r, &st, NULL), DYAD_OK);
    CHECK(st.date == NULL);
    CHECK_STR_EQ(st.id, "story.md");
    CHECK_STR_EQ(st.text, "dated 2021-11-07 words");
    dyad_reader_close(r);
    fclose(f);

    /* a date alone is a story with empty text */
    const char *in3 = "date 2021-11-07\n";
    r = open_mem(in3, strlen(in3), &f, "x.txt", DYAD_FORMAT_TEXT, NULL, 0);
    CHECK_INT_EQ(dyad_reader_next(r, &st, NULL), DYAD_OK);
    CHECK_STR_EQ(st.date, "2021-11-07");
    CHECK_INT_EQ(st.text_len, 0);
    CHECK(st.text != NULL && st.text[0] == 0);
    dyad_reader_close(r);
    fclose(f);

    /* empty and blank inputs hold no story: said once (no line), then the end */
    dyad_error err;
    r = open_mem(" \n\t\n", 4, &f, "x.txt", DYAD_FORMAT_AUTO, NULL, 0);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_EINPUT);
    CHECK(strstr(err.message, "empty input") != NULL);
    CHECK_INT_EQ(err.line, 0);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_DONE);
    dyad_reader_close(r);
    fclose(f);

    /* a NUL byte makes a text input binary: rejected with the reason */
    r = open_mem("a\0b", 3, &f, "x.txt", DYAD_FORMAT_TEXT, NULL, 0);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_EINPUT);
    CHECK(strstr(err.message, "not text") != NULL && strstr(err.message, "NUL") != NULL);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_DONE);
    dyad_reader_close(r);
    fclose(f);

    /* mostly invalid UTF-8 is not text; a few stray Latin-1 bytes are repaired */
    r = open_mem("\xc0\xc1\xf8\xf9 abc", 8, &f, "x.txt", DYAD_FORMAT_TEXT, NULL, 0);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_EINPUT);
    CHECK(strstr(err.message, "not UTF-8") != NULL);
    dyad_reader_close(r);
    fclose(f);
    const char *latin = "The caf\xe9 in Z\xfcrich was closed by police on Monday morning.";
    r = open_mem(latin, strlen(latin), &f, "x.txt", DYAD_FORMAT_TEXT, NULL, 0);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_OK);
    CHECK_INT_EQ(st.repaired, 2);
    dyad_reader_close(r);
    fclose(f);

    /* a date line must hold a calendar date; "date" that starts prose is text */
    const char *bad_dates[] = {"date 2024-02-30\nx", "date: 2023-02-29\nx", "date 2024-04-31 x",
                               "date 03/04/2024\nx", "date 0000-01-01\nx", "date 2024-13-45\nx"};
    for (size_t k = 0; k < sizeof bad_dates / sizeof *bad_dates; k++) {
        r = open_mem(bad_dates[k], strlen(bad_dates[k]), &f, "x.txt", DYAD_FORMAT_TEXT, NULL, 0);
        CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_EINPUT);
        CHECK_INT_EQ(err.line, 1);
        CHECK(strstr(err.message, "not a date") != NULL);
        dyad_reader_close(r);
        fclose(f);
    }
    const char *prose = "Date 12 of the tour was cancelled.";
    r = open_mem(prose, strlen(prose), &f, "x.txt", DYAD_FORMAT_TEXT, NULL, 0);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_OK);
    CHECK(st.date == NULL);
    CHECK_STR_EQ(st.text, prose);
    dyad_reader_close(r);
    fclose(f);

    /* the calendar check itself */
    char why[96];
    CHECK_INT_EQ(dyad_date_check("2024-02-29", 10, why, sizeof why), 0);
    CHECK_INT_EQ(dyad_date_check("2000-02-29", 10, why, sizeof why), 0);
    CHECK_INT_EQ(dyad_date_check("1900-02-29", 10, why, sizeof why), -1);
    CHECK(strstr(why, "February 1900 has 28 days") != NULL);
    CHECK_INT_EQ(dyad_date_check("1799-12-31", 10, why, sizeof why), -1);
    CHECK_INT_EQ(dyad_date_check("2200-12-31", 10, NULL, 0), 0);
    CHECK_INT_EQ(dyad_date_check("2024-1-01", 9, NULL, 0), -1);
}

static void test_jsonl(void)
{
    const char *in =
        "{\"id\":\"a1\",\"date\":\"2021-11-07T10:00:00Z\",\"title\":\"T\",\"text\":\"One \\u201cq\\u201d.\","
        "\"url\":\"http://x\",\"source\":\"AP\",\"extra\":[1,2]}\n"
        "\n"
        "   \r\n"
        "{\"id\":17,\"text\":\"Two.\"}\r\n"
        "{\"id\": \"bad\", \"text\": }\n"
        "{\"text\":\"Three.\",\"title\":null}\n"
        "{\"id\":1.5,\"text\":\"x\"}\n"
        "{\"title\":7,\"text\":\"x\"}\n"
        "{\"date\":\"07/11/2021\",\"text\":\"x\"}\n"
        "{\"id\":\"nt\"}\n"
        "{\"text\":[\"x\"]}\n"
        "{\"text\":\"a\",\"text\":\"b\"}\n"
        "[1,2]\n"
        "{\"text\":\"bad \xFF byte\",\"url\":true}\n"
        "{\"text\":\"bad \xFF byte\"}\n"
        "{\"text\":\"last\"}";
    FILE *f;
    dyad_reader *r = open_mem(in, strlen(in), &f, "data/feed.jsonl", DYAD_FORMAT_AUTO, "2000-01-01", 0);
    dyad_story st;
    dyad_error err;

    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_OK);
    CHECK_STR_EQ(st.id, "a1");
    CHECK_STR_EQ(st.date, "2021-11-07");
    CHECK_STR_EQ(st.title, "T");
    CHECK_STR_EQ(st.text, "One \"q\".");
    CHECK_STR_EQ(st.url, "http://x");
    CHECK_STR_EQ(st.source, "AP");
    CHECK_STR_EQ(st.file, "data/feed.jsonl");
    CHECK_INT_EQ(st.line, 1);

    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_OK); /* blank lines skipped */
    CHECK_STR_EQ(st.id, "17");
    CHECK_STR_EQ(st.date, "2000-01-01");
    CHECK_STR_EQ(st.text, "Two.");
    CHECK_INT_EQ(st.line, 4);

    memset(&err, 0, sizeof err);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_EINPUT);
    CHECK_INT_EQ(err.code, DYAD_EINPUT);
    CHECK_STR_EQ(err.file, "data/feed.jsonl");
    CHECK_INT_EQ(err.line, 5);
    CHECK_INT_EQ(err.column, 23); /* the "}" where a value should be */
    CHECK(strstr(err.message, "invalid JSON") != NULL);

    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_OK); /* continues with the next line */
    CHECK_STR_EQ(st.id, "feed.jsonl:6");
    CHECK(st.title == NULL);
    CHECK_STR_EQ(st.text, "Three.");

    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_EINPUT);
    CHECK_INT_EQ(err.line, 7);
    CHECK(strstr(err.message, "\"id\"") != NULL);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_EINPUT);
    CHECK_INT_EQ(err.line, 8);
    CHECK(strstr(err.message, "\"title\"") != NULL);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_EINPUT);
    CHECK_INT_EQ(err.line, 9);
    CHECK(strstr(err.message, "\"date\"") != NULL && strstr(err.message, "YYYY-MM-DD") != NULL);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_EINPUT);
    CHECK_INT_EQ(err.line, 10);
    CHECK(strstr(err.message, "missing") != NULL && strstr(err.message, "\"text\"") != NULL);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_EINPUT);
    CHECK_INT_EQ(err.line, 11);
    CHECK(strstr(err.message, "\"text\"") != NULL && strstr(err.message, "string") != NULL);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_EINPUT);
    CHECK_INT_EQ(err.line, 12);
    CHECK(strstr(err.message, "duplicate") != NULL);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_EINPUT);
    CHECK_INT_EQ(err.line, 13);
    CHECK(strstr(err.message, "object") != NULL);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_EINPUT);
    CHECK_INT_EQ(err.line, 14);
    CHECK(strstr(err.message, "\"url\"") != NULL);

    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_OK); /* invalid UTF-8 is repaired */
    CHECK_STR_EQ(st.text, "bad \xEF\xBF\xBD byte");
    CHECK_INT_EQ(st.repaired, 1);
    CHECK_INT_EQ(st.line, 15);

    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_OK); /* no final newline */
    CHECK_STR_EQ(st.text, "last");
    CHECK_INT_EQ(st.repaired, 0);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_DONE);
    dyad_reader_close(r);
    fclose(f);

    /* auto detection after blank lines keeps line numbers; NULL err is allowed */
    const char *in2 = "\n\n  {\"text\":\"x\"}\n{oops}\n";
    r = open_mem(in2, strlen(in2), &f, NULL, DYAD_FORMAT_AUTO, NULL, 0);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_OK);
    CHECK_INT_EQ(st.line, 3);
    CHECK_STR_EQ(st.id, "stdin:3");
    CHECK(st.date == NULL);
    CHECK_INT_EQ(dyad_reader_next(r, &st, NULL), DYAD_EINPUT);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_DONE);
    dyad_reader_close(r);
    fclose(f);

    /* a NUL inside the text becomes a space; a null id is no id */
    const char *in3 = "{\"id\":null,\"text\":\"a\\u0000b\",\"date\":null}\n";
    r = open_mem(in3, strlen(in3), &f, "n.jsonl", DYAD_FORMAT_JSONL, NULL, 0);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_OK);
    CHECK_STR_EQ(st.text, "a b");
    CHECK_STR_EQ(st.id, "n.jsonl:1");
    CHECK(st.date == NULL);
    dyad_reader_close(r);
    fclose(f);

    /* forced text format reads JSON as text */
    r = open_mem("{\"text\":\"x\"}", 12, &f, "a.txt", DYAD_FORMAT_TEXT, NULL, 0);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_OK);
    CHECK_STR_EQ(st.text, "{\"text\":\"x\"}");
    dyad_reader_close(r);
    fclose(f);
}

/* Encodes ASCII/BMP text given as UTF-8 into UTF-16 with a BOM; returns the byte count. */
static size_t to_utf16(const char *s, unsigned char *out, int le)
{
    size_t n = 0;
    out[n++] = le ? 0xFF : 0xFE;
    out[n++] = le ? 0xFE : 0xFF;
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        unsigned cp;
        if (u[0] < 0x80) cp = *u++;
        else if (u[0] < 0xE0) cp = (unsigned)(u[0] & 0x1F) << 6 | (u[1] & 0x3F), u += 2;
        else cp = (unsigned)(u[0] & 0x0F) << 12 | (unsigned)(u[1] & 0x3F) << 6 | (u[2] & 0x3F), u += 3;
        out[n++] = (unsigned char)(le ? cp & 0xFF : cp >> 8);
        out[n++] = (unsigned char)(le ? cp >> 8 : cp & 0xFF);
    }
    return n;
}

static void test_utf16(void)
{
    unsigned char buf[512];
    size_t n = to_utf16("date 2021-11-07\nCaf\xC3\xA9 \xE2\x80\x9C" "attack\xE2\x80\x9D.", buf, 1);
    FILE *f;
    dyad_reader *r = open_mem((const char *)buf, n, &f, "u16.txt", DYAD_FORMAT_AUTO, NULL, 0);
    dyad_story st;
    CHECK_INT_EQ(dyad_reader_next(r, &st, NULL), DYAD_OK);
    CHECK_STR_EQ(st.date, "2021-11-07");
    CHECK_STR_EQ(st.text, "Caf\xC3\xA9 \"attack\".");
    CHECK_INT_EQ(st.repaired, 0);
    dyad_reader_close(r);
    fclose(f);

    n = to_utf16("{\"id\":\"be\",\"text\":\"\xC3\xA9t\xC3\xA9\"}\n{\"text\":\"2\"}\n", buf, 0);
    r = open_mem((const char *)buf, n, &f, "u16.jsonl", DYAD_FORMAT_AUTO, NULL, 0);
    CHECK_INT_EQ(dyad_reader_next(r, &st, NULL), DYAD_OK);
    CHECK_STR_EQ(st.id, "be");
    CHECK_STR_EQ(st.text, "\xC3\xA9t\xC3\xA9");
    CHECK_INT_EQ(dyad_reader_next(r, &st, NULL), DYAD_OK);
    CHECK_STR_EQ(st.text, "2");
    CHECK_INT_EQ(st.line, 2);
    CHECK_INT_EQ(dyad_reader_next(r, &st, NULL), DYAD_DONE);
    dyad_reader_close(r);
    fclose(f);

    /* a surrogate pair, a lone surrogate and an odd final byte */
    unsigned char sp[] = {0xFF, 0xFE, 'a', 0, 0x3D, 0xD8, 0x00, 0xDE, 0x00, 0xDC, 'b', 0, 'c'};
    r = open_mem((const char *)sp, sizeof sp, &f, "s.txt", DYAD_FORMAT_TEXT, NULL, 0);
    CHECK_INT_EQ(dyad_reader_next(r, &st, NULL), DYAD_OK);
    CHECK_STR_EQ(st.text, "a\xF0\x9F\x98\x80\xEF\xBF\xBD" "b\xEF\xBF\xBD");
    CHECK_INT_EQ(st.repaired, 2);
    dyad_reader_close(r);
    fclose(f);

    /* a long UTF-16 text crosses many read chunks, pairs split across them included */
    size_t units = 300000;
    unsigned char *big = malloc(2 + units * 2);
    big[0] = 0xFF, big[1] = 0xFE;
    for (size_t i = 0; i < units; i += 2) {
        big[2 + 2 * i] = 0x3D, big[3 + 2 * i] = 0xD8;     /* U+1F600 as D83D DE00 */
        big[4 + 2 * i] = 0x00, big[5 + 2 * i] = 0xDE;
    }
    r = open_mem((const char *)big, 2 + units * 2, &f, "big.txt", DYAD_FORMAT_TEXT, NULL, 0);
    CHECK_INT_EQ(dyad_reader_next(r, &st, NULL), DYAD_OK);
    CHECK_INT_EQ(st.text_len, units / 2 * 4);
    CHECK_INT_EQ(st.repaired, 0);
    CHECK(st.text_len >= 4 && memcmp(st.text + st.text_len - 4, "\xF0\x9F\x98\x80", 4) == 0);
    dyad_reader_close(r);
    fclose(f);
    free(big);
}

static void test_limits(void)
{
    /* a text story over the limit is refused, then the input is done */
    size_t n = 3 << 20;
    char *big = malloc(n + 64);
    memset(big, 'w', n);
    FILE *f;
    dyad_reader *r = open_mem(big, n, &f, "big.txt", DYAD_FORMAT_TEXT, NULL, 1 << 20);
    dyad_story st;
    dyad_error err;
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_ELIMIT);
    CHECK_STR_EQ(err.file, "big.txt");
    CHECK_INT_EQ(err.line, 1);
    CHECK(strstr(err.message, "limit") != NULL);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_DONE);
    dyad_reader_close(r);
    fclose(f);

    /* a story exactly at the limit is fine */
    r = open_mem(big, 1 << 20, &f, "big.txt", DYAD_FORMAT_TEXT, NULL, 1 << 20);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_OK);
    CHECK_INT_EQ(st.text_len, 1 << 20);
    dyad_reader_close(r);
    fclose(f);

    /* a JSON line over the limit is skipped; the lines around it are read */
    size_t pos = 0;
    pos += (size_t)sprintf(big + pos, "{\"text\":\"one\"}\n{\"text\":\"");
    memset(big + pos, 'x', 2 << 20);
    pos += 2 << 20;
    pos += (size_t)sprintf(big + pos, "\"}\n{\"text\":\"three\"}\n");
    r = open_mem(big, pos, &f, "f.jsonl", DYAD_FORMAT_JSONL, NULL, 1 << 20);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_OK);
    CHECK_STR_EQ(st.text, "one");
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_ELIMIT);
    CHECK_INT_EQ(err.line, 2);
    CHECK_STR_EQ(err.file, "f.jsonl");
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_OK);
    CHECK_STR_EQ(st.text, "three");
    CHECK_INT_EQ(st.line, 3);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_DONE);
    dyad_reader_close(r);
    fclose(f);

    /* the same long line within the default limit is read whole */
    r = open_mem(big, pos, &f, "f.jsonl", DYAD_FORMAT_JSONL, NULL, 0);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_OK);
    CHECK_INT_EQ(dyad_reader_next(r, &st, &err), DYAD_OK);
    CHECK_INT_EQ(st.text_len, 2 << 20);
    CHECK(st.text[0] == 'x' && st.text[(2 << 20) - 1] == 'x');
    dyad_reader_close(r);
    fclose(f);
    free(big);

    /* calls with bad arguments */
    CHECK_INT_EQ(dyad_reader_next(NULL, &st, &err), DYAD_EUSAGE);
    dyad_reader_close(NULL);
}

int main(void)
{
    test_text_date_line();
    test_text_date_inline();
    test_text_no_date();
    test_jsonl();
    test_utf16();
    test_limits();
    return check_done();
}
