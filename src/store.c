/*
 * store.c — the event store: coded stories kept in SQLite (WAL, batched transactions).
 * Consumes a story and the coder's JSON Lines for it (parsed with jansson, so the store does
 * not depend on coder internals) and produces rows in the schema below; on each commit, the
 * batch's new events are grouped with earlier ones into happenings. Queries and exports are
 * in store_query.c.
 */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "store.h"

/* ==== schema ============================================================================= */

/* The documented schema (README "Event store"). Every statement is idempotent, so opening an
 * existing database runs it again harmlessly. Dates are TEXT YYYY-MM-DD; day is the date as
 * days since 1970-01-01; code lists are ';'-separated; record keeps the coder's JSON line. */
static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);\n"
    /* one row per story: hash is the 64-bit content hash (hex) of its date and text */
    "CREATE TABLE IF NOT EXISTS stories(\n"
    "  id TEXT PRIMARY KEY, hash TEXT NOT NULL, date TEXT, title TEXT, source TEXT, url TEXT,\n"
    "  text TEXT NOT NULL, n_events INTEGER NOT NULL, n_quotes INTEGER NOT NULL);\n"
    /* the sentences that events or quotes cite: idx counts the story's sentences from 0;
     * start/end are character offsets into the story text */
    "CREATE TABLE IF NOT EXISTS sentences(\n"
    "  id INTEGER PRIMARY KEY, story_id TEXT NOT NULL, idx INTEGER NOT NULL,\n"
    "  start INTEGER, end INTEGER, text TEXT NOT NULL, UNIQUE(story_id, idx));\n"
    "CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING fts5(text, content='sentences',\n"
    "  content_rowid='id');\n"
    /* sentences_fts is filled at each commit from temp.fts_pending (one statement per batch:
     * FTS5 writes its pending terms to disk at every statement that opens a savepoint on it,
     * which per-row triggers did) and emptied of a story's sentences before they are deleted */
    /* one row per event record */
    "CREATE TABLE IF NOT EXISTS events(\n"
    "  id INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, story_id TEXT NOT NULL,\n"
    "  date TEXT, day INTEGER, date_precision TEXT,\n"
    "  source TEXT, target TEXT, src_key TEXT NOT NULL, tgt_key TEXT NOT NULL,\n"
    "  code TEXT, root TEXT, quad_class INTEGER, goldstein REAL,\n"
    "  event TEXT, mode TEXT, context TEXT, sentence INTEGER, text TEXT, pattern TEXT,\n"
    "  place TEXT, geonameid INTEGER, lat REAL, lon REAL, admin1 TEXT, country_code TEXT,\n"
    "  geo_precision TEXT, dead INTEGER, injured INTEGER, arrested INTEGER, crowd INTEGER,\n"
    "  acled_type TEXT, acled_sub TEXT, happening_id INTEGER, record TEXT NOT NULL);\n"
    "CREATE INDEX IF NOT EXISTS events_story ON events(story_id);\n"
    "CREATE INDEX IF NOT EXISTS events_date ON events(date);\n"
    /* covers the time series (--by) so that they never read the records */
    "CREATE INDEX IF NOT EXISTS events_series ON events(date, goldstein, dead, injured,\n"
    "  happening_id);\n"
    "CREATE INDEX IF NOT EXISTS events_code ON events(code);\n"
    "CREATE INDEX IF NOT EXISTS events_root ON events(root, date);\n"
    "CREATE INDEX IF NOT EXISTS events_country ON events(country_code);\n"
    "CREATE INDEX IF NOT EXISTS events_happening ON events(happening_id);\n"
    "CREATE INDEX IF NOT EXISTS events_ungrouped ON events(id) WHERE happening_id IS NULL;\n"
    "CREATE TABLE IF NOT EXISTS event_sentences(\n"
    "  event_id INTEGER NOT NULL, sentence_id INTEGER NOT NULL,\n"
    "  PRIMARY KEY(event_id, sentence_id)) WITHOUT ROWID;\n"
    "CREATE INDEX IF NOT EXISTS event_sentences_s ON event_sentences(sentence_id);\n"
    /* the members of each event's source (role 'source') and target ('target') */
    "CREATE TABLE IF NOT EXISTS actors(\n"
    "  event_id INTEGER NOT NULL, role TEXT NOT NULL, pos INTEGER NOT NULL, code TEXT,\n"
    "  country TEXT, sector TEXT, entity_text TEXT, name TEXT, aligned_with TEXT,\n"
    "  PRIMARY KEY(event_id, role, pos)) WITHOUT ROWID;\n"
    "CREATE INDEX IF NOT EXISTS actors_code ON actors(code);\n"
    "CREATE INDEX IF NOT EXISTS actors_country ON actors(country);\n"
    /* gazetteer entries events are located at */
    "CREATE TABLE IF NOT EXISTS places(\n"
    "  geonameid INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, admin1 TEXT,\n"
    "  country_code TEXT, feature_code TEXT, precision TEXT);\n"
    "CREATE VIRTUAL TABLE IF NOT EXISTS events_rtree USING rtree(id, min_lat, max_lat,\n"
    "  min_lon, max_lon);\n"
    "CREATE TABLE IF NOT EXISTS quotes(\n"
    "  id TEXT PRIMARY KEY, story_id TEXT NOT NULL, speaker TEXT, text TEXT, sentence INTEGER,\n"
    "  events TEXT, record TEXT NOT NULL);\n"
    "CREATE INDEX IF NOT EXISTS quotes_story ON quotes(story_id);\n"
    /* one row per happening: its key (root, dyad, day of its first mention, place) and the
     * figures of its mentions, kept up to date on every commit */
    "CREATE TABLE IF NOT EXISTS happenings(\n"
    "  id INTEGER PRIMARY KEY, root TEXT, src_key TEXT NOT NULL, tgt_key TEXT NOT NULL,\n"
    "  day INTEGER, lat REAL, lon REAL, pairs TEXT NOT NULL, mentions INTEGER NOT NULL DEFAULT 0,\n"
    "  stories INTEGER NOT NULL DEFAULT 0, sources INTEGER NOT NULL DEFAULT 0,\n"
    "  first_date TEXT, last_date TEXT, first_seen TEXT, last_seen TEXT);\n"
    "CREATE INDEX IF NOT EXISTS happenings_key ON happenings(root, day);\n"
    /* convenience views */
    "CREATE VIEW IF NOT EXISTS event_view AS SELECT e.*, s.source AS outlet, s.url, s.title,\n"
    "  s.date AS story_date FROM events e JOIN stories s ON s.id = e.story_id;\n"
    "CREATE VIEW IF NOT EXISTS mentions AS SELECT e.happening_id, e.event_id, e.story_id,\n"
    "  s.source AS outlet, s.url, s.date AS story_date, e.date, e.sentence, e.text\n"
    "  FROM events e JOIN stories s ON s.id = e.story_id;\n"
    "CREATE VIEW IF NOT EXISTS happening_view AS SELECT h.*, (SELECT code FROM events e\n"
    "  WHERE e.happening_id = h.id GROUP BY code ORDER BY count(*) DESC, code LIMIT 1) AS code,\n"
    "  (SELECT avg(goldstein) FROM events e WHERE e.happening_id = h.id) AS goldstein\n"
    "  FROM happenings h;\n"
    "INSERT OR IGNORE INTO meta VALUES ('schema', '1'), ('dyad_version', '" DYAD_VERSION "');\n";

/* Per-connection scratch: happenings to recount and sentences to index at the next commit. */
static const char temp_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS touched(id INTEGER PRIMARY KEY);\n"
    "CREATE TEMP TABLE IF NOT EXISTS fts_pending(id INTEGER PRIMARY KEY);\n";

/* ==== prepared statements ================================================================ */

enum {
    Q_LOOKUP, Q_DEL_TOUCH, Q_DEL_ACTORS, Q_DEL_ES, Q_DEL_RTREE, Q_DEL_EVENTS, Q_DEL_SENT,
    Q_DEL_QUOTES, Q_DEL_STORY, Q_INS_STORY, Q_INS_SENT, Q_GET_SENT, Q_INS_EVENT, Q_INS_ES,
    Q_INS_ACTOR, Q_INS_PLACE, Q_INS_RTREE, Q_INS_QUOTE, Q_UNGROUPED, Q_CANDIDATES, Q_SET_HAP,
    Q_NEW_HAP, Q_HAP_PLACE, Q_TOUCH, Q_FTS_PEND, Q_FTS_DEL, Q_FTS_UNPEND, Q_COUNT
};
static const char *const stmt_sql[Q_COUNT] = {
    [Q_LOOKUP] = "SELECT hash FROM stories WHERE id = ?",
    [Q_DEL_TOUCH] = "INSERT OR IGNORE INTO temp.touched SELECT happening_id FROM events "
                    "WHERE story_id = ? AND happening_id IS NOT NULL",
    [Q_DEL_ACTORS] = "DELETE FROM actors WHERE event_id IN (SELECT id FROM events WHERE story_id = ?)",
    [Q_DEL_ES] = "DELETE FROM event_sentences WHERE event_id IN "
                 "(SELECT id FROM events WHERE story_id = ?)",
    [Q_DEL_RTREE] = "DELETE FROM events_rtree WHERE id IN (SELECT id FROM events WHERE story_id = ?)",
    [Q_DEL_EVENTS] = "DELETE FROM events WHERE story_id = ?",
    [Q_DEL_SENT] = "DELETE FROM sentences WHERE story_id = ?",
    [Q_DEL_QUOTES] = "DELETE FROM quotes WHERE story_id = ?",
    [Q_DEL_STORY] = "DELETE FROM stories WHERE id = ?",
    [Q_INS_STORY] = "INSERT INTO stories(id, hash, date, title, source, url, text, n_events, "
                    "n_quotes) VALUES (?,?,?,?,?,?,?,?,?)",
    [Q_INS_SENT] = "INSERT OR IGNORE INTO sentences(story_id, idx, start, end, text) VALUES (?,?,?,?,?)",
    [Q_GET_SENT] = "SELECT id FROM sentences WHERE story_id = ? AND idx = ?",
    [Q_INS_EVENT] = "INSERT INTO events(event_id, story_id, date, day, date_precision, source, "
                    "target, src_key, tgt_key, code, root, quad_class, goldstein, event, mode, "
                    "context, sentence, text, pattern, place, geonameid, lat, lon, admin1, "
                    "country_code, geo_precision, dead, injured, arrested, crowd, acled_type, "
                    "acled_sub, record) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                    "?,?,?,?,?,?,?,?,?)",
    [Q_INS_ES] = "INSERT OR IGNORE INTO event_sentences(event_id, sentence_id) VALUES (?,?)",
    [Q_INS_ACTOR] = "INSERT OR REPLACE INTO actors(event_id, role, pos, code, country, sector, "
                    "entity_text, name, aligned_with) VALUES (?,?,?,?,?,?,?,?,?)",
    [Q_INS_PLACE] = "INSERT OR IGNORE INTO places(geonameid, name, lat, lon, admin1, "
                    "country_code, feature_code, precision) VALUES (?,?,?,?,?,?,?,?)",
    [Q_INS_RTREE] = "INSERT INTO events_rtree(id, min_lat, max_lat, min_lon, max_lon) VALUES (?,?,?,?,?)",
    [Q_INS_QUOTE] = "INSERT OR REPLACE INTO quotes(id, story_id, speaker, text, sentence, events, "
                    "record) VALUES (?,?,?,?,?,?,?)",
    [Q_UNGROUPED] = "SELECT e.id, e.root, e.src_key, e.tgt_key, e.day, e.lat, e.lon, "
                    "e.geo_precision = 'place', e.quad_class FROM events e "
                    "WHERE e.happening_id IS NULL ORDER BY e.id",
    [Q_CANDIDATES] = "SELECT id, lat, lon, pairs FROM happenings WHERE root IS ? AND "
                     "day BETWEEN ? AND ? ORDER BY abs(day - ?), id",
    [Q_SET_HAP] = "UPDATE events SET happening_id = ? WHERE id = ?",
    [Q_NEW_HAP] = "INSERT INTO happenings(root, src_key, tgt_key, day, lat, lon, pairs) "
                  "VALUES (?,?,?,?,?,?,?)",
    [Q_HAP_PLACE] = "UPDATE happenings SET lat = coalesce(lat, ?), lon = coalesce(lon, ?), "
                    "pairs = ? WHERE id = ?",
    [Q_TOUCH] = "INSERT OR IGNORE INTO temp.touched(id) VALUES (?)",
    [Q_FTS_PEND] = "INSERT OR IGNORE INTO temp.fts_pending(id) VALUES (?)",
    [Q_FTS_DEL] = "INSERT INTO sentences_fts(sentences_fts, rowid, text) SELECT 'delete', id, "
                  "text FROM sentences WHERE story_id = ? AND id NOT IN (SELECT id FROM "
                  "temp.fts_pending)",
    [Q_FTS_UNPEND] = "DELETE FROM temp.fts_pending WHERE id IN (SELECT id FROM sentences "
                     "WHERE story_id = ?)",
};

typedef struct store_full {
    struct dyad_store pub;
    sqlite3_stmt *stmt[Q_COUNT];
} store_full;

/* The cached statement k, reset and unbound; NULL on an SQLite error. */
static sqlite3_stmt *stmt(dyad_store *s, int k)
{
    store_full *f = (store_full *)s;
    if (!f->stmt[k] && sqlite3_prepare_v3(s->db, stmt_sql[k], -1, SQLITE_PREPARE_PERSISTENT,
                                          &f->stmt[k], NULL) != SQLITE_OK)
        return NULL;
    sqlite3_reset(f->stmt[k]);
    sqlite3_clear_bindings(f->stmt[k]);
    return f->stmt[k];
}

int dy_store_fail(dyad_store *s, dyad_error *err, const char *what)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->code = DYAD_EIO;
        snprintf(err->message, sizeof err->message, "%s: %s", what,
                 s && s->db ? sqlite3_errmsg(s->db) : "cannot open");
    }
    return DYAD_EIO;
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

double dy_store_km(double lat1, double lon1, double lat2, double lon2)
{
    const double r = 6371.0088, d2r = M_PI / 180.0;
    double dlat = (lat2 - lat1) * d2r, dlon = (lon2 - lon1) * d2r;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * d2r) * cos(lat2 * d2r) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * r * asin(sqrt(a < 1 ? a : 1));
}

/* SQL function km(lat1, lon1, lat2, lon2); NULL when any argument is NULL. */
static void sql_km(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
    for (int i = 0; i < argc; i++)
        if (sqlite3_value_type(v[i]) == SQLITE_NULL) {
            sqlite3_result_null(ctx);
            return;
        }
    sqlite3_result_double(ctx, dy_store_km(sqlite3_value_double(v[0]), sqlite3_value_double(v[1]),
                                           sqlite3_value_double(v[2]), sqlite3_value_double(v[3])));
}

/* ==== open / close ======================================================================= */

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
    if (sqlite3_open_v2(path, &s->db, ro ? SQLITE_OPEN_READONLY
                                         : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        NULL) != SQLITE_OK)
        goto fail;
    sqlite3_busy_timeout(s->db, 10000);
    if ((!ro && sqlite3_exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                                    "PRAGMA wal_autocheckpoint=16384;",
                             NULL, NULL, NULL) != SQLITE_OK) ||
        sqlite3_exec(s->db, "PRAGMA cache_size=-131072; PRAGMA temp_store=MEMORY;", NULL, NULL,
                     NULL) != SQLITE_OK)
        goto fail;
    /* the schema is made once, in one transaction; opening an existing store writes nothing,
     * so queries run beside an ingest (and on read-only files) */
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master WHERE name = 'happenings'", -1, &q,
                           NULL) != SQLITE_OK)
        goto fail;
    int has = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    if (!has && ro) {
        if (err) {
            *err = (dyad_error){.code = DYAD_EIO};
            snprintf(err->message, sizeof err->message, "%s: not a dyad event store", path);
        }
        sqlite3_close(s->db);
        free(f);
        return NULL;
    }
    if (!has && (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
                 sqlite3_exec(s->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
                 sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK))
        goto fail;
    if (sqlite3_exec(s->db, temp_sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_create_function(s->db, "km", 4, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_km,
                                NULL, NULL) != SQLITE_OK)
        goto fail;
    return s;
fail:
    if (err) {
        dy_store_fail(s, err, path);
    }
    sqlite3_close(s->db);
    free(f);
    return NULL;
}

int dyad_store_close(dyad_store *s, dyad_error *err)
{
    if (!s) return 0;
    int rc = dyad_store_commit(s, err);
    store_full *f = (store_full *)s;
    for (int k = 0; k < Q_COUNT; k++) sqlite3_finalize(f->stmt[k]);
    if (rc == DYAD_OK) sqlite3_exec(s->db, "PRAGMA optimize", NULL, NULL, NULL);
    sqlite3_close(s->db);
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

int dyad_store_lookup(dyad_store *s, const dyad_story *story)
{
    sqlite3_stmt *q = stmt(s, Q_LOOKUP);
    if (!q || !story || !story->id) return DYAD_EUSAGE;
    sqlite3_bind_text(q, 1, story->id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q), what = DYAD_STORE_NEW;
    if (rc == SQLITE_ROW) {
        char h[17];
        story_hash(story, h);
        const char *old = (const char *)sqlite3_column_text(q, 0);
        what = old && !strcmp(old, h) ? DYAD_STORE_SAME : DYAD_STORE_CHANGED;
    } else if (rc != SQLITE_DONE) {
        what = DYAD_EIO;
    }
    sqlite3_reset(q);
    return what;
}

/* Days since 1970-01-01 of a YYYY-MM-DD date; INT32_MIN when s is not one. */
static long date_days(const char *s)
{
    if (!s || strlen(s) < 10) return INT32_MIN;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (m < 1 || m > 12 || d < 1 || d > 31) return INT32_MIN;
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static void bind_str(sqlite3_stmt *q, int i, const char *v)
{
    if (v) sqlite3_bind_text(q, i, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(q, i);
}

/* Binds a JSON number (or null) as a real / integer. */
static void bind_num(sqlite3_stmt *q, int i, json_t *v)
{
    if (json_is_integer(v)) sqlite3_bind_int64(q, i, json_integer_value(v));
    else if (json_is_real(v)) sqlite3_bind_double(q, i, json_real_value(v));
    else sqlite3_bind_null(q, i);
}

/* A size figure: size.<k>.value or NULL. */
static json_t *size_value(json_t *ev, const char *k)
{
    return json_object_get(json_object_get(json_object_get(ev, "size"), k), "value");
}

/* Compares C strings for qsort. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The actor list's codes joined by ';' (all of them, in order) into codes, and the sorted,
 * distinct matching keys (country part, or full codes) joined by ',' into key. */
static void actor_keys(json_t *list, int full, dy_buf *codes, dy_buf *key)
{
    const char *k[64];
    size_t n = 0, i;
    json_t *a;
    json_array_foreach(list, i, a) {
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
static int put_sentences(dyad_store *s, const char *story_id, json_t *rec, const dyad_story *st,
                         char_pos *cp, sqlite3_int64 *ids, size_t max, size_t *n)
{
    json_t *ti = json_object_get(rec, "text_info");
    json_t *idx = json_object_get(ti, "sentences"), *spans = json_object_get(ti, "spans");
    size_t i;
    json_t *v;
    *n = 0;
    json_array_foreach(idx, i, v) {
        json_t *sp = json_array_get(spans, i);
        if (!json_is_integer(v) || json_array_size(sp) != 2) continue;
        size_t a = (size_t)json_integer_value(json_array_get(sp, 0));
        size_t b = (size_t)json_integer_value(json_array_get(sp, 1));
        size_t ba = char_to_byte(cp, a), bb = char_to_byte(cp, b);
        if (bb < ba) bb = ba;
        sqlite3_stmt *q = stmt(s, Q_INS_SENT);
        if (!q) return -1;
        sqlite3_bind_text(q, 1, story_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 2, json_integer_value(v));
        sqlite3_bind_int64(q, 3, (sqlite3_int64)a);
        sqlite3_bind_int64(q, 4, (sqlite3_int64)b);
        sqlite3_bind_text(q, 5, st->text + ba, (int)(bb - ba), SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE) return -1;
        sqlite3_int64 id;
        if (sqlite3_changes(s->db) == 1) { /* new: indexed for --text at commit */
            id = sqlite3_last_insert_rowid(s->db);
            if (!(q = stmt(s, Q_FTS_PEND))) return -1;
            sqlite3_bind_int64(q, 1, id);
            if (sqlite3_step(q) != SQLITE_DONE) return -1;
        } else { /* cited by an earlier record of the story */
            if (!(q = stmt(s, Q_GET_SENT))) return -1;
            sqlite3_bind_text(q, 1, story_id, -1, SQLITE_STATIC);
            sqlite3_bind_int64(q, 2, json_integer_value(v));
            if (sqlite3_step(q) != SQLITE_ROW) return -1;
            id = sqlite3_column_int64(q, 0);
            sqlite3_reset(q);
        }
        if (*n < max) ids[(*n)++] = id;
    }
    return 0;
}

/* Stores the members of an event's source or target. */
static int put_actors(dyad_store *s, sqlite3_int64 ev, const char *role, json_t *list)
{
    size_t i;
    json_t *a;
    json_array_foreach(list, i, a) {
        sqlite3_stmt *q = stmt(s, Q_INS_ACTOR);
        if (!q) return -1;
        sqlite3_bind_int64(q, 1, ev);
        sqlite3_bind_text(q, 2, role, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 3, (sqlite3_int64)i);
        bind_str(q, 4, jstr(a, "code"));
        bind_str(q, 5, jstr(a, "country"));
        bind_str(q, 6, jstr(a, "sector"));
        bind_str(q, 7, jstr(a, "entity_text"));
        bind_str(q, 8, jstr(a, "name"));
        bind_str(q, 9, jstr(a, "aligned_with"));
        if (sqlite3_step(q) != SQLITE_DONE) return -1;
    }
    return 0;
}

/* Stores one event record (and its actors, sentences, place). */
static int put_event(dyad_store *s, const dyad_story *st, json_t *ev, const char *line,
                     size_t line_len, char_pos *cp)
{
    const char *id = jstr(ev, "id");
    if (!id) return 0;
    json_t *cameo = json_object_get(ev, "cameo"), *loc = json_object_get(ev, "event_loc");
    json_t *ti = json_object_get(ev, "text_info"), *acled = json_object_get(ev, "acled");
    dy_buf src = {0}, tgt = {0}, skey = {0}, tkey = {0};
    actor_keys(json_object_get(ev, "actor"), 1, &src, &skey);
    actor_keys(json_object_get(ev, "recipient"), 1, &tgt, &tkey);
    int rc = -1;
    sqlite3_stmt *q = stmt(s, Q_INS_EVENT);
    if (!q || src.oom || tgt.oom || skey.oom || tkey.oom) goto out;
    const char *date = jstr(ev, "date");
    long day = date_days(date);
    json_t *lat = json_object_get(loc, "lat"), *lon = json_object_get(loc, "lon");
    int n = 1;
    sqlite3_bind_text(q, n++, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, n++, st->id, -1, SQLITE_STATIC);
    bind_str(q, n++, date);
    if (day != INT32_MIN) sqlite3_bind_int64(q, n++, day);
    else sqlite3_bind_null(q, n++);
    bind_str(q, n++, jstr(ev, "date_precision"));
    bind_str(q, n++, src.n ? src.p : NULL);
    bind_str(q, n++, tgt.n ? tgt.p : NULL);
    bind_str(q, n++, skey.n ? skey.p : "");
    bind_str(q, n++, tkey.n ? tkey.p : "");
    bind_str(q, n++, jstr(cameo, "code"));
    bind_str(q, n++, jstr(cameo, "root"));
    bind_num(q, n++, json_object_get(cameo, "quad_class"));
    bind_num(q, n++, json_object_get(cameo, "goldstein"));
    bind_str(q, n++, jstr(ev, "event"));
    bind_str(q, n++, jstr(ev, "mode"));
    bind_str(q, n++, jstr(ev, "context"));
    bind_num(q, n++, json_array_get(json_object_get(ti, "sentences"), 0));
    bind_str(q, n++, jstr(ev, "text"));
    bind_str(q, n++, jstr(ti, "pattern"));
    bind_str(q, n++, jstr(loc, "resolved_place") ? jstr(loc, "resolved_place")
                                                 : jstr(loc, "extracted_place"));
    bind_num(q, n++, json_object_get(loc, "geonameid"));
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
    sqlite3_bind_text(q, n++, line, (int)line_len, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE) goto out;
    sqlite3_int64 rowid = sqlite3_last_insert_rowid(s->db);
    if (put_actors(s, rowid, "source", json_object_get(ev, "actor")) ||
        put_actors(s, rowid, "target", json_object_get(ev, "recipient")))
        goto out;
    sqlite3_int64 sids[64];
    size_t ns = 0;
    if (put_sentences(s, st->id, ev, st, cp, sids, 64, &ns)) goto out;
    for (size_t i = 0; i < ns; i++) {
        if (!(q = stmt(s, Q_INS_ES))) goto out;
        sqlite3_bind_int64(q, 1, rowid);
        sqlite3_bind_int64(q, 2, sids[i]);
        if (sqlite3_step(q) != SQLITE_DONE) goto out;
    }
    if (json_is_number(lat) && json_is_number(lon)) {
        double la = json_number_value(lat), lo = json_number_value(lon);
        if (!(q = stmt(s, Q_INS_RTREE))) goto out;
        sqlite3_bind_int64(q, 1, rowid);
        sqlite3_bind_double(q, 2, la);
        sqlite3_bind_double(q, 3, la);
        sqlite3_bind_double(q, 4, lo);
        sqlite3_bind_double(q, 5, lo);
        if (sqlite3_step(q) != SQLITE_DONE) goto out;
        if (json_is_integer(json_object_get(loc, "geonameid"))) {
            if (!(q = stmt(s, Q_INS_PLACE))) goto out;
            bind_num(q, 1, json_object_get(loc, "geonameid"));
            bind_str(q, 2, jstr(loc, "resolved_place"));
            sqlite3_bind_double(q, 3, la);
            sqlite3_bind_double(q, 4, lo);
            bind_str(q, 5, jstr(loc, "admin1"));
            bind_str(q, 6, jstr(loc, "country_code"));
            bind_str(q, 7, jstr(loc, "feature_code"));
            bind_str(q, 8, jstr(loc, "precision"));
            if (sqlite3_step(q) != SQLITE_DONE) goto out;
        }
    }
    rc = 0;
out:
    dy_buf_free(&src), dy_buf_free(&tgt), dy_buf_free(&skey), dy_buf_free(&tkey);
    return rc;
}

/* Stores one quotation record. */
static int put_quote(dyad_store *s, const dyad_story *st, json_t *qt, const char *line,
                     size_t line_len, char_pos *cp)
{
    const char *id = jstr(qt, "id");
    if (!id) return 0;
    sqlite3_int64 sids[64];
    size_t ns = 0;
    if (put_sentences(s, st->id, qt, st, cp, sids, 64, &ns)) return -1;
    dy_buf spk = {0}, key = {0}, evs = {0};
    actor_keys(json_object_get(qt, "speaker"), 1, &spk, &key);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(qt, "events"), i, v) {
        if (!json_is_string(v)) continue;
        if (evs.n) dy_buf_putc(&evs, ';');
        dy_buf_puts(&evs, json_string_value(v));
    }
    dy_buf_nul(&evs);
    int rc = -1;
    sqlite3_stmt *q = stmt(s, Q_INS_QUOTE);
    if (q && !spk.oom && !evs.oom) {
        sqlite3_bind_text(q, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, 2, st->id, -1, SQLITE_STATIC);
        bind_str(q, 3, spk.n ? spk.p : NULL);
        bind_str(q, 4, jstr(qt, "text"));
        bind_num(q, 5, json_array_get(json_object_get(json_object_get(qt, "text_info"), "sentences"), 0));
        bind_str(q, 6, evs.n ? evs.p : NULL);
        sqlite3_bind_text(q, 7, line, (int)line_len, SQLITE_STATIC);
        rc = sqlite3_step(q) == SQLITE_DONE ? 0 : -1;
    }
    dy_buf_free(&spk), dy_buf_free(&key), dy_buf_free(&evs);
    return rc;
}

/* Runs one cached statement over a story id. */
static int run_on_story(dyad_store *s, int k, const char *id)
{
    sqlite3_stmt *q = stmt(s, k);
    if (!q) return -1;
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Removes everything stored of a story; its happenings are marked for a recount. */
static int delete_story(dyad_store *s, const char *id)
{
    static const int order[] = {Q_DEL_TOUCH,  Q_DEL_ACTORS, Q_DEL_ES,   Q_DEL_RTREE,
                                Q_DEL_EVENTS, Q_FTS_DEL,    Q_FTS_UNPEND, Q_DEL_SENT,
                                Q_DEL_QUOTES, Q_DEL_STORY};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        if (run_on_story(s, order[i], id)) return -1;
    return 0;
}

/* Splits jsonl into parsed records; returns their count or -1 when a line is not an object. */
typedef struct parsed_line {
    json_t *obj;
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
            json_t *o = json_loadb(p, ln, 0, NULL);
            if (!json_is_object(o)) {
                json_decref(o);
                for (size_t i = 0; i < n; i++) json_decref(v[i].obj);
                free(v);
                return -1;
            }
            if (n == cap) {
                parsed_line *w = realloc(v, (cap *= 2) * sizeof *v);
                if (!w) {
                    json_decref(o);
                    for (size_t i = 0; i < n; i++) json_decref(v[i].obj);
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
    int w = dyad_store_lookup(s, st);
    if (what) *what = w;
    if (w < 0) return dy_store_fail(s, err, "lookup");
    if (w == DYAD_STORE_SAME) return DYAD_OK;
    parsed_line *lines = NULL;
    long nl = parse_lines(jsonl, len, &lines);
    if (nl == -1) return fail_input(err, st->id, "a record is not a JSON object");
    if (nl < 0) {
        if (err) *err = (dyad_error){.code = DYAD_ENOMEM, .message = "out of memory"};
        return DYAD_ENOMEM;
    }
    int rc = DYAD_OK;
    if (!s->in_txn) {
        if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
            rc = dy_store_fail(s, err, "begin");
            goto out;
        }
        s->in_txn = 1;
    }
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
    char h[17];
    story_hash(st, h);
    sqlite3_stmt *q = stmt(s, Q_INS_STORY);
    if (!q) goto sqlfail;
    sqlite3_bind_text(q, 1, st->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, h, -1, SQLITE_TRANSIENT);
    bind_str(q, 3, st->date);
    bind_str(q, 4, st->title);
    bind_str(q, 5, st->source);
    bind_str(q, 6, st->url);
    sqlite3_bind_text(q, 7, st->text, (int)st->text_len, SQLITE_STATIC);
    sqlite3_bind_int64(q, 8, nev);
    sqlite3_bind_int64(q, 9, nq);
    if (sqlite3_step(q) != SQLITE_DONE) goto sqlfail;
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
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_txn = 0;
    s->pending = 0;
out:
    for (long i = 0; i < nl; i++) json_decref(lines[i].obj);
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

/* Groups every event without a happening, in the order they were stored: each joins the
 * nearest-in-time happening with the same CAMEO root, at most opts.days days from the
 * happening's first mention, with a compatible dyad (some source/target pair of the event
 * matches one of the happening's: compounds expanded, codes compared by prefix unless
 * opts.full_codes; when the places agree, below, a missing source or target matches any
 * and a sector without a country ("police": COP) that sector of any country)
 * and, for material events (quad classes 2 and 4) when both have a
 * place-level location, places at most opts.km apart; else it starts a happening. Verbal
 * events are exempt from the distance test: their place is where the speaker was or the
 * capital named as its government ("Beijing criticized Tokyo"), not where anything
 * happened. The outcome depends only on the stored events and their order, so a run that is
 * killed and resumed groups exactly as an uninterrupted one. */
static int group_new_events(dyad_store *s)
{
    sqlite3_stmt *ev = NULL;
    if (sqlite3_prepare_v2(s->db, stmt_sql[Q_UNGROUPED], -1, &ev, NULL) != SQLITE_OK) return -1;
    /* collected first: the loop updates the rows it would otherwise be reading */
    typedef struct pending_ev {
        sqlite3_int64 id, day;
        char *root, *skey, *tkey;
        double lat, lon;
        int has_day, has_place, material;
    } pending_ev;
    size_t n = 0, cap = 0;
    pending_ev *v = NULL;
    int rc = 0;
    while (sqlite3_step(ev) == SQLITE_ROW) {
        if (n == cap) {
            pending_ev *w = realloc(v, (cap = cap ? cap * 2 : 256) * sizeof *v);
            if (!w) {
                rc = -1;
                break;
            }
            v = w;
        }
        pending_ev *p = &v[n++];
        const char *r = (const char *)sqlite3_column_text(ev, 1);
        p->id = sqlite3_column_int64(ev, 0);
        p->root = r ? strdup(r) : NULL;
        p->skey = strdup((const char *)sqlite3_column_text(ev, 2));
        p->tkey = strdup((const char *)sqlite3_column_text(ev, 3));
        p->has_day = sqlite3_column_type(ev, 4) != SQLITE_NULL;
        p->day = sqlite3_column_int64(ev, 4);
        p->has_place = sqlite3_column_int(ev, 7) && sqlite3_column_type(ev, 5) != SQLITE_NULL;
        p->lat = sqlite3_column_double(ev, 5);
        p->lon = sqlite3_column_double(ev, 6);
        int quad = sqlite3_column_int(ev, 8);
        p->material = quad == 2 || quad == 4;
        if (!p->skey || !p->tkey || (r && !p->root)) rc = -1;
    }
    sqlite3_finalize(ev);
    dy_buf mine = {0}, set = {0};
    for (size_t i = 0; i < n && !rc; i++) {
        pending_ev *p = &v[i];
        sqlite3_int64 hap = 0;
        int hap_place = 0;
        mine.n = 0;
        dyad_pairs(p->skey, p->tkey, &mine);
        set.n = 0;
        if (p->has_day) {
            sqlite3_stmt *q = stmt(s, Q_CANDIDATES);
            if (!q) {
                rc = -1;
                break;
            }
            bind_str(q, 1, p->root);
            sqlite3_bind_int64(q, 2, p->day - s->opt.days);
            sqlite3_bind_int64(q, 3, p->day + s->opt.days);
            sqlite3_bind_int64(q, 4, p->day);
            int r;
            while ((r = sqlite3_step(q)) == SQLITE_ROW) {
                int placed = sqlite3_column_type(q, 1) != SQLITE_NULL;
                int both = placed && p->has_place && p->material;
                if (both && dy_store_km(sqlite3_column_double(q, 1), sqlite3_column_double(q, 2),
                                        p->lat, p->lon) > s->opt.km)
                    continue;
                const char *pairs = (const char *)sqlite3_column_text(q, 3);
                if (!pairs || !pairs_match(mine.p, pairs, s->opt.full_codes, both)) continue;
                hap = sqlite3_column_int64(q, 0);
                hap_place = placed;
                dy_buf_puts(&set, pairs);
                dy_buf_nul(&set);
                break;
            }
            sqlite3_reset(q);
            if (r != SQLITE_ROW && r != SQLITE_DONE) {
                rc = -1;
                break;
            }
        }
        sqlite3_stmt *q;
        if (mine.oom || set.oom) {
            rc = -1;
            break;
        }
        if (!hap) {
            if (!(q = stmt(s, Q_NEW_HAP))) {
                rc = -1;
                break;
            }
            bind_str(q, 1, p->root);
            sqlite3_bind_text(q, 2, p->skey, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 3, p->tkey, -1, SQLITE_STATIC);
            if (p->has_day) sqlite3_bind_int64(q, 4, p->day);
            if (p->has_place && p->material) {
                sqlite3_bind_double(q, 5, p->lat);
                sqlite3_bind_double(q, 6, p->lon);
            }
            sqlite3_bind_text(q, 7, mine.p, (int)mine.n, SQLITE_STATIC);
            if (sqlite3_step(q) != SQLITE_DONE) rc = -1;
            hap = sqlite3_last_insert_rowid(s->db);
        } else {
            size_t before = set.n;
            pairs_union(&set, mine.p);
            if (set.n != before || (!hap_place && p->has_place && p->material)) {
                if (!(q = stmt(s, Q_HAP_PLACE))) {
                    rc = -1;
                    break;
                }
                if (!hap_place && p->has_place && p->material) {
                    sqlite3_bind_double(q, 1, p->lat);
                    sqlite3_bind_double(q, 2, p->lon);
                }
                sqlite3_bind_text(q, 3, set.p, (int)set.n, SQLITE_STATIC);
                sqlite3_bind_int64(q, 4, hap);
                if (sqlite3_step(q) != SQLITE_DONE) rc = -1;
            }
        }
        if (rc || !(q = stmt(s, Q_SET_HAP))) {
            rc = -1;
            break;
        }
        sqlite3_bind_int64(q, 1, hap);
        sqlite3_bind_int64(q, 2, p->id);
        if (sqlite3_step(q) != SQLITE_DONE || !(q = stmt(s, Q_TOUCH))) {
            rc = -1;
            break;
        }
        sqlite3_bind_int64(q, 1, hap);
        if (sqlite3_step(q) != SQLITE_DONE) rc = -1;
    }
    dy_buf_free(&mine);
    dy_buf_free(&set);
    for (size_t i = 0; i < n; i++) free(v[i].root), free(v[i].skey), free(v[i].tkey);
    free(v);
    return rc;
}

/* Recounts the figures of the happenings touched by this batch; drops emptied ones; indexes
 * the batch's new sentences for full-text search. */
static const char recount_sql[] =
    "UPDATE happenings SET (mentions, stories, sources, first_date, last_date, first_seen,"
    "  last_seen) = (SELECT count(*), count(DISTINCT e.story_id),"
    "  count(DISTINCT coalesce(st.source, st.id)), min(e.date), max(e.date), min(st.date),"
    "  max(st.date) FROM events e JOIN stories st ON st.id = e.story_id"
    "  WHERE e.happening_id = happenings.id)"
    " WHERE id IN (SELECT id FROM temp.touched);"
    "DELETE FROM happenings WHERE id IN (SELECT id FROM temp.touched) AND mentions = 0;"
    "DELETE FROM temp.touched;"
    "INSERT INTO sentences_fts(rowid, text) SELECT s.id, s.text FROM temp.fts_pending p"
    "  JOIN sentences s ON s.id = p.id ORDER BY s.id;"
    "DELETE FROM temp.fts_pending;";

int dyad_store_commit(dyad_store *s, dyad_error *err)
{
    if (!s || !s->in_txn) return DYAD_OK;
    if (group_new_events(s) || sqlite3_exec(s->db, recount_sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        int rc = dy_store_fail(s, err, "commit");
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        s->in_txn = 0;
        s->pending = 0;
        return rc;
    }
    s->in_txn = 0;
    s->pending = 0;
    return DYAD_OK;
}

/* ==== stats ============================================================================== */

/* What dyad_store_stats counts and checksums, in this order. */
static const struct {
    const char *name, *count, *rows;
} stat_tables[] = {
    {"stories", "SELECT count(*) FROM stories", "SELECT id, hash, date, source FROM stories ORDER BY id"},
    {"sentences", "SELECT count(*) FROM sentences",
     "SELECT story_id, idx, start, end, text FROM sentences ORDER BY story_id, idx"},
    {"events", "SELECT count(*) FROM events", "SELECT event_id, record FROM events ORDER BY event_id"},
    {"actors", "SELECT count(*) FROM actors",
     "SELECT e.event_id, a.role, a.pos, a.code FROM actors a JOIN events e ON e.id = a.event_id "
     "ORDER BY e.event_id, a.role, a.pos"},
    {"places", "SELECT count(*) FROM places", "SELECT * FROM places ORDER BY geonameid"},
    {"quotes", "SELECT count(*) FROM quotes", "SELECT id, record FROM quotes ORDER BY id"},
    {"happenings", "SELECT count(*) FROM happenings",
     "SELECT h.id, h.root, h.pairs, h.day, h.mentions, h.stories, h.sources, "
     "(SELECT group_concat(event_id, ' ') FROM (SELECT event_id FROM events e WHERE "
     "e.happening_id = h.id ORDER BY event_id)) FROM happenings h ORDER BY h.id"},
};

int dyad_store_stats(dyad_store *s, FILE *out, dyad_error *err)
{
    if (dyad_store_commit(s, err)) return DYAD_EIO;
    uint64_t sum = 0xcbf29ce484222325ull;
    for (size_t t = 0; t < sizeof stat_tables / sizeof *stat_tables; t++) {
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(s->db, stat_tables[t].count, -1, &q, NULL) != SQLITE_OK)
            return dy_store_fail(s, err, "stats");
        sqlite3_step(q);
        fprintf(out, "%s %lld\n", stat_tables[t].name, (long long)sqlite3_column_int64(q, 0));
        sqlite3_finalize(q);
        if (sqlite3_prepare_v2(s->db, stat_tables[t].rows, -1, &q, NULL) != SQLITE_OK)
            return dy_store_fail(s, err, "stats");
        while (sqlite3_step(q) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(q); c++) {
                const unsigned char *v = sqlite3_column_text(q, c);
                int n = sqlite3_column_bytes(q, c);
                uint64_t h = v ? dy_hash(v, (size_t)n) : 0x5555;
                sum = (sum ^ h) * 0x100000001b3ull;
            }
            sum = (sum ^ 0xff) * 0x100000001b3ull;
        }
        sqlite3_finalize(q);
    }
    fprintf(out, "checksum %016llx\n", (unsigned long long)sum);
    return ferror(out) ? DYAD_EIO : DYAD_OK;
}
