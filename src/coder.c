/*
 * coder.c — runs one story through the pipeline: segment -> lexicon (word ids, lemmas) ->
 * actors -> verbs -> events -> emit. Owns the story arena (reset between stories) and the
 * output buffers; the public dyad_story_code entry point lives here.
 */
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "geo/places.h"
#include "numbers.h"
#include "check.h"
#include "story.h"
#include "vcond.h"

struct dyad_coder {
    const dyad_dict *d;
    dyad_options opt;
    dy_arena arena;
    dy_buf out;        /* JSON Lines of the last story */
    dy_buf explain;    /* explanation of the last story */
    dy_buf places;     /* place mentions of the last story (opts.places) */
    size_t nevents, nsent;
    int discarded;     /* DYAD_DISCARD_* of the last story */
    const char *regions; /* dyad_coder_story_regions (in the arena) */
    dy_vcond_state vcond; /* verbs.c: which pattern conditions hold in a sentence */
};

dyad_coder *dyad_coder_new(const dyad_dict *d, const dyad_options *opts)
{
    if (!d || !d->finished) return NULL;
    dyad_coder *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->d = d;
    if (opts) c->opt = *opts;
    if (!c->opt.arena_limit) c->opt.arena_limit = DYAD_DEFAULT_ARENA_LIMIT;
    dy_arena_init(&c->arena, c->opt.arena_limit);
    if (dy_vcond_state_init(&c->vcond, d)) {
        dyad_coder_free(c);
        return NULL;
    }
    return c;
}

void dyad_coder_free(dyad_coder *c)
{
    if (!c) return;
    dy_arena_fini(&c->arena);
    dy_buf_free(&c->out);
    dy_buf_free(&c->explain);
    dy_buf_free(&c->places);
    dy_vcond_state_free(&c->vcond);
    free(c);
}

static void set_err(dyad_error *err, int code, const dyad_story *st, const char *msg)
{
    if (!err) return;
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", st && st->file ? st->file : "");
    err->line = st ? st->line : 0;
    err->column = 0;
    snprintf(err->message, sizeof err->message, "%s", msg);
}

/* ==== explain ============================================================================ */

static void explain_story(const dy_story_ctx *s, dy_buf *o)
{
    const dyad_dict *d = s->d;
    dy_buf_printf(o, "story %s  date %s  focus country %s\n", s->in->id ? s->in->id : "-",
                  s->in->date ? s->in->date : "(none)", s->focus[0] ? s->focus : "(none)");
    for (size_t si = 0; si < s->seg.nsent; si++) {
        const dy_sentence *st = &s->seg.sent[si];
        dy_buf_printf(o, "\n[%zu]%s %.*s\n", si,
                      st->flags & SENT_HEADLINE                  ? " (headline: not coded)"
                      : s->sent_void && s->sent_void[si]         ? " (voided by a discard phrase: not coded)"
                                                                 : "",
                      (int)(st->end - st->start), s->text + st->start);
        for (size_t k = 0; k < s->nm; k++) {
            const dy_mention *m = &s->m[k];
            if (m->sent != si) continue;
            const dy_token *a = &s->seg.tok[m->first], *b = &s->seg.tok[m->last - 1];
            dy_buf_printf(o, "    actor  \"%.*s\" ->", (int)(b->start + b->len - a->start), s->text + a->start);
            for (uint8_t c = 0; c < m->ncode; c++) dy_buf_printf(o, " %s", m->code[c]);
            if (m->name) dy_buf_printf(o, "  (%.*s)", (int)m->name_len, m->name);
            dy_buf_printf(o, "  [%s]\n", m->why ? m->why : "");
        }
        for (size_t k = 0; k < s->nev; k++) {
            const dy_event *e = &s->ev[k];
            if (e->sent != si) continue;
            const dy_pattern *p = &d->patterns[e->pattern];
            dy_buf_printf(o, "    %s %s  %s:%u  %s %s\n", e->dropped ? "drop " : "EVENT", e->cameo->code,
                          p->file, p->line, e->cameo->code, p->text);
            dy_buf_printf(o, "           source %s  target %s%s%s%s\n",
                          e->src >= 0 ? s->m[e->src].code[0] : "-",
                          e->tgt >= 0 ? s->m[e->tgt].code[0] : "-",
                          e->passive == 1 ? "  (passive)" : "", e->dropped ? "  because: " : "",
                          e->dropped ? e->dropped : "");
        }
    }
}

/* ==== the pipeline ======================================================================= */

/* ==== home regions ====================================================================== */

struct dyad_homes {
    struct home {
        char *source;  /* NULL: the default */
        char region[12];
    } *home;
    size_t n, cap;
};

dyad_homes *dyad_homes_new(void) { return calloc(1, sizeof(dyad_homes)); }

void dyad_homes_free(dyad_homes *h)
{
    if (!h) return;
    for (size_t i = 0; i < h->n; i++) free(h->home[i].source);
    free(h->home);
    free(h);
}

int dyad_homes_set(dyad_homes *h, const char *source, const char *region, dyad_error *err)
{
    if (!h) return DYAD_EUSAGE;
    if (region && !dy_places_region_known(region)) {
        char msg[200];
        snprintf(msg, sizeof msg, "home region '%.40s': not an ISO 3166-2 subdivision (US-OH) or an ISO 3166-1 "
                 "country (IRL) that the gazetteer knows", region);
        set_err(err, DYAD_EINPUT, NULL, msg);
        return DYAD_EINPUT;
    }
    size_t i = 0;
    while (i < h->n && !(source ? h->home[i].source && !strcmp(h->home[i].source, source) : !h->home[i].source))
        i++;
    if (!region) { /* remove */
        if (i < h->n) {
            free(h->home[i].source);
            h->home[i] = h->home[--h->n];
        }
        return DYAD_OK;
    }
    if (i == h->n) {
        if (dy_grow((void **)&h->home, &h->cap, h->n, sizeof *h->home, 8)) return DYAD_ENOMEM;
        h->home[i].source = NULL;
        if (source && !(h->home[i].source = strdup(source))) return DYAD_ENOMEM;
        h->n++;
    }
    snprintf(h->home[i].region, sizeof h->home[i].region, "%s", region);
    return DYAD_OK;
}

/* The home region of a story's source, or the default one, or NULL. */
static const char *home_of(const dyad_homes *h, const dyad_story *st)
{
    const char *dflt = NULL;
    for (size_t i = 0; h && i < h->n; i++) {
        if (!h->home[i].source) dflt = h->home[i].region;
        else if (st->source && !strcmp(st->source, h->home[i].source)) return h->home[i].region;
    }
    return dflt;
}

const char *dyad_coder_story_regions(const dyad_coder *c) { return c && c->regions ? c->regions : ""; }

/* ==== learning home regions ============================================================== */

/* For each (source, region): how many of the source's stories name a place in the region; the
 * region "" counts the source's stories that name any. Found through an open-addressing index
 * on the pair, so a day of news from thousands of sources is learnt in linear time. */
struct dyad_home_learner {
    struct home_tally {
        char *source;
        char region[12];
        size_t n;
    } *t;
    size_t n, cap;
    uint32_t *slot; /* index + 1 into t, 0: empty */
    size_t nslot;
};

dyad_home_learner *dyad_home_learner_new(void) { return calloc(1, sizeof(dyad_home_learner)); }

void dyad_home_learner_free(dyad_home_learner *l)
{
    if (!l) return;
    for (size_t i = 0; i < l->n; i++) free(l->t[i].source);
    free(l->t);
    free(l->slot);
    free(l);
}

static uint64_t pair_hash(const char *source, const char *region, size_t n)
{
    return dy_hash(source, strlen(source)) * 31 ^ dy_hash(region, n);
}

/* Counts one story of source for region (n bytes). 0, or -1 on OOM. */
static int tally(dyad_home_learner *l, const char *source, const char *region, size_t n)
{
    if (n >= sizeof l->t->region) return 0; /* no such code */
    if ((l->n + 1) * 2 > l->nslot) { /* grow the index */
        size_t ns = l->nslot ? l->nslot * 2 : 256;
        uint32_t *slot = calloc(ns, sizeof *slot);
        if (!slot) return -1;
        for (size_t i = 0; i < l->n; i++) {
            const struct home_tally *h = &l->t[i];
            size_t j = pair_hash(h->source, h->region, strlen(h->region)) & (ns - 1);
            while (slot[j]) j = (j + 1) & (ns - 1);
            slot[j] = (uint32_t)i + 1;
        }
        free(l->slot);
        l->slot = slot;
        l->nslot = ns;
    }
    size_t j = pair_hash(source, region, n) & (l->nslot - 1);
    for (; l->slot[j]; j = (j + 1) & (l->nslot - 1)) {
        struct home_tally *h = &l->t[l->slot[j] - 1];
        if (!strncmp(h->region, region, n) && !h->region[n] && !strcmp(h->source, source)) {
            h->n++;
            return 0;
        }
    }
    if (dy_grow((void **)&l->t, &l->cap, l->n, sizeof *l->t, 64)) return -1;
    struct home_tally *h = &l->t[l->n];
    if (!(h->source = strdup(source))) return -1;
    memcpy(h->region, region, n);
    h->region[n] = 0;
    h->n = 1;
    l->slot[j] = (uint32_t)++l->n;
    return 0;
}

int dyad_home_learner_add(dyad_home_learner *l, const char *source, const char *regions)
{
    if (!l || !source || !*source || !regions || !*regions) return 0;
    if (tally(l, source, "", 0)) return -1;
    for (const char *p = regions; *p;) {
        size_t n = strcspn(p, " ");
        if (n && tally(l, source, p, n)) return -1;
        p += n;
        while (*p == ' ') p++;
    }
    return 0;
}

/* Orders tallies by source (then region), for apply. */
static int cmp_tally(const void *a, const void *b)
{
    const struct home_tally *x = *(const struct home_tally *const *)a, *y = *(const struct home_tally *const *)b;
    int c = strcmp(x->source, y->source);
    return c ? c : strcmp(x->region, y->region);
}

int dyad_home_learner_apply(const dyad_home_learner *l, dyad_homes *homes, FILE *report)
{
    if (!l || !l->n) return 0;
    const struct home_tally **by = malloc(l->n * sizeof *by);
    if (!by) return -1;
    for (size_t i = 0; i < l->n; i++) by[i] = &l->t[i];
    qsort(by, l->n, sizeof *by, cmp_tally);
    int set = 0;
    for (size_t a = 0, b; a < l->n; a = b) { /* one source: by[a, b); its "" tally sorts first */
        for (b = a + 1; b < l->n && !strcmp(by[b]->source, by[a]->source); b++) {}
        size_t any = !by[a]->region[0] ? by[a]->n : 0;
        const struct home_tally *best = NULL;
        int tie = 0;
        for (size_t i = a; i < b; i++) {
            if (!by[i]->region[0]) continue;
            if (!best || by[i]->n > best->n) best = by[i], tie = 0;
            else if (by[i]->n == best->n) tie = 1;
        }
        /* the region named in the most stories, by more than any other, in at least
         * DYAD_HOME_MIN_STORIES and in at least half of those naming any */
        if (!best || tie || best->n < DYAD_HOME_MIN_STORIES || best->n * 2 < any) continue;
        int rc = dyad_homes_set(homes, best->source, best->region, NULL);
        if (rc == DYAD_ENOMEM) {
            free(by);
            return -1;
        }
        if (rc != DYAD_OK) continue;
        set++;
        if (report) fprintf(report, "%s\t%s\t%zu/%zu\n", best->source, best->region, best->n, any);
    }
    free(by);
    return set;
}

int dyad_story_code(dyad_coder *c, const dyad_story *story, dyad_error *err)
{
    if (!c || !story || (!story->text && story->text_len)) {
        set_err(err, DYAD_EUSAGE, story, "dyad_story_code: no coder or story");
        return DYAD_EUSAGE;
    }
    dy_arena_reset(&c->arena);
    c->out.n = 0;
    c->explain.n = 0;
    c->places.n = 0;
    c->nevents = c->nsent = 0;
    c->discarded = 0;
    dy_story_ctx s;
    memset(&s, 0, sizeof s);
    s.d = c->d;
    s.opt = &c->opt;
    s.in = story;
    s.text = story->text ? story->text : "";
    s.n = story->text_len;
    s.a = &c->arena;
    s.vcond = &c->vcond;
    s.date = story->date ? dy_date_parse(story->date, strlen(story->date)) : 0;
    s.home = home_of(c->opt.homes, story);
    c->regions = NULL;
    if (dy_segment(s.text, s.n, s.a, &s.seg)) goto fail;
    dy_lexicon_tag(c->d, s.text, s.seg.tok, s.seg.ntok);
    s.tok_sent = dy_arena_alloc(s.a, (s.seg.ntok + 1) * sizeof *s.tok_sent);
    s.tok_m = dy_arena_alloc(s.a, (s.seg.ntok + 1) * sizeof *s.tok_m);
    s.speaker = dy_arena_alloc(s.a, (s.seg.nquote + 1) * sizeof *s.speaker);
    if (!s.tok_sent || !s.tok_m || !s.speaker) goto fail;
    for (size_t si = 0; si < s.seg.nsent; si++)
        for (uint32_t t = 0; t < s.seg.sent[si].count; t++) s.tok_sent[s.seg.sent[si].first + t] = (uint32_t)si;
    for (size_t t = 0; t < s.seg.ntok; t++) s.tok_m[t] = -1;
    for (size_t q = 0; q < s.seg.nquote; q++) s.speaker[q] = -1;
    DY_STORY_CHECK(&s, DY_STAGE_SEGMENT);
    if (dy_discards_find(&s)) goto fail;
    c->discarded = s.discarded;
    if (dy_actors_find(&s)) goto fail;
    if (dy_comma_clauses(&s)) goto fail;
    DY_STORY_CHECK(&s, DY_STAGE_ACTORS);
    if (dy_verbs_match(&s)) goto fail;
    if (dy_events_assemble(&s)) goto fail;
    DY_STORY_CHECK(&s, DY_STAGE_EVENTS);
    /* figures, dates and places only matter to kept events: most stories have none */
    size_t kept = 0;
    for (size_t k = 0; k < s.nev; k++) kept += !s.ev[k].dropped;
    if (kept && dy_dates_find(&s, &s.timex, &s.ntimex)) goto fail;
    for (size_t k = 0; k < s.nev; k++) {
        dy_event *e = &s.ev[k];
        const dy_timex *t = kept ? dy_dates_for_event(&s, s.timex, s.ntimex, e) : NULL;
        e->date = t ? t->date : s.date;
        e->date_prec = t ? t->precision : s.date ? DY_PREC_DAY : DY_PREC_NONE;
        e->date_told = t != NULL;
        /* "Israel fought a war with Egypt in 1973": history told in a story, not news */
        if (t && !e->dropped && s.date && e->date < dy_date_add_days(s.date, -366))
            e->dropped = "history: it happened more than a year before the story";
    }
    dy_events_fold(&s);
    dy_classify(&s);
    if (kept || c->opt.places)
        if (dy_places_find(&s)) goto fail;
    if (kept) {
        dy_count *counts;
        size_t ncounts;
        if (dy_numbers_find(&s, &counts, &ncounts)) goto fail;
        dy_numbers_attach(&s, counts, ncounts);
    }
    DY_STORY_CHECK(&s, DY_STAGE_FIELDS);
    dy_emit_jsonl(&s, &c->out);
    if (c->opt.places) dy_places_jsonl(&s, &c->places);
    c->regions = s.regions;
    if (c->opt.explain) explain_story(&s, &c->explain);
    if (c->out.oom || c->explain.oom || c->places.oom) {
        set_err(err, DYAD_ENOMEM, story, "out of memory writing records");
        return DYAD_ENOMEM;
    }
    for (size_t k = 0; k < s.nev; k++)
        if (!s.ev[k].dropped) c->nevents++;
    c->nsent = s.seg.nsent;
    return DYAD_OK;
fail:
    c->out.n = 0;
    c->places.n = 0;
    if (c->arena.failed == DY_ARENA_LIMIT) { /* (not a guess from the bytes used: one big
                                               * request can pass the limit long before it) */
        set_err(err, DYAD_ELIMIT, story, "story needs more memory than the arena limit allows");
        return DYAD_ELIMIT;
    }
    set_err(err, DYAD_ENOMEM, story, "out of memory while coding");
    return DYAD_ENOMEM;
}

size_t dyad_coder_event_count(const dyad_coder *c) { return c ? c->nevents : 0; }
int dyad_coder_discarded(const dyad_coder *c) { return c ? c->discarded : 0; }
size_t dyad_coder_sentence_count(const dyad_coder *c) { return c ? c->nsent : 0; }

const char *dyad_coder_jsonl(dyad_coder *c, size_t *len)
{
    dy_buf_nul(&c->out);
    if (len) *len = c->out.n;
    return c->out.p ? c->out.p : "";
}

const char *dyad_coder_places_jsonl(dyad_coder *c, size_t *len)
{
    dy_buf_nul(&c->places);
    if (len) *len = c->places.n;
    return c->places.p ? c->places.p : "";
}

const char *dyad_coder_explain(dyad_coder *c, size_t *len)
{
    dy_buf_nul(&c->explain);
    if (len) *len = c->explain.n;
    return c->explain.p ? c->explain.p : "";
}
