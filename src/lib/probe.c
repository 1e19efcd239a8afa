/* probe.c - active discovery (see <apicensus/probe.h> and docs/probe.md): targets, the checks in
 * their order, and what their answers become.
 *
 * Phases, each a batch for the runner (probe_http.c), each planned from the answers before it:
 *   1. candidates: GET / on candidate hosts that resolve (or that --resolve names); a host that
 *      answers HTTP joins the targets.
 *   2. baseline: random paths on each host (and under each base path), the soft-404 answers.
 *   3. discovery: documented GET routes, version siblings of documented versioned routes and
 *      their version roots, well-known documentation and operations paths, the wordlist (under
 *      the host root, each base path and each version root), and a CORS preflight per target.
 *   4. bypass: each 401/403 route asked again with one forwarding header at a time.
 *   5. burst: `burst` requests at once to one cheap documented route per deployment.
 * An answer is kept when it is 2xx, 3xx, 401, 403 or 429 and unlike every baseline answer of
 * its host (status, content type and body): those become observations of source "probe"
 * through the ingest's own pipeline (shaping.h), so the matcher, the classifiers and every rule
 * treat them as traffic. Facts with no place in an observation go to the store's probe facts.
 * The planner dedupes requests by method, URL and header, so no route is asked twice a phase.
 */
#include "aggregate.h"
#include "pipeline.h"
#include "probe_run.h"
#include "shaping.h"
#include "store.h"
#include "version.h"

#include <apicensus/probe.h>
#include <apicensus/registry.h>
#include <apicensus/table.h>

#include <json-c/json.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <xxhash.h>

extern const char ac__probe_wordlist_txt[];

#define MAX_TARGETS 256
#define MAX_BASELINE 4       /* baseline answers kept per host */
#define MAX_BYPASS_ROUTES 16 /* 401/403 routes asked again, per host */
#define MAX_SIBLINGS 8
#define FOREIGN_ORIGIN "https://probe.apicensus.invalid"

/* Host prefixes tried under each organisation domain. */
static const char *const prefixes[] = {
    "api",     "beta",    "staging",  "stage",   "dev",       "test", "qa",    "uat",
    "sandbox", "demo",    "internal", "old",     "legacy",    "v1",   "v2",    "preprod",
    "admin",   "partner", "partners", "gateway", "developer", "docs", "mobile"};

/* Well-known documentation and operations paths, and what an answer there is. */
struct wellknown {
    const char *path;
    const char *kind; /* "document", "ui", "graphql", "api-catalog", NULL: operations */
};
static const struct wellknown wellknown[] = {
    {"/openapi.json", "document"},
    {"/openapi.yaml", "document"},
    {"/swagger.json", "document"},
    {"/swagger.yaml", "document"},
    {"/api-docs", "document"},
    {"/v2/api-docs", "document"},
    {"/v3/api-docs", "document"},
    {"/swagger/v1/swagger.json", "document"},
    {"/swagger-ui.html", "ui"},
    {"/swagger-ui/", "ui"},
    {"/swagger/index.html", "ui"},
    {"/docs", "ui"},
    {"/redoc", "ui"},
    {"/graphql?query=%7B__typename%7D", "graphql"},
    {"/.well-known/api-catalog", "api-catalog"},
    {"/health", NULL},
    {"/metrics", NULL},
    {"/actuator", NULL},
    {"/actuator/env", NULL},
    {"/actuator/health", NULL},
    {"/server-status", NULL},
    {"/debug/pprof/", NULL},
};

/* Forwarding headers a proxy may trust; %s is the route for X-Original-URL. */
static const char *const bypass_headers[] = {"X-Forwarded-For: 127.0.0.1", "X-Real-IP: 127.0.0.1",
                                             "Forwarded: for=127.0.0.1",
                                             "X-Forwarded-Host: localhost", "X-Original-URL: %s"};

struct target {
    struct ac__probe_url u;
    char *api; /* NULL for targets outside the inventory */
    char *environment;
    bool inventory;
    bool candidate;
    size_t host;
};

struct docop {
    char *method, *tmpl, *version, *api;
    char **hosts;
    size_t nhosts;
};

struct answer { /* a baseline answer */
    int status;
    uint64_t bytes, hash;
    char ctype[64];
};

struct hostinfo {
    struct answer base[MAX_BASELINE];
    size_t nbase;
    bool fingerprinted;
};

struct probe {
    struct ac_store *s;
    const struct ac_probe_opts *o;
    struct ac_probe_stats *st;
    struct ac_diag *d;
    struct target *t;
    size_t nt;
    struct ac__probe_host *hosts;
    struct hostinfo *hi;
    size_t nh, hcap;
    char **resolve; /* curl's HOST:PORT:ADDR */
    size_t nresolve;
    char **words;
    size_t nwords;
    struct docop *ops;
    size_t nops;
    struct ac_domains dom;
    struct ac__probe_req *q;
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

/* --- small helpers --------------------------------------------------------------------------- */

static enum ac_err oom(struct probe *p)
{
    p->err = AC_ENOMEM;
    return ac_diag_set(p->d, AC_ENOMEM, NULL, 0, 0, "out of memory");
}

static char *dupn(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
    size_t nc;
    void *nv;

    if (n < *cap)
        return v;
    nc = *cap ? *cap * 2 : 16;
    nv = realloc(v, nc * size);
    if (nv != NULL)
        *cap = nc;
    return nv;
}

/* The index of host `name` on the allow-list, added when absent; (size_t)-1 when out of memory. */
static size_t host_index(struct probe *p, const char *name)
{
    size_t i;
    void *nv;

    for (i = 0; i < p->nh; i++)
        if (strcmp(p->hosts[i].name, name) == 0)
            return i;
    if (p->nh == p->hcap) {
        size_t cap = p->hcap;

        nv = grow(p->hosts, &cap, p->nh, sizeof(*p->hosts));
        if (nv == NULL)
            return (size_t)-1;
        p->hosts = nv;
        nv = realloc(p->hi, cap * sizeof(*p->hi));
        if (nv == NULL)
            return (size_t)-1;
        p->hi = nv;
        p->hcap = cap;
    }
    memset(&p->hosts[p->nh], 0, sizeof(p->hosts[0]));
    memset(&p->hi[p->nh], 0, sizeof(p->hi[0]));
    snprintf(p->hosts[p->nh].name, sizeof(p->hosts[0].name), "%s", name);
    return p->nh++;
}

static enum ac_err add_target(struct probe *p, const struct ac__probe_url *u, const char *api,
                              const char *env, bool inventory, bool candidate)
{
    size_t i, h;
    struct target *t;

    for (i = 0; i < p->nt; i++) /* the same base URL twice: keep the inventory's */
        if (p->t[i].u.https == u->https && p->t[i].u.port == u->port &&
            strcmp(p->t[i].u.host, u->host) == 0 && strcmp(p->t[i].u.base, u->base) == 0)
            return AC_OK;
    if (p->nt >= MAX_TARGETS)
        return ac_diag_set(p->d, AC_EUSAGE, NULL, 0, 0, "more than %d targets", MAX_TARGETS);
    h = host_index(p, u->host);
    if (h == (size_t)-1)
        return oom(p);
    t = realloc(p->t, (p->nt + 1) * sizeof(*t));
    if (t == NULL)
        return oom(p);
    p->t = t;
    t = &p->t[p->nt];
    memset(t, 0, sizeof(*t));
    t->u = *u;
    t->api = dupn(api);
    t->environment = dupn(env);
    t->inventory = inventory;
    t->candidate = candidate;
    t->host = h;
    if ((api != NULL && t->api == NULL) || (env != NULL && t->environment == NULL))
        return oom(p);
    p->nt++;
    return AC_OK;
}

static const char *cell(const struct ac_table *t, size_t row, const char *col)
{
    size_t c = ac_table_col_index(t, col);

    return c == (size_t)-1 ? NULL : ac_table_cell(t, row, c);
}

/* --- the inventory --------------------------------------------------------------------------- */

static enum ac_err load_deployments(struct probe *p)
{
    struct ac_table *t = NULL;
    enum ac_err err;
    size_t i;

    err = ac_list(p->s, AC_LIST_DEPLOYMENTS, NULL, &t, p->d);
    for (i = 0; err == AC_OK && i < ac_table_rows(t); i++) {
        const char *url = cell(t, i, "url");
        struct ac__probe_url u;

        if (url == NULL || !ac__probe_parse_url(url, strlen(url), &u))
            continue; /* a relative server URL: nothing to ask */
        err = add_target(p, &u, cell(t, i, "api"), cell(t, i, "environment"), true, false);
    }
    ac_table_free(t);
    return err;
}

static enum ac_err load_operations(struct probe *p)
{
    struct ac_table *t = NULL;
    enum ac_err err;
    size_t i, k;

    err = ac_list(p->s, AC_LIST_OPERATIONS, NULL, &t, p->d);
    if (err != AC_OK)
        return err;
    p->ops = calloc(ac_table_rows(t) + 1, sizeof(*p->ops));
    if (p->ops == NULL) {
        ac_table_free(t);
        return oom(p);
    }
    for (i = 0; i < ac_table_rows(t); i++) {
        struct docop *op = &p->ops[p->nops];
        const char *hosts = cell(t, i, "hosts");
        struct json_object *j = hosts != NULL ? json_tokener_parse(hosts) : NULL;

        op->method = dupn(cell(t, i, "method"));
        op->tmpl = dupn(cell(t, i, "template"));
        op->version = dupn(cell(t, i, "version"));
        op->api = dupn(cell(t, i, "api"));
        p->nops++;
        if (op->method == NULL || op->tmpl == NULL) {
            json_object_put(j);
            ac_table_free(t);
            return oom(p);
        }
        if (j != NULL && json_object_is_type(j, json_type_array)) {
            size_t n = json_object_array_length(j);

            op->hosts = calloc(n + 1, sizeof(char *));
            for (k = 0; op->hosts != NULL && k < n; k++) {
                const char *h = json_object_get_string(json_object_array_get_idx(j, k));

                if (h != NULL && (op->hosts[op->nhosts] = strdup(h)) != NULL)
                    op->nhosts++;
            }
        }
        json_object_put(j);
    }
    ac_table_free(t);
    return AC_OK;
}

static bool op_on_host(const struct docop *op, const char *host)
{
    size_t i;

    for (i = 0; i < op->nhosts; i++)
        if (strcmp(op->hosts[i], host) == 0)
            return true;
    return false;
}

/* --- targets and candidates ------------------------------------------------------------------ */

static enum ac_err add_resolve(struct probe *p, const char *name, unsigned port, const char *addr)
{
    char buf[AC_PROBE_HOST_MAX + 80], **v;

    snprintf(buf, sizeof(buf), "%s:%u:%s", name, port, addr);
    v = realloc(p->resolve, (p->nresolve + 1) * sizeof(*v));
    if (v == NULL)
        return oom(p);
    p->resolve = v;
    if ((v[p->nresolve] = strdup(buf)) == NULL)
        return oom(p);
    p->nresolve++;
    return AC_OK;
}

static bool resolved_by_option(const struct probe *p, const char *name)
{
    size_t i;
    char n[AC_PROBE_HOST_MAX + 1], addr[80];
    unsigned port;

    for (i = 0; i < p->o->nresolve; i++)
        if (ac__probe_parse_resolve(p->o->resolve[i], strlen(p->o->resolve[i]), n, sizeof(n), &port,
                                    addr, sizeof(addr)) &&
            strcmp(n, name) == 0)
            return true;
    return false;
}

static bool resolves(const char *name)
{
    struct addrinfo hints, *res = NULL;

    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(name, NULL, &hints, &res) != 0)
        return false;
    freeaddrinfo(res);
    return true;
}

static bool is_target_host(const struct probe *p, const char *name)
{
    size_t i;

    for (i = 0; i < p->nt; i++)
        if (strcmp(p->t[i].u.host, name) == 0)
            return true;
    return false;
}

/* The scheme and port of candidates under `domain`: those of a target under it, else https. */
static void candidate_url(const struct probe *p, const char *name, const char *domain,
                          struct ac__probe_url *u)
{
    size_t i, dl = strlen(domain);

    memset(u, 0, sizeof(*u));
    u->https = true;
    u->port = 443;
    for (i = 0; i < p->nt; i++) {
        size_t hl = strlen(p->t[i].u.host);

        if (hl >= dl && strcmp(p->t[i].u.host + hl - dl, domain) == 0) {
            u->https = p->t[i].u.https;
            u->port = p->t[i].u.port;
            break;
        }
    }
    snprintf(u->host, sizeof(u->host), "%s", name);
}

static enum ac_err plan_candidate(struct probe *p, const char *name, const char *domain,
                                  struct ac__probe_url *cands, size_t *nc, size_t cap)
{
    struct ac__probe_url u;
    size_t i;

    if (*nc >= cap || is_target_host(p, name) || strlen(name) > AC_PROBE_HOST_MAX)
        return AC_OK;
    for (i = 0; i < *nc; i++)
        if (strcmp(cands[i].host, name) == 0)
            return AC_OK;
    if (!resolved_by_option(p, name) && !resolves(name))
        return AC_OK;
    candidate_url(p, name, domain, &u);
    cands[(*nc)++] = u;
    return AC_OK;
}

/* --- requests ------------------------------------------------------------------------------- */

static void reqs_clear(struct probe *p)
{
    size_t i;

    for (i = 0; i < p->nq; i++)
        ac__probe_req_clear(&p->q[i]);
    p->nq = 0;
}

static void url_of(const struct target *t, const char *path, char *out, size_t cap)
{
    bool dflt = t->u.port == (t->u.https ? 443u : 80u);

    if (dflt)
        snprintf(out, cap, "%s://%s%s", t->u.https ? "https" : "http", t->u.host, path);
    else
        snprintf(out, cap, "%s://%s:%u%s", t->u.https ? "https" : "http", t->u.host, t->u.port,
                 path);
}

/* Plan one request (deduplicated within the phase). */
static enum ac_err plan(struct probe *p, const struct target *t, const char *check,
                        const char *method, const char *path, const char *extra, bool burst)
{
    char url[AC_PROBE_URL_MAX];
    struct ac__probe_req *q;
    size_t i;

    if (path[0] != '/' || strlen(path) > AC_PROBE_URL_MAX / 2)
        return AC_OK;
    url_of(t, path, url, sizeof(url));
    if (!burst)
        for (i = 0; i < p->nq; i++)
            if (strcmp(p->q[i].url, url) == 0 && strcmp(p->q[i].method, method) == 0 &&
                ((extra == NULL && p->q[i].extra == NULL) ||
                 (extra != NULL && p->q[i].extra != NULL && strcmp(extra, p->q[i].extra) == 0)))
                return AC_OK;
    q = grow(p->q, &p->qcap, p->nq, sizeof(*p->q));
    if (q == NULL)
        return oom(p);
    p->q = q;
    q = &p->q[p->nq];
    memset(q, 0, sizeof(*q));
    q->check = check;
    q->method = method;
    q->host = t->host;
    q->burst = burst;
    q->url = strdup(url);
    q->path = strdup(path);
    q->extra = dupn(extra);
    p->nq++;
    if (q->url == NULL || q->path == NULL || (extra != NULL && q->extra == NULL))
        return oom(p);
    return AC_OK;
}

static void emit(struct probe *p, const struct ac__probe_req *q)
{
    struct ac_probe_event e;

    if (p->o->on_event == NULL)
        return;
    e.check = q->check;
    e.method = q->method;
    e.url = q->url;
    e.note = q->extra;
    e.status = q->answered ? q->status : 0;
    p->o->on_event(p->o->ud, &e);
}

/* Run the planned phase (or print it, dry run). */
static enum ac_err run_phase(struct probe *p)
{
    size_t i;
    enum ac_err err = AC_OK;

    p->st->planned += p->nq;
    /* a runner per phase, over the allow-list as it stands (candidates join it); the token
     * buckets live in p->hosts and carry over from phase to phase */
    if (!p->o->dry_run) {
        err = ac__probe_runner_new(p->hosts, p->nh, p->o, p->resolve, p->nresolve, &p->run, p->d);
        if (err != AC_OK)
            return err;
        err = ac__probe_runner_run(p->run, p->q, p->nq, p->st);
        ac__probe_runner_free(p->run);
        p->run = NULL;
    }
    if (err != AC_OK)
        return oom(p);
    for (i = 0; i < p->nq; i++)
        emit(p, &p->q[i]);
    return AC_OK;
}

/* --- answers --------------------------------------------------------------------------------- */

static void ctype_of(const struct ac__probe_req *q, char *out, size_t cap)
{
    size_t n = q->ctype != NULL ? strcspn(q->ctype, ";") : 0;

    snprintf(out, cap, "%.*s", (int)n, q->ctype != NULL ? q->ctype : "");
}

/* Unlike every baseline answer of its host: another status, content type, or a body that is
 * neither the same nor within 10% (plus the path's own length, which catch-alls echo) of it. */
static bool beyond_baseline(const struct probe *p, const struct ac__probe_req *q)
{
    const struct hostinfo *h = &p->hi[q->host];
    char ct[64];
    size_t i;

    ctype_of(q, ct, sizeof(ct));
    for (i = 0; i < h->nbase; i++) {
        const struct answer *b = &h->base[i];
        uint64_t lo = b->bytes - b->bytes / 10, hi = b->bytes + b->bytes / 10 + 64;

        if (b->status != q->status || strcmp(b->ctype, ct) != 0)
            continue;
        if (b->hash == q->body_hash || (q->bytes >= (lo > 64 ? lo - 64 : 0) && q->bytes <= hi))
            return false;
    }
    return true;
}

/* Evidence that a route exists. A 429 is not: a limiter answers it for any path (the burst
 * check keeps its 429s, the evidence of a limit). */
static bool interesting(int status)
{
    return (status >= 200 && status < 400) || status == 401 || status == 403;
}

/* Fold an answer into the observations, as an ingest would a log line of it. */
static enum ac_err observe(struct probe *p, const struct ac__probe_req *q)
{
    struct ac_request r;
    struct ac_chunk c;
    const char *host = p->hosts[q->host].name;

    ac__request_clear(&r);
    memset(&c, 0, sizeof(c));
    c.agg = p->agg;
    r.time = p->now_unix;
    r.host.p = host;
    r.host.n = strlen(host);
    r.method.p = q->method;
    r.method.n = strlen(q->method);
    r.target.p = q->path;
    r.target.n = strlen(q->path);
    r.status = q->status;
    r.credentials = AC_CRED_NONE; /* the probe never sends any */
    r.resp_headers = q->hdr_bits;
    if (q->server != NULL) {
        r.server.p = q->server;
        r.server.n = strlen(q->server);
    }
    if (q->powered != NULL) {
        r.powered.p = q->powered;
        r.powered.n = strlen(q->powered);
    }
    if (ac__pipeline_request(ac__shaping_pipeline(p->sh), &r, &c) != AC_OK)
        return oom(p);
    if (c.requests > 0)
        p->st->observations++;
    return AC_OK;
}

static enum ac_err add_fact(struct probe *p, const char *kind, size_t host, const char *method,
                            const char *path, int status, struct json_object *detail)
{
    const char *js = json_object_to_json_string_ext(detail, JSON_C_TO_STRING_PLAIN |
                                                                JSON_C_TO_STRING_NOSLASHESCAPE);
    char *copy = dupn(js), *pcopy = dupn(path);
    struct ac_probe_fact *f;
    char **m;
    size_t i;

    json_object_put(detail);
    if (copy == NULL || pcopy == NULL ||
        (m = grow(p->fact_mem, &p->mcap, p->nmem + 1, sizeof(*p->fact_mem))) == NULL) {
        free(copy);
        free(pcopy);
        return oom(p);
    }
    p->fact_mem = m;
    m[p->nmem++] = copy;
    m[p->nmem++] = pcopy;
    for (i = 0; i < p->nfacts; i++) /* one per (kind, host, method, path): the first wins */
        if (strcmp(p->facts[i].kind, kind) == 0 &&
            strcmp(p->facts[i].host, p->hosts[host].name) == 0 &&
            strcmp(p->facts[i].method, method) == 0 && strcmp(p->facts[i].path, pcopy) == 0)
            return AC_OK;
    f = grow(p->facts, &p->fcap, p->nfacts, sizeof(*p->facts));
    if (f == NULL)
        return oom(p);
    p->facts = f;
    f = &p->facts[p->nfacts++];
    f->kind = kind;
    f->host = p->hosts[host].name;
    f->method = method;
    f->path = pcopy;
    f->status = status;
    f->detail = copy;
    p->st->facts++;
    return AC_OK;
}

static struct json_object *jstr(const char *s)
{
    return s != NULL ? json_object_new_string(s) : NULL;
}

static bool host_allowed(const struct probe *p, const char *name)
{
    size_t i;

    for (i = 0; i < p->nh; i++)
        if (strcmp(p->hosts[i].name, name) == 0)
            return true;
    return false;
}

/* A redirect: recorded with its target; off scope when it leaves the allow-list. */
static enum ac_err note_redirect(struct probe *p, const struct ac__probe_req *q)
{
    struct ac__probe_url u;
    bool off = false;
    struct json_object *j;

    if (q->location == NULL)
        return AC_OK;
    if (strstr(q->location, "://") != NULL) {
        size_t len = strlen(q->location), end;
        const char *h = strstr(q->location, "://") + 3;

        end = (size_t)(h - q->location) + strcspn(h, "/?#");
        off = !ac__probe_parse_url(q->location, end < len ? end : len, &u) ||
              !host_allowed(p, u.host);
    } else if (q->location[0] == '/' && q->location[1] == '/') {
        off = true; /* scheme-relative: another host */
    }
    if (off)
        p->st->off_scope++;
    j = json_object_new_object();
    json_object_object_add(j, "url", jstr(q->url));
    json_object_object_add(j, "location", jstr(q->location));
    json_object_object_add(j, "off_scope", json_object_new_boolean(off));
    json_object_object_add(j, "followed", json_object_new_boolean(false));
    return add_fact(p, "redirect", q->host, q->method, q->path, q->status, j);
}

static bool contains_ci(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle), i, j;

    for (i = 0; i + k <= n; i++) {
        for (j = 0; j < k; j++) {
            char c = hay[i + j];

            if ((c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c) != needle[j])
                break;
        }
        if (j == k)
            return true;
    }
    return false;
}

/* What a 2xx answer at a documentation path is, or NULL when it is no documentation. */
static const char *doc_kind(const struct ac__probe_req *q, const char *expected)
{
    size_t n = q->body_len < 65536 ? q->body_len : 65536;
    const char *b = q->body;

    if (b == NULL || n == 0)
        return NULL;
    if (contains_ci(b, n, "\"openapi\"") || contains_ci(b, n, "\"swagger\"") ||
        strncmp(b, "openapi:", 8) == 0 || strncmp(b, "swagger:", 8) == 0)
        return "document";
    if (contains_ci(b, n, "swagger-ui") || contains_ci(b, n, "redoc") ||
        contains_ci(b, n, "graphiql") || contains_ci(b, n, "graphql-playground"))
        return "ui";
    if (strcmp(expected, "graphql") == 0 && contains_ci(b, n, "__typename"))
        return "graphql";
    if (strcmp(expected, "api-catalog") == 0 && contains_ci(b, n, "\"linkset\""))
        return "api-catalog";
    return NULL;
}

static const char *expected_doc(const char *path)
{
    size_t i, pl = strlen(path);

    for (i = 0; i < sizeof(wellknown) / sizeof(wellknown[0]); i++) {
        size_t wl = strlen(wellknown[i].path);

        if (wellknown[i].kind != NULL && pl >= wl && strcmp(path + pl - wl, wellknown[i].path) == 0)
            return wellknown[i].kind;
    }
    return NULL;
}

static bool inventory_host(const struct probe *p, size_t host)
{
    size_t i;

    for (i = 0; i < p->nt; i++)
        if (p->t[i].host == host && p->t[i].inventory)
            return true;
    return false;
}

static enum ac_err note_documentation(struct probe *p, const struct ac__probe_req *q,
                                      const char *kind)
{
    struct json_object *j = json_object_new_object();
    bool imported = false;

    /* a document on a host the inventory has no deployment on is evidence of an API nobody
     * declared: imported under the URL it answered at; one on a declared deployment is its
     * API's own description (already imported, or to be attached by its owners): kept as a
     * fact */
    if (strcmp(kind, "document") == 0 && !p->o->no_import && !p->o->dry_run &&
        !inventory_host(p, q->host)) {
        struct ac_import_opts io = {p->now, NULL, NULL};
        struct ac_diag d2;
        char name[AC_PROBE_URL_MAX + 8];

        /* evidence of the API it describes: imported under the URL it answered at */
        snprintf(name, sizeof(name), "probe:%s", q->url);
        memset(&d2, 0, sizeof(d2));
        if (ac_import_text(p->s, name, q->body, q->body_len, &io, &d2) == AC_OK) {
            imported = true;
            p->st->documents++;
        }
    }
    json_object_object_add(j, "url", jstr(q->url));
    json_object_object_add(j, "kind", jstr(kind));
    json_object_object_add(j, "content_type", jstr(q->ctype));
    json_object_object_add(j, "bytes", json_object_new_int64((int64_t)q->bytes));
    json_object_object_add(j, "credentials", json_object_new_boolean(false));
    json_object_object_add(j, "imported", json_object_new_boolean(imported));
    return add_fact(p, "documentation", q->host, q->method, q->path, q->status, j);
}

static enum ac_err note_fingerprint(struct probe *p, const struct ac__probe_req *q)
{
    struct json_object *j;

    if (p->hi[q->host].fingerprinted || (q->server == NULL && q->powered == NULL))
        return AC_OK;
    p->hi[q->host].fingerprinted = true;
    j = json_object_new_object();
    json_object_object_add(j, "server", jstr(q->server));
    json_object_object_add(j, "powered_by", jstr(q->powered));
    json_object_object_add(j, "url", jstr(q->url));
    return add_fact(p, "fingerprint", q->host, "GET", "", 0, j);
}

static enum ac_err note_cors(struct probe *p, const struct ac__probe_req *q)
{
    struct json_object *j;

    if (q->acao == NULL && q->acam == NULL)
        return AC_OK; /* no cross-origin access granted: nothing to document */
    j = json_object_new_object();
    json_object_object_add(j, "url", jstr(q->url));
    json_object_object_add(j, "origin", jstr(FOREIGN_ORIGIN));
    json_object_object_add(j, "allow_origin", jstr(q->acao));
    json_object_object_add(j, "allow_credentials", jstr(q->acac));
    json_object_object_add(j, "allow_methods", jstr(q->acam));
    json_object_object_add(
        j, "reflects_origin",
        json_object_new_boolean(q->acao != NULL && strcmp(q->acao, FOREIGN_ORIGIN) == 0));
    return add_fact(p, "cors", q->host, q->method, q->path, q->status, j);
}

/* Observations, redirects, documentation, fingerprints and CORS of the answered requests. */
static enum ac_err digest(struct probe *p)
{
    size_t i;
    enum ac_err err = AC_OK;

    for (i = 0; err == AC_OK && i < p->nq; i++) {
        struct ac__probe_req *q = &p->q[i];
        const char *exp, *kind;

        if (!q->answered)
            continue;
        err = note_fingerprint(p, q);
        if (err == AC_OK && strcmp(q->check, "cors") == 0) {
            err = note_cors(p, q);
            continue;
        }
        if (err != AC_OK || !interesting(q->status) || !beyond_baseline(p, q))
            continue;
        err = observe(p, q);
        if (err == AC_OK && q->status >= 300 && q->status < 400)
            err = note_redirect(p, q);
        if (err == AC_OK && q->status >= 200 && q->status < 300 &&
            (exp = expected_doc(q->path)) != NULL && (kind = doc_kind(q, exp)) != NULL)
            err = note_documentation(p, q, kind);
    }
    return err;
}

/* --- phases ---------------------------------------------------------------------------------- */

static enum ac_err phase_candidates(struct probe *p)
{
    struct ac__probe_url cands[256];
    size_t nc = 0, i, k;
    enum ac_err err = AC_OK;

    for (i = 0; err == AC_OK && i < p->dom.n; i++) {
        char name[AC_PROBE_HOST_MAX + 2];

        for (k = 0; !p->o->no_prefixes && k < sizeof(prefixes) / sizeof(prefixes[0]); k++) {
            snprintf(name, sizeof(name), "%s.%s", prefixes[k], p->dom.v[i]);
            err = plan_candidate(p, name, p->dom.v[i], cands, &nc, 256);
        }
        for (k = 0; err == AC_OK && k < p->o->ncandidates; k++) {
            const char *c = p->o->candidates[k];

            if (strchr(c, '.') != NULL) {
                size_t cl = strlen(c), dl = strlen(p->dom.v[i]);

                if (cl > dl && strcmp(c + cl - dl, p->dom.v[i]) == 0 && c[cl - dl - 1] == '.')
                    err = plan_candidate(p, c, p->dom.v[i], cands, &nc, 256);
            } else {
                snprintf(name, sizeof(name), "%s.%s", c, p->dom.v[i]);
                err = plan_candidate(p, name, p->dom.v[i], cands, &nc, 256);
            }
        }
    }
    if (err != AC_OK || nc == 0)
        return err;
    /* each candidate on the allow-list for the one request that tests it */
    for (i = 0; i < nc; i++) {
        struct target t;
        size_t h = host_index(p, cands[i].host);

        if (h == (size_t)-1)
            return oom(p);
        memset(&t, 0, sizeof(t));
        t.u = cands[i];
        t.host = h;
        err = plan(p, &t, "candidate", "GET", "/", NULL, false);
        if (err != AC_OK)
            return err;
    }
    err = run_phase(p);
    for (i = 0; err == AC_OK && i < p->nq; i++) {
        struct ac__probe_req *q = &p->q[i];
        struct json_object *j;

        if (!q->answered)
            continue;
        /* a candidate that answers HTTP at all is evidence of a host */
        p->st->candidates++;
        err = add_target(p, &cands[i], NULL, NULL, false, true);
        if (err == AC_OK)
            err = note_fingerprint(p, q);
        if (err == AC_OK)
            err = observe(p, q);
        j = json_object_new_object();
        json_object_object_add(j, "url", jstr(q->url));
        json_object_object_add(j, "status", json_object_new_int(q->status));
        if (err == AC_OK)
            err = add_fact(p, "candidate", q->host, "GET", "/", q->status, j);
        else
            json_object_put(j);
    }
    reqs_clear(p);
    return err;
}

static enum ac_err phase_baseline(struct probe *p)
{
    size_t i, k;
    enum ac_err err = AC_OK;

    for (i = 0; err == AC_OK && i < p->nt; i++) {
        char path[AC_PROBE_ROUTE_MAX + 64];
        uint64_t h = XXH3_64bits_withSeed(p->t[i].u.host, strlen(p->t[i].u.host), p->seed);

        snprintf(path, sizeof(path), "/apicensus-%016llx", (unsigned long long)h);
        err = plan(p, &p->t[i], "baseline", "GET", path, NULL, false);
        snprintf(path, sizeof(path), "/apicensus-%08llx/%08llx.json", (unsigned long long)(h >> 32),
                 (unsigned long long)(h & 0xffffffffu));
        if (err == AC_OK)
            err = plan(p, &p->t[i], "baseline", "GET", path, NULL, false);
        snprintf(path, sizeof(path), "%s/apicensus-%016llx", p->t[i].u.base,
                 (unsigned long long)(h ^ 0x5bd1e995u));
        if (err == AC_OK && p->t[i].u.base[0] != '\0')
            err = plan(p, &p->t[i], "baseline", "GET", path, NULL, false);
    }
    if (err == AC_OK)
        err = run_phase(p);
    for (i = 0; err == AC_OK && i < p->nq; i++) {
        struct ac__probe_req *q = &p->q[i];
        struct hostinfo *hi = &p->hi[q->host];
        struct answer *a;

        if (!q->answered)
            continue;
        err = note_fingerprint(p, q);
        for (k = 0; k < hi->nbase; k++)
            if (hi->base[k].status == q->status && hi->base[k].hash == q->body_hash)
                break;
        if (k < hi->nbase || hi->nbase >= MAX_BASELINE)
            continue;
        a = &hi->base[hi->nbase++];
        a->status = q->status;
        a->bytes = q->bytes;
        a->hash = q->body_hash;
        ctype_of(q, a->ctype, sizeof(a->ctype));
    }
    reqs_clear(p);
    return err;
}

/* A documented template as a request path: parameters become "1". */
static void concrete(const char *tmpl, char *out, size_t cap)
{
    size_t k = 0;

    for (; *tmpl != '\0' && k + 2 < cap; tmpl++) {
        if (*tmpl == '{') {
            const char *e = strchr(tmpl, '}');

            if (e == NULL)
                break;
            out[k++] = '1';
            tmpl = e;
        } else {
            out[k++] = *tmpl;
        }
    }
    out[k] = '\0';
}

/* Roots to try the docs and the wordlist under: "", the base path, and version roots. */
struct roots {
    char v[64][AC_PROBE_ROUTE_MAX + 1];
    size_t n;
};

static void root_add(struct roots *r, const char *s, size_t n)
{
    size_t i;

    if (n > AC_PROBE_ROUTE_MAX || r->n >= 64)
        return;
    for (i = 0; i < r->n; i++)
        if (strlen(r->v[i]) == n && memcmp(r->v[i], s, n) == 0)
            return;
    memcpy(r->v[r->n], s, n);
    r->v[r->n][n] = '\0';
    r->n++;
}

/* Version siblings of one documented route, and the roots of its version and theirs. */
static enum ac_err plan_siblings(struct probe *p, const struct target *t, const struct docop *op,
                                 struct roots *roots)
{
    char path[AC_PROBE_URL_MAX / 2], sib[MAX_SIBLINGS][32], alt[AC_PROBE_URL_MAX / 2];
    const char *tok;
    size_t len, n, i, pre;
    enum ac_err err = AC_OK;

    concrete(op->tmpl, path, sizeof(path));
    if (!ac__version_in_path(path, true, &tok, &len))
        return AC_OK;
    pre = (size_t)(tok - path);
    root_add(roots, path, pre + len);
    n = ac__probe_siblings(tok, len, sib, MAX_SIBLINGS);
    for (i = 0; err == AC_OK && i < n; i++) {
        snprintf(alt, sizeof(alt), "%.*s%s%s", (int)pre, path, sib[i], tok + len);
        err = plan(p, t, "sibling", "GET", alt, NULL, false);
        snprintf(alt, sizeof(alt), "%.*s%s", (int)pre, path, sib[i]);
        root_add(roots, alt, strlen(alt));
        if (err == AC_OK)
            err = plan(p, t, "sibling", "GET", alt, NULL, false);
    }
    return err;
}

static enum ac_err phase_discovery(struct probe *p)
{
    size_t i, k, r;
    enum ac_err err = AC_OK;

    for (i = 0; err == AC_OK && i < p->nt; i++) {
        struct target *t = &p->t[i];
        struct roots *roots = calloc(1, sizeof(*roots));
        char path[AC_PROBE_URL_MAX / 2];

        if (roots == NULL)
            return oom(p);
        root_add(roots, "", 0);
        root_add(roots, t->u.base, strlen(t->u.base));
        for (k = 0; err == AC_OK && k < p->nops; k++) {
            const struct docop *op = &p->ops[k];
            size_t bl = strlen(t->u.base);

            if (!op_on_host(op, t->u.host) ||
                (bl > 0 && (strncmp(op->tmpl, t->u.base, bl) != 0 ||
                            (op->tmpl[bl] != '/' && op->tmpl[bl] != '\0'))))
                continue;
            concrete(op->tmpl, path, sizeof(path));
            /* only safe methods are ever sent: a documented POST is asked with GET */
            err = plan(p, t, "documented", "GET", path, NULL, false);
            if (err == AC_OK)
                err = plan_siblings(p, t, op, roots);
        }
        for (r = 0; err == AC_OK && r < roots->n; r++) {
            for (k = 0; err == AC_OK && k < sizeof(wellknown) / sizeof(wellknown[0]); k++) {
                if (r > 0 && wellknown[k].kind == NULL)
                    continue; /* operations paths at the host root only */
                snprintf(path, sizeof(path), "%s%s", roots->v[r], wellknown[k].path);
                err = plan(p, t, "docs", "GET", path, NULL, false);
            }
            for (k = 0; err == AC_OK && k < p->nwords; k++) {
                snprintf(path, sizeof(path), "%s%s", roots->v[r], p->words[k]);
                err = plan(p, t, "wordlist", "GET", path, NULL, false);
            }
        }
        snprintf(path, sizeof(path), "%s/", t->u.base);
        if (err == AC_OK) {
            char origin[128];

            snprintf(origin, sizeof(origin), "Origin: %s", FOREIGN_ORIGIN);
            err = plan(p, t, "cors", "OPTIONS", path, origin, false);
        }
        free(roots);
    }
    if (err == AC_OK)
        err = run_phase(p);
    if (err == AC_OK)
        err = digest(p);
    return err; /* the answers stay for the bypass and burst phases */
}

/* --- bypass ---------------------------------------------------------------------------------- */

struct denied {
    size_t host;
    char *path;
    char *url;
    int status;
    uint64_t bytes;
};

static const struct target *target_of_host(const struct probe *p, size_t host)
{
    size_t i;

    for (i = 0; i < p->nt; i++)
        if (p->t[i].host == host)
            return &p->t[i];
    return NULL;
}

static enum ac_err phase_bypass(struct probe *p)
{
    struct denied *dn = NULL;
    size_t nd = 0, i, k, *per_host = calloc(p->nh + 1, sizeof(size_t));
    enum ac_err err = AC_OK;

    if (per_host == NULL || (dn = calloc(p->nq + 1, sizeof(*dn))) == NULL) {
        free(per_host);
        return oom(p);
    }
    for (i = 0; i < p->nq; i++) {
        struct ac__probe_req *q = &p->q[i];

        if (!q->answered || (q->status != 401 && q->status != 403) || !beyond_baseline(p, q) ||
            per_host[q->host] >= MAX_BYPASS_ROUTES || q->extra != NULL)
            continue;
        per_host[q->host]++;
        dn[nd].host = q->host;
        dn[nd].path = q->path; /* moved: the request list is cleared below */
        dn[nd].url = q->url;
        q->path = NULL;
        q->url = NULL;
        dn[nd].status = q->status;
        dn[nd].bytes = q->bytes;
        nd++;
    }
    reqs_clear(p);
    for (i = 0; err == AC_OK && i < nd; i++) {
        const struct target *t = target_of_host(p, dn[i].host);

        for (k = 0; t != NULL && err == AC_OK && k < sizeof(bypass_headers) / sizeof(char *); k++) {
            char hdr[AC_PROBE_ROUTE_MAX * 2 + 64];

            if (strstr(bypass_headers[k], "%s") != NULL) {
                /* X-Original-URL: the front asks for "/", the back end serves the header's */
                snprintf(hdr, sizeof(hdr), "X-Original-URL: %s", dn[i].path);
                err = plan(p, t, "bypass", "GET", "/", hdr, false);
            } else {
                err = plan(p, t, "bypass", "GET", dn[i].path, bypass_headers[k], false);
            }
        }
    }
    if (err == AC_OK && p->nq > 0)
        err = run_phase(p);
    for (i = 0; err == AC_OK && i < p->nq; i++) {
        struct ac__probe_req *q = &p->q[i];
        const char *route = q->path;
        struct json_object *j, *before, *after;

        if (!q->answered || q->status < 200 || q->status >= 300 || !beyond_baseline(p, q))
            continue;
        if (strncmp(q->extra, "X-Original-URL: ", 16) == 0)
            route = q->extra + 16;
        for (k = 0; k < nd && !(dn[k].host == q->host && strcmp(dn[k].path, route) == 0); k++)
            ;
        if (k == nd)
            continue;
        j = json_object_new_object();
        before = json_object_new_object();
        after = json_object_new_object();
        json_object_object_add(before, "url", jstr(dn[k].url));
        json_object_object_add(before, "status", json_object_new_int(dn[k].status));
        json_object_object_add(before, "bytes", json_object_new_int64((int64_t)dn[k].bytes));
        json_object_object_add(after, "url", jstr(q->url));
        json_object_object_add(after, "header", jstr(q->extra));
        json_object_object_add(after, "status", json_object_new_int(q->status));
        json_object_object_add(after, "bytes", json_object_new_int64((int64_t)q->bytes));
        json_object_object_add(j, "header", jstr(q->extra));
        json_object_object_add(j, "without", before);
        json_object_object_add(j, "with", after);
        /* one fact per route: the first header that opened it */
        err = add_fact(p, "bypass", q->host, "GET", route, q->status, j);
    }
    for (i = 0; i < nd; i++) {
        free(dn[i].path);
        free(dn[i].url);
    }
    free(dn);
    free(per_host);
    reqs_clear(p);
    return err;
}

/* --- burst ----------------------------------------------------------------------------------- */

/* A cheap documented route of the deployment: a GET without parameters, else any GET. */
static bool burst_route(const struct probe *p, const struct target *t, char *out, size_t cap)
{
    size_t k, bl = strlen(t->u.base);
    int pass;

    for (pass = 0; pass < 2; pass++)
        for (k = 0; k < p->nops; k++) {
            const struct docop *op = &p->ops[k];

            if (strcmp(op->method, "GET") != 0 || !op_on_host(op, t->u.host) ||
                strncmp(op->tmpl, t->u.base, bl) != 0 || (pass == 0 && strchr(op->tmpl, '{')))
                continue;
            concrete(op->tmpl, out, cap);
            return true;
        }
    return false;
}

static enum ac_err phase_burst(struct probe *p)
{
    unsigned n = p->o->burst == 0 ? 20 : p->o->burst, k;
    size_t i, start;
    enum ac_err err = AC_OK;
    char path[AC_PROBE_URL_MAX / 2];

    if (p->o->burst == UINT32_MAX)
        return AC_OK;
    for (i = 0; err == AC_OK && i < p->nt; i++) {
        const struct target *t = &p->t[i];
        unsigned limited = 0, headers = 0, answered = 0;
        struct json_object *j;

        if (!t->inventory || !burst_route(p, t, path, sizeof(path)))
            continue;
        start = p->nq;
        for (k = 0; err == AC_OK && k < n; k++)
            err = plan(p, t, "burst", "GET", path, NULL, true);
        if (err != AC_OK)
            break;
        /* one deployment at a time: a burst is the only load above the rate */
        err = run_phase(p);
        for (k = 0; err == AC_OK && start + k < p->nq; k++) {
            const struct ac__probe_req *q = &p->q[start + k];

            if (!q->answered)
                continue;
            answered++;
            limited += q->status == 429;
            headers += (q->hdr_bits & AC_HDR_RATELIMIT) != 0;
            if ((interesting(q->status) || q->status == 429) && beyond_baseline(p, q))
                err = observe(p, q);
        }
        if (err != AC_OK || p->o->dry_run) {
            reqs_clear(p);
            continue;
        }
        j = json_object_new_object();
        json_object_object_add(j, "url", jstr(p->q[start].url));
        json_object_object_add(j, "requests", json_object_new_int((int)n));
        json_object_object_add(j, "answered", json_object_new_int((int)answered));
        json_object_object_add(j, "status_429", json_object_new_int((int)limited));
        json_object_object_add(j, "ratelimit_headers", json_object_new_int((int)headers));
        json_object_object_add(j, "limited", json_object_new_boolean(limited > 0 || headers > 0));
        if (answered > 0)
            err = add_fact(p, "burst", t->host, "GET", path, limited > 0 ? 429 : 0, j);
        else
            json_object_put(j);
        reqs_clear(p);
    }
    return err;
}

/* --- the run --------------------------------------------------------------------------------- */

static enum ac_err parse_inputs(struct probe *p)
{
    const struct ac_probe_opts *o = p->o;
    const char *wl = o->wordlist != NULL ? o->wordlist : ac__probe_wordlist_txt;
    size_t i, bad = 0;
    enum ac_err err;

    for (i = 0; i < o->ntargets; i++) {
        struct ac__probe_url u;

        if (!ac__probe_parse_url(o->targets[i], strlen(o->targets[i]), &u))
            return ac_diag_set(p->d, AC_EUSAGE, NULL, 0, 0,
                               "'%.200s' is no http(s) base URL (http(s)://host[:port][/path])",
                               o->targets[i]);
        err = add_target(p, &u, NULL, NULL, false, false);
        if (err != AC_OK)
            return err;
    }
    err = ac__probe_words_parse(wl, strlen(wl), &p->words, &p->nwords, &bad);
    if (err != AC_OK)
        return oom(p);
    return AC_OK;
}

/* curl's HOST:PORT:ADDR entries of --resolve, once the targets (and their ports) are known. */
static enum ac_err resolve_entries(struct probe *p)
{
    const struct ac_probe_opts *o = p->o;
    enum ac_err err;
    size_t i, k;

    for (i = 0; i < o->nresolve; i++) {
        char name[AC_PROBE_HOST_MAX + 1], addr[80];
        unsigned port;

        if (!ac__probe_parse_resolve(o->resolve[i], strlen(o->resolve[i]), name, sizeof(name),
                                     &port, addr, sizeof(addr)))
            return ac_diag_set(p->d, AC_EUSAGE, NULL, 0, 0,
                               "--resolve '%.200s': expected NAME:ADDR or NAME:PORT:ADDR",
                               o->resolve[i]);
        if (port != 0) {
            err = add_resolve(p, name, port, addr);
        } else {
            /* every port the probe may use for the name */
            unsigned ports[MAX_TARGETS + 2];
            size_t np = 0, j;

            ports[np++] = 80;
            ports[np++] = 443;
            for (k = 0; k < p->nt; k++) {
                for (j = 0; j < np && ports[j] != p->t[k].u.port; j++)
                    ;
                if (j == np)
                    ports[np++] = p->t[k].u.port;
            }
            for (j = 0, err = AC_OK; err == AC_OK && j < np; j++)
                err = add_resolve(p, name, ports[j], addr);
        }
        if (err != AC_OK)
            return err;
    }
    return AC_OK;
}

static void release(struct probe *p)
{
    size_t i, k;

    reqs_clear(p);
    free(p->q);
    for (i = 0; i < p->nt; i++) {
        free(p->t[i].api);
        free(p->t[i].environment);
    }
    free(p->t);
    free(p->hosts);
    free(p->hi);
    for (i = 0; i < p->nresolve; i++)
        free(p->resolve[i]);
    free(p->resolve);
    ac__probe_words_free(p->words, p->nwords);
    for (i = 0; i < p->nops; i++) {
        free(p->ops[i].method);
        free(p->ops[i].tmpl);
        free(p->ops[i].version);
        free(p->ops[i].api);
        for (k = 0; k < p->ops[i].nhosts; k++)
            free(p->ops[i].hosts[k]);
        free(p->ops[i].hosts);
    }
    free(p->ops);
    ac__domains_free(&p->dom);
    ac__probe_runner_free(p->run);
    ac__shaping_close(p->sh);
    ac__agg_free(p->agg);
    free(p->facts);
    for (i = 0; i < p->nmem; i++)
        free(p->fact_mem[i]);
    free(p->fact_mem);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static unsigned digits(const char *s, size_t n)
{
    unsigned v = 0;
    size_t i;

    for (i = 0; i < n; i++)
        v = v * 10 + (unsigned)(s[i] - '0');
    return v;
}

/* The time recorded: --now (YYYY-MM-DDTHH:MM:SSZ, as the CLI normalises it) or the clock. */
static void set_now(struct probe *p)
{
    time_t t = time(NULL);
    struct tm tm;
    const char *n = p->o->now;

    if (n != NULL && strlen(n) == 20 && n[4] == '-' && n[10] == 'T') {
        snprintf(p->now, sizeof(p->now), "%s", n);
        p->now_unix = days_from_civil(digits(n, 4), digits(n + 5, 2), digits(n + 8, 2)) * 86400 +
                      digits(n + 11, 2) * 3600 + digits(n + 14, 2) * 60 + digits(n + 17, 2);
        return;
    }
    gmtime_r(&t, &tm);
    strftime(p->now, sizeof(p->now), "%Y-%m-%dT%H:%M:%SZ", &tm);
    p->now_unix = (int64_t)t;
}

static enum ac_err commit(struct probe *p)
{
    struct ac_batch b;
    struct ac_batch_result res;
    const char **hosts = NULL;
    uint64_t endpoints = 0;
    size_t i;
    enum ac_err err = AC_OK;

    memset(&b, 0, sizeof(b));
    memset(&res, 0, sizeof(res));
    b.source = "probe";
    b.now = p->now;
    err = ac__shaping_commit(p->sh, p->agg, &b, &res, p->d);
    if (err == AC_OK)
        err = ac__shaping_derive(p->sh, &endpoints, p->d);
    if (err != AC_OK)
        return err;
    if (p->s->ops->probe_save == NULL)
        return p->nfacts == 0
                   ? AC_OK
                   : ac_diag_set(p->d, AC_EUSAGE, NULL, 0, 0, "this store keeps no probe results");
    hosts = calloc(p->nh + 1, sizeof(*hosts));
    if (hosts == NULL)
        return oom(p);
    for (i = 0; i < p->nh; i++)
        hosts[i] = p->hosts[i].name;
    err = p->s->ops->probe_save(p->s, hosts, p->nh, p->facts, p->nfacts, p->now, p->d);
    free(hosts);
    return err;
}

enum ac_err ac_probe(struct ac_store *s, const struct ac_probe_opts *o, struct ac_probe_stats *st,
                     struct ac_diag *d)
{
    struct probe p;
    uint64_t stamp = 0;
    struct timespec t0, t1;
    enum ac_err err;

    memset(st, 0, sizeof(*st));
    memset(&p, 0, sizeof(p));
    clock_gettime(CLOCK_MONOTONIC, &t0);
    p.s = s;
    p.o = o;
    p.st = st;
    p.d = d;
    set_now(&p);
    p.seed = XXH3_64bits(p.now, strlen(p.now));
    err = parse_inputs(&p);
    if (err == AC_OK && !o->no_inventory)
        err = load_deployments(&p);
    if (err == AC_OK)
        err = resolve_entries(&p);
    if (err == AC_OK)
        err = load_operations(&p);
    if (err == AC_OK)
        err = s->ops->domains(s, &p.dom, d);
    if (err == AC_OK && p.nt == 0 && p.dom.n == 0)
        err = ac_diag_set(d, AC_EUSAGE, NULL, 0, 0,
                          "nothing to probe: no deployment in the store, no --target and no "
                          "organisation.domains for candidate hosts");
    if (err == AC_OK)
        err = ac__shaping_open(s, &p.sh, &stamp, d);
    if (err == AC_OK && (p.agg = ac__agg_new()) == NULL)
        err = oom(&p);
    if (err == AC_OK)
        err = phase_candidates(&p);
    st->hosts = p.nt;
    if (err == AC_OK)
        err = phase_baseline(&p);
    if (err == AC_OK)
        err = phase_discovery(&p);
    if (err == AC_OK)
        err = phase_bypass(&p);
    if (err == AC_OK)
        err = phase_burst(&p);
    if (err == AC_OK && !o->dry_run)
        err = commit(&p);
    release(&p);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    st->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return err;
}

const char *ac_probe_wordlist(void)
{
    return ac__probe_wordlist_txt;
}
