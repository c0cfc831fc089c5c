/*
 * serve.c — `dyad serve`: an HTTP API over the event store and the dashboard's static files,
 * on libmicrohttpd in thread-pool mode. Each request borrows a read-only store handle and a
 * coder from small pools (a handle belongs to one thread at a time); POST /api/ingest writes
 * through one writable handle, only with the bearer token of --token-file. Requests are
 * checked by cli/serve_req.c before they reach the store. README "dyad serve" and
 * web/openapi.json describe the API.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "serve.h"

enum { EXIT_USAGE = 2, EXIT_FATAL = 3 };

static const char usage_serve[] =
    "usage: dyad serve --db PATH|URI [OPTIONS]\n"
    "\n"
    "Serves the event store over HTTP: the API under /api/ (events, happenings, series,\n"
    "places, stories, code, ingest; described at /api/openapi.json), /healthz, /metrics, and\n"
    "the dashboard at /. Read-only unless --token-file names the bearer token POST /api/ingest\n"
    "must carry. Stops on SIGINT or SIGTERM.\n"
    "\n"
    "Options:\n"
    "  --db PATH|URI          the store: an SQLite file or a postgresql:// URI (required)\n"
    "  --listen ADDR:PORT     where to listen (default 127.0.0.1:8080; port 0: any free one;\n"
    "                         [::1]:8080 for IPv6)\n"
    "  --token-file FILE      the bearer token of POST /api/ingest (16-4096 printable\n"
    "                         characters; a final newline is dropped)\n"
    "  --web DIR              the dashboard's built files (default: web/ beside the binary,\n"
    "                         build/web)\n"
    "  --threads N            request threads (1-256; default 4)\n"
    "  --max-connections N    concurrent connections (1-10000; default 256)\n"
    "  --max-body SIZE        largest request body (default 1M; K, M, G)\n"
    "  --max-rows N           most records a page may ask for (1-100000; default 1000)\n"
    "  --timeout MS           a query running longer is stopped: 503 (1-600000; default 10000)\n"
    "  --cache-seconds N      keep the answers of the query endpoints N seconds, or until\n"
    "                         an ingest (0-86400; 0: no cache; default 60)\n"
    "  --dict DIR             code POSTed stories with these dictionaries (as for 'dyad code')\n"
    "  --quiet                no start-up line on stderr\n"
    "  -h, --help             this help\n";

/* ==== metrics ============================================================================ */

enum route { R_EVENTS, R_HAPPENINGS, R_SERIES, R_PLACES, R_STORIES, R_CODE, R_INGEST,
             R_HEALTHZ, R_METRICS, R_OPENAPI, R_STATIC, R_OTHER, R_COUNT };
static const char *const route_name[R_COUNT] = {"events", "happenings", "series", "places",
                                                "stories", "code", "ingest", "healthz",
                                                "metrics", "openapi", "static", "other"};
static const int codes[] = {200, 400, 401, 403, 404, 405, 413, 500, 503};
enum { NCODES = sizeof codes / sizeof *codes };
static const double bucket_s[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
enum { NBUCKETS = sizeof bucket_s / sizeof *bucket_s };

/* Counted with atomic adds by every request thread. */
static struct {
    uint64_t requests[R_COUNT][NCODES + 1]; /* the last: any other status */
    uint64_t bucket[R_COUNT][NBUCKETS + 1];  /* the last: +Inf */
    uint64_t micros[R_COUNT];
    uint64_t in_flight, bytes_out;
} stats;

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void count_request(int route, int status, double secs)
{
    int k = NCODES;
    for (int i = 0; i < NCODES; i++)
        if (codes[i] == status) k = i;
    __atomic_add_fetch(&stats.requests[route][k], 1, __ATOMIC_RELAXED);
    int b = NBUCKETS;
    for (int i = 0; i < NBUCKETS; i++)
        if (secs <= bucket_s[i]) {
            b = i;
            break;
        }
    __atomic_add_fetch(&stats.bucket[route][b], 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&stats.micros[route], (uint64_t)(secs * 1e6), __ATOMIC_RELAXED);
}

/* ==== the server's state ================================================================= */

enum { POOL_MAX = 64, CACHE_ENTRIES = 256 };
#define CACHE_MAX_BYTES ((size_t)64 << 20) /* all cached answers together */

/* Idle store handles or coders, taken and given back by request threads. */
typedef struct pool {
    pthread_mutex_t mu;
    void *item[POOL_MAX];
    int n;
} pool;

typedef struct server {
    const char *db, *web;
    char web_real[PATH_MAX];
    char token[4097];
    size_t token_len;
    int has_token, is_pg;
    long max_rows;
    size_t max_body;
    int timeout_ms;
    dyad_dict *dict;
    pool stores, coders;
    dyad_store *writer; /* POST /api/ingest's handle (with a token only) */
    pthread_mutex_t writer_mu;
    double t0;
    /* answers of the query endpoints, kept cache_s seconds (or until an ingest): a map's
     * clusters for a year read some 250k events, and a dashboard asks the same views again */
    pthread_mutex_t cache_mu;
    struct cached {
        char *key, *body; /* route and raw query string; the answer */
        size_t len;
        const char *type;
        char next[64];
        double at;
        unsigned gen;
    } cache[CACHE_ENTRIES];
    size_t cache_bytes;
    unsigned gen;         /* bumped by every ingest: older answers are stale */
    int cache_s;
} server;

static void *pool_take(pool *p)
{
    void *v = NULL;
    pthread_mutex_lock(&p->mu);
    if (p->n) v = p->item[--p->n];
    pthread_mutex_unlock(&p->mu);
    return v;
}

/* Gives v back; 0 when the pool is full (the caller frees it). */
static int pool_give(pool *p, void *v)
{
    pthread_mutex_lock(&p->mu);
    int ok = p->n < POOL_MAX;
    if (ok) p->item[p->n++] = v;
    pthread_mutex_unlock(&p->mu);
    return ok;
}

/* A read-only handle on the store: an idle one, or a new one. NULL with err set. */
static dyad_store *store_take(server *sv, dyad_error *err)
{
    dyad_store *s = pool_take(&sv->stores);
    if (s) return s;
    dyad_store_options o = {.read_only = 1, .timeout_ms = sv->timeout_ms};
    return dyad_store_open(sv->db, &o, err);
}

/* Gives a handle back, or closes it when it failed (a connection that may be broken). */
static void store_give(server *sv, dyad_store *s, int failed)
{
    if (failed || !pool_give(&sv->stores, s)) dyad_store_close(s, NULL);
}

static dyad_coder *coder_take(server *sv)
{
    dyad_coder *c = pool_take(&sv->coders);
    if (c) return c;
    /* a story of the API may use 256 MB while coded, not the CLI's 1 GB: several run at once */
    dyad_options o = {.arena_limit = (size_t)256 << 20};
    return dyad_coder_new(sv->dict, &o);
}

static void coder_give(server *sv, dyad_coder *c)
{
    if (!pool_give(&sv->coders, c)) dyad_coder_free(c);
}

/* ==== one request ======================================================================== */

/* What a request has come with so far; made by on_uri before the headers are read. */
typedef struct request {
    double t0;
    char *uri;   /* as sent, with the query string */
    char *body;  /* POST body */
    size_t body_n, body_cap;
    int too_large, started, route, status;
} request;

/* What to answer: a body in a memory stream, its type and status. */
typedef struct reply {
    int status;
    const char *type;
    char *buf;
    size_t len;
    FILE *f;
    char next[64];  /* X-Next-Cursor */
    int auth;       /* WWW-Authenticate: Bearer */
    const char *allow;
    int fd;         /* a static file (>= 0) of fd_size bytes */
    off_t fd_size;
    int cache;      /* static assets may be cached */
} reply;

static int reply_open(reply *r)
{
    memset(r, 0, sizeof *r);
    r->fd = -1;
    r->status = 200;
    r->type = "application/json";
    r->f = open_memstream(&r->buf, &r->len);
    return r->f ? 0 : -1;
}

/* Replaces what was written with {"error": {...}}. */
static void reply_error(reply *r, const serve_error *e)
{
    rewind(r->f);
    fflush(r->f);
    r->len = 0;
    r->status = e->status;
    r->type = "application/json";
    fprintf(r->f, "{\"error\":{\"status\":%d,\"parameter\":", e->status);
    if (*e->param) serve_json_str(r->f, e->param);
    else fputs("null", r->f);
    fputs(",\"message\":", r->f);
    serve_json_str(r->f, e->message);
    fputs("}}\n", r->f);
}

static void reply_fail(reply *r, int status, const char *param, const char *msg)
{
    serve_error e;
    serve_fail(&e, status, param, "%s", msg);
    reply_error(r, &e);
}

/* Writes JSON Lines buf[0..n) as the elements of a JSON array; the count of lines. */
static long lines_as_array(FILE *f, const char *buf, size_t n)
{
    long k = 0;
    fputc('[', f);
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(buf + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - buf) : n;
        if (end > i) {
            if (k++) fputc(',', f);
            fwrite(buf + i, 1, end - i, f);
        }
        i = end + 1;
    }
    fputc(']', f);
    return k;
}

/* How a store call's failure is answered: a timeout is 503, a malformed cursor or search a
 * 400 naming it, anything else 500. Returns whether the handle should be dropped. */
static int store_error(reply *r, const dyad_store_query *q, int rc, const dyad_error *err)
{
    if (rc == DYAD_ELIMIT) {
        reply_fail(r, 503, "", err->message);
        return 0;
    }
    if (rc == DYAD_EUSAGE) {
        reply_fail(r, 400, q && q->after ? "cursor" : "", err->message);
        return 0;
    }
    /* SQLite's FTS5 refuses a malformed search with an error of the statement */
    static const char *const fts[] = {"fts5", "syntax error", "unterminated string", "unknown special query",
                                      "no such column"};
    int bad_search = 0;
    for (size_t i = 0; q && q->text && i < sizeof fts / sizeof *fts; i++) bad_search |= !!strstr(err->message, fts[i]);
    if (bad_search) {
        char msg[400];
        snprintf(msg, sizeof msg, "text: '%.100s' is not a search the store can run (%.200s)", q->text,
                 err->message);
        reply_fail(r, 400, "text", msg);
        return 0;
    }
    reply_fail(r, 500, "", err->message);
    return 1;
}

/* The cached answer for key, copied into r; 1 when found fresh. */
static int cache_get(server *sv, const char *key, reply *r)
{
    int hit = 0;
    double now = mono_s();
    pthread_mutex_lock(&sv->cache_mu);
    for (int i = 0; i < CACHE_ENTRIES && !hit; i++) {
        struct cached *c = &sv->cache[i];
        if (!c->key || strcmp(c->key, key)) continue;
        if (c->gen != sv->gen || now - c->at > sv->cache_s) break;
        fwrite(c->body, 1, c->len, r->f);
        r->type = c->type;
        memcpy(r->next, c->next, sizeof r->next);
        hit = 1;
    }
    pthread_mutex_unlock(&sv->cache_mu);
    return hit;
}

/* Keeps r's answer under key, in place of the oldest entry (and of more while the cache
 * holds more than CACHE_MAX_BYTES). */
static void cache_put(server *sv, const char *key, reply *r)
{
    fflush(r->f);
    if (r->len > CACHE_MAX_BYTES / 8) return;
    char *k = strdup(key), *b = malloc(r->len ? r->len : 1);
    if (!k || !b) {
        free(k), free(b);
        return;
    }
    memcpy(b, r->buf, r->len);
    pthread_mutex_lock(&sv->cache_mu);
    for (;;) {
        int old = 0;
        for (int i = 1; i < CACHE_ENTRIES; i++)
            if (!sv->cache[i].key || (sv->cache[old].key && sv->cache[i].at < sv->cache[old].at)) old = i;
        struct cached *c = &sv->cache[old];
        if (c->key) sv->cache_bytes -= c->len;
        free(c->key), free(c->body);
        memset(c, 0, sizeof *c);
        if (sv->cache_bytes + r->len <= CACHE_MAX_BYTES) {
            *c = (struct cached){.key = k, .body = b, .len = r->len, .type = r->type, .at = mono_s(), .gen = sv->gen};
            memcpy(c->next, r->next, sizeof c->next);
            sv->cache_bytes += r->len;
            break;
        }
    }
    pthread_mutex_unlock(&sv->cache_mu);
}

/* A store handle for a request, or NULL after answering 503 (the store cannot be opened). */
static dyad_store *store_or_503(server *sv, reply *r, dyad_error *err)
{
    dyad_store *s = store_take(sv, err);
    if (!s) reply_fail(r, 503, "", err->message);
    return s;
}

/* GET /api/events, /api/happenings, /api/series, /api/places. */
static void api_query(server *sv, int route, const serve_args *args, reply *r);

/* The same, answered from the cache when it can be (--cache-seconds). */
static void api_query_cached(server *sv, int route, const char *query, const serve_args *args, reply *r)
{
    char key[4200];
    int cacheable = sv->cache_s > 0 && snprintf(key, sizeof key, "%d?%s", route, query ? query : "") < (int)sizeof key;
    if (cacheable && cache_get(sv, key, r)) return;
    api_query(sv, route, args, r);
    if (cacheable && r->status == 200) cache_put(sv, key, r);
}

static void api_query(server *sv, int route, const serve_args *args, reply *r)
{
    static const int kinds[] = {[R_EVENTS] = SERVE_EVENTS, [R_HAPPENINGS] = SERVE_HAPPENINGS,
                                [R_SERIES] = SERVE_SERIES, [R_PLACES] = SERVE_PLACES};
    dyad_store_query q;
    serve_error e;
    if (serve_query(args, kinds[route], sv->max_rows, &q, &e)) {
        reply_error(r, &e);
        return;
    }
    dyad_error err = {0};
    dyad_store *s = store_or_503(sv, r, &err);
    if (!s) return;
    char *out = NULL;
    size_t n = 0;
    FILE *mem = open_memstream(&out, &n);
    if (!mem) {
        store_give(sv, s, 0);
        reply_fail(r, 503, "", "out of memory");
        return;
    }
    int plover = route == R_EVENTS && (!q.format || !strcmp(q.format, "plover"));
    /* the events of a page come as they are; the rest are wrapped in one JSON object */
    int rc = route == R_EVENTS ? dyad_store_query_page(s, &q, plover ? mem : r->f, r->next, sizeof r->next, &err)
                               : dyad_store_query_run(s, &q, route == R_PLACES ? r->f : mem, &err);
    fclose(mem);
    if (rc != DYAD_OK) {
        store_give(sv, s, store_error(r, &q, rc, &err));
        free(out);
        return;
    }
    store_give(sv, s, 0);
    if (route == R_EVENTS && !plover) {
        r->type = !strcmp(q.format, "acled") ? "text/csv; charset=utf-8"
                                             : "text/tab-separated-values; charset=utf-8";
    } else if (route == R_EVENTS) {
        fputs("{\"events\":", r->f);
        long k = lines_as_array(r->f, out, n);
        fprintf(r->f, ",\"count\":%ld,\"next\":", k);
        if (*r->next) serve_json_str(r->f, r->next);
        else fputs("null", r->f);
        fputs("}\n", r->f);
    } else if (route == R_HAPPENINGS) {
        fputs("{\"happenings\":", r->f);
        long k = lines_as_array(r->f, out, n);
        fprintf(r->f, ",\"count\":%ld,\"limit\":%ld}\n", k, q.limit);
    } else if (route == R_SERIES) {
        fputs("{\"by\":", r->f);
        serve_json_str(r->f, q.by);
        fputs(",\"series\":", r->f);
        lines_as_array(r->f, out, n);
        fputs("}\n", r->f);
    } else {
        r->type = "application/geo+json";
    }
    free(out);
}

/* GET /api/stories/{id} */
static void api_story(server *sv, const char *id, reply *r)
{
    if (!*id || strlen(id) > 200) {
        reply_fail(r, 400, "id", "id: a story id of 1 to 200 characters, percent-encoded in the path");
        return;
    }
    dyad_error err = {0};
    dyad_store *s = store_or_503(sv, r, &err);
    if (!s) return;
    int rc = dyad_store_story(s, id, r->f, &err);
    if (rc == DYAD_EINPUT) {
        store_give(sv, s, 0);
        reply_fail(r, 404, "id", err.message);
        return;
    }
    store_give(sv, s, rc != DYAD_OK && store_error(r, NULL, rc, &err));
}

/* The stories of a POST body: JSON, or one text story (text/plain, with an optional
 * leading "date YYYY-MM-DD" line, as `dyad code` reads a text file). */
static int read_body_stories(const request *rq, const char *type, int need_id, const serve_args *args,
                             serve_stories *st, dyad_story *text_story, dyad_reader **reader,
                             FILE **mem, serve_error *e)
{
    memset(st, 0, sizeof *st);
    *reader = NULL;
    *mem = NULL;
    if (type && !strncmp(type, "text/plain", 10)) {
        const char *id = serve_arg(args, "id");
        if (need_id && !id) return serve_fail(e, 400, "id", "id: a text story to store needs ?id=");
        FILE *f = fmemopen(rq->body_n ? rq->body : (char *)"", rq->body_n, "rb");
        if (!f) return serve_fail(e, 503, "", "out of memory");
        /* the reader names the story after the stream ("api") unless ?id= says otherwise */
        *reader = dyad_reader_open(f, "api", DYAD_FORMAT_TEXT, NULL, rq->body_n + 1);
        dyad_error err = {0};
        int rc = *reader ? dyad_reader_next(*reader, text_story, &err) : DYAD_ENOMEM;
        if (rc != DYAD_OK) {
            if (*reader) dyad_reader_close(*reader);
            *reader = NULL;
            fclose(f);
            return serve_fail(e, 400, "body", "body: %s", rc == DYAD_ENOMEM ? "out of memory" : err.message);
        }
        *mem = f; /* closed with the reader (close_body) */
        if (id) text_story->id = id;
        st->n = 1;
        st->story = text_story;
        return 0;
    }
    if (type && strncmp(type, "application/json", 16))
        return serve_fail(e, 400, "Content-Type", "Content-Type: '%.60s' is not application/json or text/plain", type);
    return serve_stories_parse(rq->body_n ? rq->body : "", rq->body_n, need_id, st, e);
}

/* The stories of a POST body with a coder for them (open_body, close_body). */
typedef struct body {
    serve_stories st;
    dyad_story one;      /* a text/plain story */
    dyad_reader *reader; /* its reader */
    FILE *mem;           /* and the body as a stream */
    dyad_coder *coder;
} body;

/* Reads the body's stories and takes a coder; 0, or -1 with the error answered in r. */
static int open_body(server *sv, const request *rq, const char *type, int need_id, const serve_args *args,
                     body *b, reply *r)
{
    serve_error e;
    b->coder = NULL;
    if (read_body_stories(rq, type, need_id, args, &b->st, &b->one, &b->reader, &b->mem, &e)) {
        reply_error(r, &e);
        serve_stories_free(&b->st);
        return -1;
    }
    if (!(b->coder = coder_take(sv))) {
        reply_fail(r, 503, "", "out of memory");
        return -1;
    }
    return 0;
}

static void close_body(server *sv, body *b)
{
    if (b->coder) coder_give(sv, b->coder);
    if (b->reader) {
        dyad_reader_close(b->reader);
        fclose(b->mem);
    } else {
        serve_stories_free(&b->st);
    }
}

/* POST /api/code: the records of each story, not stored. */
static void api_code(server *sv, const request *rq, const char *type, const serve_args *args, reply *r)
{
    body b;
    if (open_body(sv, rq, type, 0, args, &b, r)) {
        close_body(sv, &b);
        return;
    }
    dyad_coder *c = b.coder;
    serve_stories st = b.st;
    fputs("{\"records\":[", r->f);
    long k = 0, events = 0;
    for (size_t i = 0; i < st.n; i++) {
        dyad_error err = {0};
        if (dyad_story_code(c, &st.story[i], &err) != DYAD_OK) continue; /* over the limit */
        size_t n;
        const char *jl = dyad_coder_jsonl(c, &n);
        events += (long)dyad_coder_event_count(c);
        for (size_t j = 0; j < n;) {
            const char *nl = memchr(jl + j, '\n', n - j);
            size_t end = nl ? (size_t)(nl - jl) : n;
            if (end > j) {
                if (k++) fputc(',', r->f);
                fwrite(jl + j, 1, end - j, r->f);
            }
            j = end + 1;
        }
    }
    fprintf(r->f, "],\"stories\":%zu,\"events\":%ld}\n", st.n, events);
    close_body(sv, &b);
}

/* Whether the request carries the bearer token (compared in constant time). */
static int authorized(server *sv, struct MHD_Connection *conn)
{
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    if (!h || strncmp(h, "Bearer ", 7)) return 0;
    h += 7;
    size_t n = strlen(h);
    unsigned diff = n != sv->token_len;
    for (size_t i = 0; i < sv->token_len; i++) diff |= (unsigned char)sv->token[i] ^ (unsigned char)(i < n ? h[i] : 0);
    return diff == 0;
}

/* POST /api/ingest: stories coded and stored (with the token). */
static void api_ingest(server *sv, struct MHD_Connection *conn, const request *rq, const char *type,
                       const serve_args *args, reply *r)
{
    if (!sv->has_token) {
        reply_fail(r, 403, "", "this server is read-only: it was started without --token-file");
        return;
    }
    if (!authorized(sv, conn)) {
        r->auth = 1;
        reply_fail(r, 401, "Authorization", "Authorization: storing stories needs 'Authorization: Bearer TOKEN' "
                                            "with the token of the server's --token-file");
        return;
    }
    body b;
    if (open_body(sv, rq, type, 1, args, &b, r)) {
        close_body(sv, &b);
        return;
    }
    dyad_coder *c = b.coder;
    serve_stories st = b.st;
    long counts[3] = {0}, events = 0, over = 0;
    dyad_error err = {0};
    int rc = DYAD_OK;
    pthread_mutex_lock(&sv->writer_mu);
    for (size_t i = 0; i < st.n && rc == DYAD_OK; i++) {
        int what = dyad_store_lookup(sv->writer, &st.story[i]);
        if (what == DYAD_STORE_SAME) {
            counts[DYAD_STORE_SAME]++;
            continue;
        }
        if (dyad_story_code(c, &st.story[i], &err) != DYAD_OK) {
            over++;
            continue;
        }
        size_t n;
        const char *jl = dyad_coder_jsonl(c, &n);
        rc = dyad_store_ingest(sv->writer, &st.story[i], jl, n, &what, &err);
        if (rc == DYAD_OK) {
            counts[what]++;
            if (what != DYAD_STORE_SAME) events += (long)dyad_coder_event_count(c);
        }
    }
    if (rc == DYAD_OK) rc = dyad_store_commit(sv->writer, &err);
    pthread_mutex_unlock(&sv->writer_mu);
    pthread_mutex_lock(&sv->cache_mu);
    sv->gen++; /* what was cached may have changed */
    pthread_mutex_unlock(&sv->cache_mu);
    close_body(sv, &b);
    if (rc != DYAD_OK) {
        reply_fail(r, rc == DYAD_EINPUT ? 400 : 500, rc == DYAD_EINPUT ? "body" : "", err.message);
        return;
    }
    fprintf(r->f, "{\"stories\":%zu,\"new\":%ld,\"changed\":%ld,\"unchanged\":%ld,\"over_limit\":%ld,"
                  "\"events\":%ld}\n",
            st.n, counts[DYAD_STORE_NEW], counts[DYAD_STORE_CHANGED], counts[DYAD_STORE_SAME], over, events);
}

/* GET /healthz: the store answers a query. */
static void api_health(server *sv, reply *r)
{
    dyad_error err = {0};
    dyad_store *s = store_take(sv, &err);
    int rc = DYAD_EIO;
    if (s) {
        FILE *null = fopen("/dev/null", "w");
        dyad_store_query q = {.limit = 1};
        rc = null ? dyad_store_query_run(s, &q, null, &err) : DYAD_EIO;
        if (null) fclose(null);
        store_give(sv, s, rc != DYAD_OK);
    }
    if (rc != DYAD_OK) {
        reply_fail(r, 503, "", err.message);
        return;
    }
    fprintf(r->f, "{\"status\":\"ok\",\"store\":\"%s\",\"version\":\"%s\",\"writable\":%s}\n",
            sv->is_pg ? "postgresql" : "sqlite", DYAD_VERSION, sv->has_token ? "true" : "false");
}

/* GET /metrics in Prometheus' text format. */
static void api_metrics(server *sv, reply *r)
{
    FILE *f = r->f;
    r->type = "text/plain; version=0.0.4; charset=utf-8";
    fputs("# HELP dyad_http_requests_total Requests answered, by route and status.\n"
          "# TYPE dyad_http_requests_total counter\n", f);
    for (int rt = 0; rt < R_COUNT; rt++)
        for (int k = 0; k <= NCODES; k++) {
            uint64_t v = __atomic_load_n(&stats.requests[rt][k], __ATOMIC_RELAXED);
            if (!v) continue;
            if (k < NCODES) fprintf(f, "dyad_http_requests_total{route=\"%s\",code=\"%d\"} %llu\n", route_name[rt], codes[k], (unsigned long long)v);
            else fprintf(f, "dyad_http_requests_total{route=\"%s\",code=\"other\"} %llu\n", route_name[rt], (unsigned long long)v);
        }
    fputs("# HELP dyad_http_errors_total Requests answered with a 4xx or 5xx status, by route.\n"
          "# TYPE dyad_http_errors_total counter\n", f);
    for (int rt = 0; rt < R_COUNT; rt++) {
        uint64_t v = 0;
        for (int k = 1; k <= NCODES; k++) v += __atomic_load_n(&stats.requests[rt][k], __ATOMIC_RELAXED);
        fprintf(f, "dyad_http_errors_total{route=\"%s\"} %llu\n", route_name[rt], (unsigned long long)v);
    }
    fputs("# HELP dyad_http_request_seconds Time from the request line to the answer queued.\n"
          "# TYPE dyad_http_request_seconds histogram\n", f);
    for (int rt = 0; rt < R_COUNT; rt++) {
        uint64_t cum = 0;
        for (int b = 0; b <= NBUCKETS; b++) {
            cum += __atomic_load_n(&stats.bucket[rt][b], __ATOMIC_RELAXED);
            if (b < NBUCKETS)
                fprintf(f, "dyad_http_request_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n", route_name[rt], bucket_s[b], (unsigned long long)cum);
            else
                fprintf(f, "dyad_http_request_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n", route_name[rt], (unsigned long long)cum);
        }
        fprintf(f, "dyad_http_request_seconds_sum{route=\"%s\"} %.6f\n", route_name[rt],
                __atomic_load_n(&stats.micros[rt], __ATOMIC_RELAXED) / 1e6);
        fprintf(f, "dyad_http_request_seconds_count{route=\"%s\"} %llu\n", route_name[rt], (unsigned long long)cum);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    long rss_kb = 0;
    FILE *st = fopen("/proc/self/statm", "r");
    if (st) {
        long pages, res;
        if (fscanf(st, "%ld %ld", &pages, &res) == 2) rss_kb = res * (sysconf(_SC_PAGESIZE) / 1024);
        fclose(st);
    }
    fprintf(f, "# HELP dyad_http_in_flight Requests being answered.\n# TYPE dyad_http_in_flight gauge\n"
               "dyad_http_in_flight %llu\n"
               "# HELP dyad_process_resident_bytes Resident memory.\n# TYPE dyad_process_resident_bytes gauge\n"
               "dyad_process_resident_bytes %ld\n"
               "# HELP dyad_process_cpu_seconds_total CPU time used.\n# TYPE dyad_process_cpu_seconds_total counter\n"
               "dyad_process_cpu_seconds_total %.3f\n"
               "# HELP dyad_uptime_seconds Seconds since the server started.\n# TYPE dyad_uptime_seconds gauge\n"
               "dyad_uptime_seconds %.1f\n",
            (unsigned long long)__atomic_load_n(&stats.in_flight, __ATOMIC_RELAXED), rss_kb * 1024,
            ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
            mono_s() - sv->t0);
}

/* The Content-Type of a dashboard file by its ending. */
static const char *mime_of(const char *path)
{
    static const char *const map[][2] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".json", "application/json"},
        {".png", "image/png"},                 {".svg", "image/svg+xml"},
        {".ico", "image/x-icon"},              {".txt", "text/plain; charset=utf-8"}};
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof map / sizeof *map; i++)
        if (!strcmp(dot, map[i][0])) return map[i][1];
    return "application/octet-stream";
}

/* A file of the dashboard: only names of letters, digits, '-', '_', '.' and '/', no segment
 * starting with a dot (so no "..", no hidden file), and the file found must lie inside the
 * dashboard directory once links are resolved. Anything else is a 404. */
static void serve_static(server *sv, const char *url, reply *r)
{
    const char *rel = !strcmp(url, "/") ? "index.html" : url + 1;
    size_t n = strlen(rel);
    int ok = n > 0 && n < 200;
    for (size_t i = 0; ok && i < n; i++) {
        char c = rel[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
             c == '_' || c == '/' || (c == '.' && i > 0 && rel[i - 1] != '/');
        if (c == '/' && (i == 0 || rel[i - 1] == '/')) ok = 0;
    }
    char path[PATH_MAX], real[PATH_MAX];
    struct stat sb;
    int fd = -1;
    if (ok && *sv->web_real && snprintf(path, sizeof path, "%s/%s", sv->web_real, rel) < (int)sizeof path &&
        realpath(path, real) && !strncmp(real, sv->web_real, strlen(sv->web_real)) &&
        real[strlen(sv->web_real)] == '/' && (fd = open(real, O_RDONLY | O_CLOEXEC)) >= 0 &&
        fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
        r->fd = fd;
        r->fd_size = sb.st_size;
        r->type = mime_of(real);
        r->cache = 1;
        return;
    }
    if (fd >= 0) close(fd);
    reply_fail(r, 404, "", *sv->web_real ? "no such file" : "the dashboard is not built (make web) or --web names no directory");
}

/* GET /api/openapi.json: the description written by hand (web/openapi.json), embedded. */
struct dy_blob {
    const char *name;
    const unsigned char *data;
    size_t len;
};
extern const struct dy_blob dy_openapi_blobs[];

static void api_openapi(reply *r)
{
    fwrite(dy_openapi_blobs[0].data, 1, dy_openapi_blobs[0].len, r->f);
}

/* ==== libmicrohttpd's callbacks ========================================================== */

/* Called with the request line, before anything else: keeps the raw URI (the query string
 * is decoded by serve_args_parse, strictly) and the start time. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    request *rq = calloc(1, sizeof *rq);
    if (!rq) return NULL;
    rq->t0 = mono_s();
    rq->uri = strdup(uri ? uri : "/");
    rq->route = R_OTHER;
    __atomic_add_fetch(&stats.in_flight, 1, __ATOMIC_RELAXED);
    return rq;
}

static void on_done(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    request *rq = *con_cls;
    if (!rq) return;
    count_request(rq->route, rq->status ? rq->status : 500, mono_s() - rq->t0);
    __atomic_sub_fetch(&stats.in_flight, 1, __ATOMIC_RELAXED);
    free(rq->uri);
    free(rq->body);
    free(rq);
    *con_cls = NULL;
}

/* Queues r as the answer. */
static enum MHD_Result send_reply(struct MHD_Connection *conn, request *rq, reply *r)
{
    fclose(r->f);
    struct MHD_Response *resp;
    if (r->fd >= 0) {
        resp = MHD_create_response_from_fd((uint64_t)r->fd_size, r->fd);
        free(r->buf);
    } else {
        resp = MHD_create_response_from_buffer(r->len, r->buf, MHD_RESPMEM_MUST_FREE);
    }
    if (!resp) {
        if (r->fd < 0) free(r->buf);
        else close(r->fd);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", r->type);
    MHD_add_response_header(resp, "Server", "dyad/" DYAD_VERSION);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cache-Control", r->cache ? "public, max-age=300" : "no-store");
    if (rq->route == R_STATIC)
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                "object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
    if (*r->next) MHD_add_response_header(resp, "X-Next-Cursor", r->next);
    if (r->auth) MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"dyad\"");
    if (r->allow) MHD_add_response_header(resp, "Allow", r->allow);
    rq->status = r->status;
    __atomic_add_fetch(&stats.bytes_out, r->fd >= 0 ? (uint64_t)r->fd_size : r->len, __ATOMIC_RELAXED);
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    server *sv = cls;
    request *rq = *con_cls;
    if (!rq) return MHD_NO;
    int post = !strcmp(method, "POST"), get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    if (post && !rq->started) { /* the body comes in the next calls */
        rq->started = 1;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > sv->max_body) rq->too_large = 1;
        return MHD_YES;
    }
    if (post && *upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (rq->too_large || rq->body_n + n > sv->max_body) {
            rq->too_large = 1; /* the rest is read and dropped; the answer is a 413 */
            return MHD_YES;
        }
        if (rq->body_n + n > rq->body_cap) {
            size_t cap = rq->body_cap ? rq->body_cap : 4096;
            while (cap < rq->body_n + n) cap *= 2;
            char *b = realloc(rq->body, cap);
            if (!b) return MHD_NO;
            rq->body = b, rq->body_cap = cap;
        }
        memcpy(rq->body + rq->body_n, upload, n);
        rq->body_n += n;
        return MHD_YES;
    }
    reply r;
    if (reply_open(&r)) return MHD_NO;
    const char *q = strchr(rq->uri, '?');
    static const struct {
        const char *path;
        int route, post;
    } routes[] = {{"/api/events", R_EVENTS, 0},   {"/api/happenings", R_HAPPENINGS, 0},
                  {"/api/series", R_SERIES, 0},   {"/api/places", R_PLACES, 0},
                  {"/api/code", R_CODE, 1},       {"/api/ingest", R_INGEST, 1},
                  {"/healthz", R_HEALTHZ, 0},     {"/metrics", R_METRICS, 0},
                  {"/api/openapi.json", R_OPENAPI, 0}};
    int route = -1, want_post = 0;
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++)
        if (!strcmp(url, routes[i].path)) route = routes[i].route, want_post = routes[i].post;
    if (route < 0 && !strncmp(url, "/api/stories/", 13)) route = R_STORIES;
    if (route < 0 && !strncmp(url, "/api/", 5)) route = R_OTHER;
    if (route < 0) route = R_STATIC;
    rq->route = route;
    serve_args args = {0};
    serve_error e;
    if (route == R_OTHER) {
        reply_fail(&r, 404, "", "no such endpoint (see /api/openapi.json)");
    } else if (want_post ? !post : !get) {
        r.allow = want_post ? "POST" : "GET, HEAD";
        reply_fail(&r, 405, "", want_post ? "this endpoint takes POST" : "this endpoint takes GET or HEAD");
    } else if (rq->too_large) {
        char msg[120];
        snprintf(msg, sizeof msg, "the body is larger than the server's limit of %zu bytes (--max-body)", sv->max_body);
        reply_fail(&r, 413, "body", msg);
    } else if (serve_args_parse(q ? q + 1 : NULL, q ? strlen(q + 1) : 0, &args, &e)) {
        reply_error(&r, &e);
    } else if (route == R_STATIC) {
        serve_static(sv, url, &r);
    } else if (route == R_STORIES) {
        if (args.n) reply_fail(&r, 400, args.p[0].name, "a story takes no query parameters");
        else api_story(sv, url + 13, &r);
    } else if (route == R_CODE || route == R_INGEST) {
        const char *type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
        int i = 0;
        for (; i < args.n && !strcmp(args.p[i].name, "id"); i++) {}
        if (i < args.n) reply_fail(&r, 400, args.p[i].name, "unknown parameter (only id, for a text/plain story)");
        else if (route == R_CODE) api_code(sv, rq, type, &args, &r);
        else api_ingest(sv, conn, rq, type, &args, &r);
    } else if (route == R_HEALTHZ || route == R_METRICS || route == R_OPENAPI) {
        if (args.n) reply_fail(&r, 400, args.p[0].name, "this endpoint takes no query parameters");
        else if (route == R_HEALTHZ) api_health(sv, &r);
        else if (route == R_METRICS) api_metrics(sv, &r);
        else api_openapi(&r);
    } else {
        api_query_cached(sv, route, q ? q + 1 : NULL, &args, &r);
    }
    serve_args_free(&args);
    return send_reply(conn, rq, &r);
}

/* ==== the command ======================================================================== */

/* Reads the token: its printable characters, without a final newline. 0, or -1 (stderr). */
static int read_token(server *sv, const char *file)
{
    FILE *f = fopen(file, "rb");
    if (!f) {
        fprintf(stderr, "dyad: --token-file: %s: %s\n", file, strerror(errno));
        return -1;
    }
    size_t n = fread(sv->token, 1, sizeof sv->token - 1, f);
    int more = fgetc(f) != EOF;
    fclose(f);
    while (n && (sv->token[n - 1] == '\n' || sv->token[n - 1] == '\r')) n--;
    sv->token[n] = 0;
    int ok = !more && n >= 16;
    for (size_t i = 0; ok && i < n; i++) ok = sv->token[i] > 0x20 && sv->token[i] < 0x7f;
    if (!ok) {
        fprintf(stderr, "dyad: --token-file: %s: not a token (16 to 4096 printable characters, no spaces)\n", file);
        return -1;
    }
    sv->token_len = n;
    sv->has_token = 1;
    return 0;
}

/* Parses ADDR:PORT ([v6]:PORT) into ss; 0, or -1 (stderr). */
static int parse_listen(const char *v, struct sockaddr_storage *ss, int *v6)
{
    char host[64];
    const char *colon = strrchr(v, ':');
    long port;
    if (!colon || (size_t)(colon - v) >= sizeof host) goto bad;
    memcpy(host, v, (size_t)(colon - v));
    host[colon - v] = 0;
    if (cli_long("--listen port", colon + 1, 0, 65535, &port)) return -1;
    memset(ss, 0, sizeof *ss);
    size_t hn = strlen(host);
    if (hn > 2 && host[0] == '[' && host[hn - 1] == ']') {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        host[hn - 1] = 0;
        if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1) goto bad;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        *v6 = 1;
        return 0;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    if (!strcmp(host, "localhost")) strcpy(host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &a->sin_addr) != 1) goto bad;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    *v6 = 0;
    return 0;
bad:
    fprintf(stderr, "dyad: --listen: '%s' is not ADDR:PORT (127.0.0.1:8080, 0.0.0.0:80, [::1]:8080)\n", v);
    return -1;
}

/* The dashboard's default directory: web/ beside the binary (build/web for build/dyad). */
static void default_web(char *out, size_t n)
{
    char exe[PATH_MAX];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    *out = 0;
    if (k <= 0) return;
    exe[k] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) *slash = 0;
    snprintf(out, n, "%s/web", exe);
}

int cmd_serve(int argc, char **argv)
{
    static server sv; /* large (its cache's index) */
    sv = (server){.max_rows = 1000, .max_body = 1 << 20, .timeout_ms = 10000, .cache_s = 60};
    const char *listen_at = "127.0.0.1:8080", *token_file = NULL, *dir = NULL;
    long threads = 4, max_conn = 256, v;
    int quiet = 0;
    char web[PATH_MAX] = "";
    enum { O_DB = 256, O_LISTEN, O_TOKEN, O_WEB, O_THREADS, O_MAXCONN, O_MAXBODY, O_MAXROWS, O_TIMEOUT, O_DICT, O_CACHE };
    static const struct option longs[] = {
        {"db", required_argument, NULL, O_DB},
        {"listen", required_argument, NULL, O_LISTEN},
        {"token-file", required_argument, NULL, O_TOKEN},
        {"web", required_argument, NULL, O_WEB},
        {"threads", required_argument, NULL, O_THREADS},
        {"max-connections", required_argument, NULL, O_MAXCONN},
        {"max-body", required_argument, NULL, O_MAXBODY},
        {"max-rows", required_argument, NULL, O_MAXROWS},
        {"timeout", required_argument, NULL, O_TIMEOUT},
        {"dict", required_argument, NULL, O_DICT},
        {"cache-seconds", required_argument, NULL, O_CACHE},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {0}};
    for (int c; (c = cli_getopt(argc, argv, "serve", ":hq", longs)) != -1;) {
        switch (c) {
        case 'h': fputs(usage_serve, stdout); return 0;
        case 'q': quiet = 1; break;
        case O_DB: sv.db = optarg; break;
        case O_LISTEN: listen_at = optarg; break;
        case O_TOKEN: token_file = optarg; break;
        case O_WEB: snprintf(web, sizeof web, "%s", optarg); break;
        case O_DICT: dir = optarg; break;
        case O_THREADS: if (cli_long("--threads", optarg, 1, 256, &threads)) return EXIT_USAGE; break;
        case O_MAXCONN: if (cli_long("--max-connections", optarg, 1, 10000, &max_conn)) return EXIT_USAGE; break;
        case O_MAXBODY: if (cli_size("--max-body", optarg, &sv.max_body)) return EXIT_USAGE; break;
        case O_MAXROWS: if (cli_long("--max-rows", optarg, 1, 100000, &sv.max_rows)) return EXIT_USAGE; break;
        case O_CACHE:
            if (cli_long("--cache-seconds", optarg, 0, 86400, &v)) return EXIT_USAGE;
            sv.cache_s = (int)v;
            break;
        case O_TIMEOUT:
            if (cli_long("--timeout", optarg, 1, 600000, &v)) return EXIT_USAGE;
            sv.timeout_ms = (int)v;
            break;
        default: return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "dyad serve: unexpected argument '%s' (see 'dyad serve --help')\n", argv[optind]);
        return EXIT_USAGE;
    }
    if (!sv.db) {
        fprintf(stderr, "dyad: serve needs --db PATH or --db postgresql://...\n");
        return EXIT_USAGE;
    }
    struct sockaddr_storage addr;
    int v6;
    if (parse_listen(listen_at, &addr, &v6)) return EXIT_USAGE;
    if (token_file && read_token(&sv, token_file)) return EXIT_USAGE;
    if (!*web) default_web(web, sizeof web);
    sv.web = web;
    if (!realpath(web, sv.web_real)) {
        *sv.web_real = 0;
        if (!quiet) fprintf(stderr, "dyad serve: no dashboard at %s (make web builds it); the API is served\n", web);
    }
    sv.is_pg = !strncmp(sv.db, "postgresql://", 13) || !strncmp(sv.db, "postgres://", 11);
    if (!sv.is_pg && access(sv.db, R_OK)) {
        fprintf(stderr, "dyad: %s: %s\n", sv.db, strerror(errno));
        return EXIT_FATAL;
    }
    /* one handle now: a store that cannot be opened is said at once, not at the first request */
    pthread_mutex_init(&sv.stores.mu, NULL);
    pthread_mutex_init(&sv.coders.mu, NULL);
    pthread_mutex_init(&sv.writer_mu, NULL);
    pthread_mutex_init(&sv.cache_mu, NULL);
    dyad_error err = {0};
    dyad_store *first = store_take(&sv, &err);
    if (!first) {
        fprintf(stderr, "dyad: %s\n", err.message);
        return EXIT_FATAL;
    }
    pool_give(&sv.stores, first);
    int status = 0;
    if (sv.has_token) {
        dyad_store_options wo = {.timeout_ms = 0};
        if (!(sv.writer = dyad_store_open(sv.db, &wo, &err))) {
            fprintf(stderr, "dyad: %s\n", err.message);
            status = EXIT_FATAL;
            goto out;
        }
    }
    if (!(sv.dict = load_dict(dir, NULL, 0, 0))) {
        status = EXIT_FATAL;
        goto out;
    }
    /* SIGINT and SIGTERM are waited for by this thread; the server's threads inherit the mask */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    sv.t0 = mono_s();
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | (v6 ? MHD_USE_IPv6 : 0);
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, &sv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_CONNECTION_LIMIT, (unsigned)max_conn,
        MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_URI_LOG_CALLBACK, on_uri, &sv,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, &sv, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "dyad: serve: cannot listen on %s: %s\n", listen_at, strerror(errno));
        status = EXIT_FATAL;
        goto out;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : 0;
    if (!quiet) {
        char host[64];
        snprintf(host, sizeof host, "%.*s", (int)(strrchr(listen_at, ':') - listen_at), listen_at);
        fprintf(stderr, "dyad serve: listening on http://%s:%u/ (%s store, %s, %ld threads)\n", host, port,
                sv.is_pg ? "PostgreSQL" : "SQLite", sv.has_token ? "ingest with the token" : "read-only", threads);
    }
    int sig;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    if (!quiet) fprintf(stderr, "dyad serve: stopped (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
out:
    for (void *s; (s = pool_take(&sv.stores));) dyad_store_close(s, NULL);
    for (void *c; (c = pool_take(&sv.coders));) dyad_coder_free(c);
    if (sv.writer && dyad_store_close(sv.writer, &err) != DYAD_OK) {
        fprintf(stderr, "dyad: %s\n", err.message);
        status = EXIT_FATAL;
    }
    dyad_dict_free(sv.dict);
    for (int i = 0; i < CACHE_ENTRIES; i++) free(sv.cache[i].key), free(sv.cache[i].body);
    return status;
}
