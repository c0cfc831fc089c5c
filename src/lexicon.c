/*
 * lexicon.c — loads dyad's dictionaries (dict/FORMAT.md) into a dyad_dict: the vocabulary,
 * the CAMEO table, actors with dated roles, agents, word sets and event patterns; then builds
 * the indexes the coder uses. Consumes text (embedded blobs, files); produces a read-only dict.
 * Malformed lines are reported through the diag callback with file:line and skipped.
 */
#include "lexicon.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lemma.h"
#include "dict/petrarch.h"
#include "vcond.h"

struct dy_blob {
    const char *name;
    const unsigned char *data;
    size_t len;
};
extern const struct dy_blob dy_dict_blobs[];

/* ==== growable arrays ==================================================================== */

/* Makes room for one more element in *arr (count n, capacity *cap); 0 or -1 on OOM. */
static int grow(void **arr, uint32_t n, uint32_t *cap, size_t elem)
{
    if (n < *cap) return 0;
    uint32_t nc = *cap ? *cap * 2 : 64;
    void *p = realloc(*arr, (size_t)nc * elem);
    if (!p) return -1;
    *arr = p;
    *cap = nc;
    return 0;
}
#define GROW(d, arr, n, cap) grow((void **)&(d)->arr, (d)->n, &(d)->cap, sizeof *(d)->arr)

/* ==== vocabulary ========================================================================= */

static uint32_t vslot(const dyad_dict *d, const char *w, size_t n, uint64_t h)
{
    uint32_t mask = d->vtab_cap - 1, i = (uint32_t)h & mask;
    for (;;) {
        uint32_t id = d->vtab[i];
        if (!id) return i;
        const char *s = d->pool + d->word_off[id];
        if (strncmp(s, w, n) == 0 && s[n] == 0) return i;
        i = (i + 1) & mask;
    }
}

uint32_t dy_word_find(const dyad_dict *d, const char *w, size_t n)
{
    if (!d->vtab_cap || n == 0) return 0;
    return d->vtab[vslot(d, w, n, dy_hash(w, n))];
}

const char *dy_word_str(const dyad_dict *d, uint32_t id)
{
    return id && id < d->nword ? d->pool + d->word_off[id] : "";
}

/* Out of memory while interning: sets the dict's sticky failure flag (the arena's), which
 * dy_dict_load_text and dyad_dict_finish check, so that a word lost to OOM is reported as
 * DYAD_ENOMEM instead of passing as a malformed line. Returns 0, the "no word" id. */
static uint32_t word_oom(dyad_dict *d)
{
    d->mem.failed = 1;
    return 0;
}

/* Interns the word w[0..n) (already normalised); returns its id, 0 on OOM (see word_oom). */
static uint32_t word_add(dyad_dict *d, const char *w, size_t n)
{
    if (n == 0) return 0;
    if ((d->nword + 1) * 2 >= d->vtab_cap) {
        uint32_t nc = d->vtab_cap ? d->vtab_cap * 2 : 4096;
        uint32_t *nt = calloc(nc, sizeof *nt);
        if (!nt) return word_oom(d);
        uint32_t *old = d->vtab, oc = d->vtab_cap;
        d->vtab = nt;
        d->vtab_cap = nc;
        for (uint32_t i = 0; i < oc; i++)
            if (old[i]) {
                const char *s = d->pool + d->word_off[old[i]];
                d->vtab[vslot(d, s, strlen(s), dy_hash(s, strlen(s)))] = old[i];
            }
        free(old);
    }
    uint32_t slot = vslot(d, w, n, dy_hash(w, n));
    if (d->vtab[slot]) return d->vtab[slot];
    if (d->nword == 0) d->nword = 1; /* id 0 means "none" */
    if (GROW(d, word_off, nword, word_cap)) return word_oom(d);
    while (d->pool_n + n + 1 > d->pool_cap) {
        size_t nc = d->pool_cap ? d->pool_cap * 2 : 65536;
        char *np = realloc(d->pool, nc);
        if (!np) return word_oom(d);
        d->pool = np;
        d->pool_cap = nc;
    }
    memcpy(d->pool + d->pool_n, w, n);
    d->pool[d->pool_n + n] = 0;
    d->word_off[d->nword] = (uint32_t)d->pool_n;
    d->pool_n += n + 1;
    d->vtab[slot] = d->nword;
    return d->nword++;
}

/* Normalises a word as tokens are: ASCII lower case, periods dropped ("U.S." -> "us").
 * Writes at most cap-1 bytes and a NUL into out; returns the length. */
static size_t word_norm(const char *w, size_t n, char *out, size_t cap)
{
    size_t k = 0, i = 0;
    if (n < cap) /* eight bytes at a time while none is a dot (then the loop below goes on) */
        for (uint64_t v; i + 8 <= n && !dy_has_byte(v = dy_load8(w + i), '.'); i += 8, k += 8)
            dy_store8(out + k, dy_lower8(v));
    for (; i < n && k + 1 < cap; i++) {
        if (w[i] == '.') continue;
        out[k++] = (char)dy_tolower((unsigned char)w[i]);
    }
    out[k] = 0;
    return k;
}

/* ==== tagging tokens ===================================================================== */

/* A per-thread cache of words already tagged: news repeats its words, and a word's form and
 * lemma ids depend only on the word and the dictionary. Direct-mapped; an entry holds the
 * word itself, so a hit is exact. 16,384 entries of 48 bytes (768 KB a thread): with 4,096, one
 * token in five missed over Reuters and paid its lemma candidates and table lookups again. */
#define TAG_BITS 14
#define TAG_CACHE (1 << TAG_BITS)
#define TAG_WORD 24
typedef struct tag_entry {
    uint64_t serial;            /* the dict's serial (0: empty) */
    uint32_t form, lemma;
    uint8_t n;
    uint64_t w[TAG_WORD / 8];   /* the word's bytes, zero-padded: compared as three words */
} tag_entry;

/* The cache slot of a zero-padded word: a few multiplies over its three words, far cheaper
 * than dy_hash, which the vocabulary's table needs only on a miss. */
static uint32_t tag_slot(const uint64_t w[TAG_WORD / 8])
{
    uint64_t h = w[0] * 0x9E3779B97F4A7C15ull;
    h = (h ^ (h >> 29) ^ w[1]) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ (h >> 31) ^ w[2]) * 0x94D049BB133111EBull;
    return (uint32_t)(h >> (64 - TAG_BITS)); /* the best-mixed bits */
}
static __thread tag_entry *tag_cache;
static uint64_t serials; /* dict serials handed out so far */

/* The cache is also registered under a thread-specific key whose destructor frees it, so that
 * a thread that codes stories and exits does not leak its cache. */
static pthread_key_t tag_key;
static int tag_key_ok;
static pthread_once_t tag_once = PTHREAD_ONCE_INIT;
static void tag_key_init(void) { tag_key_ok = pthread_key_create(&tag_key, free) == 0; }

/* The calling thread's cache, made on first use; NULL when out of memory (tag without it). */
static tag_entry *thread_tag_cache(void)
{
    if (tag_cache) return tag_cache;
    pthread_once(&tag_once, tag_key_init);
    if (!tag_key_ok) return NULL;
    tag_entry *c = calloc(TAG_CACHE, sizeof *c);
    if (c && pthread_setspecific(tag_key, c)) {
        free(c);
        c = NULL;
    }
    return tag_cache = c;
}

void dy_lexicon_tag(const dyad_dict *d, const char *text, dy_token *tok, size_t ntok)
{
    char low[DY_WORD_MAX], cand[6][DY_WORD_MAX];
    thread_tag_cache();
    /* a short token is read as one word when eight bytes from its start are text */
    size_t limit = ntok ? tok[ntok - 1].start + tok[ntok - 1].len : 0;
    for (size_t i = 0; i < ntok; i++) {
        dy_token *t = &tok[i];
        t->form = t->lemma = 0;
        if (t->len >= DY_WORD_MAX) continue;
        uint64_t key[TAG_WORD / 8] = {0, 0, 0}, v;
        size_t n;
        if (DY_LITTLE_ENDIAN && t->len < 8 && t->start + 8 <= limit &&
            !dy_has_byte(v = dy_load_short(text + t->start, t->len), '.')) {
            key[0] = dy_lower8(v); /* word_norm's result, zero-padded: no dot to drop */
            dy_store8(low, key[0]);
            n = t->len;
        } else {
            n = word_norm(text + t->start, t->len, low, sizeof low);
            if (n < TAG_WORD) memcpy(key, low, n);
        }
        tag_entry *c = NULL;
        if (tag_cache && n < TAG_WORD) {
            c = &tag_cache[tag_slot(key)];
            if (c->serial == d->serial && c->n == n && c->w[0] == key[0] && c->w[1] == key[1] && c->w[2] == key[2]) {
                t->form = c->form;
                t->lemma = (t->flags & TK_WORD) ? c->lemma : c->form;
                continue;
            }
        }
        t->form = dy_word_find(d, low, n);
        uint32_t lemma = t->form;
        int nc = dy_lemma_candidates(low, n, cand, 6);
        for (int k = 0; k < nc; k++) {
            uint32_t id = dy_word_find(d, cand[k], strlen(cand[k]));
            if (id) {
                lemma = id;
                break;
            }
        }
        t->lemma = (t->flags & TK_WORD) ? lemma : t->form;
        if (c) {
            c->serial = d->serial;
            c->n = (uint8_t)n;
            memcpy(c->w, key, sizeof key);
            c->form = t->form;
            c->lemma = lemma;
        }
    }
}

/* ==== small parsing helpers ============================================================== */

typedef struct src_pos {
    const char *file;
    uint32_t line;
} src_pos;

/* Reports one defect. Returns -1 in strict mode (the load fails), else 0. */
static int defect(dyad_dict *d, src_pos at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int defect(dyad_dict *d, src_pos at, const char *fmt, ...)
{
    if (d->quiet) return 0; /* a copy of a line already loaded (and reported) once */
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    d->defects++;
    if (d->diag) d->diag(d->diag_ctx, at.file, at.line, msg);
    return d->strict ? -1 : 0;
}

int dy_dict_defect(dyad_dict *d, const char *file, uint32_t line, const char *fmt, ...)
{
    if (d->quiet) return 0;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    src_pos at = {file, line};
    return defect(d, at, "%s", msg);
}

static const char *skip_ws(const char *s, const char *e)
{
    while (s < e && dy_isspace(*s)) s++;
    return s;
}
static const char *trim_end(const char *s, const char *e)
{
    while (e > s && dy_isspace(e[-1])) e--;
    return e;
}

/* Finds the first occurrence of the string pat in [s, e), or NULL. */
static const char *find(const char *s, const char *e, const char *pat)
{
    size_t m = strlen(pat);
    for (; s + m <= e; s++)
        if (memcmp(s, pat, m) == 0) return s;
    return NULL;
}

int32_t dy_date_parse(const char *s, size_t n)
{
    int y = 0, m = 1, dd = 1;
    if (n < 4) return 0;
    for (int i = 0; i < 4; i++) {
        if (!dy_isdigit(s[i])) return 0;
        y = y * 10 + s[i] - '0';
    }
    if (n == 4) return y * 10000 + 101;
    if (n == 8 && dy_isdigit(s[4])) { /* YYYYMMDD */
        for (int i = 4; i < 8; i++)
            if (!dy_isdigit(s[i])) return 0;
        m = (s[4] - '0') * 10 + s[5] - '0';
        dd = (s[6] - '0') * 10 + s[7] - '0';
    } else {
        if (n < 7 || s[4] != '-' || !dy_isdigit(s[5]) || !dy_isdigit(s[6])) return 0;
        m = (s[5] - '0') * 10 + s[6] - '0';
        if (n >= 10) {
            if (s[7] != '-' || !dy_isdigit(s[8]) || !dy_isdigit(s[9])) return 0;
            dd = (s[8] - '0') * 10 + s[9] - '0';
            if (n > 10 && s[10] != 'T' && s[10] != ' ') return 0;
        } else if (n != 7)
            return 0;
    }
    if (m < 1 || m > 12 || dd < 1 || dd > 31 || y < 1000) return 0;
    return y * 10000 + m * 100 + dd;
}

/* Splits a phrase into normalised words, interning each. A word between double quotes
 * ("police") matches its exact form only: its bit is set in *exact (may be NULL). Returns the
 * number of words (at most max), -1 on a bad character or too many words. */
static int phrase_words(dyad_dict *d, const char *s, const char *e, uint32_t *out, int max,
                        uint32_t *exact)
{
    char buf[DY_WORD_MAX];
    int n = 0, quoted = 0;
    if (exact) *exact = 0;
#define PUT(ws, wl)                                                                            \
    do {                                                                                       \
        size_t k_ = word_norm((ws), (wl), buf, sizeof buf);                                    \
        if (k_) {                                                                              \
            if (n >= max) return -1;                                                           \
            out[n] = word_add(d, buf, k_);                                                     \
            if (!out[n]) return -1;                                                            \
            if (quoted && exact && n < 32) *exact |= 1u << n;                                  \
            n++;                                                                               \
        }                                                                                      \
    } while (0)
    while (s < e) {
        s = skip_ws(s, e);
        if (s >= e) break;
        if (*s == '"') { /* opens or closes an exact span */
            quoted = !quoted;
            s++;
            continue;
        }
        const char *w = s;
        /* a word: letters/digits/bytes >= 0x80 with inner - ' . ; punctuation alone */
        if (dy_isalnum(*s) || (unsigned char)*s >= 0x80) {
            while (s < e && !dy_isspace(*s)) {
                unsigned char c = (unsigned char)*s;
                if (dy_isalnum(c) || c >= 0x80 || c == '-' || c == '\'' || c == '.') {
                    s++;
                    continue;
                }
                break;
            }
            /* a possessive 's or a plural's ' at the end is its own token in text */
            if (s - w > 2 && s[-2] == '\'' && (s[-1] == 's' || s[-1] == 'S')) {
                PUT(w, (size_t)(s - 2 - w));
                w = s - 2;
            } else if (s - w > 1 && s[-1] == '\'') {
                PUT(w, (size_t)(s - 1 - w));
                w = s - 1;
            }
        } else
            s++;
        PUT(w, (size_t)(s - w)); /* a lone period normalises to nothing and is skipped */
    }
#undef PUT
    return n;
}

static uint32_t title_id(dyad_dict *d, const char *s, size_t n)
{
    for (uint32_t i = 0; i < d->ntitle; i++)
        if (strlen(d->titles[i]) == n && memcmp(d->titles[i], s, n) == 0) return i;
    if (d->ntitle >= DY_MAX_TITLES || n >= 40) return UINT32_MAX;
    memcpy(d->titles[d->ntitle], s, n);
    d->titles[d->ntitle][n] = 0;
    return d->ntitle++;
}

static int valid_code(const char *s, size_t n)
{
    if (n < 3 || n >= DY_CODE_MAX) return 0;
    for (size_t i = 0; i < n; i++)
        if (!dy_isupper(s[i]) && !dy_isdigit(s[i])) return 0;
    return 1;
}

/* An actor's code: a CAMEO code, "---" (an actor that codes as unknown), or several codes
 * joined by '/' for a name that stands for several actors ("FRO/BIL/SAM"). */
static int valid_actor_code(const char *s, size_t n)
{
    if (n == 3 && !memcmp(s, "---", 3)) return 1;
    if (n >= DY_CODE_MAX) return 0;
    const char *p = s, *e = s + n;
    while (p < e) {
        const char *q = memchr(p, '/', (size_t)(e - p));
        if (!q) q = e;
        if (!valid_code(p, (size_t)(q - p))) return 0;
        p = q < e ? q + 1 : e;
        if (q < e && p == e) return 0;
    }
    return 1;
}

/* CAMEO's three-letter codes that are regions or kinds of actor, not states. */
static int region_code(const char *code)
{
    static const char *const r[] = {"IGO", "NGO", "IMG", "MNC", "UIS", "NGM", "EUR", "AFR", "ASA",
        "MEA", "WST", "LAM", "NMR", "CRB", "SAM", "SAS", "SEA", "CAS", "EEU", "CEU", "SCN", "BLK",
        "CAU", "MDS", "NAF", "WAF", "EAF", "CFR", "SAF", "PGS", "ARB", "KUR", "BAL", "BLT", "EIN",
        "AMR", "OCE", "PAC", NULL};
    for (int i = 0; r[i]; i++)
        if (!memcmp(code, r[i], 3)) return 1;
    return 0;
}

static void note_country(dyad_dict *d, const char *code)
{
    if (region_code(code)) return;
    for (uint32_t i = 0; i < d->ncountry; i++)
        if (memcmp(d->countries[i], code, 3) == 0) return;
    if (d->ncountry < 400) {
        memcpy(d->countries[d->ncountry], code, 3);
        d->countries[d->ncountry++][3] = 0;
    }
}

/* The bit of a three-letter A-Z code, or -1. */
static int country_bit(const char *c)
{
    if (c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' || c[2] < 'A' || c[2] > 'Z') return -1;
    return ((c[0] - 'A') * 26 + (c[1] - 'A')) * 26 + (c[2] - 'A');
}

int dy_is_country(const dyad_dict *d, const char *code3)
{
    int b = country_bit(code3);
    return b >= 0 && (d->country_bits[b >> 3] >> (b & 7) & 1);
}

/* Adds the names of [s, e) ("a | b | c") as phrases of the given kind and entry. */
static int add_names(dyad_dict *d, src_pos at, const char *s, const char *e, int kind,
                     uint32_t entry, const char **first)
{
    uint32_t w[32];
    int count = 0;
    while (s < e) {
        const char *bar = memchr(s, '|', (size_t)(e - s));
        const char *ne = bar ? bar : e;
        const char *ns = skip_ws(s, ne);
        const char *nend = trim_end(ns, ne);
        if (nend > ns) {
            uint32_t exact;
            int n = phrase_words(d, ns, nend, w, 32, &exact);
            if (n <= 0) {
                if (defect(d, at, "name '%.*s' is too long or empty", (int)(nend - ns), ns))
                    return -1;
            } else {
                if (GROW(d, phrases, nphrase, phrase_cap)) return -2;
                dy_phrase *p = &d->phrases[d->nphrase++];
                p->w = dy_arena_alloc(&d->mem, (size_t)n * sizeof *w);
                if (!p->w) return -2;
                memcpy(p->w, w, (size_t)n * sizeof *w);
                p->n = (uint16_t)n;
                p->kind = (uint8_t)kind;
                p->entry = entry;
                p->exact = exact;
                p->caps = 1;
                for (const char *c = ns; c < nend; c++)
                    if (dy_islower(*c)) p->caps = 0;
                if (!*first) {
                    /* the canonical name, without the quotes of exact words */
                    char *nm = dy_arena_strndup(&d->mem, ns, (size_t)(nend - ns));
                    if (!nm) return -2;
                    size_t o = 0;
                    for (size_t i = 0; nm[i]; i++)
                        if (nm[i] != '"') nm[o++] = nm[i];
                    nm[o] = 0;
                    *first = nm;
                }
                count++;
            }
        }
        s = bar ? bar + 1 : e;
    }
    if (!count) return defect(d, at, "no name before '=>'");
    return 0;
}

/* Parses "@title @title" words in [s,e) into a bit set; sets flags for @person/@capital/@object. */
static int parse_titles(dyad_dict *d, src_pos at, const char *s, const char *e, dy_titleset *titles,
                        uint16_t *flags)
{
    while ((s = skip_ws(s, e)) < e) {
        const char *w = s;
        while (s < e && !dy_isspace(*s)) s++;
        if (*w != '@' || s - w < 2) {
            if (defect(d, at, "unexpected '%.*s' (titles start with @)", (int)(s - w), w)) return -1;
            continue;
        }
        w++;
        size_t n = (size_t)(s - w);
        if (n == 6 && !memcmp(w, "person", 6)) *flags |= ROLE_PERSON;
        else if (n == 7 && !memcmp(w, "capital", 7)) *flags |= ROLE_CAPITAL;
        else if (n == 6 && !memcmp(w, "object", 6)) *flags |= 0x100;
        else if (n == 6 && !memcmp(w, "append", 6)) *flags |= 0x200;
        else if (n == 10 && !memcmp(w, "standalone", 10)) *flags |= 0x400;
        else if (n == 8 && !memcmp(w, "name_end", 8)) *flags |= 0x800;
        else {
            uint32_t t = title_id(d, w, n);
            if (t == UINT32_MAX) {
                if (defect(d, at, "too many distinct titles (128)")) return -1;
            } else {
                *titles |= (dy_titleset)1 << t;
                *flags |= ROLE_PERSON;
            }
        }
    }
    return 0;
}

/* ==== actors ============================================================================= */

static int parse_actor_line(dyad_dict *d, src_pos at, const char *s, const char *e)
{
    const char *arrow = find(s, e, "=>");
    if (!arrow) return defect(d, at, "no '=>' between names and codes");
    if (GROW(d, actors, nactor, actor_cap)) return -2;
    uint32_t entry = d->nactor;
    dy_actor_entry *a = &d->actors[entry];
    memset(a, 0, sizeof *a);
    a->file = at.file;
    a->line = at.line;
    a->role0 = d->nrole;
    /* roles */
    const char *r = arrow + 2;
    int nroles = 0;
    while (r < e) {
        const char *semi = memchr(r, ';', (size_t)(e - r));
        const char *re = semi ? semi : e;
        const char *cs = skip_ws(r, re);
        if (cs < re) {
            const char *ce = cs;
            while (ce < re && !dy_isspace(*ce)) ce++;
            if (!valid_actor_code(cs, (size_t)(ce - cs))) {
                if (defect(d, at, "bad actor code '%.*s'", (int)(ce - cs), cs)) return -1;
                r = semi ? semi + 1 : e;
                continue;
            }
            if (GROW(d, roles, nrole, role_cap)) return -2;
            dy_role *ro = &d->roles[d->nrole];
            memset(ro, 0, sizeof *ro);
            memcpy(ro->code, cs, (size_t)(ce - cs));
            const char *p = skip_ws(ce, re);
            int bad = 0;
            if (p < re && *p != '@') { /* dates */
                const char *de = p;
                while (de < re && !dy_isspace(*de)) de++;
                const char *dots = find(p, de, "..");
                if (!dots) bad = 1;
                else {
                    if (dots > p && !(ro->from = dy_date_parse(p, (size_t)(dots - p)))) bad = 1;
                    if (de > dots + 2 && !(ro->to = dy_date_parse(dots + 2, (size_t)(de - dots - 2))))
                        bad = 1;
                    /* a YYYY or YYYY-MM upper bound means the end of that year or month */
                    size_t tl = (size_t)(de - dots - 2);
                    if (ro->to && tl == 4) ro->to = ro->to / 10000 * 10000 + 1231;
                    else if (ro->to && tl == 7) ro->to = ro->to / 100 * 100 + 31;
                    ro->dated = 1;
                }
                if (bad) {
                    if (defect(d, at, "bad date range '%.*s' (want FROM..TO)", (int)(de - p), p))
                        return -1;
                    r = semi ? semi + 1 : e;
                    continue;
                }
                p = de;
            }
            if (parse_titles(d, at, p, re, &ro->titles, &ro->flags)) return -1;
            ro->flags &= 0xff;
            if (dy_isupper(ro->code[0]) && dy_isupper(ro->code[1]) && dy_isupper(ro->code[2]) &&
                (ce - cs) == 3)
                note_country(d, ro->code);
            d->nrole++;
            nroles++;
        }
        r = semi ? semi + 1 : e;
    }
    if (!nroles) return defect(d, at, "no code after '=>'");
    a->nrole = (uint32_t)nroles;
    int rc = add_names(d, at, s, arrow, PH_ACTOR, entry, &a->name);
    if (rc < 0) return rc == -2 ? -2 : -1;
    d->nactor++;
    return 0;
}

/* ==== agents ============================================================================= */

static int parse_agent_line(dyad_dict *d, src_pos at, const char *s, const char *e)
{
    const char *arrow = find(s, e, "=>");
    if (!arrow) return defect(d, at, "no '=>' between names and agent code");
    const char *cs = skip_ws(arrow + 2, e), *ce = cs;
    while (ce < e && !dy_isspace(*ce)) ce++;
    if (GROW(d, agents, nagent, agent_cap)) return -2;
    dy_agent *g = &d->agents[d->nagent];
    memset(g, 0, sizeof *g);
    if (ce > cs && *cs == '~') {
        g->how = AG_SUFFIX;
        cs++;
    } else if (ce > cs && ce[-1] == '~') {
        g->how = AG_PREFIX;
        ce--;
    } else
        g->how = AG_PLAIN;
    if (!valid_code(cs, (size_t)(ce - cs)) && !(ce - cs == 3 && valid_code(cs, 3)))
        return defect(d, at, "bad agent code '%.*s'", (int)(ce - cs), cs);
    memcpy(g->code, cs, (size_t)(ce - cs));
    if (g->how == AG_PREFIX) ce++;
    uint16_t flags = 0;
    if (parse_titles(d, at, ce, e, &g->titles, &flags)) return -1;
    if (flags & 0x100) g->flags |= AGF_OBJECT;
    if (flags & 0x200) g->flags |= AGF_APPEND;
    if (flags & 0x400) g->flags |= AGF_STANDALONE;
    if (flags & 0x800) g->flags |= AGF_NAME_END;
    int rc = add_names(d, at, s, arrow, PH_AGENT, d->nagent, &g->name);
    if (rc < 0) return rc == -2 ? -2 : -1;
    d->nagent++;
    return 0;
}

/* ==== CAMEO table ======================================================================== */

static int parse_cameo_line(dyad_dict *d, src_pos at, const char *s, const char *e)
{
    const char *bar = memchr(s, '|', (size_t)(e - s));
    const char *fe = bar ? bar : e;
    char f[5][40];
    int nf = 0;
    const char *p = s;
    while ((p = skip_ws(p, fe)) < fe && nf < 5) {
        const char *q = p;
        while (q < fe && !dy_isspace(*q)) q++;
        size_t n = (size_t)(q - p) < 39 ? (size_t)(q - p) : 39;
        memcpy(f[nf], p, n);
        f[nf++][n] = 0;
        p = q;
    }
    if (nf < 2) return defect(d, at, "want CODE GOLDSTEIN [TYPE MODE CONTEXT] | description");
    size_t cl = strlen(f[0]);
    for (size_t i = 0; i < cl; i++)
        if (!dy_isdigit(f[0][i])) cl = 0;
    if (cl < 2 || cl > 4) return defect(d, at, "bad CAMEO code '%s'", f[0]);
    char *end;
    double g = strtod(f[1], &end);
    if (*end || g < -10 || g > 10) return defect(d, at, "bad Goldstein score '%s'", f[1]);
    if (GROW(d, cameo, ncameo, cameo_cap)) return -2;
    dy_cameo *c = &d->cameo[d->ncameo];
    memset(c, 0, sizeof *c);
    memcpy(c->code, f[0], cl);
    c->goldstein = (float)g;
    int root = (f[0][0] - '0') * 10 + f[0][1] - '0';
    c->quad = root <= 5 ? 1 : root <= 8 ? 2 : root <= 13 ? 3 : 4;
    if (nf > 2 && strcmp(f[2], "-")) snprintf(c->plover, sizeof c->plover, "%s", f[2]);
    if (nf > 3 && strcmp(f[3], "-")) snprintf(c->mode, sizeof c->mode, "%s", f[3]);
    if (nf > 4 && strcmp(f[4], "-")) snprintf(c->context, sizeof c->context, "%s", f[4]);
    if (bar) {
        const char *ds = skip_ws(bar + 1, e);
        c->desc = dy_arena_strndup(&d->mem, ds, (size_t)(trim_end(ds, e) - ds));
    }
    d->ncameo++;
    return 0;
}

const dy_cameo *dy_cameo_find(const dyad_dict *d, const char *code)
{
    for (uint32_t i = 0; i < d->ncameo; i++)
        if (strcmp(d->cameo[i].code, code) == 0) return &d->cameo[i];
    return NULL;
}

static uint32_t cameo_index(const dyad_dict *d, const char *code, size_t n)
{
    /* the last code asked for is asked for again: patterns come grouped by code */
    static __thread uint32_t last = UINT32_MAX;
    static __thread const dyad_dict *last_d;
    if (last_d == d && last < d->ncameo && strlen(d->cameo[last].code) == n && !memcmp(d->cameo[last].code, code, n))
        return last;
    for (uint32_t i = 0; i < d->ncameo; i++)
        if (d->cameo[i].code[0] == code[0] && strlen(d->cameo[i].code) == n && memcmp(d->cameo[i].code, code, n) == 0) {
            last_d = d;
            last = i;
            return i;
        }
    return UINT32_MAX - 1;
}

/* ==== word sets and patterns ============================================================= */

static int parse_set_line(dyad_dict *d, src_pos at, const char *s, const char *e)
{
    const char *eq = memchr(s, '=', (size_t)(e - s));
    if (!eq) return defect(d, at, "a word set needs '&NAME = a | b'");
    const char *ne = trim_end(s, eq);
    if (ne - s < 2) return defect(d, at, "empty set name");
    if (GROW(d, sets, nset, set_cap)) return -2;
    dy_set *st = &d->sets[d->nset];
    st->name = dy_arena_strndup(&d->mem, s, (size_t)(ne - s));
    st->phrase0 = d->nset_phrase;
    uint32_t w[32];
    const char *p = eq + 1;
    while (p < e) {
        const char *bar = memchr(p, '|', (size_t)(e - p));
        const char *me = bar ? bar : e;
        const char *ms = skip_ws(p, me);
        const char *mend = trim_end(ms, me);
        if (mend > ms) {
            uint32_t exact;
            int n = phrase_words(d, ms, mend, w, 32, &exact);
            if (n <= 0) {
                if (defect(d, at, "bad set member '%.*s'", (int)(mend - ms), ms)) return -1;
            } else {
                if (GROW(d, set_phrases, nset_phrase, set_phrase_cap)) return -2;
                dy_phrase *ph = &d->set_phrases[d->nset_phrase++];
                ph->w = dy_arena_alloc(&d->mem, (size_t)n * sizeof *w);
                if (!ph->w) return -2;
                memcpy(ph->w, w, (size_t)n * sizeof *w);
                ph->n = (uint16_t)n;
                ph->kind = 0;
                ph->caps = 0;
                ph->exact = exact;
                ph->entry = d->nset;
            }
        }
        p = bar ? bar + 1 : e;
    }
    st->nphrase = d->nset_phrase - st->phrase0;
    if (!st->nphrase) return defect(d, at, "word set %s has no members", st->name);
    d->nset++;
    return 0;
}

/* Interns a list of '|'-separated single words; a word may be quoted ("word": exact form,
 * which sets *exact). Returns the count or -1. */
static int alt_words(dyad_dict *d, const char *s, const char *e, uint32_t *out, int max,
                     uint8_t *exact)
{
    int n = 0;
    while (s < e) {
        const char *bar = memchr(s, '|', (size_t)(e - s));
        const char *we = bar ? bar : e;
        char buf[DY_WORD_MAX];
        const char *ws = skip_ws(s, we);
        const char *wend = trim_end(ws, we);
        if (wend - ws >= 2 && *ws == '"' && wend[-1] == '"') {
            ws++;
            wend--;
            *exact = 1;
        }
        if (wend > ws) {
            if (n >= max || memchr(ws, ' ', (size_t)(wend - ws)) || memchr(ws, '"', (size_t)(wend - ws)))
                return -1;
            size_t k = word_norm(ws, (size_t)(wend - ws), buf, sizeof buf);
            if (!k) return -1;
            out[n++] = word_add(d, buf, k);
        }
        s = bar ? bar + 1 : e;
    }
    return n;
}

/* Whether [s, e) has upper-case letters and no lower-case ones (an anchor). */
static int all_upper(const char *s, const char *e)
{
    int upper = 0;
    for (; s < e; s++) {
        if (dy_islower(*s)) return 0;
        if (dy_isupper(*s)) upper = 1;
    }
    return upper;
}

/* Reads one event code of a pattern: "185", "---" or nothing (no event), or, when the dict
 * accepts opaque codes, a code of another ontology. *out gets the cameo index or UINT32_MAX.
 * Returns 0, 1 when the line is to be skipped (defect reported), -1 (strict) or -2 (OOM). */
static int pattern_code(dyad_dict *d, src_pos at, const char *s, size_t n, uint32_t *out)
{
    *out = UINT32_MAX;
    if (n == 0 || (n == 3 && !memcmp(s, "---", 3))) return 0;
    uint32_t cam = cameo_index(d, s, n);
    if (cam == UINT32_MAX - 1 && d->opaque_codes && n < 6) {
        /* another ontology's code (PETRARCH's WEIS-era tests): kept as an opaque string */
        if (GROW(d, cameo, ncameo, cameo_cap)) return -2;
        dy_cameo *c = &d->cameo[d->ncameo];
        memset(c, 0, sizeof *c);
        memcpy(c->code, s, n);
        c->opaque = 1;
        cam = d->ncameo++;
    }
    if (cam == UINT32_MAX - 1) return defect(d, at, "unknown CAMEO code '%.*s'", (int)n, s) ? -1 : 1;
    *out = cam;
    return 0;
}

/* Parses one element [w, q) of a pattern into x (optional '?' already removed). Returns 0,
 * 1 when the line is to be skipped (defect reported), -1 (strict) or -2 (OOM). */
static int pattern_element(dyad_dict *d, src_pos at, const char *w, const char *q, dy_pelem *x)
{
    size_t wn = (size_t)(q - w);
    uint32_t ids[64];
    int k = 0;
    x->set = UINT32_MAX;
    if (wn == 1 && *w == '$') x->kind = PE_SRC;
    else if (wn == 1 && *w == '+') x->kind = PE_TGT;
    else if (wn == 1 && *w == '-') x->kind = PE_OTHER;
    else if (wn == 1 && *w == '%') x->kind = PE_COMPOUND;
    else if (wn == 1 && *w == '^') x->kind = PE_NP;
    else if (wn == 3 && !memcmp(w, "...", 3)) x->kind = PE_GAP;
    else if (wn > 2 && w[0] == '*' && w[1] == '&') { /* the anchor is a member of a set */
        x->kind = PE_ANCHOR;
        x->setname = dy_arena_strndup(&d->mem, w + 1, wn - 1);
        if (!x->setname) return -2;
    } else if (*w == '&') {
        if (wn < 2) return defect(d, at, "empty set name") ? -1 : 1;
        x->kind = PE_SET;
        x->setname = dy_arena_strndup(&d->mem, w, wn);
        if (!x->setname) return -2;
    } else if (*w == '{') {
        if (wn < 2 || q[-1] != '}') return defect(d, at, "unclosed '{'") ? -1 : 1;
        k = alt_words(d, w + 1, q - 1, ids, 64, &x->exact);
        if (k <= 0) return defect(d, at, "bad alternatives '%.*s'", (int)wn, w) ? -1 : 1;
        x->kind = all_upper(w, q) ? PE_ANCHOR : PE_ALT;
    } else {
        if (wn >= 2 && *w == '"' && q[-1] == '"') {
            w++;
            q--;
            wn -= 2;
            x->exact = 1;
        }
        char buf[DY_WORD_MAX];
        size_t bn = memchr(w, '"', wn) ? 0 : word_norm(w, wn, buf, sizeof buf);
        if (!bn) return defect(d, at, "bad element '%.*s'", (int)wn, w) ? -1 : 1;
        ids[0] = word_add(d, buf, bn);
        if (!ids[0]) return -2;
        k = 1;
        x->kind = all_upper(w, q) ? PE_ANCHOR : PE_WORD;
    }
    x->nw = (uint16_t)k;
    if (k) {
        x->w = dy_arena_alloc(&d->mem, (size_t)k * sizeof *ids);
        if (!x->w) return -2;
        memcpy(x->w, ids, (size_t)k * sizeof *ids);
    }
    return 0;
}

/* The end of the element chunk starting at p: up to white space, with {...} and "..." kept
 * whole. */
static const char *chunk_end(const char *p, const char *e)
{
    int brace = 0, quote = 0;
    for (; p < e; p++) {
        if (*p == '"') quote = !quote;
        else if (!quote && *p == '{') brace = 1;
        else if (!quote && *p == '}') brace = 0;
        else if (!quote && !brace && dy_isspace(*p)) break;
    }
    return p;
}

/* The end of the next element inside a chunk: up to a '~' outside {...} and "...". */
static const char *piece_end(const char *p, const char *e)
{
    int brace = 0, quote = 0;
    for (; p < e; p++) {
        if (*p == '"') quote = !quote;
        else if (!quote && *p == '{') brace = 1;
        else if (!quote && *p == '}') brace = 0;
        else if (!quote && !brace && *p == '~') break;
    }
    return p;
}

static int parse_pattern_line(dyad_dict *d, src_pos at, const char *s, const char *e)
{
    const char *ce = s;
    while (ce < e && !dy_isspace(*ce)) ce++;
    /* CODE, CODE:CODE2 (the other side's event: source and target swapped) or :CODE2 */
    const char *colon = memchr(s, ':', (size_t)(ce - s));
    uint32_t cam, cam2 = UINT32_MAX;
    int rc = pattern_code(d, at, s, (size_t)((colon ? colon : ce) - s), &cam);
    if (!rc && colon) rc = pattern_code(d, at, colon + 1, (size_t)(ce - colon - 1), &cam2);
    if (rc) return rc > 0 ? 0 : rc;
    if (colon && colon == s && ce == colon + 1) return defect(d, at, "no code around ':'");
    dy_pelem el[40];
    int nel = 0, anchor = -1, weight = 0, has_src = 0, has_tgt = 0, tgt_before = 0;
    const char *mode = NULL, *context = NULL;
    const char *p = skip_ws(ce, e), *ptext = p;
    const char *pend = e;
    while ((p = skip_ws(p, e)) < e) {
        const char *q = chunk_end(p, e);
        size_t n = (size_t)(q - p);
        if (n > 5 && !memcmp(p, "mode=", 5)) {
            mode = dy_arena_strndup(&d->mem, p + 5, n - 5);
            if (pend == e) pend = p;
            p = q;
            continue;
        }
        if (n > 8 && !memcmp(p, "context=", 8)) {
            context = dy_arena_strndup(&d->mem, p + 8, n - 8);
            if (pend == e) pend = p;
            p = q;
            continue;
        }
        for (const char *w = p; w < q;) {
            const char *we = piece_end(w, q);
            if (nel >= 40) return defect(d, at, "pattern has more than 40 elements");
            dy_pelem *x = &el[nel];
            memset(x, 0, sizeof *x);
            x->adjacent = w > p;
            const char *ws = w;
            if (*ws == '?' && we - ws > 1) {
                x->optional = 1;
                ws++;
            }
            if (we == ws) return defect(d, at, "empty element around '~'");
            int erc = pattern_element(d, at, ws, we, x);
            if (erc) return erc > 0 ? 0 : erc;
            if (x->kind == PE_ANCHOR) {
                if (anchor >= 0) return defect(d, at, "two anchors ('%.*s')", (int)(we - ws), ws);
                if (x->optional) return defect(d, at, "the anchor cannot be optional");
                anchor = nel;
            }
            if (x->kind == PE_SRC) has_src = 1;
            if (x->kind == PE_TGT) {
                has_tgt = 1;
                if (anchor < 0) tgt_before = 1;
            }
            if (x->kind == PE_ANCHOR || x->kind == PE_WORD || x->kind == PE_ALT || x->kind == PE_SET)
                weight++;
            nel++;
            w = we < q ? we + 1 : q;
        }
        p = q;
    }
    if (anchor < 0) return defect(d, at, "no anchor (an UPPER-CASE word)");
    if (GROW(d, patterns, npattern, pattern_cap)) return -2;
    dy_pattern *pt = &d->patterns[d->npattern];
    memset(pt, 0, sizeof *pt);
    pt->cameo = cam;
    pt->cameo2 = cam2;
    pt->el = dy_arena_alloc(&d->mem, (size_t)nel * sizeof *el);
    if (!pt->el) return -2;
    memcpy(pt->el, el, (size_t)nel * sizeof *el);
    pt->nel = (uint16_t)nel;
    pt->anchor = (uint16_t)anchor;
    pt->weight = (uint16_t)weight;
    pt->has_src = (uint8_t)has_src;
    pt->has_tgt = (uint8_t)has_tgt;
    pt->tgt_before = (uint8_t)tgt_before;
    pt->mode = mode;
    pt->context = context;
    pt->text = dy_arena_strndup(&d->mem, ptext, (size_t)(trim_end(ptext, pend) - ptext));
    pt->file = at.file;
    pt->line = at.line;
    d->npattern++;
    return 0;
}

/* ==== discards =========================================================================== */

/* "PHRASE" voids the sentence that contains it, "PHRASE => story" the whole story; a word
 * written "word*" matches every word that begins with it. */
static int parse_discard_line(dyad_dict *d, src_pos at, const char *s, const char *e)
{
    const char *arrow = find(s, e, "=>");
    int story = 0;
    if (arrow) {
        const char *k = skip_ws(arrow + 2, e);
        if (trim_end(k, e) - k != 5 || memcmp(k, "story", 5))
            return defect(d, at, "want 'PHRASE' or 'PHRASE => story'");
        story = 1;
        e = trim_end(s, arrow);
    }
    uint32_t w[32], prefix = 0;
    int n = 0;
    for (const char *p = skip_ws(s, e); p < e; p = skip_ws(p, e)) {
        const char *q = p;
        while (q < e && !dy_isspace(*q)) q++;
        const char *we = q;
        int star = we - p > 1 && we[-1] == '*';
        if (star) we--;
        char buf[DY_WORD_MAX];
        size_t k = word_norm(p, (size_t)(we - p), buf, sizeof buf);
        if (!k || n >= 32) return defect(d, at, "bad discard phrase");
        if (star) prefix |= 1u << n;
        if (star && k > 63) return defect(d, at, "prefix word longer than 63 bytes");
        w[n] = word_add(d, buf, k);
        if (!w[n]) return -2;
        n++;
        p = q;
    }
    if (!n) return defect(d, at, "empty discard phrase");
    if (GROW(d, discards, ndiscard, discard_cap)) return -2;
    dy_discard *x = &d->discards[d->ndiscard];
    x->w = dy_arena_alloc(&d->mem, (size_t)n * sizeof *w);
    if (!x->w) return -2;
    memcpy(x->w, w, (size_t)n * sizeof *w);
    x->n = (uint16_t)n;
    x->prefix = prefix;
    x->story = (uint8_t)story;
    x->file = at.file;
    x->line = at.line;
    d->ndiscard++;
    return 0;
}

/* ==== files ============================================================================== */


/* Loads one dictionary text of the given kind; name labels defects. */
int dy_dict_load_text(dyad_dict *d, const char *name, const char *s, size_t n, int kind,
                      dyad_error *err)
{
    const char *file = dy_arena_strndup(&d->mem, name, strlen(name));
    if (!file) {
        if (err) {
            err->code = DYAD_ENOMEM;
            snprintf(err->message, sizeof err->message, "out of memory loading %s", name);
        }
        return DYAD_ENOMEM;
    }
    return dy_dict_load_text_at(d, file, 1, s, n, kind, err);
}

int dy_dict_load_text_at(dyad_dict *d, const char *file, uint32_t first_line, const char *s,
                         size_t n, int kind, dyad_error *err)
{
    const char *name = file;
    src_pos at = {file, first_line ? first_line - 1 : 0};
    const char *end = s + n;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end;
        at.line++;
        const char *hash = memchr(s, '#', (size_t)(le - s));
        const char *ce = trim_end(s, hash ? hash : le);
        const char *cs = skip_ws(s, ce);
        int rc = 0;
        if (cs < ce) {
            /* reject bytes that are not UTF-8 text */
            int bad = 0;
            for (const char *c = cs; c < ce;) {
                int32_t cp;
                int l = dy_utf8_decode((const unsigned char *)c, (size_t)(ce - c), &cp);
                if (cp < 0) bad = 1;
                c += l;
            }
            if (bad) rc = defect(d, at, "invalid UTF-8; line skipped");
            else if (kind == K_CAMEO) rc = parse_cameo_line(d, at, cs, ce);
            else if (kind == K_ACTORS) rc = parse_actor_line(d, at, cs, ce);
            else if (kind == K_AGENTS) rc = parse_agent_line(d, at, cs, ce);
            else if (kind == K_DISCARDS) rc = parse_discard_line(d, at, cs, ce);
            else if (*cs == '&') rc = parse_set_line(d, at, cs, ce);
            else rc = parse_pattern_line(d, at, cs, ce);
        }
        if (rc == -2 || d->mem.failed) goto oom; /* also a word or string lost to OOM */
        if (rc) {
            if (err) {
                err->code = DYAD_EDICT;
                snprintf(err->file, sizeof err->file, "%s", name);
                err->line = at.line;
                err->column = 0;
                snprintf(err->message, sizeof err->message, "malformed dictionary line (strict)");
            }
            return DYAD_EDICT;
        }
        s = nl ? nl + 1 : end;
    }
    return DYAD_OK;
oom:
    if (err) {
        err->code = DYAD_ENOMEM;
        snprintf(err->message, sizeof err->message, "out of memory loading %s", name);
    }
    return DYAD_ENOMEM;
}

/* The kind of a dictionary file from its path inside a dict tree ("actors/x.txt"). */
static int kind_of(const char *rel)
{
    if (!strcmp(rel, "cameo.txt")) return K_CAMEO;
    if (!strncmp(rel, "actors/", 7)) return K_ACTORS;
    if (!strncmp(rel, "agents/", 7)) return K_AGENTS;
    if (!strncmp(rel, "verbs/", 6)) return K_VERBS;
    if (!strncmp(rel, "discards/", 9)) return K_DISCARDS;
    return 0;
}

static int kind_named(const char *kind)
{
    if (!strcmp(kind, "cameo")) return K_CAMEO;
    if (!strcmp(kind, "actors")) return K_ACTORS;
    if (!strcmp(kind, "agents")) return K_AGENTS;
    if (!strcmp(kind, "verbs")) return K_VERBS;
    if (!strcmp(kind, "discards")) return K_DISCARDS;
    return 0;
}

dyad_dict *dyad_dict_new(dyad_diag_fn diag, void *ctx, int strict)
{
    dyad_dict *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->serial = __atomic_add_fetch(&serials, 1, __ATOMIC_RELAXED);
    dy_arena_init(&d->mem, 0);
    d->diag = diag;
    d->diag_ctx = ctx;
    d->strict = strict;
    if (dy_lemma_init()) {
        free(d);
        return NULL;
    }
    return d;
}

int dy_dict_load_builtin_kind(dyad_dict *d, int kind, dyad_error *err)
{
    for (const struct dy_blob *b = dy_dict_blobs; b->name; b++) {
        if (kind_of(b->name) != kind) continue;
        char name[300];
        snprintf(name, sizeof name, "dict/%s", b->name);
        int rc = dy_dict_load_text(d, name, (const char *)b->data, b->len, kind, err);
        if (rc) return rc;
    }
    return DYAD_OK;
}

/* The CAMEO table must be read before patterns name codes: load order cameo, actors, agents,
 * verbs, discards. */
int dyad_dict_load_builtin(dyad_dict *d, dyad_error *err)
{
    for (int pass = K_CAMEO; pass <= K_DISCARDS; pass++) {
        int rc = dy_dict_load_builtin_kind(d, pass, err);
        if (rc) return rc;
    }
    return DYAD_OK;
}

static int read_file(const char *path, char **out, size_t *n, dyad_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) goto fail;
    dy_buf b = {0};
    char tmp[65536];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0) dy_buf_put(&b, tmp, k);
    int bad = ferror(f);
    fclose(f);
    if (bad || b.oom) {
        dy_buf_free(&b);
        goto fail;
    }
    dy_buf_nul(&b);
    *out = b.p ? b.p : calloc(1, 1);
    *n = b.n;
    return DYAD_OK;
fail:
    if (err) {
        err->code = DYAD_EIO;
        snprintf(err->file, sizeof err->file, "%s", path);
        err->line = err->column = 0;
        snprintf(err->message, sizeof err->message, "cannot read: %s", strerror(errno));
    }
    return DYAD_EIO;
}

int dyad_dict_load_file(dyad_dict *d, const char *path, const char *kind, dyad_error *err)
{
    if (kind && !strcmp(kind, "petrarch")) return dy_petrarch_load_path(d, path, err);
    int k = kind ? kind_named(kind) : 0;
    if (!k) {
        if (err) {
            err->code = DYAD_EUSAGE;
            snprintf(err->message, sizeof err->message, "unknown dictionary kind '%s'",
                     kind ? kind : "(null)");
        }
        return DYAD_EUSAGE;
    }
    char *text;
    size_t n;
    int rc = read_file(path, &text, &n, err);
    if (rc) return rc;
    rc = dy_dict_load_text(d, path, text, n, k, err);
    free(text);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int dyad_dict_load_dir(dyad_dict *d, const char *dir, dyad_error *err)
{
    struct stat dst;
    if (stat(dir, &dst) == 0 && S_ISREG(dst.st_mode)) return dy_petrarch_load_path(d, dir, err);
    static const char *sub[] = {"", "actors", "agents", "verbs", "discards"};
    static const char *kinds[] = {"cameo", "actors", "agents", "verbs", "discards"};
    char path[4096];
    int found = 0;
    for (int i = 0; i < 5; i++) {
        if (i == 0) {
            snprintf(path, sizeof path, "%s/cameo.txt", dir);
            struct stat st;
            if (stat(path, &st) == 0) {
                int rc = dyad_dict_load_file(d, path, "cameo", err);
                if (rc) return rc;
                found++;
            }
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", dir, sub[i]);
        DIR *dp = opendir(path);
        if (!dp) continue;
        char *names[4096];
        int nn = 0;
        struct dirent *de;
        while ((de = readdir(dp)) && nn < 4096) {
            size_t l = strlen(de->d_name);
            if (l > 4 && !strcmp(de->d_name + l - 4, ".txt")) names[nn++] = strdup(de->d_name);
        }
        closedir(dp);
        qsort(names, (size_t)nn, sizeof *names, cmp_str);
        int rc = 0;
        for (int j = 0; j < nn; j++) {
            if (!rc && names[j]) {
                snprintf(path, sizeof path, "%s/%s/%s", dir, sub[i], names[j]);
                rc = dyad_dict_load_file(d, path, kinds[i], err);
                found++;
            }
            free(names[j]);
        }
        if (rc) return rc;
    }
    /* PETRARCH's files (CAMEO.2.0.txt, *.verbs.txt, *.actors.txt, ...) in DIR itself */
    int rc = dy_petrarch_load_dir(d, dir, &found, err);
    if (rc) return rc;
    if (!found) {
        if (err) {
            err->code = DYAD_EDICT;
            snprintf(err->file, sizeof err->file, "%s", dir);
            snprintf(err->message, sizeof err->message,
                     "no dictionaries found (want cameo.txt, actors/, agents/, verbs/, or "
                     "PETRARCH files)");
        }
        return DYAD_EDICT;
    }
    return DYAD_OK;
}

/* ==== indexes ============================================================================ */

/* Builds a CSR index: for each word id w, idx[head[w]..head[w+1]) lists the items whose key
 * is w. keys[i] is item i's key. */
static int build_csr(uint32_t nword, const uint32_t *keys, uint32_t nitem, uint32_t **head,
                     uint32_t **idx)
{
    *head = calloc((size_t)nword + 2, sizeof **head);
    *idx = malloc(((size_t)nitem + 1) * sizeof **idx);
    if (!*head || !*idx) return -1;
    for (uint32_t i = 0; i < nitem; i++) (*head)[keys[i] + 1]++;
    for (uint32_t w = 0; w <= nword; w++) (*head)[w + 1] += (*head)[w];
    uint32_t *fill = malloc(((size_t)nword + 1) * sizeof *fill);
    if (!fill) return -1;
    memcpy(fill, *head, ((size_t)nword + 1) * sizeof *fill);
    for (uint32_t i = 0; i < nitem; i++) (*idx)[fill[keys[i]]++] = i;
    free(fill);
    return 0;
}

/* Set members by first word id. */
static int cmp_first_word(const void *a, const void *b)
{
    const dy_phrase *x = a, *y = b;
    return x->w[0] < y->w[0] ? -1 : x->w[0] > y->w[0];
}

void dy_dict_country_bits(dyad_dict *d)
{
    memset(d->country_bits, 0, sizeof d->country_bits);
    for (uint32_t i = 0; i < d->ncountry; i++) {
        int b = country_bit(d->countries[i]);
        if (b >= 0) d->country_bits[b >> 3] |= (uint8_t)(1 << (b & 7));
    }
}

int dy_dict_derived_index(dyad_dict *d)
{
    dy_dict_country_bits(d);
    free(d->anchor_ref);
    uint32_t n = d->anchor_head[d->nword + 1];
    d->anchor_ref = malloc(((size_t)n + 1) * sizeof *d->anchor_ref);
    if (!d->anchor_ref) return -1;
    for (uint32_t j = 0; j < n; j++) {
        const dy_pattern *p = &d->patterns[d->anchor_idx[j]];
        dy_anchor_ref *r = &d->anchor_ref[j];
        r->pattern = d->anchor_idx[j];
        r->usable = p->weight != 0;
        r->exact = p->el[p->anchor].exact;
        r->first = p->anchor == 0;
        r->explicit_after = p->explicit_after;
        r->set_anchor = p->el[p->anchor].setname != NULL;
    }
    return dy_vcond_build(d);
}

/* What the comparators below sort by: qsort passes them no context, so the dict (and the
 * patterns' slot counts) being finished are handed over in these, one per thread, so that
 * dicts finished on several threads at once do not read each other's. */
static __thread const dyad_dict *sort_dict;
/* Longer phrases first, so the first match found is the longest. */
static int cmp_phrase_len(const void *a, const void *b)
{
    const dy_phrase *x = &sort_dict->phrases[*(const uint32_t *)a];
    const dy_phrase *y = &sort_dict->phrases[*(const uint32_t *)b];
    /* by second word first (one-word phrases first), so a token finds the phrases that go on
     * with the next token by binary search (actors.c): "PRESIDENT" starts hundreds */
    uint32_t sx = x->n > 1 ? x->w[1] : 0, sy = y->n > 1 ? y->w[1] : 0;
    if (sx != sy) return sx < sy ? -1 : 1;
    if (x->n != y->n) return y->n - x->n;
    return (int)(*(const uint32_t *)a) - (int)(*(const uint32_t *)b);
}
static __thread const uint8_t *sort_slots; /* pattern -> its slot count, while sorting */

/* Actor slots ($ + - %) a pattern places: among equally heavy patterns, more is more specific. */
static int pattern_slots(const dy_pattern *p)
{
    int n = 0;
    for (uint16_t k = 0; k < p->nel; k++)
        n += p->el[k].kind == PE_SRC || p->el[k].kind == PE_TGT || p->el[k].kind == PE_OTHER ||
             p->el[k].kind == PE_COMPOUND;
    return n;
}

/* Heavier (more specific) patterns first; then those that place more actors; then file order. */
static int cmp_pattern_weight(const void *a, const void *b)
{
    const dy_pattern *x = &sort_dict->patterns[*(const uint32_t *)a];
    const dy_pattern *y = &sort_dict->patterns[*(const uint32_t *)b];
    if (x->weight != y->weight) return y->weight - x->weight;
    int sx = sort_slots ? sort_slots[*(const uint32_t *)a] : pattern_slots(x);
    int sy = sort_slots ? sort_slots[*(const uint32_t *)b] : pattern_slots(y);
    if (sx != sy) return sy - sx;
    return (int)(*(const uint32_t *)a) - (int)(*(const uint32_t *)b);
}

/* Finds a set by name through tab, an open-addressing table of set index + 1 (cap a power of
 * two) that set_table builds; the first of two sets of one name wins. */
static uint32_t set_find(const dyad_dict *d, const uint32_t *tab, uint32_t cap, const char *name)
{
    size_t n = strlen(name);
    for (uint32_t i = (uint32_t)dy_hash(name, n) & (cap - 1);; i = (i + 1) & (cap - 1)) {
        if (!tab[i]) return UINT32_MAX;
        if (!strcmp(d->sets[tab[i] - 1].name, name)) return tab[i] - 1;
    }
}

static uint32_t *set_table(const dyad_dict *d, uint32_t *cap)
{
    uint32_t c = 16;
    while (c < d->nset * 2 + 2) c *= 2;
    uint32_t *tab = calloc(c, sizeof *tab);
    if (!tab) return NULL;
    for (uint32_t k = 0; k < d->nset; k++) {
        const char *name = d->sets[k].name;
        uint32_t i = (uint32_t)dy_hash(name, strlen(name)) & (c - 1);
        while (tab[i] && strcmp(d->sets[tab[i] - 1].name, name)) i = (i + 1) & (c - 1);
        if (!tab[i]) tab[i] = k + 1;
    }
    *cap = c;
    return tab;
}

#define W(field, str) d->field = word_add(d, str, strlen(str))

int dyad_dict_finish(dyad_dict *d, dyad_error *err)
{
    d->serial = __atomic_add_fetch(&serials, 1, __ATOMIC_RELAXED); /* new words: old tags are stale */
    /* words the coder looks at */
    W(w_the, "the"); W(w_a, "a"); W(w_an, "an"); W(w_by, "by"); W(w_of, "of"); W(w_to, "to");
    W(w_and, "and"); W(w_or, "or"); W(w_that, "that"); W(w_which, "which"); W(w_who, "who");
    W(w_be, "be"); W(w_not, "not"); W(w_nt, "n't"); W(w_never, "never"); W(w_no, "no");
    W(w_if, "if"); W(w_unless, "unless"); W(w_would, "would"); W(w_could, "could");
    W(w_might, "might"); W(w_may, "may"); W(w_should, "should"); W(w_he, "he");
    W(w_she, "she"); W(w_him, "him"); W(w_her, "her"); W(w_we, "we"); W(w_i, "i");
    W(w_us, "us"); W(w_our, "our"); W(w_they, "they"); W(w_them, "them"); W(w_it, "it");
    W(w_say, "say"); W(w_tell, "tell"); W(w_add, "add"); W(w_deny, "deny");
    W(w_refuse, "refuse"); W(w_fail, "fail"); W(w_decline, "decline"); W(w_in, "in");
    W(w_from, "from"); W(w_with, "with"); W(w_get, "get"); W(w_his, "his");
    W(w_their, "their"); W(w_its, "its"); W(w_my, "my"); W(w_me, "me"); W(w_nor, "nor");
    W(w_neither, "neither"); W(w_whether, "whether"); W(w_will, "will"); W(w_pro, "pro");
    W(w_state, "state"); W(w_write, "write"); W(w_comment, "comment"); W(w_tweet, "tweet");
    W(w_according, "according"); W(w_on, "on"); W(w_at, "at"); W(w_for, "for");
    W(w_against, "against"); W(w_into, "into"); W(w_over, "over"); W(w_was, "was");
    W(w_were, "were"); W(w_is, "is"); W(w_are, "are"); W(w_been, "been");
    W(w_being, "being"); W(w_have, "have"); W(w_had, "had"); W(w_has, "has"); W(w_do, "do");
    W(w_did, "did"); W(w_does, "does");
    if (d->mem.failed) { /* a word (or a string while loading) was lost to OOM */
        if (err) {
            err->code = DYAD_ENOMEM;
            snprintf(err->message, sizeof err->message, "out of memory building indexes");
        }
        return DYAD_ENOMEM;
    }
    /* resolve set names */
    uint32_t stab_cap = 0, *stab = set_table(d, &stab_cap);
    if (!stab) {
        if (err) {
            err->code = DYAD_ENOMEM;
            snprintf(err->message, sizeof err->message, "out of memory building indexes");
        }
        return DYAD_ENOMEM;
    }
    for (uint32_t i = 0; i < d->npattern; i++) {
        dy_pattern *p = &d->patterns[i];
        for (uint16_t k = 0; k < p->nel; k++)
            if (p->el[k].kind == PE_SET || (p->el[k].kind == PE_ANCHOR && p->el[k].setname)) {
                p->el[k].set = set_find(d, stab, stab_cap, p->el[k].setname);
                if (p->el[k].set == UINT32_MAX) {
                    src_pos at = {p->file, p->line};
                    if (defect(d, at, "word set %s is not defined", p->el[k].setname)) {
                        if (err) {
                            err->code = DYAD_EDICT;
                            snprintf(err->file, sizeof err->file, "%s", p->file);
                            err->line = p->line;
                            snprintf(err->message, sizeof err->message, "undefined word set");
                        }
                        free(stab);
                        return DYAD_EDICT;
                    }
                    p->weight = 0; /* never matches: see verbs.c */
                }
            }
    }
    free(stab);
    /* what verbs.c tests of each element and pattern before matching it */
    for (uint32_t i = 0; i < d->npattern; i++) {
        dy_pattern *p = &d->patterns[i];
        p->explicit_after = 0;
        for (uint16_t k = 0; k < p->nel; k++) {
            dy_pelem *m = &p->el[k];
            m->mask = 0;
            for (uint16_t a = 0; a < m->nw; a++) m->mask |= (uint64_t)1 << (m->w[a] & 63);
            if (m->kind == PE_SET && m->set != UINT32_MAX) /* a member starts with one of these */
                for (uint32_t j = 0; j < d->sets[m->set].nphrase; j++) {
                    const dy_phrase *ph = &d->set_phrases[d->sets[m->set].phrase0 + j];
                    m->mask |= ph->n ? (uint64_t)1 << (ph->w[0] & 63) : ~(uint64_t)0;
                }
        }
        for (uint16_t k = 0; k < p->nel; k++) {
            const dy_pelem *e = &p->el[k];
            if (k > p->anchor && (e->kind == PE_SRC || e->kind == PE_TGT)) p->explicit_after = 1;
        }
    }
    /* each set's members sorted by first word, so a token finds its members by binary search
     * (verbs.c set_at) instead of trying every member */
    for (uint32_t i = 0; i < d->nset; i++)
        if (d->sets[i].nphrase > 1)
            qsort(d->set_phrases + d->sets[i].phrase0, d->sets[i].nphrase, sizeof *d->set_phrases, cmp_first_word);
    /* an anchor set is exact when every member is; its members must be single words */
    size_t nkeys = d->nphrase + d->ndiscard + 1;
    for (uint32_t i = 0; i < d->npattern; i++) {
        dy_pelem *a = &d->patterns[i].el[d->patterns[i].anchor];
        if (a->setname && a->set != UINT32_MAX) {
            const dy_set *st = &d->sets[a->set];
            a->exact = 1;
            for (uint32_t k = 0; k < st->nphrase; k++)
                if (!(d->set_phrases[st->phrase0 + k].exact & 1)) a->exact = 0;
            nkeys += st->nphrase;
        } else
            nkeys += a->nw;
    }
    uint32_t *keys = malloc(nkeys * sizeof *keys);
    if (!keys) goto oom;
    for (uint32_t i = 0; i < d->nphrase; i++) keys[i] = d->phrases[i].w[0];
    free(d->phrase_head);
    free(d->phrase_idx);
    if (build_csr(d->nword, keys, d->nphrase, &d->phrase_head, &d->phrase_idx)) goto oom;
    sort_dict = d;
    for (uint32_t w = 0; w < d->nword; w++) {
        uint32_t a = d->phrase_head[w], b = d->phrase_head[w + 1];
        if (b - a > 1) qsort(d->phrase_idx + a, b - a, sizeof *d->phrase_idx, cmp_phrase_len);
    }
    /* pattern index by anchor word: one key per alternative or set member */
    uint32_t nk = 0;
    uint32_t *owner = malloc(nkeys * sizeof *owner);
    if (!owner) goto oom;
    for (uint32_t i = 0; i < d->npattern; i++) {
        const dy_pelem *a = &d->patterns[i].el[d->patterns[i].anchor];
        if (a->setname) {
            if (a->set == UINT32_MAX) continue;
            const dy_set *st = &d->sets[a->set];
            for (uint32_t k = 0; k < st->nphrase; k++) {
                const dy_phrase *ph = &d->set_phrases[st->phrase0 + k];
                if (ph->n != 1) {
                    src_pos at = {d->patterns[i].file, d->patterns[i].line};
                    defect(d, at, "anchor set %s has a member of several words; it is skipped", a->setname);
                    continue;
                }
                keys[nk] = ph->w[0];
                owner[nk++] = i;
            }
        } else
            for (uint16_t k = 0; k < a->nw; k++) {
                keys[nk] = a->w[k];
                owner[nk++] = i;
            }
    }
    free(d->anchor_head);
    free(d->anchor_idx);
    if (build_csr(d->nword, keys, nk, &d->anchor_head, &d->anchor_idx)) {
        free(owner);
        goto oom;
    }
    for (uint32_t j = 0; j < nk; j++) d->anchor_idx[j] = owner[d->anchor_idx[j]];
    free(owner);
    uint8_t *slots = malloc((size_t)d->npattern + 1);
    for (uint32_t i = 0; slots && i < d->npattern; i++) slots[i] = (uint8_t)pattern_slots(&d->patterns[i]);
    sort_slots = slots;
    for (uint32_t w = 0; w < d->nword; w++) {
        uint32_t a = d->anchor_head[w], b = d->anchor_head[w + 1];
        if (b - a > 1) qsort(d->anchor_idx + a, b - a, sizeof *d->anchor_idx, cmp_pattern_weight);
    }
    sort_slots = NULL;
    free(slots);
    /* discards by first word; the lengths of prefix first words */
    memset(d->discard_lens, 0, sizeof d->discard_lens);
    memset(d->discard_tri, 0, sizeof d->discard_tri);
    for (uint32_t i = 0; i < d->ndiscard; i++) {
        keys[i] = d->discards[i].w[0];
        const char *w0 = dy_word_str(d, keys[i]);
        if (d->discards[i].prefix & 1) {
            d->discard_lens[(unsigned char)w0[0]] |= (uint64_t)1 << strlen(w0);
            if (strlen(w0) >= 3) d->discard_tri[dy_tri_hash(w0) >> 6] |= (uint64_t)1 << (dy_tri_hash(w0) & 63);
        }
    }
    free(d->discard_head);
    free(d->discard_idx);
    if (build_csr(d->nword, keys, d->ndiscard, &d->discard_head, &d->discard_idx)) goto oom;
    free(keys);
    if (dy_dict_derived_index(d)) {
        keys = NULL;
        goto oom;
    }
    d->finished = 1;
    return DYAD_OK;
oom:
    free(keys);
    if (err) {
        err->code = DYAD_ENOMEM;
        snprintf(err->message, sizeof err->message, "out of memory building indexes");
    }
    return DYAD_ENOMEM;
}

size_t dyad_dict_count(const dyad_dict *d, const char *what)
{
    if (!d || !what) return 0;
    if (!strcmp(what, "actors")) return d->nactor;
    if (!strcmp(what, "agents")) return d->nagent;
    if (!strcmp(what, "patterns")) return d->npattern;
    if (!strcmp(what, "codes")) return d->ncameo;
    if (!strcmp(what, "sets")) return d->nset;
    if (!strcmp(what, "defects")) return d->defects;
    if (!strcmp(what, "discards")) return d->ndiscard;
    if (!strcmp(what, "issues")) return d->nissue;
    if (!strcmp(what, "words")) return d->nword;
    if (!strcmp(what, "reachable") || !strcmp(what, "roots")) {
        /* distinct CAMEO codes (or roots) that some pattern yields */
        size_t n = 0;
        for (uint32_t c = 0; c < d->ncameo; c++) {
            int root = !strcmp(what, "roots");
            if (root && strlen(d->cameo[c].code) != 2) continue;
            int hit = 0;
            for (uint32_t p = 0; p < d->npattern && !hit; p++) {
                if (d->patterns[p].cameo == UINT32_MAX) continue;
                const char *pc = d->cameo[d->patterns[p].cameo].code;
                hit = root ? !strncmp(pc, d->cameo[c].code, 2) : d->patterns[p].cameo == c;
            }
            n += (size_t)hit;
        }
        return n;
    }
    if (!strcmp(what, "leader_countries")) {
        /* countries with a dated head of state or government */
        char seen[400][4];
        size_t n = 0;
        uint32_t hs = UINT32_MAX, hg = UINT32_MAX;
        for (uint32_t t = 0; t < d->ntitle; t++) {
            if (!strcmp(d->titles[t], "head_of_state")) hs = t;
            if (!strcmp(d->titles[t], "head_of_government")) hg = t;
        }
        for (uint32_t r = 0; r < d->nrole; r++) {
            const dy_role *ro = &d->roles[r];
            int lead = (hs != UINT32_MAX && (ro->titles & ((dy_titleset)1 << hs))) ||
                       (hg != UINT32_MAX && (ro->titles & ((dy_titleset)1 << hg)));
            if (!lead || !ro->dated) continue;
            size_t k;
            for (k = 0; k < n; k++)
                if (!memcmp(seen[k], ro->code, 3)) break;
            if (k == n && n < 400) {
                memcpy(seen[n], ro->code, 3);
                seen[n++][3] = 0;
            }
        }
        return n;
    }
    if (!strcmp(what, "phrases")) return d->nphrase;
    return 0;
}

void dyad_dict_free(dyad_dict *d)
{
    if (!d) return;
    dy_image_release(d); /* first: it forgets the arrays that point into the image */
    free(d->anchor_ref);
    dy_vcond_free(&d->vc);
    free(d->pool);
    free(d->word_off);
    free(d->vtab);
    free(d->cameo);
    free(d->roles);
    free(d->actors);
    free(d->agents);
    free(d->phrases);
    free(d->sets);
    free(d->set_phrases);
    free(d->patterns);
    free(d->phrase_head);
    free(d->phrase_idx);
    free(d->anchor_head);
    free(d->anchor_idx);
    free(d->set_head);
    free(d->set_idx);
    free(d->discards);
    free(d->discard_head);
    free(d->discard_idx);
    dy_arena_fini(&d->mem);
    free(d);
}

/* ==== lookup (dyad dict lookup) ========================================================== */

static void print_role(const dyad_dict *d, const dy_role *r, FILE *out)
{
    fprintf(out, " %s", r->code);
    if (r->dated) {
        fprintf(out, " ");
        if (r->from) fprintf(out, "%04d-%02d-%02d", r->from / 10000, r->from / 100 % 100, r->from % 100);
        fprintf(out, "..");
        if (r->to) fprintf(out, "%04d-%02d-%02d", r->to / 10000, r->to / 100 % 100, r->to % 100);
    }
    for (uint32_t t = 0; t < d->ntitle; t++)
        if (r->titles & ((dy_titleset)1 << t)) fprintf(out, " @%s", d->titles[t]);
}

int dyad_dict_lookup(const dyad_dict *d, const char *phrase, const char *date, FILE *out)
{
    if (!d || !phrase || !out || !d->finished) return DYAD_EUSAGE;
    uint32_t w[64], lem[64];
    int n = 0;
    const char *s = phrase;
    char buf[DY_WORD_MAX], cand[6][DY_WORD_MAX];
    while (*s && n < 64) {
        while (*s == ' ') s++;
        const char *e = s;
        while (*e && *e != ' ') e++;
        if (e == s) break;
        size_t k = word_norm(s, (size_t)(e - s), buf, sizeof buf);
        w[n] = dy_word_find(d, buf, k);
        lem[n] = w[n];
        int nc = dy_lemma_candidates(buf, k, cand, 6);
        for (int c = 0; c < nc; c++) {
            uint32_t id = dy_word_find(d, cand[c], strlen(cand[c]));
            if (id) {
                lem[n] = id;
                break;
            }
        }
        n++;
        s = e;
    }
    int32_t dt = date ? dy_date_parse(date, strlen(date)) : 0;
    int found = 0;
    for (int i = 0; i < n; i++) {
        uint32_t keys[2] = {w[i], lem[i]};
        for (int kk = 0; kk < 2; kk++) {
            uint32_t key = keys[kk];
            if (!key || (kk == 1 && key == keys[0])) continue;
            for (uint32_t j = d->phrase_head[key]; j < d->phrase_head[key + 1]; j++) {
                const dy_phrase *p = &d->phrases[d->phrase_idx[j]];
                if (i + p->n > n) continue;
                int ok = 1;
                for (int k = 0; k < p->n && ok; k++)
                    ok = p->w[k] == w[i + k] || p->w[k] == lem[i + k];
                if (!ok) continue;
                found++;
                fprintf(out, "words %d-%d: ", i + 1, i + p->n);
                for (int k = 0; k < p->n; k++) fprintf(out, "%s%s", k ? " " : "", dy_word_str(d, p->w[k]));
                if (p->kind == PH_ACTOR) {
                    const dy_actor_entry *a = &d->actors[p->entry];
                    fprintf(out, "  -> actor \"%s\" (%s:%u):", a->name, a->file, a->line);
                    for (uint32_t r = 0; r < a->nrole; r++) {
                        const dy_role *ro = &d->roles[a->role0 + r];
                        int now = ro->dated && dt && (!ro->from || ro->from <= dt) && (!ro->to || dt <= ro->to);
                        print_role(d, ro, out);
                        fprintf(out, "%s;", now ? " [in force on the date]" : "");
                    }
                    fprintf(out, "\n");
                } else {
                    const dy_agent *g = &d->agents[p->entry];
                    fprintf(out, "  -> agent \"%s\": %s%s%s%s\n", g->name, g->how == AG_SUFFIX ? "~" : "",
                            g->code, g->how == AG_PREFIX ? "~" : "", g->flags & AGF_OBJECT ? " @object" : "");
                }
            }
            for (uint32_t j = d->anchor_head[key]; j < d->anchor_head[key + 1]; j++) {
                const dy_pattern *p = &d->patterns[d->anchor_idx[j]];
                found++;
                fprintf(out, "word %d anchors %s %s  (%s:%u)\n", i + 1,
                        p->cameo == UINT32_MAX ? "---" : d->cameo[p->cameo].code, p->text, p->file, p->line);
            }
        }
    }
    if (!found) fprintf(out, "no actor, agent or pattern matches\n");
    return DYAD_OK;
}
