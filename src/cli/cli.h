/* cli.h - what every verb of the apicensus tool shares: options, output, exit codes.
 *
 * The CLI is a thin layer over libapicensus: it parses arguments, calls the library, renders
 * tables and maps enum ac_err to exit statuses (0 ok, 1 gate failed, 2 usage, 3 bad input,
 * 4 store error). Only the CLI prints.
 */
#ifndef AC_CLI_H
#define AC_CLI_H

#include <apicensus/error.h>
#include <apicensus/table.h>

#include <stdbool.h>
#include <stdio.h>

/* Output formats: every listing renders as a table, JSON or CSV; findings also as the reports
 * of <apicensus/report.h> (SARIF, Markdown, HTML); `openapi` writes YAML (the default) or JSON. */
enum cli_format { CLI_TABLE, CLI_JSON, CLI_CSV, CLI_SARIF, CLI_MD, CLI_HTML, CLI_YAML };

struct ac_store;

enum { EXIT_OK = 0, EXIT_GATE = 1, EXIT_USAGE = 2, EXIT_INPUT = 3, EXIT_STORE = 4 };

/* Options common to every verb, parsed before and after the verb. */
struct cli {
    const char *db; /* --db, APICENSUS_DB, or ./apicensus.db */
    bool db_given;  /* --db or APICENSUS_DB named it */
    enum cli_format format;
    const char *out_path; /* -o FILE */
    FILE *out;            /* standard output or -o FILE */
    bool quiet;
    bool colour;     /* colour the text table: --color, else a terminal without NO_COLOR */
    const char *now; /* --now, normalised into now_buf; NULL for the wall clock */
    char now_buf[21];
    const char *prog;
};

/* A verb: its name, a one-line summary, its usage text, and its entry point. argv[0] is the
 * verb; common options have been removed from argv already. */
struct cli_verb {
    const char *name;
    const char *summary;
    const char *usage;
    int (*run)(struct cli *c, int argc, char **argv);
    void (*help)(FILE *f); /* prints the usage when the text is not static; else NULL */
};

int cmd_init(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_ls(struct cli *c, int argc, char **argv);
int cmd_show(struct cli *c, int argc, char **argv);
int cmd_ingest(struct cli *c, int argc, char **argv);
int cmd_findings(struct cli *c, int argc, char **argv);
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_accept(struct cli *c, int argc, char **argv);
int cmd_reconcile(struct cli *c, int argc, char **argv);
int cmd_scan(struct cli *c, int argc, char **argv);
int cmd_token(struct cli *c, int argc, char **argv);
int cmd_serve(struct cli *c, int argc, char **argv);
int cmd_diff(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_probe(struct cli *c, int argc, char **argv);
int cmd_openapi(struct cli *c, int argc, char **argv);

/* The full help of ingest (usage plus the list of formats). */
void cli_ingest_help(FILE *f);

extern const char usage_init[], usage_import[], usage_ls[], usage_show[], usage_ingest[],
    usage_findings[], usage_check[], usage_accept[], usage_reconcile[], usage_scan[], usage_token[],
    usage_serve[], usage_diff[], usage_export[], usage_probe[], usage_openapi[];

/* The columns of the findings table. */
extern const char *const cli_findings_columns[];

/* The CI gate: print the verdict (unless quiet) and return EXIT_GATE when an open finding
 * reaches fail_on (NULL: the manifest's policy.fail_on, else high), EXIT_OK otherwise. */
int cli_gate(const struct cli *c, struct ac_store *s, const char *fail_on);

/* Print "apicensus: <file>:<line>:<col>: <message>" for a diagnostic, and return the exit status
 * for its code. */
int cli_report(const struct cli *c, const struct ac_diag *d);

/* Print a usage error for a verb and return EXIT_USAGE. */
int cli_usage_error(const struct cli *c, const char *verb, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* True when argv[i] is -h or --help. */
bool cli_is_help(const char *arg);

/* Render a table: JSON (every column) or a text table of the named columns (NULL-terminated list;
 * NULL: every column). */
void cli_render(const struct cli *c, const struct ac_table *t, const char *const *columns);

/* The SGR sequence that colours a severity (or "FAIL"/"pass") on a colour terminal, or "" when
 * c->colour is off or the word has no colour; cli_sgr_reset() ends it ("" likewise). */
const char *cli_sgr(const struct cli *c, const char *word);
const char *cli_sgr_reset(const struct cli *c, const char *word);

/* Open the store named by the options (creating it when `create`); on failure prints and returns
 * the exit status (> 0). */
struct ac_store;
int cli_open_store(const struct cli *c, bool create, struct ac_store **out);

/* The time recorded for a change: --now, else the wall clock (UTC ISO 8601) into buf. */
const char *cli_now(const struct cli *c, char buf[32]);

/* Write the findings report of `format` (CLI_SARIF, CLI_MD, CLI_HTML, CLI_CSV, else JSON) for
 * the findings the filter selects to out; its exit status. */
struct ac_list_filter;
int cli_write_report(const struct cli *c, struct ac_store *s, const struct ac_list_filter *f,
                     enum cli_format format, FILE *out);

/* Reconcile the findings after a change to the store; its exit status (0 when all went well). */
int cli_reconcile(const struct cli *c, struct ac_store *s);

#endif
