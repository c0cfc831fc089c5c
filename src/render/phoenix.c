/*
 * phoenix.c — Phoenix event rows: 26 tab-separated columns, no header (issues are not coded).
 */
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

static void phoenix_actor(FILE *o, json_t *a)
{
    /* Full, Entity, Role, Attribute */
    char role[4] = "";
    const char *rest = "";
    if (a) dy_sector_parts(dy_js(a, "sector"), role, &rest);
    const char *code = a ? dy_js(a, "code") : "", *cc = a ? dy_js(a, "country") : "";
    fprintf(o, "%s\t%s\t%s\t%s\t", code, *cc ? cc : (a && !*role ? code : ""), role, rest);
}

static void write_phoenix(FILE *o, const dy_render_row *r)
{
    json_t *ev = r->ev, *cameo = json_object_get(ev, "cameo"), *loc = json_object_get(ev, "event_loc");
    const char *date = dy_js(ev, "date");
    char d[9];
    dy_ymd(date, d);
    fputs(dy_js(ev, "id"), o);
    fprintf(o, "\t%s\t%.4s\t%.2s\t%.2s\t", d, d, *d ? d + 4 : "", *d ? d + 6 : "");
    phoenix_actor(o, dy_first_actor(ev, "actor"));
    phoenix_actor(o, dy_first_actor(ev, "recipient"));
    fprintf(o, "%s\t%s\t", dy_js(cameo, "code"), dy_js(cameo, "root"));
    dy_put_num(o, json_object_get(cameo, "quad_class"));
    fputc('\t', o);
    dy_put_goldstein(o, cameo);
    fputs("\t\t", o); /* Issues: not coded */
    dy_put_latlon(o, loc, '\t');
    fputc('\t', o);
    dy_put_tsv(o, dy_js(loc, "resolved_place"));
    fputc('\t', o);
    dy_put_tsv(o, dy_js(loc, "admin1"));
    fprintf(o, "\t%s\t%s-%d\t", dy_js(loc, "country_code"), dy_js(ev, "story_id"), r->sentence);
    dy_put_tsv(o, r->url);
    fputc('\t', o);
    dy_put_tsv(o, r->source);
    fputc('\n', o);
}

const dy_renderer dy_render_phoenix = {"phoenix", NULL, 0, write_phoenix};
