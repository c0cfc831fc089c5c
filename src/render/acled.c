/*
 * acled.c — ACLED-like CSV: a row for each event with an ACLED type, under ACLED's column names.
 */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "render/render.h"

static const char acled_header[] =
    "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,"
    "assoc_actor_1,actor2,assoc_actor_2,country,admin1,location,latitude,longitude,"
    "geo_precision,source,notes,fatalities\n";

/* An actor list as ACLED names it: the first member, and the others joined by "; ". */
static void acled_actors(FILE *o, json_t *list)
{
    dy_buf assoc = {0};
    size_t i;
    json_t *a;
    const char *first = "";
    json_array_foreach(list, i, a) {
        const char *name = dy_js(a, "name");
        if (!*name) name = dy_js(a, "entity_text");
        if (!i) first = name;
        else {
            if (assoc.n) dy_buf_puts(&assoc, "; ");
            dy_buf_puts(&assoc, name);
        }
    }
    dy_buf_nul(&assoc);
    dy_put_csv(o, first);
    fputc(',', o);
    dy_put_csv(o, assoc.n ? assoc.p : "");
    fputc(',', o);
    dy_buf_free(&assoc);
}

static void write_acled(FILE *o, const dy_render_row *r)
{
    json_t *ev = r->ev, *loc = json_object_get(ev, "event_loc"), *ac = json_object_get(ev, "acled");
    const char *date = dy_js(ev, "date"), *prec = dy_js(ev, "date_precision"), *gp = dy_js(loc, "precision");
    int tp = !strcmp(prec, "day") ? 1 : !strcmp(prec, "week") || !strcmp(prec, "month") ? 2 : 3;
    dy_put_csv(o, dy_js(ev, "id"));
    fprintf(o, ",%s,%.4s,%d,", date, date, tp);
    dy_put_csv(o, dy_js(ac, "event_type"));
    fputc(',', o);
    dy_put_csv(o, dy_js(ac, "sub_event_type"));
    fputc(',', o);
    acled_actors(o, json_object_get(ev, "actor"));
    acled_actors(o, json_object_get(ev, "recipient"));
    fprintf(o, "%s,", dy_js(loc, "country_code"));
    dy_put_csv(o, dy_js(loc, "admin1"));
    fputc(',', o);
    dy_put_csv(o, dy_js(loc, "resolved_place"));
    fputc(',', o);
    dy_put_latlon(o, loc, ',');
    fprintf(o, ",%d,", !strcmp(gp, "place") ? 1 : !strcmp(gp, "admin1") ? 2 : 3);
    dy_put_csv(o, r->source);
    fputc(',', o);
    dy_put_csv(o, dy_js(ev, "text"));
    json_t *dead = json_object_get(json_object_get(json_object_get(ev, "size"), "dead"), "value");
    fputc(',', o);
    if (json_is_integer(dead)) fprintf(o, "%lld", (long long)json_integer_value(dead));
    else fputc('0', o);
    fputc('\n', o);
}

const dy_renderer dy_render_acled = {"acled", acled_header, 1, write_acled};
