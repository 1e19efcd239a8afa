/* report.c - reading the store once for a report and handing it to a renderer (report.h). */
#include "report.h"

#include <apicensus/registry.h>
#include <apicensus/table.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

bool ac_report_format_parse(const char *name, enum ac_report_format *out)
{
    static const struct {
        const char *name;
        enum ac_report_format f;
    } names[] = {{"json", AC_REPORT_JSON},   {"sarif", AC_REPORT_SARIF}, {"md", AC_REPORT_MD},
                 {"markdown", AC_REPORT_MD}, {"html", AC_REPORT_HTML},   {"csv", AC_REPORT_CSV}};
    size_t i;

    for (i = 0; name != NULL && i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(name, names[i].name) == 0) {
            *out = names[i].f;
            return true;
        }
    return false;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
    size_t m = strlen(suffix), i;

    if (n < m)
        return false;
    for (i = 0; i < m; i++) {
        char c = s[n - m + i];

        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suffix[i])
            return false;
    }
    return true;
}

bool ac_report_format_of_path(const char *path, enum ac_report_format *out)
{
    static const struct {
        const char *ext;
        enum ac_report_format f;
    } exts[] = {{".sarif", AC_REPORT_SARIF}, {".sarif.json", AC_REPORT_SARIF},
                {".md", AC_REPORT_MD},       {".markdown", AC_REPORT_MD},
                {".html", AC_REPORT_HTML},   {".htm", AC_REPORT_HTML},
                {".csv", AC_REPORT_CSV},     {".json", AC_REPORT_JSON}};
    size_t i, n = path != NULL ? strlen(path) : 0;

    for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
        if (ends_with(path, n, exts[i].ext)) {
            *out = exts[i].f;
            return true;
        }
    return false;
}

/* The findings as JSON: the array `apicensus findings --format json` prints. */
static enum ac_err report_json(const struct ac__report *r, FILE *out)
{
    char *json = ac_table_to_json(r->findings);
    enum ac_err err = AC_ENOMEM;

    if (json != NULL) {
        fputs(json, out);
        err = AC_OK;
    }
    free(json);
    return err != AC_OK || ferror(out) ? (err != AC_OK ? err : AC_EIO) : AC_OK;
}

enum ac_err ac_report_write(struct ac_store *s, enum ac_report_format f,
                            const struct ac_report_opts *o, FILE *out, struct ac_diag *d)
{
    static const enum ac_list_kind kinds[] = {
        AC_LIST_FINDINGS,     AC_LIST_APIS,      AC_LIST_VERSIONS, AC_LIST_DEPLOYMENTS,
        AC_LIST_INTEGRATIONS, AC_LIST_ENDPOINTS, AC_LIST_RULES,    AC_LIST_TRAFFIC};
    enum { NKINDS = sizeof(kinds) / sizeof(kinds[0]) };
    struct ac_table *t[NKINDS] = {NULL};
    struct ac_list_filter all = {.api = NULL};
    struct ac__report r;
    char now[32];
    time_t clock;
    struct tm tm;
    size_t i;
    enum ac_err err = AC_OK;

    for (i = 0; err == AC_OK && i < NKINDS; i++)
        err = ac_list(s, kinds[i],
                      kinds[i] == AC_LIST_FINDINGS && o != NULL && o->filter != NULL ? o->filter
                                                                                     : &all,
                      &t[i], d);
    if (err != AC_OK)
        goto out;
    memset(&r, 0, sizeof(r));
    r.title = o != NULL && o->title != NULL ? o->title : "apicensus report";
    if (o != NULL && o->generated != NULL) {
        r.generated = o->generated;
    } else {
        clock = time(NULL);
        gmtime_r(&clock, &tm);
        strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
        r.generated = now;
    }
    r.version = APICENSUS_VERSION;
    r.base = o != NULL ? o->base : NULL;
    r.findings = t[0];
    r.apis = t[1];
    r.versions = t[2];
    r.deployments = t[3];
    r.integrations = t[4];
    r.endpoints = t[5];
    r.rules = t[6];
    r.traffic = t[7];
    switch (f) {
    case AC_REPORT_SARIF:
        err = ac__report_sarif(&r, out);
        break;
    case AC_REPORT_MD:
        err = ac__report_md(&r, out);
        break;
    case AC_REPORT_HTML:
        err = ac__report_html(&r, out);
        break;
    case AC_REPORT_CSV:
        err = ac__report_csv(&r, out);
        break;
    case AC_REPORT_JSON:
    default:
        err = report_json(&r, out);
        break;
    }
    if (err != AC_OK)
        err = ac_diag_set(d, err, NULL, 0, 0, "%s",
                          err == AC_EIO ? "cannot write the report" : "out of memory");
out:
    for (i = 0; i < NKINDS; i++)
        ac_table_free(t[i]);
    return err;
}
