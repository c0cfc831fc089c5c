/*
 * gdelt.c — GDELT 2.0 event rows: 61 tab-separated columns, no header. dyad locates the event, not
 * its actors: the actor geo columns are empty and the action geo is the event's place.
 */
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

/* GDELT geo type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state; 0 none. */
static int gdelt_geo_type(json_t *loc)
{
    const char *p = dy_js(loc, "precision"), *cc = dy_js(loc, "country_code");
    int us = !strcmp(cc, "USA");
    if (!strcmp(p, "place")) return us ? 3 : 4;
    if (!strcmp(p, "admin1")) return us ? 2 : 5;
    if (!strcmp(p, "country")) return 1;
    return 0;
}

static void gdelt_actor(FILE *o, json_t *a)
{
    /* Code, Name, CountryCode, KnownGroupCode, EthnicCode, Religion1Code, Religion2Code,
     * Type1Code, Type2Code, Type3Code */
    char role[4] = "";
    const char *rest = "";
    if (a) dy_sector_parts(dy_js(a, "sector"), role, &rest);
    const char *name = a ? dy_js(a, "name") : "";
    if (!*name && a) name = dy_js(a, "entity_text");
    fprintf(o, "%s\t", a ? dy_js(a, "code") : "");
    dy_put_tsv(o, name);
    fprintf(o, "\t%s\t\t\t\t\t%s\t%.3s\t%s\t", a ? dy_js(a, "country") : "", role, rest,
            strlen(rest) > 3 ? rest + 3 : "");
}

static void gdelt_geo(FILE *o, json_t *loc, int empty)
{
    /* Type, FullName, CountryCode, ADM1Code, ADM2Code, Lat, Long, FeatureID */
    if (empty) {
        fputs("0\t\t\t\t\t\t\t", o);
        return;
    }
    const char *place = dy_js(loc, "resolved_place"), *adm = dy_js(loc, "admin1"), *cc = dy_js(loc, "country_code");
    fprintf(o, "%d\t", gdelt_geo_type(loc));
    dy_put_tsv(o, place);
    if (*adm && strcmp(adm, place)) fputs(", ", o), dy_put_tsv(o, adm);
    if (*cc) fprintf(o, "%s%s", *place || *adm ? ", " : "", cc);
    fprintf(o, "\t%s\t", cc);
    dy_put_tsv(o, adm);
    fputs("\t\t", o);
    dy_put_latlon(o, loc, '\t');
    fputc('\t', o);
    dy_put_num(o, json_object_get(loc, "geonameid"));
}

static void write_gdelt(FILE *o, const dy_render_row *r)
{
    json_t *ev = r->ev, *cameo = json_object_get(ev, "cameo"), *loc = json_object_get(ev, "event_loc");
    const char *date = dy_js(ev, "date"), *code = dy_js(cameo, "code");
    char d[9];
    dy_ymd(date, d);
    int y = *d ? atoi(d) : 0, m = *d ? atoi(date + 5) : 0, dd = *d ? atoi(date + 8) : 0;
    static const int cum[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    double frac = *d ? y + (cum[m - 1] + dd) / 365.0 : 0;
    fprintf(o, "%lld\t%s\t%.6s\t%.4s\t", (long long)r->id, d, d, d);
    if (*d) fprintf(o, "%.4f", frac);
    fputc('\t', o);
    gdelt_actor(o, dy_first_actor(ev, "actor"));
    gdelt_actor(o, dy_first_actor(ev, "recipient"));
    fprintf(o, "%d\t%s\t%.3s\t%s\t", r->sentence == 0, code, code, dy_js(cameo, "root"));
    dy_put_num(o, json_object_get(cameo, "quad_class"));
    fputc('\t', o);
    dy_put_goldstein(o, cameo);
    fprintf(o, "\t%lld\t%lld\t%lld\t\t", r->mentions, r->sources, r->stories);
    gdelt_geo(o, loc, 1); /* Actor1Geo: dyad locates the event, not its actors */
    fputc('\t', o);
    gdelt_geo(o, loc, 1);
    fputc('\t', o);
    gdelt_geo(o, loc, 0);
    char added[9];
    dy_ymd(r->story_date ? r->story_date : date, added);
    fprintf(o, "\t%s%s\t", added, *added ? "000000" : "");
    dy_put_tsv(o, *r->url ? r->url : r->source);
    fputc('\n', o);
}

const dy_renderer dy_render_gdelt = {"gdelt", NULL, 0, write_gdelt};
