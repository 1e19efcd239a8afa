/* manifest_policy.h - the `policy` section of apicensus.yaml, for manifest.c.
 *
 * Policy entries are stored as a key and a JSON text value so that new policy keys never need a
 * store migration: severity {"rule":"level"}, fail_on "level", window_days / dormant_after_days /
 * burst_without_limit numbers, public_docs true|false, minimum_versions {"software":"version"},
 * paths {"pin":[...],"literal":[...]}.
 */
#ifndef AC_MANIFEST_POLICY_H
#define AC_MANIFEST_POLICY_H

#include "manifest_check.h"

/* Validate the policy map `node` and append one ac_decl_policy per key given (explicit nulls are
 * skipped) to c->set, in document order, each with the line of its key. Keys are the static
 * strings of the schema. Errors as ac__manifest_read (AC_ESCHEMA with position; AC_ELIMIT when a
 * value's JSON exceeds 16 MiB; AC_ENOMEM). */
enum ac_err ac__manifest_policy_read(struct ac_chk *c, const struct ac_node *node);

#endif
