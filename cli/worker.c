/*
 * worker.c — `dyad worker`: takes stories from a Redis stream as one consumer of a group
 * (XREADGROUP), codes each batch, stores it in one transaction through the store's
 * idempotent ingest (dyad_store_ingest: id + content hash), and only then acknowledges it
 * (XACK). Entries a dead consumer left pending are claimed (XAUTOCLAIM); entries delivered
 * too often, or that cannot be read or coded, go to a dead-letter stream with the reason.
 * At-least-once delivery plus the idempotent store gives each story stored exactly once.
 * Reports progress and lag on stderr and, with --metrics, as Prometheus text over HTTP.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "stream.h"

enum { EXIT_USAGE = 2, EXIT_FATAL = 3 };

/* Recent end-to-end lags kept for the quantiles reported (a ring). */
enum { LAGS = 10000 };

static const char usage_worker[] =
    "usage: dyad worker --redis URL --stream S --group G --db PATH|URI [OPTIONS]\n"
    "\n"
    "Takes stories that 'dyad enqueue' added to the Redis stream S, as one consumer of the\n"
    "group G (made when missing), codes them and stores each batch in one transaction in the\n"
    "store --db (as 'dyad ingest': a story stored with the same content is skipped), then\n"
    "acknowledges the batch. Entries a dead consumer left pending for --claim-after ms are\n"
    "claimed; an entry delivered more than --max-failures times, or that cannot be read or\n"
    "coded, is added to the dead-letter stream with the reason and acknowledged. Runs until\n"
    "SIGTERM or SIGINT, which let it finish, store and acknowledge the batch in hand.\n"
    "\n"
    "Options:\n"
    "  --redis URL            redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] or unix://PATH[?db=N]\n"
    "  --stream S             the stream's key (required)\n"
    "  --group G              the consumer group (required)\n"
    "  --db PATH|URI          the store: an SQLite file or a postgresql:// URI (required)\n"
    "  --consumer NAME        this worker's name in the group (default HOST-PID)\n"
    "  --batch N              entries per read and per transaction (1-10000; default 100)\n"
    "  --claim-after MS       claim entries pending this long with another consumer\n"
    "                         (100-86400000; default 60000)\n"
    "  --max-failures N       dead-letter an entry delivered more than N times (1-1000;\n"
    "                         default 5)\n"
    "  --dead-letter STREAM   the dead-letter stream (default S:dead)\n"
    "  --metrics ADDR         serve Prometheus text at http://ADDR/metrics (HOST:PORT, :PORT\n"
    "                         or PORT; port 0 picks a free one, named on stderr)\n"
    "  --progress SECONDS     a progress line on stderr every SECONDS (1-86400; by default\n"
    "                         only when stderr is a terminal)\n"
    "  --once                 process one batch (or none) and exit\n"
    "  --exit-when-empty      exit once the group has nothing undelivered or pending\n"
    "  --dict DIR, --add-dict DIR   dictionaries, as for 'dyad code'\n"
    "  --days N, --km KM, --full-codes   happenings, as for 'dyad ingest'\n"
    "  --quiet                no progress or summary on stderr\n"
    "  -h, --help             this help\n"
    "Exit status: 0 stopped (signal, --once, --exit-when-empty), 2 usage error, 3 fatal (the\n"
    "store or Redis unreachable at the start, out of memory, or stopped while the store was\n"
    "failing: that batch stays pending and is claimed later).\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

/* What becomes of an entry of the batch. */
enum { E_STORE, E_SAME, E_DEAD, E_SKIP };

typedef struct entry {
    const char *sid;        /* the stream entry's id ("1700000000000-0"), in the reply */
    long long deliveries;
    const redisReply *fields; /* name, value, ...; NULL for an entry deleted from the stream */
    dyad_story st;          /* its strings in the reply */
    int state, what;
    char *jsonl;            /* the coder's records (E_STORE) */
    size_t jsonl_len, events;
    char reason[320];       /* why it goes to the dead-letter stream */
} entry;

/* The counters and gauges progress lines and the metrics page show. */
typedef struct worker_stats {
    unsigned long long fresh, changed, same, dead, events, batches, claimed, errors;
    long long length, pending, lag;   /* the stream and the group, as last read */
    double lags[LAGS];                /* end-to-end lag of recent stories, seconds */
    unsigned long long nlag;
    double lag_sum, rate;             /* rate: stories/s over the last interval */
} worker_stats;

typedef struct worker {
    stream_conn sc;
    const char *key, *group, *consumer, *dead, *db;
    long batch, claim_after, max_failures, progress_every;
    int quiet, once, exit_when_empty, tty;
    dyad_store_options so;
    dyad_store *store;
    dyad_coder *coder;
    pthread_mutex_t mu; /* guards st against the metrics thread */
    worker_stats st;
    double t0, last_report, last_refresh;
    unsigned long long refresh_base; /* stories at the last refresh (the rate's start) */
    int metrics_fd;
    pthread_t metrics_thread;
} worker;

static unsigned long long stories_done(const worker_stats *s)
{
    return s->fresh + s->changed + s->same + s->dead;
}

/* ==== reading entries ==================================================================== */

/* The value of field name in an entry's name/value list, or NULL. */
static const redisReply *field(const redisReply *fields, const char *name)
{
    for (size_t k = 0; fields && k + 1 < fields->elements; k += 2)
        if (fields->element[k]->type == REDIS_REPLY_STRING && !strcmp(fields->element[k]->str, name))
            return fields->element[k + 1]->type == REDIS_REPLY_STRING ? fields->element[k + 1] : NULL;
    return NULL;
}

/* Offset of the first byte of s that is not UTF-8, or n when all is. */
static size_t utf8_bad_at(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t k = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 && c >= 0xC2 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 && c <= 0xF4 ? 3 : 9;
        if (k == 9 || i + k >= n + (k == 0)) return i;
        for (size_t j = 1; j <= k; j++)
            if ((s[i + j] & 0xC0) != 0x80) return i;
        /* overlong three-byte forms, surrogates, and code points past U+10FFFF */
        if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] >= 0xA0) ||
            (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] >= 0x90))
            return i;
        i += k + 1;
    }
    return n;
}

/* Fills e->st from the entry's fields, or says in e->reason why it is not a story. The
 * checks are the reader's, for entries that did not come through `dyad enqueue`. */
static int read_story(entry *e)
{
    const redisReply *id = field(e->fields, "id"), *text = field(e->fields, "text");
    const redisReply *date = field(e->fields, "date"), *line = field(e->fields, "line");
    const redisReply *file = field(e->fields, "file");
    dyad_story *st = &e->st;
    memset(st, 0, sizeof *st);
    st->file = file ? file->str : NULL;
    st->line = line ? (size_t)stream_int(line, 0) : 0;
    if (!id || !id->len) return snprintf(e->reason, sizeof e->reason, "no \"id\" field: not a story"), -1;
    if (!text) return snprintf(e->reason, sizeof e->reason, "no \"text\" field: not a story"), -1;
    if (memchr(text->str, 0, text->len))
        return snprintf(e->reason, sizeof e->reason, "field \"text\" holds NUL bytes: not text"), -1;
    size_t bad = utf8_bad_at((const unsigned char *)text->str, text->len);
    if (bad < text->len)
        return snprintf(e->reason, sizeof e->reason, "field \"text\" is not UTF-8 (byte %zu)", bad), -1;
    char why[128];
    if (date && date->len && dyad_date_check(date->str, date->len, why, sizeof why))
        return snprintf(e->reason, sizeof e->reason, "field \"date\": '%.40s' is not a date: %s", date->str, why), -1;
    const redisReply *title = field(e->fields, "title"), *src = field(e->fields, "source"), *url = field(e->fields, "url");
    st->id = id->str;
    st->date = date && date->len ? date->str : NULL;
    st->title = title ? title->str : NULL;
    st->source = src ? src->str : NULL;
    st->url = url ? url->str : NULL;
    st->text = text->str;
    st->text_len = text->len;
    return 0;
}

/* The entries of an XREADGROUP reply ([[key, [[id, fields], ...]]]) or of XAUTOCLAIM's list
 * ([[id, fields], ...]) into e; how many. */
static size_t take_entries(const redisReply *list, entry *e, size_t cap, long long deliveries)
{
    size_t n = 0;
    for (size_t i = 0; list && list->type == REDIS_REPLY_ARRAY && i < list->elements && n < cap; i++) {
        const redisReply *x = list->element[i];
        if (x->type != REDIS_REPLY_ARRAY || x->elements < 2 || x->element[0]->type != REDIS_REPLY_STRING) continue;
        memset(&e[n], 0, sizeof e[n]);
        e[n].sid = x->element[0]->str;
        e[n].fields = x->element[1]->type == REDIS_REPLY_ARRAY ? x->element[1] : NULL;
        e[n].deliveries = deliveries;
        n++;
    }
    return n;
}

/* The stream's entries of an XREADGROUP reply, or NULL (none, or a timeout). */
static const redisReply *read_list(const redisReply *r)
{
    if (!r || r->type != REDIS_REPLY_ARRAY || !r->elements) return NULL;
    const redisReply *s = r->element[0];
    return s->type == REDIS_REPLY_ARRAY && s->elements == 2 ? s->element[1] : NULL;
}

/* Sets the delivery counts of entries e[0..n) (pending with this consumer, in id order)
 * from XPENDING. */
static void delivery_counts(worker *w, entry *e, size_t n)
{
    if (!n) return;
    char count[24];
    snprintf(count, sizeof count, "%zu", n);
    redisReply *r = stream_cmdf(&w->sc, "XPENDING %s %s %s %s %s %s", w->key, w->group, e[0].sid,
                                e[n - 1].sid, count, w->consumer);
    size_t j = 0;
    for (size_t i = 0; r && r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        const redisReply *p = r->element[i];
        if (p->type != REDIS_REPLY_ARRAY || p->elements < 4) continue;
        while (j < n && strcmp(e[j].sid, p->element[0]->str)) j++;
        if (j < n) e[j].deliveries = stream_int(p->element[3], e[j].deliveries);
    }
    if (r) freeReplyObject(r);
}

/* ==== the store ========================================================================== */

/* Opens the store, or says why not. */
static int open_store(worker *w, int quiet_fail)
{
    dyad_error err = {0};
    w->store = dyad_store_open(w->db, &w->so, &err);
    if (!w->store && !quiet_fail) fprintf(stderr, "dyad worker: %s\n", err.message);
    return w->store ? 0 : -1;
}

/* Stores the batch's coded stories in one transaction, retrying (with a new connection,
 * pausing up to 5 s) while the store fails. 0, or -1 once stopped while it still fails. */
static int store_batch(worker *w, entry *e, size_t n)
{
    double pause = 200;
    for (;;) {
        dyad_error err = {0};
        int rc = w->store ? DYAD_OK : DYAD_EIO;
        if (!w->store && open_store(w, 1) == 0) rc = DYAD_OK;
        else if (!w->store) snprintf(err.message, sizeof err.message, "cannot open %s", w->db);
        for (size_t i = 0; i < n && rc == DYAD_OK; i++) {
            if (e[i].state != E_STORE) continue;
            rc = dyad_store_ingest(w->store, &e[i].st, e[i].jsonl, e[i].jsonl_len, &e[i].what, &err);
            if (rc == DYAD_EINPUT) { /* nothing of it was stored; the batch goes on */
                e[i].state = E_DEAD;
                snprintf(e[i].reason, sizeof e[i].reason, "not stored: %s", err.message);
                rc = DYAD_OK;
            }
        }
        if (rc == DYAD_OK) rc = dyad_store_commit(w->store, &err);
        if (rc == DYAD_OK) return 0;
        /* the batch was rolled back: none of it is stored, nothing is acknowledged */
        pthread_mutex_lock(&w->mu);
        w->st.errors++;
        pthread_mutex_unlock(&w->mu);
        fprintf(stderr, "dyad worker %s: store: %s; trying again in %.1f s\n", w->consumer, err.message, pause / 1e3);
        dyad_store_close(w->store, NULL);
        w->store = NULL;
        stream_sleep(pause, &stop);
        if (stop) return -1;
        pause = pause < 5000 ? pause * 2 : 5000;
    }
}

/* ==== acknowledging ====================================================================== */

/* Adds a dead entry to the dead-letter stream and acknowledges it, in one MULTI/EXEC. */
static void dead_letter(worker *w, const entry *e)
{
    char deliveries[24];
    snprintf(deliveries, sizeof deliveries, "%lld", e->deliveries);
    const char *argv[16 + 2 * SF_COUNT];
    size_t lens[16 + 2 * SF_COUNT];
    int argc = 0;
#define ARG(s, n) (argv[argc] = (s), lens[argc++] = (n))
#define STR(s) ARG((s), strlen(s))
    STR("XADD"), STR(w->dead), STR("*");
    STR("stream_id"), STR(e->sid), STR("stream"), STR(w->key), STR("group"), STR(w->group);
    STR("consumer"), STR(w->consumer), STR("deliveries"), STR(deliveries), STR("reason"), STR(e->reason);
    for (int f = 0; f < SF_COUNT; f++) {
        const redisReply *v = field(e->fields, stream_fields[f]);
        if (v) STR(stream_fields[f]), ARG(v->str, v->len);
    }
#undef STR
#undef ARG
    char *cmd[4] = {0};
    int len[4], ok = 1;
    len[0] = redisFormatCommand(&cmd[0], "MULTI");
    len[1] = redisFormatCommandArgv(&cmd[1], argc, argv, lens);
    len[2] = redisFormatCommand(&cmd[2], "XACK %s %s %s", w->key, w->group, e->sid);
    len[3] = redisFormatCommand(&cmd[3], "EXEC");
    for (int i = 0; i < 4; i++) ok &= len[i] > 0;
    size_t total = 0;
    for (int i = 0; ok && i < 4; i++) total += (size_t)len[i];
    char *all = ok ? malloc(total) : NULL;
    if (all) {
        size_t at = 0;
        for (int i = 0; i < 4; i++) memcpy(all + at, cmd[i], (size_t)len[i]), at += (size_t)len[i];
        /* four replies: +OK, +QUEUED, +QUEUED, then EXEC's array */
        redisReply *r[4] = {0};
        for (;;) {
            redisContext *c = w->sc.c;
            int got = 0;
            if (c && redisAppendFormattedCommand(c, all, total) == REDIS_OK)
                while (got < 4 && redisGetReply(c, (void **)&r[got]) == REDIS_OK && r[got]) got++;
            int done = got == 4;
            for (int i = 0; i < got; i++) freeReplyObject(r[i]);
            if (done || stream_reconnect(&w->sc)) break;
        }
        free(all);
    }
    for (int i = 0; i < 4; i++)
        if (cmd[i]) redisFreeCommand(cmd[i]);
}

/* Acknowledges the batch's entries that are not dead letters (those were, with their XADD). */
static void ack(worker *w, const entry *e, size_t n)
{
    const char **argv = malloc((n + 3) * sizeof *argv);
    size_t *lens = malloc((n + 3) * sizeof *lens);
    int argc = 3;
    if (!argv || !lens) goto out;
    argv[0] = "XACK", argv[1] = w->key, argv[2] = w->group;
    for (size_t i = 0; i < n; i++)
        if (e[i].state != E_DEAD) argv[argc++] = e[i].sid;
    for (int i = 0; i < argc; i++) lens[i] = strlen(argv[i]);
    if (argc > 3) {
        redisReply *r = stream_cmd(&w->sc, argc, argv, lens);
        if (r) freeReplyObject(r);
    }
out:
    free(argv);
    free(lens);
}

/* ==== lag, progress and metrics ========================================================== */

/* The milliseconds of a stream id ("1700000000000-3"). */
static double id_ms(const char *sid)
{
    return strtod(sid, NULL);
}

/* Compares two entry ids ("MS-SEQ") as numbers. */
static int id_cmp(const char *a, const char *b)
{
    unsigned long long am = strtoull(a, NULL, 10), bm = strtoull(b, NULL, 10);
    if (am != bm) return am < bm ? -1 : 1;
    const char *ad = strchr(a, '-'), *bd = strchr(b, '-');
    unsigned long long as = ad ? strtoull(ad + 1, NULL, 10) : 0, bs = bd ? strtoull(bd + 1, NULL, 10) : 0;
    return as < bs ? -1 : as > bs;
}

/* Reads the stream's length and the group's pending entries and lag; then trims from the
 * stream the entries every group has acknowledged (below the oldest pending or undelivered
 * entry of any group), so that a stream that is consumed does not grow. */
static void refresh(worker *w)
{
    long long length = -1, pending = -1, lag = -1;
    char minid[64] = "";
    redisReply *len = stream_cmdf(&w->sc, "XLEN %s", w->key);
    if (len) length = stream_int(len, -1), freeReplyObject(len);
    redisReply *g = stream_cmdf(&w->sc, "XINFO GROUPS %s", w->key);
    int trim = g && g->type == REDIS_REPLY_ARRAY && g->elements > 0;
    for (size_t i = 0; g && g->type == REDIS_REPLY_ARRAY && i < g->elements; i++) {
        const redisReply *x = g->element[i];
        const redisReply *name = field(x, "name"), *last = field(x, "last-delivered-id");
        long long gp = -1, gl = -1;
        for (size_t k = 0; x->type == REDIS_REPLY_ARRAY && k + 1 < x->elements; k += 2) {
            if (!strcmp(x->element[k]->str, "pending")) gp = stream_int(x->element[k + 1], -1);
            if (!strcmp(x->element[k]->str, "lag")) gl = stream_int(x->element[k + 1], -1);
        }
        if (name && !strcmp(name->str, w->group)) pending = gp, lag = gl;
        /* the oldest entry this group still needs */
        char need[64] = "";
        if (gp > 0 && name) {
            redisReply *p = stream_cmdf(&w->sc, "XPENDING %s %s", w->key, name->str);
            if (p && p->type == REDIS_REPLY_ARRAY && p->elements >= 2 && p->element[1]->type == REDIS_REPLY_STRING)
                snprintf(need, sizeof need, "%s", p->element[1]->str);
            if (p) freeReplyObject(p);
        } else if (last) {
            snprintf(need, sizeof need, "%s", last->str); /* kept itself: harmless */
        }
        if (!need[0]) trim = 0;
        else if (!minid[0] || id_cmp(need, minid) < 0) snprintf(minid, sizeof minid, "%s", need);
    }
    if (g) freeReplyObject(g);
    if (trim && minid[0] && strcmp(minid, "0-0")) {
        redisReply *t = stream_cmdf(&w->sc, "XTRIM %s MINID %s", w->key, minid);
        if (t) freeReplyObject(t);
    }
    double now = stream_now_ms();
    pthread_mutex_lock(&w->mu);
    w->st.length = length, w->st.pending = pending, w->st.lag = lag;
    unsigned long long done = stories_done(&w->st);
    if (now > w->last_refresh) w->st.rate = (done - w->refresh_base) / ((now - w->last_refresh) / 1e3);
    w->refresh_base = done;
    pthread_mutex_unlock(&w->mu);
    w->last_refresh = now;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile of the recent lags (0 when none); the caller holds mu. */
static double lag_quantile(const worker_stats *s, double q)
{
    size_t n = s->nlag < LAGS ? (size_t)s->nlag : LAGS;
    if (!n) return 0;
    double *v = malloc(n * sizeof *v);
    if (!v) return 0;
    memcpy(v, s->lags, n * sizeof *v);
    qsort(v, n, sizeof *v, cmp_double);
    double r = v[(size_t)(q * (double)(n - 1) + 0.5)];
    free(v);
    return r;
}

/* A progress line (a terminal's line rewritten in place, else one line each time). */
static void report(worker *w, int final)
{
    double t = stream_now_ms();
    int due = w->tty ? t - w->last_report >= 500 : w->progress_every && t - w->last_report >= w->progress_every * 1e3;
    if (w->quiet || (!final && !due)) return;
    pthread_mutex_lock(&w->mu);
    worker_stats *s = &w->st;
    unsigned long long n = stories_done(s);
    double secs = (t - w->t0) / 1e3;
    double p50 = lag_quantile(s, 0.5), p95 = lag_quantile(s, 0.95);
    if (final)
        fprintf(stderr, "%sdyad worker %s: %llu stories (%llu new, %llu changed, %llu unchanged, %llu dead-lettered), "
                        "%llu events in %.2f s (%.0f stories/s); end-to-end lag p50 %.3f s, p95 %.3f s; "
                        "%llu claimed, %llu errors\n",
                w->tty ? "\r\033[K" : "", w->consumer, n, s->fresh, s->changed, s->same, s->dead, s->events, secs,
                secs > 0 ? n / secs : 0.0, p50, p95, s->claimed, s->errors);
    else
        fprintf(stderr, "%sdyad worker %s: %llu stories, %.0f stories/s; stream %lld, pending %lld, lag %lld; "
                        "lag p50 %.2f s; %llu dead-lettered, %llu errors%s",
                w->tty ? "\r\033[K" : "", w->consumer, n, s->rate, s->length, s->pending, s->lag, p50, s->dead,
                s->errors, w->tty ? "" : "\n");
    pthread_mutex_unlock(&w->mu);
    w->last_report = t;
}

/* The metrics page, in Prometheus's text format, into buf. */
static size_t metrics_text(worker *w, char *buf, size_t cap)
{
    pthread_mutex_lock(&w->mu);
    worker_stats *s = &w->st;
    double p50 = lag_quantile(s, 0.5), p95 = lag_quantile(s, 0.95), p99 = lag_quantile(s, 0.99);
    double up = (stream_now_ms() - w->t0) / 1e3;
    int n = snprintf(buf, cap,
        "# HELP dyad_worker_stories_total Stories taken from the stream, by what became of them.\n"
        "# TYPE dyad_worker_stories_total counter\n"
        "dyad_worker_stories_total{outcome=\"new\"} %llu\n"
        "dyad_worker_stories_total{outcome=\"changed\"} %llu\n"
        "dyad_worker_stories_total{outcome=\"unchanged\"} %llu\n"
        "dyad_worker_stories_total{outcome=\"dead_letter\"} %llu\n"
        "# HELP dyad_worker_events_total Events coded and stored.\n"
        "# TYPE dyad_worker_events_total counter\n"
        "dyad_worker_events_total %llu\n"
        "# HELP dyad_worker_batches_total Batches stored and acknowledged.\n"
        "# TYPE dyad_worker_batches_total counter\n"
        "dyad_worker_batches_total %llu\n"
        "# HELP dyad_worker_claimed_total Entries claimed from consumers that stopped (XAUTOCLAIM).\n"
        "# TYPE dyad_worker_claimed_total counter\n"
        "dyad_worker_claimed_total %llu\n"
        "# HELP dyad_worker_errors_total Store failures (each batch retried) and Redis reconnects.\n"
        "# TYPE dyad_worker_errors_total counter\n"
        "dyad_worker_errors_total{kind=\"store\"} %llu\n"
        "dyad_worker_errors_total{kind=\"redis_reconnect\"} %lu\n"
        "# HELP dyad_worker_stream_length Entries in the stream (acknowledged ones are trimmed).\n"
        "# TYPE dyad_worker_stream_length gauge\n"
        "dyad_worker_stream_length %lld\n"
        "# HELP dyad_worker_group_pending Entries delivered to the group and not yet acknowledged.\n"
        "# TYPE dyad_worker_group_pending gauge\n"
        "dyad_worker_group_pending %lld\n"
        "# HELP dyad_worker_group_lag Entries not yet delivered to the group.\n"
        "# TYPE dyad_worker_group_lag gauge\n"
        "dyad_worker_group_lag %lld\n"
        "# HELP dyad_worker_stories_per_second Stories per second over the last second or so.\n"
        "# TYPE dyad_worker_stories_per_second gauge\n"
        "dyad_worker_stories_per_second %.1f\n"
        "# HELP dyad_worker_lag_seconds From XADD to stored and acknowledged (recent stories).\n"
        "# TYPE dyad_worker_lag_seconds summary\n"
        "dyad_worker_lag_seconds{quantile=\"0.5\"} %.3f\n"
        "dyad_worker_lag_seconds{quantile=\"0.95\"} %.3f\n"
        "dyad_worker_lag_seconds{quantile=\"0.99\"} %.3f\n"
        "dyad_worker_lag_seconds_sum %.3f\n"
        "dyad_worker_lag_seconds_count %llu\n"
        "# HELP dyad_worker_uptime_seconds Seconds since the worker started.\n"
        "# TYPE dyad_worker_uptime_seconds gauge\n"
        "dyad_worker_uptime_seconds %.1f\n",
        s->fresh, s->changed, s->same, s->dead, s->events, s->batches, s->claimed, s->errors,
        w->sc.reconnects, s->length, s->pending, s->lag, s->rate,
        p50, p95, p99, s->lag_sum, s->nlag, up);
    pthread_mutex_unlock(&w->mu);
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

/* Answers each HTTP request on the metrics socket with the metrics page (any path). */
static void *metrics_serve(void *arg)
{
    worker *w = arg;
    static char body[8192];
    while (!stop) {
        struct pollfd p = {w->metrics_fd, POLLIN, 0};
        if (poll(&p, 1, 200) <= 0) continue;
        int fd = accept(w->metrics_fd, NULL, NULL);
        if (fd < 0) continue;
        struct timeval tv = {2, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        /* the request is read up to its blank line and otherwise ignored */
        char req[2048];
        size_t got = 0;
        for (ssize_t k; got < sizeof req - 1 && (k = read(fd, req + got, sizeof req - 1 - got)) > 0;) {
            got += (size_t)k;
            req[got] = 0;
            if (strstr(req, "\r\n\r\n") || strstr(req, "\n\n")) break;
        }
        size_t n = metrics_text(w, body, sizeof body);
        char head[160];
        int h = snprintf(head, sizeof head, "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
                                             "Content-Length: %zu\r\nConnection: close\r\n\r\n", n);
        if (write(fd, head, (size_t)h) == h && !(got >= 4 && !strncmp(req, "HEAD", 4))) {
            for (size_t at = 0; at < n;) {
                ssize_t k = write(fd, body + at, n - at);
                if (k <= 0) break;
                at += (size_t)k;
            }
        }
        close(fd);
    }
    return NULL;
}

/* Listens on ADDR (HOST:PORT, [V6]:PORT, :PORT or PORT) and names the address on stderr.
 * 0, or -1 with the reason on stderr. */
static int metrics_listen(worker *w, const char *addr)
{
    char host[256] = "", port[16];
    const char *colon = strrchr(addr, ':');
    const char *h = addr, *pt = colon ? colon + 1 : addr;
    size_t hn = colon ? (size_t)(colon - addr) : 0;
    if (hn >= 2 && h[0] == '[' && h[hn - 1] == ']') h++, hn -= 2;
    if (hn >= sizeof host || strlen(pt) >= sizeof port) return -1;
    memcpy(host, h, hn);
    host[hn] = 0;
    snprintf(port, sizeof port, "%s", pt);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *ai;
    int e = getaddrinfo(host[0] ? host : NULL, port, &hints, &ai);
    if (e) {
        fprintf(stderr, "dyad worker: --metrics %s: %s\n", addr, gai_strerror(e));
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *a = ai; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        int one = 1;
        if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (fd >= 0 && (bind(fd, a->ai_addr, a->ai_addrlen) || listen(fd, 16))) close(fd), fd = -1;
    }
    freeaddrinfo(ai);
    if (fd < 0) {
        fprintf(stderr, "dyad worker: --metrics %s: %s\n", addr, strerror(errno));
        return -1;
    }
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char nh[128] = "?", np[16] = "?";
    if (!getsockname(fd, (struct sockaddr *)&ss, &sl))
        getnameinfo((struct sockaddr *)&ss, sl, nh, sizeof nh, np, sizeof np, NI_NUMERICHOST | NI_NUMERICSERV);
    fprintf(stderr, "dyad worker %s: metrics at http://%s%s%s:%s/metrics\n", w->consumer, strchr(nh, ':') ? "[" : "",
            nh, strchr(nh, ':') ? "]" : "", np);
    w->metrics_fd = fd;
    if (pthread_create(&w->metrics_thread, NULL, metrics_serve, w)) {
        close(fd);
        w->metrics_fd = -1;
        fprintf(stderr, "dyad worker: --metrics: cannot start its thread\n");
        return -1;
    }
    return 0;
}

/* ==== one batch ========================================================================== */

/* Codes, stores and acknowledges e[0..n). 0, or -1 when stopped with the batch unstored, or
 * out of memory (the entries stay pending either way). */
static int process(worker *w, entry *e, size_t n)
{
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        e[i].state = E_STORE;
        if (!e[i].fields) { /* deleted from the stream since: only acknowledged */
            e[i].state = E_SKIP;
            continue;
        }
        if (e[i].deliveries > w->max_failures) {
            snprintf(e[i].reason, sizeof e[i].reason, "delivered %lld times (--max-failures %ld): "
                     "each worker that took it stopped before storing it", e[i].deliveries, w->max_failures);
            e[i].state = E_DEAD;
            continue;
        }
        if (read_story(&e[i])) {
            e[i].state = E_DEAD;
            continue;
        }
        /* a story stored unchanged is not coded again */
        int what = w->store ? dyad_store_lookup(w->store, &e[i].st) : DYAD_STORE_NEW;
        if (what == DYAD_STORE_SAME) {
            e[i].state = E_SAME;
            continue;
        }
        dyad_error err = {0};
        int c = dyad_story_code(w->coder, &e[i].st, &err);
        if (c == DYAD_ENOMEM) {
            fprintf(stderr, "dyad worker: out of memory\n");
            rc = -1;
            break;
        }
        if (c != DYAD_OK) {
            snprintf(e[i].reason, sizeof e[i].reason, "not coded: %s", err.message);
            e[i].state = E_DEAD;
            continue;
        }
        size_t len = 0;
        const char *j = dyad_coder_jsonl(w->coder, &len);
        e[i].jsonl = malloc(len + 1);
        if (!e[i].jsonl) {
            fprintf(stderr, "dyad worker: out of memory\n");
            rc = -1;
            break;
        }
        if (len) memcpy(e[i].jsonl, j, len);
        e[i].jsonl[len] = 0;
        e[i].jsonl_len = len;
        e[i].events = dyad_coder_event_count(w->coder);
    }
    if (!rc) rc = store_batch(w, e, n);
    if (!rc) {
        for (size_t i = 0; i < n; i++) {
            if (e[i].state != E_DEAD) continue;
            const char *where = e[i].st.file ? e[i].st.file : "";
            fprintf(stderr, "dyad worker %s: entry %s%s%s%s: %s (to %s)\n", w->consumer, e[i].sid, *where ? " (" : "",
                    where, *where ? ")" : "", e[i].reason, w->dead);
            dead_letter(w, &e[i]);
        }
        ack(w, e, n);
        double now = stream_wall_ms();
        pthread_mutex_lock(&w->mu);
        worker_stats *s = &w->st;
        for (size_t i = 0; i < n; i++) {
            if (e[i].state == E_SKIP) continue;
            if (e[i].state == E_DEAD) s->dead++;
            else if (e[i].state == E_SAME || e[i].what == DYAD_STORE_SAME) s->same++;
            else if (e[i].what == DYAD_STORE_CHANGED) s->changed++, s->events += e[i].events;
            else s->fresh++, s->events += e[i].events;
            double lag = (now - id_ms(e[i].sid)) / 1e3;
            s->lags[s->nlag++ % LAGS] = lag;
            s->lag_sum += lag;
        }
        s->batches++;
        pthread_mutex_unlock(&w->mu);
    }
    for (size_t i = 0; i < n; i++) free(e[i].jsonl), e[i].jsonl = NULL;
    return rc;
}

/* Makes the group (and the stream) when missing; reading starts at the stream's first entry. */
static int make_group(worker *w)
{
    redisReply *r = stream_cmdf(&w->sc, "XGROUP CREATE %s %s 0 MKSTREAM", w->key, w->group);
    int ok = r && (r->type != REDIS_REPLY_ERROR || !strncmp(r->str, "BUSYGROUP", 9));
    if (r && !ok) fprintf(stderr, "dyad worker: XGROUP CREATE %s %s: %s\n", w->key, w->group, r->str);
    if (r) freeReplyObject(r);
    return ok ? 0 : -1;
}

/* Whether a reply is the error of a group or stream that is gone (a server restarted
 * without its data): the group is made again. */
static int no_group(worker *w, const redisReply *r)
{
    if (!r || r->type != REDIS_REPLY_ERROR) return 0;
    if (!strncmp(r->str, "NOGROUP", 7)) {
        fprintf(stderr, "dyad worker %s: %s; making the group again\n", w->consumer, r->str);
        make_group(w);
    } else {
        fprintf(stderr, "dyad worker %s: %s\n", w->consumer, r->str);
        stream_sleep(1000, &stop);
    }
    return 1;
}

/* ==== the command ======================================================================== */

static int run(worker *w)
{
    entry *e = calloc((size_t)w->batch, sizeof *e);
    if (!e) return fprintf(stderr, "dyad worker: out of memory\n"), EXIT_FATAL;
    char count[24], claim[24], history_from[64] = "0", cursor[64] = "0-0";
    snprintf(count, sizeof count, "%ld", w->batch);
    snprintf(claim, sizeof claim, "%ld", w->claim_after);
    int history = 1, status = 0;
    double last_claim = -1e18;
    refresh(w);
    while (!stop) {
        redisReply *r = NULL;
        size_t n = 0;
        if (history) { /* entries this consumer (same --consumer) took before a restart */
            r = stream_cmdf(&w->sc, "XREADGROUP GROUP %s %s COUNT %s STREAMS %s %s", w->group, w->consumer, count,
                            w->key, history_from);
            if (no_group(w, r)) goto next;
            n = take_entries(read_list(r), e, (size_t)w->batch, 1);
            if (!n) history = 0;
            else snprintf(history_from, sizeof history_from, "%s", e[n - 1].sid);
            delivery_counts(w, e, n);
        } else if (stream_now_ms() - last_claim >= w->claim_after / 2.0 || strcmp(cursor, "0-0")) {
            r = stream_cmdf(&w->sc, "XAUTOCLAIM %s %s %s %s %s COUNT %s", w->key, w->group, w->consumer, claim,
                            cursor, count);
            if (no_group(w, r)) goto next;
            if (r && r->type == REDIS_REPLY_ARRAY && r->elements >= 2 && r->element[0]->type == REDIS_REPLY_STRING) {
                snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
                n = take_entries(r->element[1], e, (size_t)w->batch, 2);
            }
            if (!strcmp(cursor, "0-0")) last_claim = stream_now_ms();
            delivery_counts(w, e, n);
            pthread_mutex_lock(&w->mu);
            w->st.claimed += n;
            pthread_mutex_unlock(&w->mu);
        }
        if (!n) {
            if (r) freeReplyObject(r);
            r = stream_cmdf(&w->sc, "XREADGROUP GROUP %s %s COUNT %s BLOCK %d STREAMS %s >", w->group, w->consumer,
                            count, w->once ? 100 : 1000, w->key);
            if (no_group(w, r)) goto next;
            n = take_entries(read_list(r), e, (size_t)w->batch, 1);
        }
        if (n && process(w, e, n)) {
            status = EXIT_FATAL;
            if (r) freeReplyObject(r);
            break;
        }
        if (!n || stream_now_ms() - w->last_refresh >= 1000) refresh(w);
        report(w, 0);
        if (w->once) {
            if (r) freeReplyObject(r);
            break;
        }
        if (!n && !history && w->exit_when_empty && w->st.pending == 0 && w->st.lag <= 0) {
            if (r) freeReplyObject(r);
            break;
        }
    next:
        if (r) freeReplyObject(r);
    }
    free(e);
    return status;
}

int cmd_worker(int argc, char **argv)
{
    worker w = {.batch = 100, .claim_after = 60000, .max_failures = 5, .metrics_fd = -1};
    /* first of all: a worker stopped while it starts exits 0 without taking anything */
    struct sigaction sa = {0};
    sa.sa_handler = on_signal; /* no SA_RESTART: a sleep or poll returns early */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN); /* a lost Redis or metrics client is an error return, not death */
    w.sc.who = "worker";
    w.sc.stop = &stop;
    const char *url = NULL, *dir = NULL, *add = NULL, *metrics = NULL;
    char dead[512], consumer[300];
    long v;
    enum { O_REDIS = 256, O_STREAM, O_GROUP, O_DB, O_CONSUMER, O_BATCH, O_CLAIM, O_MAXF, O_DEAD, O_METRICS, O_ONCE,
           O_EMPTY, O_PROGRESS, O_DICT, O_ADD_DICT, O_DAYS, O_KM, O_FULL_CODES };
    static const struct option longs[] = {
        {"redis", required_argument, NULL, O_REDIS},       {"stream", required_argument, NULL, O_STREAM},
        {"group", required_argument, NULL, O_GROUP},       {"db", required_argument, NULL, O_DB},
        {"consumer", required_argument, NULL, O_CONSUMER}, {"batch", required_argument, NULL, O_BATCH},
        {"claim-after", required_argument, NULL, O_CLAIM}, {"max-failures", required_argument, NULL, O_MAXF},
        {"dead-letter", required_argument, NULL, O_DEAD},  {"metrics", required_argument, NULL, O_METRICS},
        {"once", no_argument, NULL, O_ONCE},               {"exit-when-empty", no_argument, NULL, O_EMPTY},
        {"progress", required_argument, NULL, O_PROGRESS}, {"dict", required_argument, NULL, O_DICT},
        {"add-dict", required_argument, NULL, O_ADD_DICT}, {"days", required_argument, NULL, O_DAYS},
        {"km", required_argument, NULL, O_KM},             {"full-codes", no_argument, NULL, O_FULL_CODES},
        {"quiet", no_argument, NULL, 'q'},                 {"help", no_argument, NULL, 'h'},
        {0}};
    for (int c; (c = cli_getopt(argc, argv, "worker", ":hq", longs)) != -1;) {
        switch (c) {
        case 'h': fputs(usage_worker, stdout); return 0;
        case 'q': w.quiet = 1; break;
        case O_REDIS:
            if (stream_url("--redis", optarg, &w.sc)) return EXIT_USAGE;
            url = optarg;
            break;
        case O_STREAM: w.key = optarg; break;
        case O_GROUP: w.group = optarg; break;
        case O_DB: w.db = optarg; break;
        case O_CONSUMER: w.consumer = optarg; break;
        case O_BATCH: if (cli_long("--batch", optarg, 1, 10000, &w.batch)) return EXIT_USAGE; break;
        case O_CLAIM: if (cli_long("--claim-after", optarg, 100, 86400000, &w.claim_after)) return EXIT_USAGE; break;
        case O_MAXF: if (cli_long("--max-failures", optarg, 1, 1000, &w.max_failures)) return EXIT_USAGE; break;
        case O_DEAD: w.dead = optarg; break;
        case O_METRICS: metrics = optarg; break;
        case O_ONCE: w.once = 1; break;
        case O_EMPTY: w.exit_when_empty = 1; break;
        case O_PROGRESS: if (cli_long("--progress", optarg, 1, 86400, &w.progress_every)) return EXIT_USAGE; break;
        case O_DICT: dir = optarg; break;
        case O_ADD_DICT: add = optarg; break;
        case O_DAYS:
            if (cli_long("--days", optarg, 0, 366, &v)) return EXIT_USAGE;
            w.so.days = v ? (int)v : -1;
            break;
        case O_KM: if (cli_double("--km", optarg, 0.001, 20040, &w.so.km)) return EXIT_USAGE; break;
        case O_FULL_CODES: w.so.full_codes = 1; break;
        default: return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "dyad worker: unexpected argument '%s' (see 'dyad worker --help')\n", argv[optind]);
        return EXIT_USAGE;
    }
    const char *names[] = {"--stream", "--group", "--consumer", "--dead-letter"};
    const char *vals[] = {w.key, w.group, w.consumer, w.dead};
    for (int i = 0; i < 4; i++)
        if (vals[i] && !*vals[i]) return fprintf(stderr, "dyad: %s: '' is empty (give a name)\n", names[i]), EXIT_USAGE;
    if (!url || !w.key || !w.group || !w.db) {
        fprintf(stderr, "dyad worker: needs --redis URL, --stream S, --group G and --db PATH|URI (see 'dyad worker --help')\n");
        return EXIT_USAGE;
    }
    if (metrics && (!strchr(metrics, ':') && strspn(metrics, "0123456789") != strlen(metrics))) {
        fprintf(stderr, "dyad: --metrics: '%s' is not HOST:PORT, :PORT or PORT\n", metrics);
        return EXIT_USAGE;
    }
    if (!w.consumer) {
        char host[256] = "worker";
        gethostname(host, sizeof host - 1);
        snprintf(consumer, sizeof consumer, "%s-%ld", host, (long)getpid());
        w.consumer = consumer;
    }
    if (!w.dead) {
        snprintf(dead, sizeof dead, "%s:dead", w.key);
        w.dead = dead;
    }
    w.tty = !w.quiet && isatty(2);
    /* a transaction per batch: the store commits only when the worker says so */
    w.so.batch = 1000000;

    dyad_dict *d = load_dict(dir, add, 0, 0);
    if (!d) return EXIT_FATAL;
    w.coder = dyad_coder_new(d, NULL);
    char why[512];
    int status = EXIT_FATAL;
    if (!w.coder) fprintf(stderr, "dyad worker: out of memory\n");
    else if (open_store(&w, 0) == 0 && stream_connect(&w.sc, why, sizeof why) != 0)
        fprintf(stderr, "dyad worker: %s\n", why);
    else if (w.store && w.sc.c && make_group(&w) == 0 && pthread_mutex_init(&w.mu, NULL) == 0) {
        w.t0 = w.last_report = w.last_refresh = stream_now_ms();
        if (!metrics || metrics_listen(&w, metrics) == 0) {
            status = run(&w);
            refresh(&w);
            report(&w, 1);
        }
        if (w.metrics_fd >= 0) {
            stop = 1;
            pthread_join(w.metrics_thread, NULL);
            close(w.metrics_fd);
        }
        pthread_mutex_destroy(&w.mu);
    }
    stream_close(&w.sc);
    dyad_error err = {0};
    if (w.store && dyad_store_close(w.store, &err) != DYAD_OK) {
        fprintf(stderr, "dyad worker: %s\n", err.message);
        status = EXIT_FATAL;
    }
    dyad_coder_free(w.coder);
    dyad_dict_free(d);
    return status;
}
