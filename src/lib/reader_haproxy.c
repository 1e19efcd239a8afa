/* reader_haproxy.c - HAProxy's HTTP log format, with or without a syslog prefix.
 *
 *   [syslog prefix: ] client:port [25/Feb/2019:16:19:48.143] frontend backend/server
 *   Tq/Tw/Tc/Tr/Ta status bytes cookie cookie termstate conns queues {req hdrs} {resp hdrs}
 *   "GET /path HTTP/1.1"
 *
 * The anchor is the accept date in brackets with milliseconds; the client is the field before
 * it. Lines without that anchor (haproxy's own events: "Proxy x started.") and lines without a
 * quoted request (TCP-mode logs, "SSL handshake failure") are AC_LINE_SKIP. HAProxy escapes '"'
 * in captured headers and in the request ("#22"), so the request is the text from the first '"'
 * after the status to the last '"' of the line; a request cut by the syslog line limit has no
 * closing quote and is AC_LINE_BAD. "<BADREQ>" is a request HAProxy could not parse: skipped.
 *
 * The accept date has no zone; it is read as UTC. The client address loses its port (HAProxy
 * always writes one) so that one client is one client. Status -1 (no response) is 0.
 */
#include "reader.h"

#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Find " [dd/Mon/yyyy:HH:MM:SS(.mmm)] " and parse it; *lb is the index of '[', *rb of ']'. */
static bool find_accept_date(const char *s, size_t n, size_t *lb, size_t *rb, int64_t *t)
{
    const char *p;
    size_t i = 0, e;

    while (i < n && (p = memchr(s + i, '[', n - i)) != NULL) {
        i = (size_t)(p - s);
        /* 20 characters of date, then ".mmm" or nothing, then ']'. */
        if (i > 0 && s[i - 1] == ' ' && n - i > 21 && s[i + 3] == '/' && s[i + 7] == '/' &&
            s[i + 12] == ':') {
            e = i + 21;
            if (s[e] == '.') {
                e++;
                while (e < n && is_digit(s[e]))
                    e++;
            }
            if (e < n && s[e] == ']' && ac__parse_clf_time(s + i + 1, 20, t)) {
                *lb = i;
                *rb = e;
                return true;
            }
        }
        i++;
    }
    return false;
}

/* The next space-separated field at *i. */
static struct ac_slice next_field(const char *s, size_t n, size_t *i)
{
    struct ac_slice f;
    size_t k = *i;

    while (k < n && s[k] == ' ')
        k++;
    f.p = s + k;
    while (k < n && s[k] != ' ')
        k++;
    f.n = (size_t)(s + k - f.p);
    *i = k;
    return f;
}

/* "ip:port", "[v6]:port" or "v6:port" without the port. */
static struct ac_slice strip_port(struct ac_slice a)
{
    size_t i = a.n;

    if (a.n > 0 && a.p[0] == '[') {
        const char *e = memchr(a.p, ']', a.n);

        if (e != NULL)
            return (struct ac_slice){a.p + 1, (size_t)(e - a.p) - 1};
    }
    while (i > 0 && is_digit(a.p[i - 1]))
        i--;
    if (i > 0 && i < a.n && a.p[i - 1] == ':')
        a.n = i - 1;
    return a;
}

static bool has_char(struct ac_slice f, char c)
{
    return f.n > 0 && memchr(f.p, c, f.n) != NULL;
}

/* Core of parse and detect. */
static enum ac_line hap_parse(const char *s, size_t n, struct ac_request *out, char *why,
                              size_t cap)
{
    struct ac_slice fe, be, timers, st, bytes;
    size_t lb, rb, i, c, q, e, k;

    ac__request_clear(out);
    if (n > 0 && s[n - 1] == '\r')
        n--;
    if (!find_accept_date(s, n, &lb, &rb, &out->time)) {
        ac__reader_why(why, cap, "not an HTTP log line (no [accept date])");
        return AC_LINE_SKIP;
    }
    q = rb;
    while (q < n && s[q] != '"')
        q++;
    if (q == n) {
        ac__reader_why(why, cap, "not an HTTP log line (no quoted request)");
        return AC_LINE_SKIP;
    }
    c = lb - 1;
    while (c > 0 && s[c - 1] != ' ')
        c--;
    out->client = strip_port((struct ac_slice){s + c, lb - 1 - c});
    i = rb + 1;
    fe = next_field(s, n, &i);
    be = next_field(s, n, &i);
    timers = next_field(s, n, &i);
    st = next_field(s, n, &i);
    bytes = next_field(s, n, &i);
    if (fe.n == 0 || !has_char(be, '/') || !has_char(timers, '/') || i > q) {
        ac__reader_why(why, cap, "expected frontend, backend/server and timers after the date");
        return AC_LINE_BAD;
    }
    if (st.n == 2 && st.p[0] == '-' && st.p[1] == '1') {
        out->status = 0;
    } else if (st.n == 3 && is_digit(st.p[0]) && is_digit(st.p[1]) && is_digit(st.p[2])) {
        out->status = (st.p[0] - '0') * 100 + (st.p[1] - '0') * 10 + (st.p[2] - '0');
    } else {
        ac__reader_why(why, cap, "expected a three-digit status after the timers");
        return AC_LINE_BAD;
    }
    for (k = bytes.n > 0 && bytes.p[0] == '+' ? 1 : 0; k < bytes.n; k++) {
        if (!is_digit(bytes.p[k])) {
            ac__reader_why(why, cap, "expected the byte count after the status");
            return AC_LINE_BAD;
        }
    }
    e = n;
    while (e > q + 1 && s[e - 1] != '"')
        e--;
    if (e == q + 1) {
        ac__reader_why(why, cap, "unterminated request (line cut short?)");
        return AC_LINE_BAD;
    }
    e--;
    if ((e - q - 1 == 8 && memcmp(s + q + 1, "<BADREQ>", 8) == 0) ||
        !ac__split_request_line(s + q + 1, e - q - 1, &out->method, &out->target)) {
        out->method.n = 0;
        out->target.n = 0;
        ac__reader_why(why, cap, "no HTTP request line (<BADREQ>)");
        return AC_LINE_SKIP;
    }
    for (k = 0; k < out->method.n; k++) {
        if (!ac__is_tchar(out->method.p[k])) {
            ac__reader_why(why, cap, "the method is not an HTTP token");
            return AC_LINE_BAD;
        }
    }
    return AC_LINE_REQUEST;
}

static enum ac_line haproxy_parse(struct ac_reader *r, const char *s, size_t n,
                                  struct ac_request *out, char *why, size_t cap)
{
    (void)r;
    return hap_parse(s, n, out, why, cap);
}

/* An HTTP log line: 95; another line from haproxy's syslog tag ("haproxy[pid]:"): 30. */
static int haproxy_detect(const char *s, size_t n)
{
    struct ac_request req;
    size_t i;

    if (hap_parse(s, n, &req, NULL, 0) == AC_LINE_REQUEST)
        return 95;
    for (i = 0; i + 8 <= n && i < 200; i++)
        if (s[i] == 'h' && memcmp(s + i, "haproxy[", 8) == 0)
            return 30;
    return 0;
}

const struct ac_reader_ops ac__reader_haproxy = {
    "haproxy",
    "HAProxy HTTP log (option httplog), with or without a syslog prefix",
    haproxy_detect,
    ac__reader_stateless_create,
    ac__reader_stateless_destroy,
    haproxy_parse};
