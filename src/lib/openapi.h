/* openapi.h - OpenAPI 2.0 (Swagger), 3.0 and 3.1 documents to declarations.
 *
 * Reads what the inventory needs and nothing more: the API (info and x- conventions), its
 * deployments (servers, or host + basePath + schemes), and every operation as a full path template
 * (server base path included) with its version, parameters, security, responses and the notes the
 * rules use (rate limiting, CORS, redirects). Schemas are not walked; every $ref in the document
 * is still checked so a dangling one is reported.
 */
#ifndef AC_OPENAPI_H
#define AC_OPENAPI_H

#include "doc.h"
#include "model.h"
#include "ref.h"

#include <stdbool.h>

struct ac_openapi_opts {
    const char *api;           /* API name to attach to, or NULL: derived from info.title */
    const char *version;       /* manifest version label the spec is attached to, or NULL */
    const char *const *labels; /* version labels the manifest declares for this API */
    size_t nlabels;
    bool date_versions; /* the manifest declares date-labelled versions */
};

/* True when root is a map with an "openapi" or "swagger" key. */
bool ac__openapi_detect(const struct ac_node *root);

/* Read the document `root` (from `file`, registered in resolver r) into `set`. o may be NULL.
 * Errors: AC_ESCHEMA for an unsupported version or a malformed structure (with position),
 * AC_EREF for a dangling $ref, parse errors of referenced files, AC_ENOMEM. */
enum ac_err ac__openapi_read(struct ac_resolver *r, const char *file, const struct ac_node *root,
                             const struct ac_openapi_opts *o, struct ac_decl_set *set,
                             struct ac_diag *d);

#endif
