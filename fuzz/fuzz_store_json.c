/*
 * fuzz_store_json.c — libFuzzer target for the event store's JSON reader (src/store/store_json.h),
 * differential against jansson: the input is parsed by sj_parse and by json_loadb, and the two
 * must agree on whether it is one JSON value, and when it is, on the tree: types, object
 * members (keys in order), array elements, string bytes, integers exactly and reals bit for bit
 * (both take strtod of the same text). The sj tree's own bookkeeping is checked as well: n
 * counts the linked members, object members have keys and array elements none, and the
 * accessors (sj_object_get, sj_array_get, sj_array_size) agree with the links.
 *
 * jansson is called with JSON_DECODE_ANY only: sj_parse takes any value at the top (not just an
 * object or array), and, like jansson without JSON_ALLOW_NUL, rejects "\u0000"; neither takes
 * JSON_DISABLE_EOF_CHECK (only whitespace may follow the value) and both allow the same four
 * whitespace bytes, the same UTF-8 (no overlong forms, surrogates or code points past U+10FFFF)
 * and the same 64-bit integers (too big an integer is an error in both).
 *
 * Where the two differ on purpose, or jansson is wrong, the difference is handled below by name:
 *   - a raw NUL byte: never JSON, and sj_parse must reject it; jansson 2.14 is not asked, as it
 *     drops a NUL that follows a number or a literal ("1\0" and "[true\0]" load), a jansson bug.
 *   - duplicate keys: sj keeps every member (in order) and sj_object_get returns the last of a
 *     name; jansson keeps one member per name, where it first appears, with the value of the
 *     last. The members are then compared under that rule.
 * The first runs of this target found four differences in store_json.c that were bugs, since
 * mended: sj_object_get returned the first of duplicate keys, a real past DBL_MAX was taken as
 * an infinity, numbers of 64 bytes or more were rejected, and scalars did not count towards
 * the depth limit; the inputs are in fuzz/regressions/fuzz_store_json/.
 */
#include "store/store_json.h"
#include "fuzz_common.h"

#include <math.h>

#define SJ_MAX_DEPTH 2048 /* jansson's JSON_PARSER_MAX_DEPTH, which sj_parse mirrors */

/* Checks the sj tree's links and accessors; returns its depth counted as jansson counts it
 * (every value one level). */
static size_t sj_check_shape(const sj_t *v)
{
    FUZZ_CHECK(strchr("oastifrn", v->type) && v->type != 0);
    if (v->type == 's') FUZZ_CHECK(v->str != NULL);
    else FUZZ_CHECK(v->str == NULL);
    if (v->type != 'o' && v->type != 'a') {
        FUZZ_CHECK(v->first == NULL && v->n == 0);
        return 1;
    }
    size_t count = 0, depth = 0;
    for (const sj_t *m = v->first; m; m = m->next, count++) {
        if (v->type == 'o') {
            FUZZ_CHECK(m->key != NULL);
            if (count < 64) { /* the accessor finds the last member of that name (bounded:
                                 quadratic) */
                const sj_t *f = m;
                for (const sj_t *x = m->next; x; x = x->next)
                    if (!strcmp(x->key, m->key)) f = x;
                FUZZ_CHECK(sj_object_get(v, m->key) == f);
            }
        } else {
            FUZZ_CHECK(m->key == NULL);
            if (count < 64) FUZZ_CHECK(sj_array_get(v, count) == m);
        }
        size_t d = sj_check_shape(m);
        if (d > depth) depth = d;
    }
    FUZZ_CHECK(count == v->n);
    FUZZ_CHECK(sj_array_size(v) == (v->type == 'a' ? v->n : 0));
    if (v->type == 'a') FUZZ_CHECK(sj_array_get(v, v->n) == NULL);
    return depth + 1;
}

static void same(const sj_t *s, const json_t *j);

/* Objects with duplicate keys: jansson has one member per name, where the name first appears,
 * holding the value of its last appearance; sj has them all, in order. */
static void same_object_duplicates(const sj_t *s, const json_t *j)
{
    const sj_t **last = malloc(s->n * sizeof *last);
    json_t *seen = json_object(); /* name -> index of its last sj member, in first-seen order */
    FUZZ_CHECK(last != NULL && seen != NULL);
    size_t i = 0;
    for (const sj_t *m = s->first; m; m = m->next, i++) {
        last[i] = m;
        FUZZ_CHECK(json_object_set_new(seen, m->key, json_integer((json_int_t)i)) == 0);
    }
    FUZZ_CHECK(json_object_size(seen) == json_object_size(j));
    void *it = json_object_iter((json_t *)j);
    const char *key;
    json_t *idx;
    json_object_foreach(seen, key, idx) {
        FUZZ_CHECK(it != NULL);
        FUZZ_CHECK(!strcmp(key, json_object_iter_key(it)));
        same(last[json_integer_value(idx)], json_object_iter_value(it));
        it = json_object_iter_next((json_t *)j, it);
    }
    FUZZ_CHECK(it == NULL);
    json_decref(seen);
    free(last);
}

/* Checks the sj value s and the jansson value j are the same JSON. */
static void same(const sj_t *s, const json_t *j)
{
    switch (s->type) {
    case 'n': FUZZ_CHECK(json_is_null(j)); break;
    case 't': FUZZ_CHECK(json_is_true(j)); break;
    case 'f': FUZZ_CHECK(json_is_false(j)); break;
    case 'i':
        FUZZ_CHECK(json_is_integer(j));
        FUZZ_CHECK(s->i == json_integer_value(j));
        break;
    case 'r': {
        FUZZ_CHECK(json_is_real(j));
        double a = s->d, b = json_real_value(j);
        FUZZ_CHECK(memcmp(&a, &b, sizeof a) == 0); /* bit for bit: -0.0, subnormals */
        break;
    }
    case 's': {
        FUZZ_CHECK(json_is_string(j));
        size_t n = json_string_length(j); /* no NULs inside: "\u0000" is rejected by both */
        FUZZ_CHECK(strlen(s->str) == n);
        FUZZ_CHECK(memcmp(s->str, json_string_value(j), n) == 0);
        FUZZ_CHECK(fuzz_valid_utf8((const unsigned char *)s->str, n));
        break;
    }
    case 'a': {
        FUZZ_CHECK(json_is_array(j));
        FUZZ_CHECK(s->n == json_array_size(j));
        size_t i = 0;
        for (const sj_t *m = s->first; m; m = m->next, i++) same(m, json_array_get(j, i));
        break;
    }
    case 'o': {
        FUZZ_CHECK(json_is_object(j));
        if (s->n != json_object_size(j)) { /* jansson merged duplicate names */
            FUZZ_CHECK(s->n > json_object_size(j));
            same_object_duplicates(s, j);
            break;
        }
        /* no duplicates: the members pair up in order (jansson 2.14 keeps insertion order) */
        void *it = json_object_iter((json_t *)j);
        for (const sj_t *m = s->first; m; m = m->next) {
            FUZZ_CHECK(it != NULL);
            FUZZ_CHECK(!strcmp(m->key, json_object_iter_key(it)));
            same(m, json_object_iter_value(it));
            it = json_object_iter_next((json_t *)j, it);
        }
        FUZZ_CHECK(it == NULL);
        break;
    }
    default: FUZZ_CHECK(!"unknown sj type");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sj_t *s = sj_parse((const char *)data, size);
    if (s) FUZZ_CHECK(sj_check_shape(s) <= SJ_MAX_DEPTH);

    /* a raw NUL byte: not JSON anywhere; jansson is not asked (see the head of the file) */
    if (memchr(data, 0, size)) {
        FUZZ_CHECK(s == NULL);
        return 0;
    }

    json_error_t err;
    json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY, &err);
    if (s && j) {
        same(s, j);
    } else if (s && !j) {
        fprintf(stderr, "sj_parse accepts what jansson rejects: %s (at byte %d)\n", err.text, err.position);
        FUZZ_CHECK(!"sj_parse accepts what jansson rejects");
    } else if (!s && j) {
        fprintf(stderr, "sj_parse rejects what jansson accepts\n");
        FUZZ_CHECK(!"sj_parse rejects what jansson accepts");
    }
    json_decref(j);
    sj_free(s);
    return 0;
}
