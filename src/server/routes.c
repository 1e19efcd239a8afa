/* routes.c - the REST API's routes and handlers (see server.h; documented for clients in
 * src/server/openapi.json, served at /api/v1/openapi.json).
 *
 * Listings answer the JSON arrays of `apicensus ls ... --format json` (docs/json.md) and take
 * the same filters as query parameters; an unknown parameter or value is a 400, so a typo never
 * silently widens a query. Changes (accept, reopen, imports, tokens) are written to the audit
 * log with the token's name.
 */
#include "server.h"

#include <apicensus/collect.h>
#include <apicensus/export.h>
#include <apicensus/findings.h>
#include <apicensus/registry.h>
#include <apicensus/table.h>
#include <apicensus/traffic.h>

#include <json-c/json.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

extern const char ac__openapi_json[];

/* --- helpers --------------------------------------------------------------------------- */

struct query_check {
    const char *allowed[8];
    const char *bad; /* the first parameter not allowed */
};

static enum MHD_Result check_key(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    struct query_check *q = cls;
    size_t i;

    (void)kind;
    (void)value;
    for (i = 0; i < 8 && q->allowed[i] != NULL; i++)
        if (strcmp(q->allowed[i], key) == 0)
            return MHD_YES;
    q->bad = key;
    return MHD_NO;
}

/* 400 unless every query parameter is one of `allowed` (NULL-terminated). */
static bool only_params(const struct ac_req *r, struct ac_resp *resp, const char *const *allowed)
{
    struct query_check q;
    size_t i;

    memset(&q, 0, sizeof(q));
    for (i = 0; i < 8 && allowed[i] != NULL; i++)
        q.allowed[i] = allowed[i];
    MHD_get_connection_values((struct MHD_Connection *)r->conn, MHD_GET_ARGUMENT_KIND, check_key,
                              &q);
    if (q.bad != NULL)
        ac_resp_error(resp, 400, "unknown query parameter '%.64s'", q.bad);
    return q.bad == NULL;
}

static void send_table(struct ac_resp *resp, unsigned status, struct ac_table *t)
{
    char *json = ac_table_to_json(t);

    if (json == NULL)
        ac_resp_error(resp, 500, "out of memory");
    else
        ac_resp_json(resp, status, json);
}

/* The status of a library error: the request's fault (400, 404) or the server's (500). */
static void store_error(struct ac_resp *resp, const struct ac_diag *d)
{
    unsigned st;

    switch (d->code) {
    case AC_ENOTFOUND:
        st = 404;
        break;
    case AC_EUSAGE:
    case AC_ESYNTAX:
    case AC_EENCODING:
    case AC_ELIMIT:
    case AC_ESCHEMA:
    case AC_EREF:
    case AC_EKIND:
        st = 400;
        break;
    default: /* AC_ESTORE, AC_ENOMEM, AC_EIO */
        st = 500;
        break;
    }

    ac_resp_error(resp, st, "%s", d->msg[0] != '\0' ? d->msg : ac_strerror(d->code));
}

static void list(const struct ac_req *r, struct ac_resp *resp, enum ac_list_kind kind,
                 const struct ac_list_filter *f)
{
    struct ac_table *t = NULL;
    struct ac_diag d;

    ac_diag_clear(&d);
    if (ac_list(r->store, kind, f, &t, &d) != AC_OK)
        store_error(resp, &d);
    else
        send_table(resp, 200, t);
    ac_table_free(t);
}

static void audit(const struct ac_req *r, const char *action, const char *target,
                  const char *detail)
{
    struct ac_diag d;
    char buf[32];

    ac_diag_clear(&d);
    (void)ac_audit(r->store, ac_req_now(r, buf), r->actor, action, target, detail, &d);
}

/* --- read routes ----------------------------------------------------------------------- */

static void h_healthz(const struct ac_req *r, struct ac_resp *resp)
{
    (void)r;
    ac_resp_json(resp, 200, strdup("{\"status\": \"ok\"}\n"));
}

static void h_openapi(const struct ac_req *r, struct ac_resp *resp)
{
    (void)r;
    ac_resp_json(resp, 200, strdup(ac__openapi_json));
}

/* The RFC 9727 api-catalog (export.c renders it): the linkset of every API and version, for
 * viewers, or for anyone when the manifest says policy.public_docs: true (see server.c). */
static void h_api_catalog(const struct ac_req *r, struct ac_resp *resp)
{
    static const char *const none[] = {NULL};
    struct ac_export_opts o;
    struct ac_diag d;
    char *text = NULL;
    size_t len = 0;

    if (!only_params(r, resp, none))
        return;
    memset(&o, 0, sizeof(o));
    ac_diag_clear(&d);
    if (ac_export_text(r->store, AC_EXPORT_API_CATALOG, &o, &text, &len, &d) != AC_OK) {
        store_error(resp, &d);
        return;
    }
    ac_resp_json(resp, 200, text);
    resp->type = "application/linkset+json; profile=\"https://www.rfc-editor.org/info/rfc9727\"";
}

static void h_metrics(const struct ac_req *r, struct ac_resp *resp)
{
    char *text = ac_server_metrics(r->server, r->store);

    if (text == NULL) {
        ac_resp_error(resp, 500, "out of memory");
        return;
    }
    ac_resp_json(resp, 200, text);
    resp->type = "text/plain; version=0.0.4; charset=utf-8";
}

/* A listing filtered by ?api= (the kinds `ls --api` filters). */
static void api_listing(const struct ac_req *r, struct ac_resp *resp, enum ac_list_kind kind,
                        bool all_flag)
{
    static const char *const plain[] = {"api", NULL}, *const with_all[] = {"api", "all", NULL};
    struct ac_list_filter f = {.api = ac_req_query(r, "api")};
    const char *all = ac_req_query(r, "all");

    if (!only_params(r, resp, all_flag ? with_all : plain))
        return;
    if (all != NULL && strcmp(all, "true") != 0 && strcmp(all, "false") != 0) {
        ac_resp_error(resp, 400, "all: true or false");
        return;
    }
    f.include_removed = all != NULL && strcmp(all, "true") == 0;
    list(r, resp, kind, &f);
}

static void h_apis(const struct ac_req *r, struct ac_resp *resp)
{
    api_listing(r, resp, AC_LIST_APIS, false);
}

static void h_versions(const struct ac_req *r, struct ac_resp *resp)
{
    api_listing(r, resp, AC_LIST_VERSIONS, false);
}

static void h_deployments(const struct ac_req *r, struct ac_resp *resp)
{
    api_listing(r, resp, AC_LIST_DEPLOYMENTS, false);
}

static void h_operations(const struct ac_req *r, struct ac_resp *resp)
{
    api_listing(r, resp, AC_LIST_OPERATIONS, true);
}

static void h_endpoints(const struct ac_req *r, struct ac_resp *resp)
{
    api_listing(r, resp, AC_LIST_ENDPOINTS, false);
}

static void h_traffic(const struct ac_req *r, struct ac_resp *resp)
{
    api_listing(r, resp, AC_LIST_TRAFFIC, false);
}

static void h_integrations(const struct ac_req *r, struct ac_resp *resp)
{
    static const char *const none[] = {NULL};

    if (only_params(r, resp, none))
        list(r, resp, AC_LIST_INTEGRATIONS, NULL);
}

static void h_rules(const struct ac_req *r, struct ac_resp *resp)
{
    static const char *const none[] = {NULL};

    if (only_params(r, resp, none))
        list(r, resp, AC_LIST_RULES, NULL);
}

/* One API with its versions, deployments and operations, as `show --format json`. */
static void h_api(const struct ac_req *r, struct ac_resp *resp)
{
    static const enum ac_list_kind kinds[] = {AC_LIST_APIS, AC_LIST_VERSIONS, AC_LIST_DEPLOYMENTS,
                                              AC_LIST_OPERATIONS};
    static const char *const keys[] = {"api", "versions", "deployments", "operations"};
    struct ac_list_filter f = {.api = r->params[0]};
    struct json_object *o = json_object_new_object();
    struct ac_diag d;
    size_t k;

    ac_diag_clear(&d);
    for (k = 0; k < 4; k++) {
        struct ac_table *t = NULL;
        char *json;
        struct json_object *v;

        if (ac_list(r->store, kinds[k], &f, &t, &d) != AC_OK) {
            store_error(resp, &d);
            break;
        }
        if (k == 0 && ac_table_rows(t) == 0) {
            ac_resp_error(resp, 404, "no API named '%.200s'", r->params[0]);
            ac_table_free(t);
            break;
        }
        json = ac_table_to_json(t);
        v = json != NULL ? json_tokener_parse(json) : NULL;
        free(json);
        ac_table_free(t);
        if (k == 0 && v != NULL) {
            struct json_object *first = json_object_get(json_object_array_get_idx(v, 0));

            json_object_put(v);
            v = first;
        }
        json_object_object_add(o, keys[k], v);
    }
    if (k == 4)
        ac_resp_json(resp, 200,
                     strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
                                                                  JSON_C_TO_STRING_SPACED |
                                                                  JSON_C_TO_STRING_NOSLASHESCAPE)));
    json_object_put(o);
}

/* Acceptances past their `until` reopen before findings are read, as the CLI's do. */
static bool expire(const struct ac_req *r, struct ac_resp *resp)
{
    struct ac_diag d;
    char buf[32];

    ac_diag_clear(&d);
    if (ac_findings_expire(r->store, ac_req_now(r, buf), &d) == AC_OK)
        return true;
    store_error(resp, &d);
    return false;
}

static bool one_of(const char *v, const char *list)
{
    char pad[80];

    snprintf(pad, sizeof(pad), " %.60s ", v);
    return v[0] != '\0' && strchr(v, ' ') == NULL && strstr(list, pad) != NULL;
}

static void h_findings(const struct ac_req *r, struct ac_resp *resp)
{
    static const char *const allowed[] = {"rule", "severity", "state", "api", "host", NULL};
    struct ac_list_filter f = {.api = ac_req_query(r, "api"),
                               .rule = ac_req_query(r, "rule"),
                               .severity = ac_req_query(r, "severity"),
                               .state = ac_req_query(r, "state"),
                               .host = ac_req_query(r, "host")};

    if (!only_params(r, resp, allowed))
        return;
    if (f.severity != NULL && !one_of(f.severity, " info low medium high critical ")) {
        ac_resp_error(resp, 400, "severity: info, low, medium, high or critical");
        return;
    }
    if (f.state != NULL && !one_of(f.state, " open accepted resolved ")) {
        ac_resp_error(resp, 400, "state: open, accepted or resolved");
        return;
    }
    if (expire(r, resp))
        list(r, resp, AC_LIST_FINDINGS, &f);
}

/* The finding `id` as one JSON object into resp (404 when there is none). */
static void finding_object(const struct ac_req *r, struct ac_resp *resp, const char *id)
{
    struct ac_list_filter f = {.id = id};
    struct ac_table *t = NULL;
    struct ac_diag d;
    char *json;
    struct json_object *v;

    ac_diag_clear(&d);
    if (ac_list(r->store, AC_LIST_FINDINGS, &f, &t, &d) != AC_OK) {
        store_error(resp, &d);
        return;
    }
    if (ac_table_rows(t) == 0) {
        ac_resp_error(resp, 404, "no finding '%.100s'", id);
        ac_table_free(t);
        return;
    }
    json = ac_table_to_json(t);
    ac_table_free(t);
    v = json != NULL ? json_tokener_parse(json) : NULL;
    free(json);
    if (v == NULL) {
        ac_resp_error(resp, 500, "out of memory");
        return;
    }
    ac_resp_json(
        resp, 200,
        strdup(json_object_to_json_string_ext(json_object_array_get_idx(v, 0),
                                              JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                  JSON_C_TO_STRING_NOSLASHESCAPE)));
    json_object_put(v);
}

static void h_finding(const struct ac_req *r, struct ac_resp *resp)
{
    static const char *const none[] = {NULL};

    if (only_params(r, resp, none) && expire(r, resp))
        finding_object(r, resp, r->params[0]);
}

/* --- changes --------------------------------------------------------------------------- */

/* The request body as a JSON object (400 otherwise). */
static struct json_object *body_object(const struct ac_req *r, struct ac_resp *resp)
{
    struct json_tokener *tok = json_tokener_new_ex(32);
    struct json_object *o = NULL;

    if (tok == NULL) {
        ac_resp_error(resp, 500, "out of memory");
        return NULL;
    }
    if (r->body_len > 0 && r->body_len < (size_t)INT32_MAX)
        o = json_tokener_parse_ex(tok, r->body, (int)r->body_len);
    if (o == NULL || json_tokener_get_error(tok) != json_tokener_success ||
        !json_object_is_type(o, json_type_object)) {
        ac_resp_error(resp, 400, "the body must be a JSON object%s%s",
                      o == NULL && r->body_len > 0 ? ": " : "",
                      o == NULL && r->body_len > 0
                          ? json_tokener_error_desc(json_tokener_get_error(tok))
                          : "");
        json_object_put(o);
        o = NULL;
    }
    json_tokener_free(tok);
    return o;
}

/* A string member of o, or NULL; *bad when it is there but not a string. */
static const char *member(struct json_object *o, const char *key, bool *bad)
{
    struct json_object *v;

    if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
        return NULL;
    if (!json_object_is_type(v, json_type_string)) {
        *bad = true;
        return NULL;
    }
    return json_object_get_string(v);
}

static void h_accept(const struct ac_req *r, struct ac_resp *resp)
{
    struct json_object *o = body_object(r, resp);
    const char *reason, *until;
    bool bad = false;
    struct ac_diag d;
    char buf[32], detail[1200], q[600];

    if (o == NULL)
        return;
    reason = member(o, "reason", &bad);
    until = member(o, "until", &bad);
    if (bad || reason == NULL) {
        ac_resp_error(resp, 400,
                      "the body needs \"reason\" (text) and may have \"until\" "
                      "(YYYY-MM-DD)");
        json_object_put(o);
        return;
    }
    ac_diag_clear(&d);
    if (ac_accept(r->store, r->params[0], reason, until, ac_req_now(r, buf), &d) != AC_OK) {
        store_error(resp, &d);
    } else {
        struct json_object *s = json_object_new_string(reason);

        snprintf(q, sizeof(q), "%s", json_object_to_json_string(s));
        json_object_put(s);
        snprintf(detail, sizeof(detail), "{\"reason\": %s, \"until\": %s%s%s}", q,
                 until != NULL ? "\"" : "", until != NULL ? until : "null",
                 until != NULL ? "\"" : "");
        audit(r, "finding.accept", r->params[0], detail);
        finding_object(r, resp, r->params[0]);
    }
    json_object_put(o);
}

static void h_reopen(const struct ac_req *r, struct ac_resp *resp)
{
    struct ac_diag d;
    char buf[32];

    ac_diag_clear(&d);
    if (ac_finding_reopen(r->store, r->params[0], ac_req_now(r, buf), &d) != AC_OK) {
        if (d.code == AC_EUSAGE)
            ac_resp_error(resp, 409, "%s", d.msg);
        else
            store_error(resp, &d);
        return;
    }
    audit(r, "finding.reopen", r->params[0], NULL);
    finding_object(r, resp, r->params[0]);
}

struct import_log {
    struct json_object *events;
    size_t changed, failed;
    struct ac_diag first;
};

static void on_import(void *ud, const struct ac_import_event *ev)
{
    static const char *const status[] = {"imported", "unchanged", "skipped", "failed"};
    struct import_log *l = ud;
    struct json_object *e = json_object_new_object();

    json_object_object_add(e, "status", json_object_new_string(status[ev->status]));
    json_object_object_add(e, "path", json_object_new_string(ev->path));
    if (ev->kind != NULL)
        json_object_object_add(e, "kind", json_object_new_string(ev->kind));
    if (ev->format != NULL)
        json_object_object_add(e, "format", json_object_new_string(ev->format));
    if (ev->api != NULL)
        json_object_object_add(e, "api", json_object_new_string(ev->api));
    json_object_object_add(e, "operations", json_object_new_int64((int64_t)ev->operations));
    json_object_object_add(e, "added", json_object_new_int64((int64_t)ev->added));
    json_object_object_add(e, "removed", json_object_new_int64((int64_t)ev->removed));
    if (ev->status == AC_IMPORT_FAILED && ev->diag != NULL) {
        char where[sizeof(ev->diag->file) + sizeof(ev->diag->msg) + 32];

        snprintf(where, sizeof(where), "%s:%u:%u: %s", ev->diag->file, ev->diag->line,
                 ev->diag->col, ev->diag->msg);
        json_object_object_add(e, "error", json_object_new_string(where));
        if (l->failed++ == 0)
            l->first = *ev->diag;
    }
    l->changed += ev->status == AC_IMPORT_CHANGED;
    json_object_array_add(l->events, e);
}

/* POST /api/v1/imports?name=NAME: the body is one document, stored under NAME. */
static void h_import(const struct ac_req *r, struct ac_resp *resp)
{
    static const char *const allowed[] = {"name", NULL};
    const char *name = ac_req_query(r, "name");
    struct import_log l;
    struct ac_import_opts o;
    struct ac_diag d;
    char buf[32], detail[160];
    size_t moved = 0;

    if (!only_params(r, resp, allowed))
        return;
    if (name == NULL || name[0] == '\0' || strlen(name) > 1024) {
        ac_resp_error(resp, 400, "?name=: the document's name (e.g. specs/accounts.yaml)");
        return;
    }
    if (r->body_len == 0) {
        ac_resp_error(resp, 400,
                      "the body is the document to import (OpenAPI, Backstage or "
                      "apicensus.yaml)");
        return;
    }
    memset(&l, 0, sizeof(l));
    ac_diag_clear(&l.first);
    l.events = json_object_new_array();
    memset(&o, 0, sizeof(o));
    o.now = ac_req_now(r, buf);
    o.on_event = on_import;
    o.ud = &l;
    ac_diag_clear(&d);
    if (ac_import_text(r->store, name, r->body, r->body_len, &o, &d) != AC_OK && l.failed == 0 &&
        d.code != AC_OK) {
        store_error(resp, &d);
    } else if (l.failed > 0) {
        ac_resp_error(resp, 400, "%s:%u:%u: %s", l.first.file, l.first.line, l.first.col,
                      l.first.msg);
    } else {
        if (l.changed > 0 && (ac_rematch(r->store, &moved, &d) != AC_OK ||
                              ac_reconcile(r->store, o.now, NULL, &d) != AC_OK)) {
            store_error(resp, &d);
        } else {
            snprintf(detail, sizeof(detail), "{\"changed\": %zu}", l.changed);
            audit(r, "import", name, detail);
            ac_resp_json(resp, l.changed > 0 ? 201 : 200,
                         strdup(json_object_to_json_string_ext(
                             l.events, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                           JSON_C_TO_STRING_NOSLASHESCAPE)));
        }
    }
    json_object_put(l.events);
}

/* --- administration -------------------------------------------------------------------- */

/* Collectors (<apicensus/collect.h>): the context they match with, and their batches. */
static void h_ingest_context(const struct ac_req *r, struct ac_resp *resp)
{
    struct ac_diag d;
    char *json = NULL;

    ac_diag_clear(&d);
    if (!only_params(r, resp, (const char *const[]){NULL}))
        return;
    if (ac_collect_context(r->store, &json, &d) != AC_OK)
        store_error(resp, &d);
    else
        ac_resp_json(resp, 200, json);
}

static void h_ingest(const struct ac_req *r, struct ac_resp *resp)
{
    struct ac_diag d;
    char *json = NULL, buf[32];
    unsigned code = 200;

    ac_diag_clear(&d);
    if (!only_params(r, resp, (const char *const[]){NULL}))
        return;
    if (ac_collect_post(r->store, r->body, r->body_len, r->actor, ac_req_now(r, buf), &json, &code,
                        &d) != AC_OK)
        store_error(resp, &d);
    else
        ac_resp_json(resp, code, json);
}

static void h_tokens(const struct ac_req *r, struct ac_resp *resp)
{
    static const char *const none[] = {NULL};

    if (only_params(r, resp, none))
        list(r, resp, AC_LIST_TOKENS, NULL);
}

static void h_token_create(const struct ac_req *r, struct ac_resp *resp)
{
    struct json_object *o = body_object(r, resp), *out;
    const char *role_name, *name;
    enum ac_role role;
    bool bad = false;
    char token[AC_TOKEN_MAX], buf[32];
    struct ac_diag d;

    if (o == NULL)
        return;
    role_name = member(o, "role", &bad);
    name = member(o, "name", &bad);
    if (bad || role_name == NULL || !ac_role_parse(role_name, &role)) {
        ac_resp_error(resp, 400,
                      "the body needs \"role\": viewer, editor, admin or collector "
                      "(and may have \"name\")");
        json_object_put(o);
        return;
    }
    ac_diag_clear(&d);
    if (ac_token_create(r->store, role, name, r->actor, ac_req_now(r, buf), token, &d) != AC_OK) {
        store_error(resp, &d);
    } else {
        out = json_object_new_object();
        json_object_object_add(out, "id", json_object_new_string_len(token + 4, 8));
        json_object_object_add(out, "role", json_object_new_string(role_name));
        json_object_object_add(out, "token", json_object_new_string(token));
        ac_resp_json(resp, 201,
                     strdup(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY |
                                                                    JSON_C_TO_STRING_SPACED)));
        json_object_put(out);
    }
    json_object_put(o);
}

static void h_token_revoke(const struct ac_req *r, struct ac_resp *resp)
{
    struct ac_diag d;
    char buf[32];

    ac_diag_clear(&d);
    if (ac_token_revoke(r->store, r->params[0], r->actor, ac_req_now(r, buf), &d) != AC_OK) {
        store_error(resp, &d);
        return;
    }
    ac_resp_json(resp, 204, NULL);
}

static void h_audit(const struct ac_req *r, struct ac_resp *resp)
{
    static const char *const none[] = {NULL};

    if (only_params(r, resp, none))
        list(r, resp, AC_LIST_AUDIT, NULL);
}

static void h_webhooks(const struct ac_req *r, struct ac_resp *resp)
{
    static const char *const none[] = {NULL};

    if (only_params(r, resp, none))
        list(r, resp, AC_LIST_WEBHOOKS, NULL);
}

static void h_webhook_add(const struct ac_req *r, struct ac_resp *resp)
{
    struct json_object *o = body_object(r, resp), *out;
    const char *url;
    bool bad = false;
    long long id = 0;
    char buf[32];
    struct ac_diag d;

    if (o == NULL)
        return;
    url = member(o, "url", &bad);
    if (bad || url == NULL) {
        ac_resp_error(resp, 400, "the body needs \"url\": an http:// or https:// URL");
        json_object_put(o);
        return;
    }
    ac_diag_clear(&d);
    if (ac_webhook_add(r->store, url, r->actor, ac_req_now(r, buf), &id, &d) != AC_OK) {
        if (d.code == AC_EUSAGE && strstr(d.msg, "already") != NULL)
            ac_resp_error(resp, 409, "%s", d.msg);
        else
            store_error(resp, &d);
    } else {
        out = json_object_new_object();
        json_object_object_add(out, "id", json_object_new_int64(id));
        json_object_object_add(out, "url", json_object_new_string(url));
        ac_resp_json(resp, 201,
                     strdup(json_object_to_json_string_ext(
                         out, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                  JSON_C_TO_STRING_NOSLASHESCAPE)));
        json_object_put(out);
    }
    json_object_put(o);
}

static void h_webhook_remove(const struct ac_req *r, struct ac_resp *resp)
{
    char *end = NULL, buf[32];
    long long id = strtoll(r->params[0], &end, 10);
    struct ac_diag d;

    if (end == r->params[0] || *end != '\0' || id <= 0) {
        ac_resp_error(resp, 400, "a webhook id is a number (see GET /api/v1/webhooks)");
        return;
    }
    ac_diag_clear(&d);
    if (ac_webhook_remove(r->store, id, r->actor, ac_req_now(r, buf), &d) != AC_OK)
        store_error(resp, &d);
    else
        ac_resp_json(resp, 204, NULL);
}

const struct ac_route ac_routes[] = {
    {"GET", "/healthz", AC_ROLE_NONE, "healthz", h_healthz, false},
    {"GET", "/metrics", AC_ROLE_VIEWER, "metrics", h_metrics, false},
    {"GET", "/api/v1/openapi.json", AC_ROLE_VIEWER, "openapi", h_openapi, false},
    {"GET", "/.well-known/api-catalog", AC_ROLE_VIEWER, "api-catalog", h_api_catalog, true},
    {"GET", "/api/v1/apis", AC_ROLE_VIEWER, "apis", h_apis, false},
    {"GET", "/api/v1/apis/{}", AC_ROLE_VIEWER, "api", h_api, false},
    {"GET", "/api/v1/versions", AC_ROLE_VIEWER, "versions", h_versions, false},
    {"GET", "/api/v1/deployments", AC_ROLE_VIEWER, "deployments", h_deployments, false},
    {"GET", "/api/v1/operations", AC_ROLE_VIEWER, "operations", h_operations, false},
    {"GET", "/api/v1/endpoints", AC_ROLE_VIEWER, "endpoints", h_endpoints, false},
    {"GET", "/api/v1/integrations", AC_ROLE_VIEWER, "integrations", h_integrations, false},
    {"GET", "/api/v1/traffic", AC_ROLE_VIEWER, "traffic", h_traffic, false},
    {"GET", "/api/v1/rules", AC_ROLE_VIEWER, "rules", h_rules, false},
    {"GET", "/api/v1/findings", AC_ROLE_VIEWER, "findings", h_findings, false},
    {"GET", "/api/v1/findings/{}", AC_ROLE_VIEWER, "finding", h_finding, false},
    {"POST", "/api/v1/findings/{}/accept", AC_ROLE_EDITOR, "finding.accept", h_accept, false},
    {"POST", "/api/v1/findings/{}/reopen", AC_ROLE_EDITOR, "finding.reopen", h_reopen, false},
    {"POST", "/api/v1/imports", AC_ROLE_EDITOR, "imports", h_import, false},
    {"GET", "/api/v1/ingest/context", AC_ROLE_COLLECTOR, "ingest.context", h_ingest_context, false},
    {"POST", "/api/v1/ingest", AC_ROLE_COLLECTOR, "ingest", h_ingest, false},
    {"GET", "/api/v1/tokens", AC_ROLE_ADMIN, "tokens", h_tokens, false},
    {"POST", "/api/v1/tokens", AC_ROLE_ADMIN, "token.create", h_token_create, false},
    {"DELETE", "/api/v1/tokens/{}", AC_ROLE_ADMIN, "token.revoke", h_token_revoke, false},
    {"GET", "/api/v1/audit", AC_ROLE_ADMIN, "audit", h_audit, false},
    {"GET", "/api/v1/webhooks", AC_ROLE_ADMIN, "webhooks", h_webhooks, false},
    {"POST", "/api/v1/webhooks", AC_ROLE_ADMIN, "webhook.add", h_webhook_add, false},
    {"DELETE", "/api/v1/webhooks/{}", AC_ROLE_ADMIN, "webhook.remove", h_webhook_remove, false},
};
const size_t ac_nroutes = sizeof(ac_routes) / sizeof(ac_routes[0]);
