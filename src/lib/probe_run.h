/* probe_run.h - the probe's parts (see <apicensus/probe.h>): input parsers and the planner
 * (probe_plan.c), the HTTP runner (probe_http.c) and the checks (probe.c, probe_targets.c,
 * probe_record.c, probe_checks.c; their shared state in probe_state.h).
 *
 * Requests are planned as struct ac__probe_req and answered in place by the runner. The runner
 * sends only to hosts on the allow-list (each target's host); it never follows a redirect. The
 * parsers take untrusted input (command line, files) and are length-bounded; they never print.
 */
#ifndef AC_PROBE_RUN_H
#define AC_PROBE_RUN_H

#include <apicensus/error.h>
#include <apicensus/probe.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AC_PROBE_URL_MAX 2048
#define AC_PROBE_HOST_MAX 253
#define AC_PROBE_ROUTE_MAX 200
#define AC_PROBE_WORDS_MAX 5000
#define AC_PROBE_BODY_MAX (1024u * 1024u) /* bytes of a body kept (documents) */

/* A parsed base URL: http(s)://host[:port][/base]. */
struct ac__probe_url {
    bool https;
    char host[AC_PROBE_HOST_MAX + 1];  /* lower case */
    unsigned port;                     /* explicit or the scheme's default */
    char base[AC_PROBE_ROUTE_MAX + 1]; /* "" or "/x/y" without a trailing slash */
};

/* Parse a base URL (length-bounded; no userinfo, query or fragment; host labels of 1 to 63
 * bytes). False when it is none. */
bool ac__probe_parse_url(const char *s, size_t n, struct ac__probe_url *out);

/* Parse a --resolve entry NAME:ADDR or NAME:PORT:ADDR (ADDR an IPv4 or IPv6 address, the latter
 * with or without brackets); port 0 when absent. */
bool ac__probe_parse_resolve(const char *s, size_t n, char *name, size_t ncap, unsigned *port,
                             char *addr, size_t acap);

/* Parse a wordlist: one route a line ("/admin" or "admin"), '#' comments, blank lines; routes
 * longer than AC_PROBE_ROUTE_MAX, holding spaces, control bytes, '#' or '\\', or a ".." segment,
 * and routes past AC_PROBE_WORDS_MAX are skipped (counted in *bad, the first one's line number in
 * *bad_line, 0 when none). *out is a malloc'd array of malloc'd "/route" strings
 * (ac__probe_words_free). AC_ENOMEM only. */
enum ac_err ac__probe_words_parse(const char *text, size_t len, char ***out, size_t *n, size_t *bad,
                                  size_t *bad_line);
void ac__probe_words_free(char **v, size_t n);

/* The neighbouring versions of a version token (v2 -> v1, v3; v2.7 -> v2.6, v1 ...; dates ->
 * the year before and the first of the year): up to `cap` tokens of at most 31 bytes into out;
 * how many. */
size_t ac__probe_siblings(const char *tok, size_t len, char out[][32], size_t cap);

/* One request and, once run, its answer. */
struct ac__probe_req {
    const char *check;  /* static string */
    const char *method; /* static string */
    char *url;          /* owned */
    char *extra;        /* owned: one extra request header "Name: value", or NULL */
    size_t host;        /* index of its host in the runner's hosts */
    char *path;         /* owned: the path and query (for observations) */
    bool burst;         /* the burst check: not held to the rate */
    /* answer */
    bool sent, answered;
    int status;
    unsigned hdr_bits;      /* AC_HDR_* of request.h */
    char *location;         /* Location header, or NULL */
    char *server, *powered; /* Server, X-Powered-By, or NULL */
    char *ctype;            /* Content-Type, or NULL */
    char *acao;             /* Access-Control-Allow-Origin */
    char *acac;             /* Access-Control-Allow-Credentials */
    char *acam;             /* Access-Control-Allow-Methods */
    char *body;             /* the first AC_PROBE_BODY_MAX bytes (NUL-terminated), or NULL */
    size_t body_len;        /* bytes kept */
    uint64_t bytes;         /* bytes of the whole body */
    uint64_t body_hash;
};

/* A host of the allow-list with its token bucket. */
struct ac__probe_host {
    char name[AC_PROBE_HOST_MAX + 1];
    double next_at; /* monotonic seconds when the next request may start */
    uint64_t sent;
};

struct ac__probe_runner;

/* A runner for `hosts` (borrowed, must outlive it): rate per host, concurrency, timeouts,
 * the --resolve entries (curl's HOST:PORT:ADDR form) and the User-Agent. AC_EIO when libcurl
 * cannot start. */
enum ac_err ac__probe_runner_new(struct ac__probe_host *hosts, size_t nhosts,
                                 const struct ac_probe_opts *o, char **resolve, size_t nresolve,
                                 struct ac__probe_runner **out, struct ac_diag *d);
void ac__probe_runner_free(struct ac__probe_runner *r);

/* Send the requests (in order per host, each host at most `rate` a second except burst
 * requests), waiting for all. A request whose host is not on the allow-list or past the cap is
 * not sent. Counts go to st. AC_ENOMEM only. */
enum ac_err ac__probe_runner_run(struct ac__probe_runner *r, struct ac__probe_req *reqs, size_t n,
                                 struct ac_probe_stats *st);

void ac__probe_req_clear(struct ac__probe_req *q);

#endif
