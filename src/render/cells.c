/*
 * cells.c — what the table renderers share: a record's fields read as cells, and cells written
 * as TSV or CSV; and the table of renderers (render.h).
 */
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

static const dy_renderer *const renderers[] = {&dy_render_gdelt, &dy_render_phoenix, &dy_render_icews,
                                               &dy_render_acled};

const dy_renderer *dy_renderer_find(const char *name)
{
    for (size_t i = 0; i < sizeof renderers / sizeof *renderers; i++)
        if (!strcmp(renderers[i]->name, name)) return renderers[i];
    return NULL;
}

void dy_render_row_init(dy_render_row *r, json_t *ev)
{
    memset(r, 0, sizeof *r);
    r->ev = ev;
    r->source = r->url = "";
    r->mentions = r->stories = r->sources = 1;
    json_t *s = json_array_get(json_object_get(json_object_get(ev, "text_info"), "sentences"), 0);
    r->sentence = json_is_integer(s) ? (int)json_integer_value(s) : 0;
}

const char *dy_js(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : "";
}

/* Integers bare, reals with what precision they need; nothing for null. */
void dy_put_num(FILE *o, json_t *v)
{
    if (json_is_integer(v)) fprintf(o, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v)) fprintf(o, "%.6g", json_real_value(v));
}

void dy_put_goldstein(FILE *o, json_t *cameo)
{
    json_t *g = json_object_get(cameo, "goldstein");
    if (json_is_number(g)) fprintf(o, "%.1f", json_number_value(g));
}

void dy_put_latlon(FILE *o, json_t *loc, char sep)
{
    dy_put_num(o, json_object_get(loc, "lat"));
    fputc(sep, o);
    dy_put_num(o, json_object_get(loc, "lon"));
}

void dy_put_tsv(FILE *o, const char *s)
{
    for (; *s; s++) fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, o);
}

/* Quoted only when the field holds a comma, quote or line break. */
void dy_put_csv(FILE *o, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, o);
        return;
    }
    fputc('"', o);
    for (; *s; s++) {
        if (*s == '"') fputc('"', o);
        fputc(*s, o);
    }
    fputc('"', o);
}

json_t *dy_first_actor(json_t *ev, const char *k)
{
    return json_array_get(json_object_get(ev, k), 0);
}

/* Sector split in CAMEO's 3-letter role and what follows it ("GOVMIL" -> "GOV", "MIL"). */
void dy_sector_parts(const char *sec, char role[4], const char **rest)
{
    size_t n = strlen(sec);
    memcpy(role, sec, n < 3 ? n : 3);
    role[n < 3 ? n : 3] = 0;
    *rest = n > 3 ? sec + 3 : "";
}

void dy_ymd(const char *date, char out[9])
{
    out[0] = 0;
    if (strlen(date) >= 10) {
        memcpy(out, date, 4);
        memcpy(out + 4, date + 5, 2);
        memcpy(out + 6, date + 8, 2);
        out[8] = 0;
    }
}
