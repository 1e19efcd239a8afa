/* cmd_show.c - `apicensus show API`: one API with its versions, deployments and operations. */
#include "cli.h"

#include <apicensus/registry.h>
#include <apicensus/store.h>

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

const char usage_show[] =
    "usage: apicensus show API [--format table|json]\n"
    "\n"
    "Show one API: its owner, lifecycle and review, its versions, deployments and operations.\n"
    "With --format json, one object with the fields of 'ls apis' plus arrays 'versions_detail',\n"
    "'deployments_detail' and 'operations_detail' (the objects of the matching ls listings).\n";

static const char *const show_versions[] = {
    "label", "status", "deprecated_on", "sunset", "superseded_by", "operations", NULL};
static const char *const show_deployments[] = {
    "url", "version", "environment", "audience", "protections", "production_data", NULL};
static const char *const show_operations[] = {
    "version", "method", "template", "operation_id", "deprecated", "requires_auth", NULL};

static void print_field(const struct cli *c, const struct ac_table *t, const char *name,
                        const char *label)
{
    size_t idx = ac_table_col_index(t, name);
    const char *v = idx != (size_t)-1 ? ac_table_cell(t, 0, idx) : NULL;

    fprintf(c->out, "%-14s %s\n", label, v != NULL ? v : "-");
}

/* JSON: the API object plus the detail arrays. */
static int show_json(const struct cli *c, struct ac_table *const tables[4])
{
    static const char *const keys[4] = {NULL, "versions_detail", "deployments_detail",
                                        "operations_detail"};
    struct json_object *api = NULL, *arr;
    char *text;
    int k;

    for (k = 0; k < 4; k++) {
        text = ac_table_to_json(tables[k]);
        arr = text != NULL ? json_tokener_parse(text) : NULL;
        free(text);
        if (arr == NULL) {
            json_object_put(api);
            return EXIT_STORE;
        }
        if (k == 0) {
            api = json_object_get(json_object_array_get_idx(arr, 0));
            json_object_put(arr);
        } else {
            json_object_object_add(api, keys[k], arr);
        }
    }
    fprintf(c->out, "%s\n",
            json_object_to_json_string_ext(api, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                    JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(api);
    return EXIT_OK;
}

static void show_table(struct cli *c, struct ac_table *const tables[4])
{
    enum cli_format saved = c->format;

    print_field(c, tables[0], "name", "API");
    print_field(c, tables[0], "description", "description");
    print_field(c, tables[0], "owner", "owner");
    print_field(c, tables[0], "contact", "contact");
    print_field(c, tables[0], "lifecycle", "lifecycle");
    print_field(c, tables[0], "docs", "docs");
    print_field(c, tables[0], "review_last", "last review");
    print_field(c, tables[0], "review_every_days", "review every");
    c->format = CLI_TABLE;
    fprintf(c->out, "\nVersions (%zu)\n", ac_table_rows(tables[1]));
    cli_render(c, tables[1], show_versions);
    fprintf(c->out, "\nDeployments (%zu)\n", ac_table_rows(tables[2]));
    cli_render(c, tables[2], show_deployments);
    fprintf(c->out, "\nOperations (%zu)\n", ac_table_rows(tables[3]));
    cli_render(c, tables[3], show_operations);
    c->format = saved;
}

int cmd_show(struct cli *c, int argc, char **argv)
{
    static const enum ac_list_kind kinds[4] = {AC_LIST_APIS, AC_LIST_VERSIONS, AC_LIST_DEPLOYMENTS,
                                               AC_LIST_OPERATIONS};
    struct ac_table *tables[4] = {NULL, NULL, NULL, NULL};
    struct ac_store *s = NULL;
    struct ac_list_filter f = {.api = NULL};
    struct ac_diag d;
    int k, rc;

    if (argc != 2 || argv[1][0] == '-')
        return cli_usage_error(c, "show", "expected one API name");
    if (c->format != CLI_TABLE && c->format != CLI_JSON)
        return cli_usage_error(c, "show", "--format: show prints a table or json");
    f.api = argv[1];
    rc = cli_open_store(c, false, &s);
    if (rc != 0)
        return rc;
    ac_diag_clear(&d);
    for (k = 0; k < 4; k++) {
        if (ac_list(s, kinds[k], &f, &tables[k], &d) != AC_OK) {
            rc = cli_report(c, &d);
            goto out;
        }
    }
    if (ac_table_rows(tables[0]) == 0) {
        fprintf(stderr, "%s: no API named '%s' (see 'apicensus ls apis')\n", c->prog, f.api);
        rc = EXIT_INPUT;
        goto out;
    }
    if (c->format == CLI_JSON)
        rc = show_json(c, tables);
    else
        show_table(c, tables);
out:
    for (k = 0; k < 4; k++)
        ac_table_free(tables[k]);
    ac_store_close(s);
    return rc;
}
