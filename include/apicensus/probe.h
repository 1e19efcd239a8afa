/* apicensus/probe.h - active discovery: asking the organisation's own hosts what traffic cannot
 * show (docs/probe.md).
 *
 * A probe plans requests against the deployments of the inventory, the targets given and the
 * candidate hosts (common API prefixes and --candidates names under organisation.domains that
 * resolve, or that --resolve names), then sends them through libcurl's multi interface with a
 * per-host token bucket (--rate), an allow-list of hosts (a redirect is recorded, never
 * followed) and a hard cap on requests. Each host is first asked for random paths, so a
 * catch-all page is the baseline rather than a finding. The checks: version siblings of every
 * documented versioned path, well-known documentation and operations paths, a wordlist,
 * forwarded-header bypass of 401/403 routes, a bounded burst against one documented route per
 * deployment, a CORS preflight per deployment, and fingerprints (Server, X-Powered-By).
 * Answers beyond the baseline become observations of source "probe" (so every rule applies);
 * the probe-only facts (documentation found, bypasses with both responses, burst results,
 * CORS, redirects) are stored per host, replacing those of an earlier probe of that host.
 * The caller reconciles afterwards. One thread; the store is used by that thread only.
 */
#ifndef APICENSUS_PROBE_H
#define APICENSUS_PROBE_H

#include <apicensus/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ac_store;

/* One planned or sent request, for the plan (--dry-run) and the log callback. */
struct ac_probe_event {
    const char *check;  /* "baseline", "sibling", "docs", "wordlist", "bypass", "burst",
                           "cors", "candidate", "documented" */
    const char *method; /* GET, OPTIONS */
    const char *url;
    const char *note; /* the extra header sent ("X-Forwarded-For: 127.0.0.1"), or NULL */
    int status;       /* the answer (0: not sent, or no answer) */
};

struct ac_probe_opts {
    const char *const *targets; /* base URLs (--target, --targets-file), with the inventory's */
    size_t ntargets;
    bool no_inventory;             /* only the given targets, not the inventory's deployments */
    const char *const *candidates; /* host names (full names, or labels under every domain) */
    size_t ncandidates;
    bool no_prefixes;           /* do not try the built-in host prefixes */
    const char *const *resolve; /* NAME:ADDR or NAME:PORT:ADDR (curl's --resolve) */
    size_t nresolve;
    const char *wordlist;      /* the wordlist's text (one route a line, # comments), or NULL
                                  for the built-in one */
    const char *wordlist_name; /* its file, for the error about a bad route; NULL: "wordlist" */
    double rate;               /* requests per second per host; 0: 5 */
    unsigned burst;            /* burst requests per deployment; 0: 20 (UINT32_MAX: none) */
    unsigned concurrency;      /* requests in flight over all hosts; 0: 8 */
    uint64_t max_requests;     /* hard cap per run; 0: 10000 */
    unsigned timeout_ms;       /* per request; 0: 10000 */
    const char *user_agent;    /* NULL: "apicensus-probe/VERSION (+https://...)" */
    bool dry_run;              /* plan only: on_event for each request, nothing sent */
    bool no_import;            /* do not import documents found */
    const char *now;           /* timestamp recorded; NULL: the clock */
    /* Called for each planned request (dry run) or answered one; may be NULL. */
    void (*on_event)(void *ud, const struct ac_probe_event *e);
    void *ud;
};

struct ac_probe_stats {
    uint64_t hosts;        /* hosts probed (targets and candidates that answered) */
    uint64_t candidates;   /* candidate hosts that answered */
    uint64_t planned;      /* requests planned (dry run: the plan) */
    uint64_t sent;         /* requests sent */
    uint64_t failed;       /* requests without an answer (timeout, refused) */
    uint64_t capped;       /* requests not sent because of max_requests */
    uint64_t observations; /* answers beyond the baseline, stored as observations */
    uint64_t facts;        /* probe facts stored (documentation, bypass, burst ...) */
    uint64_t off_scope;    /* redirects to hosts outside the allow-list (recorded only) */
    uint64_t documents;    /* documents found and imported */
    uint64_t internal;     /* declared-internal routes that answered 2xx without any header */
    double seconds;
};

/* Probe. Stats are written to *st (zeroed first). Errors: AC_EUSAGE (a bad target, resolve
 * entry or wordlist route, the last with the wordlist's name and the line of the first bad
 * route; no target at all), AC_ESTORE, AC_ENOMEM, AC_EIO (libcurl could not start).
 * Hosts that do not answer are not errors (st->failed). */
enum ac_err ac_probe(struct ac_store *s, const struct ac_probe_opts *o, struct ac_probe_stats *st,
                     struct ac_diag *d);

/* The built-in wordlist (one route a line), for --help and `--wordlist -` users to start from. */
const char *ac_probe_wordlist(void);

#endif
