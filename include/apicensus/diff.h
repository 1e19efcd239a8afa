/* diff.h - what changed between two API descriptions: operations added, removed and changed,
 * and which changes break clients.
 *
 * ac_diff_specs() reads two OpenAPI documents (2.0, 3.0 or 3.1, JSON or YAML, with their $refs)
 * with the same reader `import` uses, and compares their operations. Operations are matched by
 * method and path template with parameter names ignored, so `/books/{book}` and
 * `/books/{book_title}` are one operation whose path parameter was renamed.
 *
 * The result is a table, one row per change, sorted by path, method and change (column names are
 * the JSON field names of docs/json.md, "diff"):
 *
 *   change     added | removed | changed | deprecated
 *   kind       operation-added, operation-removed, path-param-renamed, path-param-removed,
 *              param-required, param-added, param-removed, response-removed, response-added,
 *              security-changed, security-removed, security-added, deprecated,
 *              deprecated-without-sunset
 *   breaking   true for a removed operation, a removed or renamed path parameter, a new required
 *              parameter (or one made required), a removed response code, and changed, removed or
 *              added security
 *   method, path (the template of B, or of A for a removed operation), api, version, detail
 *
 * Thread-safe for distinct calls; nothing is kept between calls.
 */
#ifndef APICENSUS_DIFF_H
#define APICENSUS_DIFF_H

#include <apicensus/error.h>
#include <apicensus/table.h>

#include <stddef.h>

/* Counts of one comparison. */
struct ac_diff_stats {
    size_t operations_a, operations_b; /* operations read from each side */
    size_t added, removed, changed;    /* operations */
    size_t breaking;                   /* rows marked breaking */
};

/* Compare the OpenAPI documents at paths a (before) and b (after). On success *out is a new table
 * (the caller frees it with ac_table_free()) and *stats (optional) is filled. Errors: those of
 * reading and parsing either file, with its path and position in d (AC_EIO, AC_ESYNTAX,
 * AC_ESCHEMA, AC_EREF, AC_ELIMIT ...), AC_EKIND when a file is not an OpenAPI document,
 * AC_ENOMEM. */
enum ac_err ac_diff_specs(const char *a, const char *b, struct ac_table **out,
                          struct ac_diff_stats *stats, struct ac_diag *d);

/* Compare two states of the inventory in store s: as it stood at time a (before) and at time b
 * (after; NULL: now), each "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SSZ"; api NULL for
 * every API. Rows as above: operations added (declared after a, still there at b), removed
 * (there at a, dropped by an import by b: breaking), and versions deprecated in between (flagged
 * without a sunset date). Changes inside an operation are not kept by the store, so they are not
 * reported: compare the two specs for those. Errors: AC_EUSAGE (a time that does not parse, a
 * after b), AC_ESTORE, AC_ENOMEM. */
struct ac_store;
enum ac_err ac_diff_inventory(struct ac_store *s, const char *a, const char *b, const char *api,
                              struct ac_table **out, struct ac_diff_stats *stats,
                              struct ac_diag *d);

#endif
