/* openapi_gen.h - an OpenAPI 3.1 document generated from observed traffic (`apicensus openapi`).
 *
 * The document is a function of the store (read through ac_list(), as reports and exports are)
 * and the options: the same store gives the same bytes. It holds:
 *   - `servers`: one https URL per observed host (traffic keeps no scheme);
 *   - `paths`: one path per observed endpoint template (templates equal but for parameter names
 *     share one), one operation per standard method seen (GET, PUT, POST, DELETE, OPTIONS, HEAD,
 *     PATCH, TRACE; others cannot be written in OpenAPI and are counted in `skipped`);
 *   - path parameters named after the segment before them (`/users/{int}` -> `userId`) and typed
 *     by their classifier (`{int}` integer, `{uuid}` string/uuid, `{date}` string/date, `{hex}`
 *     and `{objectid}` string with a pattern, `{email}` string/email, `{ip}` string);
 *   - query parameters (names seen; values are never kept, so they are strings);
 *   - a response per exact status code seen (else per status class, `2XX` ...), with the JSON
 *     schema of 2xx response bodies, and a requestBody with the schema of request bodies, merged
 *     over every sample (HAR): types (several as a type array, `null` for nullable), `required`
 *     for properties seen in every object, formats every string had (date-time, date, email,
 *     uuid, uri, ipv4, ipv6), arrays with their items;
 *   - `components.securitySchemes` and per-operation `security` from the credentials seen:
 *     bearer, basic, API keys in a header, the query or a cookie (`{}` is added as an alternative
 *     when the operation also answered requests without credentials).
 * Outbound endpoints (third parties) are left out unless `host` names one.
 */
#ifndef APICENSUS_OPENAPI_GEN_H
#define APICENSUS_OPENAPI_GEN_H

#include <apicensus/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct ac_store;

struct ac_openapi_opts {
    const char *host;       /* only this host (NULL: every inbound host) */
    const char *api;        /* only this API: its operations and the hosts of its deployments */
    bool undocumented_only; /* only endpoints no spec documents, ready to merge into one */
    bool json;              /* JSON instead of YAML */
    const char *title;      /* info.title (NULL: "<host> (observed)" or "observed APIs") */
};

struct ac_openapi_stats {
    size_t paths, operations;
    size_t skipped; /* endpoints left out: methods OpenAPI cannot name, non-path templates */
};

/* Write the document to out. o and st may be NULL. Errors: AC_ESTORE (reading the store),
 * AC_ENOMEM, AC_EIO when writing fails. */
enum ac_err ac_openapi_write(struct ac_store *s, const struct ac_openapi_opts *o, FILE *out,
                             struct ac_openapi_stats *st, struct ac_diag *d);

#endif
