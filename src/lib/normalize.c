/* normalize.c - request targets to decoded paths, query names, static assets and segment classes.
 *
 * Everything here runs once per request line on the ingest hot path, so it is written as
 * hand-made, allocation-free scanners over byte ranges. Invariants of a normalised path: it
 * starts with '/' (or is "*"), it is valid UTF-8, it holds no control character (C0, DEL, C1),
 * and a '/' in it always separates segments: percent-escapes that would break one of these stay
 * encoded (upper-case hex), and raw bytes that would break one are percent-encoded, so readers,
 * the store and JSON reports never see invalid text. Everything else is decoded once ("%2541"
 * gives "%41"); '+' is not a space in a path. Dot segments are not resolved: "/a/../b" is what
 * the client sent, and worth seeing as such.
 *
 * Segment classes (PRODUCT.md "Path templates" rule 4) are deliberately conservative: a segment
 * only becomes a parameter when it is clearly an identifier. Word-like ids are the business of
 * the cardinality rule, which sees many values; a classifier sees one.
 */
#include "normalize.h"

#include "hex.h"
#include "swar.h"
#include "version.h"

#include <stdint.h>
#include <string.h>

static const char hexdig[] = "0123456789ABCDEF";

/* Where decoded bytes go: buf[0..lim) plus a NUL; `full` once something did not fit. */
struct sink {
    char *p;
    size_t n;
    size_t lim;
    bool full;
};

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_hex(unsigned char c)
{
    return ac__hexval((unsigned char)c) >= 0;
}

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Whole unit or nothing: a multi-byte character or an escape is never cut in half. */
static void put(struct sink *o, const void *b, size_t k)
{
    if (o->full || k > o->lim - o->n) {
        o->full = true;
        return;
    }
    memcpy(o->p + o->n, b, k);
    o->n += k;
}

/* Plain ASCII may be cut anywhere: copy what fits. */
static void put_run(struct sink *o, const unsigned char *b, size_t k)
{
    size_t room = o->lim - o->n;

    if (o->full)
        return;
    if (k > room) {
        k = room;
        o->full = true;
    }
    memcpy(o->p + o->n, b, k);
    o->n += k;
}

static void put_escape(struct sink *o, unsigned char b)
{
    char e[3];

    e[0] = '%';
    e[1] = hexdig[b >> 4];
    e[2] = hexdig[b & 15u];
    put(o, e, 3);
}

/* Total length of the UTF-8 sequence a lead byte starts, 0 when it cannot start one. */
static size_t utf8_len(unsigned char b)
{
    if (b >= 0xC2 && b <= 0xDF)
        return 2;
    if (b >= 0xE0 && b <= 0xEF)
        return 3;
    if (b >= 0xF0 && b <= 0xF4)
        return 4;
    return 0;
}

/* Continuation byte k (1-based) of a sequence led by `lead`: no overlongs, no surrogates,
 * nothing past U+10FFFF. */
static bool utf8_cont_ok(unsigned char lead, size_t k, unsigned char c)
{
    unsigned char lo = 0x80, hi = 0xBF;

    if (k == 1) {
        if (lead == 0xE0)
            lo = 0xA0;
        else if (lead == 0xED)
            hi = 0x9F;
        else if (lead == 0xF0)
            lo = 0x90;
        else if (lead == 0xF4)
            hi = 0x8F;
    }
    return c >= lo && c <= hi;
}

/* U+0080..U+009F are control characters too. */
static bool is_c1(const unsigned char *b)
{
    return b[0] == 0xC2 && b[1] < 0xA0;
}

/* Value of the escape "%XX" at s (n bytes available), or -1. */
static int escape_at(const unsigned char *s, size_t n)
{
    int hi, lo;

    if (n < 3 || s[0] != '%')
        return -1;
    hi = ac__hexval((unsigned char)s[1]);
    lo = ac__hexval((unsigned char)s[2]);
    if (hi < 0 || lo < 0)
        return -1;
    return hi * 16 + lo;
}

/* A '%' at s[0]: decode one escape, or one UTF-8 character spelled as consecutive escapes.
 * Returns the bytes of input consumed. */
static size_t decode_escape(const unsigned char *s, size_t n, struct sink *o)
{
    unsigned char b[4];
    size_t need, k;
    int v = escape_at(s, n);

    if (v < 0) {
        put(o, "%", 1); /* a stray '%' is kept as it is */
        return 1;
    }
    b[0] = (unsigned char)v;
    if (b[0] < 0x80) {
        if (b[0] < 0x20 || b[0] == 0x7F || b[0] == '/')
            put_escape(o, b[0]);
        else
            put(o, b, 1);
        return 3;
    }
    need = utf8_len(b[0]);
    for (k = 1; k < need; k++) {
        v = escape_at(s + 3 * k, n - 3 * k);
        if (v < 0 || !utf8_cont_ok(b[0], k, (unsigned char)v))
            break;
        b[k] = (unsigned char)v;
    }
    if (need == 0 || k < need || is_c1(b)) {
        put_escape(o, b[0]); /* the following escapes get their own chance */
        return 3;
    }
    put(o, b, need);
    return 3 * need;
}

/* A raw control byte or non-ASCII byte at s[0]: keep a valid UTF-8 character, encode the rest. */
static size_t copy_raw(const unsigned char *s, size_t n, struct sink *o)
{
    size_t need = utf8_len(s[0]), k;

    if (need == 0 || need > n) {
        put_escape(o, s[0]);
        return 1;
    }
    for (k = 1; k < need; k++)
        if (!utf8_cont_ok(s[0], k, s[k]))
            break;
    if (k < need || is_c1(s)) {
        put_escape(o, s[0]);
        return 1;
    }
    put(o, s, need);
    return need;
}

/* Bytes copied as they are: printable ASCII other than '%', '?' and '#' (a bit per byte). */
static const uint64_t plain_bits[4] = {0x7FFFFFD700000000u, 0x7FFFFFFFFFFFFFFFu, 0, 0};

static bool is_plain(unsigned char c)
{
    return (plain_bits[c >> 6] >> (c & 63u)) & 1u;
}

/* End of the run of plain bytes starting at s[i]: eight bytes at a time while none is below
 * 0x20, above 0x7E, or one of '%', '?', '#' (the usual SWAR tests), then byte by byte. */
static bool plain8(const unsigned char *p)
{
    uint64_t x = ac__swar_load(p);

    if ((((x - AC_SWAR_ONES * 0x20u) & ~x) | x | (x + AC_SWAR_ONES)) & AC_SWAR_HIGHS)
        return false; /* a byte < 0x20, >= 0x80, or 0x7F */
    return !(ac__swar_eq(x, '%') | ac__swar_eq(x, '?') | ac__swar_eq(x, '#'));
}

static size_t plain_run(const unsigned char *s, size_t i, size_t n)
{
    while (n - i >= 8) {
        if (!plain8(s + i))
            break;
        i += 8;
    }
    /* The last 1-7 bytes as the word ending at n; when a byte before i in that word is not
     * plain, the byte loop decides. */
    if (i < n && n - i < 8 && i >= 8 - (n - i) && plain8(s + n - 8))
        return n;
    while (i < n && is_plain(s[i]))
        i++;
    return i;
}

/* Decode the path part of s[0..n) (up to '?' or '#') into o; returns where the path ended. */
static size_t decode_path(const unsigned char *s, size_t n, struct sink *o)
{
    size_t i = 0;

    while (i < n && s[i] != '?' && s[i] != '#') {
        size_t run = plain_run(s, i, n);

        if (run > i) {
            put_run(o, s + i, run - i);
            i = run;
        } else if (s[i] == '%') {
            i += decode_escape(s + i, n - i, o);
        } else {
            i += copy_raw(s + i, n - i, o);
        }
        if (o->full)
            break;
    }
    while (i < n && s[i] != '?' && s[i] != '#')
        i++;
    return i;
}

static bool prefix_ci(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit), i;

    if (n < k)
        return false;
    for (i = 0; i < k; i++)
        if (lower((unsigned char)s[i]) != (unsigned char)lit[i])
            return false;
    return true;
}

/* "http[s]://[userinfo@]host[:port]" at the start of s: the host slice (port kept, as in
 * ac_request.host) and where the path begins. */
static bool absolute_form(const char *s, size_t n, struct ac_slice *host, size_t *path_at)
{
    size_t i, start;

    if (prefix_ci(s, n, "http://"))
        i = 7;
    else if (prefix_ci(s, n, "https://"))
        i = 8;
    else
        return false;
    start = i;
    for (; i < n && s[i] != '/' && s[i] != '?' && s[i] != '#'; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c <= 0x20 || c == 0x7F)
            return false;
        if (c == '@')
            start = i + 1;
    }
    if (i == start || s[start] == ':')
        return false;
    host->p = s + start;
    host->n = i - start;
    *path_at = i;
    return true;
}

bool ac__normalize(struct ac_slice target, char *buf, size_t cap, struct ac_norm *out)
{
    const char *s = target.p;
    size_t n = target.n, ps = 0, pe, qe;
    struct ac_slice host = {NULL, 0}, query = {NULL, 0};
    struct sink o;

    if (buf == NULL || out == NULL || cap < 2 || s == NULL || n == 0)
        return false;
    if (s[0] != '/' && !(n == 1 && s[0] == '*') && !absolute_form(s, n, &host, &ps))
        return false;
    o.p = buf;
    o.n = 0;
    o.lim = cap - 1 < AC_PATH_MAX ? cap - 1 : AC_PATH_MAX;
    o.full = false;
    if (s[0] == '*') {
        put(&o, "*", 1);
        pe = 1;
    } else if (ps == n || s[ps] != '/') {
        put(&o, "/", 1); /* "http://h" and "http://h?q" ask for "/" */
        pe = ps;
    } else {
        pe = ps + decode_path((const unsigned char *)s + ps, n - ps, &o);
    }
    if (pe < n && s[pe] == '?') {
        qe = pe + 1;
        while (qe < n && s[qe] != '#')
            qe++;
        query.p = s + pe + 1;
        query.n = qe - pe - 1;
    }
    buf[o.n] = '\0';
    out->path = buf;
    out->path_len = o.n;
    out->query = query;
    out->host = host;
    out->is_static = ac__is_static_path(buf, o.n);
    out->truncated = o.full;
    return true;
}

bool ac__is_static_path(const char *path, size_t n)
{
    static const char *const exts[] = {"css", "js",  "mjs",  "map",  "png", "jpg",  "jpeg",  "gif",
                                       "svg", "ico", "webp", "avif", "bmp", "woff", "woff2", "ttf",
                                       "eot", "otf", "mp4",  "webm", "mp3", "wav"};
    char ext[8];
    size_t dot = n, len, k;

#if AC_SWAR_LE
    if (n >= 8 && (ac__swar_eq(ac__swar_load(path + n - 8), '.') >> 16) == 0)
        return false; /* no '.' in the last six bytes (the usual API path): no extension */
#endif
    /* Only the last six bytes can hold ".woff2" or a shorter extension. */
    while (dot > 0 && n - dot < 6 && path[dot - 1] != '.' && path[dot - 1] != '/')
        dot--;
    if (dot < 2 || path[dot - 1] != '.' || path[dot - 2] == '/')
        return false; /* no extension, or a dot file such as "/.css" */
    dot--;
    len = n - dot - 1;
    if (len == 0 || len > 5)
        return false;
    for (k = 0; k < len; k++)
        ext[k] = (char)lower((unsigned char)path[dot + 1 + k]);
    for (k = 0; k < sizeof(exts) / sizeof(exts[0]); k++)
        if (strlen(exts[k]) == len && memcmp(exts[k], ext, len) == 0)
            return true;
    return false;
}

bool ac__query_next_name(struct ac_slice query, size_t *pos, struct ac_slice *name)
{
    size_t i = *pos;

    while (i < query.n) {
        size_t start = i, end;

        while (i < query.n && query.p[i] != '&' && query.p[i] != '=')
            i++;
        end = i;
        while (i < query.n && query.p[i] != '&')
            i++;
        if (i < query.n)
            i++; /* the '&' */
        if (end > start) {
            name->p = query.p + start;
            name->n = end - start;
            *pos = i;
            return true;
        }
    }
    *pos = i;
    return false;
}

/* Four dot-separated numbers 0-255. */
static bool is_ipv4(const char *s, size_t n)
{
    size_t i = 0;
    int groups = 0;

    while (groups < 4) {
        unsigned v = 0;
        size_t start = i;

        while (i < n && is_digit((unsigned char)s[i]) && i - start < 3)
            v = v * 10u + (unsigned)(s[i++] - '0');
        if (i == start || v > 255 || (i < n && is_digit((unsigned char)s[i])))
            return false;
        groups++;
        if (groups < 4) {
            if (i >= n || s[i] != '.')
                return false;
            i++;
        }
    }
    return i == n;
}

/* Colon-separated groups of 1-4 hex digits, at most one "::", optionally an IPv4 tail. */
static bool is_ipv6(const char *s, size_t n)
{
    size_t i = 0, groups = 0;
    bool gap = false;

    if (n < 3 || n > 45)
        return false;
    if (s[0] == ':') {
        if (s[1] != ':')
            return false;
        gap = true;
        i = 2;
    }
    while (i < n) {
        size_t start = i;

        while (i < n && is_hex((unsigned char)s[i]) && i - start < 5)
            i++;
        if (i < n && s[i] == '.') {
            if (!is_ipv4(s + start, n - start))
                return false;
            groups += 2;
            break;
        }
        if (i == start || i - start > 4)
            return false;
        groups++;
        if (i == n)
            break;
        if (s[i] != ':')
            return false;
        i++;
        if (i < n && s[i] == ':') {
            if (gap)
                return false;
            gap = true;
            i++;
        } else if (i == n) {
            return false; /* a single trailing ':' */
        }
    }
    return gap ? groups >= 1 && groups <= 7 : groups == 8;
}

/* 8-4-4-4-12 hex digits, any case, any version. */
static bool is_uuid(const char *s, size_t n)
{
    size_t i;

    if (n != 36)
        return false;
    for (i = 0; i < n; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return false;
        } else if (!is_hex((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

static bool email_local_char(unsigned char c)
{
    return is_alpha(c) || is_digit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* local@domain.tld: a simple, strict shape; the top-level label is letters only. */
static bool is_email(const char *s, size_t n)
{
    const char *at = memchr(s, '@', n);
    size_t i, local, label = 0, labels = 0, tld_alpha = 1;

    if (at == NULL)
        return false;
    local = (size_t)(at - s);
    if (local == 0 || local > 64 || s[0] == '.' || s[local - 1] == '.')
        return false;
    for (i = 0; i < local; i++)
        if (!email_local_char((unsigned char)s[i]))
            return false;
    for (i = local + 1; i <= n; i++) {
        unsigned char c = i < n ? (unsigned char)s[i] : '.';

        if (c == '.') {
            if (label == 0)
                return false;
            labels++;
            if (i == n && (label < 2 || !tld_alpha))
                return false;
            label = 0;
            tld_alpha = 1;
        } else if (is_alpha(c) || is_digit(c) || c == '-') {
            label++;
            if (!is_alpha(c))
                tld_alpha = 0;
        } else {
            return false;
        }
    }
    return labels >= 2;
}

/* base62 / base64url id: [A-Za-z0-9_-], letters and at least two digits, and at least one of
 * its '-'/'_'-separated parts switching between letters and digits twice or more. The last
 * condition tells random ids ("cus_9s6XKzkNRiz8i3") from slugs of words and numbers
 * ("my-long-blog-post-title-2", "iphone-15-pro-max-256gb"), which stay literal. */
static bool is_base_id(const char *s, size_t n)
{
    size_t i, letters = 0, digits = 0, turns = 0, best = 0, upper = 0, lower = 0, vowels = 0,
              case_turns = 0;
    int prev = 0, prev_case = 0;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int cls;

        if (is_alpha(c)) {
            int cs = c >= 'A' && c <= 'Z' ? 2 : 1;

            cls = 1;
            letters++;
            upper += cs == 2;
            lower += cs == 1;
            vowels += strchr("aeiouAEIOU", c) != NULL;
            case_turns += prev_case != 0 && prev_case != cs;
            prev_case = cs;
        } else if (is_digit(c)) {
            cls = 2;
            digits++;
        } else if (c == '-' || c == '_') {
            if (turns > best)
                best = turns;
            turns = 0;
            prev = 0;
            continue;
        } else {
            return false;
        }
        if (prev != 0 && prev != cls)
            turns++;
        prev = cls;
    }
    if (turns > best)
        best = turns;
    /* Letters and digits taking turns ("a8Xk29Qz..."), or random mixed case ("FZMoHoZmuIgH"):
     * the case changes at one letter in four or more, and fewer than 30% of the letters are
     * vowels (about 19% in random letters, near 40% in camelCase words such as
     * "getUserByIdAndRole"). */
    return (letters > 0 && digits >= 2 && best >= 2) ||
           (upper >= 3 && lower >= 3 && case_turns * 4 >= letters &&
            (digits > 0 || vowels * 10 < letters * 3));
}

/* Bytes of a segment as ac__classify_segment counts them. */
enum { SB_DIGIT = 1, SB_HEXALPHA = 2, SB_AT_COLON = 4 };

static const unsigned char seg_bits[256] = {
    ['0'] = SB_DIGIT,    ['1'] = SB_DIGIT,    ['2'] = SB_DIGIT,    ['3'] = SB_DIGIT,
    ['4'] = SB_DIGIT,    ['5'] = SB_DIGIT,    ['6'] = SB_DIGIT,    ['7'] = SB_DIGIT,
    ['8'] = SB_DIGIT,    ['9'] = SB_DIGIT,    ['a'] = SB_HEXALPHA, ['b'] = SB_HEXALPHA,
    ['c'] = SB_HEXALPHA, ['d'] = SB_HEXALPHA, ['e'] = SB_HEXALPHA, ['f'] = SB_HEXALPHA,
    ['A'] = SB_HEXALPHA, ['B'] = SB_HEXALPHA, ['C'] = SB_HEXALPHA, ['D'] = SB_HEXALPHA,
    ['E'] = SB_HEXALPHA, ['F'] = SB_HEXALPHA, ['@'] = SB_AT_COLON, [':'] = SB_AT_COLON};

enum ac_seg_class ac__classify_segment(const char *s, size_t n, bool date_versions)
{
    size_t i, digits = 0, hexalpha = 0;
    unsigned marks = 0;
    bool at_or_colon;

    if (n == 0)
        return AC_SEG_LITERAL;
    /* Branch-free: which of digit, hex letter or other a byte of a word is, is not predictable. */
    for (i = 0; i < n; i++) {
        unsigned t = seg_bits[(unsigned char)s[i]];

        digits += t & SB_DIGIT;
        hexalpha += (t & SB_HEXALPHA) >> 1;
        marks |= t;
    }
    at_or_colon = (marks & SB_AT_COLON) != 0;
    /* Words ("repos", "pull-requests"): every class below but the UUID and long random tokens
     * needs a digit, an '@' (email) or a ':' (IPv6), and a UUID has 36 bytes. Most segments
     * leave here. */
    if (digits == 0 && !at_or_colon && n != 36 && n < 16)
        return AC_SEG_LITERAL;
    /* Before version tokens: "10.0.0.1" is dotted digits too, and far more often an address
     * than a four-part version. */
    if (n >= 7 && n <= 15 && is_ipv4(s, n))
        return AC_SEG_IP;
    if (ac__version_token(s, n, date_versions))
        return AC_SEG_LITERAL;
    if (digits == n)
        return AC_SEG_INT; /* "2019" too: a year in a path is an id as often as not */
    if (is_uuid(s, n))
        return AC_SEG_UUID;
    if (digits + hexalpha == n && digits > 0) {
        if (n == 24)
            return AC_SEG_OBJECTID;
        if (n >= 16)
            return AC_SEG_HEX;
    }
    if (!date_versions && ac__is_date(s, n))
        return AC_SEG_DATE;
    if (is_email(s, n))
        return AC_SEG_EMAIL;
    if (is_ipv6(s, n))
        return AC_SEG_IP;
    if (n >= 16 && is_base_id(s, n))
        return AC_SEG_ID;
    return AC_SEG_LITERAL;
}

const char *ac__seg_class_param(enum ac_seg_class c)
{
    switch (c) {
    case AC_SEG_INT:
        return "{int}";
    case AC_SEG_UUID:
        return "{uuid}";
    case AC_SEG_OBJECTID:
        return "{objectid}";
    case AC_SEG_HEX:
        return "{hex}";
    case AC_SEG_ID:
        return "{id}";
    case AC_SEG_DATE:
        return "{date}";
    case AC_SEG_EMAIL:
        return "{email}";
    case AC_SEG_IP:
        return "{ip}";
    case AC_SEG_LITERAL:
        break;
    }
    return NULL;
}

size_t ac__extension_at(const char *s, size_t n)
{
    size_t dot = n, k;

    while (dot > 0 && s[dot - 1] != '.')
        dot--;
    if (dot < 2 || n - dot == 0 || n - dot > 8 || !is_alpha((unsigned char)s[dot]))
        return n;
    for (k = dot; k < n; k++)
        if (!is_alpha((unsigned char)s[k]) && !is_digit((unsigned char)s[k]))
            return n;
    return dot - 1;
}

/* A literal segment; braces are written encoded so that a client sending "/a/{int}" cannot
 * produce something that reads as a parameter. */
static void put_literal(struct sink *o, const char *s, size_t n)
{
    size_t i, start = 0;

    for (i = 0; i < n; i++) {
        if (s[i] == '{' || s[i] == '}') {
            put(o, s + start, i - start);
            put_escape(o, (unsigned char)s[i]);
            start = i + 1;
        }
    }
    put(o, s + start, n - start);
}

/* Integers of up to this many digits may be routes ("/status/404", "/api/2/"); longer
 * ones are identifiers at once. */
#define KEEP_INT_DIGITS 3

static void put_segment(struct sink *o, const char *s, size_t n, bool last, bool date_versions,
                        bool keep_ints)
{
    enum ac_seg_class c = ac__classify_segment(s, n, date_versions);
    size_t dot;
    const char *param;

    if (c == AC_SEG_LITERAL && last) {
        dot = ac__extension_at(s, n);
        if (dot < n) {
            enum ac_seg_class sc = ac__classify_segment(s, dot, date_versions);

            param = keep_ints && sc == AC_SEG_INT && dot <= KEEP_INT_DIGITS
                        ? NULL
                        : ac__seg_class_param(sc);
            if (param != NULL) {
                put(o, param, strlen(param));
                put_literal(o, s + dot, n - dot);
                return;
            }
        }
    }
    param = keep_ints && c == AC_SEG_INT && n <= KEEP_INT_DIGITS ? NULL : ac__seg_class_param(c);
    if (param != NULL)
        put(o, param, strlen(param));
    else
        put_literal(o, s, n);
}

bool ac__template_of(const char *path, size_t n, bool date_versions, char *out, size_t cap)
{
    return ac__shape_of_path(path, n, date_versions, false, out, cap);
}

bool ac__shape_of_path(const char *path, size_t n, bool date_versions, bool keep_ints, char *out,
                       size_t cap)
{
    struct sink o;
    size_t i = 0;

    if (out == NULL || cap == 0 || (path == NULL && n != 0))
        return false;
    if (path == NULL)
        path = "";
    o.p = out;
    o.n = 0;
    o.lim = cap - 1;
    o.full = false;
    for (;;) {
        const char *slash = memchr(path + i, '/', n - i);
        size_t end = slash != NULL ? (size_t)(slash - path) : n;

        put_segment(&o, path + i, end - i, slash == NULL, date_versions, keep_ints);
        if (slash == NULL || o.full)
            break;
        put(&o, "/", 1);
        i = end + 1;
    }
    out[o.n] = '\0';
    return !o.full;
}
