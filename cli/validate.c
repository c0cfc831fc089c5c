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
    "  -j, --jobs N     code the records on N threads (1-1024; default: the number of\n"
    "                   online cores); they are judged and printed in file order all the same\n"
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
    int jsonl = 0;
    enum { O_REPORT = 256, O_DICT, O_STRICT, O_VERBOSE };
    static const struct option longs[] = {{"report", required_argument, NULL, O_REPORT},
                                          {"dict", required_argument, NULL, O_DICT},
                                          {"strict", no_argument, NULL, O_STRICT},
                                          {"verbose", no_argument, NULL, O_VERBOSE},
                                          {"jobs", required_argument, NULL, 'j'},
                                          {"help", no_argument, NULL, 'h'},
                                          {0}};
    static const char *const reports[] = {"jsonl", NULL};
    opt.jobs = cli_default_jobs();
    for (int c; (c = cli_getopt(argc, argv, "validate", ":hj:", longs)) != -1;) {
        switch (c) {
        case 'h': fputs(usage_validate, stdout); return 0;
        case 'j': if (cli_jobs(optarg, &opt.jobs)) return 2; break;
        case O_REPORT:
            if (cli_choice("--report", optarg, reports) < 0) return 2;
            jsonl = 1;
            break;
        case O_DICT: opt.dict = optarg; break;
        case O_STRICT: opt.strict = 1; break;
        case O_VERBOSE: opt.verbose = 1; break;
        default: return 2;
        }
    }
    if (argc - optind != 1) {
        if (argc - optind > 1) fprintf(stderr, "dyad validate: takes one file, not %d\n", argc - optind);
        else fputs(usage_validate, stderr);
        return 2;
    }
    const char *file = argv[optind];
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
