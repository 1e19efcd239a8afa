/* specdiff.h - what the two comparisons of <apicensus/diff.h> share: their table's columns.
 *
 * specdiff.c compares two spec files, inventorydiff.c two dated states of the store; both answer
 * one row per change with these columns, so the CLI renders them alike.
 */
#ifndef AC_SPECDIFF_H
#define AC_SPECDIFF_H

#include "table.h"

#define AC__DIFF_NCOLS 8

/* change, kind, breaking, method, path, api, version, detail */
extern const struct ac_table_col ac__diff_cols[AC__DIFF_NCOLS];

#endif
