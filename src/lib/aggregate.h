/* aggregate.h - observations: traffic aggregated per (host, method, template) in memory.
 *
 * One aggregator per thread of an ingest (no locks on the hot path); aggregators merge exactly
 * (counts add, first/last take min/max, samples and query names are unions cut to their
 * smallest members), so the result is the same whatever the order of lines, the split into
 * chunks or the number of threads. Memory grows with the number of distinct keys, and, for the
 * busiest-client count, with the requests of one batch (a 16-byte record each, sorted and
 * counted by ac__agg_finish, capped at AC_AGG_MAX_PAIRS past which the count is a lower bound);
 * never with the lines of a whole ingest.
 */
#ifndef AC_AGGREGATE_H
#define AC_AGGREGATE_H

#include "jsonshape.h"
#include "request.h"

#include <apicensus/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AC_AGG_SAMPLES 3      /* sample raw paths kept per observation */
#define AC_AGG_QUERY_NAMES 32 /* query parameter names kept per observation */
#define AC_AGG_SAMPLE_MAX 200 /* bytes of one sample path */
#define AC_AGG_MAX_PAIRS (16u * 1024u * 1024u)
#define AC_AGG_CODE_WORDS 8 /* exact status codes 100..611, a bit each (bit status - 100) */

/* The shapes of an observation's JSON bodies (HAR): requests, and responses with a 2xx status. */
struct ac_bodies {
    struct ac_jshape req, resp;
};

/* Status classes counted per observation. */
enum ac_status_class {
    AC_ST_2XX,
    AC_ST_3XX,
    AC_ST_401,
    AC_ST_403,
    AC_ST_404,
    AC_ST_429,
    AC_ST_4XX,
    AC_ST_5XX,
    AC_ST_OTHER,
    AC_ST_COUNT
};

/* One observation. Strings are owned by the aggregator that holds it. */
struct ac_obs {
    const char *host; /* lower-case, without port; "" when unknown */
    const char *method;
    const char *tmpl;
    const char *version; /* version token of the template, or the operation's; NULL */
    int64_t operation;   /* documented operation id, or -1 */
    bool documented;     /* the template is a documented one (the method may not be) */
    bool outbound;
    bool is_static; /* counted apart: static assets of a host (tmpl is "*static*") */
    uint64_t count;
    int64_t first_seen, last_seen; /* Unix seconds; -1 when no line had a time */
    uint64_t status[AC_ST_COUNT];
    uint64_t with_credentials, without_credentials;
    uint64_t public_clients, private_clients;
    uint64_t busiest_client;             /* requests of the single busiest client */
    unsigned headers;                    /* AC_HDR_* bits seen */
    unsigned data;                       /* AC_DATA_* classes seen (bodies, query names) */
    const char *samples[AC_AGG_SAMPLES]; /* smallest distinct raw paths, sorted; NULL-padded */
    struct ac_samples_floor { /* the last sample (the aggregator's, for keep_smallest_at()): */
        uint64_t key;         /* its first 8 bytes, big-endian, zero-padded */
        size_t len;           /* its length */
        size_t n;             /* samples kept (0: none, the rest is meaningless) */
    } samples_floor;
    const char **query; /* smallest distinct names, sorted, NULL-padded: an array of
                           AC_AGG_QUERY_NAMES, or NULL when none was seen (most endpoints) */
    struct ac_samples_floor query_floor; /* the last query name, as samples_floor */
    const char *server;                  /* a Server header value seen (the smallest), or NULL */
    const char *powered_by;
    uint64_t codes[AC_AGG_CODE_WORDS]; /* exact status codes seen (status - 100: a bit) */
    unsigned auth;                     /* AC_AUTH_* schemes of the credentials seen */
    const char *auth_header;           /* smallest API-key header name seen (lower case), NULL */
    const char *auth_query;            /* smallest API-key query parameter name, or NULL */
    const char *auth_cookie;           /* smallest session cookie name, or NULL */
    struct ac_bodies *bodies;          /* body shapes, or NULL (no JSON body seen); owned by
                                          whoever holds the observation */
    uint64_t key_hash;                 /* of (host, method, template), private to aggregate.c */
    int64_t hour_at[2]; /* the two hours being counted (even and odd), private to aggregate.c */
    uint32_t hour_n[2];
};

/* Requests of observation `obs` (an index of the aggregator) in one hour: Unix time / 3600. */
struct ac_hour {
    int64_t hour;
    uint32_t obs;
    uint32_t count;
};

/* Hour records one aggregator keeps before it stops recording (the counts stay exact; the
 * timeline then misses the rest of the batch: only on input whose lines jump between hours). */
#define AC_AGG_MAX_HOURS (4u << 20)

struct ac_agg;

/* What one request adds, already normalised and matched. */
/* request_of() (pipeline.c) assigns every field, none left to an initialiser: a new field must be
 * assigned there too. */
struct ac_hit {
    const char *host;
    size_t host_len;
    const char *method;
    size_t method_len;
    const char *tmpl;    /* NUL-terminated */
    bool tmpl_fixed;     /* tmpl outlives the aggregator's batch and its address names it (a
                          * matcher's template): its observation is remembered by address */
    const char *version; /* NUL-terminated or NULL */
    int64_t operation;
    bool documented;
    bool outbound;
    bool is_static;
    const char *path; /* decoded raw path, for samples */
    size_t path_len;
    struct ac_slice query; /* raw query, for parameter names */
    unsigned query_data;   /* AC_DATA_* of the query's values (ac__data_of_query()) */
    const struct ac_request *req;
    struct ac_slice client; /* the client address after X-Forwarded-For */
    uint64_t client_hash;   /* XXH3_64bits of client, when client_hashed */
    bool client_hashed;
    bool client_public;
    bool client_known;
};

struct ac_agg *ac__agg_new(void);
void ac__agg_free(struct ac_agg *a);

/* Empty the aggregator, keeping its memory for the next batch (no page faults to fill it again). */
void ac__agg_reset(struct ac_agg *a);

/* Add one request. AC_ENOMEM only. */
enum ac_err ac__agg_add(struct ac_agg *a, const struct ac_hit *h);

/* Merge `from` into `into` (from is left unchanged). AC_ENOMEM only. */
enum ac_err ac__agg_merge(struct ac_agg *into, const struct ac_agg *from);

/* The same, with observation i of `from` under template tmpls[i] when that is not NULL:
 * observations that come to share a key become one, their per-client counts added. */
enum ac_err ac__agg_merge_as(struct ac_agg *into, const struct ac_agg *from,
                             const char *const *tmpls);

/* ac__agg_merge_as() without copying from's per-client records: `into` reads them where they are
 * when it is finished, so `from` must stay as it is (no add, merge, reset or free) until
 * ac__agg_finish(into) or ac__agg_reset(into). A batch's end then skips a copy of its millions of
 * records. Past AC_AGG_REF_SOURCES such merges, they are copied. */
#define AC_AGG_REF_SOURCES 64
enum ac_err ac__agg_merge_ref(struct ac_agg *into, const struct ac_agg *from,
                              const char *const *tmpls);

/* Add a whole observation (a collector's, already aggregated: its busiest_client is taken as a
 * lower bound) and its requests per hour (`obs` of each record ignored). The host is lower-cased;
 * observations sharing a key with one held merge. AC_ENOMEM only. */
enum ac_err ac__agg_put(struct ac_agg *a, const struct ac_obs *o, const struct ac_hour *hours,
                        size_t nhours);

/* Observations, in no particular order; finalised (busiest client computed) by
 * ac__agg_finish(), which must be called once after the last add/merge. */
void ac__agg_finish(struct ac_agg *a);
size_t ac__agg_count(const struct ac_agg *a);

/* After ac__agg_finish(): the requests per (observation, hour), sorted by observation then hour,
 * one record each; *out is valid until the next add, merge or reset. Requests without a time
 * have none. */
size_t ac__agg_hours(const struct ac_agg *a, const struct ac_hour **out);

const struct ac_obs *ac__agg_get(const struct ac_agg *a, size_t i);

/* Merge one stored observation's fields into *o (counts add, min/max, unions): used by the store
 * to fold a batch into what it holds. Strings in *o are only compared, never freed; the merged
 * samples/query arrays and auth names point into either side, so copy before the inputs go away.
 * Body shapes merge only when both sides have them: the caller gives *o writable bodies first
 * when add has some. */
void ac__obs_merge_into(struct ac_obs *o, const struct ac_obs *add);

/* Client address classification: true for public (routable) addresses; private are RFC 1918,
 * loopback, link-local, CGNAT 100.64/10, ULA fc00::/7, ::1, fe80::/10. *known is false when the
 * text is not an address. A ":port" or "[v6]:port" suffix is ignored. */
bool ac__addr_is_public(const char *s, size_t n, bool *known);

/* The client of a request: the first untrusted (public) address of X-Forwarded-For scanning from
 * the right, else its leftmost address, else the connection's client field. */
struct ac_slice ac__client_of(const struct ac_request *r);

#endif
