/* probe.c - active discovery (see <apicensus/probe.h> and docs/probe.md): the run, its phases in
 * order, request planning, and the baseline and discovery phases.
 *
 * Phases, each a batch for the runner (probe_http.c), each planned from the answers before it:
 *   1. candidates (probe_targets.c): GET / on candidate hosts that resolve (or that --resolve
 *      names); a host that answers HTTP joins the targets.
 *   2. baseline: random paths on each host (and under each base path), the soft-404 answers.
 *   3. discovery: documented GET routes, version siblings of documented versioned routes and
 *      their version roots, well-known documentation and operations paths, the wordlist (under
 *      the host root, each base path and each version root), and a CORS preflight per target.
 *   4. bypass (probe_checks.c): each 401/403 route asked again with one forwarding header at a
 *      time.
 *   5. burst (probe_checks.c): `burst` requests at once to one cheap documented route per
 *      deployment.
 * What answers become (observations, probe facts) is probe_record.c's. The planner dedupes
 * requests by method, URL and header, so no route is asked twice a phase. This file owns the
 * struct probe of a run (probe_state.h): release() frees everything it points to.
 */
#include "aggregate.h"
#include "probe_state.h"
#include "shaping.h"
#include "version.h"

#include <apicensus/probe.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

extern const char ac__probe_wordlist_txt[];

#define MAX_SIBLINGS 8

/* --- small helpers ---------------------------------------------------------------------------- */

enum ac_err ac__probe_oom(struct probe *p)
{
    p->err = AC_ENOMEM;
    return ac_diag_set(p->d, AC_ENOMEM, NULL, 0, 0, "out of memory");
}

char *ac__probe_dupn(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

void *ac__probe_grow(void *v, size_t *cap, size_t n, size_t size)
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

/* --- requests --------------------------------------------------------------------------------- */

void ac__probe_reqs_clear(struct probe *p)
{
    size_t i;

    for (i = 0; i < p->nq; i++)
        ac__probe_req_clear(&p->q[i]);
    p->nq = 0;
}

static void url_of(const struct ac__probe_target *t, const char *path, char *out, size_t cap)
{
    bool dflt = t->u.port == (t->u.https ? 443u : 80u);

    if (dflt)
        snprintf(out, cap, "%s://%s%s", t->u.https ? "https" : "http", t->u.host, path);
    else
        snprintf(out, cap, "%s://%s:%u%s", t->u.https ? "https" : "http", t->u.host, t->u.port,
                 path);
}

/* Plan one request (deduplicated within the phase). */
enum ac_err ac__probe_plan(struct probe *p, const struct ac__probe_target *t, const char *check,
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
    q = ac__probe_grow(p->q, &p->qcap, p->nq, sizeof(*p->q));
    if (q == NULL)
        return ac__probe_oom(p);
    p->q = q;
    q = &p->q[p->nq];
    memset(q, 0, sizeof(*q));
    q->check = check;
    q->method = method;
    q->host = t->host;
    q->burst = burst;
    q->url = strdup(url);
    q->path = strdup(path);
    q->extra = ac__probe_dupn(extra);
    p->nq++;
    if (q->url == NULL || q->path == NULL || (extra != NULL && q->extra == NULL))
        return ac__probe_oom(p);
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
enum ac_err ac__probe_run_phase(struct probe *p)
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
        return ac__probe_oom(p);
    for (i = 0; i < p->nq; i++)
        emit(p, &p->q[i]);
    return AC_OK;
}

/* --- phases ----------------------------------------------------------------------------------- */

static enum ac_err phase_baseline(struct probe *p)
{
    size_t i, k;
    enum ac_err err = AC_OK;

    for (i = 0; err == AC_OK && i < p->nt; i++) {
        char path[AC_PROBE_ROUTE_MAX + 64];
        uint64_t h = XXH3_64bits_withSeed(p->t[i].u.host, strlen(p->t[i].u.host), p->seed);

        snprintf(path, sizeof(path), "/apicensus-%016llx", (unsigned long long)h);
        err = ac__probe_plan(p, &p->t[i], "baseline", "GET", path, NULL, false);
        snprintf(path, sizeof(path), "/apicensus-%08llx/%08llx.json", (unsigned long long)(h >> 32),
                 (unsigned long long)(h & 0xffffffffu));
        if (err == AC_OK)
            err = ac__probe_plan(p, &p->t[i], "baseline", "GET", path, NULL, false);
        snprintf(path, sizeof(path), "%s/apicensus-%016llx", p->t[i].u.base,
                 (unsigned long long)(h ^ 0x5bd1e995u));
        if (err == AC_OK && p->t[i].u.base[0] != '\0')
            err = ac__probe_plan(p, &p->t[i], "baseline", "GET", path, NULL, false);
    }
    if (err == AC_OK)
        err = ac__probe_run_phase(p);
    for (i = 0; err == AC_OK && i < p->nq; i++) {
        struct ac__probe_req *q = &p->q[i];
        struct ac__probe_hostinfo *hi = &p->hi[q->host];
        struct ac__probe_answer *a;

        if (!q->answered)
            continue;
        err = ac__probe_note_fingerprint(p, q);
        for (k = 0; k < hi->nbase; k++)
            if (hi->base[k].status == q->status && hi->base[k].hash == q->body_hash)
                break;
        if (k < hi->nbase || hi->nbase >= AC_PROBE_MAX_BASELINE)
            continue;
        a = &hi->base[hi->nbase++];
        a->status = q->status;
        a->bytes = q->bytes;
        a->hash = q->body_hash;
        ac__probe_ctype_of(q, a->ctype, sizeof(a->ctype));
    }
    ac__probe_reqs_clear(p);
    return err;
}

/* A documented template as a request path: parameters become "1". */
void ac__probe_concrete(const char *tmpl, char *out, size_t cap)
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
static enum ac_err plan_siblings(struct probe *p, const struct ac__probe_target *t,
                                 const struct ac__probe_docop *op, struct roots *roots)
{
    char path[AC_PROBE_URL_MAX / 2], sib[MAX_SIBLINGS][32], alt[AC_PROBE_URL_MAX / 2];
    const char *tok;
    size_t len, n, i, pre;
    enum ac_err err = AC_OK;

    ac__probe_concrete(op->tmpl, path, sizeof(path));
    if (!ac__version_in_path(path, true, &tok, &len))
        return AC_OK;
    pre = (size_t)(tok - path);
    root_add(roots, path, pre + len);
    n = ac__probe_siblings(tok, len, sib, MAX_SIBLINGS);
    for (i = 0; err == AC_OK && i < n; i++) {
        snprintf(alt, sizeof(alt), "%.*s%s%s", (int)pre, path, sib[i], tok + len);
        err = ac__probe_plan(p, t, "sibling", "GET", alt, NULL, false);
        snprintf(alt, sizeof(alt), "%.*s%s", (int)pre, path, sib[i]);
        root_add(roots, alt, strlen(alt));
        if (err == AC_OK)
            err = ac__probe_plan(p, t, "sibling", "GET", alt, NULL, false);
    }
    return err;
}

static enum ac_err phase_discovery(struct probe *p)
{
    size_t i, k, r;
    enum ac_err err = AC_OK;

    for (i = 0; err == AC_OK && i < p->nt; i++) {
        struct ac__probe_target *t = &p->t[i];
        struct roots *roots = calloc(1, sizeof(*roots));
        char path[AC_PROBE_URL_MAX / 2];

        if (roots == NULL)
            return ac__probe_oom(p);
        root_add(roots, "", 0);
        root_add(roots, t->u.base, strlen(t->u.base));
        for (k = 0; err == AC_OK && k < p->nops; k++) {
            const struct ac__probe_docop *op = &p->ops[k];
            size_t bl = strlen(t->u.base);

            if (!ac__probe_op_on_host(op, t->u.host) ||
                (bl > 0 && (strncmp(op->tmpl, t->u.base, bl) != 0 ||
                            (op->tmpl[bl] != '/' && op->tmpl[bl] != '\0'))))
                continue;
            ac__probe_concrete(op->tmpl, path, sizeof(path));
            /* only safe methods are ever sent: a documented POST is asked with GET */
            err = ac__probe_plan(p, t, "documented", "GET", path, NULL, false);
            if (err == AC_OK)
                err = plan_siblings(p, t, op, roots);
        }
        for (r = 0; err == AC_OK && r < roots->n; r++) {
            for (k = 0; err == AC_OK && k < ac__probe_nwellknown; k++) {
                if (r > 0 && ac__probe_wellknown[k].kind == NULL)
                    continue; /* operations paths at the host root only */
                snprintf(path, sizeof(path), "%s%s", roots->v[r], ac__probe_wellknown[k].path);
                err = ac__probe_plan(p, t, "docs", "GET", path, NULL, false);
            }
            for (k = 0; err == AC_OK && k < p->nwords; k++) {
                snprintf(path, sizeof(path), "%s%s", roots->v[r], p->words[k]);
                err = ac__probe_plan(p, t, "wordlist", "GET", path, NULL, false);
            }
        }
        snprintf(path, sizeof(path), "%s/", t->u.base);
        if (err == AC_OK) {
            char origin[128];

            snprintf(origin, sizeof(origin), "Origin: %s", AC_PROBE_FOREIGN_ORIGIN);
            err = ac__probe_plan(p, t, "cors", "OPTIONS", path, origin, false);
        }
        free(roots);
    }
    if (err == AC_OK)
        err = ac__probe_run_phase(p);
    if (err == AC_OK)
        err = ac__probe_digest(p);
    return err; /* the answers stay for the bypass and burst phases */
}

/* --- the run ---------------------------------------------------------------------------------- */

static enum ac_err parse_inputs(struct probe *p)
{
    const struct ac_probe_opts *o = p->o;
    const char *wl = o->wordlist != NULL ? o->wordlist : ac__probe_wordlist_txt;
    size_t i, bad = 0, line = 0;
    enum ac_err err;

    for (i = 0; i < o->ntargets; i++) {
        struct ac__probe_url u;

        if (!ac__probe_parse_url(o->targets[i], strlen(o->targets[i]), &u))
            return ac_diag_set(p->d, AC_EUSAGE, NULL, 0, 0,
                               "'%.200s' is no http(s) base URL (http(s)://host[:port][/path])",
                               o->targets[i]);
        err = ac__probe_add_target(p, &u, NULL, NULL, false, false);
        if (err != AC_OK)
            return err;
    }
    err = ac__probe_words_parse(wl, strlen(wl), &p->words, &p->nwords, &bad, &line);
    if (err != AC_OK)
        return ac__probe_oom(p);
    if (bad > 0) /* a list the user wrote: say where, rather than probe less than asked */
        return ac_diag_set(p->d, AC_EUSAGE,
                           o->wordlist_name != NULL ? o->wordlist_name : "wordlist", (unsigned)line,
                           0,
                           "%zu route(s) rejected, the first here: a route is at most %d bytes "
                           "without spaces, control bytes, '#', '\\' or '..' segments, and a "
                           "list at most %d routes",
                           bad, AC_PROBE_ROUTE_MAX, AC_PROBE_WORDS_MAX);
    return AC_OK;
}

static void release(struct probe *p)
{
    size_t i, k;

    ac__probe_reqs_clear(p);
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
        return ac__probe_oom(p);
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
        err = ac__probe_load_deployments(&p);
    if (err == AC_OK)
        err = ac__probe_resolve_entries(&p);
    if (err == AC_OK)
        err = ac__probe_load_operations(&p);
    if (err == AC_OK)
        err = s->ops->domains(s, &p.dom, d);
    if (err == AC_OK && p.nt == 0 && p.dom.n == 0)
        err = ac_diag_set(d, AC_EUSAGE, NULL, 0, 0,
                          "nothing to probe: no deployment in the store, no --target and no "
                          "organisation.domains for candidate hosts");
    if (err == AC_OK)
        err = ac__shaping_open(s, &p.sh, &stamp, d);
    if (err == AC_OK && (p.agg = ac__agg_new()) == NULL)
        err = ac__probe_oom(&p);
    if (err == AC_OK)
        err = ac__probe_phase_candidates(&p);
    st->hosts = p.nt;
    if (err == AC_OK)
        err = phase_baseline(&p);
    if (err == AC_OK)
        err = phase_discovery(&p);
    if (err == AC_OK)
        err = ac__probe_phase_bypass(&p);
    if (err == AC_OK)
        err = ac__probe_phase_burst(&p);
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
