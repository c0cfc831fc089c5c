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
        dy_where_add(&cw, "e.country = upper(?)", q->country, NULL);
        if (q->from) dy_where_add(&cw, "e.date >= ?", q->from, NULL);
        if (q->to) dy_where_add(&cw, "e.date <= ?", q->to, NULL);
        if (q->code) dy_where_add(&cw, "e.code = ?", q->code, NULL);
        if (q->root) dy_where_add(&cw, "e.root = ?", q->root, NULL);
        dy_where_add(&cw, "e.date > ''", NULL, NULL); /* '' is an undated event */
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
            if (dy_grow((void **)&p.haps, &p.cap, p.nhaps, sizeof *p.haps, 256)) {
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
    if (q->after && dy_cursor_parse(q->after, &after))
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
        dy_fts_range(q, &lo, &hi);
        plan = dy_text_plan(s, q, n, lo, hi);
    }
    int by_country = s->has_ec && q->country && !q->by && plan != 'o';
    dy_build_where(s, q, by_country, plan, n, q->after ? &after : NULL, &w, pattern, sizeof pattern);
    int rc = q->by ? run_series(s, q, &w, out, err)
           : q->happenings ? run_happenings(s, q, &w, out, err)
           : q->places ? dy_store_run_places(s, q, &w, out, err)
           : run_events(s, q, &w, out, page ? next : NULL, nextn, err);
    dy_db_deadline(s->db, 0);
    if (txn) dy_db_exec(s->db, "ROLLBACK"); /* nothing was written: the read ends */
    dy_buf_free(&w.sql);
    return rc;
}
