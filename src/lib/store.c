/* store.c - the public store and listing entry points, dispatching to the backend's functions.
 *
 * Callers hold a struct ac_store and never know the backend; today every path opens SQLite.
 */
#include "store.h"

#include <string.h>
#include <sys/stat.h>

enum ac_err ac_store_open(const char *path, unsigned flags, struct ac_store **out,
                          struct ac_diag *d)
{
    struct stat sb;

    if (path == NULL || path[0] == '\0')
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "no store path given");
    if (!(flags & AC_STORE_CREATE) && stat(path, &sb) != 0)
        return ac_diag_set(d, AC_ENOTFOUND, path, 0, 0,
                           "no store here (import something first, or name it with --db)");
    return ac__sqlite_open(path, out, d);
}

void ac_store_close(struct ac_store *s)
{
    if (s == NULL)
        return;
    s->ops->close(s);
}

int ac_store_schema_version(void)
{
    return AC__SCHEMA_VERSION;
}

enum ac_err ac_list(struct ac_store *s, enum ac_list_kind kind, const struct ac_list_filter *f,
                    struct ac_table **out, struct ac_diag *d)
{
    return s->ops->list(s, kind, f, out, d);
}

bool ac_list_kind_parse(const char *name, enum ac_list_kind *out)
{
    static const struct {
        const char *name;
        enum ac_list_kind kind;
    } kinds[] = {{"apis", AC_LIST_APIS},
                 {"versions", AC_LIST_VERSIONS},
                 {"deployments", AC_LIST_DEPLOYMENTS},
                 {"operations", AC_LIST_OPERATIONS},
                 {"integrations", AC_LIST_INTEGRATIONS},
                 {"documents", AC_LIST_DOCUMENTS},
                 {"endpoints", AC_LIST_ENDPOINTS},
                 {"findings", AC_LIST_FINDINGS},
                 {"traffic", AC_LIST_TRAFFIC},
                 {"rules", AC_LIST_RULES},
                 {"tokens", AC_LIST_TOKENS},
                 {"audit", AC_LIST_AUDIT},
                 {"webhooks", AC_LIST_WEBHOOKS}};
    size_t i;

    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(name, kinds[i].name) == 0) {
            *out = kinds[i].kind;
            return true;
        }
    }
    return false;
}
