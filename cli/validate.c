/*
 * validate.c — the `dyad validate` command: runs a PETRARCH validation file (its unit-test
 * suite, PETR.UnitTest.records.xml) through dyad_validate_run and prints one line per failing
 * record, the event figures and "N passed, N failed"; --report jsonl writes one JSON object
 * per record to stdout instead (the lines then go to stderr).
 * Exit codes: 0 every record passed, 1 some failed, 2 usage, 3 fatal.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "dyad.h"

static const char usage_validate[] =
    "usage: dyad validate [OPTIONS] FILE.xml\n"
    "\n"
    "Runs a PETRARCH validation file: loads the dictionaries its <Environment> names\n"
    "(relative to FILE.xml), codes each <Sentence>'s <Text> (never its <Parse>) with the\n"
    "options its <Config> records set, and compares the events with its <EventCoding>s.\n"
    "Prints one line per failing record (expected vs produced), the event figures, and\n"
    "'N passed, N failed'.\n"
    "\n"
    "Options:\n"
    "  --report jsonl   one JSON object per record on stdout: {\"id\", \"expected\": [{\"source\",\n"
    "                   \"target\", \"code\"}], \"produced\": [...], \"pass\"}; the lines go to stderr\n"
    "  --dict DIR       code with DIR (a dictionary directory, PETRARCH config or image) instead\n"
    "  --strict         dictionary defects are fatal\n"
    "  --verbose        also print the records that pass\n"
    "  -h, --help       this help\n"
    "Exit status: 0 all records passed, 1 some failed, 2 usage error, 3 fatal error.\n";

static void diag(void *ctx, const char *file, size_t line, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "%s:%zu: %s\n", file, line, msg);
}

int cmd_validate(int argc, char **argv)
{
    dyad_validate_options opt = {0};
    const char *file = NULL;
    int jsonl = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_validate, stdout);
            return 0;
        }
        if (!strcmp(a, "--report") && i + 1 < argc) {
            if (strcmp(argv[++i], "jsonl")) {
                fprintf(stderr, "dyad: --report knows only 'jsonl'\n");
                return 2;
            }
            jsonl = 1;
        } else if (!strcmp(a, "--dict") && i + 1 < argc) opt.dict = argv[++i];
        else if (!strcmp(a, "--strict")) opt.strict = 1;
        else if (!strcmp(a, "--verbose")) opt.verbose = 1;
        else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "dyad: unknown option '%s' (see 'dyad validate --help')\n", a);
            return 2;
        } else if (!file) file = a;
        else {
            fprintf(stderr, "dyad: validate takes one file\n");
            return 2;
        }
    }
    if (!file) {
        fputs(usage_validate, stderr);
        return 2;
    }
    opt.out = jsonl ? stderr : stdout;
    opt.report = jsonl ? stdout : NULL;
    opt.diag = diag;
    dyad_validate_counts n;
    dyad_error err = {0};
    int rc = dyad_validate_run(file, &opt, &n, &err);
    if (fflush(stdout)) {
        fprintf(stderr, "dyad: write error\n");
        return 3;
    }
    if (rc) {
        if (err.line) fprintf(stderr, "%s:%zu: %s\n", err.file, err.line, err.message);
        else fprintf(stderr, "dyad: %s%s%s\n", err.file, *err.file ? ": " : "", err.message);
        return 3;
    }
    return n.failed ? 1 : 0;
}
