/*
 * image.c — a finished dictionary set written as one flat file and mapped back: every array of
 * the dyad_dict (vocabulary, hash table, CAMEO codes, actors, agents, phrases, word sets,
 * patterns, discards, indexes) becomes a section, pointers become file offsets. Loading maps
 * the file privately and turns the offsets back into pointers in place: no parsing, no
 * copying of the big arrays, so the full Phoenix set opens in milliseconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lexicon.h"

#define MAGIC "DYADIMG\x01"
/* written after DYAD_VERSION in the header: raised when what an image holds changes meaning
 * without changing its layout (2: a word-set element's mask holds its members' first words) */
#define REVISION "r3" /* 3: the anchor refs and pattern conditions (vcond.h) are stored */

enum { S_POOL, S_WORD_OFF, S_VTAB, S_CAMEO, S_ROLES, S_ACTORS, S_AGENTS, S_PHRASES, S_SETS,
       S_SET_PHRASES, S_PATTERNS, S_PELEMS, S_WORDS, S_STRINGS, S_DISCARDS, S_PHRASE_HEAD,
       S_PHRASE_IDX, S_ANCHOR_HEAD, S_ANCHOR_IDX, S_DISCARD_HEAD, S_DISCARD_IDX, S_TITLES,
       S_COUNTRIES, S_ANCHOR_REF, S_VC_LIST, S_VC_HEAD, S_VC_POST, S_VC_FBIT, S_VC_FMASK, S_NSECT };

typedef struct section {
    uint64_t off, n; /* byte offset in the file, element count */
} section;

typedef struct header {
    char magic[8];
    char version[16];     /* DYAD_VERSION and REVISION */
    uint32_t layout[8];   /* sizes of the structs written: a different build cannot read it */
    uint64_t size;        /* file bytes */
    section sect[S_NSECT];
    /* scalars of the dict */
    uint32_t nword, ntitle, ncountry, nissue, nvcond;
    uint64_t discard_lens[256], discard_tri[1024], defects;
    int32_t opaque_codes;
    uint32_t words[128];  /* w_the .. w_does */
} header;

#define NWORDS ((offsetof(struct dyad_dict, w_does) - offsetof(struct dyad_dict, w_the)) / sizeof(uint32_t) + 1)

static void layout_of(uint32_t out[8])
{
    uint32_t l[8] = {(uint32_t)sizeof(struct dyad_dict), (uint32_t)sizeof(dy_cameo), (uint32_t)sizeof(dy_role),
                     (uint32_t)sizeof(dy_actor_entry), (uint32_t)sizeof(dy_phrase), (uint32_t)sizeof(dy_pattern),
                     (uint32_t)sizeof(dy_pelem), (uint32_t)sizeof(dy_discard)};
    memcpy(out, l, sizeof l);
}

/* ==== writing ============================================================================ */

/* A growing file image. Pointers are written as offsets from the file start (0: NULL). */
typedef struct out {
    dy_buf b;
    dy_buf strings; /* string section, built on the side */
    dy_buf words;   /* u32 word-id section */
    dy_buf pelems;  /* pattern elements */
} out;

static void align(dy_buf *b)
{
    static const char zero[16];
    if (b->n % 16) dy_buf_put(b, zero, 16 - b->n % 16);
}

/* Offset (within the strings section, +1) of a copy of s; 0 for NULL. Fixed up at the end. */
static uint64_t str_ref(out *o, const char *s)
{
    if (!s) return 0;
    uint64_t off = o->strings.n + 1;
    dy_buf_put(&o->strings, s, strlen(s) + 1);
    return off;
}

static uint64_t words_ref(out *o, const uint32_t *w, size_t n)
{
    if (!w) return 0;
    uint64_t off = o->words.n + 1;
    dy_buf_put(&o->words, w, n * sizeof *w);
    return off;
}

static section put_array(out *o, const void *p, size_t n, size_t elem)
{
    align(&o->b);
    section s = {o->b.n, n};
    if (n) dy_buf_put(&o->b, p, n * elem);
    return s;
}

/* Pointer fields hold tagged offsets until the sections' places are known: the top two bits
 * say which section (1 strings, 2 words, 3 pattern elements), the rest the offset + 1. */
#define TAG(kind, off) ((void *)(uintptr_t)((uint64_t)(kind) << 62 | (off)))

int dyad_dict_save_image(const dyad_dict *d, const char *path, dyad_error *err)
{
    if (!d || !path || !d->finished) {
        if (err) {
            err->code = DYAD_EUSAGE;
            snprintf(err->message, sizeof err->message, "dyad_dict_save_image: no finished dict");
        }
        return DYAD_EUSAGE;
    }
    out o = {0};
    header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, MAGIC, 8);
    snprintf(h.version, sizeof h.version, "%s %s", DYAD_VERSION, REVISION);
    layout_of(h.layout);
    dy_buf_put(&o.b, &h, sizeof h);
    h.sect[S_POOL] = put_array(&o, d->pool, d->pool_n, 1);
    h.sect[S_WORD_OFF] = put_array(&o, d->word_off, d->nword, sizeof *d->word_off);
    h.sect[S_VTAB] = put_array(&o, d->vtab, d->vtab_cap, sizeof *d->vtab);
    /* structs with pointers: copies with tagged offsets */
    dy_cameo *cam = d->ncameo ? malloc(d->ncameo * sizeof *cam) : NULL;
    for (uint32_t i = 0; cam && i < d->ncameo; i++) {
        cam[i] = d->cameo[i];
        cam[i].desc = d->cameo[i].desc ? TAG(1, str_ref(&o, d->cameo[i].desc)) : NULL;
    }
    h.sect[S_CAMEO] = put_array(&o, cam, cam ? d->ncameo : 0, sizeof *cam);
    free(cam);
    h.sect[S_ROLES] = put_array(&o, d->roles, d->nrole, sizeof *d->roles);
    dy_actor_entry *act = d->nactor ? malloc(d->nactor * sizeof *act) : NULL;
    for (uint32_t i = 0; act && i < d->nactor; i++) {
        act[i] = d->actors[i];
        act[i].name = d->actors[i].name ? TAG(1, str_ref(&o, d->actors[i].name)) : NULL;
        act[i].file = d->actors[i].file ? TAG(1, str_ref(&o, d->actors[i].file)) : NULL;
    }
    h.sect[S_ACTORS] = put_array(&o, act, act ? d->nactor : 0, sizeof *act);
    free(act);
    dy_agent *ag = d->nagent ? malloc(d->nagent * sizeof *ag) : NULL;
    for (uint32_t i = 0; ag && i < d->nagent; i++) {
        ag[i] = d->agents[i];
        ag[i].name = d->agents[i].name ? TAG(1, str_ref(&o, d->agents[i].name)) : NULL;
    }
    h.sect[S_AGENTS] = put_array(&o, ag, ag ? d->nagent : 0, sizeof *ag);
    free(ag);
    for (int which = 0; which < 2; which++) {
        const dy_phrase *src = which ? d->set_phrases : d->phrases;
        uint32_t n = which ? d->nset_phrase : d->nphrase;
        dy_phrase *ph = n ? malloc(n * sizeof *ph) : NULL;
        for (uint32_t i = 0; ph && i < n; i++) {
            ph[i] = src[i];
            ph[i].w = TAG(2, words_ref(&o, src[i].w, src[i].n));
        }
        h.sect[which ? S_SET_PHRASES : S_PHRASES] = put_array(&o, ph, ph ? n : 0, sizeof *ph);
        free(ph);
    }
    dy_set *st = d->nset ? malloc(d->nset * sizeof *st) : NULL;
    for (uint32_t i = 0; st && i < d->nset; i++) {
        st[i] = d->sets[i];
        st[i].name = TAG(1, str_ref(&o, d->sets[i].name));
    }
    h.sect[S_SETS] = put_array(&o, st, st ? d->nset : 0, sizeof *st);
    free(st);
    dy_pattern *pt = d->npattern ? malloc(d->npattern * sizeof *pt) : NULL;
    for (uint32_t i = 0; pt && i < d->npattern; i++) {
        const dy_pattern *p = &d->patterns[i];
        pt[i] = *p;
        pt[i].el = TAG(3, (uint64_t)o.pelems.n + 1);
        for (uint16_t k = 0; k < p->nel; k++) {
            dy_pelem e = p->el[k];
            e.w = e.w ? TAG(2, words_ref(&o, p->el[k].w, p->el[k].nw)) : NULL;
            e.setname = e.setname ? TAG(1, str_ref(&o, p->el[k].setname)) : NULL;
            dy_buf_put(&o.pelems, &e, sizeof e);
        }
        pt[i].mode = p->mode ? TAG(1, str_ref(&o, p->mode)) : NULL;
        pt[i].context = p->context ? TAG(1, str_ref(&o, p->context)) : NULL;
        pt[i].text = p->text ? TAG(1, str_ref(&o, p->text)) : NULL;
        pt[i].file = p->file ? TAG(1, str_ref(&o, p->file)) : NULL;
    }
    h.sect[S_PATTERNS] = put_array(&o, pt, pt ? d->npattern : 0, sizeof *pt);
    free(pt);
    dy_discard *ds = d->ndiscard ? malloc(d->ndiscard * sizeof *ds) : NULL;
    for (uint32_t i = 0; ds && i < d->ndiscard; i++) {
        ds[i] = d->discards[i];
        ds[i].w = TAG(2, words_ref(&o, d->discards[i].w, d->discards[i].n));
        ds[i].file = d->discards[i].file ? TAG(1, str_ref(&o, d->discards[i].file)) : NULL;
    }
    h.sect[S_DISCARDS] = put_array(&o, ds, ds ? d->ndiscard : 0, sizeof *ds);
    free(ds);
    size_t heads = (size_t)d->nword + 2;
    h.sect[S_PHRASE_HEAD] = put_array(&o, d->phrase_head, heads, sizeof(uint32_t));
    h.sect[S_PHRASE_IDX] = put_array(&o, d->phrase_idx, d->phrase_head[d->nword + 1], sizeof(uint32_t));
    h.sect[S_ANCHOR_HEAD] = put_array(&o, d->anchor_head, heads, sizeof(uint32_t));
    h.sect[S_ANCHOR_IDX] = put_array(&o, d->anchor_idx, d->anchor_head[d->nword + 1], sizeof(uint32_t));
    h.sect[S_DISCARD_HEAD] = put_array(&o, d->discard_head, heads, sizeof(uint32_t));
    h.sect[S_DISCARD_IDX] = put_array(&o, d->discard_idx, d->discard_head[d->nword + 1], sizeof(uint32_t));
    h.sect[S_TITLES] = put_array(&o, d->titles, DY_MAX_TITLES, sizeof d->titles[0]);
    h.sect[S_COUNTRIES] = put_array(&o, d->countries, 400, sizeof d->countries[0]);
    /* the derived indexes of the patterns (lexicon.h dy_dict_derived_index): no pointers */
    uint32_t nref = d->anchor_head[d->nword + 1], nlist = 0;
    for (uint32_t j = 0; j < nref; j++)
        if (d->anchor_ref[j].cond0 + d->anchor_ref[j].ncond > nlist) nlist = d->anchor_ref[j].cond0 + d->anchor_ref[j].ncond;
    h.sect[S_ANCHOR_REF] = put_array(&o, d->anchor_ref, nref, sizeof *d->anchor_ref);
    h.sect[S_VC_LIST] = put_array(&o, d->vc.list, nlist, sizeof *d->vc.list);
    h.sect[S_VC_HEAD] = put_array(&o, d->vc.head, heads, sizeof *d->vc.head);
    h.sect[S_VC_POST] = put_array(&o, d->vc.post, d->vc.head[d->nword + 1], sizeof *d->vc.post);
    h.sect[S_VC_FBIT] = put_array(&o, d->vc.fbit, (size_t)d->nword + 1, 1);
    h.sect[S_VC_FMASK] = put_array(&o, d->vc.fmask, d->vc.n, sizeof *d->vc.fmask);
    h.nvcond = d->vc.n;
    /* the side sections last */
    align(&o.b);
    section ss = {o.b.n, o.strings.n};
    dy_buf_put(&o.b, o.strings.p, o.strings.n);
    align(&o.b);
    section sw = {o.b.n, o.words.n / sizeof(uint32_t)};
    dy_buf_put(&o.b, o.words.p, o.words.n);
    align(&o.b);
    section se = {o.b.n, o.pelems.n / sizeof(dy_pelem)};
    dy_buf_put(&o.b, o.pelems.p, o.pelems.n);
    h.sect[S_STRINGS] = ss;
    h.sect[S_WORDS] = sw;
    h.sect[S_PELEMS] = se;
    h.nword = d->nword;
    h.ntitle = d->ntitle;
    h.ncountry = d->ncountry;
    h.nissue = d->nissue;
    memcpy(h.discard_lens, d->discard_lens, sizeof h.discard_lens);
    memcpy(h.discard_tri, d->discard_tri, sizeof h.discard_tri);
    h.defects = d->defects;
    h.opaque_codes = d->opaque_codes;
    memcpy(h.words, &d->w_the, NWORDS * sizeof(uint32_t));
    h.size = o.b.n;
    int oom = o.b.oom || o.strings.oom || o.words.oom || o.pelems.oom || NWORDS > 128;
    if (!oom) memcpy(o.b.p, &h, sizeof h);
    dy_buf_free(&o.strings);
    dy_buf_free(&o.words);
    dy_buf_free(&o.pelems);
    if (oom) {
        dy_buf_free(&o.b);
        if (err) {
            err->code = DYAD_ENOMEM;
            snprintf(err->message, sizeof err->message, "out of memory writing the image");
        }
        return DYAD_ENOMEM;
    }
    FILE *f = fopen(path, "wb");
    int bad = !f || fwrite(o.b.p, 1, o.b.n, f) != o.b.n;
    if (f && fclose(f)) bad = 1;
    dy_buf_free(&o.b);
    if (bad) {
        if (err) {
            err->code = DYAD_EIO;
            snprintf(err->file, sizeof err->file, "%s", path);
            snprintf(err->message, sizeof err->message, "cannot write: %s", strerror(errno));
        }
        return DYAD_EIO;
    }
    return DYAD_OK;
}

/* ==== mapping ============================================================================ */

int dyad_dict_is_image(const char *path)
{
    char m[8];
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) return 0;
    int ok = fread(m, 1, 8, f) == 8 && !memcmp(m, MAGIC, 8);
    fclose(f);
    return ok;
}

static int fail(dyad_error *err, int code, const char *path, const char *msg)
{
    if (err) {
        err->code = code;
        snprintf(err->file, sizeof err->file, "%s", path);
        err->line = err->column = 0;
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    return code;
}

/* Turns a tagged offset back into a pointer; NULL if it does not point inside its section. */
static void *untag(const void *p, char *base, const header *h)
{
    uint64_t v = (uint64_t)(uintptr_t)p;
    if (!v) return NULL;
    unsigned kind = (unsigned)(v >> 62);
    uint64_t off = (v & ~((uint64_t)3 << 62)) - 1;
    const section *s = kind == 1 ? &h->sect[S_STRINGS] : kind == 2 ? &h->sect[S_WORDS] : &h->sect[S_PELEMS];
    size_t elem = kind == 1 ? 1 : kind == 2 ? sizeof(uint32_t) : sizeof(dy_pelem);
    if (kind == 0 || off > s->n * elem) return NULL;
    return base + s->off + off;
}

/* The dict of the image at base[0..len), a private writable mapping that the dict then owns
 * (its pointers are turned back from offsets in place; dyad_dict_free unmaps it); path names
 * it in errors. On failure the mapping is unmapped and NULL returned with err set. */
static dyad_dict *open_mapped(char *base, size_t len, const char *path, dyad_error *err)
{
    header h;
    memcpy(&h, base, sizeof h);
    uint32_t lay[8];
    layout_of(lay);
    const char *why = NULL;
    if (memcmp(h.magic, MAGIC, 8)) why = "not a dictionary image";
    else if (strncmp(h.version, DYAD_VERSION " " REVISION, sizeof h.version) || memcmp(h.layout, lay, sizeof lay))
        why = "the image was written by another version of dyad: compile it again";
    else if (h.size != len) why = "the image is truncated";
    for (int i = 0; !why && i < S_NSECT; i++)
        if (h.sect[i].off > len) why = "the image is damaged";
    if (why) {
        munmap(base, len);
        fail(err, DYAD_EDICT, path, why);
        return NULL;
    }
    dyad_dict *d = dyad_dict_new(NULL, NULL, 0);
    if (!d) {
        munmap(base, len);
        fail(err, DYAD_ENOMEM, path, "out of memory");
        return NULL;
    }
#define AT(sec) ((void *)(base + h.sect[sec].off))
    d->image = base;
    d->image_len = len;
    d->pool = AT(S_POOL);
    d->pool_n = d->pool_cap = h.sect[S_POOL].n;
    d->word_off = AT(S_WORD_OFF);
    d->nword = d->word_cap = (uint32_t)h.sect[S_WORD_OFF].n;
    d->vtab = AT(S_VTAB);
    d->vtab_cap = (uint32_t)h.sect[S_VTAB].n;
    d->cameo = AT(S_CAMEO);
    d->ncameo = d->cameo_cap = (uint32_t)h.sect[S_CAMEO].n;
    d->roles = AT(S_ROLES);
    d->nrole = d->role_cap = (uint32_t)h.sect[S_ROLES].n;
    d->actors = AT(S_ACTORS);
    d->nactor = d->actor_cap = (uint32_t)h.sect[S_ACTORS].n;
    d->agents = AT(S_AGENTS);
    d->nagent = d->agent_cap = (uint32_t)h.sect[S_AGENTS].n;
    d->phrases = AT(S_PHRASES);
    d->nphrase = d->phrase_cap = (uint32_t)h.sect[S_PHRASES].n;
    d->sets = AT(S_SETS);
    d->nset = d->set_cap = (uint32_t)h.sect[S_SETS].n;
    d->set_phrases = AT(S_SET_PHRASES);
    d->nset_phrase = d->set_phrase_cap = (uint32_t)h.sect[S_SET_PHRASES].n;
    d->patterns = AT(S_PATTERNS);
    d->npattern = d->pattern_cap = (uint32_t)h.sect[S_PATTERNS].n;
    d->discards = AT(S_DISCARDS);
    d->ndiscard = d->discard_cap = (uint32_t)h.sect[S_DISCARDS].n;
    d->phrase_head = AT(S_PHRASE_HEAD);
    d->phrase_idx = AT(S_PHRASE_IDX);
    d->anchor_head = AT(S_ANCHOR_HEAD);
    d->anchor_idx = AT(S_ANCHOR_IDX);
    d->discard_head = AT(S_DISCARD_HEAD);
    d->discard_idx = AT(S_DISCARD_IDX);
    d->anchor_ref = AT(S_ANCHOR_REF);
    d->vc.n = h.nvcond;
    d->vc.list = AT(S_VC_LIST);
    d->vc.head = AT(S_VC_HEAD);
    d->vc.post = AT(S_VC_POST);
    d->vc.fbit = AT(S_VC_FBIT);
    d->vc.fmask = AT(S_VC_FMASK);
    memcpy(d->titles, AT(S_TITLES), sizeof d->titles);
    memcpy(d->countries, AT(S_COUNTRIES), sizeof d->countries);
    d->ntitle = h.ntitle;
    d->ncountry = h.ncountry;
    d->nissue = h.nissue;
    memcpy(d->discard_lens, h.discard_lens, sizeof d->discard_lens);
    memcpy(d->discard_tri, h.discard_tri, sizeof d->discard_tri);
    d->defects = (size_t)h.defects;
    d->opaque_codes = h.opaque_codes;
    memcpy(&d->w_the, h.words, NWORDS * sizeof(uint32_t));
#undef AT
    /* pointers back from offsets, in place (the mapping is private: copy on write) */
    for (uint32_t i = 0; i < d->ncameo; i++) d->cameo[i].desc = untag(d->cameo[i].desc, base, &h);
    for (uint32_t i = 0; i < d->nactor; i++) {
        d->actors[i].name = untag(d->actors[i].name, base, &h);
        d->actors[i].file = untag(d->actors[i].file, base, &h);
    }
    for (uint32_t i = 0; i < d->nagent; i++) d->agents[i].name = untag(d->agents[i].name, base, &h);
    for (uint32_t i = 0; i < d->nphrase; i++) d->phrases[i].w = untag(d->phrases[i].w, base, &h);
    for (uint32_t i = 0; i < d->nset_phrase; i++) d->set_phrases[i].w = untag(d->set_phrases[i].w, base, &h);
    for (uint32_t i = 0; i < d->nset; i++) d->sets[i].name = untag(d->sets[i].name, base, &h);
    dy_pelem *els = (dy_pelem *)(base + h.sect[S_PELEMS].off);
    for (uint64_t i = 0; i < h.sect[S_PELEMS].n; i++) {
        els[i].w = untag(els[i].w, base, &h);
        els[i].setname = untag(els[i].setname, base, &h);
    }
    for (uint32_t i = 0; i < d->npattern; i++) {
        dy_pattern *p = &d->patterns[i];
        p->el = untag(p->el, base, &h);
        p->mode = untag(p->mode, base, &h);
        p->context = untag(p->context, base, &h);
        p->text = untag(p->text, base, &h);
        p->file = untag(p->file, base, &h);
    }
    for (uint32_t i = 0; i < d->ndiscard; i++) {
        d->discards[i].w = untag(d->discards[i].w, base, &h);
        d->discards[i].file = untag(d->discards[i].file, base, &h);
    }
    dy_dict_country_bits(d);
    d->finished = 1;
    return d;
}

dyad_dict *dyad_dict_open_image(const char *path, dyad_error *err)
{
    int fd = path ? open(path, O_RDONLY) : -1;
    if (fd < 0) {
        fail(err, DYAD_EIO, path ? path : "", "cannot open the image");
        return NULL;
    }
    struct stat sb;
    if (fstat(fd, &sb) || (size_t)sb.st_size < sizeof(header)) {
        close(fd);
        fail(err, DYAD_EDICT, path, "not a dictionary image (too short)");
        return NULL;
    }
    size_t len = (size_t)sb.st_size;
    char *base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    close(fd);
    if (base == MAP_FAILED) {
        fail(err, DYAD_EIO, path, "cannot map the image");
        return NULL;
    }
    return open_mapped(base, len, path, err);
}

/* ==== the built-in dictionaries, compiled at build time ================================== */

/* mk/dictimage.mk compiles dict/ into an image (build/dict.img) and links it between these two
 * symbols as read-only data; the tool that writes it is built with DY_DICT_NO_BLOB. */
#ifndef DY_DICT_NO_BLOB
extern const unsigned char dy_dict_image_start[];
extern const unsigned char dy_dict_image_end[];
#endif

/* Falls back on reading the text when there is no image (the image builder itself). */
static dyad_dict *open_builtin_text(dyad_error *err)
{
    dyad_dict *d = dyad_dict_new(NULL, NULL, 0);
    if (!d) {
        fail(err, DYAD_ENOMEM, "", "out of memory");
        return NULL;
    }
    if (dyad_dict_load_builtin(d, err) || dyad_dict_finish(d, err)) {
        dyad_dict_free(d);
        return NULL;
    }
    return d;
}

dyad_dict *dyad_dict_open_builtin(dyad_error *err)
{
#ifdef DY_DICT_NO_BLOB
    return open_builtin_text(err);
#else
    size_t len = (size_t)(dy_dict_image_end - dy_dict_image_start);
    if (len < sizeof(header)) return open_builtin_text(err);
    /* a private copy, since the offsets are turned into pointers in place: one memcpy is far
     * cheaper than parsing the text; the whole copy is written, so it is populated at once
     * (one call instead of a page fault per page: 3,700 faults at start-up became 1,500) */
    char *base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (base == MAP_FAILED) {
        fail(err, DYAD_ENOMEM, "", "out of memory");
        return NULL;
    }
    memcpy(base, dy_dict_image_start, len);
    return open_mapped(base, len, "(built-in image)", err);
#endif
}

void dy_image_release(dyad_dict *d)
{
    if (!d->image) return;
    munmap(d->image, d->image_len);
    d->image = NULL;
    d->pool = NULL;
    d->word_off = d->vtab = NULL;
    d->cameo = NULL;
    d->roles = NULL;
    d->actors = NULL;
    d->agents = NULL;
    d->phrases = d->set_phrases = NULL;
    d->sets = NULL;
    d->patterns = NULL;
    d->discards = NULL;
    d->phrase_head = d->phrase_idx = d->anchor_head = d->anchor_idx = NULL;
    d->discard_head = d->discard_idx = NULL;
    d->anchor_ref = NULL;
    memset(&d->vc, 0, sizeof d->vc);
}
