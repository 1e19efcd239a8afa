/* shaping.h - an ingest's preparation, for batches that were read elsewhere (remote collectors).
 *
 * A local ingest matches, shapes and commits its own batches (ingest.c). A server receiving a
 * collector's batch needs the same last step: the batch's undocumented observations folded into
 * the structure of every stored shape (shapes.h), stored rows reshaped when a position becomes a
 * parameter, the batch committed, and afterwards the endpoints derived again (infer.h). A shaping
 * is that state, read from the store when opened; implemented in ingest.c beside the local
 * ingest so both run the same code. One thread at a time; the caller serialises commits of one
 * store (two shapings committing at once would each miss the other's shapes).
 */
#ifndef AC_SHAPING_H
#define AC_SHAPING_H

#include "aggregate.h"
#include "store.h"

#include <stdint.h>

struct ac_shaping;
struct ac_pipeline;

/* Fold one documented operation into a stamp of the registry (start from 0, in the order the
 * store lists them): collectors match with the operations of the stamp they were given, and the
 * server compares it with its own. */
uint64_t ac__registry_stamp(uint64_t h, int64_t id, const char *method, const char *tmpl,
                            const char *version, const char *host);

/* Read the documented operations, the path policy and the stored shapes; *stamp is the registry's
 * stamp. The caller closes it with ac__shaping_close(). Errors: AC_ESTORE, AC_ENOMEM. */
enum ac_err ac__shaping_open(struct ac_store *s, struct ac_shaping **out, uint64_t *stamp,
                             struct ac_diag *d);

/* Shape `agg` (not finished; finished here) and commit it with b's source, now, batch_id and
 * collector (b->agg and the reshape members are set here). */
enum ac_err ac__shaping_commit(struct ac_shaping *sh, struct ac_agg *agg, struct ac_batch *b,
                               struct ac_batch_result *res, struct ac_diag *d);

/* Derive the endpoints again; how many the store lists in *endpoints. */
enum ac_err ac__shaping_derive(struct ac_shaping *sh, uint64_t *endpoints, struct ac_diag *d);

/* Move stored undocumented rows that a documented operation now matches (ac_rematch). */
enum ac_err ac__shaping_rematch(struct ac_shaping *sh, size_t *moved, struct ac_diag *d);

/* The ingest's pipeline (matcher, domains, classifiers), for a source that makes its own requests
 * (the probe): borrowed until ac__shaping_close(). */
const struct ac_pipeline *ac__shaping_pipeline(const struct ac_shaping *sh);

void ac__shaping_close(struct ac_shaping *sh);

#endif
