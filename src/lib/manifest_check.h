/* manifest_check.h - typed value checks with positioned diagnostics, for closed-schema readers.
 *
 * The manifest reader (and the Backstage reader, for the fields it uses) validate a document tree
 * key by key. These helpers each check one node against one expectation (a map with known keys,
 * text, an enum, a date, a positive number, a boolean, a list, a URL), copy accepted text into
 * the declaration set's arena and, on failure, fill the diagnostic with AC_ESCHEMA, the file, the
 * node's line and column and a message naming the key and what was expected, with a "did you
 * mean" suggestion where a close spelling exists. Every error is returned, never printed.
 */
#ifndef AC_MANIFEST_CHECK_H
#define AC_MANIFEST_CHECK_H

#include "doc.h"
#include "model.h"

#include <stdbool.h>

/* The reader's context: the set that receives copies, the file named in diagnostics (never NULL),
 * the diagnostic to fill (may be NULL). All borrowed. */
struct ac_chk {
    struct ac_decl_set *set;
    const char *file;
    struct ac_diag *d;
};

/* A declared name and the node that declared it (idx: document order), for duplicate checks. */
struct ac_named {
    const char *text;
    const struct ac_node *at;
    size_t idx;
};

/* Text flags: NONEMPTY rejects ""; WORD also rejects control characters (one line); LOWER
 * lower-cases the copy. */
enum { AC_CHK_FREE = 0, AC_CHK_NONEMPTY = 1, AC_CHK_WORD = 3, AC_CHK_LOWER = 4 };

/* Fill c->d with AC_ESCHEMA at node `at` (NULL: no position) and a formatted message (truncated
 * to the diagnostic's size). Returns AC_ESCHEMA. */
enum ac_err ac__chk_fail(struct ac_chk *c, const struct ac_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* AC_ELIMIT when the set's arena reached its cap, else AC_ENOMEM, with a diagnostic at `at`. */
enum ac_err ac__chk_oom(struct ac_chk *c, const struct ac_node *at);

/* "a string", "a number", "a boolean", "null", "a list" or "a map". */
const char *ac__chk_type_name(const struct ac_node *n);

/* "wrong type for 'key': expected <want>, got <type of v>" at v. */
enum ac_err ac__chk_wrong_type(struct ac_chk *c, const struct ac_node *v, const char *key,
                               const char *want);

/* "; did you mean 'x'?" written to buf when one of cands is close to word (a spelling within a
 * small edit distance ignoring case, or a prefix either way), else "". Returns buf or "". */
const char *ac__chk_hint(char *buf, size_t cap, const char *word, const char *const *cands,
                         size_t n);

/* "a, b, c" into buf (truncated to cap). */
void ac__chk_join(char *buf, size_t cap, const char *const *v, size_t n);

/* The value of `key` in map, or NULL when absent or an explicit null. */
const struct ac_node *ac__chk_opt(const struct ac_node *map, const char *key);

/* n must be a map whose keys are all among keys[0..nkeys) (nkeys <= 16), each at most once.
 * Errors name the unknown or duplicate key at its position; `noun` names the map ("api"). */
enum ac_err ac__chk_map(struct ac_chk *c, const struct ac_node *n, const char *noun,
                        const char *const *keys, size_t nkeys);

/* Report the first (in document order, by idx) of v's texts that was declared before:
 * "duplicate <what> 'x' (first declared on line N)". Sorts v; O(n log n). */
enum ac_err ac__chk_unique(struct ac_chk *c, struct ac_named *v, size_t n, const char *what);

/* Text of scalar v (any scalar but null; no NUL bytes) checked by `flags`, copied into the set's
 * arena into *out; with out == NULL only validates. */
enum ac_err ac__chk_text(struct ac_chk *c, const struct ac_node *v, const char *key, int flags,
                         const char **out);

/* ac__chk_text on the value of key in map; leaves *out alone when the key is absent or null. */
enum ac_err ac__chk_get_text(struct ac_chk *c, const struct ac_node *map, const char *key,
                             int flags, const char **out);

/* v must equal one of vals; *out is set to that static string (no copy). */
enum ac_err ac__chk_enum(struct ac_chk *c, const struct ac_node *v, const char *key,
                         const char *const *vals, size_t n, const char **out);
enum ac_err ac__chk_get_enum(struct ac_chk *c, const struct ac_node *map, const char *key,
                             const char *const *vals, size_t n, const char **out);

/* The value of key in map must be a date YYYY-MM-DD; copied into *out. Absent/null: untouched. */
enum ac_err ac__chk_get_date(struct ac_chk *c, const struct ac_node *map, const char *key,
                             const char **out);

/* v must be an integer scalar from 1 to INT32_MAX, written in decimal. */
enum ac_err ac__chk_posint(struct ac_chk *c, const struct ac_node *v, const char *key,
                           int64_t *out);

/* v must be a boolean scalar; *out is 1 or 0. */
enum ac_err ac__chk_bool(struct ac_chk *c, const struct ac_node *v, const char *key, int *out);

/* v must be a list of one-line strings (flags as ac__chk_text, WORD implied); the copies are put
 * in an arena array in *out. */
enum ac_err ac__chk_list(struct ac_chk *c, const struct ac_node *v, const char *key, int flags,
                         struct ac_strv *out);

/* True when s contains a space or a control character. */
bool ac__chk_has_blank(const char *s);

/* v must be an absolute http(s) URL with a host; parsed with ac__decl_parse_url into dep. */
enum ac_err ac__chk_url(struct ac_chk *c, const struct ac_node *v, const char *key,
                        struct ac_decl_deployment *dep);

/* True for a host name or IPv4 address: dot-separated labels of letters, digits, '-', '_'. */
bool ac__chk_is_host(const char *s, size_t len);

#endif
