/* doc.c - limits, JSON-or-YAML dispatch and the accessors of the document tree.
 *
 * The readers themselves live in json_read.c and yaml_read.c; this file holds what both share:
 * the default limits, the choice between them for input of unknown syntax, and the small getters
 * the spec readers use to walk a tree. The getters accept NULL and wrong kinds and answer "absent",
 * so callers can chain lookups without checking every step.
 */
#include "doc.h"

#include "arena.h"

#include <string.h>

void ac__doc_limits_default(struct ac_doc_limits *l)
{
    l->max_bytes = (size_t)256 * 1024 * 1024;
    l->max_scalar = (size_t)4 * 1024 * 1024;
    l->max_depth = 1000;
    l->max_nodes = (size_t)50 * 1000 * 1000;
    l->max_alias_nodes = (size_t)1000 * 1000;
}

/* True when the first byte after a BOM and blanks opens a JSON object or array. */
static bool looks_like_json(const char *text, size_t len)
{
    size_t i = 0;

    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
        i++;
    return i < len && (text[i] == '{' || text[i] == '[');
}

/* True when the file name ends in .yaml or .yml. */
static bool named_yaml(const char *file)
{
    size_t n = file != NULL ? strlen(file) : 0;

    return (n > 5 && strcmp(file + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(file + n - 4, ".yml") == 0);
}

enum ac_err ac__doc_parse(struct ac_arena *a, const char *text, size_t len, const char *file,
                          const struct ac_doc_limits *lim, struct ac_node ***docs, size_t *ndocs,
                          struct ac_diag *d)
{
    struct ac_node *root = NULL, **one;
    enum ac_err err;

    if (text == NULL || !looks_like_json(text, len))
        return ac__yaml_parse(a, text, len, file, lim, docs, ndocs, d);
    /* A JSON error is final for a .json file (or an unnamed input): retrying as YAML would
     * replace a precise JSON position with a confusing YAML message about the same mistake. A
     * .yaml file may open with a flow mapping ({a: 1}), valid YAML but not JSON: it gets a YAML
     * parse, and the JSON diagnostic is kept if YAML fails too. */
    err = ac__json_parse(a, text, len, file, lim, &root, d);
    if (err != AC_OK && err != AC_ENOMEM && named_yaml(file)) {
        struct ac_diag yd;

        if (ac__yaml_parse(a, text, len, file, lim, docs, ndocs, &yd) == AC_OK)
            return AC_OK;
    }
    if (err != AC_OK)
        return err;
    one = ac__arena_alloc(a, sizeof(*one));
    if (one == NULL)
        return ac_diag_set(d, ac__arena_exhausted(a) ? AC_ELIMIT : AC_ENOMEM, file, 0, 0,
                           "out of memory for the document list");
    one[0] = root;
    *docs = one;
    *ndocs = 1;
    return AC_OK;
}

static bool scalar_eq(const struct ac_node *n, const char *s, size_t len)
{
    return n != NULL && n->kind == AC_NODE_SCALAR && n->len == len && memcmp(n->str, s, len) == 0;
}

struct ac_node *ac__node_get(const struct ac_node *map, const char *key)
{
    size_t len;
    uint32_t i;

    if (map == NULL || map->kind != AC_NODE_MAP || key == NULL)
        return NULL;
    len = strlen(key);
    for (i = 0; i < map->n; i++)
        if (scalar_eq(map->kids[2u * (size_t)i], key, len))
            return map->kids[2u * (size_t)i + 1u];
    return NULL;
}

struct ac_node *ac__node_key(const struct ac_node *map, uint32_t i)
{
    if (map == NULL || map->kind != AC_NODE_MAP || i >= map->n)
        return NULL;
    return map->kids[2u * (size_t)i];
}

struct ac_node *ac__node_val(const struct ac_node *map, uint32_t i)
{
    if (map == NULL || map->kind != AC_NODE_MAP || i >= map->n)
        return NULL;
    return map->kids[2u * (size_t)i + 1u];
}

const char *ac__node_str(const struct ac_node *n)
{
    if (n == NULL || n->kind != AC_NODE_SCALAR)
        return NULL;
    return n->str;
}

bool ac__node_is(const struct ac_node *n, const char *s)
{
    return s != NULL && scalar_eq(n, s, strlen(s));
}

bool ac__node_true(const struct ac_node *n)
{
    static const char *const always[] = {"true", "True", "TRUE"};
    static const char *const yaml11[] = {"yes", "Yes", "YES", "on", "On", "ON"};
    size_t i;

    if (n == NULL || n->kind != AC_NODE_SCALAR)
        return false;
    for (i = 0; i < sizeof(always) / sizeof(always[0]); i++)
        if (ac__node_is(n, always[i]))
            return true;
    /* The tree does not record the scalar style, only the tag: a YAML 1.1 "yes" counts when a
     * reader typed it as a boolean, never when it is a plain string. */
    if (n->tag != AC_TAG_BOOL)
        return false;
    for (i = 0; i < sizeof(yaml11) / sizeof(yaml11[0]); i++)
        if (ac__node_is(n, yaml11[i]))
            return true;
    return false;
}
