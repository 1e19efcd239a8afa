/* cmd_ingest.c - `apicensus ingest FILE|DIR|-...`: traffic into the store, with a progress line
 * on a terminal and a summary with the first bad lines. */
#include "cli.h"

#include <apicensus/collect.h>
#include <apicensus/store.h>
#include <apicensus/traffic.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char usage_ingest[] =
    "usage: apicensus ingest [--log-format F] [--host H] [--outbound] [--source NAME]\n"
    "                        [--threads N] [--batch-size B] [--follow [--poll-ms MS]]\n"
    "                        [--to URL [--token T] [--retries N]] FILE|DIR|-...\n"
    "\n"
    "Read access logs, HAR files, Zeek and Squid logs (plain, .gz or .zst; directories\n"
    "recursively; - for standard input) and fold every request into the observations of the\n"
    "store: per host, method and template, with counts, first and last seen, status classes,\n"
    "credentials, public and private clients, and sample paths. A request is matched against the\n"
    "documented templates of its host (import the specs first); an undocumented path keeps its\n"
    "literal segments and turns numbers, UUIDs, hashes, dates, e-mails and IPs into parameters.\n"
    "Raw lines are never stored. Static assets are counted apart.\n"
    "\n"
    "Each file's position is saved with the counts it produced: running the same ingest again\n"
    "adds nothing, a file that grew adds only its new lines, and an interrupted ingest picks up\n"
    "where it stopped.\n"
    "\n"
    "options:\n"
    "  --log-format F   a format name (below) or an nginx log_format string such as\n"
    "                   '$remote_addr - $remote_user [$time_local] \"$request\" $status ...',\n"
    "                   or json:MAP, a field map for JSON lines (see docs/formats.md), e.g.\n"
    "                   'json:time=ts,method=req.method,target=req.uri,status=code,host=req.host'\n"
    "                   default: detected from the first lines of each file\n"
    "  --host H         host of requests whose lines carry none (common and combined logs)\n"
    "  --outbound       the traffic is outbound (to third parties), e.g. a proxy's log\n"
    "  --source NAME    the observations' source (default: the format's name)\n"
    "  --threads N      parser threads (default: one per CPU); results do not depend on it\n"
    "  --batch-size B   bytes committed per transaction, with a K, M or G suffix or not\n"
    "                   (default 512M); an interrupted ingest re-reads at most the two\n"
    "                   batches not yet committed; larger batches commit less often, and\n"
    "                   memory follows the distinct clients and endpoints of a batch\n"
    "  --follow         keep reading FILE as it grows, across rotation, until interrupted\n"
    "                   (Ctrl-C or SIGTERM), like tail -F; a partly written line waits\n"
    "  --poll-ms MS     with --follow: how often to look for new lines (default 1000)\n"
    "  --to URL         collect for a server (apicensus serve) instead of the local store:\n"
    "                   read and aggregate here, ship each batch to URL; the store (--db)\n"
    "                   keeps only this collector's checkpoints. A batch is counted once by\n"
    "                   the server even when sent again; the checkpoint moves only when the\n"
    "                   server acknowledged it\n"
    "  --token T        with --to: a token of role collector (default: $APICENSUS_TOKEN)\n"
    "  --retries N      with --to: retries of a request the server could not answer, after\n"
    "                   0.5 s, 1 s, 2 s ... up to 30 s apart (default 8)\n"
    "\n"
    "formats:\n";

/* n times the binary unit of a K, M or G (KiB, MiB, GiB: "512M", "1G") at *end, which then
 * moves past it; n as it is without one. */
static long scale_size(long n, char **end)
{
    static const char units[] = "KMG";
    const char *u = *end != NULL && **end != '\0' ? strchr(units, (*end)[0]) : NULL;

    if (u == NULL)
        return n;
    (*end)++;
    if (strcmp(*end, "iB") == 0 || strcmp(*end, "B") == 0)
        *end += strlen(*end);
    return n << (10 * (u - units + 1));
}

static void print_format(void *ud, const char *name, const char *summary)
{
    fprintf((FILE *)ud, "  %-12s %s\n", name, summary != NULL ? summary : "");
}

void cli_ingest_help(FILE *f)
{
    fputs(usage_ingest, f);
    ac_ingest_formats(print_format, f);
    fputs(
        "\nexamples:\n"
        "  apicensus import specs/ && apicensus ingest /var/log/nginx/\n"
        "  zcat access.log.gz | apicensus ingest --host api.example.com -\n"
        "  APICENSUS_TOKEN=acn_... apicensus --db /var/lib/apicensus/collector.db \\\n"
        "      ingest --to http://census.internal:8080 --follow /var/log/nginx/access.log\n"
        "  apicensus ingest --log-format '$remote_addr [$time_local] \"$request\" $status' x.log\n",
        f);
}

struct ingest_ui {
    const struct cli *c;
    bool tty;
    size_t bad_shown;
    size_t file_errors; /* reported by on_file_error (a directory's unreadable files) */
};

static void on_progress(void *ud, const struct ac_ingest_progress *p)
{
    struct ingest_ui *ui = ud;
    double mb = (double)p->bytes / 1e6;

    if (!ui->tty || ui->c->quiet)
        return;
    if (p->total > 0)
        fprintf(stderr, "\r%s (%s): %3.0f%%  %llu lines  %.0f lines/s  %.0f MB/s   ", p->path,
                p->format, 100.0 * (double)p->bytes / (double)p->total,
                (unsigned long long)p->lines, p->seconds > 0 ? (double)p->lines / p->seconds : 0,
                p->seconds > 0 ? mb / p->seconds : 0);
    else
        fprintf(stderr, "\r%s (%s): %.0f MB  %llu lines  %.0f lines/s   ", p->path, p->format, mb,
                (unsigned long long)p->lines, p->seconds > 0 ? (double)p->lines / p->seconds : 0);
}

static void on_file_error(void *ud, const struct ac_diag *d)
{
    struct ingest_ui *ui = ud;

    if (ui->tty && !ui->c->quiet)
        fputc('\n', stderr);
    cli_report(ui->c, d);
    ui->file_errors++;
}

static void on_bad_line(void *ud, const char *path, uint64_t line, const char *why)
{
    struct ingest_ui *ui = ud;

    if (ui->tty && !ui->c->quiet)
        fputc('\n', stderr);
    fprintf(stderr, "%s: %s:%llu: %s\n", ui->c->prog, path, (unsigned long long)line, why);
    ui->bad_shown++;
}

static void on_retry(void *ud, const char *why, unsigned attempt, double wait_s)
{
    struct ingest_ui *ui = ud;

    if (ui->tty && !ui->c->quiet)
        fputc('\n', stderr);
    fprintf(stderr, "%s: %s; retrying in %.1f s (attempt %u)\n", ui->c->prog, why, wait_s,
            attempt + 1);
}

/* The store batches go to: the local one, or the server's through a remote handle. */
static int open_target(struct cli *c, const char *to, const char *token, int retries,
                       struct ingest_ui *ui, struct ac_store **s)
{
    struct ac_remote_opts ro;
    struct ac_diag d;

    if (to == NULL)
        return cli_open_store(c, true, s);
    memset(&ro, 0, sizeof(ro));
    ro.url = to;
    ro.token = token != NULL ? token : getenv("APICENSUS_TOKEN");
    ro.state = c->db;
    ro.retries = retries;
    ro.on_retry = on_retry;
    ro.ud = ui;
    ac_diag_clear(&d);
    if (ac_remote_open(&ro, s, &d) != AC_OK)
        return cli_report(c, &d);
    return 0;
}

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

int cmd_ingest(struct cli *c, int argc, char **argv)
{
    struct ac_ingest_opts o;
    struct ac_ingest_stats st;
    struct ingest_ui ui = {c, false, 0, 0};
    struct ac_store *s = NULL;
    struct ac_diag d;
    const char *paths[256], *to = NULL, *token = NULL;
    size_t npaths = 0, i;
    int retries = -1;
    int k, rc;

    memset(&o, 0, sizeof(o));
    for (k = 1; k < argc; k++) {
        const char *a = argv[k];
        const char **dst = NULL;

        if (strcmp(a, "--log-format") == 0)
            dst = &o.format;
        else if (strcmp(a, "--host") == 0)
            dst = &o.host;
        else if (strcmp(a, "--source") == 0)
            dst = &o.source;
        else if (strcmp(a, "--to") == 0)
            dst = &to;
        else if (strcmp(a, "--token") == 0)
            dst = &token;
        if (strcmp(a, "--retries") == 0) {
            char *e = NULL;
            long n = k + 1 < argc ? strtol(argv[k + 1], &e, 10) : -1;

            if (k + 1 >= argc || e == argv[k + 1] || *e != '\0' || n < 0 || n > 100)
                return cli_usage_error(c, "ingest", "--retries wants 0 to 100");
            retries = (int)n;
            k++;
            continue;
        }
        if (strcmp(a, "--poll-ms") == 0) {
            char *e = NULL;
            long n = k + 1 < argc ? strtol(argv[k + 1], &e, 10) : -1;

            if (k + 1 >= argc || e == argv[k + 1] || *e != '\0' || n < 10 || n > 3600000)
                return cli_usage_error(c, "ingest", "--poll-ms wants 10 to 3600000");
            o.poll_ms = (unsigned)n;
            k++;
            continue;
        }
        if (dst != NULL || strcmp(a, "--threads") == 0 || strcmp(a, "--batch-size") == 0) {
            if (k + 1 >= argc)
                return cli_usage_error(c, "ingest", "option %s needs a value", a);
            if (dst != NULL) {
                *dst = argv[++k];
            } else {
                char *e = NULL;
                long n = strtol(argv[++k], &e, 10);
                bool threads = strcmp(a, "--threads") == 0;

                if (!threads && e != argv[k] && n > 0 && n <= 1048576)
                    n = scale_size(n, &e); /* 64K, 512M, 1G ... */
                if (e == argv[k] || *e != '\0' || n < 1 || (threads && n > 64) ||
                    (!threads && (n < 65536 || n > 1073741824)))
                    return cli_usage_error(c, "ingest", "%s",
                                           threads ? "--threads wants 1 to 64"
                                                   : "--batch-size wants 65536 to "
                                                     "1073741824 bytes (64K to 1G)");
                if (threads)
                    o.threads = (unsigned)n;
                else
                    o.batch_bytes = (size_t)n;
            }
        } else if (strcmp(a, "--outbound") == 0) {
            o.outbound = true;
        } else if (strcmp(a, "--follow") == 0) {
            o.follow = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage_error(c, "ingest", "unknown option '%s'", a);
        } else if (npaths == sizeof(paths) / sizeof(paths[0])) {
            return cli_usage_error(c, "ingest", "more than %zu paths: give directories instead",
                                   sizeof(paths) / sizeof(paths[0]));
        } else {
            paths[npaths++] = a;
        }
    }
    if (npaths == 0)
        return cli_usage_error(c, "ingest", "nothing to read: give files, directories or -");
    if (o.follow && (npaths != 1 || strcmp(paths[0], "-") == 0))
        return cli_usage_error(c, "ingest",
                               "--follow reads one file (standard input is read "
                               "to its end anyway)");
    if (o.follow) {
        struct sigaction sa;

        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        o.stop = &stop_requested;
    }
    if ((token != NULL || retries >= 0) && to == NULL)
        return cli_usage_error(c, "ingest", "--token and --retries go with --to URL");
    ui.tty = isatty(2) != 0 && getenv("NO_PROGRESS") == NULL;
    rc = open_target(c, to, token, retries, &ui, &s);
    if (rc != 0)
        return rc;
    o.now = c->now;
    o.on_progress = on_progress;
    o.on_bad_line = on_bad_line;
    o.on_file_error = on_file_error;
    o.ud = &ui;
    memset(&st, 0, sizeof(st));
    /* Every path is read even when one fails (as import does); a store failure stops. */
    for (i = 0; i < npaths; i++) {
        size_t before = ui.file_errors;
        enum ac_err err;
        int r;

        ac_diag_clear(&d);
        err = ac_ingest(s, paths[i], &o, &st, &d);
        if (err == AC_OK)
            continue;
        if (ui.file_errors > before && err != AC_ESTORE && err != AC_ENOMEM) {
            r = ac_err_exit_status(err); /* each file's error was printed already */
        } else {
            if (ui.tty && !c->quiet)
                fputc('\n', stderr);
            r = cli_report(c, &d);
        }
        if (r > rc)
            rc = r;
        if (err == AC_ESTORE || err == AC_ENOMEM)
            break;
    }
    if (ui.tty && !c->quiet)
        fputc('\n', stderr);
    if (!c->quiet && (rc == 0 || st.files > 0 || st.files_unchanged > 0))
        fprintf(c->out,
                "%llu files (%llu unchanged), %llu lines: %llu requests (%llu static assets), "
                "%llu skipped, %llu bad\n%llu endpoints new\n",
                (unsigned long long)st.files, (unsigned long long)st.files_unchanged,
                (unsigned long long)st.lines, (unsigned long long)st.requests,
                (unsigned long long)st.static_requests, (unsigned long long)st.skipped,
                (unsigned long long)st.bad, (unsigned long long)st.new_endpoints);
    if (!c->quiet && to != NULL) {
        struct ac_remote_stats rs;

        ac_remote_stats(s, &rs);
        fprintf(c->out, "%llu batches shipped to %s: %llu counted, %llu already there\n",
                rs.committed + rs.duplicate, to, rs.committed, rs.duplicate);
    }
    if (st.lines > 0) { /* the findings follow every change to the store */
        int r = cli_reconcile(c, s);

        if (r > rc)
            rc = r;
    }
    ac_store_close(s);
    return rc;
}
