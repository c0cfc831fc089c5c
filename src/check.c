/*
 * check.c — the coder's invariants between stages (check.h). Each is a fact a later stage
 * relies on without testing it: a token inside the text, a mention inside its sentence, an
 * event's actors among the mentions, a count with its qualifier. A checking build asserts
 * them after every stage of every story the tests and the spec suite code, so a stage that
 * breaks one fails where it broke it, not in the stage that reads it later.
 */
#include <assert.h>

#include "check.h"
#include "geo/places.h"

static void check_segment(const dy_story_ctx *s)
{
    const dy_segmented *g = &s->seg;
    uint32_t end = 0;
    for (size_t t = 0; t < g->ntok; t++) { /* tokens in text order, inside the text */
        const dy_token *k = &g->tok[t];
        assert(k->start >= end && k->len > 0 && (size_t)k->start + k->len <= s->n);
        end = k->start + k->len;
        assert(k->quote <= g->nquote);
    }
    uint32_t next = 0;
    for (size_t si = 0; si < g->nsent; si++) { /* sentences tile the tokens, in order */
        const dy_sentence *st = &g->sent[si];
        assert(st->first == next);
        next = st->first + st->count;
        assert(next <= g->ntok && st->start <= st->end && st->end <= s->n);
        for (uint32_t t = st->first; t < next; t++) assert(s->tok_sent[t] == si);
    }
    assert(next == g->ntok);
    for (size_t q = 0; q < g->nquote; q++)
        assert(g->quote[q].open <= g->quote[q].close && g->quote[q].close < g->ntok);
}

static int mention_ok(const dy_story_ctx *s, int32_t m) { return m >= -1 && m < (int32_t)s->nm; }

static void check_actors(const dy_story_ctx *s)
{
    for (size_t i = 0; i < s->nm; i++) {
        const dy_mention *m = &s->m[i];
        assert(m->ncode <= DY_MAX_CODES && m->nbase <= DY_MAX_CODES);
        assert(mention_ok(s, m->ref) && m->ref != (int32_t)i); /* kept pointing at its mention
                                                                  when mentions move */
        if (m->flags & M_IMPLIED) continue; /* named by no words: its span is the act's */
        assert(m->first < m->last && m->last <= s->seg.ntok);
        assert(m->sent < s->seg.nsent && s->tok_sent[m->first] == m->sent);
        assert(m->name_len == 0 || m->name);
    }
    for (size_t t = 0; t < s->seg.ntok; t++) assert(mention_ok(s, s->tok_m[t]));
    for (size_t q = 0; q < s->seg.nquote; q++) assert(mention_ok(s, s->speaker[q]));
}

static void check_events(const dy_story_ctx *s, int fields)
{
    for (size_t k = 0; k < s->nev; k++) {
        const dy_event *e = &s->ev[k];
        assert(e->cameo && e->pattern < s->d->npattern);
        assert(mention_ok(s, e->src) && mention_ok(s, e->tgt) && mention_ok(s, e->other));
        assert(e->sent < s->seg.nsent && e->first <= e->anchor && e->anchor < e->last &&
               e->last <= s->seg.ntok);
        assert(e->nsent >= 1 && e->nsent <= sizeof e->sents / sizeof *e->sents);
        for (uint8_t i = 0; i < e->nsent; i++) assert(e->sents[i] < s->seg.nsent);
        if (!fields || e->dropped) continue;
        assert(e->date_prec == 0 || e->date != 0); /* a precision only for a date */
        for (int n = 1; n < DY_N_KINDS; n++) {
            const dy_size *z = &e->size[n];
            if (!z->set) continue;
            assert(z->value >= 0 && z->qual <= DY_Q_IMPLIED);
            assert(z->qual == DY_Q_RANGE ? z->max >= z->value : z->max == -1);
        }
    }
}

static void check_places(const dy_story_ctx *s)
{
    for (size_t i = 0; i < s->nplace; i++) {
        const dy_place_mention *p = &s->place[i];
        assert(p->first < p->last && p->last <= s->seg.ntok && p->sent < s->seg.nsent);
        assert(p->start < p->end && p->end <= s->n && p->cstart <= p->cend);
        assert(p->nalt <= DY_PLACE_ALTS);
    }
}

void dy_story_check(const dy_story_ctx *s, enum dy_stage stage)
{
    assert(s && s->d && s->opt && s->a && (s->text || !s->n));
    check_segment(s);
    if (stage >= DY_STAGE_ACTORS) check_actors(s);
    if (stage >= DY_STAGE_EVENTS) check_events(s, stage >= DY_STAGE_FIELDS);
    if (stage >= DY_STAGE_FIELDS) check_places(s);
}
