/* apicensus/registry.h - filling the registry from documents and listing what it holds.
 *
 * Import takes OpenAPI 2.0/3.0/3.1 (JSON or YAML), Backstage catalog files and apicensus.yaml
 * manifests, detecting the kind from the content. Each document is imported in one transaction;
 * re-importing an unchanged document changes nothing, a changed one replaces its declarations and
 * marks the operations it dropped as removed (with the date) instead of forgetting them.
 */
#ifndef APICENSUS_REGISTRY_H
#define APICENSUS_REGISTRY_H

#include <apicensus/error.h>
#include <apicensus/table.h>

#include <stdbool.h>
#include <stddef.h>

struct ac_store;

enum ac_import_status {
    AC_IMPORT_CHANGED,   /* new or changed document, stored */
    AC_IMPORT_UNCHANGED, /* same content and attachment as stored: nothing written */
    AC_IMPORT_SKIPPED,   /* in a directory: not a document apicensus reads */
    AC_IMPORT_FAILED     /* bad input; diag says where and why; nothing of it stored */
};

/* What happened to one document; borrowed for the duration of the callback. */
struct ac_import_event {
    enum ac_import_status status;
    const char *path;
    const char *kind;           /* "openapi", "backstage", "manifest", or NULL */
    const char *format;         /* "openapi 3.0.1", "swagger 2.0", ... or NULL */
    const char *api;            /* API a spec was attached to, or NULL */
    size_t operations;          /* operations the document declares */
    size_t added;               /* operations new to the store */
    size_t removed;             /* operations the document no longer declares */
    const struct ac_diag *diag; /* AC_IMPORT_FAILED only */
};

struct ac_import_opts {
    const char *now; /* timestamp recorded for this import (ISO 8601), NULL: the wall clock */
    /* Called once per document, in import order; may be NULL. */
    void (*on_event)(void *ud, const struct ac_import_event *ev);
    void *ud;
    /* ac_import_text() only, for an OpenAPI document: the API it is attached to, as a
     * manifest's `specs:` would attach it, recorded as attached by `attached_by` (NULL: the
     * document's own name); NULL: the API its info.title names. Ignored for manifests and
     * catalogs, and by ac_import(). Borrowed for the call. */
    const char *api;
    const char *attached_by;
};

/* Import the file or directory at `path` (directories recursively, in name order; manifests and
 * catalogs first so the specs they name are attached to their API). Returns AC_OK when every
 * document imported, else the first error (its diagnostic in `d`); the other documents are still
 * imported. Errors: bad input (AC_ESYNTAX, AC_ESCHEMA, AC_EREF, AC_ELIMIT, AC_EENCODING, AC_EKIND
 * for a file that is no known kind, AC_EIO), AC_ESTORE. */
enum ac_err ac_import(struct ac_store *s, const char *path, const struct ac_import_opts *o,
                      struct ac_diag *d);

/* The same for one document held in memory (a server's upload): `name` is the path it is stored
 * and reported under (its kind comes from the content; `$ref`s and the specs a manifest names
 * resolve relative to it, so they usually fail: upload self-contained documents). */
enum ac_err ac_import_text(struct ac_store *s, const char *name, const char *text, size_t len,
                           const struct ac_import_opts *o, struct ac_diag *d);

enum ac_list_kind {
    AC_LIST_APIS,
    AC_LIST_VERSIONS,
    AC_LIST_DEPLOYMENTS,
    AC_LIST_OPERATIONS,
    AC_LIST_INTEGRATIONS,
    AC_LIST_DOCUMENTS,
    AC_LIST_ENDPOINTS, /* observed API endpoints (not static assets), from traffic */
    AC_LIST_FINDINGS,  /* findings (<apicensus/findings.h>), most severe first */
    AC_LIST_TRAFFIC,   /* the busiest inbound endpoints' requests per hour */
    AC_LIST_RULES,     /* the finding rules: severity (after policy.severity), texts */
    AC_LIST_TOKENS,    /* the server's API tokens (never their secret) <apicensus/access.h> */
    AC_LIST_AUDIT,     /* the audit log, newest first */
    AC_LIST_WEBHOOKS,  /* the server's webhooks with their delivery counts */
    AC_LIST_POLICY     /* the manifests' policy entries: key, value (JSON), document; by key and
                          document (no `ls` name: the server reads policy.public_docs) */
};

struct ac_list_filter {
    const char *api;      /* only this API (NULL: all); endpoints: of this API's operations */
    bool include_removed; /* operations: also those removed from their spec */
    const char *rule;     /* findings: only this rule (NULL: all) */
    const char *severity; /* findings: only this severity and above (NULL: all) */
    const char *state;    /* findings: only this state (NULL: open and accepted) */
    const char *host;     /* findings: only those about this host (NULL: all) */
    const char *id;       /* findings: only this one, whatever its state (NULL: all) */
};

/* List one kind of entity as a table whose columns are the stable JSON field names of
 * docs/json.md. f may be NULL. The caller frees *out with ac_table_free(). Errors: AC_ESTORE. */
enum ac_err ac_list(struct ac_store *s, enum ac_list_kind kind, const struct ac_list_filter *f,
                    struct ac_table **out, struct ac_diag *d);

/* The kind named "apis", "versions", ... ; false when unknown. */
bool ac_list_kind_parse(const char *name, enum ac_list_kind *out);

/* A commented apicensus.yaml skeleton (static storage). */
const char *ac_manifest_skeleton_text(void);

#endif
