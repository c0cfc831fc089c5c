/*
 * calendar.c — the civil calendar every date of dyad's input passes through: month lengths,
 * and the one strict check of a YYYY-MM-DD date that the reader (JSON "date", a text story's
 * "date" line) and every command's date option share (dyad_date_check in dyad.h).
 */
#include "dyad.h"

#include "base/base.h"

#include <stdio.h>

int dy_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int dy_month_days(int y, int m)
{
    static const unsigned char d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && dy_leap(y) ? 29 : d[m - 1];
}

static const char *const month_name[12] = {"January", "February", "March",     "April",   "May",      "June",
                                           "July",    "August",   "September", "October", "November", "December"};

int dyad_date_check(const char *s, size_t n, char *why, size_t len)
{
    char tmp[1];
    if (!why || !len) why = tmp, len = sizeof tmp;
    int shape = n == 10;
    for (size_t i = 0; shape && i < 10; i++)
        shape = i == 4 || i == 7 ? s[i] == '-' : dy_isdigit(s[i]);
    if (!shape) {
        snprintf(why, len, "not of the form YYYY-MM-DD");
        return -1;
    }
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < DYAD_YEAR_MIN || y > DYAD_YEAR_MAX) {
        snprintf(why, len, "year %04d is outside %d-%d", y, DYAD_YEAR_MIN, DYAD_YEAR_MAX);
        return -1;
    }
    if (m < 1 || m > 12) {
        snprintf(why, len, "there is no month %02d", m);
        return -1;
    }
    if (d < 1 || d > dy_month_days(y, m)) {
        if (d < 1) snprintf(why, len, "there is no day 00");
        else snprintf(why, len, "%s %d has %d days", month_name[m - 1], y, dy_month_days(y, m));
        return -1;
    }
    return 0;
}
