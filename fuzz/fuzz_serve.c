/*
 * fuzz_serve.c — libFuzzer target for `dyad serve`'s request parsers (cli/serve_req.c): the
 * first byte picks what the rest is. Even: a query string, decoded by serve_args_parse and
 * read as the filters of each endpoint by serve_query (with the CLI's strict parsers). Odd: a
 * POST body read by serve_stories_parse (bit 1: ids required, as /api/ingest). Beyond "no
 * crash": a refusal is a 400 (or 503) with a message that serve_json_str writes as a JSON
 * string jansson reads back; decoded parameters are UTF-8 without NUL; an accepted query's
 * dates, countries and codes pass the library's own checks; accepted stories have a text of
 * the length given, an id, and a calendar date or none.
 */
#include "fuzz_common.h"

#include "../cli/serve.h" /* cli/ is not on the include path of every build of fuzz/ */

/* The error's message must be a JSON string once written, and the status a refusal. */
static void check_error(const serve_error *e)
{
    FUZZ_CHECK(e->status == 400 || e->status == 503);
    FUZZ_CHECK(e->message[0] != 0);
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    FUZZ_CHECK(f != NULL);
    serve_json_str(f, e->message);
    fclose(f);
    json_t *v = json_loadb(buf, n, JSON_DECODE_ANY, NULL);
    FUZZ_CHECK(json_is_string(v));
    json_decref(v);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    int mode = data[0];
    const char *in = (const char *)data + 1;
    size_t n = size - 1;
    serve_error e = {0};
    if (!(mode & 1)) {
        serve_args a;
        if (serve_args_parse(in, n, &a, &e)) {
            check_error(&e);
            serve_args_free(&a);
            return 0;
        }
        FUZZ_CHECK(a.n <= SERVE_MAX_PARAMS);
        for (int i = 0; i < a.n; i++) {
            FUZZ_CHECK(a.p[i].name[0] != 0);
            FUZZ_CHECK(fuzz_valid_utf8((const unsigned char *)a.p[i].name, strlen(a.p[i].name)));
            FUZZ_CHECK(fuzz_valid_utf8((const unsigned char *)a.p[i].value, strlen(a.p[i].value)));
            FUZZ_CHECK(serve_arg(&a, a.p[i].name) == a.p[i].value); /* each name once */
        }
        for (int route = SERVE_EVENTS; route <= SERVE_PLACES; route++) {
            dyad_store_query q;
            e = (serve_error){0};
            if (serve_query(&a, route, 1 + (mode >> 1), &q, &e)) {
                check_error(&e);
                continue;
            }
            if (q.from) FUZZ_CHECK(dyad_date_check(q.from, strlen(q.from), NULL, 0) == 0);
            if (q.to) FUZZ_CHECK(dyad_date_check(q.to, strlen(q.to), NULL, 0) == 0);
            if (q.from && q.to) FUZZ_CHECK(strcmp(q.from, q.to) <= 0);
            if (q.country) FUZZ_CHECK(dyad_country_known(q.country));
            if (q.code) FUZZ_CHECK(dyad_cameo_known(q.code));
            if (q.root) FUZZ_CHECK(dyad_cameo_known(q.root) && strlen(q.root) == 2);
            if (q.near) FUZZ_CHECK(q.lat >= -90 && q.lat <= 90 && q.lon >= -180 && q.lon <= 180 && q.km > 0);
            FUZZ_CHECK(q.limit >= 0 && q.limit <= 1 + (mode >> 1));
            FUZZ_CHECK(q.zoom >= 0 && q.zoom <= 20);
        }
        serve_args_free(&a);
        return 0;
    }
    serve_stories s;
    if (serve_stories_parse(in, n, mode & 2, &s, &e)) {
        check_error(&e);
        serve_stories_free(&s);
        return 0;
    }
    FUZZ_CHECK(s.n >= 1 && s.n <= SERVE_MAX_STORIES);
    for (size_t i = 0; i < s.n; i++) {
        const dyad_story *st = &s.story[i];
        FUZZ_CHECK(st->text && strlen(st->text) == st->text_len);
        FUZZ_CHECK(st->id && st->id[0]);
        if (st->date) FUZZ_CHECK(dyad_date_check(st->date, strlen(st->date), NULL, 0) == 0);
    }
    serve_stories_free(&s);
    return 0;
}
