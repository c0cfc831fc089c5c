/*
 * codes.c — the code lists a user names on the command line, checked against what dyad
 * itself knows: ISO 3166-1 alpha-3 countries (the built-in gazetteer's, from Debian's
 * iso-codes) and CAMEO event codes (the built-in dict/cameo.txt). dyad.h: dyad_country_known,
 * dyad_cameo_known.
 */
#include "dyad.h"

#include "base/base.h"
#include "geo/gazetteer.h"

#include <string.h>

struct dy_blob {
    const char *name;
    const unsigned char *data;
    size_t len;
};
extern const struct dy_blob dy_dict_blobs[];

int dyad_country_known(const char *code)
{
    const dy_gazetteer *g = dy_gazetteer_builtin();
    if (!g || !code || strlen(code) != 3) return 0;
    uint16_t c = dy_gaz_country_find(g, code, 3);
    if (c == DY_GAZ_NONE) return 0;
    /* found by its alpha-3 code, not by an alpha-2 code that begins it */
    const char *a3 = dy_gaz_country_at(g, c)->iso3;
    for (int i = 0; i < 3; i++)
        if (dy_toupper((unsigned char)code[i]) != a3[i]) return 0;
    return 1;
}

int dyad_cameo_known(const char *code)
{
    size_t n = code ? strlen(code) : 0;
    if (n < 2 || n > 4) return 0;
    for (size_t i = 0; i < n; i++)
        if (!dy_isdigit(code[i])) return 0;
    for (const struct dy_blob *b = dy_dict_blobs; b->name; b++) {
        if (strcmp(b->name, "cameo.txt")) continue;
        /* a code line starts with the code and a blank; comments start with '#' */
        const char *p = (const char *)b->data, *end = p + b->len;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl) nl = end;
            if ((size_t)(nl - p) > n && !memcmp(p, code, n) && (p[n] == ' ' || p[n] == '\t')) return 1;
            p = nl + 1;
        }
    }
    return 0;
}
