/*
 * dates.c — the dates stage: finds time expressions in the story ("on Sunday", "last month",
 * "10 October", "Oct. 10, 2021", "two days ago", "yesterday", "in 2019", "overnight") and
 * resolves each against the story's date, with a precision (day, week, month, year). Events
 * take the expression that governs their clause (dy_dates_for_event), else the story's date.
 */
#include <string.h>

#include "dates.h"

/* ==== calendar arithmetic ================================================================ */

long dy_date_days(int32_t ymd)
{
    int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int32_t from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp + (mp < 10 ? 3 : -9);
    return (int32_t)((y + (m <= 2)) * 10000 + m * 100 + d);
}

int32_t dy_date_add_days(int32_t ymd, long days) { return from_days(dy_date_days(ymd) + days); }

/* 0 = Monday .. 6 = Sunday. */
static int weekday(int32_t ymd) { return (int)(((dy_date_days(ymd) % 7) + 10) % 7); }

/* ==== words ============================================================================== */

static const char *const month_names[] = {"january", "february", "march", "april", "may", "june", "july",
                                          "august", "september", "october", "november", "december"};
static const char *const month_abbr[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const day_names[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

/* Lower-cased token text without a final period into buf; returns its length. */
static size_t low(const dy_story_ctx *s, uint32_t i, char *buf, size_t cap)
{
    const dy_token *t = &s->seg.tok[i];
    size_t n = 0;
    for (uint32_t k = 0; k < t->len && n + 1 < cap; k++) {
        char c = s->text[t->start + k];
        if (c == '.' && k + 1 == t->len) break;
        buf[n++] = (char)dy_tolower((unsigned char)c);
    }
    buf[n] = 0;
    return n;
}

static int is(const dy_story_ctx *s, uint32_t i, uint32_t end, const char *w)
{
    return i < end && dy_tok_reads(s->text, &s->seg.tok[i], w);
}

static int month_of(const dy_story_ctx *s, uint32_t i, uint32_t end)
{
    if (i >= end) return 0;
    const dy_token *t = &s->seg.tok[i];
    if (!(t->flags & TK_CAP)) return 0; /* "may" the verb, "march" the verb */
    char c0 = (char)dy_tolower((unsigned char)s->text[t->start]);
    for (int m = 0; m < 12; m++)
        if (month_names[m][0] == c0 && (dy_tok_reads(s->text, t, month_names[m]) || dy_tok_reads(s->text, t, month_abbr[m]) ||
            (t->len == 4 && s->text[t->start + 3] == '.' && !strncasecmp(s->text + t->start, month_abbr[m], 3)) ||
            (m == 8 && dy_tok_reads(s->text, t, "sept"))))
            return m + 1;
    return 0;
}

static int number_of(const dy_story_ctx *s, uint32_t i, uint32_t end, int lo, int hi)
{
    if (i >= end || !(s->seg.tok[i].flags & TK_NUM)) return -1;
    const dy_token *t = &s->seg.tok[i];
    int v = 0;
    uint32_t k = 0;
    for (; k < t->len && dy_isdigit(s->text[t->start + k]); k++) {
        v = v * 10 + s->text[t->start + k] - '0';
        if (v > 100000) return -1;
    }
    /* 10th, 1st, 22nd */
    if (k < t->len && !(t->len - k == 2 && dy_isalpha(s->text[t->start + k]))) return -1;
    return v >= lo && v <= hi ? v : -1;
}

static const char *const small_numbers[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                                            "nine", "ten", "eleven", "twelve", NULL};

static int count_of(const dy_story_ctx *s, uint32_t i, uint32_t end)
{
    int n = number_of(s, i, end, 1, 1000);
    if (n > 0) return n;
    if (i >= end) return -1;
    if (is(s, i, end, "a") || is(s, i, end, "an")) return 1;
    for (int k = 1; small_numbers[k]; k++)
        if (is(s, i, end, small_numbers[k])) return k;
    return -1;
}

/* Whether token i may start a time expression: a figure, a capitalised word (a weekday or a
 * month), or one of the few lower-case words that begin one. Most tokens stop here. */
static int may_start(const dy_story_ctx *s, uint32_t i, uint32_t end)
{
    static const char *const w[] = {"in", "yesterday", "today", "tonight", "overnight", "last", "this", "next",
                                    "earlier", "a", "an", "two", "three", "four", "five", "six", "seven",
                                    "eight", "nine", "ten", "eleven", "twelve", "one", "on", "since", NULL};
    const dy_token *t = &s->seg.tok[i];
    if (t->flags & (TK_NUM | TK_CAP)) return 1;
    for (int k = 0; w[k]; k++)
        if (is(s, i, end, w[k])) return 1;
    return 0;
}

/* ==== finding expressions ================================================================ */

static int add(dy_story_ctx *s, dy_timex *out, size_t *n, size_t cap, uint32_t first, uint32_t last, int32_t ymd,
               int precision)
{
    if (*n >= cap || ymd <= 0) return 0;
    dy_timex *x = &out[(*n)++];
    x->first = first;
    x->last = last;
    x->date = ymd;
    x->precision = (uint8_t)precision;
    x->sent = 0;
    return 1;
}

/* The most recent date (on or before the story date, up to 6 days back) with weekday wd. */
static int32_t last_weekday(int32_t story, int wd)
{
    int back = (weekday(story) - wd + 7) % 7;
    return dy_date_add_days(story, -back);
}

/* A day and month in the story's year, or the year before when that would put it more than
 * a week after the story (news tells of the past). */
static int32_t day_month(int32_t story, int m, int d, int y)
{
    if (!y) {
        y = story / 10000;
        if (y * 10000 + m * 100 + d > dy_date_add_days(story, 7)) y--;
    }
    if (d < 1 || d > dy_month_days(y, m)) return 0;
    return y * 10000 + m * 100 + d;
}

/* Whether "been" stands among the eight tokens before token i (from b on): a perfect
 * ("has been fighting", "have been held") that "since" measures. */
static int been_before(const dy_story_ctx *s, uint32_t i, uint32_t b)
{
    for (uint32_t k = i; k > b && k + 8 > i;) {
        k--;
        if (dy_tok_reads(s->text, &s->seg.tok[k], "been")) return 1;
    }
    return 0;
}

int dy_dates_find(dy_story_ctx *s, dy_timex **out, size_t *nout)
{
    const dy_segmented *g = &s->seg;
    size_t cap = 64, n = 0;
    dy_timex *x = dy_arena_alloc(s->a, cap * sizeof *x);
    if (!x) return -1;
    int32_t sd = s->date;
    /* only sentences that hold a kept event can date one */
    uint8_t *wanted = dy_arena_calloc(s->a, g->nsent + 1);
    if (!wanted) return -1;
    for (size_t k = 0; k < s->nev; k++)
        if (!s->ev[k].dropped) wanted[s->ev[k].sent] = 1;
    for (size_t si = 0; si < g->nsent && sd; si++) {
        if (!wanted[si]) continue;
        uint32_t b = g->sent[si].first, end = b + g->sent[si].count;
        for (uint32_t i = b; i < end; i++) {
            size_t before = n;
            int m, d, y, k, wd = 7;
            if (!may_start(s, i, end)) continue;
            char w[32];
            low(s, i, w, sizeof w);
            /* weekdays: "on Sunday", "Sunday" */
            if (g->tok[i].flags & TK_CAP)
                for (wd = 0; wd < 7; wd++)
                    if (!strcmp(w, day_names[wd])) break;
            if (wd < 7) {
                uint32_t f = i > b && is(s, i - 1, end, "on") ? i - 1 : i;
                int32_t dt = last_weekday(sd, wd);
                if (i > b && is(s, i - 1, end, "last")) dt = dy_date_add_days(dt, dt == sd ? -7 : 0), f = i - 1;
                add(s, x, &n, cap, f, i + 1, dt, DY_PREC_DAY);
            }
            /* "10 October", "10 October 2021", "October 10", "Oct. 10, 2021", "October 2021" */
            else if ((d = number_of(s, i, end, 1, 31)) > 0 && (m = month_of(s, i + 1, end))) {
                y = number_of(s, i + 2, end, 1900, 2100);
                add(s, x, &n, cap, i > b && is(s, i - 1, end, "on") ? i - 1 : i, y > 0 ? i + 3 : i + 2,
                    day_month(sd, m, d, y > 0 ? y : 0), DY_PREC_DAY);
            } else if ((m = month_of(s, i, end))) {
                uint32_t f = i > b && (is(s, i - 1, end, "on") || is(s, i - 1, end, "in")) ? i - 1 : i;
                if ((d = number_of(s, i + 1, end, 1, 31)) > 0) {
                    uint32_t j = i + 2;
                    if (j < end && s->text[g->tok[j].start] == ',' && g->tok[j].len == 1) j++;
                    y = number_of(s, j, end, 1900, 2100);
                    add(s, x, &n, cap, f, y > 0 ? j + 1 : i + 2, day_month(sd, m, d, y > 0 ? y : 0), DY_PREC_DAY);
                } else if ((y = number_of(s, i + 1, end, 1900, 2100)) > 0) {
                    add(s, x, &n, cap, f, i + 2, y * 10000 + m * 100 + 1, DY_PREC_MONTH);
                } else if (i > b && is(s, i - 1, end, "in")) {
                    int yy = sd / 10000;
                    if (m > sd / 100 % 100) yy--;
                    add(s, x, &n, cap, i - 1, i + 1, yy * 10000 + m * 100 + 1, DY_PREC_MONTH);
                }
            }
            /* "in 2019" */
            else if (is(s, i, end, "in") && (y = number_of(s, i + 1, end, 1900, 2100)) > 0 &&
                     !month_of(s, i + 2, end))
                add(s, x, &n, cap, i, i + 2, y * 10000 + 101, DY_PREC_YEAR);
            /* "UNITA has been fighting the government since 1976": a state that began then is
             * dated by its beginning (and, long past, is background); not "the worst violence
             * since 1992", a yardstick, where no "been" goes before */
            else if (!strcmp(w, "since") && (y = number_of(s, i + 1, end, 1900, 2100)) > 0 &&
                     !month_of(s, i + 2, end) && been_before(s, i, b))
                add(s, x, &n, cap, i, i + 2, y * 10000 + 101, DY_PREC_YEAR);
            else if (!strcmp(w, "yesterday"))
                add(s, x, &n, cap, i, i + 1, dy_date_add_days(sd, -1), DY_PREC_DAY);
            else if (!strcmp(w, "today") || !strcmp(w, "tonight") || !strcmp(w, "overnight"))
                add(s, x, &n, cap, i, i + 1, sd, DY_PREC_DAY);
            else if (!strcmp(w, "last") || !strcmp(w, "this") || !strcmp(w, "next") || !strcmp(w, "earlier")) {
                /* "last month", "last week", "last year", "earlier this month" */
                uint32_t j = i + 1;
                int off = !strcmp(w, "last") ? -1 : !strcmp(w, "next") ? 1 : 0;
                if (!strcmp(w, "earlier") && is(s, j, end, "this")) j++;
                if (is(s, j, end, "month")) {
                    int yy = sd / 10000, mm = sd / 100 % 100 + off;
                    if (mm < 1) mm = 12, yy--;
                    if (mm > 12) mm = 1, yy++;
                    add(s, x, &n, cap, i, j + 1, yy * 10000 + mm * 100 + 1, DY_PREC_MONTH);
                } else if (is(s, j, end, "week")) {
                    add(s, x, &n, cap, i, j + 1, dy_date_add_days(sd, 7 * off), DY_PREC_WEEK);
                } else if (is(s, j, end, "year")) {
                    add(s, x, &n, cap, i, j + 1, (sd / 10000 + off) * 10000 + 101, DY_PREC_YEAR);
                }
            }
            /* "two days ago", "a week ago", "three weeks ago" */
            else if ((k = count_of(s, i, end)) > 0 && i + 2 < end && is(s, i + 2, end, "ago")) {
                char u[32];
                low(s, i + 1, u, sizeof u);
                if (!strcmp(u, "day") || !strcmp(u, "days"))
                    add(s, x, &n, cap, i, i + 3, dy_date_add_days(sd, -k), DY_PREC_DAY);
                else if (!strcmp(u, "week") || !strcmp(u, "weeks"))
                    add(s, x, &n, cap, i, i + 3, dy_date_add_days(sd, -7 * k), DY_PREC_WEEK);
                else if (!strcmp(u, "month") || !strcmp(u, "months")) {
                    int yy = sd / 10000, mm = sd / 100 % 100 - k;
                    while (mm < 1) mm += 12, yy--;
                    add(s, x, &n, cap, i, i + 3, yy * 10000 + mm * 100 + 1, DY_PREC_MONTH);
                } else if (!strcmp(u, "year") || !strcmp(u, "years"))
                    add(s, x, &n, cap, i, i + 3, (sd / 10000 - k) * 10000 + 101, DY_PREC_YEAR);
            }
            for (size_t q = before; q < n; q++) {
                x[q].sent = (uint32_t)si;
                /* "last month's elections": a possessive date belongs to the noun after it */
                uint32_t l = x[q].last;
                x[q].possessive = l < end && g->tok[l].len == 2 && s->text[g->tok[l].start] == '\'';
                if (x[q].last > i + 1) i = x[q].last - 1;
            }
        }
    }
    *out = x;
    *nout = n;
    return 0;
}

/* The time expression that dates event e: in its first sentence, between its subject (or the
 * sentence start) and a few tokens past its match or target, and not one that belongs to a noun
 * ("last month's elections", "the elections on 10 October"). NULL: the story's date. */
const dy_timex *dy_dates_for_event(const dy_story_ctx *s, const dy_timex *x, size_t n, const dy_event *e)
{
    uint32_t from = e->src >= 0 && s->m[e->src].sent == e->sent ? s->m[e->src].first : s->seg.sent[e->sent].first;
    uint32_t to = e->last;
    if (e->tgt >= 0 && s->m[e->tgt].sent == e->sent && s->m[e->tgt].last > to) to = s->m[e->tgt].last;
    /* a time adjunct may close the clause ("kidnapped 200 pupils from a school in Nigeria on
     * Thursday"): up to the end of the sentence */
    to = s->seg.sent[e->sent].first + s->seg.sent[e->sent].count;
    for (size_t k = 0; k < n; k++) {
        const dy_timex *t = &x[k];
        if (t->sent != e->sent || t->possessive) continue;
        /* a time expression opening the sentence ("Two days ago, ...") governs all of it */
        int opens = t->first == s->seg.sent[e->sent].first;
        if (!opens && (t->first < from || t->first > to)) continue;
        /* right after an object noun (an election, a referendum): it dates that noun */
        uint32_t p = t->first;
        if (p > 0 && s->tok_m[p - 1] >= 0 && (s->m[s->tok_m[p - 1]].flags & M_OBJECT)) continue;
        return t;
    }
    return NULL;
}

const char *dy_precision_name(int p)
{
    switch (p) {
    case DY_PREC_DAY: return "day";
    case DY_PREC_WEEK: return "week";
    case DY_PREC_MONTH: return "month";
    case DY_PREC_YEAR: return "year";
    }
    return "none";
}
