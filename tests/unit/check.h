/*
 * check.h — the unit-test harness: CHECK macros that count passes and failures and print
 * file:line with the values on failure (to stderr), and check_done(), which ends a test
 * program by printing exactly one line "N passed, N failed" (to stdout) and returning the
 * exit status (1 if any check failed). tests/run-unit.sh sums those lines.
 *
 *     int main(void) { CHECK(1 + 1 == 2); CHECK_STR_EQ(s, "x"); return check_done(); }
 */
#ifndef DYAD_CHECK_H
#define DYAD_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

/* Counts one check; on failure prints where and, when given, the detail. */
static inline int check_count(int ok, const char *file, int line, const char *expr)
{
    if (ok) {
        check_passed++;
    } else {
        check_failed++;
        fprintf(stderr, "%s:%d: check failed: %s\n", file, line, expr);
    }
    return ok;
}

/* Compares two C strings (either may be NULL: equal only when both are). */
static inline int check_str_eq(const char *a, const char *b, const char *file, int line,
                               const char *ea, const char *eb)
{
    int ok = (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
    if (!check_count(ok, file, line, "CHECK_STR_EQ"))
        fprintf(stderr, "    %s = \"%s\"\n    %s = \"%s\"\n", ea, a ? a : "(null)", eb,
                b ? b : "(null)");
    return ok;
}

/* Compares the view a[0..n) with the C string b. */
static inline int check_strn_eq(const char *a, size_t n, const char *b, const char *file,
                                int line, const char *ea, const char *eb)
{
    int ok = a && b && strlen(b) == n && memcmp(a, b, n) == 0;
    if (!check_count(ok, file, line, "CHECK_STRN_EQ"))
        fprintf(stderr, "    %s = \"%.*s\"\n    %s = \"%s\"\n", ea, a ? (int)n : 6,
                a ? a : "(null)", eb, b ? b : "(null)");
    return ok;
}

/* Compares two integers (as long long). */
static inline int check_int_eq(long long a, long long b, const char *file, int line,
                               const char *ea, const char *eb)
{
    int ok = a == b;
    if (!check_count(ok, file, line, "CHECK_INT_EQ"))
        fprintf(stderr, "    %s = %lld\n    %s = %lld\n", ea, a, eb, b);
    return ok;
}

#define CHECK(cond) check_count((cond) ? 1 : 0, __FILE__, __LINE__, #cond)
#define CHECK_STR_EQ(a, b) check_str_eq((a), (b), __FILE__, __LINE__, #a, #b)
#define CHECK_STRN_EQ(p, n, b) check_strn_eq((p), (n), (b), __FILE__, __LINE__, #p, #b)
#define CHECK_INT_EQ(a, b) \
    check_int_eq((long long)(a), (long long)(b), __FILE__, __LINE__, #a, #b)

/* Ends a test program: prints the one summary line; returns main's exit status. */
static inline int check_done(void)
{
    fflush(stderr);
    printf("%d passed, %d failed\n", check_passed, check_failed);
    fflush(stdout);
    return check_failed ? 1 : 0;
}

#endif
