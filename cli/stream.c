/*
 * stream.c — the Redis side of `dyad enqueue` and `dyad worker`: reads the --redis URL,
 * connects over TCP or a Unix socket, and keeps the connection through a server restart by
 * reconnecting and sending the command again. hiredis is linked into the dyad command only.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stream.h"

const char *const stream_fields[SF_COUNT] = {"id", "date", "title", "text", "source", "url", "file", "line"};

double stream_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double stream_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void stream_sleep(double ms, volatile sig_atomic_t *stop)
{
    double end = stream_now_ms() + ms;
    for (double left; (left = end - stream_now_ms()) > 0 && !(stop && *stop);) {
        if (left > 50) left = 50;
        struct timespec ts = {0, (long)(left * 1e6)};
        nanosleep(&ts, NULL);
    }
}

/* Prints the usage error for a URL and returns -1. */
static int bad_url(const char *opt, const char *url, const char *why)
{
    fprintf(stderr, "dyad: %s: '%s' %s (redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] or unix://PATH[?db=N])\n",
            opt, url, why);
    return -1;
}

/* Copies [p, p+n) into out (size cap); -1 when it does not fit. */
static int take(char *out, size_t cap, const char *p, size_t n)
{
    if (n >= cap) return -1;
    memcpy(out, p, n);
    out[n] = 0;
    return 0;
}

/* A database number "N" (0-15 on a default server; any whole number is sent). */
static int db_number(const char *p, long *db)
{
    char *end;
    errno = 0;
    long v = strtol(p, &end, 10);
    if (end == p || *end || errno || v < 0 || v > 1000000) return -1;
    *db = v;
    return 0;
}

int stream_url(const char *opt, const char *url, stream_conn *sc)
{
    sc->url = url;
    sc->port = 6379;
    if (!strncmp(url, "unix://", 7)) {
        const char *path = url + 7, *q = strchr(path, '?');
        size_t n = q ? (size_t)(q - path) : strlen(path);
        if (!n || path[0] != '/') return bad_url(opt, url, "does not name an absolute socket path");
        if (take(sc->host, sizeof sc->host, path, n)) return bad_url(opt, url, "has a socket path too long");
        if (q && (strncmp(q, "?db=", 4) || db_number(q + 4, &sc->db)))
            return bad_url(opt, url, "has a query other than ?db=N");
        sc->unix_socket = 1;
        return 0;
    }
    if (!strncmp(url, "rediss://", 9)) return bad_url(opt, url, "asks for TLS, which this dyad does not speak");
    if (strncmp(url, "redis://", 8)) return bad_url(opt, url, "is not a Redis URL");
    const char *p = url + 8, *at = strrchr(p, '@');
    if (at) {
        const char *colon = memchr(p, ':', (size_t)(at - p));
        if (!colon) return bad_url(opt, url, "has credentials without ':' before the password");
        if (take(sc->user, sizeof sc->user, p, (size_t)(colon - p)) ||
            take(sc->password, sizeof sc->password, colon + 1, (size_t)(at - colon - 1)))
            return bad_url(opt, url, "has credentials too long");
        p = at + 1;
    }
    const char *slash = strchr(p, '/');
    size_t hn = slash ? (size_t)(slash - p) : strlen(p);
    const char *colon = memchr(p, ':', hn);
    if (colon) {
        char port[16];
        long v;
        char *end;
        if (take(port, sizeof port, colon + 1, hn - (size_t)(colon + 1 - p)) ||
            ((void)(errno = 0), v = strtol(port, &end, 10), end == port || *end || v < 1 || v > 65535))
            return bad_url(opt, url, "has a port that is not a number from 1 to 65535");
        sc->port = (int)v;
        hn = (size_t)(colon - p);
    }
    if (!hn) return bad_url(opt, url, "names no host");
    if (take(sc->host, sizeof sc->host, p, hn)) return bad_url(opt, url, "has a host name too long");
    if (slash && slash[1] && db_number(slash + 1, &sc->db)) return bad_url(opt, url, "has a database that is not a whole number");
    return 0;
}

int stream_connect(stream_conn *sc, char *why, size_t n)
{
    struct timeval tv = {5, 0};
    redisContext *c = sc->unix_socket ? redisConnectUnixWithTimeout(sc->host, tv)
                                      : redisConnectWithTimeout(sc->host, sc->port, tv);
    if (!c || c->err) {
        snprintf(why, n, "cannot connect to %s: %s", sc->url, c ? c->errstr : "out of memory");
        if (c) redisFree(c);
        return -1;
    }
    /* a command's wait (XREADGROUP blocks at most a few seconds) stays well under this */
    struct timeval io = {60, 0};
    redisSetTimeout(c, io);
    redisReply *r = NULL;
    if (sc->password[0])
        r = sc->user[0] ? redisCommand(c, "AUTH %s %s", sc->user, sc->password) : redisCommand(c, "AUTH %s", sc->password);
    if (!(r && r->type == REDIS_REPLY_ERROR) && sc->db) {
        if (r) freeReplyObject(r);
        r = redisCommand(c, "SELECT %ld", sc->db);
    }
    if ((sc->password[0] || sc->db) && (!r || r->type == REDIS_REPLY_ERROR)) {
        snprintf(why, n, "%s: %s", sc->url, r ? r->str : c->errstr);
        if (r) freeReplyObject(r);
        redisFree(c);
        return -1;
    }
    if (r) freeReplyObject(r);
    sc->c = c;
    return 0;
}

void stream_close(stream_conn *sc)
{
    if (sc->c) redisFree(sc->c);
    sc->c = NULL;
}

int stream_reconnect(stream_conn *sc)
{
    char why[512];
    if (!sc->lost) {
        fprintf(stderr, "dyad %s: lost Redis (%s); reconnecting\n", sc->who,
                sc->c && sc->c->errstr[0] ? sc->c->errstr : "connection closed");
        sc->lost = 1;
    }
    stream_close(sc);
    for (double pause = 100; !(sc->stop && *sc->stop); pause = pause < 2000 ? pause * 2 : 2000) {
        if (stream_connect(sc, why, sizeof why) == 0) {
            fprintf(stderr, "dyad %s: reconnected to Redis\n", sc->who);
            sc->lost = 0;
            sc->reconnects++;
            return 0;
        }
        stream_sleep(pause, sc->stop);
    }
    return -1;
}

/* Sends a formatted command, reconnecting and sending it again when the connection fails. */
static redisReply *send_formatted(stream_conn *sc, const char *cmd, size_t n)
{
    for (;;) {
        if (sc->stop && *sc->stop && !sc->c) return NULL;
        if (sc->c) {
            redisReply *r = NULL;
            if (redisAppendFormattedCommand(sc->c, cmd, n) == REDIS_OK &&
                redisGetReply(sc->c, (void **)&r) == REDIS_OK && r) {
                /* a server starting up answers LOADING while it reads its AOF back */
                if (!(r->type == REDIS_REPLY_ERROR && !strncmp(r->str, "LOADING", 7))) return r;
                freeReplyObject(r);
                stream_sleep(100, sc->stop);
                if (sc->stop && *sc->stop) return NULL;
                continue;
            }
        }
        if (stream_reconnect(sc)) return NULL;
    }
}

redisReply *stream_cmd(stream_conn *sc, int argc, const char **argv, const size_t *lens)
{
    char *cmd = NULL;
    int n = redisFormatCommandArgv(&cmd, argc, argv, lens);
    if (n < 0) return NULL;
    redisReply *r = send_formatted(sc, cmd, (size_t)n);
    redisFreeCommand(cmd);
    return r;
}

redisReply *stream_cmdf(stream_conn *sc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = NULL;
    int n = redisvFormatCommand(&cmd, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    redisReply *r = send_formatted(sc, cmd, (size_t)n);
    redisFreeCommand(cmd);
    return r;
}

long long stream_int(const redisReply *r, long long dflt)
{
    if (!r) return dflt;
    if (r->type == REDIS_REPLY_INTEGER) return r->integer;
    if (r->type == REDIS_REPLY_STRING) {
        char *end;
        long long v = strtoll(r->str, &end, 10);
        if (end != r->str && !*end) return v;
    }
    return dflt;
}

long long stream_undelivered(stream_conn *sc, const char *key)
{
    redisReply *len = stream_cmdf(sc, "XLEN %s", key);
    if (!len) return -1;
    long long n = stream_int(len, 0), most = -1;
    freeReplyObject(len);
    redisReply *g = stream_cmdf(sc, "XINFO GROUPS %s", key);
    if (!g) return -1;
    int known = g->type == REDIS_REPLY_ARRAY && g->elements > 0;
    for (size_t i = 0; known && i < g->elements; i++) {
        redisReply *e = g->element[i];
        long long lag = -1;
        for (size_t k = 0; e->type == REDIS_REPLY_ARRAY && k + 1 < e->elements; k += 2)
            if (e->element[k]->type == REDIS_REPLY_STRING && !strcmp(e->element[k]->str, "lag"))
                lag = stream_int(e->element[k + 1], -1);
        if (lag < 0) known = 0; /* Redis before 7, or a lag it cannot tell */
        else if (lag > most) most = lag;
    }
    freeReplyObject(g);
    return known ? most : n;
}
