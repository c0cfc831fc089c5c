/*
 * ingest.c — coding and storing overlapped: a coding pool (pool.c; with one job, the
 * caller's thread) codes the stories while a second thread stores the ones before them
 * (dyad_store_ingest), through a ring of copied stories and their records. Whether a story
 * is already stored unchanged is asked of a read-only handle on the same store, so that it
 * is not coded again; a story whose id was handed to the store in this run is always coded,
 * and the store's own lookup decides. Outcomes are reported on the caller's thread, in input
 * order.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "pool.h"
#include "store.h"

/* Stories between handing over and reporting: enough to go on coding through a commit
 * (coding a story takes ~0.15 ms; a commit of 5000 stories ~0.1-0.2 s; at 64 the coder
 * waited 4% of its time). */
enum { RING = 1024, WAKE = 32 };

typedef struct item {
    dyad_story st;    /* its strings in buf */
    char *buf;        /* the story's strings, then its records (jsonl) */
    const char *jsonl;
    size_t jsonl_len;
    int store;        /* to be stored; else rc and what are final */
    int rc, what;
    size_t events;
    char message[sizeof ((dyad_error *)0)->message];
} item;

struct dyad_ingest {
    dyad_store *s;      /* the writer thread's alone until dyad_ingest_finish */
    dyad_store *reader; /* the caller's lookups (NULL: every story is coded) */
    dyad_pool *pool;    /* codes the stories and hands them over in order (coded()) */
    dyad_ingest_report report;
    void *ctx;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t work, stored;
    item ring[RING];
    size_t head, filled, mid, tail; /* handed to the pool, coded into the ring, stored,
                                       reported: counts, ring index % RING */
    int done, failed, nomem, writer_waits, caller_waits;
    dyad_error fail;        /* the database error that stopped the writer */
    uint64_t *ids;          /* open addressing: hashes of the ids handed to the writer */
    size_t nids, capids;
};

static void *writer(void *arg)
{
    dyad_ingest *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->mid == p->filled && !p->done) {
            p->writer_waits = 1;
            pthread_cond_wait(&p->work, &p->mu);
            p->writer_waits = 0;
        }
        if (p->mid == p->filled) break;
        item *it = &p->ring[p->mid % RING];
        int failed = p->failed;
        pthread_mutex_unlock(&p->mu);
        dyad_error err = {0};
        if (it->store && failed) {
            it->rc = DYAD_EIO;
            snprintf(it->message, sizeof it->message, "story '%s' not stored: %s", it->st.id,
                     p->fail.message);
        } else if (it->store) {
            it->rc = dyad_store_ingest(p->s, &it->st, it->jsonl, it->jsonl_len, &it->what, &err);
            if (it->rc) snprintf(it->message, sizeof it->message, "%s", err.message);
        }
        pthread_mutex_lock(&p->mu);
        if (it->store && it->rc && it->rc != DYAD_EINPUT && !p->failed) {
            p->failed = 1; /* the batch was rolled back: nothing more is stored */
            p->fail = err;
        }
        p->mid++;
        if (p->caller_waits) pthread_cond_signal(&p->stored);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Reports the stored items (with the mutex held; released around the callback). */
static void drain(dyad_ingest *p)
{
    while (p->tail < p->mid) {
        item *it = &p->ring[p->tail % RING];
        pthread_mutex_unlock(&p->mu);
        if (p->report) {
            dyad_ingest_outcome o = {it->st.id, it->st.file, it->st.line, it->rc, it->what, it->events,
                                     it->rc ? it->message : NULL};
            p->report(p->ctx, &o);
        }
        free(it->buf);
        it->buf = NULL;
        pthread_mutex_lock(&p->mu);
        p->tail++;
    }
}

/* Whether id was handed to the writer in this run; with add, it is from now on. Hashes
 * that collide only cost a story coded that need not have been. */
static int seen(dyad_ingest *p, const char *id, int add)
{
    uint64_t h = dy_hash(id, strlen(id)) | 1; /* 0 marks a free slot */
    if (add && 2 * (p->nids + 1) > p->capids) {
        size_t cap = p->capids ? 2 * p->capids : 1024;
        uint64_t *t = calloc(cap, sizeof *t);
        if (!t) return -1;
        for (size_t i = 0; i < p->capids; i++) {
            if (!p->ids[i]) continue;
            size_t k = p->ids[i] & (cap - 1);
            while (t[k]) k = (k + 1) & (cap - 1);
            t[k] = p->ids[i];
        }
        free(p->ids);
        p->ids = t, p->capids = cap;
    }
    if (!p->capids) return 0;
    size_t k = h & (p->capids - 1);
    while (p->ids[k] && p->ids[k] != h) k = (k + 1) & (p->capids - 1);
    if (p->ids[k]) return 1;
    if (add) p->ids[k] = h, p->nids++;
    return 0;
}

/* Puts one coded story (or one not to be coded: stored unchanged) into the ring for the
 * writer, in input order. The pool calls it, one story at a time (from one of its threads
 * with several jobs); the story's slot is free, since dyad_ingest_story handed it over only
 * when the ring had room. */
static int coded(void *ctx, const dyad_coded *r)
{
    dyad_ingest *p = ctx;
    item *it = &p->ring[p->filled % RING]; /* filled moves only here; read under the lock */
    memset(it, 0, sizeof *it);
    const char *jsonl = NULL;
    size_t len = 0, cap = 0;
    if (!r->coded) {
        it->what = DYAD_STORE_SAME; /* nothing to code or store */
    } else if (r->rc == DYAD_OK) {
        it->store = 1;
        it->events = r->events;
        jsonl = r->jsonl;
        len = r->jsonl_len;
    } else { /* over a limit (not stored, so a later run retries), or out of memory */
        it->rc = r->rc;
        snprintf(it->message, sizeof it->message, "story '%s' skipped: %s", r->story->id, r->err->message);
    }
    int nomem = r->rc == DYAD_ENOMEM;
    if (dy_story_copy(&it->st, r->story, jsonl != NULL, jsonl, len, &it->jsonl, &it->buf, &cap)) {
        it->st = (dyad_story){.id = "?"}; /* (the report names no story it cannot keep) */
        it->store = 0;
        it->rc = DYAD_ENOMEM;
        snprintf(it->message, sizeof it->message, "a story not stored: out of memory");
        nomem = 1;
    }
    it->jsonl_len = len;
    /* the writer is woken for a few stories at a time, not for each (a wake-up is a system
     * call on this thread and a context switch on the other) */
    pthread_mutex_lock(&p->mu);
    p->filled++;
    if (nomem) p->nomem = 1;
    if (p->writer_waits && p->filled - p->mid >= WAKE) pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    return 0;
}

dyad_ingest *dyad_ingest_start(dyad_store *s, const dyad_dict *d, const dyad_options *opts, int jobs,
                               dyad_ingest_report report, void *ctx, dyad_error *err)
{
    dyad_ingest *p = calloc(1, sizeof *p);
    if (!p) {
        if (err) *err = (dyad_error){.code = DYAD_ENOMEM, .message = "out of memory"};
        return NULL;
    }
    p->s = s, p->report = report, p->ctx = ctx;
    p->pool = dyad_pool_start(d, opts, jobs, coded, p, err);
    if (!p->pool) {
        free(p);
        return NULL;
    }
    /* committed stories are visible to a second handle; without one, every story is coded.
     * None is needed for a store that holds no story yet: every story this run stores is
     * in seen() (a story another writer stores meanwhile is coded, and the store decides) */
    if (s->path) {
        dyad_store_options ro = {.read_only = 1};
        p->reader = dyad_store_open(s->path, &ro, NULL);
        dy_stmt *q = p->reader ? dy_db_prepare(p->reader->db, "SELECT 1 FROM stories LIMIT 1", 0) : NULL;
        int empty = q && dy_step(q) == DY_DONE;
        dy_stmt_free(q);
        if (empty) {
            dyad_store_close(p->reader, NULL);
            p->reader = NULL;
        }
    }
    if (pthread_mutex_init(&p->mu, NULL)) goto fail;
    if (pthread_cond_init(&p->work, NULL)) goto fail_mu;
    if (pthread_cond_init(&p->stored, NULL)) goto fail_work;
    if (pthread_create(&p->thread, NULL, writer, p)) goto fail_stored;
    return p;
fail_stored:
    pthread_cond_destroy(&p->stored);
fail_work:
    pthread_cond_destroy(&p->work);
fail_mu:
    pthread_mutex_destroy(&p->mu);
fail:
    dyad_pool_finish(p->pool);
    dyad_store_close(p->reader, NULL);
    free(p);
    if (err) *err = (dyad_error){.code = DYAD_ENOMEM, .message = "cannot start the store's thread"};
    return NULL;
}

int dyad_ingest_story(dyad_ingest *p, const dyad_story *st, dyad_error *err)
{
    pthread_mutex_lock(&p->mu);
    drain(p);
    while (p->head - p->tail == RING) {
        p->caller_waits = 1;
        pthread_cond_wait(&p->stored, &p->mu);
        p->caller_waits = 0;
        drain(p);
    }
    int failed = p->failed, nomem = p->nomem;
    if (failed && err) *err = p->fail;
    pthread_mutex_unlock(&p->mu);
    if (failed) return DYAD_EIO;
    if (nomem) {
        if (err) *err = (dyad_error){.code = DYAD_ENOMEM, .message = "out of memory"};
        return DYAD_ENOMEM;
    }

    int in_run = seen(p, st->id, 0);
    int what = p->reader && !in_run ? dyad_store_lookup(p->reader, st) : DYAD_STORE_NEW;
    if (what == DYAD_STORE_SAME && p->head == p->tail) { /* nothing before it to report */
        if (p->report) {
            dyad_ingest_outcome o = {st->id, st->file, st->line, DYAD_OK, what, 0, NULL};
            p->report(p->ctx, &o);
        }
        return DYAD_OK;
    }
    /* (a slot of the ring is the story's from here: coded() fills it in input order) */
    int rc = what == DYAD_STORE_SAME ? dyad_pool_pass(p->pool, st, DYAD_OK, NULL, NULL, err)
           : seen(p, st->id, 1) < 0   ? DYAD_ENOMEM
                                      : dyad_pool_story(p->pool, st, NULL, err);
    if (rc) {
        if (err) *err = (dyad_error){.code = DYAD_ENOMEM, .message = "out of memory"};
        return DYAD_ENOMEM;
    }
    p->head++; /* (the caller's alone: the others read filled, mid and tail) */
    return DYAD_OK;
}

int dyad_ingest_finish(dyad_ingest *p, dyad_error *err)
{
    if (!p) return DYAD_OK;
    dyad_pool_finish(p->pool); /* every story handed over is in the ring */
    pthread_mutex_lock(&p->mu);
    p->done = 1;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    pthread_mutex_lock(&p->mu);
    drain(p);
    pthread_mutex_unlock(&p->mu);
    int rc = DYAD_OK;
    if (p->failed) {
        if (err) *err = p->fail;
        rc = DYAD_EIO;
    } else {
        rc = dyad_store_commit(p->s, err); /* (what was stored is whole, even out of memory) */
        if (!rc && p->nomem) {
            if (err) *err = (dyad_error){.code = DYAD_ENOMEM, .message = "out of memory"};
            rc = DYAD_ENOMEM;
        }
    }
    dyad_store_close(p->reader, NULL);
    pthread_cond_destroy(&p->stored);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->mu);
    free(p->ids);
    free(p);
    return rc;
}
