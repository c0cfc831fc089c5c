/*
 * db.c — the event store's database layer (db.h): SQLite through its C API, PostgreSQL
 * through libpq. A PostgreSQL statement keeps its SQL with '?' turned into $n and its
 * parameters as text (the server infers their types from the statement); cached statements
 * are prepared once per connection under a name, others are sent with their SQL each time.
 */
#include <libpq-fe.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"

struct dy_db {
    int kind;
    sqlite3 *lite;
    PGconn *pg;
    int named; /* PostgreSQL statements prepared so far (their names) */
    char err[512];
    double deadline; /* SQLite: CLOCK_MONOTONIC seconds a statement may run until (0: none) */
    int timed_out;   /* the last statement was interrupted at the deadline */
    int pg_timeout;  /* PostgreSQL: the statement_timeout set (ms) */
};

struct dy_stmt {
    dy_db *db;
    sqlite3_stmt *lite;
    /* PostgreSQL */
    char *sql;        /* with $n parameters */
    char name[24];    /* "" when not cached */
    int prepared;     /* the cached statement exists on the server */
    int nparam;
    char **val;       /* each parameter's text, NULL for SQL NULL */
    char **buf;       /* their buffers */
    size_t *cap;
    PGresult *res;
    int row, nrows, started, stream, streaming;
    /* SQLite: the statement's " RETURNING id" was cut off and dy_step_id reads the new rowid
     * itself (SQLite gathers RETURNING rows in a temporary table before it returns them) */
    int lite_rowid;
};

double dy_km(double lat1, double lon1, double lat2, double lon2)
{
    const double r = 6371.0088, d2r = M_PI / 180.0;
    double dlat = (lat2 - lat1) * d2r, dlon = (lon2 - lon1) * d2r;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * d2r) * cos(lat2 * d2r) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * r * asin(sqrt(a < 1 ? a : 1));
}

int dy_db_is_pg(const char *t)
{
    return t && (!strncmp(t, "postgresql://", 13) || !strncmp(t, "postgres://", 11));
}

int dy_db_kind(const dy_db *db) { return db->kind; }

const char *dy_db_errmsg(dy_db *db) { return db->err; }

/* Keeps the connection's last message (libpq's end in a newline). */
static void set_err(dy_db *db, const char *msg)
{
    snprintf(db->err, sizeof db->err, "%s", msg ? msg : "unknown error");
    size_t n = strlen(db->err);
    while (n && (db->err[n - 1] == '\n' || db->err[n - 1] == ' ')) db->err[--n] = 0;
}

static void lite_err(dy_db *db) { set_err(db, sqlite3_errmsg(db->lite)); }

/* ==== SQLite ============================================================================= */

/* SQL function km(lat1, lon1, lat2, lon2); NULL when any argument is NULL. */
static void sql_km(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
    for (int i = 0; i < argc; i++)
        if (sqlite3_value_type(v[i]) == SQLITE_NULL) {
            sqlite3_result_null(ctx);
            return;
        }
    sqlite3_result_double(ctx, dy_km(sqlite3_value_double(v[0]), sqlite3_value_double(v[1]),
                                     sqlite3_value_double(v[2]), sqlite3_value_double(v[3])));
}

static int lite_open(dy_db *db, const char *path, int ro)
{
    /* a store handle belongs to one thread at a time (dyad.h): SQLite's per-connection
     * mutex, taken at every step and column read, is left out */
    if (sqlite3_open_v2(path, &db->lite,
                        (ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK)
        return -1;
    sqlite3_busy_timeout(db->lite, 10000);
    if ((!ro && sqlite3_exec(db->lite, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                                       "PRAGMA wal_autocheckpoint=16384;",
                             NULL, NULL, NULL) != SQLITE_OK) ||
        sqlite3_exec(db->lite, "PRAGMA cache_size=-131072; PRAGMA temp_store=MEMORY;", NULL,
                     NULL, NULL) != SQLITE_OK ||
        /* queries read the file through a memory map (up to SQLite's 2 GB cap): no read(2)
         * per page; measured 20-40% faster on a 1M-event store. Writers keep read(2), which
         * measured no better mapped. */
        (ro && sqlite3_exec(db->lite, "PRAGMA mmap_size=2147418112;", NULL, NULL, NULL) != SQLITE_OK) ||
        sqlite3_create_function(db->lite, "km", 4, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                sql_km, NULL, NULL) != SQLITE_OK)
        return -1;
    return 0;
}

/* ==== PostgreSQL ========================================================================= */

static int pg_ok(dy_db *db, PGresult *r)
{
    ExecStatusType t = PQresultStatus(r);
    if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK || t == PGRES_SINGLE_TUPLE) return 1;
    set_err(db, r ? PQresultErrorMessage(r) : PQerrorMessage(db->pg));
    return 0;
}

/* Runs sql on the connection; 0 or -1. */
static int pg_exec(dy_db *db, const char *sql)
{
    PGresult *r = PQexec(db->pg, sql);
    int ok = pg_ok(db, r);
    PQclear(r);
    return ok ? 0 : -1;
}

static int pg_open(dy_db *db, const char *uri, int ro)
{
    db->pg = PQconnectdb(uri);
    if (PQstatus(db->pg) != CONNECTION_OK) {
        set_err(db, PQerrorMessage(db->pg));
        return -1;
    }
    /* notices (CREATE ... IF NOT EXISTS on existing objects) are not the user's business */
    PQsetNoticeProcessor(db->pg, NULL, NULL);
    if (pg_exec(db, "SET client_min_messages = warning; SET extra_float_digits = 1;") ||
        (ro && pg_exec(db, "SET default_transaction_read_only = on")))
        return -1;
    return 0;
}

/* sql with each '?' outside quotes turned into $1, $2, ... and each '?N' into $N; the number
 * of parameters in *n. */
static char *number_params(const char *sql, int *n)
{
    size_t len = strlen(sql), q = 0;
    for (const char *p = sql; *p; p++) q += *p == '?';
    char *out = malloc(len + q * 4 + 1), *o = out;
    if (!out) return NULL;
    int k = 0;
    char quote = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == quote) quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '?' && p[1] >= '1' && p[1] <= '9') {
            int v = (int)strtol(p + 1, (char **)&p, 10);
            o += sprintf(o, "$%d", v);
            if (v > k) k = v;
            p--;
            continue;
        } else if (*p == '?') {
            o += sprintf(o, "$%d", ++k);
            continue;
        }
        *o++ = *p;
    }
    *o = 0;
    *n = k;
    return out;
}

/* Drains what a streaming statement has not read. */
static void pg_finish(dy_stmt *st)
{
    PQclear(st->res);
    st->res = NULL;
    if (st->streaming) {
        PGresult *r;
        while ((r = PQgetResult(st->db->pg))) PQclear(r);
        st->streaming = 0;
    }
    st->started = 0;
    st->row = st->nrows = 0;
}

static int pg_step(dy_stmt *st)
{
    dy_db *db = st->db;
    if (!st->started) {
        st->started = 1;
        if (st->name[0] && !st->prepared) {
            PGresult *r = PQprepare(db->pg, st->name, st->sql, 0, NULL);
            int ok = pg_ok(db, r);
            PQclear(r);
            if (!ok) return DY_ERR;
            st->prepared = 1;
        }
        const char *const *v = (const char *const *)st->val;
        if (st->stream) {
            int sent = st->name[0] ? PQsendQueryPrepared(db->pg, st->name, st->nparam, v, NULL, NULL, 0)
                                   : PQsendQueryParams(db->pg, st->sql, st->nparam, NULL, v, NULL, NULL, 0);
            if (!sent || !PQsetSingleRowMode(db->pg)) {
                set_err(db, PQerrorMessage(db->pg));
                return DY_ERR;
            }
            st->streaming = 1;
        } else {
            st->res = st->name[0] ? PQexecPrepared(db->pg, st->name, st->nparam, v, NULL, NULL, 0)
                                  : PQexecParams(db->pg, st->sql, st->nparam, NULL, v, NULL, NULL, 0);
            if (!pg_ok(db, st->res)) return DY_ERR;
            st->nrows = PQntuples(st->res);
            st->row = -1;
        }
    }
    if (!st->streaming) return ++st->row < st->nrows ? DY_ROW : DY_DONE;
    PQclear(st->res);
    st->res = PQgetResult(db->pg);
    if (st->res && PQresultStatus(st->res) == PGRES_SINGLE_TUPLE) {
        st->row = 0;
        st->nrows = 1;
        return DY_ROW;
    }
    int ok = !st->res || pg_ok(db, st->res);
    PQclear(st->res);
    st->res = NULL;
    PGresult *r;
    while ((r = PQgetResult(db->pg))) PQclear(r);
    st->streaming = 0;
    st->nrows = 0;
    return ok ? DY_DONE : DY_ERR;
}

/* Parameter i's buffer, holding at least n bytes; NULL when out of memory. */
static char *pg_param(dy_stmt *st, int i, size_t n)
{
    if (i < 1 || i > st->nparam) return NULL;
    i--;
    if (st->cap[i] < n) {
        char *b = realloc(st->buf[i], n < 32 ? 32 : n);
        if (!b) return NULL;
        st->buf[i] = b;
        st->cap[i] = n < 32 ? 32 : n;
    }
    return st->val[i] = st->buf[i];
}

/* ==== the interface ====================================================================== */

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* SQLite's progress handler: nonzero interrupts the running statement. */
static int lite_progress(void *ctx)
{
    dy_db *db = ctx;
    if (db->deadline <= 0 || mono_s() < db->deadline) return 0;
    db->timed_out = 1;
    return 1;
}

void dy_db_deadline(dy_db *db, int ms)
{
    db->timed_out = 0;
    if (db->kind == DY_DB_PG) { /* set once per connection, and kept */
        if (ms <= 0 || ms == db->pg_timeout) return;
        char sql[64];
        snprintf(sql, sizeof sql, "SET statement_timeout = %d", ms > 0 ? ms : 0);
        if (!pg_exec(db, sql)) db->pg_timeout = ms;
        return;
    }
    db->deadline = ms > 0 ? mono_s() + ms / 1000.0 : 0;
    /* checked every 4,000 virtual machine steps: a few microseconds */
    sqlite3_progress_handler(db->lite, ms > 0 ? 4000 : 0, ms > 0 ? lite_progress : NULL, db);
}

int dy_db_timed_out(dy_db *db)
{
    if (db->kind == DY_DB_PG) return strstr(db->err, "statement timeout") != NULL;
    return db->timed_out;
}

dy_db *dy_db_open(const char *target, int ro, char *msg, size_t msgn)
{
    dy_db *db = calloc(1, sizeof *db);
    if (!db) {
        snprintf(msg, msgn, "out of memory");
        return NULL;
    }
    db->kind = dy_db_is_pg(target) ? DY_DB_PG : DY_DB_SQLITE;
    int rc = db->kind == DY_DB_PG ? pg_open(db, target, ro) : lite_open(db, target, ro);
    if (rc) {
        if (db->kind == DY_DB_SQLITE) lite_err(db);
        snprintf(msg, msgn, "%s", db->err);
        dy_db_close(db);
        return NULL;
    }
    return db;
}

void dy_db_close(dy_db *db)
{
    if (!db) return;
    if (db->lite) sqlite3_close(db->lite);
    if (db->pg) PQfinish(db->pg);
    free(db);
}

int dy_db_exec(dy_db *db, const char *sql)
{
    if (db->kind == DY_DB_PG) return pg_exec(db, sql);
    if (sqlite3_exec(db->lite, sql, NULL, NULL, NULL) == SQLITE_OK) return 0;
    lite_err(db);
    return -1;
}

int dy_db_begin(dy_db *db) { return dy_db_exec(db, db->kind == DY_DB_PG ? "BEGIN" : "BEGIN IMMEDIATE"); }

dy_stmt *dy_db_prepare(dy_db *db, const char *sql, int cached)
{
    dy_stmt *st = calloc(1, sizeof *st);
    if (!st) {
        set_err(db, "out of memory");
        return NULL;
    }
    st->db = db;
    if (db->kind == DY_DB_SQLITE) {
        static const char ret[] = " RETURNING id";
        size_t n = strlen(sql), rn = sizeof ret - 1;
        st->lite_rowid = n > rn && !strcmp(sql + n - rn, ret);
        if (st->lite_rowid) n -= rn;
        if (sqlite3_prepare_v3(db->lite, sql, (int)n, cached ? SQLITE_PREPARE_PERSISTENT : 0,
                               &st->lite, NULL) == SQLITE_OK)
            return st;
        lite_err(db);
        free(st);
        return NULL;
    }
    st->sql = number_params(sql, &st->nparam);
    st->val = calloc((size_t)st->nparam + 1, sizeof *st->val);
    st->buf = calloc((size_t)st->nparam + 1, sizeof *st->buf);
    st->cap = calloc((size_t)st->nparam + 1, sizeof *st->cap);
    if (!st->sql || !st->val || !st->buf || !st->cap) {
        set_err(db, "out of memory");
        dy_stmt_free(st);
        return NULL;
    }
    if (cached) snprintf(st->name, sizeof st->name, "dyad_%d", ++db->named);
    return st;
}

void dy_stmt_stream(dy_stmt *st) { st->stream = 1; }

void dy_stmt_free(dy_stmt *st)
{
    if (!st) return;
    if (st->lite) sqlite3_finalize(st->lite);
    if (st->db->kind == DY_DB_PG) {
        pg_finish(st);
        if (st->prepared) {
            char sql[48];
            snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
            pg_exec(st->db, sql);
        }
        for (int i = 0; st->buf && i < st->nparam; i++) free(st->buf[i]);
        free(st->buf), free(st->val), free(st->cap), free(st->sql);
    }
    free(st);
}

void dy_stmt_reset(dy_stmt *st)
{
    if (st->lite) {
        sqlite3_reset(st->lite);
        sqlite3_clear_bindings(st->lite);
        return;
    }
    pg_finish(st);
    for (int i = 0; i < st->nparam; i++) st->val[i] = NULL;
}

void dy_bind_text(dy_stmt *st, int i, const char *v, size_t len)
{
    if (!v) {
        dy_bind_null(st, i);
        return;
    }
    if (len == (size_t)-1) len = strlen(v);
    if (st->lite) {
        sqlite3_bind_text(st->lite, i, v, (int)len, SQLITE_STATIC);
        return;
    }
    char *b = pg_param(st, i, len + 1);
    if (b) memcpy(b, v, len), b[len] = 0;
}

void dy_bind_int(dy_stmt *st, int i, int64_t v)
{
    if (st->lite) {
        sqlite3_bind_int64(st->lite, i, v);
        return;
    }
    char *b = pg_param(st, i, 24);
    if (b) snprintf(b, 24, "%lld", (long long)v);
}

void dy_bind_real(dy_stmt *st, int i, double v)
{
    if (st->lite) {
        sqlite3_bind_double(st->lite, i, v);
        return;
    }
    char *b = pg_param(st, i, 32);
    if (b) snprintf(b, 32, "%.17g", v);
}

void dy_bind_null(dy_stmt *st, int i)
{
    if (st->lite) sqlite3_bind_null(st->lite, i);
    else if (i >= 1 && i <= st->nparam) st->val[i - 1] = NULL;
}

int dy_step(dy_stmt *st)
{
    if (!st->lite) return pg_step(st);
    int rc = sqlite3_step(st->lite);
    if (rc == SQLITE_ROW) return DY_ROW;
    if (rc == SQLITE_DONE) return DY_DONE;
    lite_err(st->db);
    return DY_ERR;
}

int dy_step_id(dy_stmt *st, int64_t *id)
{
    if (st->lite_rowid) {
        sqlite3 *db = st->db->lite;
        sqlite3_int64 before = sqlite3_total_changes64(db);
        int rc = dy_step(st);
        if (rc == DY_DONE && sqlite3_total_changes64(db) != before) {
            *id = sqlite3_last_insert_rowid(db);
            rc = DY_ROW;
        }
        sqlite3_reset(st->lite);
        return rc;
    }
    int rc = dy_step(st);
    if (rc == DY_ROW) {
        *id = dy_col_int(st, 0);
        /* a write statement runs to its end before it returns rows: reset ends it */
        if (st->lite) sqlite3_reset(st->lite);
        else pg_finish(st);
    }
    return rc;
}

int dy_col_count(dy_stmt *st)
{
    return st->lite ? sqlite3_column_count(st->lite) : st->res ? PQnfields(st->res) : 0;
}

int dy_col_type(dy_stmt *st, int c)
{
    if (st->lite) {
        switch (sqlite3_column_type(st->lite, c)) {
        case SQLITE_NULL: return DY_NULL;
        case SQLITE_INTEGER: return DY_INT;
        case SQLITE_FLOAT: return DY_REAL;
        default: return DY_TEXT;
        }
    }
    if (!st->res || PQgetisnull(st->res, st->row, c)) return DY_NULL;
    switch (PQftype(st->res, c)) { /* the built-in type oids (catalog/pg_type_d.h) */
    case 20: case 21: case 23: return DY_INT;  /* int8, int2, int4 */
    case 700: case 701: case 1700: return DY_REAL; /* float4, float8, numeric */
    default: return DY_TEXT;
    }
}

const char *dy_col_text(dy_stmt *st, int c)
{
    if (st->lite) return (const char *)sqlite3_column_text(st->lite, c);
    if (!st->res || PQgetisnull(st->res, st->row, c)) return NULL;
    return PQgetvalue(st->res, st->row, c);
}

size_t dy_col_bytes(dy_stmt *st, int c)
{
    if (st->lite) return (size_t)sqlite3_column_bytes(st->lite, c);
    return st->res ? (size_t)PQgetlength(st->res, st->row, c) : 0;
}

int64_t dy_col_int(dy_stmt *st, int c)
{
    if (st->lite) return sqlite3_column_int64(st->lite, c);
    const char *v = dy_col_text(st, c);
    if (!v) return 0;
    if (*v == 't' || *v == 'f') return *v == 't'; /* booleans */
    return strchr(v, '.') || strchr(v, 'e') ? (int64_t)strtod(v, NULL) : strtoll(v, NULL, 10);
}

double dy_col_real(dy_stmt *st, int c)
{
    if (st->lite) return sqlite3_column_double(st->lite, c);
    const char *v = dy_col_text(st, c);
    return v ? strtod(v, NULL) : 0.0;
}
