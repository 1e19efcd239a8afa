/* manifest.h - the apicensus.yaml manifest (inventory as code) to declarations.
 *
 * The manifest is the top layer of the inventory: what specs cannot say (owners, environments,
 * audiences, retirement plans, third parties, policy, accepted risks). Its schema is closed: every
 * key is known, so a typo is an error naming the file, line and column, with a suggestion, rather
 * than a silently ignored setting. docs/manifest.md documents every key; the reader below is the
 * reference for what is accepted.
 *
 * Spec paths inside the manifest are relative to the manifest's own directory; the reader resolves
 * them and lists them as refs, but never opens them (import does).
 */
#ifndef AC_MANIFEST_H
#define AC_MANIFEST_H

#include "doc.h"
#include "model.h"

#include <stdbool.h>

/* Validate the manifest document `root` (read from `file`, which names it in diagnostics and is
 * the base for relative spec paths) and append what it declares to `set`: APIs, versions,
 * deployments, integrations, policy entries (key + JSON text), accepted findings, domains
 * (lower-cased) and spec refs (resolved paths). Sets set->format to "apicensus manifest". Every
 * string is copied into the set's arena, so the tree may be freed afterwards.
 * Errors: AC_ESCHEMA with file, line, column and a message for an empty manifest, an unknown key
 * (with a "did you mean" suggestion), a value of the wrong type, an invalid enum value, date, URL
 * or number, a missing required key or a duplicate name; AC_ENOMEM / AC_ELIMIT when the set's
 * arena is exhausted. On error the set holds a partial result and should be discarded.
 * Thread-safe for distinct sets. */
enum ac_err ac__manifest_read(const struct ac_node *root, const char *file, struct ac_decl_set *set,
                              struct ac_diag *d);

/* True when root looks like a manifest: a map whose keys are all top-level manifest keys
 * (organisation, apis, integrations, policy, accepted) and include apis, organisation or
 * integrations. Used to tell a manifest from other YAML by content. */
bool ac__manifest_detect(const struct ac_node *root);

/* The commented apicensus.yaml skeleton `apicensus init` writes: every key, present or commented
 * out, with a one-line comment. As written it is a valid, empty manifest. Static storage. */
const char *ac__manifest_skeleton(void);

#endif
