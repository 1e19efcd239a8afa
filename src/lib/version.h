/* version.h - recognising version tokens in paths and dates in declarations.
 *
 * PRODUCT.md: an operation's version is first the version token in its full path (`/auth/v2/...`
 * -> v2, `/v1.25/...` -> 1.25 when the API calls it 1.25, `/openstack/2013-10-17/...` when date
 * versions are declared). These predicates are allocation-free and used on hot paths later.
 */
#ifndef AC_VERSION_H
#define AC_VERSION_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..n) is YYYY-MM-DD and a real calendar date (year 0001 to 9999). */
bool ac__is_date(const char *s, size_t n);

/* True when the path segment s[0..n) is a version token: v1, V2, v2.7, v1beta1, v2alpha, v3rc1,
 * 1.25, 2.0.1 (dotted digits), or, when `dates` is true, a date YYYY-MM-DD. */
bool ac__version_token(const char *s, size_t n, bool dates);

/* The first version token among the segments of `path` (a template; segments in braces are
 * skipped). On success tok and len point into path. */
bool ac__version_in_path(const char *path, bool dates, const char **tok, size_t *len);

/* The label a token stands for, given the labels the API declares (`labels`, n of them): the
 * declared label equal to the token, or to the token without its leading 'v' (`v1.25` with a
 * declared `1.25`), else the token itself. Returns a pointer to the chosen label (a declared
 * label, or `tok` itself) and its length in *out_len. */
const char *ac__version_label(const char *tok, size_t len, const char *const *labels, size_t n,
                              size_t *out_len);

#endif
