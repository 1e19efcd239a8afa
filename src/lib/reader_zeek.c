/* reader_zeek.c - Zeek (Bro) http.log: the TSV "ASCII" format and the JSON format.
 *
 * TSV: header lines start with '#'. "#separator \x09" sets the field separator (it is written
 * with a space, before any separator is known); "#set_separator", "#unset_field" and
 * "#empty_field" set the other markers; "#fields" gives the column order and must come before
 * the first record (a new "#fields" replaces it, so concatenated logs read). Other '#' lines
 * (#path, #open, #types, #close) are skipped. Columns used: ts, id.orig_h (client), method,
 * host, uri, status_code, username (credentials present when set; unknown otherwise: Zeek sees
 * Basic credentials only) and proxied (the set of proxy headers, "X-FORWARDED-FOR -> addr").
 * Zeek logs a record for connections where no request was parsed: an unset method or uri makes
 * the line AC_LINE_SKIP, not bad, and so does a uri no server routes (see is_target). Values
 * keep Zeek's \xHH escapes (slices, no copies).
 *
 * JSON: one object per line with the same field names (unset fields omitted), read by the JSON
 * field-map reader of reader_json.c with the map below; ts may be a Unix time or ISO 8601.
 */
#include "reader.h"

#include "hex.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The JSON field-map reader (reader_json.c). */
extern const struct ac_reader_ops ac__reader_json;

enum zfield { Z_TS, Z_CLIENT, Z_METHOD, Z_HOST, Z_URI, Z_STATUS, Z_USER, Z_PROXIED, Z_COUNT };

static const char *const zfield_names[Z_COUNT] = {"ts",  "id.orig_h",   "method",   "host",
                                                  "uri", "status_code", "username", "proxied"};

#define Z_MAX_COLS 1024
#define Z_MARK_MAX 32

/* An unset or empty marker ("-", "(empty)"). */
struct zmark {
    char s[Z_MARK_MAX];
    size_t n;
};

struct ac_reader {
    char sep;                       /* field separator */
    char setsep;                    /* separator inside set and vector values */
    struct zmark unset, empty;      /* markers for unset and empty values */
    bool have_fields;               /* a usable #fields header was seen */
    unsigned need;                  /* columns a record must have: last used column + 1 */
    unsigned char role[Z_MAX_COLS]; /* column -> zfield + 1, or 0 when unused */
};

static enum ac_line bad(char *why, size_t whycap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum ac_line bad(char *why, size_t whycap, const char *fmt, ...)
{
    va_list ap;

    if (why != NULL && whycap > 0) {
        va_start(ap, fmt);
        vsnprintf(why, whycap, fmt, ap);
        va_end(ap);
    }
    return AC_LINE_BAD;
}

static bool ieq(const char *a, const char *b, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        char x = a[i], y = b[i];

        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

static bool is_mark(const struct zmark *m, const char *p, size_t n)
{
    return n == m->n && memcmp(p, m->s, n) == 0;
}

static void set_mark(struct zmark *m, const char *p, size_t n)
{
    if (n >= Z_MARK_MAX)
        n = Z_MARK_MAX - 1;
    memcpy(m->s, p, n);
    m->n = n;
}

static void zeek_defaults(struct ac_reader *r)
{
    r->sep = '\t';
    r->setsep = ',';
    set_mark(&r->unset, "-", 1);
    set_mark(&r->empty, "(empty)", 7);
    r->have_fields = false;
    r->need = 0;
    memset(r->role, 0, sizeof(r->role));
}

static enum ac_err zeek_create(const char *spec, struct ac_reader **out, struct ac_diag *d)
{
    struct ac_reader *r;

    (void)spec;
    r = malloc(sizeof(*r));
    if (r == NULL)
        return ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    zeek_defaults(r);
    *out = r;
    return AC_OK;
}

static void zeek_destroy(struct ac_reader *r)
{
    free(r);
}

/* A separator as Zeek writes it: "\x09" or a single character. */
static bool separator_of(const char *p, size_t n, char *out)
{
    if (n == 1) {
        *out = p[0];
        return true;
    }
    if (n == 4 && p[0] == '\\' && p[1] == 'x' && ac__hexval((unsigned char)p[2]) >= 0 &&
        ac__hexval((unsigned char)p[3]) >= 0) {
        *out = (char)(ac__hexval((unsigned char)p[2]) * 16 + ac__hexval((unsigned char)p[3]));
        return *out != '\0' && *out != '\n';
    }
    return false;
}

/* "#fields<sep>ts<sep>uid..." at p[0..n) (after "#fields<sep>"). */
static enum ac_line read_fields(struct ac_reader *r, const char *p, size_t n, char *why,
                                size_t whycap)
{
    const unsigned required = 1u << Z_METHOD | 1u << Z_URI;
    unsigned col = 0, k, seen = 0;
    size_t i, start = 0;

    r->have_fields = false;
    r->need = 0;
    memset(r->role, 0, sizeof(r->role));
    for (i = 0; i <= n; i++) {
        if (i < n && p[i] != r->sep)
            continue;
        for (k = 0; k < Z_COUNT; k++) {
            if (strlen(zfield_names[k]) != i - start ||
                memcmp(zfield_names[k], p + start, i - start) != 0)
                continue;
            if (col >= Z_MAX_COLS)
                return bad(why, whycap, "#fields: column %s is past column %d", zfield_names[k],
                           Z_MAX_COLS);
            r->role[col] = (unsigned char)(k + 1);
            r->need = col + 1;
            seen |= 1u << k;
        }
        col++;
        start = i + 1;
    }
    if ((seen & required) != required)
        return bad(why, whycap, "#fields has no '%s' column: not an http.log",
                   (seen & 1u << Z_METHOD) == 0 ? "method" : "uri");
    r->have_fields = true;
    return AC_LINE_SKIP;
}

/* A '#' header line. */
static enum ac_line read_header(struct ac_reader *r, const char *line, size_t n, char *why,
                                size_t whycap)
{
    const char *v;
    size_t vn, dn;

    if (n > 11 && memcmp(line, "#separator ", 11) == 0) {
        if (!separator_of(line + 11, n - 11, &r->sep))
            return bad(why, whycap, "unsupported #separator (expected \\xHH or one character)");
        return AC_LINE_SKIP;
    }
    v = memchr(line, r->sep, n);
    if (v == NULL)
        return AC_LINE_SKIP;
    dn = (size_t)(v - line);
    v++;
    vn = n - dn - 1;
    if (dn == 7 && memcmp(line, "#fields", 7) == 0)
        return read_fields(r, v, vn, why, whycap);
    if (dn == 14 && memcmp(line, "#set_separator", 14) == 0 && vn == 1)
        r->setsep = v[0];
    else if (dn == 12 && memcmp(line, "#unset_field", 12) == 0)
        set_mark(&r->unset, v, vn);
    else if (dn == 12 && memcmp(line, "#empty_field", 12) == 0)
        set_mark(&r->empty, v, vn);
    return AC_LINE_SKIP;
}

/* The X-Forwarded-For element of the proxied set ("FORWARDED -> ..,X-FORWARDED-FOR -> a"). */
static struct ac_slice xff_of(const struct ac_reader *r, struct ac_slice v)
{
    static const char tag[] = "X-FORWARDED-FOR -> ";
    const size_t tn = sizeof(tag) - 1;
    struct ac_slice out = {NULL, 0};
    size_t i, start = 0;

    for (i = 0; i <= v.n; i++) {
        if (i < v.n && v.p[i] != r->setsep)
            continue;
        if (i - start > tn && ieq(v.p + start, tag, tn)) {
            out.p = v.p + start + tn;
            out.n = i - start - tn;
            break;
        }
        start = i + 1;
    }
    return out;
}

static bool status_of(struct ac_slice v, int *out)
{
    int s = 0;
    size_t i;

    if (v.n == 0 || v.n > 3)
        return false;
    for (i = 0; i < v.n; i++) {
        if (v.p[i] < '0' || v.p[i] > '9')
            return false;
        s = s * 10 + (v.p[i] - '0');
    }
    *out = s;
    return true;
}

/* A target a server routes: origin form "/p", absolute form "http://h/p", or "*". Zeek also logs
 * what broken clients send ("OPTIONS  HTTP/1.1" gives the uri "HTTP/1.1") and CONNECT's
 * "host:port": neither reaches an API, so such records are skipped like request-less ones. */
static bool is_target(struct ac_slice u)
{
    size_t i;

    if (u.n == 1 && u.p[0] == '*')
        return true;
    if (u.n > 0 && u.p[0] == '/')
        return true;
    for (i = 0; i + 3 <= u.n && u.p[i] != '/'; i++)
        if (u.p[i] == ':' && u.p[i + 1] == '/' && u.p[i + 2] == '/')
            return i > 0;
    return false;
}

/* Fill the request from the fields of one record. */
static enum ac_line fill(const struct ac_reader *r, struct ac_slice *f, struct ac_request *out,
                         char *why, size_t whycap)
{
    char buf[48];
    size_t i, k = 0;

    if (f[Z_METHOD].n == 0 || f[Z_URI].n == 0 || !is_target(f[Z_URI]))
        return AC_LINE_SKIP; /* no (usable) request was parsed on this connection */
    out->method = f[Z_METHOD];
    out->target = f[Z_URI];
    out->host = f[Z_HOST];
    out->client = f[Z_CLIENT];
    if (f[Z_TS].n > 0 && !ac__parse_epoch(f[Z_TS].p, f[Z_TS].n, &out->time) &&
        !ac__parse_iso_time(f[Z_TS].p, f[Z_TS].n, &out->time)) {
        for (i = 0; i < f[Z_TS].n && k + 1 < sizeof(buf) && i < 40; i++)
            buf[k++] = f[Z_TS].p[i] >= 0x20 && f[Z_TS].p[i] < 0x7F ? f[Z_TS].p[i] : '?';
        buf[k] = '\0';
        return bad(why, whycap, "ts '%s' is not a Unix time", buf);
    }
    if (f[Z_STATUS].n > 0 && !status_of(f[Z_STATUS], &out->status))
        return bad(why, whycap, "status_code is not a number");
    if (f[Z_USER].n > 0)
        out->credentials = AC_CRED_PRESENT;
    if (f[Z_PROXIED].n > 0)
        out->xff = xff_of(r, f[Z_PROXIED]);
    return AC_LINE_REQUEST;
}

static enum ac_line zeek_parse_line(struct ac_reader *r, const char *line, size_t n,
                                    struct ac_request *out, char *why, size_t whycap)
{
    struct ac_slice f[Z_COUNT];
    size_t i, start = 0;
    unsigned col = 0;
    unsigned char role;
    enum ac_line res;

    ac__request_clear(out);
    while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == '\n'))
        n--;
    if (n == 0)
        return AC_LINE_SKIP;
    if (line[0] == '#')
        return read_header(r, line, n, why, whycap);
    if (!r->have_fields)
        return bad(why, whycap, "record before a #fields header naming method and uri");
    memset(f, 0, sizeof(f));
    for (i = 0; i <= n && col < r->need; i++) {
        if (i < n && line[i] != r->sep)
            continue;
        role = r->role[col];
        if (role != 0 && !is_mark(&r->unset, line + start, i - start) &&
            !is_mark(&r->empty, line + start, i - start)) {
            f[role - 1].p = line + start;
            f[role - 1].n = i - start;
        }
        col++;
        start = i + 1;
    }
    if (col < r->need)
        return bad(why, whycap, "record has %u fields, the #fields header needs at least %u", col,
                   r->need);
    res = fill(r, f, out, why, whycap);
    if (res != AC_LINE_REQUEST)
        ac__request_clear(out);
    return res;
}

/* Cheap checks only: Zeek's header lines are unmistakable; a record is an epoch and many tabs. */
static int zeek_detect(const char *line, size_t n)
{
    static const char *const heads[] = {"#separator ",    "#set_separator\t", "#empty_field\t",
                                        "#unset_field\t", "#path\thttp",      "#open\t",
                                        "#fields\tts\t",  "#types\t"};
    size_t i, tabs = 0, len;

    for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
        len = strlen(heads[i]);
        if (n >= len && memcmp(line, heads[i], len) == 0)
            return i == 0 || i == 4 ? 100 : 90;
    }
    for (i = 0; i < n && line[i] >= '0' && line[i] <= '9'; i++)
        ;
    if (i < 9 || i > 10 || i >= n || line[i] != '.')
        return 0;
    for (i = 0; i < n; i++)
        tabs += line[i] == '\t';
    return tabs >= 20 ? 50 : 0;
}

/* --- Zeek JSON ------------------------------------------------------------------------------- */

static const char zeek_json_map[] = "require=method|uri,"
                                    "time=ts,"
                                    "client=id.orig_h,"
                                    "method=method,"
                                    "host=host,"
                                    "target=uri,"
                                    "status=status_code,"
                                    "user=username,"
                                    "xff=proxied";

static enum ac_err zeek_json_create(const char *spec, struct ac_reader **out, struct ac_diag *d)
{
    char map[4096];
    int k;

    if (spec == NULL || spec[0] == '\0')
        return ac__reader_json.create(zeek_json_map, out, d);
    /* A user map refines the preset: later roles replace earlier ones. */
    k = snprintf(map, sizeof(map), "%s,%s", zeek_json_map, spec);
    if (k < 0 || (size_t)k >= sizeof(map))
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "field map too long");
    return ac__reader_json.create(map, out, d);
}

static void zeek_json_destroy(struct ac_reader *r)
{
    ac__reader_json.destroy(r);
}

static enum ac_line zeek_json_parse_line(struct ac_reader *r, const char *line, size_t n,
                                         struct ac_request *out, char *why, size_t whycap)
{
    enum ac_line res = ac__reader_json.parse_line(r, line, n, out, why, whycap);

    if (res == AC_LINE_REQUEST && !is_target(out->target)) {
        ac__request_clear(out);
        res = AC_LINE_SKIP;
    }
    return res;
}

/* Substring search within a line (memmem is not POSIX). */
static bool contains(const char *s, size_t n, const char *lit)
{
    size_t m = strlen(lit), i;
    const char *p;

    if (m > n)
        return false;
    for (i = 0; i + m <= n; i = (size_t)(p - s) + 1) {
        p = memchr(s + i, lit[0], n - m + 1 - i);
        if (p == NULL)
            return false;
        if (memcmp(p, lit, m) == 0)
            return true;
    }
    return false;
}

/* Zeek's JSON keys: "uid" and "id.orig_h" are found in no other log. */
static int zeek_json_detect(const char *line, size_t n)
{
    static const char *const keys[] = {
        "\"id.orig_h\":", "\"uid\":", "\"trans_depth\":", "\"status_code\":", "\"id.resp_p\":"};
    const char *b = memchr(line, '{', n);
    size_t i, m, have = 0;

    if (b == NULL)
        return 0;
    m = (size_t)(line + n - b);
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        have += contains(b, m, keys[i]);
    return have < 2 ? 0 : (int)(50 + 9 * have);
}

const struct ac_reader_ops ac__reader_zeek = {
    "zeek",       "Zeek (Bro) http.log, tab-separated with #fields header",
    zeek_detect,  zeek_create,
    zeek_destroy, zeek_parse_line};

const struct ac_reader_ops ac__reader_zeek_json = {
    "zeek-json",       "Zeek (Bro) http.log as JSON lines",
    zeek_json_detect,  zeek_json_create,
    zeek_json_destroy, zeek_json_parse_line};
