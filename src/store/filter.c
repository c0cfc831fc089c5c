/*
 * filter.c — a query's filters (dates, country, actor, codes, FTS5 text, R*Tree proximity) as
 * one WHERE clause over events with bound parameters, the plan it is read by, and the small
 * helpers every reader of the store shares (query.c, map.c).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "dates.h"
#include "query.h"
#include "store.h"

/* ==== filters ============================================================================ */


void dy_where_add(where *w, const char *clause, const char *v1, const char *v2)
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
void dy_fts_range(const dyad_store_query *q, long long *lo, long long *hi)
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
int dy_text_plan(dyad_store *s, const dyad_store_query *q, double n, long long lo,
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

/* Reads a cursor "DATE~ID" ("~ID" undated); 0, or -1 when it is not one. */
int dy_cursor_parse(const char *a, cursor *c)
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
        dy_where_add(w, sql, NULL, NULL);
    } else {
        /* a range of the date index from the cursor's day, then past its id within it */
        snprintf(sql, sizeof sql, "%s >= ? AND (%s > ? OR %s > ?)", date, date, id);
        dy_where_add(w, sql, c->date, c->date);
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
void dy_build_where(dyad_store *s, const dyad_store_query *q, int by_country, int plan,
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
        dy_where_add(w, "c.country = upper(?)", q->country, NULL);
        if (q->from) dy_where_add(w, "c.date >= ?", q->from, NULL);
        if (q->to) dy_where_add(w, "c.date <= ?", q->to, NULL);
        if (q->code) dy_where_add(w, "c.code = ?", q->code, NULL);
        if (q->root) dy_where_add(w, "c.root = ?", q->root, NULL);
        if (q->to && !q->from) dy_where_add(w, "c.date > ''", NULL, NULL); /* '' is undated */
    } else {
        if (q->from) dy_where_add(w, "e.date >= ?", q->from, NULL);
        if (q->to) dy_where_add(w, "e.date <= ?", q->to, NULL);
        if (q->code) dy_where_add(w, "e.code = ?", q->code, NULL);
        if (q->root) dy_where_add(w, "e.root = ?", q->root, NULL);
    }
    if (q->country && by_country) {
        /* above */
    } else if (q->country && w->outer) { /* a probe of event_countries' key for each event */
        dy_where_add(w, "EXISTS (SELECT 1 FROM event_countries c WHERE c.country = upper(?) AND "
                 "c.date = coalesce(e.date, '') AND c.event_id = e.id)", q->country, NULL);
    } else if (q->country && s->has_ec) {
        /* one range of event_countries' primary key (country, date) */
        dy_where_add(w, "e.id IN (SELECT c.event_id FROM event_countries c WHERE c.country = upper(?)",
              q->country, NULL);
        if (q->from) dy_where_add(w, "c.date >= ?", q->from, NULL);
        if (q->to) dy_where_add(w, "c.date <= ?", q->to, NULL);
        dy_buf_putc(&w->sql, ')');
    } else if (q->country) { /* a schema 1 store opened read-only */
        dy_where_add(w, "(e.country_code = upper(?) OR e.id IN (SELECT a.event_id FROM actors a WHERE "
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
        dy_where_add(w, sql, pattern, NULL);
    }
    if (q->text && s->fts_events && !pg) {
        long long lo, hi;
        dy_fts_range(q, &lo, &hi);
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
        dy_where_add(w, sql, q->text, NULL);
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
        dy_where_add(w, page && walk_filter(s, q->limit, n, 50, t[0], q->text) ? t[1] : in, q->text, NULL);
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

/* ==== helpers ============================================================================= */

/* The statement of sql (freed), streamed when stream; NULL on an error. */
dy_stmt *dy_store_prepare(dyad_store *s, dy_buf *sql, int stream)
{
    dy_stmt *st = sql->oom ? NULL : dy_db_prepare(s->db, sql->p, 0);
    dy_buf_free(sql);
    if (st && stream) dy_stmt_stream(st);
    return st;
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
