/*
 * store.h — internals shared by the event store's files: store.c (schema, ingest, happenings)
 * and store_query.c (filters, time series, exports), both over db.h. Not part of the public
 * API.
 */
#ifndef DYAD_STORE_H
#define DYAD_STORE_H

#include "db.h"
#include "dyad.h"

struct dyad_store {
    dy_db *db;              /* SQLite or PostgreSQL */
    dyad_store_options opt; /* with defaults filled in */
    int in_txn;             /* a batch transaction is open */
    int pending;            /* stories ingested in the open batch */
    char *looked_id;        /* the last lookup (dyad_store_lookup): story id, hash, answer */
    char looked_hash[17];
    int looked;
    int has_ec;             /* the event_countries table exists (schema 2; a schema 1 store
                               opened read-only lacks it) */
};

/* Days since 1970-01-01 of a YYYY-MM-DD date; INT32_MIN when s is not one. */
long dy_store_days(const char *s);

/* Sets err from the database's last message; returns DYAD_EIO. */
int dy_store_fail(dyad_store *s, dyad_error *err, const char *what);

#endif
