/* test_aggregate.c - the per-thread observation tables of an ingest (aggregate.h): the busiest
 * client of each observation, exact merging (also under other templates), the smallest sample
 * paths and query names, the fixed-template cache, reset and the requests per hour.
 *
 * Every figure is checked against a brute-force computation made here from the requests the
 * test generated (a seeded xorshift); merged aggregators also against one that saw every request.
 * The aggregator takes shortcuts for speed in several places (a direct-mapped recent-pairs cache,
 * bucketed grouping of the pairs, a direct-mapped cache of template addresses, first-8-byte
 * comparisons of samples) that must still give the exact figures a user reads in the inventory
 * (busiest client, first/last seen, samples), so the workloads are sized for those caches to
 * overflow and collide.
 *
 * A value that is a proper prefix of the last one kept is smaller than it and is kept (an
 * earlier keep_smallest_at() dropped it when the array was full, which made merging depend on
 * the order: "/users/1" after "/users/10", "/users/11", "/users/12"), so every order of every
 * workload is checked, prefixes included.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "aggregate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* --- helpers ---------------------------------------------------------------------------- */

/* xorshift64*: reproducible pseudo-random numbers. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * UINT64_C(0x2545F4914F6CDD1D);
}

static size_t rng_below(uint64_t *s, size_t n)
{
    return (size_t)(rng_next(s) % n);
}

/* A number below n, most often a small one (the product of two uniform numbers): a few clients
 * or endpoints make most requests, as in real traffic. */
static size_t rng_skewed(uint64_t *s, size_t n)
{
    uint64_t u = rng_below(s, n) + 1, v = rng_below(s, n) + 1;

    return (size_t)((u * v - 1) / n);
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t p = *(const uint64_t *)x, q = *(const uint64_t *)y;

    return p < q ? -1 : p > q;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* An endpoint: the key of one observation. */
struct ep {
    const char *host, *method, *tmpl;
    bool fixed; /* give tmpl as a fixed template (its address names it) */
};

/* How a client is given to the aggregator. */
enum client_how {
    CLIENT_HASHED, /* client_hash only (chosen here: the aggregator takes it as given) */
    CLIENT_SLICE,  /* the address, hashed by the aggregator */
    CLIENT_EITHER  /* either, request by request, with client_hash = XXH3_64bits(address) */
};

struct client {
    uint64_t hash; /* what the aggregator counts the client by */
    char addr[40];
    enum client_how how;
};

/* n clients with distinct hashes; one in eight shares the top 11 bits of its hash with the
 * others of its kind (one bucket of the grouping), one in eight differs from the others of its
 * kind in its low bits only (one bucket, and one slot of the recent-pairs cache). */
static struct client *make_clients(size_t n, uint64_t *seed)
{
    struct client *c = calloc(n, sizeof(*c));
    uint64_t *h = malloc(n * sizeof(*h));
    size_t i;

    assert_non_null(c);
    assert_non_null(h);
    for (i = 0; i < n; i++) {
        snprintf(c[i].addr, sizeof(c[i].addr), "10.%u.%u.%u", (unsigned)(i >> 16 & 255),
                 (unsigned)(i >> 8 & 255), (unsigned)(i & 255));
        switch (i % 8) {
        case 4:
            c[i].hash = (UINT64_C(0x5A5) << 53) | (rng_next(seed) >> 11);
            break;
        case 5:
            c[i].hash = UINT64_C(0xC0FFEE0000000000) ^ (uint64_t)i;
            break;
        case 6:
            snprintf(c[i].addr, sizeof(c[i].addr), "198.%u.%u.%u", (unsigned)(i >> 16 & 255),
                     (unsigned)(i >> 8 & 255), (unsigned)(i & 255));
            c[i].how = CLIENT_SLICE;
            c[i].hash = XXH3_64bits(c[i].addr, strlen(c[i].addr));
            break;
        case 7:
            snprintf(c[i].addr, sizeof(c[i].addr), "2001:db8::%x", (unsigned)i);
            c[i].how = CLIENT_EITHER;
            c[i].hash = XXH3_64bits(c[i].addr, strlen(c[i].addr));
            break;
        default:
            c[i].hash = rng_next(seed);
            break;
        }
        h[i] = c[i].hash;
    }
    qsort(h, n, sizeof(*h), cmp_u64);
    for (i = 1; i < n; i++)
        assert_true(h[i] != h[i - 1]);
    free(h);
    return c;
}

/* One request, as the test generates it. */
struct req {
    uint32_t ep;     /* index into the test's endpoints */
    uint32_t client; /* index into the test's clients, or UINT32_MAX for none */
    int64_t time;    /* -1: none */
    int status;
    const char *path;  /* NUL-terminated */
    const char *query; /* NULL: none */
    bool hashed;       /* CLIENT_EITHER: give the hash this time */
};

/* Add q to a, built as the pipeline builds its hits. */
static void add_req(struct ac_agg *a, const struct ep *e, const struct client *c,
                    const struct req *q)
{
    struct ac_request r;
    struct ac_hit h;

    ac__request_clear(&r);
    r.time = q->time;
    r.status = q->status;
    r.method.p = e->method;
    r.method.n = strlen(e->method);
    h = (struct ac_hit){.host = e->host,
                        .host_len = strlen(e->host),
                        .method = e->method,
                        .method_len = strlen(e->method),
                        .tmpl = e->tmpl,
                        .tmpl_fixed = e->fixed,
                        .operation = -1,
                        .path = q->path,
                        .path_len = strlen(q->path),
                        .req = &r};
    if (q->query != NULL) {
        h.query.p = q->query;
        h.query.n = strlen(q->query);
    }
    if (c != NULL) {
        r.client.p = c->addr;
        r.client.n = strlen(c->addr);
        h.client = r.client;
        h.client_hashed = c->how == CLIENT_HASHED || (c->how == CLIENT_EITHER && q->hashed);
        h.client_hash = h.client_hashed ? c->hash : 0;
    }
    assert_int_equal(ac__agg_add(a, &h), AC_OK);
}

/* The observation of (host, method, tmpl) in a, or NULL; its index in *at. */
static const struct ac_obs *find_obs(const struct ac_agg *a, const char *host, const char *method,
                                     const char *tmpl, size_t *at)
{
    size_t i, n = ac__agg_count(a);

    for (i = 0; i < n; i++) {
        const struct ac_obs *o = ac__agg_get(a, i);

        if (strcmp(o->host, host) == 0 && strcmp(o->method, method) == 0 &&
            strcmp(o->tmpl, tmpl) == 0) {
            if (at != NULL)
                *at = i;
            return o;
        }
    }
    return NULL;
}

/* The endpoint of each observation of a (eps[map[i]] is observation i), every one found once. */
static size_t *map_obs(const struct ac_agg *a, const struct ep *eps, size_t neps)
{
    size_t i, j, n = ac__agg_count(a);
    size_t *map = malloc((n + 1) * sizeof(*map));

    assert_non_null(map);
    for (i = 0; i < n; i++) {
        const struct ac_obs *o = ac__agg_get(a, i);

        for (j = 0; j < neps; j++)
            if (strcmp(o->host, eps[j].host) == 0 && strcmp(o->method, eps[j].method) == 0 &&
                strcmp(o->tmpl, eps[j].tmpl) == 0)
                break;
        assert_true(j < neps);
        map[i] = j;
    }
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++)
            assert_true(map[i] != map[j]);
    return map;
}

/* The status classes of aggregate.h, worked out independently. */
static enum ac_status_class class_of(int st)
{
    if (st >= 200 && st <= 299)
        return AC_ST_2XX;
    if (st >= 300 && st <= 399)
        return AC_ST_3XX;
    if (st == 401)
        return AC_ST_401;
    if (st == 403)
        return AC_ST_403;
    if (st == 404)
        return AC_ST_404;
    if (st == 429)
        return AC_ST_429;
    if (st >= 400 && st <= 499)
        return AC_ST_4XX;
    if (st >= 500 && st <= 599)
        return AC_ST_5XX;
    return AC_ST_OTHER;
}

/* --- the smallest distinct values (samples, query names) ------------------------------ */

/* The contract: the smallest `cap` distinct values of vals[0..n), each cut at `cut` bytes,
 * sorted (*nout of them, malloc'd). */
static char **smallest_distinct(const char *const *vals, size_t n, size_t cut, size_t cap,
                                size_t *nout)
{
    char **all = malloc((n + 1) * sizeof(*all));
    size_t i, k = 0;

    assert_non_null(all);
    for (i = 0; i < n; i++) {
        all[i] = strndup(vals[i], cut);
        assert_non_null(all[i]);
    }
    qsort(all, n, sizeof(*all), cmp_str);
    for (i = 0; i < n; i++) {
        if (k < cap && (k == 0 || strcmp(all[k - 1], all[i]) != 0))
            all[k++] = all[i];
        else
            free(all[i]);
    }
    *nout = k;
    return all;
}

static void free_strs(char **v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* got[0..cap) holds want[0..nwant), then NULLs. */
static void assert_kept(const char *const *got, size_t cap, char *const *want, size_t nwant)
{
    size_t i;

    for (i = 0; i < cap; i++) {
        if (i < nwant) {
            assert_non_null(got[i]);
            assert_string_equal(got[i], want[i]);
        } else {
            assert_null(got[i]);
        }
    }
}

/* The parameter names of a query string, in order, appended to names[*n..] (malloc'd):
 * the text before '=' or '&', empty ones skipped. */
static void query_names(const char *q, char **names, size_t *n)
{
    const char *p = q;

    while (*p != '\0') {
        size_t len = strcspn(p, "&="), rest;

        if (len > 0) {
            names[*n] = strndup(p, len);
            assert_non_null(names[*n]);
            (*n)++;
        }
        rest = strcspn(p, "&");
        p += rest;
        if (*p == '&')
            p++;
    }
}

/* --- 1. busiest client ------------------------------------------------------------------ */

#define BUSY_CLIENTS 40000u
#define BUSY_REQUESTS 1000000u

static const struct ep busy_eps[] = {
    {"api.example.com", "GET", "/users/{id}", true},
    {"api.example.com", "POST", "/users/{id}", true},
    {"api.example.com", "GET", "/users", false},
    {"shop.example.net", "GET", "/users/{id}", false},
    {"shop.example.net", "DELETE", "/cart/{item}", true},
    {"", "GET", "/health", false},
};
#define BUSY_EPS (sizeof(busy_eps) / sizeof(busy_eps[0]))

/* A million requests of tens of thousands of clients to a few endpoints, a skewed mix with runs
 * of one client: each observation's busiest client is the one with the most requests to it. */
static void test_busiest_client(void **state)
{
    uint64_t seed = UINT64_C(0x9E3779B97F4A7C15);
    struct client *cl = make_clients(BUSY_CLIENTS, &seed);
    uint32_t *counts = calloc(BUSY_EPS * BUSY_CLIENTS, sizeof(*counts));
    uint64_t per_ep[BUSY_EPS] = {0}, busiest[BUSY_EPS] = {0};
    struct ac_agg *a = ac__agg_new();
    struct req q = {.status = 200, .path = "/p"};
    size_t i, j, *map;

    (void)state;
    assert_non_null(counts);
    assert_non_null(a);
    for (i = 0; i < BUSY_REQUESTS; i++) {
        if (i == 0 || rng_below(&seed, 4) != 0) { /* else the previous client again */
            q.ep = (uint32_t)rng_skewed(&seed, BUSY_EPS);
            q.client = (uint32_t)rng_skewed(&seed, BUSY_CLIENTS);
        }
        q.time = 1700000000 + (int64_t)(i / 64);
        q.hashed = (rng_next(&seed) & 1) != 0;
        add_req(a, &busy_eps[q.ep], &cl[q.client], &q);
        counts[q.ep * BUSY_CLIENTS + q.client]++;
        per_ep[q.ep]++;
    }
    for (i = 0; i < BUSY_EPS; i++)
        for (j = 0; j < BUSY_CLIENTS; j++)
            if (counts[i * BUSY_CLIENTS + j] > busiest[i])
                busiest[i] = counts[i * BUSY_CLIENTS + j];
    ac__agg_finish(a);
    assert_int_equal(ac__agg_count(a), BUSY_EPS);
    map = map_obs(a, busy_eps, BUSY_EPS);
    for (i = 0; i < BUSY_EPS; i++) {
        const struct ac_obs *o = ac__agg_get(a, i);

        assert_int_equal(o->count, per_ep[map[i]]);
        assert_int_equal(o->busiest_client, busiest[map[i]]);
    }
    /* the mix is skewed but no endpoint is one client's alone */
    for (i = 0; i < BUSY_EPS; i++)
        assert_true(busiest[i] > 1 && busiest[i] < per_ep[i] / 4);
    free(map);
    ac__agg_free(a);
    free(counts);
    free(cl);
}

/* Requests to one endpoint only, from clients of one bucket that differ in their low bits only,
 * each client's requests in a run of its own or spread out: exact counts. */
static void test_busiest_client_one_bucket(void **state)
{
    static const struct ep e = {"h", "GET", "/x", false};
    uint64_t seed = 42;
    struct client c[512];
    uint32_t counts[512] = {0}, most = 0, total = 0;
    struct ac_agg *a = ac__agg_new();
    struct req q = {.ep = 0, .status = 200, .path = "/x", .time = -1};
    size_t i, k;

    (void)state;
    assert_non_null(a);
    memset(c, 0, sizeof(c));
    for (i = 0; i < 512; i++) {
        c[i].hash = UINT64_C(0x8000000000000000) | (uint64_t)i; /* one bucket, one cache slot */
        snprintf(c[i].addr, sizeof(c[i].addr), "c%u", (unsigned)i);
    }
    for (i = 0; i < 512; i++) { /* a run each */
        for (k = 0; k < i % 7; k++) {
            q.client = (uint32_t)i;
            add_req(a, &e, &c[i], &q);
            counts[i]++;
            total++;
        }
    }
    for (i = 0; i < 20000; i++) { /* interleaved */
        q.client = (uint32_t)rng_skewed(&seed, 512);
        add_req(a, &e, &c[q.client], &q);
        counts[q.client]++;
        total++;
    }
    for (i = 0; i < 512; i++)
        if (counts[i] > most)
            most = counts[i];
    ac__agg_finish(a);
    assert_int_equal(ac__agg_count(a), 1);
    assert_int_equal(ac__agg_get(a, 0)->busiest_client, most);
    assert_int_equal(ac__agg_get(a, 0)->count, total);
    ac__agg_free(a);
}

/* --- 2. merging ------------------------------------------------------------------------- */

#define MERGE_REQUESTS 150000u
#define MERGE_CLIENTS 3000u
#define MERGE_PATHS 64u

static const struct ep merge_eps[] = {
    {"api.example.com", "GET", "/users/{id}", true},
    {"api.example.com", "POST", "/users/{id}", false},
    {"api.example.com", "GET", "/users", true},
    {"shop.example.net", "GET", "/users/{id}", false},
    {"shop.example.net", "DELETE", "/cart/{item}", true},
    {"", "GET", "/health", false},
    {"api.example.com", "GET", "/a/very/long/template/{a}/{b}/{c}/{d}", false},
};
#define MERGE_EPS (sizeof(merge_eps) / sizeof(merge_eps[0]))

static const int statuses[] = {200, 201, 204, 301, 304, 401, 403, 404,
                               429, 400, 422, 500, 503, 0,   102, 700};

/* The workload of the merge test: its requests, their paths ("/items/<letters>.json") and query
 * strings (three-letter names). */
struct workload {
    struct req *reqs;
    size_t n;
    struct client *clients;
    char paths[MERGE_EPS][MERGE_PATHS][40];
    char queries[256][40];
};

static struct workload *make_workload(uint64_t seed)
{
    struct workload *w = calloc(1, sizeof(*w));
    size_t i, e, k, len;

    assert_non_null(w);
    w->clients = make_clients(MERGE_CLIENTS, &seed);
    for (e = 0; e < MERGE_EPS; e++)
        for (i = 0; i < MERGE_PATHS; i++) {
            char mid[16];

            len = 1 + rng_below(&seed, 12);
            for (k = 0; k < len; k++)
                mid[k] = "abcxyz/0"[rng_below(&seed, 8)];
            mid[len] = '\0';
            snprintf(w->paths[e][i], sizeof(w->paths[e][i]), "/items/%s.json", mid);
        }
    for (i = 0; i < 256; i++) {
        size_t names = 1 + rng_below(&seed, 4), at = 0;

        for (k = 0; k < names; k++) {
            char name[4] = {"abcdef"[rng_below(&seed, 6)], "abcdef"[rng_below(&seed, 6)],
                            "abcdef"[rng_below(&seed, 6)], '\0'};

            at += (size_t)snprintf(w->queries[i] + at, sizeof(w->queries[i]) - at, "%s%s%s",
                                   k > 0 ? "&" : "", name, rng_below(&seed, 2) ? "=1" : "");
        }
    }
    w->n = MERGE_REQUESTS;
    w->reqs = calloc(w->n, sizeof(*w->reqs));
    assert_non_null(w->reqs);
    for (i = 0; i < w->n; i++) {
        struct req *q = &w->reqs[i];

        q->ep = (uint32_t)rng_skewed(&seed, MERGE_EPS);
        q->client = (uint32_t)rng_skewed(&seed, MERGE_CLIENTS);
        q->time = 1700000000 + (int64_t)i * 3 + (int64_t)rng_below(&seed, 7200) - 3600;
        if (rng_below(&seed, 50) == 0)
            q->time = -1;
        q->status = statuses[rng_below(&seed, sizeof(statuses) / sizeof(statuses[0]))];
        q->path = w->paths[q->ep][rng_skewed(&seed, MERGE_PATHS)];
        q->query = q->ep % 3 == 0 ? NULL : w->queries[rng_below(&seed, 256)];
        q->hashed = (rng_next(&seed) & 1) != 0;
    }
    return w;
}

static void free_workload(struct workload *w)
{
    free(w->reqs);
    free(w->clients);
    free(w);
}

static void add_reqs(struct ac_agg *a, const struct workload *w, const struct req *reqs, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        add_req(a, &merge_eps[reqs[i].ep], &w->clients[reqs[i].client], &reqs[i]);
}

/* The hours of a, each record's observation replaced by the index of its endpoint, sorted. */
static struct ac_hour *hours_by_ep(const struct ac_agg *a, size_t *n)
{
    const struct ac_hour *h;
    size_t *map = map_obs(a, merge_eps, MERGE_EPS), i, k;
    struct ac_hour *out, t;

    *n = ac__agg_hours(a, &h);
    out = malloc((*n + 1) * sizeof(*out));
    assert_non_null(out);
    for (i = 0; i < *n; i++) {
        out[i] = h[i];
        out[i].obs = (uint32_t)map[h[i].obs];
    }
    for (i = 1; i < *n; i++) /* insertion sort: the records are sorted but for the mapping */
        for (k = i; k > 0 && (out[k - 1].obs > out[k].obs ||
                              (out[k - 1].obs == out[k].obs && out[k - 1].hour > out[k].hour));
             k--) {
            t = out[k];
            out[k] = out[k - 1];
            out[k - 1] = t;
        }
    free(map);
    return out;
}

/* got holds the same observations as ref, and the same requests per hour. */
static void assert_same_aggs(const struct ac_agg *ref, const struct ac_agg *got)
{
    size_t i, k, nr, ng;
    struct ac_hour *hr, *hg;

    assert_int_equal(ac__agg_count(got), ac__agg_count(ref));
    for (i = 0; i < ac__agg_count(ref); i++) {
        const struct ac_obs *r = ac__agg_get(ref, i);
        const struct ac_obs *g = find_obs(got, r->host, r->method, r->tmpl, NULL);

        assert_non_null(g);
        assert_int_equal(g->count, r->count);
        for (k = 0; k < AC_ST_COUNT; k++)
            assert_int_equal(g->status[k], r->status[k]);
        assert_int_equal(g->first_seen, r->first_seen);
        assert_int_equal(g->last_seen, r->last_seen);
        assert_int_equal(g->busiest_client, r->busiest_client);
        for (k = 0; k < AC_AGG_SAMPLES; k++) {
            assert_true((g->samples[k] == NULL) == (r->samples[k] == NULL));
            if (r->samples[k] != NULL)
                assert_string_equal(g->samples[k], r->samples[k]);
        }
        assert_true((g->query == NULL) == (r->query == NULL));
        for (k = 0; r->query != NULL && k < AC_AGG_QUERY_NAMES; k++) {
            assert_true((g->query[k] == NULL) == (r->query[k] == NULL));
            if (r->query[k] != NULL)
                assert_string_equal(g->query[k], r->query[k]);
        }
    }
    hr = hours_by_ep(ref, &nr);
    hg = hours_by_ep(got, &ng);
    assert_int_equal(ng, nr);
    for (i = 0; i < nr; i++) {
        assert_int_equal(hg[i].obs, hr[i].obs);
        assert_int_equal(hg[i].hour, hr[i].hour);
        assert_int_equal(hg[i].count, hr[i].count);
    }
    free(hr);
    free(hg);
}

/* The aggregator that saw all of w's requests against a brute force over them. */
static void assert_workload_figures(const struct ac_agg *a, const struct workload *w)
{
    uint32_t *counts = calloc(MERGE_EPS * MERGE_CLIENTS, sizeof(*counts));
    uint64_t count[MERGE_EPS] = {0}, busiest[MERGE_EPS] = {0}, st[MERGE_EPS][AC_ST_COUNT];
    int64_t first[MERGE_EPS], last[MERGE_EPS];
    const char **paths = malloc(w->n * sizeof(*paths));
    char **names = malloc(w->n * 4 * sizeof(*names));
    size_t i, e, k, np, nn, nwant, *map;
    char **want;

    assert_non_null(counts);
    assert_non_null(paths);
    assert_non_null(names);
    memset(st, 0, sizeof(st));
    for (e = 0; e < MERGE_EPS; e++)
        first[e] = last[e] = -1;
    for (i = 0; i < w->n; i++) {
        const struct req *q = &w->reqs[i];

        count[q->ep]++;
        st[q->ep][class_of(q->status)]++;
        if (++counts[q->ep * MERGE_CLIENTS + q->client] > busiest[q->ep])
            busiest[q->ep] = counts[q->ep * MERGE_CLIENTS + q->client];
        if (q->time >= 0 && (first[q->ep] < 0 || q->time < first[q->ep]))
            first[q->ep] = q->time;
        if (q->time > last[q->ep])
            last[q->ep] = q->time;
    }
    assert_int_equal(ac__agg_count(a), MERGE_EPS);
    map = map_obs(a, merge_eps, MERGE_EPS);
    for (i = 0; i < MERGE_EPS; i++) {
        const struct ac_obs *o = ac__agg_get(a, i);

        e = map[i];
        assert_int_equal(o->count, count[e]);
        for (k = 0; k < AC_ST_COUNT; k++)
            assert_int_equal(o->status[k], st[e][k]);
        assert_int_equal(o->busiest_client, busiest[e]);
        assert_int_equal(o->first_seen, first[e]);
        assert_int_equal(o->last_seen, last[e]);
        for (np = nn = 0; np < w->n; np++)
            if (w->reqs[np].ep == e)
                paths[nn++] = w->reqs[np].path;
        want = smallest_distinct(paths, nn, AC_AGG_SAMPLE_MAX, AC_AGG_SAMPLES, &nwant);
        assert_int_equal(nwant, AC_AGG_SAMPLES);
        assert_kept(o->samples, AC_AGG_SAMPLES, want, nwant);
        free_strs(want, nwant);
        for (np = nn = 0; np < w->n; np++)
            if (w->reqs[np].ep == e && w->reqs[np].query != NULL)
                query_names(w->reqs[np].query, names, &nn);
        if (nn == 0) {
            assert_null(o->query);
            continue;
        }
        want = smallest_distinct((const char *const *)names, nn, 64, AC_AGG_QUERY_NAMES, &nwant);
        assert_int_equal(nwant, AC_AGG_QUERY_NAMES);
        assert_non_null(o->query);
        assert_kept(o->query, AC_AGG_QUERY_NAMES, want, nwant);
        free_strs(want, nwant);
        for (np = 0; np < nn; np++)
            free(names[np]);
    }
    free(map);
    free(names);
    free(paths);
    free(counts);
}

/* The same requests split between two aggregators in any way, merged (into a third or into one
 * of them, in either order) and finished, give what one aggregator that saw them all gives. */
static void test_merge(void **state)
{
    struct workload *w = make_workload(7);
    struct ac_agg *ref = ac__agg_new();
    struct req *part[2];
    size_t n[2], i, round;
    uint64_t seed = 99;

    (void)state;
    assert_non_null(ref);
    part[0] = malloc(w->n * sizeof(*part[0]));
    part[1] = malloc(w->n * sizeof(*part[1]));
    assert_non_null(part[0]);
    assert_non_null(part[1]);
    add_reqs(ref, w, w->reqs, w->n);
    ac__agg_finish(ref);
    assert_workload_figures(ref, w);
    for (round = 0; round < 5; round++) {
        struct ac_agg *x = ac__agg_new(), *y = ac__agg_new(), *z = ac__agg_new(), *got;
        /* the share of requests that go to the first part: half, a tenth, all, none, half */
        static const unsigned share[] = {50, 10, 100, 0, 50};

        assert_non_null(x);
        assert_non_null(y);
        assert_non_null(z);
        n[0] = n[1] = 0;
        for (i = 0; i < w->n; i++) {
            int p = rng_below(&seed, 100) < share[round] ? 0 : 1;

            part[p][n[p]++] = w->reqs[i];
        }
        add_reqs(x, w, part[0], n[0]);
        add_reqs(y, w, part[1], n[1]);
        switch (round) {
        case 0: /* into a third, in both orders */
        case 2:
            assert_int_equal(ac__agg_merge(z, x), AC_OK);
            assert_int_equal(ac__agg_merge(z, y), AC_OK);
            got = z;
            break;
        case 3:
            assert_int_equal(ac__agg_merge(z, y), AC_OK);
            assert_int_equal(ac__agg_merge(z, x), AC_OK);
            got = z;
            break;
        case 1: /* into one of them */
            assert_int_equal(ac__agg_merge(x, y), AC_OK);
            got = x;
            break;
        default:
            assert_int_equal(ac__agg_merge(y, x), AC_OK);
            got = y;
            break;
        }
        ac__agg_finish(got);
        assert_same_aggs(ref, got);
        ac__agg_free(x);
        ac__agg_free(y);
        ac__agg_free(z);
    }
    free(part[0]);
    free(part[1]);
    ac__agg_free(ref);
    free_workload(w);
}

/* merge_as: two templates of `from` under one: their counts add, and their per-client counts
 * add (with those of the template already in `into`) before the busiest client is taken. */
/* Merging by reference (the records read where they are when the result is finished) gives
 * what one aggregator of every request gives: into a third, into one of the parts (its own
 * records beside the other's), mixed with a copying merge, with an empty part, and again after
 * a reset that forgets the references. */
static void test_merge_ref(void **state)
{
    struct workload *w = make_workload(11);
    struct ac_agg *ref = ac__agg_new();
    struct req *part[3];
    size_t n[3], i, round, k;
    uint64_t seed = 7;

    (void)state;
    assert_non_null(ref);
    for (k = 0; k < 3; k++) {
        part[k] = malloc(w->n * sizeof(*part[k]));
        assert_non_null(part[k]);
    }
    add_reqs(ref, w, w->reqs, w->n);
    ac__agg_finish(ref);
    for (round = 0; round < 5; round++) {
        struct ac_agg *x = ac__agg_new(), *y = ac__agg_new(), *u = ac__agg_new(),
                      *z = ac__agg_new(), *got = z;

        assert_true(x != NULL && y != NULL && u != NULL && z != NULL);
        n[0] = n[1] = n[2] = 0;
        for (i = 0; i < w->n; i++) {
            size_t p = round == 3 ? rng_below(&seed, 2) : rng_below(&seed, 3); /* 3: u empty */

            part[p][n[p]++] = w->reqs[i];
        }
        add_reqs(x, w, part[0], n[0]);
        add_reqs(y, w, part[1], n[1]);
        add_reqs(u, w, part[2], n[2]);
        switch (round) {
        case 0:
        case 3:
            assert_int_equal(ac__agg_merge_ref(z, x, NULL), AC_OK);
            assert_int_equal(ac__agg_merge_ref(z, y, NULL), AC_OK);
            assert_int_equal(ac__agg_merge_ref(z, u, NULL), AC_OK);
            break;
        case 1:
            assert_int_equal(ac__agg_merge_ref(x, y, NULL), AC_OK);
            assert_int_equal(ac__agg_merge_ref(x, u, NULL), AC_OK);
            got = x;
            break;
        case 2:
            assert_int_equal(ac__agg_merge_ref(z, x, NULL), AC_OK);
            assert_int_equal(ac__agg_merge_as(z, y, NULL), AC_OK);
            assert_int_equal(ac__agg_merge_ref(z, u, NULL), AC_OK);
            break;
        default: /* a reset forgets the references; merged again, the same */
            assert_int_equal(ac__agg_merge_ref(z, x, NULL), AC_OK);
            ac__agg_reset(z);
            assert_int_equal(ac__agg_count(z), 0);
            assert_int_equal(ac__agg_merge_ref(z, x, NULL), AC_OK);
            assert_int_equal(ac__agg_merge_ref(z, y, NULL), AC_OK);
            assert_int_equal(ac__agg_merge_ref(z, u, NULL), AC_OK);
            break;
        }
        ac__agg_finish(got);
        assert_same_aggs(ref, got);
        ac__agg_free(z); /* before the parts it refers to, as a batch's end does */
        ac__agg_free(x);
        ac__agg_free(y);
        ac__agg_free(u);
    }
    for (k = 0; k < 3; k++)
        free(part[k]);
    ac__agg_free(ref);
    free_workload(w);
}

static void test_merge_as(void **state)
{
    static const struct ep eps[] = {
        {"api.example.com", "GET", "/users/1", true},
        {"api.example.com", "GET", "/users/2", false},
        {"api.example.com", "GET", "/other", false},
        {"api.example.com", "GET", "/users/{id}", false}, /* in `into` only */
    };
    uint64_t seed = 5;
    struct client *cl = make_clients(200, &seed);
    uint32_t per[4][200];
    size_t i, k, round, at = 0;
    char path[32];

    (void)state;
    for (round = 0; round < 2; round++) { /* `into` empty, then with requests of its own */
        struct ac_agg *from = ac__agg_new(), *into = ac__agg_new();
        const char **tmpls;
        uint64_t count[4] = {0}, most_merged = 0, most[4] = {0};
        const struct ac_obs *o;
        struct req q = {.status = 200, .time = 1700000000};

        assert_non_null(from);
        assert_non_null(into);
        memset(per, 0, sizeof(per));
        for (i = 0; i < 20000; i++) {
            q.ep = (uint32_t)rng_below(&seed, round == 0 ? 3 : 4);
            q.client = (uint32_t)(10 + rng_below(&seed, 190));
            /* client 7: many requests to each template; client 8: more to one only; client 9
             * (second round): requests to all three, most of all when they are summed */
            if (i % 5 == 0)
                q.client = 7 + (uint32_t)rng_below(&seed, round == 0 ? 2 : 3);
            if ((q.client == 8 && q.ep != 0) || (q.client == 7 && q.ep == 2))
                continue;
            snprintf(path, sizeof(path), "/p/%03u", (unsigned)rng_below(&seed, 500));
            q.path = path;
            q.time++;
            add_req(q.ep == 3 ? into : from, &eps[q.ep], &cl[q.client], &q);
            per[q.ep][q.client]++;
            count[q.ep]++;
        }
        for (k = 0; k < 4; k++)
            for (i = 0; i < 200; i++)
                if (per[k][i] > most[k])
                    most[k] = per[k][i];
        for (i = 0; i < 200; i++)
            if (per[0][i] + per[1][i] + per[3][i] > most_merged)
                most_merged = per[0][i] + per[1][i] + per[3][i];
        /* the figure is not any single template's */
        assert_true(most_merged > most[0] && most_merged > most[1] && most_merged > most[3]);
        tmpls = calloc(ac__agg_count(from), sizeof(*tmpls));
        assert_non_null(tmpls);
        assert_non_null(find_obs(from, "api.example.com", "GET", "/users/1", &at));
        tmpls[at] = "/users/{id}";
        assert_non_null(find_obs(from, "api.example.com", "GET", "/users/2", &at));
        tmpls[at] = "/users/{id}";
        assert_int_equal(ac__agg_merge_as(into, from, tmpls), AC_OK);
        free(tmpls);
        ac__agg_finish(into);
        assert_int_equal(ac__agg_count(into), 2);
        o = find_obs(into, "api.example.com", "GET", "/users/{id}", NULL);
        assert_non_null(o);
        assert_int_equal(o->count, count[0] + count[1] + count[3]);
        assert_int_equal(o->busiest_client, most_merged);
        assert_int_equal(o->status[AC_ST_2XX], o->count);
        assert_string_equal(o->samples[0], "/p/000");
        o = find_obs(into, "api.example.com", "GET", "/other", NULL);
        assert_non_null(o);
        assert_int_equal(o->count, count[2]);
        assert_int_equal(o->busiest_client, most[2]);
        /* `from` is left as it was */
        ac__agg_finish(from);
        assert_int_equal(ac__agg_count(from), 3);
        for (k = 0; k < 3; k++) {
            o = find_obs(from, eps[k].host, eps[k].method, eps[k].tmpl, NULL);
            assert_non_null(o);
            assert_int_equal(o->count, count[k]);
            assert_int_equal(o->busiest_client, most[k]);
        }
        ac__agg_free(from);
        ac__agg_free(into);
    }
    free(cl);
}

/* --- 3. and 4. samples and query names --------------------------------------------------- */

/* A path of one of the families that test the sample comparisons, in buf; with prefix_free a
 * '.' ends it, a byte no path has elsewhere, so that no path is a proper prefix of another. */
static void random_path(uint64_t *seed, unsigned families, bool prefix_free, char *buf, size_t size)
{
    size_t f, len, k;

    do {
        f = rng_below(seed, 5);
    } while ((families >> f & 1) == 0);
    switch (f) {
    case 0: /* prefixes of one another: "/a", "/ab", "/abc" ... */
        len = 1 + rng_below(seed, 10);
        snprintf(buf, size, "/%.*s", (int)len, "abcdefghij");
        break;
    case 1: /* a long common head (more than 8 bytes) */
        snprintf(buf, size, "/api/v1/users/%u", (unsigned)rng_below(seed, 3000));
        break;
    case 2: /* shorter than 8 bytes */
        len = rng_below(seed, 4);
        buf[0] = '/';
        for (k = 0; k < len; k++)
            buf[1 + k] = "abz9"[rng_below(seed, 4)];
        buf[1 + len] = '\0';
        break;
    case 3: /* longer than AC_AGG_SAMPLE_MAX: alike in their first 200 bytes when long enough */
        len = 150 + rng_below(seed, 120);
        buf[0] = '/';
        memset(buf + 1, 'x', len);
        buf[1 + len] = "abc"[rng_below(seed, 3)];
        buf[2 + len] = '\0';
        break;
    default: /* 8 bytes alike, then anything */
        snprintf(buf, size, "/abcdefg%c%u", "-/a"[rng_below(seed, 3)],
                 (unsigned)rng_below(seed, 50));
        break;
    }
    if (prefix_free) {
        len = strlen(buf);
        assert_true(len + 1 < size);
        buf[len] = '.';
        buf[len + 1] = '\0';
    }
}

#define CASES 4 /* orders of one draw: as drawn, ascending, descending, reversed */
#define DRAWS 300

static int cmp_str_desc(const void *x, const void *y)
{
    return -cmp_str(x, y);
}

/* The orders of one draw: case c of seq[c][0..n). */
static void make_orders(const char *seq[CASES][DRAWS], size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        seq[1][i] = seq[0][i];
        seq[2][i] = seq[0][i];
        seq[3][i] = seq[0][n - 1 - i];
    }
    qsort(seq[1], n, sizeof(seq[1][0]), cmp_str);
    qsort(seq[2], n, sizeof(seq[2][0]), cmp_str_desc);
}

/* Random draws of paths in several orders, each order an observation of one aggregator (their
 * requests interleaved): the samples are the smallest distinct paths, whatever the order. Every
 * other round draws prefix-free paths, the others paths that are prefixes of one another. */
static void test_samples_random(void **state)
{
    static char pool[64][300];
    const char *seq[CASES][DRAWS];
    char tmpl[CASES][16];
    uint64_t seed = 1234;
    size_t round, i, c, checked = 0, npool, n, nwant;

    (void)state;
    for (c = 0; c < CASES; c++)
        snprintf(tmpl[c], sizeof(tmpl[c]), "/case/%u", (unsigned)c);
    for (round = 0; round < 60; round++) {
        struct ac_agg *a = ac__agg_new();
        unsigned families = (unsigned)(round / 2 % 31) + 1; /* every mix of the five families */
        bool prefix_free = round % 2 != 0;

        assert_non_null(a);
        npool = 1 + rng_below(&seed, 64);
        for (i = 0; i < npool; i++)
            random_path(&seed, families, prefix_free, pool[i], sizeof(pool[i]));
        n = 1 + rng_below(&seed, DRAWS);
        for (i = 0; i < n; i++)
            seq[0][i] = pool[rng_below(&seed, npool)];
        make_orders(seq, n);
        for (i = 0; i < n; i++)
            for (c = 0; c < CASES; c++) {
                struct ep e = {"h", "GET", tmpl[c], false};
                struct req q = {.time = -1, .status = 200, .path = seq[c][i]};

                add_req(a, &e, NULL, &q);
            }
        ac__agg_finish(a);
        for (c = 0; c < CASES; c++) {
            const struct ac_obs *o = find_obs(a, "h", "GET", tmpl[c], NULL);
            char **want;

            assert_non_null(o);
            assert_int_equal(o->count, n);
            assert_null(o->query);
            want = smallest_distinct(seq[c], n, AC_AGG_SAMPLE_MAX, AC_AGG_SAMPLES, &nwant);
            assert_kept(o->samples, AC_AGG_SAMPLES, want, nwant);
            free_strs(want, nwant);
            checked++;
        }
        ac__agg_free(a);
    }
    assert_true(checked == 60 * CASES);
}

/* Chosen orders of samples: prefixes, long common heads, short paths, repeats, fewer than
 * AC_AGG_SAMPLES distinct paths, paths cut at AC_AGG_SAMPLE_MAX. */
static void test_samples_cases(void **state)
{
    static const char *const c0[] = {"/abc", "/ab", "/a", "/b", "/a"};
    static const char *const c1[] = {"/a", "/abc", "/ab", "/abcd", "/b"};
    static const char *const c2[] = {"/zz", "/z", "/y", "/x", "/zzz", "/x"};
    static const char *const c3[] = {"/api/v1/users/1234/orders", "/api/v1/users/9",
                                     "/api/v1/users/1234/order",  "/api/v1/users/1234/orders/5",
                                     "/api/v1/users/1235",        "/api/v1/users/1234/orders"};
    static const char *const c4[] = {"/abcdefgh2", "/abcdefg", "/abcdefgh1", "/abcdefgi",
                                     "/abcdefgh0"};
    static const char *const c5[] = {"/", "/b", "/a", "/", "/c", "/"};
    static const char *const c6[] = {"/only", "/only", "/one"};
    static const char *const c7[] = {"/a", "/aa", "/abc", "/ab"}; /* a short prefix, full */
    static const char *const c8[] = {"/users/12", "/users/10", "/users/11",
                                     "/users/2",  "/users/09", "/users/100"};
    /* a prefix of the last one kept, with its first 8 bytes, into a full array */
    static const char *const c9[] = {"/users/12", "/users/10", "/users/11", "/users/1"};
    static const struct {
        const char *const *v;
        size_t n;
    } cases[] = {{c0, 5}, {c1, 5}, {c2, 6}, {c3, 6}, {c4, 5},
                 {c5, 6}, {c6, 3}, {c7, 4}, {c8, 6}, {c9, 4}};
    char long1[260], long2[260], long3[260];
    const char *lv[] = {long1, long2, long3, long1};
    const char *rep[1000];
    struct ac_agg *a = ac__agg_new();
    size_t i, c, nwant;
    char tmpl[16];
    char **want;

    (void)state;
    assert_non_null(a);
    for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        struct ep e = {"h", "GET", tmpl, false};

        snprintf(tmpl, sizeof(tmpl), "/case/%u", (unsigned)c);
        for (i = 0; i < cases[c].n; i++) {
            struct req q = {.time = -1, .status = 200, .path = cases[c].v[i]};

            add_req(a, &e, NULL, &q);
        }
    }
    /* longer than AC_AGG_SAMPLE_MAX: cut, so long1 and long2 are one sample */
    memset(long1, 'q', 250);
    long1[0] = '/';
    long1[250] = '\0';
    memcpy(long2, long1, sizeof(long1));
    long2[230] = 'r';
    memcpy(long3, long1, sizeof(long1));
    long3[AC_AGG_SAMPLE_MAX - 1] = 'p';
    for (i = 0; i < 4; i++) {
        struct ep e = {"h", "GET", "/long", false};
        struct req q = {.time = -1, .status = 200, .path = lv[i]};

        add_req(a, &e, NULL, &q);
    }
    /* one path many times */
    for (i = 0; i < 1000; i++) {
        struct ep e = {"h", "GET", "/same", false};
        struct req q = {.time = -1, .status = 200, .path = "/same/path/again"};

        rep[i] = q.path;
        add_req(a, &e, NULL, &q);
    }
    ac__agg_finish(a);
    for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        const struct ac_obs *o;

        snprintf(tmpl, sizeof(tmpl), "/case/%u", (unsigned)c);
        o = find_obs(a, "h", "GET", tmpl, NULL);
        assert_non_null(o);
        want = smallest_distinct(cases[c].v, cases[c].n, AC_AGG_SAMPLE_MAX, AC_AGG_SAMPLES, &nwant);
        assert_kept(o->samples, AC_AGG_SAMPLES, want, nwant);
        free_strs(want, nwant);
    }
    /* the expectations spelled out for two of them */
    assert_string_equal(find_obs(a, "h", "GET", "/case/0", NULL)->samples[2], "/abc");
    assert_null(find_obs(a, "h", "GET", "/case/6", NULL)->samples[2]);
    assert_string_equal(find_obs(a, "h", "GET", "/case/7", NULL)->samples[2], "/ab");
    assert_string_equal(find_obs(a, "h", "GET", "/case/8", NULL)->samples[0], "/users/09");
    want = smallest_distinct(lv, 4, AC_AGG_SAMPLE_MAX, AC_AGG_SAMPLES, &nwant);
    assert_int_equal(nwant, 2);
    assert_int_equal(strlen(want[1]), AC_AGG_SAMPLE_MAX);
    assert_kept(find_obs(a, "h", "GET", "/long", NULL)->samples, AC_AGG_SAMPLES, want, nwant);
    free_strs(want, nwant);
    want = smallest_distinct(rep, 1000, AC_AGG_SAMPLE_MAX, AC_AGG_SAMPLES, &nwant);
    assert_int_equal(nwant, 1);
    assert_kept(find_obs(a, "h", "GET", "/same", NULL)->samples, AC_AGG_SAMPLES, want, nwant);
    free_strs(want, nwant);
    ac__agg_free(a);
}

/* A name of one of the families that test the comparisons of query names, in buf (at most 64
 * bytes); with prefix_free, ended by a '.' as random_path() does. */
static void random_name(uint64_t *seed, bool prefix_free, char *buf, size_t size)
{
    size_t len, k;

    switch (rng_below(seed, 4)) {
    case 0: /* prefixes of one another */
        len = 1 + rng_below(seed, 12);
        snprintf(buf, size, "%.*s", (int)len, "pagination_x");
        break;
    case 1: /* a long common head */
        snprintf(buf, size, "filter[created_at][%u]", (unsigned)rng_below(seed, 40));
        break;
    case 2: /* short */
        len = 1 + rng_below(seed, 3);
        for (k = 0; k < len; k++)
            buf[k] = "aqz_"[rng_below(seed, 4)];
        buf[len] = '\0';
        break;
    default: /* up to 64 bytes */
        len = 1 + rng_below(seed, 63);
        for (k = 0; k < len; k++)
            buf[k] = "mnop"[rng_below(seed, 4)];
        buf[len] = '\0';
        break;
    }
    if (prefix_free) {
        len = strlen(buf);
        assert_true(len + 1 < size && len + 1 <= 64);
        buf[len] = '.';
        buf[len + 1] = '\0';
    }
}

/* Query strings of random names (with and without values, with empty names) in several orders:
 * the query names are the smallest distinct ones, whatever the order; an endpoint without any
 * has none. Prefix-free rounds and the others as in test_samples_random(). */
static void test_query_names(void **state)
{
    static char pool[48][400];
    const char *seq[CASES][DRAWS];
    char **names = malloc(DRAWS * 8 * sizeof(*names));
    const char **flat = malloc(DRAWS * 8 * sizeof(*flat));
    char tmpl[CASES][16];
    uint64_t seed = 77;
    size_t round, i, k, c, checked = 0, nwant, nn, n, npool;

    (void)state;
    assert_non_null(names);
    assert_non_null(flat);
    for (c = 0; c < CASES; c++)
        snprintf(tmpl[c], sizeof(tmpl[c]), "/case/%u", (unsigned)c);
    for (round = 0; round < 40; round++) {
        struct ac_agg *a = ac__agg_new();
        const struct ac_obs *o;
        bool prefix_free = round % 2 != 0;

        assert_non_null(a);
        npool = 1 + rng_below(&seed, 48);
        for (i = 0; i < npool; i++) {
            size_t at = 0, nnames = rng_below(&seed, 6);

            pool[i][0] = '\0';
            for (k = 0; k < nnames; k++) {
                char name[70];

                random_name(&seed, prefix_free, name, sizeof(name));
                at += (size_t)snprintf(pool[i] + at, sizeof(pool[i]) - at, "%s%s%s",
                                       k > 0 ? (rng_below(&seed, 4) == 0 ? "&&" : "&") : "",
                                       rng_below(&seed, 8) == 0 ? "=v&" : "", name);
                if (rng_below(&seed, 2) != 0)
                    at += (size_t)snprintf(pool[i] + at, sizeof(pool[i]) - at, "=x%u", (unsigned)k);
            }
        }
        n = 1 + rng_below(&seed, DRAWS);
        for (i = 0; i < n; i++)
            seq[0][i] = pool[rng_below(&seed, npool)];
        make_orders(seq, n);
        for (i = 0; i < n; i++)
            for (c = 0; c < CASES; c++) {
                struct ep e = {"h", "GET", tmpl[c], false};
                struct req q = {.time = -1, .status = 200, .path = "/", .query = seq[c][i]};

                add_req(a, &e, NULL, &q);
            }
        {
            struct ep e = {"h", "GET", "/none", false};
            struct req q = {.time = -1, .status = 200, .path = "/"};

            add_req(a, &e, NULL, &q);
            q.query = "=1&&=2&";
            add_req(a, &e, NULL, &q);
        }
        ac__agg_finish(a);
        o = find_obs(a, "h", "GET", "/none", NULL);
        assert_non_null(o);
        assert_null(o->query);
        for (c = 0; c < CASES; c++) {
            char **want;

            nn = 0;
            for (i = 0; i < n; i++)
                query_names(seq[c][i], names, &nn);
            for (i = 0; i < nn; i++)
                flat[i] = names[i];
            o = find_obs(a, "h", "GET", tmpl[c], NULL);
            assert_non_null(o);
            if (nn == 0) {
                assert_null(o->query);
            } else {
                want = smallest_distinct(flat, nn, 64, AC_AGG_QUERY_NAMES, &nwant);
                assert_non_null(o->query);
                assert_kept(o->query, AC_AGG_QUERY_NAMES, want, nwant);
                free_strs(want, nwant);
                checked++;
            }
            for (i = 0; i < nn; i++)
                free(names[i]);
        }
        ac__agg_free(a);
    }
    assert_true(checked >= 20 * CASES + 20);
    free(flat);
    free(names);
}

/* --- 5. the fixed-template cache ---------------------------------------------------------- */

#define NFIXED 5000u /* more than the cache's 4096 slots */
#define TLEN 32

static const char *const fixed_hosts[] = {"a.example", "b.example"};
static const char *const fixed_methods[] = {"GET", "POST", "PUT"};

/* Counts of the fixed-template test by (template, host, method). */
static size_t fixed_at(size_t t, size_t h, size_t m)
{
    return (t * 2 + h) * 3 + m;
}

/* The key of an observation of the fixed-template test. */
static size_t fixed_key(const struct ac_obs *o)
{
    size_t h, m;
    unsigned long t;
    char *end;

    for (h = 0; h < 2 && strcmp(o->host, fixed_hosts[h]) != 0; h++)
        ;
    for (m = 0; m < 3 && strcmp(o->method, fixed_methods[m]) != 0; m++)
        ;
    assert_true(h < 2 && m < 3);
    assert_memory_equal(o->tmpl, "/fixed/", 7);
    t = strtoul(o->tmpl + 7, &end, 10);
    assert_string_equal(end, "/{id}");
    assert_true(t < NFIXED);
    return fixed_at((size_t)t, h, m);
}

/* Add one request of template t (given as `variant`: 0 and 1 two fixed copies, 2 a stack buffer
 * not fixed) under host h and method m. */
static void add_fixed(struct ac_agg *a, char (*copies)[NFIXED][TLEN], size_t t, size_t variant,
                      size_t h, size_t m, int64_t time, const struct client *c)
{
    char stack[TLEN];
    struct ep e = {fixed_hosts[h], fixed_methods[m], NULL, variant < 2};
    struct req q = {.time = time, .status = 200, .path = "/fixed"};

    if (variant < 2) {
        e.tmpl = copies[variant][t];
    } else {
        memcpy(stack, copies[0][t], TLEN);
        e.tmpl = stack;
    }
    add_req(a, &e, c, &q);
}

static char (*make_fixed_templates(void))[NFIXED][TLEN]
{
    char(*copies)[NFIXED][TLEN] = malloc(2 * sizeof(*copies));
    size_t t;

    assert_non_null(copies);
    for (t = 0; t < NFIXED; t++) {
        snprintf(copies[0][t], TLEN, "/fixed/%u/{id}", (unsigned)t);
        memcpy(copies[1][t], copies[0][t], TLEN);
    }
    return copies;
}

/* One template address under several hosts and methods is several observations; two addresses
 * of one template string, or one fixed and one not, are one observation. */
static void test_fixed_templates(void **state)
{
    char(*copies)[NFIXED][TLEN] = make_fixed_templates();
    uint32_t *counts = calloc(NFIXED * 6, sizeof(*counts));
    bool *seen = calloc(NFIXED * 6, sizeof(*seen));
    struct ac_agg *a = ac__agg_new();
    uint64_t seed = 31337;
    size_t i, keys = 0, t = 0, v = 0, h = 0, m = 0;

    (void)state;
    assert_non_null(counts);
    assert_non_null(seen);
    assert_non_null(a);
    for (i = 0; i < 150000; i++) {
        size_t r = rng_below(&seed, 6);

        if (r == 0) { /* the previous template, another method */
            m = (m + 1 + rng_below(&seed, 2)) % 3;
        } else if (r == 1) { /* the previous template, another host */
            h ^= 1;
        } else if (r == 2) { /* the previous template string, through another pointer */
            v = (v + 1 + rng_below(&seed, 2)) % 3;
        } else {
            t = rng_skewed(&seed, NFIXED);
            v = rng_below(&seed, 3);
            h = rng_below(&seed, 2);
            m = rng_below(&seed, 3);
        }
        add_fixed(a, copies, t, v, h, m, -1, NULL);
        if (counts[fixed_at(t, h, m)]++ == 0)
            keys++;
    }
    ac__agg_finish(a);
    assert_true(keys > 4096);
    assert_int_equal(ac__agg_count(a), keys);
    for (i = 0; i < ac__agg_count(a); i++) {
        const struct ac_obs *o = ac__agg_get(a, i);
        size_t k = fixed_key(o);

        assert_false(seen[k]);
        seen[k] = true;
        assert_int_equal(o->count, counts[k]);
    }
    ac__agg_free(a);
    free(seen);
    free(counts);
    free(copies);
}

/* A few template addresses, each under thousands of (host, method) pairs (a template of the
 * any-host trie matches on every host), requested one after another: in a direct-mapped cache
 * some pairs of one address share a slot, where the address alone must not find the other
 * pair's observation. */
static void test_fixed_many_keys(void **state)
{
    enum { T = 8, HOSTS = 2, METHODS = 2048 };
    char(*copies)[NFIXED][TLEN] = make_fixed_templates();
    static uint32_t counts[T][HOSTS][METHODS];
    static bool seen[T][HOSTS][METHODS];
    char hosts[HOSTS][8], methods[METHODS][8];
    struct ac_agg *a = ac__agg_new();
    uint64_t seed = 8;
    size_t pass, t, h, m, i, keys = 0;

    (void)state;
    assert_non_null(a);
    memset(counts, 0, sizeof(counts));
    memset(seen, 0, sizeof(seen));
    for (h = 0; h < HOSTS; h++)
        snprintf(hosts[h], sizeof(hosts[h]), "h%u", (unsigned)h);
    for (m = 0; m < METHODS; m++)
        snprintf(methods[m], sizeof(methods[m]), "M%04u", (unsigned)m);
    for (pass = 0; pass < 3; pass++)
        for (t = 0; t < T; t++)
            for (h = 0; h < HOSTS; h++)
                for (m = 0; m < METHODS; m++) {
                    size_t v = rng_below(&seed, 3);
                    char stack[TLEN];
                    struct ep e = {hosts[h], methods[m], copies[v % 2][t], v < 2};
                    struct req q = {.time = -1, .status = 200, .path = "/"};

                    if (rng_below(&seed, 4) == 0)
                        continue;
                    if (v == 2) {
                        memcpy(stack, copies[0][t], TLEN);
                        e.tmpl = stack;
                    }
                    add_req(a, &e, NULL, &q);
                    if (counts[t][h][m]++ == 0)
                        keys++;
                }
    ac__agg_finish(a);
    assert_int_equal(ac__agg_count(a), keys);
    for (i = 0; i < ac__agg_count(a); i++) {
        const struct ac_obs *o = ac__agg_get(a, i);
        char *end;

        assert_memory_equal(o->tmpl, "/fixed/", 7);
        t = (size_t)strtoul(o->tmpl + 7, &end, 10);
        assert_true(t < T);
        assert_true(o->host[0] == 'h' && o->method[0] == 'M');
        h = (size_t)strtoul(o->host + 1, &end, 10);
        m = (size_t)strtoul(o->method + 1, &end, 10);
        assert_true(h < HOSTS && m < METHODS);
        assert_false(seen[t][h][m]);
        seen[t][h][m] = true;
        assert_int_equal(o->count, counts[t][h][m]);
    }
    ac__agg_free(a);
    free(copies);
}

/* --- 6. reset ---------------------------------------------------------------------------- */

/* After a reset the aggregator is empty, and what it counts next owes nothing to what it held:
 * the same template addresses under other methods (whose (host, method) now has the number the
 * old one had), the same clients and hours. */
static void test_reset(void **state)
{
    enum { K = 4500 };
    char(*copies)[NFIXED][TLEN] = make_fixed_templates();
    struct client cl[8];
    struct ac_agg *a = ac__agg_new();
    const struct ac_hour *hours;
    uint32_t *counts = calloc(NFIXED * 6, sizeof(*counts));
    size_t i, t, k, round, nh;
    int64_t t0 = 1700000000, t1 = 1700000000 + 7 * 3600;

    (void)state;
    assert_non_null(a);
    assert_non_null(counts);
    memset(cl, 0, sizeof(cl));
    for (i = 0; i < 8; i++) {
        cl[i].hash = UINT64_C(0x1234567800000000) + i;
        snprintf(cl[i].addr, sizeof(cl[i].addr), "c%u", (unsigned)i);
    }
    for (round = 0; round < 2; round++) { /* reset before, then after, ac__agg_finish() */
        for (t = 0; t < K; t++)
            add_fixed(a, copies, t, 0, 0, 0, t0, &cl[t % 8]);
        for (i = 0; i < 300; i++) /* a busy client the cache still holds */
            add_fixed(a, copies, 0, 0, 0, 0, t0 + 1, &cl[0]);
        if (round == 1)
            ac__agg_finish(a);
        ac__agg_reset(a);
        assert_int_equal(ac__agg_count(a), 0);
        assert_int_equal(ac__agg_hours(a, &hours), 0);
        memset(counts, 0, NFIXED * 6 * sizeof(*counts));
        for (k = 0; k < K; k++) { /* in the other order, under POST then PUT */
            t = K - 1 - k;
            for (i = 0; i < 1 + t % 3; i++) {
                add_fixed(a, copies, t, 0, 0, 1, t1, &cl[(t + i) % 8]);
                counts[fixed_at(t, 0, 1)]++;
            }
            if (t % 2 == 0) {
                add_fixed(a, copies, t, 0, 0, 2, t1 + 3600, &cl[t % 8]);
                counts[fixed_at(t, 0, 2)]++;
            }
        }
        ac__agg_finish(a);
        assert_int_equal(ac__agg_count(a), K + K / 2);
        for (i = 0; i < ac__agg_count(a); i++) {
            const struct ac_obs *o = ac__agg_get(a, i);

            k = fixed_key(o);
            assert_int_equal(o->count, counts[k]);
            assert_int_equal(o->busiest_client, 1);
            assert_int_equal(o->first_seen, strcmp(o->method, "POST") == 0 ? t1 : t1 + 3600);
        }
        nh = ac__agg_hours(a, &hours);
        assert_int_equal(nh, K + K / 2);
        for (i = 0; i < nh; i++) {
            const struct ac_obs *o = ac__agg_get(a, hours[i].obs);

            assert_int_equal(hours[i].hour, o->first_seen / 3600);
            assert_int_equal(hours[i].count, o->count);
        }
        ac__agg_reset(a);
    }
    ac__agg_free(a);
    free(counts);
    free(copies);
}

/* --- 7. hours ---------------------------------------------------------------------------- */

#define HOURS 200
#define HOUR_EPS 5

/* Requests a little out of time order across many hours, some far out of order, some without a
 * time: the requests per (observation, hour) are what a brute-force count says, sorted, one
 * record each. */
static void test_hours(void **state)
{
    static const struct ep eps[HOUR_EPS] = {
        {"h", "GET", "/a", true},  {"h", "POST", "/a", false}, {"h", "GET", "/b", false},
        {"g", "GET", "/a", false}, {"g", "GET", "/c", true},
    };
    static uint32_t counts[HOUR_EPS][HOURS + 4];
    const int64_t base = 1700001000, lo = base / 3600 - 1; /* base: half past an hour */
    const struct ac_hour *h;
    struct ac_agg *a = ac__agg_new();
    uint64_t seed = 2024, timed = 0, sum = 0, total[HOUR_EPS] = {0};
    int64_t first[HOUR_EPS], last[HOUR_EPS];
    size_t i, n, e, *map;

    (void)state;
    assert_non_null(a);
    memset(counts, 0, sizeof(counts));
    for (e = 0; e < HOUR_EPS; e++)
        first[e] = last[e] = -1;
    for (i = 0; i < 200000; i++) {
        struct req q = {.status = 200, .path = "/"};
        size_t r = rng_below(&seed, 200);

        q.ep = (uint32_t)rng_skewed(&seed, HOUR_EPS);
        q.time = base + (int64_t)(i * (HOURS - 1) * 3600 / 200000) +
                 (int64_t)rng_below(&seed, 2400) - 1200;
        if (r == 0)
            q.time = base + (int64_t)rng_below(&seed, (HOURS - 1) * 3600);
        else if (r == 1)
            q.time = -1;
        add_req(a, &eps[q.ep], NULL, &q);
        total[q.ep]++;
        if (q.time < 0)
            continue;
        counts[q.ep][q.time / 3600 - lo]++;
        timed++;
        if (first[q.ep] < 0 || q.time < first[q.ep])
            first[q.ep] = q.time;
        if (q.time > last[q.ep])
            last[q.ep] = q.time;
    }
    ac__agg_finish(a);
    assert_int_equal(ac__agg_count(a), HOUR_EPS);
    map = map_obs(a, eps, HOUR_EPS);
    for (i = 0; i < HOUR_EPS; i++) {
        const struct ac_obs *o = ac__agg_get(a, i);

        assert_int_equal(o->count, total[map[i]]);
        assert_int_equal(o->first_seen, first[map[i]]);
        assert_int_equal(o->last_seen, last[map[i]]);
    }
    n = ac__agg_hours(a, &h);
    for (i = 0; i < n; i++) {
        int64_t at = h[i].hour - lo;

        if (i > 0) /* sorted by observation then hour, one record each */
            assert_true(h[i - 1].obs < h[i].obs ||
                        (h[i - 1].obs == h[i].obs && h[i - 1].hour < h[i].hour));
        assert_true(h[i].obs < HOUR_EPS);
        assert_true(at >= 0 && at < HOURS + 4);
        assert_true(h[i].count > 0);
        assert_int_equal(h[i].count, counts[map[h[i].obs]][at]);
        sum += h[i].count;
    }
    assert_int_equal(sum, timed); /* so no (observation, hour) was left out */
    assert_true(n > HOUR_EPS * HOURS / 2);
    free(map);
    ac__agg_free(a);
}

/* Hours decades apart (past what the counting sort takes: the records are sorted another way):
 * still one record per (observation, hour), sorted, with its count. */
static void test_hours_far_apart(void **state)
{
    static const struct ep eps[2] = {{"h", "GET", "/a", true}, {"h", "GET", "/b", false}};
    static const int64_t at[4] = {3600 * 10 + 5, 1764000000, 3600 * 10 + 7, 1764003600};
    const struct ac_hour *h;
    struct ac_agg *a = ac__agg_new();
    size_t i, n, *map;
    uint32_t want[2][4] = {{0}};

    (void)state;
    assert_non_null(a);
    for (i = 0; i < 400; i++) { /* by turns: far in the past, now, past, an hour later */
        struct req q = {.status = 200, .path = "/", .ep = (uint32_t)(i % 3 == 0)};

        q.time = at[i % 4];
        add_req(a, &eps[q.ep], NULL, &q);
        want[q.ep][i % 4 == 2 ? 0 : i % 4]++; /* at[0] and at[2] share an hour */
    }
    ac__agg_finish(a);
    map = map_obs(a, eps, 2);
    n = ac__agg_hours(a, &h);
    assert_int_equal(n, 6); /* 3 hours of each endpoint */
    for (i = 0; i < n; i++) {
        size_t k = h[i].hour == 10 ? 0 : h[i].hour == at[1] / 3600 ? 1 : 3;

        if (i > 0)
            assert_true(h[i - 1].obs < h[i].obs ||
                        (h[i - 1].obs == h[i].obs && h[i - 1].hour < h[i].hour));
        assert_true(k != 3 || h[i].hour == at[3] / 3600);
        assert_int_equal(h[i].count, want[map[h[i].obs]][k]);
    }
    free(map);
    ac__agg_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_busiest_client),  cmocka_unit_test(test_busiest_client_one_bucket),
        cmocka_unit_test(test_merge),           cmocka_unit_test(test_merge_as),
        cmocka_unit_test(test_merge_ref),       cmocka_unit_test(test_samples_random),
        cmocka_unit_test(test_samples_cases),   cmocka_unit_test(test_query_names),
        cmocka_unit_test(test_fixed_templates), cmocka_unit_test(test_fixed_many_keys),
        cmocka_unit_test(test_reset),           cmocka_unit_test(test_hours),
        cmocka_unit_test(test_hours_far_apart),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
