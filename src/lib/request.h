/* request.h - one HTTP request as a traffic reader sees it: the record every source yields.
 *
 * Readers fill a struct ac_request with slices into the line (or document) they parse: nothing is
 * copied or allocated per request, and the slices are valid only until the reader is handed the
 * next line. Fields a format does not carry stay empty (n == 0) or at their "unknown" value, and
 * the normaliser and aggregator treat unknown as unknown (never as "no"): a common-log line says
 * nothing about rate-limit headers, a HAR entry does.
 */
#ifndef AC_REQUEST_H
#define AC_REQUEST_H

#include <stddef.h>
#include <stdint.h>

/* A borrowed byte range; not NUL-terminated. */
struct ac_slice {
    const char *p;
    size_t n;
};

/* What the request said about credentials, where the format shows it. */
enum ac_cred { AC_CRED_UNKNOWN = 0, AC_CRED_NONE, AC_CRED_PRESENT };

/* Security schemes a request's credentials use (HAR), as bits of ac_request.auth. */
enum {
    AC_AUTH_BEARER = 1u << 0, /* Authorization: Bearer */
    AC_AUTH_BASIC = 1u << 1,  /* Authorization: Basic */
    AC_AUTH_HEADER = 1u << 2, /* an API key in a header (auth_header names it) */
    AC_AUTH_QUERY = 1u << 3,  /* an API key in the query (auth_query) */
    AC_AUTH_COOKIE = 1u << 4, /* a session cookie (auth_cookie) */
    AC_AUTH_OTHER = 1u << 5   /* Authorization with another scheme (Digest, Token, AWS4 ...) */
};

/* Response headers seen (HAR, some JSON logs), as bits of ac_request.resp_headers. */
enum {
    AC_HDR_DEPRECATION = 1u << 0, /* Deprecation */
    AC_HDR_SUNSET = 1u << 1,      /* Sunset */
    AC_HDR_RATELIMIT = 1u << 2,   /* RateLimit*, X-RateLimit-*, X-Rate-Limit-*, Retry-After */
    AC_HDR_CORS = 1u << 3,        /* Access-Control-Allow-* */
    AC_HDR_LOCATION = 1u << 4,    /* Location */
    AC_HDR_KNOWN = 1u << 15       /* the source shows response headers at all */
};

struct ac_request {
    int64_t time;           /* Unix time in seconds (UTC); -1 when the line has none */
    struct ac_slice host;   /* Host header, vhost field or URL host; may carry ":port" */
    struct ac_slice method; /* as sent (GET, CCM_POST ...) */
    struct ac_slice target; /* request target as sent: origin form "/p?q", absolute form
                               "http://h/p?q" (proxies, HAR), or "*" */
    int status;             /* HTTP status; 0 when unknown or no response */
    struct ac_slice client; /* client address (IPv4, IPv6, possibly with :port) */
    struct ac_slice xff;    /* X-Forwarded-For header value, when the format carries it */
    enum ac_cred credentials;
    unsigned resp_headers;       /* AC_HDR_* bits */
    struct ac_slice server;      /* Server response header (HAR), for fingerprints later */
    struct ac_slice powered;     /* X-Powered-By response header (HAR) */
    unsigned data;               /* AC_DATA_* classes seen in the bodies (HAR; dataclass.h) */
    unsigned auth;               /* AC_AUTH_* schemes of the request's credentials (HAR) */
    struct ac_slice auth_header; /* the API-key header's name (AC_AUTH_HEADER), never its value */
    struct ac_slice auth_query;  /* the API-key query parameter's name (AC_AUTH_QUERY) */
    struct ac_slice auth_cookie; /* the session cookie's name (AC_AUTH_COOKIE) */
    struct ac_slice req_body;    /* a JSON request body (HAR), for its shape (jsonshape.h) */
    struct ac_slice resp_body;   /* a JSON body of a 2xx response (HAR) */
};

/* Reset a request to "nothing known" (time -1, empty slices, status 0). */
static inline void ac__request_clear(struct ac_request *r)
{
    static const struct ac_request empty = {.time = -1, .credentials = AC_CRED_UNKNOWN};

    *r = empty;
}

#endif
