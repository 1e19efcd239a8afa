/* cmd_diff.c - `apicensus diff A B`: what changed between two OpenAPI documents, and what breaks;
 * `apicensus diff --since A [--until B]`: between two dated states of the inventory.
 *
 * The comparison is the library's (<apicensus/diff.h>); this file renders its table as a text
 * table with a summary, JSON (one object per change, `breaking` a boolean), CSV, or Markdown for a
 * pull-request comment, and maps breaking changes to exit status 1 with --fail-on-breaking.
 */
#include "cli.h"

#include <apicensus/diff.h>
#include <apicensus/store.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

const char usage_diff[] =
    "usage: apicensus diff A B [--format table|json|csv|md] [--fail-on-breaking] [-o FILE]\n"
    "       apicensus diff --since DATE [--until DATE] [--api NAME] [options]\n"
    "\n"
    "Compare two OpenAPI documents (2.0, 3.0 or 3.1, JSON or YAML, with their $refs): A is the\n"
    "old one, B the new one. Operations are matched by method and path template with parameter\n"
    "names ignored, so /books/{book} and /books/{book_title} are one operation whose path\n"
    "parameter was renamed. One row per change:\n"
    "\n"
    "  added        an operation only B has\n"
    "  removed      an operation only A has                                    (breaking)\n"
    "  changed      path parameter renamed                                     (breaking)\n"
    "               new required parameter, or an optional one made required   (breaking)\n"
    "               response code removed                                      (breaking)\n"
    "               security requirements changed, removed or added            (breaking)\n"
    "               optional parameter added or removed, response code added\n"
    "  deprecated   newly deprecated; deprecated without a sunset date (no x-sunset)\n"
    "\n"
    "options:\n"
    "  --format FMT        table (default: the changes, then a summary line), json (an array of\n"
    "                      {change, kind, breaking, method, path, api, version, detail}), csv,\n"
    "                      or md (a Markdown table for a pull-request comment)\n"
    "  --fail-on-breaking  exit 1 when a change is breaking (a CI gate)\n"
    "  -o FILE             write to FILE\n"
    "\n"
    "examples:\n"
    "  apicensus diff specs/vampi/openapi3.2020-10-04.a488a52.yml specs/vampi/openapi3.yml\n"
    "  apicensus diff v1.25.yaml swagger.v1.56.yaml --format json | jq '.[] | select(.breaking)'\n"
    "  git show main:api.yaml >old.yaml && apicensus diff old.yaml api.yaml --fail-on-breaking\n"
    "\n"
    "With --since, compare two states of the inventory in the store (--db) instead: as it\n"
    "stood at --since and at --until (default: now), each YYYY-MM-DD (midnight UTC) or\n"
    "YYYY-MM-DDTHH:MM:SSZ. The store keeps when each operation was first declared and when an\n"
    "import dropped it, so this lists operations added and removed (breaking) between the two,\n"
    "and versions deprecated in between (flagged without a sunset date); what an operation's\n"
    "parameters were before its last import is not kept: compare the specs for that.\n"
    "  apicensus diff --since 2026-10-01 --format md\n"
    "  apicensus diff --since 2026-10-01 --until 2026-11-01 --api accounts --fail-on-breaking\n"
    "\n"
    "exit status: 0 compared (1 with --fail-on-breaking and a breaking change), 2 usage error,\n"
    "3 a file that cannot be read or is not an OpenAPI document\n";

static const char *const diff_columns[] = {"change", "breaking", "method", "path", "detail", NULL};

/* A Markdown table cell: '|' escaped, new lines as spaces. */
static void md_cell(FILE *f, const char *s)
{
    for (; s != NULL && *s != '\0'; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}

static void write_md(FILE *f, const char *a, const char *b, const struct ac_table *t,
                     const struct ac_diff_stats *st)
{
    static const char *const names[] = {"change", "breaking", "method", "path", "detail"};
    size_t r, k, idx[5];

    for (k = 0; k < 5; k++)
        idx[k] = ac_table_col_index(t, names[k]);
    fputs("## API changes: ", f);
    md_cell(f, a);
    fputs(" -> ", f);
    md_cell(f, b);
    fprintf(f,
            "\n\n%zu operation%s added, %zu removed, %zu changed; **%zu breaking** change%s.\n\n",
            st->added, st->added == 1 ? "" : "s", st->removed, st->changed, st->breaking,
            st->breaking == 1 ? "" : "s");
    if (ac_table_rows(t) == 0)
        return;
    fputs("| change | breaking | operation | detail |\n|---|---|---|---|\n", f);
    for (r = 0; r < ac_table_rows(t); r++) {
        const char *brk = ac_table_cell(t, r, idx[1]);

        fputs("| ", f);
        md_cell(f, ac_table_cell(t, r, idx[0]));
        fputs(brk != NULL && strcmp(brk, "1") == 0 ? " | **yes** | `" : " | no | `", f);
        md_cell(f, ac_table_cell(t, r, idx[2]));
        fputc(' ', f);
        md_cell(f, ac_table_cell(t, r, idx[3]));
        fputs("` | ", f);
        md_cell(f, ac_table_cell(t, r, idx[4]));
        fputs(" |\n", f);
    }
}

int cmd_diff(struct cli *c, int argc, char **argv)
{
    const char *files[2] = {NULL, NULL}, *since = NULL, *until = NULL, *api = NULL;
    struct ac_store *store = NULL;
    struct ac_table *t = NULL;
    struct ac_diff_stats st;
    struct ac_diag d;
    bool fail_on_breaking = false;
    int i, n = 0;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(usage_diff, stdout);
            return EXIT_OK;
        }
        if (strcmp(argv[i], "--since") == 0 || strcmp(argv[i], "--until") == 0 ||
            strcmp(argv[i], "--api") == 0) {
            const char **dst = argv[i][2] == 's' ? &since : argv[i][2] == 'u' ? &until : &api;

            if (i + 1 >= argc)
                return cli_usage_error(c, "diff", "option %s needs a value", argv[i]);
            *dst = argv[++i];
        } else if (strcmp(argv[i], "--fail-on-breaking") == 0)
            fail_on_breaking = true;
        else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_usage_error(c, "diff", "unknown option '%s'", argv[i]);
        else if (n < 2)
            files[n++] = argv[i];
        else
            return cli_usage_error(c, "diff", "more than two documents");
    }
    if (since == NULL && (until != NULL || api != NULL))
        return cli_usage_error(c, "diff", "--until and --api go with --since");
    if (since != NULL && n != 0)
        return cli_usage_error(c, "diff", "give two documents, or --since for the inventory");
    if (since == NULL && n != 2)
        return cli_usage_error(c, "diff",
                               "two documents to compare are required (or --since DATE to "
                               "compare the inventory's states)");
    if (c->format != CLI_TABLE && c->format != CLI_JSON && c->format != CLI_CSV &&
        c->format != CLI_MD)
        return cli_usage_error(c, "diff", "--format must be table, json, csv or md");
    ac_diag_clear(&d);
    if (since != NULL) {
        int rc = cli_open_store(c, false, &store);

        if (rc != 0)
            return rc;
        if (ac_diff_inventory(store, since, until, api, &t, &st, &d) != AC_OK) {
            ac_store_close(store);
            return cli_report(c, &d);
        }
        ac_store_close(store);
        files[0] = since;
        files[1] = until != NULL ? until : "now";
    } else if (ac_diff_specs(files[0], files[1], &t, &st, &d) != AC_OK) {
        return cli_report(c, &d);
    }
    if (c->format == CLI_MD) {
        write_md(c->out, files[0], files[1], t, &st);
    } else {
        cli_render(c, t, diff_columns);
        if (c->format == CLI_TABLE && !c->quiet)
            fprintf(c->out,
                    "%zu -> %zu operations: %zu added, %zu removed, %zu changed; %zu breaking "
                    "change%s\n",
                    st.operations_a, st.operations_b, st.added, st.removed, st.changed, st.breaking,
                    st.breaking == 1 ? "" : "s");
    }
    ac_table_free(t);
    return fail_on_breaking && st.breaking > 0 ? EXIT_GATE : EXIT_OK;
}
