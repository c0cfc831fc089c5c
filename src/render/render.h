/*
 * render.h — the table formats dyad writes events in besides its own JSON Lines: GDELT 2.0,
 * Phoenix, ICEWS and ACLED-like rows, one file each in src/render/. One table names them;
 * `dyad query` (over a store) and `dyad code` (straight from the coder) write through it, so a
 * story's rows are the same either way but for what only a store knows (README "Output
 * formats").
 *
 * A renderer takes the coder's record as jansson reads it, and what the story and the store
 * add around it (dy_render_row). It writes one line per event, none for a record it does not
 * cover (ACLED: an event with no ACLED type).
 */
#ifndef DY_RENDER_H
#define DY_RENDER_H

#include <jansson.h>
#include <stdio.h>

typedef struct dy_render_row {
    long long id;                       /* GDELT's GLOBALEVENTID: the store's event id, or the
                                           event's number in dyad code's output (from 1) */
    json_t *ev;                         /* the coder's record */
    const char *source, *url;           /* the story's outlet and address ("" when none) */
    const char *story_date;             /* the story's date (NULL when none): GDELT's DATEADDED */
    long long mentions, stories, sources; /* the happening's counts (1 outside a store) */
    int sentence;                       /* the first sentence the event cites, from 0 */
} dy_render_row;

typedef struct dy_renderer {
    const char *name;   /* as --format names it */
    const char *header; /* the line written before the rows, or NULL */
    int acled_only;     /* rows only for events with an ACLED type */
    void (*write)(FILE *o, const dy_render_row *r);
} dy_renderer;

/* The renderer called name, or NULL. */
const dy_renderer *dy_renderer_find(const char *name);

/* The row fields of r that the record itself gives (the sentence; id, counts 0 and 1) and
 * r->ev = ev; the caller sets what the story and the store add. */
void dy_render_row_init(dy_render_row *r, json_t *ev);

/* ---- cells, shared by the renderers (cells.c) ---- */
const char *dy_js(json_t *o, const char *k);           /* a string member, "" when absent */
void dy_put_num(FILE *o, json_t *v);                   /* a number as the tables print it */
void dy_put_goldstein(FILE *o, json_t *cameo);         /* %.1f, nothing when absent */
void dy_put_latlon(FILE *o, json_t *loc, char sep);    /* lat SEP lon, as dy_put_num */
void dy_put_tsv(FILE *o, const char *s);               /* tabs and line breaks as spaces */
void dy_put_csv(FILE *o, const char *s);               /* an RFC 4180 field */
json_t *dy_first_actor(json_t *ev, const char *k);     /* actor[0] or recipient[0], or NULL */
void dy_sector_parts(const char *sec, char role[4], const char **rest);
void dy_ymd(const char *date, char out[9]);            /* YYYYMMDD, "" without a date */

extern const dy_renderer dy_render_gdelt, dy_render_phoenix, dy_render_icews, dy_render_acled;

#endif
