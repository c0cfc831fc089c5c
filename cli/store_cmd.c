/*
 * store_cmd.c — the `dyad ingest` and `dyad query` commands: code stories into an event store
 * (SQLite, or PostgreSQL for teams) and read it back as events, happenings, time series or
 * exports. Uses dyad.h, and load_dict from main.c (cli.h).
 * Exit codes as for `dyad code`: 0 ok, 1 some input rejected, 2 usage, 3 fatal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "dyad.h"


enum { EXIT_REJECTED = 1, EXIT_USAGE = 2, EXIT_FATAL = 3 };

static const char usage_ingest[] =
    "usage: dyad ingest --db PATH|URI [OPTIONS] [FILE...]\n"
    "\n"
    "Codes stories from each FILE (or stdin when none or '-') and stores them, their\n"
    "sentences, events, actors, places and quotes in the SQLite database PATH (created when\n"
    "absent) or the PostgreSQL database URI (postgresql://..., tables made when absent). A story already stored with the same content is skipped; a story whose text\n"
    "changed replaces its records. Events of different stories that tell the same happening\n"
    "are grouped (same CAMEO root, same dyad, dates at most --days apart, places at most --km\n"
    "apart). Safe to kill and run again: it loses nothing and doubles nothing.\n"
    "\n"
    "Options:\n"
    "  --db PATH|URI              the store: an SQLite file, or postgresql://[user@]host\n"
    "                             [:port]/dbname (libpq URI; required)\n"
    "  --input auto|text|jsonl    input format (default auto); --format says the same\n"
    "  --date YYYY-MM-DD          date for stories that carry none\n"
    "  --dict DIR                 code with these dictionaries (as for 'dyad code')\n"
    "  --add-dict DIR             add DIR's dictionaries to the built-in ones\n"
    "  --batch N                  stories per transaction (1-1000000; default 5000)\n"
    "  --days N                   happenings: largest day difference (0-366; 0: the same\n"
    "                             day only; default 1)\n"
    "  --km KM                    happenings: largest distance between the places of\n"
    "                             material events (default 50)\n"
    "  --full-codes               happenings: actor codes must be equal (default: RUS\n"
    "                             matches RUSMIL, not RUSGOV)\n"
    "  -j, --jobs N               code on N threads (1-1024; default: the number of online\n"
    "                             cores); one more thread stores, in input order\n"
    "  --home-region [SOURCE=]REGION, --learn-home\n"
    "                             the sources' home regions, as for 'dyad code'\n"
    "  --quiet                    no progress or summary on stderr\n"
    "  -h, --help                 this help\n";

static const char usage_query[] =
    "usage: dyad query --db PATH|URI [FILTERS] [--happenings | --by day|week|month] [--format F]\n"
    "\n"
    "Writes the stored events that match every filter, oldest first.\n"
    "\n"
    "Filters:\n"
    "  --from YYYY-MM-DD, --to YYYY-MM-DD   event dates (inclusive)\n"
    "  --country ISO3       the event's place or one of its actors is in this country\n"
    "                       (an ISO 3166-1 alpha-3 code: IRQ, UKR; any case)\n"
    "  --actor CODE         a source or target code starts with CODE (RUS matches RUSMIL)\n"
    "  --code CODE          CAMEO event code (190)  --root RR   CAMEO root (01-20)\n"
    "  --near LAT,LON,KM    events located within KM km of the point (-90..90, -180..180)\n"
    "  --text WORDS         full-text query over the events' sentences (\"shelled Kharkiv\";\n"
    "                       SQLite: FTS5 syntax; PostgreSQL: websearch_to_tsquery syntax)\n"
    "\n"
    "Output:\n"
    "  --format plover|gdelt|phoenix|icews|acled   events as PLOVER JSON Lines (default),\n"
    "                       GDELT 2.0 (61 columns), Phoenix (26), ICEWS (20, with header)\n"
    "                       or ACLED-like CSV (events with an ACLED type)\n"
    "  --happenings         one JSON line per happening, with every mention\n"
    "  --by day|week|month  a time series: events, happenings, Goldstein sum and mean,\n"
    "                       dead and injured (--format tsv, the default, or jsonl)\n"
    "  --limit N            at most N records (N >= 1)\n"
    "  --stats              row counts per table and a checksum of the content\n"
    "  -h, --help           this help\n";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Whether db names a PostgreSQL server rather than an SQLite file. */
static int is_postgres(const char *db)
{
    return !strncmp(db, "postgresql://", 13) || !strncmp(db, "postgres://", 11);
}

/* ==== ingest ============================================================================= */

/* What `dyad ingest` has done so far (ingest_report). */
typedef struct ingest_counts {
    size_t new_, changed, same, events, rejected;
    int status, progress;
    double t0, last;
} ingest_counts;

/* One story's outcome: counted, and named on stderr when it was not stored. */
static void ingest_report(void *ctx, const dyad_ingest_outcome *o)
{
    ingest_counts *k = ctx;
    if (o->rc == DYAD_OK) {
        k->events += o->what == DYAD_STORE_SAME ? 0 : o->events;
        if (o->what == DYAD_STORE_SAME) k->same++;
        else if (o->what == DYAD_STORE_CHANGED) k->changed++;
        else k->new_++;
    } else {
        if (o->file && o->line) fprintf(stderr, "%s:%zu: %s\n", o->file, o->line, o->message);
        else fprintf(stderr, "dyad: %s\n", o->message);
        k->rejected++;
        if (k->status != EXIT_FATAL) k->status = o->rc == DYAD_EIO ? EXIT_FATAL : EXIT_REJECTED;
    }
    if (k->progress) {
        double t = now_s();
        if (t - k->last > 0.25) {
            k->last = t;
            size_t n = k->new_ + k->changed + k->same;
            fprintf(stderr, "\r%zu stories (%zu new, %zu changed, %zu unchanged), %zu events, %.0f stories/s ",
                    n, k->new_, k->changed, k->same, k->events, n / (t - k->t0));
        }
    }
}

int cmd_ingest(int argc, char **argv)
{
    const char *db = NULL, *date = NULL, *dir = NULL, *add = NULL;
    dyad_format fmt = DYAD_FORMAT_AUTO;
    dyad_store_options so = {0};
    int quiet = 0, jobs = cli_default_jobs();
    long v;
    enum { O_DB = 256, O_DATE, O_DICT, O_ADD_DICT, O_BATCH, O_DAYS, O_KM, O_FORMAT, O_FULL_CODES, O_HOME,
           O_LEARN_HOME };
    const char *homes[64];
    int nhomes = 0, learn_home = 0;
    static const struct option longs[] = {
        {"db", required_argument, NULL, O_DB},         {"date", required_argument, NULL, O_DATE},
        {"dict", required_argument, NULL, O_DICT},     {"add-dict", required_argument, NULL, O_ADD_DICT},
        {"batch", required_argument, NULL, O_BATCH},   {"days", required_argument, NULL, O_DAYS},
        {"km", required_argument, NULL, O_KM},         {"format", required_argument, NULL, O_FORMAT},
        {"input", required_argument, NULL, O_FORMAT},
        {"full-codes", no_argument, NULL, O_FULL_CODES}, {"quiet", no_argument, NULL, 'q'},
        {"jobs", required_argument, NULL, 'j'},        {"help", no_argument, NULL, 'h'},
        {"home-region", required_argument, NULL, O_HOME}, {"learn-home", no_argument, NULL, O_LEARN_HOME},
        {0}};
    for (int c; (c = cli_getopt(argc, argv, "ingest", ":hqj:", longs)) != -1;) {
        switch (c) {
        case 'h': fputs(usage_ingest, stdout); return 0;
        case 'q': quiet = 1; break;
        case 'j': if (cli_jobs(optarg, &jobs)) return EXIT_USAGE; break;
        case O_DB: db = optarg; break;
        case O_DATE:
            if (cli_date("--date", optarg)) return EXIT_USAGE;
            date = optarg;
            break;
        case O_DICT: dir = optarg; break;
        case O_ADD_DICT: add = optarg; break;
        case O_BATCH:
            if (cli_long("--batch", optarg, 1, 1000000, &v)) return EXIT_USAGE;
            so.batch = (int)v;
            break;
        case O_DAYS: /* 0: the same day only, which the store spells as a negative number */
            if (cli_long("--days", optarg, 0, 366, &v)) return EXIT_USAGE;
            so.days = v ? (int)v : -1;
            break;
        case O_KM:
            if (cli_double("--km", optarg, 0.001, 20040, &so.km)) return EXIT_USAGE;
            break;
        case O_FORMAT: if (cli_input_format("--input", optarg, &fmt)) return EXIT_USAGE; break;
        case O_FULL_CODES: so.full_codes = 1; break;
        case O_HOME:
            if (nhomes == (int)(sizeof homes / sizeof *homes)) {
                fprintf(stderr, "dyad: --home-region: at most %zu of them\n", sizeof homes / sizeof *homes);
                return EXIT_USAGE;
            }
            homes[nhomes++] = optarg;
            break;
        case O_LEARN_HOME: learn_home = 1; break;
        default: return EXIT_USAGE;
        }
    }
    int i = optind;
    if (!db) {
        fprintf(stderr, "dyad: ingest needs --db PATH or --db postgresql://...\n");
        return EXIT_USAGE;
    }
    if (learn_home && !learn_home_inputs_ok(argv + i, argc - i)) return EXIT_USAGE;
    dyad_dict *d = load_dict(dir, add, 0, 0);
    if (!d) return EXIT_FATAL;
    /* the sources' home regions, given and learnt (as for dyad code) */
    dyad_homes *homes_tab = nhomes || learn_home ? dyad_homes_new() : NULL;
    int bad_home = (nhomes || learn_home) && !homes_tab;
    for (int h = 0; h < nhomes && !bad_home; h++) bad_home = home_region_option(homes_tab, homes[h]) != 0;
    if (bad_home || (learn_home && learn_homes(d, homes_tab, argv + i, argc - i, fmt, date, 0, 0, quiet))) {
        dyad_homes_free(homes_tab);
        dyad_dict_free(d);
        return bad_home && homes_tab ? EXIT_USAGE : EXIT_FATAL;
    }
    dyad_options copts = {.homes = homes_tab};
    dyad_error err = {0};
    dyad_store *s = dyad_store_open(db, &so, &err);
    if (!s) {
        fprintf(stderr, "dyad: %s\n", err.message);
        dyad_homes_free(homes_tab);
        dyad_dict_free(d);
        return EXIT_FATAL;
    }
    ingest_counts k = {.progress = !quiet && isatty(2), .t0 = now_s()};
    k.last = k.t0;
    dyad_ingest *p = dyad_ingest_start(s, d, &copts, jobs, ingest_report, &k, &err);
    if (!p) {
        fprintf(stderr, "dyad: %s\n", err.message);
        dyad_store_close(s, NULL);
        dyad_homes_free(homes_tab);
        dyad_dict_free(d);
        return EXIT_FATAL;
    }
    char *stdin_only[] = {"-"};
    char **files = i < argc ? argv + i : stdin_only;
    int nfiles = i < argc ? argc - i : 1;
    for (int f = 0; f < nfiles && k.status != EXIT_FATAL; f++) {
        const char *name = files[f];
        FILE *in = strcmp(name, "-") ? fopen(name, "rb") : stdin;
        if (!in) {
            fprintf(stderr, "dyad: %s: %s\n", name, strerror(errno));
            k.status = EXIT_REJECTED;
            continue;
        }
        dyad_reader *r = dyad_reader_open(in, name, fmt, date, 0);
        if (!r) {
            k.status = EXIT_FATAL;
            break;
        }
        for (;;) {
            dyad_story st;
            int rc = dyad_reader_next(r, &st, &err);
            if (rc == DYAD_DONE) break;
            if (rc == DYAD_EINPUT || rc == DYAD_ELIMIT) {
                cli_input_error(&err);
                k.status = EXIT_REJECTED;
                k.rejected++;
                continue;
            }
            if (rc != DYAD_OK) {
                fprintf(stderr, "dyad: %s: %s\n", name, err.message);
                k.status = rc == DYAD_EIO ? EXIT_REJECTED : EXIT_FATAL;
                break;
            }
            if (!st.id) st.id = "stdin";
            if (dyad_ingest_story(p, &st, &err) != DYAD_OK) {
                fprintf(stderr, "dyad: %s\n", err.message);
                k.status = EXIT_FATAL;
                break;
            }
        }
        dyad_reader_close(r);
        if (in != stdin) fclose(in);
    }
    /* every story handed over is reported (and stored, or named as not stored) */
    if (dyad_ingest_finish(p, &err) != DYAD_OK) {
        fprintf(stderr, "dyad: %s\n", err.message);
        k.status = EXIT_FATAL;
    }
    if (dyad_store_close(s, &err) != DYAD_OK) {
        fprintf(stderr, "dyad: %s\n", err.message);
        k.status = EXIT_FATAL;
    }
    if (!quiet) {
        double t = now_s() - k.t0;
        size_t n = k.new_ + k.changed + k.same;
        fprintf(stderr, "%s%zu stories (%zu new, %zu changed, %zu unchanged, %zu rejected), "
                        "%zu events stored in %.2f s (%.0f stories/s)\n",
                k.progress ? "\r\033[K" : "", n, k.new_, k.changed, k.same, k.rejected, k.events,
                t, t > 0 ? n / t : 0.0);
    }
    dyad_homes_free(homes_tab);
    dyad_dict_free(d);
    return k.status;
}

/* ==== query ============================================================================== */

int cmd_query(int argc, char **argv)
{
    const char *db = NULL;
    dyad_store_query q = {0};
    int stats = 0;
    long v;
    enum { O_DB = 256, O_FROM, O_TO, O_COUNTRY, O_ACTOR, O_CODE, O_ROOT, O_TEXT, O_BY, O_FORMAT, O_LIMIT,
           O_NEAR, O_HAPPENINGS, O_STATS };
    static const struct option longs[] = {
        {"db", required_argument, NULL, O_DB},           {"from", required_argument, NULL, O_FROM},
        {"to", required_argument, NULL, O_TO},           {"country", required_argument, NULL, O_COUNTRY},
        {"actor", required_argument, NULL, O_ACTOR},     {"code", required_argument, NULL, O_CODE},
        {"root", required_argument, NULL, O_ROOT},       {"text", required_argument, NULL, O_TEXT},
        {"by", required_argument, NULL, O_BY},           {"format", required_argument, NULL, O_FORMAT},
        {"limit", required_argument, NULL, O_LIMIT},     {"near", required_argument, NULL, O_NEAR},
        {"happenings", no_argument, NULL, O_HAPPENINGS}, {"stats", no_argument, NULL, O_STATS},
        {"help", no_argument, NULL, 'h'},                {0}};
    static const char *const bys[] = {"day", "week", "month", NULL};
    static const char *const formats[] = {"plover", "gdelt", "phoenix", "icews", "acled", "tsv", "jsonl", "json", NULL};
    for (int c; (c = cli_getopt(argc, argv, "query", ":h", longs)) != -1;) {
        switch (c) {
        case 'h': fputs(usage_query, stdout); return 0;
        case O_DB: db = optarg; break;
        case O_FROM: if (cli_date("--from", optarg)) return EXIT_USAGE; q.from = optarg; break;
        case O_TO: if (cli_date("--to", optarg)) return EXIT_USAGE; q.to = optarg; break;
        case O_COUNTRY: if (cli_country("--country", optarg)) return EXIT_USAGE; q.country = optarg; break;
        case O_ACTOR: if (cli_actor("--actor", optarg)) return EXIT_USAGE; q.actor = optarg; break;
        case O_CODE: if (cli_cameo("--code", optarg, 0)) return EXIT_USAGE; q.code = optarg; break;
        case O_ROOT: if (cli_cameo("--root", optarg, 1)) return EXIT_USAGE; q.root = optarg; break;
        case O_TEXT: q.text = optarg; break;
        case O_BY: if (cli_choice("--by", optarg, bys) < 0) return EXIT_USAGE; q.by = optarg; break;
        case O_FORMAT: if (cli_choice("--format", optarg, formats) < 0) return EXIT_USAGE; q.format = optarg; break;
        case O_LIMIT:
            if (cli_long("--limit", optarg, 1, 1000000000, &v)) return EXIT_USAGE;
            q.limit = v;
            break;
        case O_NEAR:
            if (cli_near("--near", optarg, &q.lat, &q.lon, &q.km)) return EXIT_USAGE;
            q.near = 1;
            break;
        case O_HAPPENINGS: q.happenings = 1; break;
        case O_STATS: stats = 1; break;
        default: return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "dyad query: unexpected argument '%s' (see 'dyad query --help')\n", argv[optind]);
        return EXIT_USAGE;
    }
    if (q.from && q.to && strcmp(q.from, q.to) > 0) {
        fprintf(stderr, "dyad: --from %s is after --to %s: no date is in that range\n", q.from, q.to);
        return EXIT_USAGE;
    }
    if (!db) {
        fprintf(stderr, "dyad: query needs --db PATH or --db postgresql://...\n");
        return EXIT_USAGE;
    }
    if (!is_postgres(db) && access(db, R_OK)) {
        fprintf(stderr, "dyad: %s: %s\n", db, strerror(errno));
        return EXIT_FATAL;
    }
    dyad_error err = {0};
    dyad_store_options ro = {.read_only = 1};
    dyad_store *s = dyad_store_open(db, &ro, &err);
    if (!s) {
        fprintf(stderr, "dyad: %s\n", err.message);
        return EXIT_FATAL;
    }
    int rc = stats ? dyad_store_stats(s, stdout, &err) : dyad_store_query_run(s, &q, stdout, &err);
    if (rc != DYAD_OK) fprintf(stderr, "dyad: %s\n", err.message);
    dyad_store_close(s, NULL);
    if (fflush(stdout)) return EXIT_FATAL;
    return rc == DYAD_OK ? 0 : rc == DYAD_EUSAGE ? EXIT_USAGE : EXIT_FATAL;
}
