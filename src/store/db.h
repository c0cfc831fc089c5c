/*
 * db.h — the event store's database layer: one small interface over SQLite (the embedded
 * default) and PostgreSQL (libpq), so that store.c and store_query.c state the store's logic
 * once. SQL is written with '?' parameters; the PostgreSQL driver numbers them ($1, $2, ...).
 * Where the two dialects differ, the store chooses its text with dy_db_kind().
 * A handle belongs to one thread at a time. Not part of the public API.
 */
#ifndef DYAD_DB_H
#define DYAD_DB_H

#include <stddef.h>
#include <stdint.h>

typedef struct dy_db dy_db;
typedef struct dy_stmt dy_stmt;

enum { DY_DB_SQLITE, DY_DB_PG };                /* dy_db_kind */
enum { DY_ERR = -1, DY_DONE = 0, DY_ROW = 1 };  /* dy_step */
enum { DY_NULL, DY_INT, DY_REAL, DY_TEXT };     /* dy_col_type */

/* Whether target names a PostgreSQL server (a postgresql:// or postgres:// URI). */
int dy_db_is_pg(const char *target);

/* Opens an SQLite file (created when absent unless read_only) or connects to a PostgreSQL
 * URI. NULL with the reason in msg when it cannot; km(lat1, lon1, lat2, lon2) is available
 * as an SQL function on SQLite (the PostgreSQL schema defines its own). */
dy_db *dy_db_open(const char *target, int read_only, char *msg, size_t msgn);
void dy_db_close(dy_db *db);
int dy_db_kind(const dy_db *db);
/* The last error's message ("" when none). */
const char *dy_db_errmsg(dy_db *db);

/* Limits what follows to ms milliseconds (0: no limit): SQLite interrupts a statement
 * stepping past the deadline; PostgreSQL sets statement_timeout to ms for every statement
 * of the connection from then on (0 leaves it). dy_db_timed_out says whether
 * the last error was that. */
void dy_db_deadline(dy_db *db, int ms);
int dy_db_timed_out(dy_db *db);

/* Runs one or more statements without parameters or results; 0 or -1. */
int dy_db_exec(dy_db *db, const char *sql);
/* Opens a write transaction (SQLite: BEGIN IMMEDIATE, which takes the write lock). */
int dy_db_begin(dy_db *db);

/* A statement; cached ones are prepared once on the server and meant to be reused (reset
 * between uses). NULL on an error (dy_db_errmsg says which). */
dy_stmt *dy_db_prepare(dy_db *db, const char *sql, int cached);
/* Streams the results of a statement that may return many rows instead of holding them all
 * (PostgreSQL's single-row mode); no other statement may run on the connection until it is
 * done. No effect on SQLite, which always streams. */
void dy_stmt_stream(dy_stmt *st);
void dy_stmt_free(dy_stmt *st);
/* Ends the current execution and forgets the bound values. */
void dy_stmt_reset(dy_stmt *st);

/* Parameters count from 1. Text is used as given until the next dy_step (len (size_t)-1: up
 * to its NUL); NULL text binds SQL NULL. */
void dy_bind_text(dy_stmt *st, int i, const char *v, size_t len);
void dy_bind_int(dy_stmt *st, int i, int64_t v);
void dy_bind_real(dy_stmt *st, int i, double v);
void dy_bind_null(dy_stmt *st, int i);

/* Runs the statement or moves to its next row: DY_ROW, DY_DONE or DY_ERR. */
int dy_step(dy_stmt *st);
/* Runs a statement that returns at most one row (an INSERT ... RETURNING id, a lookup) and
 * resets it: DY_ROW with column 0 in *id, DY_DONE when no row came, DY_ERR. */
int dy_step_id(dy_stmt *st, int64_t *id);

int dy_col_count(dy_stmt *st);
int dy_col_type(dy_stmt *st, int c);
int64_t dy_col_int(dy_stmt *st, int c);
double dy_col_real(dy_stmt *st, int c);
/* The value as text, NULL for SQL NULL; valid until the next step or reset. */
const char *dy_col_text(dy_stmt *st, int c);
size_t dy_col_bytes(dy_stmt *st, int c);

/* Great-circle distance in km between two points given in degrees. */
double dy_km(double lat1, double lon1, double lat2, double lon2);

#endif
