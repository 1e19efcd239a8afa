/* store_sqlite.h - what the files of the SQLite backend share: the handle and small helpers.
 *
 * store_sqlite.c opens, migrates and applies declarations; store_sqlite_list.c runs listings;
 * store_sqlite_obs.c folds traffic batches in. Each keeps its own prepared statements in the
 * handle, prepared on first use and finalised by close.
 */
#ifndef AC_STORE_SQLITE_H
#define AC_STORE_SQLITE_H

#include "store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>

#define AC__SQ_STMTS 32
#define AC__SQ_OBS_STMTS 32

struct sqlite_store {
    struct ac_store base;
    sqlite3 *db;
    sqlite3_stmt *stmts[AC__SQ_STMTS];         /* apply(), store_sqlite.c */
    sqlite3_stmt *obs_stmts[AC__SQ_OBS_STMTS]; /* ingest, store_sqlite_obs.c */
    char *path;
    /* The WAL checkpoint running behind the writer (store_sqlite.c), when `checkpointing`:
     * `checkpointed` is set by its thread at its end to the WAL frames it copied (0: none, -1:
     * not ended). */
    pthread_t checkpointer;
    bool checkpointing;
    atomic_int checkpointed;
    int wal_copied; /* frames of the WAL the last checkpoint that ended had copied */
};

/* Fill d with SQLite's last message for `what`; returns AC_ESTORE. */
enum ac_err ac__sq_err(struct sqlite_store *s, struct ac_diag *d, const char *what);

/* Run SQL text without results (several statements allowed). */
enum ac_err ac__sq_exec(struct sqlite_store *s, const char *sql, struct ac_diag *d);

/* Bind a string (NULL binds SQL NULL) or an integer (negative binds SQL NULL). */
int ac__sq_bind_text(sqlite3_stmt *st, int i, const char *v);
/* ac__sq_bind_text without a copy: v must stay as it is until the statement is stepped and
 * reset (it is bound again, or cleared, before the next step). */
int ac__sq_bind_static(sqlite3_stmt *st, int i, const char *v);
int ac__sq_bind_int(sqlite3_stmt *st, int i, int64_t v);

/* Step a statement that returns no rows and reset it. */
enum ac_err ac__sq_step_done(struct sqlite_store *s, sqlite3_stmt *st, struct ac_diag *d,
                             const char *what);

/* Access operations (store_sqlite_access.c). */
enum ac_err ac__sq_token_put(struct ac_store *base, const char *id, const char *name,
                             const char *role, const char *hash, const char *now,
                             struct ac_diag *d);
enum ac_err ac__sq_token_get(struct ac_store *base, const char *id, char hash[65], char role[16],
                             char name[64], struct ac_diag *d);
enum ac_err ac__sq_token_revoke(struct ac_store *base, const char *id_or_name, const char *now,
                                struct ac_diag *d);
enum ac_err ac__sq_audit(struct ac_store *base, const char *now, const char *actor,
                         const char *action, const char *target, const char *detail,
                         struct ac_diag *d);
enum ac_err ac__sq_reopen(struct ac_store *base, const char *id, struct ac_diag *d);
enum ac_err ac__sq_webhook_add(struct ac_store *base, const char *url, const char *actor,
                               const char *now, long long *id, struct ac_diag *d);
enum ac_err ac__sq_webhook_remove(struct ac_store *base, long long id, struct ac_diag *d);
enum ac_err ac__sq_webhook_deliver(struct ac_store *base, long long now_unix, const char *now,
                                   size_t max, ac_webhook_send_fn send, void *ud, size_t *sent,
                                   struct ac_diag *d);

/* Probe facts (store_sqlite_probe.c, schema_11.sql). */
enum ac_err ac__sq_probe_save(struct ac_store *base, const char *const *hosts, size_t nhosts,
                              const struct ac_probe_fact *facts, size_t n, const char *now,
                              struct ac_diag *d);

/* Ingest operations of the store interface (store_sqlite_obs.c). */
enum ac_err ac__sq_documented(struct ac_store *base, ac_documented_cb cb, void *ud,
                              struct ac_diag *d);
enum ac_err ac__sq_domains(struct ac_store *base, struct ac_domains *out, struct ac_diag *d);
enum ac_err ac__sq_checkpoint(struct ac_store *base, struct ac_checkpoint *cp, struct ac_diag *d);
enum ac_err ac__sq_path_policy(struct ac_store *base, struct ac_path_policy *out,
                               struct ac_diag *d);
enum ac_err ac__sq_shapes(struct ac_store *base, ac_shape_cb cb, void *ud, struct ac_diag *d);
enum ac_err ac__sq_derive(struct ac_store *base, const char *const *literals, size_t nliterals,
                          const char *const *pins, size_t npins, bool dates, struct ac_diag *d);
enum ac_err ac__sq_count_endpoints(struct ac_store *base, uint64_t *n, struct ac_diag *d);
enum ac_err ac__sq_rematch(struct ac_store *base, ac_rematch_fn fn, void *ud, size_t *moved,
                           struct ac_diag *d);
enum ac_err ac__sq_reconcile(struct ac_store *base, const char *now, struct ac_reconcile_stats *out,
                             struct ac_diag *d);
enum ac_err ac__sq_accept(struct ac_store *base, const char *id, const char *reason,
                          const char *until, const char *now, struct ac_diag *d);
enum ac_err ac__sq_expire(struct ac_store *base, const char *now, struct ac_diag *d);
enum ac_err ac__sq_gate(struct ac_store *base, const char *min_severity, size_t *n,
                        const char **level, struct ac_diag *d);
enum ac_err ac__sq_batch_seen(struct ac_store *base, const struct ac_batch *b, bool *dup,
                              bool *conflict, struct ac_diag *d);
enum ac_err ac__sq_commit_batch(struct ac_store *base, const struct ac_batch *b,
                                struct ac_batch_result *res, struct ac_diag *d);

#endif
