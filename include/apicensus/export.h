/* export.h - the inventory in other tools' formats: Backstage entities, an RFC 9727 API catalog,
 * and the whole inventory as one JSON document.
 *
 * Every export is a function of the store (read through ac_list(), as reports are) and the
 * options: the same store gives the same bytes.
 *
 *   AC_EXPORT_BACKSTAGE    YAML, one `kind: API` entity (backstage.io/v1alpha1) per API, documents
 *                          separated by `---`: metadata.name (made a valid entity name), title,
 *                          description, a link to the docs, the versions as an annotation;
 * spec.type openapi, spec.lifecycle (design -> experimental, deprecated and retired
 *                          -> deprecated, else production), spec.owner (`unknown` when none is
 *                          declared), spec.definition {$text: the first OpenAPI document attached}
 *   AC_EXPORT_API_CATALOG  RFC 9727 api-catalog, `application/linkset+json` (RFC 9264): a `linkset`
 *                          array with one context per API (its production deployment, else its
 *                          first deployment, else <base>/apis/<name>) linking `service-desc` (each
 *                          OpenAPI document, with its version in `title`) and `service-doc` (docs),
 *                          and one context per version (its deployment, else <api anchor>/<label>)
 *                          with its own specs, `predecessor-version`/`successor-version` from
 *                          superseded_by, and its status and sunset as target attributes
 *   AC_EXPORT_JSON         {"apicensus": version, "generated_at", "apis", "versions",
 * "deployments", "operations", "integrations", "documents", "endpoints", "findings"}: the arrays of
 * the `ls` listings (docs/json.md)
 */
#ifndef APICENSUS_EXPORT_H
#define APICENSUS_EXPORT_H

#include <apicensus/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct ac_store;

enum ac_export_kind { AC_EXPORT_BACKSTAGE, AC_EXPORT_API_CATALOG, AC_EXPORT_JSON };

struct ac_export_opts {
    const char *base_url;     /* prefix of relative document paths and of anchors, or NULL */
    const char *generated_at; /* the time the JSON export names (UTC ISO 8601), or NULL */
};

/* The kind named "backstage", "api-catalog" or "json"; false when unknown. */
bool ac_export_kind_parse(const char *name, enum ac_export_kind *out);

/* Write the export of `kind` to out. o may be NULL. Errors: AC_ESTORE (reading the store),
 * AC_ENOMEM, AC_EIO when writing fails. */
enum ac_err ac_export_write(struct ac_store *s, enum ac_export_kind kind,
                            const struct ac_export_opts *o, FILE *out, struct ac_diag *d);

/* The export of `kind` as a malloc'd NUL-terminated string (*len bytes) the caller frees; for the
 * server. Same errors. */
enum ac_err ac_export_text(struct ac_store *s, enum ac_export_kind kind,
                           const struct ac_export_opts *o, char **text, size_t *len,
                           struct ac_diag *d);

#endif
