/* probe_record.c - what the probe's answers become (see probe_state.h): the soft-404 comparison
 * with each host's baseline, observations of source "probe", and the probe facts
 * (documentation, redirects, fingerprints, CORS; the checks of probe_checks.c add bypass and
 * burst facts through ac__probe_add_fact()).
 *
 * An answer is kept when it is 2xx, 3xx, 401 or 403 and unlike every baseline answer of its host
 * (status, content type and body): those become observations through the ingest's own pipeline
 * (shaping.h), so the matcher, the classifiers and every rule treat them as traffic. Facts with
 * no place in an observation are collected in the struct probe (p->facts, their strings in
 * p->fact_mem) and saved by the commit in probe.c. An OpenAPI/Swagger document found is imported
 * (ac_import_text) under probe:URL, attached to the API whose deployment serves it.
 */
#include "jsonc.h"
#include "pipeline.h"
#include "probe_state.h"
#include "shaping.h"

#include <apicensus/registry.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct ac__probe_wellknown ac__probe_wellknown[] = {
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
const size_t ac__probe_nwellknown = sizeof(ac__probe_wellknown) / sizeof(ac__probe_wellknown[0]);

void ac__probe_ctype_of(const struct ac__probe_req *q, char *out, size_t cap)
{
    size_t n = q->ctype != NULL ? strcspn(q->ctype, ";") : 0;

    snprintf(out, cap, "%.*s", (int)n, q->ctype != NULL ? q->ctype : "");
}

/* Unlike every baseline answer of its host: another status, content type, or a body that is
 * neither the same nor within 10% (plus the path's own length, which catch-alls echo) of it. */
bool ac__probe_beyond_baseline(const struct probe *p, const struct ac__probe_req *q)
{
    const struct ac__probe_hostinfo *h = &p->hi[q->host];
    char ct[64];
    size_t i;

    ac__probe_ctype_of(q, ct, sizeof(ct));
    for (i = 0; i < h->nbase; i++) {
        const struct ac__probe_answer *b = &h->base[i];
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
bool ac__probe_interesting(int status)
{
    return (status >= 200 && status < 400) || status == 401 || status == 403;
}

/* Fold an answer into the observations, as an ingest would a log line of it. */
enum ac_err ac__probe_observe(struct probe *p, const struct ac__probe_req *q)
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
        return ac__probe_oom(p);
    if (c.requests > 0)
        p->st->observations++;
    return AC_OK;
}

enum ac_err ac__probe_add_fact(struct probe *p, const char *kind, size_t host, const char *method,
                               const char *path, int status, struct json_object *detail)
{
    const char *js = json_object_to_json_string_ext(detail, JSON_C_TO_STRING_PLAIN |
                                                                JSON_C_TO_STRING_NOSLASHESCAPE);
    char *copy = ac__probe_dupn(js), *pcopy = ac__probe_dupn(path);
    struct ac_probe_fact *f;
    char **m;
    size_t i;

    json_object_put(detail);
    if (copy == NULL || pcopy == NULL ||
        (m = ac__probe_grow(p->fact_mem, &p->mcap, p->nmem + 1, sizeof(*p->fact_mem))) == NULL) {
        free(copy);
        free(pcopy);
        return ac__probe_oom(p);
    }
    p->fact_mem = m;
    m[p->nmem++] = copy;
    m[p->nmem++] = pcopy;
    for (i = 0; i < p->nfacts; i++) /* one per (kind, host, method, path): the first wins */
        if (strcmp(p->facts[i].kind, kind) == 0 &&
            strcmp(p->facts[i].host, p->hosts[host].name) == 0 &&
            strcmp(p->facts[i].method, method) == 0 && strcmp(p->facts[i].path, pcopy) == 0)
            return AC_OK;
    f = ac__probe_grow(p->facts, &p->fcap, p->nfacts, sizeof(*p->facts));
    if (f == NULL)
        return ac__probe_oom(p);
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
              !ac__probe_host_allowed(p, u.host);
    } else if (q->location[0] == '/' && q->location[1] == '/') {
        off = true; /* scheme-relative: another host */
    }
    if (off)
        p->st->off_scope++;
    j = json_object_new_object();
    json_object_object_add(j, "url", ac__json_str(q->url));
    json_object_object_add(j, "location", ac__json_str(q->location));
    json_object_object_add(j, "off_scope", json_object_new_boolean(off));
    json_object_object_add(j, "followed", json_object_new_boolean(false));
    return ac__probe_add_fact(p, "redirect", q->host, q->method, q->path, q->status, j);
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

    for (i = 0; i < ac__probe_nwellknown; i++) {
        size_t wl = strlen(ac__probe_wellknown[i].path);

        if (ac__probe_wellknown[i].kind != NULL && pl >= wl &&
            strcmp(path + pl - wl, ac__probe_wellknown[i].path) == 0)
            return ac__probe_wellknown[i].kind;
    }
    return NULL;
}

/* Import a document found as evidence of the API it describes, under probe:URL: attached to the
 * API whose deployment serves it (ac__probe_api_of), else as the API its info.title names. An
 * import error goes into the fact, with its line; the probe goes on. */
static void import_document(struct probe *p, const struct ac__probe_req *q, struct json_object *j)
{
    const char *api = ac__probe_api_of(p, q->host, q->path);
    struct ac_import_opts io;
    struct ac_diag d2;
    char name[AC_PROBE_URL_MAX + 8];

    memset(&io, 0, sizeof(io));
    io.now = p->now;
    io.api = api;
    io.attached_by = "apicensus probe";
    snprintf(name, sizeof(name), "probe:%s", q->url);
    ac_diag_clear(&d2);
    if (ac_import_text(p->s, name, q->body, q->body_len, &io, &d2) == AC_OK) {
        p->st->documents++;
        json_object_object_add(j, "imported", json_object_new_boolean(true));
        json_object_object_add(j, "document", ac__json_str(name));
        json_object_object_add(j, "api", ac__json_str(api));
        return;
    }
    json_object_object_add(j, "imported", json_object_new_boolean(false));
    json_object_object_add(j, "import_error", json_object_new_string(d2.msg));
    json_object_object_add(j, "import_error_line", json_object_new_int((int)d2.line));
}

static enum ac_err note_documentation(struct probe *p, const struct ac__probe_req *q,
                                      const char *kind)
{
    struct json_object *j = json_object_new_object();

    if (strcmp(kind, "document") == 0 && !p->o->no_import && !p->o->dry_run)
        import_document(p, q, j);
    else
        json_object_object_add(j, "imported", json_object_new_boolean(false));
    json_object_object_add(j, "url", ac__json_str(q->url));
    json_object_object_add(j, "kind", ac__json_str(kind));
    json_object_object_add(j, "content_type", ac__json_str(q->ctype));
    json_object_object_add(j, "bytes", json_object_new_int64((int64_t)q->bytes));
    json_object_object_add(j, "credentials", json_object_new_boolean(false));
    return ac__probe_add_fact(p, "documentation", q->host, q->method, q->path, q->status, j);
}

enum ac_err ac__probe_note_fingerprint(struct probe *p, const struct ac__probe_req *q)
{
    struct json_object *j;

    if (p->hi[q->host].fingerprinted || (q->server == NULL && q->powered == NULL))
        return AC_OK;
    p->hi[q->host].fingerprinted = true;
    j = json_object_new_object();
    json_object_object_add(j, "server", ac__json_str(q->server));
    json_object_object_add(j, "powered_by", ac__json_str(q->powered));
    json_object_object_add(j, "url", ac__json_str(q->url));
    return ac__probe_add_fact(p, "fingerprint", q->host, "GET", "", 0, j);
}

static enum ac_err note_cors(struct probe *p, const struct ac__probe_req *q)
{
    struct json_object *j;

    if (q->acao == NULL && q->acam == NULL)
        return AC_OK; /* no cross-origin access granted: nothing to document */
    j = json_object_new_object();
    json_object_object_add(j, "url", ac__json_str(q->url));
    json_object_object_add(j, "origin", ac__json_str(AC_PROBE_FOREIGN_ORIGIN));
    json_object_object_add(j, "allow_origin", ac__json_str(q->acao));
    json_object_object_add(j, "allow_credentials", ac__json_str(q->acac));
    json_object_object_add(j, "allow_methods", ac__json_str(q->acam));
    json_object_object_add(
        j, "reflects_origin",
        json_object_new_boolean(q->acao != NULL && strcmp(q->acao, AC_PROBE_FOREIGN_ORIGIN) == 0));
    return ac__probe_add_fact(p, "cors", q->host, q->method, q->path, q->status, j);
}

/* Observations, redirects, documentation, fingerprints and CORS of the answered requests. */
enum ac_err ac__probe_digest(struct probe *p)
{
    size_t i;
    enum ac_err err = AC_OK;

    for (i = 0; err == AC_OK && i < p->nq; i++) {
        struct ac__probe_req *q = &p->q[i];
        const char *exp, *kind;

        if (!q->answered)
            continue;
        err = ac__probe_note_fingerprint(p, q);
        if (err == AC_OK && strcmp(q->check, "cors") == 0) {
            err = note_cors(p, q);
            continue;
        }
        if (err != AC_OK || !ac__probe_interesting(q->status) || !ac__probe_beyond_baseline(p, q))
            continue;
        err = ac__probe_observe(p, q);
        if (err == AC_OK && q->status >= 300 && q->status < 400)
            err = note_redirect(p, q);
        if (err == AC_OK && q->status >= 200 && q->status < 300 &&
            (exp = expected_doc(q->path)) != NULL && (kind = doc_kind(q, exp)) != NULL)
            err = note_documentation(p, q, kind);
    }
    return err;
}
