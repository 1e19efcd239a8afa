/* probe_targets.c - the probe's targets and its allow-list (see probe_state.h): the inventory's
 * deployments and documented operations (through ac_list()), --target URLs, the --resolve entries
 * in curl's HOST:PORT:ADDR form, and the candidate hosts under organisation.domains.
 *
 * Every host a request may go to is on the allow-list (p->hosts) before the runner sees the
 * request: a target's host when it is added, a candidate's host for its one test request and
 * for good once it has answered. A candidate is asked only when it resolves (DNS or --resolve).
 * Targets, operations and resolve entries are owned by the struct probe; release() in probe.c
 * frees them.
 */
#include "jsonc.h"
#include "probe_state.h"

#include <apicensus/table.h>

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Host prefixes tried under each organisation domain. */
static const char *const prefixes[] = {
    "api",     "beta",    "staging",  "stage",   "dev",       "test", "qa",    "uat",
    "sandbox", "demo",    "internal", "old",     "legacy",    "v1",   "v2",    "preprod",
    "admin",   "partner", "partners", "gateway", "developer", "docs", "mobile"};

/* --- targets ---------------------------------------------------------------------------------- */

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

        nv = ac__probe_grow(p->hosts, &cap, p->nh, sizeof(*p->hosts));
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

enum ac_err ac__probe_add_target(struct probe *p, const struct ac__probe_url *u, const char *api,
                                 const char *env, bool inventory, bool candidate)
{
    size_t i, h;
    struct ac__probe_target *t;

    for (i = 0; i < p->nt; i++) /* the same base URL twice: keep the inventory's */
        if (p->t[i].u.https == u->https && p->t[i].u.port == u->port &&
            strcmp(p->t[i].u.host, u->host) == 0 && strcmp(p->t[i].u.base, u->base) == 0)
            return AC_OK;
    if (p->nt >= AC_PROBE_MAX_TARGETS)
        return ac_diag_set(p->d, AC_EUSAGE, NULL, 0, 0, "more than %d targets",
                           AC_PROBE_MAX_TARGETS);
    h = host_index(p, u->host);
    if (h == (size_t)-1)
        return ac__probe_oom(p);
    t = realloc(p->t, (p->nt + 1) * sizeof(*t));
    if (t == NULL)
        return ac__probe_oom(p);
    p->t = t;
    t = &p->t[p->nt];
    memset(t, 0, sizeof(*t));
    t->u = *u;
    t->api = ac__probe_dupn(api);
    t->environment = ac__probe_dupn(env);
    t->inventory = inventory;
    t->candidate = candidate;
    t->host = h;
    if ((api != NULL && t->api == NULL) || (env != NULL && t->environment == NULL))
        return ac__probe_oom(p);
    p->nt++;
    return AC_OK;
}

const struct ac__probe_target *ac__probe_target_of_host(const struct probe *p, size_t host)
{
    size_t i;

    for (i = 0; i < p->nt; i++)
        if (p->t[i].host == host)
            return &p->t[i];
    return NULL;
}

const char *ac__probe_api_of(const struct probe *p, size_t host, const char *path)
{
    const char *api = NULL, *only = NULL;
    size_t i, best = 0;
    bool one = true;

    for (i = 0; i < p->nt; i++) {
        const struct ac__probe_target *t = &p->t[i];
        size_t bl = strlen(t->u.base);

        if (t->host != host || !t->inventory || t->api == NULL)
            continue;
        if (only != NULL && strcmp(only, t->api) != 0)
            one = false;
        only = t->api;
        if ((api == NULL || bl > best) && strncmp(path, t->u.base, bl) == 0 &&
            (path[bl] == '/' || path[bl] == '\0')) {
            api = t->api;
            best = bl;
        }
    }
    return api != NULL ? api : one ? only : NULL;
}

bool ac__probe_host_allowed(const struct probe *p, const char *name)
{
    size_t i;

    for (i = 0; i < p->nh; i++)
        if (strcmp(p->hosts[i].name, name) == 0)
            return true;
    return false;
}

static const char *cell(const struct ac_table *t, size_t row, const char *col)
{
    size_t c = ac_table_col_index(t, col);

    return c == (size_t)-1 ? NULL : ac_table_cell(t, row, c);
}

/* --- the inventory ---------------------------------------------------------------------------- */

enum ac_err ac__probe_load_deployments(struct probe *p)
{
    struct ac_table *t = NULL;
    const char *aud;
    enum ac_err err;
    size_t i, k;

    err = ac_list(p->s, AC_LIST_DEPLOYMENTS, NULL, &t, p->d);
    for (i = 0; err == AC_OK && i < ac_table_rows(t); i++) {
        const char *url = cell(t, i, "url");
        struct ac__probe_url u;

        if (url == NULL || !ac__probe_parse_url(url, strlen(url), &u))
            continue; /* a relative server URL: nothing to ask */
        err =
            ac__probe_add_target(p, &u, cell(t, i, "api"), cell(t, i, "environment"), true, false);
        if (err == AC_OK && (aud = cell(t, i, "audience")) != NULL && strcmp(aud, "internal") == 0)
            for (k = 0; k < p->nt; k++) /* the target just added, or the same URL added before */
                if (p->t[k].inventory && p->t[k].u.https == u.https && p->t[k].u.port == u.port &&
                    strcmp(p->t[k].u.host, u.host) == 0 && strcmp(p->t[k].u.base, u.base) == 0)
                    p->t[k].internal = true;
    }
    ac_table_free(t);
    return err;
}

enum ac_err ac__probe_load_operations(struct probe *p)
{
    struct ac_table *t = NULL;
    const char *aud;
    enum ac_err err;
    size_t i, k;

    err = ac_list(p->s, AC_LIST_OPERATIONS, NULL, &t, p->d);
    if (err != AC_OK)
        return err;
    p->ops = calloc(ac_table_rows(t) + 1, sizeof(*p->ops));
    if (p->ops == NULL) {
        ac_table_free(t);
        return ac__probe_oom(p);
    }
    for (i = 0; i < ac_table_rows(t); i++) {
        struct ac__probe_docop *op = &p->ops[p->nops];
        const char *hosts = cell(t, i, "hosts");
        struct json_object *j = hosts != NULL ? json_tokener_parse(hosts) : NULL;

        op->method = ac__probe_dupn(cell(t, i, "method"));
        op->tmpl = ac__probe_dupn(cell(t, i, "template"));
        op->version = ac__probe_dupn(cell(t, i, "version"));
        op->api = ac__probe_dupn(cell(t, i, "api"));
        aud = cell(t, i, "audience");
        op->internal = aud != NULL && strcmp(aud, "internal") == 0;
        p->nops++;
        if (op->method == NULL || op->tmpl == NULL) {
            json_object_put(j);
            ac_table_free(t);
            return ac__probe_oom(p);
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

bool ac__probe_op_on_host(const struct ac__probe_docop *op, const char *host)
{
    size_t i;

    for (i = 0; i < op->nhosts; i++)
        if (strcmp(op->hosts[i], host) == 0)
            return true;
    return false;
}

/* --- resolve entries and candidates ----------------------------------------------------------- */

static enum ac_err add_resolve(struct probe *p, const char *name, unsigned port, const char *addr)
{
    char buf[AC_PROBE_HOST_MAX + 80], **v;
    int n = snprintf(buf, sizeof(buf), "%s:%u:%s", name, port, addr);

    if (n < 0 || (size_t)n >= sizeof(buf)) /* the parser bounds both: cannot happen */
        return ac_diag_set(p->d, AC_EUSAGE, NULL, 0, 0, "--resolve entry too long");
    v = realloc(p->resolve, (p->nresolve + 1) * sizeof(*v));
    if (v == NULL)
        return ac__probe_oom(p);
    p->resolve = v;
    if ((v[p->nresolve] = strdup(buf)) == NULL)
        return ac__probe_oom(p);
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

/* curl's HOST:PORT:ADDR entries of --resolve, once the targets (and their ports) are known. */
enum ac_err ac__probe_resolve_entries(struct probe *p)
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
            unsigned ports[AC_PROBE_MAX_TARGETS + 2];
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

enum ac_err ac__probe_phase_candidates(struct probe *p)
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
        struct ac__probe_target t;
        size_t h = host_index(p, cands[i].host);

        if (h == (size_t)-1)
            return ac__probe_oom(p);
        memset(&t, 0, sizeof(t));
        t.u = cands[i];
        t.host = h;
        err = ac__probe_plan(p, &t, "candidate", "GET", "/", NULL, false);
        if (err != AC_OK)
            return err;
    }
    err = ac__probe_run_phase(p);
    for (i = 0; err == AC_OK && i < p->nq; i++) {
        struct ac__probe_req *q = &p->q[i];
        struct json_object *j;

        if (!q->answered)
            continue;
        /* a candidate that answers HTTP at all is evidence of a host */
        p->st->candidates++;
        err = ac__probe_add_target(p, &cands[i], NULL, NULL, false, true);
        if (err == AC_OK)
            err = ac__probe_note_fingerprint(p, q);
        if (err == AC_OK)
            err = ac__probe_observe(p, q);
        j = json_object_new_object();
        json_object_object_add(j, "url", ac__json_str(q->url));
        json_object_object_add(j, "status", json_object_new_int(q->status));
        if (err == AC_OK)
            err = ac__probe_add_fact(p, "candidate", q->host, "GET", "/", q->status, j);
        else
            json_object_put(j);
    }
    ac__probe_reqs_clear(p);
    return err;
}
