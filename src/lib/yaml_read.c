/* yaml_read.c - YAML streams into the document tree of doc.h, with libyaml's event API.
 *
 * Events arrive in document order; an explicit stack of open collections collects children on one
 * shared pointer stack, copied into an exact-size arena array when the collection ends (the same
 * scheme as json_read.c). Plain scalars are typed by the YAML 1.2 core schema; every other style
 * is a string. Whatever libyaml accepts is accepted: real specs rely on its leniency.
 *
 * Aliases are not expanded: an alias yields the anchored node itself, so the tree is a DAG. An
 * anchor is registered only once its node is complete, so an alias can never point at one of its
 * own ancestors and the tree has no cycles. Each node's subtree size (counting what aliases would
 * expand to) is tracked while it is open; every alias adds the size of its target to a running
 * total, capped by max_alias_nodes, so a "billion laughs" document fails after a few events
 * instead of making later walkers expand it. Likewise each node's height is tracked, so that an
 * alias cannot make the tree, as walked, nest deeper than max_depth: consumers may recurse.
 */
#include "doc.h"

#include "arena.h"

#include <yaml.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STACK_FIRST 64u

struct yframe {
    struct ac_node *node;
    size_t base;        /* index of its first child on the kids stack */
    size_t size;        /* nodes in its subtree so far, aliases counted as expanded */
    uint32_t height;    /* container levels below it so far, aliases counted as expanded */
    const char *anchor; /* arena copy of its anchor name, or NULL */
};

struct yanchor {
    const char *name; /* arena copy; NULL marks a free slot */
    size_t len;
    struct ac_node *node;
    size_t size;
    uint32_t height; /* container levels in node, itself included (0 for a scalar) */
};

struct yp {
    struct ac_arena *a;
    const char *text;
    size_t len;
    const char *file;
    const struct ac_doc_limits *lim;
    struct ac_diag *d;
    struct ac_node **kids;
    size_t nkids, capkids;
    struct yframe *frames;
    size_t nframes, capframes;
    struct yanchor *anchors; /* open-addressing hash table, capanchors a power of two */
    size_t nanchors, capanchors;
    struct ac_node **docs;
    size_t ndocs, capdocs;
    struct ac_node *root; /* of the current document */
    size_t nodes;
    size_t alias_total;
};

static const char empty_str[] = "";

static uint32_t clamp_u32(size_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static enum ac_err yerr(const struct yp *y, enum ac_err code, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* An error at libyaml mark m (0-based line and column; reported 1-based). */
static enum ac_err yerr(const struct yp *y, enum ac_err code, yaml_mark_t m, const char *fmt, ...)
{
    char msg[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return ac_diag_set(y->d, code, y->file, clamp_u32(m.line + 1), clamp_u32(m.column + 1), "%s",
                       msg);
}

static enum ac_err alloc_err(const struct yp *y, yaml_mark_t m)
{
    if (ac__arena_exhausted(y->a))
        return yerr(y, AC_ELIMIT, m, "the document needs more memory than the load's cap allows");
    return yerr(y, AC_ENOMEM, m, "out of memory");
}

/* Grow a malloc'd array of elem-sized items so that one more fits. */
static bool grow(void **arr, size_t *cap, size_t used, size_t elem)
{
    size_t ncap;
    void *p;

    if (used < *cap)
        return true;
    ncap = *cap != 0 ? *cap * 2u : STACK_FIRST;
    p = realloc(*arr, ncap * elem);
    if (p == NULL)
        return false;
    *arr = p;
    *cap = ncap;
    return true;
}

/* Line and column (1-based, column in bytes) of byte offset off, for libyaml reader errors that
 * carry an offset but no mark. */
static void position_of(const char *text, size_t len, size_t off, uint32_t *line, uint32_t *col)
{
    const char *p = text, *end, *nl, *ls = text;
    size_t l = 1;

    if (off > len)
        off = len;
    end = text + off;
    while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        l++;
        ls = nl + 1;
        p = ls;
    }
    *line = clamp_u32(l);
    *col = clamp_u32((size_t)(end - ls) + 1);
}

static bool all_in(const char *s, const char *end, const char *set)
{
    if (s >= end)
        return false;
    for (; s < end; s++)
        if (strchr(set, *s) == NULL || *s == '\0')
            return false;
    return true;
}

static bool one_of(const char *s, size_t n, const char *const *words)
{
    for (; *words != NULL; words++)
        if (strlen(*words) == n && memcmp(*words, s, n) == 0)
            return true;
    return false;
}

/* [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
static bool core_float(const char *s, const char *end)
{
    const char *p = s;
    size_t digits = 0;

    if (p < end && (*p == '-' || *p == '+'))
        p++;
    while (p < end && *p >= '0' && *p <= '9') {
        p++;
        digits++;
    }
    if (p < end && *p == '.') {
        p++;
        while (p < end && *p >= '0' && *p <= '9') {
            p++;
            digits++;
        }
    }
    if (digits == 0)
        return false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '-' || *p == '+'))
            p++;
        if (!all_in(p, end, "0123456789"))
            return false;
        p = end;
    }
    return p == end;
}

/* Type of a plain scalar by the YAML 1.2 core schema. */
static enum ac_scalar_tag core_tag(const char *s, size_t n)
{
    static const char *const nulls[] = {"~", "null", "Null", "NULL", NULL};
    static const char *const bools[] = {"true", "True", "TRUE", "false", "False", "FALSE", NULL};
    static const char *const infs[] = {".inf", ".Inf", ".INF", NULL};
    static const char *const nans[] = {".nan", ".NaN", ".NAN", NULL};
    const char *end = s + n, *p = s;

    if (n == 0 || one_of(s, n, nulls))
        return AC_TAG_NULL;
    if (one_of(s, n, bools))
        return AC_TAG_BOOL;
    if (strchr("-+.0123456789", s[0]) == NULL)
        return AC_TAG_STR;
    if (n > 2 && s[0] == '0' && s[1] == 'o' && all_in(s + 2, end, "01234567"))
        return AC_TAG_INT;
    if (n > 2 && s[0] == '0' && s[1] == 'x' && all_in(s + 2, end, "0123456789abcdefABCDEF"))
        return AC_TAG_INT;
    if (*p == '-' || *p == '+')
        p++;
    if (all_in(p, end, "0123456789"))
        return AC_TAG_INT;
    if (one_of(p, (size_t)(end - p), infs) || one_of(s, n, nans))
        return AC_TAG_FLOAT;
    return core_float(s, end) ? AC_TAG_FLOAT : AC_TAG_STR;
}

/* Tag of a scalar event: the core schema for plain scalars, a string for any other style. An
 * explicit standard tag is honoured only when the text fits it, so INT text is always a number. */
static enum ac_scalar_tag scalar_tag(const yaml_event_t *ev)
{
    static const struct {
        const char *tag;
        enum ac_scalar_tag t;
    } std[] = {{YAML_NULL_TAG, AC_TAG_NULL},
               {YAML_BOOL_TAG, AC_TAG_BOOL},
               {YAML_INT_TAG, AC_TAG_INT},
               {YAML_FLOAT_TAG, AC_TAG_FLOAT}};
    const char *text = (const char *)ev->data.scalar.value;
    const char *tag = (const char *)ev->data.scalar.tag;
    enum ac_scalar_tag core = core_tag(text, ev->data.scalar.length);
    size_t i;

    if (tag == NULL)
        return ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? core : AC_TAG_STR;
    if (strcmp(tag, YAML_FLOAT_TAG) == 0 && core == AC_TAG_INT)
        return AC_TAG_FLOAT; /* !!float 1 is the float 1.0 */
    for (i = 0; i < sizeof(std) / sizeof(std[0]); i++)
        if (strcmp(tag, std[i].tag) == 0)
            return core == std[i].t ? core : AC_TAG_STR;
    if (strcmp(tag, YAML_STR_TAG) == 0 || strcmp(tag, "!") == 0)
        return AC_TAG_STR;
    return ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? core : AC_TAG_STR;
}

static uint64_t hash_name(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static struct yanchor *anchor_slot(const struct yp *y, const char *name, size_t len)
{
    size_t mask = y->capanchors - 1u, i = (size_t)hash_name(name, len) & mask;

    while (y->anchors[i].name != NULL &&
           (y->anchors[i].len != len || memcmp(y->anchors[i].name, name, len) != 0))
        i = (i + 1u) & mask;
    return &y->anchors[i];
}

static const struct yanchor *anchor_find(const struct yp *y, const char *name)
{
    const struct yanchor *e;

    if (y->nanchors == 0)
        return NULL;
    e = anchor_slot(y, name, strlen(name));
    return e->name != NULL ? e : NULL;
}

/* Register (or redefine: the latest definition wins) an anchor whose node is now complete. */
static enum ac_err anchor_set(struct yp *y, const char *name, struct ac_node *node, size_t size,
                              uint32_t height, yaml_mark_t m)
{
    size_t len = strlen(name), i;
    struct yanchor *e;

    if ((y->nanchors + 1u) * 2u > y->capanchors) {
        struct yanchor *old = y->anchors;
        size_t oldcap = y->capanchors, ncap = oldcap != 0 ? oldcap * 2u : 64u;

        y->anchors = calloc(ncap, sizeof(*y->anchors));
        if (y->anchors == NULL) {
            y->anchors = old;
            return yerr(y, AC_ENOMEM, m, "out of memory");
        }
        y->capanchors = ncap;
        for (i = 0; i < oldcap; i++)
            if (old[i].name != NULL)
                *anchor_slot(y, old[i].name, old[i].len) = old[i];
        free(old);
    }
    e = anchor_slot(y, name, len);
    if (e->name == NULL) {
        e->name = ac__arena_strndup(y->a, name, len);
        if (e->name == NULL)
            return alloc_err(y, m);
        e->len = len;
        y->nanchors++;
    }
    e->node = node;
    e->size = size;
    e->height = height;
    return AC_OK;
}

static size_t add_sat(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/* Attach a finished node (new, or the target of an alias) to the open collection, or make it the
 * document root. size is its subtree size, height its container levels. */
static enum ac_err attach(struct yp *y, struct ac_node *n, size_t size, uint32_t height,
                          yaml_mark_t m)
{
    struct yframe *f;

    if (y->nframes == 0) {
        y->root = n;
        return AC_OK;
    }
    f = &y->frames[y->nframes - 1];
    if (f->node->kind == AC_NODE_MAP && (y->nkids - f->base) % 2u == 0 && n->kind != AC_NODE_SCALAR)
        return ac_diag_set(y->d, AC_ESYNTAX, y->file, n->line, n->col,
                           "a mapping key must be a scalar, not a %s",
                           n->kind == AC_NODE_MAP ? "mapping" : "sequence");
    if (!grow((void **)&y->kids, &y->capkids, y->nkids, sizeof(*y->kids)))
        return yerr(y, AC_ENOMEM, m, "out of memory");
    y->kids[y->nkids++] = n;
    f->size = add_sat(f->size, size);
    if (height > f->height)
        f->height = height;
    return AC_OK;
}

static struct ac_node *new_node(struct yp *y, enum ac_node_kind kind, yaml_mark_t m,
                                enum ac_err *err)
{
    struct ac_node *n;

    if (++y->nodes > y->lim->max_nodes) {
        *err = yerr(y, AC_ELIMIT, m, "the document has more than %zu nodes", y->lim->max_nodes);
        return NULL;
    }
    n = ac__arena_alloc(y->a, sizeof(*n));
    if (n == NULL) {
        *err = alloc_err(y, m);
        return NULL;
    }
    n->kind = kind;
    n->tag = AC_TAG_STR;
    n->line = clamp_u32(m.line + 1);
    n->col = clamp_u32(m.column + 1);
    n->str = empty_str;
    return n;
}

static enum ac_err on_scalar(struct yp *y, const yaml_event_t *ev)
{
    yaml_mark_t m = ev->start_mark;
    size_t len = ev->data.scalar.length;
    enum ac_err err = AC_OK;
    struct ac_node *n;
    char *s;

    if (len > y->lim->max_scalar)
        return yerr(y, AC_ELIMIT, m, "scalar longer than the limit of %zu bytes",
                    y->lim->max_scalar);
    n = new_node(y, AC_NODE_SCALAR, m, &err);
    if (n == NULL)
        return err;
    s = ac__arena_strndup(y->a, (const char *)ev->data.scalar.value, len);
    if (s == NULL)
        return alloc_err(y, m);
    n->str = s;
    n->len = len;
    n->tag = scalar_tag(ev);
    if (ev->data.scalar.anchor != NULL) {
        err = anchor_set(y, (const char *)ev->data.scalar.anchor, n, 1, 0, m);
        if (err != AC_OK)
            return err;
    }
    return attach(y, n, 1, 0, m);
}

static enum ac_err on_start(struct yp *y, const yaml_event_t *ev, enum ac_node_kind kind)
{
    yaml_mark_t m = ev->start_mark;
    const yaml_char_t *anchor =
        kind == AC_NODE_MAP ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
    enum ac_err err = AC_OK;
    struct yframe *f;
    struct ac_node *n;

    if (y->nframes >= y->lim->max_depth)
        return yerr(y, AC_ELIMIT, m, "nesting deeper than %u levels", (unsigned)y->lim->max_depth);
    if (!grow((void **)&y->frames, &y->capframes, y->nframes, sizeof(*y->frames)))
        return yerr(y, AC_ENOMEM, m, "out of memory");
    n = new_node(y, kind, m, &err);
    if (n == NULL)
        return err;
    f = &y->frames[y->nframes];
    f->node = n;
    f->base = y->nkids;
    f->size = 1;
    f->height = 0;
    f->anchor = NULL;
    if (anchor != NULL) {
        const char *name = (const char *)anchor;

        f->anchor = ac__arena_strndup(y->a, name, strlen(name));
        if (f->anchor == NULL)
            return alloc_err(y, m);
    }
    y->nframes++;
    return AC_OK;
}

static enum ac_err on_end(struct yp *y, const yaml_event_t *ev)
{
    struct yframe f = y->frames[y->nframes - 1];
    struct ac_node *n = f.node;
    size_t count = y->nkids - f.base;
    size_t pairs = n->kind == AC_NODE_MAP ? count / 2u : count;
    enum ac_err err;

    if (pairs > UINT32_MAX)
        return yerr(y, AC_ELIMIT, ev->start_mark, "more than %u items in one collection",
                    (unsigned)UINT32_MAX);
    if (count > 0) {
        n->kids = ac__arena_alloc(y->a, count * sizeof(*n->kids));
        if (n->kids == NULL)
            return alloc_err(y, ev->start_mark);
        memcpy(n->kids, y->kids + f.base, count * sizeof(*n->kids));
    }
    n->n = (uint32_t)pairs;
    y->nkids = f.base;
    y->nframes--;
    if (f.anchor != NULL) {
        err = anchor_set(y, f.anchor, n, f.size, f.height + 1u, ev->start_mark);
        if (err != AC_OK)
            return err;
    }
    return attach(y, n, f.size, f.height + 1u, ev->start_mark);
}

static enum ac_err on_alias(struct yp *y, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    const struct yanchor *e = anchor_find(y, name);
    size_t i;

    if (e == NULL) {
        for (i = 0; i < y->nframes; i++)
            if (y->frames[i].anchor != NULL && strcmp(y->frames[i].anchor, name) == 0)
                return yerr(y, AC_ESYNTAX, ev->start_mark,
                            "alias '*%s' refers to a node that contains it (recursive YAML "
                            "structures are not supported)",
                            name);
        return yerr(y, AC_ESYNTAX, ev->start_mark,
                    "unknown alias '*%s' (no anchor '&%s' before it)", name, name);
    }
    if (e->height > y->lim->max_depth - y->nframes)
        return yerr(y, AC_ELIMIT, ev->start_mark,
                    "nesting deeper than %u levels through alias '*%s'",
                    (unsigned)y->lim->max_depth, name);
    y->alias_total = add_sat(y->alias_total, e->size);
    if (y->alias_total > y->lim->max_alias_nodes)
        return yerr(y, AC_ELIMIT, ev->start_mark,
                    "YAML alias expansion exceeds %zu nodes (a 'billion laughs' document?)",
                    y->lim->max_alias_nodes);
    return attach(y, e->node, e->size, e->height, ev->start_mark);
}

static enum ac_err on_document_end(struct yp *y, const yaml_event_t *ev)
{
    if (!grow((void **)&y->docs, &y->capdocs, y->ndocs, sizeof(*y->docs)))
        return yerr(y, AC_ENOMEM, ev->start_mark, "out of memory");
    y->docs[y->ndocs++] = y->root;
    y->root = NULL;
    /* Anchors are local to their document. */
    if (y->nanchors > 0) {
        memset(y->anchors, 0, y->capanchors * sizeof(*y->anchors));
        y->nanchors = 0;
    }
    return AC_OK;
}

static enum ac_err on_event(struct yp *y, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        return on_scalar(y, ev);
    case YAML_SEQUENCE_START_EVENT:
        return on_start(y, ev, AC_NODE_SEQ);
    case YAML_MAPPING_START_EVENT:
        return on_start(y, ev, AC_NODE_MAP);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return on_end(y, ev);
    case YAML_ALIAS_EVENT:
        return on_alias(y, ev);
    case YAML_DOCUMENT_END_EVENT:
        return on_document_end(y, ev);
    case YAML_NO_EVENT:
    case YAML_STREAM_START_EVENT:
    case YAML_STREAM_END_EVENT:
    case YAML_DOCUMENT_START_EVENT:
        break;
    }
    return AC_OK;
}

/* Translate libyaml's error state into a diagnostic. */
static enum ac_err libyaml_err(const struct yp *y, const yaml_parser_t *ps)
{
    const char *problem = ps->problem != NULL ? ps->problem : "invalid YAML";
    uint32_t line, col;

    switch (ps->error) {
    case YAML_MEMORY_ERROR:
        return ac_diag_set(y->d, AC_ENOMEM, y->file, 0, 0, "out of memory in the YAML parser");
    case YAML_READER_ERROR:
        /* Reader errors carry a byte offset, not a mark. All but one are about the encoding. */
        position_of(y->text, y->len, ps->problem_offset, &line, &col);
        if (ps->problem_value >= 0)
            return ac_diag_set(
                y->d, strstr(problem, "control characters") != NULL ? AC_ESYNTAX : AC_EENCODING,
                y->file, line, col, "%s (byte 0x%02X)", problem, (unsigned)ps->problem_value);
        return ac_diag_set(y->d, AC_EENCODING, y->file, line, col, "%s", problem);
    default:
        break;
    }
    if (ps->context != NULL)
        return yerr(y, AC_ESYNTAX, ps->problem_mark, "%s (%s at line %zu, column %zu)", problem,
                    ps->context, ps->context_mark.line + 1, ps->context_mark.column + 1);
    return yerr(y, AC_ESYNTAX, ps->problem_mark, "%s", problem);
}

static enum ac_err run(struct yp *y, yaml_parser_t *ps)
{
    yaml_event_t ev;
    enum ac_err err;
    bool done;

    for (;;) {
        if (!yaml_parser_parse(ps, &ev))
            return libyaml_err(y, ps);
        err = on_event(y, &ev);
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        if (err != AC_OK)
            return err;
        if (done)
            return AC_OK;
    }
}

enum ac_err ac__yaml_parse(struct ac_arena *a, const char *text, size_t len, const char *file,
                           const struct ac_doc_limits *lim, struct ac_node ***docs, size_t *ndocs,
                           struct ac_diag *d)
{
    struct ac_doc_limits deflim;
    struct ac_node **out = NULL;
    yaml_parser_t ps;
    bool ps_ready = false;
    struct yp y;
    enum ac_err err;

    if (lim == NULL) {
        ac__doc_limits_default(&deflim);
        lim = &deflim;
    }
    if (text == NULL)
        text = empty_str;
    memset(&y, 0, sizeof(y));
    y.a = a;
    y.text = text;
    y.len = len;
    y.file = file;
    y.lim = lim;
    y.d = d;
    if (len > lim->max_bytes) {
        uint32_t line, col;

        position_of(text, len, lim->max_bytes, &line, &col);
        err = ac_diag_set(d, AC_ELIMIT, file, line, col,
                          "input of %zu bytes exceeds the limit of %zu bytes", len, lim->max_bytes);
        goto out;
    }
    if (!yaml_parser_initialize(&ps)) {
        err = ac_diag_set(d, AC_ENOMEM, file, 0, 0, "out of memory in the YAML parser");
        goto out;
    }
    ps_ready = true;
    yaml_parser_set_input_string(&ps, (const unsigned char *)text, len);
    err = run(&y, &ps);
    if (err != AC_OK)
        goto out;
    if (y.ndocs > 0) {
        out = ac__arena_alloc(a, y.ndocs * sizeof(*out));
        if (out == NULL) {
            err = ac_diag_set(d, ac__arena_exhausted(a) ? AC_ELIMIT : AC_ENOMEM, file, 0, 0,
                              "out of memory for the document list");
            goto out;
        }
        memcpy(out, y.docs, y.ndocs * sizeof(*out));
    }
    *docs = out;
    *ndocs = y.ndocs;
out:
    if (ps_ready)
        yaml_parser_delete(&ps);
    free(y.anchors);
    free(y.docs);
    free(y.frames);
    free(y.kids);
    return err;
}
