/* cmd_openapi.c - `apicensus openapi`: an OpenAPI 3.1 document generated from the observations
 * (<apicensus/openapi_gen.h>). */
#include "cli.h"

#include <apicensus/openapi_gen.h>
#include <apicensus/store.h>

#include <string.h>

const char usage_openapi[] =
    "usage: apicensus openapi [--host HOST | --api API] [--undocumented-only] [--title TEXT]\n"
    "                         [--format yaml|json] [-o FILE]\n"
    "\n"
    "Write an OpenAPI 3.1 document of the traffic in the store (YAML unless --format json):\n"
    "servers from the hosts; paths and methods from the observed endpoint templates; path\n"
    "parameters named after the segment before them and typed by their values ({int}: integer,\n"
    "{uuid}: string/uuid, {date}: string/date, {hex}: a hex pattern ...); query parameters; a\n"
    "response per status code seen; request and 2xx response JSON schemas merged over the HAR\n"
    "bodies seen (types, nullable, required fields seen in every sample, formats date-time,\n"
    "date, email, uuid, uri, ipv4, ipv6, arrays); security schemes from the credentials seen\n"
    "(bearer, basic, API keys in a header, the query or a cookie: names only). Values are never\n"
    "kept, so none appears. Outbound traffic (third parties) is left out unless --host names it.\n"
    "Methods OpenAPI cannot name (CONNECT, custom ones) are left out and counted on stderr.\n"
    "\n"
    "options:\n"
    "  --host HOST           only this host\n"
    "  --api API             only this API: its documented operations and the traffic of the\n"
    "                        hosts it is deployed on\n"
    "  --undocumented-only   only the endpoints no spec documents, ready to merge into the\n"
    "                        owner's spec (importing the result documents them)\n"
    "  --title TEXT          info.title (default: '<host> (observed)' or 'observed APIs')\n"
    "  --format yaml|json    YAML (default) or JSON\n"
    "  -o FILE               write to FILE (written whole, then renamed into place)\n"
    "\n"
    "examples:\n"
    "  apicensus ingest traffic.har && apicensus openapi --host api.example.com -o observed.yaml\n"
    "  apicensus openapi --undocumented-only --api accounts --format json -o shadow.json\n"
    "  apicensus openapi -o observed.yaml && npx @redocly/cli lint observed.yaml\n";

int cmd_openapi(struct cli *c, int argc, char **argv)
{
    struct ac_openapi_opts o;
    struct ac_openapi_stats st;
    struct ac_store *s = NULL;
    struct ac_diag d;
    int i, rc;

    memset(&o, 0, sizeof(o));
    for (i = 1; i < argc; i++) {
        const char **dst = NULL;

        if (cli_is_help(argv[i])) {
            fputs(usage_openapi, stdout);
            return EXIT_OK;
        }
        if (strcmp(argv[i], "--host") == 0)
            dst = &o.host;
        else if (strcmp(argv[i], "--api") == 0)
            dst = &o.api;
        else if (strcmp(argv[i], "--title") == 0)
            dst = &o.title;
        else if (strcmp(argv[i], "--undocumented-only") == 0)
            o.undocumented_only = true;
        else if (argv[i][0] == '-')
            return cli_usage_error(c, "openapi", "unknown option '%s'", argv[i]);
        else
            return cli_usage_error(c, "openapi", "unexpected argument '%s'", argv[i]);
        if (dst != NULL) {
            if (++i == argc || argv[i][0] == '\0')
                return cli_usage_error(c, "openapi", "%s needs a value", argv[i - 1]);
            *dst = argv[i];
        }
    }
    if (o.host != NULL && o.api != NULL)
        return cli_usage_error(c, "openapi", "--host or --api, not both");
    if (c->format != CLI_TABLE && c->format != CLI_YAML && c->format != CLI_JSON)
        return cli_usage_error(c, "openapi", "--format: yaml or json");
    o.json = c->format == CLI_JSON;
    if ((rc = cli_open_store(c, false, &s)) != 0)
        return rc;
    ac_diag_clear(&d);
    memset(&st, 0, sizeof(st));
    if (ac_openapi_write(s, &o, c->out, &st, &d) != AC_OK) {
        rc = cli_report(c, &d);
    } else {
        rc = EXIT_OK;
        if (!c->quiet)
            fprintf(stderr, "apicensus openapi: %zu paths, %zu operations%s", st.paths,
                    st.operations, st.skipped > 0 ? "" : "\n");
        if (!c->quiet && st.skipped > 0)
            fprintf(stderr, "; %zu endpoints left out (methods OpenAPI cannot name)\n", st.skipped);
    }
    ac_store_close(s);
    return rc;
}
