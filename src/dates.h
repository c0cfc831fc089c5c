/*
 * dates.h — time expressions resolved against the story date (dates.c).
 */
#ifndef DYAD_DATES_H
#define DYAD_DATES_H

#include "story.h"

enum { DY_PREC_NONE = 0, DY_PREC_DAY, DY_PREC_WEEK, DY_PREC_MONTH, DY_PREC_YEAR };

typedef struct dy_timex {
    uint32_t first, last; /* tokens */
    uint32_t sent;
    int32_t date;         /* YYYYMMDD (the first day of a month or year for coarser ones) */
    uint8_t precision;    /* DY_PREC_* */
    uint8_t possessive;   /* "last month's": dates the noun that follows */
} dy_timex;

/* Finds and resolves the story's time expressions (none when the story has no date). Arrays
 * live in the story arena. Returns 0, or -1 if the arena failed. */
int dy_dates_find(dy_story_ctx *s, dy_timex **out, size_t *n);

/* The expression that dates event e, or NULL for the story's date. */
const dy_timex *dy_dates_for_event(const dy_story_ctx *s, const dy_timex *x, size_t n, const dy_event *e);

/* YYYYMMDD plus days (negative: earlier). */
int32_t dy_date_add_days(int32_t ymd, long days);
/* Days since 1970-01-01 of a YYYYMMDD date (civil calendar). */
long dy_date_days(int32_t ymd);

/* "day", "week", "month", "year" or "none". */
const char *dy_precision_name(int precision);

#endif
