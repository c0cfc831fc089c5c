/*
 * serve_req.c — what `dyad serve` reads from a request before touching the store: the query
 * string, decoded strictly; the API's filters, each checked by the parser `dyad query` uses
 * for its option of the same name (cli/opts.c), so a value the CLI refuses the API refuses
 * with the same words; and the JSON stories of a POST body. No HTTP here: fuzz/fuzz_serve.c
 * feeds it raw bytes.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "serve.h"

int serve_fail(serve_error *e, int status, const char *param, const char *fmt, ...)
{
    e->status = status;
    snprintf(e->param, sizeof e->param, "%s", param ? param : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return -1;
}

/* ==== query strings ====================================================================== */

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Whether s[0..n) is UTF-8 (no overlong forms, surrogates or code points past U+10FFFF). */
static int utf8_ok(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t k = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 9;
        if (k == 9 || i + k >= n) return 0;
        unsigned cp = k == 0 ? c : c & (0x3F >> k);
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80) return 0;
            cp = cp << 6 | (s[i + j] & 0x3F);
        }
        static const unsigned min[] = {0, 0x80, 0x800, 0x10000};
        if (cp < min[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
        i += k + 1;
    }
    return 1;
}

/* Decodes s[0..n) in place into out (NUL-terminated); the decoded length, or -1 for a
 * malformed escape or a NUL byte. */
static long decode(const char *s, size_t n, char *out)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '+') c = ' ';
        else if (c == '%') {
            if (i + 2 >= n || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0) return -1;
            c = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
            i += 2;
        }
        if (c == 0) return -1;
        out[j++] = (char)c;
    }
    out[j] = 0;
    return (long)j;
}

int serve_args_parse(const char *qs, size_t n, serve_args *a, serve_error *e)
{
    memset(a, 0, sizeof *a);
    if (!qs || !n) return 0;
    /* decoded text is never longer than the original: one block holds every name and value */
    a->mem = malloc(n + 2 * SERVE_MAX_PARAMS + 2);
    if (!a->mem) return serve_fail(e, 503, "", "out of memory");
    char *out = a->mem;
    for (size_t i = 0; i < n;) {
        size_t end = i;
        while (end < n && qs[end] != '&') end++;
        if (end > i) {
            if (a->n == SERVE_MAX_PARAMS)
                return serve_fail(e, 400, "", "more than %d query parameters", SERVE_MAX_PARAMS);
            size_t eq = i;
            while (eq < end && qs[eq] != '=') eq++;
            char *name = out;
            long nn = decode(qs + i, eq - i, name);
            if (nn < 0 || !utf8_ok((unsigned char *)name, (size_t)nn))
                return serve_fail(e, 400, "", "a query parameter's name is not percent-encoded UTF-8 "
                                              "(a %% must start two hex digits; no NUL bytes)");
            out += nn + 1;
            char *value = out;
            long vn = decode(qs + (eq < end ? eq + 1 : end), eq < end ? end - eq - 1 : 0, value);
            out += (vn < 0 ? 0 : vn) + 1;
            char pname[40];
            snprintf(pname, sizeof pname, "%.39s", name);
            if (vn < 0 || !utf8_ok((unsigned char *)value, (size_t)vn))
                return serve_fail(e, 400, pname, "%s: the value is not percent-encoded UTF-8 (a %% "
                                                 "must start two hex digits; no NUL bytes)", pname);
            if (!*name) return serve_fail(e, 400, "", "a query parameter without a name");
            if (serve_arg(a, name))
                return serve_fail(e, 400, pname, "%s: given twice; each parameter is given once", pname);
            a->p[a->n].name = name;
            a->p[a->n].value = value;
            a->n++;
        }
        i = end + 1;
    }
    return 0;
}

void serve_args_free(serve_args *a)
{
    free(a->mem);
    memset(a, 0, sizeof *a);
}

const char *serve_arg(const serve_args *a, const char *name)
{
    for (int i = 0; i < a->n; i++)
        if (!strcmp(a->p[i].name, name)) return a->p[i].value;
    return NULL;
}

/* ==== the API's filters ================================================================== */

/* Runs one of cli/opts.c's parsers with its message kept for the answer. */
#define CHECKED(param, call)                                                                      \
    do {                                                                                          \
        char msg_[sizeof e->message];                                                             \
        cli_capture(msg_, sizeof msg_);                                                           \
        int bad_ = (call) < 0;                                                                    \
        cli_capture(NULL, 0);                                                                     \
        if (bad_) return serve_fail(e, 400, param, "%s", msg_);                                   \
    } while (0)

int serve_query(const serve_args *a, int route, long max_rows, dyad_store_query *q,
                serve_error *e)
{
    static const char *const common[] = {"from", "to", "country", "actor", "code", "root", "near", "text", NULL};
    static const char *const own[][4] = {
        [SERVE_EVENTS] = {"limit", "cursor", "format", NULL},
        [SERVE_HAPPENINGS] = {"limit", NULL},
        [SERVE_SERIES] = {"by", NULL},
        [SERVE_PLACES] = {"zoom", NULL},
    };
    memset(q, 0, sizeof *q);
    for (int i = 0; i < a->n; i++) {
        const char *name = a->p[i].name, *v = a->p[i].value;
        int known = 0;
        for (int k = 0; common[k] && !known; k++) known = !strcmp(name, common[k]);
        for (int k = 0; own[route][k] && !known; k++) known = !strcmp(name, own[route][k]);
        if (!known) {
            char list[200] = "";
            size_t n = 0;
            for (int k = 0; common[k]; k++) n += (size_t)snprintf(list + n, sizeof list - n, "%s, ", common[k]);
            for (int k = 0; own[route][k] && n < sizeof list; k++)
                n += (size_t)snprintf(list + n, sizeof list - n, "%s, ", own[route][k]);
            if (n >= 2 && n < sizeof list) list[n - 2] = 0;
            return serve_fail(e, 400, name, "%.40s: unknown parameter (this endpoint takes %s)", name, list);
        }
        long v_long;
        if (!strcmp(name, "from")) {
            CHECKED("from", cli_date("from", v));
            q->from = v;
        } else if (!strcmp(name, "to")) {
            CHECKED("to", cli_date("to", v));
            q->to = v;
        } else if (!strcmp(name, "country")) {
            CHECKED("country", cli_country("country", v));
            q->country = v;
        } else if (!strcmp(name, "actor")) {
            CHECKED("actor", cli_actor("actor", v));
            q->actor = v;
        } else if (!strcmp(name, "code")) {
            CHECKED("code", cli_cameo("code", v, 0));
            q->code = v;
        } else if (!strcmp(name, "root")) {
            CHECKED("root", cli_cameo("root", v, 1));
            q->root = v;
        } else if (!strcmp(name, "near")) {
            CHECKED("near", cli_near("near", v, &q->lat, &q->lon, &q->km));
            q->near = 1;
        } else if (!strcmp(name, "text")) {
            size_t n = strlen(v), sp = strspn(v, " \t");
            if (sp == n || n > 500)
                return serve_fail(e, 400, "text", "text: '%.60s' is not a search of 1 to 500 bytes "
                                                  "(words, \"a phrase\")", v);
            q->text = v;
        } else if (!strcmp(name, "limit")) {
            CHECKED("limit", cli_long("limit", v, 1, max_rows, &v_long));
            q->limit = v_long;
        } else if (!strcmp(name, "cursor")) {
            /* checked again by the store (dyad_store_query_page): DATE~ID or ~ID */
            const char *t = strchr(v, '~');
            size_t dn = t ? (size_t)(t - v) : 0;
            char *end = NULL;
            long long id = t ? strtoll(t + 1, &end, 10) : 0;
            if (!t || (dn && (dn != 10 || dyad_date_check(v, dn, NULL, 0))) || t[1] < '1' ||
                t[1] > '9' || *end || id <= 0)
                return serve_fail(e, 400, "cursor", "cursor: '%.60s' is not a cursor (pass the "
                                                    "\"next\" a page of events gave)", v);
            q->after = v;
        } else if (!strcmp(name, "format")) {
            static const char *const f[] = {"plover", "gdelt", "phoenix", "icews", "acled", NULL};
            CHECKED("format", cli_choice("format", v, f));
            q->format = v;
        } else if (!strcmp(name, "by")) {
            static const char *const by[] = {"day", "week", "month", NULL};
            CHECKED("by", cli_choice("by", v, by));
            q->by = v;
        } else if (!strcmp(name, "zoom")) {
            CHECKED("zoom", cli_long("zoom", v, 0, 20, &v_long));
            q->zoom = (int)v_long;
        }
    }
    if (q->from && q->to && strcmp(q->from, q->to) > 0)
        return serve_fail(e, 400, "from", "from: %s is after to %s: no date is in that range", q->from, q->to);
    if ((route == SERVE_EVENTS || route == SERVE_HAPPENINGS) && !q->limit)
        q->limit = max_rows < 100 ? max_rows : 100;
    if (route == SERVE_SERIES) {
        if (!q->by) q->by = "day";
        q->format = "jsonl";
    }
    if (route == SERVE_HAPPENINGS) q->happenings = 1;
    if (route == SERVE_PLACES) {
        q->places = 1;
        if (!serve_arg(a, "zoom")) q->zoom = 2;
    }
    return 0;
}

/* ==== JSON stories ======================================================================= */

/* The string member k of o (NULL when absent or null); -1 with e set when it is another type. */
static int member(json_t *o, const char *k, const char *where, const char **out, serve_error *e)
{
    json_t *v = json_object_get(o, k);
    *out = NULL;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_string(v)) return serve_fail(e, 400, k, "%s.%s: not a string", where, k);
    *out = json_string_value(v);
    return 0;
}

/* One story object into st; -1 with e set. */
static int read_story(json_t *o, size_t i, int many, int need_id, dyad_story *st, char *date,
                      serve_error *e)
{
    char where[48];
    snprintf(where, sizeof where, many ? "stories[%zu]" : "story", i);
    if (!json_is_object(o)) return serve_fail(e, 400, where, "%s: not a JSON object", where);
    const char *text, *date_in;
    if (member(o, "text", where, &text, e) || member(o, "id", where, &st->id, e) ||
        member(o, "date", where, &date_in, e) || member(o, "title", where, &st->title, e) ||
        member(o, "url", where, &st->url, e) || member(o, "source", where, &st->source, e))
        return -1;
    if (!text) return serve_fail(e, 400, "text", "%s.text: missing; a story needs its text", where);
    st->text = text;
    st->text_len = json_string_length(json_object_get(o, "text"));
    if (strlen(text) != st->text_len) return serve_fail(e, 400, "text", "%s.text: holds a NUL character", where);
    if (st->id) {
        size_t n = strlen(st->id);
        int ok = n >= 1 && n <= 200;
        for (size_t k = 0; ok && k < n; k++) ok = (unsigned char)st->id[k] >= 0x20 && st->id[k] != 0x7f;
        if (!ok) return serve_fail(e, 400, "id", "%s.id: not an id of 1 to 200 printable characters", where);
    } else if (need_id) {
        return serve_fail(e, 400, "id", "%s.id: missing; a stored story needs its id", where);
    }
    if (date_in) {
        size_t n = strlen(date_in);
        /* a timestamp is cut to its date, as dyad code does */
        size_t dn = n > 10 && date_in[10] == 'T' ? 10 : n;
        char why[96];
        if (dn > 10 || dyad_date_check(date_in, dn, why, sizeof why))
            return serve_fail(e, 400, "date", "%s.date: '%.40s' is not a date: %s (dates are YYYY-MM-DD, "
                                              "years %d-%d)", where, date_in, dn > 10 ? "too long" : why,
                              DYAD_YEAR_MIN, DYAD_YEAR_MAX);
        memcpy(date, date_in, 10);
        date[10] = 0;
        st->date = date;
    }
    return 0;
}

int serve_stories_parse(const char *body, size_t n, int need_id, serve_stories *out,
                        serve_error *e)
{
    memset(out, 0, sizeof *out);
    json_error_t je;
    json_t *root = json_loadb(body, n, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return serve_fail(e, 400, "body", "body: not JSON: %s at line %d, column %d", je.text, je.line, je.column);
    out->json = root;
    json_t *list = root;
    if (json_is_object(root) && json_object_get(root, "stories")) {
        list = json_object_get(root, "stories");
        if (!json_is_array(list)) return serve_fail(e, 400, "stories", "stories: not an array of stories");
    }
    int many = json_is_array(list);
    size_t count = many ? json_array_size(list) : 1;
    if (!count) return serve_fail(e, 400, "stories", "stories: empty; send at least one story");
    if (count > SERVE_MAX_STORIES)
        return serve_fail(e, 400, "stories", "stories: %zu stories; at most %d a request", count, SERVE_MAX_STORIES);
    /* the stories, then their dates (11 bytes each), and their default ids, in one block */
    out->story = calloc(count, sizeof *out->story + 11 + 24);
    if (!out->story) return serve_fail(e, 503, "", "out of memory");
    char *dates = (char *)(out->story + count), *ids = dates + 11 * count;
    for (size_t i = 0; i < count; i++) {
        dyad_story *st = &out->story[i];
        if (read_story(many ? json_array_get(list, i) : list, i, many, need_id, st, dates + 11 * i, e))
            return -1;
        if (!st->id) {
            snprintf(ids + 24 * i, 24, "story-%zu", i + 1);
            st->id = ids + 24 * i;
        }
        out->n++;
    }
    return 0;
}

void serve_stories_free(serve_stories *s)
{
    json_decref(s->json);
    free(s->story);
    memset(s, 0, sizeof *s);
}

void serve_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
        else if (*p == '\n') fputs("\\n", f);
        else if (*p == '\t') fputs("\\t", f);
        else if (*p == '\r') fputs("\\r", f);
        else if (*p < 0x20 || *p == 0x7f) fprintf(f, "\\u%04x", *p);
        else if (*p < 0x80) fputc(*p, f);
        else { /* a whole UTF-8 sequence, or U+FFFD for a broken one (a message cut short) */
            size_t k = (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 1;
            size_t avail = strnlen((const char *)p, k);
            if (avail == k && utf8_ok(p, k)) fwrite(p, 1, k, f), p += k - 1;
            else fputs("\\ufffd", f);
        }
    }
    fputc('"', f);
}
