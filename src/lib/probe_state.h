/* probe_state.h - the state of one probe run (see <apicensus/probe.h>), shared by its modules:
 *   probe.c          the run: inputs, request planning and phases, the baseline and discovery
 *                    phases, the commit;
 *   probe_targets.c  the targets and the allow-list: the inventory's deployments and documented
 *                    operations, --resolve entries, candidate hosts;
 *   probe_record.c   what answers become: the soft-404 comparison, observations, probe facts,
 *                    documentation (and its import), fingerprints, CORS and redirects;
 *   probe_checks.c   the checks that follow discovery: forwarded-header bypass (of 401/403
 *                    routes and of routes declared internal) and the rate-limit burst.
 * One struct probe lives on ac_probe()'s stack for the run and owns everything it points to;
 * release() in probe.c frees it. One thread. Every function here sets p->err and fills p->d on
 * failure; none prints.
 */
#ifndef AC_PROBE_STATE_H
#define AC_PROBE_STATE_H

#include "probe_run.h"
#include "store.h"

#include <json-c/json.h>

#define AC_PROBE_MAX_TARGETS 256
#define AC_PROBE_MAX_BASELINE 4 /* baseline answers kept per host */
#define AC_PROBE_MAX_BYPASS_ROUTES                                                                 \
    16 /* 401/403 routes, and internal ones, asked again per host                                  \
        */
#define AC_PROBE_FOREIGN_ORIGIN "https://probe.apicensus.invalid"

/* A base URL to probe. */
struct ac__probe_target {
    struct ac__probe_url u;
    char *api;         /* owned; NULL for targets outside the inventory */
    char *environment; /* owned, or NULL */
    bool inventory;    /* a deployment of the inventory */
    bool internal;     /* that deployment is declared audience: internal */
    bool candidate;
    size_t host; /* index in the allow-list */
};

/* A documented operation (ac_list operations), all strings owned. */
struct ac__probe_docop {
    char *method, *tmpl, *version, *api;
    char **hosts;
    size_t nhosts;
    bool internal; /* declared audience: internal (x-internal, x-audience) */
};

struct ac__probe_answer { /* a baseline answer */
    int status;
    uint64_t bytes, hash;
    char ctype[64];
};

struct ac__probe_hostinfo {
    struct ac__probe_answer base[AC_PROBE_MAX_BASELINE];
    size_t nbase;
    bool fingerprinted;
};

struct ac_shaping;
struct ac_agg;

struct probe {
    struct ac_store *s;            /* borrowed */
    const struct ac_probe_opts *o; /* borrowed */
    struct ac_probe_stats *st;     /* borrowed */
    struct ac_diag *d;             /* borrowed */
    struct ac__probe_target *t;    /* the targets */
    size_t nt;
    struct ac__probe_host *hosts;  /* the allow-list, with the token buckets */
    struct ac__probe_hostinfo *hi; /* per host: baseline answers, fingerprinted */
    size_t nh, hcap;
    char **resolve; /* curl's HOST:PORT:ADDR */
    size_t nresolve;
    char **words;
    size_t nwords;
    struct ac__probe_docop *ops;
    size_t nops;
    struct ac_domains dom;
    struct ac__probe_req *q; /* the phase's requests */
    size_t nq, qcap;
    struct ac__probe_runner *run;
    struct ac_shaping *sh;
    struct ac_agg *agg;
    struct ac_probe_fact *facts;
    char **fact_mem; /* strings the facts point to */
    size_t nfacts, fcap, nmem, mcap;
    char now[32];
    int64_t now_unix;
    uint64_t seed;
    enum ac_err err;
};

/* Well-known documentation and operations paths, and what an answer there is. */
struct ac__probe_wellknown {
    const char *path;
    const char *kind; /* "document", "ui", "graphql", "api-catalog", NULL: operations */
};
extern const struct ac__probe_wellknown ac__probe_wellknown[];
extern const size_t ac__probe_nwellknown;

/* --- probe.c: helpers, requests, phases ------------------------------------------------------ */

enum ac_err ac__probe_oom(struct probe *p);
char *ac__probe_dupn(const char *s);
/* v itself when n < *cap, else v grown (doubled, 16 first) with *cap updated; NULL when out of
 * memory (v untouched). */
void *ac__probe_grow(void *v, size_t *cap, size_t n, size_t size);
/* Plan one request (deduplicated within the phase unless `burst`). */
enum ac_err ac__probe_plan(struct probe *p, const struct ac__probe_target *t, const char *check,
                           const char *method, const char *path, const char *extra, bool burst);
/* Run the planned phase (dry run: count and list it). */
enum ac_err ac__probe_run_phase(struct probe *p);
void ac__probe_reqs_clear(struct probe *p);
/* A documented template as a request path: parameters become "1". */
void ac__probe_concrete(const char *tmpl, char *out, size_t cap);

/* --- probe_targets.c: targets, inventory, candidates ----------------------------------------- */

enum ac_err ac__probe_add_target(struct probe *p, const struct ac__probe_url *u, const char *api,
                                 const char *env, bool inventory, bool candidate);
enum ac_err ac__probe_load_deployments(struct probe *p);
enum ac_err ac__probe_load_operations(struct probe *p);
enum ac_err ac__probe_resolve_entries(struct probe *p);
enum ac_err ac__probe_phase_candidates(struct probe *p);
bool ac__probe_op_on_host(const struct ac__probe_docop *op, const char *host);
/* The first target on host index `host`, or NULL. */
const struct ac__probe_target *ac__probe_target_of_host(const struct probe *p, size_t host);
bool ac__probe_host_allowed(const struct probe *p, const char *name);
/* The API a document at `path` on host index `host` belongs to: that of the inventory's
 * deployment on the host with the longest base path `path` is under, else the one API all the
 * host's deployments share; NULL when the host has no deployment or several APIs and none
 * serves the path (borrowed from the targets). */
const char *ac__probe_api_of(const struct probe *p, size_t host, const char *path);

/* --- probe_record.c: answers ----------------------------------------------------------------- */

/* The Content-Type of an answer without parameters. */
void ac__probe_ctype_of(const struct ac__probe_req *q, char *out, size_t cap);
/* Unlike every baseline answer of its host. */
bool ac__probe_beyond_baseline(const struct probe *p, const struct ac__probe_req *q);
/* Evidence that a route exists: 2xx, 3xx, 401, 403. */
bool ac__probe_interesting(int status);
/* Fold an answer into the observations, as an ingest would a log line of it. */
enum ac_err ac__probe_observe(struct probe *p, const struct ac__probe_req *q);
/* Record a fact (the first per kind, host, method and path wins); takes ownership of detail. */
enum ac_err ac__probe_add_fact(struct probe *p, const char *kind, size_t host, const char *method,
                               const char *path, int status, struct json_object *detail);
enum ac_err ac__probe_note_fingerprint(struct probe *p, const struct ac__probe_req *q);
/* Observations, redirects, documentation, fingerprints and CORS of the answered requests. */
enum ac_err ac__probe_digest(struct probe *p);

/* --- probe_checks.c: bypass and burst -------------------------------------------------------- */

enum ac_err ac__probe_phase_bypass(struct probe *p);
enum ac_err ac__probe_phase_burst(struct probe *p);

#endif
