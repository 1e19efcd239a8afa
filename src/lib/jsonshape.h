/* jsonshape.h - the shape of JSON bodies: types, formats and presence per field path, merged over
 * samples, never a value.
 *
 * A shape is a fixed-size summary (no pointers, so it can be copied, merged and stored as it is):
 * for each field path ("" the body itself, "user.email", "items[]" the elements of an array,
 * "items[].id"), how many values were seen there, how many of them were objects, the JSON types
 * seen (AC_JT_*), and the string formats every string value there had (AC_JF_*). A field of an
 * object is required when it was seen in every object at its parent path (n == parent's nobj).
 *
 * Bounds: at most AC_JSHAPE_FIELDS paths, nesting recorded to AC_JSHAPE_DEPTH levels (deeper
 * values are only validated), keys of up to AC_JSHAPE_KEY printable ASCII bytes other than
 * `. [ ] " \` (other keys are skipped with their values), paths of up to AC_JSHAPE_PATH bytes,
 * bodies of up to AC_JSHAPE_BODY_MAX bytes, and a real nesting of AC_JSHAPE_NEST (deeper bodies
 * are not JSON to this module). When more paths are seen than fit, the smallest paths (bytewise)
 * are kept: the kept set of any mix of bodies is the smallest of their union, whose counts are
 * therefore exact, so adding and merging are order-independent. A parent path sorts before its
 * children, so a kept field always has its parent.
 *
 * Pure functions of their arguments: no allocation but in ac__jshape_to_json(), no globals,
 * safe from every thread on distinct shapes.
 */
#ifndef AC_JSONSHAPE_H
#define AC_JSONSHAPE_H

#include "buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AC_JSHAPE_FIELDS 64
#define AC_JSHAPE_DEPTH 4
#define AC_JSHAPE_KEY 48
#define AC_JSHAPE_PATH 128
#define AC_JSHAPE_NEST 64
#define AC_JSHAPE_BODY_MAX ((size_t)1 << 20)

/* JSON types seen at a path. */
enum {
    AC_JT_NULL = 1u << 0,
    AC_JT_BOOL = 1u << 1,
    AC_JT_INT = 1u << 2, /* a number without fraction or exponent */
    AC_JT_NUM = 1u << 3,
    AC_JT_STR = 1u << 4,
    AC_JT_ARR = 1u << 5,
    AC_JT_OBJ = 1u << 6
};

/* String formats (as OpenAPI names them), kept when every string value at the path had it. */
enum {
    AC_JF_DATE_TIME = 1u << 0, /* RFC 3339 date-time */
    AC_JF_DATE = 1u << 1,      /* full-date YYYY-MM-DD */
    AC_JF_EMAIL = 1u << 2,
    AC_JF_UUID = 1u << 3,
    AC_JF_URI = 1u << 4, /* scheme://... */
    AC_JF_IPV4 = 1u << 5,
    AC_JF_IPV6 = 1u << 6,
    AC_JF_ALL = (1u << 7) - 1
};

struct ac_jfield {
    char path[AC_JSHAPE_PATH]; /* NUL-terminated */
    uint32_t n;                /* values seen at the path (saturating) */
    uint32_t nobj;             /* of which objects */
    uint16_t types;            /* AC_JT_* */
    uint16_t fmt;              /* AC_JF_* every string value had (AC_JF_ALL: no string yet) */
};

struct ac_jshape {
    uint32_t samples; /* bodies added (saturating) */
    uint32_t nf;
    struct ac_jfield f[AC_JSHAPE_FIELDS]; /* sorted by path */
};

/* An empty shape. */
void ac__jshape_init(struct ac_jshape *s);

/* Add one body. false, with s unchanged, when it is not JSON within the bounds above. */
bool ac__jshape_add_json(struct ac_jshape *s, const char *p, size_t n);

/* Fold `from` into `into` (counts add, types and formats combine, smallest paths kept). */
void ac__jshape_merge(struct ac_jshape *into, const struct ac_jshape *from);

/* The field at `path`, or NULL. */
const struct ac_jfield *ac__jshape_find(const struct ac_jshape *s, const char *path);

/* Append the stored form to b: {"n":samples,"f":[[path,n,nobj,types,fmt],...]}. AC_ENOMEM. */
enum ac_err ac__jshape_to_json(const struct ac_jshape *s, struct ac_buf *b);

/* Read the stored form (a json-c object) into *s, validating every field; false (s empty) when
 * it is not one. */
struct json_object;
bool ac__jshape_from_json(struct ac_jshape *s, struct json_object *o);

/* The string formats (AC_JF_*) of one decoded string value. */
unsigned ac__jshape_formats(const char *p, size_t n);

#endif
