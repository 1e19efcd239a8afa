/* apicensus/collect.h - remote collectors: traffic read where it is written, counted on a server.
 *
 * `apicensus ingest --to URL --token T FILE...` runs the local ingest (every reader, the
 * matcher, the aggregation, the checkpoints) against a store handle that ships each committed
 * batch to `apicensus serve` instead of writing it: the collector side is ac_remote_open(). The
 * server side answers GET /api/v1/ingest/context with ac_collect_context() (what the collector
 * matches and shapes with) and POST /api/v1/ingest with ac_collect_post().
 *
 * Exactly once: a batch is named by the SHA-256 of its source, the file's identity (the hash of
 * its first bytes) and the byte range it covers; the server stores the name with the batch in
 * one transaction and answers a batch it already holds with "duplicate" without counting it
 * again. The collector keeps its checkpoint (in a local state store) only once the server
 * acknowledged the batch, and retries with exponential backoff while the server cannot be
 * reached, answers 5xx or 429. The wire format is in docs/collectors.md.
 */
#ifndef APICENSUS_COLLECT_H
#define APICENSUS_COLLECT_H

#include <apicensus/error.h>

#include <stddef.h>

struct ac_store;

struct ac_remote_opts {
    const char *url;    /* the server: "http://host:port" (a path prefix is kept) */
    const char *token;  /* a collector token (or a larger role) */
    const char *state;  /* the local store keeping the checkpoints; created when missing */
    int retries;        /* attempts per request after the first; negative: 8 */
    unsigned timeout_s; /* per request; 0: 300 */
    /* Called before a retry: what failed, the attempt that failed (1-based), and the wait;
     * may be NULL. */
    void (*on_retry)(void *ud, const char *why, unsigned attempt, double wait_s);
    void *ud;
};

/* A store handle for ac_ingest() and ac_reconcile() that works through the server: it reads the
 * server's context now (documented operations, domains, path policy, stored shapes), ships
 * batches, asks the server to derive endpoints and to reconcile. Only those uses are supported
 * (others fail with AC_EUSAGE). Closed with ac_store_close(). Errors: AC_EIO (the server could
 * not be reached after the retries, or answered with an error: its message in d), AC_EUSAGE
 * (bad URL), AC_ESTORE (the state store), AC_ENOMEM. */
enum ac_err ac_remote_open(const struct ac_remote_opts *o, struct ac_store **out,
                           struct ac_diag *d);

/* Batches a remote handle shipped so far: committed by the server, and recognised as already
 * counted. Zeros for a handle that is not remote. */
struct ac_remote_stats {
    unsigned long long committed, duplicate;
};
void ac_remote_stats(const struct ac_store *s, struct ac_remote_stats *out);

/* The server's side. The context a collector starts from, as a malloc'd JSON object in *json.
 * Errors: AC_ESTORE, AC_ENOMEM. */
enum ac_err ac_collect_context(struct ac_store *s, char **json, struct ac_diag *d);

/* A collector's request (body[0..len), JSON): a batch {"batch": ID, "source": ..., "registry":
 * ..., "path": ..., "file": ..., "from": ..., "to": ..., "observations": [...]}, or {"derive":
 * true}, or {"reconcile": true}. The reply (malloc'd JSON) in *reply and its HTTP status in
 * *code: 200, or 409 for a batch that covers part of what other batches of its file covered
 * (nothing is counted). Batches are committed one at a time (a process-wide lock). collector:
 * the token's name; now: the time recorded. Errors: AC_ESCHEMA (the body is not a valid
 * request: the fault in d), AC_ESTORE, AC_ENOMEM. */
enum ac_err ac_collect_post(struct ac_store *s, const char *body, size_t len, const char *collector,
                            const char *now, char **reply, unsigned *code, struct ac_diag *d);

#endif
