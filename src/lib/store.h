/* store.h - the storage interface every backend implements (SQLite now, PostgreSQL later).
 *
 * struct ac_store is the first member of each backend's own struct; callers go through `ops` and
 * never know the backend. Each operation is atomic: apply() runs in one transaction.
 */
#ifndef AC_STORE_IMPL_H
#define AC_STORE_IMPL_H

#include "model.h"

#include <stdint.h>

#include <apicensus/access.h>
#include <apicensus/findings.h>
#include <apicensus/registry.h>
#include <apicensus/store.h>

/* What the store knows of a document, for the "unchanged" check and attachments. */
struct ac_doc_state {
    bool exists;
    char sha256[65];
    char api[256];          /* attached API, "" when none */
    char version[128];      /* attached version, "" when none */
    char attached_by[1024]; /* manifest or catalog that attached it, "" when none */
};

/* How a declaration set is stored. */
struct ac_apply_info {
    const char *path; /* document key */
    const char *api;  /* attachment, or NULL */
    const char *version;
    const char *attached_by;
    const char *now; /* ISO 8601 timestamp */
};

struct ac_apply_result {
    size_t added;
    size_t removed;
};

/* One documented operation for the matcher, once per host it is deployed on (host NULL when it
 * has none). Strings are borrowed for the duration of the call. */
typedef enum ac_err (*ac_documented_cb)(void *ud, int64_t id, const char *method, const char *tmpl,
                                        const char *version, const char *host);

/* The organisation's domains (malloc'd array of malloc'd strings; ac__domains_free). */
struct ac_domains {
    char **v;
    size_t n;
};
void ac__domains_free(struct ac_domains *d);

/* Where an ingest stands in one file: its identity (device, inode, and a hash of its first
 * head_len bytes) and what was consumed (bytes of the decompressed stream, lines). */
struct ac_checkpoint {
    const char *source;
    const char *path;
    int64_t device;
    int64_t inode;
    int64_t head_len;
    char head_hash[65];
    int64_t offset;
    int64_t lines;
    bool known; /* checkpoint(): the store holds a checkpoint for (device, inode) */
};

struct ac_agg;

/* The shape of a stored undocumented template as the ingest's structure now stands (shapes.h):
 * writes it to out (cap bytes); false when it does not fit (the row is left alone). */
typedef bool (*ac_reshape_fn)(void *ud, const char *host, const char *tmpl, char *out, size_t cap);

/* What a derivation of the endpoints takes (ops->derive's arguments). */
struct ac_derive_opts {
    const char *const *literals; /* policy.paths.literal */
    size_t nliterals;
    const char *const *pins; /* policy.paths.pin */
    size_t npins;
    bool dates; /* date segments are version tokens */
};

/* A batch of traffic: the aggregates of a range of one file, and the checkpoint after it. When
 * positions of some hosts became parameters while it was read, the stored undocumented rows of
 * those hosts are reshaped first, in the same transaction: rows that now share a shape merge. */
struct ac_batch {
    const char *source;
    const struct ac_agg *agg;       /* finished (ac__agg_finish) */
    const struct ac_checkpoint *cp; /* NULL for stdin: nothing to resume */
    const char *now;
    const char *const *reshape_hosts; /* nreshape hosts whose stored rows to reshape */
    size_t nreshape;
    ac_reshape_fn reshape;
    void *reshape_ud;
    int64_t from_offset; /* where the range starts (cp->offset is where it ends) */
    /* A remote collector's batch, on the server (else NULL): a batch whose id is stored, or
     * whose range of its file stored batches cover, is not folded in again (res->duplicate);
     * one that covers part of a stored range is not folded in at all (res->conflict). */
    const char *batch_id;         /* 64 hex digits */
    const char *collector;        /* who sent it */
    const char *path;             /* the file as the collector named it, or NULL */
    const char *file_id;          /* the file's identity (64 hex digits), or NULL (stdin) */
    int64_t range_from, range_to; /* with file_id: the bytes it covers */
    /* With derive, a store may derive every endpoint in the batch's transaction, as ops->derive
     * would just after it, and write the batch's rows with theirs (res->derived says it did). */
    const struct ac_derive_opts *derive;
};

/* policy.paths of the manifest: templates the inference must use, and literal paths. */
struct ac_path_policy {
    char **pins;
    size_t npins;
    char **literals;
    size_t nliterals;
};
void ac__path_policy_free(struct ac_path_policy *p);

/* Does a documented operation now match stored undocumented traffic (host, method, template)?
 * When it does: true, with the documented template, the operation (-1 when the method is not
 * documented for it) and its version (strings valid until the next call). `samples` are the
 * row's kept raw paths; when there are fewer than AC_AGG_SAMPLES they are all its raw paths,
 * and they may match where the template does not (a date a classifier made "{date}" before
 * the spec declared it). */
typedef bool (*ac_rematch_fn)(void *ud, const char *host, const char *method, const char *tmpl,
                              const char *const *samples, size_t nsamples, const char **out_tmpl,
                              int64_t *operation, const char **version);

/* One stored undocumented shape (strings borrowed for the call). */
typedef enum ac_err (*ac_shape_cb)(void *ud, const char *host, const char *tmpl);

struct ac_batch_result {
    size_t new_endpoints;   /* (source, host, method, template) keys new to the store */
    size_t known_endpoints; /* keys the store already held */
    bool duplicate;         /* the batch (or its range) was stored: nothing was done */
    bool conflict;          /* stored batches cover part of its range: nothing was done */
    bool derived;           /* every endpoint was derived in the batch's transaction */
};

/* One fact of a probe (schema_11.sql probe_fact); strings borrowed for the call. */
struct ac_probe_fact {
    const char *kind; /* documentation, bypass, burst, cors, redirect, fingerprint, candidate */
    const char *host;
    const char *method;
    const char *path;
    int status;         /* 0: none */
    const char *detail; /* a JSON object */
};

struct ac_store_ops {
    const char *name;
    enum ac_err (*doc_state)(struct ac_store *s, const char *path, struct ac_doc_state *st,
                             struct ac_diag *d);
    enum ac_err (*apply)(struct ac_store *s, const struct ac_decl_set *set,
                         const struct ac_apply_info *info, struct ac_apply_result *res,
                         struct ac_diag *d);
    enum ac_err (*list)(struct ac_store *s, enum ac_list_kind kind, const struct ac_list_filter *f,
                        struct ac_table **out, struct ac_diag *d);
    /* Every current documented operation with its hosts. */
    enum ac_err (*documented)(struct ac_store *s, ac_documented_cb cb, void *ud, struct ac_diag *d);
    enum ac_err (*domains)(struct ac_store *s, struct ac_domains *out, struct ac_diag *d);
    /* The latest checkpoint of (cp->device, cp->inode): fills head_len, head_hash, offset, lines
     * and known = true; known = false (the rest untouched) when there is none. The caller checks
     * that its file's first head_len bytes still hash to head_hash (same file, not a new one on a
     * reused inode). */
    enum ac_err (*checkpoint)(struct ac_store *s, struct ac_checkpoint *cp, struct ac_diag *d);
    /* Fold a batch into the observations and move the checkpoint, in one transaction. */
    enum ac_err (*commit_batch)(struct ac_store *s, const struct ac_batch *b,
                                struct ac_batch_result *res, struct ac_diag *d);
    /* Would commit_batch answer duplicate (*dup) or conflict (*conflict) for a collector's batch
     * (b->batch_id, file_id, range_from, range_to; the rest unused)? A read, before the batch is
     * decoded; commit_batch checks again in its transaction. */
    enum ac_err (*batch_seen)(struct ac_store *s, const struct ac_batch *b, bool *dup,
                              bool *conflict, struct ac_diag *d);
    /* policy.paths of the latest manifest (empty when none). */
    enum ac_err (*path_policy)(struct ac_store *s, struct ac_path_policy *out, struct ac_diag *d);
    /* Every stored undocumented shape, once per (host, template). */
    enum ac_err (*shapes)(struct ac_store *s, ac_shape_cb cb, void *ud, struct ac_diag *d);
    /* Derive the endpoint of every stored undocumented shape again (infer.h), in one
     * transaction. `literals`: paths whose segments never merge; rows of `pins` templates keep
     * them; `dates`: dates are versions. */
    enum ac_err (*derive)(struct ac_store *s, const char *const *literals, size_t nliterals,
                          const char *const *pins, size_t npins, bool dates, struct ac_diag *d);
    /* Move the stored undocumented rows that fn now matches to their documented operation (rows
     * that come to share a key merge), in one transaction; how many in *moved. */
    enum ac_err (*rematch)(struct ac_store *s, ac_rematch_fn fn, void *ud, size_t *moved,
                           struct ac_diag *d);
    /* Findings (<apicensus/findings.h>). */
    enum ac_err (*reconcile)(struct ac_store *s, const char *now, struct ac_reconcile_stats *st,
                             struct ac_diag *d);
    enum ac_err (*accept)(struct ac_store *s, const char *id, const char *reason, const char *until,
                          const char *now, struct ac_diag *d);
    enum ac_err (*gate)(struct ac_store *s, const char *min_severity, size_t *n, const char **level,
                        struct ac_diag *d);
    enum ac_err (*expire)(struct ac_store *s, const char *now, struct ac_diag *d);
    /* Access (<apicensus/access.h>): tokens by id (hash and role stored), the audit log, and
     * withdrawing the CLI/API acceptances of a finding. */
    enum ac_err (*token_put)(struct ac_store *s, const char *id, const char *name, const char *role,
                             const char *hash, const char *now, struct ac_diag *d);
    enum ac_err (*token_get)(struct ac_store *s, const char *id, char hash[65], char role[16],
                             char name[64], struct ac_diag *d);
    enum ac_err (*token_revoke)(struct ac_store *s, const char *id_or_name, const char *now,
                                struct ac_diag *d);
    enum ac_err (*audit)(struct ac_store *s, const char *now, const char *actor, const char *action,
                         const char *target, const char *detail, struct ac_diag *d);
    enum ac_err (*reopen)(struct ac_store *s, const char *id, struct ac_diag *d);
    enum ac_err (*webhook_add)(struct ac_store *s, const char *url, const char *actor,
                               const char *now, long long *id, struct ac_diag *d);
    enum ac_err (*webhook_remove)(struct ac_store *s, long long id, struct ac_diag *d);
    enum ac_err (*webhook_deliver)(struct ac_store *s, long long now_unix, const char *now,
                                   size_t max, ac_webhook_send_fn send, void *ud, size_t *sent,
                                   struct ac_diag *d);
    /* Endpoints as `ls endpoints` lists them: distinct (source, host, method, endpoint). */
    enum ac_err (*count_endpoints)(struct ac_store *s, uint64_t *n, struct ac_diag *d);
    /* Replace the probe facts of `hosts` by `facts` (their hosts among them), in one
     * transaction. NULL in a backend that keeps none (a remote collector). */
    enum ac_err (*probe_save)(struct ac_store *s, const char *const *hosts, size_t nhosts,
                              const struct ac_probe_fact *facts, size_t n, const char *now,
                              struct ac_diag *d);
    void (*close)(struct ac_store *s);
};

struct ac_store {
    const struct ac_store_ops *ops;
};

/* The schema version this program writes: schema.sql is version 1, each schema_<n>.sql migrates
 * to version n (PRAGMA user_version of a SQLite store). */
#define AC__SCHEMA_VERSION 14

/* The SQLite backend (store_sqlite.c). */
enum ac_err ac__sqlite_open(const char *path, struct ac_store **out, struct ac_diag *d);

#endif
