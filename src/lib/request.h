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
    unsigned resp_headers;   /* AC_HDR_* bits */
    struct ac_slice server;  /* Server response header (HAR), for fingerprints later */
    struct ac_slice powered; /* X-Powered-By response header (HAR) */
    unsigned data;           /* AC_DATA_* classes seen in the bodies (HAR; dataclass.h) */
};

/* Reset a request to "nothing known" (time -1, empty slices, status 0). */
static inline void ac__request_clear(struct ac_request *r)
{
    static const struct ac_request empty = {-1,     {0, 0},          {0, 0}, {0, 0}, 0,      {0, 0},
                                            {0, 0}, AC_CRED_UNKNOWN, 0,      {0, 0}, {0, 0}, 0};

    *r = empty;
}

#endif
