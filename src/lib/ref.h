/* ref.h - $ref resolution across one spec and the files it references.
 *
 * A resolver owns the set of loaded documents of one import: the root document and every file a
 * relative $ref names (loaded on first use, parsed once, cached by path). References are never
 * expanded in place: readers ask for the target of a node when they need it, so circular
 * references cost nothing and cannot loop; chains of $ref to $ref are followed up to a fixed
 * number of hops. Remote references (http:, https:) are not fetched. Not thread-safe.
 */
#ifndef AC_REF_H
#define AC_REF_H

#include "doc.h"

#include <apicensus/error.h>

struct ac_arena;
struct ac_resolver;

/* New resolver allocating everything from `a` (borrowed; must outlive the resolver's use) with
 * the parser limits `lim` (borrowed). The root document is registered under `file`. NULL on
 * ENOMEM. Nothing needs freeing beyond the arena. */
struct ac_resolver *ac__resolver_new(struct ac_arena *a, const struct ac_doc_limits *lim,
                                     const char *file, const struct ac_node *root);

/* If `node` is a map with a "$ref" string, follow it (and any chain) and return the target in
 * *out and the file that holds it in *out_file; otherwise return node itself with `file`. An
 * external file is loaded on first use. Errors (with position of the $ref in d): AC_EREF for a
 * missing target, a pointer into a scalar, a cycle of only $refs, or a remote URL; the parse
 * errors of an external file. */
enum ac_err ac__resolve(struct ac_resolver *r, const char *file, const struct ac_node *node,
                        const struct ac_node **out, const char **out_file, struct ac_diag *d);

/* Walk every node of the root document and of every file it references, checking that each $ref
 * resolves, so a dangling reference anywhere is reported even where no reader looks. Each file is
 * walked once. `*nrefs` (optional) receives the number of $refs checked. */
enum ac_err ac__resolver_check_all(struct ac_resolver *r, size_t *nrefs, struct ac_diag *d);

/* Fold the referenced files into a document digest: when the root referenced other files, sha
 * (the root's SHA-256 in hex, 64 digits) becomes the SHA-256 of it and of every referenced file's
 * path and SHA-256, so a change in any of them makes the document "changed". Call after the
 * document has been read (all references loaded). */
void ac__resolver_digest(const struct ac_resolver *r, char sha[65]);

#endif
