/* reader_wsgi.c - Python eventlet wsgi server lines, as OpenStack services log them.
 *
 *   <prefix> 2017-05-16 00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server [req-...]
 *   10.11.10.1 "GET /v2/54fa.../servers/detail HTTP/1.1" status: 200 len: 1893 time: 0.2477829
 *
 * Such logs mix request lines with every other message of the service, so a line is a request
 * only when it has a quoted request followed by ` status: `; every other line is AC_LINE_SKIP.
 * The client is the field before the request; eventlet writes "forwarded-for,peer" when it logs
 * X-Forwarded-For, which becomes xff and client. The time is the first "YYYY-MM-DD HH:MM:SS[.fff]"
 * that starts a field (the prefix may hold a file name with a date in it); it has no zone and is
 * read as UTC. The request is the text from the first '"' of the line to the '"' before
 * " status: " (the prefix holds no quotes; the request line may).
 */
#include "reader.h"

#include <string.h>

static const char status_tag[] = "\" status: ";
#define STATUS_TAG_LEN (sizeof(status_tag) - 1)

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The first field of s[0..n) that is a date and time; false when there is none. */
static bool first_time(const char *s, size_t n, int64_t *t)
{
    size_t i, e;

    for (i = 0; i + 19 <= n; i++) {
        if ((i > 0 && s[i - 1] != ' ') || !is_digit(s[i]) || s[i + 4] != '-' || s[i + 10] != ' ')
            continue;
        e = i + 19;
        if (e < n && s[e] == '.') {
            e++;
            while (e < n && is_digit(s[e]))
                e++;
        }
        if ((e == n || s[e] == ' ') && ac__parse_iso_time(s + i, e - i, t))
            return true;
    }
    return false;
}

static enum ac_line wsgi_line(const char *s, size_t n, struct ac_request *out, char *why,
                              size_t cap)
{
    const char *p;
    size_t open, close, i, c, k;
    int st = 0;

    ac__request_clear(out);
    if (n > 0 && s[n - 1] == '\r')
        n--;
    p = memchr(s, '"', n);
    if (p == NULL) {
        ac__reader_why(why, cap, "not a wsgi request line");
        return AC_LINE_SKIP;
    }
    open = (size_t)(p - s);
    close = open + 1;
    for (;;) {
        p = close < n ? memchr(s + close, '"', n - close) : NULL;
        if (p == NULL) {
            ac__reader_why(why, cap, "not a wsgi request line");
            return AC_LINE_SKIP;
        }
        close = (size_t)(p - s);
        if (n - close >= STATUS_TAG_LEN && memcmp(p, status_tag, STATUS_TAG_LEN) == 0)
            break;
        close++;
    }
    /* status */
    i = close + STATUS_TAG_LEN;
    for (k = 0; k < 3; k++) {
        if (i + k >= n || !is_digit(s[i + k])) {
            ac__reader_why(why, cap, "expected a three-digit status after 'status:'");
            return AC_LINE_BAD;
        }
        st = st * 10 + (s[i + k] - '0');
    }
    if (i + 3 < n && s[i + 3] != ' ') {
        ac__reader_why(why, cap, "expected a three-digit status after 'status:'");
        return AC_LINE_BAD;
    }
    out->status = st;
    /* client, or "forwarded-for,peer" */
    if (open < 2 || s[open - 1] != ' ') {
        ac__reader_why(why, cap, "expected the client address before the request");
        return AC_LINE_BAD;
    }
    c = open - 1;
    while (c > 0 && s[c - 1] != ' ')
        c--;
    out->client.p = s + c;
    out->client.n = open - 1 - c;
    for (k = out->client.n; k > 0; k--) {
        if (out->client.p[k - 1] == ',') {
            out->xff.p = out->client.p;
            out->xff.n = k - 1;
            out->client.p += k;
            out->client.n -= k;
            break;
        }
    }
    if (!first_time(s, c, &out->time))
        out->time = -1;
    if (!ac__split_request_line(s + open + 1, close - open - 1, &out->method, &out->target)) {
        out->method.n = 0;
        out->target.n = 0;
        ac__reader_why(why, cap, "no HTTP request line");
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

static enum ac_line wsgi_parse(struct ac_reader *r, const char *s, size_t n, struct ac_request *out,
                               char *why, size_t cap)
{
    (void)r;
    return wsgi_line(s, n, out, why, cap);
}

/* A request line with a time in front and " len: " after the status: 90; a request line: 70. */
static int wsgi_detect(const char *s, size_t n)
{
    struct ac_request req;
    size_t i;

    if (wsgi_line(s, n, &req, NULL, 0) != AC_LINE_REQUEST)
        return 0;
    if (req.time < 0)
        return 70;
    for (i = 0; i + 6 <= n; i++)
        if (s[i] == ' ' && memcmp(s + i, " len: ", 6) == 0)
            return 90;
    return 70;
}

const struct ac_reader_ops ac__reader_wsgi = {
    "wsgi",
    "Python eventlet wsgi server lines (OpenStack services)",
    wsgi_detect,
    ac__reader_stateless_create,
    ac__reader_stateless_destroy,
    wsgi_parse};
