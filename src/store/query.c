/*
 * query.c — reading the event store: filters (dates, country, actor, codes, FTS5 text,
 * R*Tree proximity) turned into one SQL statement with bound parameters, and the matching
 * events written as PLOVER JSON Lines, GDELT 2.0, Phoenix, ICEWS or ACLED-like rows (the
 * table formats: src/render/), as happenings, or as a time series (README "Event store"). The
 * map's clusters are map.c's.
 */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "dates.h"
#include "render/render.h"
#include "query.h"
#include "store.h"

/* ==== filters ============================================================================ */


static void add_s(where *w, const char *clause, const char *v1, const char *v2)
{
    dy_buf_puts(&w->sql, w->sql.n ? " AND " : " WHERE ");
    dy_buf_puts(&w->sql, clause);
    if (v1) w->arg[w->n++].s = v1;
    if (v2) w->arg[w->n++].s = v2;
}

/* Appends a real number argument to w. */
static void add_d(where *w, double d)
{
    w->arg[w->n].s = NULL;
    w->arg[w->n++].d = d;
}

/* The rows sql (with nargs text arguments) selects, counted up to bound. */
static long bounded_count(dyad_store *s, const char *sql, const char *const *arg, int nargs,
                          long bound)
{
    char buf[768];
    snprintf(buf, sizeof buf, "SELECT count(*) FROM (%s LIMIT %ld) x", sql, bound);
    dy_stmt *st = dy_db_prepare(s->db, buf, 0);
    if (!st) return 0;
    for (int i = 0; i < nargs; i++) dy_bind_text(st, i + 1, arg[i], (size_t)-1);
    long n = dy_step(st) == DY_ROW ? (long)dy_col_int(st, 0) : 0;
    dy_stmt_free(st);
    return n;
}

/* Whether a page of `limit` events filtered by sql (the filter's rows, for one text argument)
 * is found sooner by walking the events in date order and testing each (EXISTS) than by
 * collecting every match and sorting them (IN). With m matches among n events, the walk tests
 * about limit * n / m events, each test costing `cost` times what collecting one match does,
 * and the collection takes m matches: the walk wins when m * m exceeds cost * limit * n. The
 * matches are counted only up to that bound. Both plans give the same answer: the tests force
 * the walk with DYAD_STORE_WALK_MATCHES=1 (the bound) to check it. */
static int walk_filter(dyad_store *s, long limit, double n, double cost, const char *sql,
                       const char *arg)
{
    const char *env = getenv("DYAD_STORE_WALK_MATCHES");
    long bound = env ? atol(env) : 0;
    if (bound <= 0) bound = (long)ceil(sqrt(cost * (double)limit * n));
    if (bound < 1) bound = 1;
    return bounded_count(s, sql, &arg, arg ? 1 : 0, bound) >= bound;
}

/* The events_fts keys of q's dates (DY_FTS_KEY in store.h): from the first key of --from's day
 * (or of the first dated day when only --to is given; of the undated events otherwise) to
 * the last of --to's day. */
static void fts_range(const dyad_store_query *q, long long *lo, long long *hi)
{
    long f = q->from ? dy_store_days(q->from) : INT32_MIN, t = q->to ? dy_store_days(q->to) : INT32_MIN;
    long df = f == INT32_MIN ? 0 : f + DY_FTS_DAY0, dt = t == INT32_MIN ? DY_FTS_DAYMAX : t + DY_FTS_DAY0;
    if (q->from || q->to) df = df < 1 ? 1 : df; /* dates leave the undated out */
    if (df > DY_FTS_DAYMAX) df = DY_FTS_DAYMAX;
    if (dt > DY_FTS_DAYMAX) dt = DY_FTS_DAYMAX;
    *lo = (long long)df << 41;
    *hi = dt < 1 ? -1 : ((long long)dt << 41) | ((1LL << 41) - 1);
}

/* How a page of events with a word (schema 3, SQLite) is found: 'o' (outer) reads the
 * word's keys in date order and tests each event for the other filters until the page is
 * full (~3 us an event); 'c' (collect) gathers the word's events in the dates first, then
 * reads the events in date order testing each (one match costs ~1 us); 'w' (walk) reads a
 * country's events in date order and probes the index for each (~60 us an event). Without
 * a country the outer plan is taken (a year of 250k events at 1M, limit 100: 12-43 ms
 * against 12-926 ms collecting). With one, a word with few matches in the dates is
 * collected (COLLECT_MAX); else the outer plan reads about limit * N / n events for n of
 * the country's events among N, and the walk at most n: the walk is taken when n is below
 * sqrt(3/60 * limit * N) (N: all events, an upper bound). DYAD_STORE_TEXT_PLAN forces one
 * (the tests check that all three give the same answer). */
enum { COLLECT_MAX = 20000 };
static int text_plan(dyad_store *s, const dyad_store_query *q, double n, long long lo,
                     long long hi)
{
    const char *env = getenv("DYAD_STORE_TEXT_PLAN");
    if (env && *env && strchr("owc", *env)) return *env;
    if (!q->country || !s->has_ec) return 'o';
    char sql[320];
    snprintf(sql, sizeof sql, "SELECT 1 FROM events_fts f WHERE f.events_fts MATCH ? AND f.rowid "
                              "BETWEEN %lld AND %lld", lo, hi);
    if (bounded_count(s, sql, &q->text, 1, COLLECT_MAX) < COLLECT_MAX) return 'c';
    long bound = (long)ceil(sqrt(3.0 / 60 * (double)q->limit * n));
    const char *arg[3] = {q->country, q->from ? q->from : "", q->to ? q->to : "9999-99-99"};
    return bounded_count(s, "SELECT 1 FROM event_countries c WHERE c.country = upper(?) AND "
                            "c.date >= ? AND c.date <= ?", arg, 3, bound) < bound ? 'w' : 'o';
}

/* Where a page of events ends: the date ("" undated) and id of its last event. Pages are
 * read in the order events are listed (date, undated first, then id), so the next page is a
 * range that starts after it. */
typedef struct cursor {
    char date[11];
    long long id;
} cursor;

/* Reads a cursor "DATE~ID" ("~ID" undated); 0, or -1 when it is not one. */
static int cursor_parse(const char *a, cursor *c)
{
    const char *t = strchr(a, '~');
    size_t dn = t ? (size_t)(t - a) : 0;
    if (!t || (dn && (dn != 10 || dyad_date_check(a, dn, NULL, 0)))) return -1;
    memcpy(c->date, a, dn);
    c->date[dn] = 0;
    char *end;
    const char *d = t + 1;
    if (*d < '1' || *d > '9') return -1;
    c->id = strtoll(d, &end, 10);
    return *end || c->id <= 0 || c->id > (1LL << 35) ? -1 : 0;
}

/* The filter that starts a page after c, on the table the events come from: event_countries'
 * key, the full-text keys, or the events' date index. */
static void after_where(where *w, const cursor *c, int plan)
{
    if (w->outer) { /* the key of the cursor's event's last sentence */
        long day = *c->date ? dy_store_days(c->date) + DY_FTS_DAY0 : 0;
        if (day > DY_FTS_DAYMAX) day = DY_FTS_DAYMAX;
        if (*c->date && day < 1) day = 1;
        dy_buf_printf(&w->sql, "%sf.rowid > %lld", w->sql.n ? " AND " : " WHERE ",
                      ((long long)day << 41) | (c->id << 6) | 63);
        return;
    }
    const char *date = w->by_country ? "c.date" : "e.date", *id = w->by_country ? "c.event_id" : "e.id";
    char sql[160];
    if (!*c->date && !w->by_country) {
        snprintf(sql, sizeof sql, "(e.date IS NOT NULL OR e.id > ?)");
        add_s(w, sql, NULL, NULL);
    } else {
        /* a range of the date index from the cursor's day, then past its id within it */
        snprintf(sql, sizeof sql, "%s >= ? AND (%s > ? OR %s > ?)", date, date, id);
        add_s(w, sql, c->date, c->date);
    }
    add_d(w, (double)c->id);
    (void)plan;
}

/* The number of events, as the largest id (one index lookup): the N of the plans' costs. */
double dy_store_event_count(dyad_store *s)
{
    double n = 0;
    dy_stmt *st = dy_db_prepare(s->db, "SELECT max(id) FROM events", 0);
    if (st && dy_step(st) == DY_ROW) n = (double)dy_col_int(st, 0);
    dy_stmt_free(st);
    return n;
}

/* The filters of q over events e, in s's dialect; pattern holds the actor prefix pattern.
 * With by_country (and a schema 2 store), the events come from event_countries c joined to
 * e, in c's (country, date) order, and the country and dates are filters on c. A page of
 * events (q->limit) filtered by a common actor, word or place is read in date order, testing
 * each event, rather than by collecting every match (walk_filter). */
static void build_where(dyad_store *s, const dyad_store_query *q, int by_country, int plan,
                        double n, const cursor *after, where *w, char *pattern, size_t patn)
{
    int pg = dy_db_kind(s->db) == DY_DB_PG;
    int page = q->limit > 0 && !q->by && !q->happenings && !q->places;
    memset(w, 0, sizeof *w);
    w->by_country = by_country;
    w->outer = plan == 'o';
    /* a collected set is tested on event_countries' own column when the events come from
     * it, before the event row is read (a word over a busy country-year at 1M events: 265 ms
     * testing e.id, 106 ms testing c.event_id) */
    const char *eid = by_country ? "c.event_id" : "e.id";
    if (by_country) {
        add_s(w, "c.country = upper(?)", q->country, NULL);
        if (q->from) add_s(w, "c.date >= ?", q->from, NULL);
        if (q->to) add_s(w, "c.date <= ?", q->to, NULL);
        if (q->code) add_s(w, "c.code = ?", q->code, NULL);
        if (q->root) add_s(w, "c.root = ?", q->root, NULL);
        if (q->to && !q->from) add_s(w, "c.date > ''", NULL, NULL); /* '' is undated */
    } else {
        if (q->from) add_s(w, "e.date >= ?", q->from, NULL);
        if (q->to) add_s(w, "e.date <= ?", q->to, NULL);
        if (q->code) add_s(w, "e.code = ?", q->code, NULL);
        if (q->root) add_s(w, "e.root = ?", q->root, NULL);
    }
    if (q->country && by_country) {
        /* above */
    } else if (q->country && w->outer) { /* a probe of event_countries' key for each event */
        add_s(w, "EXISTS (SELECT 1 FROM event_countries c WHERE c.country = upper(?) AND "
                 "c.date = coalesce(e.date, '') AND c.event_id = e.id)", q->country, NULL);
    } else if (q->country && s->has_ec) {
        /* one range of event_countries' primary key (country, date) */
        add_s(w, "e.id IN (SELECT c.event_id FROM event_countries c WHERE c.country = upper(?)",
              q->country, NULL);
        if (q->from) add_s(w, "c.date >= ?", q->from, NULL);
        if (q->to) add_s(w, "c.date <= ?", q->to, NULL);
        dy_buf_putc(&w->sql, ')');
    } else if (q->country) { /* a schema 1 store opened read-only */
        add_s(w, "(e.country_code = upper(?) OR e.id IN (SELECT a.event_id FROM actors a WHERE "
                 "a.country = upper(?)))",
              q->country, q->country);
    }
    if (q->actor) {
        size_t j = 0;
        for (const char *p = q->actor; *p && j + 3 < patn; p++) /* codes are upper case */
            if (!strchr("*?[%_\\", *p)) pattern[j++] = *p >= 'a' && *p <= 'z' ? *p - 32 : *p;
        pattern[j++] = pg ? '%' : '*';
        pattern[j] = 0;
        /* a prefix pattern is a range on the actors_code index */
        const char *match = pg ? "a.code LIKE ?" : "a.code GLOB ?";
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT 1 FROM actors a WHERE %s", match);
        /* a test: one probe of the actors' key */
        if (page && walk_filter(s, q->limit, n, 2, sql, pattern))
            snprintf(sql, sizeof sql, "EXISTS (SELECT 1 FROM actors a WHERE a.event_id = e.id AND %s)",
                     match);
        else
            snprintf(sql, sizeof sql, "%s IN (SELECT a.event_id FROM actors a WHERE %s)", eid, match);
        add_s(w, sql, pattern, NULL);
    }
    if (q->text && s->fts_events && !pg) {
        long long lo, hi;
        fts_range(q, &lo, &hi);
        char sql[512];
        if (w->outer) { /* the page is read from the index (run_events joins f) */
            snprintf(sql, sizeof sql, "f.events_fts MATCH ? AND f.rowid BETWEEN %lld AND %lld", lo, hi);
        } else if (plan == 'w') { /* a probe of the event's own keys */
            snprintf(sql, sizeof sql,
                     "EXISTS (SELECT 1 FROM events_fts f WHERE f.events_fts MATCH ? AND f.rowid "
                     "BETWEEN %s AND %s)", DY_FTS_KEY("e.day", "e.id", "0"), DY_FTS_KEY("e.day", "e.id", "63"));
        } else {
            snprintf(sql, sizeof sql, "%s IN (SELECT " DY_FTS_EVENT("f.rowid") " FROM events_fts f "
                     "WHERE f.events_fts MATCH ? AND f.rowid BETWEEN %lld AND %lld)", eid, lo, hi);
        }
        add_s(w, sql, q->text, NULL);
    } else if (q->text) {
        static const char *const lite[] = {
            "SELECT 1 FROM sentences_fts WHERE sentences_fts MATCH ?",
            "EXISTS (SELECT 1 FROM event_sentences es JOIN sentences_fts ON sentences_fts.rowid = "
            "es.sentence_id WHERE es.event_id = e.id AND sentences_fts MATCH ?)",
            "IN (SELECT es.event_id FROM event_sentences es WHERE es.sentence_id IN "
            "(SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?))"};
        static const char *const pgs[] = {
            "SELECT 1 FROM sentences WHERE to_tsvector('simple', text) @@ "
            "websearch_to_tsquery('simple', ?)",
            "EXISTS (SELECT 1 FROM event_sentences es JOIN sentences st ON st.id = es.sentence_id "
            "WHERE es.event_id = e.id AND to_tsvector('simple', st.text) @@ "
            "websearch_to_tsquery('simple', ?))",
            "IN (SELECT es.event_id FROM event_sentences es WHERE es.sentence_id IN "
            "(SELECT id FROM sentences WHERE to_tsvector('simple', text) @@ "
            "websearch_to_tsquery('simple', ?)))"};
        const char *const *t = pg ? pgs : lite;
        /* a test: a full-text query of its own, tens of times the cost of one match (SQLite
         * FTS5 measured at 1M events: ~70 us against ~1 us) */
        char in[320];
        snprintf(in, sizeof in, "%s %s", eid, t[2]);
        add_s(w, page && walk_filter(s, q->limit, n, 50, t[0], q->text) ? t[1] : in, q->text, NULL);
    }
    if (q->near) {
        /* the R*Tree (GiST on PostgreSQL) narrows to a box around the point; the haversine
         * distance decides */
        double dlat = q->km / 111.0, c = cos(q->lat * M_PI / 180.0);
        double dlon = c > 0.01 ? q->km / (111.320 * c) : 360.0;
        double box[4] = {q->lat - dlat, q->lat + dlat, q->lon - dlon, q->lon + dlon};
        /* the box's events: the R*Tree (its days too: dates narrow it) or the GiST index */
        char in[320];
        if (pg) {
            snprintf(in, sizeof in, "SELECT id FROM events WHERE point(lon, lat) <@ "
                                    "box(point(%.17g, %.17g), point(%.17g, %.17g))",
                     box[2], box[0], box[3], box[1]);
        } else {
            long from = q->from ? dy_store_days(q->from) : INT32_MIN;
            long to = q->to ? dy_store_days(q->to) : INT32_MIN;
            int n = snprintf(in, sizeof in, "SELECT id FROM events_rtree WHERE min_lat <= %.17g "
                                            "AND max_lat >= %.17g AND min_lon <= %.17g AND "
                                            "max_lon >= %.17g",
                             box[1], box[0], box[3], box[2]);
            if (to != INT32_MIN) n += snprintf(in + n, sizeof in - (size_t)n, " AND min_day <= %ld", to);
            if (from != INT32_MIN) snprintf(in + n, sizeof in - (size_t)n, " AND max_day >= %ld", from);
        }
        dy_buf_puts(&w->sql, w->sql.n ? " AND " : " WHERE ");
        if (page && walk_filter(s, q->limit, n, 1, in, NULL)) { /* the event's own point */
            dy_buf_puts(&w->sql, "e.lat BETWEEN ? AND ? AND e.lon BETWEEN ? AND ?");
            for (int i = 0; i < 4; i++) add_d(w, box[i]);
        } else {
            dy_buf_printf(&w->sql, "%s IN (%s)", eid, in);
        }
        dy_buf_puts(&w->sql, " AND km(e.lat, e.lon, ?, ?) <= ?");
        add_d(w, q->lat), add_d(w, q->lon), add_d(w, q->km);
    }
    if (after && page) after_where(w, after, plan);
    dy_buf_nul(&w->sql);
}

void dy_where_bind(dy_stmt *st, const where *w, int first)
{
    for (int i = 0; i < w->n; i++) {
        if (w->arg[i].s) dy_bind_text(st, first + i, w->arg[i].s, (size_t)-1);
        else dy_bind_real(st, first + i, w->arg[i].d);
    }
}

/* ==== rows ============================================================================== */

/* A row of the events query: what every export needs (the table formats: src/render/). */
typedef dy_render_row row;

/* ==== PLOVER JSON Lines ================================================================= */

/* The coder's record with the store's additions: the story's source and url, and the
 * happening it belongs to with its mention and source counts. The record is written as it was
 * stored, the additions spliced in before its closing brace: parsing and re-serialising each
 * record was most of a page's cost (and spelt its numbers anew, 39.8 as 39.799999999999997).
 * A record that does not end in '}' (none that dyad stores) is skipped, as one that does not
 * parse is for the other formats. */
static void out_plover(FILE *o, const char *rec, const row *r, int64_t hap)
{
    size_t n = strlen(rec);
    while (n && (rec[n - 1] == '\n' || rec[n - 1] == ' ' || rec[n - 1] == '\r' || rec[n - 1] == '\t')) n--;
    if (n < 2 || rec[0] != '{' || rec[n - 1] != '}') return;
    dy_buf b = {0};
    dy_buf_put(&b, rec, n - 1);
    dy_buf_puts(&b, n > 2 ? ",\"source\":" : "\"source\":");
    if (*r->source) dy_buf_json_cstr(&b, r->source);
    else dy_buf_puts(&b, "null");
    dy_buf_puts(&b, ",\"url\":");
    if (*r->url) dy_buf_json_cstr(&b, r->url);
    else dy_buf_puts(&b, "null");
    dy_buf_printf(&b, ",\"happening\":{\"id\":%lld,\"mentions\":%lld,\"stories\":%lld,\"sources\":%lld}}\n",
                  (long long)hap, r->mentions, r->stories, r->sources);
    if (!b.oom) fwrite(b.p, 1, b.n, o);
    dy_buf_free(&b);
}

/* ==== queries ============================================================================ */

static int usage(dyad_error *err, const char *msg)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->code = DYAD_EUSAGE;
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    return DYAD_EUSAGE;
}

/* The statement of sql (freed), streamed when stream; NULL on an error. */
dy_stmt *dy_store_prepare(dyad_store *s, dy_buf *sql, int stream)
{
    dy_stmt *st = sql->oom ? NULL : dy_db_prepare(s->db, sql->p, 0);
    dy_buf_free(sql);
    if (st && stream) dy_stmt_stream(st);
    return st;
}

/* The events of w in q->format. With a page (q->limit) and next, one more row is read to
 * know whether another page follows; next then receives its cursor ("" when none). */
static int run_events(dyad_store *s, const dyad_store_query *q, const where *w, FILE *o,
                      char *next, size_t nextn, dyad_error *err)
{
    const char *f = q->format ? q->format : "plover";
    const dy_renderer *table = dy_renderer_find(f);
    if (!table && strcmp(f, "plover") && strcmp(f, "jsonl"))
        return usage(err, "--format must be plover, gdelt, phoenix, icews or acled");
    dy_buf sql = {0};
    dy_buf_puts(&sql, "SELECT e.id, e.record, coalesce(s.source, ''), coalesce(s.url, ''), s.date, "
                      "coalesce(h.mentions, 1), coalesce(h.stories, 1), coalesce(h.sources, 1), "
                      "coalesce(e.sentence, 0), e.happening_id, coalesce(e.date, '') FROM ");
    /* one country: its events in date order straight from event_countries' key, which
     * orders as e.date NULLS FIRST, e.id ('' for undated) */
    dy_buf_puts(&sql, w->outer ? "events_fts f JOIN events e ON e.id = " DY_FTS_EVENT("f.rowid") " "
                    : w->by_country ? "event_countries c JOIN events e ON e.id = c.event_id " : "events e ");
    dy_buf_puts(&sql, "JOIN stories s ON s.id = e.story_id "
                      "LEFT JOIN happenings h ON h.id = e.happening_id");
    dy_buf_puts(&sql, w->sql.n ? w->sql.p : "");
    if (table && table->acled_only)
        dy_buf_puts(&sql, w->sql.n ? " AND e.acled_type IS NOT NULL" : " WHERE e.acled_type IS NOT NULL");
    /* from the index: its keys' order is the events' (an event with two matching sentences
     * comes twice in a row, and is written once; the page is counted here) */
    dy_buf_puts(&sql, w->outer ? " ORDER BY f.rowid" : w->by_country ? " ORDER BY c.date, c.event_id"
                                                    : " ORDER BY e.date NULLS FIRST, e.id");
    if (q->limit > 0 && !w->outer) dy_buf_printf(&sql, " LIMIT %ld", q->limit + (next != NULL));
    if (next && nextn) *next = 0;
    dy_buf_nul(&sql);
    dy_stmt *st = dy_store_prepare(s, &sql, 1);
    if (!st) return dy_store_fail(s, err, "query");
    dy_where_bind(st, w, 1);
    if (table && table->header) fputs(table->header, o);
    int rc;
    int64_t last = -1;
    long written = 0;
    char last_date[11] = "";
    while ((rc = dy_step(st)) == DY_ROW) {
        row r = {0};
        r.id = dy_col_int(st, 0);
        if (w->outer && r.id == last) continue;
        if (q->limit > 0 && written == q->limit) { /* a row past the page: there is another */
            if (next && nextn) snprintf(next, nextn, "%s~%lld", last_date, (long long)last);
            rc = DY_DONE;
            break;
        }
        last = r.id, written++;
        snprintf(last_date, sizeof last_date, "%s", dy_col_text(st, 10));
        r.source = dy_col_text(st, 2);
        r.url = dy_col_text(st, 3);
        r.story_date = dy_col_text(st, 4);
        r.mentions = dy_col_int(st, 5);
        r.stories = dy_col_int(st, 6);
        r.sources = dy_col_int(st, 7);
        r.sentence = (int)dy_col_int(st, 8);
        if (!table) { /* the record as stored: no parse */
            out_plover(o, dy_col_text(st, 1), &r, dy_col_int(st, 9));
            continue;
        }
        r.ev = json_loads(dy_col_text(st, 1), 0, NULL);
        if (!r.ev) continue;
        table->write(o, &r);
        json_decref(r.ev);
    }
    int bad = rc != DY_DONE;
    dy_stmt_free(st);
    if (bad) return dy_store_fail(s, err, "query");
    return ferror(o) ? DYAD_EIO : DYAD_OK;
}

/* A column as a JSON value: numbers as jansson writes them (%.17g, with ".0" when that
 * reads as an integer, the exponent without '+' or leading zeros), text as a JSON string,
 * NULL as null. */
void dy_put_json_col(dy_buf *b, dy_stmt *st, int c)
{
    switch (dy_col_type(st, c)) {
    case DY_INT: dy_buf_printf(b, "%lld", (long long)dy_col_int(st, c)); break;
    case DY_REAL: {
        char t[40];
        snprintf(t, sizeof t, "%.17g", dy_col_real(st, c));
        char *e = strchr(t, 'e');
        if (e) { /* "1e-05" as "1e-5", "1e+20" as "1e20" */
            char *d = e + 1, *x = d + (*d == '-');
            while (*x == '+' || (*x == '0' && x[1])) x++;
            memmove(d + (*d == '-'), x, strlen(x) + 1);
        }
        dy_buf_puts(b, t);
        if (!strpbrk(t, ".en")) dy_buf_puts(b, ".0"); /* not for inf or nan */
        break;
    }
    case DY_NULL: dy_buf_puts(b, "null"); break;
    default: dy_buf_json_cstr(b, dy_col_text(st, c)); break;
    }
}

/* One JSON line per happening that some matching event belongs to, with every mention. */
static int run_happenings(dyad_store *s, const dyad_store_query *q, const where *w, FILE *o,
                          dyad_error *err)
{
    dy_buf sql = {0};
    dy_buf_puts(&sql, "SELECT h.id, h.root, h.code, h.src_key, h.tgt_key, h.mentions, h.stories, "
                      "h.sources, h.first_date, h.last_date, h.first_seen, h.last_seen, h.lat, "
                      "h.lon, h.goldstein FROM happening_view h WHERE h.id IN (SELECT ");
    /* with a country: its events' happenings straight from event_countries */
    dy_buf_puts(&sql, w->by_country ? "c.happening_id FROM event_countries c JOIN events e ON "
                                      "e.id = c.event_id"
                                    : "e.happening_id FROM events e");
    dy_buf_puts(&sql, w->sql.n ? w->sql.p : "");
    dy_buf_puts(&sql, ") ORDER BY h.first_date NULLS FIRST, h.id");
    if (q->limit > 0) dy_buf_printf(&sql, " LIMIT %ld", q->limit);
    dy_buf_nul(&sql);
    /* not streamed: the mentions of each happening are read while it is */
    dy_stmt *st = dy_store_prepare(s, &sql, 0), *m = NULL;
    if (!st || !(m = dy_db_prepare(s->db, "SELECT event_id, story_id, outlet, url, story_date, "
                                          "date, sentence, text FROM mentions WHERE "
                                          "happening_id = ? ORDER BY story_date NULLS FIRST, "
                                          "event_id", 1))) {
        dy_stmt_free(st);
        return dy_store_fail(s, err, "query");
    }
    dy_where_bind(st, w, 1);
    /* written here rather than built as jansson objects: a week of a busy country is some
     * 800 happenings with 3,000 mentions, and building then dumping the objects took most
     * of the query's time */
    static const char *const names[] = {"id", "root", "code", "source", "target", "mentions",
                                        "stories", "sources", "first_date", "last_date",
                                        "first_seen", "last_seen", "lat", "lon", "goldstein"};
    static const char *const mn[] = {"event_id", "story_id", "source", "url",
                                     "story_date", "date", "sentence", "text"};
    dy_buf line = {0};
    int rc;
    while ((rc = dy_step(st)) == DY_ROW) {
        line.n = 0;
        for (int c = 0; c < 15; c++) {
            dy_buf_printf(&line, "%s\"%s\":", c ? "," : "{", names[c]);
            /* coordinates with the 5 decimals (about a metre) events are written with */
            if ((c == 12 || c == 13) && dy_col_type(st, c) == DY_REAL) dy_buf_printf(&line, "%.5f", dy_col_real(st, c));
            else dy_put_json_col(&line, st, c);
        }
        dy_buf_puts(&line, ",\"mention_list\":[");
        dy_stmt_reset(m);
        dy_bind_int(m, 1, dy_col_int(st, 0));
        for (int k = 0; dy_step(m) == DY_ROW; k++) {
            for (int c = 0; c < 8; c++) {
                dy_buf_printf(&line, "%s\"%s\":", c ? "," : k ? ",{" : "{", mn[c]);
                dy_put_json_col(&line, m, c);
            }
            dy_buf_putc(&line, '}');
        }
        dy_buf_puts(&line, "]}\n");
        if (!line.oom) fwrite(line.p, 1, line.n, o);
    }
    int oom = line.oom;
    dy_buf_free(&line);
    if (oom) rc = DY_ERR;
    int bad = rc != DY_DONE;
    dy_stmt_free(st);
    dy_stmt_free(m);
    if (bad) return dy_store_fail(s, err, "query");
    return ferror(o) ? DYAD_EIO : DYAD_OK;
}

/* One period of a time series while its events are read: the happenings it met are sorted
 * and counted when it closes. */
typedef struct period_acc {
    char name[11];
    long long events, dead, injured, ngold;
    double gold;
    int64_t *haps;
    size_t nhaps, cap;
    int oom;
} period_acc;

/* The period of a YYYY-MM-DD date: the day, the Monday of its ISO week, or the month. */
static void period_of(const char *date, int by, char out[11])
{
    long d = by == 1 ? dy_store_days(date) : INT32_MIN;
    if (d != INT32_MIN) {
        int y = atoi(date), m = atoi(date + 5), dd = atoi(date + 8);
        long back = ((d % 7) + 10) % 7; /* 0 = Monday (1970-01-01 was a Thursday) */
        int32_t mon = dy_date_add_days(y * 10000 + m * 100 + dd, -back);
        snprintf(out, 11, "%04d-%02d-%02d", mon / 10000 % 10000, mon / 100 % 100, mon % 100);
    } else {
        snprintf(out, by == 2 ? 8 : 11, "%s", date);
    }
}

static void period_write(FILE *o, period_acc *p, int json)
{
    long long nh = 0;
    qsort(p->haps, p->nhaps, sizeof *p->haps, dy_store_cmp_id);
    for (size_t i = 0; i < p->nhaps; i++) nh += !i || p->haps[i] != p->haps[i - 1];
    double mean = p->ngold ? p->gold / (double)p->ngold : 0;
    if (json)
        fprintf(o, "{\"period\":\"%s\",\"events\":%lld,\"happenings\":%lld,\"goldstein_sum\":%.1f,"
                   "\"goldstein_mean\":%.3f,\"dead\":%lld,\"injured\":%lld}\n",
                p->name, p->events, nh, p->gold, mean, p->dead, p->injured);
    else fprintf(o, "%s\t%lld\t%lld\t%.1f\t%.3f\t%lld\t%lld\n", p->name, p->events, nh, p->gold,
                 mean, p->dead, p->injured);
    p->events = p->dead = p->injured = p->ngold = 0;
    p->gold = 0;
    p->nhaps = 0;
}

/* A time series: per day, ISO week (its Monday) or month, the matching events' count, the
 * happenings they belong to, Goldstein sum and mean, and casualty sums. The events are read
 * once in date order and summed here, period by period: SQL's GROUP BY with these seven
 * aggregates took four times as long as the scan itself (a country-year of 112k events:
 * 75 ms against 13 ms). */
static int run_series(dyad_store *s, const dyad_store_query *q, const where *w, FILE *o,
                      dyad_error *err)
{
    int by = !strcmp(q->by, "day") ? 0 : !strcmp(q->by, "week") ? 1 : !strcmp(q->by, "month") ? 2 : -1;
    if (by < 0) return usage(err, "--by must be day, week or month");
    const char *f = q->format ? q->format : "tsv";
    int json = !strcmp(f, "jsonl") || !strcmp(f, "json");
    if (!json && strcmp(f, "tsv")) return usage(err, "with --by, --format must be tsv or jsonl");
    dy_buf sql = {0};
    /* a country's series, with dates, root or code: a range scan of event_countries, which
     * has the series' columns (its primary key starts with country, date) */
    where cw = {0};
    int by_country = s->has_ec && q->country && !q->actor && !q->text && !q->near;
    if (by_country) {
        add_s(&cw, "e.country = upper(?)", q->country, NULL);
        if (q->from) add_s(&cw, "e.date >= ?", q->from, NULL);
        if (q->to) add_s(&cw, "e.date <= ?", q->to, NULL);
        if (q->code) add_s(&cw, "e.code = ?", q->code, NULL);
        if (q->root) add_s(&cw, "e.root = ?", q->root, NULL);
        add_s(&cw, "e.date > ''", NULL, NULL); /* '' is an undated event */
        dy_buf_nul(&cw.sql);
        w = &cw;
    }
    dy_buf_printf(&sql, "SELECT e.date, e.happening_id, e.goldstein, e.dead, e.injured FROM %s e",
                  by_country ? "event_countries" : "events");
    dy_buf_puts(&sql, w->sql.n ? w->sql.p : "");
    if (!by_country)
        dy_buf_puts(&sql, w->sql.n ? " AND e.date IS NOT NULL" : " WHERE e.date IS NOT NULL");
    dy_buf_puts(&sql, " ORDER BY e.date");
    dy_buf_nul(&sql);
    dy_stmt *st = dy_store_prepare(s, &sql, 1);
    if (st) dy_where_bind(st, w, 1);
    dy_buf_free(&cw.sql); /* the arguments point into q, not into cw.sql */
    if (!st || cw.sql.oom) {
        dy_stmt_free(st);
        return dy_store_fail(s, err, "query");
    }
    if (!json) fputs("period\tevents\thappenings\tgoldstein_sum\tgoldstein_mean\tdead\tinjured\n", o);
    period_acc p;
    memset(&p, 0, sizeof p);
    int rc;
    char date[11] = ""; /* the last row's: its period is worked out once per date */
    while ((rc = dy_step(st)) == DY_ROW) {
        const char *d = dy_col_text(st, 0);
        if (strncmp(d, date, 10) || !p.events) {
            char name[11];
            snprintf(date, sizeof date, "%s", d);
            period_of(d, by, name);
            if (p.events && strcmp(name, p.name)) period_write(o, &p, json);
            memcpy(p.name, name, sizeof name);
        }
        p.events++;
        if (dy_col_type(st, 1) != DY_NULL) {
            if (dy_store_grow((void **)&p.haps, &p.cap, p.nhaps, sizeof *p.haps, 256)) {
                p.oom = 1;
                break;
            }
            p.haps[p.nhaps++] = dy_col_int(st, 1);
        }
        if (dy_col_type(st, 2) != DY_NULL) p.gold += dy_col_real(st, 2), p.ngold++;
        p.dead += dy_col_int(st, 3);
        p.injured += dy_col_int(st, 4);
    }
    if (p.events && !p.oom) period_write(o, &p, json);
    free(p.haps);
    int bad = rc != DY_DONE;
    dy_stmt_free(st);
    if (p.oom) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->code = DYAD_ENOMEM;
            snprintf(err->message, sizeof err->message, "query: out of memory");
        }
        return DYAD_ENOMEM;
    }
    if (bad) return dy_store_fail(s, err, "query");
    return ferror(o) ? DYAD_EIO : DYAD_OK;
}

/* ==== one story with its records ========================================================= */

int dyad_store_story(dyad_store *s, const char *id, FILE *o, dyad_error *err)
{
    if (!s || !id || !o) return usage(err, "no store, story id or output");
    if (dyad_store_commit(s, err)) return DYAD_EIO;
    dy_db_deadline(s->db, s->opt.timeout_ms);
    static const char *const sql[] = {
        "SELECT id, date, title, source, url, text FROM stories WHERE id = ?",
        "SELECT record FROM events WHERE story_id = ? ORDER BY id",
        /* "s-q2" before "s-q10" */
        "SELECT record FROM quotes WHERE story_id = ? ORDER BY length(id), id"};
    static const char *const names[] = {"id", "date", "title", "source", "url", "text"};
    dy_buf b = {0};
    int rc = DYAD_OK;
    for (int k = 0; k < 3 && rc == DYAD_OK; k++) {
        dy_stmt *st = dy_db_prepare(s->db, sql[k], 0);
        if (!st) {
            rc = dy_store_fail(s, err, "story");
            break;
        }
        dy_bind_text(st, 1, id, (size_t)-1);
        int r, rows = 0;
        if (k) dy_buf_puts(&b, k == 1 ? ",\"events\":[" : ",\"quotes\":[");
        while ((r = dy_step(st)) == DY_ROW) {
            if (k == 0) {
                for (int c = 0; c < 6; c++) {
                    dy_buf_printf(&b, "%s\"%s\":", c ? "," : "{", names[c]);
                    dy_put_json_col(&b, st, c);
                }
            } else {
                if (rows) dy_buf_putc(&b, ',');
                const char *rec = dy_col_text(st, 0); /* the coder's line, without its newline */
                size_t n = strlen(rec);
                while (n && (rec[n - 1] == '\n' || rec[n - 1] == ' ')) n--;
                dy_buf_put(&b, rec, n);
            }
            rows++;
        }
        if (r != DY_DONE) rc = dy_store_fail(s, err, "story");
        else if (k == 0 && !rows) {
            rc = DYAD_EINPUT;
            if (err) {
                memset(err, 0, sizeof *err);
                err->code = DYAD_EINPUT;
                snprintf(err->message, sizeof err->message, "no story has the id '%.200s'", id);
            }
        }
        if (k) dy_buf_putc(&b, ']');
        dy_stmt_free(st);
    }
    dy_db_deadline(s->db, 0);
    if (rc == DYAD_OK) {
        dy_buf_puts(&b, "}\n");
        if (b.oom) rc = DYAD_ENOMEM;
        else fwrite(b.p, 1, b.n, o);
    }
    dy_buf_free(&b);
    if (rc == DYAD_ENOMEM && err) *err = (dyad_error){.code = DYAD_ENOMEM, .message = "story: out of memory"};
    return rc != DYAD_OK ? rc : ferror(o) ? DYAD_EIO : DYAD_OK;
}

int dyad_store_query_run(dyad_store *s, const dyad_store_query *q, FILE *out, dyad_error *err)
{
    return dyad_store_query_page(s, q, out, NULL, 0, err);
}

int dyad_store_query_page(dyad_store *s, const dyad_store_query *q, FILE *out, char *next,
                          size_t nextn, dyad_error *err)
{
    if (!s || !q || !out) return usage(err, "no store, query or output");
    if (next && nextn) *next = 0;
    cursor after;
    if (q->after && cursor_parse(q->after, &after))
        return usage(err, "the cursor is not one a page of events ended with (DATE~ID)");
    if (dyad_store_commit(s, err)) return DYAD_EIO;
    /* SQLite: one read transaction for all the statements of the query (a map runs some
     * hundreds, for its clusters' events), not one each: each would take the WAL's read
     * lock and check the file again (under load, ~10% of a map's time). Ended below. */
    int txn = dy_db_kind(s->db) == DY_DB_SQLITE && !dy_db_exec(s->db, "BEGIN");
    dy_db_deadline(s->db, s->opt.timeout_ms); /* the plans' counts included */
    where w;
    char pattern[64];
    /* a page of events with a filter that is tested or collected: the events in the store
     * weigh the plans; with a word, how it is found (text_plan) */
    int page = q->limit > 0 && !q->by && !q->happenings && !q->places, plan = 'c';
    double n = page && (q->actor || q->text || q->near) ? dy_store_event_count(s) : 0;
    if (page && q->text && s->fts_events && dy_db_kind(s->db) != DY_DB_PG) {
        long long lo, hi;
        fts_range(q, &lo, &hi);
        plan = text_plan(s, q, n, lo, hi);
    }
    int by_country = s->has_ec && q->country && !q->by && plan != 'o';
    build_where(s, q, by_country, plan, n, q->after ? &after : NULL, &w, pattern, sizeof pattern);
    int rc = q->by ? run_series(s, q, &w, out, err)
           : q->happenings ? run_happenings(s, q, &w, out, err)
           : q->places ? dy_store_run_places(s, q, &w, out, err)
           : run_events(s, q, &w, out, page ? next : NULL, nextn, err);
    dy_db_deadline(s->db, 0);
    if (txn) dy_db_exec(s->db, "ROLLBACK"); /* nothing was written: the read ends */
    dy_buf_free(&w.sql);
    return rc;
}
