/* jsonshape.c - the shape of JSON bodies (see jsonshape.h).
 *
 * A body is scanned twice by one recursive-descent scanner: once to check that it is JSON within
 * the bounds (nothing recorded, so a body cut short in the middle adds nothing), once to record
 * each value at its path. The scanner reads bytes in place; only a string's first
 * STR_MAX bytes are decoded, into a stack buffer, for its formats. Recursion is bounded by
 * AC_JSHAPE_NEST.
 */
#include "jsonshape.h"

#include <json-c/json.h>
#include <string.h>

#define STR_MAX 320 /* decoded bytes of a string that formats look at */

struct scan {
    const char *p;
    size_t n, i;
    bool rec; /* record (second pass) or only validate */
    struct ac_jshape *s;
    char path[AC_JSHAPE_PATH];
};

/* --- the field table ---------------------------------------------------------------------- */

void ac__jshape_init(struct ac_jshape *s)
{
    s->samples = 0;
    s->nf = 0;
}

static uint32_t sat_add(uint32_t a, uint32_t b)
{
    return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

/* Index of path in s, or where it would go (*found false). */
static uint32_t locate(const struct ac_jshape *s, const char *path, bool *found)
{
    uint32_t lo = 0, hi = s->nf;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->f[mid].path, path);

        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

/* The field of `path`, made when there is room or when it is smaller than the largest kept
 * (which then goes); NULL when it is not kept. */
static struct ac_jfield *field(struct ac_jshape *s, const char *path)
{
    bool found;
    uint32_t at = locate(s, path, &found);
    struct ac_jfield *f;

    if (found)
        return &s->f[at];
    if (s->nf == AC_JSHAPE_FIELDS) {
        if (at == AC_JSHAPE_FIELDS)
            return NULL; /* larger than every kept path */
        s->nf--;         /* the largest goes */
    }
    memmove(&s->f[at + 1], &s->f[at], (s->nf - at) * sizeof(s->f[0]));
    s->nf++;
    f = &s->f[at];
    memset(f, 0, sizeof(*f));
    memcpy(f->path, path, strlen(path) + 1);
    f->fmt = AC_JF_ALL;
    return f;
}

const struct ac_jfield *ac__jshape_find(const struct ac_jshape *s, const char *path)
{
    bool found;
    uint32_t at = locate(s, path, &found);

    return found ? &s->f[at] : NULL;
}

static void record(struct scan *c, unsigned type, unsigned fmt)
{
    struct ac_jfield *f;

    if (!c->rec || (f = field(c->s, c->path)) == NULL)
        return;
    f->n = sat_add(f->n, 1);
    if (type == AC_JT_OBJ)
        f->nobj = sat_add(f->nobj, 1);
    f->types = (uint16_t)(f->types | type);
    if (type == AC_JT_STR)
        f->fmt = (uint16_t)(f->fmt & fmt);
}

void ac__jshape_merge(struct ac_jshape *into, const struct ac_jshape *from)
{
    uint32_t i;

    into->samples = sat_add(into->samples, from->samples);
    for (i = 0; i < from->nf; i++) {
        const struct ac_jfield *g = &from->f[i];
        struct ac_jfield *f = field(into, g->path);

        if (f == NULL)
            break; /* from is sorted: the rest are larger still */
        f->n = sat_add(f->n, g->n);
        f->nobj = sat_add(f->nobj, g->nobj);
        f->types = (uint16_t)(f->types | g->types);
        f->fmt = (uint16_t)(f->fmt & g->fmt);
    }
}

/* --- string formats ------------------------------------------------------------------------ */

static bool digits(const char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

static bool hexdigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_date(const char *p, size_t n)
{
    return n == 10 && digits(p, 4) && p[4] == '-' && digits(p + 5, 2) && p[7] == '-' &&
           digits(p + 8, 2) && (p[5] - '0') * 10 + (p[6] - '0') >= 1 &&
           (p[5] - '0') * 10 + (p[6] - '0') <= 12 && (p[8] - '0') * 10 + (p[9] - '0') >= 1 &&
           (p[8] - '0') * 10 + (p[9] - '0') <= 31;
}

/* RFC 3339: full-date "T" HH:MM:SS [.frac] (Z | +HH:MM | -HH:MM). */
static bool is_date_time(const char *p, size_t n)
{
    size_t i = 19;

    if (n < 20 || !is_date(p, 10) || (p[10] != 'T' && p[10] != 't') || !digits(p + 11, 2) ||
        p[13] != ':' || !digits(p + 14, 2) || p[16] != ':' || !digits(p + 17, 2))
        return false;
    if (p[i] == '.') {
        for (i++; i < n && p[i] >= '0' && p[i] <= '9'; i++)
            ;
        if (i == 20)
            return false;
    }
    if (i < n && (p[i] == 'Z' || p[i] == 'z'))
        return i + 1 == n;
    return i + 6 == n && (p[i] == '+' || p[i] == '-') && digits(p + i + 1, 2) && p[i + 3] == ':' &&
           digits(p + i + 4, 2);
}

static bool is_uuid(const char *p, size_t n)
{
    size_t i;

    if (n != 36)
        return false;
    for (i = 0; i < n; i++)
        if ((i == 8 || i == 13 || i == 18 || i == 23) ? p[i] != '-' : !hexdigit(p[i]))
            return false;
    return true;
}

static bool is_email(const char *p, size_t n)
{
    size_t i, at = n, dot = 0;

    if (n < 5 || n > 254)
        return false;
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)p[i];

        if (ch <= ' ' || ch >= 0x7F || ch == '"' || ch == ',' || ch == '<' || ch == '>' ||
            ch == '(' || ch == ')' || ch == ';' || ch == '\\')
            return false;
        if (ch == '@') {
            if (at != n)
                return false;
            at = i;
        } else if (ch == '.' && at != n) {
            dot = i;
        }
    }
    return at > 0 && at < n && dot > at + 1 && dot + 1 < n;
}

static bool is_uri(const char *p, size_t n)
{
    size_t i = 0, j;

    if (n == 0 || !((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z')))
        return false;
    while (i < n && ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
                     (p[i] >= '0' && p[i] <= '9') || p[i] == '+' || p[i] == '-' || p[i] == '.'))
        i++;
    if (n - i < 4 || memcmp(p + i, "://", 3) != 0)
        return false;
    for (j = 0; j < n; j++)
        if ((unsigned char)p[j] <= ' ' || p[j] == 0x7F || p[j] == '"' || p[j] == '<' ||
            p[j] == '>' || p[j] == '\\')
            return false;
    return true;
}

static bool is_ipv4(const char *p, size_t n)
{
    size_t i = 0, parts = 0, len;
    unsigned v;

    while (parts < 4) {
        for (len = 0, v = 0; i < n && p[i] >= '0' && p[i] <= '9' && len < 4; i++, len++)
            v = v * 10 + (unsigned)(p[i] - '0');
        if (len == 0 || len > 3 || v > 255 || (len > 1 && p[i - len] == '0'))
            return false;
        if (++parts < 4) {
            if (i >= n || p[i] != '.')
                return false;
            i++;
        }
    }
    return i == n;
}

static bool is_ipv6(const char *p, size_t n)
{
    size_t i, colons = 0, group = 0;

    if (n < 2 || n > 45)
        return false;
    for (i = 0; i < n; i++) {
        if (p[i] == ':') {
            colons++;
            group = 0;
        } else if (hexdigit(p[i]) && ++group <= 4) {
            continue;
        } else if (p[i] == '.' && colons >= 2) {
            size_t start = i;

            while (start > 0 && p[start - 1] != ':')
                start--;
            return is_ipv4(p + start, n - start);
        } else {
            return false;
        }
    }
    return colons >= 2 && colons <= 7;
}

unsigned ac__jshape_formats(const char *p, size_t n)
{
    unsigned f = 0;

    if (is_date_time(p, n))
        f |= AC_JF_DATE_TIME;
    if (is_date(p, n))
        f |= AC_JF_DATE;
    if (is_email(p, n))
        f |= AC_JF_EMAIL;
    if (is_uuid(p, n))
        f |= AC_JF_UUID;
    if (is_uri(p, n))
        f |= AC_JF_URI;
    if (is_ipv4(p, n))
        f |= AC_JF_IPV4;
    if (is_ipv6(p, n))
        f |= AC_JF_IPV6;
    return f;
}

/* --- the scanner --------------------------------------------------------------------------- */

static void ws(struct scan *c)
{
    while (c->i < c->n &&
           (c->p[c->i] == ' ' || c->p[c->i] == '\t' || c->p[c->i] == '\n' || c->p[c->i] == '\r'))
        c->i++;
}

/* A string at c->i (the opening quote): its first STR_MAX decoded bytes into buf (*len), *raw
 * the bytes between the quotes and *plain whether it had no escape. */
static bool string(struct scan *c, char *buf, size_t *len, size_t *raw_start, size_t *raw_len,
                   bool *plain)
{
    size_t k = 0;

    c->i++;
    *raw_start = c->i;
    *plain = true;
    while (c->i < c->n) {
        unsigned char ch = (unsigned char)c->p[c->i];
        char out = (char)ch;

        if (ch == '"') {
            *raw_len = c->i - *raw_start;
            c->i++;
            *len = k;
            return true;
        }
        if (ch < 0x20)
            return false;
        if (ch == '\\') {
            *plain = false;
            if (c->i + 1 >= c->n)
                return false;
            switch (c->p[c->i + 1]) {
            case '"':
            case '\\':
            case '/':
                out = c->p[c->i + 1];
                break;
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
                out = ' '; /* whitespace: no format holds */
                break;
            case 'u':
                if (c->i + 5 >= c->n || !hexdigit(c->p[c->i + 2]) || !hexdigit(c->p[c->i + 3]) ||
                    !hexdigit(c->p[c->i + 4]) || !hexdigit(c->p[c->i + 5]))
                    return false;
                out = '\x80'; /* a non-ASCII stand-in: no format holds */
                c->i += 4;
                break;
            default:
                return false;
            }
            c->i += 2;
        } else {
            c->i++;
        }
        if (k < STR_MAX)
            buf[k++] = out;
        else
            k = STR_MAX + 1; /* too long for every format but a URI's prefix */
    }
    return false;
}

static bool literal(struct scan *c, const char *lit)
{
    size_t m = strlen(lit);

    if (c->n - c->i < m || memcmp(c->p + c->i, lit, m) != 0)
        return false;
    c->i += m;
    return true;
}

/* A number: -? int frac? exp?; *is_int when it has neither fraction nor exponent. */
static bool number(struct scan *c, bool *is_int)
{
    size_t start;

    *is_int = true;
    if (c->i < c->n && c->p[c->i] == '-')
        c->i++;
    start = c->i;
    while (c->i < c->n && c->p[c->i] >= '0' && c->p[c->i] <= '9')
        c->i++;
    if (c->i == start || (c->p[start] == '0' && c->i - start > 1))
        return false;
    if (c->i < c->n && c->p[c->i] == '.') {
        *is_int = false;
        start = ++c->i;
        while (c->i < c->n && c->p[c->i] >= '0' && c->p[c->i] <= '9')
            c->i++;
        if (c->i == start)
            return false;
    }
    if (c->i < c->n && (c->p[c->i] == 'e' || c->p[c->i] == 'E')) {
        *is_int = false;
        c->i++;
        if (c->i < c->n && (c->p[c->i] == '+' || c->p[c->i] == '-'))
            c->i++;
        start = c->i;
        while (c->i < c->n && c->p[c->i] >= '0' && c->p[c->i] <= '9')
            c->i++;
        if (c->i == start)
            return false;
    }
    return true;
}

/* A key that can be part of a path: printable ASCII without . [ ] " \ and not too long. */
static bool key_ok(const char *p, size_t n, bool plain)
{
    size_t i;

    if (!plain || n == 0 || n > AC_JSHAPE_KEY)
        return false;
    for (i = 0; i < n; i++)
        if (p[i] <= ' ' || p[i] >= 0x7F || p[i] == '.' || p[i] == '[' || p[i] == ']')
            return false;
    return true;
}

static bool value(struct scan *c, unsigned nest, unsigned depth, bool rec_here);

/* Descend into path + suffix (suffix of slen bytes) when recording is on, the depth allows it
 * and it fits; restore the path after. */
static bool child(struct scan *c, unsigned nest, unsigned depth, bool rec_here, const char *sep,
                  const char *suffix, size_t slen)
{
    size_t plen = strlen(c->path), seplen = plen > 0 ? strlen(sep) : 0;
    bool rec = rec_here && depth < AC_JSHAPE_DEPTH && plen + seplen + slen < AC_JSHAPE_PATH;
    bool ok;

    if (rec) {
        memcpy(c->path + plen, sep, seplen);
        memcpy(c->path + plen + seplen, suffix, slen);
        c->path[plen + seplen + slen] = '\0';
    }
    ok = value(c, nest + 1, depth + 1, rec);
    c->path[plen] = '\0';
    return ok;
}

static bool object(struct scan *c, unsigned nest, unsigned depth, bool rec_here)
{
    char buf[STR_MAX + 1];
    size_t len, ks, kl;
    bool plain;

    c->i++;
    ws(c);
    if (c->i < c->n && c->p[c->i] == '}') {
        c->i++;
        return true;
    }
    for (;;) {
        ws(c);
        if (c->i >= c->n || c->p[c->i] != '"' || !string(c, buf, &len, &ks, &kl, &plain))
            return false;
        ws(c);
        if (c->i >= c->n || c->p[c->i] != ':')
            return false;
        c->i++;
        if (!child(c, nest, depth, rec_here && key_ok(c->p + ks, kl, plain), ".", c->p + ks, kl))
            return false;
        ws(c);
        if (c->i < c->n && c->p[c->i] == ',') {
            c->i++;
            continue;
        }
        if (c->i < c->n && c->p[c->i] == '}') {
            c->i++;
            return true;
        }
        return false;
    }
}

static bool array(struct scan *c, unsigned nest, unsigned depth, bool rec_here)
{
    c->i++;
    ws(c);
    if (c->i < c->n && c->p[c->i] == ']') {
        c->i++;
        return true;
    }
    for (;;) {
        if (!child(c, nest, depth, rec_here, "", "[]", 2))
            return false;
        ws(c);
        if (c->i < c->n && c->p[c->i] == ',') {
            c->i++;
            continue;
        }
        if (c->i < c->n && c->p[c->i] == ']') {
            c->i++;
            return true;
        }
        return false;
    }
}

/* One value at c->path (recorded when rec_here). */
static bool value(struct scan *c, unsigned nest, unsigned depth, bool rec_here)
{
    char buf[STR_MAX + 1];
    size_t len, rs, rl;
    bool plain, is_int, rec = c->rec;
    unsigned fmt;

    if (nest > AC_JSHAPE_NEST)
        return false;
    ws(c);
    if (c->i >= c->n)
        return false;
    c->rec = rec && rec_here;
    switch (c->p[c->i]) {
    case '{':
        record(c, AC_JT_OBJ, 0);
        c->rec = rec;
        return object(c, nest, depth, rec && rec_here);
    case '[':
        record(c, AC_JT_ARR, 0);
        c->rec = rec;
        return array(c, nest, depth, rec && rec_here);
    case '"':
        if (!string(c, buf, &len, &rs, &rl, &plain))
            break;
        fmt =
            len <= STR_MAX ? ac__jshape_formats(buf, len) : (is_uri(buf, STR_MAX) ? AC_JF_URI : 0u);
        record(c, AC_JT_STR, fmt);
        c->rec = rec;
        return true;
    case 't':
    case 'f':
        if (!literal(c, "true") && !literal(c, "false"))
            break;
        record(c, AC_JT_BOOL, 0);
        c->rec = rec;
        return true;
    case 'n':
        if (!literal(c, "null"))
            break;
        record(c, AC_JT_NULL, 0);
        c->rec = rec;
        return true;
    default:
        if (!number(c, &is_int))
            break;
        record(c, is_int ? AC_JT_INT : AC_JT_NUM, 0);
        c->rec = rec;
        return true;
    }
    c->rec = rec;
    return false;
}

static bool scan(struct scan *c)
{
    c->i = 0;
    c->path[0] = '\0';
    if (c->n >= 3 && memcmp(c->p, "\xEF\xBB\xBF", 3) == 0)
        c->i = 3;
    if (!value(c, 0, 0, true))
        return false;
    ws(c);
    return c->i == c->n;
}

bool ac__jshape_add_json(struct ac_jshape *s, const char *p, size_t n)
{
    struct scan c;

    if (p == NULL || n == 0 || n > AC_JSHAPE_BODY_MAX)
        return false;
    memset(&c, 0, sizeof(c));
    c.p = p;
    c.n = n;
    c.s = s;
    if (!scan(&c))
        return false;
    c.rec = true;
    (void)scan(&c);
    s->samples = sat_add(s->samples, 1);
    return true;
}

/* --- the stored form ----------------------------------------------------------------------- */

enum ac_err ac__jshape_to_json(const struct ac_jshape *s, struct ac_buf *b)
{
    enum ac_err err = ac__buf_printf(b, "{\"n\":%u,\"f\":[", (unsigned)s->samples);
    uint32_t i;

    for (i = 0; err == AC_OK && i < s->nf; i++) {
        const struct ac_jfield *f = &s->f[i];

        /* Paths hold printable ASCII without " and \ (key_ok), so they need no escaping. */
        err = ac__buf_printf(b, "%s[\"%s\",%u,%u,%u,%u]", i > 0 ? "," : "", f->path, (unsigned)f->n,
                             (unsigned)f->nobj, (unsigned)f->types, (unsigned)f->fmt);
    }
    if (err == AC_OK)
        err = ac__buf_adds(b, "]}");
    return err;
}

static bool path_ok(const char *p, size_t n)
{
    size_t i;

    if (n >= AC_JSHAPE_PATH)
        return false;
    for (i = 0; i < n; i++)
        if (p[i] <= ' ' || p[i] >= 0x7F || p[i] == '"' || p[i] == '\\')
            return false;
    return true;
}

static bool uint_of(struct json_object *v, uint32_t max, uint32_t *out)
{
    int64_t x;

    if (!json_object_is_type(v, json_type_int))
        return false;
    x = json_object_get_int64(v);
    if (x < 0 || (uint64_t)x > max)
        return false;
    *out = (uint32_t)x;
    return true;
}

bool ac__jshape_from_json(struct ac_jshape *s, struct json_object *o)
{
    struct json_object *n, *f, *e;
    uint32_t samples, v[4];
    size_t i, k, len;
    const char *path;

    ac__jshape_init(s);
    if (!json_object_object_get_ex(o, "n", &n) || !json_object_object_get_ex(o, "f", &f) ||
        !uint_of(n, UINT32_MAX, &samples) || !json_object_is_type(f, json_type_array))
        return false;
    for (i = 0; i < json_object_array_length(f); i++) {
        struct ac_jfield *fld;

        e = json_object_array_get_idx(f, i);
        if (!json_object_is_type(e, json_type_array) || json_object_array_length(e) != 5 ||
            !json_object_is_type(json_object_array_get_idx(e, 0), json_type_string))
            goto bad;
        path = json_object_get_string(json_object_array_get_idx(e, 0));
        len = (size_t)json_object_get_string_len(json_object_array_get_idx(e, 0));
        for (k = 0; k < 4; k++)
            if (!uint_of(json_object_array_get_idx(e, k + 1), k < 2 ? UINT32_MAX : 0xFFFF, &v[k]))
                goto bad;
        if (!path_ok(path, len) || strlen(path) != len || (fld = field(s, path)) == NULL)
            continue;
        fld->n = sat_add(fld->n, v[0]);
        fld->nobj = sat_add(fld->nobj, v[1]);
        fld->types = (uint16_t)(fld->types | (v[2] & 0x7F));
        fld->fmt = (uint16_t)(fld->fmt & (v[3] | ~(unsigned)AC_JF_ALL));
    }
    s->samples = samples;
    return true;
bad:
    ac__jshape_init(s);
    return false;
}
