/* report.h - what every report renderer receives (the public entry is <apicensus/report.h>).
 *
 * report.c reads the store once into a struct ac__report: result tables with the columns of
 * docs/json.md (findings, apis, versions, deployments, integrations, endpoints), the rule
 * catalogue and the traffic timeline, then hands it to one renderer. Renderers only read: they
 * find columns by name (ac_table_col_index) and write to a FILE; they never touch the store.
 * Every table is non-NULL (possibly with no rows). Strings are borrowed from the tables.
 */
#ifndef AC_REPORT_H
#define AC_REPORT_H

#include <apicensus/report.h>
#include <apicensus/table.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ac__report {
    const char *title;     /* "apicensus report" unless the caller names it */
    const char *generated; /* ISO 8601 UTC time of the report ("2026-11-22T10:00:00Z") */
    const char *version;   /* apicensus version */
    const char *base;      /* directory SARIF artifact URIs are relative to; NULL: absolute */
    const struct ac_table *findings;     /* AC_LIST_FINDINGS (filtered), with file and line */
    const struct ac_table *apis;         /* AC_LIST_APIS: name, owner, risk, open_findings ... */
    const struct ac_table *versions;     /* AC_LIST_VERSIONS */
    const struct ac_table *deployments;  /* AC_LIST_DEPLOYMENTS: environment, audience ... */
    const struct ac_table *integrations; /* AC_LIST_INTEGRATIONS */
    const struct ac_table *endpoints;    /* AC_LIST_ENDPOINTS */
    const struct ac_table *rules;        /* AC_LIST_RULES: rule, severity, default_severity,
                                            evaluated, summary, why, fix, help (a link
                                            relative to the source tree: docs/rules.md#rule) */
    const struct ac_table *traffic;      /* AC_LIST_TRAFFIC: host, method, template, hour
                                            (ISO 8601, the hour's start), count; the busiest
                                            endpoints' requests per hour, oldest first */
};

/* Reading tables that may lack a column or a value (renderers never crash on either). */
#define AC__NO_COL ((size_t)-1)

static inline size_t ac__rows(const struct ac_table *t)
{
    return t != NULL ? ac_table_rows(t) : 0;
}

static inline size_t ac__col(const struct ac_table *t, const char *name)
{
    return t != NULL ? ac_table_col_index(t, name) : AC__NO_COL;
}

static inline const char *ac__cell(const struct ac_table *t, size_t row, size_t c)
{
    return c == AC__NO_COL ? NULL : ac_table_cell(t, row, c);
}

/* The cell of column `name`, or NULL. */
static inline const char *ac__cellv(const struct ac_table *t, size_t row, const char *name)
{
    return ac__cell(t, row, ac__col(t, name));
}

static inline unsigned long long ac__num(const char *s)
{
    return s != NULL && s[0] >= '0' && s[0] <= '9' ? strtoull(s, NULL, 10) : 0;
}

static inline bool ac__truthy(const char *s)
{
    return s != NULL && s[0] != '\0' && strcmp(s, "0") != 0 && strcmp(s, "false") != 0;
}

static inline int ac__str_cmp(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

/* The renderers: write the whole document to out. AC_EIO when a write fails. */
enum ac_err ac__report_sarif(const struct ac__report *r, FILE *out);
enum ac_err ac__report_md(const struct ac__report *r, FILE *out);
enum ac_err ac__report_html(const struct ac__report *r, FILE *out);
enum ac_err ac__report_csv(const struct ac__report *r, FILE *out);

#endif
