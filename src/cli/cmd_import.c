/* cmd_import.c - `apicensus import FILE|DIR...` and `apicensus init`. */
#include "cli.h"

#include <apicensus/registry.h>
#include <apicensus/store.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

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

const char usage_init[] =
    "usage: apicensus init [FILE] [--force]\n"
    "\n"
    "Write a commented apicensus.yaml skeleton (default ./apicensus.yaml) declaring the\n"
    "organisation's domains, APIs, versions, deployments, integrations and policy. Edit it, then\n"
    "'apicensus import apicensus.yaml'. Refuses to overwrite an existing file without --force.\n";

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
    rc = cli_open_store(c, &s);
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
    ac_store_close(s);
    return worst;
}

int cmd_init(struct cli *c, int argc, char **argv)
{
    const char *path = "apicensus.yaml";
    const char *text = ac_manifest_skeleton_text();
    int i, fd, flags = O_WRONLY | O_CREAT | O_EXCL;
    size_t len = strlen(text), off = 0;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--force") == 0)
            flags = O_WRONLY | O_CREAT | O_TRUNC;
        else if (argv[i][0] == '-')
            return cli_usage_error(c, "init", "unknown option '%s'", argv[i]);
        else
            path = argv[i];
    }
    if (strcmp(path, "-") == 0) {
        fputs(text, c->out);
        return EXIT_OK;
    }
    fd = open(path, flags, 0644);
    if (fd < 0) {
        if (errno == EEXIST)
            fprintf(stderr, "%s: %s already exists (use --force to overwrite)\n", c->prog, path);
        else
            fprintf(stderr, "%s: %s: %s\n", c->prog, path, strerror(errno));
        return EXIT_INPUT;
    }
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);

        if (w < 0) {
            fprintf(stderr, "%s: %s: %s\n", c->prog, path, strerror(errno));
            close(fd);
            return EXIT_STORE;
        }
        off += (size_t)w;
    }
    close(fd);
    if (!c->quiet)
        fprintf(c->out,
                "wrote %s: declare your domains, APIs and deployments, then run "
                "'apicensus import %s'\n",
                path, path);
    return EXIT_OK;
}
