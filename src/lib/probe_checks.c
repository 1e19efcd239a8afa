/* probe_checks.c - the checks that follow discovery (see probe_state.h and docs/probe.md):
 * forwarded-header bypass and rate-limit presence.
 *
 * Bypass: each route that answered 401 or 403 beyond its host's baseline (at most
 * AC_PROBE_MAX_BYPASS_ROUTES a host) is asked again once per forwarding header; a 2xx beyond the
 * baseline is a "bypass" fact holding both responses. Burst: `--burst` requests at once against
 * one cheap documented route per deployment, one deployment at a time (the only load above
 * --rate); what came back is a "burst" fact. Both plan through probe.c and record through
 * probe_record.c; the requests of a phase are cleared before the next.
 */
#include "probe_state.h"
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Forwarding headers a proxy may trust; %s is the route for X-Original-URL. */
static const char *const bypass_headers[] = {"X-Forwarded-For: 127.0.0.1", "X-Real-IP: 127.0.0.1",
                                             "Forwarded: for=127.0.0.1",
                                             "X-Forwarded-Host: localhost", "X-Original-URL: %s"};

/* --- bypass ----------------------------------------------------------------------------------- */

struct denied {
    size_t host;
    char *path;
    char *url;
    int status;
    uint64_t bytes;
};

enum ac_err ac__probe_phase_bypass(struct probe *p)
{
    struct denied *dn = NULL;
    size_t nd = 0, i, k, *per_host = calloc(p->nh + 1, sizeof(size_t));
    enum ac_err err = AC_OK;

    if (per_host == NULL || (dn = calloc(p->nq + 1, sizeof(*dn))) == NULL) {
        free(per_host);
        return ac__probe_oom(p);
    }
    for (i = 0; i < p->nq; i++) {
        struct ac__probe_req *q = &p->q[i];

        if (!q->answered || (q->status != 401 && q->status != 403) ||
            !ac__probe_beyond_baseline(p, q) || per_host[q->host] >= AC_PROBE_MAX_BYPASS_ROUTES ||
            q->extra != NULL)
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
    ac__probe_reqs_clear(p);
    for (i = 0; err == AC_OK && i < nd; i++) {
        const struct ac__probe_target *t = ac__probe_target_of_host(p, dn[i].host);

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
    if (err == AC_OK && p->nq > 0)
        err = ac__probe_run_phase(p);
    for (i = 0; err == AC_OK && i < p->nq; i++) {
        struct ac__probe_req *q = &p->q[i];
        const char *route = q->path;
        struct json_object *j, *before, *after;

        if (!q->answered || q->status < 200 || q->status >= 300 || !ac__probe_beyond_baseline(p, q))
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
        json_object_object_add(before, "url", ac__probe_jstr(dn[k].url));
        json_object_object_add(before, "status", json_object_new_int(dn[k].status));
        json_object_object_add(before, "bytes", json_object_new_int64((int64_t)dn[k].bytes));
        json_object_object_add(after, "url", ac__probe_jstr(q->url));
        json_object_object_add(after, "header", ac__probe_jstr(q->extra));
        json_object_object_add(after, "status", json_object_new_int(q->status));
        json_object_object_add(after, "bytes", json_object_new_int64((int64_t)q->bytes));
        json_object_object_add(j, "header", ac__probe_jstr(q->extra));
        json_object_object_add(j, "without", before);
        json_object_object_add(j, "with", after);
        /* one fact per route: the first header that opened it */
        err = ac__probe_add_fact(p, "bypass", q->host, "GET", route, q->status, j);
    }
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
        json_object_object_add(j, "url", ac__probe_jstr(p->q[start].url));
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
