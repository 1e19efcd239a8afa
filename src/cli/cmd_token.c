/* cmd_token.c - `apicensus token create|ls|revoke`: the server's API tokens (<apicensus/access.h>).
 */
#include "cli.h"

#include <apicensus/access.h>
#include <apicensus/registry.h>
#include <apicensus/store.h>

#include <string.h>

const char usage_token[] =
    "usage: apicensus token create --role viewer|editor|admin|collector [--name NAME]\n"
    "       apicensus token ls\n"
    "       apicensus token revoke ID|NAME\n"
    "\n"
    "API tokens for 'apicensus serve'. create prints the new token alone on standard output: it\n"
    "is shown once, and the store keeps only its SHA-256. Roles: viewer reads everything;\n"
    "editor also imports and accepts or reopens findings; admin does everything (tokens, the\n"
    "audit log); collector is for the collectors that will ship observations to the server.\n"
    "\n"
    "examples:\n"
    "  apicensus token create --role viewer --name grafana\n"
    "  curl -H \"Authorization: Bearer $(apicensus token create --role viewer)\" \\\n"
    "       http://127.0.0.1:8080/api/v1/findings\n"
    "  apicensus token revoke grafana\n";

static int create(struct cli *c, struct ac_store *s, int argc, char **argv)
{
    const char *role_name = NULL, *name = NULL;
    enum ac_role role;
    char token[AC_TOKEN_MAX], buf[32];
    struct ac_diag d;
    int i;

    for (i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
            role_name = argv[++i];
        else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
            name = argv[++i];
        else
            return cli_usage_error(c, "token", "unknown argument '%s'", argv[i]);
    }
    if (role_name == NULL || !ac_role_parse(role_name, &role))
        return cli_usage_error(c, "token", "--role viewer, editor, admin or collector");
    ac_diag_clear(&d);
    if (ac_token_create(s, role, name, "cli", cli_now(c, buf), token, &d) != AC_OK)
        return cli_report(c, &d);
    fprintf(c->out, "%s\n", token);
    return EXIT_OK;
}

int cmd_token(struct cli *c, int argc, char **argv)
{
    struct ac_store *s = NULL;
    struct ac_table *t = NULL;
    struct ac_diag d;
    char buf[32];
    int rc;

    if (argc < 2 || (strcmp(argv[1], "create") != 0 && strcmp(argv[1], "ls") != 0 &&
                     strcmp(argv[1], "revoke") != 0))
        return cli_usage_error(c, "token", "create, ls or revoke?");
    if (strcmp(argv[1], "revoke") == 0 && argc != 3)
        return cli_usage_error(c, "token", "revoke wants one token id or name");
    rc = cli_open_store(c, strcmp(argv[1], "create") == 0, &s);
    if (rc != 0)
        return rc;
    ac_diag_clear(&d);
    if (strcmp(argv[1], "create") == 0) {
        rc = create(c, s, argc, argv);
    } else if (strcmp(argv[1], "ls") == 0) {
        if (ac_list(s, AC_LIST_TOKENS, NULL, &t, &d) != AC_OK)
            rc = cli_report(c, &d);
        else
            cli_render(c, t, NULL); /* every column: id, name, role, created_at, revoked_at */
    } else if (ac_token_revoke(s, argv[2], "cli", cli_now(c, buf), &d) != AC_OK) {
        rc = cli_report(c, &d);
    } else if (!c->quiet) {
        fprintf(c->out, "revoked %s\n", argv[2]);
    }
    ac_table_free(t);
    ac_store_close(s);
    return rc;
}
