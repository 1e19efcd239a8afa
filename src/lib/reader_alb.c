/* reader_alb.c - AWS Application Load Balancer access logs (and classic ELB, which lacks the
 * leading type field).
 *
 * A line is space-separated fields, some in double quotes:
 *   type time elb client:port target:port request_processing_time target_processing_time
 *   response_processing_time elb_status_code target_status_code received_bytes sent_bytes
 *   "request" "user_agent" ssl_cipher ssl_protocol target_group_arn "trace_id" "domain_name" ...
 * AWS keeps appending fields, so everything after the user agent is ignored. The request is
 * "GET https://host:443/path?q HTTP/1.1": the target stays in that absolute form (request.h
 * allows it) and the host is its authority. The status is elb_status_code (what the client got);
 * the client address loses its port, so that one client is one client. ALB does not log
 * credentials. A request ALB could not parse is logged as "- - -": AC_LINE_SKIP.
 */
#include "reader.h"

#include <string.h>

#define ALB_FIELDS 14 /* through user_agent */

enum { F_TIME = 0, F_CLIENT = 2, F_STATUS = 7, F_REQUEST = 11 }; /* without the type field */

/* Split up to `max` fields; quoted fields lose their quotes. Returns the count, or max + 1 when
 * a quoted field is not terminated. */
static size_t fields(const char *s, size_t n, struct ac_slice *f, size_t max)
{
    size_t i = 0, k = 0, start, q;

    while (i < n && k < max) {
        while (i < n && s[i] == ' ')
            i++;
        if (i == n)
            break;
        if (s[i] == '"') {
            q = ac__quote_end(s, i + 1, n);
            if (q == n)
                return max + 1;
            f[k].p = s + i + 1;
            f[k].n = q - i - 1;
            i = q + 1;
        } else {
            start = i;
            while (i < n && s[i] != ' ')
                i++;
            f[k].p = s + start;
            f[k].n = i - start;
        }
        k++;
    }
    return k;
}

static bool is_type(struct ac_slice t)
{
    static const char *const types[] = {"http", "https", "h2", "grpcs", "ws", "wss"};
    size_t i;

    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (strlen(types[i]) == t.n && memcmp(types[i], t.p, t.n) == 0)
            return true;
    return false;
}

/* "ip:port", "[v6]:port" or "v6:port" without the port; ALB always writes one. */
static struct ac_slice strip_port(struct ac_slice a)
{
    size_t i = a.n;

    if (a.n == 1 && a.p[0] == '-')
        return (struct ac_slice){a.p, 0};
    if (a.n > 0 && a.p[0] == '[') {
        const char *e = memchr(a.p, ']', a.n);

        if (e != NULL)
            return (struct ac_slice){a.p + 1, (size_t)(e - a.p) - 1};
    }
    while (i > 0 && a.p[i - 1] >= '0' && a.p[i - 1] <= '9')
        i--;
    if (i > 0 && i < a.n && a.p[i - 1] == ':')
        a.n = i - 1;
    return a;
}

/* The authority of an absolute URL "scheme://host[:port]/...", or empty. */
static struct ac_slice url_host(struct ac_slice u)
{
    struct ac_slice h = {NULL, 0};
    size_t i = 0, start;

    while (i < u.n && u.p[i] != ':' && u.p[i] != '/')
        i++;
    if (i == 0 || i + 3 > u.n || memcmp(u.p + i, "://", 3) != 0)
        return h;
    start = i + 3;
    i = start;
    while (i < u.n && u.p[i] != '/' && u.p[i] != '?' && u.p[i] != '#')
        i++;
    h.p = u.p + start;
    h.n = i - start;
    return h;
}

static int status_of(struct ac_slice s)
{
    if (s.n != 3 || s.p[0] < '0' || s.p[0] > '9' || s.p[1] < '0' || s.p[1] > '9' || s.p[2] < '0' ||
        s.p[2] > '9')
        return -1;
    return (s.p[0] - '0') * 100 + (s.p[1] - '0') * 10 + (s.p[2] - '0');
}

static enum ac_line alb_parse(struct ac_reader *r, const char *s, size_t n, struct ac_request *out,
                              char *why, size_t cap)
{
    struct ac_slice f[ALB_FIELDS], *g;
    size_t k, i;

    (void)r;
    ac__request_clear(out);
    if (n > 0 && s[n - 1] == '\r')
        n--;
    if (n == 0) {
        ac__reader_why(why, cap, "blank line");
        return AC_LINE_SKIP;
    }
    k = fields(s, n, f, ALB_FIELDS);
    if (k > ALB_FIELDS) {
        ac__reader_why(why, cap, "unterminated quoted field");
        return AC_LINE_BAD;
    }
    /* ALB starts with the type; classic ELB with the time. */
    g = k > 0 && is_type(f[0]) ? f + 1 : f;
    if (k - (size_t)(g - f) < F_REQUEST + 1) {
        ac__reader_why(why, cap, "expected at least 12 fields through the quoted request");
        return AC_LINE_BAD;
    }
    if (!ac__parse_iso_time(g[F_TIME].p, g[F_TIME].n, &out->time)) {
        ac__reader_why(why, cap, "expected a time like 2018-07-02T22:23:00.186641Z");
        return AC_LINE_BAD;
    }
    if (!(g[F_STATUS].n == 1 && g[F_STATUS].p[0] == '-')) {
        out->status = status_of(g[F_STATUS]);
        if (out->status < 0) {
            out->status = 0;
            ac__reader_why(why, cap, "expected a three-digit elb_status_code");
            return AC_LINE_BAD;
        }
    }
    out->client = strip_port(g[F_CLIENT]);
    if (!ac__split_request_line(g[F_REQUEST].p, g[F_REQUEST].n, &out->method, &out->target) ||
        (out->method.n == 1 && out->method.p[0] == '-')) {
        out->method.n = 0;
        out->target.n = 0;
        ac__reader_why(why, cap, "no request (ALB could not parse it)");
        return AC_LINE_SKIP;
    }
    for (i = 0; i < out->method.n; i++) {
        if (!ac__is_tchar(out->method.p[i])) {
            ac__reader_why(why, cap, "the method is not an HTTP token");
            return AC_LINE_BAD;
        }
    }
    out->host = url_host(out->target);
    return AC_LINE_REQUEST;
}

/* A known type, an ISO time ending in Z, and a quoted request with an absolute URL: 95. */
static int alb_detect(const char *s, size_t n)
{
    struct ac_slice f[ALB_FIELDS], *g;
    struct ac_slice m, t;
    size_t k;
    int64_t tm;

    if (n > 0 && s[n - 1] == '\r')
        n--;
    k = fields(s, n, f, ALB_FIELDS);
    if (k > ALB_FIELDS)
        return 0;
    g = k > 0 && is_type(f[0]) ? f + 1 : f;
    if (k - (size_t)(g - f) < F_REQUEST + 1 || g[F_TIME].n < 20 ||
        g[F_TIME].p[g[F_TIME].n - 1] != 'Z' || !ac__parse_iso_time(g[F_TIME].p, g[F_TIME].n, &tm))
        return 0;
    if (g[F_REQUEST].p[-1] != '"')
        return 0;
    if (ac__split_request_line(g[F_REQUEST].p, g[F_REQUEST].n, &m, &t) && url_host(t).n > 0)
        return g == f + 1 ? 95 : 85;
    return g == f + 1 ? 60 : 40;
}

const struct ac_reader_ops ac__reader_alb = {
    "alb",
    "AWS Application (or classic) Load Balancer access log",
    alb_detect,
    ac__reader_stateless_create,
    ac__reader_stateless_destroy,
    alb_parse};
