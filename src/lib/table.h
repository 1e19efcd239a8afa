/* table.h - building result tables (the read side is public in <apicensus/table.h>).
 *
 * A table owns an arena holding every cell; rows are appended and filled column by column.
 */
#ifndef AC_TABLE_BUILD_H
#define AC_TABLE_BUILD_H

#include <apicensus/table.h>

struct ac_table_col {
    const char *name;
    enum ac_col_type type;
};

/* New empty table with `ncols` columns (names and types copied). NULL on ENOMEM. */
struct ac_table *ac__table_new(const struct ac_table_col *cols, size_t ncols);

/* Append a row of NULL cells. AC_ENOMEM on failure. */
enum ac_err ac__table_add_row(struct ac_table *t);

/* Set a cell of the last row to a copy of s[0..len) (s NULL: the cell stays NULL). */
enum ac_err ac__table_set(struct ac_table *t, size_t col, const char *s, size_t len);

#endif
