/*
 * query.h — what the event store's readers share: the filters of a query as one WHERE clause
 * (query.c builds it) and the helpers map.c's clusters read with. Not part of the public API.
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
