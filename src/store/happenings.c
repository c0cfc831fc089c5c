/*
 * happenings.c — one record per happening across stories: at each commit the events of every
 * root a batch touched are regrouped from the days it changed, in day-then-event-id order, so
 * the happenings are a function of the stored events alone, not of the order stories came in
 * (README "Happenings").
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
int dy_store_touch(dyad_store *s, int64_t hap)
{
    dy_stmt *q = dy_store_stmt(s, Q_TOUCH);
    if (!q) return -1;
    dy_bind_int(q, 1, hap);
    return dy_step(q) == DY_DONE ? 0 : -1;
}

/* Starts a happening of one event (an undated one, or one without a CAMEO root: those group
 * with nothing); placed when the event is material and located at place level. */
int dy_store_new_happening(dyad_store *s, const char *root, const char *skey, const char *tkey,
                         long day, int placed, double lat, double lon, int64_t *hap)
{
    dy_buf me = {0};
    dyad_pairs(skey, tkey, &me);
    dy_stmt *q = dy_store_stmt(s, Q_NEW_HAP);
    int rc = -1;
    if (q && !me.oom) {
        dy_store_bind_str(q, 1, root);
        dy_bind_text(q, 2, skey, (size_t)-1);
        dy_bind_text(q, 3, tkey, (size_t)-1);
        if (day != INT32_MIN) dy_bind_int(q, 4, day);
        if (placed) {
            dy_bind_real(q, 5, lat);
            dy_bind_real(q, 6, lon);
        }
        dy_bind_text(q, 7, me.p, me.n);
        rc = dy_step_id(q, hap) == DY_ROW && !dy_store_touch(s, *hap) ? 0 : -1;
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
    if (dy_grow((void **)&r->c, &r->capc, r->nc, sizeof *r->c, 64)) {
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
        dy_stmt *q = dy_store_stmt(s, Q_GROUP_ROWS);
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
    dy_stmt *q = dy_store_stmt(s, c->hap ? Q_HAP_SET : Q_NEW_HAP);
    if (!q) return -1;
    int n = 1;
    if (c->hap) dy_bind_int(q, n++, c->hap);
    else dy_store_bind_str(q, n++, root);
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
    return rc && !dy_store_touch(s, c->hap) ? 0 : -1;
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
            if (moved && dy_grow((void **)&r.m, &r.capm, r.nm, sizeof *r.m, 64)) {
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
            dy_stmt *q = dy_store_stmt(s, k);
            if (!q) goto out;
            dy_bind_int(q, 1, r.m[i].event);
            dy_bind_int(q, 2, to);
            if (dy_step(q) != DY_DONE) goto out;
        }
        if (r.m[i].from && dy_store_touch(s, r.m[i].from)) goto out;
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
        else if (dy_grow((void **)&change, &cap, n, sizeof *change, 64)) bad = 1;
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
        dy_store_forget_lookup(s);
        dy_db_exec(s->db, "ROLLBACK");
        s->in_txn = 0;
        s->pending = 0;
        return rc;
    }
    s->in_txn = 0;
    s->pending = 0;
    return DYAD_OK;
}
