/* pipeline.h - from a parsed request to an observation: the per-request work of an ingest.
 *
 * normalise the target -> choose the host (line, absolute URL, or --host) -> match the
 * documented templates of that host (they win over the static-asset rule: /contents/index.js can
 * be an API call), else count static assets apart, else template by the segment classifiers ->
 * direction (outbound when the host is outside the organisation's domains) -> the client after
 * X-Forwarded-For -> add to this thread's aggregator. Everything here is allocation-free except
 * the aggregator's new keys; a pipeline is shared read-only by all threads.
 */
#ifndef AC_PIPELINE_H
#define AC_PIPELINE_H

#include "aggregate.h"
#include "matcher.h"
#include "reader.h"
#include "shapes.h"

#include <stdbool.h>
#include <stdint.h>

#define AC_PIPE_BAD_KEPT 5

struct ac_pipeline {
    const struct ac_matcher *matcher;
    const char *const *domains; /* the organisation's domains (lower-case) */
    size_t ndomains;
    const char *host;              /* --host, or NULL */
    bool outbound;                 /* --outbound */
    bool date_versions;            /* date labels are declared versions */
    const struct ac_matcher *pins; /* policy.paths.pin templates, or NULL */
};

#define AC_PIPE_ADDR_MEMO 4096 /* client addresses remembered (a power of two) */

/* What a thread remembers from one request to the next, to skip repeated work: the trie of the
 * last host, whether recent client addresses are public, the shapes of recent undocumented
 * templates and the data classes of recent query strings. Owned by the thread, zeroed to start;
 * a wrong guess is impossible (hosts, templates and queries are compared, addresses by their
 * 64-bit hash). */
struct ac_addr_memo {
    uint64_t hash;
    unsigned char state; /* 0 empty, 1 private, 2 public, 3 not an address */
};

#define AC_PIPE_SHAPE_MEMO 256 /* undocumented templates remembered with their shapes */
#define AC_PIPE_SHAPE_TEXT 160 /* bytes of host + template, and of shape, an entry holds */
#define AC_PIPE_QUERY_MEMO 256 /* query strings remembered with their data classes */
#define AC_PIPE_QUERY_TEXT 96

/* The shape the thread's tree gave (host, template) while its generation was `gen` (0: empty):
 * the tree gives it again until a position collapses, which starts a new generation. */
struct ac_shape_memo {
    uint64_t hash;
    uint32_t gen;
    uint16_t host_len, tmpl_len, shape_len;
    char key[AC_PIPE_SHAPE_TEXT]; /* host, then template */
    char shape[AC_PIPE_SHAPE_TEXT];
};

struct ac_query_memo {
    uint64_t hash;
    unsigned data; /* AC_DATA_* of the query's values */
    uint16_t len;  /* 0: empty */
    char text[AC_PIPE_QUERY_TEXT];
};

struct ac_pipe_memo {
    char host[64]; /* the previous request's host, valid (see pipeline.c) */
    size_t host_len;
    const void *root; /* NULL: nothing remembered yet */
    bool ours;        /* the host is under organisation.domains */
    struct ac_addr_memo addr[AC_PIPE_ADDR_MEMO];
    uint32_t shapes_gen; /* of the thread's shapes tree, as the memo counts them (from 1) */
    struct ac_shape_memo shapes[AC_PIPE_SHAPE_MEMO];
    struct ac_query_memo queries[AC_PIPE_QUERY_MEMO];
};

/* What one thread did with its share of the input. */
struct ac_chunk {
    struct ac_agg *agg;        /* owned by the caller */
    struct ac_shapes *shapes;  /* the thread's undocumented-path structure, or NULL */
    struct ac_pipe_memo *memo; /* the thread's, or NULL */
    uint64_t lines, requests, static_requests, skipped, bad;
    struct {
        uint64_t line; /* 1-based within the chunk */
        char why[160];
    } bad_first[AC_PIPE_BAD_KEPT];
    size_t nbad_first;
};

/* Add one request to c->agg. AC_ENOMEM only. */
enum ac_err ac__pipeline_request(const struct ac_pipeline *p, const struct ac_request *r,
                                 struct ac_chunk *c);

/* Parse buf[0..len) line by line with `ops`/`state` and add every request. A final line without
 * '\n' is parsed too. AC_ENOMEM only. */
enum ac_err ac__pipeline_lines(const struct ac_pipeline *p, const struct ac_reader_ops *ops,
                               struct ac_reader *state, const char *buf, size_t len,
                               struct ac_chunk *c);

#endif
