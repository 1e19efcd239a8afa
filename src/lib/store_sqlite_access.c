/* store_sqlite_access.c - tokens, the audit log and reopening findings in the SQLite backend
 * (schema_7.sql; the logic is access.c's). */
#include "store_sqlite.h"

#include <stdlib.h>
#include <string.h>

static const char *text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

enum ac_err ac__sq_token_put(struct ac_store *base, const char *id, const char *name,
                             const char *role, const char *hash, const char *now, struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    enum ac_err err;

    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO token (id, name, role, hash, created_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5)",
                           -1, &st, NULL) != SQLITE_OK)
        return ac__sq_err(s, d, "storing a token");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
    err = ac__sq_step_done(s, st, d, "storing a token");
    sqlite3_finalize(st);
    return err;
}

enum ac_err ac__sq_token_get(struct ac_store *base, const char *id, char hash[65], char role[16],
                             char name[64], struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    enum ac_err err = AC_OK;
    int rc;

    if (sqlite3_prepare_v2(s->db,
                           "SELECT hash, role, name FROM token WHERE id = ?1"
                           " AND revoked_at IS NULL",
                           -1, &st, NULL) != SQLITE_OK)
        return ac__sq_err(s, d, "reading tokens");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 64) {
        memcpy(hash, text(st, 0), 65);
        snprintf(role, 16, "%s", text(st, 1));
        snprintf(name, 64, "%s", text(st, 2));
    } else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        err = ac_diag_set(d, AC_ENOTFOUND, NULL, 0, 0, "unknown token");
    } else {
        err = ac__sq_err(s, d, "reading tokens");
    }
    sqlite3_finalize(st);
    return err;
}

enum ac_err ac__sq_token_revoke(struct ac_store *base, const char *id_or_name, const char *now,
                                struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    enum ac_err err;

    if (sqlite3_prepare_v2(s->db,
                           "UPDATE token SET revoked_at = ?2 WHERE (id = ?1 OR name = ?1)"
                           " AND revoked_at IS NULL",
                           -1, &st, NULL) != SQLITE_OK)
        return ac__sq_err(s, d, "revoking a token");
    sqlite3_bind_text(st, 1, id_or_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    err = ac__sq_step_done(s, st, d, "revoking a token");
    sqlite3_finalize(st);
    if (err == AC_OK && sqlite3_changes(s->db) == 0)
        err = ac_diag_set(d, AC_ENOTFOUND, NULL, 0, 0,
                          "no live token '%s' (see 'apicensus token ls')", id_or_name);
    return err;
}

enum ac_err ac__sq_audit(struct ac_store *base, const char *now, const char *actor,
                         const char *action, const char *target, const char *detail,
                         struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    enum ac_err err;

    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO audit (at, actor, action, target, detail)"
                           " VALUES (?1, ?2, ?3, ?4, json(?5))",
                           -1, &st, NULL) != SQLITE_OK)
        return ac__sq_err(s, d, "writing the audit log");
    sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
    ac__sq_bind_text(st, 4, target);
    ac__sq_bind_text(st, 5, detail);
    err = ac__sq_step_done(s, st, d, "writing the audit log");
    sqlite3_finalize(st);
    return err;
}

enum ac_err ac__sq_reopen(struct ac_store *base, const char *id, struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    enum ac_err err = AC_OK;
    int rc, manifest = 0, cli = 0;
    bool found = false;

    if (sqlite3_prepare_v2(s->db,
                           "SELECT (SELECT 1 FROM finding WHERE id = ?1),"
                           " (SELECT count(*) FROM acceptance WHERE finding = ?1"
                           "  AND document_id IS NOT NULL),"
                           " (SELECT count(*) FROM acceptance WHERE finding = ?1"
                           "  AND document_id IS NULL)",
                           -1, &st, NULL) != SQLITE_OK)
        return ac__sq_err(s, d, "reading findings");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        found = sqlite3_column_type(st, 0) != SQLITE_NULL;
        manifest = sqlite3_column_int(st, 1);
        cli = sqlite3_column_int(st, 2);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return ac__sq_err(s, d, "reading findings");
    if (!found)
        return ac_diag_set(d, AC_ENOTFOUND, NULL, 0, 0, "no finding '%s'", id);
    if (cli == 0)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "%s",
                           manifest > 0 ? "the finding is accepted by a manifest's accepted: list;"
                                          " change the manifest to reopen it"
                                        : "the finding is not accepted");
    if (sqlite3_prepare_v2(s->db,
                           "DELETE FROM acceptance WHERE finding = ?1 AND document_id IS NULL", -1,
                           &st, NULL) != SQLITE_OK)
        return ac__sq_err(s, d, "reopening a finding");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    err = ac__sq_step_done(s, st, d, "reopening a finding");
    sqlite3_finalize(st);
    return err;
}

enum ac_err ac__sq_webhook_add(struct ac_store *base, const char *url, const char *actor,
                               const char *now, long long *id, struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    int rc;

    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO webhook (url, created_at, created_by, after_event)"
                           " VALUES (?1, ?2, ?3, coalesce((SELECT max(id) FROM finding_event), 0))"
                           " ON CONFLICT (url) DO NOTHING",
                           -1, &st, NULL) != SQLITE_OK)
        return ac__sq_err(s, d, "storing a webhook");
    sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, actor, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return ac__sq_err(s, d, "storing a webhook");
    if (sqlite3_changes(s->db) == 0)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "the webhook %s is registered already", url);
    *id = (long long)sqlite3_last_insert_rowid(s->db);
    return AC_OK;
}

enum ac_err ac__sq_webhook_remove(struct ac_store *base, long long id, struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    enum ac_err err;

    if (sqlite3_prepare_v2(s->db, "DELETE FROM webhook WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
        return ac__sq_err(s, d, "removing a webhook");
    sqlite3_bind_int64(st, 1, id);
    err = ac__sq_step_done(s, st, d, "removing a webhook");
    sqlite3_finalize(st);
    if (err == AC_OK && sqlite3_changes(s->db) == 0)
        err = ac_diag_set(d, AC_ENOTFOUND, NULL, 0, 0, "no webhook %lld", id);
    return err;
}

/* The deliveries due now, copied out (the statement is done before anything is sent). */
struct job_copy {
    long long webhook_id, event_id;
    char *url, *event, *payload;
    unsigned attempts;
    bool drop; /* the finding is accepted or resolved by now */
};

#define DUE_SQL                                                                                    \
    "SELECT w.id, e.id, w.url, 'finding.' || e.event, dl.attempts, f.state <> 'open',"             \
    " json_object('text', 'apicensus: ' || e.event || ' ' || f.severity || ' ' || f.rule || ' '"   \
    "  || f.id || ': ' || f.title, 'event', 'finding.' || e.event, 'at', e.at, 'finding',"         \
    "  json_object('id', f.id, 'rule', f.rule, 'severity', f.severity, 'state', f.state,"          \
    "  'title', f.title, 'api', f.api, 'host', f.host, 'method', f.method, 'template',"            \
    "  f.template, 'version', f.version, 'evidence', json(f.evidence), 'file', f.file,"            \
    "  'line', f.line))"                                                                           \
    " FROM webhook_delivery dl JOIN webhook w ON w.id = dl.webhook_id"                             \
    " JOIN finding_event e ON e.id = dl.event_id JOIN finding f ON f.id = e.finding"               \
    " WHERE dl.delivered_at IS NULL AND dl.attempts < ?2 AND dl.next_at <= ?1"                     \
    " ORDER BY dl.next_at, e.id, w.id LIMIT ?3"

static enum ac_err due_jobs(struct sqlite_store *s, long long now_unix, size_t max,
                            struct job_copy **out, size_t *n, struct ac_diag *d)
{
    sqlite3_stmt *st = NULL;
    struct job_copy *v = calloc(max > 0 ? max : 1, sizeof(*v));
    enum ac_err err = AC_OK;
    int rc;

    *out = v;
    *n = 0;
    if (v == NULL)
        return ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    if (sqlite3_prepare_v2(s->db, DUE_SQL, -1, &st, NULL) != SQLITE_OK)
        return ac__sq_err(s, d, "reading webhook deliveries");
    sqlite3_bind_int64(st, 1, now_unix);
    sqlite3_bind_int(st, 2, AC_WEBHOOK_ATTEMPTS);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
    while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct job_copy *j = &v[(*n)++];

        j->webhook_id = sqlite3_column_int64(st, 0);
        j->event_id = sqlite3_column_int64(st, 1);
        j->url = strdup(text(st, 2));
        j->event = strdup(text(st, 3));
        j->attempts = (unsigned)sqlite3_column_int(st, 4);
        j->drop = sqlite3_column_int(st, 5) != 0;
        j->payload = strdup(text(st, 6));
        if (j->url == NULL || j->event == NULL || j->payload == NULL) {
            err = ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
    }
    sqlite3_finalize(st);
    return err;
}

/* Record a try: delivered (ok), dropped, or retried after 2^attempts s (at most an hour). */
static enum ac_err record_try(struct sqlite_store *s, const struct job_copy *j, bool ok,
                              const char *why, long long now_unix, const char *now,
                              struct ac_diag *d)
{
    sqlite3_stmt *st = NULL;
    long long wait = j->attempts >= 12 ? 3600 : 1LL << (j->attempts + 1);
    enum ac_err err;

    if (sqlite3_prepare_v2(s->db,
                           "UPDATE webhook_delivery SET attempts = attempts + ?3,"
                           " delivered_at = ?4, last_error = ?5, next_at = ?6"
                           " WHERE webhook_id = ?1 AND event_id = ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return ac__sq_err(s, d, "recording a webhook delivery");
    sqlite3_bind_int64(st, 1, j->webhook_id);
    sqlite3_bind_int64(st, 2, j->event_id);
    sqlite3_bind_int(st, 3, j->drop ? 0 : 1);
    ac__sq_bind_text(st, 4, ok || j->drop ? now : NULL);
    ac__sq_bind_text(st, 5, j->drop ? "dropped: the finding is no longer open" : why);
    sqlite3_bind_int64(st, 6, now_unix + (wait < 3600 ? wait : 3600));
    err = ac__sq_step_done(s, st, d, "recording a webhook delivery");
    sqlite3_finalize(st);
    return err;
}

enum ac_err ac__sq_webhook_deliver(struct ac_store *base, long long now_unix, const char *now,
                                   size_t max, ac_webhook_send_fn send, void *ud, size_t *sent,
                                   struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    struct job_copy *v = NULL;
    size_t n = 0, i;
    sqlite3_stmt *st = NULL;
    enum ac_err err = AC_OK;

    *sent = 0;
    /* New events, for every webhook registered before them. */
    if (sqlite3_prepare_v2(s->db,
                           "INSERT OR IGNORE INTO webhook_delivery (webhook_id, event_id, next_at)"
                           " SELECT w.id, e.id, ?1 FROM webhook w JOIN finding_event e"
                           "  ON e.id > w.after_event",
                           -1, &st, NULL) != SQLITE_OK)
        return ac__sq_err(s, d, "queueing webhook deliveries");
    sqlite3_bind_int64(st, 1, now_unix);
    err = ac__sq_step_done(s, st, d, "queueing webhook deliveries");
    sqlite3_finalize(st);
    if (err == AC_OK)
        err = due_jobs(s, now_unix, max, &v, &n, d);
    for (i = 0; err == AC_OK && i < n; i++) {
        struct ac_webhook_job job = {v[i].webhook_id, v[i].event_id, v[i].url,
                                     v[i].event,      v[i].payload,  v[i].attempts};
        char why[256] = "";
        bool ok = false;

        if (!v[i].drop) {
            ok = send(ud, &job, why, sizeof(why));
            (*sent)++;
        }
        err = record_try(s, &v[i], ok, ok ? NULL : why, now_unix, now, d);
    }
    for (i = 0; v != NULL && i < n; i++) {
        free(v[i].url);
        free(v[i].event);
        free(v[i].payload);
    }
    free(v);
    return err;
}
