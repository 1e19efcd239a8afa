/* reader_w3c.c - IIS / W3C extended log files.
 *
 * The column order comes from the "#Fields:" directive, which is reader state: it may change in
 * the middle of a file (IIS writes a new header block after each restart), so ingest reads the
 * header before splitting a file between threads. Until a "#Fields:" line is seen, data lines use
 * IIS's default field list. "#Date:" gives the date for logs that have a time column but no date
 * column; every other '#' directive is skipped.
 *
 * Columns used: date, time, cs-method, cs-uri-stem (or cs-uri), c-ip, cs-username (anything but
 * "-" means credentials), cs-host or cs(Host), sc-status, and X-Forwarded-For as a custom field
 * (cs(X-Forwarded-For)). Values are separated by single spaces or tabs (IIS writes '+' for
 * spaces inside values), may be quoted strings ("" for a quote inside), and "-" means empty.
 *
 * cs-uri-query sits in its own column, so "stem?query" is not contiguous in the line and cannot
 * be a slice: the target is the stem alone. The query only ever yields parameter names, which
 * this format therefore does not report.
 */
#include "reader.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W3C_MAX_COLS 64

/* What a column feeds. */
enum w3c_col {
    C_OTHER,
    C_DATE,
    C_TIME,
    C_METHOD,
    C_STEM,
    C_URI,
    C_CLIENT,
    C_USER,
    C_HOST,
    C_STATUS,
    C_XFF,
    C_NCOLS
};

static const struct {
    const char *name;
    enum w3c_col col;
} w3c_names[] = {
    {"date", C_DATE},
    {"time", C_TIME},
    {"cs-method", C_METHOD},
    {"cs-uri-stem", C_STEM},
    {"cs-uri", C_URI},
    {"c-ip", C_CLIENT},
    {"cs-username", C_USER},
    {"cs-host", C_HOST},
    {"cs(host)", C_HOST},
    {"sc-status", C_STATUS},
    {"cs(x-forwarded-for)", C_XFF},
    {"x-forwarded-for", C_XFF},
};

/* What IIS logs when nobody changed the selection (IIS 7 and later). */
static const char iis_default_fields[] =
    "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
    "cs(Referer) sc-status sc-substatus sc-win32-status time-taken";

struct w3c_reader {
    size_t ncols;
    unsigned char col[W3C_MAX_COLS]; /* enum w3c_col of each column */
    bool has[C_NCOLS];               /* which roles the current header has */
    char date[10];                   /* from "#Date:", when has_date */
    bool has_date;
};

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool starts_with(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);

    return n >= k && memcmp(s, prefix, k) == 0;
}

static bool eq_nocase(const char *s, size_t n, const char *lower)
{
    size_t i;

    for (i = 0; i < n; i++) {
        char c = s[i];

        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (lower[i] == '\0' || c != lower[i])
            return false;
    }
    return lower[n] == '\0';
}

static enum w3c_col col_lookup(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < sizeof(w3c_names) / sizeof(w3c_names[0]); i++)
        if (eq_nocase(s, n, w3c_names[i].name))
            return w3c_names[i].col;
    return C_OTHER;
}

/* Set the columns from a field list ("date time cs-method ..."). */
static void set_fields(struct w3c_reader *r, const char *s, size_t n)
{
    size_t i = 0, start;

    r->ncols = 0;
    memset(r->has, 0, sizeof(r->has));
    while (i < n && r->ncols < W3C_MAX_COLS) {
        while (i < n && is_blank(s[i]))
            i++;
        if (i == n)
            break;
        start = i;
        while (i < n && !is_blank(s[i]))
            i++;
        r->col[r->ncols] = (unsigned char)col_lookup(s + start, i - start);
        r->has[r->col[r->ncols]] = true;
        r->ncols++;
    }
}

static enum ac_err w3c_create(const char *spec, struct ac_reader **out, struct ac_diag *d)
{
    struct w3c_reader *r = calloc(1, sizeof(*r));

    (void)spec;
    if (r == NULL)
        return ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    set_fields(r, iis_default_fields, sizeof(iis_default_fields) - 1);
    *out = (struct ac_reader *)r;
    return AC_OK;
}

static void w3c_destroy(struct ac_reader *r)
{
    free(r);
}

/* A '#' directive: "#Fields:" and "#Date:" change the state; all are skipped. */
static enum ac_line directive(struct w3c_reader *r, const char *s, size_t n, char *why, size_t cap)
{
    if (starts_with(s, n, "#Fields:")) {
        set_fields(r, s + 8, n - 8);
        ac__reader_why(why, cap, "#Fields header");
        return AC_LINE_SKIP;
    }
    if (starts_with(s, n, "#Date:")) {
        size_t i = 6;

        while (i < n && is_blank(s[i]))
            i++;
        if (n - i >= 10) {
            memcpy(r->date, s + i, 10);
            r->has_date = true;
        }
    }
    ac__reader_why(why, cap, "comment");
    return AC_LINE_SKIP;
}

/* The value at *i: up to the next blank, or a quoted string ("" inside is a quote) without its
 * quotes; *i moves past the separator. */
static struct ac_slice next_value(const char *s, size_t n, size_t *i)
{
    struct ac_slice v;
    size_t k = *i;

    if (s[k] == '"') {
        v.p = s + k + 1;
        for (k++; k < n; k++) {
            if (s[k] == '"' && k + 1 < n && s[k + 1] == '"')
                k++;
            else if (s[k] == '"')
                break;
        }
        v.n = (size_t)(s + k - v.p);
        if (k < n)
            k++;
    } else {
        v.p = s + k;
        while (k < n && !is_blank(s[k]))
            k++;
        v.n = (size_t)(s + k - v.p);
    }
    *i = k < n ? k + 1 : k;
    return v;
}

/* date and time columns (or the #Date date) into out->time. */
static bool w3c_time(const struct w3c_reader *r, struct ac_slice date, struct ac_slice tm,
                     struct ac_request *out)
{
    char buf[64];

    if (tm.n == 0)
        return true;
    if (date.n == 0 && r->has_date) {
        date.p = r->date;
        date.n = sizeof(r->date);
    }
    if (date.n == 0 || date.n + 1 + tm.n > sizeof(buf))
        return false;
    memcpy(buf, date.p, date.n);
    buf[date.n] = ' ';
    memcpy(buf + date.n + 1, tm.p, tm.n);
    return ac__parse_iso_time(buf, date.n + 1 + tm.n, &out->time);
}

static struct ac_slice undash(struct ac_slice v)
{
    if (v.n == 1 && v.p[0] == '-')
        v.n = 0;
    return v;
}

static enum ac_line w3c_parse(struct ac_reader *rd, const char *s, size_t n, struct ac_request *out,
                              char *why, size_t cap)
{
    struct w3c_reader *r = (struct w3c_reader *)rd;
    struct ac_slice v[C_NCOLS];
    size_t i = 0, k = 0;
    int status = 0;

    ac__request_clear(out);
    if (n > 0 && s[n - 1] == '\r')
        n--;
    if (n == 0) {
        ac__reader_why(why, cap, "blank line");
        return AC_LINE_SKIP;
    }
    if (s[0] == '#')
        return directive(r, s, n, why, cap);
    memset(v, 0, sizeof(v));
    while (i < n && k < r->ncols) {
        v[r->col[k]] = next_value(s, n, &i);
        k++;
    }
    if (k < r->ncols) {
        if (why != NULL && cap > 0)
            snprintf(why, cap, "expected %zu fields (see #Fields), found %zu", r->ncols, k);
        return AC_LINE_BAD;
    }
    if (!r->has[C_METHOD] || !(r->has[C_STEM] || r->has[C_URI])) {
        ac__reader_why(why, cap, "the #Fields header has no cs-method or no cs-uri-stem");
        return AC_LINE_BAD;
    }
    out->method = undash(v[C_METHOD]);
    out->target = undash(r->has[C_STEM] ? v[C_STEM] : v[C_URI]);
    if (out->method.n == 0 || out->target.n == 0) {
        ac__reader_why(why, cap, "no method or no URI stem");
        return AC_LINE_BAD;
    }
    for (i = 0; i < out->method.n; i++) {
        if (!ac__is_tchar(out->method.p[i])) {
            ac__reader_why(why, cap, "the method is not an HTTP token");
            return AC_LINE_BAD;
        }
    }
    if (!w3c_time(r, undash(v[C_DATE]), undash(v[C_TIME]), out)) {
        ac__reader_why(why, cap, "expected a date like 2015-01-13 and a time like 00:32:17");
        return AC_LINE_BAD;
    }
    if (r->has[C_STATUS] && !(v[C_STATUS].n == 1 && v[C_STATUS].p[0] == '-')) {
        if (v[C_STATUS].n != 3) {
            ac__reader_why(why, cap, "expected a three-digit sc-status");
            return AC_LINE_BAD;
        }
        for (i = 0; i < 3; i++) {
            if (v[C_STATUS].p[i] < '0' || v[C_STATUS].p[i] > '9') {
                ac__reader_why(why, cap, "expected a three-digit sc-status");
                return AC_LINE_BAD;
            }
            status = status * 10 + (v[C_STATUS].p[i] - '0');
        }
        out->status = status;
    }
    out->client = undash(v[C_CLIENT]);
    out->host = undash(v[C_HOST]);
    out->xff = undash(v[C_XFF]);
    if (r->has[C_USER])
        if (undash(v[C_USER]).n > 0)
            out->credentials = AC_CRED_PRESENT; /* "-": unknown, as for $remote_user */
    return AC_LINE_REQUEST;
}

static bool is_method_word(const char *s, size_t n)
{
    size_t i;

    if (n < 3 || n > 12)
        return false;
    for (i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' || s[i] == '-'))
            return false;
    return true;
}

/* Directives are certain; a data line scores when it starts with "YYYY-MM-DD HH:MM:SS " and has
 * an upper-case method word followed by a path. */
static int w3c_detect(const char *s, size_t n)
{
    int64_t t;
    size_t i = 20, start, prev_start = 0, prev_n = 0;

    if (starts_with(s, n, "#Fields:"))
        return 100;
    if (starts_with(s, n, "#Software:") || starts_with(s, n, "#Version:") ||
        starts_with(s, n, "#Date:") || starts_with(s, n, "#Start-Date:") ||
        starts_with(s, n, "#Remark:"))
        return 80;
    if (n < 21 || s[19] != ' ' || !ac__parse_iso_time(s, 19, &t))
        return 0;
    while (i < n) {
        start = i;
        while (i < n && !is_blank(s[i]))
            i++;
        if (s[start] == '/' && is_method_word(s + prev_start, prev_n))
            return 50;
        prev_start = start;
        prev_n = i - start;
        if (i < n)
            i++;
    }
    return 0;
}

const struct ac_reader_ops ac__reader_w3c = {"w3c",       "IIS / W3C extended log (#Fields header)",
                                             w3c_detect,  w3c_create,
                                             w3c_destroy, w3c_parse};
