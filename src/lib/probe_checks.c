/* probe_checks.c - the checks that follow discovery (see probe_state.h and docs/probe.md):
 * forwarded-header bypass and rate-limit presence.
 *
 * Bypass: each route that answered 401 or 403 beyond its host's baseline, and each documented
 * route declared internal (by its operation or its deployment) that did not answer 2xx (at most
 * AC_PROBE_MAX_BYPASS_ROUTES a host of each) is asked again once per forwarding header; a 2xx
 * beyond the baseline is a "bypass" fact holding both responses. A declared-internal route that
 * answered 2xx without any header is an "internal" fact: it answers outside clients. Burst:
 * `--burst` requests at once against one cheap documented route per deployment, one deployment at a
 * time (the only load above
 * --rate); what came back is a "burst" fact. Both plan through probe.c and record through
 * probe_record.c; the requests of a phase are cleared before the next.
 */
#include "jsonc.h"
#include "probe_state.h"
#include "request.h"

#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Forwarding headers a proxy may trust; %s is the route for X-Original-URL. */
static const char *const bypass_headers[] = {"X-Forwarded-For: 127.0.0.1", "X-Real-IP: 127.0.0.1",
                                             "Forwarded: for=127.0.0.1",
                                             "X-Forwarded-Host: localhost", "X-Original-URL: %s"};

/* --- bypass ----------------------------------------------------------------------------------- */

/* A route asked again with the forwarding headers, and its answer without them. */
struct denied {
    size_t host;
    char *path; /* owned (moved from the discovery request) */
    char *url;  /* owned */
    int status;
    uint64_t bytes;
    const char *internal; /* "operation" or "deployment" when declared internal, else NULL */
};

/* Whether the documented route a request asked is declared internal: "operation" (audience:
 * internal on the operation: x-internal, x-audience) or "deployment" (the route under a
 * deployment declared audience: internal), else NULL. */
static const char *declared_internal(const struct probe *p, const struct ac__probe_req *q)
{
    const char *host = p->hosts[q->host].name;
    char path[AC_PROBE_URL_MAX / 2];
    bool documented = false;
    size_t k;

    if (strcmp(q->check, "documented") != 0)
        return NULL;
    for (k = 0; k < p->nops; k++) {
        const struct ac__probe_docop *op = &p->ops[k];

        if (!ac__probe_op_on_host(op, host))
            continue;
        ac__probe_concrete(op->tmpl, path, sizeof(path));
        if (strcmp(path, q->path) != 0)
            continue;
        if (op->internal)
            return "operation";
        documented = true;
    }
    for (k = 0; documented && k < p->nt; k++) {
        const struct ac__probe_target *t = &p->t[k];
        size_t bl = strlen(t->u.base);

        if (t->host == q->host && t->internal && strncmp(q->path, t->u.base, bl) == 0 &&
            (q->path[bl] == '/' || q->path[bl] == '\0'))
            return "deployment";
    }
    return NULL;
}

/* A declared-internal route that answered 2xx to the probe, an outside client without
 * credentials and without any forwarding header: an "internal" fact. */
static enum ac_err note_internal(struct probe *p, const struct ac__probe_req *q, const char *why)
{
    struct json_object *j = json_object_new_object();

    json_object_object_add(j, "url", ac__json_str(q->url));
    json_object_object_add(j, "declared_internal", ac__json_str(why));
    json_object_object_add(j, "status", json_object_new_int(q->status));
    json_object_object_add(j, "bytes", json_object_new_int64((int64_t)q->bytes));
    json_object_object_add(j, "credentials", json_object_new_boolean(false));
    json_object_object_add(j, "forwarding_header", NULL);
    p->st->internal++;
    return ac__probe_add_fact(p, "internal", q->host, "GET", q->path, q->status, j);
}

/* The routes to ask again, moved out of the discovery requests: those that answered 401 or 403
 * beyond the baseline, and the declared-internal ones that answered anything but 2xx (a 404 too:
 * a route hidden from outside clients) or 429. Declared-internal routes that answered 2xx are
 * "internal" facts instead; a header cannot open them further. Each kind is capped per host. */
static enum ac_err collect_denied(struct probe *p, struct denied *dn, size_t *nd, size_t *per_host)
{
    size_t i;
    enum ac_err err = AC_OK;

    for (i = 0; err == AC_OK && i < p->nq; i++) {
        struct ac__probe_req *q = &p->q[i];
        const char *why;
        size_t *count;

        if (!q->answered || q->extra != NULL)
            continue;
        why = declared_internal(p, q);
        if (why != NULL && q->status >= 200 && q->status < 300) {
            if (ac__probe_beyond_baseline(p, q))
                err = note_internal(p, q, why);
            continue;
        }
        if (why == NULL &&
            ((q->status != 401 && q->status != 403) || !ac__probe_beyond_baseline(p, q)))
            continue;
        if (why != NULL && q->status == 429)
            continue;
        count = &per_host[2 * q->host + (why != NULL)];
        if (*count >= AC_PROBE_MAX_BYPASS_ROUTES)
            continue;
        (*count)++;
        dn[*nd].host = q->host;
        dn[*nd].path = q->path; /* moved: the request list is cleared below */
        dn[*nd].url = q->url;
        q->path = NULL;
        q->url = NULL;
        dn[*nd].status = q->status;
        dn[*nd].bytes = q->bytes;
        dn[*nd].internal = why;
        (*nd)++;
    }
    return err;
}

static enum ac_err plan_bypass(struct probe *p, const struct denied *dn, size_t nd)
{
    size_t i, k;
    bool *root = calloc(p->nh + 1, sizeof(*root));
    enum ac_err err = root != NULL ? AC_OK : ac__probe_oom(p);

    for (i = 0; err == AC_OK && i < nd; i++) {
        const struct ac__probe_target *t = ac__probe_target_of_host(p, dn[i].host);

        /* The control for X-Original-URL: "/" without any header, once per host. */
        if (t != NULL && !root[dn[i].host]) {
            root[dn[i].host] = true;
            err = ac__probe_plan(p, t, "bypass", "GET", "/", NULL, false);
        }
        for (k = 0; t != NULL && err == AC_OK && k < sizeof(bypass_headers) / sizeof(char *); k++) {
            char hdr[AC_PROBE_ROUTE_MAX * 2 + 64];

            if (strstr(bypass_headers[k], "%s") != NULL) {
                /* X-Original-URL: the front asks for "/", the back end serves the header's */
                snprintf(hdr, sizeof(hdr), "X-Original-URL: %s", dn[i].path);
                err = ac__probe_plan(p, t, "bypass", "GET", "/", hdr, false);
            } else {
                err = ac__probe_plan(p, t, "bypass", "GET", dn[i].path, bypass_headers[k], false);
            }
        }
    }
    free(root);
    return err;
}

/* Did "/" without any header answer as q (an X-Original-URL request to "/") did? Then the front
 * served its own page, not the route of the header. */
static bool same_as_root(const struct probe *p, const struct ac__probe_req *q)
{
    size_t i;

    for (i = 0; i < p->nq; i++) {
        const struct ac__probe_req *c = &p->q[i];

        if (c->extra == NULL && c->answered && c->host == q->host && c->path != NULL &&
            strcmp(c->path, "/") == 0)
            return c->status == q->status && c->bytes == q->bytes;
    }
    return false;
}

/* A 2xx beyond the baseline with a header, to a route that did not answer 2xx without: a
 * "bypass" fact with both responses. */
static enum ac_err judge_bypass(struct probe *p, const struct denied *dn, size_t nd)
{
    size_t i, k;
    enum ac_err err = AC_OK;

    for (i = 0; err == AC_OK && i < p->nq; i++) {
        struct ac__probe_req *q = &p->q[i];
        const char *route = q->path;
        struct json_object *j, *before, *after;

        if (!q->answered || q->extra == NULL || q->status < 200 || q->status >= 300 ||
            !ac__probe_beyond_baseline(p, q))
            continue;
        if (strncmp(q->extra, "X-Original-URL: ", 16) == 0) {
            if (same_as_root(p, q))
                continue;
            route = q->extra + 16;
        }
        for (k = 0; k < nd && !(dn[k].host == q->host && strcmp(dn[k].path, route) == 0); k++)
            ;
        if (k == nd)
            continue;
        j = json_object_new_object();
        before = json_object_new_object();
        after = json_object_new_object();
        json_object_object_add(before, "url", ac__json_str(dn[k].url));
        json_object_object_add(before, "status", json_object_new_int(dn[k].status));
        json_object_object_add(before, "bytes", json_object_new_int64((int64_t)dn[k].bytes));
        json_object_object_add(after, "url", ac__json_str(q->url));
        json_object_object_add(after, "header", ac__json_str(q->extra));
        json_object_object_add(after, "status", json_object_new_int(q->status));
        json_object_object_add(after, "bytes", json_object_new_int64((int64_t)q->bytes));
        json_object_object_add(j, "header", ac__json_str(q->extra));
        json_object_object_add(j, "without", before);
        json_object_object_add(j, "with", after);
        if (dn[k].internal != NULL)
            json_object_object_add(j, "declared_internal", ac__json_str(dn[k].internal));
        /* one fact per route: the first header that opened it */
        err = ac__probe_add_fact(p, "bypass", q->host, "GET", route, q->status, j);
    }
    return err;
}

enum ac_err ac__probe_phase_bypass(struct probe *p)
{
    struct denied *dn = NULL;
    size_t nd = 0, i, *per_host = calloc(2 * p->nh + 2, sizeof(size_t));
    enum ac_err err;

    if (per_host == NULL || (dn = calloc(p->nq + 1, sizeof(*dn))) == NULL) {
        free(per_host);
        return ac__probe_oom(p);
    }
    err = collect_denied(p, dn, &nd, per_host);
    ac__probe_reqs_clear(p);
    if (err == AC_OK)
        err = plan_bypass(p, dn, nd);
    if (err == AC_OK && p->nq > 0)
        err = ac__probe_run_phase(p);
    if (err == AC_OK)
        err = judge_bypass(p, dn, nd);
    for (i = 0; i < nd; i++) {
        free(dn[i].path);
        free(dn[i].url);
    }
    free(dn);
    free(per_host);
    ac__probe_reqs_clear(p);
    return err;
}

/* --- burst ------------------------------------------------------------------------------------ */

/* A cheap documented route of the deployment: a GET without parameters, else any GET. */
static bool burst_route(const struct probe *p, const struct ac__probe_target *t, char *out,
                        size_t cap)
{
    size_t k, bl = strlen(t->u.base);
    int pass;

    for (pass = 0; pass < 2; pass++)
        for (k = 0; k < p->nops; k++) {
            const struct ac__probe_docop *op = &p->ops[k];

            if (strcmp(op->method, "GET") != 0 || !ac__probe_op_on_host(op, t->u.host) ||
                strncmp(op->tmpl, t->u.base, bl) != 0 || (pass == 0 && strchr(op->tmpl, '{')))
                continue;
            ac__probe_concrete(op->tmpl, out, cap);
            return true;
        }
    return false;
}

enum ac_err ac__probe_phase_burst(struct probe *p)
{
    unsigned n = p->o->burst == 0 ? 20 : p->o->burst, k;
    size_t i, start;
    enum ac_err err = AC_OK;
    char path[AC_PROBE_URL_MAX / 2];

    if (p->o->burst == UINT32_MAX)
        return AC_OK;
    for (i = 0; err == AC_OK && i < p->nt; i++) {
        const struct ac__probe_target *t = &p->t[i];
        unsigned limited = 0, headers = 0, answered = 0;
        struct json_object *j;

        if (!t->inventory || !burst_route(p, t, path, sizeof(path)))
            continue;
        start = p->nq;
        for (k = 0; err == AC_OK && k < n; k++)
            err = ac__probe_plan(p, t, "burst", "GET", path, NULL, true);
        if (err != AC_OK)
            break;
        /* one deployment at a time: a burst is the only load above the rate */
        err = ac__probe_run_phase(p);
        for (k = 0; err == AC_OK && start + k < p->nq; k++) {
            const struct ac__probe_req *q = &p->q[start + k];

            if (!q->answered)
                continue;
            answered++;
            limited += q->status == 429;
            headers += (q->hdr_bits & AC_HDR_RATELIMIT) != 0;
            if ((ac__probe_interesting(q->status) || q->status == 429) &&
                ac__probe_beyond_baseline(p, q))
                err = ac__probe_observe(p, q);
        }
        if (err != AC_OK || p->o->dry_run) {
            ac__probe_reqs_clear(p);
            continue;
        }
        j = json_object_new_object();
        json_object_object_add(j, "url", ac__json_str(p->q[start].url));
        json_object_object_add(j, "requests", json_object_new_int((int)n));
        json_object_object_add(j, "answered", json_object_new_int((int)answered));
        json_object_object_add(j, "status_429", json_object_new_int((int)limited));
        json_object_object_add(j, "ratelimit_headers", json_object_new_int((int)headers));
        json_object_object_add(j, "limited", json_object_new_boolean(limited > 0 || headers > 0));
        if (answered > 0)
            err = ac__probe_add_fact(p, "burst", t->host, "GET", path, limited > 0 ? 429 : 0, j);
        else
            json_object_put(j);
        ac__probe_reqs_clear(p);
    }
    return err;
}
