/* reader_har.c - HAR 1.2 documents (browsers, mitmproxy, Charles, Fiddler, Insomnia) as requests.
 *
 * The whole document is parsed with ac__json_parse into an arena of its own, capped relative to
 * the document's size, then log.entries[] is walked and each usable entry handed to the callback:
 * method, the absolute URL whole as the target (the normaliser splits host, path and query),
 * the Host (or HTTP/2 :authority) header, credentials (HAR shows every request header, so no
 * Authorization, Cookie or API-key header means none), the status (0 when there was no
 * response), the response headers of AC_HDR_* with AC_HDR_KNOWN, Server and X-Powered-By, and
 * startedDateTime, the security schemes of the credentials (Bearer, Basic, an API key in a header
 * or the query, a session cookie: names only, never values), the JSON request body and 2xx
 * response body (as slices, for the aggregator's shapes), and the data classes (dataclass.h) of the
 * request body (postData text or params), of a JSON or form response body, of the query string's
 * names and values, and of the values of request and response headers (not Authorization and
 * Cookie, the request's own credentials, nor protocol headers such as ETag and Date; see
 * header_skipped()). serverIPAddress is the server, so the client stays unknown.
 *
 * Bad entries do not fail the document. An entry without a method or an absolute URL is counted
 * in *bad and the first such entry's reason and position are written to d, whose code stays
 * AC_OK: callers check *bad, not d->code, to learn about skipped entries. Header names compare
 * case-insensitively. The request slices point into the document's tree and are valid only during
 * the callback.
 */
#include "reader.h"

#include "arena.h"
#include "dataclass.h"
#include "doc.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Classify a response header name into AC_HDR_* bits (also used by reader_json.c). Declared here
 * because reader.h, which should carry it, belongs to the reader registry. */

/* Arena for a document of len bytes: the tree of a compact HAR takes about 12 times the text
 * (nodes are 48 bytes); the cap leaves room and still bounds what a hostile file can demand. */
#define HAR_ARENA_FACTOR 16u
#define HAR_ARENA_MIN ((size_t)1 << 20)

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

/* Name equals the lower-case literal lit, ignoring case. */
static bool name_is(const char *name, size_t n, const char *lit)
{
    size_t m = strlen(lit);

    return n == m && ieq(name, lit, m);
}

/* Name starts with the lower-case literal lit (and has more after it), ignoring case. */
static bool name_starts(const char *name, size_t n, const char *lit)
{
    size_t m = strlen(lit);

    return n > m && ieq(name, lit, m);
}

unsigned ac__resp_header_bits(const char *name, size_t n)
{
    if (name_is(name, n, "deprecation"))
        return AC_HDR_DEPRECATION;
    if (name_is(name, n, "sunset"))
        return AC_HDR_SUNSET;
    if (name_is(name, n, "ratelimit") || name_starts(name, n, "ratelimit-") ||
        name_starts(name, n, "x-ratelimit-") || name_starts(name, n, "x-rate-limit-") ||
        name_is(name, n, "retry-after"))
        return AC_HDR_RATELIMIT;
    if (name_starts(name, n, "access-control-allow-"))
        return AC_HDR_CORS;
    if (name_is(name, n, "location"))
        return AC_HDR_LOCATION;
    return 0;
}

/* A string scalar's text, or false. */
static bool str_of(const struct ac_node *v, struct ac_slice *out)
{
    if (v == NULL || v->kind != AC_NODE_SCALAR || v->tag != AC_TAG_STR)
        return false;
    out->p = v->str;
    out->n = v->len;
    return true;
}

/* An absolute URL: scheme "://" and a non-empty authority, no control characters. */
static bool absolute_url(struct ac_slice u)
{
    size_t i = 0, host;

    if (u.n == 0 || !((u.p[0] >= 'a' && u.p[0] <= 'z') || (u.p[0] >= 'A' && u.p[0] <= 'Z')))
        return false;
    while (i < u.n &&
           ((u.p[i] >= 'a' && u.p[i] <= 'z') || (u.p[i] >= 'A' && u.p[i] <= 'Z') ||
            (u.p[i] >= '0' && u.p[i] <= '9') || u.p[i] == '+' || u.p[i] == '-' || u.p[i] == '.'))
        i++;
    if (u.n - i < 3 || memcmp(u.p + i, "://", 3) != 0)
        return false;
    host = i + 3;
    for (i = host; i < u.n && u.p[i] != '/' && u.p[i] != '?' && u.p[i] != '#'; i++)
        ;
    if (i == host)
        return false;
    for (i = 0; i < u.n; i++)
        if ((unsigned char)u.p[i] < 0x20 || u.p[i] == 0x7F)
            return false;
    return true;
}

/* Headers whose values are not classified: the request's own credentials (counted as
 * with_credentials, not as data it carries), standard headers whose values are protocol
 * (validators, dates, media types, client hints), and the request and trace ids of proxies,
 * clouds and CDNs (x-amz-cf-id ...), which are random by design and would read as keys. */
static bool header_skipped(struct ac_slice name)
{
    static const char *const skip[] = {"authorization",
                                       "proxy-authorization",
                                       "cookie",
                                       "set-cookie",
                                       "host",
                                       ":authority",
                                       ":path",
                                       ":method",
                                       ":scheme",
                                       ":status",
                                       "user-agent",
                                       "accept",
                                       "accept-encoding",
                                       "accept-language",
                                       "accept-ranges",
                                       "content-type",
                                       "content-length",
                                       "content-encoding",
                                       "etag",
                                       "if-none-match",
                                       "if-match",
                                       "if-modified-since",
                                       "date",
                                       "last-modified",
                                       "expires",
                                       "cache-control",
                                       "pragma",
                                       "vary",
                                       "server",
                                       "x-powered-by",
                                       "connection",
                                       "keep-alive",
                                       "transfer-encoding",
                                       "referer",
                                       "origin",
                                       "traceparent",
                                       "tracestate",
                                       "x-request-id",
                                       "x-correlation-id",
                                       "x-amzn-trace-id",
                                       "via",
                                       "alt-svc",
                                       "strict-transport-security",
                                       "content-security-policy",
                                       "link",
                                       "age",
                                       "x-cache",
                                       "cf-ray",
                                       "x-served-by",
                                       "x-timer",
                                       "report-to",
                                       "nel",
                                       "content-disposition"};
    size_t k;

    static const char *const ids[] = {"-request-id", "-trace-id", "-correlation-id",
                                      "-span-id",    "-cf-id",    "-id-2"};
    size_t m;

    if (name_starts(name.p, name.n, "sec-") || name_starts(name.p, name.n, "access-control-") ||
        name_starts(name.p, name.n, "x-amz-") || name_starts(name.p, name.n, "x-goog-") ||
        name_starts(name.p, name.n, "x-ms-") || name_starts(name.p, name.n, "cf-"))
        return true;
    /* Request and trace ids of proxies and CDNs: random by design, not secrets. */
    for (k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
        m = strlen(ids[k]);
        if (name.n > m && ieq(name.p + name.n - m, ids[k], m))
            return true;
    }
    for (k = 0; k < sizeof(skip) / sizeof(skip[0]); k++)
        if (name_is(name.p, name.n, skip[k]))
            return true;
    return false;
}

/* Data classes of the values of a headers array (the skipped names aside). */
static unsigned headers_data(const struct ac_node *hs)
{
    struct ac_slice name, value;
    unsigned cls = 0;
    uint32_t i;

    for (i = 0; hs != NULL && hs->kind == AC_NODE_SEQ && i < hs->n; i++)
        if (str_of(ac__node_get(hs->kids[i], "name"), &name) &&
            str_of(ac__node_get(hs->kids[i], "value"), &value) && !header_skipped(name))
            cls |= ac__data_of_value(value.p, value.n);
    return cls;
}

/* Data classes of the query string's names and values (queryString; values percent-decoded
 * again when a tool left them encoded). */
static unsigned query_data(const struct ac_node *req)
{
    const struct ac_node *qs = ac__node_get(req, "queryString");
    struct ac_slice name, value;
    unsigned cls = 0;
    uint32_t i;

    for (i = 0; qs != NULL && qs->kind == AC_NODE_SEQ && i < qs->n; i++) {
        if (str_of(ac__node_get(qs->kids[i], "name"), &name))
            cls |= ac__data_of_name(name.p, name.n);
        if (str_of(ac__node_get(qs->kids[i], "value"), &value))
            cls |= ac__data_of_form_value(value.p, value.n);
    }
    return cls;
}

/* name contains the lower-case literal lit, ignoring case. */
static bool name_has(const char *name, size_t n, const char *lit)
{
    size_t m = strlen(lit), i;

    for (i = 0; i + m <= n; i++)
        if (ieq(name + i, lit, m))
            return true;
    return false;
}

/* Keep the smallest name (bytewise) in *kept: the same whatever the order of headers. */
static void keep_name(struct ac_slice *kept, struct ac_slice name)
{
    size_t m;
    int c;

    if (name.n == 0 || name.n > 64)
        return;
    if (kept->n == 0) {
        *kept = name;
        return;
    }
    m = name.n < kept->n ? name.n : kept->n;
    c = memcmp(name.p, kept->p, m);
    if (c < 0 || (c == 0 && name.n < kept->n))
        *kept = name;
}

/* A cookie whose name says it carries a session or a token (analytics cookies do not). */
static bool session_cookie(struct ac_slice name)
{
    static const char *const hint[] = {"sess", "sid", "token", "auth", "jwt", "login"};
    size_t k;

    if (name_has(name.p, name.n, "csrf") || name_has(name.p, name.n, "xsrf"))
        return false; /* anti-forgery tokens go with a session; they are not one */
    for (k = 0; k < sizeof(hint) / sizeof(hint[0]); k++)
        if (name_has(name.p, name.n, hint[k]))
            return true;
    return false;
}

/* The session cookies of a Cookie header value ("a=1; b=2"). */
static void cookie_header(struct ac_slice v, struct ac_request *out)
{
    size_t i = 0, start, end;

    while (i < v.n) {
        while (i < v.n && (v.p[i] == ' ' || v.p[i] == ';'))
            i++;
        start = i;
        while (i < v.n && v.p[i] != '=' && v.p[i] != ';')
            i++;
        end = i;
        while (i < v.n && v.p[i] != ';')
            i++;
        if (end > start) {
            struct ac_slice name = {v.p + start, end - start};

            if (session_cookie(name)) {
                out->auth |= AC_AUTH_COOKIE;
                keep_name(&out->auth_cookie, name);
            }
        }
    }
}

/* The security scheme of an Authorization header value. */
static unsigned auth_scheme(struct ac_slice v)
{
    if (v.n >= 7 && ieq(v.p, "bearer ", 7))
        return AC_AUTH_BEARER;
    if (v.n >= 6 && ieq(v.p, "basic ", 6))
        return AC_AUTH_BASIC;
    return v.n > 0 ? AC_AUTH_OTHER : 0;
}

/* API keys in the query string: names only (queryString). */
static void query_auth(const struct ac_node *req, struct ac_request *out)
{
    static const char *const keys[] = {"api_key",      "apikey", "api-key",    "key",
                                       "access_token", "token",  "auth_token", "subscription-key"};
    const struct ac_node *qs = ac__node_get(req, "queryString");
    struct ac_slice name;
    uint32_t i;
    size_t k;

    for (i = 0; qs != NULL && qs->kind == AC_NODE_SEQ && i < qs->n; i++)
        if (str_of(ac__node_get(qs->kids[i], "name"), &name))
            for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
                if (name_is(name.p, name.n, keys[k])) {
                    out->auth |= AC_AUTH_QUERY;
                    keep_name(&out->auth_query, name);
                }
}

/* Request headers: Host, whether any carries credentials, and the security schemes they use. */
static void request_headers(const struct ac_node *req, struct ac_request *out)
{
    static const char *const cred[] = {
        "authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "x-auth-token"};
    static const char *const keys[] = {
        "x-api-key",    "api-key",        "apikey",  "x-apikey",
        "x-auth-token", "x-access-token", "x-token", "ocp-apim-subscription-key"};
    const struct ac_node *hs = ac__node_get(req, "headers"), *h, *cookies;
    struct ac_slice name, value, authority = {NULL, 0};
    uint32_t i;
    size_t k;

    query_auth(req, out);
    if (hs == NULL || hs->kind != AC_NODE_SEQ)
        return; /* credentials stay unknown */
    out->credentials = AC_CRED_NONE;
    for (i = 0; i < hs->n; i++) {
        h = hs->kids[i];
        if (!str_of(ac__node_get(h, "name"), &name) || !str_of(ac__node_get(h, "value"), &value))
            continue;
        if (name_is(name.p, name.n, "host") && out->host.n == 0)
            out->host = value;
        else if (name_is(name.p, name.n, ":authority"))
            authority = value;
        for (k = 0; k < sizeof(cred) / sizeof(cred[0]); k++)
            if (name_is(name.p, name.n, cred[k]) && value.n > 0)
                out->credentials = AC_CRED_PRESENT;
        if (name_is(name.p, name.n, "authorization"))
            out->auth |= auth_scheme(value);
        else if (name_is(name.p, name.n, "cookie"))
            cookie_header(value, out);
        for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
            if (name_is(name.p, name.n, keys[k]) && value.n > 0) {
                out->auth |= AC_AUTH_HEADER;
                keep_name(&out->auth_header, name);
            }
    }
    if (out->host.n == 0)
        out->host = authority;
    cookies = ac__node_get(req, "cookies");
    if (cookies != NULL && cookies->kind == AC_NODE_SEQ && cookies->n > 0)
        out->credentials = AC_CRED_PRESENT;
    for (i = 0; cookies != NULL && cookies->kind == AC_NODE_SEQ && i < cookies->n; i++)
        if (str_of(ac__node_get(cookies->kids[i], "name"), &name) && session_cookie(name)) {
            out->auth |= AC_AUTH_COOKIE;
            keep_name(&out->auth_cookie, name);
        }
}

/* Response: status and the headers that matter. */
static void response_of(const struct ac_node *resp, struct ac_request *out)
{
    const struct ac_node *st = ac__node_get(resp, "status"), *hs = ac__node_get(resp, "headers");
    struct ac_slice name, value;
    uint32_t i;
    int s = 0;
    size_t k;

    if (st != NULL && st->kind == AC_NODE_SCALAR && st->tag == AC_TAG_INT && st->len <= 3) {
        for (k = 0; k < st->len; k++)
            s = s * 10 + (st->str[k] - '0');
        out->status = s >= 100 ? s : 0;
    }
    if (hs == NULL || hs->kind != AC_NODE_SEQ)
        return;
    out->resp_headers |= AC_HDR_KNOWN;
    for (i = 0; i < hs->n; i++) {
        if (!str_of(ac__node_get(hs->kids[i], "name"), &name) ||
            !str_of(ac__node_get(hs->kids[i], "value"), &value))
            continue;
        out->resp_headers |= ac__resp_header_bits(name.p, name.n);
        if (name_is(name.p, name.n, "server") && out->server.n == 0)
            out->server = value;
        else if (name_is(name.p, name.n, "x-powered-by") && out->powered.n == 0)
            out->powered = value;
    }
}

/* The text of a body, unless base64-encoded (content.encoding). */
static bool body_text(const struct ac_node *body, struct ac_slice *out)
{
    struct ac_slice enc;

    if (str_of(ac__node_get(body, "encoding"), &enc) && enc.n > 0)
        return false;
    return str_of(ac__node_get(body, "text"), out) && out->n > 0;
}

/* Data classes of the request body and of a JSON or form response body. */
static unsigned bodies_data(const struct ac_node *req, const struct ac_node *resp)
{
    const struct ac_node *post = ac__node_get(req, "postData"), *params, *content;
    struct ac_slice text, name, value, mime = {"", 0};
    unsigned cls = 0;
    uint32_t i;

    if (post != NULL && post->kind == AC_NODE_MAP) {
        if (body_text(post, &text))
            cls |= ac__data_of_payload(text.p, text.n);
        params = ac__node_get(post, "params");
        for (i = 0; params != NULL && params->kind == AC_NODE_SEQ && i < params->n; i++) {
            if (str_of(ac__node_get(params->kids[i], "name"), &name))
                cls |= ac__data_of_name(name.p, name.n);
            if (str_of(ac__node_get(params->kids[i], "value"), &value))
                cls |= ac__data_of_form_value(value.p, value.n);
        }
    }
    content = ac__node_get(resp, "content");
    if (content != NULL && content->kind == AC_NODE_MAP &&
        str_of(ac__node_get(content, "mimeType"), &mime) && body_text(content, &text)) {
        for (i = 0; i + 4 <= mime.n; i++)
            if (ieq(mime.p + i, "json", 4) ||
                (i + 10 <= mime.n && ieq(mime.p + i, "urlencoded", 10)))
                break;
        if (i + 4 <= mime.n)
            cls |= ac__data_of_payload(text.p, text.n);
    }
    return cls;
}

/* A media type that says JSON (application/json, application/problem+json, text/json ...). */
static bool json_mime(struct ac_slice mime)
{
    return name_has(mime.p, mime.n, "json");
}

/* The JSON bodies whose shapes the aggregator keeps: the request's postData text and a 2xx
 * response's content text, when their media type says JSON (or, for a request without one,
 * the text starts like a JSON object or array). */
static void json_bodies(const struct ac_node *req, const struct ac_node *resp,
                        struct ac_request *out)
{
    const struct ac_node *post = ac__node_get(req, "postData"), *content;
    struct ac_slice text, mime = {"", 0};

    if (post != NULL && post->kind == AC_NODE_MAP && body_text(post, &text)) {
        bool has_mime = str_of(ac__node_get(post, "mimeType"), &mime) && mime.n > 0;

        if (has_mime ? json_mime(mime) : (text.p[0] == '{' || text.p[0] == '['))
            out->req_body = text;
    }
    content = ac__node_get(resp, "content");
    if (out->status >= 200 && out->status < 300 && content != NULL &&
        content->kind == AC_NODE_MAP && str_of(ac__node_get(content, "mimeType"), &mime) &&
        json_mime(mime) && body_text(content, &text))
        out->resp_body = text;
}

/* One entry into *out; false with a reason in why (and the node at fault in *at) when unusable. */
static bool entry_of(const struct ac_node *e, struct ac_request *out, char *why, size_t whycap,
                     const struct ac_node **at)
{
    const struct ac_node *req = ac__node_get(e, "request"), *url;
    struct ac_slice u, when;
    char buf[48];
    size_t i, k = 0;

    ac__request_clear(out);
    *at = e;
    if (e->kind != AC_NODE_MAP || req == NULL || req->kind != AC_NODE_MAP) {
        snprintf(why, whycap, "the entry has no request object");
        return false;
    }
    *at = req;
    if (!str_of(ac__node_get(req, "method"), &out->method) || out->method.n == 0) {
        snprintf(why, whycap, "the request has no method");
        return false;
    }
    url = ac__node_get(req, "url");
    if (!str_of(url, &u)) {
        snprintf(why, whycap, "the request has no url");
        return false;
    }
    *at = url;
    if (!absolute_url(u)) {
        for (i = 0; i < u.n && i < 40 && k + 4 < sizeof(buf); i++)
            buf[k++] = u.p[i] >= 0x20 && u.p[i] < 0x7F ? u.p[i] : '?';
        buf[k] = '\0';
        snprintf(why, whycap, "request.url '%s%s' is not an absolute URL", buf,
                 i < u.n ? "..." : "");
        return false;
    }
    out->target = u;
    if (str_of(ac__node_get(e, "startedDateTime"), &when) &&
        !ac__parse_iso_time(when.p, when.n, &out->time))
        out->time = -1;
    request_headers(req, out);
    response_of(ac__node_get(e, "response"), out);
    json_bodies(req, ac__node_get(e, "response"), out);
    out->data = bodies_data(req, ac__node_get(e, "response")) | query_data(req) |
                headers_data(ac__node_get(req, "headers")) |
                headers_data(ac__node_get(ac__node_get(e, "response"), "headers"));
    return true;
}

/* Walk log.entries: deliver the usable ones, count the others, keep the first reason. */
static void walk(const struct ac_node *entries, const char *file, ac_request_cb cb, void *ud,
                 size_t *nbad, struct ac_diag *first)
{
    const struct ac_node *at;
    struct ac_request req;
    char why[400];
    uint32_t i;

    for (i = 0; i < entries->n; i++) {
        if (entry_of(entries->kids[i], &req, why, sizeof(why), &at)) {
            if (!cb(ud, &req))
                return;
            continue;
        }
        if ((*nbad)++ == 0)
            ac_diag_set(first, AC_OK, file, at->line, at->col, "entry %u: %s", i + 1, why);
    }
}

enum ac_err ac__har_read(const char *text, size_t len, const char *file, ac_request_cb cb, void *ud,
                         size_t *bad, struct ac_diag *d)
{
    struct ac_arena *a = NULL;
    struct ac_node *root = NULL;
    const struct ac_node *log, *entries;
    struct ac_diag first;
    size_t nbad = 0, cap;
    enum ac_err err;

    ac_diag_clear(&first);
    cap = len > (SIZE_MAX - HAR_ARENA_MIN) / HAR_ARENA_FACTOR
              ? SIZE_MAX
              : len * HAR_ARENA_FACTOR + HAR_ARENA_MIN;
    a = ac__arena_new(cap);
    if (a == NULL) {
        err = ac_diag_set(d, AC_ENOMEM, file, 0, 0, "out of memory");
        goto out;
    }
    err = ac__json_parse(a, text, len, file, NULL, &root, d);
    if (err != AC_OK)
        goto out;
    log = ac__node_get(root, "log");
    entries = ac__node_get(log, "entries");
    if (entries == NULL || entries->kind != AC_NODE_SEQ) {
        const struct ac_node *at = log != NULL ? log : root;

        err = ac_diag_set(d, AC_ESCHEMA, file, at->line, at->col, "not a HAR document: %s",
                          log == NULL ? "no \"log\" object" : "no \"log.entries\" array");
        goto out;
    }
    walk(entries, file, cb, ud, &nbad, &first);
    if (d != NULL)
        *d = first;
    if (bad != NULL)
        *bad = nbad;
out:
    ac__arena_free(a);
    return err;
}

bool ac__har_detect(const char *text, size_t len)
{
    size_t i = 0, end = len < 4096 ? len : 4096;

    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
        i++;
    if (i >= end || text[i] != '{')
        return false;
    for (; i + 5 <= end; i++) {
        if (memcmp(text + i, "\"log\"", 5) != 0)
            continue;
        i += 5;
        while (i < end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
            i++;
        if (i >= end || text[i] != ':')
            return false;
        /* A HAR's "log" is an object; Docker's json-file lines have a string there. */
        i++;
        while (i < end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
            i++;
        return i < end && text[i] == '{';
    }
    return false;
}
