/*
 * store.c — the event store: coded stories kept in SQLite (WAL) or PostgreSQL through db.h,
 * in batched transactions. Consumes a story and the coder's JSON Lines for it (parsed by
 * store_json.c, so the store does not depend on coder internals) and produces rows in the
 * schema below; at each commit the happenings around the days a batch changed are rebuilt, in
 * an order that does not depend on the stories'. Queries and exports are in store_query.c.
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
 * edges) instead of a quarter of a million scattered events (store_query.c run_places).
 * Counts only add and subtract, so a story replaced is taken back out row by row; a row
 * whose count falls to 0 stays. events_place finds the first events of a point in a period
 * (the ones a map cluster lists). */
#define PLACE_COUNTS_SQL \
    "CREATE TABLE IF NOT EXISTS place_counts(\n" \
    "  span @INT NOT NULL, period TEXT NOT NULL, lat @REAL NOT NULL, lon @REAL NOT NULL,\n" \
    "  n @INT NOT NULL, q1 @INT NOT NULL, q2 @INT NOT NULL, q3 @INT NOT NULL,\n" \
    "  q4 @INT NOT NULL, dead @INT NOT NULL, PRIMARY KEY(span, period, lat, lon))@NOROWID;\n" \
    "CREATE INDEX IF NOT EXISTS events_place ON events(lat, lon, date, id);\n"

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

/* The R*Tree day of an undated event: before every real one (days since 1970; a float32
 * holds it exactly). */
#define UNDATED_DAY "-10000000"

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
/* The events_fts key of each sentence of the events that `where` selects (k is the
 * sentence's rank among its event's, as put_event numbers them), with the sentence id. */
#define EVENT_FTS_KEYS(where)                                                                  \
    "SELECT " DY_FTS_KEY("e.day", "e.id", "row_number() OVER (PARTITION BY es.event_id ORDER " \
                         "BY es.sentence_id) - 1") " AS key, es.sentence_id FROM events e JOIN "  \
    "event_sentences es ON es.event_id = e.id " where

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
static char *dialect_sql(dy_db *db, const char *sql)
{
    static const char *const word[][3] = {
        /* word, SQLite, PostgreSQL */
        {"@ID", "INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
        {"@INT", "INTEGER", "BIGINT"},
        {"@REAL", "REAL", "DOUBLE PRECISION"},
        {"@NOROWID", " WITHOUT ROWID", ""},
        {"@VIEW", "CREATE VIEW IF NOT EXISTS", "CREATE OR REPLACE VIEW"},
        {"@PATTERN", "", " text_pattern_ops"}, /* LIKE 'RUS%' as a range on the index */
        {"@AGG", "group_concat", "string_agg"},
        {"@BYTES", "", " COLLATE \"C\""}, /* text ordered byte by byte, as SQLite does */
    };
    int pg = dy_db_kind(db) == DY_DB_PG;
    size_t nw = sizeof word / sizeof *word;
    dy_buf out = {0};
    for (const char *p = sql; *p;) {
        size_t k = nw;
        if (*p == '@')
            for (k = 0; k < nw; k++) {
                size_t n = strlen(word[k][0]);
                if (!strncmp(p, word[k][0], n) && !(p[n] >= 'A' && p[n] <= 'Z')) break;
            }
        if (k < nw) {
            dy_buf_puts(&out, word[k][1 + pg]);
            p += strlen(word[k][0]);
        } else {
            dy_buf_putc(&out, *p++);
        }
    }
    dy_buf_nul(&out);
    if (out.oom) {
        dy_buf_free(&out);
        return NULL;
    }
    return out.p;
}

/* Runs sql (with @ words) on s's database; 0 or -1. */
static int exec_dialect(dyad_store *s, const char *sql)
{
    char *t = dialect_sql(s->db, sql);
    int rc = t ? dy_db_exec(s->db, t) : -1;
    free(t);
    return rc;
}

/* ==== prepared statements ================================================================ */

enum {
    Q_LOOKUP, Q_DEL_TOUCH, Q_DEL_SHRUNK, Q_DEL_REGROUP, Q_DEL_EC, Q_DEL_ACTORS, Q_DEL_ES, Q_DEL_RTREE, Q_DEL_EVENTS,
    Q_DEL_SENT, Q_DEL_QUOTES, Q_DEL_STORY, Q_INS_STORY, Q_INS_SENT, Q_GET_SENT, Q_INS_EVENT,
    Q_INS_ES, Q_INS_ACTOR, Q_INS_EC, Q_INS_PLACE, Q_INS_RTREE, Q_INS_QUOTE, Q_REGROUP,
    Q_GROUP_ROWS, Q_NEW_HAP, Q_HAP_SET, Q_HAP_EVENT, Q_HAP_EC, Q_TOUCH, Q_FTS_PEND, Q_FTS_DEL, Q_FTS_UNPEND,
    Q_ADD_PLACE, Q_DEL_PLACES, Q_COUNT
};
/* The statements. Those marked LITE keep SQLite's FTS5 and R*Tree tables up to date; the
 * PostgreSQL indexes that stand for them need no statements. */
#define LITE "\1"
static const char *const stmt_sql[Q_COUNT] = {
    [Q_LOOKUP] = "SELECT hash FROM stories WHERE id = ?",
    [Q_DEL_TOUCH] = "INSERT INTO touched SELECT happening_id FROM events "
                    "WHERE story_id = ? AND happening_id IS NOT NULL ON CONFLICT DO NOTHING",
    [Q_DEL_SHRUNK] = "INSERT INTO shrunk SELECT happening_id FROM events "
                     "WHERE story_id = ? AND happening_id IS NOT NULL ON CONFLICT DO NOTHING",
    [Q_DEL_REGROUP] = "INSERT INTO regroup(root, day) SELECT root, day FROM events WHERE "
                      "story_id = ? AND root IS NOT NULL AND day IS NOT NULL ON CONFLICT DO NOTHING",
    /* by primary key (row values) */
    [Q_DEL_EC] = "DELETE FROM event_countries WHERE (country, date, event_id) IN (SELECT "
                 "e.country_code, coalesce(e.date, ''), e.id FROM events e WHERE e.story_id = ?1 "
                 "AND e.country_code IS NOT NULL UNION SELECT a.country, coalesce(e.date, ''), "
                 "e.id FROM events e JOIN actors a ON a.event_id = e.id WHERE e.story_id = ?1 "
                 "AND a.country IS NOT NULL)",
    [Q_DEL_ACTORS] = "DELETE FROM actors WHERE event_id IN (SELECT id FROM events WHERE story_id = ?)",
    [Q_DEL_ES] = "DELETE FROM event_sentences WHERE event_id IN "
                 "(SELECT id FROM events WHERE story_id = ?)",
    [Q_DEL_RTREE] = LITE "DELETE FROM events_rtree WHERE id IN (SELECT id FROM events WHERE "
                    "story_id = ?)",
    [Q_DEL_EVENTS] = "DELETE FROM events WHERE story_id = ?",
    /* the story's located events taken out of the counts (run before its events go) */
    [Q_DEL_PLACES] = "INSERT INTO place_counts(span, period, lat, lon, n, q1, q2, q3, q4, dead) "
                     PLACE_ROWS("-", "story_id = ?1 AND") " ON CONFLICT(span, period, lat, lon) "
                     "DO UPDATE SET n = place_counts.n + excluded.n, q1 = place_counts.q1 + "
                     "excluded.q1, q2 = place_counts.q2 + excluded.q2, q3 = place_counts.q3 + "
                     "excluded.q3, q4 = place_counts.q4 + excluded.q4, dead = place_counts.dead + "
                     "excluded.dead",
    /* one located event counted in its day's (or month's) row */
    [Q_ADD_PLACE] = "INSERT INTO place_counts(span, period, lat, lon, n, q1, q2, q3, q4, dead) "
                    "VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?) ON CONFLICT(span, period, lat, lon) "
                    "DO UPDATE SET n = place_counts.n + 1, q1 = place_counts.q1 + excluded.q1, "
                    "q2 = place_counts.q2 + excluded.q2, q3 = place_counts.q3 + excluded.q3, "
                    "q4 = place_counts.q4 + excluded.q4, dead = place_counts.dead + excluded.dead",
    [Q_DEL_SENT] = "DELETE FROM sentences WHERE story_id = ?",
    [Q_DEL_QUOTES] = "DELETE FROM quotes WHERE story_id = ?",
    [Q_DEL_STORY] = "DELETE FROM stories WHERE id = ?",
    [Q_INS_STORY] = "INSERT INTO stories(id, hash, date, title, source, url, text, n_events, "
                    "n_quotes) VALUES (?,?,?,?,?,?,?,?,?)",
    /* returns a row only when the sentence is new */
    [Q_INS_SENT] = "INSERT INTO sentences(story_id, idx, start, \"end\", text) VALUES (?,?,?,?,?) "
                   "ON CONFLICT DO NOTHING RETURNING id",
    [Q_GET_SENT] = "SELECT id FROM sentences WHERE story_id = ? AND idx = ?",
    [Q_INS_EVENT] = "INSERT INTO events(event_id, story_id, date, day, date_precision, source, "
                    "target, src_key, tgt_key, code, root, quad_class, goldstein, event, mode, "
                    "context, sentence, text, pattern, place, geonameid, lat, lon, admin1, "
                    "country_code, geo_precision, dead, injured, arrested, crowd, acled_type, "
                    "acled_sub, record, happening_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                    "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
    [Q_INS_ES] = "INSERT INTO event_sentences(event_id, sentence_id) VALUES (?,?) "
                 "ON CONFLICT DO NOTHING",
    [Q_INS_ACTOR] = "INSERT INTO actors(event_id, role, pos, code, country, sector, "
                    "entity_text, name, aligned_with) VALUES (?,?,?,?,?,?,?,?,?) "
                    "ON CONFLICT(event_id, role, pos) DO UPDATE SET code = excluded.code, "
                    "country = excluded.country, sector = excluded.sector, "
                    "entity_text = excluded.entity_text, name = excluded.name, "
                    "aligned_with = excluded.aligned_with",
    [Q_INS_EC] = "INSERT INTO event_countries(country, date, event_id, root, code, goldstein, "
                 "dead, injured, happening_id) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
    [Q_INS_PLACE] = "INSERT INTO places(geonameid, name, lat, lon, admin1, "
                    "country_code, feature_code, precision) VALUES (?,?,?,?,?,?,?,?) "
                    "ON CONFLICT DO NOTHING",
    [Q_INS_RTREE] = LITE "INSERT INTO events_rtree(id, min_lat, max_lat, min_lon, max_lon, "
                    "min_day, max_day) VALUES (?1, ?2, ?2, ?3, ?3, coalesce(?4, " UNDATED_DAY
                    "), coalesce(?4, " UNDATED_DAY "))",
    [Q_INS_QUOTE] = "INSERT INTO quotes(id, story_id, speaker, text, sentence, events, "
                    "record) VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
                    "story_id = excluded.story_id, speaker = excluded.speaker, "
                    "text = excluded.text, sentence = excluded.sentence, "
                    "events = excluded.events, record = excluded.record",
    [Q_REGROUP] = "INSERT INTO regroup(root, day) VALUES (?,?) ON CONFLICT DO NOTHING",
    /* the next events of one root in the order happenings are built in (a range of
     * events_group), with the first day of the happening each is in */
    [Q_GROUP_ROWS] = "SELECT e.id, e.event_id, e.day, e.src_key, e.tgt_key, e.lat, e.lon, "
                     "e.geo_precision, e.quad_class, e.happening_id, h.day FROM events e "
                     "LEFT JOIN happenings h ON h.id = e.happening_id WHERE e.root = ?1 AND "
                     "e.day >= ?2 ORDER BY e.day, e.event_id@BYTES LIMIT ?3",
    [Q_NEW_HAP] = "INSERT INTO happenings(root, src_key, tgt_key, day, lat, lon, pairs) "
                  "VALUES (?,?,?,?,?,?,?) RETURNING id",
    [Q_HAP_SET] = "UPDATE happenings SET src_key = ?2, tgt_key = ?3, day = ?4, lat = ?5, "
                  "lon = ?6, pairs = ?7 WHERE id = ?1",
    [Q_HAP_EVENT] = "UPDATE events SET happening_id = ?2 WHERE id = ?1",
    /* by primary key (SQLite reads the whole table for a row value IN a subquery here) */
    [Q_HAP_EC] = "UPDATE event_countries SET happening_id = ?2 WHERE country IN (SELECT "
                 "country_code FROM events WHERE id = ?1 UNION SELECT country FROM actors "
                 "WHERE event_id = ?1) AND date = (SELECT coalesce(date, '') FROM events "
                 "WHERE id = ?1) AND event_id = ?1",
    [Q_TOUCH] = "INSERT INTO touched(id) VALUES (?) ON CONFLICT DO NOTHING",
    [Q_FTS_PEND] = LITE "INSERT INTO fts_pending(key, sentence_id) VALUES (" DY_FTS_KEY("?1", "?2", "?3")
                   ", ?4) ON CONFLICT DO NOTHING",
    /* the story's indexed rows, with the text they were indexed with (run before
     * event_sentences is emptied) */
    [Q_FTS_DEL] = LITE "INSERT INTO events_fts(events_fts, rowid, text) SELECT 'delete', x.key, "
                  "st.text FROM (" EVENT_FTS_KEYS("WHERE e.story_id = ?") ") x JOIN sentences st "
                  "ON st.id = x.sentence_id WHERE x.key NOT IN (SELECT key FROM fts_pending)",
    [Q_FTS_UNPEND] = LITE "DELETE FROM fts_pending WHERE sentence_id IN (SELECT id FROM sentences "
                     "WHERE story_id = ?)",
};

typedef struct store_full {
    struct dyad_store pub;
    dy_stmt *stmt[Q_COUNT];
} store_full;

static void forget_lookup(dyad_store *s);

/* Whether statement k has work to do on s's database. */
static int has_stmt(const dyad_store *s, int k)
{
    return stmt_sql[k][0] != LITE[0] || dy_db_kind(s->db) == DY_DB_SQLITE;
}

/* The cached statement k, reset and unbound; NULL on an error. */
static dy_stmt *stmt(dyad_store *s, int k)
{
    store_full *f = (store_full *)s;
    const char *sql = stmt_sql[k] + (stmt_sql[k][0] == LITE[0]);
    if (!f->stmt[k]) {
        char *t = strchr(sql, '@') ? dialect_sql(s->db, sql) : NULL; /* the @ words spelt */
        f->stmt[k] = strchr(sql, '@') && !t ? NULL : dy_db_prepare(s->db, t ? t : sql, 1);
        free(t);
        if (!f->stmt[k]) return NULL;
    }
    dy_stmt_reset(f->stmt[k]);
    return f->stmt[k];
}

int dy_store_fail(dyad_store *s, dyad_error *err, const char *what)
{
    /* a query stopped at the store's timeout is a limit, not a failure of the database */
    int limit = s && s->db && dy_db_timed_out(s->db);
    if (err) {
        memset(err, 0, sizeof *err);
        err->code = limit ? DYAD_ELIMIT : DYAD_EIO;
        if (limit)
            snprintf(err->message, sizeof err->message, "%s: stopped after %d ms (the store's "
                     "query timeout)", what, s->opt.timeout_ms);
        else
            snprintf(err->message, sizeof err->message, "%s: %s", what,
                     s && s->db ? dy_db_errmsg(s->db) : "cannot open");
    }
    return limit ? DYAD_ELIMIT : DYAD_EIO;
}

static int fail_input(dyad_error *err, const char *id, const char *msg)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->code = DYAD_EINPUT;
        snprintf(err->message, sizeof err->message, "story '%s': %s", id, msg);
    }
    return DYAD_EINPUT;
}

/* PostgreSQL: the store's advisory lock, held to the end of the transaction. */
static const char store_lock_sql[] = "SELECT pg_advisory_xact_lock(4402787)";

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
    if (!has && (dy_db_begin(s->db) || (pg && dy_db_exec(s->db, store_lock_sql)) ||
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
        if (dy_db_begin(s->db) || (pg && dy_db_exec(s->db, store_lock_sql)) ||
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
    forget_lookup(s);
    if (rc == DYAD_OK && dy_db_kind(s->db) == DY_DB_SQLITE && !s->opt.read_only)
        dy_db_exec(s->db, "PRAGMA optimize");
    dy_db_close(s->db);
    free(s->path);
    free(f);
    return rc;
}

/* ==== ingest ============================================================================= */

/* The content hash of a story: 64 bits over its date and text, as 16 hex digits. */
static void story_hash(const dyad_story *st, char out[17])
{
    size_t dn = st->date ? strlen(st->date) : 0;
    uint64_t h = dy_hash(st->text, st->text_len);
    h ^= dy_hash(st->date ? st->date : "", dn) * 0x9E3779B97F4A7C15ull;
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* The answer of the last lookup, kept for the ingest of the same story that usually follows
 * it (`dyad ingest` looks a story up before coding it): one query less per story. */
static void forget_lookup(dyad_store *s)
{
    free(s->looked_id);
    s->looked_id = NULL;
}

int dyad_store_lookup(dyad_store *s, const dyad_story *story)
{
    if (!s || !story || !story->id) return DYAD_EUSAGE;
    char h[17];
    story_hash(story, h);
    if (s->looked_id && !strcmp(s->looked_id, story->id) && !strcmp(s->looked_hash, h))
        return s->looked;
    forget_lookup(s);
    dy_stmt *q = stmt(s, Q_LOOKUP);
    if (!q) return DYAD_EIO;
    dy_bind_text(q, 1, story->id, (size_t)-1);
    int rc = dy_step(q), what = DYAD_STORE_NEW;
    if (rc == DY_ROW) {
        const char *old = dy_col_text(q, 0);
        what = old && !strcmp(old, h) ? DYAD_STORE_SAME : DYAD_STORE_CHANGED;
    } else if (rc != DY_DONE) {
        what = DYAD_EIO;
    }
    dy_stmt_reset(q);
    if (what >= 0 && (s->looked_id = strdup(story->id))) {
        memcpy(s->looked_hash, h, sizeof h);
        s->looked = what;
    }
    return what;
}

long dy_store_days(const char *s)
{
    if (!s || strlen(s) < 10) return INT32_MIN;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (m < 1 || m > 12 || d < 1 || d > 31) return INT32_MIN;
    return dy_date_days(y * 10000 + m * 100 + d);
}

static const char *jstr(sj_t *o, const char *k)
{
    sj_t *v = sj_object_get(o, k);
    return sj_is_string(v) ? sj_string_value(v) : NULL;
}

static void bind_str(dy_stmt *q, int i, const char *v)
{
    if (v) dy_bind_text(q, i, v, (size_t)-1);
    else dy_bind_null(q, i);
}

/* Binds a JSON number (or null) as a real / integer. */
static void bind_num(dy_stmt *q, int i, sj_t *v)
{
    if (sj_is_integer(v)) dy_bind_int(q, i, sj_integer_value(v));
    else if (sj_is_real(v)) dy_bind_real(q, i, sj_real_value(v));
    else dy_bind_null(q, i);
}

/* A size figure: size.<k>.value or NULL. */
static sj_t *size_value(sj_t *ev, const char *k)
{
    return sj_object_get(sj_object_get(sj_object_get(ev, "size"), k), "value");
}

/* Compares C strings for qsort. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The actor list's codes joined by ';' (all of them, in order) into codes, and the sorted,
 * distinct matching keys (country part, or full codes) joined by ',' into key. */
static void actor_keys(sj_t *list, int full, dy_buf *codes, dy_buf *key)
{
    const char *k[64];
    size_t n = 0, i;
    sj_t *a;
    sj_array_foreach(list, i, a) {
        const char *code = jstr(a, "code"), *country = jstr(a, "country");
        if (!code) continue;
        if (codes->n) dy_buf_putc(codes, ';');
        dy_buf_puts(codes, code);
        if (n < 64) k[n++] = full || !country ? code : country;
    }
    qsort(k, n, sizeof *k, cmp_str);
    for (i = 0; i < n; i++) {
        if (i && !strcmp(k[i], k[i - 1])) continue;
        if (key->n) dy_buf_putc(key, ',');
        dy_buf_puts(key, k[i]);
    }
    dy_buf_nul(codes);
    dy_buf_nul(key);
}

/* Byte offset of character offset c in text (clamped to its end); cache keeps the last
 * position so that increasing offsets cost linear time. */
typedef struct char_pos {
    const char *text;
    size_t len, byte, chr;
} char_pos;

static size_t char_to_byte(char_pos *p, size_t c)
{
    if (c < p->chr) p->byte = p->chr = 0;
    while (p->chr < c && p->byte < p->len) {
        p->byte++;
        while (p->byte < p->len && ((unsigned char)p->text[p->byte] & 0xC0) == 0x80) p->byte++;
        p->chr++;
    }
    return p->byte;
}

/* Stores the sentences a record's text_info cites; returns the id of each (up to max) in ids,
 * their count in *n, or -1 on an SQLite error. */
static int put_sentences(dyad_store *s, const char *story_id, sj_t *rec, const dyad_story *st,
                         char_pos *cp, int64_t *ids, size_t max, size_t *n)
{
    sj_t *ti = sj_object_get(rec, "text_info");
    sj_t *idx = sj_object_get(ti, "sentences"), *spans = sj_object_get(ti, "spans");
    size_t i;
    sj_t *v;
    *n = 0;
    sj_array_foreach(idx, i, v) {
        sj_t *sp = sj_array_get(spans, i);
        if (!sj_is_integer(v) || sj_array_size(sp) != 2) continue;
        size_t a = (size_t)sj_integer_value(sj_array_get(sp, 0));
        size_t b = (size_t)sj_integer_value(sj_array_get(sp, 1));
        size_t ba = char_to_byte(cp, a), bb = char_to_byte(cp, b);
        if (bb < ba) bb = ba;
        dy_stmt *q = stmt(s, Q_INS_SENT);
        if (!q) return -1;
        dy_bind_text(q, 1, story_id, (size_t)-1);
        dy_bind_int(q, 2, sj_integer_value(v));
        dy_bind_int(q, 3, (int64_t)a);
        dy_bind_int(q, 4, (int64_t)b);
        dy_bind_text(q, 5, st->text + ba, bb - ba);
        int64_t id;
        int rc = dy_step_id(q, &id);
        if (rc == DY_ERR) return -1;
        if (rc == DY_DONE) { /* not new: cited by an earlier record of the story */
            if (!(q = stmt(s, Q_GET_SENT))) return -1;
            dy_bind_text(q, 1, story_id, (size_t)-1);
            dy_bind_int(q, 2, sj_integer_value(v));
            if (dy_step(q) != DY_ROW) return -1;
            id = dy_col_int(q, 0);
            dy_stmt_reset(q);
        }
        if (*n < max) ids[(*n)++] = id;
    }
    return 0;
}

/* Stores the members of an event's source or target. */
static int put_actors(dyad_store *s, int64_t ev, const char *role, sj_t *list)
{
    size_t i;
    sj_t *a;
    sj_array_foreach(list, i, a) {
        dy_stmt *q = stmt(s, Q_INS_ACTOR);
        if (!q) return -1;
        dy_bind_int(q, 1, ev);
        dy_bind_text(q, 2, role, (size_t)-1);
        dy_bind_int(q, 3, (int64_t)i);
        bind_str(q, 4, jstr(a, "code"));
        bind_str(q, 5, jstr(a, "country"));
        bind_str(q, 6, jstr(a, "sector"));
        bind_str(q, 7, jstr(a, "entity_text"));
        bind_str(q, 8, jstr(a, "name"));
        bind_str(q, 9, jstr(a, "aligned_with"));
        if (dy_step(q) != DY_DONE) return -1;
    }
    return 0;
}

static int touch(dyad_store *s, int64_t hap);
static int new_happening(dyad_store *s, const char *root, const char *skey, const char *tkey,
                         long day, int placed, double lat, double lon, int64_t *hap);

int dy_store_grow(void **v, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap) return 0;
    size_t c = *cap ? 2 * *cap : first;
    void *w = realloc(*v, c * size);
    if (!w) return -1;
    *v = w, *cap = c;
    return 0;
}

int dy_store_cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Stores one event record (and its actors, countries, sentences, place). A dated event with a
 * CAMEO root gets its happening at commit (regroup); any other is a happening of its own. */
static int put_event(dyad_store *s, const dyad_story *st, sj_t *ev, const char *line,
                     size_t line_len, char_pos *cp)
{
    const char *id = jstr(ev, "id");
    if (!id) return 0;
    sj_t *cameo = sj_object_get(ev, "cameo"), *loc = sj_object_get(ev, "event_loc");
    sj_t *ti = sj_object_get(ev, "text_info"), *acled = sj_object_get(ev, "acled");
    dy_buf src = {0}, tgt = {0}, skey = {0}, tkey = {0};
    actor_keys(sj_object_get(ev, "actor"), 1, &src, &skey);
    actor_keys(sj_object_get(ev, "recipient"), 1, &tgt, &tkey);
    int rc = -1;
    dy_stmt *q;
    if (src.oom || tgt.oom || skey.oom || tkey.oom) goto out;
    const char *date = jstr(ev, "date");
    long day = dy_store_days(date);
    sj_t *lat = sj_object_get(loc, "lat"), *lon = sj_object_get(loc, "lon");
    sj_t *quad = sj_object_get(cameo, "quad_class");
    const char *prec = jstr(loc, "precision");
    const char *root = jstr(cameo, "root");
    int64_t hap = 0; /* 0: given at commit */
    if (day != INT32_MIN && root) {
        if (!(q = stmt(s, Q_REGROUP))) goto out;
        dy_bind_text(q, 1, root, (size_t)-1);
        dy_bind_int(q, 2, day);
        if (dy_step(q) != DY_DONE) goto out;
    } else if (new_happening(s, root, skey.n ? skey.p : "", tkey.n ? tkey.p : "", day,
                             prec && !strcmp(prec, "place") && sj_is_number(lat) &&
                                 (sj_integer_value(quad) == 2 || sj_integer_value(quad) == 4),
                             sj_number_value(lat), sj_number_value(lon), &hap)) {
        goto out;
    }
    if (!(q = stmt(s, Q_INS_EVENT))) goto out;
    int n = 1;
    dy_bind_text(q, n++, id, (size_t)-1);
    dy_bind_text(q, n++, st->id, (size_t)-1);
    bind_str(q, n++, date);
    if (day != INT32_MIN) dy_bind_int(q, n++, day);
    else dy_bind_null(q, n++);
    bind_str(q, n++, jstr(ev, "date_precision"));
    bind_str(q, n++, src.n ? src.p : NULL);
    bind_str(q, n++, tgt.n ? tgt.p : NULL);
    bind_str(q, n++, skey.n ? skey.p : "");
    bind_str(q, n++, tkey.n ? tkey.p : "");
    bind_str(q, n++, jstr(cameo, "code"));
    bind_str(q, n++, jstr(cameo, "root"));
    bind_num(q, n++, sj_object_get(cameo, "quad_class"));
    bind_num(q, n++, sj_object_get(cameo, "goldstein"));
    bind_str(q, n++, jstr(ev, "event"));
    bind_str(q, n++, jstr(ev, "mode"));
    bind_str(q, n++, jstr(ev, "context"));
    bind_num(q, n++, sj_array_get(sj_object_get(ti, "sentences"), 0));
    bind_str(q, n++, jstr(ev, "text"));
    bind_str(q, n++, jstr(ti, "pattern"));
    bind_str(q, n++, jstr(loc, "resolved_place") ? jstr(loc, "resolved_place")
                                                 : jstr(loc, "extracted_place"));
    bind_num(q, n++, sj_object_get(loc, "geonameid"));
    bind_num(q, n++, lat);
    bind_num(q, n++, lon);
    bind_str(q, n++, jstr(loc, "admin1"));
    bind_str(q, n++, jstr(loc, "country_code"));
    bind_str(q, n++, jstr(loc, "precision"));
    bind_num(q, n++, size_value(ev, "dead"));
    bind_num(q, n++, size_value(ev, "injured"));
    bind_num(q, n++, size_value(ev, "arrested"));
    bind_num(q, n++, size_value(ev, "crowd"));
    bind_str(q, n++, jstr(acled, "event_type"));
    bind_str(q, n++, jstr(acled, "sub_event_type"));
    dy_bind_text(q, n++, line, line_len);
    if (hap) dy_bind_int(q, n++, hap);
    else dy_bind_null(q, n++);
    int64_t rowid;
    if (dy_step_id(q, &rowid) != DY_ROW) goto out;
    if (hap && touch(s, hap)) goto out;
    sj_t *actors[2] = {sj_object_get(ev, "actor"), sj_object_get(ev, "recipient")};
    if (put_actors(s, rowid, "source", actors[0]) || put_actors(s, rowid, "target", actors[1]))
        goto out;
    /* the countries it touches: its place's, then its actors' (each once) */
    const char *cc[65];
    size_t ncc = 0;
    if (jstr(loc, "country_code")) cc[ncc++] = jstr(loc, "country_code");
    for (int r = 0; r < 2; r++) {
        size_t i;
        sj_t *a;
        sj_array_foreach(actors[r], i, a) {
            const char *c = jstr(a, "country");
            size_t k = 0;
            while (c && k < ncc && strcmp(cc[k], c)) k++;
            if (c && k == ncc && ncc < 65) cc[ncc++] = c;
        }
    }
    for (size_t i = 0; i < ncc; i++) {
        if (!(q = stmt(s, Q_INS_EC))) goto out;
        dy_bind_text(q, 1, cc[i], (size_t)-1);
        dy_bind_text(q, 2, date ? date : "", (size_t)-1);
        dy_bind_int(q, 3, rowid);
        bind_str(q, 4, jstr(cameo, "root"));
        bind_str(q, 5, jstr(cameo, "code"));
        bind_num(q, 6, sj_object_get(cameo, "goldstein"));
        bind_num(q, 7, size_value(ev, "dead"));
        bind_num(q, 8, size_value(ev, "injured"));
        if (hap) dy_bind_int(q, 9, hap);
        else dy_bind_null(q, 9);
        if (dy_step(q) != DY_DONE) goto out;
    }
    int64_t sids[64];
    size_t ns = 0;
    if (put_sentences(s, st->id, ev, st, cp, sids, 64, &ns)) goto out;
    /* in id order, each once: k in the event's full-text keys is the rank (DY_FTS_KEY) */
    qsort(sids, ns, sizeof *sids, dy_store_cmp_id);
    size_t nu = 0;
    for (size_t i = 0; i < ns; i++)
        if (!nu || sids[i] != sids[nu - 1]) sids[nu++] = sids[i];
    for (size_t i = 0; i < nu; i++) {
        if (!(q = stmt(s, Q_INS_ES))) goto out;
        dy_bind_int(q, 1, rowid);
        dy_bind_int(q, 2, sids[i]);
        if (dy_step(q) != DY_DONE) goto out;
        /* --text reaches events through their sentences: those are indexed at commit */
        if (has_stmt(s, Q_FTS_PEND)) {
            if (!(q = stmt(s, Q_FTS_PEND))) goto out;
            if (day != INT32_MIN) dy_bind_int(q, 1, day);
            else dy_bind_null(q, 1);
            dy_bind_int(q, 2, rowid);
            dy_bind_int(q, 3, (int64_t)i);
            dy_bind_int(q, 4, sids[i]);
            if (dy_step(q) != DY_DONE) goto out;
        }
    }
    if (sj_is_number(lat) && sj_is_number(lon)) {
        double la = sj_number_value(lat), lo = sj_number_value(lon);
        if (has_stmt(s, Q_INS_RTREE)) {
            if (!(q = stmt(s, Q_INS_RTREE))) goto out;
            dy_bind_int(q, 1, rowid);
            dy_bind_real(q, 2, la);
            dy_bind_real(q, 3, lo);
            if (day != INT32_MIN) dy_bind_int(q, 4, day);
            if (dy_step(q) != DY_DONE) goto out;
        }
        /* counted in its day's row and its month's (place_counts) */
        long qc = sj_is_number(quad) ? (long)sj_number_value(quad) : 0;
        sj_t *dead = size_value(ev, "dead");
        for (int span = 1; span <= (date ? 2 : 1); span++) {
            if (!(q = stmt(s, Q_ADD_PLACE))) goto out;
            dy_bind_int(q, 1, span);
            dy_bind_text(q, 2, date ? date : "", span == 2 ? 7 : (size_t)-1);
            dy_bind_real(q, 3, la);
            dy_bind_real(q, 4, lo);
            for (int k = 1; k <= 4; k++) dy_bind_int(q, 4 + k, qc == k);
            dy_bind_int(q, 9, sj_is_number(dead) ? (int64_t)sj_number_value(dead) : 0);
            if (dy_step(q) != DY_DONE) goto out;
        }
        if (sj_is_integer(sj_object_get(loc, "geonameid"))) {
            if (!(q = stmt(s, Q_INS_PLACE))) goto out;
            bind_num(q, 1, sj_object_get(loc, "geonameid"));
            bind_str(q, 2, jstr(loc, "resolved_place"));
            dy_bind_real(q, 3, la);
            dy_bind_real(q, 4, lo);
            bind_str(q, 5, jstr(loc, "admin1"));
            bind_str(q, 6, jstr(loc, "country_code"));
            bind_str(q, 7, jstr(loc, "feature_code"));
            bind_str(q, 8, jstr(loc, "precision"));
            if (dy_step(q) != DY_DONE) goto out;
        }
    }
    rc = 0;
out:
    dy_buf_free(&src), dy_buf_free(&tgt), dy_buf_free(&skey), dy_buf_free(&tkey);
    return rc;
}

/* Stores one quotation record. */
static int put_quote(dyad_store *s, const dyad_story *st, sj_t *qt, const char *line,
                     size_t line_len, char_pos *cp)
{
    const char *id = jstr(qt, "id");
    if (!id) return 0;
    int64_t sids[64];
    size_t ns = 0;
    if (put_sentences(s, st->id, qt, st, cp, sids, 64, &ns)) return -1;
    dy_buf spk = {0}, key = {0}, evs = {0};
    actor_keys(sj_object_get(qt, "speaker"), 1, &spk, &key);
    size_t i;
    sj_t *v;
    sj_array_foreach(sj_object_get(qt, "events"), i, v) {
        if (!sj_is_string(v)) continue;
        if (evs.n) dy_buf_putc(&evs, ';');
        dy_buf_puts(&evs, sj_string_value(v));
    }
    dy_buf_nul(&evs);
    int rc = -1;
    dy_stmt *q = stmt(s, Q_INS_QUOTE);
    if (q && !spk.oom && !evs.oom) {
        dy_bind_text(q, 1, id, (size_t)-1);
        dy_bind_text(q, 2, st->id, (size_t)-1);
        bind_str(q, 3, spk.n ? spk.p : NULL);
        bind_str(q, 4, jstr(qt, "text"));
        bind_num(q, 5, sj_array_get(sj_object_get(sj_object_get(qt, "text_info"), "sentences"), 0));
        bind_str(q, 6, evs.n ? evs.p : NULL);
        dy_bind_text(q, 7, line, line_len);
        rc = dy_step(q) == DY_DONE ? 0 : -1;
    }
    dy_buf_free(&spk), dy_buf_free(&key), dy_buf_free(&evs);
    return rc;
}

/* Runs one cached statement over a story id. */
static int run_on_story(dyad_store *s, int k, const char *id)
{
    if (!has_stmt(s, k)) return 0;
    dy_stmt *q = stmt(s, k);
    if (!q) return -1;
    dy_bind_text(q, 1, id, (size_t)-1);
    int rc = dy_step(q);
    dy_stmt_reset(q);
    return rc == DY_DONE ? 0 : -1;
}

/* Removes everything stored of a story; its happenings are marked for a recount, and rebuilt
 * from its events' days on. */
static int delete_story(dyad_store *s, const char *id)
{
    static const int order[] = {Q_DEL_TOUCH,  Q_DEL_SHRUNK, Q_DEL_REGROUP, Q_DEL_EC,
                                Q_FTS_DEL,    Q_FTS_UNPEND, Q_DEL_ACTORS,  Q_DEL_ES,
                                Q_DEL_RTREE,  Q_DEL_PLACES, Q_DEL_EVENTS,  Q_DEL_SENT,
                                Q_DEL_QUOTES, Q_DEL_STORY};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        if (run_on_story(s, order[i], id)) return -1;
    return 0;
}

/* Splits jsonl into parsed records; returns their count or -1 when a line is not an object. */
typedef struct parsed_line {
    sj_t *obj;
    const char *p;
    size_t n;
} parsed_line;

static long parse_lines(const char *jsonl, size_t len, parsed_line **out)
{
    size_t cap = 16, n = 0;
    parsed_line *v = malloc(cap * sizeof *v);
    if (!v) return -2;
    const char *p = jsonl, *end = jsonl ? jsonl + len : NULL;
    while (p && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ln = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (ln) {
            sj_t *o = sj_parse(p, ln);
            if (!sj_is_object(o)) {
                sj_free(o);
                for (size_t i = 0; i < n; i++) sj_free(v[i].obj);
                free(v);
                return -1;
            }
            if (n == cap) {
                parsed_line *w = realloc(v, (cap *= 2) * sizeof *v);
                if (!w) {
                    sj_free(o);
                    for (size_t i = 0; i < n; i++) sj_free(v[i].obj);
                    free(v);
                    return -2;
                }
                v = w;
            }
            v[n++] = (parsed_line){o, p, ln};
        }
        p += ln + 1;
    }
    *out = v;
    return (long)n;
}

int dyad_store_ingest(dyad_store *s, const dyad_story *st, const char *jsonl, size_t len,
                      int *what, dyad_error *err)
{
    if (!s || !st || !st->id || !st->text) {
        if (err) *err = (dyad_error){.code = DYAD_EUSAGE, .message = "story without id or text"};
        return DYAD_EUSAGE;
    }
    if (!s->in_txn) {
        /* the transaction (and on PostgreSQL the store's lock) is taken before the story is
         * looked up: a writer storing the same story meanwhile has then either committed it,
         * and the lookup sees it, or waits for this batch. An answer cached from before it
         * (dyad_store_lookup) may be stale. PostgreSQL writers take turns batch by batch,
         * each grouping with the happenings the ones before committed (SQLite's BEGIN
         * IMMEDIATE already takes the write lock) */
        forget_lookup(s);
        if (dy_db_begin(s->db) ||
            (dy_db_kind(s->db) == DY_DB_PG && dy_db_exec(s->db, store_lock_sql))) {
            int rc = dy_store_fail(s, err, "begin");
            dy_db_exec(s->db, "ROLLBACK");
            return rc;
        }
        s->in_txn = 1;
    }
    int w = dyad_store_lookup(s, st);
    char h[17]; /* the content hash the lookup just computed */
    if (s->looked_id) memcpy(h, s->looked_hash, sizeof h);
    else story_hash(st, h);
    forget_lookup(s); /* what follows changes the answer */
    if (what) *what = w;
    if (w < 0) { /* the batch is rolled back, as for any database error */
        int rc = dy_store_fail(s, err, "lookup");
        dy_db_exec(s->db, "ROLLBACK");
        s->in_txn = 0;
        s->pending = 0;
        return rc;
    }
    if (w == DYAD_STORE_SAME) return DYAD_OK;
    parsed_line *lines = NULL;
    long nl = parse_lines(jsonl, len, &lines);
    if (nl == -1) return fail_input(err, st->id, "a record is not a JSON object");
    if (nl < 0) {
        if (err) *err = (dyad_error){.code = DYAD_ENOMEM, .message = "out of memory"};
        return DYAD_ENOMEM;
    }
    int rc = DYAD_OK;
    /* no SAVEPOINT per story: FTS5 flushes its pending terms to disk at every savepoint,
     * which made ingest several times slower; a failing story rolls back its whole batch,
     * which the next run stores again */
    if (w == DYAD_STORE_CHANGED && delete_story(s, st->id)) goto sqlfail;
    long nev = 0, nq = 0;
    for (long i = 0; i < nl; i++) {
        const char *kind = jstr(lines[i].obj, "kind");
        if (kind && !strcmp(kind, "event")) nev++;
        else if (kind && !strcmp(kind, "quote")) nq++;
    }
    dy_stmt *q = stmt(s, Q_INS_STORY);
    if (!q) goto sqlfail;
    dy_bind_text(q, 1, st->id, (size_t)-1);
    dy_bind_text(q, 2, h, (size_t)-1);
    bind_str(q, 3, st->date);
    bind_str(q, 4, st->title);
    bind_str(q, 5, st->source);
    bind_str(q, 6, st->url);
    dy_bind_text(q, 7, st->text, st->text_len);
    dy_bind_int(q, 8, nev);
    dy_bind_int(q, 9, nq);
    if (dy_step(q) != DY_DONE) goto sqlfail;
    char_pos cp = {st->text, st->text_len, 0, 0};
    for (long i = 0; i < nl; i++) {
        const char *kind = jstr(lines[i].obj, "kind");
        int r = 0;
        if (kind && !strcmp(kind, "event"))
            r = put_event(s, st, lines[i].obj, lines[i].p, lines[i].n, &cp);
        else if (kind && !strcmp(kind, "quote"))
            r = put_quote(s, st, lines[i].obj, lines[i].p, lines[i].n, &cp);
        if (r) goto sqlfail;
    }
    if (++s->pending >= s->opt.batch) rc = dyad_store_commit(s, err);
    goto out;
sqlfail:
    rc = dy_store_fail(s, err, st->id);
    dy_db_exec(s->db, "ROLLBACK");
    s->in_txn = 0;
    s->pending = 0;
out:
    for (long i = 0; i < nl; i++) sj_free(lines[i].obj);
    free(lines);
    return rc;
}

/* ==== happenings ========================================================================= */

/* An event's dyad as pairs "SRC>TGT;" — a compound actor expanded into one pair per member,
 * a missing side as "" — written to out (at most MAX_PAIRS pairs). */
#define MAX_PAIRS 32
static void dyad_pairs(const char *skey, const char *tkey, dy_buf *out)
{
    size_t n = 0;
    const char *sp = skey;
    do {
        size_t sl = strcspn(sp, ",");
        const char *tp = tkey;
        do {
            size_t tl = strcspn(tp, ",");
            if (n++ < MAX_PAIRS) { /* the separators are dropped from codes (new actors) */
                for (size_t k = 0; k < sl; k++)
                    if (sp[k] != '>' && sp[k] != ';') dy_buf_putc(out, sp[k]);
                dy_buf_putc(out, '>');
                for (size_t k = 0; k < tl; k++)
                    if (tp[k] != '>' && tp[k] != ';') dy_buf_putc(out, tp[k]);
                dy_buf_putc(out, ';');
            }
            tp += tl + (tp[tl] == ',');
        } while (*tp);
        sp += sl + (sp[sl] == ',');
    } while (*sp);
    dy_buf_nul(out);
}

/* Whether two actor codes name the same actor: equal (full), or one a prefix of the other
 * (RUS and RUSMIL: the country and its military; not RUSMIL and RUSGOV). A missing actor
 * matches only a missing one, unless wild (the places agree): then it matches any, and a
 * sector without a country matches that sector of any country. */
static int code_compat(const char *a, size_t an, const char *b, size_t bn, int full, int wild)
{
    if (wild && (!an || !bn)) return 1;
    /* with the places agreeing, an actor known only by its sector ("police": COP) is the
     * sector of the country named elsewhere (LBNCOP) */
    if (wild && an + 3 == bn && !memcmp(a, b + 3, an)) return 1;
    if (wild && bn + 3 == an && !memcmp(b, a + 3, bn)) return 1;
    if (!an || !bn || full) return an == bn && !memcmp(a, b, an);
    return !memcmp(a, b, an < bn ? an : bn);
}

/* Whether some pair of a matches some pair of b (pairs as written by dyad_pairs). With wild,
 * a missing side matches any actor (used when the places already agree). */
static int pairs_match(const char *a, const char *b, int full, int wild)
{
    for (const char *p = a; *p;) {
        const char *pe = strchr(p, ';'), *pg = memchr(p, '>', (size_t)(pe - p));
        for (const char *q = b; *q;) {
            const char *qe = strchr(q, ';'), *qg = memchr(q, '>', (size_t)(qe - q));
            if (code_compat(p, (size_t)(pg - p), q, (size_t)(qg - q), full, wild) &&
                code_compat(pg + 1, (size_t)(pe - pg - 1), qg + 1, (size_t)(qe - qg - 1), full,
                            wild))
                return 1;
            q = qe + 1;
        }
        p = pe + 1;
    }
    return 0;
}

/* Adds to set (";"-ended pairs) the pairs of add it lacks, up to MAX_PAIRS in all. */
static void pairs_union(dy_buf *set, const char *add)
{
    size_t n = 0;
    for (const char *p = set->p; p && *p; p++) n += *p == ';';
    for (const char *p = add; *p && n < MAX_PAIRS;) {
        const char *pe = strchr(p, ';');
        size_t len = (size_t)(pe - p) + 1;
        int have = 0;
        for (const char *q = set->p; q && *q;) {
            const char *qe = strchr(q, ';');
            if ((size_t)(qe - q) + 1 == len && !memcmp(p, q, len)) have = 1;
            q = qe + 1;
        }
        if (!have) {
            dy_buf_put(set, p, len);
            dy_buf_nul(set);
            n++;
        }
        p = pe + 1;
    }
    dy_buf_nul(set);
}

/* Marks happening hap for the recount at commit. */
static int touch(dyad_store *s, int64_t hap)
{
    dy_stmt *q = stmt(s, Q_TOUCH);
    if (!q) return -1;
    dy_bind_int(q, 1, hap);
    return dy_step(q) == DY_DONE ? 0 : -1;
}

/* Starts a happening of one event (an undated one, or one without a CAMEO root: those group
 * with nothing); placed when the event is material and located at place level. */
static int new_happening(dyad_store *s, const char *root, const char *skey, const char *tkey,
                         long day, int placed, double lat, double lon, int64_t *hap)
{
    dy_buf me = {0};
    dyad_pairs(skey, tkey, &me);
    dy_stmt *q = stmt(s, Q_NEW_HAP);
    int rc = -1;
    if (q && !me.oom) {
        bind_str(q, 1, root);
        dy_bind_text(q, 2, skey, (size_t)-1);
        dy_bind_text(q, 3, tkey, (size_t)-1);
        if (day != INT32_MIN) dy_bind_int(q, 4, day);
        if (placed) {
            dy_bind_real(q, 5, lat);
            dy_bind_real(q, 6, lon);
        }
        dy_bind_text(q, 7, me.p, me.n);
        rc = dy_step_id(q, hap) == DY_ROW && !touch(s, *hap) ? 0 : -1;
    }
    dy_buf_free(&me);
    return rc;
}

/* Happenings are built over the events of one CAMEO root in a fixed order, day then event id
 * (the happening order), whatever order the stories came in: each event joins the
 * nearest-in-time open happening (ties: the one that started first) whose first mention is
 * at most opts.days days before it, with a compatible dyad (some source/target pair of the
 * event matches one of the happening's: compounds expanded, codes compared by prefix unless
 * opts.full_codes; when the places agree, below, a missing source or target matches any and
 * a sector without a country ("police": COP) that sector of any country) and, for material
 * events (quad classes 2 and 4) when both have a place-level location, places at most
 * opts.km apart; else it starts one. Verbal events are exempt from the distance test: their
 * place is where the speaker was or the capital named as its government ("Beijing
 * criticized Tokyo"), not where anything happened. A happening's place is that of its first
 * located material mention, its dyads the union of its mentions' (up to MAX_PAIRS).
 * So the happenings are a function of the stored events alone: two stores of the same
 * stories, ingested in any order, by any number of writers, in any batches, or killed and
 * resumed, hold the same happenings. Only their row ids differ.
 * An ingest puts the (root, day) of every event it adds or removes in the regroup table; at
 * commit each root is rebuilt from the first such day d on, starting from the stored
 * happenings whose first mention is at most opts.days before d (events before that can
 * join nothing from d on), up to the first day that is not itself changed and before which
 * nothing changed for opts.days days (no event joined another happening, nor the same one
 * under another first mention): from there the stored events are grouped as they were,
 * until the next changed day, where a new span starts. Only the happenings that changed
 * (new, an event joined or left, another first mention) are written. Stories stored in date
 * order rebuild a day or two per root and batch; a batch spread over many dates rebuilds a
 * few days around each. */

typedef struct cluster {
    int64_t hap;      /* its happenings row; 0 until one is made for it */
    long day;         /* the day of its first mention */
    int placed;       /* lat/lon: the place of its first located material mention */
    double lat, lon;
    dy_buf pairs;     /* the union of its mentions' dyads, in the happening order */
    char *skey, *tkey; /* its first mention's actor keys */
    int dirty;        /* not as stored: new, an event joined or left it, or its first
                         mention changed; its row is written */
} cluster;

typedef struct group_row {
    int64_t id, hap;    /* the event's row, its stored happening (0: none yet) */
    long day, hap_day;  /* its day; the day of its stored happening (LONG_MIN: none) */
    int placed;         /* material and located at place level */
    double lat, lon;
    char *skey, *tkey;
} group_row;

typedef struct move {
    int64_t event, from; /* an event whose happening changes, from happening `from` */
    size_t to;           /* to cluster `to` */
} move;

/* Happening ids mapped to indexes (open addressing; id 0 marks an empty slot). */
typedef struct id_map {
    int64_t *ids;
    size_t *idx, cap, n;
} id_map;

/* The index of id hap, or (size_t)-1. */
static size_t map_find(const id_map *m, int64_t hap)
{
    if (!m->cap) return (size_t)-1;
    for (size_t h = (size_t)((uint64_t)hap * 0x9E3779B97F4A7C15ull) & (m->cap - 1);;
         h = (h + 1) & (m->cap - 1)) {
        if (!m->ids[h]) return (size_t)-1;
        if (m->ids[h] == hap) return m->idx[h];
    }
}

/* Maps hap (not yet in m) to k. 0, or -1 when out of memory. */
static int map_put(id_map *m, int64_t hap, size_t k)
{
    if (2 * (m->n + 1) > m->cap) { /* grow, keeping a load of at most one half */
        id_map g = {calloc(m->cap ? 2 * m->cap : 64, sizeof *g.ids),
                    calloc(m->cap ? 2 * m->cap : 64, sizeof *g.idx), m->cap ? 2 * m->cap : 64, 0};
        if (!g.ids || !g.idx) {
            free(g.ids), free(g.idx);
            return -1;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->ids[i]) map_put(&g, m->ids[i], m->idx[i]);
        free(m->ids), free(m->idx);
        *m = g;
    }
    size_t h = (size_t)((uint64_t)hap * 0x9E3779B97F4A7C15ull) & (m->cap - 1);
    while (m->ids[h]) h = (h + 1) & (m->cap - 1);
    m->ids[h] = hap, m->idx[h] = k, m->n++;
    return 0;
}

/* A rebuild of one root: its clusters in the order they started, those from `open` on still
 * open; the happening ids they took; the moves to write; `lost`: the happenings that lost an
 * event in this commit (kept from span to span). */
typedef struct regroup_run {
    cluster *c;
    size_t nc, capc, open;
    id_map taken;
    id_map *lost;
    move *m;
    size_t nm, capm;
    int oom;
} regroup_run;

/* The cluster that took happening id hap, or (size_t)-1. */
static size_t run_find(const regroup_run *r, int64_t hap)
{
    return map_find(&r->taken, hap);
}

/* Starts a cluster with row w as its first mention, under happening id hap (0: a new one). */
static size_t run_start(regroup_run *r, const group_row *w, const char *pairs, int64_t hap)
{
    if (dy_store_grow((void **)&r->c, &r->capc, r->nc, sizeof *r->c, 64)) {
        r->oom = 1;
        return (size_t)-1;
    }
    size_t k = r->nc++;
    cluster *c = &r->c[k];
    *c = (cluster){.hap = hap, .day = w->day, .placed = w->placed, .lat = w->lat, .lon = w->lon,
                   .skey = strdup(w->skey), .tkey = strdup(w->tkey),
                   /* under another first mention than stored, or missing an event */
                   .dirty = !hap || w->hap_day != w->day || map_find(r->lost, hap) != (size_t)-1};
    dy_buf_puts(&c->pairs, pairs);
    dy_buf_nul(&c->pairs);
    if (!c->skey || !c->tkey || c->pairs.oom) r->oom = 1;
    if (hap && map_put(&r->taken, hap, k)) r->oom = 1;
    return k;
}

/* Adds row w (its dyads in pairs) to cluster c as a later mention. */
static void run_join(regroup_run *r, cluster *c, const group_row *w, const char *pairs)
{
    pairs_union(&c->pairs, pairs);
    if (c->pairs.oom) r->oom = 1;
    if (!c->placed && w->placed) c->placed = 1, c->lat = w->lat, c->lon = w->lon;
}

/* The open cluster row w joins (the nearest in time; the first started among equals), or
 * (size_t)-1. Open clusters started in the happening order: their days never decrease. */
static size_t run_match(const dyad_store *s, const regroup_run *r, const group_row *w,
                        const char *pairs)
{
    size_t best = (size_t)-1;
    for (size_t k = r->open; k < r->nc; k++) {
        const cluster *c = &r->c[k];
        if (best != (size_t)-1 && c->day <= r->c[best].day) continue;
        int both = c->placed && w->placed;
        if ((!both || dy_km(c->lat, c->lon, w->lat, w->lon) <= s->opt.km) &&
            pairs_match(pairs, c->pairs.p, s->opt.full_codes, both))
            best = k;
    }
    return best;
}

/* Reads the next events of root from day `from` in the happening order: at most *limit rows,
 * whole days only (the limit doubles when one day has more). Returns their count (0 at the
 * end), *more when days remain after them, or -1. */
static long read_rows(dyad_store *s, const char *root, long from, long *limit, group_row **out,
                      int *more)
{
    for (;;) {
        dy_stmt *q = stmt(s, Q_GROUP_ROWS);
        if (!q) return -1;
        dy_bind_text(q, 1, root, (size_t)-1);
        dy_bind_int(q, 2, from);
        dy_bind_int(q, 3, *limit);
        group_row *v = calloc((size_t)*limit, sizeof *v);
        long n = 0;
        int rc;
        while (v && (rc = dy_step(q)) == DY_ROW) {
            const char *prec = dy_col_text(q, 7);
            long quad = (long)dy_col_int(q, 8);
            group_row *w = &v[n++];
            w->id = dy_col_int(q, 0);
            w->day = (long)dy_col_int(q, 2);
            w->skey = strdup(dy_col_text(q, 3) ? dy_col_text(q, 3) : "");
            w->tkey = strdup(dy_col_text(q, 4) ? dy_col_text(q, 4) : "");
            w->placed = dy_col_type(q, 5) != DY_NULL && dy_col_type(q, 6) != DY_NULL && prec &&
                        !strcmp(prec, "place") && (quad == 2 || quad == 4);
            w->lat = dy_col_real(q, 5), w->lon = dy_col_real(q, 6);
            w->hap = dy_col_type(q, 9) != DY_NULL ? dy_col_int(q, 9) : 0;
            w->hap_day = dy_col_type(q, 10) != DY_NULL ? (long)dy_col_int(q, 10) : LONG_MIN;
            if (!w->skey || !w->tkey) rc = DY_ERR;
        }
        dy_stmt_reset(q);
        if (!v || rc != DY_DONE) {
            for (long i = 0; v && i < n; i++) free(v[i].skey), free(v[i].tkey);
            free(v);
            return -1;
        }
        *more = n == *limit;
        if (*more) { /* the last day may go on: it is read whole next time */
            long keep = n;
            while (keep && v[keep - 1].day == v[n - 1].day) keep--;
            for (long i = keep; i < n; i++) free(v[i].skey), free(v[i].tkey);
            if (!keep) { /* one day holds more than limit events */
                free(v);
                *limit *= 2;
                continue;
            }
            n = keep;
        }
        *out = v;
        return n;
    }
}

/* Writes a rebuilt cluster's happening row (made when new); marks it for the recount. */
static int write_cluster(dyad_store *s, const char *root, cluster *c)
{
    dy_stmt *q = stmt(s, c->hap ? Q_HAP_SET : Q_NEW_HAP);
    if (!q) return -1;
    int n = 1;
    if (c->hap) dy_bind_int(q, n++, c->hap);
    else bind_str(q, n++, root);
    dy_bind_text(q, n++, c->skey, (size_t)-1);
    dy_bind_text(q, n++, c->tkey, (size_t)-1);
    dy_bind_int(q, n++, c->day);
    if (c->placed) {
        dy_bind_real(q, n++, c->lat);
        dy_bind_real(q, n++, c->lon);
    } else {
        dy_bind_null(q, n++);
        dy_bind_null(q, n++);
    }
    dy_bind_text(q, n++, c->pairs.p, c->pairs.n);
    int rc = c->hap ? dy_step(q) == DY_DONE : dy_step_id(q, &c->hap) == DY_ROW;
    return rc && !touch(s, c->hap) ? 0 : -1;
}

/* Rebuilds the happenings of one root from its first changed day change[*next] on (see
 * above), up to where nothing changed for opts.days days and no changed day comes next;
 * change[] holds the days (ascending, nchange of them) where the batch added or removed
 * events of the root, and *next moves past those rebuilt. */
static int regroup_span(dyad_store *s, const char *root, const long *change, size_t nchange,
                        size_t *next, id_map *lost)
{
    long dmin = change[*next];
    long days = s->opt.days, from = dmin - days, limit = 256, prev = LONG_MIN;
    long last_change = dmin; /* removed events count as changes on their days */
    long stop_day = LONG_MAX; /* the first day not rebuilt */
    regroup_run r = {.lost = lost};
    dy_buf pairs = {0};
    int rc = -1, more = 1;
    while (more && stop_day == LONG_MAX) {
        group_row *v = NULL;
        long n = read_rows(s, root, from, &limit, &v, &more);
        if (n < 0) goto out;
        for (long i = 0; i < n && !r.oom; i++) {
            group_row *w = &v[i];
            if (w->day != prev) {
                /* nothing changed in the days the open happenings span, and nothing changes
                 * today: from here on all is as stored (up to the next changed day) */
                if (prev != LONG_MIN && last_change < w->day - days &&
                    (*next == nchange || change[*next] > w->day)) {
                    stop_day = w->day;
                    break;
                }
                while (*next < nchange && change[*next] <= w->day)
                    if (change[(*next)++] > last_change) last_change = change[*next - 1];
                prev = w->day;
                while (r.open < r.nc && r.c[r.open].day < w->day - days) r.open++;
            }
            pairs.n = 0;
            dyad_pairs(w->skey, w->tkey, &pairs);
            if (w->day < dmin) { /* as stored: the happenings that are still open at dmin */
                if (!w->hap || w->hap_day < dmin - days) continue;
                size_t k = run_find(&r, w->hap);
                if (k == (size_t)-1) run_start(&r, w, pairs.p, w->hap);
                else run_join(&r, &r.c[k], w, pairs.p);
                continue;
            }
            size_t k = run_match(s, &r, w, pairs.p);
            if (k == (size_t)-1) /* it starts one: under its stored id when that is free */
                k = run_start(&r, w, pairs.p,
                              w->hap && run_find(&r, w->hap) == (size_t)-1 ? w->hap : 0);
            else
                run_join(&r, &r.c[k], w, pairs.p);
            if (k == (size_t)-1) break;
            int moved = !r.c[k].hap || r.c[k].hap != w->hap;
            if (moved && dy_store_grow((void **)&r.m, &r.capm, r.nm, sizeof *r.m, 64)) {
                r.oom = 1;
                break;
            }
            if (moved) { /* both happenings' rows change */
                r.m[r.nm++] = (move){w->id, w->hap, k};
                r.c[k].dirty = 1;
                size_t from = w->hap ? run_find(&r, w->hap) : (size_t)-1;
                if (from != (size_t)-1) r.c[from].dirty = 1;
                if (w->hap && map_find(lost, w->hap) == (size_t)-1 && map_put(lost, w->hap, 0))
                    r.oom = 1;
            }
            /* a change too: the same happening id under another first mention (its stored
             * first mention went elsewhere), whose dyads and place may differ */
            if ((moved || r.c[k].day != w->hap_day) && w->day > last_change) last_change = w->day;
        }
        if (n > 0) from = v[n - 1].day + 1;
        for (long i = 0; i < n; i++) free(v[i].skey), free(v[i].tkey);
        free(v);
        if (r.oom || pairs.oom) goto out;
    }
    if (stop_day == LONG_MAX) *next = nchange; /* the root's last events were read */
    /* the changed happenings whose every mention was read are written; those still open
     * where the rebuild stopped are unchanged (a new one there would be a change) */
    for (size_t k = 0; k < r.nc; k++)
        if (r.c[k].dirty && (stop_day == LONG_MAX || r.c[k].day < stop_day - days || !r.c[k].hap) &&
            write_cluster(s, root, &r.c[k]))
            goto out;
    for (size_t i = 0; i < r.nm; i++) {
        int64_t to = r.c[r.m[i].to].hap;
        for (int k = Q_HAP_EVENT; k <= Q_HAP_EC; k++) {
            dy_stmt *q = stmt(s, k);
            if (!q) goto out;
            dy_bind_int(q, 1, r.m[i].event);
            dy_bind_int(q, 2, to);
            if (dy_step(q) != DY_DONE) goto out;
        }
        if (r.m[i].from && touch(s, r.m[i].from)) goto out;
    }
    rc = 0;
out:
    for (size_t k = 0; k < r.nc; k++) {
        dy_buf_free(&r.c[k].pairs);
        free(r.c[k].skey), free(r.c[k].tkey);
    }
    free(r.c), free(r.taken.ids), free(r.taken.idx), free(r.m);
    dy_buf_free(&pairs);
    return rc;
}

/* Rebuilds the happenings of every root the batch added events to or removed events from,
 * span by span around the days it changed. */
static int regroup(dyad_store *s)
{
    id_map lost = {0}; /* the happenings that lost events: those of removed stories first */
    int rc, bad = 0;
    dy_stmt *q = dy_db_prepare(s->db, "SELECT id FROM shrunk", 0);
    if (!q) return -1;
    while (!bad && (rc = dy_step(q)) == DY_ROW)
        if (map_put(&lost, dy_col_int(q, 0), 0)) bad = 1;
    dy_stmt_free(q);
    if (bad || rc == DY_ERR ||
        !(q = dy_db_prepare(s->db, "SELECT root, day FROM regroup ORDER BY root, day", 0))) {
        free(lost.ids), free(lost.idx);
        return -1;
    }
    char *root = NULL;
    long *change = NULL;
    size_t n = 0, cap = 0;
    do {
        rc = dy_step(q);
        const char *r = rc == DY_ROW ? dy_col_text(q, 0) : NULL;
        if (root && (!r || strcmp(r, root))) { /* the root's days are all read */
            for (size_t next = 0; !bad && next < n;)
                if (regroup_span(s, root, change, n, &next, &lost)) bad = 1;
            free(root);
            root = NULL, n = 0;
        }
        if (rc != DY_ROW || bad) continue;
        if (!root && !(root = strdup(r ? r : ""))) bad = 1;
        else if (dy_store_grow((void **)&change, &cap, n, sizeof *change, 64)) bad = 1;
        else change[n++] = (long)dy_col_int(q, 1);
    } while (rc == DY_ROW && !bad);
    dy_stmt_free(q);
    free(root), free(change), free(lost.ids), free(lost.idx);
    return bad || rc == DY_ERR || dy_db_exec(s->db, "DELETE FROM regroup; DELETE FROM shrunk")
               ? -1 : 0;
}

/* Recounts the figures of the happenings touched by this batch and drops emptied ones. */
static const char recount_sql[] =
    "UPDATE happenings SET (mentions, stories, sources, first_date, last_date, first_seen,"
    "  last_seen) = (SELECT count(*), count(DISTINCT e.story_id),"
    "  count(DISTINCT coalesce(st.source, st.id)), min(e.date), max(e.date), min(st.date),"
    "  max(st.date) FROM events e JOIN stories st ON st.id = e.story_id"
    "  WHERE e.happening_id = happenings.id)"
    " WHERE id IN (SELECT id FROM touched);"
    "DELETE FROM happenings WHERE id IN (SELECT id FROM touched) AND mentions = 0;"
    "DELETE FROM touched;";
/* SQLite: indexes the batch's new events' sentences for full-text search. */
static const char fts_flush_sql[] =
    "INSERT INTO events_fts(rowid, text) SELECT p.key, s.text FROM fts_pending p"
    "  JOIN sentences s ON s.id = p.sentence_id ORDER BY p.key;"
    "DELETE FROM fts_pending;";

int dyad_store_commit(dyad_store *s, dyad_error *err)
{
    if (!s || !s->in_txn) return DYAD_OK;
    int pg = dy_db_kind(s->db) == DY_DB_PG;
    if (regroup(s) || dy_db_exec(s->db, recount_sql) ||
        (!pg && dy_db_exec(s->db, fts_flush_sql)) ||
        dy_db_exec(s->db, "COMMIT")) {
        int rc = dy_store_fail(s, err, "commit");
        forget_lookup(s);
        dy_db_exec(s->db, "ROLLBACK");
        s->in_txn = 0;
        s->pending = 0;
        return rc;
    }
    s->in_txn = 0;
    s->pending = 0;
    return DYAD_OK;
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
        char *sql = dialect_sql(s->db, stat_tables[t].rows);
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
