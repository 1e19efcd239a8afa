/* reader.h - traffic readers: one per log format, turning lines into struct ac_request.
 *
 * A reader is a table of functions (struct ac_reader_ops) plus per-stream state: the compiled
 * nginx log_format, the W3C "#Fields:" or Zeek "#fields" header seen so far, the JSON field map.
 * Line readers are handed one line at a time (without its '\n', possibly with a trailing '\r'),
 * never allocate per line, and report a bad line with a short reason instead of failing the
 * stream. Document readers (HAR) take the whole document and call back once per entry.
 *
 * Thread safety: a reader state is used by one thread; several threads each create their own
 * state from the same ops and format string (what ingest does for parallel chunks). A header line
 * (W3C/Zeek) changes the state, so for those formats ingest reads the header before splitting.
 */
#ifndef AC_READER_H
#define AC_READER_H

#include "request.h"

#include <apicensus/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct ac_reader;

/* What parse_line() found. */
enum ac_line {
    AC_LINE_REQUEST, /* *out holds a request */
    AC_LINE_SKIP,    /* not a request and not an error: a comment, a header, a non-access
                        record in a mixed log (Caddy start-up messages), a blank line */
    AC_LINE_BAD      /* malformed: `why` says what was expected */
};

struct ac_reader_ops {
    const char *name;    /* "combined", "common", "nginx", "json", "nginx-json", "envoy",
                            "caddy", "traefik", "alb", "w3c", "zeek", "zeek-json", "squid",
                            "haproxy", "wsgi" */
    const char *summary; /* one line for --help */
    /* How well `line` looks like this format: 0 no, higher is more certain (100 = sure). Used to
     * detect the format from the first lines; must be cheap and never fail. */
    int (*detect)(const char *line, size_t n);
    /* New state. `spec` is the format string for "nginx" (a log_format), the field map for
     * "json" ("method=request.method,target=request.uri,..."), NULL otherwise. AC_EUSAGE with a
     * message in d for a bad spec. */
    enum ac_err (*create)(const char *spec, struct ac_reader **out, struct ac_diag *d);
    void (*destroy)(struct ac_reader *r);
    /* Parse one line into *out (slices into `line`). Every reader starts by clearing *out
     * (ac__request_clear), so callers need not. On AC_LINE_BAD, a NUL-terminated reason of at
     * most `whycap` bytes is written to `why` (e.g. "expected '[' before the time"). */
    enum ac_line (*parse_line)(struct ac_reader *r, const char *line, size_t n,
                               struct ac_request *out, char *why, size_t whycap);
};

/* Every reader, in detection priority order; NULL-terminated. */
extern const struct ac_reader_ops *const ac__readers[];

/* The reader named `name`, or NULL. */
const struct ac_reader_ops *ac__reader_find(const char *name);

/* Detect the format of a sample of lines (the first lines of a file, each without '\n'): the
 * reader whose detect() scores best summed over the lines, or NULL when none scores. */
const struct ac_reader_ops *ac__reader_detect(const char *const *lines, const size_t *lens,
                                              size_t n);

/* --- shared scanning helpers (reader_util.c), allocation-free ------------------------------ */

/* Parse "22/Jan/2019:03:56:14 +0330" (common log time, without brackets) into Unix seconds. */
bool ac__parse_clf_time(const char *s, size_t n, int64_t *out);

/* Parse ISO 8601 "2019-01-22T03:56:14[.fff][Z|+hh:mm]" or "2015-01-13 00:32:17" (UTC assumed
 * without a zone) into Unix seconds. */
bool ac__parse_iso_time(const char *s, size_t n, int64_t *out);

/* Parse a decimal Unix time with optional fraction ("1354328870.191989") into seconds. */
bool ac__parse_epoch(const char *s, size_t n, int64_t *out);

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
int64_t ac__days_from_civil(int64_t y, unsigned m, unsigned d);

/* Write a reason for a bad or skipped line into why[0..cap) (why may be NULL). */
void ac__reader_why(char *why, size_t cap, const char *msg);

/* Index of the '"' that closes a quoted field whose text starts at s[i] (a quote preceded by an
 * odd number of backslashes is escaped), or n when the field is not closed. Inline: it runs
 * several times per log line. */
static inline size_t ac__quote_end(const char *s, size_t i, size_t n)
{
    const char *q;
    size_t k, bs;

    /* An empty or one-byte field ("", "-") ends without the call. */
    if (i < n && s[i] == '"')
        return i;
    if (i + 1 < n && s[i + 1] == '"' && s[i] != '\\')
        return i + 1;
    while (i < n) {
        q = memchr(s + i, '"', n - i);
        if (q == NULL)
            return n;
        k = (size_t)(q - s);
        bs = 0;
        while (k - bs > i && s[k - bs - 1] == '\\')
            bs++;
        if (bs % 2 == 0)
            return k;
        i = k + 1;
    }
    return n;
}

/* True when c may appear in an HTTP token (a method name), RFC 9110 section 5.6.2. */
bool ac__is_tchar(char c);

/* create/destroy of readers that keep no state: the handle is a static byte, never written, so
 * it is safe from any number of threads. */
enum ac_err ac__reader_stateless_create(const char *spec, struct ac_reader **out,
                                        struct ac_diag *d);
void ac__reader_stateless_destroy(struct ac_reader *r);

/* Split a request line "GET /path HTTP/1.1" into method and target (the protocol is optional).
 * False when there is no method or no target. */
bool ac__split_request_line(const char *s, size_t n, struct ac_slice *method,
                            struct ac_slice *target);

/* AC_HDR_* bit of a response header name (case-insensitive), 0 for others (reader_har.c). */
unsigned ac__resp_header_bits(const char *name, size_t n);

/* --- document readers ---------------------------------------------------------------------- */

/* Called once per request of a document; return false to stop. */
typedef bool (*ac_request_cb)(void *ud, const struct ac_request *req);

/* Read a HAR 1.2 document (a UTF-8 BOM is allowed): every entry becomes a request, with the
 * credentials (Authorization, Cookie, API-key-like headers), the response headers of
 * AC_HDR_*, Server and X-Powered-By. Entries without a usable URL are counted in *bad (the first
 * reason in d, with its line), not fatal. Errors: the JSON parse errors of the document, AC_ESCHEMA
 * when it is not a HAR (no log.entries). */
enum ac_err ac__har_read(const char *text, size_t len, const char *file, ac_request_cb cb, void *ud,
                         size_t *bad, struct ac_diag *d);

/* True when the text looks like a HAR document (a JSON object with "log" near the start). */
bool ac__har_detect(const char *text, size_t len);

#endif
