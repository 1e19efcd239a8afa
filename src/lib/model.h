/* model.h - declarations read from one document, before they reach the store.
 *
 * Every reader (OpenAPI, Backstage, manifest) turns one input document into a struct ac_decl_set:
 * flat arrays of APIs, versions, deployments, operations, integrations and policy entries, each
 * with the line it was declared on. The store then replaces that document's previous declarations
 * in one transaction and merges layers (spec < Backstage < manifest, later wins per field).
 *
 * Ownership: a set owns an arena; every string and array inside it is borrowed from that arena
 * and lives until ac__decl_set_free(). Absent optional strings are NULL; absent integers are -1.
 */
#ifndef AC_MODEL_H
#define AC_MODEL_H

#include <apicensus/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ac_arena;

/* Which kind of document declared something; also the merge layer (higher wins). */
enum ac_doc_kind { AC_DOC_OPENAPI = 1, AC_DOC_BACKSTAGE = 2, AC_DOC_MANIFEST = 3 };

/* A list of strings (data classes, protections, domains ...). */
struct ac_strv {
    const char **v;
    size_t n;
};

struct ac_decl_api {
    const char *name;
    const char *owner;   /* team or person, as written */
    const char *contact; /* e-mail or URL when the owner field carries one */
    const char *description;
    const char *lifecycle;   /* design | active | deprecated | retired */
    const char *docs;        /* documentation link */
    struct ac_strv data;     /* data classes handled */
    bool has_data;           /* whether `data` was declared at all */
    const char *review_last; /* YYYY-MM-DD */
    int64_t review_every_days;
    uint32_t line;
};

struct ac_decl_version {
    const char *api;
    const char *label;         /* as the API spells it: v1, v2.7, 1.25, 2024-06-01 */
    const char *status;        /* active | deprecated | retired */
    const char *deprecated_on; /* YYYY-MM-DD */
    const char *sunset;        /* YYYY-MM-DD */
    const char *superseded_by; /* another label */
    uint32_t line;
};

struct ac_decl_deployment {
    const char *api;
    const char *version;     /* label, or NULL for every version of the api */
    const char *url;         /* as declared (server variables substituted) */
    const char *scheme;      /* http | https */
    const char *host;        /* lower-case, without port */
    int64_t port;            /* explicit or the scheme's default */
    const char *base_path;   /* "" or "/x/y" without trailing slash */
    const char *environment; /* production | staging | test | development | NULL */
    const char *audience;    /* public | partner | internal | NULL */
    struct ac_strv protections;
    bool has_protections;
    int production_data; /* 1, 0, or -1 unknown */
    uint32_t line;
};

#define AC_PARAM_ENUM_MAX 64 /* enum values kept per parameter */

struct ac_decl_param {
    const char *name;
    const char *in; /* path | query | header | cookie | body | formData */
    bool required;
    const char *type;   /* schema type (string, integer ...), or NULL */
    const char *format; /* schema format (uuid, date, int64 ...), or NULL */
    const char **enums; /* the schema's enum values as text (at most AC_PARAM_ENUM_MAX) */
    size_t nenums;
};

struct ac_decl_operation {
    const char *api;
    const char *version; /* per PRODUCT.md: path token, manifest version, info.version */
    const char *method;  /* upper case */
    const char *tmpl;    /* full path template, server base path included */
    const char *operation_id;
    const char *summary;
    bool deprecated;
    const char *security; /* JSON array of requirement objects' scheme names, e.g. [["bearer"]] */
    bool requires_auth;   /* some requirement is non-empty */
    struct ac_strv responses; /* documented status codes ("200", "4XX", "default") */
    struct ac_decl_param *params;
    size_t nparams;
    bool rate_limited;    /* documents 429, RateLimit/X-RateLimit headers or x-rate-limit */
    bool cors;            /* documents Access-Control-* response headers */
    bool redirects;       /* documents 3xx responses */
    const char *internal; /* x-internal / x-audience at operation level, or NULL */
    uint32_t line;
};

struct ac_decl_integration {
    const char *name;
    const char *url;
    const char *host;
    const char *direction; /* inbound | outbound | both */
    const char *purpose;
    struct ac_strv data;
    const char *justification;
    const char *approved_by;
    const char *approved_on;
    uint32_t line;
};

struct ac_decl_policy {
    const char *key;   /* severity, fail_on, window_days, ... */
    const char *value; /* JSON text */
    uint32_t line;
};

struct ac_decl_accept {
    const char *finding;
    const char *reason;
    const char *until;
    uint32_t line;
};

/* A spec or Backstage definition another document names: imported with it, attached to an API. */
struct ac_decl_ref {
    const char *path;        /* resolved path of the file */
    const char *api;         /* API it belongs to */
    const char *version;     /* manifest version label, or NULL */
    const char *inline_text; /* Backstage inline definition (then path is "<file>#<entity>") */
    size_t inline_len;
    uint32_t line;
};

struct ac_decl_set {
    struct ac_arena *arena;
    enum ac_doc_kind kind;
    const char *path;   /* the document's path as given */
    const char *format; /* "openapi 3.0.1", "swagger 2.0", "backstage", "apicensus manifest" */
    char sha256[65];
    struct ac_decl_api *apis;
    size_t napis;
    struct ac_decl_version *versions;
    size_t nversions;
    struct ac_decl_deployment *deployments;
    size_t ndeployments;
    struct ac_decl_operation *operations;
    size_t noperations;
    struct ac_decl_integration *integrations;
    size_t nintegrations;
    struct ac_decl_policy *policy;
    size_t npolicy;
    struct ac_decl_accept *accepted;
    size_t naccepted;
    struct ac_strv domains;
    struct ac_decl_ref *refs; /* documents to import along with this one */
    size_t nrefs;
    /* capacities of the arrays above, private to model.c */
    size_t cap_[9];
};

/* New empty set owning a fresh arena capped at `cap` bytes (0: 1 GiB). NULL on ENOMEM. */
struct ac_decl_set *ac__decl_set_new(enum ac_doc_kind kind, const char *path, size_t cap);

/* Free the set and everything in it. NULL is a no-op. */
void ac__decl_set_free(struct ac_decl_set *s);

/* Append a zeroed element and return it (integers preset to -1 where "unset" is -1), or NULL on
 * ENOMEM/limit. The pointer stays valid until the next append of the same kind. */
struct ac_decl_api *ac__decl_add_api(struct ac_decl_set *s);
struct ac_decl_version *ac__decl_add_version(struct ac_decl_set *s);
struct ac_decl_deployment *ac__decl_add_deployment(struct ac_decl_set *s);
struct ac_decl_operation *ac__decl_add_operation(struct ac_decl_set *s);
struct ac_decl_integration *ac__decl_add_integration(struct ac_decl_set *s);
struct ac_decl_policy *ac__decl_add_policy(struct ac_decl_set *s);
struct ac_decl_accept *ac__decl_add_accept(struct ac_decl_set *s);
struct ac_decl_ref *ac__decl_add_ref(struct ac_decl_set *s);

/* Append a copy of s[0..len) to a string list, in the set's arena. */
enum ac_err ac__strv_push(struct ac_decl_set *set, struct ac_strv *v, const char *s, size_t len);

/* Copy of a C string into the set's arena (NULL stays NULL). NULL on ENOMEM with s != NULL. */
const char *ac__decl_strdup(struct ac_decl_set *s, const char *str);

/* Parse an absolute URL "scheme://host[:port][/path]" into a deployment's scheme, host (lower-
 * cased), port (default 80/443) and base path (no trailing slash). AC_ESCHEMA when it is not an
 * http(s) URL with a host. Strings are copied into the set's arena. */
enum ac_err ac__decl_parse_url(struct ac_decl_set *s, const char *url,
                               struct ac_decl_deployment *dep);

#endif
