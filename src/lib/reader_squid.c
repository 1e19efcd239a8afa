/* reader_squid.c - Squid native access.log: a forward proxy's view of outbound calls.
 *
 *   time elapsed client code/status bytes method URL user hierarchy/peer type
 *   1286536309.586    921 192.168.0.68 TCP_MISS/200 507 GET http://www.google.com/ - DIRECT/...
 * text/html
 *
 * Fields are separated by runs of spaces (elapsed is right-aligned). The time is a Unix epoch
 * with milliseconds; the status is the number after '/' in the result code (000, Squid's "no
 * reply", is 0); the user ("-" when none, else an ident or proxy-auth name) tells whether
 * credentials were sent. The host comes from the URL: the authority of "http://host/...", or the
 * whole target of CONNECT ("host:443"). The target stays as Squid logged it (absolute or
 * authority form). Records of transactions that never had a request (method NONE or "-", URLs
 * like "error:transaction-end-before-headers") are AC_LINE_SKIP.
 */
#include "reader.h"

#include <string.h>

#define SQUID_FIELDS 8 /* through the user */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t fields(const char *s, size_t n, struct ac_slice *f, size_t max)
{
    size_t i = 0, k = 0, start;

    while (i < n && k < max) {
        while (i < n && s[i] == ' ')
            i++;
        if (i == n)
            break;
        start = i;
        while (i < n && s[i] != ' ')
            i++;
        f[k].p = s + start;
        f[k].n = i - start;
        k++;
    }
    return k;
}

/* The host of "scheme://[user@]host[:port]/..." or of an authority "host:port"; empty for an
 * origin-form "/path". */
static struct ac_slice url_host(struct ac_slice u)
{
    struct ac_slice h = {NULL, 0};
    size_t i = 0, start, at;

    while (i < u.n && u.p[i] != ':' && u.p[i] != '/')
        i++;
    if (i + 3 <= u.n && i > 0 && memcmp(u.p + i, "://", 3) == 0)
        start = i + 3;
    else if (u.n > 0 && u.p[0] != '/')
        start = 0; /* authority form */
    else
        return h;
    i = start;
    at = start;
    while (i < u.n && u.p[i] != '/' && u.p[i] != '?' && u.p[i] != '#') {
        if (u.p[i] == '@')
            at = i + 1;
        i++;
    }
    h.p = u.p + at;
    h.n = i - at;
    return h;
}

/* "TCP_MISS/200": the status after '/', or -1. */
static int result_status(struct ac_slice c)
{
    const char *sl = memchr(c.p, '/', c.n);
    size_t i, k;
    int v = 0;

    if (sl == NULL || sl == c.p)
        return -1;
    i = (size_t)(sl - c.p) + 1;
    if (c.n - i != 3)
        return -1;
    for (k = i; k < c.n; k++) {
        if (!is_digit(c.p[k]))
            return -1;
        v = v * 10 + (c.p[k] - '0');
    }
    return v;
}

static enum ac_line squid_parse(struct ac_reader *r, const char *s, size_t n,
                                struct ac_request *out, char *why, size_t cap)
{
    struct ac_slice f[SQUID_FIELDS];
    size_t k, i;
    int st;

    (void)r;
    ac__request_clear(out);
    if (n > 0 && s[n - 1] == '\r')
        n--;
    if (n == 0) {
        ac__reader_why(why, cap, "blank line");
        return AC_LINE_SKIP;
    }
    k = fields(s, n, f, SQUID_FIELDS);
    if (k < 7) {
        ac__reader_why(why, cap,
                       "expected at least 7 fields: time elapsed client code/status bytes "
                       "method URL");
        return AC_LINE_BAD;
    }
    if (!ac__parse_epoch(f[0].p, f[0].n, &out->time)) {
        ac__reader_why(why, cap, "expected a Unix time like 1286536309.586");
        return AC_LINE_BAD;
    }
    if ((st = result_status(f[3])) < 0) {
        ac__reader_why(why, cap, "expected a result code like TCP_MISS/200");
        return AC_LINE_BAD;
    }
    out->status = st;
    out->client = f[2];
    if ((f[5].n == 4 && memcmp(f[5].p, "NONE", 4) == 0) || (f[5].n == 1 && f[5].p[0] == '-') ||
        (f[6].n >= 6 && memcmp(f[6].p, "error:", 6) == 0)) {
        ac__reader_why(why, cap, "no request (Squid logged a transaction without one)");
        return AC_LINE_SKIP;
    }
    for (i = 0; i < f[5].n; i++) {
        if (!ac__is_tchar(f[5].p[i])) {
            ac__reader_why(why, cap, "the method is not an HTTP token");
            return AC_LINE_BAD;
        }
    }
    out->method = f[5];
    out->target = f[6];
    out->host = url_host(f[6]);
    if (k > 7)
        if (!(f[7].n == 1 && f[7].p[0] == '-'))
            out->credentials = AC_CRED_PRESENT; /* "-": unknown, as for $remote_user */
    return AC_LINE_REQUEST;
}

/* Epoch with a fraction, a number, then a CODE/ddd result: 90. */
static int squid_detect(const char *s, size_t n)
{
    struct ac_slice f[SQUID_FIELDS];
    int64_t t;
    size_t i;

    if (fields(s, n, f, SQUID_FIELDS) < 7 || memchr(f[0].p, '.', f[0].n) == NULL ||
        !ac__parse_epoch(f[0].p, f[0].n, &t) || result_status(f[3]) < 0)
        return 0;
    for (i = 0; i < f[1].n; i++)
        if (!is_digit(f[1].p[i]) && !(i == 0 && f[1].p[i] == '-'))
            return 0;
    for (i = 0; f[3].p[i] != '/'; i++)
        if (!((f[3].p[i] >= 'A' && f[3].p[i] <= 'Z') || f[3].p[i] == '_'))
            return 0;
    return 90;
}

const struct ac_reader_ops ac__reader_squid = {
    "squid",
    "Squid native access.log (forward proxy, outbound traffic)",
    squid_detect,
    ac__reader_stateless_create,
    ac__reader_stateless_destroy,
    squid_parse};
