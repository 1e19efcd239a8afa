/* main.c - the apicensus tool: common options, verb dispatch, help.
 *
 * Common options may come before or after the verb (`apicensus --db x.db ls apis` and
 * `apicensus ls apis --db x.db` are the same); they are removed from argv before the verb runs.
 */
#include "cli.h"

#include <apicensus/store.h>
#include <apicensus/timeutil.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct cli_verb verbs[] = {
    {"init", "write a commented apicensus.yaml skeleton", usage_init, cmd_init, NULL},
    {"import", "import OpenAPI specs, Backstage catalogs and manifests", usage_import, cmd_import,
     NULL},
    {"ingest", "read access logs, HAR, Zeek and Squid logs into observations", usage_ingest,
     cmd_ingest, cli_ingest_help},
    {"ls", "list apis, versions, deployments, operations, integrations, endpoints", usage_ls,
     cmd_ls, NULL},
    {"show", "show one API: versions, deployments, operations", usage_show, cmd_show, NULL},
    {"findings", "what declarations and traffic disagree on, with evidence", usage_findings,
     cmd_findings, NULL},
    {"check", "the CI gate: exit 1 when an open finding reaches a severity", usage_check, cmd_check,
     NULL},
    {"accept", "accept the risk of a finding, with a reason and an expiry", usage_accept,
     cmd_accept, NULL},
    {"reconcile", "evaluate the rules again now (import and ingest do it themselves)",
     usage_reconcile, cmd_reconcile, NULL},
    {"diff", "compare two OpenAPI documents: operations added, removed, changed, breaking",
     usage_diff, cmd_diff, NULL},
    {"export", "the inventory as Backstage entities, an RFC 9727 api-catalog or JSON", usage_export,
     cmd_export, NULL},
    {"openapi", "an OpenAPI 3.1 document generated from observed traffic", usage_openapi,
     cmd_openapi, NULL},
    {"probe", "ask your own hosts: hidden hosts, old versions, exposed docs, bypasses", usage_probe,
     cmd_probe, NULL},
    {"scan", "one shot: documents and logs to findings and reports (html, sarif, md ...)",
     usage_scan, cmd_scan, NULL},
    {"serve", "the REST API server: the inventory and findings for a whole organisation",
     usage_serve, cmd_serve, NULL},
    {"token", "API tokens of the server: create, ls, revoke", usage_token, cmd_token, NULL},
};

static void main_usage(FILE *f)
{
    size_t i;

    fprintf(f,
            "apicensus %s - a census of every API an organisation runs (OWASP API9)\n\n"
            "usage: apicensus [options] <verb> [args]\n\nverbs:\n",
            APICENSUS_VERSION);
    for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        fprintf(f, "  %-8s %s\n", verbs[i].name, verbs[i].summary);
    fprintf(f,
            "\ncommon options (before or after the verb):\n"
            "  --db PATH         the store (default ./apicensus.db, or $APICENSUS_DB)\n"
            "  --format FMT      output format: table (default), json or csv; findings also\n"
            "                    sarif, md (Markdown) or html (a self-contained report)\n"
            "  -o FILE           write output to FILE instead of standard output\n"
            "  --now TIME        the time recorded for changes: YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ\n"
            "                    or 'wall' (the clock, the default)\n"
            "  -q, --quiet       print only errors\n"
            "  --color WHEN      colour severities in tables: auto (a terminal, unless NO_COLOR\n"
            "                    is set), always or never\n"
            "  -h, --help        help; 'apicensus <verb> --help' for a verb\n"
            "  --version         print the version\n"
            "\nexit status: 0 ok, 1 gate failed, 2 usage error, 3 bad input, 4 store error\n"
            "\nexample:\n"
            "  apicensus init && apicensus import apicensus.yaml && apicensus ls operations\n");
}

static void print_help(const struct cli_verb *v)
{
    if (v->help != NULL)
        v->help(stdout);
    else
        fputs(v->usage, stdout);
}

bool cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int cli_usage_error(const struct cli *c, const char *verb, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s %s: ", c->prog, verb);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s %s --help'.\n", c->prog, verb);
    return EXIT_USAGE;
}

int cli_report(const struct cli *c, const struct ac_diag *d)
{
    if (d->file[0] != '\0' && d->line > 0 && d->col > 0)
        fprintf(stderr, "%s: %s:%u:%u: %s\n", c->prog, d->file, d->line, d->col, d->msg);
    else if (d->file[0] != '\0' && d->line > 0)
        fprintf(stderr, "%s: %s:%u: %s\n", c->prog, d->file, d->line, d->msg);
    else if (d->file[0] != '\0')
        fprintf(stderr, "%s: %s: %s\n", c->prog, d->file, d->msg);
    else
        fprintf(stderr, "%s: %s\n", c->prog, d->msg[0] != '\0' ? d->msg : ac_strerror(d->code));
    return ac_err_exit_status(d->code);
}

int cli_open_store(const struct cli *c, bool create, struct ac_store **out)
{
    struct ac_diag d;

    ac_diag_clear(&d);
    if (ac_store_open(c->db, create ? AC_STORE_CREATE : 0, out, &d) != AC_OK)
        return cli_report(c, &d);
    return 0;
}

/* Take common options out of argv (in place); returns EXIT_USAGE on a bad one, -1 to go on. */
static bool format_of(const char *name, enum cli_format *out)
{
    static const struct {
        const char *name;
        enum cli_format f;
    } formats[] = {{"table", CLI_TABLE}, {"json", CLI_JSON}, {"csv", CLI_CSV},
                   {"sarif", CLI_SARIF}, {"md", CLI_MD},     {"markdown", CLI_MD},
                   {"html", CLI_HTML},   {"yaml", CLI_YAML}};
    size_t i;

    for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        if (strcmp(name, formats[i].name) == 0) {
            *out = formats[i].f;
            return true;
        }
    return false;
}

static int common_options(struct cli *c, int *argc, char **argv)
{
    const char *colour = "auto";
    int i, o = 0;

    for (i = 0; i < *argc; i++) {
        const char *a = argv[i];
        const char **dst = NULL;

        if (strcmp(a, "--") == 0) {
            while (i < *argc)
                argv[o++] = argv[i++];
            break;
        }
        if (strcmp(a, "--db") == 0)
            dst = &c->db;
        else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0)
            dst = &c->out_path;
        else if (strcmp(a, "--now") == 0)
            dst = &c->now;
        else if (strcmp(a, "--color") == 0 || strcmp(a, "--colour") == 0)
            dst = &colour;
        if (dst != NULL || strcmp(a, "--format") == 0) {
            if (i + 1 >= *argc) {
                fprintf(stderr, "%s: option %s needs a value\n", c->prog, a);
                return EXIT_USAGE;
            }
            if (dst != NULL) {
                *dst = argv[++i];
                c->db_given = c->db_given || dst == &c->db;
            } else if (!format_of(argv[++i], &c->format)) {
                fprintf(stderr,
                        "%s: unknown format '%s' (expected table, json, csv; for findings also "
                        "sarif, md, html; for openapi yaml)\n",
                        c->prog, argv[i]);
                return EXIT_USAGE;
            }
            continue;
        }
        if (strncmp(a, "--db=", 5) == 0) {
            c->db = a + 5;
            c->db_given = true;
            continue;
        }
        if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            c->quiet = true;
            continue;
        }
        argv[o++] = argv[i];
    }
    *argc = o;
    if (strcmp(colour, "always") == 0) {
        c->colour = true;
    } else if (strcmp(colour, "auto") == 0) {
        const char *no = getenv("NO_COLOR"), *term = getenv("TERM");

        c->colour = c->out_path == NULL && isatty(STDOUT_FILENO) && (no == NULL || no[0] == '\0') &&
                    (term == NULL || strcmp(term, "dumb") != 0);
    } else if (strcmp(colour, "never") != 0) {
        fprintf(stderr, "%s: --color '%s': expected auto, always or never\n", c->prog, colour);
        return EXIT_USAGE;
    }
    if (c->now != NULL && strcmp(c->now, "wall") == 0) {
        c->now = NULL;
    } else if (c->now != NULL) {
        if (ac_timestamp_parse(c->now, c->now_buf) != AC_OK) {
            fprintf(stderr,
                    "%s: --now '%s': expected YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ (UTC) or 'wall'\n",
                    c->prog, c->now);
            return EXIT_USAGE;
        }
        c->now = c->now_buf;
    }
    return -1;
}

/* Run a verb with its output going to -o FILE: written to a temporary file beside it and renamed
 * into place only when the verb succeeds, so a failed command never clobbers FILE. */
static int run_to_file(struct cli *c, const struct cli_verb *v, int argc, char **argv)
{
    char tmp[4096];
    int fd, rc, n;

    n = snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", c->out_path);
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        fprintf(stderr, "%s: -o %s: name too long\n", c->prog, c->out_path);
        return EXIT_USAGE;
    }
    fd = mkstemp(tmp);
    if (fd < 0 || (c->out = fdopen(fd, "w")) == NULL) {
        perror(c->out_path);
        if (fd >= 0)
            close(fd);
        return EXIT_INPUT;
    }
    {
        mode_t mask = umask(0); /* mkstemp makes the file 0600: give it the usual mode */

        umask(mask);
        (void)fchmod(fd, 0666 & ~mask);
    }
    rc = v->run(c, argc, argv);
    if (fclose(c->out) != 0 && rc == EXIT_OK) {
        perror(c->out_path);
        rc = EXIT_STORE;
    }
    c->out = stdout;
    if (rc == EXIT_OK && rename(tmp, c->out_path) != 0) {
        perror(c->out_path);
        rc = EXIT_STORE;
    }
    if (rc != EXIT_OK)
        unlink(tmp);
    return rc;
}

int main(int argc, char **argv)
{
    struct cli c;
    const char *env = getenv("APICENSUS_DB");
    size_t i;
    int rc;

    memset(&c, 0, sizeof(c));
    c.prog = "apicensus";
    c.db = env != NULL && env[0] != '\0' ? env : "apicensus.db";
    c.db_given = env != NULL && env[0] != '\0';
    c.out = stdout;
    argc--;
    argv++;
    rc = common_options(&c, &argc, argv);
    if (rc >= 0)
        return rc;
    if (argc == 0) {
        main_usage(stderr);
        return EXIT_USAGE;
    }
    if (cli_is_help(argv[0]) || strcmp(argv[0], "help") == 0) {
        if (argc > 1) {
            for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
                if (strcmp(argv[1], verbs[i].name) == 0) {
                    print_help(&verbs[i]);
                    return EXIT_OK;
                }
            }
        }
        main_usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[0], "--version") == 0) {
        printf("apicensus %s\n", APICENSUS_VERSION);
        return EXIT_OK;
    }
    for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
        if (strcmp(argv[0], verbs[i].name) != 0)
            continue;
        if (argc > 1 && cli_is_help(argv[1])) {
            print_help(&verbs[i]);
            return EXIT_OK;
        }
        if (c.format == CLI_YAML && strcmp(verbs[i].name, "openapi") != 0) {
            fprintf(stderr, "%s: --format yaml is for 'apicensus openapi'\n", c.prog);
            return EXIT_USAGE;
        }
        if (c.out_path != NULL && strcmp(c.out_path, "-") != 0)
            return run_to_file(&c, &verbs[i], argc, argv);
        return verbs[i].run(&c, argc, argv);
    }
    fprintf(stderr, "%s: unknown verb '%s'\n\n", c.prog, argv[0]);
    main_usage(stderr);
    return EXIT_USAGE;
}
