/* findings.h - reconciliation: what the inventory declares held against what traffic shows
 * (PRODUCT.md "Findings"; docs/rules.md explains each rule).
 *
 * ac_reconcile() evaluates every rule over the store and keeps the `finding` table current: a
 * finding's id is a fingerprint of its rule and subject ("AC-" + 16 hex digits of SHA-256), so
 * the same problem keeps its id run after run and store after store; a finding first seen is
 * `open` with first_detected = now; one still firing gets last_detected = now; one no longer
 * firing is `resolved` (resolved_at = now) and opens again if it fires again; one with an
 * acceptance (the manifest's `accepted:`, or ac_accept()) that has not expired is `accepted`.
 * Severities are the rules' defaults, overridden by policy.severity.
 *
 * Rules built so far: shadow-host, shadow-endpoint, shadow-version, zombie-deprecated,
 * zombie-retired, zombie-superseded, unpatched-old-version, orphan-operation, dormant, unowned,
 * documentation-blindspot, undocumented-aspect, review-overdue, nonprod-exposed,
 * prod-data-in-nonprod, protection-gap, auth-gap, outdated-software, dataflow-unapproved,
 * dataflow-undeclared, dataflow-excess (the catalogue: `apicensus ls rules`). Traffic windows count
 * back from the reference time: the latest observation in the store; review dates from the time of
 * the run.
 */
#ifndef APICENSUS_FINDINGS_H
#define APICENSUS_FINDINGS_H

#include <apicensus/error.h>
#include <apicensus/store.h>

#include <stddef.h>

struct ac_reconcile_stats {
    size_t open;     /* open findings after the run */
    size_t accepted; /* accepted ones */
    size_t opened;   /* findings that became open in this run (new, or firing again) */
    size_t resolved; /* findings that stopped firing in this run */
};

/* Reconcile the store in one transaction. now: "YYYY-MM-DDTHH:MM:SSZ" (the time recorded).
 * st may be NULL. Errors: AC_ESTORE, AC_ENOMEM. */
enum ac_err ac_reconcile(struct ac_store *s, const char *now, struct ac_reconcile_stats *st,
                         struct ac_diag *d);

/* Accept finding `id` with a reason, until a date ("YYYY-MM-DD") or for good (until NULL), and
 * reconcile. Errors: AC_ENOTFOUND (no such finding), AC_EUSAGE (empty reason, bad date),
 * AC_ESTORE. */
enum ac_err ac_accept(struct ac_store *s, const char *id, const char *reason, const char *until,
                      const char *now, struct ac_diag *d);

/* Apply the acceptances as of `now` without reconciling the rules: a finding whose acceptance
 * expired is open again (what `findings` and `check` do before reading). Errors: AC_ESTORE. */
enum ac_err ac_findings_expire(struct ac_store *s, const char *now, struct ac_diag *d);

/* Open findings whose severity is at least min_severity ("info", "low", "medium", "high",
 * "critical"; NULL: policy.fail_on, else "high"), in *n; the level used in *level (static
 * storage). Errors: AC_EUSAGE (unknown level), AC_ESTORE. */
enum ac_err ac_findings_gate(struct ac_store *s, const char *min_severity, size_t *n,
                             const char **level, struct ac_diag *d);

#endif
