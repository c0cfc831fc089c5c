/*
 * icews.c — ICEWS event rows: 20 tab-separated columns under ICEWS's own header.
 */
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

static const char icews_header[] =
    "Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\t"
    "CAMEO Code\tIntensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\t"
    "Sentence Number\tPublisher\tCity\tDistrict\tProvince\tCountry\tLatitude\tLongitude\n";

static void icews_actor(FILE *o, json_t *a)
{
    /* Name, Sectors, Country */
    const char *name = a ? dy_js(a, "name") : "";
    if (!*name && a) name = dy_js(a, "entity_text");
    dy_put_tsv(o, name);
    fprintf(o, "\t%s\t%s\t", a ? dy_js(a, "sector") : "", a ? dy_js(a, "country") : "");
}

static void write_icews(FILE *o, const dy_render_row *r)
{
    json_t *ev = r->ev, *cameo = json_object_get(ev, "cameo"), *loc = json_object_get(ev, "event_loc");
    fprintf(o, "%s\t%s\t", dy_js(ev, "id"), dy_js(ev, "date"));
    icews_actor(o, dy_first_actor(ev, "actor"));
    dy_put_tsv(o, dy_js(ev, "event"));
    fprintf(o, "\t%s\t", dy_js(cameo, "code"));
    dy_put_goldstein(o, cameo);
    fputc('\t', o);
    icews_actor(o, dy_first_actor(ev, "recipient"));
    fprintf(o, "%s\t%d\t", dy_js(ev, "story_id"), r->sentence + 1);
    dy_put_tsv(o, r->source);
    fputc('\t', o);
    dy_put_tsv(o, !strcmp(dy_js(loc, "precision"), "place") ? dy_js(loc, "resolved_place") : "");
    fputs("\t\t", o);
    dy_put_tsv(o, dy_js(loc, "admin1"));
    fprintf(o, "\t%s\t", dy_js(loc, "country_code"));
    dy_put_latlon(o, loc, '\t');
    fputc('\n', o);
}

const dy_renderer dy_render_icews = {"icews", icews_header, 0, write_icews};
