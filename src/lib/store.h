/* store.h - the storage interface every backend implements (SQLite now, PostgreSQL later).
 *
 * struct ac_store is the first member of each backend's own struct; callers go through `ops` and
 * never know the backend. Each operation is atomic: apply() runs in one transaction.
 */
#ifndef AC_STORE_IMPL_H
#define AC_STORE_IMPL_H

#include "model.h"

#include <apicensus/registry.h>
#include <apicensus/store.h>

/* What the store knows of a document, for the "unchanged" check and attachments. */
struct ac_doc_state {
    bool exists;
    char sha256[65];
    char api[256];          /* attached API, "" when none */
    char version[128];      /* attached version, "" when none */
    char attached_by[1024]; /* manifest or catalog that attached it, "" when none */
};

/* How a declaration set is stored. */
struct ac_apply_info {
    const char *path; /* document key */
    const char *api;  /* attachment, or NULL */
    const char *version;
    const char *attached_by;
    const char *now; /* ISO 8601 timestamp */
};

struct ac_apply_result {
    size_t added;
    size_t removed;
};

struct ac_store_ops {
    const char *name;
    enum ac_err (*doc_state)(struct ac_store *s, const char *path, struct ac_doc_state *st,
                             struct ac_diag *d);
    enum ac_err (*apply)(struct ac_store *s, const struct ac_decl_set *set,
                         const struct ac_apply_info *info, struct ac_apply_result *res,
                         struct ac_diag *d);
    enum ac_err (*list)(struct ac_store *s, enum ac_list_kind kind, const struct ac_list_filter *f,
                        struct ac_table **out, struct ac_diag *d);
    void (*close)(struct ac_store *s);
};

struct ac_store {
    const struct ac_store_ops *ops;
};

/* The schema version of schema.sql (PRAGMA user_version of a SQLite store). */
#define AC__SCHEMA_VERSION 1

/* The SQLite backend (store_sqlite.c). */
enum ac_err ac__sqlite_open(const char *path, struct ac_store **out, struct ac_diag *d);

#endif
