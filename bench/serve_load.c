/*
 * serve_load.c — a small HTTP load client for `dyad serve` (make bench-serve): C clients on
 * loopback, each a thread with one keep-alive connection, send GET requests for SECONDS
 * seconds, each taking the URLs of its class in turn, and the latencies are reported per
 * class (median, p95, max), with requests per second and errors (a status other than 200, a
 * broken connection). Loopback only: the host is 127.0.0.1.
 * Usage: serve_load PORT CLIENTS SECONDS CLASS=URLFILE...   (one path per line in URLFILE;
 *        the classes share the clients in turn)
 */
#define _GNU_SOURCE /* strcasestr */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct klass {
    char name[32];
    char **url;
    size_t nurl;
    double *lat; /* seconds, one per request answered */
    size_t nlat, cap;
    long errors;
    pthread_mutex_t mu;
} klass;

static int port_no, seconds_run, nclasses;
static klass classes[8];
static double t_end;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int connect_local(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port_no)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&a, sizeof a)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Sends one GET on fd and reads the answer (Content-Length bodies). The status, or -1 when
 * the connection broke; *closing says the server closes the connection after it. */
static int request(int fd, const char *path, char **buf, size_t *cap, int *closing)
{
    char req[2048];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n", path);
    if (n <= 0 || (size_t)n >= sizeof req || write(fd, req, (size_t)n) != n) return -1;
    size_t have = 0;
    long body = -1;
    size_t head = 0;
    for (;;) {
        if (have + 65536 > *cap) {
            *cap = (*cap + 65536) * 2;
            char *b = realloc(*buf, *cap);
            if (!b) return -1;
            *buf = b;
        }
        ssize_t k = read(fd, *buf + have, *cap - have - 1);
        if (k <= 0) return -1;
        have += (size_t)k;
        (*buf)[have] = 0;
        if (!head) {
            char *e = strstr(*buf, "\r\n\r\n");
            if (!e) continue;
            head = (size_t)(e - *buf) + 4;
            char *cl = strcasestr(*buf, "\r\nContent-Length:");
            if (!cl || cl > e) return -1;
            body = atol(cl + 17);
            char *conn = strcasestr(*buf, "\r\nConnection: close");
            *closing = conn && conn < e;
        }
        if (head && have >= head + (size_t)body) break;
    }
    return atoi(*buf + 9);
}

static void *client(void *arg)
{
    long id = (long)arg;
    klass *k = &classes[id % nclasses];
    size_t next = (size_t)(id / nclasses) * 7919 % k->nurl;
    char *buf = NULL;
    size_t cap = 0;
    int fd = connect_local();
    while (now_s() < t_end) {
        if (fd < 0 && (fd = connect_local()) < 0) {
            pthread_mutex_lock(&k->mu);
            k->errors++;
            pthread_mutex_unlock(&k->mu);
            usleep(10000);
            continue;
        }
        double t0 = now_s();
        int closing = 0;
        int st = request(fd, k->url[next], &buf, &cap, &closing);
        double dt = now_s() - t0;
        next = (next + 1) % k->nurl;
        pthread_mutex_lock(&k->mu);
        if (st != 200) k->errors++;
        if (st > 0) {
            if (k->nlat == k->cap) {
                k->cap = k->cap ? 2 * k->cap : 4096;
                k->lat = realloc(k->lat, k->cap * sizeof *k->lat);
            }
            if (k->lat) k->lat[k->nlat++] = dt;
        }
        pthread_mutex_unlock(&k->mu);
        if (st < 0 || closing) {
            close(fd);
            fd = -1;
        }
    }
    if (fd >= 0) close(fd);
    free(buf);
    return NULL;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: serve_load PORT CLIENTS SECONDS CLASS=URLFILE...\n");
        return 2;
    }
    port_no = atoi(argv[1]);
    int nclients = atoi(argv[2]);
    seconds_run = atoi(argv[3]);
    for (int i = 4; i < argc && nclasses < 8; i++) {
        klass *k = &classes[nclasses];
        char *eq = strchr(argv[i], '=');
        if (!eq) return 2;
        snprintf(k->name, sizeof k->name, "%.*s", (int)(eq - argv[i]), argv[i]);
        FILE *f = fopen(eq + 1, "r");
        if (!f) {
            perror(eq + 1);
            return 2;
        }
        char line[2048];
        while (fgets(line, sizeof line, f)) {
            line[strcspn(line, "\r\n")] = 0;
            if (!*line) continue;
            k->url = realloc(k->url, (k->nurl + 1) * sizeof *k->url);
            k->url[k->nurl++] = strdup(line);
        }
        fclose(f);
        if (!k->nurl) return 2;
        pthread_mutex_init(&k->mu, NULL);
        nclasses++;
    }
    pthread_t *t = calloc((size_t)nclients, sizeof *t);
    double t0 = now_s();
    t_end = t0 + seconds_run;
    for (long i = 0; i < nclients; i++) pthread_create(&t[i], NULL, client, (void *)i);
    for (int i = 0; i < nclients; i++) pthread_join(t[i], NULL);
    double wall = now_s() - t0;
    long total = 0, errors = 0;
    for (int c = 0; c < nclasses; c++) {
        klass *k = &classes[c];
        qsort(k->lat, k->nlat, sizeof *k->lat, cmp_d);
        double p50 = k->nlat ? k->lat[k->nlat / 2] : 0, p95 = k->nlat ? k->lat[(size_t)(k->nlat * 0.95)] : 0;
        double max = k->nlat ? k->lat[k->nlat - 1] : 0;
        printf("%-12s %7zu requests %6.1f/s  median %7.1f ms  p95 %7.1f ms  max %7.1f ms  errors %ld\n", k->name,
               k->nlat, k->nlat / wall, p50 * 1e3, p95 * 1e3, max * 1e3, k->errors);
        total += (long)k->nlat;
        errors += k->errors;
    }
    printf("all          %7ld requests %6.1f/s  %d clients, %.1f s, errors %ld\n", total, total / wall, nclients, wall, errors);
    return errors ? 1 : 0;
}
