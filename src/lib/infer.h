/* infer.h - endpoints from the stored shapes of undocumented traffic (PRODUCT.md "Path
 * templates", rule 5, the part decided over everything stored).
 *
 * The store keeps one observation per (source, host, method, shape) (shapes.h). After each
 * ingest the endpoint of every undocumented shape is derived again from all of them, so it does
 * not depend on how the traffic was split between ingests. Per host, the shapes form a tree of
 * segments with request counts. Top-down, at each position:
 *
 *   - the plain literal values under one parent (not pinned, not version tokens, not empty) are
 *     D values with counts c; the position is a parameter when D >= 3 and at least half of the
 *     values were seen at most twice (many values, each seen rarely), or when D >= 200 (no API
 *     has that many literal routes under one parent);
 *   - beside a classifier's parameter that holds at least half of the position's requests
 *     ("/customers/{id}"), only the values seen at most twice merge into it: identifiers the
 *     classifiers missed; the others stay as they are;
 *   - small integers (kept by the ingest, up to 3 digits): a set of three or more, each seen at
 *     least 5 times, stays literal ("/status/200" ... "/status/504"); otherwise, or when "{int}"
 *     is already there, they are "{int}";
 *   - a parameter is named after the segment before it (shapes.h), or keeps the name of the
 *     parameter the ingest made there, or the classifier's name when one classifier's parameter
 *     holds at least half of the requests ("{int}"); the values, with the classifiers' parameters
 *     at that position, merge into it with their subtrees, except a value that behaves unlike the
 *     others: one with at least 4 requests all of which fall on continuations (a method ending
 *     there, or a next segment) that together carry a share q of the other values' requests,
 *     with q^requests under 1/10,000. "/users/v1/_debug" (GET only) beside the users' GET,
 *     DELETE, /email and /password stays a literal. Values found apart leave the group and all
 *     are tested again until nothing changes.
 *
 * Then the merged children are decided the same way. The result is a pure function of the rows:
 * the same whatever their order.
 */
#ifndef AC_INFER_H
#define AC_INFER_H

#include <apicensus/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AC_INFER_MANY 200 /* distinct values that make a position a parameter on their own */

struct ac_infer_row {
    const char *host;
    const char *method;
    const char *shape; /* a template starting with '/' (others are left alone) */
    uint64_t count;
    char *endpoint; /* out: the derived template (malloc'd, the caller frees), NULL on error */
};

/* Derive rows[i].endpoint for every row. `pins` (npins) are literal paths ("/users/me") whose
 * segments never merge; `dates`: date segments are version tokens. AC_ENOMEM only (every
 * endpoint is then NULL). */
enum ac_err ac__infer(struct ac_infer_row *rows, size_t n, const char *const *pins, size_t npins,
                      bool dates);

#endif
