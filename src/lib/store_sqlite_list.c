/* store_sqlite_list.c - listing queries of the SQLite backend: one SQL text and one column table
 * per entity kind, so the JSON field names (docs/json.md) are written down in exactly one place.
 *
 * Each query reads the merged views of schema.sql and binds ?1 to the API filter and ?2 to
 * "include removed operations". Column types drive JSON rendering (see <apicensus/table.h>).
 */
#include "store_sqlite_list.h"

#include "dataclass.h"
#include "rules.h"
#include "table.h"

#include <stdio.h>
#include <string.h>

#define T AC_COL_TEXT
#define I AC_COL_INT
#define B AC_COL_BOOL
#define J AC_COL_JSON

static const struct ac_table_col api_cols[] = {
    {"name", T},        {"owner", T},       {"contact", T},
    {"description", T}, {"lifecycle", T},   {"docs", T},
    {"data", J},        {"review_last", T}, {"review_every_days", I},
    {"versions", J},    {"deployments", I}, {"operations", I},
    {"sources", J},     {"risk", I},        {"open_findings", I}};
static const char api_sql[] =
    "SELECT a.name, a.owner, a.contact, a.description, a.lifecycle, a.docs, a.data,"
    " a.review_last, a.review_every_days,"
    " (SELECT json_group_array(label) FROM (SELECT label FROM version v WHERE v.api = a.name"
    "   ORDER BY label)),"
    " (SELECT count(*) FROM deployment dp WHERE dp.api = a.name),"
    " (SELECT count(*) FROM operation o WHERE o.api = a.name AND o.removed_at IS NULL),"
    " a.sources,"
    /* Risk 0-100 (docs/rules.md, "Risk score"): the open findings of the API or of its hosts,
     * 40 per critical, 15 per high, 5 per medium, 1 per low, times the exposure of its most
     * exposed deployment (public 1.0, partner 0.8, internal 0.6, undeclared 0.8) and
     * 1 + 0.1 per declared data class (at most 1.5). */
    " min(100, CAST(round(coalesce((SELECT sum(CASE f.severity WHEN 'critical' THEN 40"
    "   WHEN 'high' THEN 15 WHEN 'medium' THEN 5 WHEN 'low' THEN 1 ELSE 0 END)"
    "  FROM finding f WHERE f.state = 'open' AND (f.api = a.name OR (f.api IS NULL AND f.host IN"
    "   (SELECT host FROM deployment WHERE api = a.name)))), 0)"
    "  * coalesce((SELECT max(CASE audience WHEN 'public' THEN 1.0 WHEN 'partner' THEN 0.8"
    "   WHEN 'internal' THEN 0.6 ELSE 0.8 END) FROM deployment WHERE api = a.name), 0.8)"
    "  * min(1.5, 1 + 0.1 * coalesce(json_array_length(a.data), 0))) AS INTEGER)),"
    " (SELECT count(*) FROM finding f WHERE f.state = 'open' AND (f.api = a.name OR"
    "  (f.api IS NULL AND f.host IN (SELECT host FROM deployment WHERE api = a.name))))"
    " FROM api a WHERE (?1 IS NULL OR a.name = ?1) ORDER BY a.name";

static const struct ac_table_col version_cols[] = {
    {"api", T},    {"label", T},         {"status", T},     {"deprecated_on", T},
    {"sunset", T}, {"superseded_by", T}, {"operations", I}, {"specs", J}};
static const char version_sql[] =
    "SELECT api, label, status, deprecated_on, sunset, superseded_by, operations,"
    " (SELECT json_group_array(json_object('path', substr(value, 1, length(value) - 65),"
    "   'sha256', substr(value, -64))) FROM json_each(specs))"
    " FROM version WHERE (?1 IS NULL OR api = ?1) ORDER BY api, label";

static const struct ac_table_col deployment_cols[] = {
    {"api", T},      {"url", T},         {"scheme", T},          {"host", T},
    {"port", I},     {"base_path", T},   {"version", T},         {"environment", T},
    {"audience", T}, {"protections", J}, {"production_data", B}, {"sources", J}};
static const char deployment_sql[] =
    "SELECT api, url, scheme, host, port, base_path, version, environment, audience,"
    " protections, production_data, sources"
    " FROM deployment WHERE (?1 IS NULL OR api = ?1) ORDER BY api, host, port, base_path, scheme";

static const struct ac_table_col operation_cols[] = {
    {"api", T},          {"version", T},    {"method", T},      {"template", T},
    {"operation_id", T}, {"deprecated", B}, {"hosts", J},       {"requires_auth", B},
    {"security", J},     {"responses", J},  {"parameters", J},  {"rate_limited", B},
    {"cors", B},         {"redirects", B},  {"audience", T},    {"summary", T},
    {"source", T},       {"line", I},       {"declared_at", T}, {"removed_at", T}};
static const char operation_sql[] =
    "SELECT o.api, o.version, o.method, o.template, o.operation_id, o.deprecated,"
    " (SELECT json_group_array(host) FROM (SELECT DISTINCT dp.host AS host FROM deployment dp"
    "   WHERE dp.api = o.api AND (dp.version IS NULL OR dp.version = o.version)"
    "   AND (dp.base_path = '' OR o.template = dp.base_path"
    "        OR substr(o.template, 1, length(dp.base_path) + 1) = dp.base_path || '/')"
    "   ORDER BY dp.host)),"
    " o.requires_auth, o.security, o.responses, o.params, o.rate_limited, o.cors, o.redirects,"
    " o.audience, o.summary, d.path, o.line, o.declared_at, o.removed_at"
    " FROM operation o JOIN document d ON d.id = o.document_id"
    " WHERE (?1 IS NULL OR o.api = ?1) AND (?2 OR o.removed_at IS NULL)"
    " ORDER BY o.api, o.template, o.method, d.path";

static const struct ac_table_col integration_cols[] = {
    {"name", T}, {"url", T},           {"host", T},        {"direction", T},   {"purpose", T},
    {"data", J}, {"justification", T}, {"approved_by", T}, {"approved_on", T}, {"data_classes", J}};
/* data_classes: the classes (dataclass.h) seen in outbound traffic to the integration's host,
 * beside `data`, the classes it declares. */
static const char integration_sql[] =
    "SELECT i.name, i.url, i.host, i.direction, i.purpose, i.data, i.justification,"
    " i.approved_by, i.approved_on,"
    " (WITH dc(bit, name) AS (VALUES " AC__DATA_SQL_VALUES "),"
    "   seen(bits) AS (SELECT " AC__DATA_SQL_OR " FROM observation"
    "    WHERE host = i.host AND direction = 'outbound')"
    "  SELECT json_group_array(name) FROM dc, seen WHERE seen.bits & dc.bit)"
    " FROM integration i ORDER BY i.name";

static const struct ac_table_col document_cols[] = {
    {"path", T},    {"kind", T},        {"format", T},      {"sha256", T},    {"api", T},
    {"version", T}, {"attached_by", T}, {"imported_at", T}, {"changed_at", T}};
static const char document_sql[] =
    "SELECT path, kind, format, sha256, api, version, attached_by, imported_at, changed_at"
    " FROM document WHERE (?1 IS NULL OR api = ?1) ORDER BY path";

static const struct ac_table_col endpoint_cols[] = {
    {"source", T},           {"host", T},
    {"method", T},           {"template", T},
    {"version", T},          {"count", I},
    {"first_seen", T},       {"last_seen", T},
    {"documented", B},       {"template_documented", B},
    {"operation", T},        {"api", T},
    {"direction", T},        {"status", J},
    {"with_credentials", I}, {"without_credentials", I},
    {"public_clients", I},   {"private_clients", I},
    {"busiest_client", I},   {"headers", J},
    {"samples", J},          {"query_params", J},
    {"server", T},           {"powered_by", T},
    {"data_classes", J},     {"status_codes", J},
    {"security", J},         {"bodies", J}};
/* Observations grouped by endpoint: undocumented shapes that inference merged
 * (observation.endpoint) list as one. Samples and query names of a group are its smallest distinct
 * ones, as for one observation (3 and 32, aggregate.h). */
static const char endpoint_sql[] =
    "WITH g AS (SELECT source, host, method, coalesce(endpoint, template) AS tmpl,"
    "  min(version) AS version, sum(count) AS count, min(first_seen) AS first_seen,"
    "  max(last_seen) AS last_seen, max(documented) AS documented,"
    "  max(operation_id) AS operation_id, min(direction) AS direction,"
    "  sum(status_2xx) AS s2, sum(status_3xx) AS s3, sum(status_401) AS s401,"
    "  sum(status_403) AS s403, sum(status_404) AS s404, sum(status_429) AS s429,"
    "  sum(status_4xx) AS s4, sum(status_5xx) AS s5, sum(status_other) AS so,"
    "  sum(with_credentials) AS wc, sum(without_credentials) AS woc,"
    "  sum(public_clients) AS pc, sum(private_clients) AS prc,"
    "  max(busiest_client) AS busiest,"
    "  max(headers & 1) | max(headers & 2) | max(headers & 4) | max(headers & 8)"
    "   | max(headers & 16) AS headers,"
    "  count(*) AS nrows, json_group_array(id) AS ids, min(samples) AS samples,"
    "  min(query_params) AS query_params, min(server) AS server,"
    "  min(powered_by) AS powered_by,"
    "  " AC__DATA_SQL_OR " AS data"
    " FROM observation GROUP BY source, host, method, coalesce(endpoint, template))"
    "SELECT e.source, e.host, e.method, e.tmpl, e.version, e.count,"
    " strftime('%Y-%m-%dT%H:%M:%SZ', e.first_seen, 'unixepoch'),"
    " strftime('%Y-%m-%dT%H:%M:%SZ', e.last_seen, 'unixepoch'),"
    " op.id IS NOT NULL AND op.removed_at IS NULL, e.documented,"
    " CASE WHEN op.id IS NULL THEN NULL ELSE coalesce(op.operation_id,"
    "   op.method || ' ' || op.template) END,"
    " op.api, e.direction,"
    " json_object('2xx', e.s2, '3xx', e.s3, '401', e.s401, '403', e.s403, '404', e.s404,"
    "   '429', e.s429, '4xx', e.s4, '5xx', e.s5, 'other', e.so),"
    " e.wc, e.woc, e.pc, e.prc, e.busiest,"
    " (WITH h(bit, name) AS (VALUES (1, 'deprecation'), (2, 'sunset'), (4, 'ratelimit'),"
    "   (8, 'cors'), (16, 'location')) SELECT json_group_array(name) FROM h"
    "   WHERE e.headers & h.bit),"
    " CASE WHEN e.nrows = 1 THEN e.samples ELSE (SELECT json_group_array(v) FROM"
    "   (SELECT DISTINCT j.value AS v FROM json_each(e.ids) i"
    "    JOIN observation o ON o.id = i.value, json_each(o.samples) j ORDER BY v LIMIT 3))"
    "   END,"
    " CASE WHEN e.nrows = 1 THEN e.query_params ELSE (SELECT json_group_array(v) FROM"
    "   (SELECT DISTINCT j.value AS v FROM json_each(e.ids) i"
    "    JOIN observation o ON o.id = i.value, json_each(o.query_params) j ORDER BY v"
    "    LIMIT 32)) END,"
    " e.server, e.powered_by,"
    " (WITH dc(bit, name) AS (VALUES " AC__DATA_SQL_VALUES ")"
    "   SELECT json_group_array(name) FROM dc WHERE e.data & dc.bit),"
    /* schema_12: unions over the group's rows; the body shapes of its rows, for `openapi`. */
    " (SELECT json_group_array(v) FROM (SELECT DISTINCT j.value AS v FROM json_each(e.ids) i"
    "   JOIN observation o ON o.id = i.value, json_each(o.status_codes) j ORDER BY v)),"
    " (SELECT json_group_array(v) FROM (SELECT DISTINCT j.value AS v FROM json_each(e.ids) i"
    "   JOIN observation o ON o.id = i.value, json_each(o.security) j ORDER BY v)),"
    " (SELECT json_group_array(json(o.bodies)) FROM json_each(e.ids) i"
    "   JOIN observation o ON o.id = i.value WHERE o.bodies IS NOT NULL)"
    " FROM g e LEFT JOIN operation op ON op.id = e.operation_id"
    " WHERE (?1 IS NULL OR op.api = ?1)"
    " ORDER BY e.host, e.tmpl, e.method, e.source";

static const struct ac_table_col finding_cols[] = {{"id", T},
                                                   {"rule", T},
                                                   {"severity", T},
                                                   {"state", T},
                                                   {"title", T},
                                                   {"api", T},
                                                   {"host", T},
                                                   {"method", T},
                                                   {"template", T},
                                                   {"version", T},
                                                   {"evidence", J},
                                                   {"first_detected", T},
                                                   {"last_detected", T},
                                                   {"resolved_at", T},
                                                   {"file", T},
                                                   {"line", I}};
/* ?1 api, ?3 rule, ?4 lowest severity, ?5 state (NULL: open and accepted), ?6 host, ?7 id.
 * `file` and `line` are kept by reconciliation (store_sqlite_findings.c, LOCATE). */
static const char finding_sql[] =
    "SELECT id, rule, severity, state, title, api, host, method, template, version, evidence,"
    " first_detected, last_detected, resolved_at, file, line FROM finding"
    " WHERE (?1 IS NULL OR api = ?1) AND (?3 IS NULL OR rule = ?3)"
    "  AND (?4 IS NULL OR instr('info low medium high critical', severity)"
    "   >= instr('info low medium high critical', ?4))"
    "  AND (CASE WHEN ?5 IS NULL AND ?7 IS NULL THEN state <> 'resolved'"
    "   WHEN ?5 IS NULL THEN 1 ELSE state = ?5 END)"
    "  AND (?6 IS NULL OR host = ?6) AND (?7 IS NULL OR id = ?7)"
    " ORDER BY instr('critical high medium low info', severity), rule, host, template, method,"
    " api, id";

static const struct ac_table_col traffic_cols[] = {
    {"host", T}, {"method", T}, {"template", T}, {"hour", T}, {"count", I}};
/* The busiest inbound endpoints (at most 8, by requests; of one API's operations with ?1) and
 * their requests per hour. */
static const char traffic_sql[] =
    "WITH top AS (SELECT host, method, coalesce(endpoint, template) AS tmpl, sum(count) AS n"
    "  FROM observation WHERE direction = 'inbound' AND (?1 IS NULL OR operation_id IN"
    "   (SELECT id FROM operation WHERE api = ?1)) GROUP BY 1, 2, 3"
    "  ORDER BY n DESC, host, method, tmpl LIMIT 8)"
    "SELECT t.host, t.method, t.tmpl, strftime('%Y-%m-%dT%H:00:00Z', h.hour * 3600, 'unixepoch'),"
    " sum(h.count) FROM top t JOIN observation o ON o.host = t.host AND o.method = t.method"
    "  AND coalesce(o.endpoint, o.template) = t.tmpl AND o.direction = 'inbound'"
    " JOIN traffic_hour h ON h.observation_id = o.id"
    " GROUP BY t.host, t.method, t.tmpl, h.hour ORDER BY t.n DESC, t.host, t.method, t.tmpl,"
    " h.hour";

static const struct ac_table_col token_cols[] = {
    {"id", T}, {"name", T}, {"role", T}, {"created_at", T}, {"revoked_at", T}};
static const char token_sql[] =
    "SELECT id, name, role, created_at, revoked_at FROM token ORDER BY created_at, id";

static const struct ac_table_col audit_cols[] = {{"id", I},     {"at", T},     {"actor", T},
                                                 {"action", T}, {"target", T}, {"detail", J}};
static const char audit_sql[] =
    "SELECT id, at, actor, action, target, detail FROM audit ORDER BY id DESC LIMIT 10000";

static const struct ac_table_col webhook_cols[] = {
    {"id", I},        {"url", T},     {"created_at", T}, {"created_by", T},
    {"delivered", I}, {"pending", I}, {"failed", I},     {"last_error", T}};
static const char webhook_sql[] =
    "SELECT w.id, w.url, w.created_at, w.created_by,"
    " (SELECT count(*) FROM webhook_delivery d WHERE d.webhook_id = w.id"
    "  AND d.delivered_at IS NOT NULL AND d.attempts > 0),"
    " (SELECT count(*) FROM webhook_delivery d WHERE d.webhook_id = w.id"
    "  AND d.delivered_at IS NULL AND d.attempts < 10),"
    " (SELECT count(*) FROM webhook_delivery d WHERE d.webhook_id = w.id"
    "  AND d.delivered_at IS NULL AND d.attempts >= 10),"
    " (SELECT d.last_error FROM webhook_delivery d WHERE d.webhook_id = w.id"
    "  AND d.last_error IS NOT NULL ORDER BY d.event_id DESC LIMIT 1)"
    " FROM webhook w ORDER BY w.id";

static const struct ac_table_col policy_cols[] = {{"key", T}, {"value", J}, {"document", T}};
static const char policy_sql[] = "SELECT p.key, p.value, d.path FROM policy_decl p"
                                 " JOIN document d ON d.id = p.document_id ORDER BY p.key, d.path";

struct listing {
    const struct ac_table_col *cols;
    size_t ncols;
    const char *sql;
};

#define LISTING(c, s)                                                                              \
    {                                                                                              \
        c, sizeof(c) / sizeof(c[0]), s                                                             \
    }
static const struct listing listings[] = {
    [AC_LIST_APIS] = LISTING(api_cols, api_sql),
    [AC_LIST_VERSIONS] = LISTING(version_cols, version_sql),
    [AC_LIST_DEPLOYMENTS] = LISTING(deployment_cols, deployment_sql),
    [AC_LIST_OPERATIONS] = LISTING(operation_cols, operation_sql),
    [AC_LIST_INTEGRATIONS] = LISTING(integration_cols, integration_sql),
    [AC_LIST_DOCUMENTS] = LISTING(document_cols, document_sql),
    [AC_LIST_ENDPOINTS] = LISTING(endpoint_cols, endpoint_sql),
    [AC_LIST_FINDINGS] = LISTING(finding_cols, finding_sql),
    [AC_LIST_TRAFFIC] = LISTING(traffic_cols, traffic_sql),
    [AC_LIST_TOKENS] = LISTING(token_cols, token_sql),
    [AC_LIST_AUDIT] = LISTING(audit_cols, audit_sql),
    [AC_LIST_WEBHOOKS] = LISTING(webhook_cols, webhook_sql),
    [AC_LIST_POLICY] = LISTING(policy_cols, policy_sql),
};

static const struct ac_table_col rule_cols[] = {
    {"rule", T},      {"severity", T}, {"default_severity", T},
    {"evaluated", B}, {"summary", T},  {"why", T},
    {"fix", T},       {"help", T}};

/* Set a cell of the last row to a C string (NULL: stays NULL). */
static enum ac_err cell(struct ac_table *t, size_t col, const char *v)
{
    return v != NULL ? ac__table_set(t, col, v, strlen(v)) : AC_OK;
}

/* The rule catalogue (rules.h), each severity after the manifest's policy.severity. */
static enum ac_err list_rules(sqlite3 *db, const char *path, struct ac_table **out,
                              struct ac_diag *d)
{
    static const char sql[] = "SELECT json_extract(value, '$.\"' || ?1 || '\"') FROM policy_decl"
                              " WHERE key = 'severity' ORDER BY document_id DESC LIMIT 1";
    const struct ac__rule_info *r;
    struct ac_table *t;
    sqlite3_stmt *st = NULL;
    char help[96];
    size_t i, n;
    enum ac_err err = AC_OK;

    r = ac__rules(&n);
    t = ac__table_new(rule_cols, sizeof(rule_cols) / sizeof(rule_cols[0]));
    if (t == NULL)
        return ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        err = ac_diag_set(d, AC_ESTORE, path, 0, 0, "listing rules: %s", sqlite3_errmsg(db));
    for (i = 0; err == AC_OK && i < n; i++) {
        const char *sev = r[i].severity;

        sqlite3_bind_text(st, 1, r[i].id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT)
            sev = (const char *)sqlite3_column_text(st, 0);
        snprintf(help, sizeof(help), "docs/rules.md#%s", r[i].id);
        err = ac__table_add_row(t);
        if (err == AC_OK)
            err = cell(t, 0, r[i].id);
        if (err == AC_OK)
            err = cell(t, 1, sev);
        if (err == AC_OK)
            err = cell(t, 2, r[i].severity);
        if (err == AC_OK)
            err = cell(t, 3, r[i].evaluated ? "1" : "0");
        if (err == AC_OK)
            err = cell(t, 4, r[i].summary);
        if (err == AC_OK)
            err = cell(t, 5, r[i].why);
        if (err == AC_OK)
            err = cell(t, 6, r[i].fix);
        if (err == AC_OK)
            err = cell(t, 7, help);
        sqlite3_reset(st);
        if (err != AC_OK)
            err = ac_diag_set(d, err, NULL, 0, 0, "out of memory");
    }
    sqlite3_finalize(st);
    if (err != AC_OK) {
        ac_table_free(t);
        t = NULL;
    }
    *out = t;
    return err;
}

enum ac_err ac__sqlite_list(sqlite3 *db, const char *path, enum ac_list_kind kind,
                            const struct ac_list_filter *f, struct ac_table **out,
                            struct ac_diag *d)
{
    const struct listing *l;
    sqlite3_stmt *st = NULL;
    struct ac_table *t = NULL;
    enum ac_err err = AC_OK;
    int rc;
    size_t c;

    if (kind == AC_LIST_RULES)
        return list_rules(db, path, out, d);
    if ((unsigned)kind >= sizeof(listings) / sizeof(listings[0]))
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "unknown listing");
    l = &listings[kind];
    if (sqlite3_prepare_v2(db, l->sql, -1, &st, NULL) != SQLITE_OK) {
        err = ac_diag_set(d, AC_ESTORE, path, 0, 0, "preparing a listing: %s", sqlite3_errmsg(db));
        goto out;
    }
    rc = SQLITE_OK;
    if (sqlite3_bind_parameter_count(st) >= 1)
        rc = (f != NULL && f->api != NULL) ? sqlite3_bind_text(st, 1, f->api, -1, SQLITE_TRANSIENT)
                                           : sqlite3_bind_null(st, 1);
    if (rc == SQLITE_OK && sqlite3_bind_parameter_count(st) >= 2)
        rc = sqlite3_bind_int(st, 2, f != NULL && f->include_removed);
    if (rc == SQLITE_OK && sqlite3_bind_parameter_count(st) >= 5) {
        const char *v[5] = {f != NULL ? f->rule : NULL, f != NULL ? f->severity : NULL,
                            f != NULL ? f->state : NULL, f != NULL ? f->host : NULL,
                            f != NULL ? f->id : NULL};
        int k, n = sqlite3_bind_parameter_count(st) - 2;

        for (k = 0; rc == SQLITE_OK && k < n && k < 5; k++)
            rc = v[k] != NULL ? sqlite3_bind_text(st, 3 + k, v[k], -1, SQLITE_TRANSIENT)
                              : sqlite3_bind_null(st, 3 + k);
    }
    if (rc != SQLITE_OK) {
        err = ac_diag_set(d, AC_ESTORE, path, 0, 0, "binding: %s", sqlite3_errmsg(db));
        goto out;
    }
    t = ac__table_new(l->cols, l->ncols);
    if (t == NULL) {
        err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (ac__table_add_row(t) != AC_OK) {
            err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
            goto out;
        }
        for (c = 0; c < l->ncols; c++) {
            const char *v = (const char *)sqlite3_column_text(st, (int)c);

            if (v != NULL &&
                ac__table_set(t, c, v, (size_t)sqlite3_column_bytes(st, (int)c)) != AC_OK) {
                err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
                goto out;
            }
        }
    }
    if (rc != SQLITE_DONE)
        err = ac_diag_set(d, AC_ESTORE, path, 0, 0, "listing: %s", sqlite3_errmsg(db));
out:
    sqlite3_finalize(st);
    if (err != AC_OK) {
        ac_table_free(t);
        return err;
    }
    *out = t;
    return AC_OK;
}
