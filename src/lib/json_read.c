/* json_read.c - a fast JSON (RFC 8259) reader into the document tree of doc.h.
 *
 * One pass over the input with an explicit stack instead of recursion, so nesting depth is a
 * checked limit and never a C stack overflow. Children of an open container are collected on one
 * shared, growable pointer stack and copied into an exact-size arena array when it closes, so no
 * per-element malloc happens. Nodes and strings come from a small bump pool carved out of the
 * arena in chunks (one arena call per chunk, not per node). This file holds the parser: the state
 * machine, containers, numbers, literals and whitespace, plus the node, pool and error helpers
 * that json_string.c (strings, escapes and UTF-8) shares through json_impl.h.
 *
 * Positions: JSON allows a newline only in whitespace (a raw newline inside a string is an error),
 * so the line count and the start of the current line are updated only while skipping whitespace,
 * and a column is `p - line_start + 1` in bytes (after a BOM, the first byte is column 1).
 */
#include "doc.h"
#include "json_impl.h"

#include "arena.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL_FIRST_CHUNK (4u * 1024u)
#define POOL_MAX_CHUNK (1024u * 1024u)
#define STACK_FIRST 256u

enum jstate { J_VALUE, J_AFTER, J_KEY, J_DONE };

static const char empty_str[] = "";

static uint32_t clamp_u32(size_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

enum ac_err ac__json_err_at(const struct jp *j, enum ac_err code, uint32_t line, uint32_t col,
                            const char *fmt, ...)
{
    char msg[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return ac_diag_set(j->d, code, j->file, line, col, "%s", msg);
}

/* Human description of what is at p, for "expected X, found Y" messages. */
const char *ac__json_describe(char *buf, size_t size, const char *p, const char *end)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t n = 0, k;

    if (p >= end)
        return "end of input";
    while (p + n < end && n < 20) {
        unsigned char c = u[n];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '+' || c == '-'))
            break;
        n++;
    }
    if (n > 1) {
        snprintf(buf, size, "'%.*s%s'", (int)n, p, p + n < end && n == 20 ? "..." : "");
        return buf;
    }
    if (u[0] >= 0x21 && u[0] < 0x7F) {
        snprintf(buf, size, "'%c'", u[0]);
        return buf;
    }
    if (u[0] >= 0x80 && (k = ac__json_utf8_seq(u, (const unsigned char *)end)) != 0) {
        snprintf(buf, size, "'%.*s'", (int)k, p);
        return buf;
    }
    snprintf(buf, size, "byte 0x%02X", u[0]);
    return buf;
}

static enum ac_err syntax_found(const struct jp *j, const char *at, const char *expected)
{
    char buf[64];

    return ac__json_err_at(j, AC_ESYNTAX, j->line, ac__json_col_of(j, at), "%s, found %s", expected,
                           ac__json_describe(buf, sizeof(buf), at, j->end));
}

/* Error for a byte >= 0x80 where JSON allows only ASCII: invalid UTF-8 is an encoding error,
 * a valid character a syntax error. */
static enum ac_err bad_char(const struct jp *j, const char *at, const char *expected)
{
    const unsigned char *u = (const unsigned char *)at;

    if (at < j->end && u[0] >= 0x80 && ac__json_utf8_seq(u, (const unsigned char *)j->end) == 0)
        return ac__json_err_at(j, AC_EENCODING, j->line, ac__json_col_of(j, at),
                               "invalid UTF-8 sequence starting with byte 0x%02X", u[0]);
    return syntax_found(j, at, expected);
}

/* "unexpected end of input" at the end position, naming the innermost open construct. */
enum ac_err ac__json_eof_err(const struct jp *j, const char *what_open, uint32_t oline,
                             uint32_t ocol)
{
    uint32_t col = ac__json_col_of(j, j->end);

    if (what_open != NULL)
        return ac__json_err_at(
            j, AC_ESYNTAX, j->line, col,
            "unexpected end of input: unterminated %s starting at line %u, column %u", what_open,
            oline, ocol);
    if (j->nframes > 0) {
        const struct ac_node *n = j->frames[j->nframes - 1].node;

        return ac__json_err_at(
            j, AC_ESYNTAX, j->line, col,
            "unexpected end of input: unterminated %s starting at line %u, column %u",
            n->kind == AC_NODE_MAP ? "object" : "array", n->line, n->col);
    }
    return ac__json_err_at(j, AC_ESYNTAX, j->line, col,
                           "unexpected end of input: expected a JSON value");
}

enum ac_err ac__json_alloc_err(const struct jp *j, const char *at)
{
    if (ac__arena_exhausted(j->pool.a))
        return ac__json_err_at(j, AC_ELIMIT, j->line, ac__json_col_of(j, at),
                               "the document needs more memory than the load's cap allows");
    return ac__json_err_at(j, AC_ENOMEM, j->line, ac__json_col_of(j, at), "out of memory");
}

/* size bytes (rounded up to 8) from the pool; NULL when the arena refuses. */
void *ac__json_pool_take(struct jpool *pl, size_t size)
{
    void *r;

    size = (size + 7u) & ~(size_t)7u;
    if (size < 8u)
        size = 8u;
    if ((size_t)(pl->end - pl->p) >= size) {
        r = pl->p;
        pl->p += size;
        return r;
    }
    /* Big requests get their own arena allocation so the chunk tail is not wasted. */
    if (size > pl->chunk / 4u)
        return ac__arena_alloc(pl->a, size);
    r = ac__arena_alloc(pl->a, pl->chunk);
    if (r == NULL)
        return NULL;
    pl->p = (char *)r + size;
    pl->end = (char *)r + pl->chunk;
    if (pl->chunk < POOL_MAX_CHUNK)
        pl->chunk *= 2u;
    return r;
}

struct ac_node *ac__json_new_node(struct jp *j, const char *at, enum ac_node_kind kind,
                                  enum ac_err *err)
{
    struct ac_node *n;

    if (++j->nodes > j->lim->max_nodes) {
        *err = ac__json_err_at(j, AC_ELIMIT, j->line, ac__json_col_of(j, at),
                               "the document has more than %zu nodes", j->lim->max_nodes);
        return NULL;
    }
    n = ac__json_pool_take(&j->pool, sizeof(*n));
    if (n == NULL) {
        *err = ac__json_alloc_err(j, at);
        return NULL;
    }
    n->kind = kind;
    n->tag = AC_TAG_STR;
    n->line = j->line;
    n->col = ac__json_col_of(j, at);
    n->n = 0;
    n->len = 0;
    n->str = empty_str;
    n->kids = NULL;
    return n;
}

static enum ac_err push_kid(struct jp *j, struct ac_node *n, const char *at)
{
    if (j->nkids == j->capkids) {
        size_t cap = j->capkids != 0 ? j->capkids * 2u : STACK_FIRST;
        struct ac_node **k = realloc(j->kids, cap * sizeof(*k));

        if (k == NULL)
            return ac__json_err_at(j, AC_ENOMEM, j->line, ac__json_col_of(j, at), "out of memory");
        j->kids = k;
        j->capkids = cap;
    }
    j->kids[j->nkids++] = n;
    return AC_OK;
}

static enum ac_err open_container(struct jp *j, const char *at, enum ac_node_kind kind)
{
    enum ac_err err = AC_OK;
    struct ac_node *n;

    if (j->nframes >= j->lim->max_depth)
        return ac__json_err_at(j, AC_ELIMIT, j->line, ac__json_col_of(j, at),
                               "nesting deeper than %u levels", (unsigned)j->lim->max_depth);
    if (j->nframes == j->capframes) {
        size_t cap = j->capframes != 0 ? j->capframes * 2u : 64u;
        struct jframe *f = realloc(j->frames, cap * sizeof(*f));

        if (f == NULL)
            return ac__json_err_at(j, AC_ENOMEM, j->line, ac__json_col_of(j, at), "out of memory");
        j->frames = f;
        j->capframes = cap;
    }
    n = ac__json_new_node(j, at, kind, &err);
    if (n == NULL)
        return err;
    j->frames[j->nframes].node = n;
    j->frames[j->nframes].base = j->nkids;
    j->nframes++;
    return AC_OK;
}

/* Close the innermost container: move its children into an exact-size arena array. */
static struct ac_node *close_container(struct jp *j, const char *at, enum ac_err *err)
{
    struct jframe *f = &j->frames[j->nframes - 1];
    struct ac_node *n = f->node;
    size_t count = j->nkids - f->base;
    size_t pairs = n->kind == AC_NODE_MAP ? count / 2u : count;

    if (pairs > UINT32_MAX) {
        *err = ac__json_err_at(j, AC_ELIMIT, n->line, n->col, "more than %u items in one container",
                               (unsigned)UINT32_MAX);
        return NULL;
    }
    if (count > 0) {
        n->kids = ac__json_pool_take(&j->pool, count * sizeof(*n->kids));
        if (n->kids == NULL) {
            *err = ac__json_alloc_err(j, at);
            return NULL;
        }
        memcpy(n->kids, j->kids + f->base, count * sizeof(*n->kids));
    }
    n->n = (uint32_t)pairs;
    j->nkids = f->base;
    j->nframes--;
    return n;
}

static bool is_digit(const char *p, const char *end)
{
    return p < end && *p >= '0' && *p <= '9';
}

/* Validate an RFC 8259 number at *pp; on success it becomes an INT or FLOAT scalar. */
static struct ac_node *read_number(struct jp *j, const char **pp, enum ac_err *err)
{
    const char *s = *pp, *p = s, *end = j->end;
    enum ac_scalar_tag tag = AC_TAG_INT;
    struct ac_node *n;
    char *buf;
    const char *what = NULL;

    if (*p == '-')
        p++;
    if (p < end && *p == '0') {
        p++;
        if (is_digit(p, end)) {
            *err = ac__json_err_at(j, AC_ESYNTAX, j->line, ac__json_col_of(j, s),
                                   "invalid number: leading zeros are not allowed");
            return NULL;
        }
    } else if (is_digit(p, end)) {
        while (is_digit(p, end))
            p++;
    } else {
        what = "a digit after '-'";
        goto bad;
    }
    if (p < end && *p == '.') {
        tag = AC_TAG_FLOAT;
        p++;
        if (!is_digit(p, end)) {
            what = "a digit after the decimal point";
            goto bad;
        }
        while (is_digit(p, end))
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        tag = AC_TAG_FLOAT;
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (!is_digit(p, end)) {
            what = "a digit in the exponent";
            goto bad;
        }
        while (is_digit(p, end))
            p++;
    }
    if ((size_t)(p - s) > j->lim->max_scalar) {
        *err = ac__json_err_at(j, AC_ELIMIT, j->line, ac__json_col_of(j, s),
                               "number longer than the limit of %zu bytes", j->lim->max_scalar);
        return NULL;
    }
    n = ac__json_new_node(j, s, AC_NODE_SCALAR, err);
    if (n == NULL)
        return NULL;
    buf = ac__json_pool_take(&j->pool, (size_t)(p - s) + 1);
    if (buf == NULL) {
        *err = ac__json_alloc_err(j, s);
        return NULL;
    }
    memcpy(buf, s, (size_t)(p - s));
    buf[p - s] = '\0';
    n->tag = tag;
    n->str = buf;
    n->len = (size_t)(p - s);
    *pp = p;
    return n;
bad:
    if (p >= end) {
        *err = ac__json_eof_err(j, NULL, 0, 0);
    } else {
        char buf2[64];

        *err = ac__json_err_at(j, AC_ESYNTAX, j->line, ac__json_col_of(j, p),
                               "invalid number: expected %s, found %s", what,
                               ac__json_describe(buf2, sizeof(buf2), p, end));
    }
    return NULL;
}

static struct ac_node *read_literal(struct jp *j, const char **pp, enum ac_err *err)
{
    static const struct {
        const char *word;
        size_t len;
        enum ac_scalar_tag tag;
    } lits[] = {{"true", 4, AC_TAG_BOOL}, {"false", 5, AC_TAG_BOOL}, {"null", 4, AC_TAG_NULL}};
    const char *p = *pp;
    size_t avail = (size_t)(j->end - p), i;
    struct ac_node *n;

    for (i = 0; i < sizeof(lits) / sizeof(lits[0]); i++) {
        if (*p != lits[i].word[0])
            continue;
        if (avail < lits[i].len && memcmp(p, lits[i].word, avail) == 0) {
            *err = ac__json_eof_err(j, NULL, 0, 0);
            return NULL;
        }
        if (avail < lits[i].len || memcmp(p, lits[i].word, lits[i].len) != 0)
            break;
        n = ac__json_new_node(j, p, AC_NODE_SCALAR, err);
        if (n == NULL)
            return NULL;
        n->tag = lits[i].tag;
        n->str = lits[i].word; /* static text: read-only, and it outlives any arena */
        n->len = lits[i].len;
        *pp = p + lits[i].len;
        return n;
    }
    *err = syntax_found(j, p, "expected a JSON value");
    return NULL;
}

static const char *skip_ws(struct jp *j, const char *p)
{
    const char *end = j->end;

    while (p < end) {
        char c = *p;

        if (c == ' ' || c == '\t' || c == '\r') {
            p++;
        } else if (c == '\n') {
            p++;
            j->line++;
            j->line_start = p;
        } else {
            break;
        }
    }
    return p;
}

/* One value at p (whitespace skipped): a scalar, or the opening of a container. */
static enum jstate read_value(struct jp *j, const char **pp, struct ac_node **v, enum ac_err *err)
{
    const char *p = *pp;

    switch (*p) {
    case '{':
    case '[':
        *err = open_container(j, p, *p == '{' ? AC_NODE_MAP : AC_NODE_SEQ);
        if (*err != AC_OK)
            return J_DONE;
        p = skip_ws(j, p + 1);
        *pp = p;
        if (j->frames[j->nframes - 1].node->kind == AC_NODE_SEQ) {
            if (p < j->end && *p == ']')
                break;
            return J_VALUE;
        }
        if (p < j->end && *p == '}')
            break;
        return J_KEY;
    case '"':
        *v = ac__json_read_string(j, pp, err);
        return *v != NULL ? J_AFTER : J_DONE;
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
        *v = read_number(j, pp, err);
        return *v != NULL ? J_AFTER : J_DONE;
    case 't':
    case 'f':
    case 'n':
        *v = read_literal(j, pp, err);
        return *v != NULL ? J_AFTER : J_DONE;
    default:
        *err = bad_char(j, p, "expected a JSON value");
        return J_DONE;
    }
    /* An empty container: close it at once. */
    *v = close_container(j, p, err);
    *pp = p + 1;
    return *v != NULL ? J_AFTER : J_DONE;
}

/* After a value inside a container: a separator, or the close of the container. */
static enum jstate read_after(struct jp *j, const char **pp, struct ac_node **v, enum ac_err *err)
{
    const char *p = skip_ws(j, *pp);
    bool seq = j->frames[j->nframes - 1].node->kind == AC_NODE_SEQ;

    if (p >= j->end) {
        *err = ac__json_eof_err(j, NULL, 0, 0);
        return J_DONE;
    }
    if (*p == ',') {
        *pp = skip_ws(j, p + 1);
        return seq ? J_VALUE : J_KEY;
    }
    if (*p == (seq ? ']' : '}')) {
        *v = close_container(j, p, err);
        *pp = p + 1;
        return *v != NULL ? J_AFTER : J_DONE;
    }
    *err = bad_char(j, p,
                    seq ? "expected ',' or ']' after array element"
                        : "expected ',' or '}' after object member");
    return J_DONE;
}

static enum jstate read_key(struct jp *j, const char **pp, enum ac_err *err)
{
    const char *p = *pp;
    struct ac_node *k;

    if (p >= j->end) {
        *err = ac__json_eof_err(j, NULL, 0, 0);
        return J_DONE;
    }
    if (*p != '"') {
        *err = bad_char(j, p, "expected an object key (a string in double quotes)");
        return J_DONE;
    }
    k = ac__json_read_string(j, &p, err);
    if (k == NULL || (*err = push_kid(j, k, p)) != AC_OK)
        return J_DONE;
    p = skip_ws(j, p);
    if (p >= j->end) {
        *err = ac__json_eof_err(j, NULL, 0, 0);
        return J_DONE;
    }
    if (*p != ':') {
        *err = bad_char(j, p, "expected ':' after object key");
        return J_DONE;
    }
    *pp = skip_ws(j, p + 1);
    return J_VALUE;
}

static enum ac_err parse(struct jp *j, struct ac_node **root)
{
    const char *p = j->text;
    enum jstate st = J_VALUE;
    enum ac_err err = AC_OK;
    struct ac_node *v = NULL;

    p = skip_ws(j, p);
    while (st != J_DONE) {
        switch (st) {
        case J_VALUE:
            if (p >= j->end)
                return ac__json_eof_err(j, NULL, 0, 0);
            st = read_value(j, &p, &v, &err);
            break;
        case J_AFTER:
            if (j->nframes == 0) {
                *root = v;
                st = J_DONE;
                break;
            }
            err = push_kid(j, v, p);
            st = err == AC_OK ? read_after(j, &p, &v, &err) : J_DONE;
            break;
        case J_KEY:
            st = read_key(j, &p, &err);
            break;
        case J_DONE:
            break;
        }
    }
    if (err != AC_OK)
        return err;
    p = skip_ws(j, p);
    if (p < j->end)
        return bad_char(j, p, "expected end of input after the JSON value");
    return AC_OK;
}

/* Line and column of offset off of text (for limits that stop before parsing). */
static void position_of(const char *text, size_t off, uint32_t *line, uint32_t *col)
{
    const char *p = text, *end = text + off, *nl, *ls = text;
    size_t l = 1;

    while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        l++;
        ls = nl + 1;
        p = ls;
    }
    *line = clamp_u32(l);
    *col = clamp_u32((size_t)(end - ls) + 1);
}

enum ac_err ac__json_parse(struct ac_arena *a, const char *text, size_t len, const char *file,
                           const struct ac_doc_limits *lim, struct ac_node **out, struct ac_diag *d)
{
    struct ac_doc_limits deflim;
    struct jp j;
    struct ac_node *root = NULL;
    enum ac_err err;

    if (lim == NULL) {
        ac__doc_limits_default(&deflim);
        lim = &deflim;
    }
    memset(&j, 0, sizeof(j));
    if (text == NULL)
        text = empty_str;
    if (len > lim->max_bytes) {
        uint32_t line, col;

        position_of(text, lim->max_bytes, &line, &col);
        err = ac_diag_set(d, AC_ELIMIT, file, line, col,
                          "input of %zu bytes exceeds the limit of %zu bytes", len, lim->max_bytes);
        goto out;
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    j.text = text;
    j.end = text + len;
    j.line_start = text;
    j.line = 1;
    j.file = file;
    j.lim = lim;
    j.d = d;
    j.pool.a = a;
    j.pool.chunk = POOL_FIRST_CHUNK;
    err = parse(&j, &root);
    if (err == AC_OK)
        *out = root;
out:
    free(j.kids);
    free(j.frames);
    return err;
}
