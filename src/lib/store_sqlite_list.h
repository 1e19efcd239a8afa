/* store_sqlite_list.h - the listing queries of the SQLite backend. */
#ifndef AC_STORE_SQLITE_LIST_H
#define AC_STORE_SQLITE_LIST_H

#include <apicensus/registry.h>

#include <sqlite3.h>

/* Run the listing query of `kind` on db (borrowed) into a new table (*out, caller frees). `path`
 * names the store in diagnostics. Errors: AC_ESTORE, AC_ENOMEM. */
enum ac_err ac__sqlite_list(sqlite3 *db, const char *path, enum ac_list_kind kind,
                            const struct ac_list_filter *f, struct ac_table **out,
                            struct ac_diag *d);

#endif
