/* reader_util.c - allocation-free scanners shared by the traffic readers: times and request
 * lines (see reader.h).
 *
 * Times are converted with days_from_civil (H. Hinnant's well-known arithmetic on the proleptic
 * Gregorian calendar) instead of timegm(3), which is not POSIX and consults the environment.
 */
#include "reader.h"

#include <stdio.h>
#include <string.h>

int64_t ac__days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    /* Signed arithmetic throughout, so that out-of-range days (d == 0) cannot wrap. */
    doy = (153 * ((int64_t)m + (m > 2 ? -3 : 9)) + 2) / 5 + (int64_t)d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* n decimal digits at s as a number, or -1. */
static int64_t digits(const char *s, size_t n)
{
    int64_t v = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static bool civil_ok(int64_t y, int64_t m, int64_t d, int64_t hh, int64_t mm, int64_t ss)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    if (!(y >= 1970 && m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1]))
        return false;
    if (m == 2 && d == 29 && !leap)
        return false;
    return hh >= 0 && hh < 24 && mm >= 0 && mm < 60 && ss >= 0 && ss <= 60;
}

static int64_t to_epoch(int64_t y, int64_t m, int64_t d, int64_t hh, int64_t mm, int64_t ss)
{
    return ac__days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 + hh * 3600 + mm * 60 + ss;
}

/* "+hhmm", "-hh:mm" or "Z" into seconds east of UTC. */
static bool zone(const char *s, size_t n, int64_t *off)
{
    int64_t h, m;

    if (n == 1 && (s[0] == 'Z' || s[0] == 'z')) {
        *off = 0;
        return true;
    }
    if (n < 5 || (s[0] != '+' && s[0] != '-'))
        return false;
    h = digits(s + 1, 2);
    m = n == 5 ? digits(s + 3, 2) : (n == 6 && s[3] == ':') ? digits(s + 4, 2) : -1;
    if (h < 0 || m < 0 || h > 23 || m > 59)
        return false;
    *off = (s[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
    return true;
}

bool ac__parse_clf_time(const char *s, size_t n, int64_t *out)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int64_t d, y, hh, mm, ss, off = 0;
    int64_t m = 0;
    size_t k;

    /* 22/Jan/2019:03:56:14 +0330 */
    if (n < 20 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' || s[17] != ':')
        return false;
    for (k = 0; k < 12 && m == 0; k++)
        if (memcmp(s + 3, months + 3 * k, 3) == 0)
            m = (int64_t)k + 1;
    d = digits(s, 2);
    y = digits(s + 7, 4);
    hh = digits(s + 12, 2);
    mm = digits(s + 15, 2);
    ss = digits(s + 18, 2);
    if (m == 0 || !civil_ok(y, m, d, hh, mm, ss))
        return false;
    if (n > 20) {
        if (s[20] != ' ' || !zone(s + 21, n - 21, &off))
            return false;
    }
    *out = to_epoch(y, m, d, hh, mm, ss) - off;
    return true;
}

bool ac__parse_iso_time(const char *s, size_t n, int64_t *out)
{
    int64_t y, m, d, hh, mm, ss, off = 0;
    size_t i = 19;

    /* 2019-01-22T03:56:14[.fff][Z|+hh:mm] or 2015-01-13 00:32:17 */
    if (n < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' ||
        s[16] != ':')
        return false;
    y = digits(s, 4);
    m = digits(s + 5, 2);
    d = digits(s + 8, 2);
    hh = digits(s + 11, 2);
    mm = digits(s + 14, 2);
    ss = digits(s + 17, 2);
    if (!civil_ok(y, m, d, hh, mm, ss))
        return false;
    if (i < n && (s[i] == '.' || s[i] == ',')) {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < n && !zone(s + i, n - i, &off))
        return false;
    *out = to_epoch(y, m, d, hh, mm, ss) - off;
    return true;
}

bool ac__parse_epoch(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    int64_t v = 0;

    while (i < n && s[i] >= '0' && s[i] <= '9' && i < 12) {
        v = v * 10 + (s[i] - '0');
        i++;
    }
    if (i == 0)
        return false;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i != n)
        return false;
    *out = v;
    return true;
}

bool ac__split_request_line(const char *s, size_t n, struct ac_slice *method,
                            struct ac_slice *target)
{
    size_t i = 0, start, mlen;

    while (i < n && s[i] != ' ')
        i++;
    if (i == 0 || i == n)
        return false;
    mlen = i;
    while (i < n && s[i] == ' ')
        i++;
    start = i;
    /* The target runs to the last " HTTP/" (targets may contain spaces in broken clients). */
    i = n;
    if (n - start > 9 && s[n - 9] == ' ' && memcmp(s + n - 8, "HTTP/", 5) == 0)
        i = n - 9; /* " HTTP/1.1": nothing after its ' ' can start another " HTTP/" */
    else
        while (i > start && !(i + 6 <= n && s[i] == ' ' && memcmp(s + i + 1, "HTTP/", 5) == 0))
            i--;
    if (i == start) {
        /* "GET  HTTP/1.1" has a protocol but no target. */
        if (n - start >= 5 && memcmp(s + start, "HTTP/", 5) == 0)
            return false;
        i = n;
    }
    /* Without a protocol, trailing blanks are not part of the target. */
    while (i > start && s[i - 1] == ' ')
        i--;
    if (i == start)
        return false;
    method->p = s;
    method->n = mlen;
    target->p = s + start;
    target->n = i - start;
    return true;
}

void ac__reader_why(char *why, size_t cap, const char *msg)
{
    if (why != NULL && cap > 0)
        snprintf(why, cap, "%s", msg);
}

bool ac__is_tchar(char c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

enum ac_err ac__reader_stateless_create(const char *spec, struct ac_reader **out, struct ac_diag *d)
{
    static char token;

    (void)spec;
    (void)d;
    *out = (struct ac_reader *)(void *)&token;
    return AC_OK;
}

void ac__reader_stateless_destroy(struct ac_reader *r)
{
    (void)r;
}
