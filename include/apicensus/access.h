/* apicensus/access.h - who may use the server: API tokens with roles, the audit log, and
 * findings reopened through the API.
 *
 * A token is "acn_" + 8 hex digits (its id, shown by `token ls`) + "_" + 48 hex digits of
 * randomness from getrandom(2): 192 bits nobody can guess. It is shown once, when created; the
 * store keeps only its SHA-256, and ac_token_check() compares hashes in constant time. Roles:
 *
 *   viewer      reads everything (GET routes, /metrics)
 *   editor      a viewer that also changes the registry: imports, accepting and reopening findings
 *   admin       everything, including tokens and the audit log
 *   collector   ships observations (POST /api/v1/ingest) and nothing else
 *
 * ac_audit() appends who changed what and when; `GET /api/v1/audit` and AC_LIST_AUDIT read it.
 * Thread-safety: as the store handle.
 */
#ifndef APICENSUS_ACCESS_H
#define APICENSUS_ACCESS_H

#include <apicensus/error.h>

#include <stdbool.h>
#include <stddef.h>

struct ac_store;

enum ac_role { AC_ROLE_NONE = 0, AC_ROLE_VIEWER, AC_ROLE_COLLECTOR, AC_ROLE_EDITOR, AC_ROLE_ADMIN };

#define AC_TOKEN_MAX 64      /* bytes of a token with its NUL */
#define AC_TOKEN_NAME_MAX 64 /* bytes of a token's name with its NUL */

/* "viewer", "editor", "admin", "collector" (NULL for AC_ROLE_NONE); and back. */
const char *ac_role_name(enum ac_role r);
bool ac_role_parse(const char *s, enum ac_role *out);

/* Does a token of role `have` pass a route that needs `need`? Admin passes everything; editor
 * passes viewer routes; collector passes only collector routes. */
bool ac_role_allows(enum ac_role have, enum ac_role need);

/* Create a token: *out receives it (AC_TOKEN_MAX bytes), to be shown once. `name` labels it in
 * `token ls` and the audit log (NULL: "token-<id>"; at most AC_TOKEN_NAME_MAX - 1 bytes); the
 * audit log records `actor` creating it (never the secret). Errors: AC_EUSAGE (bad role or
 * name), AC_EIO (no randomness), AC_ESTORE. */
enum ac_err ac_token_create(struct ac_store *s, enum ac_role role, const char *name,
                            const char *actor, const char *now, char out[AC_TOKEN_MAX],
                            struct ac_diag *d);

/* The role and name of a presented token; AC_ENOTFOUND when it is malformed, unknown or
 * revoked (the caller answers 401 alike for all three). */
enum ac_err ac_token_check(struct ac_store *s, const char *token, enum ac_role *role,
                           char name[AC_TOKEN_NAME_MAX], struct ac_diag *d);

/* Revoke the token with this id or name, recorded in the audit log as `actor`'s doing:
 * AC_ENOTFOUND when there is no such live token. */
enum ac_err ac_token_revoke(struct ac_store *s, const char *id_or_name, const char *actor,
                            const char *now, struct ac_diag *d);

/* Append to the audit log: `actor` (a token's name, or "cli"), `action` ("finding.accept" ...),
 * the target (a finding id, a path ...) and details as a JSON object text (or NULL). */
enum ac_err ac_audit(struct ac_store *s, const char *now, const char *actor, const char *action,
                     const char *target, const char *detail, struct ac_diag *d);

/* Withdraw the acceptances made through `accept` (the CLI or the API) of finding `id`: it is open
 * again at once. AC_ENOTFOUND: no such finding; AC_EUSAGE: it is not accepted, or its acceptance
 * comes from a manifest (change the manifest instead). */
enum ac_err ac_finding_reopen(struct ac_store *s, const char *id, const char *now,
                              struct ac_diag *d);

/* Webhooks: URLs the server POSTs a JSON message to when a finding opens or reopens (events
 * that reconciliation records). Only events after a webhook's registration go to it. */
enum ac_err ac_webhook_add(struct ac_store *s, const char *url, const char *actor, const char *now,
                           long long *id, struct ac_diag *d);
enum ac_err ac_webhook_remove(struct ac_store *s, long long id, const char *actor, const char *now,
                              struct ac_diag *d);

/* One delivery to make: strings valid during the send callback. */
struct ac_webhook_job {
    long long webhook_id, event_id;
    const char *url;
    const char *event;   /* "finding.opened" or "finding.reopened" */
    const char *payload; /* the JSON body: {"text": ..., "event": ..., "finding": {...}} */
    unsigned attempts;   /* made before this one */
};

/* Send one job; true when the receiver answered 2xx, else false with a reason in err. */
typedef bool (*ac_webhook_send_fn)(void *ud, const struct ac_webhook_job *job, char *err,
                                   size_t errlen);

/* The standard sender, an ac_webhook_send_fn (ud unused): POSTs the payload with libcurl,
 * Content-Type application/json, a 10 s timeout, no redirects followed. libcurl is opened on the
 * first call, not at the program's start. */
bool ac_webhook_post(void *ud, const struct ac_webhook_job *job, char *err, size_t errlen);

#define AC_WEBHOOK_ATTEMPTS 10 /* a delivery is given up after this many failures */

/* Queue the new events for every webhook, then send up to `max` due deliveries through `send`
 * and record each result: delivered, or retried after 2^attempts seconds (at most an hour) until
 * AC_WEBHOOK_ATTEMPTS. An event whose finding is accepted or resolved by then is dropped.
 * `now_unix` decides what is due; `now` is recorded. *sent counts the deliveries tried. */
enum ac_err ac_webhook_deliver(struct ac_store *s, long long now_unix, const char *now, size_t max,
                               ac_webhook_send_fn send, void *ud, size_t *sent, struct ac_diag *d);

#endif
