/*
 * emit.c — the emit stage: kept events -> JSON Lines, one complete record per line, in
 * PLOVER's field layout with CAMEO codes beside it (README "Output fields").
 */
#include <string.h>

#include "story.h"

/* Character (code point) offset of byte offset off in text. */
static size_t char_offset(const char *text, size_t off)
{
    size_t n = 0;
    for (size_t i = 0; i < off; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80) n++;
    return n;
}

static void emit_actors(const dy_story_ctx *s, int32_t mi, dy_buf *o)
{
    dy_buf_putc(o, '[');
    if (mi >= 0) {
        const dy_mention *m = &s->m[mi];
        const dy_token *a = &s->seg.tok[m->first], *b = &s->seg.tok[m->last - 1];
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
            dy_buf_json_str(o, s->text + a->start, b->start + b->len - a->start);
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
    dy_buf_printf(o, ",\"%s\":", key);
    if (v && *v) dy_buf_json_cstr(o, v);
    else dy_buf_puts(o, "null");
}

void dy_emit_jsonl(const dy_story_ctx *s, dy_buf *o)
{
    const char *sid = s->in->id ? s->in->id : "story";
    size_t n = 0;
    for (size_t k = 0; k < s->nev; k++) {
        const dy_event *e = &s->ev[k];
        if (e->dropped) continue;
        const dy_pattern *p = &s->d->patterns[e->pattern];
        const dy_cameo *c = e->cameo;
        dy_buf_puts(o, "{\"kind\":\"event\",\"id\":");
        char id[64];
        snprintf(id, sizeof id, "-%zu", ++n);
        dy_buf_putc(o, '"');
        size_t mark = o->n;
        dy_buf_json_cstr(o, sid);
        /* splice "<story_id>-<n>" as one string: drop the quotes json_cstr wrote */
        if (!o->oom && o->n >= mark + 2) {
            memmove(o->p + mark, o->p + mark + 1, o->n - mark - 2);
            o->n -= 2;
        }
        dy_buf_puts(o, id);
        dy_buf_puts(o, "\",\"story_id\":");
        dy_buf_json_cstr(o, sid);
        dy_buf_puts(o, ",\"date\":");
        dy_buf_json_cstr(o, s->in->date);
        dy_buf_puts(o, ",\"actor\":");
        emit_actors(s, e->src, o);
        dy_buf_puts(o, ",\"recipient\":");
        emit_actors(s, e->tgt, o);
        opt_str(o, "event", c->plover);
        opt_str(o, "mode", p->mode ? p->mode : c->mode);
        opt_str(o, "context", p->context ? p->context : c->context);
        char root[3] = {c->code[0], c->code[1], 0};
        dy_buf_puts(o, ",\"cameo\":{\"code\":");
        dy_buf_json_cstr(o, c->code);
        dy_buf_puts(o, ",\"root\":");
        dy_buf_json_cstr(o, root);
        dy_buf_printf(o, ",\"quad_class\":%d,\"goldstein\":%.1f}", c->quad, (double)c->goldstein);
        const dy_sentence *st = &s->seg.sent[e->sent];
        dy_buf_puts(o, ",\"text\":");
        dy_buf_json_str(o, s->text + st->start, st->end - st->start);
        dy_buf_puts(o, ",\"text_info\":{\"sentences\":[");
        for (uint8_t j = 0; j < e->nsent; j++) dy_buf_printf(o, "%s%u", j ? "," : "", e->sents[j]);
        dy_buf_puts(o, "],\"spans\":[");
        for (uint8_t j = 0; j < e->nsent; j++) {
            const dy_sentence *sj = &s->seg.sent[e->sents[j]];
            dy_buf_printf(o, "%s[%zu,%zu]", j ? "," : "", char_offset(s->text, sj->start),
                          char_offset(s->text, sj->end));
        }
        dy_buf_puts(o, "],\"pattern\":");
        dy_buf_json_cstr(o, p->text);
        dy_buf_puts(o, "},\"event_loc\":null,\"size\":{\"dead\":null,\"injured\":null,"
                       "\"arrested\":null},\"acled\":null}\n");
    }
}
