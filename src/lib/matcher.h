/* matcher.h - matching concrete paths against the documented templates, per host.
 *
 * A segment trie per host of every documented (method, template): a literal segment beats a
 * segment with a fixed prefix or suffix around a parameter ("{name}.json", "v{major}"), which
 * beats a plain parameter ("{id}"); the first complete match in that order wins, so among
 * templates that match, the one with the most literal segments leftmost wins, and
 * `/posts/recent` never becomes `/posts/{postId}`. A trailing slash is a segment of its own (an
 * empty last segment). Templates with no host go into a trie for "any host", which is also used
 * for hosts that have no trie of their own.
 *
 * Building allocates; matching does not and is safe from many threads at once once building is
 * over. The matcher owns copies of everything added.
 */
#ifndef AC_MATCHER_H
#define AC_MATCHER_H

#include <apicensus/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ac_matcher;

/* The result of a match; strings are owned by the matcher. */
struct ac_match {
    const char *tmpl;    /* the documented template that matched the path */
    const char *version; /* of the operation, or of the template's operations; may be NULL */
    int64_t operation;   /* operation id when the method is documented for that template,
                            else -1 (the path is documented, the method is not) */
};

struct ac_matcher *ac__matcher_new(void);
void ac__matcher_free(struct ac_matcher *m);

/* Add a documented operation. host may be NULL or "" (any host); it is compared
 * case-insensitively and without a port. method is upper case. AC_ENOMEM; AC_ELIMIT for a
 * template longer than 2048 bytes or with more than 128 segments; AC_EUSAGE for an empty method
 * or a template that does not start with '/'. */
enum ac_err ac__matcher_add(struct ac_matcher *m, const char *host, const char *method,
                            const char *tmpl, const char *version, int64_t operation);

/* Match a decoded path (starting with '/') for host (may be empty; a ":port" is ignored) and
 * method. True with *out filled when some template matches the path. */
bool ac__matcher_match(const struct ac_matcher *m, const char *host, size_t host_len,
                       const char *method, size_t method_len, const char *path, size_t path_len,
                       struct ac_match *out);

/* The trie a host's requests are matched against (opaque; valid while m lives): for callers
 * that match many requests of one host and look the host up once. */
const void *ac__matcher_root(const struct ac_matcher *m, const char *host, size_t host_len);

/* ac__matcher_match() with the trie from ac__matcher_root(). */
bool ac__matcher_match_in(const struct ac_matcher *m, const void *root, const char *method,
                          size_t method_len, const char *path, size_t path_len,
                          struct ac_match *out);

/* Number of templates added (for statistics). */
size_t ac__matcher_size(const struct ac_matcher *m);

#endif
