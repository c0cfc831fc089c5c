/*
 * store_json.h — the event store's reader of the coder's JSON lines: parses one line into a
 * read-only tree in one allocation (jansson allocated every value and hashed every key, and
 * was a fifth of the store's ingest time). It accepts what jansson's json_loadb accepts with
 * JSON_DECODE_ANY, to the same values (fuzz/fuzz_store_json.c checks it against jansson).
 * Accessors follow jansson's: NULL in, NULL or 0 out; of a name given twice in an object,
 * sj_object_get returns the last value. Not part of the public API.
 */
#ifndef DYAD_STORE_JSON_H
#define DYAD_STORE_JSON_H

#include <stddef.h>

typedef struct sj_t {
    char type;             /* 'o' object, 'a' array, 's' string, 'i' integer, 'r' real,
                              't' true, 'f' false, 'n' null */
    const char *key;       /* in an object: the member's name (NUL-terminated) */
    const char *str;       /* a string's value, unescaped and NUL-terminated */
    long long i;
    double d;
    size_t n;              /* members of an object or array */
    struct sj_t *first, *next;
} sj_t;

/* Parses p[0..n) as one JSON value (only whitespace around it); NULL when it is not JSON or
 * not valid UTF-8, or out of memory. sj_free releases the whole tree. */
sj_t *sj_parse(const char *p, size_t n);
void sj_free(sj_t *v);

sj_t *sj_object_get(const sj_t *o, const char *key);
sj_t *sj_array_get(const sj_t *a, size_t i);
size_t sj_array_size(const sj_t *a);
#define sj_array_foreach(a, idx, v) \
    for ((idx) = 0, (v) = (a) && (a)->type == 'a' ? (a)->first : NULL; (v); (idx)++, (v) = (v)->next)
#define sj_is_object(v) ((v) && (v)->type == 'o')
#define sj_is_string(v) ((v) && (v)->type == 's')
#define sj_is_integer(v) ((v) && (v)->type == 'i')
#define sj_is_real(v) ((v) && (v)->type == 'r')
#define sj_is_number(v) ((v) && ((v)->type == 'i' || (v)->type == 'r'))
static inline const char *sj_string_value(const sj_t *v) { return sj_is_string(v) ? v->str : NULL; }
static inline long long sj_integer_value(const sj_t *v) { return sj_is_integer(v) ? v->i : 0; }
static inline double sj_real_value(const sj_t *v) { return sj_is_real(v) ? v->d : 0.0; }
static inline double sj_number_value(const sj_t *v)
{
    return sj_is_integer(v) ? (double)v->i : sj_is_real(v) ? v->d : 0.0;
}

#endif
