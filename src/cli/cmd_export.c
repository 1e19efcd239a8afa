/* cmd_export.c - `apicensus export backstage|api-catalog|json`: the inventory for other tools
 * (<apicensus/export.h>). */
#include "cli.h"

#include <apicensus/export.h>
#include <apicensus/store.h>

#include <string.h>

const char usage_export[] =
    "usage: apicensus export backstage|api-catalog|json [--base-url URL] [-o FILE]\n"
    "\n"
    "Write the inventory in another tool's format:\n"
    "  backstage     Backstage catalog YAML: one 'kind: API' entity per API with its owner,\n"
    "                lifecycle (design: experimental, deprecated/retired: deprecated, else\n"
    "                production), docs link, versions and definition ($text: its OpenAPI file)\n"
    "  api-catalog   an RFC 9727 api-catalog (application/linkset+json): a 'linkset' with one\n"
    "                context per API and per version, linking each OpenAPI document\n"
    "                (service-desc), the docs (service-doc) and the versions that precede and\n"
    "                succeed it; 'apicensus serve' answers it at /.well-known/api-catalog\n"
    "  json          the whole inventory as one JSON object: apis, versions, deployments,\n"
    "                operations, integrations, documents, endpoints and findings, each the array\n"
    "                of 'ls KIND --format json'\n"
    "\n"
    "options:\n"
    "  --base-url URL   prefix for document paths and API anchors that are not URLs\n"
    "                   (e.g. https://git.example.com/org/apis/raw/main)\n"
    "  -o FILE          write to FILE\n"
    "\n"
    "examples:\n"
    "  apicensus export backstage -o catalog-info.yaml\n"
    "  apicensus export api-catalog --base-url https://developer.example.com >api-catalog.json\n"
    "  apicensus --now 2026-11-22 export json | jq '.apis[] | {name, risk}'\n";

int cmd_export(struct cli *c, int argc, char **argv)
{
    struct ac_export_opts o;
    enum ac_export_kind kind;
    struct ac_store *s = NULL;
    struct ac_diag d;
    char nowbuf[32];
    const char *what = NULL;
    int i, rc;

    memset(&o, 0, sizeof(o));
    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(usage_export, stdout);
            return EXIT_OK;
        }
        if (strcmp(argv[i], "--base-url") == 0) {
            if (++i == argc)
                return cli_usage_error(c, "export", "--base-url needs a URL");
            o.base_url = argv[i];
        } else if (argv[i][0] == '-') {
            return cli_usage_error(c, "export", "unknown option '%s'", argv[i]);
        } else if (what == NULL) {
            what = argv[i];
        } else {
            return cli_usage_error(c, "export", "one format at a time");
        }
    }
    if (what == NULL)
        return cli_usage_error(c, "export", "which export: backstage, api-catalog or json");
    if (!ac_export_kind_parse(what, &kind))
        return cli_usage_error(c, "export", "unknown export '%s' (backstage, api-catalog, json)",
                               what);
    o.generated_at = cli_now(c, nowbuf);
    if ((rc = cli_open_store(c, false, &s)) != 0)
        return rc;
    ac_diag_clear(&d);
    rc = ac_export_write(s, kind, &o, c->out, &d) == AC_OK ? EXIT_OK : cli_report(c, &d);
    ac_store_close(s);
    return rc;
}
