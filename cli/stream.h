/*
 * stream.h — what `dyad enqueue` and `dyad worker` share: a Redis connection named by a URL
 * that survives the server's restarts (commands are sent again after a reconnect), and the
 * story fields of a stream entry. Only the dyad command links hiredis; libdyad does not.
 */
#ifndef DYAD_CLI_STREAM_H
#define DYAD_CLI_STREAM_H

#include <hiredis/hiredis.h>
#include <signal.h>
#include <stddef.h>

/* A Redis server as a URL names it, and the connection to it. */
typedef struct stream_conn {
    const char *url;     /* as given (--redis) */
    const char *who;     /* the command, in messages ("worker") */
    char host[256];      /* TCP host, or the socket's path when unix */
    int port;            /* TCP port (default 6379) */
    int unix_socket;     /* host is a socket path */
    char user[128];      /* AUTH (empty: none; user empty with a password: default user) */
    char password[256];
    long db;             /* SELECT (0: none) */
    redisContext *c;     /* NULL while disconnected */
    int lost;            /* the connection was lost and not yet restored (reported once) */
    volatile sig_atomic_t *stop; /* when set, a reconnect loop gives up (NULL: never) */
    unsigned long reconnects;
} stream_conn;

/* Reads --redis URL: redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] or unix://PATH[?db=N].
 * 0, or -1 after naming the option and what is accepted on stderr (a usage error). */
int stream_url(const char *opt, const char *url, stream_conn *sc);

/* Connects (and authenticates, selects the database). 0, or -1 with the reason in why. */
int stream_connect(stream_conn *sc, char *why, size_t n);

/* Sends one command and returns its reply (the caller frees it with freeReplyObject); error
 * replies are returned as such. When the connection fails, reconnects with a growing pause
 * (0.1 s to 2 s), saying so once on stderr, and sends the command again: a command that the
 * server ran before the connection broke may run twice. NULL only once *stop is set. */
redisReply *stream_cmd(stream_conn *sc, int argc, const char **argv, const size_t *lens);

/* stream_cmd over a printf-style format (hiredis's %s and %b). */
redisReply *stream_cmdf(stream_conn *sc, const char *fmt, ...);

/* After a failed command: says once on stderr that the connection was lost, drops it and
 * connects again, pausing longer each time (0.1 s to 2 s). 0 once connected, -1 once *stop
 * is set. */
int stream_reconnect(stream_conn *sc);

/* Frees the connection. */
void stream_close(stream_conn *sc);

/* Milliseconds of the monotonic clock / of the wall clock (Unix epoch). */
double stream_now_ms(void);
double stream_wall_ms(void);

/* Sleeps ms milliseconds in short steps, returning early once *stop (may be NULL) is set. */
void stream_sleep(double ms, volatile sig_atomic_t *stop);

/* The fields a story is stored under in a stream entry, in the order enqueue writes them. */
enum { SF_ID, SF_DATE, SF_TITLE, SF_TEXT, SF_SOURCE, SF_URL, SF_FILE, SF_LINE, SF_COUNT };
extern const char *const stream_fields[SF_COUNT];

/* The reply's integer (or integer in a string), else dflt. */
long long stream_int(const redisReply *r, long long dflt);

/* Undelivered entries of stream key: the largest lag of its consumer groups (XINFO GROUPS,
 * Redis 7), the stream's length when it has no group or a group's lag is unknown. -1 once
 * *stop is set. */
long long stream_undelivered(stream_conn *sc, const char *key);

int cmd_enqueue(int argc, char **argv); /* cli/enqueue.c */
int cmd_worker(int argc, char **argv);  /* cli/worker.c */

#endif
