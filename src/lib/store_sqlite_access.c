/* store_sqlite_access.c - tokens, the audit log and reopening findings in the SQLite backend
 * (schema_7.sql; the logic is access.c's). */
#include "store_sqlite.h"

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
