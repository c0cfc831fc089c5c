/*
 * schema.c — the event store: coded stories kept in SQLite (WAL) or PostgreSQL through db.h,
 * in batched transactions. Here: the schema, written once for both databases, its migrations,
 * the prepared statements the writers share, opening and closing a store, and its --stats.
 * A story is written by write.c; happenings are rebuilt at commit by happenings.c; queries
 * and exports are query.c's.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "dates.h"
#include "store.h"
#include "store_json.h"

/* ==== schema ============================================================================= */

/* One row per (country, event) for each country an event touches (its place's, its actors'),
 * with the columns of the time series: --country filters and per-country series are range
 * scans of its primary key (country, date). date is '' for an undated event. */
#define EVENT_COUNTRIES_SQL \
    "CREATE TABLE IF NOT EXISTS event_countries(\n" \
    "  country TEXT NOT NULL, date TEXT NOT NULL, event_id @INT NOT NULL, root TEXT,\n" \
    "  code TEXT, goldstein @REAL, dead @INT, injured @INT, happening_id @INT,\n" \
    "  PRIMARY KEY(country, date, event_id))@NOROWID;\n"

/* The located events counted per point and period (span 1: a day, period its date, '' for
 * the undated; span 2: a month, period YYYY-MM), kept in the same transaction as the events:
 * a map of a year reads some ten thousand of these rows (whole months, and the days at its
 * edges) instead of a quarter of a million scattered events (map.c, dy_store_run_places).
 * Counts only add and subtract, so a story replaced is taken back out row by row; a row
 * whose count falls to 0 stays. events_place finds the first events of a point in a period
 * (the ones a map cluster lists). */
#define PLACE_COUNTS_SQL \
    "CREATE TABLE IF NOT EXISTS place_counts(\n" \
    "  span @INT NOT NULL, period TEXT NOT NULL, lat @REAL NOT NULL, lon @REAL NOT NULL,\n" \
    "  n @INT NOT NULL, q1 @INT NOT NULL, q2 @INT NOT NULL, q3 @INT NOT NULL,\n" \
    "  q4 @INT NOT NULL, dead @INT NOT NULL, PRIMARY KEY(span, period, lat, lon))@NOROWID;\n" \
    "CREATE INDEX IF NOT EXISTS events_place ON events(lat, lon, date, id);\n"

/* The events of one root in the order happenings are built in (day, then event id, compared
 * byte by byte on both databases): the regrouping at commit reads them through it. Made on
 * opening for writing when a store from an earlier dyad lacks it. */
#define EVENTS_GROUP_SQL \
    "CREATE INDEX IF NOT EXISTS events_group ON events(root, day, event_id@BYTES);\n"

/* The documented schema (README "Event store"), written once for both databases: @ID, @INT,
 * @REAL, @NOROWID, @VIEW and @PATTERN stand for what each spells differently (dialect_sql).
 * Every statement is idempotent. Dates are TEXT YYYY-MM-DD; day is the date as days since
 * 1970-01-01; code lists are ';'-separated; record keeps the coder's JSON line. */
static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);\n"
    /* one row per story: hash is the 64-bit content hash (hex) of its date and text */
    "CREATE TABLE IF NOT EXISTS stories(\n"
    "  id TEXT PRIMARY KEY, hash TEXT NOT NULL, date TEXT, title TEXT, source TEXT, url TEXT,\n"
    "  text TEXT NOT NULL, n_events @INT NOT NULL, n_quotes @INT NOT NULL);\n"
    /* the sentences that events or quotes cite: idx counts the story's sentences from 0;
     * start/end are character offsets into the story text */
    "CREATE TABLE IF NOT EXISTS sentences(\n"
    "  id @ID, story_id TEXT NOT NULL, idx @INT NOT NULL,\n"
    "  start @INT, \"end\" @INT, text TEXT NOT NULL, UNIQUE(story_id, idx));\n"
    /* one row per event record */
    "CREATE TABLE IF NOT EXISTS events(\n"
    "  id @ID, event_id TEXT NOT NULL UNIQUE, story_id TEXT NOT NULL,\n"
    "  date TEXT, day @INT, date_precision TEXT,\n"
    "  source TEXT, target TEXT, src_key TEXT NOT NULL, tgt_key TEXT NOT NULL,\n"
    "  code TEXT, root TEXT, quad_class @INT, goldstein @REAL,\n"
    "  event TEXT, mode TEXT, context TEXT, sentence @INT, text TEXT, pattern TEXT,\n"
    "  place TEXT, geonameid @INT, lat @REAL, lon @REAL, admin1 TEXT, country_code TEXT,\n"
    "  geo_precision TEXT, dead @INT, injured @INT, arrested @INT, crowd @INT,\n"
    "  acled_type TEXT, acled_sub TEXT, happening_id @INT, record TEXT NOT NULL);\n"
    "CREATE INDEX IF NOT EXISTS events_story ON events(story_id);\n"
    /* covers the time series (--by) so that they never read the records; also the date
     * index (--from, --to, ORDER BY date) */
    "CREATE INDEX IF NOT EXISTS events_series ON events(date, goldstein, dead, injured,\n"
    "  happening_id);\n"
    "CREATE INDEX IF NOT EXISTS events_code ON events(code);\n"
    "CREATE INDEX IF NOT EXISTS events_root ON events(root, date);\n"
    EVENTS_GROUP_SQL
    /* covers the recount of a happening's figures at commit and happening_view's code and
     * Goldstein mean (no event row is read) */
    "CREATE INDEX IF NOT EXISTS events_happening ON events(happening_id, story_id, date, code,\n"
    "  goldstein);\n"
    EVENT_COUNTRIES_SQL
    PLACE_COUNTS_SQL
    "CREATE TABLE IF NOT EXISTS event_sentences(\n"
    "  event_id @INT NOT NULL, sentence_id @INT NOT NULL,\n"
    "  PRIMARY KEY(event_id, sentence_id))@NOROWID;\n"
    "CREATE INDEX IF NOT EXISTS event_sentences_s ON event_sentences(sentence_id);\n"
    /* the members of each event's source (role 'source') and target ('target') */
    "CREATE TABLE IF NOT EXISTS actors(\n"
    "  event_id @INT NOT NULL, role TEXT NOT NULL, pos @INT NOT NULL, code TEXT,\n"
    "  country TEXT, sector TEXT, entity_text TEXT, name TEXT, aligned_with TEXT,\n"
    "  PRIMARY KEY(event_id, role, pos))@NOROWID;\n"
    "CREATE INDEX IF NOT EXISTS actors_code ON actors(code@PATTERN);\n"
    /* gazetteer entries events are located at */
    "CREATE TABLE IF NOT EXISTS places(\n"
    "  geonameid @INT PRIMARY KEY, name TEXT, lat @REAL, lon @REAL, admin1 TEXT,\n"
    "  country_code TEXT, feature_code TEXT, precision TEXT);\n"
    "CREATE TABLE IF NOT EXISTS quotes(\n"
    "  id TEXT PRIMARY KEY, story_id TEXT NOT NULL, speaker TEXT, text TEXT, sentence @INT,\n"
    "  events TEXT, record TEXT NOT NULL);\n"
    "CREATE INDEX IF NOT EXISTS quotes_story ON quotes(story_id);\n"
    /* one row per happening: its key (root, dyad, day of its first mention, place) and the
     * figures of its mentions, kept up to date on every commit */
    "CREATE TABLE IF NOT EXISTS happenings(\n"
    "  id @ID, root TEXT, src_key TEXT NOT NULL, tgt_key TEXT NOT NULL,\n"
    "  day @INT, lat @REAL, lon @REAL, pairs TEXT NOT NULL, mentions @INT NOT NULL DEFAULT 0,\n"
    "  stories @INT NOT NULL DEFAULT 0, sources @INT NOT NULL DEFAULT 0,\n"
    "  first_date TEXT, last_date TEXT, first_seen TEXT, last_seen TEXT);\n"
    "CREATE INDEX IF NOT EXISTS happenings_key ON happenings(root, day);\n"
    /* convenience views */
    "@VIEW event_view AS SELECT e.*, s.source AS outlet, s.url, s.title,\n"
    "  s.date AS story_date FROM events e JOIN stories s ON s.id = e.story_id;\n"
    "@VIEW mentions AS SELECT e.happening_id, e.event_id, e.story_id,\n"
    "  s.source AS outlet, s.url, s.date AS story_date, e.date, e.sentence, e.text\n"
    "  FROM events e JOIN stories s ON s.id = e.story_id;\n"
    "@VIEW happening_view AS SELECT h.*, (SELECT code FROM events e\n"
    "  WHERE e.happening_id = h.id GROUP BY code ORDER BY count(*) DESC, code LIMIT 1) AS code,\n"
    "  (SELECT avg(goldstein) FROM events e WHERE e.happening_id = h.id) AS goldstein\n"
    "  FROM happenings h;\n"
    "INSERT INTO meta VALUES ('schema', '4'), ('dyad_version', '" DYAD_VERSION "')\n"
    "  ON CONFLICT DO NOTHING;\n";

/* Schema 1 stores (SQLite; before event_countries) are brought to schema 2 when opened for
 * writing: the table is filled from events and actors, the indexes it replaces are dropped,
 * the R*Tree gains the day, and the full-text index is rebuilt over the sentences events cite
 * (schema 1 indexed every stored sentence; --text only ever reaches events'). PostgreSQL
 * stores began at schema 2. */
static const char migrate_sql[] =
    EVENT_COUNTRIES_SQL
    "INSERT OR IGNORE INTO event_countries(country, date, event_id, root, code, goldstein,\n"
    "  dead, injured, happening_id)\n"
    "  SELECT c, coalesce(e.date, ''), e.id, e.root, e.code, e.goldstein, e.dead, e.injured,\n"
    "    e.happening_id FROM (SELECT id AS i, country_code AS c FROM events\n"
    "    WHERE country_code IS NOT NULL UNION SELECT event_id, country FROM actors\n"
    "    WHERE country IS NOT NULL) JOIN events e ON e.id = i;\n"
    "DROP INDEX IF EXISTS events_date;\n"
    "DROP INDEX IF EXISTS events_country;\n"
    "DROP INDEX IF EXISTS events_ungrouped;\n"
    "DROP INDEX IF EXISTS actors_country;\n"
    "DROP INDEX IF EXISTS events_happening;\n"
    "CREATE INDEX events_happening ON events(happening_id, story_id, date, code, goldstein);\n"
    "DROP TABLE events_rtree;\n"
    "CREATE VIRTUAL TABLE events_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon,\n"
    "  min_day, max_day);\n"
    "INSERT INTO events_rtree SELECT id, lat, lat, lon, lon, coalesce(day, " UNDATED_DAY "),\n"
    "  coalesce(day, " UNDATED_DAY ") FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL;\n"
    "INSERT OR REPLACE INTO meta VALUES ('schema', '2');\n";

/* Schema 2 stores (SQLite) are brought to schema 3 when opened for writing: the full-text
 * index over the sentences (sentences_fts, whose matches reached events through
 * event_sentences) is replaced by events_fts, keyed by event and day. */
static const char migrate3_sql[] =
    "CREATE VIRTUAL TABLE events_fts USING fts5(text, content='', columnsize=0);\n"
    "INSERT INTO events_fts(rowid, text) SELECT x.key, st.text FROM (" EVENT_FTS_KEYS("") ") x\n"
    "  JOIN sentences st ON st.id = x.sentence_id ORDER BY x.key;\n"
    "INSERT INTO events_fts(events_fts) VALUES ('optimize');\n"
    "DROP TABLE IF EXISTS sentences_fts;\n"
    "INSERT OR REPLACE INTO meta VALUES ('schema', '3');\n";

/* Schema 3 stores (and PostgreSQL stores of schema 2) are brought to schema 4 when opened
 * for writing: place_counts is filled from the events (for the benchmark's store of 1M
 * events, some tens of seconds) and events_place made. */
static const char migrate4_sql[] =
    PLACE_COUNTS_SQL
    "INSERT INTO place_counts(span, period, lat, lon, n, q1, q2, q3, q4, dead)\n"
    "  " PLACE_ROWS("", "") ";\n"
    "UPDATE meta SET value = '4' WHERE key = 'schema';\n";

/* What only one database has. SQLite: events_fts (contentless FTS5 over the sentences each
 * event cites, one row per event and sentence under DY_FTS_KEY; filled at each commit from
 * temp fts_pending in one statement per batch: FTS5 writes its pending terms to disk at
 * every statement that opens a savepoint on it, which per-row triggers did; a story's rows
 * are deleted, with the text they were indexed with, before its sentences are) and
 * events_rtree (R*Tree over the event points and their days, so that --near with dates
 * reads only the matching days; an undated event's day is UNDATED_DAY). PostgreSQL: the
 * same two searches as a GIN full-text index and a GiST index over the points, which the
 * server keeps up to date itself, and km() as an SQL function (SQLite's is registered by
 * db.c). */
static const char lite_schema_sql[] =
    "CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5(text, content='',\n"
    "  columnsize=0);\n"
    "CREATE VIRTUAL TABLE IF NOT EXISTS events_rtree USING rtree(id, min_lat, max_lat,\n"
    "  min_lon, max_lon, min_day, max_day);\n";
static const char pg_schema_sql[] =
    "CREATE INDEX IF NOT EXISTS sentences_fts ON sentences USING gin\n"
    "  (to_tsvector('simple', text));\n"
    "CREATE INDEX IF NOT EXISTS events_point ON events USING gist (point(lon, lat));\n"
    "CREATE OR REPLACE FUNCTION km(double precision, double precision, double precision,\n"
    "  double precision) RETURNS double precision LANGUAGE sql IMMUTABLE STRICT AS\n"
    "  'SELECT 2 * 6371.0088 * asin(least(1, sqrt(sin(radians($3 - $1) / 2) ^ 2 +\n"
    "   cos(radians($1)) * cos(radians($3)) * sin(radians($4 - $2) / 2) ^ 2)))';\n";

/* Per-connection scratch: happenings to recount, the (root, day) of events added or removed
 * (their happenings are rebuilt from that day on) and the happenings events were removed
 * from, and sentences to index at the next commit. */
static const char temp_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS touched(id @INT PRIMARY KEY);\n"
    "CREATE TEMP TABLE IF NOT EXISTS regroup(root TEXT NOT NULL, day @INT NOT NULL,\n"
    "  PRIMARY KEY(root, day));\n"
    "CREATE TEMP TABLE IF NOT EXISTS shrunk(id @INT PRIMARY KEY);\n"
    "CREATE TEMP TABLE IF NOT EXISTS fts_pending(key @INT PRIMARY KEY, sentence_id @INT);\n";

/* sql with the schema's @ words spelt for db; NULL when out of memory. */
static int exec_dialect(dyad_store *s, const char *sql)
{
    char *t = dy_store_dialect_sql(s->db, sql);
    int rc = t ? dy_db_exec(s->db, t) : -1;
    free(t);
    return rc;
}

/* ==== open / close ======================================================================= */

/* Whether the table exists; -1 on an error. */
static int has_table(dy_db *db, const char *name)
{
    dy_stmt *q = dy_db_prepare(db, dy_db_kind(db) == DY_DB_PG
                                       ? "SELECT 1 WHERE to_regclass(?) IS NOT NULL"
                                       : "SELECT 1 FROM sqlite_master WHERE name = ?",
                               0);
    if (!q) return -1;
    dy_bind_text(q, 1, name, (size_t)-1);
    int rc = dy_step(q);
    dy_stmt_free(q);
    return rc == DY_ERR ? -1 : rc == DY_ROW;
}

dyad_store *dyad_store_open(const char *path, const dyad_store_options *opts, dyad_error *err)
{
    store_full *f = calloc(1, sizeof *f);
    if (!f) {
        if (err) *err = (dyad_error){.code = DYAD_ENOMEM, .message = "out of memory"};
        return NULL;
    }
    dyad_store *s = &f->pub;
    if (opts) s->opt = *opts;
    if (s->opt.batch <= 0) s->opt.batch = DYAD_STORE_DEFAULT_BATCH;
    if (s->opt.days == 0) s->opt.days = DYAD_STORE_DEFAULT_DAYS;
    else if (s->opt.days < 0) s->opt.days = 0; /* the same day only */
    if (s->opt.km <= 0) s->opt.km = DYAD_STORE_DEFAULT_KM;
    int ro = s->opt.read_only;
    char msg[sizeof err->message];
    if (!(s->db = dy_db_open(path, ro, msg, sizeof msg))) {
        if (err) {
            *err = (dyad_error){.code = DYAD_EIO};
            snprintf(err->message, sizeof err->message, "%s: %s", path, msg);
        }
        free(f);
        return NULL;
    }
    int pg = dy_db_kind(s->db) == DY_DB_PG;
    /* the schema is made once, in one transaction; opening an existing store writes nothing,
     * so queries run beside an ingest (and on read-only files). On PostgreSQL the store's
     * advisory lock keeps two first openers from making it at once. */
    int has = has_table(s->db, "happenings");
    if (has < 0) goto fail;
    if (!has && ro) {
        if (err) {
            *err = (dyad_error){.code = DYAD_EIO};
            snprintf(err->message, sizeof err->message, "%s: not a dyad event store", path);
        }
        dy_db_close(s->db);
        free(f);
        return NULL;
    }
    if (!has && (dy_db_begin(s->db) || (pg && dy_db_exec(s->db, dy_store_lock_sql)) ||
                 exec_dialect(s, schema_sql) ||
                 dy_db_exec(s->db, pg ? pg_schema_sql : lite_schema_sql) ||
                 dy_db_exec(s->db, "COMMIT")))
        goto fail;
    /* a schema 1 store: migrated when opened for writing; read as it is otherwise */
    if ((s->has_ec = has_table(s->db, "event_countries")) < 0) goto fail;
    if (!s->has_ec && !ro) {
        if (dy_db_begin(s->db) || exec_dialect(s, migrate_sql) || dy_db_exec(s->db, "COMMIT")) {
            dy_db_exec(s->db, "ROLLBACK");
            goto fail;
        }
        s->has_ec = 1;
    }
    /* a schema 2 store (or one just brought to 2): the same, to schema 3 */
    if (!pg && (s->fts_events = has_table(s->db, "events_fts")) < 0) goto fail;
    if (!pg && !s->fts_events && !ro) {
        if (dy_db_begin(s->db) || dy_db_exec(s->db, migrate3_sql) || dy_db_exec(s->db, "COMMIT")) {
            dy_db_exec(s->db, "ROLLBACK");
            goto fail;
        }
        s->fts_events = 1;
    }
    /* a store before place_counts (schema 3 on SQLite, 2 on PostgreSQL): the same, to 4 */
    if ((s->place_counts = has_table(s->db, "place_counts")) < 0) goto fail;
    if (!s->place_counts && !ro) {
        if (dy_db_begin(s->db) || (pg && dy_db_exec(s->db, dy_store_lock_sql)) ||
            exec_dialect(s, migrate4_sql) || dy_db_exec(s->db, "COMMIT")) {
            dy_db_exec(s->db, "ROLLBACK");
            goto fail;
        }
        s->place_counts = 1;
    }
    /* a store from before events_group gains it (the regrouping at commit reads it) */
    int grp = ro ? 1 : has_table(s->db, "events_group");
    if (grp < 0 || (!grp && exec_dialect(s, EVENTS_GROUP_SQL))) goto fail;
    if (!ro && exec_dialect(s, temp_sql)) goto fail;
    s->path = strdup(path); /* for a second handle (ingest.c); none when out of memory */
    return s;
fail:
    if (err) dy_store_fail(s, err, path);
    dy_db_close(s->db);
    free(f);
    return NULL;
}

int dyad_store_close(dyad_store *s, dyad_error *err)
{
    if (!s) return 0;
    int rc = dyad_store_commit(s, err);
    store_full *f = (store_full *)s;
    for (int k = 0; k < Q_COUNT; k++) dy_stmt_free(f->stmt[k]);
    dy_store_forget_lookup(s);
    if (rc == DYAD_OK && dy_db_kind(s->db) == DY_DB_SQLITE && !s->opt.read_only)
        dy_db_exec(s->db, "PRAGMA optimize");
    dy_db_close(s->db);
    free(s->path);
    free(f);
    return rc;
}

/* ==== stats ============================================================================== */

/* What dyad_store_stats counts and checksums, in this order: the content alone, never a row
 * id (happenings in the order of their events' ids), so that stores of the same stories
 * ingested in any order have the same checksum. */
static const struct {
    const char *name, *count, *rows;
} stat_tables[] = {
    {"stories", "SELECT count(*) FROM stories", "SELECT id, hash, date, source FROM stories ORDER BY id"},
    {"sentences", "SELECT count(*) FROM sentences",
     "SELECT story_id, idx, start, \"end\", text FROM sentences ORDER BY story_id, idx"},
    {"events", "SELECT count(*) FROM events", "SELECT event_id, record FROM events ORDER BY event_id"},
    {"actors", "SELECT count(*) FROM actors",
     "SELECT e.event_id, a.role, a.pos, a.code FROM actors a JOIN events e ON e.id = a.event_id "
     "ORDER BY e.event_id, a.role, a.pos"},
    {"places", "SELECT count(*) FROM places", /* coordinates as the same text in both */
     "SELECT geonameid, name, CAST(round(lat * 1000000) AS INTEGER), CAST(round(lon * 1000000) "
     "AS INTEGER), admin1, country_code, feature_code, precision FROM places ORDER BY geonameid"},
    {"quotes", "SELECT count(*) FROM quotes", "SELECT id, record FROM quotes ORDER BY id"},
    {"happenings", "SELECT count(*) FROM happenings",
     "SELECT h.root, h.pairs, h.day, h.mentions, h.stories, h.sources, "
     "(SELECT @AGG(event_id, ' ') FROM (SELECT event_id FROM events e WHERE "
     "e.happening_id = h.id ORDER BY event_id) x) FROM happenings h ORDER BY 7"},
};

int dyad_store_stats(dyad_store *s, FILE *out, dyad_error *err)
{
    if (dyad_store_commit(s, err)) return DYAD_EIO;
    uint64_t sum = 0xcbf29ce484222325ull;
    for (size_t t = 0; t < sizeof stat_tables / sizeof *stat_tables; t++) {
        dy_stmt *q;
        if (!(q = dy_db_prepare(s->db, stat_tables[t].count, 0)))
            return dy_store_fail(s, err, "stats");
        int rc = dy_step(q);
        if (rc == DY_ROW) fprintf(out, "%s %lld\n", stat_tables[t].name, (long long)dy_col_int(q, 0));
        dy_stmt_free(q);
        if (rc != DY_ROW) return dy_store_fail(s, err, "stats");
        char *sql = dy_store_dialect_sql(s->db, stat_tables[t].rows);
        q = sql ? dy_db_prepare(s->db, sql, 0) : NULL;
        free(sql);
        if (!q) return dy_store_fail(s, err, "stats");
        while ((rc = dy_step(q)) == DY_ROW) {
            for (int c = 0; c < dy_col_count(q); c++) {
                const char *v = dy_col_text(q, c);
                uint64_t h = v ? dy_hash(v, dy_col_bytes(q, c)) : 0x5555;
                sum = (sum ^ h) * 0x100000001b3ull;
            }
            sum = (sum ^ 0xff) * 0x100000001b3ull;
        }
        dy_stmt_free(q);
        if (rc != DY_DONE) return dy_store_fail(s, err, "stats");
    }
    fprintf(out, "checksum %016llx\n", (unsigned long long)sum);
    return ferror(out) ? DYAD_EIO : DYAD_OK;
}
