/*
 * main.c — the dyad command. Parses arguments, reads stories with a dyad_reader, codes them
 * with a dyad_coder and writes records; all pipeline logic is in libdyad behind dyad.h.
 * Exit codes: 0 every story coded, 1 some input rejected, 2 usage, 3 fatal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "dyad.h"
#include "stream.h"

enum { EXIT_REJECTED = 1, EXIT_USAGE = 2, EXIT_FATAL = 3 };


static const char *prog = "dyad";

static const char usage_main[] =
    "usage: dyad COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "Turns dated English news into political event records (CAMEO, PLOVER).\n"
    "\n"
    "Commands:\n"
    "  code [FILE...]        code stories; one JSON record per line on stdout\n"
    "  explain [FILE...]     show how each sentence was coded and why candidates were dropped\n"
    "  places [FILE...]      every place mention with its resolved gazetteer entry (JSON Lines)\n"
    "  dict check [DIR]      load the dictionaries and report every defect as file:line\n"
    "  dict lookup WORDS...  show what a phrase matches in the dictionaries\n"
    "  dict stats            count what the dictionaries hold\n"
    "  dict compile -o FILE  write the dictionaries as an image that --dict FILE maps\n"
    "  validate FILE.xml     run a PETRARCH validation file (PETR.UnitTest.records.xml)\n"
    "  ingest --db PATH|URI [FILE...]  code stories into an event store: an SQLite file,\n"
    "                        or a PostgreSQL database (postgresql://...)\n"
    "  query --db PATH|URI   read the event store: filters, happenings, time series, exports\n"
    "  enqueue --redis URL --stream S [FILE...]  add stories to a Redis stream for workers\n"
    "  worker --redis URL --stream S --group G --db PATH|URI  code and store the stories of\n"
    "                        a Redis stream, as one of any number of workers\n"
    "  serve --db PATH|URI   an HTTP API over the store and the dashboard (map, timeline, evidence)\n"
    "  version               print the version\n"
    "\n"
    "Run 'dyad COMMAND --help' for a command's options.\n"
    "Options take the forms --opt VALUE and --opt=VALUE; '--' ends them.\n"
    "Exit status: 0 all input coded, 1 some input rejected (see stderr), 2 usage error,\n"
    "3 fatal error (unreadable dictionary, out of memory, write error).\n";

static const char usage_code[] =
    "usage: dyad code [OPTIONS] [FILE...]\n"
    "       dyad explain [OPTIONS] [FILE...]\n"
    "       dyad places [OPTIONS] [FILE...]\n"
    "\n"
    "Reads stories from each FILE (or stdin when none or '-') and writes event records as\n"
    "JSON Lines to stdout ('explain' writes a readable trace instead; 'places' one line per\n"
    "place mention with its resolved gazetteer entry).\n"
    "\n"
    "Input: a plain-text story (one per file; a leading 'date YYYY-MM-DD' sets its date), or\n"
    "JSON Lines with one story per line: {\"id\",\"date\",\"title\",\"text\",\"url\",\"source\"}.\n"
    "Dates are calendar dates YYYY-MM-DD with a year from 1800 to 2200 (a JSON date may go on\n"
    "with a time). A story with a bad date, input that is not text (NUL bytes, or more than\n"
    "one byte in ten not UTF-8) and an empty input are rejected and named on stderr.\n"
    "\n"
    "Options:\n"
    "  --format jsonl|gdelt|phoenix|icews|acled\n"
    "                             (code) output: dyad's JSON Lines (default), or the rows\n"
    "                             'dyad query --format' writes from a store: GDELT 2.0,\n"
    "                             Phoenix, ICEWS, ACLED-like CSV (README \"Output formats\")\n"
    "  --input auto|text|jsonl    input format (default auto: JSON Lines if it starts with '{');\n"
    "                             --format auto|text|jsonl sets it too, as it always has\n"
    "  --date YYYY-MM-DD          date for stories that carry none\n"
    "  --dict DIR                 use the dictionaries in DIR (laid out as dyad's dict/, or\n"
    "                             PETRARCH's files), a PETRARCH config file, or an image\n"
    "                             written by 'dyad dict compile'\n"
    "  --add-dict DIR             use DIR on top of the built-in dictionaries\n"
    "  --strict                   treat dictionary defects as fatal\n"
    "  --require-dyad             keep only events with a known source and target (PETRARCH)\n"
    "  --new-actor-length N       a subject or object of at most N words that no dictionary\n"
    "                             names becomes a new actor (PETRARCH; default 0: off)\n"
    "  --home-region [SOURCE=]REGION\n"
    "                             where the stories of SOURCE (their \"source\" field; without\n"
    "                             SOURCE=, every story) are unless they say otherwise: an ISO\n"
    "                             3166-2 subdivision (US-OH) or a country (IRL); repeatable\n"
    "  --learn-home               read the input twice: first learn each source's home region\n"
    "                             from the places its stories name (printed on stderr), then\n"
    "                             code with it (FILEs only, not stdin)\n"
    "  --explain                  (places) each record also lists the gazetteer entries\n"
    "                             weighed for it, best first, with population and score\n"
    "  --max-story-bytes N        skip (and report) stories larger than N bytes (default 256M)\n"
    "  --arena-limit N            memory one story may use while coded (default 1G)\n"
    "  --fail-fast                stop at the first rejected input\n"
    "  -j, --jobs N               code on N threads (1-1024; default: the number of online\n"
    "                             cores); the output is in input order, the same as -j 1's\n"
    "  --quiet                    no progress or summary on stderr\n"
    "  -h, --help                 this help\n";

/* ==== code / explain ===================================================================== */

/* Writes a story's records to stdout with write(2), not stdio: a stdio buffer is flushed
 * whenever it fills, mid-line, so a run killed (SIGKILL, OOM killer) would leave a cut
 * record behind. One write per story leaves only whole lines (short of the kernel cutting a
 * write it is in the middle of). Returns 0, or -1 with errno set. */
static int write_all(const char *p, size_t n)
{
    while (n) {
        ssize_t k = write(1, p, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            if (k == 0) errno = EIO;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* What `dyad code` has done so far: kept by code_report, which the pool calls once per story
 * in input order (on one of its threads with -j N), and read by cmd_code after the pool is
 * finished. */
typedef struct code_run {
    int mode;               /* 0 code, 1 explain, 2 places */
    const char *table;      /* code: a table format (dyad_table_write), or NULL for JSON Lines */
    long long next_id;      /* the table's next event id */
    int quiet, fail_fast, progress, warned_date;
    int status;
    size_t stories, events, rejected;
    time_t last;
} code_run;

/* One story's outcome (or one rejected record's), in input order: its records written, or
 * why not named on stderr. Returns nonzero to stop the run (--fail-fast, a fatal error). */
static int code_report(void *ctx, const dyad_coded *r)
{
    code_run *k = ctx;
    const dyad_story *st = r->story;
    if (!r->coded) { /* a record the reader rejected, in its place */
        const dyad_error *err = r->err;
        if (r->rc == DYAD_EINPUT || r->rc == DYAD_ELIMIT) cli_input_error(err);
        else fprintf(stderr, "%s: %s%s%s\n", prog, err->file, *err->file ? ": " : "", err->message);
        /* an unreadable input (a directory, a failing disk) is rejected like a missing one */
        if (r->rc == DYAD_EINPUT || r->rc == DYAD_ELIMIT || r->rc == DYAD_EIO) {
            k->status = EXIT_REJECTED;
            k->rejected++;
            return k->fail_fast;
        }
        k->status = EXIT_FATAL;
        return 1;
    }
    const char *label = st->file ? st->file : "stdin"; /* as the reader names it */
    if (!st->date && !k->warned_date && !k->quiet) {
        fprintf(stderr, "%s: %s: story '%s' has no date (use --date or a leading 'date "
                        "YYYY-MM-DD'); its events carry \"date\": null\n",
                prog, label, st->id ? st->id : "?");
        k->warned_date = 1;
    }
    if (r->rc == DYAD_ELIMIT) {
        fprintf(stderr, "%s:%zu: story '%s' skipped: %s\n", label, st->line, st->id ? st->id : "?", r->err->message);
        k->status = EXIT_REJECTED;
        k->rejected++;
        return k->fail_fast;
    }
    if (r->rc != DYAD_OK) {
        fprintf(stderr, "%s: %s\n", prog, r->err->message);
        k->status = EXIT_FATAL;
        return 1;
    }
    const char *out = k->mode == 1 ? r->explain : k->mode == 2 ? r->places : r->jsonl;
    size_t len = k->mode == 1 ? r->explain_len : k->mode == 2 ? r->places_len : r->jsonl_len;
    if (k->table) { /* rows through stdio: nothing else writes to stdout in this mode */
        if (dyad_table_write(k->table, st, out, len, &k->next_id, stdout) == DYAD_EIO) {
            fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
            k->status = EXIT_FATAL;
            return 1;
        }
    } else if (len && write_all(out, len)) {
        fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
        k->status = EXIT_FATAL;
        return 1;
    }
    k->stories++;
    k->events += r->events;
    if (k->progress && time(NULL) != k->last) {
        k->last = time(NULL);
        fprintf(stderr, "\r%s: %zu stories, %zu events", prog, k->stories, k->events);
    }
    return 0;
}

/* Reads the stories of one input and hands them to the pool in order, rejected records
 * too (they are named in their place). Returns 0 to go on with the next input, -1 to stop
 * (the pool stopped, or a fatal error). */
static int code_input(dyad_pool *pool, dyad_reader *r)
{
    for (;;) {
        dyad_story st;
        dyad_error err = {0};
        int rc = dyad_reader_next(r, &st, &err);
        if (rc == DYAD_DONE) return 0;
        int pc = rc == DYAD_OK ? dyad_pool_story(pool, &st, NULL, &err) : dyad_pool_pass(pool, NULL, rc, &err, NULL, &err);
        if (pc == DYAD_ENOMEM) {
            fprintf(stderr, "%s: %s\n", prog, err.message);
            return -1;
        }
        if (pc == DYAD_DONE) return -1;
        if (rc == DYAD_EIO) return 0; /* the next input is still read */
        if (rc != DYAD_OK && rc != DYAD_EINPUT && rc != DYAD_ELIMIT) return -1;
    }
}

/* mode: 0 code, 1 explain, 2 places */
static int cmd_code(int argc, char **argv, int explain)
{
    const char *date = NULL, *dir = NULL, *add = NULL;
    const char *cmd = explain == 1 ? "explain" : explain == 2 ? "places" : "code";
    dyad_format fmt = DYAD_FORMAT_AUTO;
    int strict = 0, fail_fast = 0, quiet = 0, require_dyad = 0, new_actor_length = 0, jobs = cli_default_jobs();
    size_t max_story = 0, arena_limit = 0;
    const char *table = NULL;
    enum { O_FORMAT = 256, O_INPUT, O_DATE, O_DICT, O_ADD_DICT, O_MAX_STORY, O_ARENA, O_NEW_ACTOR, O_REQUIRE_DYAD,
           O_STRICT, O_FAIL_FAST, O_HOME, O_LEARN_HOME, O_EXPLAIN };
    const char *homes[64];
    int nhomes = 0, learn_home = 0, places_explain = 0;
    static const struct option longs[] = {
        {"format", required_argument, NULL, O_FORMAT},       {"date", required_argument, NULL, O_DATE},
        {"input", required_argument, NULL, O_INPUT},
        {"dict", required_argument, NULL, O_DICT},           {"add-dict", required_argument, NULL, O_ADD_DICT},
        {"max-story-bytes", required_argument, NULL, O_MAX_STORY},
        {"arena-limit", required_argument, NULL, O_ARENA},   {"new-actor-length", required_argument, NULL, O_NEW_ACTOR},
        {"require-dyad", no_argument, NULL, O_REQUIRE_DYAD}, {"strict", no_argument, NULL, O_STRICT},
        {"fail-fast", no_argument, NULL, O_FAIL_FAST},       {"quiet", no_argument, NULL, 'q'},
        {"home-region", required_argument, NULL, O_HOME},    {"learn-home", no_argument, NULL, O_LEARN_HOME},
        {"explain", no_argument, NULL, O_EXPLAIN},           {"jobs", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},                    {0}};
    long v;
    for (int c; (c = cli_getopt(argc, argv, cmd, ":hqj:", longs)) != -1;) {
        switch (c) {
        case 'h': fputs(usage_code, stdout); return 0;
        case 'q': quiet = 1; break;
        case 'j': if (cli_jobs(optarg, &jobs)) return EXIT_USAGE; break;
        case O_INPUT: if (cli_input_format("--input", optarg, &fmt)) return EXIT_USAGE; break;
        case O_FORMAT: /* an output table, or (as before --input) the input's format */
            if (dyad_table_known(optarg)) {
                if (explain) {
                    fprintf(stderr, "%s: %s: --format %s is an output of 'dyad code'\n", prog, cmd, optarg);
                    return EXIT_USAGE;
                }
                table = optarg;
                break;
            }
            if (strcmp(optarg, "auto") && strcmp(optarg, "text") && strcmp(optarg, "jsonl")) {
                fprintf(stderr, "%s: --format: '%s' is not one of jsonl, gdelt, phoenix, icews, acled "
                                "(output), auto, text (input)\n", prog, optarg);
                return EXIT_USAGE;
            }
            if (cli_input_format("--format", optarg, &fmt)) return EXIT_USAGE;
            break;
        case O_DATE:
            if (cli_date("--date", optarg)) return EXIT_USAGE;
            date = optarg;
            break;
        case O_DICT: dir = optarg; break;
        case O_ADD_DICT: add = optarg; break;
        case O_MAX_STORY: if (cli_size("--max-story-bytes", optarg, &max_story)) return EXIT_USAGE; break;
        case O_ARENA: if (cli_size("--arena-limit", optarg, &arena_limit)) return EXIT_USAGE; break;
        case O_NEW_ACTOR:
            if (cli_long("--new-actor-length", optarg, 0, 32, &v)) return EXIT_USAGE;
            new_actor_length = (int)v;
            break;
        case O_REQUIRE_DYAD: require_dyad = 1; break;
        case O_STRICT: strict = 1; break;
        case O_FAIL_FAST: fail_fast = 1; break;
        case O_HOME:
            if (nhomes == (int)(sizeof homes / sizeof *homes)) {
                fprintf(stderr, "%s: --home-region: at most %zu of them\n", prog, sizeof homes / sizeof *homes);
                return EXIT_USAGE;
            }
            homes[nhomes++] = optarg;
            break;
        case O_LEARN_HOME: learn_home = 1; break;
        case O_EXPLAIN:
            if (explain != 2) {
                fprintf(stderr, "%s: %s: --explain is an option of 'dyad places' (for events: dyad explain)\n", prog, cmd);
                return EXIT_USAGE;
            }
            places_explain = 1;
            break;
        default: return EXIT_USAGE;
        }
    }
    int i = optind;
    if (learn_home && !learn_home_inputs_ok(argv + i, argc - i)) return EXIT_USAGE;
    dyad_dict *d = load_dict(dir, add, strict, 0);
    if (!d) return EXIT_FATAL;
    char *stdin_only[] = {"-"};
    char **files = i < argc ? argv + i : stdin_only;
    int nfiles = i < argc ? argc - i : 1;
    /* the sources' home regions, given and learnt: read by every coding thread */
    dyad_homes *homes_tab = nhomes || learn_home ? dyad_homes_new() : NULL;
    int bad_home = (nhomes || learn_home) && !homes_tab;
    for (int h = 0; h < nhomes && !bad_home; h++) bad_home = home_region_option(homes_tab, homes[h]) != 0;
    if (bad_home || (learn_home && learn_homes(d, homes_tab, files, nfiles, fmt, date, max_story, arena_limit, quiet))) {
        dyad_homes_free(homes_tab);
        dyad_dict_free(d);
        return bad_home && homes_tab ? EXIT_USAGE : EXIT_FATAL;
    }
    dyad_options opt = {.arena_limit = arena_limit, .explain = explain == 1 || places_explain, .places = explain == 2,
                        .require_dyad = require_dyad, .new_actor_length = new_actor_length, .homes = homes_tab};
    code_run k = {.mode = explain, .table = table, .next_id = 1, .quiet = quiet, .fail_fast = fail_fast,
                  .progress = !quiet && isatty(2)};
    if (table && dyad_table_header(table)) fputs(dyad_table_header(table), stdout);
    dyad_error err = {0};
    dyad_pool *pool = dyad_pool_start(d, &opt, jobs, code_report, &k, &err);
    if (!pool) {
        fprintf(stderr, "%s: %s\n", prog, err.message);
        dyad_homes_free(homes_tab);
        dyad_dict_free(d);
        return EXIT_FATAL;
    }
    for (int f = 0; f < nfiles; f++) {
        const char *name = files[f];
        FILE *in = strcmp(name, "-") ? fopen(name, "rb") : stdin;
        if (!in) {
            dyad_error why = {.code = DYAD_EIO};
            snprintf(why.file, sizeof why.file, "%s", name);
            snprintf(why.message, sizeof why.message, "%s", strerror(errno));
            if (dyad_pool_pass(pool, NULL, DYAD_EIO, &why, NULL, &err) != DYAD_OK) break;
            continue;
        }
        dyad_reader *r = dyad_reader_open(in, name, fmt, date, max_story);
        int rc = r ? code_input(pool, r) : -1;
        if (!r) fprintf(stderr, "%s: out of memory\n", prog);
        dyad_reader_close(r);
        if (in != stdin) fclose(in);
        if (rc) break;
    }
    /* every story handed over is coded and reported (or dropped unreported after a stop) */
    dyad_pool_finish(pool);
    if (fflush(stdout)) {
        fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
        k.status = EXIT_FATAL;
    }
    if (k.progress) fprintf(stderr, "\r\033[K");
    if (!quiet && (k.rejected || k.progress))
        fprintf(stderr, "%s: %zu stories coded, %zu events, %zu inputs rejected\n", prog, k.stories, k.events,
                k.rejected);
    dyad_homes_free(homes_tab);
    dyad_dict_free(d);
    return k.status;
}

/* ==== dict =============================================================================== */

static const char usage_dict[] =
    "usage: dyad dict check [--strict] [DIR]   report every defect as file:line\n"
    "       dyad dict lookup [--dict DIR] [--date YYYY-MM-DD] WORDS...\n"
    "       dyad dict stats [--dict DIR]\n"
    "       dyad dict compile [--dict DIR] [--add-dict DIR] [--strict] -o FILE\n"
    "Without DIR the built-in dictionaries are used.\n";

static int cmd_dict(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(usage_dict, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    const char *sub = argv[1], *dir = NULL, *date = NULL, *add = NULL, *output = NULL;
    int strict = 0;
    enum { O_STRICT = 256, O_DICT, O_ADD_DICT, O_DATE };
    static const struct option longs[] = {{"strict", no_argument, NULL, O_STRICT},
                                          {"dict", required_argument, NULL, O_DICT},
                                          {"add-dict", required_argument, NULL, O_ADD_DICT},
                                          {"date", required_argument, NULL, O_DATE},
                                          {"output", required_argument, NULL, 'o'},
                                          {"help", no_argument, NULL, 'h'},
                                          {0}};
    char name[32];
    snprintf(name, sizeof name, "dict %s", sub);
    for (int c; (c = cli_getopt(argc - 1, argv + 1, name, ":ho:", longs)) != -1;) {
        switch (c) {
        case 'h': fputs(usage_dict, stdout); return 0;
        case 'o': output = optarg; break;
        case O_STRICT: strict = 1; break;
        case O_DICT: dir = optarg; break;
        case O_ADD_DICT: add = optarg; break;
        case O_DATE:
            if (cli_date("--date", optarg)) return EXIT_USAGE;
            date = optarg;
            break;
        default: return EXIT_USAGE;
        }
    }
    argc--, argv++;
    int i = optind;
    int most = !strcmp(sub, "lookup") ? argc : !strcmp(sub, "stats") ? 0 : 1; /* operands taken */
    if (argc - i > most) {
        fprintf(stderr, "dyad dict %s: unexpected argument '%s' (see 'dyad dict --help')\n", sub, argv[i + most]);
        return EXIT_USAGE;
    }
    if (!strcmp(sub, "check")) {
        if (i < argc) dir = argv[i];
        dyad_dict *d = load_dict(dir, NULL, strict, 1);
        if (!d) return EXIT_FATAL;
        printf("%zu actors, %zu agents, %zu patterns, %zu word sets, %zu CAMEO codes; %zu defects\n",
               dyad_dict_count(d, "actors"), dyad_dict_count(d, "agents"), dyad_dict_count(d, "patterns"),
               dyad_dict_count(d, "sets"), dyad_dict_count(d, "codes"), dyad_dict_count(d, "defects"));
        size_t nd = dyad_dict_count(d, "defects");
        dyad_dict_free(d);
        return nd ? EXIT_REJECTED : 0;
    }
    if (!strcmp(sub, "compile")) {
        if (!output) {
            fprintf(stderr, "%s: dict compile needs -o FILE\n", prog);
            return EXIT_USAGE;
        }
        if (i < argc && !dir) dir = argv[i];
        dyad_dict *d = load_dict(dir, add, strict, 1);
        if (!d) return EXIT_FATAL;
        dyad_error err = {0};
        int rc = dyad_dict_save_image(d, output, &err);
        if (rc) fprintf(stderr, "%s: %s%s%s\n", prog, err.file, *err.file ? ": " : "", err.message);
        else
            fprintf(stderr, "%s: wrote %s (%zu actors, %zu agents, %zu patterns; %zu defects)\n", prog, output,
                    dyad_dict_count(d, "actors"), dyad_dict_count(d, "agents"), dyad_dict_count(d, "patterns"),
                    dyad_dict_count(d, "defects"));
        dyad_dict_free(d);
        return rc ? EXIT_FATAL : 0;
    }
    if (!strcmp(sub, "stats")) {
        dyad_dict *d = load_dict(dir, NULL, 0, 0);
        if (!d) return EXIT_FATAL;
        const char *what[] = {"actors", "agents", "phrases", "patterns", "sets", "codes", "reachable",
                              "roots", "leader_countries", "words", "defects", "discards", "issues"};
        for (int k = 0; k < 13; k++) printf("%-17s %zu\n", what[k], dyad_dict_count(d, what[k]));
        dyad_dict_free(d);
        return 0;
    }
    if (!strcmp(sub, "lookup")) {
        if (i >= argc) {
            fprintf(stderr, "%s: dict lookup needs words\n", prog);
            return EXIT_USAGE;
        }
        char phrase[4096] = "";
        for (; i < argc; i++) {
            strncat(phrase, argv[i], sizeof phrase - strlen(phrase) - 2);
            strcat(phrase, " ");
        }
        dyad_dict *d = load_dict(dir, NULL, 0, 0);
        if (!d) return EXIT_FATAL;
        int rc = dyad_dict_lookup(d, phrase, date, stdout);
        dyad_dict_free(d);
        return rc ? EXIT_FATAL : 0;
    }
    fprintf(stderr, "%s: unknown dict command '%s' (check, lookup, stats, compile)\n", prog, sub);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("dyad %s\n", DYAD_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "code")) return cmd_code(argc - 1, argv + 1, 0);
    if (!strcmp(cmd, "explain")) return cmd_code(argc - 1, argv + 1, 1);
    if (!strcmp(cmd, "places")) return cmd_code(argc - 1, argv + 1, 2);
    if (!strcmp(cmd, "dict")) return cmd_dict(argc - 1, argv + 1);
    if (!strcmp(cmd, "validate")) return cmd_validate(argc - 1, argv + 1);
    if (!strcmp(cmd, "ingest")) return cmd_ingest(argc - 1, argv + 1);
    if (!strcmp(cmd, "query")) return cmd_query(argc - 1, argv + 1);
    if (!strcmp(cmd, "enqueue")) return cmd_enqueue(argc - 1, argv + 1);
    if (!strcmp(cmd, "worker")) return cmd_worker(argc - 1, argv + 1);
    if (!strcmp(cmd, "serve")) return cmd_serve(argc - 1, argv + 1);
    fprintf(stderr, "%s: unknown command '%s'\n\n%s", prog, cmd, usage_main);
    return EXIT_USAGE;
}
