/* wire.h - the collectors' wire format: a batch of observations as JSON, both ways.
 *
 * A collector (`apicensus ingest --to URL`) aggregates locally and ships each batch as one JSON
 * object (docs/collectors.md):
 *
 *   {"batch": "<64 hex>", "source": "combined", "registry": "<16 hex>",
 *    "observations": [{"host": ..., "method": ..., "template": ..., "version": ...,
 *      "operation": 12, "documented": true, "direction": "inbound", "static": false,
 *      "count": 3, "first_seen": 1700000000, "last_seen": 1700000100,
 *      "status": [2xx, 3xx, 401, 403, 404, 429, 4xx, 5xx, other],
 *      "with_credentials": 1, "without_credentials": 2, "public_clients": 3,
 *      "private_clients": 0, "busiest_client": 2, "headers": 0, "data": 0,
 *      "samples": [...], "query": [...], "server": null, "powered_by": null,
 *      "hours": [[hour, count], ...]}, ...]}
 *
 * Decoding takes hostile input: every member is type-checked, lengths and counts are bounded, and
 * the first fault is reported with its place ("observations[3].count: ...").
 */
#ifndef AC_WIRE_H
#define AC_WIRE_H

#include "aggregate.h"

#include <apicensus/error.h>

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#define AC_WIRE_MAX_OBS 1000000u       /* observations in one batch */
#define AC_WIRE_MAX_HOURS 4000000u     /* hour records in one batch */
#define AC_WIRE_MAX_STR 4096u          /* bytes of a template, sample, version ... */
#define AC_WIRE_MAX_COUNT (1ull << 53) /* counts are exact JSON integers */

/* The observations of a finished aggregator as a JSON array (new object; the caller puts it). */
struct json_object *ac__wire_encode(const struct ac_agg *a);

/* Add the observations of JSON array `arr` to aggregator `a` (not finished); without
 * `operations` their operation ids are dropped (they are undocumented until matched again).
 * Errors: AC_ESCHEMA
 * with the place and the fault in d, AC_ENOMEM. */
enum ac_err ac__wire_decode(struct json_object *arr, struct ac_agg *a, bool operations,
                            struct ac_diag *d);

#endif
