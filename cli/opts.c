/*
 * opts.c — how every dyad command reads its options: getopt_long (--opt=value, --opt value,
 * `--` ends the options, short options bundle) and one strict parser for each kind of value,
 * shared by all commands. A bad value is named with its option, the value and the reason,
 * and the command exits 2 (the parsers print; callers return EXIT_USAGE).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_getopt(int argc, char **argv, const char *cmd, const char *shorts, const struct option *longs)
{
    opterr = 0;
    int prev = optind;
    int c = getopt_long(argc, argv, shorts, longs, NULL);
    if (c != '?' && c != ':') return c;
    /* the option getopt stopped at: argv[optind - 1], or the short option optopt */
    const char *arg = prev < argc ? argv[prev] : "";
    char shortname[3] = {'-', (char)optopt, 0};
    const char *name = optopt && arg[0] == '-' && arg[1] != '-' ? shortname : arg;
    char opt[64];
    snprintf(opt, sizeof opt, "%.*s", (int)strcspn(name, "="), name);
    if (c == ':')
        fprintf(stderr, "dyad %s: option '%s' needs a value (see 'dyad %s --help')\n", cmd, opt, cmd);
    else
        fprintf(stderr, "dyad %s: unknown option '%s' (see 'dyad %s --help')\n", cmd, opt, cmd);
    return '?';
}

/* Where the calling thread's parsers put their messages: stderr, or a buffer (cli_capture,
 * for dyad serve, whose threads answer requests with them). */
static _Thread_local char *capture;
static _Thread_local size_t capture_len;

void cli_capture(char *buf, size_t len)
{
    capture = len ? buf : NULL;
    capture_len = len;
    if (capture) *capture = 0;
}

/* Prints "dyad: OPT: 'VALUE' REASON" (or keeps "OPT: 'VALUE' REASON") and returns -1. */
static int bad(const char *opt, const char *val, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(const char *opt, const char *val, const char *fmt, ...)
{
    char why[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (capture) snprintf(capture, capture_len, "%s: '%.120s' %s", opt, val, why);
    else fprintf(stderr, "dyad: %s: '%s' %s\n", opt, val, why);
    return -1;
}

int cli_date(const char *opt, const char *val)
{
    char why[96];
    if (dyad_date_check(val, strlen(val), why, sizeof why) == 0) return 0;
    return bad(opt, val, "is not a date: %s (dates are YYYY-MM-DD, years %d-%d)", why, DYAD_YEAR_MIN,
               DYAD_YEAR_MAX);
}

int cli_long(const char *opt, const char *val, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(val, &end, 10);
    if (end == val || *end || errno == ERANGE || v < lo || v > hi || val[0] == ' ' || val[0] == '+')
        return bad(opt, val, "is not a whole number from %ld to %ld", lo, hi);
    *out = v;
    return 0;
}

int cli_jobs(const char *val, int *out)
{
    long v = 0;
    if (cli_long("--jobs", val, 1, CLI_JOBS_MAX, &v)) return -1;
    *out = (int)v;
    return 0;
}

int cli_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > CLI_JOBS_MAX ? CLI_JOBS_MAX : (int)n;
}

int cli_double(const char *opt, const char *val, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(val, &end);
    if (end == val || *end || errno == ERANGE || !isfinite(v) || v < lo || v > hi || val[0] == ' ')
        return bad(opt, val, "is not a number from %g to %g", lo, hi);
    *out = v;
    return 0;
}

int cli_size(const char *opt, const char *val, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(val, &end, 10);
    int shift = 0;
    if (*end == 'K' || *end == 'k') shift = 10, end++;
    else if (*end == 'M' || *end == 'm') shift = 20, end++;
    else if (*end == 'G' || *end == 'g') shift = 30, end++;
    if (end == val || *end || errno || v == 0 || val[0] == '-' || val[0] == ' ' || v > (~0ULL >> 1) >> shift)
        return bad(opt, val, "is not a positive size (bytes, or with K, M or G: 64M)");
    *out = (size_t)(v << shift);
    return 0;
}

int cli_choice(const char *opt, const char *val, const char *const *choices)
{
    for (int i = 0; choices[i]; i++)
        if (!strcmp(val, choices[i])) return i;
    char list[200] = "is not one of";
    size_t n = strlen(list);
    for (int i = 0; choices[i] && n < sizeof list; i++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s %s", i ? "," : "", choices[i]);
    return bad(opt, val, "%s", list);
}

int cli_input_format(const char *opt, const char *val, dyad_format *out)
{
    static const char *const names[] = {"auto", "text", "jsonl", NULL};
    static const dyad_format formats[] = {DYAD_FORMAT_AUTO, DYAD_FORMAT_TEXT, DYAD_FORMAT_JSONL};
    int k = cli_choice(opt, val, names);
    if (k < 0) return -1;
    *out = formats[k];
    return 0;
}

int cli_country(const char *opt, const char *val)
{
    if (strlen(val) == 3 && dyad_country_known(val)) return 0;
    return bad(opt, val, "is not an ISO 3166-1 alpha-3 country code (IRQ, UKR, USA, ...)");
}

int cli_cameo(const char *opt, const char *val, int root)
{
    size_t n = strlen(val);
    if ((root ? n == 2 : n >= 2 && n <= 4) && dyad_cameo_known(val)) return 0;
    if (root) return bad(opt, val, "is not a CAMEO root (two digits, 01 to 20)");
    return bad(opt, val, "is not a CAMEO event code (two to four digits of the CAMEO table: 19, 190, 1831)");
}

int cli_actor(const char *opt, const char *val)
{
    size_t n = strlen(val), i = 0;
    while (i < n && ((val[i] >= 'A' && val[i] <= 'Z') || (val[i] >= 'a' && val[i] <= 'z') || (val[i] >= '0' && val[i] <= '9')))
        i++;
    if (n >= 3 && n <= 30 && n % 3 == 0 && i == n) return 0;
    return bad(opt, val, "is not a CAMEO actor code (letters in groups of three: RUS, RUSMIL, IGOUNO)");
}

int cli_near(const char *opt, const char *val, double *lat, double *lon, double *km)
{
    char lat_s[64], lon_s[64], km_s[64], rest;
    /* three comma-separated numbers, each range-checked on its own */
    if (strlen(val) >= sizeof lat_s || sscanf(val, "%63[^,],%63[^,],%63[^,]%c", lat_s, lon_s, km_s, &rest) != 3)
        return bad(opt, val, "is not LAT,LON,KM (33.34,44.40,25)");
    char why[64];
    snprintf(why, sizeof why, "%s latitude", opt);
    if (cli_double(why, lat_s, -90, 90, lat)) return -1;
    snprintf(why, sizeof why, "%s longitude", opt);
    if (cli_double(why, lon_s, -180, 180, lon)) return -1;
    snprintf(why, sizeof why, "%s radius", opt);
    if (cli_double(why, km_s, 0.001, 20040, km)) return -1;
    return 0;
}

void cli_input_error(const dyad_error *err)
{
    if (err->line && err->column) fprintf(stderr, "%s:%zu:%zu: %s\n", err->file, err->line, err->column, err->message);
    else if (err->line) fprintf(stderr, "%s:%zu: %s\n", err->file, err->line, err->message);
    else fprintf(stderr, "%s: %s\n", *err->file ? err->file : "dyad", err->message);
}
