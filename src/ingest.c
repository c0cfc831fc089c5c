/*
 * ingest.c — coding and storing overlapped: the caller's thread codes each story while a
 * second thread stores the ones before it (dyad_store_ingest), through a ring of copied
 * stories and their records. Whether a story is already stored unchanged is asked of a
 * read-only handle on the same store, so that it is not coded again; a story whose id was
 * handed to the store in this run is always coded, and the store's own lookup decides.
 * Outcomes are reported on the caller's thread, in input order.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "store.h"

/* Stories between coding and storing: enough to go on coding through a commit (coding a
 * story takes ~0.15 ms; a commit of 5000 stories ~0.1-0.2 s; at 64 the coder waited 4% of
 * its time). */
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
    dyad_coder *c;
    dyad_ingest_report report;
    void *ctx;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t work, stored;
    item ring[RING];
    size_t head, mid, tail; /* handed over, stored, reported: counts, ring index % RING */
    int done, failed, writer_waits, caller_waits;
    dyad_error fail;        /* the database error that stopped the writer */
    uint64_t *ids;          /* open addressing: hashes of the ids handed to the writer */
    size_t nids, capids;
};

static void *writer(void *arg)
{
    dyad_ingest *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->mid == p->head && !p->done) {
            p->writer_waits = 1;
            pthread_cond_wait(&p->work, &p->mu);
            p->writer_waits = 0;
        }
        if (p->mid == p->head) break;
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

dyad_ingest *dyad_ingest_start(dyad_store *s, dyad_coder *c, dyad_ingest_report report,
                               void *ctx, dyad_error *err)
{
    dyad_ingest *p = calloc(1, sizeof *p);
    if (!p) {
        if (err) *err = (dyad_error){.code = DYAD_ENOMEM, .message = "out of memory"};
        return NULL;
    }
    p->s = s, p->c = c, p->report = report, p->ctx = ctx;
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
    dyad_store_close(p->reader, NULL);
    free(p);
    if (err) *err = (dyad_error){.code = DYAD_ENOMEM, .message = "cannot start the store's thread"};
    return NULL;
}

/* Copies st's strings (its text unless jsonl is NULL: the story is only reported) and the
 * records into one block owned by it. */
static int copy_in(item *it, const dyad_story *st, const char *jsonl, size_t len)
{
    const char *f[6] = {st->id, st->date, st->title, st->source, st->url, st->file};
    size_t tn = jsonl ? st->text_len : 0, n = tn + 1 + len + 1;
    for (int i = 0; i < 6; i++) n += f[i] ? strlen(f[i]) + 1 : 0;
    char *b = malloc(n);
    if (!b) return -1;
    it->buf = b;
    it->st = *st;
    const char **to[6] = {&it->st.id, &it->st.date, &it->st.title, &it->st.source, &it->st.url,
                           &it->st.file};
    for (int i = 0; i < 6; i++) {
        if (!f[i]) continue;
        size_t k = strlen(f[i]) + 1;
        memcpy(b, f[i], k);
        *to[i] = b;
        b += k;
    }
    if (tn) memcpy(b, st->text, tn);
    b[tn] = 0;
    it->st.text = b, it->st.text_len = tn;
    b += tn + 1;
    if (len) memcpy(b, jsonl, len);
    b[len] = 0;
    it->jsonl = b, it->jsonl_len = len;
    return 0;
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
    int failed = p->failed;
    if (failed && err) *err = p->fail;
    pthread_mutex_unlock(&p->mu);
    if (failed) return DYAD_EIO;

    item *it = &p->ring[p->head % RING];
    memset(it, 0, sizeof *it);
    int in_run = seen(p, st->id, 0);
    int what = p->reader && !in_run ? dyad_store_lookup(p->reader, st) : DYAD_STORE_NEW;
    int rc = DYAD_OK;
    dyad_error e = {0};
    if (what == DYAD_STORE_SAME && p->head == p->tail) { /* nothing before it to report */
        if (p->report) {
            dyad_ingest_outcome o = {st->id, st->file, st->line, DYAD_OK, what, 0, NULL};
            p->report(p->ctx, &o);
        }
        return DYAD_OK;
    }
    if (what == DYAD_STORE_SAME) { /* nothing to code or store */
        it->what = what;
        if (copy_in(it, st, NULL, 0)) rc = DYAD_ENOMEM;
    } else if ((rc = dyad_story_code(p->c, st, &e)) != DYAD_OK) {
        if (rc != DYAD_ENOMEM) { /* over a limit: not stored, so a later run retries */
            it->rc = rc;
            snprintf(it->message, sizeof it->message, "story '%s' skipped: %s", st->id, e.message);
            rc = copy_in(it, st, NULL, 0) ? DYAD_ENOMEM : DYAD_OK;
        }
    } else {
        size_t len = 0;
        const char *j = dyad_coder_jsonl(p->c, &len);
        it->store = 1;
        it->events = dyad_coder_event_count(p->c);
        if (copy_in(it, st, j ? j : "", len) || seen(p, st->id, 1) < 0) rc = DYAD_ENOMEM;
    }
    if (rc) {
        free(it->buf);
        if (err) *err = (dyad_error){.code = DYAD_ENOMEM, .message = "out of memory"};
        return DYAD_ENOMEM;
    }
    /* the writer is woken for a few stories at a time, not for each (a wake-up is a system
     * call on this thread and a context switch on the other) */
    pthread_mutex_lock(&p->mu);
    p->head++;
    if (p->writer_waits && p->head - p->mid >= WAKE) pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    return DYAD_OK;
}

int dyad_ingest_finish(dyad_ingest *p, dyad_error *err)
{
    if (!p) return DYAD_OK;
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
        rc = dyad_store_commit(p->s, err);
    }
    dyad_store_close(p->reader, NULL);
    pthread_cond_destroy(&p->stored);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->mu);
    free(p->ids);
    free(p);
    return rc;
}
