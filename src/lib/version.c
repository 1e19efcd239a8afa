/* version.c - version token and date recognition (see version.h).
 *
 * Hand-written scanners rather than regexes: they run per path segment on the traffic hot path.
 */
#include "version.h"

#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool ac__is_date(const char *s, size_t n)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;
    size_t i;

    if (n != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !is_digit(s[i]))
            return false;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return false;
    return true;
}

/* digits ('.' digits)*, consuming from *i; returns the number of dot-separated groups. */
static int dotted(const char *s, size_t n, size_t *i)
{
    int groups = 0;

    for (;;) {
        size_t start = *i;

        while (*i < n && is_digit(s[*i]))
            (*i)++;
        if (*i == start || *i - start > 4)
            return 0;
        groups++;
        if (*i < n && s[*i] == '.' && *i + 1 < n && is_digit(s[*i + 1])) {
            (*i)++;
            continue;
        }
        return groups;
    }
}

bool ac__version_token(const char *s, size_t n, bool dates)
{
    size_t i = 0;
    static const char *const stages[] = {"alpha", "beta", "rc", "preview"};
    size_t k;

    if (n == 0 || n > 24)
        return false;
    if (s[0] == 'v' || s[0] == 'V') {
        i = 1;
        if (dotted(s, n, &i) == 0)
            return false;
        if (i == n)
            return true;
        for (k = 0; k < sizeof(stages) / sizeof(stages[0]); k++) {
            size_t sl = strlen(stages[k]);

            if (n - i >= sl && memcmp(s + i, stages[k], sl) == 0) {
                i += sl;
                while (i < n && is_digit(s[i]))
                    i++;
                return i == n;
            }
        }
        return false;
    }
    if (dates && ac__is_date(s, n))
        return true;
    /* Bare dotted numbers need at least one dot: "/2/" is an id far more often than a version. */
    return dotted(s, n, &i) >= 2 && i == n;
}

bool ac__version_in_path(const char *path, bool dates, const char **tok, size_t *len)
{
    const char *p = path;

    while (*p != '\0') {
        const char *seg, *end;

        while (*p == '/')
            p++;
        seg = p;
        end = seg;
        while (*end != '\0' && *end != '/')
            end++;
        /* Every version token starts with 'v', 'V' or a digit: other segments need no call. */
        if (end > seg && (*seg == 'v' || *seg == 'V' || is_digit(*seg)) &&
            ac__version_token(seg, (size_t)(end - seg), dates)) {
            *tok = seg;
            *len = (size_t)(end - seg);
            return true;
        }
        p = end;
    }
    return false;
}

const char *ac__version_label(const char *tok, size_t len, const char *const *labels, size_t n,
                              size_t *out_len)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (labels[i] != NULL && strlen(labels[i]) == len && memcmp(labels[i], tok, len) == 0) {
            *out_len = len;
            return labels[i];
        }
    }
    if (len > 1 && (tok[0] == 'v' || tok[0] == 'V')) {
        for (i = 0; i < n; i++) {
            if (labels[i] != NULL && strlen(labels[i]) == len - 1 &&
                memcmp(labels[i], tok + 1, len - 1) == 0) {
                *out_len = len - 1;
                return labels[i];
            }
        }
    }
    *out_len = len;
    return tok;
}
