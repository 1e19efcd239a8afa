/* doc.h - the document tree that JSON and YAML readers produce and the spec readers walk.
 *
 * One small tree for both syntaxes, so OpenAPI, Backstage and manifest readers are written once and
 * every node knows the line and column it came from (json-c trees do not keep positions, which the
 * diagnostics need). All nodes and strings live in the arena of the load; the tree is read-only
 * once built. YAML aliases are not expanded: an alias node points at the anchored node, so a
 * "billion laughs" document costs its own size, and the reader caps the would-be expansion anyway.
 *
 * Scalars keep their text; `tag` says how the reader typed them (JSON by token, YAML by the core
 * schema for plain scalars, quoted scalars are always strings). Map keys are scalar nodes.
 */
#ifndef AC_DOC_H
#define AC_DOC_H

#include <apicensus/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ac_arena;

enum ac_node_kind { AC_NODE_SCALAR, AC_NODE_SEQ, AC_NODE_MAP };

enum ac_scalar_tag { AC_TAG_STR, AC_TAG_NULL, AC_TAG_BOOL, AC_TAG_INT, AC_TAG_FLOAT };

struct ac_node {
    enum ac_node_kind kind;
    enum ac_scalar_tag tag; /* scalars only */
    uint32_t line;          /* 1-based position of the node's first character */
    uint32_t col;
    uint32_t n;            /* seq: number of items; map: number of pairs; scalar: 0 */
    size_t len;            /* scalar: bytes of str (which may contain NULs from \u0000) */
    const char *str;       /* scalar: text, NUL-terminated, arena-owned; "" otherwise */
    struct ac_node **kids; /* seq: n items; map: 2n nodes, key then value; NULL when n == 0 */
};

/* Limits every reader enforces; exceeding one is AC_ELIMIT with the position at fault. */
struct ac_doc_limits {
    size_t max_bytes;       /* input size (default 256 MiB) */
    size_t max_scalar;      /* one scalar's length (default 4 MiB) */
    uint32_t max_depth;     /* nesting of sequences and maps (default 1000) */
    size_t max_nodes;       /* nodes in one load (default 50 million) */
    size_t max_alias_nodes; /* YAML: nodes reachable through aliases, summed (default 1 million) */
};

/* Fill *l with the defaults above. */
void ac__doc_limits_default(struct ac_doc_limits *l);

/* Parse JSON text (RFC 8259; a UTF-8 BOM is skipped) into a tree allocated from `a`. `file` names
 * the input in diagnostics. On success *out is the root. Errors: AC_ESYNTAX (with line/col),
 * AC_EENCODING (invalid UTF-8, also inside strings), AC_ELIMIT, AC_ENOMEM. Thread-safe for distinct
 * arenas. Trailing content after the value is AC_ESYNTAX. */
enum ac_err ac__json_parse(struct ac_arena *a, const char *text, size_t len, const char *file,
                           const struct ac_doc_limits *lim, struct ac_node **out,
                           struct ac_diag *d);

/* Parse YAML 1.1/1.2 text with libyaml into one tree per document of the stream (`---`). On
 * success *docs is an arena-owned array of *ndocs roots (an empty stream gives 0 documents; an
 * empty document gives a null scalar). Merge keys `<<` are not expanded. Errors as ac__json_parse
 * plus AC_ELIMIT for alias expansion past max_alias_nodes. */
enum ac_err ac__yaml_parse(struct ac_arena *a, const char *text, size_t len, const char *file,
                           const struct ac_doc_limits *lim, struct ac_node ***docs, size_t *ndocs,
                           struct ac_diag *d);

/* Parse text that is JSON or YAML: JSON when its first non-blank byte (after a BOM) is '{' or
 * '[', YAML otherwise. A JSON syntax error is reported as such (users get the JSON position),
 * except that a file named *.yaml or *.yml is retried as YAML (a flow-mapping root such as
 * `{a: 1}` is YAML, not JSON). Same contract as ac__yaml_parse. */
enum ac_err ac__doc_parse(struct ac_arena *a, const char *text, size_t len, const char *file,
                          const struct ac_doc_limits *lim, struct ac_node ***docs, size_t *ndocs,
                          struct ac_diag *d);

/* Map lookup: the value for key `key` (exact bytes), or NULL when `map` is NULL, not a map or has
 * no such key. Linear in the number of pairs. */
struct ac_node *ac__node_get(const struct ac_node *map, const char *key);

/* Key and value of pair i of a map (i < n). */
struct ac_node *ac__node_key(const struct ac_node *map, uint32_t i);
struct ac_node *ac__node_val(const struct ac_node *map, uint32_t i);

/* Scalar text of a node, or NULL when it is not a scalar (or is NULL). */
const char *ac__node_str(const struct ac_node *n);

/* True when n is a scalar whose text equals s. */
bool ac__node_is(const struct ac_node *n, const char *s);

/* Truth value: a scalar tagged boolean whose text is true, True or TRUE (YAML 1.2 core schema:
 * a plain `yes` or `on` is a string, not a boolean). */
bool ac__node_true(const struct ac_node *n);

#endif
