/* specdiff.c - two OpenAPI documents compared operation by operation (<apicensus/diff.h>).
 *
 * Each side is read as `import` reads a spec (ac__doc_parse, ac__openapi_read with a resolver for
 * its $refs) into a struct ac_decl_set, then its operations are sorted by a key of method and
 * template with the parameter names blanked ("GET /books/{}"), so both sides are walked like two
 * sorted lists. Matched operations are compared field by field: path parameter names by position,
 * non-path parameters by (in, name) and whether they are required, documented response codes,
 * security requirements (the reader's JSON of scheme names, compared as text), and the deprecated
 * flag. A deprecated operation whose path item or operation has no `x-sunset` (nor a version with
 * a sunset date) is reported as deprecated without a sunset date; the sunset is read from the
 * document tree, since the declaration set does not carry it.
 *
 * Ownership: everything lives in one arena per side, freed before returning; the table the caller
 * gets copies its cells. Bounded by the reader's limits (struct ac_doc_limits).
 */
#include "arena.h"
#include "doc.h"
#include "fileio.h"
#include "model.h"
#include "openapi.h"
#include "ref.h"
#include "specdiff.h"
#include "table.h"
#include "version.h"

#include <apicensus/diff.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct side {
    struct ac_arena *a;
    struct ac_decl_set *set;
    const struct ac_node *root;
    const struct ac_decl_operation **ops; /* sorted by key */
    const char **keys;
    size_t n;
};

const struct ac_table_col ac__diff_cols[AC__DIFF_NCOLS] = {
    {"change", AC_COL_TEXT},  {"kind", AC_COL_TEXT},  {"breaking", AC_COL_BOOL},
    {"method", AC_COL_TEXT},  {"path", AC_COL_TEXT},  {"api", AC_COL_TEXT},
    {"version", AC_COL_TEXT}, {"detail", AC_COL_TEXT}};

/* "/path/{}/x METHOD": the template with parameter names blanked and version segments
 * (v1, v1.25, 1.25) written "{v}", then the method. Versions are blanked so two releases of one
 * API (Docker's /v1.25/... and /v1.56/...) compare operation by operation; the row shows B's
 * template with its own version. */
static const char *op_key(struct ac_arena *a, const struct ac_decl_operation *o)
{
    size_t m = strlen(o->method), t = strlen(o->tmpl), i = 0, k = 0, e;
    char *s = ac__arena_alloc(a, m + 2 * t + 8);

    if (s == NULL)
        return NULL;
    while (i < t) {
        if (o->tmpl[i] == '/') {
            s[k++] = o->tmpl[i++];
            continue;
        }
        for (e = i; e < t && o->tmpl[e] != '/'; e++)
            ;
        if (ac__version_token(o->tmpl + i, e - i, false)) {
            memcpy(s + k, "{v}", 3);
            k += 3;
            i = e;
            continue;
        }
        for (; i < e; i++) {
            char c = o->tmpl[i];

            s[k++] = c;
            if (c == '{') {
                while (i + 1 < e && o->tmpl[i + 1] != '}')
                    i++;
            }
        }
    }
    s[k++] = ' ';
    memcpy(s + k, o->method, m + 1);
    return s;
}

struct keyed {
    const char *key;
    const struct ac_decl_operation *op;
};

static int cmp_keyed(const void *x, const void *y)
{
    const struct keyed *p = x, *q = y;
    int c = strcmp(p->key, q->key);

    return c != 0 ? c : strcmp(p->op->tmpl, q->op->tmpl);
}

static enum ac_err load(const char *path, struct side *s, struct ac_diag *d)
{
    struct ac_doc_limits lim;
    struct ac_node **docs = NULL;
    struct ac_resolver *r;
    struct ac_openapi_opts oo;
    size_t ndocs = 0, len = 0, i;
    struct keyed *idx = NULL;
    char *text = NULL;
    enum ac_err err;

    memset(s, 0, sizeof(*s));
    ac__doc_limits_default(&lim);
    s->a = ac__arena_new(0);
    s->set = ac__decl_set_new(AC_DOC_OPENAPI, path, 0);
    if (s->a == NULL || s->set == NULL)
        return ac_diag_set(d, AC_ENOMEM, path, 0, 0, "out of memory");
    err = ac__file_read(path, lim.max_bytes, &text, &len, d);
    if (err != AC_OK)
        return err;
    err = ac__doc_parse(s->a, text, len, path, &lim, &docs, &ndocs, d);
    if (err != AC_OK)
        goto out;
    if (ndocs == 0 || !ac__openapi_detect(docs[0])) {
        err = ac_diag_set(d, AC_EKIND, path, 1, 1, "not an OpenAPI or Swagger document");
        goto out;
    }
    s->root = docs[0];
    r = ac__resolver_new(s->a, &lim, path, docs[0]);
    memset(&oo, 0, sizeof(oo));
    err = r == NULL ? ac_diag_set(d, AC_ENOMEM, path, 0, 0, "out of memory")
                    : ac__openapi_read(r, path, docs[0], &oo, s->set, d);
    if (err != AC_OK)
        goto out;
    s->n = s->set->noperations;
    s->keys = ac__arena_alloc(s->a, (s->n + 1) * sizeof(*s->keys));
    s->ops = ac__arena_alloc(s->a, (s->n + 1) * sizeof(*s->ops));
    idx = malloc((s->n + 1) * sizeof(*idx));
    if (s->keys == NULL || s->ops == NULL || idx == NULL) {
        err = ac_diag_set(d, AC_ENOMEM, path, 0, 0, "out of memory");
        goto out;
    }
    for (i = 0; i < s->n; i++) {
        idx[i].op = &s->set->operations[i];
        idx[i].key = op_key(s->a, idx[i].op);
        if (idx[i].key == NULL) {
            err = ac_diag_set(d, AC_ENOMEM, path, 0, 0, "out of memory");
            goto out;
        }
    }
    qsort(idx, s->n, sizeof(*idx), cmp_keyed);
    for (i = 0; i < s->n; i++) {
        s->ops[i] = idx[i].op;
        s->keys[i] = idx[i].key;
    }
out:
    free(idx);
    free(text);
    return err;
}

static void unload(struct side *s)
{
    ac__decl_set_free(s->set);
    ac__arena_free(s->a);
}

struct out {
    struct ac_table *t;
    struct ac_diff_stats *st;
    enum ac_err err;
};

static void row(struct out *o, const char *change, const char *kind, bool breaking,
                const struct ac_decl_operation *op, const char *detail)
{
    const char *cells[8];
    size_t i;

    if (o->err != AC_OK)
        return;
    cells[0] = change;
    cells[1] = kind;
    cells[2] = breaking ? "1" : "0";
    cells[3] = op->method;
    cells[4] = op->tmpl;
    cells[5] = op->api;
    cells[6] = op->version;
    cells[7] = detail;
    if ((o->err = ac__table_add_row(o->t)) != AC_OK)
        return;
    for (i = 0; i < 8 && o->err == AC_OK; i++)
        o->err = ac__table_set(o->t, i, cells[i], cells[i] != NULL ? strlen(cells[i]) : 0);
    if (breaking)
        o->st->breaking++;
}

static bool strv_has(const struct ac_strv *v, const char *s)
{
    size_t i;

    for (i = 0; i < v->n; i++)
        if (strcmp(v->v[i], s) == 0)
            return true;
    return false;
}

static const struct ac_decl_param *param_find(const struct ac_decl_operation *op, const char *in,
                                              const char *name)
{
    size_t i;

    for (i = 0; i < op->nparams; i++)
        if (strcmp(op->params[i].in, in) == 0 && strcmp(op->params[i].name, name) == 0)
            return &op->params[i];
    return NULL;
}

/* The names of the path parameters of a template, in order (at most cap). */
static size_t path_names(const char *tmpl, const char **names, size_t cap, size_t *lens)
{
    size_t n = 0;
    const char *p = tmpl, *e;

    while ((p = strchr(p, '{')) != NULL && n < cap) {
        e = strchr(p, '}');
        if (e == NULL)
            break;
        names[n] = p + 1;
        lens[n++] = (size_t)(e - p - 1);
        p = e + 1;
    }
    return n;
}

static void compare_path_params(struct out *o, const struct ac_decl_operation *x,
                                const struct ac_decl_operation *y)
{
    const char *na[32], *nb[32];
    size_t la[32], lb[32], ka, kb, i;
    char detail[256];

    ka = path_names(x->tmpl, na, 32, la);
    kb = path_names(y->tmpl, nb, 32, lb);
    for (i = 0; i < ka && i < kb; i++) {
        if (la[i] == lb[i] && memcmp(na[i], nb[i], la[i]) == 0)
            continue;
        snprintf(detail, sizeof(detail), "path parameter {%.*s} renamed {%.*s}", (int)la[i], na[i],
                 (int)lb[i], nb[i]);
        row(o, "changed", "path-param-renamed", true, y, detail);
    }
}

static void compare_params(struct out *o, const struct ac_decl_operation *x,
                           const struct ac_decl_operation *y)
{
    const struct ac_decl_param *p, *q;
    char detail[512];
    size_t i;

    for (i = 0; i < y->nparams; i++) {
        q = &y->params[i];
        if (strcmp(q->in, "path") == 0)
            continue;
        p = param_find(x, q->in, q->name);
        if (p == NULL) {
            snprintf(detail, sizeof(detail), "new %s %s parameter '%.200s'",
                     q->required ? "required" : "optional", q->in, q->name);
            row(o, "changed", q->required ? "param-required" : "param-added", q->required, y,
                detail);
        } else if (q->required && !p->required) {
            snprintf(detail, sizeof(detail), "%s parameter '%.200s' is now required", q->in,
                     q->name);
            row(o, "changed", "param-required", true, y, detail);
        }
    }
    for (i = 0; i < x->nparams; i++) {
        p = &x->params[i];
        if (param_find(y, p->in, p->name) != NULL)
            continue;
        if (strcmp(p->in, "path") == 0)
            continue; /* renames: compare_path_params(); fewer parameters: another operation */
        snprintf(detail, sizeof(detail), "%s parameter '%.200s' removed", p->in, p->name);
        row(o, "changed", "param-removed", false, y, detail);
    }
}

static void compare_responses(struct out *o, const struct ac_decl_operation *x,
                              const struct ac_decl_operation *y)
{
    char detail[128];
    size_t i;

    for (i = 0; i < x->responses.n; i++)
        if (!strv_has(&y->responses, x->responses.v[i])) {
            snprintf(detail, sizeof(detail), "response %.32s removed", x->responses.v[i]);
            row(o, "changed", "response-removed", true, y, detail);
        }
    for (i = 0; i < y->responses.n; i++)
        if (!strv_has(&x->responses, y->responses.v[i])) {
            snprintf(detail, sizeof(detail), "response %.32s added", y->responses.v[i]);
            row(o, "changed", "response-added", false, y, detail);
        }
}

static void compare_security(struct out *o, const struct ac_decl_operation *x,
                             const struct ac_decl_operation *y)
{
    const char *sa = x->security != NULL ? x->security : "[]";
    const char *sb = y->security != NULL ? y->security : "[]";
    char detail[512];

    if (strcmp(sa, sb) == 0)
        return;
    snprintf(detail, sizeof(detail), "security %.200s -> %.200s", sa, sb);
    if (x->requires_auth && !y->requires_auth)
        row(o, "changed", "security-removed", true, y, detail);
    else if (!x->requires_auth && y->requires_auth)
        row(o, "changed", "security-added", true, y, detail);
    else
        row(o, "changed", "security-changed", true, y, detail);
}

/* The node of a path item's operation in the document: paths[raw][method], where raw is the
 * template without the server's base path (the longest path key that ends the template). */
static const struct ac_node *op_node(const struct ac_node *root, const struct ac_decl_operation *op,
                                     const struct ac_node **item)
{
    const struct ac_node *paths = ac__node_get(root, "paths"), *best = NULL, *k;
    size_t t = strlen(op->tmpl), bestlen = 0, i, j;
    char m[16];

    *item = NULL;
    if (paths == NULL || paths->kind != AC_NODE_MAP)
        return NULL;
    for (i = 0; i < paths->n; i++) {
        k = paths->kids[2 * i];
        if (k->kind == AC_NODE_SCALAR && k->len <= t && k->len > bestlen &&
            memcmp(op->tmpl + t - k->len, k->str, k->len) == 0) {
            best = paths->kids[2 * i + 1];
            bestlen = k->len;
        }
    }
    if (best == NULL)
        return NULL;
    *item = best;
    for (j = 0; op->method[j] != '\0' && j + 1 < sizeof(m); j++)
        m[j] = (char)(op->method[j] >= 'A' && op->method[j] <= 'Z' ? op->method[j] - 'A' + 'a'
                                                                   : op->method[j]);
    m[j] = '\0';
    return ac__node_get(best, m);
}

static bool has_sunset(const struct side *s, const struct ac_decl_operation *op)
{
    const struct ac_node *item, *n = op_node(s->root, op, &item);
    size_t i;

    if (ac__node_get(n, "x-sunset") != NULL || ac__node_get(item, "x-sunset") != NULL ||
        ac__node_get(ac__node_get(s->root, "info"), "x-sunset") != NULL)
        return true;
    for (i = 0; i < s->set->nversions; i++)
        if (s->set->versions[i].sunset != NULL && op->version != NULL &&
            strcmp(s->set->versions[i].label, op->version) == 0)
            return true;
    return false;
}

static void compare(struct out *o, const struct side *sa, const struct ac_decl_operation *x,
                    const struct side *sb, const struct ac_decl_operation *y)
{
    size_t before = o->t != NULL ? ac_table_rows(o->t) : 0;

    (void)sa;
    compare_path_params(o, x, y);
    compare_params(o, x, y);
    compare_responses(o, x, y);
    compare_security(o, x, y);
    if (y->deprecated && !x->deprecated)
        row(o, "deprecated", "deprecated", false, y, "newly deprecated");
    if (y->deprecated && !has_sunset(sb, y))
        row(o, "deprecated", "deprecated-without-sunset", false, y,
            "deprecated without a sunset date (x-sunset)");
    if (ac_table_rows(o->t) > before)
        o->st->changed++;
}

static void walk(struct out *o, const struct side *sa, const struct side *sb)
{
    size_t i = 0, j = 0;
    int c;

    while ((i < sa->n || j < sb->n) && o->err == AC_OK) {
        c = i == sa->n ? 1 : j == sb->n ? -1 : strcmp(sa->keys[i], sb->keys[j]);
        if (c < 0) {
            row(o, "removed", "operation-removed", true, sa->ops[i], "operation removed");
            o->st->removed++;
            i++;
        } else if (c > 0) {
            row(o, "added", "operation-added", false, sb->ops[j], "operation added");
            if (sb->ops[j]->deprecated && !has_sunset(sb, sb->ops[j]))
                row(o, "deprecated", "deprecated-without-sunset", false, sb->ops[j],
                    "deprecated without a sunset date (x-sunset)");
            o->st->added++;
            j++;
        } else {
            compare(o, sa, sa->ops[i], sb, sb->ops[j]);
            i++;
            j++;
        }
    }
}

enum ac_err ac_diff_specs(const char *a, const char *b, struct ac_table **out,
                          struct ac_diff_stats *stats, struct ac_diag *d)
{
    struct side sa, sb;
    struct ac_diff_stats st;
    struct out o;
    enum ac_err err;

    memset(&st, 0, sizeof(st));
    memset(&o, 0, sizeof(o));
    err = load(a, &sa, d);
    if (err == AC_OK)
        err = load(b, &sb, d);
    else
        memset(&sb, 0, sizeof(sb));
    if (err != AC_OK)
        goto out;
    o.t = ac__table_new(ac__diff_cols, AC__DIFF_NCOLS);
    o.st = &st;
    if (o.t == NULL) {
        err = ac_diag_set(d, AC_ENOMEM, b, 0, 0, "out of memory");
        goto out;
    }
    st.operations_a = sa.n;
    st.operations_b = sb.n;
    walk(&o, &sa, &sb);
    if (o.err != AC_OK) {
        err = ac_diag_set(d, o.err, b, 0, 0, "out of memory");
        goto out;
    }
    *out = o.t;
    o.t = NULL;
    if (stats != NULL)
        *stats = st;
out:
    ac_table_free(o.t);
    unload(&sb);
    unload(&sa);
    return err;
}
