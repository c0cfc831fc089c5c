/*
 * dyad.h — the one public header of libdyad, a coder that turns dated English news into
 * political event records (CAMEO / PLOVER), each traceable to the sentences behind it.
 *
 * Flow: a dyad_reader yields dyad_story values from files or pipes; a dyad_dict holds the
 * dictionaries (built-in, or loaded from a directory); a dyad_coder codes one story at a time
 * against a dict and keeps its records until the next call.
 *
 * Thread safety: a finished dyad_dict is read-only and may be shared by many threads; a
 * dyad_coder and a dyad_reader belong to one thread at a time. A dyad_pool codes on several
 * threads at once and reports in input order.
 * Errors: calls return a dyad_status; an optional dyad_error* (may be NULL) receives the code,
 * a message, and the file / line / column it concerns. The library never exits or aborts.
 */
#ifndef DYAD_H
#define DYAD_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DYAD_VERSION "0.1.0"

typedef enum dyad_status {
    DYAD_OK = 0,      /* done */
    DYAD_DONE = 1,    /* reader: no more stories */
    DYAD_EINPUT = -1, /* a record of the input was rejected (the next one may be read) */
    DYAD_ENOMEM = -2, /* out of memory */
    DYAD_ELIMIT = -3, /* a named limit was exceeded (story bytes, arena bytes, tokens) */
    DYAD_EIO = -4,    /* a file could not be read or written */
    DYAD_EDICT = -5,  /* a dictionary line is malformed (strict mode) or a dictionary is missing */
    DYAD_EUSAGE = -6  /* a call's arguments are wrong */
} dyad_status;

/* Where and why a call failed. message is NUL-terminated; file/line/column are 0/"" when
 * they do not apply. Columns and lines count from 1. */
typedef struct dyad_error {
    int code;
    char file[256];
    size_t line;
    size_t column;
    char message[256];
} dyad_error;

/* Dates: every date dyad reads (a JSON "date", a text story's "date" line, a command's date
 * option) is a calendar date YYYY-MM-DD with a year from DYAD_YEAR_MIN to DYAD_YEAR_MAX. */
#define DYAD_YEAR_MIN 1800
#define DYAD_YEAR_MAX 2200
/* 0 when s[0..n) is such a date; else -1 with the reason ("February 2023 has 28 days") in
 * why[0..len) (why may be NULL). */
int dyad_date_check(const char *s, size_t n, char *why, size_t len);

/* Codes a user names (query filters, options), checked against the built-in tables: an ISO
 * 3166-1 alpha-3 country code ("IRQ", any case) of the gazetteer; a CAMEO event code or root
 * ("19", "190", "1831") of dict/cameo.txt. 1 when known, else 0. */
int dyad_country_known(const char *code);
int dyad_cameo_known(const char *code);

/* One story to code. All strings are NUL-terminated UTF-8 and owned by whoever filled the
 * struct (a dyad_reader keeps them valid until its next call). date is "YYYY-MM-DD" or NULL;
 * id, title, url and source may be NULL; text must not be NULL (text_len bytes, may be 0). */
typedef struct dyad_story {
    const char *id;
    const char *date;
    const char *title;
    const char *text;
    size_t text_len;
    const char *url;
    const char *source;
    const char *file;  /* input file name the story came from, or NULL */
    size_t line;       /* input line the story began on (1-based), 0 if not known */
    unsigned repaired; /* bytes of invalid UTF-8 the reader replaced with U+FFFD */
} dyad_story;

/* ==== reading stories ==================================================================== */

typedef enum dyad_format {
    DYAD_FORMAT_AUTO = 0, /* JSON Lines if the first non-blank byte is '{', else text */
    DYAD_FORMAT_TEXT = 1, /* the whole input is one story; optional leading "date YYYY-MM-DD" */
    DYAD_FORMAT_JSONL = 2 /* one JSON object per line: id, date, title, text, url, source */
} dyad_format;

typedef struct dyad_reader dyad_reader;

/* Opens a reader over f (not closed by the reader). name labels errors and gives text stories
 * their id (its base name without a .txt ending; "stdin" for NULL or "-"). default_date
 * ("YYYY-MM-DD" or NULL) is used for stories that carry no date. max_story_bytes limits one
 * story (0: DYAD_DEFAULT_MAX_STORY). Returns NULL only when out of memory. */
#define DYAD_DEFAULT_MAX_STORY ((size_t)256 << 20)
dyad_reader *dyad_reader_open(FILE *f, const char *name, dyad_format format,
                              const char *default_date, size_t max_story_bytes);

/* Reads the next story into *story. Returns DYAD_OK, DYAD_DONE at the end, DYAD_EINPUT for a
 * rejected record (err says file, line, column and why; call again for the next record),
 * DYAD_ELIMIT for a story over the limit (skipped; call again), DYAD_EIO or DYAD_ENOMEM
 * (fatal). The story's strings stay valid until the next call or dyad_reader_close. */
int dyad_reader_next(dyad_reader *r, dyad_story *story, dyad_error *err);

/* Frees the reader. NULL is a no-op. */
void dyad_reader_close(dyad_reader *r);

/* ==== dictionaries ======================================================================= */

typedef struct dyad_dict dyad_dict;

/* Called once per dictionary defect (file, 1-based line, reason). */
typedef void (*dyad_diag_fn)(void *ctx, const char *file, size_t line, const char *msg);

/* Creates an empty dictionary set. diag (may be NULL) receives each defect found while loading;
 * with strict set, any defect makes the load call fail with DYAD_EDICT. NULL when out of memory. */
dyad_dict *dyad_dict_new(dyad_diag_fn diag, void *ctx, int strict);

/* Adds the dictionaries built into the binary. */
int dyad_dict_load_builtin(dyad_dict *d, dyad_error *err);

/* Adds a directory laid out as dyad's dict/ (cameo.txt, actors/, agents/, verbs/,
 * discards/). PETRARCH's files in dir itself are recognised by their names (CAMEO.2.0.txt,
 * *.verbs.txt, *.actors.txt, *.agents.txt, *discards*.txt, *Issue*.txt) and contents, and
 * translated (README "PETRARCH dictionaries"); when a directory holds PETRARCH verbs but no
 * cameo.txt, the built-in CAMEO table is loaded for their codes. dir may also name one file:
 * a PETRARCH config file (PETR_config.ini: verbfile_name, actorfile_list, ... relative to
 * it) or a single PETRARCH dictionary. */
int dyad_dict_load_dir(dyad_dict *d, const char *dir, dyad_error *err);

/* Adds one file of the given kind: "cameo", "actors", "agents", "verbs", "discards", or
 * "petrarch" (a PETRARCH dictionary of the kind its name and contents say). */
int dyad_dict_load_file(dyad_dict *d, const char *path, const char *kind, dyad_error *err);

/* Builds the indexes; after this the dict is read-only and can be coded with. */
int dyad_dict_finish(dyad_dict *d, dyad_error *err);

/* Counts for reports: what = "actors", "agents", "phrases", "patterns", "codes", "sets",
 * "words", "defects", "discards", "issues" (PETRARCH issue phrases read),
 * "reachable" (CAMEO codes some pattern yields), "roots" (CAMEO roots
 * some pattern yields), "leader_countries" (countries with dated heads of state or
 * government). 0 for an unknown what or a NULL d. */
size_t dyad_dict_count(const dyad_dict *d, const char *what);

/* Writes to out a human-readable account of what a phrase matches (actors, agents, patterns
 * anchored on its words) for the given story date (may be NULL). */
int dyad_dict_lookup(const dyad_dict *d, const char *phrase, const char *date, FILE *out);

/* Frees the set. NULL is a no-op. */
void dyad_dict_free(dyad_dict *d);

/* Writes a finished dict to path as an image (a flat file of its arrays) that
 * dyad_dict_open_image maps back in a few milliseconds. DYAD_EUSAGE if d is not finished,
 * DYAD_EIO if the file cannot be written. */
int dyad_dict_save_image(const dyad_dict *d, const char *path, dyad_error *err);

/* Maps an image written by dyad_dict_save_image (same dyad version and architecture):
 * returns a finished, read-only dict that dyad_dict_free unmaps, or NULL with err set
 * (DYAD_EIO unreadable, DYAD_EDICT not an image or from another version). */
dyad_dict *dyad_dict_open_image(const char *path, dyad_error *err);

/* The built-in dictionaries as a finished, read-only dict: the same as dyad_dict_new,
 * dyad_dict_load_builtin and dyad_dict_finish, but from the image compiled into the library at
 * build time, so nothing is parsed (a few milliseconds instead of tens). Dictionary defects are
 * not reported, only counted (dyad_dict_count(d, "defects"): the built-in set has none). Returns NULL with err set (DYAD_ENOMEM) on failure;
 * the caller frees the dict with dyad_dict_free. Nothing can be added to it. */
dyad_dict *dyad_dict_open_builtin(dyad_error *err);

/* Whether the file at path starts with a dict image's magic bytes. */
int dyad_dict_is_image(const char *path);

/* ==== coding ============================================================================= */

typedef struct dyad_options {
    size_t arena_limit; /* bytes one story may use while coded (0: DYAD_DEFAULT_ARENA_LIMIT) */
    int explain;        /* nonzero: keep a trace of candidate events for dyad_coder_explain */
    int keep_unknown;   /* nonzero: also emit events with neither source nor target actor */
    int places;         /* nonzero: find every place mention of every story (for
                           dyad_coder_places_jsonl); zero: only for stories with events */
    /* PETRARCH's coding options (its config file, and the <Config> records of its
     * validation files); zero leaves dyad's behaviour unchanged */
    int require_dyad;     /* nonzero: drop events whose source or target is missing or
                             unknown ("---", "---GOV") */
    int new_actor_length; /* > 0: a subject or object noun phrase of at most this many words
                             that names no dictionary actor becomes a new actor named by its
                             words ("THE MINISTRY OF MAGIC") */
    int comma_min, comma_max;   /* a clause between two commas inside a sentence, of
                                   comma_min..comma_max words, is skipped (comma_max 0: off) */
    int comma_bmin, comma_bmax; /* the same for a clause opening the sentence */
    int comma_emin, comma_emax; /* the same for a clause closing it */
    /* the home regions of news sources (dyad_homes_*), read-only while coding and shared by
     * every coder given it; NULL: none */
    const struct dyad_homes *homes;
} dyad_options;
#define DYAD_DEFAULT_ARENA_LIMIT ((size_t)1 << 30)

typedef struct dyad_coder dyad_coder;

/* A coder over a finished dict (which must outlive it). opts may be NULL. NULL on OOM. */
dyad_coder *dyad_coder_new(const dyad_dict *d, const dyad_options *opts);

/* Codes one story. On DYAD_OK the story's records are available through the calls below
 * until the next dyad_story_code. DYAD_ELIMIT when the story exceeds the arena limit
 * (nothing kept). Never fails on messy text: every story yields a result. */
int dyad_story_code(dyad_coder *c, const dyad_story *story, dyad_error *err);

/* Number of event records of the last coded story. */
size_t dyad_coder_event_count(const dyad_coder *c);

/* Number of sentences of the last coded story. */
size_t dyad_coder_sentence_count(const dyad_coder *c);

/* Whether discard phrases (dictionary discards: sports, weather, ...) voided the last story:
 * 0 not at all, DYAD_DISCARD_SENTENCE some of its sentences, DYAD_DISCARD_STORY all of it. */
#define DYAD_DISCARD_SENTENCE 1
#define DYAD_DISCARD_STORY 2
int dyad_coder_discarded(const dyad_coder *c);

/* The last story's records as JSON Lines (one complete record per line, each ending in
 * '\n'); *len receives the byte count. Owned by the coder. */
const char *dyad_coder_jsonl(dyad_coder *c, size_t *len);

/* The last story's explanation (needs opts.explain): per sentence, tokens, actors found,
 * patterns tried, events kept and why others were dropped. Owned by the coder. */
const char *dyad_coder_explain(dyad_coder *c, size_t *len);

/* The last story's place mentions as JSON Lines (needs opts.places): one line per mention,
 * {"story_id", "start", "end", "text", "resolved"}; start/end are character offsets into the
 * story text; "resolved" is {name, geonameid, lat, lon, admin1, country_code (ISO alpha-3),
 * feature_code, precision: place|admin1|country|region} or null when nothing fits. *len
 * receives the byte count. Owned by the coder, valid until the next dyad_story_code. */
const char *dyad_coder_places_jsonl(dyad_coder *c, size_t *len);

/* The home regions of news sources: where a source's stories are, unless they say otherwise (a
 * local paper's "Dublin" is Dublin, Ohio). A table that coders read through opts.homes; fill it
 * before coding, and keep it until the coders (or the pool) that read it are freed. */
typedef struct dyad_homes dyad_homes;
dyad_homes *dyad_homes_new(void);
/* Sets the region of the stories whose source field is source (compared exactly; NULL: of every
 * story whose source has no region of its own). region is an ISO 3166-2 subdivision code
 * ("US-OH") or an ISO 3166-1 country code ("IRL", "IE"); NULL removes the entry. A later call for
 * the same source replaces the earlier one. Returns DYAD_OK, DYAD_EINPUT when the gazetteer knows
 * no such region (err says so), DYAD_ENOMEM. */
int dyad_homes_set(dyad_homes *h, const char *source, const char *region, dyad_error *err);
void dyad_homes_free(dyad_homes *h);

/* The subdivisions the last coded story's places lie in (with opts.places): the ISO 3166-2
 * codes of the first-level subdivisions of the towns, counties and subdivisions it names, each
 * once, separated by spaces ("US-OH US-IN"); "" when none. Valid until the next story. */
const char *dyad_coder_story_regions(const dyad_coder *c);

/* Learns sources' home regions from the places their stories name. Add each story's source and
 * dyad_coder_story_regions after coding it with opts.places; then apply sets, in the table h, the
 * home region of every source whose stories name one subdivision more often than any other: in
 * at least DYAD_HOME_MIN_STORIES stories and in at least half of those that name any. Returns
 * the number set, or -1 on OOM; with report non-NULL, writes one line per source set
 * ("SOURCE\tREGION\tN/M": N stories naming the region of the M naming any). */
typedef struct dyad_home_learner dyad_home_learner;
#define DYAD_HOME_MIN_STORIES 3
dyad_home_learner *dyad_home_learner_new(void);
int dyad_home_learner_add(dyad_home_learner *l, const char *source, const char *regions);
int dyad_home_learner_apply(const dyad_home_learner *l, dyad_homes *h, FILE *report);
void dyad_home_learner_free(dyad_home_learner *l);

/* Frees the coder. NULL is a no-op. */
void dyad_coder_free(dyad_coder *c);

/* ==== coding on several threads =========================================================== */
/* A pool codes stories on jobs threads, each with its own coder over the one shared, read-only
 * dict, and hands each story's records back in input order, so that what a caller writes is
 * byte for byte what one coder gives. The caller's thread reads and hands stories over; up to
 * DYAD_POOL_WINDOW of them are between being handed over and being reported (a story that
 * takes long holds up the reports, not the coding, until the window is full: memory stays
 * bounded on an endless stream). With jobs = 1 there is no thread: each story is coded and
 * reported inside dyad_pool_story, on the caller's thread. */
#define DYAD_POOL_WINDOW 1024

typedef struct dyad_pool dyad_pool;

/* One story's outcome, in input order. Every pointer is valid during the report call only. */
typedef struct dyad_coded {
    const dyad_story *story; /* the story as handed over (a copy), or NULL for a record handed
                                over without one (dyad_pool_pass) */
    void *tag;               /* as handed over */
    int coded;               /* 1: coded (rc is the coder's: DYAD_OK, DYAD_ELIMIT, DYAD_ENOMEM);
                                0: handed over with dyad_pool_pass (rc is what it was given) */
    int rc;
    const dyad_error *err;   /* why, when rc is not DYAD_OK; else NULL */
    const char *jsonl;       /* dyad_coder_jsonl; "" unless coded with DYAD_OK */
    const char *explain;     /* dyad_coder_explain (opts.explain), else "" */
    const char *places;      /* dyad_coder_places_jsonl (opts.places), else "" */
    size_t jsonl_len, explain_len, places_len;
    size_t events, sentences; /* dyad_coder_event_count, dyad_coder_sentence_count */
    int discarded;            /* dyad_coder_discarded */
} dyad_coded;

/* Receives each story's outcome in input order, one call at a time, on one of the pool's
 * threads (the caller's when jobs is 1). Returns 0 to go on; nonzero stops the pool: no later
 * story is reported and dyad_pool_story returns DYAD_DONE from then on. */
typedef int (*dyad_pool_report)(void *ctx, const dyad_coded *r);

/* Starts jobs (1 to 1024) coders over the finished dict d (which must outlive the pool) with
 * opts (may be NULL); report must not be NULL. NULL with err set (DYAD_EUSAGE, DYAD_ENOMEM, or
 * a thread that cannot start). */
dyad_pool *dyad_pool_start(const dyad_dict *d, const dyad_options *opts, int jobs,
                           dyad_pool_report report, void *ctx, dyad_error *err);

/* Hands one story over to be coded (it is copied; with jobs = 1 it is coded at once). Waits
 * while the window is full. DYAD_OK; DYAD_DONE once the report has stopped the pool;
 * DYAD_ENOMEM (err says so). */
int dyad_pool_story(dyad_pool *p, const dyad_story *story, void *tag, dyad_error *err);

/* Hands over a record that is not to be coded, to be reported in its place with rc and why
 * (copied; may be NULL): a rejected input line, or a story (may be NULL) the caller has no
 * need to code (copied without its text: the report sees text ""). Returns as
 * dyad_pool_story. */
int dyad_pool_pass(dyad_pool *p, const dyad_story *story, int rc, const dyad_error *why, void *tag,
                   dyad_error *err);

/* Codes the stories handed over from now on with opts (may be NULL: the defaults). DYAD_OK. */
int dyad_pool_options(dyad_pool *p, const dyad_options *opts);

/* Waits until every story handed over is coded and reported, and frees p (NULL: nothing).
 * DYAD_OK, or DYAD_DONE when the report stopped the pool. */
int dyad_pool_finish(dyad_pool *p);

/* ==== table formats: GDELT, Phoenix, ICEWS, ACLED ======================================== */

/* Whether name is one of the table formats ("gdelt", "phoenix", "icews", "acled"). */
int dyad_table_known(const char *name);

/* The line a table format writes before its rows (ICEWS and ACLED: their column names), or
 * NULL when it has none or name is not one. */
const char *dyad_table_header(const char *name);

/* Writes the events among one story's records (JSON Lines as dyad_coded's jsonl gives them)
 * as rows of the table format name, as `dyad query --format` writes them from a store: what
 * only a store knows is the story's alone here (each event its own happening: mentions,
 * stories and sources 1) and GDELT's event id is *next_id, counted up by one an event. st
 * gives the story's source, url and date. DYAD_EUSAGE for an unknown name, DYAD_EINPUT for a
 * record that is not JSON (none that dyad writes), DYAD_EIO on a write error. */
int dyad_table_write(const char *name, const dyad_story *st, const char *jsonl, size_t len,
                     long long *next_id, FILE *out);

/* ==== validation (PETRARCH's unit-test format) =========================================== */

/* What a validation run found. An expected event is produced when a produced event has the
 * same source, target and code (a compound actor is expanded into one event per pair; a
 * missing actor is "---"); an extra event is one produced that no expectation matches. */
typedef struct dyad_validate_counts {
    size_t records, passed, failed;  /* <Sentence> records, and how many came out exactly */
    size_t expected, found;          /* expected events; of them, produced */
    size_t produced, extra;          /* events produced; of them, not expected */
    size_t noevent_records, noevent_passed; /* records expecting noevents="True" */
    size_t error_records, error_passed;     /* records expecting error="..." */
} dyad_validate_counts;

typedef struct dyad_validate_options {
    FILE *out;          /* one line per failing record (expected vs produced); may be NULL */
    FILE *report;       /* one JSON object per record: {"id","expected","produced",...}; may be NULL */
    int strict;         /* dictionary defects are fatal */
    int verbose;        /* also list the records that pass */
    dyad_diag_fn diag;  /* receives dictionary defects; may be NULL */
    void *diag_ctx;
    const char *dict;   /* if not NULL: code with this dictionary directory, config or image
                           instead of the files the <Environment> names */
    int jobs;           /* records coded on this many threads (dyad_pool; 0 or 1: on the
                           caller's); they are judged and reported in file order all the same */
} dyad_validate_options;

/* Runs a PETRARCH validation file (PETR.UnitTest.records.xml): loads the dictionaries its
 * <Environment> names (relative to the file), then codes each <Sentence>'s <Text> with
 * them (its date, and the options the <Config> records before it set: require_dyad,
 * new_actor_length, comma_*) and compares the events with its <EventCoding> records,
 * which are read only after coding. The <Parse> trees are never read. Returns DYAD_OK (the
 * counts say how well it went), DYAD_EIO/DYAD_EINPUT if the file cannot be read or parsed,
 * DYAD_EDICT if a dictionary fails. opt may be NULL. */
int dyad_validate_run(const char *xml_path, const dyad_validate_options *opt,
                      dyad_validate_counts *counts, dyad_error *err);

/* ==== event store (SQLite or PostgreSQL): keep, deduplicate, query, export ================ */
/* A dyad_store is an SQLite database (WAL) or a PostgreSQL database of coded stories:
 * stories, sentences (with a full-text index), events (with a spatial index of their places),
 * actors, the countries each event touches, places, quotes, and happenings (events of
 * different stories grouped as one happening). It consumes the coder's JSON Lines
 * (dyad_coder_jsonl) and does not depend on coder internals. Schema: README "Event store". A
 * store handle belongs to one thread at a time; one process should write an SQLite store at a
 * time (SQLite serialises writers); PostgreSQL writers take turns batch by batch. */

typedef struct dyad_store dyad_store;

#define DYAD_STORE_DEFAULT_BATCH 5000 /* stories per transaction */
#define DYAD_STORE_DEFAULT_DAYS 1    /* happenings: largest |day difference| */
#define DYAD_STORE_DEFAULT_KM 50.0   /* happenings: largest distance between the places of
                                        material events (quad classes 2 and 4) */

typedef struct dyad_store_options {
    int batch;       /* stories per transaction (0: DYAD_STORE_DEFAULT_BATCH) */
    int days;        /* happenings: events at most this many days after the happening's
                        first mention (0: default 1; negative: the same day only) */
    double km;       /* happenings: places at most this far apart when both events have a
                        place-level location (<= 0: default 50) */
    int full_codes;  /* happenings: actors must have equal CAMEO codes; by default a code
                        matches its prefixes and extensions (RUS ~ RUSMIL, not RUSGOV) */
    int read_only;   /* nonzero: open an existing store for queries only (ingest fails) */
    int timeout_ms;  /* > 0: a query (dyad_store_query_run, _page, dyad_store_story) running
                        longer is stopped and fails with DYAD_ELIMIT (SQLite: a progress
                        handler; PostgreSQL: statement_timeout) */
} dyad_store_options;

/* Opens (creating when absent, unless opts->read_only) the SQLite database at path, or
 * connects to the PostgreSQL database path names when it is a postgresql:// (or postgres://)
 * URI, making the tables when absent; opts may be NULL (defaults). NULL with err set
 * (DYAD_EIO) when it cannot be opened, is not a store (read-only) or its schema cannot be
 * made. */
dyad_store *dyad_store_open(const char *path, const dyad_store_options *opts, dyad_error *err);

/* What the store holds of a story: DYAD_STORE_NEW (absent), DYAD_STORE_SAME (same id and
 * same content hash: ingesting it changes nothing), DYAD_STORE_CHANGED (same id, other
 * content: ingesting it replaces its records). Negative dyad_status on a database error. */
#define DYAD_STORE_NEW 0
#define DYAD_STORE_SAME 1
#define DYAD_STORE_CHANGED 2
int dyad_store_lookup(dyad_store *s, const dyad_story *story);

/* Stores a story (its id must not be NULL) with the JSON Lines the coder wrote for it (jsonl
 * may be NULL when len is 0), inside the current batch transaction, which commits every
 * opts.batch stories (and at dyad_store_commit / dyad_store_close). Unchanged stories are
 * skipped; changed ones replace their records. *what (may be NULL) receives the lookup
 * result. DYAD_EINPUT when a line is not a JSON object (nothing of the story is stored);
 * DYAD_EIO on a database error: the open batch is rolled back, so its stories are not stored
 * and a later run stores them; stop there. */
int dyad_store_ingest(dyad_store *s, const dyad_story *story, const char *jsonl, size_t len,
                      int *what, dyad_error *err);

/* Rebuilds the happenings around the days the batch added or removed events on (events are
 * grouped in date then id order, so the happenings do not depend on the order or batches
 * stories were stored in: README "Happenings") and commits the batch. */
int dyad_store_commit(dyad_store *s, dyad_error *err);

/* Coding and storing at once (what `dyad ingest` does): a dyad_pool codes the stories (with
 * one job, on the caller's thread) while one more thread stores the ones before them in
 * input order, so that storing costs little wall time. Stories stored unchanged are not
 * coded (their lookup is made through a second, read-only handle on the store). Between
 * dyad_ingest_start and dyad_ingest_finish the store is the pipeline's: call nothing else on
 * it. */
typedef struct dyad_ingest dyad_ingest;

/* What became of one story. */
typedef struct dyad_ingest_outcome {
    const char *id;      /* the story's id, file and line (dyad_story) */
    const char *file;
    size_t line;
    int rc;              /* DYAD_OK: stored, or found stored unchanged; DYAD_ELIMIT: over the
                            coder's limits, not stored (a later run retries it); DYAD_EINPUT:
                            a record rejected, not stored; DYAD_EIO: not stored, the
                            database failed; DYAD_ENOMEM: not stored, out of memory */
    int what;            /* with DYAD_OK: DYAD_STORE_NEW, DYAD_STORE_SAME or DYAD_STORE_CHANGED */
    size_t events;       /* events coded from it */
    const char *message; /* why, when rc is not DYAD_OK */
} dyad_ingest_outcome;
typedef void (*dyad_ingest_report)(void *ctx, const dyad_ingest_outcome *o);

/* Starts a pipeline into s coding with jobs coders (1 to 1024: dyad_pool_start) over the
 * finished dict d with opts (may be NULL); report (may be NULL) is called once per story, in
 * input order, on the caller's thread (inside dyad_ingest_story and dyad_ingest_finish).
 * NULL with err set when out of memory or a thread cannot start. */
dyad_ingest *dyad_ingest_start(dyad_store *s, const dyad_dict *d, const dyad_options *opts, int jobs,
                               dyad_ingest_report report, void *ctx, dyad_error *err);
/* Hands one story to the pipeline (it is copied). DYAD_OK; DYAD_EIO once the database has
 * failed (err: why; the open batch was rolled back, stop and finish); DYAD_ENOMEM. */
int dyad_ingest_story(dyad_ingest *p, const dyad_story *story, dyad_error *err);
/* Waits for every story handed over to be stored and reported, commits the batch and frees
 * p (NULL: nothing). DYAD_OK; DYAD_EIO as dyad_store_commit; DYAD_ENOMEM when a story could
 * not be kept (it was reported as not stored; what was stored is committed). */
int dyad_ingest_finish(dyad_ingest *p, dyad_error *err);

/* What to read from a store. Every filter is optional (NULL / 0); filters combine with AND. */
typedef struct dyad_store_query {
    const char *from, *to;   /* event dates, YYYY-MM-DD, inclusive */
    const char *country;     /* ISO alpha-3 of the event's place or of any of its actors */
    const char *actor;       /* CAMEO actor code prefix of a source or target ("RUS") */
    const char *code;        /* CAMEO event code ("194") */
    const char *root;        /* CAMEO root ("19") */
    int near;                /* nonzero: events within km of (lat, lon) (R*Tree, then haversine) */
    double lat, lon, km;
    const char *text;        /* FTS5 query over the events' sentences */
    int happenings;          /* nonzero: one record per happening instead of per event */
    const char *by;          /* "day", "week", "month": time series of the matching events */
    const char *format;      /* events: "plover" (JSON Lines, default), "gdelt", "phoenix",
                                "icews", "acled"; time series: "tsv" (default) or "jsonl" */
    long limit;              /* at most this many records (0: all) */
    /* what `dyad serve` adds; zero leaves a query as above */
    const char *after;       /* events: only those listed after this cursor, as
                                dyad_store_query_page gave it ("DATE~ID"; "~ID" when undated) */
    int places;              /* nonzero: the matching located events as one GeoJSON
                                FeatureCollection of clusters (points on a grid of about 60
                                pixels at zoom), each with its count per quad class, dead and
                                its first 5 events */
    int zoom;                /* places: web map zoom level, 0-20 */
} dyad_store_query;

/* Writes the records matching q to out in q->format (README "Event store"). DYAD_EUSAGE for a
 * bad format or by; DYAD_EIO on a database or write error. */
int dyad_store_query_run(dyad_store *s, const dyad_store_query *q, FILE *out, dyad_error *err);

/* As dyad_store_query_run, for a page of events (q->limit > 0, no by or happenings): when
 * more events match after the page, next (nextn bytes) receives the cursor to pass as
 * q->after for the following page, else "". DYAD_EUSAGE for a malformed q->after. */
int dyad_store_query_page(dyad_store *s, const dyad_store_query *q, FILE *out, char *next,
                          size_t nextn, dyad_error *err);

/* Writes one JSON object for the stored story id: {id, date, title, source, url, text,
 * events: [records], quotes: [records]} (the coder's records, whose text_info spans are
 * character offsets into text). DYAD_EINPUT when no story has that id; DYAD_EIO, DYAD_ELIMIT
 * (the timeout) as for queries. */
int dyad_store_story(dyad_store *s, const char *id, FILE *out, dyad_error *err);

/* Writes one line per table ("stories 12") and a checksum line ("checksum 0123...") over the
 * stored content in a fixed order: equal databases print equal lines. */
int dyad_store_stats(dyad_store *s, FILE *out, dyad_error *err);

/* Commits the open batch and closes the database. DYAD_EIO if the commit failed. NULL: 0. */
int dyad_store_close(dyad_store *s, dyad_error *err);

#ifdef __cplusplus
}
#endif
#endif
