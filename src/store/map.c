/*
 * map.c — the event store's map: the located events of a query gathered into clusters on a
 * grid fitted to the zoom (dyad query --places, GET /api/places), counted from place_counts
 * where whole days and months allow and from the events elsewhere, with each cluster's first
 * events listed (README "Event store").
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "dates.h"
#include "query.h"
#include "store.h"

/* ==== places: clusters of located events for a web map =================================== */

/* CLUSTER_EVENTS_N: CLUSTER_EVENTS as SQL text (a LIMIT) */
#define CLUSTER_EVENTS_N 5
enum { CELL_PX = 60, CLUSTER_EVENTS = CLUSTER_EVENTS_N, DETAIL_CLUSTERS = 4000 };
#define NANODEG 1e9 /* a quarter of a million events of 180 degrees: 4.5e16, within int64 */

/* The events of one grid cell. */
typedef struct cluster {
    long long key;             /* cell column << 32 | row; -1 empty slot */
    long long n, quad[5], dead;
    long long lat, lon;        /* sums in units of NANODEG, for the centre: whole numbers,
                                  so that the sum does not depend on the order it is added in
                                  (places_scan and places_counted add in different orders) */
    int nev;
    int64_t ev[CLUSTER_EVENTS]; /* the first events listed (store ids) */
} cluster;

static int cluster_cmp(const void *a, const void *b)
{
    const cluster *x = a, *y = b;
    if (x->n != y->n) return x->n < y->n ? 1 : -1;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* The grid cell of a point at zoom z: Web Mercator pixels (256 a tile) divided by CELL_PX. */
static long long cell_of(double lat, double lon, int z)
{
    double world = 256.0 * (double)(1L << z);
    if (lat > 85.05) lat = 85.05;
    if (lat < -85.05) lat = -85.05;
    double x = (lon + 180.0) / 360.0 * world;
    double y = (1.0 - asinh(tan(lat * M_PI / 180.0)) / M_PI) / 2.0 * world;
    long long cx = (long long)(x / CELL_PX), cy = (long long)(y / CELL_PX);
    return cx << 32 | (cy & 0xffffffffLL);
}

/* The clusters of a map: an open-addressing table keyed by cell. */
typedef struct cluster_table {
    cluster *t;
    size_t cap, used;
} cluster_table;

/* The cluster of cell key, made empty when new; NULL when out of memory. */
static cluster *cluster_at(cluster_table *ct, long long key)
{
    if (2 * (ct->used + 1) > ct->cap) { /* grow (or make) the table */
        size_t cap = ct->cap ? 2 * ct->cap : 1024;
        cluster *g = malloc(cap * sizeof *g);
        if (!g) return NULL;
        for (size_t i = 0; i < cap; i++) g[i].key = -1;
        for (size_t i = 0; i < ct->cap; i++) {
            if (ct->t[i].key < 0) continue;
            size_t h = (size_t)(dy_hash(&ct->t[i].key, sizeof ct->t[i].key) & (cap - 1));
            while (g[h].key >= 0) h = (h + 1) & (cap - 1);
            g[h] = ct->t[i];
        }
        free(ct->t);
        ct->t = g, ct->cap = cap;
    }
    size_t h = (size_t)(dy_hash(&key, sizeof key) & (ct->cap - 1));
    while (ct->t[h].key >= 0 && ct->t[h].key != key) h = (h + 1) & (ct->cap - 1);
    cluster *c = &ct->t[h];
    if (c->key < 0) {
        memset(c, 0, sizeof *c);
        c->key = key;
        ct->used++;
    }
    return c;
}

/* The located events of w read one by one, in the order they are listed: what a filter
 * other than dates needs (a year of a 1M-event store is some 250k scattered rows). */
static int places_scan(dyad_store *s, const where *w, int z, cluster_table *ct, long long *total)
{
    dy_buf sql = {0};
    dy_buf_puts(&sql, "SELECT e.id, e.lat, e.lon, e.quad_class, e.dead FROM ");
    dy_buf_puts(&sql, w->by_country ? "event_countries c JOIN events e ON e.id = c.event_id" : "events e");
    dy_buf_puts(&sql, w->sql.n ? w->sql.p : "");
    dy_buf_puts(&sql, w->sql.n ? " AND e.lat IS NOT NULL AND e.lon IS NOT NULL"
                               : " WHERE e.lat IS NOT NULL AND e.lon IS NOT NULL");
    dy_buf_puts(&sql, w->by_country ? " ORDER BY c.date, c.event_id" : " ORDER BY e.date NULLS FIRST, e.id");
    dy_buf_nul(&sql);
    dy_stmt *st = dy_store_prepare(s, &sql, 1);
    if (!st) return DYAD_EIO;
    dy_where_bind(st, w, 1);
    int rc, oom = 0;
    while ((rc = dy_step(st)) == DY_ROW) {
        double lat = dy_col_real(st, 1), lon = dy_col_real(st, 2);
        cluster *c = cluster_at(ct, cell_of(lat, lon, z));
        if ((oom = !c)) break;
        int qc = (int)dy_col_int(st, 3);
        c->n++, (*total)++;
        c->quad[qc >= 1 && qc <= 4 ? qc : 0]++;
        c->dead += dy_col_int(st, 4);
        c->lat += llround(lat * NANODEG), c->lon += llround(lon * NANODEG);
        if (c->nev < CLUSTER_EVENTS) c->ev[c->nev++] = dy_col_int(st, 0);
    }
    dy_stmt_free(st);
    return oom ? DYAD_ENOMEM : rc != DY_DONE ? DYAD_EIO : DYAD_OK;
}

/* A range of place_counts rows: span 1 (days) or 2 (months), periods lo to hi. */
typedef struct period_range {
    int span;
    char lo[11], hi[11];
} period_range;

/* The place_counts ranges that hold exactly the located events of dates from-to (either
 * NULL: unbounded; both: the undated too), in date order: the days before the first whole
 * month, the whole months, the days after the last whole month. A year is 12 month ranges'
 * rows, a few thousand. Returns how many of r[4] are set. */
static int period_ranges(const char *from, const char *to, period_range r[4])
{
    int n = 0, y, m, d;
    char m1[8] = "0000-00", m2[8] = "9999-99"; /* the first and last whole month */
    if (!from && !to) r[n++] = (period_range){1, "", ""};
    if (from && sscanf(from, "%4d-%2d-%2d", &y, &m, &d) == 3) {
        if (d > 1) y += m == 12, m = m == 12 ? 1 : m + 1;
        snprintf(m1, sizeof m1, "%04d-%02d", y, m);
    }
    if (to && sscanf(to, "%4d-%2d-%2d", &y, &m, &d) == 3) {
        if (d < dy_month_days(y, m)) y -= m == 1, m = m == 1 ? 12 : m - 1;
        snprintf(m2, sizeof m2, "%04d-%02d", y, m);
    }
    if (strcmp(m1, m2) > 0) { /* no whole month: the days (from and to are both given) */
        r[n] = (period_range){1, "", ""};
        snprintf(r[n].lo, sizeof r[n].lo, "%s", from);
        snprintf(r[n].hi, sizeof r[n].hi, "%s", to);
        return n + 1;
    }
    if (from && strncmp(from, m1, 7)) { /* from the day to the end of its month */
        r[n] = (period_range){1, "", ""};
        snprintf(r[n].lo, sizeof r[n].lo, "%s", from);
        snprintf(r[n].hi, sizeof r[n].hi, "%.7s-31", from);
        n++;
    }
    r[n] = (period_range){2, "", ""};
    memcpy(r[n].lo, m1, sizeof m1), memcpy(r[n].hi, m2, sizeof m2);
    n++;
    if (to && strncmp(to, m2, 7)) { /* from the first of its month to the day */
        r[n] = (period_range){1, "", ""};
        snprintf(r[n].lo, sizeof r[n].lo, "%.7s-01", to);
        snprintf(r[n].hi, sizeof r[n].hi, "%s", to);
        n++;
    }
    return n;
}

/* A place_counts row a cluster lists its first events from. */
typedef struct kept_row {
    long long key; /* the cluster's cell */
    size_t order;  /* the row's rank in date order */
    int span;
    char period[11];
    double lat, lon;
} kept_row;

static int kept_cmp(const void *a, const void *b)
{
    const kept_row *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* An event a cluster may list: its date ("" undated) and id. */
typedef struct listed {
    char date[11];
    int64_t id;
} listed;

static int listed_cmp(const void *a, const void *b)
{
    const listed *x = a, *y = b;
    int c = strcmp(x->date, y->date);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* The located events of dates from-to counted from place_counts (schema 4), in date order.
 * A cluster's first CLUSTER_EVENTS events, as places_scan lists them (date, then id), lie in
 * the rows that bring its count to CLUSTER_EVENTS and the other rows of the same period: those
 * are kept, and after the clusters are ranked the first DETAIL_CLUSTERS clusters' events are
 * read from them through events_place (a few rows per kept row). The answer is places_scan's. */
static int places_counted(dyad_store *s, const dyad_store_query *q, int z, cluster_table *ct,
                          long long *total, kept_row **kept_out, size_t *nkept_out)
{
    period_range r[4];
    int nr = period_ranges(q->from, q->to, r);
    dy_stmt *st = dy_db_prepare(s->db, "SELECT period, lat, lon, n, q1, q2, q3, q4, dead FROM "
                                       "place_counts WHERE span = ? AND period >= ? AND period <= ? "
                                       "AND n > 0 ORDER BY period, lat, lon", 0);
    if (!st) return DYAD_EIO;
    kept_row *kept = NULL;
    size_t nkept = 0, capk = 0, order = 0;
    int rc = DY_DONE, oom = 0;
    for (int i = 0; i < nr && rc == DY_DONE && !oom; i++) {
        dy_stmt_reset(st);
        dy_bind_int(st, 1, r[i].span);
        dy_bind_text(st, 2, r[i].lo, (size_t)-1);
        dy_bind_text(st, 3, r[i].hi, (size_t)-1);
        while ((rc = dy_step(st)) == DY_ROW) {
            double lat = dy_col_real(st, 1), lon = dy_col_real(st, 2);
            long long key = cell_of(lat, lon, z), n = dy_col_int(st, 3);
            cluster *c = cluster_at(ct, key);
            if ((oom = !c)) break;
            const char *period = dy_col_text(st, 0);
            /* nev counts the kept rows' events up to CLUSTER_EVENTS; ev[0] the rank of the
             * row that reached it, whose period ends the rows kept */
            int keep = c->nev < CLUSTER_EVENTS ||
                       (c->ev[0] >= 0 && !strcmp(kept[c->ev[0]].period, period));
            if (keep) {
                if (nkept == capk) {
                    capk = capk ? 2 * capk : 1024;
                    kept_row *g = realloc(kept, capk * sizeof *kept);
                    if ((oom = !g)) break;
                    kept = g;
                }
                kept_row *k = &kept[nkept];
                *k = (kept_row){.key = key, .order = order++, .span = r[i].span, .lat = lat, .lon = lon};
                snprintf(k->period, sizeof k->period, "%s", period);
                if (c->nev < CLUSTER_EVENTS) {
                    c->nev = n >= CLUSTER_EVENTS - c->nev ? CLUSTER_EVENTS : c->nev + (int)n;
                    c->ev[0] = c->nev == CLUSTER_EVENTS ? (int64_t)nkept : -1;
                }
                nkept++;
            }
            c->n += n, *total += n;
            for (int k = 1; k <= 4; k++) c->quad[k] += dy_col_int(st, 3 + k);
            c->dead += dy_col_int(st, 8);
            c->lat += n * llround(lat * NANODEG), c->lon += n * llround(lon * NANODEG);
        }
    }
    dy_stmt_free(st);
    *kept_out = kept, *nkept_out = nkept;
    return oom ? DYAD_ENOMEM : rc != DY_DONE ? DYAD_EIO : DYAD_OK;
}

/* Fills the first nc clusters' ev with their first events, read from their kept rows. */
static int places_listed(dyad_store *s, cluster *t, size_t nc, kept_row *kept, size_t nkept)
{
    qsort(kept, nkept, sizeof *kept, kept_cmp);
    dy_stmt *dated = dy_db_prepare(s->db, "SELECT id, date FROM events WHERE lat = ? AND lon = ? "
                                          "AND date >= ? AND date <= ? ORDER BY date, id LIMIT "
                                          DY_FTS_STR(CLUSTER_EVENTS_N), 1);
    dy_stmt *undated = dy_db_prepare(s->db, "SELECT id, '' FROM events WHERE lat = ? AND lon = ? "
                                            "AND date IS NULL ORDER BY id LIMIT "
                                            DY_FTS_STR(CLUSTER_EVENTS_N), 1);
    int rc = dated && undated ? DYAD_OK : DYAD_EIO;
    listed *cand = NULL;
    size_t capc = 0;
    for (size_t i = 0; i < nc && rc == DYAD_OK; i++) {
        cluster *c = &t[i];
        c->nev = 0;
        /* the cluster's kept rows: a range of kept, which is in cell order */
        size_t lo = 0, hi = nkept;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (kept[mid].key < c->key) lo = mid + 1;
            else hi = mid;
        }
        size_t ncand = 0;
        for (size_t k = lo; k < nkept && kept[k].key == c->key && rc == DYAD_OK; k++) {
            kept_row *row = &kept[k];
            dy_stmt *st = *row->period ? dated : undated;
            dy_stmt_reset(st);
            dy_bind_real(st, 1, row->lat);
            dy_bind_real(st, 2, row->lon);
            if (*row->period) {
                char from[11], to[11];
                snprintf(from, sizeof from, row->span == 2 ? "%.7s-01" : "%s", row->period);
                snprintf(to, sizeof to, row->span == 2 ? "%.7s-31" : "%s", row->period);
                dy_bind_text(st, 3, from, (size_t)-1);
                dy_bind_text(st, 4, to, (size_t)-1);
            }
            int r;
            while ((r = dy_step(st)) == DY_ROW) {
                if (ncand == capc) {
                    capc = capc ? 2 * capc : 64;
                    listed *g = realloc(cand, capc * sizeof *cand);
                    if (!g) {
                        rc = DYAD_ENOMEM;
                        break;
                    }
                    cand = g;
                }
                cand[ncand].id = dy_col_int(st, 0);
                snprintf(cand[ncand].date, sizeof cand[ncand].date, "%s", dy_col_text(st, 1));
                ncand++;
            }
            if (rc == DYAD_OK && r != DY_DONE) rc = DYAD_EIO;
        }
        qsort(cand, ncand, sizeof *cand, listed_cmp);
        for (size_t k = 0; k < ncand && c->nev < CLUSTER_EVENTS; k++) c->ev[c->nev++] = cand[k].id;
    }
    free(cand);
    dy_stmt_free(dated);
    dy_stmt_free(undated);
    return rc;
}

/* The matching located events grouped into cells of about CELL_PX pixels at q->zoom and
 * written as one GeoJSON FeatureCollection, largest clusters first: each a point at its
 * events' mean position with their count, counts per quad class, dead, and the first
 * CLUSTER_EVENTS events (id, story, date, root, PLOVER type, quad class) for the first
 * DETAIL_CLUSTERS clusters. Filtered by dates alone (a map of a period), the events are
 * counted from place_counts (places_counted); by anything else, read one by one
 * (places_scan). DYAD_STORE_PLACES=scan forces the scan (the tests compare the two). */
int dy_store_run_places(dyad_store *s, const dyad_store_query *q, const where *w, FILE *o,
                      dyad_error *err)
{
    int z = q->zoom < 0 ? 0 : q->zoom > 20 ? 20 : q->zoom;
    const char *env = getenv("DYAD_STORE_PLACES");
    int counted = s->place_counts && !q->country && !q->actor && !q->code && !q->root && !q->near &&
                  !q->text && !(env && !strcmp(env, "scan"));
    cluster_table ct = {0};
    long long total = 0;
    kept_row *kept = NULL;
    size_t nkept = 0;
    int rc = counted ? places_counted(s, q, z, &ct, &total, &kept, &nkept)
                     : places_scan(s, w, z, &ct, &total);
    /* the clusters packed at the front, largest first */
    size_t nc = 0;
    for (size_t i = 0; i < ct.cap; i++)
        if (ct.t[i].key >= 0) ct.t[nc++] = ct.t[i];
    cluster *t = ct.t;
    if (rc == DYAD_OK) {
        qsort(t, nc, sizeof *t, cluster_cmp);
        if (counted) {
            rc = places_listed(s, t, nc < DETAIL_CLUSTERS ? nc : DETAIL_CLUSTERS, kept, nkept);
            for (size_t i = DETAIL_CLUSTERS; i < nc; i++) t[i].nev = 0; /* ev was scratch */
        }
    }
    free(kept);
    dy_stmt *ev = rc == DYAD_OK ? dy_db_prepare(s->db, "SELECT event_id, story_id, date, root, event, "
                                                       "quad_class FROM events WHERE id = ?", 1)
                                : NULL;
    if (!ev) {
        free(t);
        if (rc == DYAD_ENOMEM) {
            if (err) *err = (dyad_error){.code = DYAD_ENOMEM, .message = "places: out of memory"};
            return DYAD_ENOMEM;
        }
        return dy_store_fail(s, err, "places");
    }
    dy_buf b = {0};
    dy_buf_printf(&b, "{\"type\":\"FeatureCollection\",\"zoom\":%d,\"events\":%lld,\"clusters\":%zu,"
                      "\"features\":[", z, total, nc);
    for (size_t i = 0; i < nc && !b.oom; i++) {
        cluster *c = &t[i];
        dy_buf_printf(&b, "%s{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":"
                          "[%.5f,%.5f]},\"properties\":{\"count\":%lld,\"quad\":[%lld,%lld,%lld,%lld],"
                          "\"dead\":%lld,\"events\":[",
                      i ? "," : "", (double)c->lon / (double)c->n / NANODEG,
                      (double)c->lat / (double)c->n / NANODEG, c->n, c->quad[1],
                      c->quad[2], c->quad[3], c->quad[4], c->dead);
        for (int k = 0; i < DETAIL_CLUSTERS && k < c->nev; k++) {
            dy_stmt_reset(ev);
            dy_bind_int(ev, 1, c->ev[k]);
            if (dy_step(ev) != DY_ROW) continue;
            static const char *const names[] = {"id", "story_id", "date", "root", "event", "quad_class"};
            for (int col = 0; col < 6; col++) {
                dy_buf_printf(&b, "%s\"%s\":", col ? "," : k ? ",{" : "{", names[col]);
                dy_put_json_col(&b, ev, col);
            }
            dy_buf_putc(&b, '}');
        }
        dy_buf_puts(&b, "]}}");
        if (b.n > 65536) { /* written as it grows */
            fwrite(b.p, 1, b.n, o);
            b.n = 0;
        }
    }
    dy_buf_puts(&b, "]}\n");
    int failed = b.oom;
    if (!failed) fwrite(b.p, 1, b.n, o);
    dy_buf_free(&b);
    dy_stmt_free(ev);
    free(t);
    if (failed) {
        if (err) *err = (dyad_error){.code = DYAD_ENOMEM, .message = "places: out of memory"};
        return DYAD_ENOMEM;
    }
    return ferror(o) ? DYAD_EIO : DYAD_OK;
}
