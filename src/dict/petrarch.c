/*
 * petrarch.c — PETRARCH's and TABARI's dictionary formats (the Phoenix/OEDA files) read into
 * a dyad_dict. Each entry is checked, translated into dyad's own text formats
 * (dict/FORMAT.md: exact "words", '~' adjacency, *&SET anchors, CODE:CODE2, discards) and
 * loaded with dy_dict_load_text_at at its original file:line, so the coder needs nothing
 * format-specific. The files are dirty (bytes that are not UTF-8 text, CRLF ends, malformed
 * dates, typos in codes): each defect is reported once and the sound rest of the entry kept.
 */
#define _GNU_SOURCE /* memmem */
#include "dict/petrarch.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "dates.h"
#include "dict/petrarch_read.h"
#include "lemma.h"

/* ==== files ============================================================================== */

/* Lower-case copy of a file's base name. */
static void base_lower(const char *name, char *out, size_t cap)
{
    const char *b = strrchr(name, '/');
    b = b ? b + 1 : name;
    size_t k = 0;
    for (; *b && k + 1 < cap; b++) out[k++] = (char)dy_tolower((unsigned char)*b);
    out[k] = 0;
}

int dy_petrarch_kind(const char *name, const char *text, size_t n)
{
    char b[256];
    base_lower(name, b, sizeof b);
    size_t bl = strlen(b);
    if (bl < 4 || strcmp(b + bl - 4, ".txt")) return PK_NONE;
    if (strstr(b, "actors")) return PK_ACTORS;
    if (strstr(b, "agents")) return PK_AGENTS;
    if (strstr(b, "discard")) return PK_DISCARDS;
    if (strstr(b, "issue")) return PK_ISSUES;
    if (!strstr(b, "verbs") && strncmp(b, "cameo.", 6)) return PK_NONE;
    if (!strcmp(b, "cameo.txt")) return PK_NONE; /* dyad's own CAMEO table */
    /* which pattern language: PETRARCH-2 uses (PREP ...) and {MULTI WORD} in patterns,
     * PETRARCH-1 joins words to the verb ("IN_*") and skips actors with '^' */
    int one = 0, two = 0;
    if (text) {
        const char *p = text, *end = text + n;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *le = nl ? nl : end;
            const char *s = dy_petr_skip_sp(p, le);
            if (le - s > 2 && s[0] == '-' && (s[1] == ' ' || s[1] == '\t')) {
                const char *h = memchr(s, '#', (size_t)(le - s));
                const char *ce = h ? h : le;
                if (memchr(s, '(', (size_t)(ce - s)) || memchr(s, '{', (size_t)(ce - s))) two++;
                for (const char *q = s; q + 1 < ce; q++)
                    if ((q[0] == '_' && q[1] == '*') || (q[0] == '*' && q[1] == '_')) {
                        one++;
                        break;
                    }
            }
            p = nl ? nl + 1 : end;
        }
    }
    if (two > one) return PK_VERBS2;
    if (one > two) return PK_VERBS1;
    return strncmp(b, "cameo.", 6) ? PK_VERBS1 : PK_VERBS2;
}

int dy_petrarch_load_text(dyad_dict *d, const char *name, const char *text, size_t n, int kind,
                          dyad_error *err)
{
    ctx c = {0};
    c.d = d;
    c.err = err;
    c.fid = d->nset; /* grows with every file that defines sets: unique among them */
    c.file = dy_arena_strndup(&d->mem, name, strlen(name));
    if (!c.file) {
        if (err) {
            err->code = DYAD_ENOMEM;
            snprintf(err->message, sizeof err->message, "out of memory loading %s", name);
        }
        return DYAD_ENOMEM;
    }
    if (kind == PK_NONE) kind = dy_petrarch_kind(name, text, n);
    if ((kind == PK_VERBS1 || kind == PK_VERBS2) && d->ncameo == 0) {
        /* the codes' Goldstein scores, quad classes and PLOVER types */
        int rc = dy_dict_load_builtin_kind(d, K_CAMEO, err);
        if (rc) return rc;
    }
    reader r;
    dy_petr_reader_init(&r, d, c.file, text, n);
    switch (kind) {
    case PK_VERBS1: dy_petr_load_verbs(&c, &r, 0); break;
    case PK_VERBS2: dy_petr_load_verbs(&c, &r, 1); break;
    case PK_ACTORS: dy_petr_load_actors(&c, &r); break;
    case PK_AGENTS: dy_petr_load_agents(&c, &r); break;
    case PK_DISCARDS: dy_petr_load_discards(&c, &r); break;
    case PK_ISSUES: dy_petr_load_issues(&c, &r); break;
    default:
        dy_buf_free(&r.buf);
        if (err) {
            err->code = DYAD_EUSAGE;
            snprintf(err->file, sizeof err->file, "%s", name);
            snprintf(err->message, sizeof err->message, "not a PETRARCH dictionary (unknown kind)");
        }
        return DYAD_EUSAGE;
    }
    if (r.in_comment && !c.failed) dy_petr_flaw(&c, r.line, "'<!--' comment not closed at the end of the file");
    dy_buf_free(&r.buf);
    return c.failed ? c.rc : DYAD_OK;
}

static int read_whole(const char *path, char **out, size_t *n, dyad_error *err)
{
    FILE *f = fopen(path, "rb");
    dy_buf b = {0};
    if (f) {
        char tmp[65536];
        size_t k;
        while ((k = fread(tmp, 1, sizeof tmp, f)) > 0) dy_buf_put(&b, tmp, k);
        int bad = ferror(f);
        fclose(f);
        if (!bad && !b.oom) {
            dy_buf_nul(&b);
            *out = b.p ? b.p : calloc(1, 1);
            *n = b.n;
            if (*out) return DYAD_OK;
        }
        dy_buf_free(&b);
    }
    if (err) {
        err->code = DYAD_EIO;
        snprintf(err->file, sizeof err->file, "%s", path);
        err->line = err->column = 0;
        snprintf(err->message, sizeof err->message, "cannot read: %s", strerror(errno ? errno : EIO));
    }
    return DYAD_EIO;
}

int dy_petrarch_load_file(dyad_dict *d, const char *path, int kind, dyad_error *err)
{
    char *text;
    size_t n;
    int rc = read_whole(path, &text, &n, err);
    if (rc) return rc;
    rc = dy_petrarch_load_text(d, path, text, n, kind, err);
    free(text);
    return rc;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Load order: actors, agents, discards, issues, then verbs (their codes and sets last). */
static int kind_rank(int k)
{
    return k == PK_ACTORS ? 0 : k == PK_AGENTS ? 1 : k == PK_DISCARDS ? 2 : k == PK_ISSUES ? 3 : 4;
}

int dy_petrarch_load_dir(dyad_dict *d, const char *dir, int *found, dyad_error *err)
{
    DIR *dp = opendir(dir);
    if (!dp) return DYAD_OK;
    char *names[1024];
    int nn = 0;
    struct dirent *de;
    while ((de = readdir(dp)) && nn < 1024) {
        if (dy_petrarch_kind(de->d_name, NULL, 0) == PK_NONE) continue;
        names[nn] = strdup(de->d_name);
        if (names[nn]) nn++;
    }
    closedir(dp);
    qsort(names, (size_t)nn, sizeof *names, cmp_name);
    int rc = DYAD_OK;
    for (int rank = 0; rank <= 4 && !rc; rank++)
        for (int j = 0; j < nn && !rc; j++) {
            if (kind_rank(dy_petrarch_kind(names[j], NULL, 0)) != rank) continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, names[j]);
            struct stat st;
            if (stat(path, &st) || !S_ISREG(st.st_mode)) continue;
            rc = dy_petrarch_load_file(d, path, PK_NONE, err);
            (*found)++;
        }
    for (int j = 0; j < nn; j++) free(names[j]);
    return rc;
}

/* ==== config files ======================================================================= */

int dy_petrarch_load_config(dyad_dict *d, const char *path, dyad_error *err)
{
    char *text;
    size_t n;
    int rc = read_whole(path, &text, &n, err);
    if (rc) return rc;
    const char *file = dy_arena_strndup(&d->mem, path, strlen(path));
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) slash[1] = 0;
    else dir[0] = 0;
    char dict_path[4096] = "";
    /* two passes: dict_path first, then the files in load order */
    static const char *const keys[] = {"actorfile_list", "agentfile_name", "discardfile_name",
                                       "issuefile_name", "verbfile_name", NULL};
    int loaded = 0;
    for (int pass = -1; pass < 5 && !rc; pass++) {
        const char *p = text, *end = text + n;
        uint32_t line = 0;
        while (p < end && !rc) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *le = nl ? nl : end;
            line++;
            const char *s = dy_petr_skip_sp(p, le), *e = dy_petr_trim_sp(s, le);
            p = nl ? nl + 1 : end;
            if (s == e || *s == '#' || *s == ';' || *s == '[') continue;
            const char *eq = s;
            while (eq < e && *eq != '=' && *eq != ':') eq++;
            if (eq == e) {
                if (pass == -1 && file) dy_dict_defect(d, file, line, "config line without '=' or ':'");
                continue;
            }
            const char *ke = dy_petr_trim_sp(s, eq), *v = dy_petr_skip_sp(eq + 1, e);
            size_t kl = (size_t)(ke - s);
            if (pass == -1) {
                if (kl == 9 && !strncasecmp(s, "dict_path", 9))
                    snprintf(dict_path, sizeof dict_path, "%.*s", (int)(e - v), v);
                continue;
            }
            if (strlen(keys[pass]) != kl || strncasecmp(s, keys[pass], kl)) continue;
            /* a comma-separated list of file names */
            while (v < e && !rc) {
                const char *q = memchr(v, ',', (size_t)(e - v));
                if (!q) q = e;
                const char *a = dy_petr_skip_sp(v, q), *b = dy_petr_trim_sp(a, q);
                if (b > a) {
                    char fp[4096];
                    const char *base = dict_path[0] == '/' ? "" : dir;
                    snprintf(fp, sizeof fp, "%s%s%s%.*s", base, dict_path, dict_path[0] && dict_path[strlen(dict_path) - 1] != '/' ? "/" : "",
                             (int)(b - a), a);
                    static const int kinds[] = {PK_ACTORS, PK_AGENTS, PK_DISCARDS, PK_ISSUES, PK_NONE};
                    int k = kinds[pass];
                    if (k == PK_NONE) { /* verbs: which language, from the contents */
                        char *vt;
                        size_t vn;
                        rc = read_whole(fp, &vt, &vn, err);
                        if (!rc) {
                            k = dy_petrarch_kind(fp, vt, vn);
                            if (k != PK_VERBS2) k = k == PK_VERBS1 ? k : PK_VERBS2;
                            rc = dy_petrarch_load_text(d, fp, vt, vn, k, err);
                            free(vt);
                        }
                    } else
                        rc = dy_petrarch_load_file(d, fp, k, err);
                    loaded++;
                }
                v = q < e ? q + 1 : e;
            }
        }
    }
    free(text);
    if (!rc && !loaded) {
        if (err) {
            err->code = DYAD_EDICT;
            snprintf(err->file, sizeof err->file, "%s", path);
            snprintf(err->message, sizeof err->message,
                     "config names no dictionary (verbfile_name, actorfile_list, agentfile_name, ...)");
        }
        return DYAD_EDICT;
    }
    return rc;
}

int dy_petrarch_load_path(dyad_dict *d, const char *path, dyad_error *err)
{
    char b[256];
    base_lower(path, b, sizeof b);
    size_t bl = strlen(b);
    if (bl > 4 && !strcmp(b + bl - 4, ".ini")) return dy_petrarch_load_config(d, path, err);
    char *text;
    size_t n;
    int rc = read_whole(path, &text, &n, err);
    if (rc) return rc;
    if (memmem(text, n, "[Dictionaries]", 14)) {
        free(text);
        return dy_petrarch_load_config(d, path, err);
    }
    int kind = dy_petrarch_kind(path, text, n);
    if (kind == PK_NONE) {
        free(text);
        if (err) {
            err->code = DYAD_EDICT;
            snprintf(err->file, sizeof err->file, "%s", path);
            err->line = err->column = 0;
            snprintf(err->message, sizeof err->message,
                     "not a dictionary directory, a PETRARCH config file or a PETRARCH dictionary "
                     "(*.verbs.txt, *.actors.txt, *.agents.txt, *discards*.txt, CAMEO.*.txt)");
        }
        return DYAD_EDICT;
    }
    rc = dy_petrarch_load_text(d, path, text, n, kind, err);
    free(text);
    return rc;
}
