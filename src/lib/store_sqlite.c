/* store_sqlite.c - the SQLite backend of the store interface (store.h).
 *
 * One file, WAL journal, foreign keys on, STRICT tables from the embedded schema.sql, migrations
 * keyed on PRAGMA user_version. Every statement has bound parameters; the statements of apply()
 * are prepared once and kept for the life of the handle (listings, run once per command, are
 * prepared per call in store_sqlite_list.c). apply() replaces one document's declarations in one
 * transaction, keeping operation history: operations the document no longer declares get
 * `removed_at`.
 */
#include "store.h"

#include "buf.h"
#include "store_sqlite.h"
#include "store_sqlite_list.h"
#include "table.h"

#include <json-c/json.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char ac__schema_sql[];
extern const char ac__schema_2_sql[];
extern const char ac__schema_3_sql[];
extern const char ac__schema_4_sql[];
extern const char ac__schema_5_sql[];
extern const char ac__schema_6_sql[];
extern const char ac__schema_7_sql[];
extern const char ac__schema_8_sql[];
extern const char ac__schema_9_sql[];
extern const char ac__schema_10_sql[];
extern const char ac__schema_11_sql[];
extern const char ac__schema_12_sql[];
extern const char ac__schema_13_sql[];
extern const char ac__schema_14_sql[];

enum stmt_id {
    S_DOC_STATE,
    S_DOC_FIND,
    S_DOC_INSERT,
    S_DOC_UPDATE,
    S_DEL_API,
    S_DEL_VERSION,
    S_DEL_DEPLOYMENT,
    S_DEL_INTEGRATION,
    S_DEL_DOMAIN,
    S_DEL_POLICY,
    S_DEL_ACCEPT,
    S_INS_API,
    S_INS_VERSION,
    S_INS_DEPLOYMENT,
    S_INS_INTEGRATION,
    S_INS_DOMAIN,
    S_INS_POLICY,
    S_INS_ACCEPT,
    S_OP_FIND,
    S_OP_INSERT,
    S_OP_UPDATE,
    S_OP_REMOVE,
    S_SEEN_CLEAR,
    S_SEEN_ADD,
    S_COUNT_
};

_Static_assert(S_COUNT_ <= AC__SQ_STMTS, "raise AC__SQ_STMTS");

static const char *const stmt_sql[S_COUNT_] = {
    [S_DOC_STATE] = "SELECT sha256, api, version, attached_by FROM document WHERE path = ?1",
    [S_DOC_FIND] = "SELECT id FROM document WHERE path = ?1",
    [S_DOC_INSERT] = "INSERT INTO document (path, kind, format, sha256, api, version, attached_by,"
                     " imported_at, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    [S_DOC_UPDATE] = "UPDATE document SET kind = ?2, format = ?3, sha256 = ?4, api = ?5,"
                     " version = ?6, attached_by = ?7, changed_at = ?8 WHERE id = ?1",
    [S_DEL_API] = "DELETE FROM api_decl WHERE document_id = ?1",
    [S_DEL_VERSION] = "DELETE FROM version_decl WHERE document_id = ?1",
    [S_DEL_DEPLOYMENT] = "DELETE FROM deployment_decl WHERE document_id = ?1",
    [S_DEL_INTEGRATION] = "DELETE FROM integration_decl WHERE document_id = ?1",
    [S_DEL_DOMAIN] = "DELETE FROM domain_decl WHERE document_id = ?1",
    [S_DEL_POLICY] = "DELETE FROM policy_decl WHERE document_id = ?1",
    [S_DEL_ACCEPT] = "DELETE FROM acceptance WHERE document_id = ?1",
    [S_INS_API] = "INSERT OR REPLACE INTO api_decl (document_id, layer, name, owner, contact,"
                  " description, lifecycle, docs, data, review_last, review_every_days, line)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    [S_INS_VERSION] = "INSERT OR REPLACE INTO version_decl (document_id, layer, api, label,"
                      " status, deprecated_on, sunset, superseded_by, line)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [S_INS_DEPLOYMENT] = "INSERT INTO deployment_decl (document_id, seq, layer, api, version, url,"
                         " scheme, host, port, base_path, environment, audience, protections,"
                         " production_data, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                         " ?10, ?11, ?12, ?13, ?14, ?15)",
    [S_INS_INTEGRATION] = "INSERT OR REPLACE INTO integration_decl (document_id, name, url, host,"
                          " direction, purpose, data, justification, approved_by, approved_on,"
                          " line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [S_INS_DOMAIN] = "INSERT OR IGNORE INTO domain_decl (document_id, domain) VALUES (?1, ?2)",
    [S_INS_POLICY] = "INSERT OR REPLACE INTO policy_decl (document_id, key, value, line)"
                     " VALUES (?1, ?2, ?3, ?4)",
    [S_INS_ACCEPT] = "INSERT INTO acceptance (document_id, finding, reason, until, line,"
                     " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [S_OP_FIND] = "SELECT id FROM operation WHERE document_id = ?1 AND method = ?2 AND"
                  " template = ?3",
    [S_OP_INSERT] = "INSERT INTO operation (document_id, api, version, method, template,"
                    " operation_id, summary, deprecated, security, requires_auth, responses,"
                    " params, rate_limited, cors, redirects, audience, line, declared_at)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
                    " ?16, ?17, ?18)",
    [S_OP_UPDATE] = "UPDATE operation SET api = ?2, version = ?3, operation_id = ?6,"
                    " summary = ?7, deprecated = ?8, security = ?9, requires_auth = ?10,"
                    " responses = ?11, params = ?12, rate_limited = ?13, cors = ?14,"
                    " redirects = ?15, audience = ?16, line = ?17, removed_at = NULL,"
                    " declared_at = coalesce(declared_at, ?18)"
                    " WHERE id = ?1 AND method = ?4 AND template = ?5",
    [S_OP_REMOVE] = "UPDATE operation SET removed_at = ?2 WHERE document_id = ?1 AND"
                    " removed_at IS NULL AND id NOT IN (SELECT id FROM temp.seen)",
    [S_SEEN_CLEAR] = "DELETE FROM temp.seen",
    [S_SEEN_ADD] = "INSERT OR IGNORE INTO temp.seen (id) VALUES (?1)",
};

enum ac_err ac__sq_err(struct sqlite_store *s, struct ac_diag *d, const char *what)
{
    return ac_diag_set(d, AC_ESTORE, s->path, 0, 0, "%s: %s", what, sqlite3_errmsg(s->db));
}

enum ac_err ac__sq_exec(struct sqlite_store *s, const char *sql, struct ac_diag *d)
{
    char *msg = NULL;
    enum ac_err err = AC_OK;

    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        err = ac_diag_set(d, AC_ESTORE, s->path, 0, 0, "%s", msg != NULL ? msg : "SQL error");
        sqlite3_free(msg);
    }
    return err;
}

/* The prepared statement `id`, reset and unbound, prepared on first use. */
static sqlite3_stmt *stmt(struct sqlite_store *s, enum stmt_id id)
{
    sqlite3_stmt *st = s->stmts[id];

    if (st == NULL) {
        if (sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
            SQLITE_OK)
            return NULL;
        s->stmts[id] = st;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

/* Bind helpers: NULL strings and -1 integers bind SQL NULL. */
int ac__sq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    return v != NULL ? sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

int ac__sq_bind_static(sqlite3_stmt *st, int i, const char *v)
{
    return v != NULL ? sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

int ac__sq_bind_int(sqlite3_stmt *st, int i, int64_t v)
{
    return v >= 0 ? sqlite3_bind_int64(st, i, v) : sqlite3_bind_null(st, i);
}

/* Run a statement that returns no rows. */
enum ac_err ac__sq_step_done(struct sqlite_store *s, sqlite3_stmt *st, struct ac_diag *d,
                             const char *what)
{
    int rc = sqlite3_step(st);

    sqlite3_reset(st);
    return rc == SQLITE_DONE ? AC_OK : ac__sq_err(s, d, what);
}

static enum ac_err read_version(struct sqlite_store *s, int *version, struct ac_diag *d)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return ac__sq_err(s, d, "reading the schema version");
    rc = sqlite3_step(st);
    *version = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? AC_OK : ac__sq_err(s, d, "reading the schema version");
}

/* Bring the schema up to date. The version is read again inside the write transaction, so two
 * processes opening a new store at once migrate it exactly once. */
static enum ac_err migrate(struct sqlite_store *s, struct ac_diag *d)
{
    /* migrations[v] takes a store from version v to v + 1. */
    static const char *const migrations[] = {
        ac__schema_sql,    ac__schema_2_sql,  ac__schema_3_sql,  ac__schema_4_sql,
        ac__schema_5_sql,  ac__schema_6_sql,  ac__schema_7_sql,  ac__schema_8_sql,
        ac__schema_9_sql,  ac__schema_10_sql, ac__schema_11_sql, ac__schema_12_sql,
        ac__schema_13_sql, ac__schema_14_sql};
    _Static_assert(sizeof(migrations) / sizeof(migrations[0]) == AC__SCHEMA_VERSION,
                   "one migration per schema version");
    char pragma[64];
    int version = 0;
    enum ac_err err;

    err = read_version(s, &version, d);
    if (err != AC_OK || version == AC__SCHEMA_VERSION)
        goto check;
    err = ac__sq_exec(s, "BEGIN IMMEDIATE", d);
    if (err == AC_OK)
        err = read_version(s, &version, d);
    for (; err == AC_OK && version < AC__SCHEMA_VERSION; version++)
        err = ac__sq_exec(s, migrations[version], d);
    if (err == AC_OK) {
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", version);
        err = ac__sq_exec(s, pragma, d);
    }
    if (err == AC_OK)
        err = ac__sq_exec(s, "COMMIT", d);
    else
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
check:
    if (err == AC_OK && version > AC__SCHEMA_VERSION)
        err = ac_diag_set(d, AC_ESTORE, s->path, 0, 0,
                          "the store has schema version %d; this apicensus knows up to %d "
                          "(upgrade apicensus)",
                          version, AC__SCHEMA_VERSION);
    return err;
}

/* Once per process, before SQLite's first use: no memory statistics (they take a global mutex
 * around every allocation SQLite makes, about 2% of a commit's work, for figures no one reads).
 * When the program had SQLite initialised already, the call fails and nothing changes. */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_setup(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* --- checkpoints behind the writer --------------------------------------------------------- *
 *
 * SQLite copies the write-ahead log into the database (a checkpoint) when a commit leaves it at
 * 1000 pages or more, in that commit, and at the close of the last connection. After an
 * ingest's batch that copy (a few MiB and an fsync) would stand between the commit and the
 * findings, and again at the close. Instead the WAL hook starts it on a thread of its own with
 * a connection of its own (PASSIVE: it copies what it can and never waits for a reader or a
 * writer), so it runs on the other CPU while the findings are brought up to date; the close then
 * has only what was written after it. A second one is not started while one runs, and no commit
 * waits for one: the close does. */

#define CHECKPOINT_PAGES 256 /* SQLite's own is 1000; an ingest's batch may write fewer */

static void *checkpoint_behind(void *arg)
{
    struct sqlite_store *s = arg;
    sqlite3 *db = NULL;
    int copied = 0;

    /* A first read opens the WAL: until then the connection does not know the store uses one,
     * and a checkpoint would do nothing. */
    if (sqlite3_open_v2(s->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) ==
            SQLITE_OK &&
        sqlite3_exec(db, "SELECT 1 FROM sqlite_schema LIMIT 1", NULL, NULL, NULL) == SQLITE_OK &&
        sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, &copied) !=
            SQLITE_OK)
        copied = 0;
    sqlite3_close(db); /* not the last connection: it leaves the WAL as it is */
    atomic_store(&s->checkpointed, copied > 0 ? copied : 0);
    return NULL;
}

/* Wait for the checkpoint running behind, if there is one. */
static void checkpoint_wait(struct sqlite_store *s)
{
    if (s->checkpointing) {
        pthread_join(s->checkpointer, NULL);
        s->wal_copied = atomic_load(&s->checkpointed);
    }
    s->checkpointing = false;
}

/* After each commit: `pages` frames in the WAL, the copied ones included until a writer starts
 * it again from the top (then fewer than were copied, or more: the count of new ones is then
 * low, and the checkpoint comes a few commits later). */
static int wal_committed(void *ud, sqlite3 *db, const char *name, int pages)
{
    struct sqlite_store *s = ud;

    if (strcmp(name, "main") != 0)
        return SQLITE_OK;
    if (s->checkpointing && atomic_load(&s->checkpointed) < 0)
        return SQLITE_OK; /* one at a time, and a commit never waits for one */
    checkpoint_wait(s);
    if ((s->wal_copied < pages ? pages - s->wal_copied : pages) < CHECKPOINT_PAGES)
        return SQLITE_OK;
    atomic_store(&s->checkpointed, -1);
    s->checkpointing = pthread_create(&s->checkpointer, NULL, checkpoint_behind, s) == 0;
    if (!s->checkpointing) /* no thread: as SQLite would have, in this commit */
        (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

static void sqlite_close(struct ac_store *base)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    int i;

    if (s == NULL)
        return;
    checkpoint_wait(s);
    for (i = 0; i < S_COUNT_; i++)
        sqlite3_finalize(s->stmts[i]);
    for (i = 0; i < AC__SQ_OBS_STMTS; i++)
        sqlite3_finalize(s->obs_stmts[i]);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

static enum ac_err sqlite_doc_state(struct ac_store *base, const char *path,
                                    struct ac_doc_state *out, struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = stmt(s, S_DOC_STATE);
    struct ac_doc_state r;
    int rc;

    memset(&r, 0, sizeof(r));
    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    ac__sq_bind_text(st, 1, path);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *v;

        r.exists = true;
        v = sqlite3_column_text(st, 0);
        snprintf(r.sha256, sizeof(r.sha256), "%s", v != NULL ? (const char *)v : "");
        v = sqlite3_column_text(st, 1);
        snprintf(r.api, sizeof(r.api), "%s", v != NULL ? (const char *)v : "");
        v = sqlite3_column_text(st, 2);
        snprintf(r.version, sizeof(r.version), "%s", v != NULL ? (const char *)v : "");
        v = sqlite3_column_text(st, 3);
        snprintf(r.attached_by, sizeof(r.attached_by), "%s", v != NULL ? (const char *)v : "");
    } else if (rc != SQLITE_DONE) {
        sqlite3_reset(st);
        return ac__sq_err(s, d, "reading documents");
    }
    sqlite3_reset(st);
    *out = r;
    return AC_OK;
}

/* JSON array text of a string list; NULL when `present` is false. Caller frees. */
static char *strv_json(const struct ac_strv *v, bool present)
{
    struct json_object *arr;
    char *out;
    size_t i;

    if (!present)
        return NULL;
    arr = json_object_new_array();
    for (i = 0; arr != NULL && i < v->n; i++)
        json_object_array_add(arr, json_object_new_string(v->v[i]));
    out = arr != NULL ? strdup(json_object_to_json_string_ext(
                            arr, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE))
                      : NULL;
    json_object_put(arr);
    return out;
}

static char *params_json(const struct ac_decl_operation *op)
{
    struct json_object *arr = json_object_new_array();
    char *out;
    size_t i;

    for (i = 0; arr != NULL && i < op->nparams; i++) {
        struct json_object *p = json_object_new_object();

        json_object_object_add(p, "name", json_object_new_string(op->params[i].name));
        json_object_object_add(p, "in", json_object_new_string(op->params[i].in));
        json_object_object_add(p, "required", json_object_new_boolean(op->params[i].required));
        if (op->params[i].type != NULL)
            json_object_object_add(p, "type", json_object_new_string(op->params[i].type));
        if (op->params[i].format != NULL)
            json_object_object_add(p, "format", json_object_new_string(op->params[i].format));
        if (op->params[i].nenums > 0) {
            struct json_object *e = json_object_new_array();
            size_t k;

            for (k = 0; e != NULL && k < op->params[i].nenums; k++)
                json_object_array_add(e, json_object_new_string(op->params[i].enums[k]));
            json_object_object_add(p, "enum", e);
        }
        json_object_array_add(arr, p);
    }
    out = arr != NULL ? strdup(json_object_to_json_string_ext(
                            arr, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE))
                      : NULL;
    json_object_put(arr);
    return out;
}

static enum ac_err put_document(struct sqlite_store *s, const struct ac_decl_set *set,
                                const struct ac_apply_info *info, int64_t *id, struct ac_diag *d)
{
    static const char *const kinds[] = {"", "openapi", "backstage", "manifest"};
    sqlite3_stmt *st = stmt(s, S_DOC_FIND);
    int rc;

    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    ac__sq_bind_text(st, 1, info->path);
    rc = sqlite3_step(st);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return ac__sq_err(s, d, "reading documents");
    st = stmt(s, *id >= 0 ? S_DOC_UPDATE : S_DOC_INSERT);
    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    if (*id >= 0)
        sqlite3_bind_int64(st, 1, *id);
    else
        ac__sq_bind_text(st, 1, info->path);
    ac__sq_bind_text(st, 2, kinds[set->kind]);
    ac__sq_bind_text(st, 3, set->format);
    ac__sq_bind_text(st, 4, set->sha256);
    ac__sq_bind_text(st, 5, info->api);
    ac__sq_bind_text(st, 6, info->version);
    ac__sq_bind_text(st, 7, info->attached_by);
    ac__sq_bind_text(st, 8, info->now);
    if (ac__sq_step_done(s, st, d, "writing the document") != AC_OK)
        return AC_ESTORE;
    if (*id < 0)
        *id = sqlite3_last_insert_rowid(s->db);
    return AC_OK;
}

static enum ac_err clear_document(struct sqlite_store *s, int64_t id, struct ac_diag *d)
{
    static const enum stmt_id dels[] = {S_DEL_API,         S_DEL_VERSION, S_DEL_DEPLOYMENT,
                                        S_DEL_INTEGRATION, S_DEL_DOMAIN,  S_DEL_POLICY,
                                        S_DEL_ACCEPT};
    size_t i;

    for (i = 0; i < sizeof(dels) / sizeof(dels[0]); i++) {
        sqlite3_stmt *st = stmt(s, dels[i]);

        if (st == NULL)
            return ac__sq_err(s, d, "preparing a query");
        sqlite3_bind_int64(st, 1, id);
        if (ac__sq_step_done(s, st, d, "replacing declarations") != AC_OK)
            return AC_ESTORE;
    }
    return AC_OK;
}

static enum ac_err put_apis(struct sqlite_store *s, const struct ac_decl_set *set, int64_t id,
                            struct ac_diag *d)
{
    size_t i;

    for (i = 0; i < set->napis; i++) {
        const struct ac_decl_api *a = &set->apis[i];
        sqlite3_stmt *st = stmt(s, S_INS_API);
        char *data = strv_json(&a->data, a->has_data);
        enum ac_err err;

        if (st == NULL) {
            free(data);
            return ac__sq_err(s, d, "preparing a query");
        }
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, (int)set->kind);
        ac__sq_bind_text(st, 3, a->name);
        ac__sq_bind_text(st, 4, a->owner);
        ac__sq_bind_text(st, 5, a->contact);
        ac__sq_bind_text(st, 6, a->description);
        ac__sq_bind_text(st, 7, a->lifecycle);
        ac__sq_bind_text(st, 8, a->docs);
        ac__sq_bind_text(st, 9, data);
        ac__sq_bind_text(st, 10, a->review_last);
        ac__sq_bind_int(st, 11, a->review_every_days);
        sqlite3_bind_int64(st, 12, a->line);
        err = ac__sq_step_done(s, st, d, "storing an API");
        free(data);
        if (err != AC_OK)
            return err;
    }
    for (i = 0; i < set->nversions; i++) {
        const struct ac_decl_version *v = &set->versions[i];
        sqlite3_stmt *st = stmt(s, S_INS_VERSION);

        if (st == NULL)
            return ac__sq_err(s, d, "preparing a query");
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, (int)set->kind);
        ac__sq_bind_text(st, 3, v->api);
        ac__sq_bind_text(st, 4, v->label);
        ac__sq_bind_text(st, 5, v->status);
        ac__sq_bind_text(st, 6, v->deprecated_on);
        ac__sq_bind_text(st, 7, v->sunset);
        ac__sq_bind_text(st, 8, v->superseded_by);
        sqlite3_bind_int64(st, 9, v->line);
        if (ac__sq_step_done(s, st, d, "storing a version") != AC_OK)
            return AC_ESTORE;
    }
    return AC_OK;
}

static enum ac_err put_deployments(struct sqlite_store *s, const struct ac_decl_set *set,
                                   int64_t id, struct ac_diag *d)
{
    size_t i;

    for (i = 0; i < set->ndeployments; i++) {
        const struct ac_decl_deployment *x = &set->deployments[i];
        sqlite3_stmt *st = stmt(s, S_INS_DEPLOYMENT);
        char *prot = strv_json(&x->protections, x->has_protections);
        enum ac_err err;

        if (st == NULL) {
            free(prot);
            return ac__sq_err(s, d, "preparing a query");
        }
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, (int64_t)i);
        sqlite3_bind_int(st, 3, (int)set->kind);
        ac__sq_bind_text(st, 4, x->api);
        ac__sq_bind_text(st, 5, x->version);
        ac__sq_bind_text(st, 6, x->url);
        ac__sq_bind_text(st, 7, x->scheme);
        ac__sq_bind_text(st, 8, x->host);
        ac__sq_bind_int(st, 9, x->port);
        ac__sq_bind_text(st, 10, x->base_path);
        ac__sq_bind_text(st, 11, x->environment);
        ac__sq_bind_text(st, 12, x->audience);
        ac__sq_bind_text(st, 13, prot);
        ac__sq_bind_int(st, 14, x->production_data);
        sqlite3_bind_int64(st, 15, x->line);
        err = ac__sq_step_done(s, st, d, "storing a deployment");
        free(prot);
        if (err != AC_OK)
            return err;
    }
    return AC_OK;
}

static enum ac_err put_other(struct sqlite_store *s, const struct ac_decl_set *set, int64_t id,
                             const char *now, struct ac_diag *d)
{
    size_t i;
    sqlite3_stmt *st;
    enum ac_err err;

    for (i = 0; i < set->nintegrations; i++) {
        const struct ac_decl_integration *x = &set->integrations[i];
        char *data = strv_json(&x->data, true);

        st = stmt(s, S_INS_INTEGRATION);
        if (st == NULL) {
            free(data);
            return ac__sq_err(s, d, "preparing a query");
        }
        sqlite3_bind_int64(st, 1, id);
        ac__sq_bind_text(st, 2, x->name);
        ac__sq_bind_text(st, 3, x->url);
        ac__sq_bind_text(st, 4, x->host);
        ac__sq_bind_text(st, 5, x->direction);
        ac__sq_bind_text(st, 6, x->purpose);
        ac__sq_bind_text(st, 7, data);
        ac__sq_bind_text(st, 8, x->justification);
        ac__sq_bind_text(st, 9, x->approved_by);
        ac__sq_bind_text(st, 10, x->approved_on);
        sqlite3_bind_int64(st, 11, x->line);
        err = ac__sq_step_done(s, st, d, "storing an integration");
        free(data);
        if (err != AC_OK)
            return err;
    }
    for (i = 0; i < set->domains.n; i++) {
        st = stmt(s, S_INS_DOMAIN);
        if (st == NULL)
            return ac__sq_err(s, d, "preparing a query");
        sqlite3_bind_int64(st, 1, id);
        ac__sq_bind_text(st, 2, set->domains.v[i]);
        if (ac__sq_step_done(s, st, d, "storing a domain") != AC_OK)
            return AC_ESTORE;
    }
    for (i = 0; i < set->npolicy; i++) {
        st = stmt(s, S_INS_POLICY);
        if (st == NULL)
            return ac__sq_err(s, d, "preparing a query");
        sqlite3_bind_int64(st, 1, id);
        ac__sq_bind_text(st, 2, set->policy[i].key);
        ac__sq_bind_text(st, 3, set->policy[i].value);
        sqlite3_bind_int64(st, 4, set->policy[i].line);
        if (ac__sq_step_done(s, st, d, "storing policy") != AC_OK)
            return AC_ESTORE;
    }
    for (i = 0; i < set->naccepted; i++) {
        st = stmt(s, S_INS_ACCEPT);
        if (st == NULL)
            return ac__sq_err(s, d, "preparing a query");
        sqlite3_bind_int64(st, 1, id);
        ac__sq_bind_text(st, 2, set->accepted[i].finding);
        ac__sq_bind_text(st, 3, set->accepted[i].reason);
        ac__sq_bind_text(st, 4, set->accepted[i].until);
        sqlite3_bind_int64(st, 5, set->accepted[i].line);
        ac__sq_bind_text(st, 6, now);
        if (ac__sq_step_done(s, st, d, "storing an acceptance") != AC_OK)
            return AC_ESTORE;
    }
    return AC_OK;
}

/* Insert or update one operation; *added is set when it is new to the store. */
static enum ac_err put_operation(struct sqlite_store *s, int64_t docid,
                                 const struct ac_decl_operation *op, const char *api,
                                 const char *now, bool *added, struct ac_diag *d)
{
    sqlite3_stmt *st = stmt(s, S_OP_FIND);
    char *resp = NULL, *params = NULL;
    int64_t opid = -1;
    int rc;
    enum ac_err err = AC_OK;

    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    sqlite3_bind_int64(st, 1, docid);
    ac__sq_bind_text(st, 2, op->method);
    ac__sq_bind_text(st, 3, op->tmpl);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        opid = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return ac__sq_err(s, d, "reading operations");
    resp = strv_json(&op->responses, true);
    params = params_json(op);
    if (resp == NULL || params == NULL) {
        err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    st = stmt(s, opid >= 0 ? S_OP_UPDATE : S_OP_INSERT);
    if (st == NULL) {
        err = ac__sq_err(s, d, "preparing a query");
        goto out;
    }
    if (opid >= 0)
        sqlite3_bind_int64(st, 1, opid);
    else
        sqlite3_bind_int64(st, 1, docid);
    ac__sq_bind_text(st, 2, api);
    ac__sq_bind_text(st, 3, op->version);
    ac__sq_bind_text(st, 4, op->method);
    ac__sq_bind_text(st, 5, op->tmpl);
    ac__sq_bind_text(st, 6, op->operation_id);
    ac__sq_bind_text(st, 7, op->summary);
    sqlite3_bind_int(st, 8, op->deprecated);
    ac__sq_bind_text(st, 9, op->security);
    sqlite3_bind_int(st, 10, op->requires_auth);
    ac__sq_bind_text(st, 11, resp);
    ac__sq_bind_text(st, 12, params);
    sqlite3_bind_int(st, 13, op->rate_limited);
    sqlite3_bind_int(st, 14, op->cors);
    sqlite3_bind_int(st, 15, op->redirects);
    ac__sq_bind_text(st, 16, op->internal);
    sqlite3_bind_int64(st, 17, op->line);
    ac__sq_bind_text(st, 18, now);
    err = ac__sq_step_done(s, st, d, "storing an operation");
    if (err != AC_OK)
        goto out;
    if (opid < 0)
        opid = sqlite3_last_insert_rowid(s->db);
    *added = (rc != SQLITE_ROW);
    st = stmt(s, S_SEEN_ADD);
    if (st == NULL) {
        err = ac__sq_err(s, d, "preparing a query");
        goto out;
    }
    sqlite3_bind_int64(st, 1, opid);
    err = ac__sq_step_done(s, st, d, "tracking operations");
out:
    free(resp);
    free(params);
    return err;
}

static enum ac_err put_operations(struct sqlite_store *s, const struct ac_decl_set *set, int64_t id,
                                  const struct ac_apply_info *info, struct ac_apply_result *res,
                                  struct ac_diag *d)
{
    sqlite3_stmt *st = stmt(s, S_SEEN_CLEAR);
    size_t i;
    enum ac_err err;

    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    if (ac__sq_step_done(s, st, d, "tracking operations") != AC_OK)
        return AC_ESTORE;
    for (i = 0; i < set->noperations; i++) {
        const struct ac_decl_operation *op = &set->operations[i];
        bool added = false;

        err =
            put_operation(s, id, op, info->api != NULL ? info->api : op->api, info->now, &added, d);
        if (err != AC_OK)
            return err;
        res->added += added;
    }
    st = stmt(s, S_OP_REMOVE);
    if (st == NULL)
        return ac__sq_err(s, d, "preparing a query");
    sqlite3_bind_int64(st, 1, id);
    ac__sq_bind_text(st, 2, info->now);
    if (ac__sq_step_done(s, st, d, "recording removed operations") != AC_OK)
        return AC_ESTORE;
    res->removed = (size_t)sqlite3_changes(s->db);
    return AC_OK;
}

static enum ac_err sqlite_apply(struct ac_store *base, const struct ac_decl_set *set,
                                const struct ac_apply_info *info, struct ac_apply_result *res,
                                struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    struct ac_apply_result r = {0, 0};
    int64_t id = -1;
    enum ac_err err;

    err = ac__sq_exec(s, "BEGIN IMMEDIATE", d);
    if (err != AC_OK)
        return err;
    err = put_document(s, set, info, &id, d);
    if (err == AC_OK)
        err = clear_document(s, id, d);
    if (err == AC_OK)
        err = put_apis(s, set, id, d);
    if (err == AC_OK)
        err = put_deployments(s, set, id, d);
    if (err == AC_OK)
        err = put_other(s, set, id, info->now, d);
    if (err == AC_OK)
        err = put_operations(s, set, id, info, &r, d);
    if (err == AC_OK)
        err = ac__sq_exec(s, "COMMIT", d);
    if (err != AC_OK) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return err;
    }
    *res = r;
    return AC_OK;
}

static enum ac_err sqlite_list(struct ac_store *base, enum ac_list_kind kind,
                               const struct ac_list_filter *f, struct ac_table **out,
                               struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;

    return ac__sqlite_list(s->db, s->path, kind, f, out, d);
}

static const struct ac_store_ops sqlite_ops = {
    .name = "sqlite",
    .doc_state = sqlite_doc_state,
    .apply = sqlite_apply,
    .list = sqlite_list,
    .documented = ac__sq_documented,
    .domains = ac__sq_domains,
    .checkpoint = ac__sq_checkpoint,
    .commit_batch = ac__sq_commit_batch,
    .batch_seen = ac__sq_batch_seen,
    .path_policy = ac__sq_path_policy,
    .shapes = ac__sq_shapes,
    .derive = ac__sq_derive,
    .rematch = ac__sq_rematch,
    .reconcile = ac__sq_reconcile,
    .accept = ac__sq_accept,
    .gate = ac__sq_gate,
    .expire = ac__sq_expire,
    .count_endpoints = ac__sq_count_endpoints,
    .token_put = ac__sq_token_put,
    .token_get = ac__sq_token_get,
    .token_revoke = ac__sq_token_revoke,
    .audit = ac__sq_audit,
    .reopen = ac__sq_reopen,
    .webhook_add = ac__sq_webhook_add,
    .webhook_remove = ac__sq_webhook_remove,
    .webhook_deliver = ac__sq_webhook_deliver,
    .probe_save = ac__sq_probe_save,
    .close = sqlite_close,
};

enum ac_err ac__sqlite_open(const char *path, struct ac_store **out, struct ac_diag *d)
{
    struct sqlite_store *s = calloc(1, sizeof(*s));
    enum ac_err err = AC_OK;

    if (s == NULL)
        return ac_diag_set(d, AC_ENOMEM, path, 0, 0, "out of memory");
    s->base.ops = &sqlite_ops;
    s->path = strdup(path);
    if (s->path == NULL) {
        err = ac_diag_set(d, AC_ENOMEM, path, 0, 0, "out of memory");
        goto out;
    }
    pthread_once(&sqlite_once, sqlite_setup);
    /* NOMUTEX: a store is used by one thread at a time (<apicensus/store.h>), so SQLite's
     * per-call locking of the connection is only overhead (about 3% of a commit's work). */
    if (sqlite3_open_v2(path, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        err = ac__sq_err(s, d, "cannot open the store");
        goto out;
    }
    sqlite3_busy_timeout(s->db, 5000);
    sqlite3_wal_hook(s->db, wal_committed, s); /* in place of SQLite's own checkpoints */
    sqlite3_extended_result_codes(s->db, 1);
    err = ac__sq_exec(s,
                      "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
                      " PRAGMA synchronous = NORMAL; PRAGMA cache_size = -8192",
                      d);
    if (err == AC_OK)
        err = migrate(s, d);
    if (err == AC_OK)
        err = ac__sq_exec(s, "CREATE TEMP TABLE IF NOT EXISTS seen (id INTEGER PRIMARY KEY)", d);
out:
    if (err != AC_OK) {
        sqlite_close(&s->base);
        return err;
    }
    *out = &s->base;
    return AC_OK;
}
