/*
 * test_store.c — the event store through its public API, on hand-written coder records (no
 * coder involved): lookup states, idempotent and replacing ingest, rejected records, the
 * grouping rules (root, dyad with prefixes and compounds, days, distance for material events
 * only), filters, and the export shapes.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "dyad.h"

/* An event record as the coder writes it, with the fields the store reads. */
static char *event(const char *story, int n, const char *date, const char *src, const char *tgt,
                   const char *code, int quad, const char *place, double lat, double lon)
{
    char *s = malloc(2048);
    char root[3] = {code[0], code[1], 0};
    snprintf(s, 2048,
             "{\"kind\":\"event\",\"id\":\"%s-%d\",\"story_id\":\"%s\",\"date\":\"%s\","
             "\"date_precision\":\"day\",\"actor\":[%s],\"recipient\":[%s],\"event\":\"ASSAULT\","
             "\"mode\":null,\"context\":null,\"cameo\":{\"code\":\"%s\",\"root\":\"%s\","
             "\"quad_class\":%d,\"goldstein\":-10.0},\"text\":\"Something happened.\","
             "\"text_info\":{\"sentences\":[0],\"spans\":[[0,19]],\"pattern\":\"X\"},"
             "\"event_loc\":{\"extracted_place\":\"%s\",\"resolved_place\":\"%s\",\"geonameid\":1,"
             "\"lat\":%g,\"lon\":%g,\"admin1\":null,\"country_code\":\"UKR\",\"feature_code\":\"PPL\","
             "\"precision\":\"place\"},\"size\":{\"dead\":{\"value\":3,\"qualifier\":\"exact\","
             "\"text\":\"three\"},\"injured\":null,\"arrested\":null,\"crowd\":null},"
             "\"acled\":null}\n",
             story, n, story, date, src, tgt, code, root, quad, place, place, lat, lon);
    return s;
}

static const char *actor(const char *code, const char *country)
{
    static char buf[8][160];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "{\"code\":\"%s\",\"country\":\"%s\",\"sector\":null,"
                                    "\"entity_text\":\"x\",\"name\":\"x\"}", code, country);
    return buf[k];
}

static int put(dyad_store *s, const char *id, const char *date, const char *src, const char *tgt,
               const char *code, int quad, double lat, double lon, int *what)
{
    dyad_story st = {.id = id, .date = date, .text = "Something happened.", .text_len = 19,
                     .source = id};
    char *rec = event(id, 1, date, src, tgt, code, quad, "P", lat, lon);
    dyad_error err;
    int rc = dyad_store_ingest(s, &st, rec, strlen(rec), what, &err);
    free(rec);
    return rc;
}

/* Number of lines a query writes. */
static int count(dyad_store *s, dyad_store_query q)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    dyad_error err;
    int rc = dyad_store_query_run(s, &q, f, &err);
    fclose(f);
    int n = 0;
    for (size_t i = 0; i < len; i++) n += buf[i] == '\n';
    free(buf);
    return rc == DYAD_OK ? n : -1;
}

int main(void)
{
    char path[] = "/tmp/dyad-test-store-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    unlink(path);
    dyad_error err;
    dyad_store *s = dyad_store_open(path, NULL, &err);
    CHECK(s != NULL);
    if (!s) return check_done();
    const char *rus = actor("RUS", "RUS"), *rusmil = actor("RUSMIL", "RUS");
    const char *rusgov = actor("RUSGOV", "RUS"), *ukr = actor("UKR", "UKR");
    char two[400];
    snprintf(two, sizeof two, "%s,%s", actor("FRAGOV", "FRA"), actor("DEUGOV", "DEU"));

    /* lookup and idempotent ingest */
    dyad_story st = {.id = "a", .date = "2024-03-04", .text = "Something happened.", .text_len = 19};
    CHECK(dyad_store_lookup(s, &st) == DYAD_STORE_NEW);
    int what = -1;
    CHECK(put(s, "a", "2024-03-04", rusmil, ukr, "194", 4, 50.0, 36.2, &what) == DYAD_OK);
    CHECK(what == DYAD_STORE_NEW);
    CHECK(dyad_store_commit(s, &err) == DYAD_OK);
    CHECK(dyad_store_lookup(s, &st) == DYAD_STORE_SAME);
    CHECK(put(s, "a", "2024-03-04", rusmil, ukr, "194", 4, 50.0, 36.2, &what) == DYAD_OK);
    CHECK(what == DYAD_STORE_SAME);
    st.date = "2024-03-05";
    CHECK(dyad_store_lookup(s, &st) == DYAD_STORE_CHANGED);

    /* a record that is not JSON is rejected and nothing of the story kept */
    dyad_story bad = {.id = "bad", .date = "2024-03-04", .text = "x", .text_len = 1};
    CHECK(dyad_store_ingest(s, &bad, "{\"kind\":\n", 9, NULL, &err) == DYAD_EINPUT);
    CHECK(dyad_store_lookup(s, &bad) == DYAD_STORE_NEW);
    CHECK(dyad_store_ingest(s, NULL, NULL, 0, NULL, &err) == DYAD_EUSAGE);

    /* grouping */
    put(s, "b", "2024-03-05", rus, ukr, "190", 4, 50.05, 36.3, NULL);     /* RUS ~ RUSMIL, +1 day */
    put(s, "c", "2024-03-06", rus, ukr, "194", 4, 50.0, 36.2, NULL);      /* +2 days: apart */
    put(s, "d", "2024-03-04", rusmil, ukr, "194", 4, 46.5, 30.7, NULL);   /* Odesa: 500 km */
    put(s, "e", "2024-03-04", rusgov, ukr, "194", 4, 50.0, 36.2, NULL);   /* RUSGOV ~ RUS (b's) */
    put(s, "f", "2024-03-04", rusmil, ukr, "111", 3, 50.0, 36.2, NULL);   /* other root */
    put(s, "g", "2024-03-04", actor("FRAGOV", "FRA"), actor("DEUGOV", "DEU"), "040", 1, 52.5, 13.4, NULL);
    put(s, "h", "2024-03-04", two, actor("DEU", "DEU"), "040", 1, 48.8, 2.3, NULL); /* compound, verbal: far is fine */
    put(s, "i", "2024-03-04", rusmil, "", "194", 4, 50.01, 36.21, NULL);  /* no target, same place */
    put(s, "j", "2024-03-04", actor("MIL", ""), ukr, "195", 4, 50.02, 36.2, NULL); /* "troops" */
    CHECK(dyad_store_commit(s, &err) == DYAD_OK);
    dyad_store_query hq = {.happenings = 1};
    CHECK(count(s, hq) == 5); /* {a,b,e,i,j} {c} {d} {f} {g,h} */
    dyad_store_query near = {.near = 1, .lat = 50.0, .lon = 36.2, .km = 20};
    CHECK(count(s, near) == 7); /* a b c e f i j */
    dyad_store_query root = {.root = "19"};
    CHECK(count(s, root) == 7);
    dyad_store_query act = {.actor = "RUSMIL"};
    CHECK(count(s, act) == 4);
    dyad_store_query from = {.from = "2024-03-05"};
    CHECK(count(s, from) == 2);
    dyad_store_query by = {.by = "day"};
    CHECK(count(s, by) == 4); /* header + 3 days */
    dyad_store_query badby = {.by = "year"};
    CHECK(count(s, badby) == -1);

    /* replacing a story moves its event out of its happening */
    put(s, "b", "2024-03-20", rus, ukr, "190", 4, 50.05, 36.3, &what);
    CHECK(what == DYAD_STORE_CHANGED);
    dyad_store_query b2 = {.from = "2024-03-20"};
    CHECK(count(s, b2) == 1);
    CHECK(count(s, hq) == 6);

    /* export shapes */
    static const struct { const char *f; int lines; } ex[] = {
        {"plover", 10}, {"gdelt", 10}, {"phoenix", 10}, {"icews", 11}, {"acled", 1}};
    for (size_t i = 0; i < sizeof ex / sizeof *ex; i++) {
        dyad_store_query q = {.format = ex[i].f};
        CHECK(count(s, q) == ex[i].lines);
    }
    dyad_store_query badf = {.format = "xml"};
    CHECK(count(s, badf) == -1);
    CHECK(dyad_store_close(s, &err) == DYAD_OK);
    CHECK(dyad_store_close(NULL, NULL) == 0);

    /* reopened: the same content */
    s = dyad_store_open(path, NULL, &err);
    CHECK(s != NULL);
    if (s) {
        CHECK(count(s, hq) == 6);
        dyad_store_close(s, NULL);
    }
    char aux[64];
    unlink(path);
    snprintf(aux, sizeof aux, "%s-wal", path);
    unlink(aux);
    snprintf(aux, sizeof aux, "%s-shm", path);
    unlink(aux);
    return check_done();
}
