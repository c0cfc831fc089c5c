/*
 * gazetteer.c — lookups over the gazetteer image (gazetteer.h): the name normaliser shared
 * with the image builder, the name hash table, countries and admin1s by code, capitals.
 * Reads the image where it lies (the embedded copy is mapped with the binary), so nothing is
 * parsed or copied at start-up.
 */
#include "geo/gazetteer.h"

#include <math.h>
#include <string.h>

#include "base/base.h"

/* ==== normalising names ================================================================== */

/* U+00C0..U+024F, generated from Unicode decompositions; "" = not a Latin letter */
static const char fold_latin[400][3] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", "d", "n",
    "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss", "a", "a", "a", "a",
    "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", "d", "n", "o", "o", "o", "o",
    "o", "", "o", "u", "u", "u", "u", "y", "th", "y", "a", "a", "a", "a", "a", "a", "c", "c", "c",
    "c", "c", "c", "c", "c", "d", "d", "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e",
    "g", "g", "g", "g", "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i",
    "i", "i", "i", "", "", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l", "l", "l",
    "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o", "o", "o", "oe", "oe",
    "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s", "s", "s", "t", "t", "t", "t", "t",
    "t", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "w", "w", "y", "y", "y", "z",
    "z", "z", "z", "z", "z", "s", "b", "b", "", "", "", "", "", "c", "c", "d", "d", "", "", "",
    "", "", "", "f", "f", "g", "", "", "", "i", "k", "k", "l", "", "", "n", "n", "", "o", "o", "",
    "", "p", "p", "", "", "", "", "", "t", "t", "t", "t", "u", "u", "", "v", "y", "y", "z", "z",
    "", "", "", "", "", "", "", "", "", "", "", "", "", "dz", "dz", "dz", "lj", "lj", "lj", "nj",
    "nj", "nj", "a", "a", "i", "i", "o", "o", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u",
    "", "a", "a", "a", "a", "", "", "g", "g", "g", "g", "k", "k", "o", "o", "o", "o", "", "", "j",
    "dz", "dz", "dz", "g", "g", "", "", "n", "n", "a", "a", "", "", "", "", "a", "a", "a", "a",
    "e", "e", "e", "e", "i", "i", "i", "i", "o", "o", "o", "o", "r", "r", "r", "r", "u", "u", "u",
    "u", "s", "s", "t", "t", "", "", "h", "h", "", "", "", "", "z", "z", "a", "a", "e", "e", "o",
    "o", "o", "o", "o", "o", "o", "o", "y", "y", "l", "n", "t", "j", "", "", "a", "c", "c", "l",
    "t", "s", "z", "", "", "b", "u", "", "e", "e", "j", "j", "", "", "r", "r", "y", "y",
};
/* U+1E00..U+1EFF, generated from Unicode decompositions; "" = not a Latin letter */
static const char fold_latin_ext[256][3] = {
    "a", "a", "b", "b", "b", "b", "b", "b", "c", "c", "d", "d", "d", "d", "d", "d", "d", "d", "d",
    "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "f", "f", "g", "g", "h", "h", "h", "h",
    "h", "h", "h", "h", "h", "h", "i", "i", "i", "i", "k", "k", "k", "k", "k", "k", "l", "l", "l",
    "l", "l", "l", "l", "l", "m", "m", "m", "m", "m", "m", "n", "n", "n", "n", "n", "n", "n", "n",
    "o", "o", "o", "o", "o", "o", "o", "o", "p", "p", "p", "p", "r", "r", "r", "r", "r", "r", "r",
    "r", "s", "s", "s", "s", "s", "s", "s", "s", "s", "s", "t", "t", "t", "t", "t", "t", "t", "t",
    "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "v", "v", "v", "v", "w", "w", "w", "w", "w",
    "w", "w", "w", "w", "w", "x", "x", "x", "x", "y", "y", "z", "z", "z", "z", "z", "z", "h", "t",
    "w", "y", "", "", "", "", "ss", "", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a",
    "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "e", "e", "e", "e", "e", "e",
    "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "i", "i", "i", "i", "o", "o", "o", "o", "o",
    "o", "o", "o", "o", "o", "o", "o", "o", "o", "o", "o", "o", "o", "o", "o", "o", "o", "o", "o",
    "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "y", "y", "y", "y", "y",
    "y", "y", "y", "ll", "ll", "", "", "", "",
};

/* The ASCII folding of code point cp: its letters (lower case) in *f and 0; or 1 for a
 * separator (becomes one space between words), 2 for a character that is dropped, -1 for a
 * letter of another script. */
static int fold_cp(int32_t cp, const char **f, char one[2])
{
    if (cp < 0x80) {
        if (dy_isalnum(cp)) {
            one[0] = (char)dy_tolower(cp);
            one[1] = 0;
            *f = one;
            return 0;
        }
        return cp == '\'' || cp == '.' || cp == '`' ? 2 : 1;
    }
    if (cp >= 0xC0 && cp <= 0x24F) {
        *f = fold_latin[cp - 0xC0];
        return **f ? 0 : (cp == 0xD7 || cp == 0xF7) ? 1 : -1;
    }
    if (cp >= 0x1E00 && cp <= 0x1EFF) {
        *f = fold_latin_ext[cp - 0x1E00];
        return **f ? 0 : -1;
    }
    if (cp >= 0x300 && cp <= 0x36F) return 2; /* combining marks: the letter before stands */
    if (cp == 0x2BB || cp == 0x2BC || cp == 0x2BE || cp == 0x2BF || cp == 0x2018 ||
        cp == 0x2019 || cp == 0xB4 || cp == 0x2032)
        return 2; /* apostrophes, ayn and hamza marks: Ra's, Sana'a, Hawai'i */
    if (cp < 0x250 || (cp >= 0x2000 && cp <= 0x2BFF) || cp == 0xFFFD || cp == 0x3000)
        return 1; /* Latin-1 punctuation and symbols, general punctuation, arrows, ... */
    return -1;
}

int dy_gaz_normalise(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    int space = 0;
    if (!cap) return -1;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) { /* ASCII, most of the text: fold_cp's answer without decoding */
            i++;
            if (!dy_isalnum(c)) {
                if (c != '\'' && c != '.' && c != '`') space = k > 0; /* a separator (else dropped) */
                continue;
            }
            if (k + space + 1 >= cap) return -1;
            if (space) out[k++] = ' ';
            space = 0;
            out[k++] = (char)dy_tolower(c);
            continue;
        }
        int32_t cp;
        const char *f = NULL;
        char one[2];
        i += (size_t)dy_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (cp < 0) cp = 0xFFFD;
        int r = fold_cp(cp, &f, one);
        if (r < 0) return -1;
        if (r == 1) space = k > 0;
        if (r) continue;
        size_t len = strlen(f);
        if (k + space + len >= cap) return -1;
        if (space) out[k++] = ' ';
        space = 0;
        memcpy(out + k, f, len);
        k += len;
    }
    out[k] = 0;
    return (int)k;
}

uint64_t dy_gaz_hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h ^ (h >> 29);
}

/* ==== the image ========================================================================== */

static const dy_gaz_header *hdr(const dy_gazetteer *g) { return (const dy_gaz_header *)g->base; }

/* Whether [off, off + count * size) lies inside the image and off is 4-aligned. */
static int section_ok(size_t total, uint32_t off, uint32_t count, size_t size)
{
    return off % 4 == 0 && off <= total && (uint64_t)count * size <= total - off;
}

int dy_gazetteer_open(dy_gazetteer *g, const void *img, size_t n)
{
    const dy_gaz_header *h = img;
    if (!img || n < sizeof *h || ((uintptr_t)img & 7) || memcmp(h->magic, DY_GAZ_MAGIC, 8) ||
        h->size != n || h->version != 4)
        return -1;
    if (!section_ok(n, h->off_entry, h->nentry, sizeof(dy_gaz_entry)) ||
        !section_ok(n, h->off_country, h->ncountry, sizeof(dy_gaz_country)) ||
        !section_ok(n, h->off_admin1, h->nadmin1, sizeof(dy_gaz_admin1)) ||
        !section_ok(n, h->off_name, h->nname, sizeof(dy_gaz_name)) ||
        !section_ok(n, h->off_slot, h->nslot, sizeof(dy_gaz_slot)) ||
        !section_ok(n, h->off_post, h->npost, sizeof(uint32_t)) ||
        !section_ok(n, h->off_pool, h->pool_size, 1) || h->pool_size == 0 ||
        !section_ok(n, h->off_bloom, h->nbloom / 8, 1) || h->nbloom < 64 || (h->nbloom & (h->nbloom - 1)) ||
        h->nslot == 0 || (h->nslot & (h->nslot - 1)) || h->ncountry >= DY_GAZ_NONE ||
        h->nadmin1 >= DY_GAZ_NONE)
        return -1;
    if (((const char *)img)[h->off_pool + h->pool_size - 1] != 0) return -1;
    g->base = img;
    return 0;
}

#ifndef DY_GAZ_NO_BLOB
/* Start and end of build/gazetteer.bin in the binary (build/gen/gazetteer_blob.S). */
extern const unsigned char dy_gazetteer_image_start[];
extern const unsigned char dy_gazetteer_image_end[];

const dy_gazetteer *dy_gazetteer_builtin(void)
{
    /* Only the header is read here; the rest is paged in by the lookups that need it. */
    static const dy_gazetteer builtin = {dy_gazetteer_image_start};
    size_t n = (size_t)(dy_gazetteer_image_end - dy_gazetteer_image_start);
    dy_gazetteer g;
    return dy_gazetteer_open(&g, builtin.base, n) ? NULL : &builtin;
}
#endif

const char *dy_gaz_str(const dy_gazetteer *g, uint32_t off)
{
    const dy_gaz_header *h = hdr(g);
    if (off >= h->pool_size) return "";
    return (const char *)g->base + h->off_pool + off;
}

uint32_t dy_gaz_entry_count(const dy_gazetteer *g) { return hdr(g)->nentry; }

const dy_gaz_entry *dy_gaz_entry_at(const dy_gazetteer *g, uint32_t idx)
{
    return (const dy_gaz_entry *)(g->base + hdr(g)->off_entry) + idx;
}

const dy_gaz_country *dy_gaz_country_at(const dy_gazetteer *g, uint16_t idx)
{
    return (const dy_gaz_country *)(g->base + hdr(g)->off_country) + idx;
}

const dy_gaz_admin1 *dy_gaz_admin1_at(const dy_gazetteer *g, uint16_t idx)
{
    return (const dy_gaz_admin1 *)(g->base + hdr(g)->off_admin1) + idx;
}

const dy_gaz_name *dy_gaz_lookup(const dy_gazetteer *g, const char *key, size_t n)
{
    const dy_gaz_header *h = hdr(g);
    const dy_gaz_slot *slot = (const dy_gaz_slot *)(g->base + h->off_slot);
    const dy_gaz_name *names = (const dy_gaz_name *)(g->base + h->off_name);
    uint64_t hv = dy_gaz_hash(key, n);
    uint32_t tag = (uint32_t)(hv >> 32), mask = h->nslot - 1;
    for (uint32_t i = (uint32_t)hv & mask, probes = 0; probes < h->nslot; i = (i + 1) & mask, probes++) {
        if (!slot[i].name) return NULL;
        if (slot[i].tag != tag || slot[i].name > h->nname) continue;
        const dy_gaz_name *nm = &names[slot[i].name - 1];
        const char *s = dy_gaz_str(g, nm->str);
        if (!strncmp(s, key, n) && s[n] == 0) return nm;
    }
    return NULL;
}

int dy_gaz_may_start(const dy_gazetteer *g, const char *w, size_t n)
{
    const dy_gaz_header *h = hdr(g);
    const unsigned char *bits = g->base + h->off_bloom;
    uint64_t v = dy_gaz_hash(w, n);
    uint32_t m = h->nbloom - 1, a = (uint32_t)v & m, b = (uint32_t)(v >> 32) & m;
    return (bits[a >> 3] >> (a & 7) & 1) && (bits[b >> 3] >> (b & 7) & 1);
}

const uint32_t *dy_gaz_postings(const dy_gazetteer *g, const dy_gaz_name *nm, size_t *n)
{
    const dy_gaz_header *h = hdr(g);
    if (nm->post > h->npost || nm->npost > h->npost - nm->post) {
        *n = 0;
        return NULL;
    }
    *n = nm->npost;
    return (const uint32_t *)(g->base + h->off_post) + nm->post;
}

uint16_t dy_gaz_country_find(const dy_gazetteer *g, const char *code, size_t n)
{
    const dy_gaz_header *h = hdr(g);
    const dy_gaz_country *c = (const dy_gaz_country *)(g->base + h->off_country);
    char k[4] = {0, 0, 0, 0};
    if (n > 3) n = 3;
    if (n < 2) return DY_GAZ_NONE;
    for (size_t i = 0; i < n; i++) k[i] = (char)dy_toupper(code[i]);
    if (n == 3 && !dy_isupper(k[2])) n = 2, k[2] = 0;
    if (n == 2) { /* sorted by iso2: binary search */
        uint32_t lo = 0, hi = h->ncountry;
        while (lo < hi) {
            uint32_t mid = (lo + hi) / 2;
            int r = memcmp(c[mid].iso2, k, 2);
            if (!r) return (uint16_t)mid;
            if (r < 0) lo = mid + 1;
            else hi = mid;
        }
        return DY_GAZ_NONE;
    }
    /* by iso3 the countries are in no order: a linear scan, so the last answer is kept per
     * thread (a story asks for its focus and its actors' few countries again and again) */
    static _Thread_local struct {
        const unsigned char *base;
        char k[3];
        uint16_t idx;
    } last;
    if (last.base == g->base && !memcmp(last.k, k, 3)) return last.idx;
    uint16_t idx = DY_GAZ_NONE;
    for (uint32_t i = 0; i < h->ncountry; i++)
        if (!memcmp(c[i].iso3, k, 3)) {
            idx = (uint16_t)i;
            break;
        }
    last.base = g->base;
    memcpy(last.k, k, 3);
    last.idx = idx;
    return idx;
}

uint16_t dy_gaz_admin1_find(const dy_gazetteer *g, uint16_t country, const char *code)
{
    const dy_gaz_header *h = hdr(g);
    if (country >= h->ncountry || !code || !*code) return DY_GAZ_NONE;
    const dy_gaz_country *c = dy_gaz_country_at(g, country);
    for (uint32_t i = c->admin1_first; i < c->admin1_first + c->nadmin1 && i < h->nadmin1; i++) {
        const dy_gaz_admin1 *a = dy_gaz_admin1_at(g, (uint16_t)i);
        if (!strncmp(a->gn, code, sizeof a->gn) && strlen(code) < sizeof a->gn) return (uint16_t)i;
    }
    for (uint32_t i = c->admin1_first; i < c->admin1_first + c->nadmin1 && i < h->nadmin1; i++) {
        const dy_gaz_admin1 *a = dy_gaz_admin1_at(g, (uint16_t)i);
        if (!strncmp(a->iso, code, sizeof a->iso) && strlen(code) < sizeof a->iso) return (uint16_t)i;
    }
    return DY_GAZ_NONE;
}

uint32_t dy_gaz_capital(const dy_gazetteer *g, uint16_t country)
{
    if (country >= hdr(g)->ncountry) return DY_GAZ_NOENTRY;
    return dy_gaz_country_at(g, country)->capital;
}

double dy_gaz_km(int32_t lat1, int32_t lon1, int32_t lat2, int32_t lon2)
{
    const double r = 3.14159265358979323846 / 180e6;
    double p1 = lat1 * r, p2 = lat2 * r, dp = (lat2 - lat1) * r, dl = ((double)lon2 - lon1) * r;
    double a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    if (a > 1) a = 1;
    return 2 * 6371.0 * asin(sqrt(a));
}
