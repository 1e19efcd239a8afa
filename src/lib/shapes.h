/* shapes.h - the bounded structure of undocumented paths an ingest keeps (PRODUCT.md "Path
 * templates", rule 5, the part decided while reading).
 *
 * A shape is a template after the segment classifiers ("/repos/alice/{int}") in which positions
 * that have shown too many distinct values are parameters ("/repos/{repo}/{int}"). The structure
 * is a tree of segments per host. Under one parent, the distinct values of a position are kept
 * until there are `hard` of them (1024 by default); then the position becomes a parameter, named
 * after the segment before it, and the subtrees of its values are merged into the parameter's.
 * Values that never merge: pinned literals (policy.paths.literal), version tokens, empty
 * segments (a trailing slash). The extension of a value stays literal ("{user}.json").
 * Integers come in as they are ("/status/404"): once a position has shown AC_SHAPES_INT_CAP
 * distinct integers they become "{int}" there; fewer may be a set of literal routes, which
 * infer.h decides with their counts.
 *
 * The rule is monotone: a position of the whole traffic has at least the distinct values of the
 * same position in any part of it, so a position that collapses in one thread's part collapses
 * in the whole. Shapes therefore do not depend on the order of lines, the split into files or
 * threads, or the number of ingests: a shape carrying a parameter makes every tree that sees it
 * collapse that position too. The finer rule (many values each seen rarely, literal siblings that
 * behave differently) is applied to the stored shapes afterwards: see infer.h.
 *
 * Memory: one node per distinct value per position, at most `hard` values under one parent; a
 * tree holds at most AC_SHAPES_MAX_NODES nodes, past which new values make their position a
 * parameter at once (bounded, at the price of determinism on such input). Not thread-safe: one
 * tree per thread.
 */
#ifndef AC_SHAPES_H
#define AC_SHAPES_H

#include <apicensus/error.h>

#include <stdbool.h>
#include <stddef.h>

#define AC_SHAPES_HARD 1024
#define AC_SHAPES_INT_CAP 128 /* distinct integers under one parent before they are "{int}" */
#define AC_SHAPES_MAX_NODES (512u * 1024u)
#define AC_SHAPE_MAX 2304 /* longest shape written (a template of AC_PATH_MAX, renamed) */

struct ac_shapes;

/* A new, empty tree. `hard` 0 means AC_SHAPES_HARD; `dates`: date segments are version tokens.
 * NULL on ENOMEM. */
struct ac_shapes *ac__shapes_new(size_t hard, bool dates);
void ac__shapes_free(struct ac_shapes *s);

/* A copy of s (NULL on ENOMEM): the starting point of each thread's own tree. */
struct ac_shapes *ac__shapes_clone(const struct ac_shapes *s);

/* Declare a literal path ("/users/me"): none of its segments ever merges into a parameter, on
 * any host. AC_ENOMEM only. */
enum ac_err ac__shapes_pin(struct ac_shapes *s, const char *path);

/* Record tmpl (a classifier template, or a shape) on `host` and write its shape to out (cap
 * bytes, NUL-terminated). *collapsed is set to true (never to false) when a position of this host
 * became a parameter: shapes written before for that host may have changed. AC_ELIMIT when the
 * shape does not fit in cap, AC_ENOMEM. */
enum ac_err ac__shapes_add(struct ac_shapes *s, const char *host, const char *tmpl, char *out,
                           size_t cap, bool *collapsed);

/* The shape of tmpl on host as the tree stands, recording nothing. False when it does not fit. */
bool ac__shapes_get(const struct ac_shapes *s, const char *host, const char *tmpl, char *out,
                    size_t cap);

/* Nodes in the tree (for tests and limits). */
size_t ac__shapes_nodes(const struct ac_shapes *s);

/* --- segment helpers, shared with infer.c ---------------------------------------------------- */

enum ac_seg_param {
    AC_PARAM_NONE = 0, /* a literal */
    AC_PARAM_CLASS,    /* a classifier's parameter: {int}, {uuid} ... (maybe with ".ext") */
    AC_PARAM_NAMED     /* any other {name} (maybe with ".ext"): a position made a parameter */
};

/* Where the extension kept from a value starts (ac__extension_at), or n when the stem has a dot
 * itself ("shop.example.com", "1.2.3": names with dots, not files). */
size_t ac__value_ext(const char *s, size_t n);

/* Is s[0..n) an integer, maybe with an extension ("404", "123.json")? */
bool ac__is_int_value(const char *s, size_t n);

/* Is s[0..n) the integers' parameter, maybe with an extension ("{int}", "{int}.json")? */
bool ac__is_int_param(const char *s, size_t n);

/* What kind of segment s[0..n) of a template is. */
enum ac_seg_param ac__seg_param(const char *s, size_t n);

/* The parameter name for the position after segment prev[0..pn) ("users" -> "user",
 * "categories" -> "category", "{repo}" -> "repo_2"): lower-case letters, digits and '_', at
 * most 32 bytes, never a classifier's name. `grand` is the segment before prev (used when prev
 * is a version token), or NULL. Writes a NUL-terminated name to out (at least 40 bytes). */
void ac__param_name(const char *prev, size_t pn, const char *grand, size_t gn, char *out);

#endif
