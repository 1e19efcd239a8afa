/* store_sqlite_probe.c - the probe's facts in the SQLite backend (schema_11.sql probe_fact).
 *
 * A probe of some hosts replaces everything stored about those hosts in one transaction: a
 * bypass that was fixed, documentation taken down, a rate limit added all disappear with the
 * next probe, and reconciliation resolves their findings. Facts about other hosts stay.
 */
#include "store_sqlite.h"

enum ac_err ac__sq_probe_save(struct ac_store *base, const char *const *hosts, size_t nhosts,
                              const struct ac_probe_fact *facts, size_t n, const char *now,
                              struct ac_diag *d)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    sqlite3_stmt *del = NULL, *ins = NULL;
    enum ac_err err;
    size_t i;

    err = ac__sq_exec(s, "BEGIN IMMEDIATE", d);
    if (err != AC_OK)
        return err;
    if (sqlite3_prepare_v2(s->db, "DELETE FROM probe_fact WHERE host = ?1", -1, &del, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "INSERT INTO probe_fact (kind, host, method, path, status, detail,"
                           " probed_at) VALUES (?1, ?2, ?3, ?4, ?5, json(?6), ?7)"
                           " ON CONFLICT (kind, host, method, path) DO UPDATE SET"
                           " status = excluded.status, detail = excluded.detail,"
                           " probed_at = excluded.probed_at",
                           -1, &ins, NULL) != SQLITE_OK) {
        err = ac__sq_err(s, d, "preparing a query");
        goto out;
    }
    for (i = 0; err == AC_OK && i < nhosts; i++) {
        sqlite3_reset(del);
        ac__sq_bind_text(del, 1, hosts[i]);
        err = ac__sq_step_done(s, del, d, "clearing probe facts");
    }
    for (i = 0; err == AC_OK && i < n; i++) {
        const struct ac_probe_fact *f = &facts[i];

        sqlite3_reset(ins);
        ac__sq_bind_text(ins, 1, f->kind);
        ac__sq_bind_text(ins, 2, f->host);
        ac__sq_bind_text(ins, 3, f->method);
        ac__sq_bind_text(ins, 4, f->path);
        ac__sq_bind_int(ins, 5, f->status > 0 ? f->status : -1);
        ac__sq_bind_text(ins, 6, f->detail);
        ac__sq_bind_text(ins, 7, now);
        err = ac__sq_step_done(s, ins, d, "storing a probe fact");
    }
out:
    sqlite3_finalize(del);
    sqlite3_finalize(ins);
    if (err == AC_OK)
        return ac__sq_exec(s, "COMMIT", d);
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return err;
}
