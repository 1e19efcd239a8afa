/* cmd_probe.c - `apicensus probe`: active discovery against the organisation's own hosts
 * (docs/probe.md), then reconciliation so the findings include what it found. `--dry-run`
 * prints the plan, one request a line, and sends nothing.
 */
#include "cli.h"

#include <apicensus/probe.h>
#include <apicensus/store.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LIST 256
#define LIST_FILE_MAX (4u * 1024u * 1024u)

const char usage_probe[] =
    "usage: apicensus probe [--target URL]... [--targets-file F] [--no-inventory]\n"
    "                       [--candidates F] [--no-prefixes] [--resolve NAME:[PORT:]ADDR]...\n"
    "                       [--rate N] [--burst N] [--concurrency N] [--max-requests N]\n"
    "                       [--timeout S] [--wordlist F] [--user-agent S] [--no-import]\n"
    "                       [--dry-run] [-v]\n"
    "\n"
    "Ask the organisation's own hosts what traffic cannot show: hidden hosts, old versions\n"
    "still answering, exposed documentation, header-spoofing bypasses and missing rate limits.\n"
    "Targets are the deployments of the inventory plus --target URLs; candidate hosts are\n"
    "common API prefixes (api, beta, staging, dev, test, sandbox, internal, old, legacy, v1 ...)\n"
    "and --candidates names under organisation.domains that resolve (or that --resolve names).\n"
    "\n"
    "Checks, in order: a soft-404 baseline per host (random paths); documented GET routes and\n"
    "their version siblings (v1 beside v2, v2.6 beside v2.7, earlier dates); well-known\n"
    "documentation and operations paths (/openapi.json, /swagger-ui.html, /graphql, /metrics,\n"
    "/actuator, /.well-known/api-catalog ...); the wordlist under each root; a CORS preflight\n"
    "from a foreign origin; 401/403 routes again with X-Forwarded-For, X-Real-IP, Forwarded,\n"
    "X-Forwarded-Host and X-Original-URL; and a short burst against one documented route per\n"
    "deployment (the only requests above --rate). Answers beyond the baseline become\n"
    "observations of source 'probe'; documents found are imported; findings are reconciled.\n"
    "\n"
    "Safety: only the targets' hosts and candidates that answered are ever asked (an\n"
    "allow-list); redirects are recorded, never followed; only GET and OPTIONS are sent; each\n"
    "host gets at most --rate requests a second; --max-requests caps the run; every request\n"
    "carries the User-Agent apicensus-probe/VERSION and X-Apicensus-Check: <check>.\n"
    "Probe only hosts you are allowed to test.\n"
    "\n"
    "options:\n"
    "  --target URL       a base URL to probe (http or https; repeatable)\n"
    "  --targets-file F   base URLs, one a line ('#' comments)\n"
    "  --no-inventory     probe only --target URLs, not the deployments in the store\n"
    "  --candidates F     candidate host names, one a line: full names, or labels tried under\n"
    "                     every organisation domain\n"
    "  --no-prefixes      do not try the built-in host prefixes\n"
    "  --resolve N:[P:]A  resolve host N (port P, else every port used) to address A, as\n"
    "                     curl's --resolve (tests, split-horizon DNS); repeatable\n"
    "  --rate N           requests per second per host (default 5; 0.1 to 1000)\n"
    "  --burst N          requests of the rate-limit burst per deployment (default 20; 0: no\n"
    "                     burst)\n"
    "  --concurrency N    requests in flight over all hosts (default 8)\n"
    "  --max-requests N   requests sent at most in this run (default 10000)\n"
    "  --timeout S        seconds per request (default 10)\n"
    "  --wordlist F       routes to ask under each root, one a line, instead of the built-in\n"
    "                     list ('apicensus probe --print-wordlist' prints it)\n"
    "  --user-agent S     the User-Agent sent\n"
    "  --no-import        do not import OpenAPI documents found (imported as probe:URL,\n"
    "                     attached to the API whose deployment serves them)\n"
    "  --dry-run          print the plan (one request a line) and send nothing\n"
    "  -v, --verbose      print each request with its answer\n"
    "\n"
    "examples:\n"
    "  apicensus probe --dry-run | less\n"
    "  apicensus probe --target https://api.example.com --rate 2\n"
    "  apicensus probe --candidates hosts.txt --resolve beta.example.com:10.0.0.7\n"
    "  apicensus probe && apicensus findings --rule forwarded-header-bypass\n";

struct probe_ui {
    const struct cli *c;
    bool dry, verbose;
};

static void on_event(void *ud, const struct ac_probe_event *e)
{
    struct probe_ui *ui = ud;
    const char *open = e->note != NULL ? "  [" : "", *note = e->note != NULL ? e->note : "",
               *close = e->note != NULL ? "]" : "";

    if (ui->dry)
        fprintf(ui->c->out, "%-10s %-7s %s%s%s%s\n", e->check, e->method, e->url, open, note,
                close);
    else if (ui->verbose)
        fprintf(stderr, "%-10s %-7s %3d %s%s%s%s\n", e->check, e->method, e->status, e->url, open,
                note, close);
}

/* Lines of a file (comments and blanks skipped) appended to v. */
static int read_list(const struct cli *c, const char *path, char **v, size_t *n, char **keep)
{
    FILE *f = fopen(path, "rb");
    char *buf, *line, *next;
    size_t len;

    if (f == NULL)
        return cli_usage_error(c, "probe", "cannot open '%s'", path);
    buf = malloc(LIST_FILE_MAX + 1);
    if (buf == NULL) {
        fclose(f);
        return EXIT_STORE;
    }
    len = fread(buf, 1, LIST_FILE_MAX, f);
    fclose(f);
    buf[len] = '\0';
    *keep = buf;
    for (line = buf; *line != '\0'; line = next) {
        char *end = line + strcspn(line, "\r\n");

        next = *end != '\0' ? end + 1 : end;
        *end = '\0';
        while (*line == ' ' || *line == '\t')
            line++;
        if (*line == '\0' || *line == '#')
            continue;
        if (*n >= MAX_LIST)
            return cli_usage_error(c, "probe", "'%s' has more than %d entries", path, MAX_LIST);
        v[(*n)++] = line;
    }
    return 0;
}

static int number(const struct cli *c, const char *opt, const char *s, double lo, double hi,
                  double *out)
{
    char *e = NULL;
    double v = s != NULL ? strtod(s, &e) : 0;

    if (s == NULL || e == s || *e != '\0' || !(v >= lo && v <= hi))
        return cli_usage_error(c, "probe", "%s wants a number from %g to %g", opt, lo, hi);
    *out = v;
    return 0;
}

int cmd_probe(struct cli *c, int argc, char **argv)
{
    const char *targets[MAX_LIST], *cands[MAX_LIST], *resolve[MAX_LIST];
    char *tv[MAX_LIST], *cv[MAX_LIST], *files[3] = {NULL, NULL, NULL};
    size_t nt = 0, ncand = 0, nres = 0, ntv = 0, ncv = 0, i;
    struct ac_probe_opts o;
    struct ac_probe_stats st;
    struct probe_ui ui = {c, false, false};
    struct ac_store *s = NULL;
    struct ac_diag d;
    const char *wordlist_path = NULL;
    char *wordlist = NULL;
    enum ac_err err;
    int rc = 0, k;
    double v = 0;

    memset(&o, 0, sizeof(o));
    for (k = 1; k < argc && rc == 0; k++) {
        const char *a = argv[k], *val = k + 1 < argc ? argv[k + 1] : NULL;

        if (cli_is_help(a)) {
            fputs(usage_probe, stdout);
            return 0;
        } else if (strcmp(a, "--print-wordlist") == 0) {
            fputs(ac_probe_wordlist(), c->out);
            return 0;
        } else if (strcmp(a, "--dry-run") == 0) {
            o.dry_run = ui.dry = true;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            ui.verbose = true;
        } else if (strcmp(a, "--no-inventory") == 0) {
            o.no_inventory = true;
        } else if (strcmp(a, "--no-prefixes") == 0) {
            o.no_prefixes = true;
        } else if (strcmp(a, "--no-import") == 0) {
            o.no_import = true;
        } else if (val == NULL && a[0] == '-') {
            return cli_usage_error(c, "probe", "option %s needs a value (or is unknown)", a);
        } else if (strcmp(a, "--target") == 0) {
            if (nt >= MAX_LIST)
                return cli_usage_error(c, "probe", "more than %d targets", MAX_LIST);
            targets[nt++] = val, k++;
        } else if (strcmp(a, "--resolve") == 0) {
            if (nres >= MAX_LIST)
                return cli_usage_error(c, "probe", "more than %d --resolve", MAX_LIST);
            resolve[nres++] = val, k++;
        } else if (strcmp(a, "--targets-file") == 0) {
            rc = read_list(c, val, tv, &ntv, &files[0]);
            k++;
        } else if (strcmp(a, "--candidates") == 0) {
            rc = read_list(c, val, cv, &ncv, &files[1]);
            k++;
        } else if (strcmp(a, "--wordlist") == 0) {
            wordlist_path = val, k++;
        } else if (strcmp(a, "--user-agent") == 0) {
            o.user_agent = val, k++;
        } else if (strcmp(a, "--rate") == 0) {
            if ((rc = number(c, a, val, 0.1, 1000, &v)) == 0)
                o.rate = v;
            k++;
        } else if (strcmp(a, "--burst") == 0) {
            if ((rc = number(c, a, val, 0, 1000, &v)) == 0)
                o.burst = v == 0 ? UINT32_MAX : (unsigned)v;
            k++;
        } else if (strcmp(a, "--concurrency") == 0) {
            if ((rc = number(c, a, val, 1, 64, &v)) == 0)
                o.concurrency = (unsigned)v;
            k++;
        } else if (strcmp(a, "--max-requests") == 0) {
            if ((rc = number(c, a, val, 1, 1e7, &v)) == 0)
                o.max_requests = (uint64_t)v;
            k++;
        } else if (strcmp(a, "--timeout") == 0) {
            if ((rc = number(c, a, val, 0.1, 600, &v)) == 0)
                o.timeout_ms = (unsigned)(v * 1000);
            k++;
        } else {
            return cli_usage_error(c, "probe", "unknown argument '%s'", a);
        }
    }
    for (i = 0; rc == 0 && i < ntv; i++) {
        if (nt >= MAX_LIST)
            rc = cli_usage_error(c, "probe", "more than %d targets", MAX_LIST);
        else
            targets[nt++] = tv[i];
    }
    for (i = 0; i < ncv; i++)
        cands[ncand++] = cv[i];
    if (rc == 0 && wordlist_path != NULL) {
        FILE *f = fopen(wordlist_path, "rb");
        size_t len;

        if (f == NULL || (wordlist = malloc(LIST_FILE_MAX + 1)) == NULL) {
            rc = cli_usage_error(c, "probe", "cannot read the wordlist '%s'", wordlist_path);
        } else {
            len = fread(wordlist, 1, LIST_FILE_MAX, f);
            wordlist[len] = '\0';
            o.wordlist = wordlist;
            o.wordlist_name = wordlist_path;
        }
        if (f != NULL)
            fclose(f);
    }
    if (rc == 0)
        rc = cli_open_store(c, false, &s);
    if (rc == 0) {
        o.targets = targets;
        o.ntargets = nt;
        o.candidates = cands;
        o.ncandidates = ncand;
        o.resolve = resolve;
        o.nresolve = nres;
        o.now = c->now;
        o.on_event = on_event;
        o.ud = &ui;
        ac_diag_clear(&d);
        err = ac_probe(s, &o, &st, &d);
        if (err != AC_OK) {
            rc = cli_report(c, &d);
        } else if (!c->quiet) {
            /* on standard output after the plan, so `--dry-run | tail -1` is the count */
            FILE *sum = c->out;

            if (o.dry_run)
                fprintf(sum,
                        "%llu requests planned for %llu hosts (bypass checks depend on the "
                        "answers and are not listed)\n",
                        (unsigned long long)st.planned, (unsigned long long)st.hosts);
            else
                fprintf(sum,
                        "%llu hosts (%llu candidates answered), %llu requests sent (%llu without "
                        "answer, %llu over --max-requests)\n%llu observations, %llu probe facts, "
                        "%llu documents imported, %llu redirects off scope (not followed)\n"
                        "%llu routes declared internal answered the probe without any "
                        "forwarding header\n",
                        (unsigned long long)st.hosts, (unsigned long long)st.candidates,
                        (unsigned long long)st.sent, (unsigned long long)st.failed,
                        (unsigned long long)st.capped, (unsigned long long)st.observations,
                        (unsigned long long)st.facts, (unsigned long long)st.documents,
                        (unsigned long long)st.off_scope, (unsigned long long)st.internal);
        }
        if (err == AC_OK && !o.dry_run)
            rc = cli_reconcile(c, s);
        ac_store_close(s);
    }
    free(wordlist);
    for (i = 0; i < 3; i++)
        free(files[i]);
    return rc;
}
