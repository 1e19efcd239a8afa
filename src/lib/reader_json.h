/* reader_json.h - what the JSON-lines readers share: the field-map reader of reader_json.c, which
 * the presets of reader_json_presets.c (and zeek-json) are instances of. Contracts as in
 * struct ac_reader_ops (reader.h).
 */
#ifndef AC_READER_JSON_H
#define AC_READER_JSON_H

#include "reader.h"

#include <stdbool.h>
#include <string.h>

static inline bool ac__json_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* s without leading and trailing blanks. */
static inline struct ac_slice ac__json_trim(const char *p, size_t n)
{
    struct ac_slice s;

    while (n > 0 && ac__json_is_space(p[0])) {
        p++;
        n--;
    }
    while (n > 0 && ac__json_is_space(p[n - 1]))
        n--;
    s.p = p;
    s.n = n;
    return s;
}

/* Substring search within a line (memmem is not POSIX). */
static inline bool ac__json_contains(const char *s, size_t n, const char *lit)
{
    size_t m = strlen(lit), i;
    const char *p;

    if (m == 0 || m > n)
        return m == 0;
    for (i = 0; i + m <= n; i = (size_t)(p - s) + 1) {
        p = memchr(s + i, lit[0], n - m + 1 - i);
        if (p == NULL)
            return false;
        if (memcmp(p, lit, m) == 0)
            return true;
    }
    return false;
}

/* A reader for a field map: `preset` (a map of the same syntax, or NULL) overlaid with the
 * user's `spec` (NULL: none; a role given again replaces the preset's). AC_EUSAGE for a bad
 * map (message in d), AC_ENOMEM. */
enum ac_err ac__json_reader_create(const char *preset, const char *spec, struct ac_reader **out,
                                   struct ac_diag *d);

void ac__json_reader_destroy(struct ac_reader *r);

enum ac_line ac__json_reader_parse_line(struct ac_reader *r, const char *line, size_t n,
                                        struct ac_request *out, char *why, size_t whycap);

#endif
