/* apicensus/store.h - opening the inventory store.
 *
 * The store holds the registry (documents, APIs, versions, deployments, operations, integrations,
 * policy, acceptances). SQLite in one file is the embedded backend; every backend sits behind the
 * same table of functions, so callers never see which one they use. A store handle is used by one
 * thread at a time.
 */
#ifndef APICENSUS_STORE_H
#define APICENSUS_STORE_H

#include <apicensus/error.h>

struct ac_store;

/* Flags of ac_store_open(). */
enum { AC_STORE_CREATE = 1 }; /* create the store when it does not exist yet */

/* Open (migrating as needed) the store at `path`: a SQLite file. Without AC_STORE_CREATE a missing
 * file is AC_ENOTFOUND, so a mistyped path never yields a silently empty inventory. The caller
 * owns the handle and closes it with ac_store_close(). Errors: AC_ENOTFOUND, AC_ESTORE with
 * SQLite's message in d (cannot be created, not a database, newer than this program), AC_ENOMEM. */
enum ac_err ac_store_open(const char *path, unsigned flags, struct ac_store **out,
                          struct ac_diag *d);

/* Close the store. NULL is a no-op. */
void ac_store_close(struct ac_store *s);

/* The schema version this program writes (PRAGMA user_version of a SQLite store). */
int ac_store_schema_version(void);

#endif
