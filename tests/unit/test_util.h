/* test_util.h - helpers the unit tests share: whole files in memory, lines, slices.
 *
 * Header-only (static inline) because every test is its own executable.
 */
#ifndef AC_TEST_UTIL_H
#define AC_TEST_UTIL_H

#include "request.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A whole file in memory, NUL-terminated. */
static inline char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* The next line of text[*pos..len) without '\n'; false at the end. */
static inline bool next_line(const char *text, size_t len, size_t *pos, const char **line,
                             size_t *n)
{
    const char *nl;

    if (*pos >= len)
        return false;
    *line = text + *pos;
    nl = memchr(*line, '\n', len - *pos);
    *n = nl != NULL ? (size_t)(nl - *line) : len - *pos;
    *pos += *n + 1;
    return true;
}

static inline bool eq(struct ac_slice s, const char *want)
{
    return s.n == strlen(want) && memcmp(s.p, want, s.n) == 0;
}

#endif
