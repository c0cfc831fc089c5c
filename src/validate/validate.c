/*
 * validate.c — runs PETRARCH's validation format (PETR.UnitTest.records.xml): the
 * <Environment> names the dictionaries, <Config> records switch coding options between
 * records, and each <Sentence> is coded from its <Text> alone — the <Parse> tree is never
 * read, and its <EventCoding> expectations are read only after the coder is done — then
 * compared event by event. Consumes the XML file; produces counts, one line per failing
 * record and, optionally, a JSON Lines report.
 */
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dict/petrarch.h"
#include "story.h"

/* One event as the suite writes it: source, target and event code. */
typedef struct triple {
    char src[80], tgt[80], code[16];
    int used;
} triple;

typedef struct tlist {
    triple *t;
    size_t n, cap;
} tlist;

static int tl_add(tlist *l, const char *src, const char *tgt, const char *code)
{
    if (dy_grow((void **)&l->t, &l->cap, l->n, sizeof *l->t, 16)) return -1;
    triple *x = &l->t[l->n++];
    snprintf(x->src, sizeof x->src, "%s", src && *src ? src : "---");
    snprintf(x->tgt, sizeof x->tgt, "%s", tgt && *tgt ? tgt : "---");
    snprintf(x->code, sizeof x->code, "%s", code ? code : "");
    x->used = 0;
    return 0;
}

static int same_triple(const triple *a, const triple *b)
{
    return !strcmp(a->src, b->src) && !strcmp(a->tgt, b->tgt) && !strcmp(a->code, b->code);
}

/* ==== reading the XML ==================================================================== */

static const char *attr(xmlNode *n, const char *name, char *buf, size_t cap)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v) return NULL;
    snprintf(buf, cap, "%s", (const char *)v);
    xmlFree(v);
    return buf;
}

static int is(xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* The text content of n with white space runs collapsed, trimmed; the caller frees it. */
static char *text_of(xmlNode *n)
{
    xmlChar *v = xmlNodeGetContent(n);
    if (!v) return NULL;
    size_t len = strlen((const char *)v);
    char *out = malloc(len + 1);
    if (!out) {
        xmlFree(v);
        return NULL;
    }
    size_t k = 0;
    int space = 0;
    for (const unsigned char *p = v; *p; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
            space = k > 0;
            continue;
        }
        if (space) out[k++] = ' ';
        space = 0;
        out[k++] = (char)*p;
    }
    out[k] = 0;
    xmlFree(v);
    return out;
}

/* Strips the quotes the suite puts around a new actor's name ('"INJURY TOLL"' stays as it is:
 * dyad writes new actors the same way). */
static void clean_code(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ')) s[--n] = 0;
}

/* ==== options ============================================================================ */

static int truthy(const char *v)
{
    return v && (!strcasecmp(v, "true") || !strcmp(v, "1") || !strcasecmp(v, "yes"));
}

/* Applies <Config option=... value=...>; returns 1 if it changed a coding option. */
static int apply_config(xmlNode *n, dyad_options *o, int *stop_on_error)
{
    char opt[64], val[64];
    if (!attr(n, "option", opt, sizeof opt) || !attr(n, "value", val, sizeof val)) return 0;
    int iv = atoi(val);
    if (!strcmp(opt, "require_dyad")) o->require_dyad = truthy(val);
    else if (!strcmp(opt, "new_actor_length")) o->new_actor_length = iv;
    else if (!strcmp(opt, "comma_min")) o->comma_min = iv;
    else if (!strcmp(opt, "comma_max")) o->comma_max = iv;
    else if (!strcmp(opt, "comma_bmin")) o->comma_bmin = iv;
    else if (!strcmp(opt, "comma_bmax")) o->comma_bmax = iv;
    else if (!strcmp(opt, "comma_emin")) o->comma_emin = iv;
    else if (!strcmp(opt, "comma_emax")) o->comma_emax = iv;
    else if (!strcmp(opt, "stop_on_error")) {
        *stop_on_error = truthy(val);
        return 0;
    } else
        return 0;
    return 1;
}

/* ==== produced events ==================================================================== */

/* The codes of an actor list of a record ([] -> "---"); a new actor without a code is
 * written as PETRARCH writes it, its words in capitals between quotes. */
static size_t actor_codes(json_t *list, char codes[][80], size_t max)
{
    size_t n = 0;
    size_t i;
    json_t *a;
    json_array_foreach(list, i, a) {
        if (n == max) break;
        json_t *c = json_object_get(a, "code");
        if (json_is_string(c) && *json_string_value(c)) {
            snprintf(codes[n++], 80, "%s", json_string_value(c));
        } else {
            json_t *t = json_object_get(a, "name");
            const char *s = json_is_string(t) ? json_string_value(t) : "";
            char b[80];
            size_t k = 0;
            b[k++] = '"';
            for (; *s && k + 2 < sizeof b; s++) b[k++] = (char)dy_toupper((unsigned char)*s);
            b[k++] = '"';
            b[k] = 0;
            snprintf(codes[n++], 80, "%s", b);
        }
    }
    if (!n) snprintf(codes[n++], 80, "---");
    return n;
}

/* Reads the coder's JSON Lines and lists every (source, target, code) it holds: a compound
 * actor gives one event per member, pairs of an actor with itself are not events. */
static int produced_of(const char *jsonl, size_t len, tlist *out)
{
    const char *p = jsonl, *end = jsonl + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        json_error_t je;
        json_t *rec = json_loadb(p, (size_t)(le - p), 0, &je);
        p = nl ? nl + 1 : end;
        if (!rec) continue;
        json_t *kind = json_object_get(rec, "kind");
        if (!json_is_string(kind) || strcmp(json_string_value(kind), "event")) {
            json_decref(rec);
            continue;
        }
        char src[DY_MAX_CODES][80], tgt[DY_MAX_CODES][80];
        size_t ns = actor_codes(json_object_get(rec, "actor"), src, DY_MAX_CODES);
        size_t nt = actor_codes(json_object_get(rec, "recipient"), tgt, DY_MAX_CODES);
        json_t *cam = json_object_get(json_object_get(rec, "cameo"), "code");
        const char *code = json_is_string(cam) ? json_string_value(cam) : "";
        for (size_t a = 0; a < ns; a++)
            for (size_t b = 0; b < nt; b++) {
                if (!strcmp(src[a], tgt[b])) continue;
                triple t;
                snprintf(t.src, sizeof t.src, "%s", src[a]);
                snprintf(t.tgt, sizeof t.tgt, "%s", tgt[b]);
                snprintf(t.code, sizeof t.code, "%s", code);
                int dup = 0;
                for (size_t k = 0; k < out->n && !dup; k++) dup = same_triple(&out->t[k], &t);
                if (!dup && tl_add(out, t.src, t.tgt, t.code)) {
                    json_decref(rec);
                    return -1;
                }
            }
        json_decref(rec);
    }
    return 0;
}

/* ==== reporting ========================================================================== */

static void put_list(FILE *f, const tlist *l)
{
    if (!l->n) fputs("(none)", f);
    for (size_t i = 0; i < l->n; i++)
        fprintf(f, "%s%s %s %s", i ? ", " : "", l->t[i].src, l->t[i].tgt, l->t[i].code);
}

static json_t *json_list(const tlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "source", l->t[i].src, "target", l->t[i].tgt,
                                           "code", l->t[i].code));
    return a;
}

static void set_error(dyad_error *err, int code, const char *file, const char *msg)
{
    if (!err) return;
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = err->column = 0;
    snprintf(err->message, sizeof err->message, "%s", msg);
}

/* ==== dictionaries ======================================================================= */

/* Loads the dictionaries the <Environment> names, relative to the XML file's directory. */
static int load_environment(dyad_dict *d, xmlNode *env, const char *xml_path, dyad_error *err)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", xml_path);
    char *slash = strrchr(dir, '/');
    if (slash) slash[1] = 0;
    else dir[0] = 0;
    static const char *const tags[] = {"Actorfile", "Agentfile", "Discardfile", "Issuefile", "Verbfile", NULL};
    static const int kinds[] = {PK_ACTORS, PK_AGENTS, PK_DISCARDS, PK_ISSUES, PK_NONE};
    int loaded = 0;
    for (int k = 0; tags[k]; k++)
        for (xmlNode *n = env ? env->children : NULL; n; n = n->next) {
            if (!is(n, tags[k])) continue;
            char *name = text_of(n);
            if (!name) continue;
            char path[4096];
            snprintf(path, sizeof path, "%s%s", name[0] == '/' ? "" : dir, name);
            free(name);
            int rc = dy_petrarch_load_file(d, path, kinds[k], err);
            if (rc) return rc;
            loaded++;
        }
    if (!loaded) {
        set_error(err, DYAD_EDICT, xml_path, "the <Environment> names no dictionary (<Verbfile>, <Actorfile>, ...)");
        return DYAD_EDICT;
    }
    return DYAD_OK;
}

/* ==== the run ============================================================================ */

/* One <Sentence> record, as the reader (the caller's thread) saw it: what its judge needs. */
typedef struct record {
    xmlNode *n;
    char id[128];
    int stop_on_error; /* the <Config> in force for it */
} record;

/* What the judge keeps between records (written by judge alone, read once the pool is done). */
typedef struct run_state {
    const dyad_validate_options *opt;
    dyad_validate_counts cnt;
    int rc;            /* what stopped the run, else DYAD_OK */
    dyad_error err;
} run_state;

/* A <Sentence>'s text as a story, with its date: the story's text is in norm (the caller
 * frees it) and its date in iso. DYAD_ENOMEM when it cannot be made. */
static int sentence_story(xmlNode *sent, const char *id, dy_buf *norm, char iso[16], dyad_story *st)
{
    char date[32] = "";
    attr(sent, "date", date, sizeof date);
    char *text = NULL;
    for (xmlNode *n = sent->children; n; n = n->next)
        if (is(n, "Text")) {
            text = text_of(n);
            break;
        }
    /* PETRARCH's texts, like its dictionaries, may join a name's words with '_' (New_York) */
    for (char *p = text; p && *p; p++)
        if (*p == '_') *p = ' ';
    unsigned repaired = 0;
    dy_text_normalise(text ? text : "", text ? strlen(text) : 0, norm, &repaired);
    dy_buf_nul(norm);
    free(text);
    if (norm->oom) return DYAD_ENOMEM;
    iso[0] = 0;
    if (strlen(date) == 8) snprintf(iso, 16, "%.4s-%.2s-%.2s", date, date + 4, date + 6);
    *st = (dyad_story){.id = id, .date = iso[0] ? iso : NULL, .text = norm->p ? norm->p : "", .text_len = norm->n};
    return DYAD_OK;
}

/* Judges one coded record against its <EventCoding> expectations, read only now, and
 * reports it; the pool calls it in record order (from one of its threads with several
 * jobs). Returns nonzero to stop the run: out of memory, or a record that could not be coded
 * under stop_on_error. */
static int judge(void *ctx, const dyad_coded *r)
{
    run_state *run = ctx;
    const dyad_validate_options *opt = run->opt;
    const record *rec = r->tag;
    const char *id = rec->id;
    int crc = r->rc;
    tlist produced = {0}, expected = {0};
    if (!crc && produced_of(r->jsonl, r->jsonl_len, &produced)) crc = DYAD_ENOMEM;
    if (crc == DYAD_ENOMEM) {
        run->rc = crc;
        if (r->err) run->err = *r->err;
        else set_error(&run->err, DYAD_ENOMEM, "", "out of memory");
        free(produced.t);
        return 1;
    }
    int discarded = crc ? 0 : r->discarded;
    int noevents = 0, rc = DYAD_OK;
    char error[64] = "";
    for (xmlNode *e = rec->n->children; e; e = e->next) {
        if (!is(e, "EventCoding")) continue;
        char v[80], s[80], t[80], code[16];
        if (attr(e, "noevents", v, sizeof v) && truthy(v)) noevents = 1;
        if (attr(e, "error", v, sizeof v)) snprintf(error, sizeof error, "%s", v);
        if (attr(e, "eventcode", code, sizeof code)) {
            if (!attr(e, "sourcecode", s, sizeof s)) snprintf(s, sizeof s, "---");
            if (!attr(e, "targetcode", t, sizeof t)) snprintf(t, sizeof t, "---");
            clean_code(s);
            clean_code(t);
            if (tl_add(&expected, s, t, code)) rc = DYAD_ENOMEM;
        }
    }
    /* compare: each expected event with an unused equal produced one */
    size_t found = 0;
    for (size_t i = 0; i < expected.n; i++)
        for (size_t j = 0; j < produced.n; j++)
            if (!produced.t[j].used && same_triple(&expected.t[i], &produced.t[j])) {
                produced.t[j].used = expected.t[i].used = 1;
                found++;
                break;
            }
    size_t extra = produced.n - found;
    const char *produced_error = discarded == DYAD_DISCARD_STORY ? "storydiscard"
                               : discarded == DYAD_DISCARD_SENTENCE ? "sentencediscard"
                               : crc ? "coding_error" : "";
    int pass = found == expected.n && extra == 0 && !crc;
    if (error[0] && (!strcmp(error, "storydiscard") || !strcmp(error, "sentencediscard")))
        pass = pass && !strcmp(error, produced_error);
    dyad_validate_counts *cnt = &run->cnt;
    cnt->records++;
    cnt->expected += expected.n;
    cnt->found += found;
    cnt->produced += produced.n;
    cnt->extra += extra;
    if (noevents) {
        cnt->noevent_records++;
        cnt->noevent_passed += pass;
    }
    if (error[0]) {
        cnt->error_records++;
        cnt->error_passed += pass;
    }
    if (pass) cnt->passed++;
    else cnt->failed++;
    if (opt->out && (!pass || opt->verbose)) {
        fprintf(opt->out, "%s %s: expected ", pass ? "pass" : "FAIL", id);
        if (noevents) fputs("no events", opt->out);
        else if (error[0]) fprintf(opt->out, "error %s", error);
        else put_list(opt->out, &expected);
        fputs("; produced ", opt->out);
        if (produced_error[0] && !produced.n) fprintf(opt->out, "error %s", produced_error);
        else put_list(opt->out, &produced);
        fputc('\n', opt->out);
    }
    if (opt->report) {
        json_t *o = json_pack("{s:s,s:o,s:o,s:b}", "id", id, "expected", json_list(&expected), "produced",
                              json_list(&produced), "pass", pass);
        if (noevents) json_object_set_new(o, "noevents", json_true());
        if (error[0]) json_object_set_new(o, "error", json_string(error));
        if (produced_error[0]) json_object_set_new(o, "produced_error", json_string(produced_error));
        char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (line) {
            fputs(line, opt->report);
            fputc('\n', opt->report);
            free(line);
        }
        json_decref(o);
    }
    free(produced.t);
    free(expected.t);
    if (rc) { /* (the record is counted; nothing after it is) */
        run->rc = rc;
        set_error(&run->err, rc, "", "out of memory");
        return 1;
    }
    if (crc && rec->stop_on_error) {
        run->rc = crc;
        run->err = *r->err;
        return 1;
    }
    return 0;
}

int dyad_validate_run(const char *xml_path, const dyad_validate_options *opt_in,
                      dyad_validate_counts *counts, dyad_error *err)
{
    dyad_validate_options opt = {0};
    if (opt_in) opt = *opt_in;
    if (!xml_path) {
        set_error(err, DYAD_EUSAGE, "", "dyad_validate_run: no file");
        return DYAD_EUSAGE;
    }
    xmlDoc *doc = xmlReadFile(xml_path, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
    if (!doc) {
        FILE *f = fopen(xml_path, "rb");
        if (!f) {
            set_error(err, DYAD_EIO, xml_path, "cannot read the file");
            return DYAD_EIO;
        }
        fclose(f);
        const xmlError *xe = xmlGetLastError();
        set_error(err, DYAD_EINPUT, xml_path, xe && xe->message ? xe->message : "not well-formed XML");
        if (err && xe) err->line = (size_t)xe->line;
        return DYAD_EINPUT;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    xmlNode *env = NULL, *sentences = NULL;
    for (xmlNode *n = root ? root->children : NULL; n; n = n->next) {
        if (is(n, "Environment") && !env) env = n;
        if (is(n, "Sentences") && !sentences) sentences = n;
    }
    /* PETRARCH's defaults; the <Environment>'s <Config> records come first */
    dyad_options copt = {0};
    copt.require_dyad = 1;
    copt.comma_min = 2; /* PETR_config.ini's comma-clause defaults */
    copt.comma_max = 8;
    copt.comma_emin = 2;
    copt.comma_emax = 8;
    int stop_on_error = 0;
    for (xmlNode *n = env ? env->children : NULL; n; n = n->next)
        if (is(n, "Config")) apply_config(n, &copt, &stop_on_error);

    int rc = DYAD_OK;
    dyad_dict *d = NULL;
    if (opt.dict && dyad_dict_is_image(opt.dict)) {
        d = dyad_dict_open_image(opt.dict, err);
        if (!d) rc = err ? err->code : DYAD_EDICT;
    } else {
        d = dyad_dict_new(opt.diag, opt.diag_ctx, opt.strict);
        if (!d) rc = DYAD_ENOMEM;
        if (!rc) rc = opt.dict ? dyad_dict_load_dir(d, opt.dict, err) : load_environment(d, env, xml_path, err);
        if (!rc) rc = dyad_dict_finish(d, err);
    }
    /* the records, each coded from its text alone (on opt.jobs threads) and judged in order */
    xmlNode *first = sentences ? sentences->children : root ? root->children : NULL;
    size_t nrec = 0;
    for (xmlNode *n = first; n; n = n->next) nrec += is(n, "Sentence");
    record *recs = rc ? NULL : calloc(nrec + 1, sizeof *recs);
    if (!rc && !recs) rc = DYAD_ENOMEM;
    run_state run = {.opt = &opt};
    dyad_error perr = {0};
    dyad_pool *pool = rc ? NULL : dyad_pool_start(d, &copt, opt.jobs > 1 ? opt.jobs : 1, judge, &run, &perr);
    if (!rc && !pool) rc = perr.code;
    size_t k = 0;
    for (xmlNode *n = first; n && !rc; n = n->next) {
        if (is(n, "Config")) {
            if (apply_config(n, &copt, &stop_on_error)) dyad_pool_options(pool, &copt);
            continue;
        }
        if (is(n, "Stop")) break;
        if (!is(n, "Sentence")) continue;
        record *rec = &recs[k++];
        rec->n = n;
        rec->stop_on_error = stop_on_error;
        if (!attr(n, "id", rec->id, sizeof rec->id)) snprintf(rec->id, sizeof rec->id, "record-%zu", k);
        dy_buf norm = {0};
        char iso[16];
        dyad_story st;
        dyad_error why = {.code = DYAD_ENOMEM, .message = "out of memory"};
        int pc = sentence_story(n, rec->id, &norm, iso, &st) ? dyad_pool_pass(pool, NULL, DYAD_ENOMEM, &why, rec, &perr)
                                                        : dyad_pool_story(pool, &st, rec, &perr);
        dy_buf_free(&norm);
        if (pc == DYAD_DONE) break; /* the judge stopped the run */
        if (pc) rc = pc;
    }
    if (pool && dyad_pool_finish(pool) == DYAD_DONE && !rc) rc = run.rc;
    if (rc && rc == run.rc && err) *err = run.err;
    else if (rc && rc == perr.code && err) *err = perr;
    dyad_validate_counts cnt = run.cnt;
    if (opt.out && !rc) {
        double pf = cnt.expected ? 100.0 * (double)cnt.found / (double)cnt.expected : 0;
        double pe = cnt.expected ? 100.0 * (double)cnt.extra / (double)cnt.expected : 0;
        fprintf(opt.out, "events: %zu expected, %zu produced of them (%.1f%%), %zu extra (%.1f%% of expected); "
                         "no-event records %zu/%zu, error records %zu/%zu\n",
                cnt.expected, cnt.found, pf, cnt.extra, pe, cnt.noevent_passed, cnt.noevent_records, cnt.error_passed,
                cnt.error_records);
        fprintf(opt.out, "%zu passed, %zu failed\n", cnt.passed, cnt.failed);
    }
    free(recs);
    dyad_dict_free(d);
    xmlFreeDoc(doc);
    if (counts) *counts = cnt;
    return rc;
}
