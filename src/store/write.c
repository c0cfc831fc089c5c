/*
 * write.c — the event store's ingest: a story and the coder's JSON Lines for it (parsed by
 * store_json.c, so the store does not depend on coder internals) become rows of the schema
 * (schema.c): the story, its sentences, its events with their actors, countries, place and
 * sentences, its quotations. A story already stored with the same hash is skipped; one whose
 * text or date changed is replaced whole. Happenings are rebuilt at commit (happenings.c).
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

static int fail_input(dyad_error *err, const char *id, const char *msg)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->code = DYAD_EINPUT;
        snprintf(err->message, sizeof err->message, "story '%s': %s", id, msg);
    }
    return DYAD_EINPUT;
}

/* ==== ingest ============================================================================= */

/* The content hash of a story: 64 bits over its date and text, as 16 hex digits. */
static void story_hash(const dyad_story *st, char out[17])
{
    size_t dn = st->date ? strlen(st->date) : 0;
    uint64_t h = dy_hash(st->text, st->text_len);
    h ^= dy_hash(st->date ? st->date : "", dn) * 0x9E3779B97F4A7C15ull;
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

int dyad_store_lookup(dyad_store *s, const dyad_story *story)
{
    if (!s || !story || !story->id) return DYAD_EUSAGE;
    char h[17];
    story_hash(story, h);
    if (s->looked_id && !strcmp(s->looked_id, story->id) && !strcmp(s->looked_hash, h))
        return s->looked;
    dy_store_forget_lookup(s);
    dy_stmt *q = dy_store_stmt(s, Q_LOOKUP);
    if (!q) return DYAD_EIO;
    dy_bind_text(q, 1, story->id, (size_t)-1);
    int rc = dy_step(q), what = DYAD_STORE_NEW;
    if (rc == DY_ROW) {
        const char *old = dy_col_text(q, 0);
        what = old && !strcmp(old, h) ? DYAD_STORE_SAME : DYAD_STORE_CHANGED;
    } else if (rc != DY_DONE) {
        what = DYAD_EIO;
    }
    dy_stmt_reset(q);
    if (what >= 0 && (s->looked_id = strdup(story->id))) {
        memcpy(s->looked_hash, h, sizeof h);
        s->looked = what;
    }
    return what;
}

static const char *jstr(sj_t *o, const char *k)
{
    sj_t *v = sj_object_get(o, k);
    return sj_is_string(v) ? sj_string_value(v) : NULL;
}

/* Binds a JSON number (or null) as a real / integer. */
static void bind_num(dy_stmt *q, int i, sj_t *v)
{
    if (sj_is_integer(v)) dy_bind_int(q, i, sj_integer_value(v));
    else if (sj_is_real(v)) dy_bind_real(q, i, sj_real_value(v));
    else dy_bind_null(q, i);
}

/* A size figure: size.<k>.value or NULL. */
static sj_t *size_value(sj_t *ev, const char *k)
{
    return sj_object_get(sj_object_get(sj_object_get(ev, "size"), k), "value");
}

/* Compares C strings for qsort. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The actor list's codes joined by ';' (all of them, in order) into codes, and the sorted,
 * distinct matching keys (country part, or full codes) joined by ',' into key. */
static void actor_keys(sj_t *list, int full, dy_buf *codes, dy_buf *key)
{
    const char *k[64];
    size_t n = 0, i;
    sj_t *a;
    sj_array_foreach(list, i, a) {
        const char *code = jstr(a, "code"), *country = jstr(a, "country");
        if (!code) continue;
        if (codes->n) dy_buf_putc(codes, ';');
        dy_buf_puts(codes, code);
        if (n < 64) k[n++] = full || !country ? code : country;
    }
    qsort(k, n, sizeof *k, cmp_str);
    for (i = 0; i < n; i++) {
        if (i && !strcmp(k[i], k[i - 1])) continue;
        if (key->n) dy_buf_putc(key, ',');
        dy_buf_puts(key, k[i]);
    }
    dy_buf_nul(codes);
    dy_buf_nul(key);
}

/* Byte offset of character offset c in text (clamped to its end); cache keeps the last
 * position so that increasing offsets cost linear time. */
typedef struct char_pos {
    const char *text;
    size_t len, byte, chr;
} char_pos;

static size_t char_to_byte(char_pos *p, size_t c)
{
    if (c < p->chr) p->byte = p->chr = 0;
    while (p->chr < c && p->byte < p->len) {
        p->byte++;
        while (p->byte < p->len && ((unsigned char)p->text[p->byte] & 0xC0) == 0x80) p->byte++;
        p->chr++;
    }
    return p->byte;
}

/* Stores the sentences a record's text_info cites; returns the id of each (up to max) in ids,
 * their count in *n, or -1 on an SQLite error. */
static int put_sentences(dyad_store *s, const char *story_id, sj_t *rec, const dyad_story *st,
                         char_pos *cp, int64_t *ids, size_t max, size_t *n)
{
    sj_t *ti = sj_object_get(rec, "text_info");
    sj_t *idx = sj_object_get(ti, "sentences"), *spans = sj_object_get(ti, "spans");
    size_t i;
    sj_t *v;
    *n = 0;
    sj_array_foreach(idx, i, v) {
        sj_t *sp = sj_array_get(spans, i);
        if (!sj_is_integer(v) || sj_array_size(sp) != 2) continue;
        size_t a = (size_t)sj_integer_value(sj_array_get(sp, 0));
        size_t b = (size_t)sj_integer_value(sj_array_get(sp, 1));
        size_t ba = char_to_byte(cp, a), bb = char_to_byte(cp, b);
        if (bb < ba) bb = ba;
        dy_stmt *q = dy_store_stmt(s, Q_INS_SENT);
        if (!q) return -1;
        dy_bind_text(q, 1, story_id, (size_t)-1);
        dy_bind_int(q, 2, sj_integer_value(v));
        dy_bind_int(q, 3, (int64_t)a);
        dy_bind_int(q, 4, (int64_t)b);
        dy_bind_text(q, 5, st->text + ba, bb - ba);
        int64_t id;
        int rc = dy_step_id(q, &id);
        if (rc == DY_ERR) return -1;
        if (rc == DY_DONE) { /* not new: cited by an earlier record of the story */
            if (!(q = dy_store_stmt(s, Q_GET_SENT))) return -1;
            dy_bind_text(q, 1, story_id, (size_t)-1);
            dy_bind_int(q, 2, sj_integer_value(v));
            if (dy_step(q) != DY_ROW) return -1;
            id = dy_col_int(q, 0);
            dy_stmt_reset(q);
        }
        if (*n < max) ids[(*n)++] = id;
    }
    return 0;
}

/* Stores the members of an event's source or target. */
static int put_actors(dyad_store *s, int64_t ev, const char *role, sj_t *list)
{
    size_t i;
    sj_t *a;
    sj_array_foreach(list, i, a) {
        dy_stmt *q = dy_store_stmt(s, Q_INS_ACTOR);
        if (!q) return -1;
        dy_bind_int(q, 1, ev);
        dy_bind_text(q, 2, role, (size_t)-1);
        dy_bind_int(q, 3, (int64_t)i);
        dy_store_bind_str(q, 4, jstr(a, "code"));
        dy_store_bind_str(q, 5, jstr(a, "country"));
        dy_store_bind_str(q, 6, jstr(a, "sector"));
        dy_store_bind_str(q, 7, jstr(a, "entity_text"));
        dy_store_bind_str(q, 8, jstr(a, "name"));
        dy_store_bind_str(q, 9, jstr(a, "aligned_with"));
        if (dy_step(q) != DY_DONE) return -1;
    }
    return 0;
}

/* Stores one event record (and its actors, countries, sentences, place). A dated event with a
 * CAMEO root gets its happening at commit (regroup); any other is a happening of its own. */
static int put_event(dyad_store *s, const dyad_story *st, sj_t *ev, const char *line,
                     size_t line_len, char_pos *cp)
{
    const char *id = jstr(ev, "id");
    if (!id) return 0;
    sj_t *cameo = sj_object_get(ev, "cameo"), *loc = sj_object_get(ev, "event_loc");
    sj_t *ti = sj_object_get(ev, "text_info"), *acled = sj_object_get(ev, "acled");
    dy_buf src = {0}, tgt = {0}, skey = {0}, tkey = {0};
    actor_keys(sj_object_get(ev, "actor"), 1, &src, &skey);
    actor_keys(sj_object_get(ev, "recipient"), 1, &tgt, &tkey);
    int rc = -1;
    dy_stmt *q;
    if (src.oom || tgt.oom || skey.oom || tkey.oom) goto out;
    const char *date = jstr(ev, "date");
    long day = dy_store_days(date);
    sj_t *lat = sj_object_get(loc, "lat"), *lon = sj_object_get(loc, "lon");
    sj_t *quad = sj_object_get(cameo, "quad_class");
    const char *prec = jstr(loc, "precision");
    const char *root = jstr(cameo, "root");
    int64_t hap = 0; /* 0: given at commit */
    if (day != INT32_MIN && root) {
        if (!(q = dy_store_stmt(s, Q_REGROUP))) goto out;
        dy_bind_text(q, 1, root, (size_t)-1);
        dy_bind_int(q, 2, day);
        if (dy_step(q) != DY_DONE) goto out;
    } else if (dy_store_new_happening(s, root, skey.n ? skey.p : "", tkey.n ? tkey.p : "", day,
                             prec && !strcmp(prec, "place") && sj_is_number(lat) &&
                                 (sj_integer_value(quad) == 2 || sj_integer_value(quad) == 4),
                             sj_number_value(lat), sj_number_value(lon), &hap)) {
        goto out;
    }
    if (!(q = dy_store_stmt(s, Q_INS_EVENT))) goto out;
    int n = 1;
    dy_bind_text(q, n++, id, (size_t)-1);
    dy_bind_text(q, n++, st->id, (size_t)-1);
    dy_store_bind_str(q, n++, date);
    if (day != INT32_MIN) dy_bind_int(q, n++, day);
    else dy_bind_null(q, n++);
    dy_store_bind_str(q, n++, jstr(ev, "date_precision"));
    dy_store_bind_str(q, n++, src.n ? src.p : NULL);
    dy_store_bind_str(q, n++, tgt.n ? tgt.p : NULL);
    dy_store_bind_str(q, n++, skey.n ? skey.p : "");
    dy_store_bind_str(q, n++, tkey.n ? tkey.p : "");
    dy_store_bind_str(q, n++, jstr(cameo, "code"));
    dy_store_bind_str(q, n++, jstr(cameo, "root"));
    bind_num(q, n++, sj_object_get(cameo, "quad_class"));
    bind_num(q, n++, sj_object_get(cameo, "goldstein"));
    dy_store_bind_str(q, n++, jstr(ev, "event"));
    dy_store_bind_str(q, n++, jstr(ev, "mode"));
    dy_store_bind_str(q, n++, jstr(ev, "context"));
    bind_num(q, n++, sj_array_get(sj_object_get(ti, "sentences"), 0));
    dy_store_bind_str(q, n++, jstr(ev, "text"));
    dy_store_bind_str(q, n++, jstr(ti, "pattern"));
    dy_store_bind_str(q, n++, jstr(loc, "resolved_place") ? jstr(loc, "resolved_place")
                                                 : jstr(loc, "extracted_place"));
    bind_num(q, n++, sj_object_get(loc, "geonameid"));
    bind_num(q, n++, lat);
    bind_num(q, n++, lon);
    dy_store_bind_str(q, n++, jstr(loc, "admin1"));
    dy_store_bind_str(q, n++, jstr(loc, "country_code"));
    dy_store_bind_str(q, n++, jstr(loc, "precision"));
    bind_num(q, n++, size_value(ev, "dead"));
    bind_num(q, n++, size_value(ev, "injured"));
    bind_num(q, n++, size_value(ev, "arrested"));
    bind_num(q, n++, size_value(ev, "crowd"));
    dy_store_bind_str(q, n++, jstr(acled, "event_type"));
    dy_store_bind_str(q, n++, jstr(acled, "sub_event_type"));
    dy_bind_text(q, n++, line, line_len);
    if (hap) dy_bind_int(q, n++, hap);
    else dy_bind_null(q, n++);
    int64_t rowid;
    if (dy_step_id(q, &rowid) != DY_ROW) goto out;
    if (hap && dy_store_touch(s, hap)) goto out;
    sj_t *actors[2] = {sj_object_get(ev, "actor"), sj_object_get(ev, "recipient")};
    if (put_actors(s, rowid, "source", actors[0]) || put_actors(s, rowid, "target", actors[1]))
        goto out;
    /* the countries it touches: its place's, then its actors' (each once) */
    const char *cc[65];
    size_t ncc = 0;
    if (jstr(loc, "country_code")) cc[ncc++] = jstr(loc, "country_code");
    for (int r = 0; r < 2; r++) {
        size_t i;
        sj_t *a;
        sj_array_foreach(actors[r], i, a) {
            const char *c = jstr(a, "country");
            size_t k = 0;
            while (c && k < ncc && strcmp(cc[k], c)) k++;
            if (c && k == ncc && ncc < 65) cc[ncc++] = c;
        }
    }
    for (size_t i = 0; i < ncc; i++) {
        if (!(q = dy_store_stmt(s, Q_INS_EC))) goto out;
        dy_bind_text(q, 1, cc[i], (size_t)-1);
        dy_bind_text(q, 2, date ? date : "", (size_t)-1);
        dy_bind_int(q, 3, rowid);
        dy_store_bind_str(q, 4, jstr(cameo, "root"));
        dy_store_bind_str(q, 5, jstr(cameo, "code"));
        bind_num(q, 6, sj_object_get(cameo, "goldstein"));
        bind_num(q, 7, size_value(ev, "dead"));
        bind_num(q, 8, size_value(ev, "injured"));
        if (hap) dy_bind_int(q, 9, hap);
        else dy_bind_null(q, 9);
        if (dy_step(q) != DY_DONE) goto out;
    }
    int64_t sids[64];
    size_t ns = 0;
    if (put_sentences(s, st->id, ev, st, cp, sids, 64, &ns)) goto out;
    /* in id order, each once: k in the event's full-text keys is the rank (DY_FTS_KEY) */
    qsort(sids, ns, sizeof *sids, dy_store_cmp_id);
    size_t nu = 0;
    for (size_t i = 0; i < ns; i++)
        if (!nu || sids[i] != sids[nu - 1]) sids[nu++] = sids[i];
    for (size_t i = 0; i < nu; i++) {
        if (!(q = dy_store_stmt(s, Q_INS_ES))) goto out;
        dy_bind_int(q, 1, rowid);
        dy_bind_int(q, 2, sids[i]);
        if (dy_step(q) != DY_DONE) goto out;
        /* --text reaches events through their sentences: those are indexed at commit */
        if (dy_store_has_stmt(s, Q_FTS_PEND)) {
            if (!(q = dy_store_stmt(s, Q_FTS_PEND))) goto out;
            if (day != INT32_MIN) dy_bind_int(q, 1, day);
            else dy_bind_null(q, 1);
            dy_bind_int(q, 2, rowid);
            dy_bind_int(q, 3, (int64_t)i);
            dy_bind_int(q, 4, sids[i]);
            if (dy_step(q) != DY_DONE) goto out;
        }
    }
    if (sj_is_number(lat) && sj_is_number(lon)) {
        double la = sj_number_value(lat), lo = sj_number_value(lon);
        if (dy_store_has_stmt(s, Q_INS_RTREE)) {
            if (!(q = dy_store_stmt(s, Q_INS_RTREE))) goto out;
            dy_bind_int(q, 1, rowid);
            dy_bind_real(q, 2, la);
            dy_bind_real(q, 3, lo);
            if (day != INT32_MIN) dy_bind_int(q, 4, day);
            if (dy_step(q) != DY_DONE) goto out;
        }
        /* counted in its day's row and its month's (place_counts) */
        long qc = sj_is_number(quad) ? (long)sj_number_value(quad) : 0;
        sj_t *dead = size_value(ev, "dead");
        for (int span = 1; span <= (date ? 2 : 1); span++) {
            if (!(q = dy_store_stmt(s, Q_ADD_PLACE))) goto out;
            dy_bind_int(q, 1, span);
            dy_bind_text(q, 2, date ? date : "", span == 2 ? 7 : (size_t)-1);
            dy_bind_real(q, 3, la);
            dy_bind_real(q, 4, lo);
            for (int k = 1; k <= 4; k++) dy_bind_int(q, 4 + k, qc == k);
            dy_bind_int(q, 9, sj_is_number(dead) ? (int64_t)sj_number_value(dead) : 0);
            if (dy_step(q) != DY_DONE) goto out;
        }
        if (sj_is_integer(sj_object_get(loc, "geonameid"))) {
            if (!(q = dy_store_stmt(s, Q_INS_PLACE))) goto out;
            bind_num(q, 1, sj_object_get(loc, "geonameid"));
            dy_store_bind_str(q, 2, jstr(loc, "resolved_place"));
            dy_bind_real(q, 3, la);
            dy_bind_real(q, 4, lo);
            dy_store_bind_str(q, 5, jstr(loc, "admin1"));
            dy_store_bind_str(q, 6, jstr(loc, "country_code"));
            dy_store_bind_str(q, 7, jstr(loc, "feature_code"));
            dy_store_bind_str(q, 8, jstr(loc, "precision"));
            if (dy_step(q) != DY_DONE) goto out;
        }
    }
    rc = 0;
out:
    dy_buf_free(&src), dy_buf_free(&tgt), dy_buf_free(&skey), dy_buf_free(&tkey);
    return rc;
}

/* Stores one quotation record. */
static int put_quote(dyad_store *s, const dyad_story *st, sj_t *qt, const char *line,
                     size_t line_len, char_pos *cp)
{
    const char *id = jstr(qt, "id");
    if (!id) return 0;
    int64_t sids[64];
    size_t ns = 0;
    if (put_sentences(s, st->id, qt, st, cp, sids, 64, &ns)) return -1;
    dy_buf spk = {0}, key = {0}, evs = {0};
    actor_keys(sj_object_get(qt, "speaker"), 1, &spk, &key);
    size_t i;
    sj_t *v;
    sj_array_foreach(sj_object_get(qt, "events"), i, v) {
        if (!sj_is_string(v)) continue;
        if (evs.n) dy_buf_putc(&evs, ';');
        dy_buf_puts(&evs, sj_string_value(v));
    }
    dy_buf_nul(&evs);
    int rc = -1;
    dy_stmt *q = dy_store_stmt(s, Q_INS_QUOTE);
    if (q && !spk.oom && !evs.oom) {
        dy_bind_text(q, 1, id, (size_t)-1);
        dy_bind_text(q, 2, st->id, (size_t)-1);
        dy_store_bind_str(q, 3, spk.n ? spk.p : NULL);
        dy_store_bind_str(q, 4, jstr(qt, "text"));
        bind_num(q, 5, sj_array_get(sj_object_get(sj_object_get(qt, "text_info"), "sentences"), 0));
        dy_store_bind_str(q, 6, evs.n ? evs.p : NULL);
        dy_bind_text(q, 7, line, line_len);
        rc = dy_step(q) == DY_DONE ? 0 : -1;
    }
    dy_buf_free(&spk), dy_buf_free(&key), dy_buf_free(&evs);
    return rc;
}

/* Runs one cached statement over a story id. */
static int run_on_story(dyad_store *s, int k, const char *id)
{
    if (!dy_store_has_stmt(s, k)) return 0;
    dy_stmt *q = dy_store_stmt(s, k);
    if (!q) return -1;
    dy_bind_text(q, 1, id, (size_t)-1);
    int rc = dy_step(q);
    dy_stmt_reset(q);
    return rc == DY_DONE ? 0 : -1;
}

/* Removes everything stored of a story; its happenings are marked for a recount, and rebuilt
 * from its events' days on. */
static int delete_story(dyad_store *s, const char *id)
{
    static const int order[] = {Q_DEL_TOUCH,  Q_DEL_SHRUNK, Q_DEL_REGROUP, Q_DEL_EC,
                                Q_FTS_DEL,    Q_FTS_UNPEND, Q_DEL_ACTORS,  Q_DEL_ES,
                                Q_DEL_RTREE,  Q_DEL_PLACES, Q_DEL_EVENTS,  Q_DEL_SENT,
                                Q_DEL_QUOTES, Q_DEL_STORY};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        if (run_on_story(s, order[i], id)) return -1;
    return 0;
}

/* Splits jsonl into parsed records; returns their count or -1 when a line is not an object. */
typedef struct parsed_line {
    sj_t *obj;
    const char *p;
    size_t n;
} parsed_line;

static long parse_lines(const char *jsonl, size_t len, parsed_line **out)
{
    size_t cap = 16, n = 0;
    parsed_line *v = malloc(cap * sizeof *v);
    if (!v) return -2;
    const char *p = jsonl, *end = jsonl ? jsonl + len : NULL;
    while (p && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ln = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (ln) {
            sj_t *o = sj_parse(p, ln);
            if (!sj_is_object(o)) {
                sj_free(o);
                for (size_t i = 0; i < n; i++) sj_free(v[i].obj);
                free(v);
                return -1;
            }
            if (n == cap) {
                parsed_line *w = realloc(v, (cap *= 2) * sizeof *v);
                if (!w) {
                    sj_free(o);
                    for (size_t i = 0; i < n; i++) sj_free(v[i].obj);
                    free(v);
                    return -2;
                }
                v = w;
            }
            v[n++] = (parsed_line){o, p, ln};
        }
        p += ln + 1;
    }
    *out = v;
    return (long)n;
}

int dyad_store_ingest(dyad_store *s, const dyad_story *st, const char *jsonl, size_t len,
                      int *what, dyad_error *err)
{
    if (!s || !st || !st->id || !st->text) {
        if (err) *err = (dyad_error){.code = DYAD_EUSAGE, .message = "story without id or text"};
        return DYAD_EUSAGE;
    }
    if (!s->in_txn) {
        /* the transaction (and on PostgreSQL the store's lock) is taken before the story is
         * looked up: a writer storing the same story meanwhile has then either committed it,
         * and the lookup sees it, or waits for this batch. An answer cached from before it
         * (dyad_store_lookup) may be stale. PostgreSQL writers take turns batch by batch,
         * each grouping with the happenings the ones before committed (SQLite's BEGIN
         * IMMEDIATE already takes the write lock) */
        dy_store_forget_lookup(s);
        if (dy_db_begin(s->db) ||
            (dy_db_kind(s->db) == DY_DB_PG && dy_db_exec(s->db, dy_store_lock_sql))) {
            int rc = dy_store_fail(s, err, "begin");
            dy_db_exec(s->db, "ROLLBACK");
            return rc;
        }
        s->in_txn = 1;
    }
    int w = dyad_store_lookup(s, st);
    char h[17]; /* the content hash the lookup just computed */
    if (s->looked_id) memcpy(h, s->looked_hash, sizeof h);
    else story_hash(st, h);
    dy_store_forget_lookup(s); /* what follows changes the answer */
    if (what) *what = w;
    if (w < 0) { /* the batch is rolled back, as for any database error */
        int rc = dy_store_fail(s, err, "lookup");
        dy_db_exec(s->db, "ROLLBACK");
        s->in_txn = 0;
        s->pending = 0;
        return rc;
    }
    if (w == DYAD_STORE_SAME) return DYAD_OK;
    parsed_line *lines = NULL;
    long nl = parse_lines(jsonl, len, &lines);
    if (nl == -1) return fail_input(err, st->id, "a record is not a JSON object");
    if (nl < 0) {
        if (err) *err = (dyad_error){.code = DYAD_ENOMEM, .message = "out of memory"};
        return DYAD_ENOMEM;
    }
    int rc = DYAD_OK;
    /* no SAVEPOINT per story: FTS5 flushes its pending terms to disk at every savepoint,
     * which made ingest several times slower; a failing story rolls back its whole batch,
     * which the next run stores again */
    if (w == DYAD_STORE_CHANGED && delete_story(s, st->id)) goto sqlfail;
    long nev = 0, nq = 0;
    for (long i = 0; i < nl; i++) {
        const char *kind = jstr(lines[i].obj, "kind");
        if (kind && !strcmp(kind, "event")) nev++;
        else if (kind && !strcmp(kind, "quote")) nq++;
    }
    dy_stmt *q = dy_store_stmt(s, Q_INS_STORY);
    if (!q) goto sqlfail;
    dy_bind_text(q, 1, st->id, (size_t)-1);
    dy_bind_text(q, 2, h, (size_t)-1);
    dy_store_bind_str(q, 3, st->date);
    dy_store_bind_str(q, 4, st->title);
    dy_store_bind_str(q, 5, st->source);
    dy_store_bind_str(q, 6, st->url);
    dy_bind_text(q, 7, st->text, st->text_len);
    dy_bind_int(q, 8, nev);
    dy_bind_int(q, 9, nq);
    if (dy_step(q) != DY_DONE) goto sqlfail;
    char_pos cp = {st->text, st->text_len, 0, 0};
    for (long i = 0; i < nl; i++) {
        const char *kind = jstr(lines[i].obj, "kind");
        int r = 0;
        if (kind && !strcmp(kind, "event"))
            r = put_event(s, st, lines[i].obj, lines[i].p, lines[i].n, &cp);
        else if (kind && !strcmp(kind, "quote"))
            r = put_quote(s, st, lines[i].obj, lines[i].p, lines[i].n, &cp);
        if (r) goto sqlfail;
    }
    if (++s->pending >= s->opt.batch) rc = dyad_store_commit(s, err);
    goto out;
sqlfail:
    rc = dy_store_fail(s, err, st->id);
    dy_db_exec(s->db, "ROLLBACK");
    s->in_txn = 0;
    s->pending = 0;
out:
    for (long i = 0; i < nl; i++) sj_free(lines[i].obj);
    free(lines);
    return rc;
}
