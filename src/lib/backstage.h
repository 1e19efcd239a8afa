/* backstage.h - Backstage catalog files (catalog-info.yaml) to API declarations.
 *
 * The second layer of the inventory: Backstage `kind: API` entities give an API's name, owner,
 * lifecycle, description, docs link and its definition (the spec, inline or as a file). Other
 * entity kinds (Component, System, Group ...) in the same file are ignored, and so are the fields
 * apicensus has no use for, since catalog files carry much more than an inventory needs.
 */
#ifndef AC_BACKSTAGE_H
#define AC_BACKSTAGE_H

#include "doc.h"
#include "model.h"

#include <stdbool.h>

/* True when some document of the stream is a Backstage entity: a map whose apiVersion starts
 * with "backstage.io/" and that has a kind. */
bool ac__backstage_detect(struct ac_node **docs, size_t ndocs);

/* Read every `kind: API` entity of the documents (from `file`, which names them in diagnostics
 * and is the base of relative definition paths) into `set` and set set->format to "backstage".
 * Per entity one ac_decl_api (line of the entity): name from metadata.name (qualified as
 * "namespace/name" outside the default namespace), description, owner (the default "group:" kind
 * and "default/" namespace dropped: "group:default/team-a" -> "team-a", "user:default/jo" ->
 * "user:jo"), lifecycle (production -> active, experimental -> design, deprecated, retired; any
 * other value as written), docs (the first link typed or titled docs). For `type: openapi` the
 * definition becomes a ref: inline text (path "<file>#<name>", inline_text/inline_len), or a
 * placeholder {$text|$openapi|$yaml|$json: path} resolved against dirname(file); a placeholder URL
 * is not fetched and gives no ref. Strings are copied into the set's arena.
 * Errors: AC_ESCHEMA with position for an API entity without metadata.name, a field of the wrong
 * type, an unknown placeholder or two API entities with the same name; AC_ENOMEM / AC_ELIMIT.
 * On error the set holds a partial result and should be discarded. */
enum ac_err ac__backstage_read(struct ac_node **docs, size_t ndocs, const char *file,
                               struct ac_decl_set *set, struct ac_diag *d);

#endif
