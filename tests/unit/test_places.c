/*
 * test_places.c — unit tests of the geo stage: the gazetteer image and its lookups
 * (src/geo/gazetteer.c: name normalising, names, countries, subdivisions, capitals) and place
 * mentions resolved in context (src/geo/, through the coder's `dyad places` records and
 * the event_loc of coded events): Baghdad in Iraq, Paris in a French story and Paris, Texas,
 * "the capital" of the story's country, the Green Zone of our list, demonyms that are not
 * places, and stories that name no place.
 */
#include "check.h"
#include "dyad.h"
#include "geo/gazetteer.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static dyad_dict *dict;
static dyad_coder *coder;

/* The `dyad places` records (include/dyad.h). Weak, so that this file builds and its
 * gazetteer tests run in a tree where the coder does not offer them yet. */

/* ==== the gazetteer ====================================================================== */

static const char *norm(const char *s)
{
    static char out[DY_GAZ_KEY_MAX + 1];
    if (dy_gaz_normalise(s, strlen(s), out, sizeof out) < 0) return "(not Latin)";
    return out;
}

/* The first entry of a name (normalised), or NULL. */
static const dy_gaz_entry *first_entry(const dy_gazetteer *g, const char *name)
{
    char k[DY_GAZ_KEY_MAX + 1];
    int n = dy_gaz_normalise(name, strlen(name), k, sizeof k);
    const dy_gaz_name *nm = n > 0 ? dy_gaz_lookup(g, k, (size_t)n) : NULL;
    size_t np = 0;
    const uint32_t *p = nm ? dy_gaz_postings(g, nm, &np) : NULL;
    return np ? dy_gaz_entry_at(g, DY_GAZ_ENTRY(p[0])) : NULL;
}

static const char *iso3_of(const dy_gazetteer *g, const dy_gaz_entry *e)
{
    return e && e->country != DY_GAZ_NONE ? dy_gaz_country_at(g, e->country)->iso3 : "(none)";
}

static void test_gazetteer(void)
{
    const dy_gazetteer *g = dy_gazetteer_builtin();
    CHECK(g != NULL);
    if (!g) return;
    CHECK_STR_EQ(norm("Côte d'Ivoire"), "cote divoire");
    CHECK_STR_EQ(norm("  São Tomé  and  Príncipe "), "sao tome and principe");
    CHECK_STR_EQ(norm("U.S."), "us");
    CHECK_STR_EQ(norm("Winston-Salem"), "winston salem");
    CHECK_STR_EQ(norm("Straße"), "strasse");
    CHECK_STR_EQ(norm("Hà Nội"), "ha noi");
    CHECK_STR_EQ(norm("Москва"), "(not Latin)");

    const dy_gaz_entry *e = first_entry(g, "Baghdad");
    CHECK(e && e->kind == GZ_CITY);
    CHECK_STR_EQ(iso3_of(g, e), "IRQ");
    CHECK(e && !strcmp(e->fcode, "PPLC"));
    CHECK(e && e->lat > 33000000 && e->lat < 34000000 && e->lon > 44000000 && e->lon < 45000000);
    CHECK(first_entry(g, "no such place anywhere") == NULL);

    uint16_t iq = dy_gaz_country_find(g, "IRQ", 3);
    CHECK(iq != DY_GAZ_NONE);
    CHECK_INT_EQ(dy_gaz_country_find(g, "iq", 2), iq);
    CHECK_INT_EQ(dy_gaz_country_find(g, "IRQGOV", 6), iq); /* an actor code: its country part */
    CHECK_INT_EQ(dy_gaz_country_find(g, "ZZZ", 3), DY_GAZ_NONE);
    uint32_t cap = dy_gaz_capital(g, iq);
    CHECK(cap != DY_GAZ_NOENTRY);
    if (cap != DY_GAZ_NOENTRY) CHECK_STR_EQ(dy_gaz_str(g, dy_gaz_entry_at(g, cap)->name), "Baghdad");

    uint16_t us = dy_gaz_country_find(g, "US", 2);
    uint16_t tx = dy_gaz_admin1_find(g, us, "TX");
    CHECK(tx != DY_GAZ_NONE);
    if (tx != DY_GAZ_NONE) {
        const dy_gaz_admin1 *a = dy_gaz_admin1_at(g, tx);
        CHECK(a->entry != DY_GAZ_NOENTRY);
        if (a->entry != DY_GAZ_NOENTRY) CHECK_STR_EQ(dy_gaz_str(g, dy_gaz_entry_at(g, a->entry)->name), "Texas");
    }
    const dy_gaz_entry *gz = first_entry(g, "Green Zone");
    CHECK(gz && (gz->flags & GZF_OURS));
    CHECK_STR_EQ(iso3_of(g, gz), "IRQ");
    CHECK(dy_gaz_km(33340580, 44400880, 48853410, 2348800) > 3800); /* Baghdad - Paris */
    CHECK(dy_gaz_km(33340580, 44400880, 48853410, 2348800) < 4000);

    /* a damaged image is refused */
    static _Alignas(8) unsigned char junk[256];
    dy_gazetteer j;
    CHECK(dy_gazetteer_open(&j, junk, sizeof junk) == -1);
}

/* ==== places in stories ================================================================== */

typedef struct place {
    char text[128], name[128], cc[4], admin1[64], fcode[8], precision[16], kind[16];
    long start, end;
    int resolved;
} place;

static place found[64];
static size_t nfound;

/* Codes text as one story and collects its place records. */
static void places_of(const char *text)
{
    dyad_story st;
    memset(&st, 0, sizeof st);
    st.id = "t";
    st.date = "2021-11-07";
    st.text = text;
    st.text_len = strlen(text);
    dyad_error err;
    nfound = 0;
    if (!CHECK(dyad_story_code(coder, &st, &err) == DYAD_OK)) return;
    size_t len;
    const char *out = dyad_coder_places_jsonl(coder, &len);
    for (const char *p = out, *nl; p < out + len && nfound < 64; p = nl + 1) {
        nl = memchr(p, '\n', (size_t)(out + len - p));
        if (!nl) nl = out + len;
        json_error_t je;
        json_t *o = json_loadb(p, (size_t)(nl - p), 0, &je);
        if (!CHECK(o != NULL)) continue;
        place *f = &found[nfound++];
        memset(f, 0, sizeof *f);
        CHECK_STR_EQ(json_string_value(json_object_get(o, "story_id")), "t");
        snprintf(f->text, sizeof f->text, "%s", json_string_value(json_object_get(o, "text")));
        f->start = (long)json_integer_value(json_object_get(o, "start"));
        f->end = (long)json_integer_value(json_object_get(o, "end"));
        const char *kind = json_string_value(json_object_get(o, "kind"));
        CHECK(kind != NULL);
        snprintf(f->kind, sizeof f->kind, "%s", kind ? kind : "");
        json_t *r = json_object_get(o, "resolved");
        if (json_is_object(r)) {
            const char *v;
            f->resolved = 1;
            if ((v = json_string_value(json_object_get(r, "name")))) snprintf(f->name, sizeof f->name, "%s", v);
            if ((v = json_string_value(json_object_get(r, "country_code")))) snprintf(f->cc, sizeof f->cc, "%s", v);
            if ((v = json_string_value(json_object_get(r, "admin1")))) snprintf(f->admin1, sizeof f->admin1, "%s", v);
            if ((v = json_string_value(json_object_get(r, "feature_code")))) snprintf(f->fcode, sizeof f->fcode, "%s", v);
            if ((v = json_string_value(json_object_get(r, "precision"))))
                snprintf(f->precision, sizeof f->precision, "%s", v);
            CHECK(json_is_number(json_object_get(r, "lat")) && json_is_number(json_object_get(r, "lon")));
        }
        json_decref(o);
    }
}

/* The first mention whose text is t, or NULL. */
static const place *mention(const char *t)
{
    for (size_t i = 0; i < nfound; i++)
        if (!strcmp(found[i].text, t)) return &found[i];
    return NULL;
}

static void expect(const char *text, const char *cc, const char *name, const char *precision, int line)
{
    const place *p = mention(text);
    if (!check_count(p != NULL, __FILE__, line, "mention found")) {
        fprintf(stderr, "    no mention \"%s\" among %zu\n", text, nfound);
        return;
    }
    check_str_eq(p->cc, cc, __FILE__, line, "country_code", cc);
    if (name) check_str_eq(p->name, name, __FILE__, line, "name", name);
    if (precision) check_str_eq(p->precision, precision, __FILE__, line, "precision", precision);
}
#define EXPECT(text, cc, name, precision) expect(text, cc, name, precision, __LINE__)

static void test_resolution(void)
{
    places_of("Iraqi security forces stormed a building in Baghdad on Sunday.");
    EXPECT("Baghdad", "IRQ", "Baghdad", "place");
    /* a demonym: reported as its country, of kind "demonym" (it places no event) */
    const place *d = mention("Iraqi");
    if (CHECK(d != NULL)) {
        CHECK_STR_EQ(d->kind, "demonym");
        CHECK_STR_EQ(d->cc, "IRQ");
    }
    CHECK_STR_EQ(mention("Baghdad") ? mention("Baghdad")->kind : "", "name");
    const place *b = mention("Baghdad");
    if (b) CHECK(b->start == 44 && b->end == 51); /* character offsets */

    places_of("Les réfugiés à Genève: talks in Geneva began.");
    b = mention("Geneva");
    CHECK(b != NULL);
    if (b) CHECK(b->start == 32 && b->end == 38); /* characters, not bytes */

    places_of("French President Emmanuel Macron met protesters in Paris, where French police had "
              "detained dozens near the Eiffel Tower.");
    EXPECT("Paris", "FRA", "Paris", "place");

    places_of("A tornado struck Paris, Texas, on Tuesday, the county sheriff said. Texas officials "
              "sent help to Paris.");
    EXPECT("Paris", "USA", "Paris", "place");
    const place *p = mention("Paris");
    if (p) CHECK_STR_EQ(p->admin1, "Texas");
    EXPECT("Texas", "USA", "Texas", "admin1");

    places_of("Iraqi officials said thousands of protesters gathered in the capital on Friday "
              "to demand the resignation of the Iraqi government.");
    EXPECT("the capital", "IRQ", "Baghdad", "place");

    places_of("A rocket struck near the U.S. embassy in Baghdad's Green Zone, Iraqi police said.");
    EXPECT("Green Zone", "IRQ", "Green Zone", "place");
    p = mention("Green Zone");
    if (p) CHECK_STR_EQ(p->fcode, "ZN");

    places_of("Syrian troops shelled villages in Idlib province as Turkey moved tanks to the "
              "border with Syria.");
    EXPECT("Turkey", "TUR", "Turkey", "country");

    places_of("The committee met on Tuesday to discuss the budget, a spokesman said.");
    CHECK_INT_EQ(nfound, 0);

    places_of("");
    CHECK_INT_EQ(nfound, 0);
}

/* event_loc: every coded event carries one, never a guess. */
static void test_event_loc(void)
{
    const char *text = "Iraqi police arrested dozens of protesters in Baghdad on Sunday.";
    dyad_story st;
    memset(&st, 0, sizeof st);
    st.id = "e";
    st.date = "2021-11-07";
    st.text = text;
    st.text_len = strlen(text);
    dyad_error err;
    if (!CHECK(dyad_story_code(coder, &st, &err) == DYAD_OK)) return;
    size_t len;
    const char *out = dyad_coder_jsonl(coder, &len);
    for (const char *q = out, *nl; q < out + len; q = nl + 1) {
        nl = memchr(q, '\n', (size_t)(out + len - q));
        if (!nl) nl = out + len;
        json_t *o = json_loadb(q, (size_t)(nl - q), 0, NULL);
        if (!o) continue;
        const char *kind = json_string_value(json_object_get(o, "kind"));
        json_t *loc = json_object_get(o, "event_loc");
        if (kind && !strcmp(kind, "event") && json_is_object(loc)) {
            CHECK_STR_EQ(json_string_value(json_object_get(loc, "resolved_place")), "Baghdad");
            CHECK_STR_EQ(json_string_value(json_object_get(loc, "country_code")), "IRQ");
            CHECK_STR_EQ(json_string_value(json_object_get(loc, "precision")), "place");
            CHECK(json_integer_value(json_object_get(loc, "geonameid")) > 0);
        }
        json_decref(o);
    }
}

int main(void)
{
    dyad_error err;
    dict = dyad_dict_new(NULL, NULL, 0);
    if (!dict || dyad_dict_load_builtin(dict, &err) || dyad_dict_finish(dict, &err)) {
        fprintf(stderr, "dictionaries: %s\n", err.message);
        return 1;
    }
    dyad_options opt = {0};
    opt.places = 1;
    coder = dyad_coder_new(dict, &opt);
    test_gazetteer();
    test_resolution();
    test_event_loc();
    dyad_coder_free(coder);
    dyad_dict_free(dict);
    return check_done();
}
