/*
 * store.h — internals shared by the event store's files, all over db.h: schema.c (schema,
 * statements, open and close), write.c (ingest), happenings.c (regrouping at commit), query.c
 * (filters, time series, exports) and ingest.c (coding and storing overlapped). Not part of
 * the public API.
 */
#ifndef DYAD_STORE_H
#define DYAD_STORE_H

#include "db.h"
#include "dyad.h"

/* SQL written once for both databases (schema.c, common.c): */
/* The counts of the located events that `where` (over events) selects, as rows of
 * place_counts: negated by sign "-" (a story taken out), as they are by "". */
#define PLACE_ROWS(sign, where)                                                                   \
    "SELECT 1, coalesce(date, ''), lat, lon, " sign "count(*), " sign "sum(CASE WHEN quad_class = " \
    "1 THEN 1 ELSE 0 END), " sign "sum(CASE WHEN quad_class = 2 THEN 1 ELSE 0 END), " sign         \
    "sum(CASE WHEN quad_class = 3 THEN 1 ELSE 0 END), " sign "sum(CASE WHEN quad_class = 4 THEN "  \
    "1 ELSE 0 END), " sign "sum(coalesce(dead, 0)) FROM events WHERE " where " lat IS NOT NULL "   \
    "AND lon IS NOT NULL GROUP BY coalesce(date, ''), lat, lon UNION ALL SELECT 2, substr(date, " \
    "1, 7), lat, lon, " sign "count(*), " sign "sum(CASE WHEN quad_class = 1 THEN 1 ELSE 0 END), " \
    sign "sum(CASE WHEN quad_class = 2 THEN 1 ELSE 0 END), " sign "sum(CASE WHEN quad_class = 3 " \
    "THEN 1 ELSE 0 END), " sign "sum(CASE WHEN quad_class = 4 THEN 1 ELSE 0 END), " sign          \
    "sum(coalesce(dead, 0)) FROM events WHERE " where " lat IS NOT NULL AND lon IS NOT NULL AND "  \
    "date IS NOT NULL GROUP BY substr(date, 1, 7), lat, lon"

/* The R*Tree day of an undated event: before every real one (days since 1970; a float32
 * holds it exactly). */
#define UNDATED_DAY "-10000000"

/* The events_fts key of each sentence of the events that `where` selects (k is the
 * sentence's rank among its event's, as put_event numbers them), with the sentence id. */
#define EVENT_FTS_KEYS(where)                                                                  \
    "SELECT " DY_FTS_KEY("e.day", "e.id", "row_number() OVER (PARTITION BY es.event_id ORDER " \
                         "BY es.sentence_id) - 1") " AS key, es.sentence_id FROM events e JOIN "  \
    "event_sentences es ON es.event_id = e.id " where

struct dyad_store {
    dy_db *db;              /* SQLite or PostgreSQL */
    char *path;             /* what it was opened with (a file or a URI) */
    dyad_store_options opt; /* with defaults filled in */
    int in_txn;             /* a batch transaction is open */
    int pending;            /* stories ingested in the open batch */
    char *looked_id;        /* the last lookup (dyad_store_lookup): story id, hash, answer */
    char looked_hash[17];
    int looked;
    int has_ec;             /* the event_countries table exists (schema 2; a schema 1 store
                               opened read-only lacks it) */
    int fts_events;         /* SQLite's full-text index is events_fts (schema 3; a schema 1
                               or 2 store opened read-only has sentences_fts) */
    int place_counts;       /* the place_counts table exists (schema 4) */
};

/* Days since 1970-01-01 of a YYYY-MM-DD date; INT32_MIN when s is not one. */
long dy_store_days(const char *s);

/* The key of an event's sentence in SQLite's events_fts (schema 3), as SQL over the event's
 * day (days since 1970, NULL when undated), id and k (the sentence's rank among the event's
 * sentence ids, below 64): the day plus DY_FTS_DAY0 (0001-01-01 is 1; 0 when undated; at
 * most DY_FTS_DAYMAX) in 22 bits, then the id in 35, then k in 6. Keys sort as events are
 * listed (date, undated first, then id): a date range is a key range, read in that order. */
#define DY_FTS_DAY0 719163
#define DY_FTS_DAYMAX 4194303
#define DY_FTS_STR_(x) #x
#define DY_FTS_STR(x) DY_FTS_STR_(x)
#define DY_FTS_KEY(day, id, k)                                                                    \
    "((CASE WHEN " day " IS NULL THEN 0 ELSE max(1, min(" day " + " DY_FTS_STR(DY_FTS_DAY0) ", "  \
    DY_FTS_STR(DY_FTS_DAYMAX) ")) END << 41) | (" id " << 6) | " k ")"
/* The event id of a key. */
#define DY_FTS_EVENT(key) "((" key " >> 6) & 34359738367)"

/* qsort's comparison of two int64_t (row ids). */
int dy_store_cmp_id(const void *a, const void *b);

/* sql with its @ words spelt for db's kind (malloc'd; NULL when out of memory). */
char *dy_store_dialect_sql(dy_db *db, const char *sql);

/* The prepared statements writers share (their SQL: common.c's stmt_sql). */
enum {
    Q_LOOKUP, Q_DEL_TOUCH, Q_DEL_SHRUNK, Q_DEL_REGROUP, Q_DEL_EC, Q_DEL_ACTORS, Q_DEL_ES, Q_DEL_RTREE, Q_DEL_EVENTS,
    Q_DEL_SENT, Q_DEL_QUOTES, Q_DEL_STORY, Q_INS_STORY, Q_INS_SENT, Q_GET_SENT, Q_INS_EVENT,
    Q_INS_ES, Q_INS_ACTOR, Q_INS_EC, Q_INS_PLACE, Q_INS_RTREE, Q_INS_QUOTE, Q_REGROUP,
    Q_GROUP_ROWS, Q_NEW_HAP, Q_HAP_SET, Q_HAP_EVENT, Q_HAP_EC, Q_TOUCH, Q_FTS_PEND, Q_FTS_DEL, Q_FTS_UNPEND,
    Q_ADD_PLACE, Q_DEL_PLACES, Q_COUNT
};

/* A store as dyad_store_open allocates it: with its cache of prepared statements. */
typedef struct store_full {
    struct dyad_store pub;
    dy_stmt *stmt[Q_COUNT];
} store_full;

/* The cached statement k, reset and unbound; NULL on an error. */
dy_stmt *dy_store_stmt(dyad_store *s, int k);

/* Whether statement k has work to do on s's database (some keep SQLite's FTS5 and R*Tree
 * tables, which PostgreSQL's indexes need no statement for). */
int dy_store_has_stmt(const dyad_store *s, int k);

/* PostgreSQL: the store's advisory lock, held to the end of the transaction. */
extern const char dy_store_lock_sql[];

/* Forgets the last dyad_store_lookup's answer (what follows may change it). */
void dy_store_forget_lookup(dyad_store *s);

/* Binds v as text, or NULL when v is NULL or "". */
void dy_store_bind_str(dy_stmt *q, int i, const char *v);

/* happenings.c: marks happening hap touched (its counts recomputed at commit); a new
 * happening of root for an event, returned in *hap. 0, or -1 on a database error. */
int dy_store_touch(dyad_store *s, int64_t hap);
int dy_store_new_happening(dyad_store *s, const char *root, const char *skey, const char *tkey,
                           long day, int placed, double lat, double lon, int64_t *hap);

/* Sets err from the database's last message; returns DYAD_EIO. */
int dy_store_fail(dyad_store *s, dyad_error *err, const char *what);

#endif
