/* cmd_ls.c - `apicensus ls KIND`: one kind of entity of the registry as a table or JSON. */
#include "cli.h"

#include <apicensus/registry.h>
#include <apicensus/store.h>

#include <string.h>

const char usage_ls[] =
    "usage: apicensus ls apis|versions|deployments|operations|integrations|documents|endpoints\n"
    "                    |traffic|rules|tokens|audit|webhooks [options]\n"
    "\n"
    "List what the registry holds, merged from every imported document (a manifest's value wins\n"
    "over a Backstage entity's, which wins over a spec's); endpoints: what traffic showed;\n"
    "traffic: the busiest endpoints' requests per hour; rules: the finding rules (docs/rules.md)\n"
    "with the severity policy.severity gives them; tokens, audit, webhooks: the server's API\n"
    "tokens (never their secret), its audit log and its webhooks.\n"
    "\n"
    "options:\n"
    "  --api NAME        only this API\n"
    "  --all             operations: also those removed from their spec (see removed_at)\n"
    "  --format json     every field, as documented in docs/json.md (default: a table)\n"
    "  --format csv      every field, as CSV (RFC 4180) for spreadsheets\n"
    "  --db PATH         the store (default ./apicensus.db or $APICENSUS_DB)\n"
    "\n"
    "examples:\n"
    "  apicensus ls operations --api accounts\n"
    "  apicensus ls deployments --format json | jq '.[] | select(.environment == null)'\n";

static const char *const columns_apis[] = {"name",        "owner",      "lifecycle", "versions",
                                           "deployments", "operations", "risk",      NULL};
static const char *const columns_versions[] = {"api",           "label",      "status", "sunset",
                                               "superseded_by", "operations", NULL};
static const char *const columns_deployments[] = {"api",      "url",         "environment",
                                                  "audience", "protections", NULL};
static const char *const columns_operations[] = {"api",          "version",    "method", "template",
                                                 "operation_id", "deprecated", "hosts",  NULL};
static const char *const columns_operations_all[] = {
    "api", "version", "method", "template", "operation_id", "deprecated", "removed_at", NULL};
static const char *const columns_integrations[] = {"name", "host",        "direction",
                                                   "data", "approved_by", NULL};
static const char *const columns_endpoints[] = {
    "host", "method", "template", "version", "count", "last_seen", "documented", "operation", NULL};
static const char *const columns_documents[] = {"path", "kind",       "format",
                                                "api",  "changed_at", NULL};
static const char *const columns_traffic[] = {"host", "method", "template", "hour", "count", NULL};
static const char *const columns_rules[] = {"rule", "severity", "evaluated", "summary", NULL};
static const char *const columns_tokens[] = {"id",         "name",       "role",
                                             "created_at", "revoked_at", NULL};
static const char *const columns_audit[] = {"at", "actor", "action", "target", NULL};

static const char *const *columns_of(enum ac_list_kind k)
{
    switch (k) {
    case AC_LIST_APIS:
        return columns_apis;
    case AC_LIST_VERSIONS:
        return columns_versions;
    case AC_LIST_DEPLOYMENTS:
        return columns_deployments;
    case AC_LIST_OPERATIONS:
        return columns_operations;
    case AC_LIST_INTEGRATIONS:
        return columns_integrations;
    case AC_LIST_ENDPOINTS:
        return columns_endpoints;
    case AC_LIST_TRAFFIC:
        return columns_traffic;
    case AC_LIST_RULES:
        return columns_rules;
    case AC_LIST_TOKENS:
        return columns_tokens;
    case AC_LIST_AUDIT:
        return columns_audit;
    case AC_LIST_DOCUMENTS:
    default:
        return columns_documents;
    }
}

int cmd_ls(struct cli *c, int argc, char **argv)
{
    struct ac_list_filter f = {.api = NULL};
    struct ac_store *s = NULL;
    struct ac_table *t = NULL;
    struct ac_diag d;
    enum ac_list_kind kind;
    const char *what = NULL;
    int i, rc = EXIT_OK;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--api") == 0 && i + 1 < argc)
            f.api = argv[++i];
        else if (strcmp(argv[i], "--api") == 0)
            return cli_usage_error(c, "ls", "option --api needs an API name");
        else if (strcmp(argv[i], "--all") == 0)
            f.include_removed = true;
        else if (argv[i][0] == '-')
            return cli_usage_error(c, "ls", "unknown option '%s'", argv[i]);
        else if (what == NULL)
            what = argv[i];
        else
            return cli_usage_error(c, "ls", "unexpected argument '%s'", argv[i]);
    }
    if (what == NULL)
        return cli_usage_error(c, "ls",
                               "what to list? apis, versions, deployments, operations, "
                               "integrations, documents, endpoints, traffic, rules, tokens, "
                               "audit or webhooks");
    if (!ac_list_kind_parse(what, &kind))
        return cli_usage_error(c, "ls",
                               "cannot list '%s' (expected apis, versions, deployments, "
                               "operations, integrations, documents, endpoints, traffic, rules, "
                               "tokens, audit or webhooks)",
                               what);
    if (c->format == CLI_SARIF || c->format == CLI_MD || c->format == CLI_HTML)
        return cli_usage_error(c, "ls",
                               "--format: ls prints a table, json or csv (reports: apicensus "
                               "findings --format sarif|md|html)");
    rc = cli_open_store(c, false, &s);
    if (rc != 0)
        return rc;
    ac_diag_clear(&d);
    if (ac_list(s, kind, &f, &t, &d) != AC_OK)
        rc = cli_report(c, &d);
    else
        cli_render(c, t,
                   kind == AC_LIST_OPERATIONS && f.include_removed ? columns_operations_all
                                                                   : columns_of(kind));
    ac_table_free(t);
    ac_store_close(s);
    return rc;
}
