/*
 * gazetteer.h — the gazetteer image and lookups over it. The image (build/gazetteer.bin,
 * written by tools/gazetteer_build.c from GeoNames cities1000, Debian iso-codes and
 * dict/places.txt) is embedded in the binary and used in place: no parsing at start-up, and a
 * lookup touches only the pages it needs (one hash slot, one name record, its postings).
 *
 * Layout (all integers little-endian, every section 8-aligned, offsets from the image start):
 * header | entries | countries | admin1s | names | slots | postings | string pool | a Bloom
 * filter of the first words of all names (so most capitalised words cost no lookup).
 */
#ifndef DYAD_GAZETTEER_H
#define DYAD_GAZETTEER_H

#include <stddef.h>
#include <stdint.h>

#define DY_GAZ_MAGIC "DYGAZ04\n" /* 8 bytes; bump with any layout change */
#define DY_GAZ_NONE 0xFFFFu      /* no country / no admin1 (16-bit indexes) */
#define DY_GAZ_NOENTRY 0xFFFFFFFFu
#define DY_GAZ_KEY_MAX 128 /* bytes of a normalised name, NUL excluded */

/* What an entry is; the order is also the order of specificity, least specific first. */
enum dy_gaz_kind {
    GZ_REGION = 1,  /* spans countries or has none: continent, sea, world region */
    GZ_COUNTRY = 2, /* ISO 3166-1 country (or one we add: Kosovo) */
    GZ_ADMIN1 = 3,  /* first-level subdivision (ISO 3166-2), or a region of one country */
    GZ_PLACE = 4,   /* a district, zone, square, strait, ... of our list (dict/places.txt) */
    GZ_CITY = 5     /* a GeoNames populated place */
};

enum dy_gaz_entry_flag {
    GZF_NOCOORD = 1, /* lat/lon unknown (a country with no city and no given centre) */
    GZF_OURS = 2     /* from dict/places.txt (names, coordinates or both) */
};

typedef struct dy_gaz_header {
    char magic[8];
    uint32_t version, size; /* layout version, total bytes */
    uint32_t nentry, off_entry;
    uint32_t ncountry, off_country;
    uint32_t nadmin1, off_admin1;
    uint32_t nname, off_name;
    uint32_t nslot, off_slot; /* nslot is a power of two */
    uint32_t npost, off_post;
    uint32_t pool_size, off_pool;
    uint32_t nbloom, off_bloom; /* bits (a power of two) of the first-word filter */
} dy_gaz_header; /* 80 bytes */

typedef struct dy_gaz_entry {
    int32_t lat, lon;    /* microdegrees */
    uint32_t geonameid;  /* 0 when the entry is not a GeoNames feature */
    uint32_t population; /* 0 if unknown */
    uint32_t name;       /* pool offset of the display name (UTF-8) */
    uint16_t country;    /* index into the countries, DY_GAZ_NONE for none */
    uint16_t admin1;     /* index into the admin1s, DY_GAZ_NONE for none */
    uint8_t kind;        /* GZ_* */
    uint8_t flags;       /* GZF_* */
    char fcode[6];       /* GeoNames feature code ("PPLC", "ADM1", "PCLI", "SEA"), NUL-padded */
} dy_gaz_entry;          /* 32 bytes */

typedef struct dy_gaz_country {
    char iso2[3], iso3[4]; /* NUL-terminated */
    uint8_t pad;
    uint32_t entry;        /* the country's own entry */
    uint32_t capital;      /* entry of its capital (GeoNames PPLC), DY_GAZ_NOENTRY if none */
    uint32_t admin1_first; /* its admin1s are [admin1_first, admin1_first + nadmin1) */
    uint32_t nadmin1;
} dy_gaz_country;          /* 24 bytes; sorted by iso2 */

typedef struct dy_gaz_admin1 {
    uint16_t country; /* index of the country */
    char gn[8];       /* GeoNames admin1 code ("TX", "12"), "" if not linked to GeoNames */
    char iso[6];      /* ISO 3166-2 code after the dash ("TX", "HB"), "" if none */
    uint32_t entry;   /* the subdivision's entry (name, centre), DY_GAZ_NOENTRY if none */
} dy_gaz_admin1;      /* 20 bytes; grouped by country, sorted by gn */

enum dy_gaz_name_flag {
    NMF_COMMON = 1, /* also an English common word in lower case (WordNet): "reading", "china" */
    NMF_PREFIX = 2  /* the first words of a longer name ("new" of "new york"): a record with no
                       postings when it is not a name itself, so a scan knows when to stop */
};

typedef struct dy_gaz_name {
    uint32_t str;   /* pool offset of the normalised name */
    uint32_t post;  /* index of its first posting */
    uint16_t npost; /* postings: entries carrying this name, most likely first */
    uint16_t flags; /* NMF_* */
} dy_gaz_name;      /* 12 bytes */

/* A slot of the name hash table: the hash's high bits (to skip most compares) and name+1. */
typedef struct dy_gaz_slot {
    uint32_t tag;  /* hash >> 32 */
    uint32_t name; /* index of the name + 1; 0: empty */
} dy_gaz_slot;

/* A posting: entry index, with DY_GAZ_ALT set when the name is one of the entry's alternate
 * names rather than its own. */
#define DY_GAZ_ALT 0x80000000u
#define DY_GAZ_ENTRY(p) ((p) & 0x7FFFFFFFu)

/* A view of one image (its size is in its header). Copy freely; the image must outlive it. */
typedef struct dy_gazetteer {
    const unsigned char *base;
} dy_gazetteer;

/* The gazetteer built into the binary, or NULL if the build has none or it is damaged.
 * Costs a header check; thread-safe. */
const dy_gazetteer *dy_gazetteer_builtin(void);

/* Checks that img[0..n) is a gazetteer image (magic, version, section bounds) and fills g.
 * Returns 0, or -1 when it is not. img must be 8-aligned. */
int dy_gazetteer_open(dy_gazetteer *g, const void *img, size_t n);

/* Normalises a name for lookup: ASCII-folds Latin letters (é -> e, ß -> ss), lower-cases,
 * drops apostrophes and periods, turns any other run of punctuation or space into one space,
 * and trims. Writes at most cap-1 bytes plus a NUL to out; returns the length, or -1 when s
 * holds a letter of another script (such names are not in the gazetteer) or the result is
 * longer than cap-1. Shared by the image builder and the lookups, so both agree. */
int dy_gaz_normalise(const char *s, size_t n, char *out, size_t cap);

/* The portable 64-bit hash of a normalised name used by the image (FNV-1a). */
uint64_t dy_gaz_hash(const char *s, size_t n);

/* The name record of a normalised key, or NULL. */
const dy_gaz_name *dy_gaz_lookup(const dy_gazetteer *g, const char *key, size_t n);

/* Whether some name may start with the normalised word w[0..n) (no space in it): 0 means
 * surely not. Touches one small, hot part of the image. */
int dy_gaz_may_start(const dy_gazetteer *g, const char *w, size_t n);

/* The postings of a name (*n receives their count). */
const uint32_t *dy_gaz_postings(const dy_gazetteer *g, const dy_gaz_name *nm, size_t *n);

/* Accessors; idx must be in range (callers get indexes from the image itself). */
const dy_gaz_entry *dy_gaz_entry_at(const dy_gazetteer *g, uint32_t idx);
const dy_gaz_country *dy_gaz_country_at(const dy_gazetteer *g, uint16_t idx);
const dy_gaz_admin1 *dy_gaz_admin1_at(const dy_gazetteer *g, uint16_t idx);
uint32_t dy_gaz_entry_count(const dy_gazetteer *g);
/* A pool string (NUL-terminated). */
const char *dy_gaz_str(const dy_gazetteer *g, uint32_t off);

/* Country index by ISO 3166-1 alpha-2 or alpha-3 code (case-insensitive; 2 or 3 letters,
 * the rest of code ignored), or DY_GAZ_NONE. */
uint16_t dy_gaz_country_find(const dy_gazetteer *g, const char *code, size_t n);

/* Admin1 index of a country by GeoNames admin1 code or by ISO 3166-2 code (the part after
 * the dash), or DY_GAZ_NONE. */
uint16_t dy_gaz_admin1_find(const dy_gazetteer *g, uint16_t country, const char *code);

/* The entry of a country's capital, DY_GAZ_NOENTRY if it has none. */
uint32_t dy_gaz_capital(const dy_gazetteer *g, uint16_t country);

/* Great-circle distance in km between two points given in microdegrees. */
double dy_gaz_km(int32_t lat1, int32_t lon1, int32_t lat2, int32_t lon2);

#endif
