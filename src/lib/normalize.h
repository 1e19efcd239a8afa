/* normalize.h - from a raw request target to what matching and aggregation need.
 *
 * Allocation-free: the caller provides the output buffer; results are slices into it or into the
 * target. Rules (PRODUCT.md "Path templates"): the path is split from the query; percent-escapes
 * are decoded where the result stays valid UTF-8 and is not '/', NUL or a control character
 * (those stay encoded so segments never split or break); a trailing slash is kept; static assets
 * are recognised by the extension of the last segment.
 */
#ifndef AC_NORMALIZE_H
#define AC_NORMALIZE_H

#include "request.h"

#include <stdbool.h>
#include <stddef.h>

/* Longest path kept (decoded); longer targets are cut and flagged. */
#define AC_PATH_MAX 2048

struct ac_norm {
    const char *path; /* decoded path, NUL-terminated, in the caller's buffer; starts with
                         '/' (or is "*") */
    size_t path_len;
    struct ac_slice query; /* raw query string without '?', into the target */
    struct ac_slice host;  /* host of an absolute-form target ("http://h:8080/p"), else empty */
    bool is_static;        /* last segment's extension is a static asset (css, js, png ...) */
    bool truncated;        /* the path was longer than the buffer and was cut */
};

/* Normalise `target` into `buf` (cap bytes, at least 2). False when the target is not a path
 * ("", a bare word, an unparsable absolute URL); "*" is a valid target (OPTIONS *). */
bool ac__normalize(struct ac_slice target, char *buf, size_t cap, struct ac_norm *out);

/* True when the extension (after the last '.') of the last segment of path is a static asset:
 * css js mjs map png jpg jpeg gif svg ico webp avif bmp woff woff2 ttf eot otf mp4 webm mp3 wav
 * (case-insensitive). json, xml, yaml, txt are never static. */
bool ac__is_static_path(const char *path, size_t n);

/* Iterate the parameter names of a query string: on each call, the next name (the text before
 * '=' or '&', not decoded) in *name; false when there are no more. *pos starts at 0. Empty names
 * are skipped. */
bool ac__query_next_name(struct ac_slice query, size_t *pos, struct ac_slice *name);

/* Classes of path segments that become parameters (PRODUCT.md rule 4). */
enum ac_seg_class {
    AC_SEG_LITERAL = 0,
    AC_SEG_INT,      /* digits only */
    AC_SEG_UUID,     /* 8-4-4-4-12 hex, any version */
    AC_SEG_OBJECTID, /* exactly 24 hex digits */
    AC_SEG_HEX,      /* 16 or more hex digits, with at least one digit */
    AC_SEG_ID,       /* base62 / base64url, 16 or more, mixing letters and digits */
    AC_SEG_DATE,     /* YYYY-MM-DD that is not a declared version */
    AC_SEG_EMAIL,
    AC_SEG_IP /* IPv4 or IPv6 literal */
};

/* Class of segment s[0..n) (already decoded). Version tokens (v1, v2.7, 1.25, and dates when
 * `date_versions`) are literals; so is anything that is not clearly an identifier ("200x200",
 * "me", "recent"). */
enum ac_seg_class ac__classify_segment(const char *s, size_t n, bool date_versions);

/* Parameter name of a class: "{int}", "{uuid}", "{objectid}", "{hex}", "{id}", "{date}",
 * "{email}", "{ip}"; NULL for literals. */
const char *ac__seg_class_param(enum ac_seg_class c);

/* Where the extension of a segment starts (its '.'), or n: 1-8 letters and digits starting with
 * a letter, after a non-empty stem ("123.json", "alice.xml"; not "1.25" or ".env"). */
size_t ac__extension_at(const char *s, size_t n);

/* Template of a concrete path by the segment classifiers: each classified segment becomes its
 * parameter; the extension of the last segment stays literal ("/users/123.json" ->
 * "/users/{int}.json"); a trailing slash stays. Writes a NUL-terminated template to out (cap
 * bytes); false when it does not fit. */
bool ac__template_of(const char *path, size_t n, bool date_versions, char *out, size_t cap);

/* ac__template_of(), except that with keep_ints integers of up to 3 digits stay as they are
 * ("/status/404"): the inference decides whether their position is a parameter or a small set of
 * literals (shapes.h, infer.h). Longer integers are "{int}" at once. */
bool ac__shape_of_path(const char *path, size_t n, bool date_versions, bool keep_ints, char *out,
                       size_t cap);

#endif
