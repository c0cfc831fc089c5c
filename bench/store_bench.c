/*
 * store_bench.c — `make bench`'s event-store figures: reads a JSON Lines corpus into memory,
 * codes it (code stories/s), codes and ingests it into a fresh store through the ingest
 * pipeline as `dyad ingest` does (ingest stories/s, the ratio to coding alone; 5 pairs of
 * runs taken in turns from the same stories in memory, wall and CPU time: the pipeline
 * stores on a second thread, so its CPU time counts both), then grows the store to a target number of events by storing the coded records
 * again under new story ids, each copy a week later (store-only events/s), and times typical
 * queries on the result (output discarded): a few over the whole store (medians of 3), then
 * the latency classes the store promises to serve fast (p95 under 50 ms at 1M events): for
 * each of the busiest countries (by place) and each year with events there, (a) the daily
 * series of the country-year, (b) the same for one CAMEO root, (c) pages of 100 events
 * (limit 100) of the country-year with a root, of an actor prefix (the country's code) in
 * the year, near the country's most frequent place (50 km) in the year, and of an FTS word in
 * the year, (d) the happenings of a week of the country; per class the median, p95 and max,
 * then the p95 over all these runs.
 * Usage: store_bench CORPUS.jsonl DB [EVENTS]   (EVENTS default 1000000; 0: no growth;
 * STORE_BATCH=N in the environment: stories per transaction)
 *        store_bench --queries DB              (only the query latencies, on a kept store:
 *                                               make bench-store BENCH_KEEP=1 keeps it)
 */
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "dyad.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One story and its coded records, owned. */
typedef struct kept {
    char *id, *date, *title, *source, *url, *text, *jsonl;
    size_t text_len, jsonl_len, events;
} kept;

static char *dup0(const char *s) { return s ? strdup(s) : NULL; }

/* YYYY-MM-DD shifted by days (0 <= days), written into out[11]. */
static void shift_date(const char *date, long days, char out[11])
{
    struct tm tm = {0};
    if (!date || sscanf(date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) {
        out[0] = 0;
        return;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_mday += (int)days;
    tm.tm_hour = 12;
    timegm(&tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The records of k as copy `rep`: ids suffixed, dates a week per copy later. */
static char *replica_jsonl(const kept *k, int rep, const char *sid, size_t *len)
{
    size_t cap = k->jsonl_len * 2 + 256, n = 0;
    char *out = malloc(cap);
    const char *p = k->jsonl, *end = k->jsonl + k->jsonl_len;
    while (out && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ln = nl ? (size_t)(nl - p) : (size_t)(end - p);
        json_t *o = json_loadb(p, ln, 0, NULL);
        p += ln + 1;
        if (!o) continue;
        char buf[512], d[11];
        const char *id = json_string_value(json_object_get(o, "id"));
        snprintf(buf, sizeof buf, "%s~%d", id ? id : "?", rep);
        json_object_set_new(o, "id", json_string(buf));
        json_object_set_new(o, "story_id", json_string(sid));
        const char *date = json_string_value(json_object_get(o, "date"));
        if (date) {
            shift_date(date, 7L * rep, d);
            if (*d) json_object_set_new(o, "date", json_string(d));
        }
        char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        if (!s) continue;
        size_t sl = strlen(s);
        if (n + sl + 2 > cap) {
            char *w = realloc(out, cap = (n + sl + 2) * 2);
            if (!w) {
                free(s);
                free(out);
                return NULL;
            }
            out = w;
        }
        memcpy(out + n, s, sl);
        n += sl;
        out[n++] = '\n';
        free(s);
    }
    *len = n;
    return out;
}

/* User + system CPU seconds of this process. */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* 4. query latency on the store s (file path): typical queries, then the country-years. */
static void run_queries(dyad_store *s, const char *path)
{
    dyad_error err = {0};
    /* 4. query latency */
    static const struct {
        const char *what;
        dyad_store_query q;
    } qs[] = {
        {"one root, one month", {.root = "19", .from = "1987-03-01", .to = "1987-03-31"}},
        {"actor RUS, limit 1000", {.actor = "RUS", .limit = 1000}},
        {"near Kharkiv 50 km", {.near = 1, .lat = 49.98, .lon = 36.25, .km = 50}},
        {"text 'shelled', limit 1000", {.text = "shelled", .limit = 1000}},
        {"happenings of one week", {.happenings = 1, .from = "1987-03-02", .to = "1987-03-08"}},
        {"time series by month, all", {.by = "month"}},
        {"gdelt export, one day", {.format = "gdelt", .from = "1987-03-02", .to = "1987-03-02"}},
    };
    FILE *null = fopen("/dev/null", "w");
    for (size_t k = 0; k < sizeof qs / sizeof *qs; k++) {
        double ms[3];
        for (int i = 0; i < 3; i++) {
            double a = now_s();
            if (dyad_store_query_run(s, &qs[k].q, null, &err)) fprintf(stderr, "%s\n", err.message);
            ms[i] = (now_s() - a) * 1000;
        }
        qsort(ms, 3, sizeof *ms, cmp_d);
        printf("store: query %-28s %9.1f ms (median of 3)\n", qs[k].what, ms[1]);
    }

    /* country-years: the busiest countries and the years with events there */
    /* the target's classes (over a country-year, or a week of a country) come first; the
     * last three filter a year of every country (no country), reported beside them */
    enum { NC = 8, NY = 12, NCLASS = 10, NTARGET = 7 };
    static const char *const cname[NCLASS] = {
        "a  series by day, country-year", "b  series by day, country-year, root",
        "c1 events country-year + root, limit 100", "c2 events country-year + actor, limit 100",
        "c3 events country-year + near 50 km, limit 100", "c4 events country-year + word, limit 100",
        "d  happenings, country, one week", "y2 events year + actor prefix, limit 100",
        "y3 events year + near 50 km, limit 100", "y4 events year + FTS word, limit 100"};
    static const char *const words[] = {"talks", "oil", "strike", "agreement", "prices", "said"};
    char cc[NC][8], years[NC][NY][5], top_root[8] = "04";
    double place[NC][2];
    int nc = 0, ny[NC] = {0}, has_place[NC] = {0};
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT root FROM events WHERE root IS NOT NULL GROUP BY root "
                               "ORDER BY count(*) DESC LIMIT 1", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            snprintf(top_root, sizeof top_root, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    if (db && sqlite3_prepare_v2(db, "SELECT country_code FROM events WHERE country_code <> '' "
                                     "GROUP BY 1 ORDER BY count(*) DESC LIMIT 8", -1, &st, NULL) == SQLITE_OK) {
        while (nc < NC && sqlite3_step(st) == SQLITE_ROW)
            snprintf(cc[nc++], sizeof cc[0], "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    for (int i = 0; db && i < nc; i++) {
        /* the years with at least 1% of the country's events (stray dates aside) */
        if (sqlite3_prepare_v2(db, "SELECT substr(date, 1, 4) y FROM events WHERE country_code = ?1 "
                                   "AND date IS NOT NULL GROUP BY y HAVING count(*) * 100 >= "
                                   "(SELECT count(*) FROM events WHERE country_code = ?1) ORDER BY y",
                               -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, cc[i], -1, SQLITE_STATIC);
            while (ny[i] < NY && sqlite3_step(st) == SQLITE_ROW)
                snprintf(years[i][ny[i]++], 5, "%s", (const char *)sqlite3_column_text(st, 0));
            sqlite3_finalize(st);
        }
        if (sqlite3_prepare_v2(db, "SELECT lat, lon FROM events WHERE country_code = ? AND "
                                   "geo_precision = 'place' GROUP BY lat, lon ORDER BY count(*) "
                                   "DESC LIMIT 1", -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, cc[i], -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW) {
                has_place[i] = 1;
                place[i][0] = sqlite3_column_double(st, 0);
                place[i][1] = sqlite3_column_double(st, 1);
            }
            sqlite3_finalize(st);
        }
    }
    sqlite3_close(db);
    size_t cap_ms = (size_t)NC * NY * 2 + 1, nall = 0, nyear = 0, nk[NCLASS] = {0};
    double *all = malloc(cap_ms * NCLASS * sizeof *all), *year = malloc(cap_ms * NCLASS * sizeof *year), *per[NCLASS];
    for (int k = 0; k < NCLASS; k++) per[k] = malloc(cap_ms * sizeof *per[k]);
    printf("store: country-years:");
    for (int i = 0; i < nc; i++) printf(" %s %s-%s (%d)", cc[i], ny[i] ? years[i][0] : "-",
                                        ny[i] ? years[i][ny[i] - 1] : "-", ny[i]);
    printf("; root %s\n", top_root);
    int wi = 0;
    for (int i = 0; i < nc; i++)
        for (int y = 0; y < ny[i]; y++) {
            char from[11], to[11], wfrom[11], wto[11];
            snprintf(from, sizeof from, "%s-01-01", years[i][y]);
            snprintf(to, sizeof to, "%s-12-31", years[i][y]);
            snprintf(wfrom, sizeof wfrom, "%s-06-01", years[i][y]);
            snprintf(wto, sizeof wto, "%s-06-07", years[i][y]);
            const char *word = words[wi++ % (sizeof words / sizeof *words)];
            const char *other = cc[(i + 1) % nc]; /* another busy country's actors */
            dyad_store_query q[NCLASS] = {
                {.by = "day", .country = cc[i], .from = from, .to = to},
                {.by = "day", .country = cc[i], .from = from, .to = to, .root = top_root},
                {.country = cc[i], .from = from, .to = to, .root = top_root, .limit = 100},
                {.country = cc[i], .actor = other, .from = from, .to = to, .limit = 100},
                {.country = cc[i], .near = 1, .lat = place[i][0], .lon = place[i][1], .km = 50, .from = from, .to = to, .limit = 100},
                {.country = cc[i], .text = word, .from = from, .to = to, .limit = 100},
                {.happenings = 1, .country = cc[i], .from = wfrom, .to = wto},
                {.actor = cc[i], .from = from, .to = to, .limit = 100},
                {.near = 1, .lat = place[i][0], .lon = place[i][1], .km = 50, .from = from, .to = to, .limit = 100},
                {.text = word, .from = from, .to = to, .limit = 100},
            };
            for (int k = 0; k < NCLASS; k++) {
                if ((k == 4 || k == 8) && !has_place[i]) continue;
                double a = now_s();
                if (dyad_store_query_run(s, &q[k], null, &err)) fprintf(stderr, "%s\n", err.message);
                double ms = (now_s() - a) * 1000;
                per[k][nk[k]++] = ms;
                if (k < NTARGET) all[nall++] = ms;
                else year[nyear++] = ms;
            }
        }
    for (int k = 0; k < NCLASS; k++) {
        if (!nk[k]) continue;
        qsort(per[k], nk[k], sizeof *per[k], cmp_d);
        printf("store: latency %-46s n %3zu  median %7.1f ms  p95 %7.1f ms  max %7.1f ms\n", cname[k],
               nk[k], per[k][nk[k] / 2], per[k][(size_t)(0.95 * (nk[k] - 1) + 0.5)], per[k][nk[k] - 1]);
    }
    if (nall) {
        qsort(all, nall, sizeof *all, cmp_d);
        printf("store: latency country-year classes a-d: n %zu  median %.1f ms  p95 %.1f ms  max %.1f ms"
               "  (target: p95 under 50 ms)\n",
               nall, all[nall / 2], all[(size_t)(0.95 * (nall - 1) + 0.5)], all[nall - 1]);
    }
    if (nyear) {
        qsort(year, nyear, sizeof *year, cmp_d);
        printf("store: latency year-wide classes y2-y4:   n %zu  median %.1f ms  p95 %.1f ms  max %.1f ms\n",
               nyear, year[nyear / 2], year[(size_t)(0.95 * (nyear - 1) + 0.5)], year[nyear - 1]);
    }
    for (int k = 0; k < NCLASS; k++) free(per[k]);
    free(all);
    free(year);
    fclose(null);
}

/* A story the pipeline could not store (none are expected). */
static void bench_report(void *ctx, const dyad_ingest_outcome *o)
{
    if (o->rc != DYAD_OK) {
        fprintf(stderr, "store_bench: %s\n", o->message);
        ++*(int *)ctx;
    }
}

/* Codes and stores the stories as `dyad ingest` does (dyad_ingest_*); nonzero on a failure. */
static int ingest_all(dyad_store *s, const dyad_dict *d, const kept *ks, size_t n)
{
    dyad_error err = {0};
    int bad = 0;
    dyad_ingest *p = dyad_ingest_start(s, d, NULL, 1, bench_report, &bad, &err); /* one coder */
    for (size_t i = 0; p && i < n && !bad; i++) {
        const kept *k = &ks[i];
        dyad_story st = {k->id, k->date, k->title, k->text, k->text_len, k->url, k->source, NULL, 0, 0};
        if (dyad_ingest_story(p, &st, &err)) bad++;
    }
    if (!p || dyad_ingest_finish(p, &err)) {
        fprintf(stderr, "store_bench: %s\n", err.message);
        bad++;
    }
    return bad;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* each figure as it is measured, also into a file */
    if (argc < 3) {
        fprintf(stderr, "usage: store_bench CORPUS.jsonl DB [EVENTS]\n"
                        "       store_bench --queries DB   (the query latencies of a kept store)\n");
        return 2;
    }
    if (!strcmp(argv[1], "--queries")) {
        dyad_error err = {0};
        dyad_store_options ro = {.read_only = 1};
        dyad_store *s = dyad_store_open(argv[2], &ro, &err);
        if (!s) {
            fprintf(stderr, "store_bench: %s\n", err.message);
            return 3;
        }
        run_queries(s, argv[2]);
        dyad_store_close(s, &err);
        return 0;
    }
    long target = argc > 3 ? atol(argv[3]) : 1000000;
    dyad_error err = {0};
    dyad_dict *d = dyad_dict_new(NULL, NULL, 0);
    if (!d || dyad_dict_load_builtin(d, &err) || dyad_dict_finish(d, &err)) {
        fprintf(stderr, "store_bench: dictionaries: %s\n", err.message);
        return 3;
    }
    dyad_coder *c = dyad_coder_new(d, NULL);
    FILE *in = fopen(argv[1], "rb");
    if (!c || !in) {
        perror(argv[1]);
        return 3;
    }
    /* the stories, read once: both timings below start from them in memory */
    size_t n = 0, cap = 1024, events = 0;
    kept *ks = malloc(cap * sizeof *ks);
    dyad_reader *r = dyad_reader_open(in, argv[1], DYAD_FORMAT_JSONL, NULL, 0);
    for (;;) {
        dyad_story st;
        int rc = dyad_reader_next(r, &st, &err);
        if (rc == DYAD_DONE) break;
        if (rc != DYAD_OK || !st.id) continue;
        if (n == cap) ks = realloc(ks, (cap *= 2) * sizeof *ks);
        kept *k = &ks[n++];
        *k = (kept){dup0(st.id), dup0(st.date), dup0(st.title), dup0(st.source), dup0(st.url),
                    malloc(st.text_len + 1), NULL, st.text_len, 0, 0};
        memcpy(k->text, st.text, st.text_len);
        k->text[st.text_len] = 0;
    }
    dyad_reader_close(r);
    fclose(in);

    /* 1. coding alone and 2. coding + ingest into a new store as `dyad ingest` does, taken
     * in turns (code, ingest, code, ingest, ...) so that a machine whose speed drifts during
     * the run weighs on both alike: each ratio is of one pair, and the medians are over the
     * pairs. Wall time and CPU time (user + system: what steal from other guests of a virtual
     * machine does not inflate) are both reported. The first coding pass keeps the records;
     * the last store is kept and grown below. */
    enum { PAIRS = 5 };
    double t_code[PAIRS], t_ingest[PAIRS], c_code[PAIRS], c_ingest[PAIRS], r_wall[PAIRS], r_cpu[PAIRS];
    dyad_store *s = NULL;
    dyad_store_options so = {.batch = getenv("STORE_BATCH") ? atoi(getenv("STORE_BATCH")) : 0};
    for (int rep = 0; rep < PAIRS; rep++) {
        double t0 = now_s(), c0 = cpu_s();
        for (size_t i = 0; i < n; i++) {
            kept *k = &ks[i];
            dyad_story st = {k->id, k->date, k->title, k->text, k->text_len, k->url, k->source, NULL, 0, 0};
            size_t len = 0;
            const char *j = "";
            if (dyad_story_code(c, &st, &err) == DYAD_OK) j = dyad_coder_jsonl(c, &len);
            if (rep) continue;
            k->jsonl = malloc(len + 1);
            memcpy(k->jsonl, j, len);
            k->jsonl[len] = 0;
            k->jsonl_len = len;
            k->events = dyad_coder_event_count(c);
            events += k->events;
        }
        t_code[rep] = now_s() - t0;
        c_code[rep] = cpu_s() - c0;

        if (s) dyad_store_close(s, &err);
        unlink(argv[2]);
        char wal[4096];
        snprintf(wal, sizeof wal, "%s-wal", argv[2]);
        unlink(wal);
        snprintf(wal, sizeof wal, "%s-shm", argv[2]);
        unlink(wal);
        if (!(s = dyad_store_open(argv[2], &so, &err))) {
            fprintf(stderr, "store_bench: %s\n", err.message);
            return 3;
        }
        t0 = now_s(), c0 = cpu_s();
        if (ingest_all(s, d, ks, n)) return 3;
        t_ingest[rep] = now_s() - t0;
        c_ingest[rep] = cpu_s() - c0;
        r_wall[rep] = t_code[rep] / t_ingest[rep];
        r_cpu[rep] = c_code[rep] / c_ingest[rep];
    }
    qsort(t_code, PAIRS, sizeof *t_code, cmp_d);
    qsort(t_ingest, PAIRS, sizeof *t_ingest, cmp_d);
    qsort(c_code, PAIRS, sizeof *c_code, cmp_d);
    qsort(c_ingest, PAIRS, sizeof *c_ingest, cmp_d);
    qsort(r_wall, PAIRS, sizeof *r_wall, cmp_d);
    qsort(r_cpu, PAIRS, sizeof *r_cpu, cmp_d);
    printf("store: corpus %zu stories, %zu events\n", n, events);
    printf("store: code alone            %8.0f stories/s  (median of %d: %.2f s wall, %.2f s CPU)\n",
           n / t_code[PAIRS / 2], PAIRS, t_code[PAIRS / 2], c_code[PAIRS / 2]);
    printf("store: code + ingest         %8.0f stories/s  (median of %d: %.2f s wall, %.2f s CPU)\n",
           n / t_ingest[PAIRS / 2], PAIRS, t_ingest[PAIRS / 2], c_ingest[PAIRS / 2]);
    printf("store: ingest / code alone   %7.0f%% wall, %.0f%% CPU  (medians of %d pairs; pairs %.0f-%.0f%% "
           "wall; target 80%%)\n",
           100 * r_wall[PAIRS / 2], 100 * r_cpu[PAIRS / 2], PAIRS, 100 * r_wall[0], 100 * r_wall[PAIRS - 1]);
    double t0 = now_s();
    if (ingest_all(s, d, ks, n)) return 3;
    double t_again = now_s() - t0;
    printf("store: ingest again (no-op)  %8.0f stories/s  (%.2f s)\n", n / t_again, t_again);

    /* 3. grow to the target by copies of the coded records */
    long stored = (long)events;
    int rep = 0;
    double t_store = 0;
    long grown_events = 0, grown_stories = 0;
    while (stored < target && events > 0) {
        rep++;
        for (size_t i = 0; i < n && stored < target; i++) {
            kept *k = &ks[i];
            if (!k->events) continue;
            char sid[512];
            snprintf(sid, sizeof sid, "%s~%d", k->id, rep);
            char d[11];
            shift_date(k->date, 7L * rep, d);
            size_t len = 0;
            char *j = replica_jsonl(k, rep, sid, &len);
            if (!j) return 3;
            dyad_story st = {sid, *d ? d : NULL, k->title, k->text, k->text_len, k->url, k->source, NULL, 0, 0};
            double t1 = now_s();
            if (dyad_store_ingest(s, &st, j, len, NULL, &err)) {
                fprintf(stderr, "store_bench: %s\n", err.message);
                return 3;
            }
            t_store += now_s() - t1;
            free(j);
            stored += (long)k->events;
            grown_events += (long)k->events;
            grown_stories++;
        }
        if (rep % 20 == 0) fprintf(stderr, "store_bench: %ld events stored\n", stored);
    }
    double t1 = now_s();
    dyad_store_commit(s, &err);
    t_store += now_s() - t1;
    if (grown_events)
        printf("store: store only (copies)   %8.0f stories/s, %.0f events/s  (%ld events in %.1f s)\n",
               grown_stories / t_store, grown_events / t_store, grown_events, t_store);
    dyad_store_stats(s, stdout, &err);

    /* queried as `dyad query` does: a read-only handle of its own */
    dyad_store_close(s, &err);
    dyad_store_options ro = {.read_only = 1};
    if (!(s = dyad_store_open(argv[2], &ro, &err))) {
        fprintf(stderr, "store_bench: %s\n", err.message);
        return 3;
    }
    run_queries(s, argv[2]);
    dyad_store_close(s, &err);
    for (size_t i = 0; i < n; i++) {
        kept *k = &ks[i];
        free(k->id), free(k->date), free(k->title), free(k->source), free(k->url), free(k->text), free(k->jsonl);
    }
    free(ks);
    dyad_coder_free(c);
    dyad_dict_free(d);
    return 0;
}
