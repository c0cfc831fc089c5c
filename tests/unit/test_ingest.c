/*
 * test_ingest.c — the ingest pipeline (dyad_ingest_*: coding on the caller's thread, or on
 * three pool threads, and storing on one more): every story is reported once, in input
 * order, with what the store did; a story repeated in one run with other text is decided by
 * the store, not by the lookup handle (which sees only committed stories); more stories than
 * the ring holds; the store ends as the same stories ingested one by one leave it.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "dyad.h"

typedef struct seen_list {
    char ids[512][16];
    int what[512], rc[512];
    size_t events[512];
    int n;
} seen_list;

static void report(void *ctx, const dyad_ingest_outcome *o)
{
    seen_list *l = ctx;
    if (l->n == 512) return;
    snprintf(l->ids[l->n], sizeof l->ids[0], "%s", o->id);
    l->what[l->n] = o->what;
    l->rc[l->n] = o->rc;
    l->events[l->n] = o->events;
    l->n++;
}

static const char *v1 = "Russian forces shelled Kharkiv on Monday, officials said.";
static const char *v2 = "China condemned Japan on Monday over its latest decision.";

static void story(dyad_story *st, const char *id, const char *text)
{
    *st = (dyad_story){.id = id, .date = "2024-03-05", .text = text, .text_len = strlen(text),
                       .source = "Reuters", .line = 1};
}

/* Runs the stories (id, text pairs) through a pipeline of jobs coders into s. */
static int run(dyad_store *s, const dyad_dict *d, int jobs, seen_list *l, const char *const *pairs, int n)
{
    dyad_error err = {0};
    memset(l, 0, sizeof *l);
    dyad_ingest *p = dyad_ingest_start(s, d, NULL, jobs, report, l, &err);
    if (!CHECK(p != NULL)) return -1;
    for (int i = 0; i < n; i++) {
        dyad_story st;
        story(&st, pairs[2 * i], pairs[2 * i + 1]);
        if (!CHECK(dyad_ingest_story(p, &st, &err) == DYAD_OK)) break;
    }
    return dyad_ingest_finish(p, &err);
}

/* A new store file's name in $TMPDIR (or /tmp), into path. */
static int temp_path(char *path, size_t cap)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, cap, "%s/dyad-test-ingest-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) return -1;
    close(fd);
    unlink(path);
    return 0;
}

/* The pipeline's whole story with jobs coders, on new stores. */
static void scenario(const dyad_dict *d, dyad_coder *c, int jobs)
{
    dyad_error err = {0};
    char path[512];
    int fd = temp_path(path, sizeof path);
    CHECK(fd >= 0);
    dyad_store *s = dyad_store_open(path, NULL, &err);
    CHECK(s != NULL);
    seen_list l;

    /* a new store: a repeated story is coded again, and the store finds it unchanged */
    const char *first[] = {"a", v1, "b", v2, "a", v1};
    CHECK(run(s, d, jobs, &l, first, 3) == DYAD_OK);
    CHECK(l.n == 3);
    CHECK_STR_EQ(l.ids[0], "a");
    CHECK_STR_EQ(l.ids[1], "b");
    CHECK_STR_EQ(l.ids[2], "a");
    CHECK(l.what[0] == DYAD_STORE_NEW && l.what[1] == DYAD_STORE_NEW && l.what[2] == DYAD_STORE_SAME);
    CHECK(l.rc[0] == DYAD_OK && l.rc[1] == DYAD_OK && l.rc[2] == DYAD_OK);
    CHECK(l.events[0] > 0);

    /* committed: a is found unchanged by the lookup handle and not coded (no events); then
     * changed; then changed back within the same run, which the lookup handle cannot see */
    const char *second[] = {"a", v1, "a", v2, "a", v1, "b", v2};
    CHECK(run(s, d, jobs, &l, second, 4) == DYAD_OK);
    CHECK(l.n == 4);
    CHECK(l.what[0] == DYAD_STORE_SAME && l.events[0] == 0);
    CHECK(l.what[1] == DYAD_STORE_CHANGED);
    CHECK(l.what[2] == DYAD_STORE_CHANGED);
    CHECK(l.what[3] == DYAD_STORE_SAME);
    dyad_story st;
    story(&st, "a", v1);
    CHECK(dyad_store_lookup(s, &st) == DYAD_STORE_SAME);
    story(&st, "a", v2);
    CHECK(dyad_store_lookup(s, &st) == DYAD_STORE_CHANGED);

    /* more stories than the ring holds, reported in order */
    static char ids[300][16];
    static const char *many[600];
    for (int i = 0; i < 300; i++) {
        snprintf(ids[i], sizeof ids[i], "m%03d", i);
        many[2 * i] = ids[i];
        many[2 * i + 1] = i % 2 ? v1 : v2;
    }
    CHECK(run(s, d, jobs, &l, many, 300) == DYAD_OK);
    CHECK(l.n == 300);
    int in_order = 1, all_new = 1;
    for (int i = 0; i < l.n; i++) {
        in_order &= !strcmp(l.ids[i], ids[i]);
        all_new &= l.what[i] == DYAD_STORE_NEW && l.rc[i] == DYAD_OK;
    }
    CHECK(in_order);
    CHECK(all_new);
    CHECK(run(s, d, jobs, &l, many, 300) == DYAD_OK);
    int all_same = l.n == 300;
    for (int i = 0; i < l.n; i++) all_same &= l.what[i] == DYAD_STORE_SAME;
    CHECK(all_same);

    /* the same stories one by one, without the pipeline: the same store */
    char path2[512];
    fd = temp_path(path2, sizeof path2);
    CHECK(fd >= 0);
    dyad_store *s2 = dyad_store_open(path2, NULL, &err);
    CHECK(s2 != NULL);
    const char *const *runs[] = {first, second, many};
    int counts[] = {3, 4, 300};
    for (int r = 0; r < 3; r++)
        for (int i = 0; i < counts[r]; i++) {
            story(&st, runs[r][2 * i], runs[r][2 * i + 1]);
            size_t len = 0;
            CHECK(dyad_story_code(c, &st, &err) == DYAD_OK);
            const char *j = dyad_coder_jsonl(c, &len);
            CHECK(dyad_store_ingest(s2, &st, j, len, NULL, &err) == DYAD_OK);
        }
    char *a = NULL, *b = NULL;
    size_t an = 0, bn = 0;
    FILE *fa = open_memstream(&a, &an), *fb = open_memstream(&b, &bn);
    CHECK(dyad_store_stats(s, fa, &err) == DYAD_OK);
    CHECK(dyad_store_stats(s2, fb, &err) == DYAD_OK);
    fclose(fa);
    fclose(fb);
    CHECK_STR_EQ(a, b);
    free(a);
    free(b);

    CHECK(dyad_store_close(s, &err) == DYAD_OK);
    CHECK(dyad_store_close(s2, &err) == DYAD_OK);
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char f[600];
        snprintf(f, sizeof f, "%s%s", path, sfx[i]);
        unlink(f);
        snprintf(f, sizeof f, "%s%s", path2, sfx[i]);
        unlink(f);
    }
}

int main(void)
{
    dyad_error err = {0};
    dyad_dict *d = dyad_dict_new(NULL, NULL, 0);
    if (!d || dyad_dict_load_builtin(d, &err) || dyad_dict_finish(d, &err)) {
        fprintf(stderr, "dictionaries: %s\n", err.message);
        return 1;
    }
    dyad_coder *c = dyad_coder_new(d, NULL); /* for the stores made without the pipeline */
    scenario(d, c, 1);
    scenario(d, c, 3);
    dyad_coder_free(c);
    dyad_dict_free(d);
    return check_done();
}
