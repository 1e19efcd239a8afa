/* apicensus/report.h - reports of the inventory and its findings: SARIF, Markdown, HTML, CSV.
 *
 * A report reads the store once (findings through the filter, the registry, the observed
 * endpoints, the rule catalogue and the traffic timeline) and writes one document:
 *
 *   AC_REPORT_SARIF  SARIF 2.1.0 for code-scanning UIs: one rule descriptor per rule, one result
 *                    per finding (level, message, the finding id as fingerprint, the spec,
 *                    manifest or log file and line that declares the subject)
 *   AC_REPORT_MD     Markdown for a pull-request comment: counts by severity, then the findings
 *                    grouped by API
 *   AC_REPORT_HTML   one self-contained HTML file: inventory overview, findings by severity and
 *                    rule, risk per API, traffic over time, as inline SVG; a filterable findings
 *                    table; no external assets
 *   AC_REPORT_CSV    the findings, one row each (RFC 4180), for spreadsheets
 *   AC_REPORT_JSON   the findings as `apicensus findings --format json` prints them
 *
 * Reports are a pure function of the store and the options: the same store gives the same bytes
 * (the time shown is opts->generated). Thread-safety: as the store handle.
 */
#ifndef APICENSUS_REPORT_H
#define APICENSUS_REPORT_H

#include <apicensus/error.h>
#include <apicensus/registry.h>

#include <stdbool.h>
#include <stdio.h>

struct ac_store;

enum ac_report_format {
    AC_REPORT_JSON,
    AC_REPORT_SARIF,
    AC_REPORT_MD,
    AC_REPORT_HTML,
    AC_REPORT_CSV
};

struct ac_report_opts {
    const char *title;     /* shown by HTML and Markdown; NULL: "apicensus report" */
    const char *generated; /* ISO 8601 UTC time written into the report; NULL: the wall clock */
    const char *base;      /* SARIF artifact URIs are made relative to this directory (and
                              absolute file: URIs outside it); NULL: the current directory */
    const struct ac_list_filter *filter; /* which findings; NULL: open and accepted */
};

/* "sarif", "md" (or "markdown"), "html", "csv", "json" into *out; false when unknown. */
bool ac_report_format_parse(const char *name, enum ac_report_format *out);

/* The format a report path asks for by its extension (".sarif", ".sarif.json", ".md", ".html",
 * ".htm", ".csv", ".json"); false when the extension is none of them. */
bool ac_report_format_of_path(const char *path, enum ac_report_format *out);

/* Write the report to out. Errors: AC_ESTORE (reading), AC_ENOMEM, AC_EIO (writing). */
enum ac_err ac_report_write(struct ac_store *s, enum ac_report_format f,
                            const struct ac_report_opts *o, FILE *out, struct ac_diag *d);

#endif
