/*
 * check.h — the coder's invariants, checked between stages in a checking build (-DDY_CHECK:
 * the sanitizer build every test and the spec suite run on), and compiled out otherwise.
 */
#ifndef DY_CHECK_H
#define DY_CHECK_H

#include "story.h"

/* What a stage may rely on having been done before it (each level includes those before). */
enum dy_stage {
    DY_STAGE_SEGMENT = 1, /* tokens, sentences, quotations; token -> sentence */
    DY_STAGE_ACTORS,      /* mentions; token -> mention; quotations' speakers */
    DY_STAGE_EVENTS,      /* candidate events, kept or dropped with a reason */
    DY_STAGE_FIELDS       /* dates, places and figures on the kept events */
};

/* Asserts every invariant of s up to stage (check.c says which). */
void dy_story_check(const dy_story_ctx *s, enum dy_stage stage);

#ifdef DY_CHECK
#define DY_STORY_CHECK(s, stage) dy_story_check((s), (stage))
#else
#define DY_STORY_CHECK(s, stage) ((void)0)
#endif

#endif
