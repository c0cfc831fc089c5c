/*
 * emit.c — the emit stage: kept events -> JSON Lines, one complete record per line, in
 * PLOVER's field layout with CAMEO codes beside it (README "Output fields").
 */
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "geo/places.h"
#include "numbers.h"
#include "story.h"

/* Byte offsets -> character (code point) offsets in linear time: the character count at every
 * CK_STEP bytes is taken once per story, so one lookup scans fewer than CK_STEP bytes (counting
 * from the start of the text each time made a story with many events quadratic). The index is
 * built in the story's arena on the first lookup: most stories yield no event and need none. */
#define CK_STEP 64
typedef struct char_index {
    const char *text;
    size_t n;
    dy_arena *a;
    size_t *at; /* at[k]: characters in text[0 .. k * CK_STEP); NULL until the first lookup */
} char_index;

/* Fills ix->at; returns -1 when out of memory (lookups then count from the text's start). */
static int char_index_build(char_index *ix)
{
    size_t n = ix->n, chars = 0;
    const char *text = ix->text;
    ix->at = dy_arena_alloc(ix->a, (n / CK_STEP + 1) * sizeof *ix->at);
    if (!ix->at) return -1;
    size_t i = 0;
    for (; n - i >= CK_STEP; i += CK_STEP) { /* whole steps a word at a time: a byte starts a
                                                character unless it is 10xxxxxx */
        ix->at[i / CK_STEP] = chars;
        for (size_t w = 0; w < CK_STEP; w += 8) {
            uint64_t v = dy_load8(text + i + w);
            /* one bit per byte, each the lowest of its byte: their sum is the byte sum, which a
             * multiply gathers in the top byte (no popcount instruction on baseline x86-64) */
            uint64_t starts = ((~v >> 7) | (v >> 6)) & DY_BYTES(1);
            chars += (size_t)((starts * DY_BYTES(1)) >> 56);
        }
    }
    ix->at[i / CK_STEP] = chars; /* the step the text ends in (or its end) */
    return 0;
}

/* Character offset of byte offset off (at most the text's length). */
static size_t char_offset(char_index *ix, size_t off)
{
    size_t n = 0, from = 0;
    if (ix->at || !char_index_build(ix)) {
        n = ix->at[off / CK_STEP];
        from = off / CK_STEP * CK_STEP;
    }
    for (size_t i = from; i < off; i++)
        if (((unsigned char)ix->text[i] & 0xC0) != 0x80) n++;
    return n;
}

static void emit_actors(const dy_story_ctx *s, int32_t mi, dy_buf *o)
{
    dy_buf_putc(o, '[');
    if (mi >= 0) {
        const dy_mention *m = &s->m[mi];
        const dy_token *a = &s->seg.tok[m->first], *b = &s->seg.tok[m->last - 1];
        if (!m->ncode && m->name) { /* a new actor known only by its words */
            dy_buf_puts(o, "{\"code\":null,\"country\":null,\"sector\":null,\"entity_text\":");
            dy_buf_json_str(o, s->text + a->start, b->start + b->len - a->start);
            dy_buf_puts(o, ",\"name\":");
            dy_buf_json_str(o, m->name, m->name_len);
            dy_buf_putc(o, '}');
        }
        for (uint8_t k = 0; k < m->ncode; k++) {
            const char *code = m->code[k];
            int country = strlen(code) >= 3 && dy_is_country(s->d, code);
            if (k) dy_buf_putc(o, ',');
            dy_buf_puts(o, "{\"code\":");
            dy_buf_json_cstr(o, code);
            dy_buf_puts(o, ",\"country\":");
            if (country) dy_buf_json_str(o, code, 3);
            else dy_buf_puts(o, "null");
            dy_buf_puts(o, ",\"sector\":");
            const char *sec = country ? code + 3 : code;
            if (*sec) dy_buf_json_cstr(o, sec);
            else dy_buf_puts(o, "null");
            dy_buf_puts(o, ",\"entity_text\":");
            if (m->flags & M_IMPLIED) dy_buf_puts(o, "null"); /* no words name it */
            else dy_buf_json_str(o, s->text + a->start, b->start + b->len - a->start);
            dy_buf_puts(o, ",\"name\":");
            if (m->name && m->ncode == 1) dy_buf_json_str(o, m->name, m->name_len);
            else dy_buf_puts(o, "null");
            if (m->attr[0]) {
                dy_buf_puts(o, ",\"aligned_with\":");
                dy_buf_json_cstr(o, m->attr);
            }
            dy_buf_putc(o, '}');
        }
    }
    dy_buf_putc(o, ']');
}

static void opt_str(dy_buf *o, const char *key, const char *v)
{
    dy_buf_puts(o, ",\"");
    dy_buf_puts(o, key);
    dy_buf_puts(o, "\":");
    if (v && *v) dy_buf_json_cstr(o, v);
    else dy_buf_puts(o, "null");
}

/* Writes "<story id>-<suffix>" as a JSON string. */
static void record_id(dy_buf *o, const char *sid, const char *suffix)
{
    dy_buf b = {0};
    dy_buf_puts(&b, sid);
    dy_buf_puts(&b, suffix);
    if (b.oom) o->oom = 1; /* no id: fail the output as its own OOM would, not write "" */
    else dy_buf_json_str(o, b.p ? b.p : "", b.n);
    dy_buf_free(&b);
}

static int same_actor(const dy_mention *a, const dy_mention *b)
{
    if (a->ncode != b->ncode) return 0;
    for (uint8_t i = 0; i < a->ncode; i++)
        if (strcmp(a->code[i], b->code[i])) return 0;
    return 1;
}

/* Kept events by the codes of their source, so that each quotation finds its speaker's events
 * by binary search: a pass over every event per quotation made long stories quadratic. */
typedef struct src_event {
    uint64_t key; /* hash of the source's codes */
    size_t n;     /* the event's number among the kept events, from 1 */
    int32_t src;  /* its source mention */
} src_event;

static uint64_t actor_key(const dy_mention *m)
{
    uint64_t h = m->ncode;
    for (uint8_t i = 0; i < m->ncode; i++)
        h = h * 0x100000001B3ULL ^ dy_hash(m->code[i], strnlen(m->code[i], DY_CODE_MAX));
    return h;
}

static int cmp_src_event(const void *a, const void *b)
{
    const src_event *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->n < y->n ? -1 : x->n > y->n;
}

/* Quotation records: the words between the marks, the speaker, and the story's events whose
 * source is that speaker. */
static void emit_quotes(const dy_story_ctx *s, dy_buf *o, const char *sid, char_index *ix)
{
    const dy_segmented *g = &s->seg;
    if (!g->nquote) return;
    src_event *by_src = malloc((s->nev + 1) * sizeof *by_src);
    if (!by_src) {
        o->oom = 1;
        return;
    }
    size_t nsrc = 0, kept = 0;
    for (size_t k = 0; k < s->nev; k++) {
        if (s->ev[k].dropped) continue;
        kept++;
        if (s->ev[k].src >= 0) by_src[nsrc++] = (src_event){actor_key(&s->m[s->ev[k].src]), kept, s->ev[k].src};
    }
    qsort(by_src, nsrc, sizeof *by_src, cmp_src_event);
    for (size_t q = 0; q < g->nquote; q++) {
        uint32_t open = g->quote[q].open, close = g->quote[q].close;
        if (close <= open + 1) continue;
        const dy_token *a = &g->tok[open + 1], *b = &g->tok[close - 1];
        char suffix[32];
        snprintf(suffix, sizeof suffix, "-q%zu", q + 1);
        dy_buf_puts(o, "{\"kind\":\"quote\",\"id\":");
        record_id(o, sid, suffix);
        dy_buf_puts(o, ",\"story_id\":");
        dy_buf_json_cstr(o, sid);
        dy_buf_puts(o, ",\"date\":");
        dy_buf_json_cstr(o, s->in->date);
        dy_buf_puts(o, ",\"speaker\":");
        int32_t sp = s->speaker ? s->speaker[q] : -1;
        emit_actors(s, sp, o);
        dy_buf_puts(o, ",\"text\":");
        dy_buf_json_str(o, s->text + a->start, b->start + b->len - a->start);
        uint32_t s0 = s->tok_sent[open], s1 = s->tok_sent[close]; /* token -> sentence */
        dy_buf_puts(o, ",\"text_info\":{\"sentences\":[");
        for (uint32_t si = s0; si <= s1; si++) {
            if (si > s0) dy_buf_putc(o, ',');
            dy_buf_putu(o, si);
        }
        dy_buf_puts(o, "],\"spans\":[[");
        dy_buf_putu(o, char_offset(ix, a->start));
        dy_buf_putc(o, ',');
        dy_buf_putu(o, char_offset(ix, b->start + b->len));
        dy_buf_puts(o, "]]},\"events\":[");
        size_t lo = 0, hi = nsrc, first = 1;
        uint64_t key = sp >= 0 ? actor_key(&s->m[sp]) : 0;
        while (sp >= 0 && lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (by_src[mid].key < key) lo = mid + 1;
            else hi = mid;
        }
        for (size_t k = lo; sp >= 0 && k < nsrc && by_src[k].key == key; k++) {
            if (!same_actor(&s->m[by_src[k].src], &s->m[sp])) continue;
            snprintf(suffix, sizeof suffix, "-%zu", by_src[k].n);
            if (!first) dy_buf_putc(o, ',');
            record_id(o, sid, suffix);
            first = 0;
        }
        dy_buf_puts(o, "]}\n");
    }
    free(by_src);
}

void dy_emit_jsonl(const dy_story_ctx *s, dy_buf *o)
{
    const char *sid = s->in->id ? s->in->id : "story";
    size_t n = 0;
    char_index ix = {s->text, s->n, s->a, NULL};
    for (size_t k = 0; k < s->nev; k++) {
        const dy_event *e = &s->ev[k];
        if (e->dropped) continue;
        const dy_pattern *p = &s->d->patterns[e->pattern];
        const dy_cameo *c = e->cameo;
        dy_buf_puts(o, "{\"kind\":\"event\",\"id\":");
        char id[64];
        snprintf(id, sizeof id, "-%zu", ++n);
        record_id(o, sid, id);
        dy_buf_puts(o, ",\"story_id\":");
        dy_buf_json_cstr(o, sid);
        dy_buf_puts(o, ",\"date\":");
        if (e->date)
            dy_buf_printf(o, "\"%04d-%02d-%02d\"", e->date / 10000, e->date / 100 % 100, e->date % 100);
        else
            dy_buf_puts(o, "null");
        dy_buf_puts(o, ",\"date_precision\":\"");
        dy_buf_puts(o, dy_precision_name(e->date_prec));
        dy_buf_putc(o, '"');
        dy_buf_puts(o, ",\"actor\":");
        emit_actors(s, e->src, o);
        dy_buf_puts(o, ",\"recipient\":");
        emit_actors(s, e->tgt, o);
        opt_str(o, "event", c->plover);
        opt_str(o, "mode", p->mode ? p->mode : e->mode ? e->mode : c->mode);
        opt_str(o, "context", p->context ? p->context : c->context);
        char root[3] = {c->code[0], c->code[1], 0};
        dy_buf_puts(o, ",\"cameo\":{\"code\":");
        dy_buf_json_cstr(o, c->code);
        if (c->opaque) {
            dy_buf_puts(o, ",\"root\":null,\"quad_class\":null,\"goldstein\":null}");
        } else {
            dy_buf_puts(o, ",\"root\":");
            dy_buf_json_cstr(o, root);
            dy_buf_printf(o, ",\"quad_class\":%d,\"goldstein\":%.1f}", c->quad, (double)c->goldstein);
        }
        const dy_sentence *st = &s->seg.sent[e->sent];
        dy_buf_puts(o, ",\"text\":");
        dy_buf_json_str(o, s->text + st->start, st->end - st->start);
        dy_buf_puts(o, ",\"text_info\":{\"sentences\":[");
        for (uint8_t j = 0; j < e->nsent; j++) {
            if (j) dy_buf_putc(o, ',');
            dy_buf_putu(o, e->sents[j]);
        }
        dy_buf_puts(o, "],\"spans\":[");
        for (uint8_t j = 0; j < e->nsent; j++) {
            const dy_sentence *sj = &s->seg.sent[e->sents[j]];
            dy_buf_puts(o, j ? ",[" : "[");
            dy_buf_putu(o, char_offset(&ix, sj->start));
            dy_buf_putc(o, ',');
            dy_buf_putu(o, char_offset(&ix, sj->end));
            dy_buf_putc(o, ']');
        }
        dy_buf_puts(o, "],\"pattern\":");
        dy_buf_json_cstr(o, p->text);
        dy_buf_puts(o, "},\"time_refs\":[");
        /* every time expression of the event's sentences, resolved: what dated the event and
         * what dates the things it speaks of ("the elections on 10 October") */
        for (size_t x = 0, nx = 0; x < s->ntimex; x++) {
            const dy_timex *t = &s->timex[x];
            int mine = 0;
            for (uint8_t j = 0; j < e->nsent; j++)
                if (e->sents[j] == t->sent) mine = 1;
            if (!mine) continue;
            const dy_token *a = &s->seg.tok[t->first], *b = &s->seg.tok[t->last - 1];
            dy_buf_puts(o, nx++ ? ",{\"text\":" : "{\"text\":");
            dy_buf_json_str(o, s->text + a->start, b->start + b->len - a->start);
            dy_buf_printf(o, ",\"date\":\"%04d-%02d-%02d\",\"precision\":\"%s\"}", t->date / 10000, t->date / 100 % 100,
                          t->date % 100, dy_precision_name(t->precision));
        }
        dy_buf_puts(o, "],\"event_loc\":");
        dy_places_event_loc(s, e, o);
        dy_buf_puts(o, ",\"size\":{");
        static const char *const kinds[] = {"", "dead", "injured", "arrested", "crowd"};
        for (int z = DY_N_DEAD; z < DY_N_KINDS; z++) {
            const dy_size *sz = &e->size[z];
            dy_buf_printf(o, "%s\"%s\":", z > DY_N_DEAD ? "," : "", kinds[z]);
            if (!sz->set) {
                dy_buf_puts(o, "null");
                continue;
            }
            dy_buf_printf(o, "{\"value\":%ld,\"qualifier\":\"%s\"", sz->value, dy_qualifier_name(sz->qual));
            if (sz->max >= 0) dy_buf_printf(o, ",\"max\":%ld", sz->max);
            const dy_token *a = &s->seg.tok[sz->first], *b = &s->seg.tok[sz->last - 1];
            dy_buf_puts(o, ",\"text\":");
            dy_buf_json_str(o, s->text + a->start, b->start + b->len - a->start);
            dy_buf_putc(o, '}');
        }
        dy_buf_puts(o, "},\"acled\":");
        if (e->acled_type) {
            dy_buf_puts(o, "{\"event_type\":");
            dy_buf_json_cstr(o, e->acled_type);
            dy_buf_puts(o, ",\"sub_event_type\":");
            dy_buf_json_cstr(o, e->acled_sub);
            dy_buf_putc(o, '}');
        } else
            dy_buf_puts(o, "null");
        dy_buf_puts(o, "}\n");
    }
    emit_quotes(s, o, sid, &ix);
}
