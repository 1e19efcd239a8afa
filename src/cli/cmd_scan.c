/* cmd_scan.c - `apicensus scan`: documents and logs to findings and reports in one command.
 *
 * Imports the manifest, specs and catalogs, ingests the logs, reconciles, prints the findings
 * summary and writes each --report by its extension. A DIR is read by content: every document
 * `import` recognises is imported, then DIR is ingested: files whose log format can be detected
 * are read, the others (the documents among them) skipped. Without --db the store is a temporary
 * one, removed at the end. The exit status is check's when --fail-on is given (1: an open finding
 * at the level).
 */
#include "cli.h"

#include <apicensus/findings.h>
#include <apicensus/registry.h>
#include <apicensus/report.h>
#include <apicensus/store.h>
#include <apicensus/traffic.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char usage_scan[] =
    "usage: apicensus scan [DIR] [--manifest F] [--spec F]... [--log F]... [--report FILE]...\n"
    "                      [--log-format F] [--host H] [--fail-on SEVERITY] [options]\n"
    "\n"
    "One shot from documents and logs to findings and reports: import the manifest, specs and\n"
    "Backstage catalogs, ingest the logs, evaluate every rule, print the summary, write the\n"
    "reports. A DIR is read by content: documents are imported, files whose log format can be\n"
    "detected are ingested, the rest is skipped. The store is a temporary one unless --db is\n"
    "given (then it is kept, and updated like import and ingest would).\n"
    "\n"
    "options:\n"
    "  --manifest F      an apicensus.yaml manifest\n"
    "  --spec F          an OpenAPI spec or Backstage catalog (repeatable)\n"
    "  --log F           an access log, HAR, Zeek or Squid log, file or directory (repeatable)\n"
    "  --log-format F    the logs' format (default: detected), as for ingest\n"
    "  --host H          host of requests whose log line carries none\n"
    "  --report FILE     write a report, its format from the extension: .html, .sarif, .md,\n"
    "                    .json, .csv (repeatable)\n"
    "  --fail-on S       exit 1 when an open finding reaches S (info ... critical), as check\n"
    "  --db PATH         keep the results in this store instead of a temporary one\n"
    "\n"
    "examples:\n"
    "  apicensus scan examples/acme --report acme-report.html\n"
    "  apicensus scan --spec openapi.yaml --log /var/log/nginx/access.log.1 \\\n"
    "                 --report findings.sarif --fail-on high\n";

#define SCAN_MAX 256 /* paths of each kind on the command line */

struct scan {
    struct cli *c;
    const char *dir;
    const char *docs[SCAN_MAX], *logs[SCAN_MAX], *reports[SCAN_MAX];
    size_t ndocs, nlogs, nreports;
    const char *fail_on;
    struct ac_ingest_opts io;
    /* What was read, for the summary line and the exit status. */
    size_t documents, changed, dir_documents, log_files, skipped;
    bool in_dir; /* importing DIR (its documents are skipped again when DIR is ingested) */
    int worst;
    size_t file_errors;
    bool probing; /* reading DIR: files whose format cannot be told are skipped */
};

static int worse(int a, int b)
{
    return a > b ? a : b;
}

static void on_import(void *ud, const struct ac_import_event *ev)
{
    struct scan *sc = ud;

    if (ev->status == AC_IMPORT_CHANGED || ev->status == AC_IMPORT_UNCHANGED) {
        sc->documents++;
        sc->changed += ev->status == AC_IMPORT_CHANGED;
        sc->dir_documents += sc->in_dir;
    } else if (ev->status == AC_IMPORT_FAILED)
        sc->worst = worse(sc->worst, cli_report(sc->c, ev->diag));
}

static void on_bad_line(void *ud, const char *path, uint64_t line, const char *why)
{
    struct scan *sc = ud;

    if (!sc->c->quiet)
        fprintf(stderr, "%s: %s:%llu: %s\n", sc->c->prog, path, (unsigned long long)line, why);
}

/* A file that cannot be read: in DIR, one whose log format cannot be told is no log and is
 * skipped quietly (documents were imported already); anything else is reported. */
static void on_file_error(void *ud, const struct ac_diag *d)
{
    struct scan *sc = ud;

    sc->file_errors++;
    if (sc->probing && d->code == AC_EKIND)
        sc->skipped++;
    else
        sc->worst = worse(sc->worst, cli_report(sc->c, d));
}

/* Ingest one path (`probe`: a DIR, whose files need not all be logs). */
static void ingest_one(struct scan *sc, struct ac_store *s, const char *path, bool probe,
                       struct ac_ingest_stats *st)
{
    struct ac_diag d;
    enum ac_err err;
    size_t before = sc->file_errors;

    sc->probing = probe;
    ac_diag_clear(&d);
    err = ac_ingest(s, path, &sc->io, st, &d);
    if (err == AC_OK || (sc->file_errors > before && err != AC_ESTORE && err != AC_ENOMEM))
        return; /* each file's error was handled already */
    if (probe && err == AC_EKIND)
        sc->skipped++;
    else
        sc->worst = worse(sc->worst, cli_report(sc->c, &d));
}

static int parse(struct scan *sc, int argc, char **argv)
{
    int k;

    for (k = 1; k < argc; k++) {
        const char *a = argv[k];
        const char **one = NULL;
        const char **many = NULL;
        size_t *n = NULL;

        if (strcmp(a, "--manifest") == 0 || strcmp(a, "--spec") == 0) {
            many = sc->docs;
            n = &sc->ndocs;
        } else if (strcmp(a, "--log") == 0) {
            many = sc->logs;
            n = &sc->nlogs;
        } else if (strcmp(a, "--report") == 0) {
            many = sc->reports;
            n = &sc->nreports;
        } else if (strcmp(a, "--log-format") == 0) {
            one = &sc->io.format;
        } else if (strcmp(a, "--host") == 0) {
            one = &sc->io.host;
        } else if (strcmp(a, "--fail-on") == 0) {
            one = &sc->fail_on;
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage_error(sc->c, "scan", "unknown option '%s'", a);
        } else if (sc->dir != NULL) {
            return cli_usage_error(sc->c, "scan", "one DIR only ('%s' and '%s')", sc->dir, a);
        } else {
            sc->dir = a;
            continue;
        }
        if (k + 1 >= argc)
            return cli_usage_error(sc->c, "scan", "option %s needs a value", a);
        if (one != NULL) {
            *one = argv[++k];
        } else if (*n == SCAN_MAX) {
            return cli_usage_error(sc->c, "scan", "more than %d %s options", SCAN_MAX, a);
        } else {
            many[(*n)++] = argv[++k];
        }
    }
    if (sc->dir == NULL && sc->ndocs == 0 && sc->nlogs == 0)
        return cli_usage_error(sc->c, "scan", "nothing to scan: give a DIR, --spec or --log");
    if (sc->fail_on != NULL && strstr(" info low medium high critical ", sc->fail_on) == NULL)
        return cli_usage_error(sc->c, "scan", "unknown severity '%s'", sc->fail_on);
    for (k = 0; (size_t)k < sc->nreports; k++) {
        enum ac_report_format f;

        if (!ac_report_format_of_path(sc->reports[k], &f))
            return cli_usage_error(sc->c, "scan",
                                   "--report %s: name it .html, .sarif, .md, .json or .csv",
                                   sc->reports[k]);
    }
    return -1;
}

/* Write one report to a temporary file beside it, renamed into place when complete. */
static int write_report(struct scan *sc, struct ac_store *s, const char *path)
{
    static const enum cli_format by_report[] = {[AC_REPORT_JSON] = CLI_JSON,
                                                [AC_REPORT_SARIF] = CLI_SARIF,
                                                [AC_REPORT_MD] = CLI_MD,
                                                [AC_REPORT_HTML] = CLI_HTML,
                                                [AC_REPORT_CSV] = CLI_CSV};
    enum ac_report_format f = AC_REPORT_JSON;
    char tmp[4096];
    FILE *out;
    int fd, rc;
    mode_t mask;

    (void)ac_report_format_of_path(path, &f);
    if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >= (int)sizeof(tmp))
        return cli_usage_error(sc->c, "scan", "--report %s: name too long", path);
    fd = mkstemp(tmp);
    if (fd < 0 || (out = fdopen(fd, "w")) == NULL) {
        perror(path);
        if (fd >= 0)
            close(fd);
        return EXIT_INPUT;
    }
    mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    rc = cli_write_report(sc->c, s, NULL, by_report[f], out);
    if (fclose(out) != 0 && rc == EXIT_OK) {
        perror(path);
        rc = EXIT_STORE;
    }
    if (rc == EXIT_OK && rename(tmp, path) != 0) {
        perror(path);
        rc = EXIT_STORE;
    }
    if (rc != EXIT_OK)
        unlink(tmp);
    else if (!sc->c->quiet)
        fprintf(sc->c->out, "wrote %s\n", path);
    return rc;
}

/* Import, ingest and reconcile; the worst exit status of the inputs. */
static int read_inputs(struct scan *sc, struct ac_store *s)
{
    struct ac_import_opts o;
    struct ac_ingest_stats st;
    struct ac_diag d;
    size_t i;
    int rc;

    memset(&o, 0, sizeof(o));
    o.now = sc->c->now;
    o.on_event = on_import;
    o.ud = sc;
    for (i = 0; i < sc->ndocs + (sc->dir != NULL); i++) {
        sc->in_dir = i == sc->ndocs;
        ac_diag_clear(&d);
        if (ac_import(s, i < sc->ndocs ? sc->docs[i] : sc->dir, &o, &d) != AC_OK &&
            d.code != AC_OK && d.msg[0] != '\0')
            sc->worst = worse(sc->worst, cli_report(sc->c, &d));
    }
    if (sc->changed > 0 && ac_rematch(s, NULL, &d) != AC_OK) /* traffic of a kept store (--db) */
        sc->worst = worse(sc->worst, cli_report(sc->c, &d));
    sc->io.now = sc->c->now;
    sc->io.on_bad_line = on_bad_line;
    sc->io.on_file_error = on_file_error;
    sc->io.ud = sc;
    memset(&st, 0, sizeof(st));
    for (i = 0; i < sc->nlogs; i++)
        ingest_one(sc, s, sc->logs[i], false, &st);
    if (sc->dir != NULL)
        ingest_one(sc, s, sc->dir, true, &st);
    sc->log_files = (size_t)(st.files + st.files_unchanged);
    sc->skipped = sc->skipped > sc->dir_documents ? sc->skipped - sc->dir_documents : 0;
    rc = cli_reconcile(sc->c, s);
    if (!sc->c->quiet)
        fprintf(sc->c->out,
                "scanned %zu document%s and %zu log%s (%llu requests); %zu other file%s skipped\n",
                sc->documents, sc->documents == 1 ? "" : "s", sc->log_files,
                sc->log_files == 1 ? "" : "s", (unsigned long long)st.requests, sc->skipped,
                sc->skipped == 1 ? "" : "s");
    return worse(sc->worst, rc);
}

/* The findings by severity, then the findings table. */
static int summary(struct scan *sc, struct ac_store *s)
{
    static const char *const sev[] = {"critical", "high", "medium", "low", "info"};
    struct ac_list_filter f = {.api = NULL};
    struct ac_table *t = NULL;
    struct ac_diag d;
    size_t k, r, open[5] = {0}, acc[5] = {0}, cs, cst;

    ac_diag_clear(&d);
    if (ac_list(s, AC_LIST_FINDINGS, &f, &t, &d) != AC_OK)
        return cli_report(sc->c, &d);
    cs = ac_table_col_index(t, "severity");
    cst = ac_table_col_index(t, "state");
    for (r = 0; r < ac_table_rows(t); r++)
        for (k = 0; k < 5; k++)
            if (strcmp(ac_table_cell(t, r, cs), sev[k]) == 0) {
                if (strcmp(ac_table_cell(t, r, cst), "open") == 0)
                    open[k]++;
                else
                    acc[k]++;
            }
    if (!sc->c->quiet) {
        fprintf(sc->c->out, "\nSEVERITY  OPEN  ACCEPTED\n");
        for (k = 0; k < 5; k++)
            fprintf(sc->c->out, "%s%-8s%s  %4zu  %8zu\n", cli_sgr(sc->c, sev[k]), sev[k],
                    cli_sgr_reset(sc->c, sev[k]), open[k], acc[k]);
        fputc('\n', sc->c->out);
        cli_render(sc->c, t, cli_findings_columns);
        fputc('\n', sc->c->out);
    }
    ac_table_free(t);
    return EXIT_OK;
}

/* A temporary store in a fresh directory; its path into buf. */
static int temp_store(struct scan *sc, char *dir, size_t cap)
{
    const char *tmp = getenv("TMPDIR");

    snprintf(dir, cap, "%s/apicensus-scan-XXXXXX", tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        perror(dir);
        return EXIT_STORE;
    }
    (void)sc;
    return EXIT_OK;
}

static void remove_temp_store(const char *dir)
{
    static const char *const files[] = {"scan.db", "scan.db-wal", "scan.db-shm"};
    char p[4200];
    size_t i;

    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
        unlink(p);
    }
    rmdir(dir);
}

int cmd_scan(struct cli *c, int argc, char **argv)
{
    struct scan *sc = calloc(1, sizeof(*sc));
    struct ac_store *s = NULL;
    char dir[4096] = "", db[4200];
    const char *saved_db = c->db;
    size_t i;
    int rc;

    if (sc == NULL)
        return EXIT_STORE;
    sc->c = c;
    rc = parse(sc, argc, argv);
    if (rc >= 0)
        goto out;
    rc = c->db_given ? EXIT_OK : temp_store(sc, dir, sizeof(dir));
    if (rc != EXIT_OK)
        goto out;
    if (!c->db_given) {
        snprintf(db, sizeof(db), "%s/scan.db", dir);
        c->db = db;
    }
    rc = cli_open_store(c, true, &s);
    if (rc != 0)
        goto out;
    rc = read_inputs(sc, s);
    rc = worse(rc, summary(sc, s));
    for (i = 0; i < sc->nreports; i++)
        rc = worse(rc, write_report(sc, s, sc->reports[i]));
    if (rc == EXIT_OK && sc->fail_on != NULL)
        rc = cli_gate(c, s, sc->fail_on);
out:
    ac_store_close(s);
    if (dir[0] != '\0')
        remove_temp_store(dir);
    c->db = saved_db;
    free(sc);
    return rc;
}
