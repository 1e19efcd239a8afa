/* reader_clf.c - nginx/Apache access logs: "combined", "common" and any nginx log_format string.
 *
 * combined and common are the hot path of apicensus and have a hand-written scanner: a few
 * memchr() calls per line, no allocation, no copy. Both accept Apache's vhost-first variant
 * ("host:port client ident user [time] ..."), told apart by counting the fields before '['; both
 * tolerate extra trailing fields, and combined takes a quoted field right after the user agent as
 * X-Forwarded-For when it looks like a list of addresses (nginx's default "main" log_format).
 *
 * The nginx reader compiles a log_format string once, in create(), into a program (the format
 * may be given as it is, or as pasted from nginx.conf: "escape=json '...' '...';"): a leading
 * literal, then steps of (variable, literal that ends it). A line is matched step by step: a
 * variable extends to the next occurrence of its closing literal, or, when it sits between two
 * double quotes, to the next unescaped quote (Apache escapes quotes as \", nginx as \x22). The
 * last variable takes the rest of the line; text after a final literal is tolerated.
 *
 * In every variant, $remote_user (or $http_authorization) other than "-" means credentials were
 * sent, "-" means none. A line whose request is "-" or not an HTTP request line (a TLS handshake
 * on a plain port, logged as "\x16\x03...") is well-formed but carries no request: AC_LINE_SKIP,
 * with the reason written to `why` as for bad lines.
 *
 * The reader state is a struct clf_reader handed out as the opaque struct ac_reader pointer (cast
 * back in every entry point), so no two files define struct ac_reader differently.
 */
#include "reader.h"
#include "swar.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NGX_MAX_STEPS 64
#define NGX_MAX_SPEC 4096
#define CLF_TIME_LEN 26 /* "22/Jan/2019:03:56:14 +0330" */

enum clf_kind { CLF_COMMON, CLF_COMBINED, CLF_NGINX };

/* What a log_format variable feeds; everything not listed is matched and ignored. */
enum ngx_var {
    V_IGNORE,
    V_CLIENT,      /* $remote_addr */
    V_USER,        /* $remote_user */
    V_TIME_LOCAL,  /* $time_local */
    V_TIME_ISO,    /* $time_iso8601 */
    V_MSEC,        /* $msec */
    V_REQUEST,     /* $request */
    V_METHOD,      /* $request_method */
    V_REQUEST_URI, /* $request_uri */
    V_URI,         /* $uri, $document_uri */
    V_URI_ARGS,    /* $uri$is_args$args, compiled into one step */
    V_ARGS,        /* $args, $query_string */
    V_STATUS,      /* $status */
    V_HOST,        /* $host */
    V_HTTP_HOST,   /* $http_host */
    V_SERVER_NAME, /* $server_name */
    V_AUTH,        /* $http_authorization: presence only */
    V_XFF,         /* $http_x_forwarded_for */
    V_IS_ARGS      /* $is_args: only inside $uri$is_args$args */
};

static const struct {
    const char *name;
    enum ngx_var var;
} ngx_vars[] = {
    {"remote_addr", V_CLIENT},
    {"remote_user", V_USER},
    {"time_local", V_TIME_LOCAL},
    {"time_iso8601", V_TIME_ISO},
    {"msec", V_MSEC},
    {"request", V_REQUEST},
    {"request_method", V_METHOD},
    {"request_uri", V_REQUEST_URI},
    {"uri", V_URI},
    {"document_uri", V_URI},
    {"args", V_ARGS},
    {"query_string", V_ARGS},
    {"status", V_STATUS},
    {"host", V_HOST},
    {"http_host", V_HTTP_HOST},
    {"server_name", V_SERVER_NAME},
    {"http_authorization", V_AUTH},
    {"http_x_forwarded_for", V_XFF},
    {"is_args", V_IS_ARGS},
};

struct ngx_step {
    enum ngx_var var;
    bool quoted;      /* between '"' and '"': ends at the next unescaped quote */
    const char *name; /* the variable's name in the spec, for messages */
    size_t name_len;
    const char *lit; /* the literal after the variable (into fmt); may be empty */
    size_t lit_len;
};

/* The last "dd/Mon/yyyy:HH:MM:SS +zzzz" parsed, minus its seconds: consecutive lines of a log
 * nearly always share the minute, and re-reading two digits is cheaper than the calendar. */
struct time_cache {
    char key[CLF_TIME_LEN]; /* the time text whose minute is cached; bytes 18-19 not compared */
    int64_t minute;         /* Unix time of that minute */
    bool valid;
};

struct clf_reader {
    enum clf_kind kind;
    struct time_cache tc;
    const char *pre; /* literal before the first variable */
    size_t pre_len;
    size_t nsteps;
    struct ngx_step steps[NGX_MAX_STEPS];
    char fmt[]; /* copy of the spec; literals and names point into it */
};

/* RFC 9110 token characters, which is what a method is made of. */

/* Split "GET /p HTTP/1.1" into *out and check that the method is a token. */
static bool request_line(const char *s, size_t n, struct ac_request *out)
{
    size_t i;

    if (!ac__split_request_line(s, n, &out->method, &out->target))
        return false;
    for (i = 0; i < out->method.n; i++) {
        char c = out->method.p[i];

        /* Upper-case letters first: methods nearly always are, and the call is then saved. */
        if (!(c >= 'A' && c <= 'Z') && !ac__is_tchar(c))
            return false;
    }
    return true;
}

/* Three decimal digits as a status, or -1. */
static int status3(const char *p, size_t n)
{
    if (n != 3 || p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' || p[2] < '0' || p[2] > '9')
        return -1;
    return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
}

static bool is_dash(const char *p, size_t n)
{
    return n == 0 || (n == 1 && p[0] == '-');
}

/* A quoted trailing field is X-Forwarded-For when it is a list of IPv4/IPv6 addresses. */
static bool looks_like_xff(const char *p, size_t n)
{
    bool digit = false;
    size_t i;

    for (i = 0; i < n; i++) {
        char c = p[i];

        if (c >= '0' && c <= '9')
            digit = true;
        else if (!((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':' ||
                   c == ',' || c == ' '))
            return false;
    }
    return digit;
}

/* The time of s[0..CLF_TIME_LEN) from the cached minute, when s is in that minute. */
static bool cached_time(const struct time_cache *tc, const char *s, int64_t *out)
{
    int sec;

    if (tc == NULL || !tc->valid)
        return false;
#if AC_SWAR_LE
    /* Bytes 0-17 and 20-25 in four words: 0-7, 8-15, 16-23 without 18-19, 20-25. */
    if (ac__swar_load(s) != ac__swar_load(tc->key) ||
        ac__swar_load(s + 8) != ac__swar_load(tc->key + 8) ||
        ((ac__swar_load(s + 16) ^ ac__swar_load(tc->key + 16)) & 0xFFFFFFFF0000FFFFu) != 0 ||
        ac__swar_load(s + 18) >> 16 != ac__swar_load(tc->key + 18) >> 16)
        return false;
#else
    if (memcmp(s, tc->key, 18) != 0 || memcmp(s + 20, tc->key + 20, CLF_TIME_LEN - 20) != 0)
        return false;
#endif
    if (s[18] < '0' || s[18] > '6' || s[19] < '0' || s[19] > '9')
        return false;
    sec = (s[18] - '0') * 10 + (s[19] - '0');
    if (sec > 60)
        return false;
    *out = tc->minute + sec;
    return true;
}

/* ac__parse_clf_time through the cache (tc may be NULL). */
static bool clf_time(struct time_cache *tc, const char *s, size_t n, int64_t *out)
{
    int64_t t;

    if (n == CLF_TIME_LEN && cached_time(tc, s, out))
        return true;
    if (!ac__parse_clf_time(s, n, &t))
        return false;
    if (tc != NULL && n == CLF_TIME_LEN) {
        memcpy(tc->key, s, CLF_TIME_LEN);
        tc->minute = t - ((s[18] - '0') * 10 + (s[19] - '0'));
        tc->valid = true;
    }
    *out = t;
    return true;
}

/* The end of the field at s[i]: the first ' ' or '[' from i on, or n. Eight bytes at a time: a
 * client address is one or two words, not a dozen compares. */
static size_t field_end(const char *s, size_t i, size_t n)
{
#if AC_SWAR_LE
    while (n - i >= 8) {
        uint64_t x = ac__swar_load(s + i), m = ac__swar_eq(x, ' ') | ac__swar_eq(x, '[');

        if (m != 0)
            return i + ac__swar_first(m); /* the lowest flag of either is exact */
        i += 8;
    }
#endif
    while (i < n && s[i] != ' ' && s[i] != '[')
        i++;
    return i;
}

/* The fields before the first '[': "client ident user" or "vhost client ident user". One pass
 * finds the '[' and splits the fields (a memchr() for '[' first would read the same bytes twice);
 * *lb is the index of the '[', n when there is none. */
static bool clf_prefix(const char *s, size_t n, size_t *lb, struct ac_request *out, size_t *nfields)
{
    struct ac_slice t[4];
    size_t i = 0, k = 0, start;
    const char *b;

    for (;;) {
        while (i < n && s[i] == ' ')
            i++;
        if (i == n || s[i] == '[')
            break;
        if (k == 4) {
            k++;
            b = memchr(s + i, '[', n - i);
            i = b != NULL ? (size_t)(b - s) : n;
            break;
        }
        start = i;
        i = field_end(s, i, n);
        t[k].p = s + start;
        t[k].n = i - start;
        k++;
    }
    *lb = i;
    *nfields = k;
    if (i == n || i == 0 || s[i - 1] != ' ' || (k != 3 && k != 4))
        return false;
    if (k == 4)
        out->host = t[0];
    out->client = t[k - 3];
    /* An authenticated user proves credentials; "-" only says there was no HTTP Basic auth,
     * not that no bearer token or cookie was sent, so it leaves them unknown. */
    if (!is_dash(t[k - 1].p, t[k - 1].n))
        out->credentials = AC_CRED_PRESENT;
    return true;
}

/* Parse a common or combined line; *end is where the recognised fields stop. tc may be NULL. */
static enum ac_line clf_parse(struct time_cache *tc, const char *s, size_t n, bool combined,
                              struct ac_request *out, char *why, size_t cap, size_t *end)
{
    const char *rb;
    size_t i, q, nf, rq, rqn, lb;

    ac__request_clear(out);
    *end = 0;
    if (n > 0 && s[n - 1] == '\r')
        n--;
    if (n == 0) {
        ac__reader_why(why, cap, "blank line");
        return AC_LINE_SKIP;
    }
    if (!clf_prefix(s, n, &lb, out, &nf)) {
        ac__reader_why(why, cap,
                       lb == n  ? "expected '[' before the time"
                       : nf < 3 ? "expected client, ident and user fields before '[time]'"
                                : "too many fields before '[time]'");
        return AC_LINE_BAD;
    }
    i = lb + 1;
    if (n - i > CLF_TIME_LEN && s[i + CLF_TIME_LEN] == ']' && cached_time(tc, s + i, &out->time)) {
        /* The usual line: a cached minute proves the text holds no earlier ']'. */
        i += CLF_TIME_LEN + 1;
    } else {
        rb = memchr(s + i, ']', n - i);
        if (rb == NULL || !clf_time(tc, s + i, (size_t)(rb - s) - i, &out->time)) {
            ac__reader_why(why, cap, "expected a time like [22/Jan/2019:03:56:14 +0330]");
            return AC_LINE_BAD;
        }
        i = (size_t)(rb - s) + 1;
    }
    if (i + 2 > n || s[i] != ' ' || s[i + 1] != '"') {
        ac__reader_why(why, cap, "expected '\"' before the request after the time");
        return AC_LINE_BAD;
    }
    rq = i + 2;
    q = ac__quote_end(s, rq, n);
    if (q == n) {
        ac__reader_why(why, cap, "unterminated quoted request");
        return AC_LINE_BAD;
    }
    rqn = q - rq;
    i = q + 1;
    /* status */
    if (i + 4 > n || s[i] != ' ' || (out->status = status3(s + i + 1, 3)) < 0 ||
        (i + 4 < n && s[i + 4] != ' ')) {
        ac__reader_why(why, cap, "expected a three-digit status after the request");
        return AC_LINE_BAD;
    }
    i += 4;
    /* bytes: digits or '-' */
    if (i + 1 >= n || s[i] != ' ' || !((s[i + 1] >= '0' && s[i + 1] <= '9') || s[i + 1] == '-')) {
        ac__reader_why(why, cap, "expected the byte count after the status");
        return AC_LINE_BAD;
    }
    i += 2;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i < n && s[i] != ' ') {
        ac__reader_why(why, cap, "expected the byte count after the status");
        return AC_LINE_BAD;
    }
    if (combined) {
        /* "referer" "user agent", then maybe "x-forwarded-for" and anything else. */
        if (i + 2 > n || s[i] != ' ' || s[i + 1] != '"' || (q = ac__quote_end(s, i + 2, n)) == n) {
            ac__reader_why(why, cap, "expected the quoted referer after the byte count");
            return AC_LINE_BAD;
        }
        i = q + 1;
        if (i + 2 > n || s[i] != ' ' || s[i + 1] != '"' || (q = ac__quote_end(s, i + 2, n)) == n) {
            ac__reader_why(why, cap, "expected the quoted user agent after the referer");
            return AC_LINE_BAD;
        }
        i = q + 1;
        if (i + 2 < n && s[i] == ' ' && s[i + 1] == '"' && (q = ac__quote_end(s, i + 2, n)) < n) {
            if (!is_dash(s + i + 2, q - i - 2) && looks_like_xff(s + i + 2, q - i - 2)) {
                out->xff.p = s + i + 2;
                out->xff.n = q - i - 2;
            }
        }
    }
    *end = i;
    if (!request_line(s + rq, rqn, out)) {
        ac__reader_why(why, cap, "no HTTP request line (\"-\" or not HTTP)");
        return AC_LINE_SKIP;
    }
    return AC_LINE_REQUEST;
}

/* --- combined and common -------------------------------------------------------------------- */

static enum ac_err clf_create(enum clf_kind kind, struct ac_reader **out, struct ac_diag *d)
{
    struct clf_reader *r = calloc(1, sizeof(*r));

    if (r == NULL)
        return ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    r->kind = kind;
    *out = (struct ac_reader *)r;
    return AC_OK;
}

static enum ac_err combined_create(const char *spec, struct ac_reader **out, struct ac_diag *d)
{
    (void)spec;
    return clf_create(CLF_COMBINED, out, d);
}

static enum ac_err common_create(const char *spec, struct ac_reader **out, struct ac_diag *d)
{
    (void)spec;
    return clf_create(CLF_COMMON, out, d);
}

static void clf_destroy(struct ac_reader *r)
{
    free(r);
}

static enum ac_line combined_parse(struct ac_reader *r, const char *line, size_t n,
                                   struct ac_request *out, char *why, size_t whycap)
{
    size_t end;

    return clf_parse(&((struct clf_reader *)r)->tc, line, n, true, out, why, whycap, &end);
}

static enum ac_line common_parse(struct ac_reader *r, const char *line, size_t n,
                                 struct ac_request *out, char *why, size_t whycap)
{
    size_t end;

    return clf_parse(&((struct clf_reader *)r)->tc, line, n, false, out, why, whycap, &end);
}

/* Well-formed combined: 90; no request line: 40; anything else (a common line): 0. */
static int combined_detect(const char *line, size_t n)
{
    struct ac_request req;
    size_t end;

    switch (clf_parse(NULL, line, n, true, &req, NULL, 0, &end)) {
    case AC_LINE_REQUEST:
        return 90;
    case AC_LINE_SKIP:
        return end > 0 ? 40 : 0;
    case AC_LINE_BAD:
        break;
    }
    return 0;
}

/* A line that ends after the byte count: 90; one with more fields (combined): 60, so that
 * combined wins on combined logs. */
static int common_detect(const char *line, size_t n)
{
    struct ac_request req;
    size_t end;
    enum ac_line k = clf_parse(NULL, line, n, false, &req, NULL, 0, &end);

    if (n > 0 && line[n - 1] == '\r')
        n--;
    if (k == AC_LINE_REQUEST)
        return end == n ? 90 : 60;
    if (k == AC_LINE_SKIP && end > 0)
        return end == n ? 40 : 20;
    return 0;
}

/* --- nginx log_format ------------------------------------------------------------------------ */

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static enum ngx_var var_lookup(const char *name, size_t n)
{
    size_t i;

    for (i = 0; i < sizeof(ngx_vars) / sizeof(ngx_vars[0]); i++)
        if (strlen(ngx_vars[i].name) == n && memcmp(ngx_vars[i].name, name, n) == 0)
            return ngx_vars[i].var;
    return V_IGNORE;
}

/* Read "$name" or "${name}" at f[*i] (which is '$'); its name in *name and *nlen. */
static bool read_var(const char *f, size_t len, size_t *i, const char **name, size_t *nlen)
{
    size_t k = *i + 1, start;
    bool brace = k < len && f[k] == '{';

    if (brace)
        k++;
    start = k;
    while (k < len && is_name_char(f[k]))
        k++;
    if (k == start || (brace && (k >= len || f[k] != '}')))
        return false;
    *name = f + start;
    *nlen = k - start;
    *i = brace ? k + 1 : k;
    return true;
}

/* The literal starting at f[*i], up to the next '$' or the end. */
static void read_lit(const char *f, size_t len, size_t *i, const char **lit, size_t *n)
{
    size_t k = *i;

    while (k < len && f[k] != '$')
        k++;
    *lit = f + *i;
    *n = k - *i;
    *i = k;
}

static enum ac_err ngx_compile(struct clf_reader *r, size_t len, struct ac_diag *d)
{
    const char *f = r->fmt, *name, *prev;
    size_t i = 0, nlen, prev_len;
    bool have_req = false, have_method = false, have_target = false;
    struct ngx_step *st;

    read_lit(f, len, &i, &r->pre, &r->pre_len);
    prev = r->pre;
    prev_len = r->pre_len;
    while (i < len) {
        size_t at = i;

        if (r->nsteps == NGX_MAX_STEPS)
            return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "log_format has more than %d variables",
                               NGX_MAX_STEPS);
        if (!read_var(f, len, &i, &name, &nlen))
            return ac_diag_set(d, AC_EUSAGE, NULL, 0, (uint32_t)at + 1,
                               "log_format: '$' without a variable name at column %zu", at + 1);
        st = &r->steps[r->nsteps];
        st->var = var_lookup(name, nlen);
        st->name = name;
        st->name_len = nlen;
        /* $uri$is_args$args is the one pair of adjacent variables that can be told apart. */
        if (st->var == V_URI && i < len && f[i] == '$') {
            size_t k = i;
            const char *n2, *n3;
            size_t l2, l3;

            if (read_var(f, len, &k, &n2, &l2) && var_lookup(n2, l2) == V_IS_ARGS && k < len &&
                f[k] == '$' && read_var(f, len, &k, &n3, &l3) && var_lookup(n3, l3) == V_ARGS) {
                st->var = V_URI_ARGS;
                i = k;
            }
        }
        if (st->var == V_IS_ARGS)
            return ac_diag_set(d, AC_EUSAGE, NULL, 0, (uint32_t)at + 1,
                               "log_format: $is_args is only understood in $uri$is_args$args");
        read_lit(f, len, &i, &st->lit, &st->lit_len);
        if (st->lit_len == 0 && i < len)
            return ac_diag_set(d, AC_EUSAGE, NULL, 0, (uint32_t)i + 1,
                               "log_format: $%.*s and the next variable need a separator between "
                               "them (column %zu)",
                               (int)nlen, name, i + 1);
        st->quoted =
            prev_len > 0 && prev[prev_len - 1] == '"' && st->lit_len > 0 && st->lit[0] == '"';
        prev = st->lit;
        prev_len = st->lit_len;
        have_req |= st->var == V_REQUEST;
        have_method |= st->var == V_METHOD;
        have_target |= st->var == V_REQUEST_URI || st->var == V_URI || st->var == V_URI_ARGS;
        r->nsteps++;
    }
    if (!have_req && !(have_method && have_target))
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0,
                           "log_format has no $request (nor $request_method with $request_uri "
                           "or $uri)");
    return AC_OK;
}

/* The format as pasted from nginx.conf: an optional "escape=..." parameter, then one or more
 * single-quoted pieces, then an optional ';'. The pieces are joined into dst (at least len + 1
 * bytes); *dlen is their length. False when a quote is not closed. A spec that does not start
 * with a quote (after the parameter) is copied as it is. */
static bool conf_format(const char *spec, size_t len, char *dst, size_t *dlen)
{
    size_t i = 0, o = 0;

    while (i < len && isspace((unsigned char)spec[i]))
        i++;
    if (len - i > 7 && memcmp(spec + i, "escape=", 7) == 0) {
        while (i < len && !isspace((unsigned char)spec[i]))
            i++;
        while (i < len && isspace((unsigned char)spec[i]))
            i++;
    }
    if (i == len || spec[i] != '\'') {
        memcpy(dst, spec, len + 1);
        *dlen = len;
        return true;
    }
    while (i < len && spec[i] == '\'') {
        const char *q = memchr(spec + i + 1, '\'', len - i - 1);

        if (q == NULL)
            return false;
        memcpy(dst + o, spec + i + 1, (size_t)(q - spec) - i - 1);
        o += (size_t)(q - spec) - i - 1;
        i = (size_t)(q - spec) + 1;
        while (i < len && (isspace((unsigned char)spec[i]) || spec[i] == ';'))
            i++;
    }
    if (i != len)
        return false;
    dst[o] = '\0';
    *dlen = o;
    return true;
}

static enum ac_err nginx_create(const char *spec, struct ac_reader **out, struct ac_diag *d)
{
    struct clf_reader *r = NULL;
    enum ac_err err;
    size_t len;

    if (spec == NULL || spec[0] == '\0')
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "nginx needs --log-format STRING");
    len = strlen(spec);
    if (len > NGX_MAX_SPEC)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "log_format longer than %d bytes",
                           NGX_MAX_SPEC);
    r = calloc(1, sizeof(*r) + len + 1);
    if (r == NULL)
        return ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    r->kind = CLF_NGINX;
    if (!conf_format(spec, len, r->fmt, &len)) {
        err = ac_diag_set(d, AC_EUSAGE, NULL, 0, 0,
                          "log_format: unbalanced single quotes (paste the format alone, or its "
                          "quoted pieces as in nginx.conf)");
        goto out;
    }
    err = ngx_compile(r, len, d);
    if (err != AC_OK)
        goto out;
    *out = (struct ac_reader *)r;
    r = NULL;
out:
    free(r);
    return err;
}

/* First occurrence of lit (n > 0) in s[i..len), or len. */
static size_t find_lit(const char *s, size_t i, size_t len, const char *lit, size_t n)
{
    const char *p;

    while (i + n <= len) {
        p = memchr(s + i, lit[0], len - i - n + 1);
        if (p == NULL)
            break;
        i = (size_t)(p - s);
        if (memcmp(p, lit, n) == 0)
            return i;
        i++;
    }
    return len;
}

/* Where the value of step st, starting at i, ends; len when it cannot end. */
static size_t step_end(const struct ngx_step *st, const char *s, size_t i, size_t len)
{
    if (st->lit_len == 0)
        return len;
    if (st->quoted)
        return ac__quote_end(s, i, len);
    return find_lit(s, i, len, st->lit, st->lit_len);
}

struct ngx_vals {
    struct ac_slice request, uri, args, host[3];
    bool uri_is_full;
};

/* Store one variable's value; false (with why) when it is malformed. */
static bool ngx_apply(struct time_cache *tc, const struct ngx_step *st, struct ac_slice v,
                      struct ngx_vals *vals, struct ac_request *out, char *why, size_t cap)
{
    bool dash = is_dash(v.p, v.n);

    switch (st->var) {
    case V_CLIENT:
        out->client = v;
        break;
    case V_USER:
        /* "-" rules out HTTP Basic auth only: credentials stay unknown (see parse_prefix). */
        if (!dash)
            out->credentials = AC_CRED_PRESENT;
        break;
    case V_AUTH:
        /* A logged, empty Authorization header: no credentials of that kind were sent. */
        if (!dash)
            out->credentials = AC_CRED_PRESENT;
        else if (out->credentials == AC_CRED_UNKNOWN)
            out->credentials = AC_CRED_NONE;
        break;
    case V_TIME_LOCAL:
    case V_TIME_ISO:
    case V_MSEC:
        if (!(st->var == V_TIME_LOCAL ? clf_time(tc, v.p, v.n, &out->time)
              : st->var == V_TIME_ISO ? ac__parse_iso_time(v.p, v.n, &out->time)
                                      : ac__parse_epoch(v.p, v.n, &out->time))) {
            if (why != NULL && cap > 0)
                snprintf(why, cap, "bad time in $%.*s", (int)st->name_len, st->name);
            return false;
        }
        break;
    case V_REQUEST:
        vals->request = v;
        break;
    case V_METHOD:
        if (!dash)
            out->method = v;
        break;
    case V_REQUEST_URI:
    case V_URI_ARGS:
        vals->uri = v;
        vals->uri_is_full = true;
        break;
    case V_URI:
        if (!vals->uri_is_full)
            vals->uri = v;
        break;
    case V_ARGS:
        vals->args = v;
        break;
    case V_STATUS:
        if ((out->status = status3(v.p, v.n)) < 0) {
            out->status = 0;
            ac__reader_why(why, cap, "expected a three-digit $status");
            return false;
        }
        break;
    case V_HOST:
    case V_HTTP_HOST:
    case V_SERVER_NAME:
        if (!dash)
            vals->host[st->var - V_HOST] = v;
        break;
    case V_XFF:
        if (!dash)
            out->xff = v;
        break;
    case V_IGNORE:
    case V_IS_ARGS:
        break;
    }
    return true;
}

/* After all steps: request line or method + target, and the best host. */
static enum ac_line ngx_finish(struct ngx_vals *vals, struct ac_request *out, char *why, size_t cap)
{
    struct ac_slice t = vals->uri;
    size_t k;

    for (k = 0; k < 3 && out->host.n == 0; k++)
        out->host = vals->host[k];
    if (vals->request.p != NULL) {
        if (!request_line(vals->request.p, vals->request.n, out)) {
            ac__reader_why(why, cap, "no HTTP request line (\"-\" or not HTTP)");
            return AC_LINE_SKIP;
        }
        return AC_LINE_REQUEST;
    }
    /* $uri?$args: the two slices are contiguous in the line, so the target stays a slice. */
    if (!vals->uri_is_full && t.p != NULL && !is_dash(vals->args.p, vals->args.n) &&
        vals->args.p == t.p + t.n + 1 && t.p[t.n] == '?')
        t.n += vals->args.n + 1;
    if (out->method.n == 0 || is_dash(t.p, t.n)) {
        ac__reader_why(why, cap, "no method or no target");
        return AC_LINE_SKIP;
    }
    for (k = 0; k < out->method.n; k++) {
        if (!ac__is_tchar(out->method.p[k])) {
            ac__reader_why(why, cap, "the method is not an HTTP token");
            return AC_LINE_SKIP;
        }
    }
    out->target = t;
    return AC_LINE_REQUEST;
}

static enum ac_line nginx_parse(struct ac_reader *rd, const char *s, size_t n,
                                struct ac_request *out, char *why, size_t cap)
{
    struct clf_reader *r = (struct clf_reader *)rd;
    struct ngx_vals vals;
    size_t i, k, e;

    ac__request_clear(out);
    memset(&vals, 0, sizeof(vals));
    if (n > 0 && s[n - 1] == '\r')
        n--;
    if (n == 0) {
        ac__reader_why(why, cap, "blank line");
        return AC_LINE_SKIP;
    }
    if (n < r->pre_len || memcmp(s, r->pre, r->pre_len) != 0) {
        if (why != NULL && cap > 0)
            snprintf(why, cap, "expected the line to start with '%.*s'", (int)r->pre_len, r->pre);
        return AC_LINE_BAD;
    }
    i = r->pre_len;
    for (k = 0; k < r->nsteps; k++) {
        const struct ngx_step *st = &r->steps[k];
        struct ac_slice v;

        e = step_end(st, s, i, n);
        if (st->lit_len > 0 &&
            (e == n || n - e < st->lit_len || memcmp(s + e, st->lit, st->lit_len) != 0)) {
            if (why != NULL && cap > 0)
                snprintf(why, cap, "expected '%.*s' after $%.*s", (int)st->lit_len, st->lit,
                         (int)st->name_len, st->name);
            return AC_LINE_BAD;
        }
        v.p = s + i;
        v.n = e - i;
        if (!ngx_apply(&r->tc, st, v, &vals, out, why, cap))
            return AC_LINE_BAD;
        i = e + st->lit_len;
    }
    return ngx_finish(&vals, out, why, cap);
}

/* Without its format string nothing can be said about a line. */
static int nginx_detect(const char *line, size_t n)
{
    (void)line;
    (void)n;
    return 0;
}

const struct ac_reader_ops ac__reader_combined = {
    "combined",      "nginx/Apache combined log (also vhost-first, extra trailing fields)",
    combined_detect, combined_create,
    clf_destroy,     combined_parse};

const struct ac_reader_ops ac__reader_common = {
    "common",      "nginx/Apache common log (also vhost-first, extra trailing fields)",
    common_detect, common_create,
    clf_destroy,   common_parse};

const struct ac_reader_ops ac__reader_nginx = {
    "nginx",      "any nginx log_format, given with --log-format STRING",
    nginx_detect, nginx_create,
    clf_destroy,  nginx_parse};
