/* cmd_import.c - `apicensus import FILE|DIR...`: documents into the registry, one line per
 * document and a summary; the exit status is the worst of the documents' (3 for bad input). */
#include "cli.h"

#include <apicensus/registry.h>
#include <apicensus/store.h>
#include <apicensus/traffic.h>

#include <string.h>

const char usage_import[] =
    "usage: apicensus import FILE|DIR... [--db PATH]\n"
    "\n"
    "Import OpenAPI 2.0/3.0/3.1 specs (JSON or YAML), Backstage catalog-info.yaml files and\n"
    "apicensus.yaml manifests into the registry. The kind is detected from the content.\n"
    "Directories are searched recursively for .json, .yaml and .yml files; files of other kinds\n"
    "are skipped. A manifest imports the specs it names, attached to its APIs and versions.\n"
    "\n"
    "Each document is imported in one transaction. Re-importing an unchanged document changes\n"
    "nothing; a changed one replaces its declarations, and operations it no longer declares are\n"
    "kept as removed (with the date) for the rules that look for removed-but-answering endpoints.\n"
    "A bad document is reported with its file, line and column; the others are still imported.\n"
    "\n"
    "exit status: 0 all imported, 3 some document was bad input, 4 store error\n"
    "\n"
    "examples:\n"
    "  apicensus import apicensus.yaml\n"
    "  apicensus import specs/ catalog-info.yaml\n";

struct import_stats {
    const struct cli *c;
    size_t changed, unchanged, skipped, failed;
};

static void on_event(void *ud, const struct ac_import_event *ev)
{
    struct import_stats *st = ud;
    const struct cli *c = st->c;

    switch (ev->status) {
    case AC_IMPORT_CHANGED:
        st->changed++;
        if (c->quiet)
            break;
        if (ev->operations > 0 || ev->removed > 0 || strcmp(ev->kind, "openapi") == 0)
            fprintf(c->out, "imported   %s (%s, api %s: %zu operations, %zu new, %zu removed)\n",
                    ev->path, ev->format != NULL ? ev->format : ev->kind,
                    ev->api != NULL ? ev->api : "-", ev->operations, ev->added, ev->removed);
        else
            fprintf(c->out, "imported   %s (%s)\n", ev->path,
                    ev->format != NULL ? ev->format : ev->kind);
        break;
    case AC_IMPORT_UNCHANGED:
        st->unchanged++;
        if (!c->quiet)
            fprintf(c->out, "unchanged  %s\n", ev->path);
        break;
    case AC_IMPORT_SKIPPED:
        st->skipped++;
        if (!c->quiet)
            fprintf(c->out, "skipped    %s (not a spec, catalog or manifest)\n", ev->path);
        break;
    case AC_IMPORT_FAILED:
    default:
        st->failed++;
        cli_report(c, ev->diag);
        break;
    }
}

int cmd_import(struct cli *c, int argc, char **argv)
{
    struct ac_store *s = NULL;
    struct import_stats st;
    struct ac_import_opts o;
    struct ac_diag d;
    int i, rc, worst = EXIT_OK;

    if (argc < 2)
        return cli_usage_error(c, "import", "nothing to import: give files or directories");
    for (i = 1; i < argc; i++)
        if (argv[i][0] == '-')
            return cli_usage_error(c, "import", "unknown option '%s'", argv[i]);
    rc = cli_open_store(c, true, &s);
    if (rc != 0)
        return rc;
    memset(&st, 0, sizeof(st));
    st.c = c;
    memset(&o, 0, sizeof(o));
    o.now = c->now;
    o.on_event = on_event;
    o.ud = &st;
    for (i = 1; i < argc; i++) {
        ac_diag_clear(&d);
        if (ac_import(s, argv[i], &o, &d) != AC_OK) {
            rc = ac_err_exit_status(d.code);
            if (rc > worst)
                worst = rc;
        }
    }
    if (!c->quiet)
        fprintf(c->out, "%zu imported, %zu unchanged, %zu skipped, %zu failed\n", st.changed,
                st.unchanged, st.skipped, st.failed);
    if (st.changed > 0) { /* traffic stored before now meets these specs; then the findings */
        ac_diag_clear(&d);
        rc = ac_rematch(s, NULL, &d) == AC_OK ? cli_reconcile(c, s) : cli_report(c, &d);
        if (rc > worst)
            worst = rc;
    }
    ac_store_close(s);
    return worst;
}
