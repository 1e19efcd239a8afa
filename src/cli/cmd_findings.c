/* cmd_findings.c - `apicensus findings`, `apicensus check` and `apicensus accept`: what is wrong
 * with the inventory, the CI gate, and accepting a risk (see <apicensus/findings.h>). */
#include "cli.h"

#include <apicensus/findings.h>
#include <apicensus/registry.h>
#include <apicensus/report.h>
#include <apicensus/store.h>

#include <string.h>
#include <time.h>

const char usage_findings[] =
    "usage: apicensus findings [--rule R] [--severity S] [--state S] [--api NAME] [options]\n"
    "\n"
    "What the inventory's declarations and the observed traffic disagree on: shadow endpoints\n"
    "and hosts, zombie versions, orphan operations, APIs without an owner (docs/rules.md).\n"
    "Most severe first. Each finding has a stable id (AC-...), kept run after run.\n"
    "\n"
    "options:\n"
    "  --rule R          only this rule (shadow-endpoint, zombie-superseded ...)\n"
    "  --severity S      only this severity and above (info, low, medium, high, critical)\n"
    "  --state S         open, accepted or resolved (default: open and accepted)\n"
    "  --api NAME        only findings about this API\n"
    "  --format json     every field, with the evidence (docs/json.md)\n"
    "  --format csv      one row per finding, for spreadsheets\n"
    "  --format sarif    SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps)\n"
    "  --format md       Markdown for a pull-request comment\n"
    "  --format html     one self-contained HTML report with charts (opens offline)\n"
    "  -o FILE           write to FILE (replaced only when the command succeeds)\n"
    "  --db PATH         the store (default ./apicensus.db or $APICENSUS_DB)\n"
    "\n"
    "examples:\n"
    "  apicensus findings --severity high\n"
    "  apicensus findings --rule shadow-endpoint --format json | jq '.[].evidence'\n"
    "  apicensus findings --format sarif -o apicensus.sarif\n"
    "  apicensus findings --format html -o report.html\n";

const char usage_check[] =
    "usage: apicensus check [--fail-on SEVERITY] [options]\n"
    "\n"
    "The CI gate: exit 1 when an open finding reaches SEVERITY (default: the manifest's\n"
    "policy.fail_on, else high), 0 otherwise. Accepted findings do not fail it.\n"
    "\n"
    "example:\n"
    "  apicensus import specs/ && apicensus ingest logs/ && apicensus check --fail-on high\n";

const char usage_accept[] =
    "usage: apicensus accept ID --reason TEXT [--until YYYY-MM-DD] [options]\n"
    "\n"
    "Accept the risk of finding ID (from 'apicensus findings'): it stays accepted, and does not\n"
    "fail 'apicensus check', until the date (or for good). The manifest's 'accepted:' list does\n"
    "the same from a file under review.\n"
    "\n"
    "example:\n"
    "  apicensus accept AC-3f2a9c01b7d4e655 --reason 'retired next sprint' --until 2026-12-31\n";

const char usage_reconcile[] =
    "usage: apicensus reconcile [options]\n"
    "\n"
    "Evaluate every rule again now and bring the findings up to date. Import, ingest and accept\n"
    "do this themselves; run it when time alone changes things (a review falls due, a sunset\n"
    "passes, an endpoint turns dormant), e.g. from cron before 'apicensus check'.\n"
    "\n"
    "example:\n"
    "  apicensus reconcile && apicensus check\n";

const char *const cli_findings_columns[] = {"id",     "severity", "state", "rule", "host",
                                            "method", "template", "title", NULL};

const char *cli_now(const struct cli *c, char buf[32])
{
    time_t t;
    struct tm tm;

    if (c->now != NULL)
        return c->now;
    t = time(NULL);
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

int cli_write_report(const struct cli *c, struct ac_store *s, const struct ac_list_filter *f,
                     enum cli_format format, FILE *out)
{
    struct ac_report_opts o;
    enum ac_report_format rf = format == CLI_SARIF  ? AC_REPORT_SARIF
                               : format == CLI_MD   ? AC_REPORT_MD
                               : format == CLI_HTML ? AC_REPORT_HTML
                               : format == CLI_CSV  ? AC_REPORT_CSV
                                                    : AC_REPORT_JSON;
    struct ac_diag d;
    char buf[32];

    memset(&o, 0, sizeof(o));
    o.generated = cli_now(c, buf);
    o.filter = f;
    ac_diag_clear(&d);
    if (ac_report_write(s, rf, &o, out, &d) != AC_OK)
        return cli_report(c, &d);
    return EXIT_OK;
}

int cli_reconcile(const struct cli *c, struct ac_store *s)
{
    struct ac_diag d;
    char buf[32];

    ac_diag_clear(&d);
    if (ac_reconcile(s, cli_now(c, buf), NULL, &d) != AC_OK)
        return cli_report(c, &d);
    return EXIT_OK;
}

int cmd_findings(struct cli *c, int argc, char **argv)
{
    struct ac_list_filter f = {.api = NULL};
    struct ac_store *s = NULL;
    struct ac_table *t = NULL;
    struct ac_diag d;
    char buf[32];
    int i, rc;

    for (i = 1; i < argc; i++) {
        const char **dst = strcmp(argv[i], "--rule") == 0       ? &f.rule
                           : strcmp(argv[i], "--severity") == 0 ? &f.severity
                           : strcmp(argv[i], "--state") == 0    ? &f.state
                           : strcmp(argv[i], "--api") == 0      ? &f.api
                                                                : NULL;

        if (dst == NULL)
            return cli_usage_error(c, "findings", "unknown argument '%s'", argv[i]);
        if (i + 1 >= argc)
            return cli_usage_error(c, "findings", "option %s needs a value", argv[i]);
        *dst = argv[++i];
    }
    if (f.severity != NULL && strstr(" info low medium high critical ", f.severity) == NULL)
        return cli_usage_error(c, "findings", "unknown severity '%s'", f.severity);
    if (f.state != NULL && strcmp(f.state, "open") != 0 && strcmp(f.state, "accepted") != 0 &&
        strcmp(f.state, "resolved") != 0)
        return cli_usage_error(c, "findings", "unknown state '%s' (open, accepted, resolved)",
                               f.state);
    rc = cli_open_store(c, false, &s);
    if (rc != 0)
        return rc;
    ac_diag_clear(&d);
    if (ac_findings_expire(s, cli_now(c, buf), &d) != AC_OK) { /* expired acceptances reopen */
        rc = cli_report(c, &d);
        ac_store_close(s);
        return rc;
    }
    if (c->format == CLI_SARIF || c->format == CLI_MD || c->format == CLI_HTML ||
        c->format == CLI_CSV) {
        rc = cli_write_report(c, s, &f, c->format, c->out);
    } else if (ac_list(s, AC_LIST_FINDINGS, &f, &t, &d) != AC_OK) {
        rc = cli_report(c, &d);
    } else {
        cli_render(c, t, cli_findings_columns);
    }
    ac_table_free(t);
    ac_store_close(s);
    return rc;
}

int cli_gate(const struct cli *c, struct ac_store *s, const char *fail_on)
{
    struct ac_diag d;
    const char *level = NULL, *verdict;
    size_t n = 0;

    ac_diag_clear(&d);
    if (ac_findings_gate(s, fail_on, &n, &level, &d) != AC_OK)
        return cli_report(c, &d);
    verdict = n > 0 ? "FAIL" : "pass";
    if (!c->quiet)
        fprintf(c->out, "%zu open finding%s at %s or above: %s%s%s\n", n, n == 1 ? "" : "s", level,
                cli_sgr(c, verdict), verdict, cli_sgr_reset(c, verdict));
    return n > 0 ? EXIT_GATE : EXIT_OK;
}

int cmd_check(struct cli *c, int argc, char **argv)
{
    struct ac_store *s = NULL;
    struct ac_diag d;
    char buf[32];
    const char *fail_on = NULL;
    int i, rc;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--fail-on") == 0 && i + 1 < argc)
            fail_on = argv[++i];
        else
            return cli_usage_error(c, "check", "unknown argument '%s'", argv[i]);
    }
    rc = cli_open_store(c, false, &s);
    if (rc != 0)
        return rc;
    ac_diag_clear(&d);
    if (ac_findings_expire(s, cli_now(c, buf), &d) != AC_OK) /* expired acceptances reopen */
        rc = cli_report(c, &d);
    else
        rc = cli_gate(c, s, fail_on);
    ac_store_close(s);
    return rc;
}

int cmd_accept(struct cli *c, int argc, char **argv)
{
    struct ac_store *s = NULL;
    struct ac_diag d;
    const char *id = NULL, *reason = NULL, *until = NULL;
    char buf[32];
    int i, rc;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reason") == 0 && i + 1 < argc)
            reason = argv[++i];
        else if (strcmp(argv[i], "--until") == 0 && i + 1 < argc)
            until = argv[++i];
        else if (argv[i][0] != '-' && id == NULL)
            id = argv[i];
        else
            return cli_usage_error(c, "accept", "unexpected argument '%s'", argv[i]);
    }
    if (id == NULL)
        return cli_usage_error(c, "accept", "which finding? give its id (AC-...)");
    rc = cli_open_store(c, false, &s);
    if (rc != 0)
        return rc;
    ac_diag_clear(&d);
    if (ac_accept(s, id, reason, until, cli_now(c, buf), &d) != AC_OK)
        rc = cli_report(c, &d);
    else if (!c->quiet)
        fprintf(c->out, "%s accepted%s%s\n", id, until != NULL ? " until " : "",
                until != NULL ? until : "");
    ac_store_close(s);
    return rc;
}

int cmd_reconcile(struct cli *c, int argc, char **argv)
{
    struct ac_reconcile_stats st;
    struct ac_store *s = NULL;
    struct ac_diag d;
    char buf[32];
    int rc;

    if (argc > 1)
        return cli_usage_error(c, "reconcile", "unexpected argument '%s'", argv[1]);
    rc = cli_open_store(c, false, &s);
    if (rc != 0)
        return rc;
    ac_diag_clear(&d);
    if (ac_reconcile(s, cli_now(c, buf), &st, &d) != AC_OK)
        rc = cli_report(c, &d);
    else if (!c->quiet)
        fprintf(c->out, "%zu open (%zu new or reopened), %zu accepted, %zu resolved now\n", st.open,
                st.opened, st.accepted, st.resolved);
    ac_store_close(s);
    return rc;
}
