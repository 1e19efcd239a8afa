/* report_md.c - the findings as Markdown, for a pull-request comment (GitHub-flavoured tables).
 *
 *   ## <title>
 *   <n> open findings (... accepted) in <apis> APIs, generated <time> by apicensus <version>.
 *   | Severity | Open | Accepted |        one row per severity, most severe first, and a total
 *   ### <api>  (risk R/100)              the findings of each API, APIs in name order, then
 *   | Severity | State | Rule | Where | Finding | Id |      "Not tied to an API" last
 *
 * Cells are escaped for tables: '|' becomes "\|", newlines a space, and backticks, '<', '>',
 * '*', '_', '[' and ']' are escaped so text from logs cannot format or link. "Where" is METHOD
 * template on host, as inline code.
 */
#include "report.h"

#include <string.h>

static const char *const severities[] = {"critical", "high", "medium", "low", "info"};

static bool eq(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Text in a table cell. */
static void cell_text(FILE *out, const char *s)
{
    for (; s != NULL && *s != '\0'; s++) {
        if (*s == '\n' || *s == '\r')
            fputc(' ', out);
        else if (strchr("|\\`*_[]<>", *s) != NULL)
            fprintf(out, "\\%c", *s);
        else
            fputc(*s, out);
    }
}

/* Inline code in a table cell: backticks and pipes cannot be escaped inside code in every
 * renderer, so they are replaced. */
static void cell_code(FILE *out, const char *s)
{
    fputc('`', out);
    for (; s != NULL && *s != '\0'; s++)
        fputc(*s == '`' || *s == '|' ? '\'' : (*s == '\n' || *s == '\r' ? ' ' : *s), out);
    fputc('`', out);
}

static void counts(const struct ac__report *r, const char *sev, size_t *open, size_t *acc)
{
    size_t i;

    *open = *acc = 0;
    for (i = 0; i < ac_table_rows(r->findings); i++) {
        if (sev != NULL && !eq(ac__cellv(r->findings, i, "severity"), sev))
            continue;
        if (eq(ac__cellv(r->findings, i, "state"), "accepted"))
            (*acc)++;
        else if (eq(ac__cellv(r->findings, i, "state"), "open"))
            (*open)++;
    }
}

static void summary(const struct ac__report *r, FILE *out)
{
    size_t k, open, acc;

    counts(r, NULL, &open, &acc);
    fprintf(out, "## ");
    cell_text(out, r->title);
    fprintf(out,
            "\n\n**%zu open** finding%s, %zu accepted, in %zu API%s. Generated %s by apicensus "
            "%s.\n\n",
            open, open == 1 ? "" : "s", acc, ac_table_rows(r->apis),
            ac_table_rows(r->apis) == 1 ? "" : "s", r->generated, r->version);
    fputs("| Severity | Open | Accepted |\n|---|--:|--:|\n", out);
    for (k = 0; k < sizeof(severities) / sizeof(severities[0]); k++) {
        counts(r, severities[k], &open, &acc);
        fprintf(out, "| %s | %zu | %zu |\n", severities[k], open, acc);
    }
    counts(r, NULL, &open, &acc);
    fprintf(out, "| **total** | **%zu** | **%zu** |\n", open, acc);
}

static void finding_row(const struct ac__report *r, size_t i, FILE *out)
{
    const char *method = ac__cellv(r->findings, i, "method"),
               *tmpl = ac__cellv(r->findings, i, "template");
    const char *host = ac__cellv(r->findings, i, "host");

    fprintf(out, "| %s | %s | ", ac__cellv(r->findings, i, "severity"),
            ac__cellv(r->findings, i, "state"));
    cell_code(out, ac__cellv(r->findings, i, "rule"));
    fputs(" | ", out);
    if (tmpl != NULL) {
        char where[2048];

        snprintf(where, sizeof(where), "%s%s%s", method != NULL ? method : "",
                 method != NULL ? " " : "", tmpl);
        cell_code(out, where);
        if (host != NULL)
            fputs(" on ", out);
    }
    if (host != NULL)
        cell_code(out, host);
    if (tmpl == NULL && host == NULL)
        fputs("-", out);
    fputs(" | ", out);
    cell_text(out, ac__cellv(r->findings, i, "title"));
    fputs(" | ", out);
    cell_code(out, ac__cellv(r->findings, i, "id"));
    fputs(" |\n", out);
}

/* The findings of API `api` (NULL: those tied to no API); nothing when it has none. */
static void api_section(const struct ac__report *r, const char *api, const char *risk, FILE *out)
{
    size_t i, n = 0;

    for (i = 0; i < ac_table_rows(r->findings); i++) {
        const char *a = ac__cellv(r->findings, i, "api");

        if (api != NULL ? !eq(a, api) : a != NULL)
            continue;
        if (n++ == 0) {
            fputs("\n### ", out);
            if (api != NULL) {
                cell_text(out, api);
                if (risk != NULL)
                    fprintf(out, " (risk %s/100)", risk);
            } else {
                fputs("Not tied to an API", out);
            }
            fputs("\n\n| Severity | State | Rule | Where | Finding | Id |\n"
                  "|---|---|---|---|---|---|\n",
                  out);
        }
        finding_row(r, i, out);
    }
}

enum ac_err ac__report_md(const struct ac__report *r, FILE *out)
{
    size_t i;

    summary(r, out);
    for (i = 0; i < ac_table_rows(r->apis); i++)
        api_section(r, ac__cellv(r->apis, i, "name"), ac__cellv(r->apis, i, "risk"), out);
    api_section(r, NULL, NULL, out);
    if (ac_table_rows(r->findings) == 0)
        fputs("\nNo findings.\n", out);
    else
        fputs("\nEach rule, why it matters and how to fix it: `docs/rules.md` of apicensus.\n",
              out);
    return ferror(out) ? AC_EIO : AC_OK;
}
