/* inventorydiff.c - two dated states of the inventory compared (<apicensus/diff.h>).
 *
 * The store keeps, for every operation, when an import first declared it and when a later import
 * of its document dropped it (operation.declared_at and removed_at), and for every version its
 * declared deprecation and sunset dates. So the inventory as it stood at a time T is the
 * operations declared at or before T and not removed by then, and two states compare without
 * snapshots: operations in the state at B only are added, in the state at A only are removed
 * (breaking), one of each with the same method and template but for parameter names is a renamed
 * path parameter (breaking), and versions whose deprecation date falls in (A, B] are deprecated
 * (without a sunset date: flagged). What an operation looked like before its last import (its
 * parameters, responses, security) is not kept, so changes inside an operation are not reported
 * here: diff the two specs for those.
 *
 * Everything is read through the public ac_list() (operations with the removed ones, versions);
 * rows are collected, sorted like the spec comparison's (path, method, change) and copied into
 * the table the caller gets.
 */
#include "specdiff.h"
#include "table.h"

#include <apicensus/diff.h>
#include <apicensus/registry.h>
#include <apicensus/timeutil.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct change {
    const char *change, *kind, *method, *path, *api, *version;
    bool breaking;
    char detail[192];
};

struct changes {
    struct change *v;
    size_t n, cap;
};

static struct change *add(struct changes *c)
{
    if (c->n == c->cap) {
        size_t cap = c->cap != 0 ? c->cap * 2 : 64;
        struct change *nv = realloc(c->v, cap * sizeof(*nv));

        if (nv == NULL)
            return NULL;
        c->v = nv;
        c->cap = cap;
    }
    memset(&c->v[c->n], 0, sizeof(c->v[c->n]));
    return &c->v[c->n++];
}

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

static int cmp_change(const void *x, const void *y)
{
    const struct change *a = x, *b = y;
    int c = cmp_str(a->path, b->path);

    if (c == 0)
        c = cmp_str(a->method, b->method);
    if (c == 0)
        c = cmp_str(a->change, b->change);
    if (c == 0)
        c = cmp_str(a->api, b->api);
    if (c == 0)
        c = cmp_str(a->version, b->version);
    return c;
}

/* Was a row declared by time t and not removed by then? Timestamps compare as text (all UTC,
 * "YYYY-MM-DDTHH:MM:SSZ"). */
static bool stood_at(const char *declared, const char *removed, const char *t)
{
    return declared != NULL && strcmp(declared, t) <= 0 &&
           (removed == NULL || strcmp(removed, t) > 0);
}

static void operations(const struct ac_table *ops, const char *a, const char *b, struct changes *c,
                       struct ac_diff_stats *st, bool *nomem)
{
    size_t r, ci[8];
    static const char *const names[] = {"api",    "version", "method",      "template",
                                        "source", "line",    "declared_at", "removed_at"};

    for (r = 0; r < 8; r++)
        ci[r] = ac_table_col_index(ops, names[r]);
    for (r = 0; r < ac_table_rows(ops) && !*nomem; r++) {
        const char *decl = ac_table_cell(ops, r, ci[6]), *rem = ac_table_cell(ops, r, ci[7]);
        bool in_a = stood_at(decl, rem, a), in_b = stood_at(decl, rem, b);
        struct change *ch;

        st->operations_a += in_a;
        st->operations_b += in_b;
        if (in_a == in_b)
            continue;
        if ((ch = add(c)) == NULL) {
            *nomem = true;
            break;
        }
        ch->api = ac_table_cell(ops, r, ci[0]);
        ch->version = ac_table_cell(ops, r, ci[1]);
        ch->method = ac_table_cell(ops, r, ci[2]);
        ch->path = ac_table_cell(ops, r, ci[3]);
        ch->change = in_b ? "added" : "removed";
        ch->kind = in_b ? "operation-added" : "operation-removed";
        ch->breaking = !in_b;
        if (in_b)
            snprintf(ch->detail, sizeof(ch->detail), "declared %s by %s:%s", decl,
                     ac_table_cell(ops, r, ci[4]), ac_table_cell(ops, r, ci[5]));
        else
            snprintf(ch->detail, sizeof(ch->detail), "removed %s from %s", rem,
                     ac_table_cell(ops, r, ci[4]));
        if (in_b)
            st->added++;
        else
            st->removed++;
        st->breaking += ch->breaking;
    }
}

/* Versions whose declared deprecation date falls in (a, b] (dates compare as their first ten
 * characters). */
static void versions(const struct ac_table *vs, const char *a, const char *b, struct changes *c,
                     bool *nomem)
{
    size_t r, ci[4];
    static const char *const names[] = {"api", "label", "deprecated_on", "sunset"};

    for (r = 0; r < 4; r++)
        ci[r] = ac_table_col_index(vs, names[r]);
    for (r = 0; r < ac_table_rows(vs) && !*nomem; r++) {
        const char *dep = ac_table_cell(vs, r, ci[2]), *sunset = ac_table_cell(vs, r, ci[3]);
        struct change *ch;

        if (dep == NULL || strncmp(dep, a, 10) <= 0 || strncmp(dep, b, 10) > 0)
            continue;
        if ((ch = add(c)) == NULL) {
            *nomem = true;
            break;
        }
        ch->api = ac_table_cell(vs, r, ci[0]);
        ch->version = ac_table_cell(vs, r, ci[1]);
        ch->change = "deprecated";
        ch->kind = sunset != NULL ? "deprecated" : "deprecated-without-sunset";
        snprintf(ch->detail, sizeof(ch->detail), "version %s of %s deprecated on %.10s%s%s",
                 ch->version, ch->api, dep, sunset != NULL ? ", sunset " : ", no sunset date",
                 sunset != NULL ? sunset : "");
    }
}

/* The template with its parameter names blanked: "/books/v1/{}". */
static void blanked(const char *tmpl, char *out, size_t cap)
{
    size_t k = 0;

    for (; tmpl != NULL && *tmpl != '\0' && k + 3 < cap; tmpl++) {
        out[k++] = *tmpl;
        if (*tmpl == '{') {
            while (tmpl[1] != '\0' && tmpl[1] != '}')
                tmpl++;
        }
    }
    out[k] = '\0';
}

/* An operation removed and one added with the same method and template but for the parameter
 * names are one operation whose path parameter was renamed (breaking), as in the spec diff. */
static void renames(struct changes *c, struct ac_diff_stats *st)
{
    size_t i, j;
    char ki[512], kj[512];

    for (i = 0; i < c->n; i++) {
        struct change *rm = &c->v[i];

        if (strcmp(rm->kind, "operation-removed") != 0)
            continue;
        blanked(rm->path, ki, sizeof(ki));
        for (j = 0; j < c->n; j++) {
            struct change *ad = &c->v[j];

            if (strcmp(ad->kind, "operation-added") != 0 || cmp_str(ad->method, rm->method) != 0 ||
                cmp_str(ad->api, rm->api) != 0)
                continue;
            blanked(ad->path, kj, sizeof(kj));
            if (strcmp(ki, kj) != 0)
                continue;
            snprintf(ad->detail, sizeof(ad->detail), "path %s renamed %s", rm->path, ad->path);
            ad->change = "changed";
            ad->kind = "path-param-renamed";
            ad->breaking = true;
            rm->kind = NULL; /* merged into the row of the new path */
            st->added--;
            st->removed--;
            st->changed++;
            break;
        }
    }
    for (i = j = 0; i < c->n; i++)
        if (c->v[i].kind != NULL)
            c->v[j++] = c->v[i];
    c->n = j;
}

static enum ac_err to_table(struct changes *c, struct ac_table **out)
{
    struct ac_table *t = ac__table_new(ac__diff_cols, AC__DIFF_NCOLS);
    size_t r, k;
    enum ac_err err = t != NULL ? AC_OK : AC_ENOMEM;

    if (c->n > 1)
        qsort(c->v, c->n, sizeof(*c->v), cmp_change);
    for (r = 0; err == AC_OK && r < c->n; r++) {
        const struct change *ch = &c->v[r];
        const char *cells[AC__DIFF_NCOLS] = {ch->change,  ch->kind,  ch->breaking ? "1" : "0",
                                             ch->method,  ch->path,  ch->api,
                                             ch->version, ch->detail};

        err = ac__table_add_row(t);
        for (k = 0; err == AC_OK && k < AC__DIFF_NCOLS; k++)
            if (cells[k] != NULL)
                err = ac__table_set(t, k, cells[k], strlen(cells[k]));
    }
    if (err != AC_OK) {
        ac_table_free(t);
        t = NULL;
    }
    *out = t;
    return err;
}

enum ac_err ac_diff_inventory(struct ac_store *s, const char *a, const char *b, const char *api,
                              struct ac_table **out, struct ac_diff_stats *stats, struct ac_diag *d)
{
    struct ac_list_filter f;
    struct ac_table *ops = NULL, *vs = NULL;
    struct changes c = {NULL, 0, 0};
    struct ac_diff_stats st;
    char ta[21], tb[21];
    bool nomem = false;
    enum ac_err err = AC_OK;

    *out = NULL;
    memset(&st, 0, sizeof(st));
    if (a == NULL || ac_timestamp_parse(a, ta) != AC_OK)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0,
                           "the earlier state wants a date (YYYY-MM-DD) or a UTC time "
                           "(YYYY-MM-DDTHH:MM:SSZ), not '%s'",
                           a != NULL ? a : "");
    if (b != NULL && ac_timestamp_parse(b, tb) != AC_OK)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0,
                           "the later state wants a date (YYYY-MM-DD) or a UTC time "
                           "(YYYY-MM-DDTHH:MM:SSZ), not '%s'",
                           b);
    if (b == NULL)
        snprintf(tb, sizeof(tb), "9999-12-31T23:59:59Z");
    if (strcmp(ta, tb) > 0)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0,
                           "the earlier state (%s) is after the later (%s)", ta, tb);
    memset(&f, 0, sizeof(f));
    f.api = api;
    f.include_removed = true;
    err = ac_list(s, AC_LIST_OPERATIONS, &f, &ops, d);
    if (err == AC_OK)
        err = ac_list(s, AC_LIST_VERSIONS, &f, &vs, d);
    if (err == AC_OK) {
        operations(ops, ta, tb, &c, &st, &nomem);
        renames(&c, &st);
        versions(vs, ta, tb, &c, &nomem);
        err = nomem ? AC_ENOMEM : to_table(&c, out);
        if (err == AC_ENOMEM)
            ac_diag_set(d, AC_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (err == AC_OK && stats != NULL)
        *stats = st;
    free(c.v);
    ac_table_free(ops);
    ac_table_free(vs);
    return err;
}
