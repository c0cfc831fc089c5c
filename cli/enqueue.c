/*
 * enqueue.c — `dyad enqueue`: reads stories as `dyad code` and `dyad ingest` do (the same
 * reader, the same refusals named by file and line) and adds each to a Redis stream as one
 * entry (id, date, title, text, source, url, and the file and line it came from), for
 * `dyad worker` processes to code and store. Back-pressure: it waits while the stream holds
 * --maxlen undelivered entries, and never trims what has not been processed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "stream.h"

enum { EXIT_REJECTED = 1, EXIT_USAGE = 2, EXIT_FATAL = 3 };

/* XADDs sent before their replies are read; a lost connection sends the unanswered again. */
enum { CHUNK = 64 };

static const char usage_enqueue[] =
    "usage: dyad enqueue --redis URL --stream S [--maxlen N] [OPTIONS] [FILE...]\n"
    "\n"
    "Reads stories from each FILE (or stdin when none or '-') as 'dyad code' does and adds\n"
    "each to the Redis stream S as one entry (fields id, date, title, text, source, url, file,\n"
    "line) for 'dyad worker' to code and store. Rejected input is named on stderr as\n"
    "FILE:LINE: reason and not added. While S holds N undelivered entries (the largest lag of\n"
    "its consumer groups, or its length before any group exists) it waits: nothing is trimmed\n"
    "or dropped. A lost connection is retried; an entry the server took just before it went\n"
    "may then be added twice, which the store's idempotent ingest absorbs.\n"
    "\n"
    "Options:\n"
    "  --redis URL                redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] or\n"
    "                             unix://PATH[?db=N] (required)\n"
    "  --stream S                 the stream's key (required)\n"
    "  --maxlen N                 undelivered entries to allow before waiting (1-1000000000;\n"
    "                             default 10000)\n"
    "  --input auto|text|jsonl    input format (default auto); --format says the same\n"
    "  --date YYYY-MM-DD          date for stories that carry none\n"
    "  --max-story-bytes N        skip (and report) stories larger than N bytes (default 256M)\n"
    "  --quiet                    no progress or summary on stderr\n"
    "  -h, --help                 this help\n"
    "Exit status: 0 every story added, 1 some input rejected, 2 usage error, 3 fatal (Redis\n"
    "unreachable at the start, or refusing the entries).\n";

/* What enqueue has sent and still has to. */
typedef struct enqueue_state {
    stream_conn *sc;
    const char *key;
    long maxlen;
    char *cmd[CHUNK];  /* formatted XADDs not yet answered */
    int len[CHUNK];
    int n;
    size_t added, rejected;
    double waited_ms;
    int progress;
    double t0, last;
} enqueue_state;

/* Sends the chunk's XADDs, reads their replies, and on a lost connection sends the ones not
 * answered again. 0, or -1 (message on stderr) when the server refuses an entry. */
static int flush_chunk(enqueue_state *q)
{
    int done = 0, rc = 0;
    while (done < q->n) {
        redisContext *c = q->sc->c;
        int sent = c != NULL, k = done;
        for (int i = done; sent && i < q->n; i++)
            if (redisAppendFormattedCommand(c, q->cmd[i], (size_t)q->len[i]) != REDIS_OK) sent = 0;
        for (; sent && k < q->n; k++) {
            redisReply *r = NULL;
            if (redisGetReply(c, (void **)&r) != REDIS_OK || !r) break;
            int refused = r->type == REDIS_REPLY_ERROR;
            if (refused && !strncmp(r->str, "LOADING", 7)) { /* restarting: send again */
                freeReplyObject(r);
                break;
            }
            if (refused) {
                fprintf(stderr, "dyad enqueue: %s refused an entry: %s\n", q->key, r->str);
                rc = -1;
            }
            freeReplyObject(r);
            if (refused) break;
        }
        done = k;
        if (rc) break;
        if (done < q->n) {
            /* the rest of the replies are lost with the connection, or the server is loading */
            if (stream_reconnect(q->sc)) return -1;
        }
    }
    q->added += (size_t)done;
    for (int i = 0; i < q->n; i++) redisFreeCommand(q->cmd[i]);
    q->n = 0;
    return rc;
}

/* Waits until the stream has room for a chunk of n more entries. */
static void wait_for_room(enqueue_state *q, int n)
{
    double t0 = stream_now_ms();
    for (;;) {
        long long u = stream_undelivered(q->sc, q->key);
        if (u < 0 || u + n <= q->maxlen) break;
        stream_sleep(20, NULL);
    }
    q->waited_ms += stream_now_ms() - t0;
}

/* Formats one story's XADD into the chunk (sent when the chunk is full). */
static int add_story(enqueue_state *q, const dyad_story *st)
{
    char line[32];
    snprintf(line, sizeof line, "%zu", st->line);
    const char *vals[SF_COUNT] = {st->id, st->date, st->title, st->text, st->source, st->url, st->file, line};
    const char *argv[4 + 2 * SF_COUNT];
    size_t lens[4 + 2 * SF_COUNT];
    int argc = 0;
    argv[argc] = "XADD", lens[argc++] = 4;
    argv[argc] = q->key, lens[argc++] = strlen(q->key);
    argv[argc] = "*", lens[argc++] = 1;
    for (int f = 0; f < SF_COUNT; f++) {
        if (!vals[f] || (f == SF_LINE && !st->line)) continue;
        argv[argc] = stream_fields[f], lens[argc++] = strlen(stream_fields[f]);
        argv[argc] = vals[f], lens[argc++] = f == SF_TEXT ? st->text_len : strlen(vals[f]);
    }
    int n = redisFormatCommandArgv(&q->cmd[q->n], argc, argv, lens);
    if (n < 0) return -1;
    q->len[q->n++] = n;
    return 0;
}

static void progress(enqueue_state *q, int final)
{
    double t = stream_now_ms();
    if (!final && (!q->progress || t - q->last < 250)) return;
    q->last = t;
    double s = (t - q->t0) / 1e3;
    fprintf(stderr, "%s%zu stories added to %s, %zu rejected, in %.2f s (%.0f stories/s; %.2f s waiting for workers)%s",
            q->progress ? "\r\033[K" : "", q->added, q->key, q->rejected, s, s > 0 ? q->added / s : 0.0,
            q->waited_ms / 1e3, final ? "\n" : " ");
}

int cmd_enqueue(int argc, char **argv)
{
    const char *date = NULL, *key = NULL, *url = NULL;
    dyad_format fmt = DYAD_FORMAT_AUTO;
    size_t max_story = 0;
    long maxlen = 10000;
    int quiet = 0;
    stream_conn sc = {.who = "enqueue"};
    enum { O_REDIS = 256, O_STREAM, O_MAXLEN, O_FORMAT, O_DATE, O_MAX_STORY };
    static const struct option longs[] = {
        {"redis", required_argument, NULL, O_REDIS},   {"stream", required_argument, NULL, O_STREAM},
        {"maxlen", required_argument, NULL, O_MAXLEN}, {"format", required_argument, NULL, O_FORMAT},
        {"input", required_argument, NULL, O_FORMAT},
        {"date", required_argument, NULL, O_DATE},     {"max-story-bytes", required_argument, NULL, O_MAX_STORY},
        {"quiet", no_argument, NULL, 'q'},             {"help", no_argument, NULL, 'h'},
        {0}};
    for (int c; (c = cli_getopt(argc, argv, "enqueue", ":hq", longs)) != -1;) {
        switch (c) {
        case 'h': fputs(usage_enqueue, stdout); return 0;
        case 'q': quiet = 1; break;
        case O_REDIS:
            if (stream_url("--redis", optarg, &sc)) return EXIT_USAGE;
            url = optarg;
            break;
        case O_STREAM:
            if (!*optarg) return fprintf(stderr, "dyad: --stream: '' is not a stream key (give a name)\n"), EXIT_USAGE;
            key = optarg;
            break;
        case O_MAXLEN: if (cli_long("--maxlen", optarg, 1, 1000000000, &maxlen)) return EXIT_USAGE; break;
        case O_FORMAT: if (cli_input_format("--input", optarg, &fmt)) return EXIT_USAGE; break;
        case O_DATE:
            if (cli_date("--date", optarg)) return EXIT_USAGE;
            date = optarg;
            break;
        case O_MAX_STORY: if (cli_size("--max-story-bytes", optarg, &max_story)) return EXIT_USAGE; break;
        default: return EXIT_USAGE;
        }
    }
    if (!url || !key) {
        fprintf(stderr, "dyad enqueue: needs --redis URL and --stream S (see 'dyad enqueue --help')\n");
        return EXIT_USAGE;
    }
    /* a server that goes away mid-write is reconnected to, not a reason to die of SIGPIPE */
    signal(SIGPIPE, SIG_IGN);
    char why[512];
    if (stream_connect(&sc, why, sizeof why)) {
        fprintf(stderr, "dyad enqueue: %s\n", why);
        return EXIT_FATAL;
    }
    enqueue_state q = {.sc = &sc, .key = key, .maxlen = maxlen, .progress = !quiet && isatty(2)};
    q.t0 = q.last = stream_now_ms();
    int chunk = maxlen < CHUNK ? (int)maxlen : CHUNK, status = 0;
    char *stdin_only[] = {"-"};
    char **files = optind < argc ? argv + optind : stdin_only;
    int nfiles = optind < argc ? argc - optind : 1;
    for (int f = 0; f < nfiles && status != EXIT_FATAL; f++) {
        const char *name = files[f];
        FILE *in = strcmp(name, "-") ? fopen(name, "rb") : stdin;
        if (!in) {
            fprintf(stderr, "dyad: %s: %s\n", name, strerror(errno));
            status = EXIT_REJECTED;
            continue;
        }
        dyad_reader *r = dyad_reader_open(in, name, fmt, date, max_story);
        if (!r) status = EXIT_FATAL;
        while (r && status != EXIT_FATAL) {
            dyad_story st;
            dyad_error err = {0};
            int rc = dyad_reader_next(r, &st, &err);
            if (rc == DYAD_DONE) break;
            if (rc == DYAD_EINPUT || rc == DYAD_ELIMIT) {
                cli_input_error(&err);
                status = EXIT_REJECTED;
                q.rejected++;
                continue;
            }
            if (rc != DYAD_OK) {
                fprintf(stderr, "dyad: %s: %s\n", name, err.message);
                status = rc == DYAD_EIO ? EXIT_REJECTED : EXIT_FATAL;
                break;
            }
            if (!st.id) st.id = "stdin";
            if (q.n == 0) wait_for_room(&q, chunk);
            if (add_story(&q, &st)) {
                fprintf(stderr, "dyad enqueue: out of memory\n");
                status = EXIT_FATAL;
            } else if (q.n == chunk && flush_chunk(&q)) {
                status = EXIT_FATAL;
            }
            progress(&q, 0);
        }
        dyad_reader_close(r);
        if (in != stdin) fclose(in);
    }
    if (q.n && flush_chunk(&q)) status = EXIT_FATAL;
    for (int i = 0; i < q.n; i++) redisFreeCommand(q.cmd[i]);
    stream_close(&sc);
    if (!quiet) progress(&q, 1);
    return status;
}
