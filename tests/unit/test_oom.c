/*
 * test_oom.c — out-of-memory paths: a failing allocator proves that loading the built-in
 * dictionaries, reading JSON Lines and coding a story either succeed or return DYAD_ENOMEM
 * for every N from 1 to the number of allocations the whole run makes, when the Nth allocation
 * fails (once, then again from the Nth on) — never crash, never leak, and never succeed with a
 * different result (a failure swallowed into a silently smaller dictionary is a bug too).
 *
 * Linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free (mk/hardening.mk), so
 * every allocation of libdyad and of this file goes through the wrappers below; jansson's go
 * through them by json_set_alloc_funcs. The wrappers keep the set of live blocks, so a leak
 * is seen per run, not only by LeakSanitizer at exit. Each run is on a new thread, so what a
 * thread keeps for itself must be freed when it exits. DYAD_OOM_TRACE=N prints the stack of the
 * Nth allocation whenever it is made to fail.
 */
#include "check.h"
#include "dyad.h"
#include "lemma.h"

#include <jansson.h>
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== the failing allocator ================================================================ */

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);

static unsigned long allocs;  /* allocation calls since the last reset */
static unsigned long fail_at; /* 1-based call that fails, 0 for none */
static int fail_after;        /* also fail every call after fail_at */
static unsigned long failed;  /* calls made to fail since the last reset */
static unsigned long trace_at; /* DYAD_OOM_TRACE=N: print the stack of the Nth call that fails */

/* Decides whether this allocation call fails. */
static int should_fail(void)
{
    allocs++;
    if (!fail_at || allocs < fail_at || (allocs > fail_at && !fail_after)) return 0;
    failed++;
    if (allocs == trace_at) {
        fprintf(stderr, "DYAD_OOM_TRACE: allocation %lu fails here:\n", allocs);
        __sanitizer_print_stack_trace();
    }
    return 1;
}

/* Live blocks: an open-addressing set of pointers (never shrinks; tombstones are reused). */
#define LIVE_CAP ((size_t)1 << 20)
#define TOMB ((void *)1)
static void *live[LIVE_CAP];
static size_t nlive;

static size_t slot_of(void *p) { return (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ULL >> 44) & (LIVE_CAP - 1); }

static void live_add(void *p)
{
    if (!p) return;
    size_t i = slot_of(p);
    while (live[i] && live[i] != TOMB) i = (i + 1) & (LIVE_CAP - 1);
    live[i] = p;
    nlive++;
}

static void live_del(void *p)
{
    if (!p) return;
    for (size_t i = slot_of(p); live[i]; i = (i + 1) & (LIVE_CAP - 1))
        if (live[i] == p) {
            live[i] = TOMB;
            nlive--;
            return;
        }
    /* not ours (allocated inside libc, say): freed all the same */
}

void *__wrap_malloc(size_t n)
{
    if (should_fail()) return NULL;
    void *p = __real_malloc(n);
    live_add(p);
    return p;
}

void *__wrap_calloc(size_t k, size_t n)
{
    if (should_fail()) return NULL;
    void *p = __real_calloc(k, n);
    live_add(p);
    return p;
}

void *__wrap_realloc(void *old, size_t n)
{
    if (should_fail()) return NULL;
    void *p = __real_realloc(old, n);
    if (p || !n) live_del(old);
    live_add(p);
    return p;
}

void __wrap_free(void *p)
{
    live_del(p);
    __real_free(p);
}

/* jansson cannot tell its caller that it ran out of memory while scanning a string or a
 * number: it reports a syntax error ("invalid token"), so the reader can only reject the line
 * as invalid JSON. Such runs are counted apart, not as swallowed failures. */
static int json_failed;

static void *json_malloc(size_t n)
{
    void *p = __wrap_malloc(n);
    if (!p) json_failed = 1;
    return p;
}
static void json_free(void *p) { __wrap_free(p); }

/* ==== one run: dictionaries, a reader, the coder ========================================== */

static const char input[] =
    "{\"id\":\"k1\",\"date\":\"2021-11-07\",\"title\":\"Drone attack\",\"text\":\"Iraqi Prime "
    "Minister Mustafa al-Kadhimi survived an assassination attempt with an armed drone on Sunday. "
    "Iran condemned the attack. \\\"We will not be intimidated,\\\" he said. Iraqi police arrested "
    "protesters in Baghdad, and the U.S. called on all sides to show restraint.\"}\n"
    "{\"id\":\"k2\",\"text\": broken}\n"
    "{\"id\":\"k3\",\"date\":\"2022-02-24\",\"text\":\"Russian troops attacked Ukrainian soldiers "
    "near Kharkiv. Ukraine accused Russia of shelling civilians.\"}\n";

/* What one run produced: statuses and all records, to compare with a run without failures. */
typedef struct outcome {
    int enomem; /* some call returned DYAD_ENOMEM (or NULL for out of memory) */
    int other;  /* some call returned a status it must not (counted as a failed check) */
    char out[65536];
    size_t n;
} outcome;

static void append(outcome *o, const char *s, size_t n)
{
    if (n > sizeof o->out - o->n) n = sizeof o->out - o->n;
    memcpy(o->out + o->n, s, n);
    o->n += n;
}

/* Loads the dictionaries, reads every story of input and codes it; frees everything. Stops at
 * the first DYAD_ENOMEM, as a caller would. */
static void run(outcome *o)
{
    dyad_error err;
    memset(o, 0, sizeof *o);
    dyad_dict *d = dyad_dict_new(NULL, NULL, 0);
    dyad_coder *c = NULL;
    dyad_reader *r = NULL;
    FILE *f = NULL;
    if (!d) goto oom;
    int rc = dyad_dict_load_builtin(d, &err);
    if (rc == DYAD_OK) rc = dyad_dict_finish(d, &err);
    if (rc == DYAD_ENOMEM) goto oom;
    if (rc != DYAD_OK) goto other;
    char counts[128];
    int k = snprintf(counts, sizeof counts, "dict %zu %zu %zu %zu %zu\n", dyad_dict_count(d, "actors"),
                     dyad_dict_count(d, "agents"), dyad_dict_count(d, "patterns"),
                     dyad_dict_count(d, "words"), dyad_dict_count(d, "defects"));
    append(o, counts, (size_t)k);
    c = dyad_coder_new(d, NULL);
    if (!c) goto oom;
    f = fmemopen((void *)input, sizeof input - 1, "r");
    if (!f) goto other;
    r = dyad_reader_open(f, "in.jsonl", DYAD_FORMAT_AUTO, NULL, 0);
    if (!r) goto oom;
    for (;;) {
        dyad_story st;
        rc = dyad_reader_next(r, &st, &err);
        if (rc == DYAD_DONE) break;
        if (rc == DYAD_EINPUT) {
            char msg[300];
            int k = snprintf(msg, sizeof msg, "rejected %zu:%zu: %s\n", err.line, err.column, err.message);
            append(o, msg, (size_t)k);
            continue;
        }
        if (rc == DYAD_ENOMEM) goto oom;
        if (rc != DYAD_OK) goto other;
        rc = dyad_story_code(c, &st, &err);
        if (rc == DYAD_ENOMEM) goto oom;
        if (rc != DYAD_OK) goto other;
        size_t len;
        const char *out = dyad_coder_jsonl(c, &len);
        append(o, out, len);
    }
    goto done;
oom:
    o->enomem = 1;
    goto done;
other:
    o->other = 1;
done:
    dyad_reader_close(r);
    if (f) fclose(f);
    dyad_coder_free(c);
    dyad_dict_free(d);
}

/* ==== the test ============================================================================= */

/* Runs run() on a thread of its own, as a server would: whatever a thread keeps for itself (the
 * lexicon's tagging cache) must be made, failed and freed within the run too. */
static void *run_thread(void *o)
{
    run(o);
    return NULL;
}

static void run_on_thread(outcome *o)
{
    pthread_t t;
    if (pthread_create(&t, NULL, run_thread, o)) {
        o->other = 1;
        return;
    }
    pthread_join(t, NULL);
}

/* Prints the first line where a run's records differ from the reference run's. */
static void first_difference(unsigned long n, int mode, const outcome *ref, const outcome *o)
{
    size_t i = 0, line = 0;
    while (i < ref->n && i < o->n && ref->out[i] == o->out[i]) i++;
    size_t a = i;
    while (a > 0 && ref->out[a - 1] != '\n') a--;
    for (size_t k = 0; k < a; k++) line += ref->out[k] == '\n';
    const char *re = memchr(ref->out + a, '\n', ref->n - a), *oe = memchr(o->out + a, '\n', o->n - a);
    int rl = (int)((re ? re : ref->out + ref->n) - (ref->out + a));
    int ol = (int)((oe ? oe : o->out + o->n) - (o->out + a));
    fprintf(stderr,
            "allocation %lu failing%s: no DYAD_ENOMEM, yet line %zu of the result differs:\n"
            "    want %.*s\n    got  %.*s\n",
            n, mode ? " from there on" : "", line + 1, rl < 400 ? rl : 400, ref->out + a,
            ol < 400 ? ol : 400, o->out + a);
}

int main(void)
{
    static outcome ref, o;
    json_set_alloc_funcs(json_malloc, json_free);
    if (getenv("DYAD_OOM_TRACE")) trace_at = strtoul(getenv("DYAD_OOM_TRACE"), NULL, 10);

    /* the lemma tables are loaded once per process and kept: their failure paths first */
    for (unsigned long n = 1;; n++) {
        allocs = failed = 0;
        fail_at = n;
        fail_after = 0;
        int rc = dy_lemma_init();
        fail_at = 0;
        if (rc == 0) break;
        CHECK_INT_EQ(nlive, 0);
        if (n > 100) break;
    }
    size_t baseline = nlive;

    /* the reference run: no failures */
    allocs = failed = 0;
    run_on_thread(&ref);
    unsigned long total = allocs;
    CHECK(!ref.enomem && !ref.other);
    CHECK_INT_EQ(nlive, baseline); /* all freed, the thread's own blocks at its exit too */
    CHECK(strstr(ref.out, "\"story_id\":\"k1\"") != NULL);
    CHECK(strstr(ref.out, "rejected 2:") != NULL);
    printf("test_oom: %lu allocations in a run, %zu bytes of records\n", total, ref.n);
    if (!CHECK(total > 10)) return check_done();

    /* every N, failing once and failing from N on */
    for (int mode = 0; mode < 2; mode++) {
        unsigned long swallowed = 0, leaks = 0, bad = 0, enomem = 0, jansson = 0;
        for (unsigned long n = 1; n <= total; n++) {
            allocs = failed = 0;
            json_failed = 0;
            fail_at = n;
            fail_after = mode;
            run_on_thread(&o);
            fail_at = 0;
            enomem += o.enomem != 0;
            if (nlive != baseline) {
                if (!leaks++)
                    fprintf(stderr, "allocation %lu failing%s: %zu blocks leaked\n", n,
                            mode ? " from there on" : "", nlive - baseline);
            }
            if (o.other) {
                if (!bad++)
                    fprintf(stderr, "allocation %lu failing%s: a status other than DYAD_ENOMEM\n", n,
                            mode ? " from there on" : "");
            }
            if (!o.enomem && !o.other && failed && (o.n != ref.n || memcmp(o.out, ref.out, o.n))) {
                if (json_failed && strstr(o.out, ": invalid JSON: ")) jansson++;
                else if (swallowed++ < 5) first_difference(n, mode, &ref, &o);
            }
            baseline = nlive; /* a leak was counted: do not count it again */
        }
        printf("test_oom: failing %s: %lu of %lu runs returned DYAD_ENOMEM, %lu rejected a line "
               "as invalid JSON (jansson); %lu leaked, %lu swallowed the failure, %lu returned "
               "another status\n",
               mode ? "from the Nth allocation on" : "the Nth allocation once", enomem, total, jansson,
               leaks, swallowed, bad);
        CHECK_INT_EQ(leaks, 0);
        CHECK_INT_EQ(swallowed, 0);
        CHECK_INT_EQ(bad, 0);
    }
    return check_done();
}
