/* apicensus/table.h - result tables: what every listing returns, rendered by the CLI and server.
 *
 * A table is rows of text cells under typed, named columns. The type says how a cell renders in
 * JSON (string, integer, boolean, or a JSON value such as an array kept as JSON text); a NULL
 * cell is JSON null. Column names are the stable field names documented in docs/json.md.
 * Tables are immutable once returned; they are not thread-safe to free concurrently.
 */
#ifndef APICENSUS_TABLE_H
#define APICENSUS_TABLE_H

#include <apicensus/error.h>

#include <stddef.h>
#include <stdio.h>

enum ac_col_type { AC_COL_TEXT, AC_COL_INT, AC_COL_BOOL, AC_COL_JSON };

struct ac_table;

/* Shape and content. Row and column indexes must be in range. Strings are borrowed from the
 * table until ac_table_free(). A cell is NULL when the value is absent. */
size_t ac_table_rows(const struct ac_table *t);
size_t ac_table_cols(const struct ac_table *t);
const char *ac_table_col_name(const struct ac_table *t, size_t col);
enum ac_col_type ac_table_col_type(const struct ac_table *t, size_t col);
const char *ac_table_cell(const struct ac_table *t, size_t row, size_t col);

/* Index of the column named `name`, or (size_t)-1. */
size_t ac_table_col_index(const struct ac_table *t, const char *name);

/* The table as a JSON array of objects (one per row, keys in column order), pretty-printed with
 * two-space indentation and a final newline. Returns a malloc'd string the caller frees, or NULL
 * on ENOMEM. */
char *ac_table_to_json(const struct ac_table *t);

/* The table as CSV (RFC 4180, CRLF line ends): a header row of column names, then the rows;
 * NULL cells empty, booleans true/false, JSON cells as JSON text, and text cells that a
 * spreadsheet would run as a formula prefixed with '. AC_EIO when writing fails. */
enum ac_err ac_table_write_csv(const struct ac_table *t, FILE *out);

/* Free the table. NULL is a no-op. */
void ac_table_free(struct ac_table *t);

#endif
