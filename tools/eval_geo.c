/*
 * eval_geo.c — `make eval-geo`: runs the library's place finder (dyad_coder_places_jsonl, the
 * records of `dyad places`) over GeoVirus (WikiNews stories with gold place mentions:
 * character offsets, name, latitude, longitude), or a set in LGL's, TR-News's or GeoWebNews's
 * layout (the scoreboard, eval/score.py), and prints the share of gold places found (a
 * produced mention overlaps the gold span) and, of those, the share resolved within 161 km
 * (100 miles, the usual geoparsing bound), with a short account of the errors.
 * Usage: eval_geo FILE.xml [-v] [--no-home]   (-v lists every miss and every far resolution;
 * first the home regions learnt from a first pass over the stories, as `dyad places
 * --learn-home` does, unless --no-home)
 * Exit status: 0 when the bar is met (--bar FOUND,WITHIN,BOTH; default 0.85,0.90,0.77: found,
 * within 161 km of found, found and within), 1 when not, 2 on bad input.
 */
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dyad.h"


#define KM_BOUND 161.0

typedef struct gold {
    char *name;
    long start, end; /* characters, [start, end) */
    double lat, lon;
} gold;

typedef struct got {
    long start, end;
    int resolved, demonym; /* demonym: a people's word ("Sudanese"), kind "demonym" */
    double lat, lon;
    char name[128], precision[16], cc[4], text[128];
} got;

/* A tally of names for the error account. */
typedef struct tally {
    char key[256];
    int n;
    double km;
} tally;

static void tally_add(tally *t, int *nt, int cap, const char *key, double km)
{
    for (int i = 0; i < *nt; i++)
        if (!strcmp(t[i].key, key)) {
            t[i].n++;
            return;
        }
    if (*nt < cap) {
        snprintf(t[*nt].key, sizeof t[*nt].key, "%s", key);
        t[*nt].n = 1;
        t[*nt].km = km;
        (*nt)++;
    }
}

static int cmp_tally(const void *a, const void *b) { return ((const tally *)b)->n - ((const tally *)a)->n; }

static double km(double la1, double lo1, double la2, double lo2)
{
    const double r = 3.14159265358979323846 / 180;
    double dp = (la2 - la1) * r, dl = (lo2 - lo1) * r;
    double a = sin(dp / 2) * sin(dp / 2) + cos(la1 * r) * cos(la2 * r) * sin(dl / 2) * sin(dl / 2);
    return 2 * 6371.0 * asin(sqrt(a > 1 ? 1 : a));
}

static xmlNode *child(xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name)) return c;
    return NULL;
}

/* The text of element name under n, malloc'ed ("" if absent). */
static char *text_of(xmlNode *n, const char *name)
{
    xmlNode *c = child(n, name);
    xmlChar *t = c ? xmlNodeGetContent(c) : NULL;
    char *s = strdup(t ? (const char *)t : "");
    xmlFree(t);
    return s;
}

/* Byte offset of character ch in UTF-8 s (or its length). */
static size_t byte_at(const char *s, long ch)
{
    size_t i = 0;
    for (long c = 0; s[i] && c < ch; c++) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80) i++;
    }
    return i;
}

/* Whether the characters [start, end) of s spell name. */
static int spells(const char *s, long start, long end, const char *name)
{
    if (start < 0 || end < start) return 0;
    size_t a = byte_at(s, start), b = byte_at(s, end);
    return strlen(name) == b - a && !memcmp(s + a, name, b - a);
}

/* Reads one gold place: GeoVirus's <location> (name, start, end, lat, lon), LGL's and
 * TR-News's <toponym> (phrase, start, end, gaztag/lat, gaztag/lon) or GeoWebNews's <toponym>
 * (extractedName, start, end, latitude, longitude). 0 (and nothing to free) when it has no
 * coordinates: a mention the set's coders did not resolve (GeoWebNews's non-toponyms,
 * demonyms and the like) is not a place to find. */
static int read_gold(xmlNode *l, gold *gd)
{
    xmlNode *tag = child(l, "gaztag");
    char *la = text_of(tag ? tag : l, child(l, "latitude") ? "latitude" : "lat");
    char *lo = text_of(tag ? tag : l, child(l, "longitude") ? "longitude" : "lon");
    int has = *la && *lo;
    if (has) {
        gd->name = text_of(l, child(l, "name") ? "name" : child(l, "phrase") ? "phrase" : "extractedName");
        char *s0 = text_of(l, "start"), *s1 = text_of(l, "end");
        gd->start = atol(s0), gd->end = atol(s1), gd->lat = atof(la), gd->lon = atof(lo);
        free(s0), free(s1);
    }
    free(la), free(lo);
    return has;
}

/* The news source of an article: LGL's and TR-News's <domain>, else the host of its
 * <link> or <url> (GeoWebNews). Caller frees. */
static char *source_of(xmlNode *a)
{
    char *d = text_of(a, "domain");
    if (*d) return d;
    free(d);
    d = text_of(a, child(a, "link") ? "link" : "url");
    char *h = strstr(d, "://");
    h = h ? h + 3 : d;
    size_t n = strcspn(h, "/");
    memmove(d, h, n);
    d[n] = 0;
    return d;
}

/* Codes one article's text as a JSON Lines story (id, source, text), as `dyad places` would
 * read it. DYAD_OK or the error. */
static int code_article(dyad_coder *c, const char *id, const char *source, const char *text, dyad_error *err)
{
    json_t *js = json_pack("{s:s, s:s, s:s}", "id", id, "source", source, "text", text);
    char *line = json_dumps(js, JSON_COMPACT);
    json_decref(js);
    FILE *mem = fmemopen(line, strlen(line), "r");
    dyad_reader *r = dyad_reader_open(mem, id, DYAD_FORMAT_JSONL, NULL, 0);
    dyad_story st;
    int rc = dyad_reader_next(r, &st, err);
    if (rc == DYAD_OK) rc = dyad_story_code(c, &st, err);
    dyad_reader_close(r);
    fclose(mem);
    free(line);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: eval_geo GeoVirus.xml [-v]\n");
        return 2;
    }
    int verbose = 0, no_home = 0;
    double bar_found = 0.85, bar_near = 0.90, bar_both = 0.77; /* the geoparsing issue's bar */
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "-v")) verbose = 1;
        else if (!strcmp(argv[i], "--no-home")) no_home = 1;
        else if (!strcmp(argv[i], "--bar") && i + 1 < argc &&
                 sscanf(argv[i + 1], "%lf,%lf,%lf", &bar_found, &bar_near, &bar_both) == 3)
            i++;
        else {
            fprintf(stderr, "usage: eval_geo FILE.xml [-v] [--no-home] [--bar FOUND,WITHIN,BOTH]\n");
            return 2;
        }
    }
    xmlDoc *doc = xmlReadFile(argv[1], NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
    if (!doc) {
        fprintf(stderr, "eval_geo: %s: cannot parse\n", argv[1]);
        return 2;
    }
    dyad_error err;
    dyad_dict *d = dyad_dict_new(NULL, NULL, 0);
    if (!d || dyad_dict_load_builtin(d, &err) || dyad_dict_finish(d, &err)) {
        fprintf(stderr, "eval_geo: dictionaries: %s\n", d ? err.message : "out of memory");
        return 2;
    }
    dyad_homes *homes = dyad_homes_new();
    dyad_options opt = {0};
    opt.places = 1;
    opt.homes = homes;
    dyad_coder *c = dyad_coder_new(d, &opt);
    /* first pass, as `dyad places --learn-home` does: the home region of each source from
     * the regions its stories point to */
    long nhome = 0;
    if (!no_home) {
        dyad_home_learner *l = dyad_home_learner_new();
        long n = 0;
        for (xmlNode *a = child(xmlDocGetRootElement(doc), "article"); a; a = a->next) {
            if (a->type != XML_ELEMENT_NODE || strcmp((const char *)a->name, "article")) continue;
            char *text = text_of(a, "text"), *source = source_of(a), id[32];
            snprintf(id, sizeof id, "geovirus-%ld", ++n);
            if (code_article(c, id, source, text, &err) == DYAD_OK)
                dyad_home_learner_add(l, source, dyad_coder_story_regions(c));
            free(text), free(source);
        }
        nhome = dyad_home_learner_apply(l, homes, verbose ? stdout : NULL);
        dyad_home_learner_free(l);
    }
    long ngold = 0, nfound = 0, nnear = 0, nart = 0, nshift = 0, nprod = 0, nprod_hit = 0, nnocoord = 0;
    long ngold_nd = 0, nfound_nd = 0, nnear_nd = 0; /* without demonyms */
    long by_prec_n[5] = {0}, by_prec_ok[5] = {0};
    static const char *precs[5] = {"place", "admin1", "country", "region", "none"};
    enum { CAP = 4096 };
    static tally missed[CAP], far[CAP];
    int nmissed = 0, nfar = 0;
    got *gots = NULL;
    size_t gcap = 0;
    for (xmlNode *a = child(xmlDocGetRootElement(doc), "article"); a; a = a->next) {
        if (a->type != XML_ELEMENT_NODE || strcmp((const char *)a->name, "article")) continue;
        char *text = text_of(a, "text"), *source = source_of(a);
        nart++;
        char id[32];
        snprintf(id, sizeof id, "geovirus-%ld", nart);
        size_t ngot = 0;
        if (code_article(c, id, source, text, &err) == DYAD_OK) {
            size_t len;
            const char *out = dyad_coder_places_jsonl(c, &len);
            for (const char *p = out, *nl; p < out + len; p = nl + 1) {
                nl = memchr(p, '\n', (size_t)(out + len - p));
                if (!nl) nl = out + len;
                json_t *o = json_loadb(p, (size_t)(nl - p), 0, NULL);
                if (!o) continue;
                if (ngot == gcap) gots = realloc(gots, (gcap = gcap ? gcap * 2 : 256) * sizeof *gots);
                got *g = &gots[ngot++];
                memset(g, 0, sizeof *g);
                g->start = (long)json_integer_value(json_object_get(o, "start"));
                g->end = (long)json_integer_value(json_object_get(o, "end"));
                const char *tx = json_string_value(json_object_get(o, "text"));
                snprintf(g->text, sizeof g->text, "%s", tx ? tx : "");
                const char *kind = json_string_value(json_object_get(o, "kind"));
                g->demonym = kind && !strcmp(kind, "demonym");
                json_t *res = json_object_get(o, "resolved");
                if (json_is_object(res)) {
                    g->resolved = 1;
                    g->lat = json_number_value(json_object_get(res, "lat"));
                    g->lon = json_number_value(json_object_get(res, "lon"));
                    const char *nm = json_string_value(json_object_get(res, "name"));
                    const char *pr = json_string_value(json_object_get(res, "precision"));
                    const char *cc = json_string_value(json_object_get(res, "country_code"));
                    snprintf(g->name, sizeof g->name, "%s", nm ? nm : "");
                    snprintf(g->precision, sizeof g->precision, "%s", pr ? pr : "none");
                    snprintf(g->cc, sizeof g->cc, "%s", cc ? cc : "-");
                } else {
                    snprintf(g->precision, sizeof g->precision, "none");
                }
                json_decref(o);
            }
        }
        free(source);
        nprod += (long)ngot;
        char *hit = calloc(ngot + 1, 1);
        /* GeoVirus: <locations><location>; LGL, TR-News, GeoWebNews: <toponyms><toponym> */
        xmlNode *first = child(child(a, "locations"), "location");
        if (!first) first = child(child(a, "toponyms"), "toponym");
        for (xmlNode *l = first; l; l = l->next) {
            if (l->type != XML_ELEMENT_NODE) continue;
            gold gd;
            if (!read_gold(l, &gd)) {
                nnocoord++;
                continue;
            }
            /* GeoVirus counts its offsets from 1: take the span that spells the name */
            if (!spells(text, gd.start, gd.end, gd.name) && spells(text, gd.start - 1, gd.end - 1, gd.name))
                gd.start--, gd.end--, nshift++;
            ngold++;
            int found = 0, near = 0, dem = 0, found_nd = 0, near_nd = 0;
            const got *best = NULL;
            for (size_t k = 0; k < ngot; k++) {
                const got *g = &gots[k];
                if (g->start >= gd.end || g->end <= gd.start) continue;
                found = 1;
                hit[k] = 1;
                int ok = g->resolved && km(g->lat, g->lon, gd.lat, gd.lon) <= KM_BOUND;
                if (ok) near = 1, best = g;
                else if (!best) best = g;
                if (g->demonym) dem = 1;
                else found_nd = 1, near_nd |= ok;
            }
            nfound += found;
            nnear += near;
            /* the other way: a gold place that dyad reads as a people's word is not counted,
             * nor are dyad's demonym mentions */
            if (!dem) ngold_nd++, nfound_nd += found_nd, nnear_nd += near_nd;
            if (!found) {
                tally_add(missed, &nmissed, CAP, gd.name, 0);
                if (verbose) printf("miss  %s: %s @%ld\n", id, gd.name, gd.start);
            } else {
                int pi = 4;
                for (int i = 0; i < 4; i++)
                    if (!strcmp(best->precision, precs[i])) pi = i;
                by_prec_n[pi]++;
                by_prec_ok[pi] += near;
                if (!near) {
                    char key[256];
                    double dist = best->resolved ? km(best->lat, best->lon, gd.lat, gd.lon) : -1;
                    snprintf(key, sizeof key, "%s -> %s (%s, %s)", gd.name, best->resolved ? best->name : "null",
                             best->cc, best->precision);
                    tally_add(far, &nfar, CAP, key, dist);
                    if (verbose) printf("far   %s: %s  %.0f km\n", id, key, dist);
                }
            }
            free(gd.name);
        }
        for (size_t k = 0; k < ngot; k++) {
            nprod_hit += hit[k];
            if (verbose && !hit[k])
                printf("extra %s: %s -> %s (%s, %s)\n", id, gots[k].text, gots[k].resolved ? gots[k].name : "null",
                       gots[k].cc, gots[k].precision);
        }
        free(hit);
        free(text);
    }
    double f = ngold ? (double)nfound / ngold : 0, n = nfound ? (double)nnear / nfound : 0;
    printf("eval-geo: %s: %ld stories, %ld gold places (%ld offsets counted from 1, shifted; %ld mentions "
           "without coordinates left out)\n", argv[1], nart, ngold, nshift, nnocoord);
    printf("home regions learnt: %ld sources\n", nhome);
    printf("found: %ld/%ld = %.2f\n", nfound, ngold, f);
    printf("within %.0f km: %ld/%ld = %.2f\n", KM_BOUND, nnear, nfound, n);
    printf("without demonyms: found %ld/%ld = %.2f, within %.0f km %ld/%ld = %.2f\n", nfound_nd, ngold_nd,
           ngold_nd ? (double)nfound_nd / ngold_nd : 0, KM_BOUND, nnear_nd, nfound_nd,
           nfound_nd ? (double)nnear_nd / nfound_nd : 0);
    printf("produced: %ld mentions, %ld over a gold place (%.2f)\n", nprod, nprod_hit,
           nprod ? (double)nprod_hit / nprod : 0);
    printf("within %.0f km by precision of the resolution:", KM_BOUND);
    for (int i = 0; i < 5; i++)
        if (by_prec_n[i]) printf(" %s %ld/%ld", precs[i], by_prec_ok[i], by_prec_n[i]);
    printf("\n");
    qsort(missed, (size_t)nmissed, sizeof *missed, cmp_tally);
    qsort(far, (size_t)nfar, sizeof *far, cmp_tally);
    printf("most missed:");
    for (int i = 0; i < nmissed && i < 15; i++) printf("%s %s x%d", i ? "," : "", missed[i].key, missed[i].n);
    printf("\nmost often far:");
    for (int i = 0; i < nfar && i < 12; i++)
        printf("%s %s %.0f km x%d", i ? ";" : "", far[i].key, far[i].km, far[i].n);
    double both = ngold ? (double)nnear / ngold : 0;
    int met = f >= bar_found && n >= bar_near && both >= bar_both;
    printf("\nfound and within %.0f km: %ld/%ld = %.3f\n", KM_BOUND, nnear, ngold, both);
    printf("bar (found >= %.2f, within >= %.2f, found and within >= %.2f): %s\n", bar_found, bar_near, bar_both,
           met ? "met" : "NOT met");
    free(gots);
    dyad_coder_free(c);
    dyad_homes_free(homes);
    dyad_dict_free(d);
    xmlFreeDoc(doc);
    xmlCleanupParser();
    return met ? 0 : 1;
}
