/*
 * serve.h — what `dyad serve`'s files share: the request parsers of cli/serve_req.c (query
 * strings, the filters of the API checked by the CLI's strict parsers, JSON story bodies),
 * which hold no HTTP and are fuzzed on their own (fuzz/fuzz_serve.c), and the server of
 * cli/serve.c. Not part of the library.
 */
#ifndef DYAD_SERVE_H
#define DYAD_SERVE_H

#include <stddef.h>

#include "dyad.h"

#define SERVE_MAX_PARAMS 32    /* parameters of one query string */
#define SERVE_MAX_STORIES 1000 /* stories of one POST body */

/* Why a request is refused: its HTTP status, the parameter it names ("" for none) and a
 * message that says what was wrong and what is accepted. */
typedef struct serve_error {
    int status;
    char param[48];
    char message[400];
} serve_error;

/* Sets e (status, parameter, printf message) and returns -1. */
int serve_fail(serve_error *e, int status, const char *param, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A decoded query string: names and values point into mem (one allocation). */
typedef struct serve_args {
    int n;
    struct {
        const char *name, *value;
    } p[SERVE_MAX_PARAMS];
    char *mem;
} serve_args;

/* Decodes qs[0..n) (a=1&b=x+y%2C; NULL or empty: no parameters): '+' is a space, %XX a
 * byte. Refused (400): a malformed escape, a NUL byte, bytes that are not UTF-8, a name
 * given twice, more than SERVE_MAX_PARAMS parameters. 0, or -1 with e set; free with
 * serve_args_free either way. */
int serve_args_parse(const char *qs, size_t n, serve_args *a, serve_error *e);
void serve_args_free(serve_args *a);
/* The value of name, or NULL. */
const char *serve_arg(const serve_args *a, const char *name);

/* The API's query endpoints. */
enum serve_route { SERVE_EVENTS, SERVE_HAPPENINGS, SERVE_SERIES, SERVE_PLACES };

/* Fills q from a's parameters for route, each checked by the parser `dyad query` uses for
 * the option of the same name (from, to, country, actor, code, root, near, text), plus the
 * route's own: events limit (1..max_rows, default min(100, max_rows)), cursor, format
 * (plover, gdelt, phoenix, icews, acled); happenings limit; series by (day, week, month;
 * default day); places zoom (0-20, default 2). A parameter the route does not know, or a bad
 * value, is a 400 naming it. q's strings point into a. */
int serve_query(const serve_args *a, int route, long max_rows, dyad_store_query *q,
                serve_error *e);

/* Stories sent to POST /api/code or /api/ingest. */
typedef struct serve_stories {
    size_t n;
    dyad_story *story; /* strings point into the parsed body (json) */
    void *json;        /* the jansson document */
} serve_stories;

/* Reads body[0..n): a JSON story {"id", "date", "title", "text", "url", "source"} (text
 * required; date YYYY-MM-DD, or a timestamp cut to its date, checked as `dyad code` checks
 * it), an array of them, or {"stories": [...]}, at most SERVE_MAX_STORIES; need_id: every
 * story must have an id (ingest); otherwise a story without one is "story-N". A malformed
 * body is a 400 naming the field ("stories[2].date"). 0, or -1 with e set; free with
 * serve_stories_free either way. */
int serve_stories_parse(const char *body, size_t n, int need_id, serve_stories *out,
                        serve_error *e);
void serve_stories_free(serve_stories *s);

/* Writes s as a JSON string (quotes and escapes) to f. */
void serve_json_str(FILE *f, const char *s);

#endif
