/*
 * spec_runner.c — runs dyad's spec tests: plain-text cases of a story and the events a careful
 * coder expects from it. Links libdyad through dyad.h only, and reads the records the way a
 * user would (JSON Lines).
 *
 * Format of a .spec file (see tests/spec/README.md):
 *   === a case's title
 *   date 2021-11-07            (optional)
 *   The story text, any number of lines.
 *   ---
 *   SOURCE CODE TARGET         one line per expected event; (none) for no event
 *
 * SOURCE and TARGET are actor codes, several joined by '+' for a compound actor, '-' for none.
 * CODE is a CAMEO code; a trailing '*' accepts any code that starts with it ("18*"). An optional
 * fourth field @YYYY-MM-DD is the event's date; without it the event must carry the story's date
 * (null when the story has none). A last field dead=N (or dead=- for none) checks the event's
 * death toll; without it the toll is not compared. Expected
 * and produced events are compared as sets. Prints each failing case with its file and line,
 * then "spec: N passed, N failed".
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dyad.h"

typedef struct ev {
    char src[128], code[8], tgt[128];
    char date[16]; /* expected: "" = the story's date; produced: the record's date or "" */
    long dead;     /* expected: -2 = not checked, -1 = none; produced: size.dead.value or -1 */
} ev;

/* Joins the codes of a JSON actor list with '+', or "-" when empty. */
static void codes_of(json_t *list, char *out, size_t cap)
{
    out[0] = 0;
    size_t i;
    json_t *a;
    json_array_foreach(list, i, a) {
        const char *c = json_string_value(json_object_get(a, "code"));
        if (!c) continue;
        if (out[0]) strncat(out, "+", cap - strlen(out) - 1);
        strncat(out, c, cap - strlen(out) - 1);
    }
    if (!out[0]) snprintf(out, cap, "-");
}

/* Compound codes compare as sets: sort the '+'-joined parts. */
static void sort_codes(char *s)
{
    char parts[8][32];
    int n = 0;
    char *save, *tok, tmp[128];
    snprintf(tmp, sizeof tmp, "%s", s);
    for (tok = strtok_r(tmp, "+", &save); tok && n < 8; tok = strtok_r(NULL, "+", &save))
        snprintf(parts[n++], sizeof parts[0], "%s", tok);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(parts[j - 1], parts[j]) > 0; j--) {
            char t[32];
            memcpy(t, parts[j], 32);
            memcpy(parts[j], parts[j - 1], 32);
            memcpy(parts[j - 1], t, 32);
        }
    s[0] = 0;
    for (int i = 0; i < n; i++) {
        if (i) strcat(s, "+");
        strcat(s, parts[i]);
    }
}

static int code_match(const char *want, const char *got)
{
    size_t n = strlen(want);
    if (n && want[n - 1] == '*') return strncmp(want, got, n - 1) == 0;
    return strcmp(want, got) == 0;
}

/* Actor codes: each '+'-joined part may end in '*' to accept any sector. */
static int actors_match(const char *want, const char *got)
{
    if (!strchr(want, '*')) return !strcmp(want, got);
    char w[128], g[128], *sw, *sg;
    snprintf(w, sizeof w, "%s", want);
    snprintf(g, sizeof g, "%s", got);
    char *a = strtok_r(w, "+", &sw), *b = strtok_r(g, "+", &sg);
    for (; a && b; a = strtok_r(NULL, "+", &sw), b = strtok_r(NULL, "+", &sg))
        if (!code_match(a, b)) return 0;
    return !a && !b;
}

static const char *story_date;

static int ev_match(const ev *w, const ev *g)
{
    const char *want_date = w->date[0] ? w->date : story_date ? story_date : "";
    return actors_match(w->src, g->src) && actors_match(w->tgt, g->tgt) && code_match(w->code, g->code) &&
           !strcmp(want_date, g->date) && (w->dead == -2 || w->dead == g->dead);
}

static void print_evs(const char *label, const ev *e, int n)
{
    printf("  %s:", label);
    if (!n) printf(" (none)");
    printf("\n");
    for (int i = 0; i < n; i++) {
        printf("    %s %s %s%s%s", e[i].src, e[i].code, e[i].tgt, e[i].date[0] ? " @" : "", e[i].date);
        if (e[i].dead >= 0) printf(" dead=%ld", e[i].dead);
        printf("\n");
    }
}

/* Known failures: "FILE.spec: case title  # why" lines in tests/spec/known-failures.txt. A case
 * listed there that fails is reported as known; one that passes is an error (the list must be
 * kept true). */
static char *known[512];
static int nknown;

static void load_known(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return;
    char line[1024];
    while (fgets(line, sizeof line, f) && nknown < 512) {
        char *h = strchr(line, '#');
        if (h) *h = 0;
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == ' ' || line[n - 1] == '\t')) line[--n] = 0;
        if (n) known[nknown++] = strdup(line);
    }
    fclose(f);
}

static int is_known(const char *file, const char *title)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    char key[1024];
    snprintf(key, sizeof key, "%s: %s", base, title);
    for (int i = 0; i < nknown; i++)
        if (!strcmp(known[i], key)) return 1;
    return 0;
}

int main(int argc, char **argv)
{
    int nknown_failed = 0;
    if (argc > 2 && !strcmp(argv[1], "--known")) {
        load_known(argv[2]);
        argv += 2;
        argc -= 2;
    }
    const char *verbose = getenv("SPEC_VERBOSE");
    dyad_error err = {0};
    dyad_dict *d = dyad_dict_new(NULL, NULL, 0);
    if (!d || dyad_dict_load_builtin(d, &err) || dyad_dict_finish(d, &err)) {
        fprintf(stderr, "spec: cannot load dictionaries: %s\n", err.message);
        return 3;
    }
    dyad_coder *c = dyad_coder_new(d, NULL);
    int passed = 0, failed = 0, skipped = 0;
    for (int f = 1; f < argc; f++) {
        FILE *in = fopen(argv[f], "r");
        if (!in) {
            perror(argv[f]);
            failed++;
            continue;
        }
        char line[8192];
        size_t lineno = 0, case_line = 0;
        char title[256] = "";
        char *text = NULL;
        size_t tn = 0, tcap = 0;
        ev want[64];
        int nwant = 0, in_expect = 0, have_case = 0;
        for (;;) {
            char *got = fgets(line, sizeof line, in);
            if (got) lineno++;
            int boundary = !got || !strncmp(line, "===", 3);
            if (boundary && have_case) {
                /* run the case: the text goes through the reader, as a file would */
                char *body = text ? text : "";
                FILE *sf = NULL;
                int skip = 0;
                if (!strncmp(body, "@file ", 6)) {
                    char path[4096], *dir = strdup(argv[f]), *slash = strrchr(dir, '/');
                    if (slash) *slash = 0;
                    body[strcspn(body, "\n")] = 0;
                    snprintf(path, sizeof path, "%s/%s", slash ? dir : ".", body + 6);
                    free(dir);
                    sf = fopen(path, "rb");
                    if (!sf) {
                        printf("skip %s:%zu: %s: %s not found\n", argv[f], case_line, title, path);
                        skip = 1;
                    }
                } else
                    sf = fmemopen(body, strlen(body) ? strlen(body) : 1, "rb");
                char id[64];
                snprintf(id, sizeof id, "case%zu", case_line);
                dyad_reader *rd = sf ? dyad_reader_open(sf, id, DYAD_FORMAT_TEXT, NULL, 0) : NULL;
                dyad_story st;
                int read_ok = rd && dyad_reader_next(rd, &st, &err) == DYAD_OK;
                ev gotv[64];
                int ngot = 0;
                int bad_date = 0;
                if (skip) {
                    skipped++;
                    have_case = 0;
                    if (rd) dyad_reader_close(rd);
                    continue;
                }
                if (read_ok && dyad_story_code(c, &st, &err) == DYAD_OK) {
                    size_t len;
                    const char *out = dyad_coder_jsonl(c, &len);
                    const char *p = out;
                    while (p < out + len && ngot < 64) {
                        const char *nl = memchr(p, '\n', (size_t)(out + len - p));
                        json_t *j = json_loadb(p, (size_t)(nl - p), 0, NULL);
                        const char *kind = j ? json_string_value(json_object_get(j, "kind")) : NULL;
                        if (j && kind && !strcmp(kind, "event")) {
                            codes_of(json_object_get(j, "actor"), gotv[ngot].src, sizeof gotv[0].src);
                            codes_of(json_object_get(j, "recipient"), gotv[ngot].tgt, sizeof gotv[0].tgt);
                            const char *code = json_string_value(json_object_get(json_object_get(j, "cameo"), "code"));
                            snprintf(gotv[ngot].code, sizeof gotv[0].code, "%s", code ? code : "?");
                            const char *dt = json_string_value(json_object_get(j, "date"));
                            snprintf(gotv[ngot].date, sizeof gotv[0].date, "%s", dt ? dt : "");
                            json_t *dv = json_object_get(json_object_get(json_object_get(j, "size"), "dead"), "value");
                            gotv[ngot].dead = json_is_integer(dv) ? (long)json_integer_value(dv) : -1;
                            sort_codes(gotv[ngot].src);
                            sort_codes(gotv[ngot].tgt);
                            ngot++;
                        }
                        json_decref(j);
                        p = nl + 1;
                    }
                }
                story_date = read_ok ? st.date : NULL;
                int used[64] = {0}, ok = nwant == ngot && !bad_date;
                for (int w = 0; w < nwant && ok; w++) {
                    int hit = 0;
                    for (int g = 0; g < ngot && !hit; g++)
                        if (!used[g] && ev_match(&want[w], &gotv[g])) used[g] = hit = 1;
                    ok = hit;
                }
                int kn = is_known(argv[f], title);
                if (ok && !kn) passed++;
                else if (!ok && kn) nknown_failed++;
                else failed++;
                if (ok && kn) printf("FAIL %s:%zu: %s: passes but is listed in known-failures.txt: remove it\n", argv[f], case_line, title);
                if (!ok || verbose) {
                    printf("%s %s:%zu: %s\n", ok ? "ok  " : kn ? "KNOWN" : "FAIL", argv[f], case_line, title);
                    if (!ok) {
                        print_evs("expected", want, nwant);
                        print_evs("produced", gotv, ngot);
                    }
                }
                if (rd) dyad_reader_close(rd);
                if (sf) fclose(sf);
                have_case = 0;
            }
            if (!got) break;
            if (boundary) {
                char *t = line + 3;
                while (*t == ' ' || *t == '=') t++;
                snprintf(title, sizeof title, "%s", t);
                title[strcspn(title, "\n")] = 0;
                case_line = lineno;
                tn = 0;
                if (text) text[0] = 0;
                nwant = 0;
                in_expect = 0;
                have_case = 1;
                continue;
            }
            if (!have_case) continue;
            if (!in_expect && !strncmp(line, "---", 3)) {
                in_expect = 1;
                continue;
            }
            if (in_expect) {
                char a[128], b[16], t2[128], dt[32] = "", x[32] = "";
                if (line[0] == '#' || line[strspn(line, " \t\n")] == 0) continue;
                if (!strncmp(line, "(none)", 6)) continue;
                int nf = sscanf(line, "%127s %15s %127s %31s %31s", a, b, t2, dt, x);
                long dead = -2;
                /* the last field may be the toll: "dead=N" or "dead=-" */
                char *dfield = nf == 5 ? x : nf == 4 && !strncmp(dt, "dead=", 5) ? dt : NULL;
                if (dfield) {
                    char *end;
                    dead = !strcmp(dfield + 5, "-") ? -1 : strtol(dfield + 5, &end, 10);
                    if (strncmp(dfield, "dead=", 5) || (dead != -1 && (*end || end == dfield + 5))) dead = -3;
                    if (dfield == dt) dt[0] = 0, nf = 3;
                }
                if (nf < 3 || (nf >= 4 && dt[0] != '@') || dead == -3 || nwant >= 64) {
                    printf("FAIL %s:%zu: bad expectation line (want SOURCE CODE TARGET)\n", argv[f], lineno);
                    failed++;
                    continue;
                }
                snprintf(want[nwant].src, sizeof want[0].src, "%s", a);
                snprintf(want[nwant].code, sizeof want[0].code, "%s", b);
                snprintf(want[nwant].tgt, sizeof want[0].tgt, "%s", t2);
                snprintf(want[nwant].date, sizeof want[0].date, "%s", nf >= 4 ? dt + 1 : "");
                want[nwant].dead = dead;
                sort_codes(want[nwant].src);
                sort_codes(want[nwant].tgt);
                nwant++;
            } else {
                size_t l = strlen(line);
                if (tn + l + 1 > tcap) {
                    tcap = (tn + l + 1) * 2;
                    text = realloc(text, tcap);
                }
                memcpy(text + tn, line, l + 1);
                tn += l;
            }
        }
        free(text);
        fclose(in);
    }
    printf("spec: %d cases: %d pass, %d known failures (tests/spec/known-failures.txt), %d skipped\n",
           passed + failed + nknown_failed, passed, nknown_failed, skipped);
    printf("spec: %d passed, %d failed\n", passed, failed);
    dyad_coder_free(c);
    dyad_dict_free(d);
    return failed ? 1 : 0;
}
