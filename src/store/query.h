/*
 * query.h — what the event store's readers share: the filters of a query as one WHERE clause
 * (filter.c builds it) and the helpers query.c and map.c read with. Not part of the public API.
 */
#ifndef DYAD_STORE_QUERY_H
#define DYAD_STORE_QUERY_H

#include <stdio.h>

#include "base/base.h"
#include "store.h"

/* A WHERE clause over events e with its parameters (strings or doubles), bound in order. */
typedef struct where {
    dy_buf sql;
    int by_country; /* the events come from event_countries c (build_where) */
    int outer;      /* the events come from events_fts f in key order (text_plan) */
    int n;
    struct {
        const char *s;
        double d;
    } arg[24];
} where;

typedef struct cursor {
    char date[11];
    long long id;
} cursor;

/* Reads a page cursor (DATE~ID or ~ID) into c; 0, or -1 when a is not one. */
int dy_cursor_parse(const char *a, cursor *c);

/* The range of events_fts keys q's dates span. */
void dy_fts_range(const dyad_store_query *q, long long *lo, long long *hi);

/* How a page with a word is read: 'o' in the order of events_fts's keys, 'c' by collecting the
 * range's matches first (bounded counts decide). */
int dy_text_plan(dyad_store *s, const dyad_store_query *q, double n, long long lo, long long hi);

/* The filters of q over events e, in s's dialect, into w (pattern holds the actor prefix
 * pattern); with by_country the events come from event_countries c; after: a page's cursor. */
void dy_build_where(dyad_store *s, const dyad_store_query *q, int by_country, int plan, double n,
                    const cursor *after, where *w, char *pattern, size_t npattern);

/* Adds "AND clause" to w (or "WHERE clause"), with its text parameters v1 and v2 (NULL: none). */
void dy_where_add(where *w, const char *clause, const char *v1, const char *v2);

/* Binds w's parameters to st from parameter number first on. */
void dy_where_bind(dy_stmt *st, const where *w, int first);

/* The statement of sql (freed), streamed when stream; NULL on an error. */
dy_stmt *dy_store_prepare(dyad_store *s, dy_buf *sql, int stream);

/* A column as a JSON value (numbers as jansson writes them, text as a JSON string, NULL as
 * null), appended to b. */
void dy_put_json_col(dy_buf *b, dy_stmt *st, int c);

/* The number of events, as the largest id (one index lookup): the N of the plans' costs. */
double dy_store_event_count(dyad_store *s);

/* map.c: the clusters of the located events of w for a web map (q->places). */
int dy_store_run_places(dyad_store *s, const dyad_store_query *q, const where *w, FILE *o, dyad_error *err);

#endif
