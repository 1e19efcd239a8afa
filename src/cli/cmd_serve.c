/* cmd_serve.c - `apicensus serve`: run the REST API server until SIGINT or SIGTERM. */
#include "cli.h"

#include "../server/server.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

const char usage_serve[] =
    "usage: apicensus serve [--listen HOST:PORT] [--max-body SIZE] [--threads N]\n"
    "                       [--max-connections N] [--timeout SECONDS] [options]\n"
    "\n"
    "Serve the store over a versioned JSON REST API (/api/v1/...; described by\n"
    "/api/v1/openapi.json), with Prometheus metrics at /metrics and /healthz for probes, and\n"
    "a web UI at / (open http://127.0.0.1:8080/ in a browser and log in with a token). Every\n"
    "route but /healthz and the UI's static files needs a token: 'apicensus token create --role\n"
    "viewer|editor|admin|collector'. Collectors ('apicensus ingest --to URL') ship their\n"
    "batches to /api/v1/ingest with a collector token (docs/collectors.md).\n"
    "Stops cleanly on SIGINT or SIGTERM.\n"
    "\n"
    "options:\n"
    "  --listen ADDR       127.0.0.1:8080 (default), [::1]:8080, :8080 (every address), or\n"
    "                      HOST:0 for a free port (printed on standard output)\n"
    "  --max-body SIZE     largest request body, e.g. 64MiB (default), 512KiB; larger: 413\n"
    "  --threads N         request threads (default: one per CPU)\n"
    "  --max-connections N open connections at most (default 1024)\n"
    "  --timeout SECONDS   idle connections are closed after this (default 30)\n"
    "  --db PATH           the store (default ./apicensus.db or $APICENSUS_DB); created if\n"
    "                      missing\n"
    "  --routes            print the routes (method, path, role) and exit\n"
    "\n"
    "example:\n"
    "  apicensus token create --role viewer --name me >token.txt\n"
    "  apicensus serve --listen 127.0.0.1:8080 &\n"
    "  curl -H \"Authorization: Bearer $(cat token.txt)\" 127.0.0.1:8080/api/v1/findings\n";

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* "64MiB", "512KiB", "1GiB", "1000" (bytes) into *out. */
static bool parse_size(const char *s, size_t *out)
{
    char *end = NULL;
    unsigned long long n = strtoull(s, &end, 10);
    unsigned shift = 0;

    if (end == s || s[0] == '-')
        return false;
    if (strcmp(end, "KiB") == 0 || strcmp(end, "K") == 0)
        shift = 10;
    else if (strcmp(end, "MiB") == 0 || strcmp(end, "M") == 0)
        shift = 20;
    else if (strcmp(end, "GiB") == 0 || strcmp(end, "G") == 0)
        shift = 30;
    else if (*end != '\0')
        return false;
    if (n == 0 || n > (1ULL << 40) >> shift)
        return false;
    *out = (size_t)(n << shift);
    return true;
}

static bool parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    char *end = NULL;
    long n = strtol(s, &end, 10);

    if (end == s || *end != '\0' || n < (long)lo || n > (long)hi)
        return false;
    *out = (unsigned)n;
    return true;
}

int cmd_serve(struct cli *c, int argc, char **argv)
{
    struct ac_server_opts o;
    struct sigaction sa;
    char err[512];
    int i, rc;

    memset(&o, 0, sizeof(o));
    o.db = c->db;
    o.listen = "127.0.0.1:8080";
    o.max_body = (size_t)64 << 20;
    o.now = c->now;
    o.quiet = c->quiet;
    for (i = 1; i < argc; i += 2) { /* every option but --routes takes a value */
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = v != NULL;

        if (strcmp(a, "--routes") == 0) {
            size_t k;

            for (k = 0; k < ac_nroutes; k++)
                fprintf(c->out, "%-6s %-32s %s\n", ac_routes[k].method, ac_routes[k].pattern,
                        ac_routes[k].role == AC_ROLE_NONE ? "none"
                                                          : ac_role_name(ac_routes[k].role));
            return EXIT_OK;
        }
        if (strcmp(a, "--listen") == 0 && ok)
            o.listen = v;
        else if (strcmp(a, "--max-body") == 0 && ok)
            ok = parse_size(v, &o.max_body);
        else if (strcmp(a, "--threads") == 0 && ok)
            ok = parse_uint(v, 1, 256, &o.threads);
        else if (strcmp(a, "--max-connections") == 0 && ok)
            ok = parse_uint(v, 1, 100000, &o.max_conns);
        else if (strcmp(a, "--timeout") == 0 && ok)
            ok = parse_uint(v, 1, 3600, &o.timeout_s);
        else
            return cli_usage_error(c, "serve", "unknown argument '%s'", a);
        if (!ok)
            return cli_usage_error(c, "serve", "bad value '%s' for %s", v != NULL ? v : "", a);
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    err[0] = '\0';
    rc = ac_server_run(&o, &stop_requested, err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "%s: serve: %s\n", c->prog, err);
    return rc;
}
