/*
 * setup.c — what the commands that code share before the first story: the dictionaries
 * (built-in, a directory, PETRARCH's files or an image, with --add-dict on top) and the news
 * sources' home regions (given with --home-region, or learnt from the input with --learn-home).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dyad.h"

static const char *prog = "dyad";

/* ==== dictionaries ======================================================================= */

static void diag_print(void *ctx, const char *file, size_t line, const char *msg)
{
    size_t *count = ctx;
    (*count)++;
    fprintf(stderr, "%s:%zu: %s\n", file, line, msg);
}

static void diag_count(void *ctx, const char *file, size_t line, const char *msg)
{
    size_t *count = ctx;
    if (++*count <= 20) fprintf(stderr, "%s:%zu: %s\n", file, line, msg);
    else if (*count == 21) fprintf(stderr, "%s: more dictionary defects; run 'dyad dict check'\n", prog);
}

static size_t ndefects;

dyad_dict *load_dict(const char *dir, const char *add, int strict, int verbose)
{
    dyad_error err = {0};
    if (dir && dyad_dict_is_image(dir)) { /* compiled with 'dyad dict compile': mapped */
        dyad_dict *d = add ? NULL : dyad_dict_open_image(dir, &err);
        if (add) fprintf(stderr, "%s: --add-dict cannot extend a compiled image (%s)\n", prog, dir);
        else if (!d) fprintf(stderr, "%s: %s: %s\n", prog, err.file, err.message);
        return d;
    }
    if (!dir && !add && !verbose) { /* the built-in set, compiled at build time: mapped */
        dyad_dict *d = dyad_dict_open_builtin(&err);
        if (!d) fprintf(stderr, "%s: %s\n", prog, err.message);
        if (!d || !dyad_dict_count(d, "defects")) return d;
        dyad_dict_free(d); /* read the text instead, which reports each defect (or fails --strict) */
    }
    dyad_dict *d = dyad_dict_new(verbose ? diag_print : diag_count, &ndefects, strict);
    if (!d) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return NULL;
    }
    int rc = dir ? dyad_dict_load_dir(d, dir, &err) : dyad_dict_load_builtin(d, &err);
    if (!rc && add) rc = dyad_dict_load_dir(d, add, &err);
    if (!rc) rc = dyad_dict_finish(d, &err);
    if (rc) {
        if (err.line) fprintf(stderr, "%s:%zu: %s\n", err.file, err.line, err.message);
        else fprintf(stderr, "%s: %s%s%s\n", prog, err.file, *err.file ? ": " : "", err.message);
        dyad_dict_free(d);
        return NULL;
    }
    return d;
}

/* ==== home regions ======================================================================= */

/* --home-region [SOURCE=]REGION: sets it in the table h. 0, or -1 after saying why. */
int home_region_option(dyad_homes *h, const char *arg)
{
    const char *eq = strrchr(arg, '=');
    char *source = eq ? strndup(arg, (size_t)(eq - arg)) : NULL;
    dyad_error err = {0};
    int rc = dyad_homes_set(h, source, eq ? eq + 1 : arg, &err);
    free(source);
    if (rc == DYAD_OK) return 0;
    fprintf(stderr, "%s: --home-region '%s': %s\n", prog, arg, rc == DYAD_ENOMEM ? "out of memory" : err.message);
    return -1;
}

/* --learn-home: a first pass over the files that codes every story for its places and learns
 * each source's home region (dyad_home_learner), set in the table h for the second pass.
 * Input errors are left to the second pass, which reports them. 0, or -1 on OOM. */
int learn_homes(const dyad_dict *d, dyad_homes *h, char **files, int nfiles, dyad_format fmt,
                       const char *date, size_t max_story, size_t arena_limit, int quiet)
{
    dyad_options opt = {.arena_limit = arena_limit, .places = 1, .homes = h};
    dyad_coder *pc = dyad_coder_new(d, &opt);
    dyad_home_learner *l = dyad_home_learner_new();
    int rc = pc && l ? 0 : -1;
    for (int f = 0; f < nfiles && !rc; f++) {
        FILE *in = fopen(files[f], "rb");
        if (!in) continue;
        dyad_reader *r = dyad_reader_open(in, files[f], fmt, date, max_story);
        dyad_story st;
        dyad_error err;
        for (int k; r && (k = dyad_reader_next(r, &st, &err)) != DYAD_DONE;) {
            if (k == DYAD_EIO || k == DYAD_ENOMEM) break;
            if (k == DYAD_OK && st.source && dyad_story_code(pc, &st, &err) == DYAD_OK &&
                dyad_home_learner_add(l, st.source, dyad_coder_story_regions(pc)))
                rc = -1;
        }
        dyad_reader_close(r);
        fclose(in);
    }
    if (!rc) {
        if (!quiet) fprintf(stderr, "%s: home regions learnt (source, region, stories):\n", prog);
        int n = dyad_home_learner_apply(l, h, quiet ? NULL : stderr);
        if (n < 0) rc = -1;
        else if (!quiet) fprintf(stderr, "%s: %d sources with a home region\n", prog, n);
    }
    if (rc) fprintf(stderr, "%s: out of memory\n", prog);
    dyad_home_learner_free(l);
    dyad_coder_free(pc);
    return rc;
}

int learn_home_inputs_ok(char **files, int nfiles)
{
    int ok = nfiles > 0;
    for (int k = 0; k < nfiles; k++) ok &= strcmp(files[k], "-") != 0;
    if (!ok) fprintf(stderr, "%s: --learn-home reads its input twice: give FILEs, not stdin\n", prog);
    return ok;
}
