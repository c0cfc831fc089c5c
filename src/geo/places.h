/*
 * places.h — the geo stage: place mentions in a story (names from the gazetteer, "the
 * capital", "the country's north", "the border with Syria"), each resolved with the story's
 * context (its focus country, the countries of its actors, the other places it names, the
 * admin hierarchy, population), and the event_loc field of events built from them.
 */
#ifndef DYAD_PLACES_H
#define DYAD_PLACES_H

#include "geo/gazetteer.h"
#include "story.h"

/* How precisely a resolved place locates something (PLOVER event_loc "precision"). */
enum dy_place_precision {
    DY_LOC_NONE = 0,    /* nothing resolved */
    DY_LOC_REGION = 1,  /* spans countries: a continent, a sea, "the Middle East" */
    DY_LOC_COUNTRY = 2, /* a country */
    DY_LOC_ADMIN1 = 3,  /* a first-level subdivision or an area of that size (Darfur) */
    DY_LOC_PLACE = 4    /* a city, town, district, square, ... */
};

/* How a mention was found. */
enum dy_place_how {
    PM_NAME = 1,    /* a gazetteer name ("Baghdad", "the Gaza Strip") */
    PM_CAPITAL = 2, /* "the capital", "the Iraqi capital", "the capital of Iraq" */
    PM_PART = 3,    /* "the country's north", "the south of the country" */
    PM_BORDER = 4,  /* "the border with Syria" */
    PM_DEMONYM = 5, /* a word naming a country's or a region's people ("Sudanese", "Europeans") */
    PM_MODIFIER = 6 /* a place inside a name, saying whom rather than where ("The Washington
                       Post", "US Ambassador Jon Huntsman") */
};

enum {
    PMF_DATELINE = 1, /* the story's dateline ("BAGHDAD (Reuters) -") */
    PMF_STORY = 2     /* the story's own place: its dateline, or the place it names most */
};

#define DY_PLACE_ALTS 5 /* entries kept per mention for dyad places --explain */

typedef struct dy_place_mention {
    uint32_t first, last;  /* tokens [first, last) */
    uint32_t sent;         /* sentence index */
    uint32_t start, end;   /* byte span in the story text */
    uint32_t cstart, cend; /* the same span in characters (code points) */
    uint32_t entry;        /* resolved gazetteer entry, DY_GAZ_NOENTRY if none fits */
    float score;           /* the resolution's score (higher: more certain) */
    uint8_t precision;     /* DY_LOC_* */
    uint8_t how;           /* PM_* */
    uint8_t flags;         /* PMF_* */
    uint8_t nalt;          /* the best-scored gazetteer entries weighed (for --explain) */
    uint32_t alt[DY_PLACE_ALTS];
    float altsc[DY_PLACE_ALTS];
} dy_place_mention;

/* Finds and resolves the place mentions of a story, after dy_actors_find (it reads the actor
 * mentions and s->focus). Fills s->place / s->nplace (in the story arena, in text order) and
 * s->gazetteer. Without a built-in gazetteer it finds nothing and returns 0. Returns -1 only
 * when the arena fails. Linear in the number of tokens. */
int dy_places_find(dy_story_ctx *s);

/* Writes the JSON object for an event's event_loc field: the best place in the event's own
 * sentence (the most precise, then the one its words put the event in: "in X" over "near X",
 * "headed to X", "Syria's Dabiq"; a place that says whose, "the U.S. Navy", "New York-based",
 * only when no other is named), then in its other sentences; a town or subdivision inside the
 * country (or subdivision) so found, that the two sentences either side put something in, is
 * more precise (not for a statement, whose neighbours tell what it is about);
 * then the story's dateline or dominant place; failing those the focus country (precision
 * "country"), else precision "none". Keys: extracted_place, resolved_place, geonameid, lat,
 * lon, admin1, country_code (ISO alpha-3), feature_code, precision (place, admin1, country,
 * region, none). */
void dy_places_event_loc(const dy_story_ctx *s, const dy_event *ev, dy_buf *out);

/* Writes one JSON line per place mention (the `dyad places` records): {"story_id", "start",
 * "end" (character offsets), "text", "resolved": {name, geonameid, lat, lon, admin1,
 * country_code, feature_code, precision} or null}. */
void dy_places_jsonl(const dy_story_ctx *s, dy_buf *out);

/* Whether code names a region the built-in gazetteer knows: an ISO 3166-2 subdivision
 * ("US-OH") or an ISO 3166-1 alpha-2/alpha-3 country ("IE", "IRL"). */
int dy_places_region_known(const char *code);

/* The name of a precision ("place", "admin1", "country", "region", "none"). */
const char *dy_place_precision_name(int precision);

#endif
