/* json_string.c - JSON strings: scanning, escapes, \u handling, UTF-8 validation and decoding.
 *
 * A string is read in two passes over the input. The scan walks eight bytes at a time until a
 * word holds a quote, a backslash, a control character or a non-ASCII byte, and validates every
 * escape (a \u high surrogate must be followed by an escaped low one) and every UTF-8 sequence
 * (RFC 3629: no overlong forms, surrogates or code points past U+10FFFF), so a string that passes
 * is valid UTF-8 once decoded. The second pass copies the bytes into the pool or, only when the
 * scan saw a backslash, decodes the escapes; decoding never makes a string longer, so the raw
 * length sizes the buffer. Strings cannot contain raw newlines, so the line never changes here.
 */
#include "json_impl.h"

#include "hex.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p (1 for ASCII), or 0 when it is not valid UTF-8
 * (overlong forms, surrogates, code points past U+10FFFF and truncated sequences included). */
size_t ac__json_utf8_seq(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    unsigned lo = 0x80, hi = 0xBF;
    size_t n, i;

    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return 0;
    if (c < 0xE0) {
        n = 2;
    } else if (c < 0xF0) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c < 0xF5) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n)
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (i = 2; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

static bool has_special(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    uint64_t q = w ^ (ones * 0x22u), b = w ^ (ones * 0x5Cu);

    /* Any byte == '"', == '\\', < 0x20 or >= 0x80 (classic "has zero / has less" bit tricks). */
    return ((((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20u) & ~w) | w) & high) != 0;
}

/* The code unit of \uXXXX at p (p at the backslash), or -1 when the four hex digits are not
 * there; *short_input tells whether the input ended first. */
static long read_u4(const char *p, const char *end, bool *short_input)
{
    long v = 0;
    int i, h;

    *short_input = false;
    for (i = 0; i < 4; i++) {
        if (p + 2 + i >= end) {
            *short_input = true;
            return -1;
        }
        h = ac__hexval((unsigned char)p[2 + i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Validate the \u escape at p (the backslash) of the string starting at s; return its length in
 * bytes (6, or 12 for a surrogate pair) or 0 after setting the error. */
static size_t check_u_escape(struct jp *j, const char *s, const char *p, enum ac_err *err)
{
    bool shrt;
    long hi = read_u4(p, j->end, &shrt), lo;
    ptrdiff_t rest;

    if (hi < 0) {
        *err = shrt ? ac__json_eof_err(j, "string", j->line, ac__json_col_of(j, s))
                    : ac__json_err_at(j, AC_ESYNTAX, j->line, ac__json_col_of(j, p),
                                      "invalid \\u escape in string: expected four hex digits");
        return 0;
    }
    if (hi >= 0xDC00 && hi <= 0xDFFF) {
        *err = ac__json_err_at(j, AC_EENCODING, j->line, ac__json_col_of(j, p),
                               "lone UTF-16 surrogate \\u%04lX in string", hi);
        return 0;
    }
    if (hi < 0xD800 || hi > 0xDBFF)
        return 6;
    /* A high surrogate must be followed by an escaped low one. */
    rest = j->end - (p + 6);
    if (rest >= 2 && p[6] == '\\' && p[7] == 'u') {
        lo = read_u4(p + 6, j->end, &shrt);
        if (lo >= 0xDC00 && lo <= 0xDFFF)
            return 12;
        if (lo < 0 && shrt) {
            *err = ac__json_eof_err(j, "string", j->line, ac__json_col_of(j, s));
            return 0;
        }
    } else if (rest == 0 || (rest == 1 && p[6] == '\\')) {
        *err = ac__json_eof_err(j, "string", j->line, ac__json_col_of(j, s));
        return 0;
    }
    *err =
        ac__json_err_at(j, AC_EENCODING, j->line, ac__json_col_of(j, p),
                        "lone UTF-16 surrogate \\u%04lX in string (no low surrogate follows)", hi);
    return 0;
}

/* Scan the string whose opening quote is at s; return the closing quote, or NULL after setting
 * the error. *escaped tells whether a backslash occurs (the copy then has to decode). */
static const char *scan_string(struct jp *j, const char *s, bool *escaped, enum ac_err *err)
{
    const char *p = s + 1, *end = j->end;
    size_t k;

    *escaped = false;
    for (;;) {
        unsigned char c;

        while (end - p >= 8) {
            uint64_t w;

            memcpy(&w, p, sizeof(w));
            if (has_special(w))
                break;
            p += 8;
        }
        if (p >= end) {
            *err = ac__json_eof_err(j, "string", j->line, ac__json_col_of(j, s));
            return NULL;
        }
        c = (unsigned char)*p;
        if (c == '"')
            return p;
        if (c >= 0x20 && c < 0x80 && c != '\\') {
            p++;
            continue;
        }
        if (c == '\\') {
            *escaped = true;
            if (p + 1 >= end) {
                *err = ac__json_eof_err(j, "string", j->line, ac__json_col_of(j, s));
                return NULL;
            }
            switch (p[1]) {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
                p += 2;
                continue;
            case 'u':
                k = check_u_escape(j, s, p, err);
                if (k == 0)
                    return NULL;
                p += k;
                continue;
            default: {
                char buf[64];

                *err = ac__json_err_at(j, AC_ESYNTAX, j->line, ac__json_col_of(j, p),
                                       "invalid escape in string: '\\' followed by %s",
                                       ac__json_describe(buf, sizeof(buf), p + 1, end));
                return NULL;
            }
            }
        }
        if (c < 0x20) {
            *err =
                ac__json_err_at(j, AC_ESYNTAX, j->line, ac__json_col_of(j, p),
                                c == '\n' ? "unescaped newline in string (missing closing quote?)"
                                          : "unescaped control character in string");
            return NULL;
        }
        k = ac__json_utf8_seq((const unsigned char *)p, (const unsigned char *)end);
        if (k == 0) {
            *err = ac__json_err_at(j, AC_EENCODING, j->line, ac__json_col_of(j, p),
                                   "invalid UTF-8 sequence starting with byte 0x%02X in string", c);
            return NULL;
        }
        p += k;
    }
}

static char *put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

/* Decode s[0..n), already validated by scan_string, into o; return the decoded length. The
 * output is never longer than the input, so o may be sized by n. */
static size_t decode_string(char *o, const char *s, size_t n)
{
    const char *p = s, *end = s + n, *bs;
    char *start = o;
    bool shrt;

    while (p < end) {
        unsigned long cp;

        bs = memchr(p, '\\', (size_t)(end - p));
        if (bs == NULL)
            bs = end;
        memcpy(o, p, (size_t)(bs - p));
        o += bs - p;
        p = bs;
        if (p >= end)
            break;
        switch (p[1]) {
        case 'b':
            *o++ = '\b';
            break;
        case 'f':
            *o++ = '\f';
            break;
        case 'n':
            *o++ = '\n';
            break;
        case 'r':
            *o++ = '\r';
            break;
        case 't':
            *o++ = '\t';
            break;
        case 'u':
            cp = (unsigned long)read_u4(p, end, &shrt);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) +
                     ((unsigned long)read_u4(p + 6, end, &shrt) - 0xDC00);
                p += 6;
            }
            o = put_utf8(o, cp);
            p += 4;
            break;
        default: /* '"', '\\' and '/' stand for themselves */
            *o++ = p[1];
            break;
        }
        p += 2;
    }
    return (size_t)(o - start);
}

struct ac_node *ac__json_read_string(struct jp *j, const char **pp, enum ac_err *err)
{
    const char *s = *pp, *q;
    bool escaped;
    struct ac_node *n;
    size_t raw;
    char *buf;

    q = scan_string(j, s, &escaped, err);
    if (q == NULL)
        return NULL;
    raw = (size_t)(q - s - 1);
    if (!escaped && raw > j->lim->max_scalar)
        goto too_long;
    n = ac__json_new_node(j, s, AC_NODE_SCALAR, err);
    if (n == NULL)
        return NULL;
    buf = ac__json_pool_take(&j->pool, raw + 1);
    if (buf == NULL) {
        *err = ac__json_alloc_err(j, s);
        return NULL;
    }
    if (escaped) {
        n->len = decode_string(buf, s + 1, raw);
    } else {
        memcpy(buf, s + 1, raw);
        n->len = raw;
    }
    if (n->len > j->lim->max_scalar)
        goto too_long;
    buf[n->len] = '\0';
    n->str = buf;
    *pp = q + 1;
    return n;
too_long:
    *err = ac__json_err_at(j, AC_ELIMIT, j->line, ac__json_col_of(j, s),
                           "string longer than the limit of %zu bytes", j->lim->max_scalar);
    return NULL;
}
