/*
 * pool.c — coding on several threads (dyad_pool_*). The caller's thread hands stories over
 * in input order into a window of slots; N threads, each with its own coder over the one
 * read-only dict, take them a few at a time, and whichever thread finds the oldest story
 * coded reports it and those after it that are ready, in input order and one report at a
 * time, so that the output is what one coder writes. With one job there is no thread.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "pool.h"

/* A thread takes at most BATCH stories at once, and fewer when there are few to share: the
 * lock is taken twice per batch rather than per story, and a slow feed is still coded a
 * story at a time as it comes. */
enum { WINDOW = DYAD_POOL_WINDOW, BATCH = 16 };
/* A caller that found the window full is woken once this many slots are free again, not for
 * each one: a reader is much faster than the coders, and waking it per story costs a context
 * switch per story. */
enum { REFILL = WINDOW / 4 };

/* Buffers grown past this by one large story are given back once it is reported. */
#define KEEP_BYTES ((size_t)1 << 20)

typedef struct slot {
    dyad_story st;       /* the copy; its strings in mem */
    char *mem;
    size_t cap;
    int has_story;       /* st holds a story (a passed record may have none) */
    int code;            /* to be coded (else handed over with dyad_pool_pass) */
    void *tag;
    dyad_options opt;    /* what to code it with, and its generation (dyad_pool_options) */
    unsigned gen;
    int rc;              /* the outcome */
    dyad_error err;
    dy_buf jsonl, explain, places;
    size_t events, sentences;
    int discarded;
    int done;            /* coded (or nothing to code): may be reported */
} slot;

typedef struct worker {
    dyad_pool *p;
    dyad_coder *c;
    unsigned gen;        /* of the options c was made with */
    pthread_t thread;
} worker;

struct dyad_pool {
    const dyad_dict *d;
    int jobs;
    dyad_pool_report report;
    void *ctx;
    dyad_options opt;    /* for the stories handed over from now on */
    unsigned gen;        /* counts option changes */
    worker *w;           /* jobs of them */
    int started;         /* threads running */
    slot *ring;          /* WINDOW slots; NULL with one job */
    pthread_mutex_t mu;
    pthread_cond_t work, room;
    size_t head, taken, out; /* handed over, taken by a thread, reported: counts; slot % WINDOW */
    int closing;         /* dyad_pool_finish: threads leave once nothing is left to take */
    int stopped;         /* the report asked to stop */
    int reporting;       /* a thread is reporting (the others leave it the ready slots) */
    int idle;            /* threads waiting for work */
    int caller_waits;    /* the caller waits for room in the window */
};

/* ==== copying a story ==================================================================== */

int dy_story_copy(dyad_story *to, const dyad_story *st, int with_text, const char *tail, size_t tail_len,
                  const char **tail_at, char **mem, size_t *cap)
{
    const char *f[6] = {st->id, st->date, st->title, st->source, st->url, st->file};
    size_t tn = with_text ? st->text_len : 0, n = tn + 1 + tail_len + 1;
    for (int i = 0; i < 6; i++) n += f[i] ? strlen(f[i]) + 1 : 0;
    if (n > *cap) {
        char *b = realloc(*mem, n);
        if (!b) return -1;
        *mem = b;
        *cap = n;
    }
    char *b = *mem;
    *to = *st;
    const char **into[6] = {&to->id, &to->date, &to->title, &to->source, &to->url, &to->file};
    for (int i = 0; i < 6; i++) {
        if (!f[i]) continue;
        size_t k = strlen(f[i]) + 1;
        memcpy(b, f[i], k);
        *into[i] = b;
        b += k;
    }
    if (tn) memcpy(b, st->text, tn);
    b[tn] = 0;
    to->text = b;
    to->text_len = tn;
    b += tn + 1;
    if (tail_len) memcpy(b, tail, tail_len);
    b[tail_len] = 0;
    if (tail_at) *tail_at = b;
    return 0;
}

/* ==== coding ============================================================================= */

static void set_err(dyad_error *err, int code, const char *msg)
{
    if (err) *err = (dyad_error){.code = code};
    if (err) snprintf(err->message, sizeof err->message, "%s", msg);
}

/* The worker's coder for options of generation gen: remade when they changed. NULL when
 * out of memory. */
static dyad_coder *coder_for(worker *w, const dyad_options *opt, unsigned gen)
{
    if (w->c && w->gen == gen) return w->c;
    dyad_coder_free(w->c);
    w->c = dyad_coder_new(w->p->d, opt);
    w->gen = gen;
    return w->c;
}

/* What one coded story gives its report, read from the coder c that coded it. */
static dyad_coded coded_from(dyad_coder *c, const dyad_options *opt, const dyad_story *st, void *tag, int rc,
                             const dyad_error *err)
{
    dyad_coded r = {.story = st, .tag = tag, .coded = 1, .rc = rc, .err = rc ? err : NULL,
                    .jsonl = "", .explain = "", .places = ""};
    if (rc) return r;
    r.jsonl = dyad_coder_jsonl(c, &r.jsonl_len);
    if (opt->explain) r.explain = dyad_coder_explain(c, &r.explain_len);
    if (opt->places) r.places = dyad_coder_places_jsonl(c, &r.places_len);
    r.events = dyad_coder_event_count(c);
    r.sentences = dyad_coder_sentence_count(c);
    r.discarded = dyad_coder_discarded(c);
    return r;
}

/* Codes one slot on worker w and keeps what the report needs in the slot itself (the coder
 * goes on to the next story). */
static void code_slot(worker *w, slot *s)
{
    dyad_coder *c = coder_for(w, &s->opt, s->gen);
    if (!c) {
        s->rc = DYAD_ENOMEM;
        set_err(&s->err, DYAD_ENOMEM, "out of memory");
        return;
    }
    s->err = (dyad_error){0};
    s->rc = dyad_story_code(c, &s->st, &s->err);
    if (s->rc) return;
    dyad_coded r = coded_from(c, &s->opt, &s->st, s->tag, DYAD_OK, NULL);
    s->jsonl.n = s->explain.n = s->places.n = 0;
    dy_buf_put(&s->jsonl, r.jsonl, r.jsonl_len);
    dy_buf_put(&s->explain, r.explain, r.explain_len);
    dy_buf_put(&s->places, r.places, r.places_len);
    dy_buf_nul(&s->jsonl);
    dy_buf_nul(&s->explain);
    dy_buf_nul(&s->places);
    s->events = r.events;
    s->sentences = r.sentences;
    s->discarded = r.discarded;
    if (s->jsonl.oom || s->explain.oom || s->places.oom) {
        s->rc = DYAD_ENOMEM;
        set_err(&s->err, DYAD_ENOMEM, "out of memory keeping a story's records");
    }
}

/* Calls the report for a slot; returns what it returned. */
static int report_slot(dyad_pool *p, slot *s)
{
    dyad_coded r = {.story = s->has_story ? &s->st : NULL, .tag = s->tag, .coded = s->code, .rc = s->rc,
                    .err = s->rc ? &s->err : NULL, .jsonl = "", .explain = "", .places = ""};
    if (s->code && !s->rc) {
        r.jsonl = s->jsonl.p ? s->jsonl.p : "", r.jsonl_len = s->jsonl.n;
        r.explain = s->explain.p ? s->explain.p : "", r.explain_len = s->explain.n;
        r.places = s->places.p ? s->places.p : "", r.places_len = s->places.n;
        r.events = s->events, r.sentences = s->sentences, r.discarded = s->discarded;
    }
    return p->report(p->ctx, &r);
}

/* Gives back what one large story grew a slot's buffers to. */
static void trim_slot(slot *s)
{
    dy_buf *b[3] = {&s->jsonl, &s->explain, &s->places};
    for (int i = 0; i < 3; i++)
        if (b[i]->cap > KEEP_BYTES) dy_buf_free(b[i]);
    for (int i = 0; i < 3; i++) b[i]->oom = 0;
    if (s->cap > KEEP_BYTES) {
        free(s->mem);
        s->mem = NULL;
        s->cap = 0;
    }
}

/* Reports the oldest slots while they are done, unless another thread is at it (it then
 * reports these too). Called with the lock held; released around each report. */
static void report_ready(dyad_pool *p)
{
    if (p->reporting) return;
    p->reporting = 1;
    while (p->out < p->taken && p->ring[p->out % WINDOW].done) {
        slot *s = &p->ring[p->out % WINDOW];
        int stopped = p->stopped;
        pthread_mutex_unlock(&p->mu);
        int stop = stopped ? 0 : report_slot(p, s);
        trim_slot(s);
        pthread_mutex_lock(&p->mu);
        if (stop) p->stopped = 1;
        s->done = 0;
        p->out++;
        if (p->caller_waits && (p->head - p->out <= WINDOW - REFILL || stop)) pthread_cond_signal(&p->room);
    }
    p->reporting = 0;
}

/* A coding thread: takes a share of the stories handed over (at most BATCH), codes them,
 * and reports what is ready. */
static void *work(void *arg)
{
    worker *w = arg;
    dyad_pool *p = w->p;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->taken == p->head && !p->closing) {
            p->idle++;
            pthread_cond_wait(&p->work, &p->mu);
            p->idle--;
        }
        if (p->taken == p->head) break;
        size_t first = p->taken, k = (p->head - p->taken + (size_t)p->jobs - 1) / (size_t)p->jobs;
        if (k > BATCH) k = BATCH;
        p->taken += k;
        int stopped = p->stopped; /* nothing more is reported: nothing to code */
        pthread_mutex_unlock(&p->mu);
        for (size_t i = first; i < first + k; i++) {
            slot *s = &p->ring[i % WINDOW];
            if (s->code && !stopped) code_slot(w, s);
        }
        pthread_mutex_lock(&p->mu);
        for (size_t i = first; i < first + k; i++) p->ring[i % WINDOW].done = 1;
        report_ready(p);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* ==== the pool =========================================================================== */

/* Stops the threads (once they have taken everything) and frees the pool. */
static void pool_free(dyad_pool *p)
{
    if (p->started) { /* (only when starting failed: dyad_pool_finish joins them first) */
        pthread_mutex_lock(&p->mu);
        p->closing = 1;
        pthread_cond_broadcast(&p->work);
        pthread_mutex_unlock(&p->mu);
        for (int i = 0; i < p->started; i++) pthread_join(p->w[i].thread, NULL);
    }
    if (p->ring) {
        pthread_cond_destroy(&p->room);
        pthread_cond_destroy(&p->work);
        pthread_mutex_destroy(&p->mu);
        for (size_t i = 0; i < WINDOW; i++) {
            free(p->ring[i].mem);
            dy_buf_free(&p->ring[i].jsonl);
            dy_buf_free(&p->ring[i].explain);
            dy_buf_free(&p->ring[i].places);
        }
        free(p->ring);
    }
    for (int i = 0; p->w && i < p->jobs; i++) dyad_coder_free(p->w[i].c);
    free(p->w);
    free(p);
}

dyad_pool *dyad_pool_start(const dyad_dict *d, const dyad_options *opts, int jobs, dyad_pool_report report,
                           void *ctx, dyad_error *err)
{
    if (!d || !report || jobs < 1 || jobs > 1024) {
        set_err(err, DYAD_EUSAGE, "dyad_pool_start: no dict or report, or jobs not from 1 to 1024");
        return NULL;
    }
    dyad_pool *p = calloc(1, sizeof *p);
    if (!p) {
        set_err(err, DYAD_ENOMEM, "out of memory");
        return NULL;
    }
    p->d = d, p->jobs = jobs, p->report = report, p->ctx = ctx;
    if (opts) p->opt = *opts;
    p->w = calloc((size_t)jobs, sizeof *p->w);
    for (int i = 0; p->w && i < jobs; i++) {
        p->w[i].p = p;
        if (!coder_for(&p->w[i], &p->opt, 0)) break;
    }
    if (!p->w || !p->w[jobs - 1].c) {
        pool_free(p);
        set_err(err, DYAD_ENOMEM, "out of memory");
        return NULL;
    }
    if (jobs == 1) return p; /* coded on the caller's thread */
    p->ring = calloc(WINDOW, sizeof *p->ring);
    if (!p->ring) {
        pool_free(p);
        set_err(err, DYAD_ENOMEM, "out of memory");
        return NULL;
    }
    int ok = !pthread_mutex_init(&p->mu, NULL);
    ok = ok && !pthread_cond_init(&p->work, NULL);
    ok = ok && !pthread_cond_init(&p->room, NULL);
    while (ok && p->started < jobs && !pthread_create(&p->w[p->started].thread, NULL, work, &p->w[p->started]))
        p->started++;
    if (p->started < jobs) { /* (a mutex or condition that failed to start leaves no thread) */
        pool_free(p);
        set_err(err, DYAD_ENOMEM, "cannot start the coding threads");
        return NULL;
    }
    return p;
}

/* The next free slot of the window, once there is one; NULL when the pool has stopped. */
static slot *next_slot(dyad_pool *p)
{
    pthread_mutex_lock(&p->mu);
    if (p->head - p->out == WINDOW)
        while (p->head - p->out > WINDOW - REFILL && !p->stopped) {
            p->caller_waits = 1;
            pthread_cond_wait(&p->room, &p->mu);
            p->caller_waits = 0;
        }
    int stopped = p->stopped;
    pthread_mutex_unlock(&p->mu);
    return stopped ? NULL : &p->ring[p->head % WINDOW]; /* no thread touches it before head moves */
}

/* Makes the slot at head (filled by the caller) the threads' to take. */
static void hand_over(dyad_pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->head++;
    if (p->idle) pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
}

int dyad_pool_story(dyad_pool *p, const dyad_story *story, void *tag, dyad_error *err)
{
    if (!p->ring && p->stopped) return DYAD_DONE;
    if (!p->ring) { /* one job: coded and reported here */
        dyad_coder *c = coder_for(&p->w[0], &p->opt, p->gen);
        dyad_error e = {0};
        int rc = c ? dyad_story_code(c, story, &e) : DYAD_ENOMEM;
        if (!c) set_err(&e, DYAD_ENOMEM, "out of memory");
        dyad_coded r = coded_from(c, &p->opt, story, tag, rc, &e);
        if (p->report(p->ctx, &r)) p->stopped = 1;
        return DYAD_OK;
    }
    slot *s = next_slot(p);
    if (!s) return DYAD_DONE;
    if (dy_story_copy(&s->st, story, 1, NULL, 0, NULL, &s->mem, &s->cap)) {
        set_err(err, DYAD_ENOMEM, "out of memory");
        return DYAD_ENOMEM;
    }
    s->has_story = 1, s->code = 1, s->tag = tag, s->opt = p->opt, s->gen = p->gen, s->rc = DYAD_OK;
    hand_over(p);
    return DYAD_OK;
}

int dyad_pool_pass(dyad_pool *p, const dyad_story *story, int rc, const dyad_error *why, void *tag,
                   dyad_error *err)
{
    if (!p->ring && p->stopped) return DYAD_DONE;
    if (!p->ring) {
        dyad_coded r = {.story = story, .tag = tag, .rc = rc, .err = rc ? why : NULL, .jsonl = "",
                        .explain = "", .places = ""};
        if (p->report(p->ctx, &r)) p->stopped = 1;
        return DYAD_OK;
    }
    slot *s = next_slot(p);
    if (!s) return DYAD_DONE;
    if (story && dy_story_copy(&s->st, story, 0, NULL, 0, NULL, &s->mem, &s->cap)) {
        set_err(err, DYAD_ENOMEM, "out of memory");
        return DYAD_ENOMEM;
    }
    s->has_story = story != NULL, s->code = 0, s->tag = tag, s->rc = rc;
    s->err = why ? *why : (dyad_error){.code = rc};
    hand_over(p);
    return DYAD_OK;
}

int dyad_pool_options(dyad_pool *p, const dyad_options *opts)
{
    p->opt = opts ? *opts : (dyad_options){0};
    p->gen++;
    return DYAD_OK;
}

int dyad_pool_finish(dyad_pool *p)
{
    if (!p) return DYAD_OK;
    if (p->ring) { /* the threads take, code and report everything before they leave */
        pthread_mutex_lock(&p->mu);
        p->closing = 1;
        pthread_cond_broadcast(&p->work);
        pthread_mutex_unlock(&p->mu);
        for (; p->started > 0; p->started--) pthread_join(p->w[p->started - 1].thread, NULL);
    }
    int rc = p->stopped ? DYAD_DONE : DYAD_OK;
    pool_free(p);
    return rc;
}
